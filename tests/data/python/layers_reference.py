"""Layers' outputs from PyTorch, for Kiln's same layers to match.

Usage: layers_reference.py DIR -> DIR/layers.pt: for each case its state dict,
inputs and outputs (Kiln loads the state dict and compares within 1e-5).
"""
import sys
from pathlib import Path

import torch

torch.manual_seed(7)
x = torch.randn(3, 5)
cases = {}

rnn = torch.nn.RNNCell(5, 4)
h = torch.randn(3, 4)
cases["rnn_cell"] = {"state": rnn.state_dict(), "x": x, "h": h, "out": rnn(x, h)}
relu_rnn = torch.nn.RNNCell(5, 4, nonlinearity="relu", bias=False)
cases["rnn_cell_relu"] = {"state": relu_rnn.state_dict(), "x": x, "out": relu_rnn(x)}
lstm = torch.nn.LSTMCell(5, 4)
c = torch.randn(3, 4)
h1, c1 = lstm(x, (h, c))
cases["lstm_cell"] = {"state": lstm.state_dict(), "x": x, "h": h, "c": c, "out": h1, "out_c": c1}
gru = torch.nn.GRUCell(5, 4)
cases["gru_cell"] = {"state": gru.state_dict(), "x": x, "h": h, "out": gru(x, h)}
unbatched = gru(x[0], h[0])
cases["gru_cell_unbatched"] = {"state": gru.state_dict(), "x": x[0], "h": h[0], "out": unbatched}
image = torch.randn(2, 6, 4, 4)
group = torch.nn.GroupNorm(3, 6)
with torch.no_grad():
    group.weight.uniform_()
    group.bias.uniform_()
cases["group_norm"] = {"state": group.state_dict(), "x": image, "out": group(image)}
prelu = torch.nn.PReLU(6, 0.1)
cases["prelu"] = {"state": prelu.state_dict(), "x": image, "out": prelu(image)}
cases["softplus"] = {"state": {}, "x": image, "out": torch.nn.Softplus(beta=2, threshold=3)(image)}
cases["upsample"] = {"state": {}, "x": image, "out": torch.nn.Upsample(scale_factor=2, mode="bilinear")(image)}
cases["unflatten"] = {"state": {}, "x": x, "out": torch.nn.Unflatten(1, (1, 5))(x)}

with torch.no_grad():
    for case in cases.values():
        for key, value in case.items():
            if torch.is_tensor(value):
                case[key] = value.detach()
torch.save(cases, Path(sys.argv[1]) / "layers.pt")
print("ok")
