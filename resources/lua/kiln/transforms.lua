-- Image helpers written in Lua over the natives (image.*): image.make_grid and
-- image.save_image as torchvision.utils has them, and image.transforms, the
-- torchvision.transforms a training loop needs, for float [C, H, W] tensors (or
-- [N, C, H, W] batches). data.Transformed applies one to a dataset's samples.
local image, data = image, data
local isTensor = torch.is_tensor

-- image.make_grid(batch, {nrow = 8, padding = 2, normalize = false, pad_value = 0}):
-- a [N, C, H, W] batch tiled into one [C, H', W'] image, nrow images a row.
function image.make_grid(batch, options)
  options = options or {}
  if not isTensor(batch) then error("image.make_grid: a tensor expected", 2) end
  if batch:dim() == 2 then batch = batch:unsqueeze(0) end
  if batch:dim() == 3 then batch = batch:unsqueeze(0) end
  if batch:size(1) == 1 then batch = batch:expand(batch:size(0), 3, batch:size(2), batch:size(3)) end
  local nrow, padding, padValue = options.nrow or 8, options.padding or 2, options.pad_value or 0
  if options.normalize then
    local low, high = batch:min(), batch:max()
    batch = (batch - low) / (high - low):clamp_min(1e-5)
  end
  local n, c, h, w = batch:size(0), batch:size(1), batch:size(2), batch:size(3)
  local columns = math.min(nrow, n)
  local rows = (n + columns - 1) // columns
  local cellH, cellW = h + padding, w + padding
  local grid = torch.full({ c, rows * cellH + padding, columns * cellW + padding }, padValue,
    { dtype = batch.dtype, device = batch.device })
  for k = 0, n - 1 do
    local row, column = k // columns, k % columns
    local top, left = row * cellH + padding, column * cellW + padding
    grid[{ {}, { top, top + h }, { left, left + w } }] = batch[k]
  end
  return grid
end

-- image.save_image(t, path, {nrow, padding, normalize, pad_value}): a batch saved as one grid.
function image.save_image(t, path, options)
  if type(path) ~= "string" then error("image.save_image: a path expected as the second argument", 2) end
  local picture = t
  if t:dim() == 4 then picture = image.make_grid(t, options) end
  if options and options.normalize and t:dim() < 4 then
    picture = (picture - picture:min()) / (picture:max() - picture:min()):clamp_min(1e-5)
  end
  image.save(path, picture)
end

-- ---------------------------------------------------------------------------
-- image.transforms: callables on [C, H, W] (or [N, C, H, W]) float tensors.

local transforms = {}
image.transforms = transforms

local function callable(name, apply)
  return setmetatable({ __transform = name }, { __call = function(self, x) return apply(self, x) end,
    __tostring = function() return name .. "()" end })
end

-- Compose({t1, t2, ...}) applies each in turn.
function transforms.Compose(list)
  if type(list) ~= "table" then error("image.transforms.Compose: an array of transforms expected", 2) end
  return callable("Compose", function(_, x)
    for _, transform in ipairs(list) do x = transform(x) end
    return x
  end)
end

-- ToTensor(): uint8 [H, W, C] or [C, H, W] pixels to float [C, H, W] in [0, 1].
function transforms.ToTensor()
  return callable("ToTensor", function(_, x)
    if x:dim() == 3 and x:size(2) <= 4 and x:size(0) > 4 then x = x:permute(2, 0, 1) end
    if x.dtype == torch.uint8 then return x:float() / 255 end
    return x:float()
  end)
end

-- Normalize(mean, std): per channel, as image.normalize.
function transforms.Normalize(mean, std)
  return callable("Normalize", function(_, x) return image.normalize(x, mean, std) end)
end

-- Resize(size): image.resize.
function transforms.Resize(size)
  return callable("Resize", function(_, x) return image.resize(x, size) end)
end

local function spatial(x) return x:size(x:dim() - 2), x:size(x:dim() - 1) end

-- RandomCrop(size, {padding = 0}): a random size x size (or {h, w}) window,
-- after zero padding on every side.
function transforms.RandomCrop(size, options)
  local h, w = size, size
  if type(size) == "table" then h, w = size[1], size[2] end
  local padding = options and options.padding or 0
  return callable("RandomCrop", function(_, x)
    if padding > 0 then x = F.pad(x, { padding, padding, padding, padding }) end
    local height, width = spatial(x)
    if height < h or width < w then
      error(string.format("RandomCrop: the image (%dx%d) is smaller than the crop (%dx%d)", height, width, h, w), 2)
    end
    local top = torch.randint(0, height - h + 1, { 1 }):item()
    local left = torch.randint(0, width - w + 1, { 1 }):item()
    return x:narrow(x:dim() - 2, top, h):narrow(x:dim() - 1, left, w)
  end)
end

-- CenterCrop(size)
function transforms.CenterCrop(size)
  local h, w = size, size
  if type(size) == "table" then h, w = size[1], size[2] end
  return callable("CenterCrop", function(_, x)
    local height, width = spatial(x)
    return x:narrow(x:dim() - 2, (height - h) // 2, h):narrow(x:dim() - 1, (width - w) // 2, w)
  end)
end

-- RandomHorizontalFlip(p = 0.5)
function transforms.RandomHorizontalFlip(p)
  p = p or 0.5
  return callable("RandomHorizontalFlip", function(_, x)
    if torch.rand(1):item() < p then return x:flip(x:dim() - 1) end
    return x
  end)
end

-- data.Transformed(dataset, transform, target_transform?): the dataset's samples
-- with transform applied to x (and target_transform to y) as they are read, for
-- data.DataLoader; random transforms draw anew for every read, as in torchvision.
local Transformed = { __name = "Transformed" }
Transformed.__index = Transformed
function Transformed.__len(ds) return #ds.dataset end
function Transformed:get(i)
  local x, y = self.dataset:get(i)
  if self.transform then x = self.transform(x) end
  if self.target_transform and y ~= nil then y = self.target_transform(y) end
  return x, y
end
function data.Transformed(dataset, transform, target_transform)
  if type(dataset) ~= "table" then error("data.Transformed: a dataset expected", 2) end
  return setmetatable({ dataset = dataset, transform = transform, target_transform = target_transform }, Transformed)
end

return transforms
