"""Writes PyTorch-made files for tst_luaserialize into OUT_DIR, and expected.lua:
a Lua chunk returning the numbers Kiln must reproduce from them."""
import json
import os
import struct
import sys
import zipfile

import torch

out = sys.argv[1]
torch.manual_seed(0)
expected = {}


def path(name):
    return os.path.join(out, name)


def values(t):
    return t.detach().double().tolist()


# A state dict of nn.Sequential(Linear, ReLU, Linear).
mlp = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
torch.save(mlp.state_dict(), path("state_dict.pt"))
expected["sd_keys"] = list(mlp.state_dict().keys())
expected["sd_w0"] = values(mlp[0].weight)
expected["sd_b2"] = values(mlp[2].bias)

# Tensors of several dtypes, a view sharing storage, nested containers.
base = torch.arange(12.0).reshape(3, 4)
torch.save(torch.linspace(-1, 1, 5), path("tensor.pt"))
expected["tensor"] = values(torch.linspace(-1, 1, 5))
torch.save({
    "view": base[1:, 1:3],
    "base": base,
    "half": torch.tensor([1.5, -2.0], dtype=torch.half),
    "bf16": torch.tensor([0.5, 4.0], dtype=torch.bfloat16),
    "long": torch.tensor([1, -2, 3]),
    "int8": torch.tensor([-7, 8], dtype=torch.int8),
    "bool": torch.tensor([True, False]),
    "param": torch.nn.Parameter(torch.ones(2)),
    "list": [1, 2.5, "x", None, True],
    "tuple": (1, 2),
    "nested": {"a": [torch.zeros(1)], "b": {"c": 3}},
    "bn": torch.nn.BatchNorm1d(2).state_dict(),
}, path("mixed.pt"))

# A scripted model: two tensor inputs, a tuple output.
class Pair(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(3, 2)

    def forward(self, x, y):
        return self.fc(x) + y, x.sum()

    @torch.jit.export
    def scale(self, x, k: float):
        return x * k

pair = torch.jit.script(Pair())
pair.save(path("scripted.pt"))
x = torch.randn(2, 3)
y = torch.randn(2, 2)
torch.save({"x": x, "y": y}, path("scripted_inputs.pt"))
a, b = pair(x, y)
expected["scripted_a"] = values(a)
expected["scripted_b"] = values(b)

# A traced model returning a dict.
class Heads(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.body = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU())
        self.head = torch.nn.Linear(4, 1)
        self.register_buffer("offset", torch.tensor([0.25]))

    def forward(self, x):
        h = self.body(x)
        return {"score": self.head(h) + self.offset, "hidden": h}

traced = torch.jit.trace(Heads(), torch.randn(2, 3), strict=False)
traced.save(path("traced_dict.pt"))
xt = torch.randn(2, 3)
torch.save(xt, path("traced_input.pt"))
result = traced(xt)
expected["traced_score"] = values(result["score"])
expected["traced_hidden"] = values(result["hidden"])

# safetensors written by hand from the published layout.
tensors = {"weight": torch.arange(6, dtype=torch.float32).reshape(2, 3), "ids": torch.tensor([5, -6], dtype=torch.int64),
           "flags": torch.tensor([True, False, True])}
header, blobs, offset = {}, [], 0
for name, t in tensors.items():
    raw = t.numpy().tobytes()
    dtype = {torch.float32: "F32", torch.int64: "I64", torch.bool: "BOOL"}[t.dtype]
    header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
    blobs.append(raw)
    offset += len(raw)
header["__metadata__"] = {"format": "pt", "note": "made by python"}
text = json.dumps(header).encode()
with open(path("hand.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))

# Hostile and foreign files.
torch.save(base, path("legacy.pt"), _use_new_zipfile_serialization=False)
with zipfile.ZipFile(path("garbage_in_zip.pt"), "w") as z:
    z.writestr("archive/data.pkl", os.urandom(64))
    z.writestr("archive/version", "3\n")
with zipfile.ZipFile(path("evil.pt"), "w") as z:
    z.writestr("archive/data.pkl", b"\x80\x02cos\nsystem\nX\x04\x00\x00\x00echo\x85R.")
    z.writestr("archive/version", "3\n")
whole = open(path("state_dict.pt"), "rb").read()
open(path("truncated.pt"), "wb").write(whole[: len(whole) // 2])
open(path("random.pt"), "wb").write(os.urandom(4096))
open(path("empty.pt"), "wb").close()


def lua(v):
    if isinstance(v, list):
        return "{" + ", ".join(lua(e) for e in v) + "}"
    if isinstance(v, str):
        return json.dumps(v)
    return repr(float(v)) if isinstance(v, float) else repr(v)

with open(path("expected.lua"), "w") as f:
    f.write("return {\n" + "".join("  %s = %s,\n" % (k, lua(v)) for k, v in expected.items()) + "}\n")


# safetensors files that lie, each with a valid 8-byte float payload unless noted.
def safetensors_file(name, header, data=b"\0" * 8, length=None):
    text = header if isinstance(header, bytes) else json.dumps(header).encode()
    with open(path(name), "wb") as f:
        f.write(struct.pack("<Q", len(text) if length is None else length) + text + data)

ok = {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}
safetensors_file("st_beyond.safetensors", {"a": ok}, length=1 << 40)
safetensors_file("st_json.safetensors", b'{"a": {"dtype": "F32",')
safetensors_file("st_dtype.safetensors", {"a": dict(ok, dtype="F8_E9")})
safetensors_file("st_range.safetensors", {"a": dict(ok, data_offsets=[0, 800])})
safetensors_file("st_size.safetensors", {"a": dict(ok, shape=[3])})
safetensors_file("st_overlap.safetensors", {"a": dict(ok, shape=[2], data_offsets=[0, 8]),
                                            "b": dict(ok, shape=[1], data_offsets=[4, 8])})
safetensors_file("st_gap.safetensors", {"a": dict(ok, shape=[1], data_offsets=[4, 8])})
safetensors_file("st_metadata.safetensors", {"a": ok, "__metadata__": {"n": 1}})
safetensors_file("st_negative.safetensors", {"a": dict(ok, shape=[-2])})
with open(path("st_short.safetensors"), "wb") as f:
    f.write(b"\x01\x02\x03")

# Byte mutations of a checkpoint's pickle and of a safetensors file (fixed seed):
# each must load or fail with an error, never crash or hang.
import random
rng = random.Random(1)
os.makedirs(path("fuzz"), exist_ok=True)
pickle_bytes = zipfile.ZipFile(path("mixed.pt")).read("mixed/data.pkl")
records = {n: zipfile.ZipFile(path("mixed.pt")).read(n) for n in zipfile.ZipFile(path("mixed.pt")).namelist()}
hand = open(path("hand.safetensors"), "rb").read()
for i in range(150):
    data = bytearray(pickle_bytes)
    for _ in range(rng.randint(1, 4)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    with zipfile.ZipFile(path("fuzz/%03d.pt" % i), "w") as z:
        for name, raw in records.items():
            z.writestr(name, bytes(data) if name.endswith("data.pkl") else raw)
    st = bytearray(hand)
    for _ in range(rng.randint(1, 3)):
        st[rng.randrange(len(st))] = rng.randrange(256)
    open(path("fuzz/%03d.safetensors" % i), "wb").write(bytes(st))
