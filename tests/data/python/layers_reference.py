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
elman = torch.nn.RNN(5, 4, 2, nonlinearity="relu", batch_first=True)
sequence = torch.randn(2, 6, 5)
cases["rnn"] = {"state": elman.state_dict(), "x": sequence, "out": elman(sequence)[0]}
deconv = torch.nn.ConvTranspose2d(6, 4, 3, 2, 1, output_padding=1)
cases["conv_transpose"] = {"state": deconv.state_dict(), "x": image, "out": deconv(image)}
instance = torch.nn.InstanceNorm2d(6, affine=True)
with torch.no_grad():
    instance.weight.uniform_()
    instance.bias.uniform_()
cases["instance_norm"] = {"state": instance.state_dict(), "x": image, "out": instance(image)}
sequences = [torch.randn(3, 2), torch.randn(5, 2), torch.randn(1, 2)]
cases["pad_sequence"] = {"a": sequences[0], "b": sequences[1], "c": sequences[2],
                         "out": torch.nn.utils.rnn.pad_sequence(sequences, batch_first=True, padding_value=-1.0),
                         "out_time": torch.nn.utils.rnn.pad_sequence(sequences)}
decoder = torch.nn.TransformerDecoderLayer(8, 2, dim_feedforward=16, batch_first=True, norm_first=True)
decoder.eval()
tgt, memory = torch.randn(2, 4, 8), torch.randn(2, 6, 8)
causal = torch.nn.Transformer.generate_square_subsequent_mask(4)
cases["decoder_layer"] = {"state": decoder.state_dict(), "x": tgt, "memory": memory, "mask": causal,
                          "out": decoder(tgt, memory, tgt_mask=causal)}
cases["unflatten"] = {"state": {}, "x": x, "out": torch.nn.Unflatten(1, (1, 5))(x)}

import torch.nn.functional as F

w = torch.randn(6, 3, 3, 3)
b = torch.randn(3)
functional = {
    "conv_transpose2d": F.conv_transpose2d(image, w, b, stride=2, padding=1, output_padding=1),
    "dropout2d_eval": F.dropout2d(image, 0.5, training=False),
    "pixel_shuffle": F.pixel_shuffle(image[:, :4], 2),
    "pixel_unshuffle": F.pixel_unshuffle(image, 2),
    "unfold": F.unfold(image, 2, padding=1, stride=2),
    "fold": F.fold(F.unfold(image, 2), (4, 4), 2),
    "grid_sample": F.grid_sample(image, torch.rand(2, 3, 3, 2) * 2 - 1, align_corners=False),
    "pairwise_distance": F.pairwise_distance(x, x.flip(0), p=1.5),
    "triplet_margin_loss": F.triplet_margin_loss(x, x * 0.5, x.flip(0), margin=0.3, swap=True),
    "sdpa": F.scaled_dot_product_attention(image[:, :2], image[:, 2:4], image[:, 4:], is_causal=True),
    "selu": F.selu(x),
    "glu": F.glu(image, 1),
}
cases["functional"] = {"image": image, "x": x, "w": w, "b": b, **functional}
torch.manual_seed(11)
cases["functional"]["grid"] = torch.rand(2, 3, 3, 2) * 2 - 1
cases["functional"]["grid_sample"] = F.grid_sample(image, cases["functional"]["grid"], align_corners=False)

# nn.init's seeded draws and the Dirac weights.
torch.manual_seed(21)
init = {"trunc_normal": torch.nn.init.trunc_normal_(torch.empty(50, 40), mean=0.1, std=0.5, a=-0.4, b=0.9)}
torch.manual_seed(22)
init["sparse"] = torch.nn.init.sparse_(torch.empty(6, 5), 0.5, std=0.1)
init["dirac"] = torch.nn.init.dirac_(torch.empty(6, 3, 3, 3), groups=2)
cases["init"] = init
# index_* updates
base = torch.arange(12.0).reshape(3, 4)
index = torch.tensor([2, 0])
source = torch.ones(3, 2) * 10
cases["index_ops"] = {"base": base, "index": index, "source": source,
                      "fill": base.index_fill(1, index, -1.0),
                      "add": base.index_add(1, index, source, alpha=0.5),
                      "copy": base.index_copy(1, index, source)}

with torch.no_grad():
    for case in cases.values():
        for key, value in case.items():
            if torch.is_tensor(value):
                case[key] = value.detach()
torch.save(cases, Path(sys.argv[1]) / "layers.pt")
print("ok")
