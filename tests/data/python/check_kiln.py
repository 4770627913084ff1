"""Checks files Kiln wrote into DIR with PyTorch; exits non-zero with a message on any mismatch."""
import json
import os
import struct
import sys

import torch

d = sys.argv[1]


def close(a, b, what):
    if a.shape != b.shape or not torch.allclose(a.double(), b.double(), atol=1e-5):
        sys.exit("%s differs:\n%s\n%s" % (what, a, b))


# weights_only: Kiln's checkpoints name no Python object beyond PyTorch's allow-list.
sd = torch.load(os.path.join(d, "kiln_state_dict.pt"), weights_only=True)
reference = torch.load(os.path.join(d, "state_dict.pt"))
mlp = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
mlp.load_state_dict(sd)
if list(sd.keys()) != list(reference.keys()):
    sys.exit("state dict keys differ: %s" % list(sd.keys()))
for k in reference:
    close(sd[k], reference[k], k)

# (1.13's weights_only unpickler has no BINFLOAT, so floats need the full one.)
extra = torch.load(os.path.join(d, "kiln_values.pt"))
if extra["name"] != "kiln" or extra["list"][:3] != [1, 2.5, True] or extra["count"] != 2**40:
    sys.exit("values differ: %r" % (extra,))
close(extra["view"], torch.arange(12.0).reshape(3, 4)[1:, 1:3], "view")
if extra["half"].dtype != torch.float16 or extra["flags"].dtype != torch.bool:
    sys.exit("dtypes differ: %r" % (extra,))

model = torch.jit.load(os.path.join(d, "kiln_traced.pt"))
io = torch.load(os.path.join(d, "kiln_traced_io.pt"))
out = model(io["x"], io["y"])
if not isinstance(sd, dict) or type(sd).__name__ != "OrderedDict":
    sys.exit("an ordered table should load as an OrderedDict, got %s" % type(sd).__name__)
if not isinstance(out, tuple) or len(out) != 2:
    sys.exit("traced output is not a pair: %r" % (out,))
close(out[0], io["a"], "traced output 1")
close(out[1], io["b"], "traced output 2")
names = [n for n, _ in model.named_parameters()] + [n for n, _ in model.named_buffers()]
if sorted(names) != sorted(["fc1.weight", "fc1.bias", "fc2.weight", "scale"]):
    sys.exit("traced module parameters: %s" % names)

raw = open(os.path.join(d, "kiln.safetensors"), "rb").read()
(n,) = struct.unpack("<Q", raw[:8])
header = json.loads(raw[8:8 + n])
data = raw[8 + n:]
if header.get("__metadata__") != {"source": "kiln"}:
    sys.exit("metadata: %r" % header.get("__metadata__"))
info = header["w"]
if info["dtype"] != "F32" or info["shape"] != [2, 2]:
    sys.exit("safetensors header: %r" % header)
begin, end = info["data_offsets"]
w = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(2, 2)
close(w, torch.tensor([[1.0, 2.0], [3.0, 4.0]]), "safetensors w")
print("ok")
