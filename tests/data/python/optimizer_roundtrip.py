"""Optimizer state across PyTorch and Kiln: SGD with momentum, Adam, AdamW,
RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam and Rprop.

Usage: optimizer_roundtrip.py DIR pytorch-first | kiln-first

pytorch-first: from fixed weights and data, 3 steps in PyTorch; writes
  DIR/opt-<name>-from-pytorch.pt ({model, optimizer}) for Kiln to resume and
  DIR/opt-<name>-six.pt, the weights after 6 PyTorch steps, to compare with.
kiln-first: reads DIR/opt-<name>-from-kiln.pt (3 steps in Kiln, from the same
  start), takes 3 more steps in PyTorch and checks the weights against 6 steps in
  PyTorch alone (1e-6).
"""
import sys
from pathlib import Path

import torch

OPTIMIZERS = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9),
    "adam": lambda p: torch.optim.Adam(p, lr=0.05),
    "adamw": lambda p: torch.optim.AdamW(p, lr=0.05, weight_decay=0.1),
    "rmsprop": lambda p: torch.optim.RMSprop(p, lr=0.01, momentum=0.5),
    "adagrad": lambda p: torch.optim.Adagrad(p, lr=0.1, lr_decay=0.01, weight_decay=0.05),
    "adadelta": lambda p: torch.optim.Adadelta(p, lr=1.0, weight_decay=0.01),
    "adamax": lambda p: torch.optim.Adamax(p, lr=0.02, weight_decay=0.01),
    "nadam": lambda p: torch.optim.NAdam(p, lr=0.02, weight_decay=0.01),
    "nadamw": lambda p: torch.optim.NAdam(p, lr=0.02, weight_decay=0.01, decoupled_weight_decay=True),
    "radam": lambda p: torch.optim.RAdam(p, lr=0.02, weight_decay=0.01),
    "rprop": lambda p: torch.optim.Rprop(p, lr=0.01),
}


def start():
    model = torch.nn.Linear(3, 2)
    with torch.no_grad():
        model.weight.copy_(torch.arange(6, dtype=torch.float32).view(2, 3) / 10 - 0.2)
        model.bias.copy_(torch.tensor([0.1, -0.1]))
    return model


def data():
    x = torch.arange(12, dtype=torch.float32).view(4, 3) / 5 - 1
    y = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.5, -0.5]])
    return x, y


def steps(model, opt, n):
    x, y = data()
    for _ in range(n):
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        opt.step()


def main():
    out, mode = Path(sys.argv[1]), sys.argv[2]
    for name, make in OPTIMIZERS.items():
        model = start()
        opt = make(model.parameters())
        if mode == "pytorch-first":
            steps(model, opt, 3)
            torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, out / f"opt-{name}-from-pytorch.pt")
            steps(model, opt, 3)
            torch.save(model.state_dict(), out / f"opt-{name}-six.pt")
        else:
            steps(model, opt, 6)
            resumed = start()
            resumed_opt = make(resumed.parameters())
            saved = torch.load(out / f"opt-{name}-from-kiln.pt")
            resumed.load_state_dict(saved["model"])
            resumed_opt.load_state_dict(saved["optimizer"])
            steps(resumed, resumed_opt, 3)
            for key, value in model.state_dict().items():
                difference = (resumed.state_dict()[key] - value).abs().max().item()
                if difference > 1e-6:
                    sys.exit(f"{name}: {key} differs by {difference} after 3 Kiln and 3 PyTorch steps")
    print("ok")


if __name__ == "__main__":
    main()
