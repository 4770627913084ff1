# What `kiln train --data fashion-mnist` does with its defaults, in PyTorch
# (the venv's PyTorch, whose libtorch Kiln links): the built-in CNN, Adam 1e-3,
# batch 64, shuffled, validated on the test images after every epoch.
# Usage: train_default.py EPOCHS [DATA_DIR]; prints "epoch N accuracy A" lines,
# then "seconds S" (training and validation, data loading left out).
import gzip
import sys
import time

import torch
from torch import nn

epochs = int(sys.argv[1])
data_dir = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/datasets/fashion-mnist"


def read(prefix, count):
    with gzip.open("%s/%s-images-idx3-ubyte.gz" % (data_dir, prefix)) as f:
        images = bytearray(f.read())
    with gzip.open("%s/%s-labels-idx1-ubyte.gz" % (data_dir, prefix)) as f:
        labels = bytearray(f.read())
    x = torch.frombuffer(images, dtype=torch.uint8, offset=16).view(count, 1, 28, 28).float() / 255.0
    y = torch.frombuffer(labels, dtype=torch.uint8, offset=8).long()
    return x, y


x, y = read("train", 60000)
test_x, test_y = read("t10k", 10000)
torch.manual_seed(1)
model = nn.Sequential(
    nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Dropout(0.25),
    nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Dropout(0.25),
    nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
started = time.perf_counter()
for epoch in range(1, epochs + 1):
    model.train()
    permutation = torch.randperm(len(x))
    for i in range(0, len(x), 64):
        index = permutation[i:i + 64]
        loss = nn.functional.cross_entropy(model(x[index]), y[index])
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(test_x[i:i + 1000]).argmax(1) == test_y[i:i + 1000]).sum().item()
                      for i in range(0, len(test_x), 1000))
    print("epoch %d accuracy %.4f" % (epoch, correct / len(test_x)), flush=True)
print("seconds %.2f" % (time.perf_counter() - started), flush=True)
