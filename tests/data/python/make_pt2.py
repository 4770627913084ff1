"""Writes torch.export archives (.pt2) into OUTDIR for tst_inspect, and reference.json:
for each model its parameters, buffers and constants (name, shape, dtype, values), its
inputs, and the outputs PyTorch computes for a fixed input, so Kiln's reading and
running of them can be checked.

usage: make_pt2.py OUTDIR [--aoti]
--aoti also compiles the MLP with AOTInductor for the CPU (mlp_aoti.pt2). That runs a
C++ compiler (half a minute on two cores), and the package is built for this machine's
CPU (-march=native), so it is optional and must be made where the test runs."""
import json
import os
import sys
import time

import torch

out = sys.argv[1]
aoti = "--aoti" in sys.argv[2:]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)


def path(name):
    return os.path.join(out, name)


# Inputs C++ can rebuild without reading a file: arange / 10, shifted to have negatives.
def ramp(*shape):
    n = 1
    for s in shape:
        n *= s
    return (torch.arange(n, dtype=torch.float32).reshape(*shape) - n / 2) / 10


def tensor_info(t):
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", "")}


def output_info(value):
    # Outputs flattened the way the exported program lists them (pytree order: a
    # dict's in insertion order, keyed by "name").
    if isinstance(value, dict):
        return [dict(output_info(t)[0], name=k) for k, t in value.items()]
    leaves = value if isinstance(value, (tuple, list)) else [value]
    return [dict(tensor_info(t), values=t.detach().double().flatten().tolist()) for t in leaves]


class MLP(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))

    def forward(self, x):
        return self.net(x)


# Two named user inputs, a bare parameter (not inside a submodule), a tuple output.
class TwoInputs(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.W = torch.nn.Parameter(torch.randn(4, 3))

    def forward(self, a, b):
        return a @ self.W + b, a.sum(1)


# Conv + BatchNorm in eval mode (running stats are buffers, not mutated), an extra
# buffer, and a non-persistent one (saved under data/constants/, not data/weights/).
class ConvNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 4, 3, padding=1)
        self.bn = torch.nn.BatchNorm2d(4)
        self.register_buffer("scale", torch.tensor([0.5, 1.0, 1.5, 2.0]).reshape(1, 4, 1, 1))
        self.register_buffer("shift", torch.tensor([0.1, -0.1]), persistent=False)
        self.fc = torch.nn.Linear(4, 2)

    def forward(self, x):
        h = torch.relu(self.bn(self.conv(x))) * self.scale
        return self.fc(h.mean(dim=(2, 3))) + self.shift


# Tied weights (two names, one weight file) and a buffer that is a transposed view at
# storage offset 4 of another: the weights config then has shared path_names, a
# non-zero storage_offset and non-contiguous strides. The output is a dict.
class Tied(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = torch.nn.Linear(3, 3, bias=False)
        self.dec = torch.nn.Linear(3, 3, bias=False)
        self.dec.weight = self.enc.weight
        table = torch.arange(10.0)
        self.register_buffer("table", table)
        self.register_buffer("tail", table[4:].view(2, 3).t())

    def forward(self, x):
        y = self.dec(self.enc(x))
        return {"y": y, "total": y.sum(1) + self.tail.sum()}


reference = {"torch_version": torch.__version__}


def export(name, model, example, reference_input, dynamic_shapes=None, extra_files=None):
    model.eval()
    # Give BatchNorm non-trivial running stats so its buffers matter in the output.
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 1.5)
    ep = torch.export.export(model, example, dynamic_shapes=dynamic_shapes)
    torch.export.save(ep, path(name), extra_files=extra_files)
    with torch.no_grad():
        result = model(*reference_input)
    sig = ep.graph_signature
    reference[name] = {
        "inputs": [dict(tensor_info(t), name=n, values=t.double().flatten().tolist())
                   for n, t in zip(sig.user_inputs, reference_input)],
        "outputs": output_info(result),
        # Values too (row-major, as the tensor reads, not as stored), to check the raw weight files decode.
        "parameters": [dict(tensor_info(t), name=n, values=t.detach().double().flatten().tolist())
                       for n, t in ep.state_dict.items() if n in sig.parameters],
        "buffers": [dict(tensor_info(t), name=n, values=t.detach().double().flatten().tolist())
                    for n, t in ep.state_dict.items() if n in sig.buffers],
        # Non-persistent buffers and lifted tensors, stored under data/constants/.
        "constants": [dict(tensor_info(t), name=n, values=t.detach().double().flatten().tolist())
                      for n, t in ep.constants.items()],
        "extra_files": extra_files or {},
    }
    return ep, model


# Extra files land in extra/ inside the archive, like TorchScript's _extra_files.
mlp_ep, mlp = export("mlp.pt2", MLP(), (torch.randn(2, 4),), (ramp(2, 4),),
                     extra_files={"notes.txt": "an MLP for Kiln's tests"})
# The batch dimension is dynamic here so the archive shows a symbolic size (a sympy
# symbol like s52 with a range); the reference input's batch of 3 differs from the example's 2.
batch = torch.export.Dim("batch", min=1, max=1024)
export("two_inputs.pt2", TwoInputs(), (torch.randn(2, 4), torch.randn(2, 3)), (ramp(3, 4), ramp(3, 3)),
       dynamic_shapes={"a": {0: batch}, "b": {0: batch}})
export("conv.pt2", ConvNet(), (torch.randn(2, 1, 6, 6),), (ramp(2, 1, 6, 6),))
export("tied.pt2", Tied(), (torch.randn(2, 3),), (ramp(2, 3),))

if aoti:
    start = time.monotonic()
    package = torch._inductor.aoti_compile_and_package(mlp_ep, package_path=path("mlp_aoti.pt2"))
    seconds = time.monotonic() - start
    # Run the package back through PyTorch: the numbers Kiln must match.
    runner = torch._inductor.aoti_load_package(package)
    got = runner(ramp(2, 4))
    want = mlp(ramp(2, 4))
    assert torch.allclose(got, want, atol=1e-5), (got, want)
    # The package has no graph or weights config: what it knows is the compiled code's
    # metadata and the weights it keeps (small ones, like these biases, become literals).
    mlp_ref = reference["mlp.pt2"]
    reference["mlp_aoti.pt2"] = {"inputs": mlp_ref["inputs"], "outputs": mlp_ref["outputs"],
                                 "metadata": runner.get_metadata(), "model_name": "model",
                                 "constant_fqns": sorted(runner.get_constant_fqns()),
                                 "compile_seconds": round(seconds, 1)}
    print("AOTInductor compile: %.1f s" % seconds)

with open(path("reference.json"), "w") as f:
    json.dump(reference, f, indent=1)
