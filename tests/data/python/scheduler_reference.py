"""Learning rates PyTorch's schedulers give, for Kiln's to match.

Usage: scheduler_reference.py DIR  -> DIR/schedulers.lua, a Lua table
{name = {lr after step 0, 1, ...}} for the configurations below.
"""
import sys
from pathlib import Path

import torch

CONFIGS = {
    "step_positional": lambda o: torch.optim.lr_scheduler.StepLR(o, 3, 0.7),
    "multistep": lambda o: torch.optim.lr_scheduler.MultiStepLR(o, [2, 5, 6], 0.5),
    "linear": lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=0.25, total_iters=4),
    "exponential": lambda o: torch.optim.lr_scheduler.ExponentialLR(o, 0.9),
    "cosine": lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, 5, 0.01),
    "sequential": lambda o: torch.optim.lr_scheduler.SequentialLR(
        o, [torch.optim.lr_scheduler.LinearLR(o, start_factor=0.5, total_iters=2),
            torch.optim.lr_scheduler.ExponentialLR(o, 0.8)], milestones=[3]),
    "cyclic": lambda o: torch.optim.lr_scheduler.CyclicLR(o, 0.01, 0.1, step_size_up=2, step_size_down=3),
    "cyclic2": lambda o: torch.optim.lr_scheduler.CyclicLR(o, 0.01, 0.1, 2, mode="triangular2"),
    "cyclic_exp": lambda o: torch.optim.lr_scheduler.CyclicLR(o, 0.01, 0.1, 3, mode="exp_range", gamma=0.9,
                                                              cycle_momentum=False),
}
# ReduceLROnPlateau is driven by this metric sequence.
PLATEAU_METRICS = [1.0, 0.9, 0.95, 0.96, 0.97, 0.97, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6]


def main():
    lines = ["return {"]
    for name, make in CONFIGS.items():
        opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
        sched = make(opt)
        lrs = [opt.param_groups[0]["lr"]]
        for _ in range(8):
            opt.step()
            sched.step()
            lrs.append(opt.param_groups[0]["lr"])
        lines.append(f"  {name} = {{{', '.join(repr(float(v)) for v in lrs)}}},")
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, "min", 0.5, 1, cooldown=1, min_lr=0.01)
    lrs = []
    for metric in PLATEAU_METRICS:
        sched.step(metric)
        lrs.append(opt.param_groups[0]["lr"])
    lines.append(f"  plateau = {{{', '.join(repr(float(v)) for v in lrs)}}},")
    # CyclicLR cycles SGD's momentum (set to max_momentum even from 0) and Adam's beta1.
    for name, make in {"cyclic_sgd_momentum": lambda p: torch.optim.SGD(p, lr=0.1),
                       "cyclic_adam_beta1": lambda p: torch.optim.Adam(p, lr=0.1)}.items():
        opt = make([torch.zeros(1, requires_grad=True)])
        sched = torch.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1, 2, base_momentum=0.7)
        group = opt.param_groups[0]
        values = [group["momentum"] if "momentum" in group else group["betas"][0]]
        for _ in range(8):
            opt.step()
            sched.step()
            values.append(group["momentum"] if "momentum" in group else group["betas"][0])
        lines.append(f"  {name} = {{{', '.join(repr(float(v)) for v in values)}}},")
    lines.append("}")
    (Path(sys.argv[1]) / "schedulers.lua").write_text("\n".join(lines) + "\n")
    print("ok")


if __name__ == "__main__":
    main()
