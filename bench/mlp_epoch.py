# The Fashion-MNIST MLP epoch of bench/mlp_epoch.kiln.md in PyTorch (the venv's
# PyTorch, whose libtorch Kiln links).
# Usage: mlp_epoch.py BATCH_SIZE EPOCHS [DATA_DIR] [--threads N] [--steps N]
# --threads sets torch.set_num_threads (default: PyTorch's own, one per core);
# --steps stops each epoch after N batches (for profiling; default: the whole epoch).
import argparse
import gzip
import time

import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("batch_size", type=int)
parser.add_argument("epochs", type=int)
parser.add_argument("data_dir", nargs="?", default="/usr/share/datasets/fashion-mnist")
parser.add_argument("--threads", type=int, default=0)
parser.add_argument("--steps", type=int, default=0)
args = parser.parse_args()
batch_size, epochs, data_dir = args.batch_size, args.epochs, args.data_dir
if args.threads > 0:
    torch.set_num_threads(args.threads)
with gzip.open(data_dir + "/train-images-idx3-ubyte.gz") as f:
    images = bytearray(f.read())
with gzip.open(data_dir + "/train-labels-idx1-ubyte.gz") as f:
    labels = bytearray(f.read())
n = 60000
x = torch.frombuffer(images, dtype=torch.uint8, offset=16).view(n, 784).float() / 255.0
y = torch.frombuffer(labels, dtype=torch.uint8, offset=8).long()
last = n - batch_size if args.steps <= 0 else min(n - batch_size, (args.steps - 1) * batch_size)

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(epochs):
    started = time.perf_counter()
    permutation = torch.randperm(n)
    for i in range(0, last + 1, batch_size):
        index = permutation.narrow(0, i, batch_size)
        loss = nn.functional.cross_entropy(model(x.index_select(0, index)), y.index_select(0, index))
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("seconds %.4f" % (time.perf_counter() - started), flush=True)
