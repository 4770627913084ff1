# The Fashion-MNIST MLP epoch of bench/mlp_epoch.kiln.md in PyTorch (Debian's
# python3-torch, the same libtorch). Usage: mlp_epoch.py BATCH_SIZE EPOCHS [DATA_DIR]
import gzip
import sys
import time

import torch
from torch import nn

batch_size, epochs = int(sys.argv[1]), int(sys.argv[2])
data_dir = sys.argv[3] if len(sys.argv) > 3 else "/usr/share/datasets/fashion-mnist"
with gzip.open(data_dir + "/train-images-idx3-ubyte.gz") as f:
    images = bytearray(f.read())
with gzip.open(data_dir + "/train-labels-idx1-ubyte.gz") as f:
    labels = bytearray(f.read())
n = 60000
x = torch.frombuffer(images, dtype=torch.uint8, offset=16).view(n, 784).float() / 255.0
y = torch.frombuffer(labels, dtype=torch.uint8, offset=8).long()

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(epochs):
    started = time.perf_counter()
    permutation = torch.randperm(n)
    for i in range(0, n - batch_size + 1, batch_size):
        index = permutation.narrow(0, i, batch_size)
        loss = nn.functional.cross_entropy(model(x.index_select(0, index)), y.index_select(0, index))
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("seconds %.4f" % (time.perf_counter() - started), flush=True)
