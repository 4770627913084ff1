-- torch.amp.GradScaler: loss scaling for float16 training, as PyTorch's. The
-- scale and the inf check stay on the device; only step() reads one number back.
local class = require("kiln.class")
local C = torch._C

local GradScaler = class("GradScaler")

-- GradScaler(device = "cuda", {init_scale = 65536, growth_factor = 2, backoff_factor = 0.5,
--   growth_interval = 2000, enabled = true})
function GradScaler:init(device, options)
  if type(device) == "table" and options == nil then device, options = nil, device end
  options = options or {}
  self.device = device or "cuda"
  self.enabled = options.enabled ~= false
  self.init_scale = options.init_scale or 2.0 ^ 16
  self.growth_factor = options.growth_factor or 2.0
  self.backoff_factor = options.backoff_factor or 0.5
  self.growth_interval = options.growth_interval or 2000
  self._per_optimizer = {}
end

function GradScaler:_lazyInit(device)
  if self._scale == nil then
    self._scale = torch.full({}, self.init_scale, { dtype = torch.float32, device = device })
    self._growth_tracker = torch.zeros({}, { dtype = torch.int32, device = device })
  end
end

-- scaler:scale(loss) -> loss * scale (a tensor, or a table of tensors)
function GradScaler:scale(outputs)
  if not self.enabled then return outputs end
  if torch.is_tensor(outputs) then
    self:_lazyInit(outputs.device)
    return outputs * self._scale:to(outputs.device)
  end
  local scaled = {}
  for i, t in ipairs(outputs) do scaled[i] = self:scale(t) end
  return scaled
end

-- Divides the optimizer's gradients by the scale, in place, once per step.
function GradScaler:unscale_(optimizer)
  if not self.enabled then return end
  local state = self._per_optimizer[optimizer]
  if state and state.unscaled then error("unscale_() has already been called on this optimizer since the last update()", 2) end
  if self._scale == nil then error("GradScaler: scale() was never called", 2) end
  local inv = self._scale:double():reciprocal():float()
  local found = torch.zeros({ 1 }, { device = self._scale.device })
  local grads = {}
  for _, group in ipairs(optimizer.param_groups) do
    for _, p in ipairs(group.params) do
      local g = p.grad
      if g ~= nil then grads[#grads + 1] = g end
    end
  end
  C.amp_unscale_(grads, found, inv)
  self._per_optimizer[optimizer] = { unscaled = true, found_inf = found }
end

-- Steps the optimizer unless a gradient overflowed; returns what step returned.
function GradScaler:step(optimizer, ...)
  if not self.enabled then return optimizer:step(...) end
  local state = self._per_optimizer[optimizer]
  if not (state and state.unscaled) then
    self:unscale_(optimizer)
    state = self._per_optimizer[optimizer]
  end
  state.stepped = true
  if state.found_inf:item() == 0 then return optimizer:step(...) end
end

-- Grows the scale after growth_interval clean steps, shrinks it after an overflow.
function GradScaler:update(new_scale)
  if not self.enabled or self._scale == nil then return end
  if new_scale ~= nil then
    self._scale:fill_(torch.is_tensor(new_scale) and new_scale:item() or new_scale)
  else
    local found = torch.zeros({ 1 }, { device = self._scale.device })
    for _, state in pairs(self._per_optimizer) do
      if state.found_inf then found = found + state.found_inf end
    end
    C.amp_update_scale_(self._scale, self._growth_tracker, found, self.growth_factor, self.backoff_factor,
      self.growth_interval)
  end
  self._per_optimizer = {}
end

function GradScaler:get_scale()
  if not self.enabled then return 1.0 end
  return self._scale and self._scale:item() or self.init_scale
end

function GradScaler:is_enabled() return self.enabled end

function GradScaler:state_dict()
  if not self.enabled then return {} end
  return { scale = self:get_scale(), growth_factor = self.growth_factor, backoff_factor = self.backoff_factor,
    growth_interval = self.growth_interval,
    _growth_tracker = self._growth_tracker and self._growth_tracker:item() or 0 }
end

torch.amp = torch.amp or {}
torch.amp.GradScaler = GradScaler
torch.amp.autocast = torch.autocast
torch.cuda.amp = { GradScaler = function(options) return GradScaler("cuda", options) end,
  autocast = function(options, ...) return torch.autocast("cuda", options, ...) end }

return GradScaler
