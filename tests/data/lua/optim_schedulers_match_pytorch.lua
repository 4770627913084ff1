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
