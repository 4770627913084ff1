-- Kiln's schedulers give PyTorch's learning rates (scheduler_reference.py).
local expected = dofile(DIR .. "schedulers.lua")
local S = optim.lr_scheduler
local configs = {
  step_positional = function(o) return S.StepLR(o, 3, 0.7) end,
  multistep = function(o) return S.MultiStepLR(o, {2, 5, 6}, 0.5) end,
  linear = function(o) return S.LinearLR(o, {start_factor = 0.25, total_iters = 4}) end,
  exponential = function(o) return S.ExponentialLR(o, 0.9) end,
  cosine = function(o) return S.CosineAnnealingLR(o, 5, 0.01) end,
  sequential = function(o)
    return S.SequentialLR(o, {S.LinearLR(o, {start_factor = 0.5, total_iters = 2}), S.ExponentialLR(o, 0.8)}, {3})
  end,
  cyclic = function(o) return S.CyclicLR(o, 0.01, 0.1, {step_size_up = 2, step_size_down = 3}) end,
  cyclic2 = function(o) return S.CyclicLR(o, 0.01, 0.1, 2, {mode = "triangular2"}) end,
  cyclic_exp = function(o) return S.CyclicLR(o, 0.01, 0.1, 3, {mode = "exp_range", gamma = 0.9, cycle_momentum = false}) end,
}
local function near(a, b) return math.abs(a - b) <= 1e-9 * math.max(1, math.abs(b)) end
for name, make in pairs(configs) do
  local opt = optim.SGD({torch.zeros(1, {requires_grad = true})}, {lr = 0.1})
  local sched = make(opt)
  local lrs = {opt.param_groups[1].lr}
  for _ = 1, 8 do
    opt:step()
    sched:step()
    lrs[#lrs + 1] = opt.param_groups[1].lr
  end
  for i, want in ipairs(expected[name]) do
    assert(near(lrs[i], want), string.format("%s: step %d gives %.10g, PyTorch %.10g", name, i - 1, lrs[i], want))
  end
end
local opt = optim.SGD({torch.zeros(1, {requires_grad = true})}, {lr = 0.1})
local plateau = S.ReduceLROnPlateau(opt, "min", 0.5, 1, {cooldown = 1, min_lr = 0.01})
for i, metric in ipairs({1.0, 0.9, 0.95, 0.96, 0.97, 0.97, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6}) do
  plateau:step(metric)
  assert(near(opt.param_groups[1].lr, expected.plateau[i]),
    string.format("plateau: step %d gives %.10g, PyTorch %.10g", i, opt.param_groups[1].lr, expected.plateau[i]))
end
for name, make in pairs({cyclic_sgd_momentum = function(p) return optim.SGD(p, {lr = 0.1}) end,
                         cyclic_adam_beta1 = function(p) return optim.Adam(p, {lr = 0.1}) end}) do
  local o = make({torch.zeros(1, {requires_grad = true})})
  local sched = S.CyclicLR(o, 0.01, 0.1, 2, {base_momentum = 0.7})
  local group = o.param_groups[1]
  local function momentum() return group.betas and group.betas[1] or group.momentum end
  local values = {momentum()}
  for _ = 1, 8 do
    o:step()
    sched:step()
    values[#values + 1] = momentum()
  end
  for i, want in ipairs(expected[name]) do
    assert(near(values[i], want), string.format("%s: step %d gives %.10g, PyTorch %.10g", name, i - 1, values[i], want))
  end
end
local ok, err = pcall(S.CyclicLR, optim.Adagrad({torch.zeros(1, {requires_grad = true})}), 0.01, 0.1)
assert(not ok and err:find("cycle_momentum = false", 1, true), err)
