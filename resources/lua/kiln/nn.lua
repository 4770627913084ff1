-- nn: PyTorch's torch.nn, in Lua. A module is a class with `init` and `forward`;
-- assigning a parameter (nn.Parameter) or a module to a field registers it, as
-- in PyTorch, so parameters(), state_dict() and friends find it. Registered
-- values live in plain fields (self.weight is one table lookup in forward);
-- only their names are kept, in order, beside them.
local class = require("kiln.class")
local ordered = require("kiln.ordered")
local C = torch._C

local nn = {}
nn.functional = F
nn.init = {}

local isParameter = C.is_parameter
local isTensor = torch.is_tensor
-- A TorchScript module held in a field is a child like any other (PyTorch allows
-- the same); it keeps its own parameters, so the walks below ask it for them.
local isScriptModule = torch.jit.is_script_module

-- ---------------------------------------------------------------------------
-- Module

local Module = class("Module")
nn.Module = Module

local function names(self, kind)
  local list = rawget(self, kind)
  if not list then
    list = {}
    rawset(self, kind, list)
  end
  return list
end

local function isModule(value)
  if type(value) ~= "table" then return false end
  local mt = getmetatable(value)
  while type(mt) == "table" do
    if mt == Module then return true end
    mt = mt.super
  end
  return false
end
nn.is_module = isModule

