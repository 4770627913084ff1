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

local format = string.format
function string.format(pattern, ...)
  local args = table.pack(...)
  for i = 1, args.n do
    local value = args[i]
    if torch.is_tensor(value) and value:numel() == 1 then args[i] = value:item() end
  end
  return format(pattern, table.unpack(args, 1, args.n))
end
