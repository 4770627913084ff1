import sys, torch
from torch import nn
import torch.nn.functional as F
d = sys.argv[1]
inputs = torch.load(d + "/inputs.pt")
results = {}
def load(name, module):
    module.load_state_dict(torch.load(d + "/" + name + ".weights.pt"))
    return module

lstm = load("lstm", nn.LSTM(4, 6, num_layers=2, batch_first=True, bidirectional=True))
out, (h, c) = lstm(inputs["lstm"])
results["lstm"] = torch.cat([out.flatten(), h.flatten(), c.flatten()])
gru = load("gru", nn.GRU(4, 5))
outg, hg = gru(inputs["gru"])
results["gru"] = torch.cat([outg.flatten(), hg.flatten()])
encoder = load("encoder", nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True))
results["encoder"] = encoder(inputs["encoder"])
conv = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1, stride=2), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                     nn.Flatten(), nn.Linear(4 * 2 * 2, 3))
# Kiln's saved state has the running stats after one training batch; PyTorch
# starts from the same weights with fresh stats and takes the same batch.
weights = torch.load(d + "/conv.weights.pt")
fresh = {k: v for k, v in weights.items() if "running" not in k and "num_batches" not in k}
conv.load_state_dict(fresh, strict=False)
results["conv"] = conv(inputs["conv"])
results["conv.running_mean"] = conv[1].running_mean
results["conv.running_var"] = conv[1].running_var
embedding = load("embedding", nn.Embedding(10, 3, padding_idx=0))
results["embedding"] = embedding(inputs["embedding"])
norm = load("layernorm", nn.LayerNorm([3, 4]))
results["layernorm"] = norm(inputs["layernorm"])

logits, target = inputs["logits"], inputs["target"]
probabilities, binary = inputs["probabilities"], inputs["binary"]
results["cross_entropy"] = F.cross_entropy(logits, target, label_smoothing=0.1)
results["cross_entropy_sum"] = F.cross_entropy(logits, target, reduction="sum", weight=torch.tensor([1, 2, 0.5, 1]))
results["nll"] = F.nll_loss(F.log_softmax(logits, 1), target)
results["mse"] = F.mse_loss(logits, probabilities)
results["l1"] = F.l1_loss(logits, probabilities)
results["smooth_l1"] = F.smooth_l1_loss(logits, probabilities, beta=0.5)
results["bce"] = F.binary_cross_entropy(probabilities, binary)
results["bce_logits"] = F.binary_cross_entropy_with_logits(logits, binary, pos_weight=torch.tensor([1., 2, 3, 4]))
results["gelu"] = F.gelu(logits)
results["normalize"] = F.normalize(logits, dim=1)
results["pad"] = F.pad(logits, (1, 2), value=-1)
results["one_hot"] = F.one_hot(target, 5)
results["softmax"] = F.softmax(logits, 0)
results["avg_pool"] = F.avg_pool2d(inputs["conv"], 2)
results["adaptive"] = F.adaptive_avg_pool2d(inputs["conv"], (3, 3))
results["interpolate"] = F.interpolate(inputs["conv"], size=(5, 5), mode="bilinear")
torch.save({k: v.detach() for k, v in results.items()}, d + "/python_layers.pt")
