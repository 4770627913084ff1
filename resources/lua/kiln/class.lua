-- Classes for notebook code: local Point = class("Point"); function Point:init(x, y) ... end
-- Point(1, 2) makes an instance; class("Point3", Point) inherits.
local function class(name, parent)
  local cls = {}
  cls.__name = name
  cls.__index = cls
  cls.super = parent
  if parent then
    for key, value in pairs(parent) do
      if type(key) == "string" and key:find("^__") and key ~= "__index" and key ~= "__name" then
        cls[key] = value
      end
    end
  end
  -- as Python's __init_subclass__: torch.autograd.Function binds apply this way
  if parent and parent.__init_subclass then parent.__init_subclass(cls) end
  return setmetatable(cls, {
    __index = parent,
    __tostring = function() return "class " .. name end,
    __call = function(c, ...)
      local instance = setmetatable({}, c)
      if c.init then c.init(instance, ...) end
      return instance
    end,
  })
end

local function isinstance(value, cls)
  local mt = getmetatable(value)
  -- native values (tensors, modules) hide their metatables behind a name string
  while type(mt) == "table" do
    if mt == cls then return true end
    mt = mt.super
  end
  return false
end

return setmetatable({ class = class, isinstance = isinstance }, {
  __call = function(_, ...) return class(...) end,
})
