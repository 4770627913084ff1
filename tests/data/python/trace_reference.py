"""Sequence layers traced at one shape and run at others, in PyTorch and Kiln.

Usage:
  trace_reference.py DIR make   -> DIR/trace.pt: per layer its state dict, inputs at
                                   three shapes and PyTorch's outputs; also
                                   nn.Transformer and packed-sequence cases.
  trace_reference.py DIR check  -> loads the modules Kiln traced at the first shape
                                   (DIR/traced_<name>.pt) and runs them here at the
                                   other two, against PyTorch's own layers.
"""
import sys
from pathlib import Path

import torch

folder = Path(sys.argv[1])
mode = sys.argv[2]
torch.manual_seed(11)


def layers():
    torch.manual_seed(11)
    made = {
        "lstm": torch.nn.LSTM(4, 5, 2),
        "gru": torch.nn.GRU(4, 5, batch_first=True, bidirectional=True),
        "mha": torch.nn.MultiheadAttention(8, 2),
        "encoder_layer": torch.nn.TransformerEncoderLayer(8, 2, dim_feedforward=16),
    }
    for layer in made.values():
        layer.eval()
    return made


# First output only: the LSTM's and GRU's sequence output, attention's values.
def run(name, layer, x):
    with torch.no_grad():
        if name == "mha":
            return layer(x, x, x, need_weights=False)[0]
        out = layer(x)
        return out[0] if isinstance(out, tuple) else out


shapes = {"lstm": [(3, 2, 4), (6, 5, 4), (1, 1, 4)], "gru": [(2, 3, 4), (5, 7, 4), (1, 1, 4)],
          "mha": [(3, 2, 8), (6, 4, 8), (1, 1, 8)], "encoder_layer": [(3, 2, 8), (7, 5, 8), (2, 1, 8)]}

if mode == "make":
    cases = {}
    for name, layer in layers().items():
        inputs = [torch.randn(shape) for shape in shapes[name]]
        cases[name] = {"state": layer.state_dict(), "inputs": inputs, "outputs": [run(name, layer, x) for x in inputs]}
    transformer = torch.nn.Transformer(d_model=8, nhead=2, num_encoder_layers=2, num_decoder_layers=1,
                                       dim_feedforward=16, batch_first=True)
    transformer.eval()
    src, tgt = torch.randn(2, 5, 8), torch.randn(2, 4, 8)
    mask = torch.nn.Transformer.generate_square_subsequent_mask(4)
    with torch.no_grad():
        out = transformer(src, tgt, tgt_mask=mask)
    cases["transformer"] = {"state": transformer.state_dict(), "src": src, "tgt": tgt, "mask": mask, "out": out,
                            "parameters": sum(p.numel() for p in transformer.parameters())}
    lstm = torch.nn.LSTM(3, 4, batch_first=True)
    padded = torch.randn(3, 5, 3)
    lengths = torch.tensor([2, 5, 3])
    packed = torch.nn.utils.rnn.pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
    with torch.no_grad():
        out, (h, c) = lstm(packed)
    unpacked, out_lengths = torch.nn.utils.rnn.pad_packed_sequence(out, batch_first=True)
    cases["packed"] = {"state": lstm.state_dict(), "x": padded, "lengths": lengths, "data": packed.data,
                       "batch_sizes": packed.batch_sizes, "out": unpacked, "out_lengths": out_lengths, "h": h, "c": c}
    torch.save(cases, folder / "trace.pt")
else:
    cases = torch.load(folder / "trace.pt")
    for name, layer in layers().items():
        layer.load_state_dict(cases[name]["state"])
        traced = torch.jit.load(str(folder / f"traced_{name}.pt"))
        for x in cases[name]["inputs"][1:]:
            ours = traced(x)
            ours = ours[0] if isinstance(ours, (tuple, list)) else ours
            difference = (ours - run(name, layer, x)).abs().max().item()
            assert difference < 1e-5, f"{name} traced by Kiln at {tuple(cases[name]['inputs'][0].shape)} differs at {tuple(x.shape)} by {difference}"
    print("ok")
