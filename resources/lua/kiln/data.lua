-- The Lua side of Kiln's data API: datasets as tables {x = Tensor, y = Tensor?,
-- classes = {...}?}, data.TensorDataset, data.batches and data.split. The heavy
-- lifting (permutations, index_select per batch) is native, in luabatches.cpp.
local data, datasets = data, datasets

-- Tensors hide their metatable (getmetatable gives the string "Tensor").
local isTensor = torch.is_tensor

local Dataset = { __name = "Dataset" }

-- ds[i]: sample i (0-based, as tensors index) as {x, y}, so that
-- `local x, y = table.unpack(ds[i])`; ds:get(i) returns x, y.
function Dataset.__index(ds, key)
  if math.type(key) == "integer" then
    return { Dataset.get(ds, key) }
  end
  return Dataset[key]
end

function Dataset.get(ds, i)
  local n = ds.x:size(0)
  if math.type(i) ~= "integer" or i < -n or i >= n then
    error(string.format("dataset index %s out of range for %d samples", tostring(i), n), 2)
  end
  if ds.y ~= nil then return ds.x[i], ds.y[i] end
  return ds.x[i]
end

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

-- data.Subset(ds, indices): the samples at `indices` (0-based; an array or an
-- int64 tensor), as PyTorch's Subset; a dataset like any other.
function data.Subset(ds, indices)
  checkDataset(ds, "data.Subset")
  if type(indices) == "table" then indices = torch.tensor(indices, { dtype = torch.int64 }) end
  if not isTensor(indices) then error("data.Subset: indices must be an array or an int64 tensor", 2) end
  local subset = { x = ds.x:index_select(0, indices), classes = ds.classes }
  if ds.y ~= nil then subset.y = ds.y:index_select(0, indices) end
  return setmetatable(subset, Dataset)
end

-- data.random_split(ds, lengths, seed?): PyTorch's name for data.split.
function data.random_split(ds, lengths, seed)
  checkDataset(ds, "data.random_split")
  return data.split(ds, lengths, seed)
end

-- ---------------------------------------------------------------------------
-- data.DataLoader, as PyTorch's: loader = data.DataLoader(ds, {batch_size = 64,
-- shuffle = true}); for x, y in loader do ... end, again every epoch; #loader
-- batches; loader.dataset. A dataset is a tensor dataset ({x, y}: batches are
-- sliced natively) or any object with #ds and ds:get(i) (0-based) returning a
-- sample's values, which the default collate stacks. collate_fn(samples) gets
-- the batch's samples, each an array of the values get(i) returned.

local DataLoader = { __name = "DataLoader" }
DataLoader.__index = DataLoader
data.DataLoader = DataLoader

local function sampleCount(ds)
  if type(ds) == "table" and isTensor(ds.x) then return ds.x:size(0) end
  local ok, n = pcall(function() return #ds end)
  if not ok or math.type(n) ~= "integer" then
    error("data.DataLoader: the dataset needs a length (#ds) and ds:get(i), or tensors x and y", 3)
  end
  return n
end

local function defaultCollate(samples)
  local columns = {}
  for field = 1, #samples[1] do
    local values = {}
    for i, sample in ipairs(samples) do values[i] = sample[field] end
    if isTensor(values[1]) then
      columns[field] = torch.stack(values)
    else
      columns[field] = torch.tensor(values)
    end
  end
  return table.unpack(columns)
end

setmetatable(DataLoader, {
  __call = function(_, dataset, options)
    options = options or {}
    local loader = setmetatable({
      dataset = dataset,
      batch_size = options.batch_size or 1,
      shuffle = options.shuffle and true or false,
      drop_last = options.drop_last and true or false,
      collate_fn = options.collate_fn,
      seed = options.seed,
    }, DataLoader)
    if math.type(loader.batch_size) ~= "integer" or loader.batch_size < 1 then
      error("data.DataLoader: batch_size must be a positive integer, got " .. tostring(loader.batch_size), 2)
    end
    if loader.collate_fn ~= nil and type(loader.collate_fn) ~= "function" then
      error("data.DataLoader: collate_fn must be a function", 2)
    end
    loader._count = sampleCount(dataset)
    return loader
  end,
})

function DataLoader.__len(loader)
  local n, b = loader._count, loader.batch_size
  return loader.drop_last and n // b or (n + b - 1) // b
end

function DataLoader.__tostring(loader)
  return string.format("DataLoader(%d samples, batch_size=%d, %d batches%s)", loader._count, loader.batch_size,
    #loader, loader.shuffle and ", shuffled" or "")
end

-- An iterator over the batches of one epoch.
function DataLoader:iter()
  local ds = self.dataset
  if type(ds) == "table" and isTensor(ds.x) and self.collate_fn == nil then
    return data.batches(ds, { batch_size = self.batch_size, shuffle = self.shuffle, drop_last = self.drop_last,
      seed = self.seed })
  end
  local n, b = self._count, self.batch_size
  local order = self.shuffle and data._permutation(n, self.seed) or torch.arange(n)
  local collate = self.collate_fn or defaultCollate
  local get = (type(ds) == "table" and isTensor(ds.x)) and Dataset.get or function(d, i) return d:get(i) end
  local start = 0
  return function()
    if start >= n or (self.drop_last and start + b > n) then return nil end
    local samples = {}
    for i = start, math.min(start + b, n) - 1 do
      samples[#samples + 1] = table.pack(get(ds, order[i]:item()))
    end
    start = start + b
    return collate(samples)
  end
end

-- `for x, y in loader do`: Lua calls the loader for each step; a call whose
-- control value is nil starts a loop, so every loop (even after a break) starts
-- a fresh epoch.
function DataLoader.__call(loader, _, control)
  if control == nil or loader._epoch == nil then loader._epoch = loader:iter() end
  return loader._epoch()
end

-- Loaders return datasets, so #ds and tostring(ds) work on them.
for _, name in ipairs({ "fashion_mnist", "mnist", "image_folder" }) do
  local load = datasets[name]
  datasets[name] = function(...)
    return setmetatable(load(...), Dataset)
  end
end

-- data.describe(path, {target}): a CSV at a glance, as the training panel reads
-- it (pandas' describe() plus the problems): one row per column, the class
-- balance when the target is a class, and what to fix. Returns the report.
function data.describe(path, options)
  options = options or {}
  local ok, report = pcall(data._csv_report, path, options.target)
  if not ok then error(report, 2) end
  local target = report.target ~= "" and report.target or nil
  print(string.format("%d rows%s%s", report.rows,
    report.bad_rows > 0 and string.format(" (%d malformed, skipped)", report.bad_rows) or "",
    target and string.format("; target %s (%s)", target, report.task) or ""))
  show.table(report.columns, { columns = { "column", "kind", "present", "missing", "distinct", "min", "max", "mean" },
    title = path:match("[^/\\]+$") })
  if #report.classes > 0 then
    show.table(report.classes, { columns = { "class", "count" }, title = "classes of " .. target })
  end
  for _, problem in ipairs(report.problems) do print("- " .. problem) end
  return report
end
