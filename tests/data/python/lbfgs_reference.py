"""LBFGS with the strong Wolfe line search in PyTorch, for Kiln's to match.

Usage: lbfgs_reference.py DIR -> DIR/lbfgs.pt: the start (a small regression net's
state dict and data) and, per case, the losses each step returned and the end state.
"""
import sys
from pathlib import Path

import torch

torch.manual_seed(3)
x = torch.randn(32, 3, dtype=torch.float64)
y = (x[:, :1] * 2 - x[:, 1:2] ** 2 + 0.1 * torch.randn(32, 1, dtype=torch.float64)).tanh()
net = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1)).double()
start = {k: v.clone() for k, v in net.state_dict().items()}
cases = {}
for name, settings in {"wolfe": dict(lr=1, max_iter=20, line_search_fn="strong_wolfe"),
                       "wolfe_history": dict(lr=0.5, max_iter=7, history_size=3, line_search_fn="strong_wolfe")}.items():
    net.load_state_dict(start)
    opt = torch.optim.LBFGS(net.parameters(), **settings)

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(net(x), y)
        loss.backward()
        return loss

    losses = [opt.step(closure).item() for _ in range(4)]
    state = opt.state[next(iter(net.parameters()))]
    cases[name] = {"losses": torch.tensor(losses, dtype=torch.float64), "end": {k: v.clone() for k, v in net.state_dict().items()},
                   "func_evals": state["func_evals"], "n_iter": state["n_iter"]}
torch.save({"x": x, "y": y, "start": start, "cases": cases}, Path(sys.argv[1]) / "lbfgs.pt")
print("ok")
