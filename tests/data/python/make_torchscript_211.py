"""Writes TorchScript files as this PyTorch (2.11) saves them into OUTDIR, and
reference.json: for each file its forward schema, parameters and buffers, inputs
and the outputs PyTorch computes, so Kiln's loading and running of them can be checked.

usage: make_torchscript_211.py OUTDIR

Inputs are ramps, (arange(n).reshape(shape) - n/2) / 10, so C++ can rebuild them;
their values are stored too."""
import json
import os
import sys
from typing import Dict

import torch

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)


def ramp(*shape):
    n = 1
    for s in shape:
        n *= s
    return (torch.arange(n, dtype=torch.float32).reshape(*shape) - n / 2) / 10


def tensor_info(t, name=None):
    info = {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""),
            "values": t.detach().double().flatten().tolist()}
    return dict(info, name=name) if name is not None else info


class MLP(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))

    def forward(self, x):
        return self.net(x)


class LSTMClassifier(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(4, 6, num_layers=2, batch_first=True)
        self.head = torch.nn.Linear(6, 3)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


class TwoInputs(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(4, 3)

    def forward(self, a, b):
        return self.fc(a) + b


class DictOut(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(4, 3)

    def forward(self, x) -> Dict[str, torch.Tensor]:
        logits = self.fc(x)
        return {"logits": logits, "probs": torch.softmax(logits, dim=-1)}


class TupleOut(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(4, 3)
        self.register_buffer("offset", torch.tensor([0.5, -0.5, 0.0]))

    def forward(self, x):
        y = self.fc(x) + self.offset
        return y, y.sum(1)


# The encoder is scripted as nn.TransformerEncoder itself (its forward has optional
# mask arguments); nested tensors off, so eval runs the same path with or without padding.
layer = torch.nn.TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=32, batch_first=True)
encoder = torch.nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)

# name: (module, "script" or "trace", inputs)
models = {
    "transformer_encoder.pt": (encoder, "script", [ramp(2, 5, 16)]),
    "mlp_traced.pt": (MLP(), "trace", [ramp(2, 4)]),
    "lstm_classifier.pt": (LSTMClassifier(), "script", [ramp(2, 5, 4)]),
    "two_inputs.pt": (TwoInputs(), "script", [ramp(2, 4), ramp(2, 3)]),
    "dict_output.pt": (DictOut(), "script", [ramp(2, 4)]),
    "tuple_output.pt": (TupleOut(), "trace", [ramp(2, 4)]),
}

reference = {"torch_version": torch.__version__}
for name, (model, how, inputs) in models.items():
    model.eval()
    saved = torch.jit.script(model) if how == "script" else torch.jit.trace(model, tuple(inputs))
    saved.save(os.path.join(out, name))
    with torch.no_grad():
        result = model(*inputs)
    # Outputs as a list in return order; a dict's entries carry their key as "name".
    if isinstance(result, dict):
        output_kind, outputs = "dict", [tensor_info(v, k) for k, v in result.items()]
    elif isinstance(result, tuple):
        output_kind, outputs = "tuple", [tensor_info(v) for v in result]
    else:
        output_kind, outputs = "tensor", [tensor_info(result)]
    schema = saved.forward.schema
    reference[name] = {
        "kind": how,
        "forward": str(schema),
        # Argument names from the schema (without self): traced models name them x, a, b too.
        "inputs": [tensor_info(t, a.name) for t, a in zip(inputs, schema.arguments[1:])],
        "output_kind": output_kind,
        "outputs": outputs,
        "parameters": [{"name": n, "shape": list(p.shape), "dtype": str(p.dtype).replace("torch.", "")}
                       for n, p in saved.named_parameters()],
        "buffers": [{"name": n, "shape": list(b.shape), "dtype": str(b.dtype).replace("torch.", "")}
                    for n, b in saved.named_buffers()],
    }

# Every file must load back and reproduce its outputs, else the reference is worthless.
for name, (_, _, inputs) in models.items():
    loaded = torch.jit.load(os.path.join(out, name))
    with torch.no_grad():
        got = loaded(*inputs)
    want = reference[name]["outputs"]
    kind = reference[name]["output_kind"]
    got = [got[w["name"]] for w in want] if kind == "dict" else list(got) if kind == "tuple" else [got]
    for t, w in zip(got, want):
        assert list(t.shape) == w["shape"], name
        assert torch.allclose(t.double().flatten(), torch.tensor(w["values"], dtype=torch.float64), atol=1e-5), name

with open(os.path.join(out, "reference.json"), "w") as f:
    json.dump(reference, f, indent=1)
