import sys, torch
from torch import nn
d = sys.argv[1]
initial = torch.load(d + "/initial.pt")
batch = torch.load(d + "/batch.pt")
x, y = batch["x"], batch["y"]
def new_model():
    m = nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 3))
    m.load_state_dict(initial)
    return m
configs = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-3),
    "sgd_plain": lambda p: torch.optim.SGD(p, lr=0.05),
    "adam": lambda p: torch.optim.Adam(p, lr=1e-2, weight_decay=1e-2, amsgrad=True),
    "adamw": lambda p: torch.optim.AdamW(p, lr=1e-2, betas=(0.8, 0.99)),
    "rmsprop": lambda p: torch.optim.RMSprop(p, lr=1e-2, momentum=0.5, centered=True, weight_decay=1e-3),
}
schedules = {
    "sgd": lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5),
    "adam": lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=0.05, total_steps=10),
    "rmsprop": lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=1e-4),
}
results = {}
for name in ["sgd", "sgd_plain", "adam", "adamw", "rmsprop"]:
    model = new_model()
    opt = configs[name](model.parameters())
    schedule = schedules[name](opt) if name in schedules else None
    lrs = []
    for step in range(10):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if schedule:
            schedule.step()
        lrs.append(opt.param_groups[0]["lr"])
    for key, value in model.state_dict().items():
        results[name + "." + key] = value
    results[name + ".lr"] = torch.tensor(lrs, dtype=torch.float64)
torch.save(results, d + "/python_optimizers.pt")
