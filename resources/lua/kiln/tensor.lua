-- Tensor conveniences written in Lua: t:type(), and numbers from one-element
-- tensors where Lua's own functions want numbers (string.format("%.3f", loss)).
local Tensor = torch.Tensor

local typeNames = {
  [torch.float32] = "torch.FloatTensor", [torch.float64] = "torch.DoubleTensor",
  [torch.float16] = "torch.HalfTensor", [torch.bfloat16] = "torch.BFloat16Tensor",
  [torch.int64] = "torch.LongTensor", [torch.int32] = "torch.IntTensor", [torch.int16] = "torch.ShortTensor",
  [torch.int8] = "torch.CharTensor", [torch.uint8] = "torch.ByteTensor", [torch.bool] = "torch.BoolTensor",
}
local byTypeName = {}
for dtype, name in pairs(typeNames) do byTypeName[name] = dtype end

-- t:type() -> "torch.FloatTensor"; t:type(dtype) or t:type("torch.DoubleTensor") converts.
function Tensor.type(t, dtype)
  if dtype == nil then
    local name = typeNames[t.dtype] or t.dtype
    if t.is_cuda then name = name:gsub("^torch%.", "torch.cuda.") end
    return name
  end
  if type(dtype) == "string" and byTypeName[dtype:gsub("%.cuda%.", ".")] then
    dtype = byTypeName[dtype:gsub("%.cuda%.", ".")]
  end
  return t:to(dtype)
end

local format, isTensor, select = string.format, torch.is_tensor, select
-- Most calls pass no tensor: they go straight through, without packing.
function string.format(pattern, ...)
  local n = select("#", ...)
  for i = 1, n do
    if isTensor((select(i, ...))) then
      local args = table.pack(...)
      for j = i, n do
        local value = args[j]
        if isTensor(value) and value:numel() == 1 then args[j] = value:item() end
      end
      return format(pattern, table.unpack(args, 1, n))
    end
  end
  return format(pattern, ...)
end
