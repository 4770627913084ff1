-- The Lua side of Kiln's data API: datasets as tables {x = Tensor, y = Tensor?,
-- classes = {...}?}, data.TensorDataset, data.batches and data.split. The heavy
-- lifting (permutations, index_select per batch) is native, in luabatches.cpp.
local data, datasets = data, datasets

-- Tensors hide their metatable (getmetatable gives the string "Tensor").
local isTensor = torch.is_tensor

local Dataset = { __name = "Dataset" }
Dataset.__index = Dataset

function Dataset.__len(ds)
  return ds.x:size(0)
end

function Dataset.__tostring(ds)
  local function shape(t)
    return "[" .. table.concat(t:size(), ", ") .. "]"
  end
  local text = "Dataset(" .. ds.x:size(0) .. " samples, x " .. shape(ds.x)
  if ds.y then text = text .. ", y " .. shape(ds.y) end
  if ds.classes then text = text .. ", " .. #ds.classes .. " classes" end
  return text .. ")"
end

data.Dataset = Dataset

local function checkDataset(ds, name)
  if type(ds) ~= "table" or not isTensor(ds.x) then
    error(name .. ": expected a dataset (a table with a tensor x), got " .. type(ds), 3)
  end
end

-- data.TensorDataset(x, y) -> {x = x, y = y}; y is optional.
function data.TensorDataset(x, y)
  if not isTensor(x) then error("data.TensorDataset: x must be a Tensor, got " .. type(x), 2) end
  if y ~= nil then
    if not isTensor(y) then error("data.TensorDataset: y must be a Tensor, got " .. type(y), 2) end
    if x:dim() == 0 or y:dim() == 0 or x:size(0) ~= y:size(0) then
      error("data.TensorDataset: x and y must have the same number of samples (first dimension)", 2)
    end
  end
  return setmetatable({ x = x, y = y }, Dataset)
end

-- for x, y in data.batches(ds, {batch_size = 64, shuffle = false, drop_last = false, seed = nil}) do ... end
-- A seed makes the shuffled order the same on every call; without one each
-- call (epoch) draws a new order from torch.manual_seed's generator.
function data.batches(ds, options)
  checkDataset(ds, "data.batches")
  options = options or {}
  if type(options) ~= "table" then error("data.batches: options must be a table", 2) end
  local batchSize = options.batch_size or 64
  if math.type(batchSize) ~= "integer" or batchSize < 1 then
    error("data.batches: batch_size must be a positive integer, got " .. tostring(batchSize), 2)
  end
  if options.seed ~= nil and math.type(options.seed) ~= "integer" then
    error("data.batches: seed must be an integer", 2)
  end
  if ds.y ~= nil and not isTensor(ds.y) then error("data.batches: the dataset's y must be a Tensor", 2) end
  return data._batches(ds.x, ds.y, batchSize, options.shuffle and true or false,
    options.drop_last and true or false, options.seed)
end

-- Part sizes from fractions summing to 1 or counts summing to n; leftover
-- samples from rounding fractions go one each to the first parts (as PyTorch's random_split).
local function partSizes(sizes, n)
  local total, integers = 0, true
  for i, size in ipairs(sizes) do
    if type(size) ~= "number" or size < 0 then
      error("data.split: sizes[" .. i .. "] must be a non-negative number", 3)
    end
    total = total + size
    integers = integers and math.type(size) == "integer"
  end
  if integers and total == n then
    return sizes
  end
  if math.abs(total - 1) > 1e-6 then
    error(string.format("data.split: sizes must be fractions summing to 1 or counts summing to %d, got a sum of %s",
      n, tostring(total)), 3)
  end
  local counts, used = {}, 0
  for i, fraction in ipairs(sizes) do
    counts[i] = math.floor(fraction * n)
    used = used + counts[i]
  end
  local i = 1
  while used < n do
    counts[i] = counts[i] + 1
    used = used + 1
    i = i % #counts + 1
  end
  return counts
end

-- local train, test = data.split(ds, {0.8, 0.2}, 42): disjoint random parts,
-- the same for the same seed; each keeps the dataset's classes.
function data.split(ds, sizes, seed)
  checkDataset(ds, "data.split")
  if type(sizes) ~= "table" or #sizes == 0 then error("data.split: sizes must be an array like {0.8, 0.2}", 2) end
  if seed ~= nil and math.type(seed) ~= "integer" then error("data.split: seed must be an integer", 2) end
  local n = ds.x:size(0)
  local counts = partSizes(sizes, n)
  local order = data._permutation(n, seed)
  local parts, offset = {}, 0
  for i, count in ipairs(counts) do
    local part = { x = data._take(ds.x, order, offset, count), classes = ds.classes }
    if ds.y ~= nil then part.y = data._take(ds.y, order, offset, count) end
    parts[i] = setmetatable(part, Dataset)
    offset = offset + count
  end
  return table.unpack(parts)
end

-- Loaders return datasets, so #ds and tostring(ds) work on them.
for _, name in ipairs({ "fashion_mnist", "mnist", "image_folder" }) do
  local load = datasets[name]
  datasets[name] = function(...)
    return setmetatable(load(...), Dataset)
  end
end
