-- Tables that remember insertion order, for state dicts and anything PyTorch
-- keeps in an OrderedDict. The order lives in the metatable's __keys, so the
-- natives (torch.save, safetensors.save) can read it without calling Lua.
local ordered = {}

local function orderedNext(t, key)
  local mt = getmetatable(t)
  local index = key == nil and 0 or mt.__position[key]
  if index == nil then return nil end
  local keys = mt.__keys
  for i = index + 1, #keys do
    local k = keys[i]
    local v = rawget(t, k)
    if v ~= nil then return k, v end
  end
  return nil
end

local function insert(t, key, value)
  local mt = getmetatable(t)
  if rawget(t, key) == nil and value ~= nil and not mt.__position[key] then
    local keys = mt.__keys
    keys[#keys + 1] = key
    mt.__position[key] = #keys
  end
  rawset(t, key, value)
end

-- ordered.new() makes an empty ordered table; assignments append new keys.
function ordered.new()
  return setmetatable({}, {
    __keys = {},
    __position = {},
    __newindex = insert,
    __pairs = function(t) return orderedNext, t, nil end,
    __name = "OrderedDict",
  })
end

-- The keys in order (a fresh array), skipping removed ones.
function ordered.keys(t)
  local result = {}
  for k in pairs(t) do result[#result + 1] = k end
  return result
end

function ordered.is_ordered(t)
  local mt = getmetatable(t)
  return type(mt) == "table" and mt.__keys ~= nil
end

return ordered
