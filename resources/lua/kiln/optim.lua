-- optim: PyTorch's torch.optim in Lua. The per-parameter update is one native
-- call (torch._C.*_step) that makes the same ATen calls as PyTorch's
-- single-tensor implementation, so the Lua loop around it costs little.
local class = require("kiln.class")
local C = torch._C

local optim = {}
optim.lr_scheduler = {}

local Optimizer = class("Optimizer")
optim.Optimizer = Optimizer

local function copyTable(t)
  local result = {}
  for k, v in pairs(t) do result[k] = v end
  return result
end

-- params: an array of tensors, or an array of groups {params = {...}, lr = ...}.
function Optimizer:setup(params, defaults, options)
  assert(type(params) == "table", "optimizer: params must be a table of tensors or parameter groups")
  local settings = copyTable(defaults)
  for k, v in pairs(options or {}) do
    if settings[k] == nil then
      -- Kiln's optimizers are checked before they run (kiln/signatures.lua); this
      -- serves optimizers written in notebooks on Optimizer:setup.
      -- level 4: the line that called the optimizer's constructor
      error(string.format("%s: unknown option '%s'", self.__name, tostring(k)), 4)
    end
    settings[k] = v
  end
  self.defaults = settings
  self.param_groups = {}
  self.state = {}
  local groups = params
  if torch.is_tensor(params[1]) or #params == 0 then groups = { { params = params } } end
  for _, group in ipairs(groups) do
    local g = copyTable(group)
    g.params = {}
    for i, p in ipairs(group.params) do
      assert(torch.is_tensor(p), "optimizer: params must be tensors")
      g.params[i] = p
    end
    for k, v in pairs(settings) do
      if g[k] == nil then g[k] = v end
    end
    g.initial_lr = g.initial_lr or g.lr
    self.param_groups[#self.param_groups + 1] = g
  end
  if #self.param_groups == 1 and #self.param_groups[1].params == 0 then
    error(self.__name .. ": got an empty parameter list", 4)
  end
end

-- Gradients become nil (PyTorch's set_to_none), which is also the fastest.
function Optimizer:zero_grad(set_to_none)
  for _, group in ipairs(self.param_groups) do
    for _, p in ipairs(group.params) do
      if set_to_none == false then
        local g = p.grad
        if g ~= nil then g:zero_() end
      else
        p.grad = nil
      end
    end
  end
end

function Optimizer:stateFor(p)
  local s = self.state[p]
  if not s then
    s = {}
    self.state[p] = s
  end
  return s
end

-- PyTorch's layout: state keyed by the parameter's 0-based position over all
-- groups, groups listing those positions.
function Optimizer:state_dict()
  local state, groups, index = {}, {}, 0
  for gi, group in ipairs(self.param_groups) do
    local g = copyTable(group)
    g.params = {}
    for _, p in ipairs(group.params) do
      g.params[#g.params + 1] = index
      local s = self.state[p]
      if s then
        local copy = {}
        for k, v in pairs(s) do copy[k] = torch.is_tensor(v) and v:clone() or v end
        state[index] = copy
      end
      index = index + 1
    end
    groups[gi] = g
  end
  return { state = state, param_groups = groups }
end

function Optimizer:load_state_dict(saved)
  assert(type(saved) == "table" and saved.param_groups, "load_state_dict: not an optimizer state dict")
  if #saved.param_groups ~= #self.param_groups then
    error(string.format("load_state_dict: the state has %d parameter groups, the optimizer %d",
      #saved.param_groups, #self.param_groups), 2)
  end
  local index = 0
  for gi, group in ipairs(self.param_groups) do
    local savedGroup = saved.param_groups[gi]
    if #savedGroup.params ~= #group.params then
      error(string.format("load_state_dict: group %d has %d parameters in the state, %d in the optimizer",
        gi, #savedGroup.params, #group.params), 2)
    end
    for k, v in pairs(savedGroup) do
      if k ~= "params" then group[k] = v end
    end
    for i, p in ipairs(group.params) do
      local s = saved.state[savedGroup.params[i]] or saved.state[index]
      if s then
        local copy = {}
        for k, v in pairs(s) do copy[k] = torch.is_tensor(v) and v:clone() or v end
        self.state[p] = copy
      else
        self.state[p] = nil
      end
      index = index + 1
    end
  end
end

function Optimizer.__tostring(self)
  local lines = { self.__name .. " (" }
  for i, group in ipairs(self.param_groups) do
    lines[#lines + 1] = "Parameter Group " .. (i - 1)
    local keys = {}
    for k in pairs(group) do
      if k ~= "params" then keys[#keys + 1] = k end
    end
    table.sort(keys)
    for _, k in ipairs(keys) do
      local v = group[k]
      if type(v) == "table" then v = "(" .. table.concat(v, ", ") .. ")" end
      lines[#lines + 1] = "    " .. k .. ": " .. tostring(v)
    end
  end
  lines[#lines + 1] = ")"
  return table.concat(lines, "\n")
end

-- SGD(params, {lr = 1e-3, momentum = 0, dampening = 0, weight_decay = 0, nesterov = false, maximize = false})
local SGD = class("SGD", Optimizer)
optim.SGD = SGD
function SGD:init(params, options)
  self:setup(params, { lr = 1e-3, momentum = 0, dampening = 0, weight_decay = 0, nesterov = false,
    maximize = false }, options)
  for _, g in ipairs(self.param_groups) do
    if g.nesterov and (g.momentum <= 0 or g.dampening ~= 0) then
      error("SGD: nesterov momentum needs momentum > 0 and dampening = 0", 3)
    end
  end
end
function SGD:step(closure)
  local loss = closure and torch.enable_grad(closure)
  local sgdStep = C.sgd_step
  for _, g in ipairs(self.param_groups) do
    local lr, momentum, dampening, wd, nesterov, maximize =
      g.lr, g.momentum, g.dampening, g.weight_decay, g.nesterov, g.maximize
    for _, p in ipairs(g.params) do
      local grad = p.grad
      if grad ~= nil then
        local s = self.state[p]
        local buffer = sgdStep(p, grad, s and s.momentum_buffer, lr, momentum, dampening, wd, nesterov, maximize)
        if momentum ~= 0 then
          if not s then
            s = {}
            self.state[p] = s
          end
          s.momentum_buffer = buffer
        end
      end
    end
  end
  return loss
end

-- Adam/AdamW(params, {lr = 1e-3, betas = {0.9, 0.999}, eps = 1e-8, weight_decay = 0 (AdamW: 1e-2),
--   amsgrad = false, maximize = false, fused = nil, capturable = false})
-- On a GPU (or with fused or capturable) a group's update is one fused kernel,
-- with each step count a tensor on the parameter's device: few launches, and a
-- CUDA graph can capture it. On the CPU it is one native call per parameter.
local function adamClass(name, decoupled, defaultDecay)
  local Adam = class(name, Optimizer)
  function Adam:init(params, options)
    self:setup(params, { lr = 1e-3, betas = { 0.9, 0.999 }, eps = 1e-8, weight_decay = defaultDecay,
      amsgrad = false, maximize = false, fused = false, capturable = false, foreach = false }, options)
  end
  function Adam:fusedStep(g)
    local params, grads, avgs, avgSqs, maxSqs, steps = {}, {}, {}, {}, {}, {}
    for _, p in ipairs(g.params) do
      local grad = p.grad
      if grad ~= nil then
        local s = self.state[p]
        if not s then
          s = { step = torch.zeros({}, { device = p.device }), exp_avg = torch.zeros_like(p),
            exp_avg_sq = torch.zeros_like(p) }
          if g.amsgrad then s.max_exp_avg_sq = torch.zeros_like(p) end
          self.state[p] = s
        elseif not torch.is_tensor(s.step) then
          s.step = torch.full({}, s.step, { device = p.device })
        end
        local n = #params + 1
        params[n], grads[n], avgs[n], avgSqs[n], steps[n] = p, grad, s.exp_avg, s.exp_avg_sq, s.step
        maxSqs[n] = s.max_exp_avg_sq
      end
    end
    if #params > 0 then
      C.adam_fused(params, grads, avgs, avgSqs, g.amsgrad and maxSqs or nil, steps, g.lr, g.betas[1], g.betas[2],
        g.eps, g.weight_decay, g.amsgrad, decoupled, g.maximize)
    end
  end
  function Adam:step(closure)
    local loss = closure and torch.enable_grad(closure)
    local adamStep = C.adam_step
    for _, g in ipairs(self.param_groups) do
      local first = g.params[1]
      if g.fused or g.capturable or g.foreach or (first ~= nil and first.is_cuda) then
        self:fusedStep(g)
      else
        local lr, beta1, beta2, eps, wd, amsgrad, maximize =
          g.lr, g.betas[1], g.betas[2], g.eps, g.weight_decay, g.amsgrad, g.maximize
        for _, p in ipairs(g.params) do
          local grad = p.grad
          if grad ~= nil then
            local s = self.state[p]
            if not s then
              s = { step = 0, exp_avg = torch.zeros_like(p), exp_avg_sq = torch.zeros_like(p) }
              if amsgrad then s.max_exp_avg_sq = torch.zeros_like(p) end
              self.state[p] = s
            end
            local step = (torch.is_tensor(s.step) and s.step:item() or s.step) + 1
            s.step = step
            adamStep(p, grad, s.exp_avg, s.exp_avg_sq, s.max_exp_avg_sq, step, lr, beta1, beta2, eps, wd,
              amsgrad, decoupled, maximize)
          end
        end
      end
    end
    return loss
  end
  return Adam
end
optim.Adam = adamClass("Adam", false, 0)
optim.AdamW = adamClass("AdamW", true, 1e-2)

-- A state's step count as a number, advanced by one: PyTorch keeps it in a
-- 0-d tensor, which a loaded state brings along.
local function nextStep(s)
  local step = (torch.is_tensor(s.step) and s.step:item() or s.step or 0) + 1
  s.step = step
  return step
end

-- RMSprop(params, {lr = 1e-2, alpha = 0.99, eps = 1e-8, weight_decay = 0, momentum = 0, centered = false})
local RMSprop = class("RMSprop", Optimizer)
optim.RMSprop = RMSprop
function RMSprop:init(params, options)
  self:setup(params, { lr = 1e-2, alpha = 0.99, eps = 1e-8, weight_decay = 0, momentum = 0, centered = false,
    maximize = false }, options)
end
function RMSprop:step(closure)
  local loss = closure and torch.enable_grad(closure)
  for _, g in ipairs(self.param_groups) do
    for _, p in ipairs(g.params) do
      local grad = p.grad
      if grad ~= nil then
        local s = self.state[p]
        if not s then
          s = { step = 0, square_avg = torch.zeros_like(p) }
          if g.momentum > 0 then s.momentum_buffer = torch.zeros_like(p) end
          if g.centered then s.grad_avg = torch.zeros_like(p) end
          self.state[p] = s
        end
        nextStep(s)
        C.rmsprop_step(p, grad, s.square_avg, s.grad_avg, s.momentum_buffer, g.lr, g.alpha, g.eps,
          g.weight_decay, g.momentum, g.centered, g.maximize)
      end
    end
  end
  return loss
end


-- Optimizers written with tensor operations in PyTorch's single-tensor order
-- (torch/optim/*.py), so their steps match PyTorch's to rounding. `update(self,
-- group, p, grad, state)` runs under no_grad for each parameter with a gradient.
local function simpleOptimizer(name, defaults, newState, update)
  local Opt = class(name, Optimizer)
  optim[name] = Opt
  function Opt:init(params, options)
    self:setup(params, defaults, options)
  end
  function Opt:step(closure)
    local loss = closure and torch.enable_grad(closure)
    torch.no_grad(function()
      for _, g in ipairs(self.param_groups) do
        for _, p in ipairs(g.params) do
          local grad = p.grad
          if grad ~= nil then
            if g.maximize then grad = -grad end
            local s = self.state[p]
            if not s then
              s = newState(p, g)
              self.state[p] = s
            end
            update(g, p, grad, s, nextStep(s))
          end
        end
      end
    end)
    return loss
  end
  return Opt
end

-- Adagrad(params, {lr = 1e-2, lr_decay = 0, weight_decay = 0, initial_accumulator_value = 0, eps = 1e-10})
simpleOptimizer("Adagrad", { lr = 1e-2, lr_decay = 0, weight_decay = 0, initial_accumulator_value = 0, eps = 1e-10,
  maximize = false },
  function(p, g) return { step = 0, sum = torch.full_like(p, g.initial_accumulator_value) } end,
  function(g, p, grad, s, step)
    if g.weight_decay ~= 0 then grad = grad:add(p, { alpha = g.weight_decay }) end
    local clr = g.lr / (1 + (step - 1) * g.lr_decay)
    s.sum:addcmul_(grad, grad, { value = 1 })
    local std = s.sum:sqrt():add_(g.eps)
    p:addcdiv_(grad, std, { value = -clr })
  end)

-- Adadelta(params, {lr = 1, rho = 0.9, eps = 1e-6, weight_decay = 0})
simpleOptimizer("Adadelta", { lr = 1.0, rho = 0.9, eps = 1e-6, weight_decay = 0, maximize = false },
  function(p) return { step = 0, square_avg = torch.zeros_like(p), acc_delta = torch.zeros_like(p) } end,
  function(g, p, grad, s)
    if g.weight_decay ~= 0 then grad = grad:add(p, { alpha = g.weight_decay }) end
    s.square_avg:mul_(g.rho):addcmul_(grad, grad, { value = 1 - g.rho })
    local std = s.square_avg:add(g.eps):sqrt_()
    local delta = s.acc_delta:add(g.eps):sqrt_()
    delta:div_(std):mul_(grad)
    s.acc_delta:mul_(g.rho):addcmul_(delta, delta, { value = 1 - g.rho })
    p:add_(delta, { alpha = -g.lr })
  end)

-- Adamax(params, {lr = 2e-3, betas = {0.9, 0.999}, eps = 1e-8, weight_decay = 0})
simpleOptimizer("Adamax", { lr = 2e-3, betas = { 0.9, 0.999 }, eps = 1e-8, weight_decay = 0, maximize = false },
  function(p) return { step = 0, exp_avg = torch.zeros_like(p), exp_inf = torch.zeros_like(p) } end,
  function(g, p, grad, s, step)
    if g.weight_decay ~= 0 then grad = grad:add(p, { alpha = g.weight_decay }) end
    s.exp_avg:lerp_(grad, 1 - g.betas[1])
    s.exp_inf:copy_(torch.maximum(s.exp_inf:mul_(g.betas[2]), grad:abs():add_(g.eps)))
    local clr = g.lr / (1 - g.betas[1] ^ step)
    p:addcdiv_(s.exp_avg, s.exp_inf, { value = -clr })
  end)

-- NAdam(params, {lr = 2e-3, betas = {0.9, 0.999}, eps = 1e-8, weight_decay = 0,
-- momentum_decay = 4e-3, decoupled_weight_decay = false}); mu_product is a
-- float32 scalar tensor, as PyTorch keeps it, so the products round alike.
simpleOptimizer("NAdam", { lr = 2e-3, betas = { 0.9, 0.999 }, eps = 1e-8, weight_decay = 0, momentum_decay = 4e-3,
  decoupled_weight_decay = false, maximize = false },
  function(p)
    return { step = 0, mu_product = torch.ones({}), exp_avg = torch.zeros_like(p), exp_avg_sq = torch.zeros_like(p) }
  end,
  function(g, p, grad, s, step)
    local beta1, beta2 = g.betas[1], g.betas[2]
    local correction2 = 1 - beta2 ^ step
    if g.weight_decay ~= 0 then
      if g.decoupled_weight_decay then
        p:mul_(1 - g.lr * g.weight_decay)
      else
        grad = grad:add(p, { alpha = g.weight_decay })
      end
    end
    local mu = beta1 * (1 - 0.5 * 0.96 ^ (step * g.momentum_decay))
    local muNext = beta1 * (1 - 0.5 * 0.96 ^ ((step + 1) * g.momentum_decay))
    if not torch.is_tensor(s.mu_product) then s.mu_product = torch.full({}, s.mu_product) end
    s.mu_product:mul_(mu)
    s.exp_avg:lerp_(grad, 1 - beta1)
    s.exp_avg_sq:mul_(beta2):addcmul_(grad, grad, { value = 1 - beta2 })
    local denom = s.exp_avg_sq:div(correction2):sqrt():add_(g.eps)
    local product = s.mu_product:item()
    p:addcdiv_(grad, denom, { value = -g.lr * (1 - mu) / (1 - product) })
    p:addcdiv_(s.exp_avg, denom, { value = -g.lr * muNext / (1 - product * muNext) })
  end)

-- RAdam(params, {lr = 1e-3, betas = {0.9, 0.999}, eps = 1e-8, weight_decay = 0, decoupled_weight_decay = false})
simpleOptimizer("RAdam", { lr = 1e-3, betas = { 0.9, 0.999 }, eps = 1e-8, weight_decay = 0,
  decoupled_weight_decay = false, maximize = false },
  function(p) return { step = 0, exp_avg = torch.zeros_like(p), exp_avg_sq = torch.zeros_like(p) } end,
  function(g, p, grad, s, step)
    local beta1, beta2 = g.betas[1], g.betas[2]
    if g.weight_decay ~= 0 then
      if g.decoupled_weight_decay then
        p:mul_(1 - g.lr * g.weight_decay)
      else
        grad = grad:add(p, { alpha = g.weight_decay })
      end
    end
    s.exp_avg:lerp_(grad, 1 - beta1)
    s.exp_avg_sq:mul_(beta2):addcmul_(grad, grad, { value = 1 - beta2 })
    local correction1, correction2 = 1 - beta1 ^ step, 1 - beta2 ^ step
    local corrected = s.exp_avg / correction1
    local rhoInf = 2 / (1 - beta2) - 1
    local rho = rhoInf - 2 * step * beta2 ^ step / correction2
    if rho > 5 then
      local rect = ((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho)) ^ 0.5
      local adaptive = correction2 ^ 0.5 / s.exp_avg_sq:sqrt():add_(g.eps)
      p:add_(corrected * g.lr * adaptive * rect, { alpha = -1 })
    else
      p:add_(corrected * g.lr, { alpha = -1 })
    end
  end)

-- Rprop(params, {lr = 1e-2, etas = {0.5, 1.2}, step_sizes = {1e-6, 50}})
simpleOptimizer("Rprop", { lr = 1e-2, etas = { 0.5, 1.2 }, step_sizes = { 1e-6, 50 }, maximize = false },
  function(p, g) return { step = 0, prev = torch.zeros_like(p), step_size = torch.full_like(p, g.lr) } end,
  function(g, p, grad, s)
    local etaminus, etaplus = g.etas[1], g.etas[2]
    local sign = grad:mul(s.prev):sign()
    sign = torch.where(sign:gt(0), etaplus, sign)
    sign = torch.where(sign:lt(0), etaminus, sign)
    sign = torch.where(sign:eq(0), 1, sign)
    s.step_size:mul_(sign):clamp_(g.step_sizes[1], g.step_sizes[2])
    grad = torch.where(sign:eq(etaminus), 0, grad)
    p:addcmul_(grad:sign(), s.step_size, { value = -1 })
    s.prev:copy_(grad)
  end)
-- ---------------------------------------------------------------------------
-- Learning-rate schedules. Call scheduler:step() after optimizer:step(), once
-- per epoch (StepLR, CosineAnnealingLR) or once per batch (OneCycleLR).

local Scheduler = class("LRScheduler")
optim.lr_scheduler.LRScheduler = Scheduler

function Scheduler:setup(optimizer)
  assert(type(optimizer) == "table" and optimizer.param_groups, "scheduler: an optimizer expected")
  self.optimizer = optimizer
  self.base_lrs = {}
  for i, g in ipairs(optimizer.param_groups) do self.base_lrs[i] = g.initial_lr or g.lr end
  self.last_epoch = 0
  self:apply()
end

function Scheduler:apply()
  self._last_lr = {}
  for i, g in ipairs(self.optimizer.param_groups) do
    g.lr = self:lr_at(i, self.last_epoch)
    self._last_lr[i] = g.lr
  end
end

function Scheduler:step()
  self.last_epoch = self.last_epoch + 1
  self:apply()
end

function Scheduler:get_last_lr()
  return copyTable(self._last_lr)
end

function Scheduler:state_dict()
  return { last_epoch = self.last_epoch, base_lrs = copyTable(self.base_lrs) }
end

function Scheduler:load_state_dict(state)
  self.last_epoch = state.last_epoch
  self.base_lrs = copyTable(state.base_lrs)
  self:apply()
end

-- LBFGS(params, {lr = 1, max_iter = 20, max_eval = max_iter * 5 / 4, tolerance_grad = 1e-7,
-- tolerance_change = 1e-9, history_size = 100, line_search_fn = nil | "strong_wolfe"});
-- opt:step(closure) where closure() zeroes the gradients, computes the loss, calls
-- backward and returns the loss. PyTorch's algorithm step for step (its scalars
-- kept as float32 tensors, as PyTorch keeps them).
local LBFGS = class("LBFGS", Optimizer)
optim.LBFGS = LBFGS
function LBFGS:init(params, options)
  self:setup(params, { lr = 1, max_iter = 20, max_eval = false, tolerance_grad = 1e-7, tolerance_change = 1e-9,
    history_size = 100, line_search_fn = false }, options)
  local g = self.param_groups[1]
  if #self.param_groups ~= 1 then error("optim.LBFGS: one parameter group only", 3) end
  if g.max_eval == false then g.max_eval = g.max_iter * 5 // 4 end
  if g.line_search_fn and g.line_search_fn ~= "strong_wolfe" then
    error("optim.LBFGS: line_search_fn must be \"strong_wolfe\" or nil, got '" .. tostring(g.line_search_fn) .. "'", 3)
  end
end

-- The minimum of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2,
-- clamped to the bounds (the midpoint when the cubic has none).
local function cubicMinimum(x1, f1, g1, x2, f2, g2, low, high)
  if not low then low, high = math.min(x1, x2), math.max(x1, x2) end
  local d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
  local square = d1 * d1 - g1 * g2
  if square < 0 then return (low + high) / 2 end
  local d2 = math.sqrt(square)
  local position
  if x1 <= x2 then
    position = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
  else
    position = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
  end
  return math.min(math.max(position, low), high)
end

-- A step t along d meeting the strong Wolfe conditions (sufficient decrease c1,
-- curvature c2): first widen until a bracket holds one, then zoom into it by
-- cubic interpolation, within maxSearches evaluations. evaluate(t) returns the
-- loss and flat gradient at x + t d and puts the parameters back. Returns loss,
-- gradient, t and evaluations.
local function strongWolfe(evaluate, t, d, f, g, gtd, maxSearches)
  local c1, c2, tolChange = 1e-4, 0.9, 1e-9
  local dNorm = d:abs():max():item()
  local fNew, gNew = evaluate(t)
  local evals = 1
  local gtdNew = gNew:dot(d):item()
  local tPrev, fPrev, gPrev, gtdPrev = 0, f, g, gtd
  local done, searches = false, 0
  local bracket, bracketF, bracketG, bracketGtd
  while searches < maxSearches do
    if fNew > f + c1 * t * gtd or (searches > 1 and fNew >= fPrev) then
      bracket, bracketF, bracketG, bracketGtd = { tPrev, t }, { fPrev, fNew }, { gPrev, gNew:clone() }, { gtdPrev, gtdNew }
      break
    end
    if math.abs(gtdNew) <= -c2 * gtd then
      bracket, bracketF, bracketG, bracketGtd = { t }, { fNew }, { gNew }, { gtdNew }
      done = true
      break
    end
    if gtdNew >= 0 then
      bracket, bracketF, bracketG, bracketGtd = { tPrev, t }, { fPrev, fNew }, { gPrev, gNew:clone() }, { gtdPrev, gtdNew }
      break
    end
    local minStep, maxStep = t + 0.01 * (t - tPrev), t * 10
    local previous = t
    t = cubicMinimum(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep)
    tPrev, fPrev, gPrev, gtdPrev = previous, fNew, gNew:clone(), gtdNew
    fNew, gNew = evaluate(t)
    evals = evals + 1
    gtdNew = gNew:dot(d):item()
    searches = searches + 1
  end
  if searches == maxSearches then
    bracket, bracketF, bracketG, bracketGtd = { 0, t }, { f, fNew }, { g, gNew }, { gtd, gtdNew }
  end
  local insufficientProgress = false
  local low, high = 1, 2
  if bracketF[1] > bracketF[#bracketF] then low, high = 2, 1 end
  while not done and searches < maxSearches do
    if math.abs(bracket[2] - bracket[1]) * dNorm < tolChange then break end
    t = cubicMinimum(bracket[1], bracketF[1], bracketGtd[1], bracket[2], bracketF[2], bracketGtd[2])
    local top, bottom = math.max(bracket[1], bracket[2]), math.min(bracket[1], bracket[2])
    local eps = 0.1 * (top - bottom)
    if math.min(top - t, t - bottom) < eps then
      if insufficientProgress or t >= top or t <= bottom then
        t = math.abs(t - top) < math.abs(t - bottom) and top - eps or bottom + eps
        insufficientProgress = false
      else
        insufficientProgress = true
      end
    else
      insufficientProgress = false
    end
    fNew, gNew = evaluate(t)
    evals = evals + 1
    gtdNew = gNew:dot(d):item()
    searches = searches + 1
    if fNew > f + c1 * t * gtd or fNew >= bracketF[low] then
      bracket[high], bracketF[high], bracketG[high], bracketGtd[high] = t, fNew, gNew:clone(), gtdNew
      if bracketF[1] <= bracketF[2] then low, high = 1, 2 else low, high = 2, 1 end
    else
      if math.abs(gtdNew) <= -c2 * gtd then
        done = true
      elseif gtdNew * (bracket[high] - bracket[low]) >= 0 then
        bracket[high], bracketF[high], bracketG[high], bracketGtd[high] =
          bracket[low], bracketF[low], bracketG[low], bracketGtd[low]
      end
      bracket[low], bracketF[low], bracketG[low], bracketGtd[low] = t, fNew, gNew:clone(), gtdNew
    end
  end
  return bracketF[low], bracketG[low], bracket[low], evals
end

function LBFGS:flatGrad()
  local views = {}
  for i, p in ipairs(self.param_groups[1].params) do
    views[i] = p.grad ~= nil and p.grad:reshape(-1) or torch.zeros(p:numel(), { dtype = p.dtype })
  end
  return torch.cat(views, 0)
end

function LBFGS:addGrad(step, direction)
  local offset = 0
  torch.no_grad(function()
    for _, p in ipairs(self.param_groups[1].params) do
      local n = p:numel()
      p:add_(direction:narrow(0, offset, n):view_as(p), { alpha = step })
      offset = offset + n
    end
  end)
end

function LBFGS:step(closure)
  if type(closure) ~= "function" then error("opt:step: LBFGS needs a closure that returns the loss", 2) end
  local g = self.param_groups[1]
  local lr, maxIter, maxEval = g.lr, g.max_iter, g.max_eval
  local tolGrad, tolChange, historySize = g.tolerance_grad, g.tolerance_change, g.history_size
  local first = g.params[1]
  local state = self.state[first] or {}
  self.state[first] = state
  state.func_evals, state.n_iter = state.func_evals or 0, state.n_iter or 0
  local evaluate = function() return torch.enable_grad(closure) end
  local origLoss = evaluate()
  local loss = torch.is_tensor(origLoss) and origLoss:item() or origLoss
  local evals = 1
  state.func_evals = state.func_evals + 1
  local flat = self:flatGrad()
  if flat:abs():max():item() <= tolGrad then return origLoss end
  local d, t, dirs, stps, ro, hDiag = state.d, state.t, state.old_dirs, state.old_stps, state.ro, state.H_diag
  local prevFlat, prevLoss = state.prev_flat_grad, state.prev_loss
  local nIter = 0
  while nIter < maxIter do
    nIter = nIter + 1
    state.n_iter = state.n_iter + 1
    if state.n_iter == 1 then
      d, dirs, stps, ro, hDiag = flat:neg(), {}, {}, {}, 1
    else
      local y = flat:sub(prevFlat)
      local s = d:mul(t)
      local ys = y:dot(s)
      if ys:item() > 1e-10 then
        if #dirs == historySize then
          table.remove(dirs, 1); table.remove(stps, 1); table.remove(ro, 1)
        end
        dirs[#dirs + 1], stps[#stps + 1], ro[#ro + 1] = y, s, 1.0 / ys
        hDiag = ys / y:dot(y)
      end
      local al = {}
      local q = flat:neg()
      for i = #dirs, 1, -1 do
        al[i] = stps[i]:dot(q) * ro[i]
        q:add_(dirs[i], { alpha = -al[i]:item() })
      end
      d = torch.mul(q, hDiag)
      for i = 1, #dirs do
        local be = dirs[i]:dot(d) * ro[i]
        d:add_(stps[i], { alpha = (al[i] - be):item() })
      end
    end
    prevFlat = prevFlat and prevFlat:copy_(flat) or flat:clone()
    prevLoss = loss
    if state.n_iter == 1 then
      local inverse = 1.0 / flat:abs():sum()
      t = (inverse:item() < 1 and inverse or 1.0) * lr
    else
      t = lr
    end
    local gtd = flat:dot(d):item()
    if gtd > -tolChange then break end
    local step = torch.is_tensor(t) and t:item() or t
    local lsEvals = 0
    if g.line_search_fn == "strong_wolfe" then
      local start = {}
      for i, p in ipairs(g.params) do start[i] = p:detach():clone() end
      local function restore()
        torch.no_grad(function()
          for i, p in ipairs(g.params) do p:copy_(start[i]) end
        end)
      end
      local function along(tried)
        self:addGrad(tried, d)
        local value = evaluate()
        local gradient = self:flatGrad()
        restore()
        return torch.is_tensor(value) and value:item() or value, gradient
      end
      loss, flat, step, lsEvals = strongWolfe(along, step, d, loss, flat, gtd, maxEval - evals)
      t = step
      self:addGrad(step, d)
    else
      self:addGrad(step, d)
      if nIter ~= maxIter then
        local value = evaluate()
        loss = torch.is_tensor(value) and value:item() or value
        flat = self:flatGrad()
        lsEvals = 1
      end
    end
    evals = evals + lsEvals
    state.func_evals = state.func_evals + lsEvals
    if nIter == maxIter or evals >= maxEval or flat:abs():max():item() <= tolGrad then break end
    if d:mul(t):abs():max():item() <= tolChange or math.abs(loss - prevLoss) < tolChange then break end
  end
  state.d, state.t, state.old_dirs, state.old_stps, state.ro, state.H_diag = d, t, dirs, stps, ro, hDiag
  state.prev_flat_grad, state.prev_loss = prevFlat, prevLoss
  return origLoss
end

-- PyTorch's schedulers take their settings positionally or by name:
-- StepLR(opt, 30, 0.1) and StepLR(opt, {step_size = 30, gamma = 0.1}) are one.
local function settings(names, ...)
  local args = table.pack(...)
  local options = {}
  local last = args[args.n]
  if args.n > 0 and type(last) == "table" and getmetatable(last) == nil and last[1] == nil then
    for k, v in pairs(last) do options[k] = v end
    args.n = args.n - 1
  end
  for i = 1, args.n do
    if args[i] ~= nil then options[names[i]] = args[i] end
  end
  return options
end

local function required(options, scheduler, name)
  if options[name] == nil then error(scheduler .. ": " .. name .. " is required", 4) end
  return options[name]
end

-- StepLR(optimizer, step_size, gamma = 0.1)
local StepLR = class("StepLR", Scheduler)
optim.lr_scheduler.StepLR = StepLR
function StepLR:init(optimizer, ...)
  local options = settings({ "step_size", "gamma" }, ...)
  self.step_size = required(options, "StepLR", "step_size")
  self.gamma = options.gamma or 0.1
  self:setup(optimizer)
end
function StepLR:lr_at(i, epoch)
  return self.base_lrs[i] * self.gamma ^ (epoch // self.step_size)
end

-- MultiStepLR(optimizer, milestones, gamma = 0.1): times gamma at each milestone.
local MultiStepLR = class("MultiStepLR", Scheduler)
optim.lr_scheduler.MultiStepLR = MultiStepLR
function MultiStepLR:init(optimizer, ...)
  local options = settings({ "milestones", "gamma" }, ...)
  self.milestones = required(options, "MultiStepLR", "milestones")
  self.gamma = options.gamma or 0.1
  self:setup(optimizer)
end
function MultiStepLR:lr_at(i, epoch)
  local passed = 0
  for _, milestone in ipairs(self.milestones) do
    if epoch >= milestone then passed = passed + 1 end
  end
  return self.base_lrs[i] * self.gamma ^ passed
end

-- LinearLR(optimizer, start_factor = 1/3, end_factor = 1, total_iters = 5)
local LinearLR = class("LinearLR", Scheduler)
optim.lr_scheduler.LinearLR = LinearLR
function LinearLR:init(optimizer, ...)
  local options = settings({ "start_factor", "end_factor", "total_iters" }, ...)
  self.start_factor = options.start_factor or 1 / 3
  self.end_factor = options.end_factor or 1.0
  self.total_iters = options.total_iters or 5
  self:setup(optimizer)
end
function LinearLR:lr_at(i, epoch)
  local progress = math.min(self.total_iters, epoch) / self.total_iters
  return self.base_lrs[i] * (self.start_factor + (self.end_factor - self.start_factor) * progress)
end

-- ExponentialLR(optimizer, gamma)
local ExponentialLR = class("ExponentialLR", Scheduler)
optim.lr_scheduler.ExponentialLR = ExponentialLR
function ExponentialLR:init(optimizer, ...)
  self.gamma = required(settings({ "gamma" }, ...), "ExponentialLR", "gamma")
  self:setup(optimizer)
end
function ExponentialLR:lr_at(i, epoch) return self.base_lrs[i] * self.gamma ^ epoch end

-- SequentialLR(optimizer, schedulers, milestones): schedulers[i + 1] takes over at
-- epoch milestones[i], starting from its own epoch 0.
local SequentialLR = class("SequentialLR", Scheduler)
optim.lr_scheduler.SequentialLR = SequentialLR
function SequentialLR:init(optimizer, ...)
  local options = settings({ "schedulers", "milestones" }, ...)
  self.schedulers = required(options, "SequentialLR", "schedulers")
  self.milestones = required(options, "SequentialLR", "milestones")
  if #self.milestones ~= #self.schedulers - 1 then
    error(string.format("SequentialLR: %d schedulers need %d milestones, got %d", #self.schedulers,
      #self.schedulers - 1, #self.milestones), 3)
  end
  self.optimizer = optimizer
  self.last_epoch = 0
  for _, g in ipairs(optimizer.param_groups) do g.lr = g.initial_lr or g.lr end
  self.schedulers[1].last_epoch = 0
  self.schedulers[1]:apply()
  self._last_lr = self.schedulers[1]:get_last_lr()
end
function SequentialLR:step()
  self.last_epoch = self.last_epoch + 1
  local index = 1
  for _, milestone in ipairs(self.milestones) do
    if self.last_epoch >= milestone then index = index + 1 end
  end
  local scheduler = self.schedulers[index]
  if index > 1 and self.milestones[index - 1] == self.last_epoch then
    scheduler.last_epoch = 0
    scheduler:apply()
  else
    scheduler:step()
  end
  self._last_lr = scheduler:get_last_lr()
end
function SequentialLR:lr_at(i) return self._last_lr[i] end
function SequentialLR:state_dict()
  local states = {}
  for i, scheduler in ipairs(self.schedulers) do states[i] = scheduler:state_dict() end
  return { last_epoch = self.last_epoch, schedulers = states }
end

-- ReduceLROnPlateau(optimizer, mode = "min", factor = 0.1, patience = 10, threshold = 1e-4,
-- threshold_mode = "rel", cooldown = 0, min_lr = 0, eps = 1e-8); sched:step(metric).
local ReduceLROnPlateau = class("ReduceLROnPlateau")
optim.lr_scheduler.ReduceLROnPlateau = ReduceLROnPlateau
function ReduceLROnPlateau:init(optimizer, ...)
  assert(type(optimizer) == "table" and optimizer.param_groups, "ReduceLROnPlateau: an optimizer expected")
  local o = settings({ "mode", "factor", "patience", "threshold", "threshold_mode", "cooldown", "min_lr", "eps" }, ...)
  self.optimizer = optimizer
  self.mode, self.factor, self.patience = o.mode or "min", o.factor or 0.1, o.patience or 10
  self.threshold, self.threshold_mode = o.threshold or 1e-4, o.threshold_mode or "rel"
  self.cooldown, self.min_lr, self.eps = o.cooldown or 0, o.min_lr or 0, o.eps or 1e-8
  if self.factor >= 1 then error("ReduceLROnPlateau: factor should be < 1.0", 3) end
  if self.mode ~= "min" and self.mode ~= "max" then error("ReduceLROnPlateau: mode must be 'min' or 'max'", 3) end
  self.best = self.mode == "min" and math.huge or -math.huge
  self.num_bad_epochs, self.cooldown_counter, self.last_epoch = 0, 0, 0
  self._last_lr = {}
  for i, g in ipairs(optimizer.param_groups) do self._last_lr[i] = g.lr end
end
function ReduceLROnPlateau:is_better(value)
  local rel, t = self.threshold_mode == "rel", self.threshold
  if self.mode == "min" then
    return rel and value < self.best * (1 - t) or (not rel and value < self.best - t)
  end
  return rel and value > self.best * (t + 1) or (not rel and value > self.best + t)
end
function ReduceLROnPlateau:step(metric)
  local value = torch.is_tensor(metric) and metric:item() or metric
  if type(value) ~= "number" then error("ReduceLROnPlateau:step: a number (the metric) expected", 2) end
  self.last_epoch = self.last_epoch + 1
  if self:is_better(value) then
    self.best, self.num_bad_epochs = value, 0
  else
    self.num_bad_epochs = self.num_bad_epochs + 1
  end
  if self.cooldown_counter > 0 then
    self.cooldown_counter = self.cooldown_counter - 1
    self.num_bad_epochs = 0
  end
  if self.num_bad_epochs > self.patience then
    for _, g in ipairs(self.optimizer.param_groups) do
      local new = math.max(g.lr * self.factor, self.min_lr)
      if g.lr - new > self.eps then g.lr = new end
    end
    self.cooldown_counter, self.num_bad_epochs = self.cooldown, 0
  end
  for i, g in ipairs(self.optimizer.param_groups) do self._last_lr[i] = g.lr end
end
function ReduceLROnPlateau:get_last_lr() return copyTable(self._last_lr) end

-- LambdaLR(optimizer, function(epoch) return factor end)
local LambdaLR = class("LambdaLR", Scheduler)
optim.lr_scheduler.LambdaLR = LambdaLR
function LambdaLR:init(optimizer, fn)
  self.lr_lambda = fn
  self:setup(optimizer)
end
function LambdaLR:lr_at(i, epoch) return self.base_lrs[i] * self.lr_lambda(epoch) end

-- CosineAnnealingLR(optimizer, T_max, eta_min = 0)
local CosineAnnealingLR = class("CosineAnnealingLR", Scheduler)
optim.lr_scheduler.CosineAnnealingLR = CosineAnnealingLR
function CosineAnnealingLR:init(optimizer, ...)
  local options = settings({ "T_max", "eta_min" }, ...)
  self.T_max = required(options, "CosineAnnealingLR", "T_max")
  self.eta_min = options.eta_min or 0
  self:setup(optimizer)
end
function CosineAnnealingLR:lr_at(i, epoch)
  return self.eta_min + (self.base_lrs[i] - self.eta_min) * (1 + math.cos(math.pi * epoch / self.T_max)) / 2
end

-- CyclicLR(optimizer, base_lr, max_lr, {step_size_up = 2000, step_size_down, mode =
-- "triangular", gamma = 1, scale_fn, scale_mode, cycle_momentum = true, base_momentum =
-- 0.8, max_momentum = 0.9}): the rate climbs from base_lr to max_lr in step_size_up
-- steps and back in step_size_down; step it once per batch. As in PyTorch, cycling
-- momentum (the default) sets an SGD optimizer's momentum even when it was 0.
local CyclicLR = class("CyclicLR", Scheduler)
optim.lr_scheduler.CyclicLR = CyclicLR
local cyclicModes = {
  triangular = { function() return 1 end, "cycle" },
  triangular2 = { function(x) return 1 / 2 ^ (x - 1) end, "cycle" },
}
function CyclicLR:init(optimizer, ...)
  local options = settings({ "base_lr", "max_lr", "step_size_up", "step_size_down", "mode", "gamma" }, ...)
  assert(type(optimizer) == "table" and optimizer.param_groups, "CyclicLR: an optimizer expected")
  local function perGroup(value, name)
    local list = {}
    for i = 1, #optimizer.param_groups do
      list[i] = type(value) == "table" and value[i] or value
      if type(list[i]) ~= "number" then error("CyclicLR: " .. name .. " must be a number or one per group", 4) end
    end
    return list
  end
  local baseLrs = perGroup(required(options, "CyclicLR", "base_lr"), "base_lr")
  self.max_lrs = perGroup(required(options, "CyclicLR", "max_lr"), "max_lr")
  local up = options.step_size_up or 2000
  local down = options.step_size_down or up
  self.total_size = up + down
  self.step_ratio = up / self.total_size
  self.mode, self.gamma = options.mode or "triangular", options.gamma or 1
  if options.scale_fn then
    self.scale_fn, self.scale_mode = options.scale_fn, options.scale_mode or "cycle"
  elseif self.mode == "exp_range" then
    local gamma = self.gamma
    self.scale_fn, self.scale_mode = function(x) return gamma ^ x end, "iterations"
  elseif cyclicModes[self.mode] then
    self.scale_fn, self.scale_mode = cyclicModes[self.mode][1], cyclicModes[self.mode][2]
  else
    error("CyclicLR: mode must be 'triangular', 'triangular2' or 'exp_range', got " .. tostring(self.mode), 3)
  end
  self.cycle_momentum = options.cycle_momentum ~= false
  if self.cycle_momentum then
    local first = optimizer.param_groups[1]
    if first.momentum == nil and first.betas == nil then
      error("CyclicLR: the optimizer has no momentum or betas to cycle; pass {cycle_momentum = false}", 3)
    end
    self.use_beta1 = first.betas ~= nil
    self.base_momentums = perGroup(options.base_momentum or 0.8, "base_momentum")
    self.max_momentums = perGroup(options.max_momentum or 0.9, "max_momentum")
  end
  for i, g in ipairs(optimizer.param_groups) do
    g.lr, g.initial_lr = baseLrs[i], baseLrs[i]
    if self.cycle_momentum then
      if self.use_beta1 then g.betas = { self.max_momentums[i], g.betas[2] } else g.momentum = self.max_momentums[i] end
    end
  end
  self:setup(optimizer)
end
function CyclicLR:apply()
  local epoch = self.last_epoch
  local cycle = math.floor(1 + epoch / self.total_size)
  local x = 1 + epoch / self.total_size - cycle
  local scale = x <= self.step_ratio and x / self.step_ratio or (x - 1) / (self.step_ratio - 1)
  local factor = self.scale_fn(self.scale_mode == "cycle" and cycle or epoch)
  self._last_lr = {}
  for i, g in ipairs(self.optimizer.param_groups) do
    g.lr = self.base_lrs[i] + (self.max_lrs[i] - self.base_lrs[i]) * scale * factor
    self._last_lr[i] = g.lr
    if self.cycle_momentum then
      local momentum = self.max_momentums[i] - (self.max_momentums[i] - self.base_momentums[i]) * scale * factor
      if self.use_beta1 then g.betas = { momentum, g.betas[2] } else g.momentum = momentum end
    end
  end
end
function CyclicLR:lr_at(i) return self._last_lr[i] end

-- OneCycleLR(optimizer, {max_lr, total_steps | epochs + steps_per_epoch, pct_start = 0.3,
-- anneal_strategy = "cos", div_factor = 25, final_div_factor = 1e4, three_phase = false,
-- cycle_momentum = true, base_momentum = 0.85, max_momentum = 0.95})
local OneCycleLR = class("OneCycleLR", Scheduler)
optim.lr_scheduler.OneCycleLR = OneCycleLR
function OneCycleLR:init(optimizer, options)
  options = options or {}
  self.optimizer = optimizer
  local total = options.total_steps
  if not total then
    assert(options.epochs and options.steps_per_epoch, "OneCycleLR: total_steps, or epochs and steps_per_epoch, required")
    total = options.epochs * options.steps_per_epoch
  end
  self.total_steps = total
  local maxLr = assert(options.max_lr, "OneCycleLR: max_lr is required")
  local div, finalDiv = options.div_factor or 25, options.final_div_factor or 1e4
  local pct = options.pct_start or 0.3
  self.anneal = (options.anneal_strategy or "cos") == "cos"
    and function(s, e, p) return e + (s - e) / 2 * (math.cos(math.pi * p) + 1) end
    or function(s, e, p) return (e - s) * p + s end
  self.groups = {}
  local cycleMomentum = options.cycle_momentum ~= false
  for i, g in ipairs(optimizer.param_groups) do
    local groupMax = type(maxLr) == "table" and maxLr[i] or maxLr
    local initial = groupMax / div
    local info = { initial = initial, max = groupMax, min = initial / finalDiv }
    if cycleMomentum then
      info.useBetas = g.betas ~= nil
      if info.useBetas or (g.momentum or 0) > 0 then
        info.base_momentum = options.base_momentum or 0.85
        info.max_momentum = options.max_momentum or 0.95
      end
    end
    self.groups[i] = info
    g.initial_lr = initial
  end
  if options.three_phase then
    self.phases = {
      { finish = pct * total - 1, lr = { "initial", "max" }, momentum = { "max_momentum", "base_momentum" } },
      { finish = 2 * pct * total - 2, lr = { "max", "initial" }, momentum = { "base_momentum", "max_momentum" } },
      { finish = total - 1, lr = { "initial", "min" }, momentum = { "max_momentum", "max_momentum" } },
    }
  else
    self.phases = {
      { finish = pct * total - 1, lr = { "initial", "max" }, momentum = { "max_momentum", "base_momentum" } },
      { finish = total - 1, lr = { "max", "min" }, momentum = { "base_momentum", "max_momentum" } },
    }
  end
  self.base_lrs = {}
  for i, info in ipairs(self.groups) do self.base_lrs[i] = info.initial end
  self.last_epoch = 0
  self:apply()
end
function OneCycleLR:apply()
  local step = self.last_epoch
  if step > self.total_steps then
    error(string.format("OneCycleLR: stepped %d times, more than total_steps = %d", step, self.total_steps), 3)
  end
  self._last_lr = {}
  for i, g in ipairs(self.optimizer.param_groups) do
    local info = self.groups[i]
    local start = 0
    local lr, momentum
    for index, phase in ipairs(self.phases) do
      if step <= phase.finish or index == #self.phases then
        local pct = (step - start) / (phase.finish - start)
        lr = self.anneal(info[phase.lr[1]], info[phase.lr[2]], pct)
        if info.base_momentum then
          momentum = self.anneal(info[phase.momentum[1]], info[phase.momentum[2]], pct)
        end
        break
      end
      start = phase.finish
    end
    g.lr = lr
    if momentum then
      if info.useBetas then g.betas = { momentum, g.betas[2] } else g.momentum = momentum end
    end
    self._last_lr[i] = lr
  end
end
function OneCycleLR:lr_at(i) return self._last_lr[i] end

-- opt.step() (a dot for a colon) names the mistake, for optimizers and schedulers.
local function receiverChecked(base, label)
  local function isInstance(value)
    local mt = type(value) == "table" and getmetatable(value)
    while type(mt) == "table" do
      if mt == base then return true end
      mt = mt.super
    end
    return false
  end
  return function(cls)
    for name, method in pairs(cls) do
      if type(method) == "function" and not name:find("^__") and name ~= "init" then
        cls[name] = function(self, ...)
          if not isInstance(self) then
            error(string.format("%s:%s: call it with a colon, %s:%s(...) (got %s)", label, name, label, name,
              self == nil and "nothing" or type(self)), 2)
          end
          return method(self, ...)
        end
      end
    end
  end
end
local checkOptimizer = receiverChecked(Optimizer, "opt")
local checkScheduler = receiverChecked(Scheduler, "sched")
for _, cls in pairs(optim) do
  if type(cls) == "table" and cls ~= optim.lr_scheduler and rawget(cls, "__index") == cls then checkOptimizer(cls) end
end
for name, cls in pairs(optim.lr_scheduler) do
  if type(cls) == "table" and rawget(cls, "__index") == cls and name ~= "ReduceLROnPlateau" then checkScheduler(cls) end
end

_G.optim = optim
return optim
