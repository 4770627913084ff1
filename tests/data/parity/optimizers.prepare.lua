-- Ten training steps of a small MLP under each optimizer (and schedule), from
-- one saved initial state; optimizers.py repeats them in PyTorch.
torch.manual_seed(0)
local function newModel()
  return nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 3))
end
local initial = newModel():state_dict()
local x = torch.randn(32, 5)
local y = torch.randint(0, 3, {32})
torch.save(initial, DIR .. "initial.pt")
torch.save({x = x, y = y}, DIR .. "batch.pt")

local configs = {
  sgd = function(p) return optim.SGD(p, {lr = 0.1, momentum = 0.9, nesterov = true, weight_decay = 1e-3}) end,
  sgd_plain = function(p) return optim.SGD(p, {lr = 0.05}) end,
  adam = function(p) return optim.Adam(p, {lr = 1e-2, weight_decay = 1e-2, amsgrad = true}) end,
  adamw = function(p) return optim.AdamW(p, {lr = 1e-2, betas = {0.8, 0.99}}) end,
  rmsprop = function(p) return optim.RMSprop(p, {lr = 1e-2, momentum = 0.5, centered = true, weight_decay = 1e-3}) end,
}
local schedules = {
  sgd = function(o) return optim.lr_scheduler.StepLR(o, {step_size = 3, gamma = 0.5}) end,
  adam = function(o) return optim.lr_scheduler.OneCycleLR(o, {max_lr = 0.05, total_steps = 10}) end,
  rmsprop = function(o) return optim.lr_scheduler.CosineAnnealingLR(o, {T_max = 10, eta_min = 1e-4}) end,
}
local results = require("kiln.ordered").new()
for _, name in ipairs({"sgd", "sgd_plain", "adam", "adamw", "rmsprop"}) do
  local model = newModel()
  model:load_state_dict(initial)
  local opt = configs[name](model:parameters())
  local schedule = schedules[name] and schedules[name](opt)
  local lrs = {}
  for step = 1, 10 do
    local loss = F.cross_entropy(model(x), y)
    opt:zero_grad()
    loss:backward()
    opt:step()
    if schedule then schedule:step() end
    lrs[step] = opt.param_groups[1].lr
  end
  for key, value in pairs(model:state_dict()) do results[name .. "." .. key] = value end
  results[name .. ".lr"] = torch.tensor(lrs, {dtype = torch.float64})
end
torch.save(results, DIR .. "kiln_optimizers.pt")