local function addName(list, name)
  for _, existing in ipairs(list) do
    if existing == name then return end
  end
  list[#list + 1] = name
end

-- New fields: parameters and modules register themselves; the rest is plain data.
function Module.__newindex(self, key, value)
  if type(key) == "string" then
    if isTensor(value) and isParameter(value) then
      addName(names(self, "_parameter_names"), key)
    elseif isModule(value) or isScriptModule(value) then
      addName(names(self, "_module_names"), key)
    end
  end
  rawset(self, key, value)
end

function Module.__call(self, ...)
  local forward = self.forward
  if not forward then
    error(string.format("%s has no forward method", self.__name or "Module"), 2)
  end
  return forward(self, ...)
end

function Module:init()
end

function Module:register_parameter(name, value)
  if value ~= nil and not isParameter(value) then value = nn.Parameter(value) end
  addName(names(self, "_parameter_names"), name)
  rawset(self, name, value)
end

function Module:register_buffer(name, tensor)
  addName(names(self, "_buffer_names"), name)
  rawset(self, name, tensor)
end

function Module:add_module(name, module)
  assert(module == nil or isModule(module) or isScriptModule(module), "add_module: not a module")
  addName(names(self, "_module_names"), name)
  rawset(self, name, module)
end
Module.register_module = Module.add_module

-- Iteration helpers; everything below walks these three lists in order.
local function eachOwn(self, kind)
  if isScriptModule(self) then
    if kind == "_parameter_names" then return self:named_parameters(true) end
    if kind == "_buffer_names" then return self:named_buffers(true) end
    return function() return nil end
  end
  local list = rawget(self, kind) or {}
  local i = 0
  return function()
    while true do
      i = i + 1
      local name = list[i]
      if name == nil then return nil end
      local value = rawget(self, name)
      if value ~= nil then return name, value end
    end
  end
end

local function walkModules(self, prefix, visit, seen)
  seen = seen or {}
  if seen[self] then return end
  seen[self] = true
  visit(prefix, self)
  for name, child in eachOwn(self, "_module_names") do
    walkModules(child, prefix == "" and name or (prefix .. "." .. name), visit, seen)
  end
end

local function collectNamed(self, kind, prefix, recurse)
  local result = {}
  local seen = {}
  local function visit(modulePrefix, module)
    for name, value in eachOwn(module, kind) do
      if not seen[value] then
        seen[value] = true
        result[#result + 1] = { modulePrefix == "" and name or (modulePrefix .. "." .. name), value }
      end
    end
  end
  if recurse == false then
    visit(prefix or "", self)
  else
    walkModules(self, prefix or "", visit)
  end
  return result
end

local function pairsIterator(list)
  local i = 0
  return function()
    i = i + 1
    local entry = list[i]
    if entry then return entry[1], entry[2] end
  end
end

-- for name, p in model:named_parameters() do ... end
function Module:named_parameters(prefix, recurse)
  return pairsIterator(collectNamed(self, "_parameter_names", prefix, recurse))
end

-- An array of the parameters, ready for an optimizer.
function Module:parameters(recurse)
  local result = {}
  for _, entry in ipairs(collectNamed(self, "_parameter_names", "", recurse)) do
    result[#result + 1] = entry[2]
  end
  return result
end

function Module:named_buffers(prefix, recurse)
  return pairsIterator(collectNamed(self, "_buffer_names", prefix, recurse))
end

function Module:buffers(recurse)
  local result = {}
  for _, entry in ipairs(collectNamed(self, "_buffer_names", "", recurse)) do
    result[#result + 1] = entry[2]
  end
  return result
end

function Module:named_children()
  local list = {}
  for name, child in eachOwn(self, "_module_names") do list[#list + 1] = { name, child } end
  return pairsIterator(list)
end

function Module:children()
  local result = {}
  for _, child in eachOwn(self, "_module_names") do result[#result + 1] = child end
  return result
end

function Module:named_modules(prefix)
  local list = {}
  walkModules(self, prefix or "", function(name, module) list[#list + 1] = { name, module } end)
  return pairsIterator(list)
end

function Module:modules()
  local result = {}
  walkModules(self, "", function(_, module) result[#result + 1] = module end)
  return result
end

function Module:apply(fn)
  for _, child in ipairs(self:children()) do
    if isScriptModule(child) then fn(child) else child:apply(fn) end
  end
  fn(self)
  return self
end

function Module:train(mode)
  if mode == nil then mode = true end
  walkModules(self, "", function(_, module)
    if isScriptModule(module) then module:train(mode and true or false)
    else rawset(module, "training", mode and true or false) end
  end)
  return self
end

function Module:eval()
  return self:train(false)
end

-- Modules start in training mode, as in PyTorch.
Module.training = true

function Module:zero_grad(set_to_none)
  for _, p in ipairs(self:parameters()) do
    if set_to_none == false then
      if p.grad ~= nil then p.grad:zero_() end
    else
      p.grad = nil
    end
  end
end

function Module:num_parameters(only_trainable)
  local count = 0
  for _, p in ipairs(self:parameters()) do
    if not only_trainable or p.requires_grad then count = count + p:numel() end
  end
  return count
end

-- Parameters then buffers of each module, parents before children: PyTorch's order.
function Module:state_dict(prefix)
  local result = ordered.new()
  walkModules(self, prefix or "", function(modulePrefix, module)
    local function add(name, value)
      result[modulePrefix == "" and name or (modulePrefix .. "." .. name)] = value:detach()
    end
    for name, p in eachOwn(module, "_parameter_names") do add(name, p) end
    for name, b in eachOwn(module, "_buffer_names") do
      if isScriptModule(module) or not (rawget(module, "_non_persistent") or {})[name] then add(name, b) end
    end
  end)
  return result
end

local function shapeString(t)
  return "[" .. table.concat(t:size(), ", ") .. "]"
end

-- Copies a state dict into the module. strict (the default) refuses missing or
-- unexpected keys; shape mismatches are always refused. The message lists them
-- all, so one attempt shows everything that is wrong.
function Module:load_state_dict(state, strict)
  if strict == nil then strict = true end
  assert(type(state) == "table", "load_state_dict: a table of tensors expected")
  local own = self:state_dict()
  local missing, unexpected, mismatched = {}, {}, {}
  for key in pairs(own) do
    if state[key] == nil then missing[#missing + 1] = key end
  end
  for key, value in pairs(state) do
    local target = own[key]
    if target == nil then
      unexpected[#unexpected + 1] = tostring(key)
    elseif not isTensor(value) then
      mismatched[#mismatched + 1] = string.format("%s: expected a tensor, got %s", key, type(value))
    elseif not (target.shape == value.shape) then
      mismatched[#mismatched + 1] = string.format("%s: checkpoint has shape %s, the model has %s",
        key, shapeString(value), shapeString(target))
    end
  end
  table.sort(missing)
  table.sort(unexpected)
  local problems = {}
  if strict and #missing > 0 then
    problems[#problems + 1] = "Missing key(s): " .. table.concat(missing, ", ")
  end
  if strict and #unexpected > 0 then
    problems[#problems + 1] = "Unexpected key(s): " .. table.concat(unexpected, ", ")
  end
  if #mismatched > 0 then
    problems[#problems + 1] = "Size mismatch: " .. table.concat(mismatched, "; ")
  end
  if #problems > 0 then
    -- a loaded TorchScript module is named as PyTorch names it, by its original class
    local name = isScriptModule(self) and tostring(self):match("original_name=([%w_]+)") or self.__name or "Module"
    error(string.format("Error(s) in loading state_dict for %s:\n  %s", name, table.concat(problems, "\n  ")), 2)
  end
  torch.no_grad(function()
    for key, target in pairs(own) do
      local value = state[key]
      if value ~= nil then target:copy_(value) end
    end
  end)
  return { missing_keys = missing, unexpected_keys = unexpected }
end

-- model:to(torch.float64): converts parameters and floating buffers in place.
-- model:to(dtype) converts floating-point parameters and buffers; model:to(device)
-- moves all of them (and their gradients), as PyTorch's Module.to does.
function Module:to(target, options)
  local isDtype = type(target) == "string" and target:match("^torch%.") ~= nil
  local device = not isDtype and torch.device(target) or nil
  local function convert(t)
    if device then return t:to(device, options) end
    if t:is_floating_point() then return t:to(target) end
    return t
  end
  walkModules(self, "", function(_, module)
    for name, p in eachOwn(module, "_parameter_names") do
      local grad = p.grad
      p.data = convert(p.data)
      if device and grad ~= nil then p.grad = grad:to(device, options) end
    end
    for name, b in eachOwn(module, "_buffer_names") do
      if isScriptModule(module) then b.data = convert(b.data) else rawset(module, name, convert(b)) end
    end
  end)
  return self
end
function Module:float() return self:to(torch.float32) end
function Module:double() return self:to(torch.float64) end
function Module:half() return self:to(torch.float16) end
function Module:bfloat16() return self:to(torch.bfloat16) end
function Module:cpu() return self:to("cpu") end
function Module:cuda(device) return self:to(device and (type(device) == "number" and "cuda:" .. device or device) or "cuda") end

function Module:extra_repr()
  return ""
end

-- PyTorch's repr: Name(extra) or Name(\n  (child): ...\n).
function Module:repr()
  local extra = self:extra_repr()
  local lines = {}
  for name, child in eachOwn(self, "_module_names") do
    local text = (isScriptModule(child) and tostring(child) or child:repr()):gsub("\n", "\n  ")
    lines[#lines + 1] = "  (" .. name .. "): " .. text
  end
  local head = (self.__name or "Module") .. "("
  if #lines == 0 then return head .. extra .. ")" end
  local body = extra ~= "" and ("  " .. extra .. "\n") or ""
  return head .. "\n" .. body .. table.concat(lines, "\n") .. "\n)"
end

local function groupDigits(n)
  local text = tostring(n)
  local result = text:reverse():gsub("(%d%d%d)", "%1,"):reverse()
  return (result:gsub("^,", ""))
end

function Module.__tostring(self)
  local total, trainable = 0, 0
  for _, p in ipairs(self:parameters()) do
    total = total + p:numel()
    if p.requires_grad then trainable = trainable + p:numel() end
  end
  local count = groupDigits(total) .. " parameters"
  if trainable ~= total then count = count .. " (" .. groupDigits(trainable) .. " trainable)" end
  return self:repr() .. "\n" .. count
end

-- Subclasses: local Net = nn.Module:extend("Net") or class("Net", nn.Module).
function Module:extend(name)
  return class(name, self)
end

function nn.Parameter(tensor, requires_grad)
  return C.parameter(tensor, requires_grad)
end

-- ---------------------------------------------------------------------------
-- Initialization (nn.init)

function nn.init.kaiming_uniform_(t, a) C.kaiming_uniform_(t, a or 0); return t end
function nn.init.xavier_uniform_(t, gain) C.xavier_uniform_(t, gain or 1); return t end
function nn.init.orthogonal_(t, gain) C.orthogonal_(t, gain or 1); return t end
function nn.init.zeros_(t) torch.no_grad(function() t:zero_() end); return t end
function nn.init.ones_(t) torch.no_grad(function() t:fill_(1) end); return t end
function nn.init.constant_(t, v) torch.no_grad(function() t:fill_(v) end); return t end
function nn.init.normal_(t, mean, std) torch.no_grad(function() t:normal_(mean or 0, std or 1) end); return t end
function nn.init.uniform_(t, a, b) torch.no_grad(function() t:uniform_(a or 0, b or 1) end); return t end

-- fan_in, fan_out of a weight, as torch.nn.init computes them.
local function fans(t)
  if t:dim() < 2 then error("nn.init: fan in and fan out need a tensor with at least 2 dims", 3) end
  local receptive = 1
  for d = 2, t:dim() - 1 do receptive = receptive * t:size(d) end
  return t:size(1) * receptive, t:size(0) * receptive
end

function nn.init.calculate_gain(nonlinearity, param)
  if nonlinearity == "linear" or nonlinearity == "sigmoid" or nonlinearity == nil
      or tostring(nonlinearity):find("^conv") then
    return 1
  elseif nonlinearity == "tanh" then
    return 5 / 3
  elseif nonlinearity == "relu" then
    return math.sqrt(2)
  elseif nonlinearity == "leaky_relu" then
    local slope = param or 0.01
    return math.sqrt(2 / (1 + slope * slope))
  elseif nonlinearity == "selu" then
    return 3 / 4
  end
  error("nn.init.calculate_gain: unsupported nonlinearity '" .. tostring(nonlinearity) .. "'", 2)
end

-- kaiming_normal_(t, a = 0, mode = "fan_in", nonlinearity = "leaky_relu"), or the same by name.
function nn.init.kaiming_normal_(t, a, mode, nonlinearity)
  if type(a) == "table" then a, mode, nonlinearity = a.a, a.mode, a.nonlinearity end
  local fanIn, fanOut = fans(t)
  local fan = (mode or "fan_in") == "fan_in" and fanIn or fanOut
  local std = nn.init.calculate_gain(nonlinearity or "leaky_relu", a or 0) / math.sqrt(fan)
  return nn.init.normal_(t, 0, std)
end

function nn.init.xavier_normal_(t, gain)
  local fanIn, fanOut = fans(t)
  return nn.init.normal_(t, 0, (gain or 1) * math.sqrt(2 / (fanIn + fanOut)))
end

function nn.init.eye_(t)
  if t:dim() ~= 2 then error("nn.init.eye_: a 2-D tensor expected", 2) end
  torch.no_grad(function() t:copy_(torch.eye(t:size(0), t:size(1), { dtype = t.dtype })) end)
  return t
end

-- Normal(mean, std) cut to [a, b], drawn as PyTorch draws it (uniform, then the
-- inverse normal CDF), so a seeded run gives PyTorch's numbers.
function nn.init.trunc_normal_(t, mean, std, a, b)
  if type(mean) == "table" then mean, std, a, b = mean.mean, mean.std, mean.a, mean.b end
  mean, std, a, b = mean or 0, std or 1, a or -2, b or 2
  local function normalCdf(x) return (1 + torch.tensor(x / math.sqrt(2), { dtype = torch.float64 }):erf():item()) / 2 end
  local low, high = normalCdf((a - mean) / std), normalCdf((b - mean) / std)
  torch.no_grad(function()
    t:uniform_(2 * low - 1, 2 * high - 1)
    t:erfinv_()
    t:mul_(std * math.sqrt(2))
    t:add_(mean)
    t:clamp_(a, b)
  end)
  return t
end

-- Convolution weights that pass their input through: 1 at the kernel's centre
-- from input channel d to output channel d (in each of `groups`).
function nn.init.dirac_(t, groups)
  groups = groups or 1
  local dims = t:dim()
  if dims < 3 or dims > 5 then error("nn.init.dirac_: a 3-, 4- or 5-D tensor expected", 2) end
  if t:size(0) % groups ~= 0 then error("nn.init.dirac_: dim 0 must be divisible by groups", 2) end
  local perGroup = t:size(0) // groups
  torch.no_grad(function()
    t:zero_()
    for g = 0, groups - 1 do
      for d = 0, math.min(perGroup, t:size(1)) - 1 do
        local index = { g * perGroup + d, d }
        for k = 2, dims - 1 do index[#index + 1] = t:size(k) // 2 end
        t[index] = 1
      end
    end
  end)
  return t
end

-- A 2-D weight drawn from Normal(0, std) with a `sparsity` share of each
-- column set to zero.
function nn.init.sparse_(t, sparsity, std)
  if t:dim() ~= 2 then error("nn.init.sparse_: a 2-D tensor expected", 2) end
  local rows, columns = t:size(0), t:size(1)
  local zeros = math.ceil(sparsity * rows)
  torch.no_grad(function()
    t:normal_(0, std or 0.01)
    for column = 0, columns - 1 do
      local picked = torch.randperm(rows):narrow(0, 0, zeros)
      t:select(1, column):index_fill_(0, picked, 0)
    end
  end)
  return t
end

-- PyTorch's default for Linear and Conv: kaiming_uniform(a=sqrt(5)) weights,
-- biases uniform in +-1/sqrt(fan_in).
local function resetLinearLike(weight, bias)
  C.kaiming_uniform_(weight, math.sqrt(5))
  if bias ~= nil then
    local fanIn = C.fan_in(weight)
    local bound = fanIn > 0 and 1 / math.sqrt(fanIn) or 0
    torch.no_grad(function() bias:uniform_(-bound, bound) end)
  end
end

-- ---------------------------------------------------------------------------
-- Layers

local function option(options, name, default)
  if type(options) == "table" and options[name] ~= nil then return options[name] end
  return default
end

local function pair(value)
  if type(value) == "table" then return value end
  return { value, value }
end

local function tupleString(value, n)
  if type(value) == "table" then
    -- Python writes a one-element tuple as (3,)
    return "(" .. table.concat(value, ", ") .. (#value == 1 and ",)" or ")")
  end
  if n then
    local items = {}
    for i = 1, n do items[i] = tostring(value) end
    return "(" .. table.concat(items, ", ") .. ")"
  end
  return tostring(value)
end

local function pyBool(value) return value and "True" or "False" end

-- Linear(in_features, out_features, {bias = true})
local Linear = class("Linear", Module)
nn.Linear = Linear
function Linear:init(in_features, out_features, options)
  self.in_features, self.out_features = in_features, out_features
  self.weight = nn.Parameter(torch.empty(out_features, in_features))
  if option(options, "bias", true) then
    self.bias = nn.Parameter(torch.empty(out_features))
  else
    self:register_parameter("bias", nil)
  end
  resetLinearLike(self.weight, rawget(self, "bias"))
end
function Linear:forward(x) return F.linear(x, self.weight, rawget(self, "bias")) end
function Linear:extra_repr()
  return string.format("in_features=%d, out_features=%d, bias=%s", self.in_features, self.out_features,
    pyBool(rawget(self, "bias") ~= nil))
end

nn.Identity = class("Identity", Module)
function nn.Identity:forward(x) return x end

-- Conv1d/Conv2d(in, out, kernel_size[, stride[, padding]][, {stride, padding, dilation, groups, bias}])
local function convClass(name, dims)
  local Conv = class(name, Module)
  function Conv:init(in_channels, out_channels, kernel_size, stride, padding, options)
    if type(stride) == "table" and padding == nil and options == nil and stride[1] == nil then
      options, stride = stride, nil
    elseif type(padding) == "table" and options == nil and padding[1] == nil then
      options, padding = padding, nil
    end
    self.in_channels, self.out_channels = in_channels, out_channels
    local function expand(v)
      if type(v) == "table" then return v end
      local t = {}
      for i = 1, dims do t[i] = v end
      return t
    end
    self.kernel_size = expand(kernel_size)
    self.stride = expand(stride or option(options, "stride", 1))
    local pad = padding or option(options, "padding", 0)
    self.padding = type(pad) == "string" and pad or expand(pad)
    self.dilation = expand(option(options, "dilation", 1))
    self.groups = option(options, "groups", 1)
    local shape = { out_channels, in_channels // self.groups }
    for i = 1, dims do shape[#shape + 1] = self.kernel_size[i] end
    self.weight = nn.Parameter(torch.empty(shape))
    if option(options, "bias", true) then
      self.bias = nn.Parameter(torch.empty(out_channels))
    else
      self:register_parameter("bias", nil)
    end
    resetLinearLike(self.weight, rawget(self, "bias"))
  end
  local functional = dims == 1 and F.conv1d or F.conv2d
  function Conv:forward(x)
    return functional(x, self.weight, rawget(self, "bias"),
      { stride = self.stride, padding = self.padding, dilation = self.dilation, groups = self.groups })
  end
  function Conv:extra_repr()
    local text = string.format("%d, %d, kernel_size=%s, stride=%s", self.in_channels, self.out_channels,
      tupleString(self.kernel_size), tupleString(self.stride))
    local padding = self.padding
    if type(padding) == "string" then
      text = text .. ", padding=" .. padding
    else
      for _, v in ipairs(padding) do
        if v ~= 0 then text = text .. ", padding=" .. tupleString(padding); break end
      end
    end
    for _, v in ipairs(self.dilation) do
      if v ~= 1 then text = text .. ", dilation=" .. tupleString(self.dilation); break end
    end
    if self.groups ~= 1 then text = text .. ", groups=" .. self.groups end
    if rawget(self, "bias") == nil then text = text .. ", bias=False" end
    return text
  end
  return Conv
end
nn.Conv1d = convClass("Conv1d", 1)
nn.Conv2d = convClass("Conv2d", 2)

-- MaxPool2d/AvgPool2d(kernel_size[, stride][, {padding, ...}])
local function poolClass(name, functional, isMax)
  local Pool = class(name, Module)
  function Pool:init(kernel_size, stride, options)
    if type(stride) == "table" and stride[1] == nil then options, stride = stride, nil end
    self.kernel_size = kernel_size
    self.stride = stride or option(options, "stride", kernel_size)
    self.padding = option(options, "padding", 0)
    self.dilation = option(options, "dilation", 1)
    self.ceil_mode = option(options, "ceil_mode", false)
    self.count_include_pad = option(options, "count_include_pad", true)
  end
  function Pool:forward(x)
    return functional(x, self.kernel_size, self.stride, { padding = self.padding, dilation = self.dilation,
      ceil_mode = self.ceil_mode, count_include_pad = self.count_include_pad })
  end
  function Pool:extra_repr()
    if isMax then
      return string.format("kernel_size=%s, stride=%s, padding=%s, dilation=%s, ceil_mode=%s",
        tupleString(self.kernel_size), tupleString(self.stride), tupleString(self.padding),
        tupleString(self.dilation), pyBool(self.ceil_mode))
    end
    return string.format("kernel_size=%s, stride=%s, padding=%s", tupleString(self.kernel_size),
      tupleString(self.stride), tupleString(self.padding))
  end
  return Pool
end
nn.MaxPool1d = poolClass("MaxPool1d", F.max_pool1d, true)
nn.MaxPool2d = poolClass("MaxPool2d", F.max_pool2d, true)
nn.AvgPool1d = poolClass("AvgPool1d", F.avg_pool1d, false)
nn.AvgPool2d = poolClass("AvgPool2d", F.avg_pool2d, false)

local function adaptiveClass(name, functional, dims)
  local Pool = class(name, Module)
  function Pool:init(output_size) self.output_size = output_size end
  function Pool:forward(x) return functional(x, self.output_size) end
  function Pool:extra_repr() return "output_size=" .. tupleString(self.output_size, dims) end
  return Pool
end
nn.AdaptiveAvgPool1d = adaptiveClass("AdaptiveAvgPool1d", F.adaptive_avg_pool1d)
nn.AdaptiveAvgPool2d = adaptiveClass("AdaptiveAvgPool2d", F.adaptive_avg_pool2d, 2)
nn.AdaptiveMaxPool2d = adaptiveClass("AdaptiveMaxPool2d", F.adaptive_max_pool2d, 2)

-- BatchNorm1d/2d(num_features, {eps, momentum, affine, track_running_stats})
local function batchNormClass(name, expectedDims)
  local BatchNorm = class(name, Module)
  function BatchNorm:init(num_features, options)
    self.num_features = num_features
    self.eps = option(options, "eps", 1e-5)
    self.momentum = option(options, "momentum", 0.1)
    self.affine = option(options, "affine", true)
    self.track_running_stats = option(options, "track_running_stats", true)
    if self.affine then
      self.weight = nn.Parameter(torch.ones(num_features))
      self.bias = nn.Parameter(torch.zeros(num_features))
    end
    if self.track_running_stats then
      self:register_buffer("running_mean", torch.zeros(num_features))
      self:register_buffer("running_var", torch.ones(num_features))
      self:register_buffer("num_batches_tracked", torch.tensor(0))
    end
  end
  function BatchNorm:forward(x)
    local dims = x:dim()
    local ok = false
    for _, d in ipairs(expectedDims) do ok = ok or d == dims end
    if not ok then
      error(string.format("%s: expected %s-D input, got %d-D", name, table.concat(expectedDims, " or "), dims), 2)
    end
    local training = self.training
    if training and self.track_running_stats then
      torch.no_grad(function() self.num_batches_tracked:add_(1) end)
    end
    local useBatchStats = training or not self.track_running_stats
    return F.batch_norm(x, rawget(self, "running_mean"), rawget(self, "running_var"), {
      weight = rawget(self, "weight"), bias = rawget(self, "bias"),
      training = useBatchStats, momentum = self.momentum, eps = self.eps })
  end
  function BatchNorm:extra_repr()
    return string.format("%d, eps=%s, momentum=%s, affine=%s, track_running_stats=%s", self.num_features,
      string.format("%g", self.eps):gsub("e%-0", "e-0"), tostring(self.momentum), pyBool(self.affine),
      pyBool(self.track_running_stats))
  end
  return BatchNorm
end
nn.BatchNorm1d = batchNormClass("BatchNorm1d", { 2, 3 })
nn.BatchNorm2d = batchNormClass("BatchNorm2d", { 4 })

-- LayerNorm(normalized_shape, {eps, elementwise_affine})
local LayerNorm = class("LayerNorm", Module)
nn.LayerNorm = LayerNorm
function LayerNorm:init(normalized_shape, options)
  if type(normalized_shape) ~= "table" then normalized_shape = { normalized_shape } end
  self.normalized_shape = normalized_shape
  self.eps = option(options, "eps", 1e-5)
  self.elementwise_affine = option(options, "elementwise_affine", true)
  if self.elementwise_affine then
    self.weight = nn.Parameter(torch.ones(normalized_shape))
    self.bias = nn.Parameter(torch.zeros(normalized_shape))
  end
end
function LayerNorm:forward(x)
  return F.layer_norm(x, self.normalized_shape, rawget(self, "weight"), rawget(self, "bias"), { eps = self.eps })
end
function LayerNorm:extra_repr()
  local shape = "(" .. table.concat(self.normalized_shape, ", ") .. (#self.normalized_shape == 1 and ",)" or ")")
  return string.format("%s, eps=%g, elementwise_affine=%s", shape, self.eps, pyBool(self.elementwise_affine))
end

-- Dropout(p): active in training mode only.
local Dropout = class("Dropout", Module)
nn.Dropout = Dropout
function Dropout:init(p, options)
  if type(p) == "table" then options, p = p, nil end
  self.p = p or option(options, "p", 0.5)
  assert(self.p >= 0 and self.p <= 1, "dropout probability must be between 0 and 1")
end
function Dropout:forward(x)
  if not self.training or self.p == 0 then return x end
  return F.dropout(x, self.p, true)
end
function Dropout:extra_repr() return string.format("p=%s, inplace=False", tostring(self.p)) end

-- Embedding(num_embeddings, embedding_dim, {padding_idx})
local Embedding = class("Embedding", Module)
nn.Embedding = Embedding
function Embedding:init(num_embeddings, embedding_dim, options)
  self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
  self.padding_idx = option(options, "padding_idx", nil)
  if self.padding_idx and self.padding_idx < 0 then self.padding_idx = self.padding_idx + num_embeddings end
  self.weight = nn.Parameter(torch.randn(num_embeddings, embedding_dim))
  if self.padding_idx then
    torch.no_grad(function() self.weight[self.padding_idx] = 0 end)
  end
end
function Embedding:forward(indices)
  return F.embedding(indices, self.weight, { padding_idx = self.padding_idx })
end
function Embedding:extra_repr()
  local text = string.format("%d, %d", self.num_embeddings, self.embedding_dim)
  if self.padding_idx then text = text .. ", padding_idx=" .. self.padding_idx end
  return text
end

-- LSTM/GRU(input_size, hidden_size, num_layers?, {num_layers, bias, batch_first, dropout,
-- bidirectional}); as in PyTorch every size may also be named in the options.
-- lstm(x[, {h0, c0}]) returns output, {h_n, c_n}; gru(x[, h0]) returns output, h_n.
local function rnnClass(name, gates)
  local RNN = class(name, Module)
  function RNN:init(input_size, hidden_size, num_layers, options)
    if type(input_size) == "table" and hidden_size == nil and num_layers == nil and options == nil then
      options, input_size = input_size, nil
    elseif type(hidden_size) == "table" and num_layers == nil and options == nil then
      options, hidden_size = hidden_size, nil
    elseif type(num_layers) == "table" and options == nil then
      options, num_layers = num_layers, nil
    end
    input_size = input_size or option(options, "input_size", nil)
    hidden_size = hidden_size or option(options, "hidden_size", nil)
    num_layers = num_layers or option(options, "num_layers", 1)
    for _, size in ipairs({ { "input_size", input_size }, { "hidden_size", hidden_size }, { "num_layers", num_layers } }) do
      if math.type(size[2]) ~= "integer" or size[2] < 1 then
        error(string.format("nn.%s: %s must be a positive integer, got %s", name, size[1],
          size[2] == nil and "nothing" or tostring(size[2])), 3)
      end
    end
    self.input_size, self.hidden_size = input_size, hidden_size
    self.num_layers = num_layers
    self.bias = option(options, "bias", true)
    self.batch_first = option(options, "batch_first", false)
    self.dropout = option(options, "dropout", 0)
    self.bidirectional = option(options, "bidirectional", false)
    if gates == 1 then
      self.nonlinearity = option(options, "nonlinearity", "tanh")
      if self.nonlinearity ~= "tanh" and self.nonlinearity ~= "relu" then
        error("nn.RNN: nonlinearity must be 'tanh' or 'relu', got " .. tostring(self.nonlinearity), 3)
      end
    end
    local directions = self.bidirectional and 2 or 1
    local bound = 1 / math.sqrt(hidden_size)
    self._flat = {}
    for layer = 0, self.num_layers - 1 do
      for direction = 0, directions - 1 do
        local suffix = "_l" .. layer .. (direction == 1 and "_reverse" or "")
        local layerInput = layer == 0 and input_size or hidden_size * directions
        local shapes = {
          { "weight_ih" .. suffix, { gates * hidden_size, layerInput } },
          { "weight_hh" .. suffix, { gates * hidden_size, hidden_size } },
        }
        if self.bias then
          shapes[3] = { "bias_ih" .. suffix, { gates * hidden_size } }
          shapes[4] = { "bias_hh" .. suffix, { gates * hidden_size } }
        end
        for _, entry in ipairs(shapes) do
          local p = nn.Parameter(torch.empty(entry[2]))
          torch.no_grad(function() p:uniform_(-bound, bound) end)
          self:register_parameter(entry[1], p)
          self._flat[#self._flat + 1] = entry[1]
        end
      end
    end
  end
  function RNN:flat_weights()
    local list = {}
    for i, paramName in ipairs(self._flat) do list[i] = rawget(self, paramName) end
    return list
  end
  -- A PackedSequence in gives a PackedSequence out; the states follow the
  -- caller's batch order, as in PyTorch.
  local function forwardPacked(self, packed, hx)
    local state = {}
    if hx then
      state = gates == 4 and { hx[1], hx[2] } or { hx }
      if packed.sorted_indices then
        for i, s in ipairs(state) do state[i] = s:index_select(1, packed.sorted_indices) end
      end
    end
    local kind = (gates == 1 and self.nonlinearity == "relu") and "RNN_RELU" or name
    local output, h, c = C.rnn(kind, packed.data, state, self:flat_weights(), self.bias, self.num_layers, self.dropout,
      self.training, self.bidirectional, false, packed.batch_sizes)
    if packed.unsorted_indices then
      h = h:index_select(1, packed.unsorted_indices)
      if c then c = c:index_select(1, packed.unsorted_indices) end
    end
    output = nn.utils.rnn.PackedSequence(output, packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices)
    if gates == 4 then return output, { h, c } end
    return output, h
  end
  function RNN:forward(x, hx)
    if getmetatable(x) == nn.utils.rnn.PackedSequence then return forwardPacked(self, x, hx) end
    local batched = x:dim() == 3
    if not batched then x = x:unsqueeze(self.batch_first and 0 or 1) end
    -- Without hx, C.rnn makes zero states itself (so a trace keeps the batch size free).
    local state = {}
    if gates == 4 and hx then
      state = { hx[1], hx[2] }
      if not batched then state = { state[1]:unsqueeze(1), state[2]:unsqueeze(1) } end
    elseif hx then
      state = { batched and hx or (hx:dim() == 2 and hx:unsqueeze(1) or hx) }
    end
    local kind = (gates == 1 and self.nonlinearity == "relu") and "RNN_RELU" or name
    local output, h, c = C.rnn(kind, x, state, self:flat_weights(), self.bias, self.num_layers, self.dropout,
      self.training, self.bidirectional, self.batch_first)
    if not batched then
      output = output:squeeze(self.batch_first and 0 or 1)
      h = h:squeeze(1)
      if c then c = c:squeeze(1) end
    end
    if gates == 4 then return output, { h, c } end
    return output, h
  end
  function RNN:extra_repr()
    local text = string.format("%d, %d", self.input_size, self.hidden_size)
    if self.num_layers ~= 1 then text = text .. ", num_layers=" .. self.num_layers end
    if not self.bias then text = text .. ", bias=False" end
    if self.batch_first then text = text .. ", batch_first=True" end
    if self.dropout ~= 0 then text = text .. ", dropout=" .. self.dropout end
    if self.bidirectional then text = text .. ", bidirectional=True" end
    return text
  end
  return RNN
end
nn.RNN = rnnClass("RNN", 1)
nn.LSTM = rnnClass("LSTM", 4)
nn.GRU = rnnClass("GRU", 3)

-- MultiheadAttention(embed_dim, num_heads, {dropout, bias, batch_first}), with
-- PyTorch's parameter names so its state dicts load.
local MultiheadAttention = class("MultiheadAttention", Module)
nn.MultiheadAttention = MultiheadAttention
function MultiheadAttention:init(embed_dim, num_heads, options)
  assert(embed_dim % num_heads == 0, "embed_dim must be divisible by num_heads")
  self.embed_dim, self.num_heads = embed_dim, num_heads
  self.head_dim = embed_dim // num_heads
  self.dropout = option(options, "dropout", 0)
  self.batch_first = option(options, "batch_first", false)
  self.in_proj_weight = nn.Parameter(torch.empty(3 * embed_dim, embed_dim))
  self.in_proj_bias = nn.Parameter(torch.zeros(3 * embed_dim))
  self.out_proj = nn.Linear(embed_dim, embed_dim)
  nn.init.xavier_uniform_(self.in_proj_weight)
  nn.init.zeros_(self.out_proj.bias)
end
-- Shapes come from tensor ops (unflatten/flatten with -1), never from sizes read
-- into Lua numbers, so a traced model runs at any batch size and sequence length.
function MultiheadAttention:forward(query, key, value, options)
  key, value = key or query, value or key or query
  if not self.batch_first then
    query, key, value = query:transpose(0, 1), key:transpose(0, 1), value:transpose(0, 1)
  end
  local w = self.in_proj_weight:chunk(3, 0)
  local b = self.in_proj_bias:chunk(3, 0)
  local heads, headDim = self.num_heads, self.head_dim
  local function project(x, i)
    -- [N, L, E] -> [N * heads, L, head_dim]
    return F.linear(x, w[i], b[i]):unflatten(-1, { heads, headDim }):transpose(1, 2):flatten(0, 1)
  end
  local q, k, v = project(query, 1), project(key, 2), project(value, 3)
  local scores = q:bmm(k:transpose(1, 2)) / math.sqrt(headDim)
  local mask = option(options, "attn_mask", nil)
  if mask ~= nil then
    if mask.dtype == torch.bool then
      scores = scores:masked_fill(mask, -math.huge)
    else
      scores = scores + mask
    end
  end
  local padding = option(options, "key_padding_mask", nil)
  if padding ~= nil then
    scores = scores:unflatten(0, { -1, heads })
      :masked_fill(padding:unsqueeze(1):unsqueeze(1), -math.huge)
      :flatten(0, 1)
  end
  local weights = F.softmax(scores, -1)
  if self.training and self.dropout > 0 then weights = F.dropout(weights, self.dropout, true) end
  -- [N * heads, T, head_dim] -> [N, T, E]
  local attended = weights:bmm(v):unflatten(0, { -1, heads }):transpose(1, 2):flatten(2)
  local output = self.out_proj(attended)
  if not self.batch_first then output = output:transpose(0, 1) end
  if option(options, "need_weights", true) then
    return output, weights:unflatten(0, { -1, heads }):mean(1)
  end
  return output
end

-- The parts both Transformer layers have, registered in PyTorch's order so its
-- state dicts load: the attentions, the feed-forward block, then a norm and a
-- dropout per sublayer.
local function initTransformerLayer(self, d_model, nhead, options, attentions, sublayers)
  local dropout = option(options, "dropout", 0.1)
  local eps = option(options, "layer_norm_eps", 1e-5)
  local feedForward = option(options, "dim_feedforward", 2048)
  for _, name in ipairs(attentions) do
    self[name] = nn.MultiheadAttention(d_model, nhead, { dropout = dropout, batch_first = option(options, "batch_first", false) })
  end
  self.linear1 = nn.Linear(d_model, feedForward)
  self.dropout = nn.Dropout(dropout)
  self.linear2 = nn.Linear(feedForward, d_model)
  self.norm_first = option(options, "norm_first", false)
  for i = 1, sublayers do self["norm" .. i] = nn.LayerNorm(d_model, { eps = eps }) end
  for i = 1, sublayers do self["dropout" .. i] = nn.Dropout(dropout) end
  local activation = option(options, "activation", "relu")
  self.activation_name = activation
  self.activation = activation == "gelu" and F.gelu or F.relu
end

-- TransformerEncoderLayer(d_model, nhead, {dim_feedforward = 2048, dropout = 0.1,
-- activation = "relu", batch_first = false, norm_first = false, layer_norm_eps = 1e-5})
local TransformerEncoderLayer = class("TransformerEncoderLayer", Module)
nn.TransformerEncoderLayer = TransformerEncoderLayer
function TransformerEncoderLayer:init(d_model, nhead, options)
  initTransformerLayer(self, d_model, nhead, options, { "self_attn" }, 2)
end
function TransformerEncoderLayer:forward(src, options)
  local attnOptions = { attn_mask = option(options, "src_mask", nil),
    key_padding_mask = option(options, "src_key_padding_mask", nil), need_weights = false }
  local function selfAttention(x) return self.dropout1(self.self_attn(x, x, x, attnOptions)) end
  local function feedForward(x)
    return self.dropout2(self.linear2(self.dropout(self.activation(self.linear1(x)))))
  end
  local x = src
  if self.norm_first then
    x = x + selfAttention(self.norm1(x))
    x = x + feedForward(self.norm2(x))
  else
    x = self.norm1(x + selfAttention(x))
    x = self.norm2(x + feedForward(x))
  end
  return x
end

-- TransformerDecoderLayer(d_model, nhead, {dim_feedforward = 2048, dropout = 0.1,
-- activation = "relu", batch_first = false, norm_first = false, layer_norm_eps = 1e-5}):
-- self-attention, attention over the encoder's memory, feed-forward; PyTorch's
-- submodule names, so its state dicts load.
local TransformerDecoderLayer = class("TransformerDecoderLayer", Module)
nn.TransformerDecoderLayer = TransformerDecoderLayer
function TransformerDecoderLayer:init(d_model, nhead, options)
  initTransformerLayer(self, d_model, nhead, options, { "self_attn", "multihead_attn" }, 3)
end
-- layer(tgt, memory, {tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask})
function TransformerDecoderLayer:forward(tgt, memory, options)
  local selfOptions = { attn_mask = option(options, "tgt_mask", nil),
    key_padding_mask = option(options, "tgt_key_padding_mask", nil), need_weights = false }
  local memoryOptions = { attn_mask = option(options, "memory_mask", nil),
    key_padding_mask = option(options, "memory_key_padding_mask", nil), need_weights = false }
  local function selfAttention(x) return self.dropout1(self.self_attn(x, x, x, selfOptions)) end
  local function crossAttention(x) return self.dropout2(self.multihead_attn(x, memory, memory, memoryOptions)) end
  local function feedForward(x)
    return self.dropout3(self.linear2(self.dropout(self.activation(self.linear1(x)))))
  end
  local x = tgt
  if self.norm_first then
    x = x + selfAttention(self.norm1(x))
    x = x + crossAttention(self.norm2(x))
    x = x + feedForward(self.norm3(x))
  else
    x = self.norm1(x + selfAttention(x))
    x = self.norm2(x + crossAttention(x))
    x = self.norm3(x + feedForward(x))
  end
  return x
end

-- A copy of a module with its own parameters and buffers, as Python's
-- copy.deepcopy gives: TransformerEncoder/Decoder stack copies of one layer.
local function deepcopy(value, memo)
  if isTensor(value) then
    if memo[value] then return memo[value] end
    local copy = isParameter(value) and nn.Parameter(value:detach():clone(), value.requires_grad) or value:clone()
    memo[value] = copy
    return copy
  end
  if isScriptModule(value) then
    error("a TorchScript module cannot be copied; build the layer in Lua", 3)
  end
  if type(value) ~= "table" then return value end
  local mt = getmetatable(value)
  -- classes and plain tables with their own metatable (ordered tables) are shared
  if not isModule(value) and mt ~= nil then return value end
  if memo[value] then return memo[value] end
  local copy = {}
  memo[value] = copy
  for k, v in next, value do rawset(copy, k, deepcopy(v, memo)) end
  return setmetatable(copy, mt)
end
function nn.deepcopy(module) return deepcopy(module, {}) end

local function cloneLayers(layer, count, who)
  if not isModule(layer) then error(who .. ": the first argument must be a layer module", 3) end
  if math.type(count) ~= "integer" or count < 1 then
    error(who .. ": num_layers must be a positive integer, got " .. tostring(count), 3)
  end
  local layers = nn.ModuleList()
  for _ = 1, count do layers:append(nn.deepcopy(layer)) end
  return layers
end

-- TransformerEncoder(encoder_layer, num_layers, {norm, enable_nested_tensor}) and
-- TransformerDecoder(decoder_layer, num_layers, {norm}): num_layers copies of the
-- layer (layers.0, layers.1, ...), then the norm if given.
local function layerStackClass(name)
  local Stack = class(name, Module)
  function Stack:init(layer, num_layers, options)
    self.layers = cloneLayers(layer, num_layers, "nn." .. name)
    self.num_layers = num_layers
    self.norm = option(options, "norm", nil)
  end
  return Stack
end
local TransformerEncoder = layerStackClass("TransformerEncoder")
nn.TransformerEncoder = TransformerEncoder
-- encoder(src, {mask, src_key_padding_mask, is_causal})
function TransformerEncoder:forward(src, options)
  local mask = option(options, "mask", nil)
  if mask == nil and option(options, "is_causal", false) then
    mask = nn.Transformer.generate_square_subsequent_mask(src:size(self.layers[0].self_attn.batch_first and 1 or 0))
  end
  local layerOptions = { src_mask = mask, src_key_padding_mask = option(options, "src_key_padding_mask", nil) }
  local x = src
  for i = 0, self.num_layers - 1 do x = self.layers[i](x, layerOptions) end
  if self.norm then x = self.norm(x) end
  return x
end

local TransformerDecoder = layerStackClass("TransformerDecoder")
nn.TransformerDecoder = TransformerDecoder
-- decoder(tgt, memory, {tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask})
function TransformerDecoder:forward(tgt, memory, options)
  local layerOptions = {
    tgt_mask = option(options, "tgt_mask", nil), memory_mask = option(options, "memory_mask", nil),
    tgt_key_padding_mask = option(options, "tgt_key_padding_mask", nil),
    memory_key_padding_mask = option(options, "memory_key_padding_mask", nil),
  }
  local x = tgt
  for i = 0, self.num_layers - 1 do x = self.layers[i](x, memory, layerOptions) end
  if self.norm then x = self.norm(x) end
  return x
end

-- Transformer(d_model = 512, nhead = 8, num_encoder_layers = 6, num_decoder_layers = 6,
-- dim_feedforward = 2048, {dropout, activation, custom_encoder, custom_decoder,
-- layer_norm_eps, batch_first, norm_first}); every size may also be named.
local Transformer = class("Transformer", Module)
nn.Transformer = Transformer
local transformerSizes = { "d_model", "nhead", "num_encoder_layers", "num_decoder_layers", "dim_feedforward" }
local transformerDefaults = { 512, 8, 6, 6, 2048 }
function Transformer:init(...)
  local args = table.pack(...)
  local options = args.n > 0 and type(args[args.n]) == "table" and not isModule(args[args.n]) and args[args.n] or nil
  local sizes = {}
  for i, key in ipairs(transformerSizes) do
    local given = args[i]
    if type(given) == "table" then given = nil end
    sizes[key] = given or option(options, key, transformerDefaults[i])
    if math.type(sizes[key]) ~= "integer" or sizes[key] < 1 then
      error("nn.Transformer: " .. key .. " must be a positive integer, got " .. tostring(sizes[key]), 3)
    end
  end
  local layerOptions = {
    dim_feedforward = sizes.dim_feedforward, dropout = option(options, "dropout", 0.1),
    activation = option(options, "activation", "relu"), layer_norm_eps = option(options, "layer_norm_eps", 1e-5),
    batch_first = option(options, "batch_first", false), norm_first = option(options, "norm_first", false),
  }
  local eps = layerOptions.layer_norm_eps
  self.encoder = option(options, "custom_encoder", nil) or nn.TransformerEncoder(
    nn.TransformerEncoderLayer(sizes.d_model, sizes.nhead, layerOptions), sizes.num_encoder_layers,
    { norm = nn.LayerNorm(sizes.d_model, { eps = eps }) })
  self.decoder = option(options, "custom_decoder", nil) or nn.TransformerDecoder(
    nn.TransformerDecoderLayer(sizes.d_model, sizes.nhead, layerOptions), sizes.num_decoder_layers,
    { norm = nn.LayerNorm(sizes.d_model, { eps = eps }) })
  self.d_model, self.nhead, self.batch_first = sizes.d_model, sizes.nhead, layerOptions.batch_first
  for _, p in ipairs(self:parameters()) do
    if p:dim() > 1 then nn.init.xavier_uniform_(p) end
  end
end
-- transformer(src, tgt, {src_mask, tgt_mask, memory_mask, src_key_padding_mask,
-- tgt_key_padding_mask, memory_key_padding_mask})
function Transformer:forward(src, tgt, options)
  local memory = self.encoder(src, { mask = option(options, "src_mask", nil),
    src_key_padding_mask = option(options, "src_key_padding_mask", nil) })
  return self.decoder(tgt, memory, {
    tgt_mask = option(options, "tgt_mask", nil), memory_mask = option(options, "memory_mask", nil),
    tgt_key_padding_mask = option(options, "tgt_key_padding_mask", nil),
    memory_key_padding_mask = option(options, "memory_key_padding_mask", nil),
  })
end
-- A [size, size] float mask: 0 on and below the diagonal, -inf above (each
-- position sees itself and earlier ones).
function Transformer.generate_square_subsequent_mask(size, options)
  local mask = torch.full({ size, size }, -math.huge, { dtype = option(options, "dtype", torch.float32),
    device = option(options, "device", nil) })
  return mask:triu(1)
end

-- Flatten(start_dim = 1, end_dim = -1)
local Flatten = class("Flatten", Module)
nn.Flatten = Flatten
function Flatten:init(start_dim, end_dim)
  self.start_dim, self.end_dim = start_dim or 1, end_dim or -1
end
function Flatten:forward(x) return x:flatten(self.start_dim, self.end_dim) end
function Flatten:extra_repr() return string.format("start_dim=%d, end_dim=%d", self.start_dim, self.end_dim) end

local function activationClass(name, fn, reprFn)
  local Activation = class(name, Module)
  function Activation:forward(x) return fn(x) end
  if reprFn then Activation.extra_repr = reprFn end
  return Activation
end
nn.ReLU = activationClass("ReLU", F.relu)
nn.ReLU6 = activationClass("ReLU6", F.relu6)
nn.Sigmoid = activationClass("Sigmoid", F.sigmoid)
nn.Tanh = activationClass("Tanh", F.tanh)
nn.SiLU = activationClass("SiLU", F.silu)
nn.Mish = activationClass("Mish", F.mish)

nn.GELU = class("GELU", Module)
function nn.GELU:init(options)
  self.approximate = type(options) == "string" and options or option(options, "approximate", "none")
end
function nn.GELU:forward(x) return F.gelu(x, { approximate = self.approximate }) end
function nn.GELU:extra_repr() return "approximate='" .. self.approximate .. "'" end

nn.LeakyReLU = class("LeakyReLU", Module)
function nn.LeakyReLU:init(negative_slope) self.negative_slope = negative_slope or 0.01 end
function nn.LeakyReLU:forward(x) return F.leaky_relu(x, self.negative_slope) end
function nn.LeakyReLU:extra_repr() return "negative_slope=" .. tostring(self.negative_slope) end

nn.ELU = class("ELU", Module)
function nn.ELU:init(alpha) self.alpha = alpha or 1.0 end
function nn.ELU:forward(x) return F.elu(x, self.alpha) end
function nn.ELU:extra_repr() return "alpha=" .. tostring(self.alpha) end

local function dimClass(name, fn)
  local Class = class(name, Module)
  function Class:init(dim) self.dim = dim end
  function Class:forward(x) return fn(x, self.dim or -1) end
  function Class:extra_repr() return "dim=" .. tostring(self.dim == nil and "None" or self.dim) end
  return Class
end
nn.Softmax = dimClass("Softmax", F.softmax)
nn.LogSoftmax = dimClass("LogSoftmax", F.log_softmax)

-- ---------------------------------------------------------------------------
-- Containers. Children are named "0", "1", ... as in PyTorch; indexing is
-- 0-based and negative indices count from the end: seq[0], seq[-1].

local function containerIndex(cls)
  return function(self, key)
    if math.type(key) == "integer" then
      local count = #(rawget(self, "_module_names") or {})
      if key < 0 then key = key + count end
      return rawget(self, tostring(key))
    end
    return cls[key]
  end
end

local function containerClass(name)
  local Container = class(name, Module)
  Container.__index = containerIndex(Container)
  Container.__len = function(self) return #(rawget(self, "_module_names") or {}) end
  function Container:append(module)
    self:add_module(tostring(#self), module)
    return self
  end
  function Container:extend(modules)
    for _, m in ipairs(modules) do self:append(m) end
    return self
  end
  return Container
end

-- Sequential(m1, m2, ...) or Sequential({m1, m2, ...})
local Sequential = containerClass("Sequential")
nn.Sequential = Sequential
function Sequential:init(...)
  local modules = { ... }
  if #modules == 1 and not isModule(modules[1]) and type(modules[1]) == "table" then modules = modules[1] end
  for _, m in ipairs(modules) do
    assert(isModule(m), "nn.Sequential: every argument must be a module")
    self:append(m)
  end
end
-- The hot path of most models: no tables or closures made per call.
function Sequential:forward(x)
  local list = rawget(self, "_module_names")
  if list then
    for i = 1, #list do
      local module = rawget(self, list[i])
      if module then x = module(x) end
    end
  end
  return x
end

local ModuleList = containerClass("ModuleList")
nn.ModuleList = ModuleList
function ModuleList:init(modules)
  for _, m in ipairs(modules or {}) do self:append(m) end
end

-- ModuleDict({name = module, ...}): keys in sorted order (Lua tables have none),
-- or in insertion order for an ordered table.
local ModuleDict = class("ModuleDict", Module)
nn.ModuleDict = ModuleDict
function ModuleDict:init(modules)
  local keys = {}
  for key in pairs(modules or {}) do keys[#keys + 1] = key end
  if not ordered.is_ordered(modules or {}) then table.sort(keys) end
  for _, key in ipairs(keys) do self:add_module(key, modules[key]) end
end
function ModuleDict:keys()
  local result = {}
  for name in eachOwn(self, "_module_names") do result[#result + 1] = name end
  return result
end
function ModuleDict:items() return self:named_children() end
ModuleDict.__len = function(self) return #(rawget(self, "_module_names") or {}) end

-- ---------------------------------------------------------------------------
-- nn.utils

nn.utils = {}

-- nn.utils.rnn.pad_sequence(sequences, {batch_first = false, padding_value = 0,
-- padding_side = "right"}): tensors of lengths L_i x * stacked into [L_max, B, *]
-- (or [B, L_max, *]), the gaps filled with padding_value.
nn.utils.rnn = {}
function nn.utils.rnn.pad_sequence(sequences, options)
  if type(sequences) ~= "table" or #sequences == 0 then
    error("nn.utils.rnn.pad_sequence: a non-empty array of tensors expected", 2)
  end
  local batchFirst, value = option(options, "batch_first", false), option(options, "padding_value", 0)
  local left = option(options, "padding_side", "right") == "left"
  local longest = 0
  for _, t in ipairs(sequences) do longest = math.max(longest, t:size(0)) end
  local first = sequences[1]
  local shape = { #sequences, longest }
  for d = 1, first:dim() - 1 do shape[#shape + 1] = first:size(d) end
  local out = torch.full(shape, value, { dtype = first.dtype, device = first.device })
  for i, t in ipairs(sequences) do
    local n = t:size(0)
    local start = left and longest - n or 0
    out:select(0, i - 1):narrow(0, start, n):copy_(t)
  end
  if not batchFirst then out = out:transpose(0, 1):contiguous() end
  return out
end

-- A PackedSequence holds variable-length sequences without padding: data is the
-- time steps of every sequence, longest first, batch_sizes how many sequences
-- reach each step; sorted_indices/unsorted_indices map the caller's order to
-- the sorted one (nil when the caller's lengths were already sorted).
local PackedSequence = class("PackedSequence")
nn.utils.rnn.PackedSequence = PackedSequence
function PackedSequence:init(data, batch_sizes, sorted_indices, unsorted_indices)
  self.data, self.batch_sizes = data, batch_sizes
  self.sorted_indices, self.unsorted_indices = sorted_indices, unsorted_indices
end
function PackedSequence:__tostring()
  return string.format("PackedSequence(data=%s, batch_sizes=[%s])", shapeString(self.data),
    table.concat(self.batch_sizes:tolist(), ", "))
end
function PackedSequence:to(...)
  return PackedSequence(self.data:to(...), self.batch_sizes, self.sorted_indices and self.sorted_indices:to(...),
    self.unsorted_indices and self.unsorted_indices:to(...))
end
local function isPacked(value) return getmetatable(value) == PackedSequence end

-- pack_padded_sequence(input, lengths, {batch_first = false, enforce_sorted = true})
function nn.utils.rnn.pack_padded_sequence(input, lengths, options)
  if not isTensor(lengths) then lengths = torch.tensor(lengths, { dtype = torch.int64 }) end
  lengths = lengths:to(torch.int64):cpu()
  local batchFirst = option(options, "batch_first", false)
  local sorted, unsorted
  if option(options, "enforce_sorted", true) then
    if lengths:numel() > 1 and (lengths:narrow(0, 1, lengths:numel() - 1) - lengths:narrow(0, 0, lengths:numel() - 1)):max():item() > 0 then
      error("nn.utils.rnn.pack_padded_sequence: lengths must be sorted longest first, or pass {enforce_sorted = false}", 2)
    end
  else
    lengths, sorted = lengths:sort(0, true)
    unsorted = torch.empty_like(sorted):scatter_(0, sorted, torch.arange(sorted:numel(), { dtype = torch.int64 }))
    input = input:index_select(batchFirst and 0 or 1, sorted:to(input.device))
    sorted, unsorted = sorted:to(input.device), unsorted:to(input.device)
  end
  local data, batchSizes = C.pack_padded(input, lengths, batchFirst)
  return PackedSequence(data, batchSizes, sorted, unsorted)
end

-- pad_packed_sequence(sequence, {batch_first = false, padding_value = 0, total_length})
-- returns the padded tensor and the lengths, in the caller's original order.
function nn.utils.rnn.pad_packed_sequence(sequence, options)
  if not isPacked(sequence) then error("nn.utils.rnn.pad_packed_sequence: a PackedSequence expected", 2) end
  local batchFirst = option(options, "batch_first", false)
  local padded, lengths = C.pad_packed(sequence.data, sequence.batch_sizes, batchFirst,
    option(options, "padding_value", 0), option(options, "total_length", -1))
  if sequence.unsorted_indices then
    padded = padded:index_select(batchFirst and 0 or 1, sequence.unsorted_indices)
    lengths = lengths:index_select(0, sequence.unsorted_indices:cpu())
  end
  return padded, lengths
end

-- pack_sequence(sequences, {enforce_sorted = true}): a list of [L_i, *] tensors.
function nn.utils.rnn.pack_sequence(sequences, options)
  local lengths = {}
  for i, t in ipairs(sequences) do lengths[i] = t:size(0) end
  return nn.utils.rnn.pack_padded_sequence(nn.utils.rnn.pad_sequence(sequences), lengths,
    { enforce_sorted = option(options, "enforce_sorted", true) })
end

function nn.utils.clip_grad_norm_(parameters, max_norm, norm_type)
  if isTensor(parameters) then parameters = { parameters } end
  norm_type = norm_type or 2
  local norms = {}
  for _, p in ipairs(parameters) do
    if p.grad ~= nil then norms[#norms + 1] = p.grad:detach():norm(norm_type) end
  end
  if #norms == 0 then return torch.tensor(0.0) end
  local total = torch.stack(norms):norm(norm_type)
  local coefficient = max_norm / (total:item() + 1e-6)
  if coefficient < 1 then
    torch.no_grad(function()
      for _, p in ipairs(parameters) do
        if p.grad ~= nil then p.grad:mul_(coefficient) end
      end
    end)
  end
  return total
end

function nn.utils.parameters_to_vector(parameters)
  local flat = {}
  for i, p in ipairs(parameters) do flat[i] = p:reshape(-1) end
  return torch.cat(flat)
end

-- ---------------------------------------------------------------------------
-- Recurrent cells, one time step each, as PyTorch's (weights named and laid out
-- the same, so state dicts load either way): h = cell(x, h) for RNNCell and
-- GRUCell, h, c = lstm_cell(x, {h, c}) for LSTMCell. x is [batch, input] or
-- [input]; a missing state starts at zeros.

local function cellClass(name, gates, step)
  local Cell = class(name, Module)
  function Cell:init(input_size, hidden_size, bias, options)
    if type(bias) == "table" then bias, options = nil, bias end
    if bias == nil then bias = option(options, "bias", true) end
    self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
    self.nonlinearity = option(options, "nonlinearity", "tanh")
    if self.nonlinearity ~= "tanh" and self.nonlinearity ~= "relu" then
      error("nn." .. name .. ": nonlinearity must be 'tanh' or 'relu', got " .. tostring(self.nonlinearity), 3)
    end
    self.weight_ih = nn.Parameter(torch.empty(gates * hidden_size, input_size))
    self.weight_hh = nn.Parameter(torch.empty(gates * hidden_size, hidden_size))
    if bias then
      self.bias_ih = nn.Parameter(torch.empty(gates * hidden_size))
      self.bias_hh = nn.Parameter(torch.empty(gates * hidden_size))
    else
      self:register_parameter("bias_ih", nil)
      self:register_parameter("bias_hh", nil)
    end
    local bound = 1 / math.sqrt(hidden_size)
    torch.no_grad(function()
      for _, p in ipairs(self:parameters()) do p:uniform_(-bound, bound) end
    end)
  end
  function Cell:forward(x, state)
    local batched = x:dim() == 2
    if not batched then x = x:unsqueeze(0) end
    local zeros = function() return torch.zeros(x:size(0), self.hidden_size, { dtype = x.dtype, device = x.device }) end
    local gi = F.linear(x, self.weight_ih, rawget(self, "bias_ih"))
    local function hidden(h) return F.linear(h, self.weight_hh, rawget(self, "bias_hh")) end
    local outputs = table.pack(step(self, gi, hidden, state, zeros, batched))
    if not batched then
      for i = 1, outputs.n do outputs[i] = outputs[i]:squeeze(0) end
    end
    return table.unpack(outputs, 1, outputs.n)
  end
  function Cell:extra_repr()
    return string.format("%d, %d%s", self.input_size, self.hidden_size, self.bias and "" or ", bias=False")
  end
  return Cell
end

local function batchedState(state, batched)
  if state ~= nil and not batched then return state:unsqueeze(0) end
  return state
end

nn.RNNCell = cellClass("RNNCell", 1, function(self, gi, hidden, h, zeros, batched)
  h = batchedState(h, batched) or zeros()
  local pre = gi + hidden(h)
  return self.nonlinearity == "tanh" and pre:tanh() or pre:relu()
end)

nn.LSTMCell = cellClass("LSTMCell", 4, function(_, gi, hidden, state, zeros, batched)
  local h, c = zeros(), zeros()
  if state ~= nil then h, c = batchedState(state[1], batched), batchedState(state[2], batched) end
  local gates = (gi + hidden(h)):chunk(4, 1)
  local i, f, g, o = gates[1]:sigmoid(), gates[2]:sigmoid(), gates[3]:tanh(), gates[4]:sigmoid()
  local c2 = f * c + i * g
  return o * c2:tanh(), c2
end)

nn.GRUCell = cellClass("GRUCell", 3, function(_, gi, hidden, h, zeros, batched)
  h = batchedState(h, batched) or zeros()
  local i = gi:chunk(3, 1)
  local g = hidden(h):chunk(3, 1)
  local r = (i[1] + g[1]):sigmoid()
  local z = (i[2] + g[2]):sigmoid()
  local n = (i[3] + r * g[3]):tanh()
  return (1 - z) * n + z * h
end)

-- ConvTranspose2d(in_channels, out_channels, kernel_size, stride = 1, padding = 0,
-- {output_padding, groups, bias, dilation}); weight [in, out / groups, kh, kw].
nn.ConvTranspose2d = class("ConvTranspose2d", Module)
function nn.ConvTranspose2d:init(in_channels, out_channels, kernel_size, stride, padding, options)
  if type(stride) == "table" and stride[1] == nil then options, stride = stride, nil end
  if type(padding) == "table" and padding[1] == nil then options, padding = padding, nil end
  self.in_channels, self.out_channels = in_channels, out_channels
  self.kernel_size = pair(kernel_size)
  self.stride = pair(stride or option(options, "stride", 1))
  self.padding = pair(padding or option(options, "padding", 0))
  self.output_padding = pair(option(options, "output_padding", 0))
  self.dilation = pair(option(options, "dilation", 1))
  self.groups = option(options, "groups", 1)
  self.weight = nn.Parameter(torch.empty(in_channels, out_channels // self.groups, self.kernel_size[1],
    self.kernel_size[2]))
  if option(options, "bias", true) then
    self.bias = nn.Parameter(torch.empty(out_channels))
  else
    self:register_parameter("bias", nil)
  end
  resetLinearLike(self.weight, rawget(self, "bias"))
end
function nn.ConvTranspose2d:forward(x)
  return F.conv_transpose2d(x, self.weight, rawget(self, "bias"), { stride = self.stride, padding = self.padding,
    output_padding = self.output_padding, groups = self.groups, dilation = self.dilation })
end
function nn.ConvTranspose2d:extra_repr()
  return string.format("%d, %d, kernel_size=(%d, %d), stride=(%d, %d)", self.in_channels, self.out_channels,
    self.kernel_size[1], self.kernel_size[2], self.stride[1], self.stride[2])
end

-- InstanceNorm2d(num_features, {eps = 1e-5, affine = false}): each sample's
-- channels normalized over their own H x W (no running statistics).
nn.InstanceNorm2d = class("InstanceNorm2d", Module)
function nn.InstanceNorm2d:init(num_features, options)
  self.num_features = num_features
  self.eps, self.affine = option(options, "eps", 1e-5), option(options, "affine", false)
  if option(options, "track_running_stats", false) then
    error("nn.InstanceNorm2d: track_running_stats is not supported", 3)
  end
  if self.affine then
    self.weight = nn.Parameter(torch.ones(num_features))
    self.bias = nn.Parameter(torch.zeros(num_features))
  end
end
function nn.InstanceNorm2d:forward(x)
  local batched = x:dim() == 4
  if not batched then x = x:unsqueeze(0) end
  local n, c, h, w = x:size(0), x:size(1), x:size(2), x:size(3)
  local y = F.group_norm(x:reshape(1, n * c, h, w), n * c, nil, nil, { eps = self.eps }):view(n, c, h, w)
  if self.affine then y = y * self.weight:view(1, c, 1, 1) + self.bias:view(1, c, 1, 1) end
  if not batched then y = y:squeeze(0) end
  return y
end

-- GroupNorm(num_groups, num_channels, {eps = 1e-5, affine = true})
nn.GroupNorm = class("GroupNorm", Module)
function nn.GroupNorm:init(num_groups, num_channels, options)
  if num_channels % num_groups ~= 0 then
    error("nn.GroupNorm: num_channels must be divisible by num_groups", 3)
  end
  self.num_groups, self.num_channels = num_groups, num_channels
  self.eps, self.affine = option(options, "eps", 1e-5), option(options, "affine", true)
  if self.affine then
    self.weight = nn.Parameter(torch.ones(num_channels))
    self.bias = nn.Parameter(torch.zeros(num_channels))
  end
end
function nn.GroupNorm:forward(x)
  return F.group_norm(x, self.num_groups, rawget(self, "weight"), rawget(self, "bias"), { eps = self.eps })
end
function nn.GroupNorm:extra_repr()
  return string.format("%d, %d, eps=%s, affine=%s", self.num_groups, self.num_channels, tostring(self.eps),
    self.affine and "True" or "False")
end

-- PReLU(num_parameters = 1, init = 0.25): a learned slope per channel (dim 1).
nn.PReLU = class("PReLU", Module)
function nn.PReLU:init(num_parameters, init)
  if type(num_parameters) == "table" then
    init = option(num_parameters, "init", nil)
    num_parameters = option(num_parameters, "num_parameters", nil)
  end
  self.num_parameters = num_parameters or 1
  self.weight = nn.Parameter(torch.full({ self.num_parameters }, init or 0.25))
end
function nn.PReLU:forward(x)
  local slope = self.weight
  if self.num_parameters > 1 and x:dim() >= 2 then
    local shape = {}
    for d = 1, x:dim() do shape[d] = 1 end
    shape[2] = self.num_parameters
    slope = slope:view(shape)
  end
  return torch.where(x:ge(0), x, slope * x)
end
function nn.PReLU:extra_repr() return "num_parameters=" .. self.num_parameters end

-- Softplus({beta = 1, threshold = 20})
nn.Softplus = class("Softplus", Module)
function nn.Softplus:init(options)
  self.beta, self.threshold = option(options, "beta", 1), option(options, "threshold", 20)
end
function nn.Softplus:forward(x) return F.softplus(x, { beta = self.beta, threshold = self.threshold }) end

-- Upsample({size, scale_factor, mode = "nearest", align_corners})
nn.Upsample = class("Upsample", Module)
function nn.Upsample:init(options)
  self.size, self.scale_factor = option(options, "size", nil), option(options, "scale_factor", nil)
  self.mode, self.align_corners = option(options, "mode", "nearest"), option(options, "align_corners", nil)
end
function nn.Upsample:forward(x)
  return F.interpolate(x, { size = self.size, scale_factor = self.scale_factor, mode = self.mode,
    align_corners = self.align_corners })
end

-- Unflatten(dim, unflattened_size): dim 0-based, as PyTorch's.
nn.Unflatten = class("Unflatten", Module)
function nn.Unflatten:init(dim, unflattened_size)
  self.dim, self.unflattened_size = dim, unflattened_size
end
function nn.Unflatten:forward(x)
  local dim = self.dim < 0 and self.dim + x:dim() or self.dim
  local shape = {}
  for d = 0, dim - 1 do shape[#shape + 1] = x:size(d) end
  for _, size in ipairs(self.unflattened_size) do shape[#shape + 1] = size end
  for d = dim + 1, x:dim() - 1 do shape[#shape + 1] = x:size(d) end
  return x:reshape(shape)
end

-- Dropout2d(p = 0.5): zeroes whole channels of [N, C, H, W] in training.
nn.Dropout2d = class("Dropout2d", Module)
function nn.Dropout2d:init(p) self.p = p or 0.5 end
function nn.Dropout2d:forward(x)
  if not self.training or self.p == 0 then return x end
  local shape = { x:size(0), x:size(1) }
  for d = 3, x:dim() do shape[d] = 1 end
  local keep = torch.rand(shape, { device = x.device }):ge(self.p):to(x.dtype)
  return x * keep / (1 - self.p)
end

-- nn.Embedding.from_pretrained(embeddings, {freeze = true, padding_idx})
function Embedding.from_pretrained(embeddings, options)
  local rows, dim = embeddings:size(0), embeddings:size(1)
  local embedding = Embedding(rows, dim, { padding_idx = option(options, "padding_idx", nil) })
  torch.no_grad(function() embedding.weight:copy_(embeddings) end)
  embedding.weight.requires_grad = not option(options, "freeze", true)
  return embedding
end

-- ---------------------------------------------------------------------------
-- Loss modules, as PyTorch's: loss = nn.CrossEntropyLoss({label_smoothing = 0.1}),
-- then loss(input, target). The options become attributes (loss.reduction); a
-- class weight is a buffer, so m:to(device) moves it.

local function lossClass(name, fn, keys)
  local Loss = class(name, Module)
  function Loss:init(options)
    for _, key in ipairs(keys) do
      local value = option(options, key, nil)
      if torch.is_tensor(value) then
        self:register_buffer(key, value)
      else
        self[key] = value
      end
    end
    self.reduction = self.reduction or "mean"
  end
  function Loss:forward(input, target)
    local options = {}
    for _, key in ipairs(keys) do options[key] = self[key] end
    return fn(input, target, options)
  end
  function Loss:extra_repr()
    return self.reduction ~= "mean" and ("reduction=" .. self.reduction) or ""
  end
  return Loss
end

nn.MSELoss = lossClass("MSELoss", F.mse_loss, { "reduction" })
nn.L1Loss = lossClass("L1Loss", F.l1_loss, { "reduction" })
nn.SmoothL1Loss = lossClass("SmoothL1Loss", F.smooth_l1_loss, { "reduction", "beta" })
nn.HuberLoss = lossClass("HuberLoss", F.huber_loss, { "reduction", "delta" })
nn.CrossEntropyLoss = lossClass("CrossEntropyLoss", F.cross_entropy,
  { "weight", "ignore_index", "reduction", "label_smoothing" })
nn.NLLLoss = lossClass("NLLLoss", F.nll_loss, { "weight", "ignore_index", "reduction" })
nn.BCELoss = lossClass("BCELoss", F.binary_cross_entropy, { "weight", "reduction" })
nn.BCEWithLogitsLoss = lossClass("BCEWithLogitsLoss", F.binary_cross_entropy_with_logits,
  { "weight", "pos_weight", "reduction" })
nn.KLDivLoss = lossClass("KLDivLoss", F.kl_div, { "reduction", "log_target" })

-- m.parameters() (a dot for a colon) passes no module: every Module method
-- says so by name instead of failing later inside the library.
for name, method in pairs(Module) do
  if type(method) == "function" and not name:find("^__") and name ~= "init" and name ~= "extend" then
    Module[name] = function(self, ...)
      -- (a loaded TorchScript module is one too: its load_state_dict is this one)
      if not isModule(self) and not isScriptModule(self) then
        error(string.format("m:%s: call it on a module with a colon, m:%s(...) (got %s)", name, name,
          self == nil and "nothing" or type(self)), 2)
      end
      return method(self, ...)
    end
  end
end

_G.nn = nn
return nn
