-- The window's variables view: what the notebook's globals are, read by the
-- window between cells (as Kiln's own queries, which take no evaluation number).
-- list() writes one record per global; show() draws one of them as outputs.
local variables = {}

local builtins = {}  -- name -> value of every global before the notebook ran

-- Called once the session's API is in place: what is there now is Kiln's.
function variables.mark_builtins()
  for name, value in pairs(_G) do builtins[name] = value end
end

-- The notebook's own globals: names it added, and Kiln's names it rebound.
-- Names starting with "_" are hidden, as Jupyter's %whos hides them.
local function userNames()
  local names = {}
  for name, value in pairs(_G) do
    if type(name) == "string" and name:sub(1, 1) ~= "_" and not rawequal(builtins[name], value) then
      names[#names + 1] = name
    end
  end
  table.sort(names)
  return names
end

local function oneLine(text, limit)
  text = tostring(text):gsub("%s+", " ")
  if #text > limit then
    -- Cut on a UTF-8 boundary so the preview stays valid text.
    local cut = limit
    while cut > 0 and (text:byte(cut + 1) or 0) & 0xC0 == 0x80 do cut = cut - 1 end
    text = text:sub(1, cut) .. "…"
  end
  return text
end

local function shapeText(size)
  local parts = {}
  for i = 1, #size do parts[i] = tostring(size[i]) end
  return "[" .. table.concat(parts, ", ") .. "]"
end

local kPreviewValues = 6

local function tensorPreview(t)
  local n = t:numel()
  if n == 0 then return "empty" end
  local flat = t:detach():reshape(-1):narrow(0, 0, math.min(n, kPreviewValues))
  if flat.dtype ~= "torch.bool" and not flat:is_floating_point() then
    flat = flat:long()
  elseif flat:is_floating_point() then
    flat = flat:double()
  end
  local values = {}
  for i, v in ipairs(flat:cpu():tolist()) do
    values[i] = math.type(v) == "float" and string.format("%.4g", v) or tostring(v)
  end
  return table.concat(values, ", ") .. (n > kPreviewValues and ", …" or "")
end

local function moduleRecord(m)
  local bytes, dtype, device = 0, "", ""
  for _, p in m:named_parameters() do
    bytes = bytes + p:numel() * p:element_size()
    if dtype == "" then dtype, device = (tostring(p.dtype):gsub("^torch%.", "")), tostring(p.device) end
  end
  return m.__name or "Module", "", dtype, device, bytes,
    string.format("%d parameters", m:num_parameters())
end

local function tableRecord(value)
  local count, keys = 0, {}
  for key in pairs(value) do
    count = count + 1
    if #keys < 4 then keys[#keys + 1] = tostring(key) end
    if count >= 100000 then break end
  end
  local kind = rawget(value, "__name") or (getmetatable(value) and getmetatable(value).__name) or "table"
  local preview = #value == count and count > 0 and string.format("array of %d", count)
    or "{" .. table.concat(keys, ", ") .. (count > #keys and ", …" or "") .. "}"
  return tostring(kind), string.format("%d entries", count), "", "", -1, preview
end

-- kind, type, shape, dtype, device, bytes (-1 unknown), preview
local function describe(value)
  if torch.is_tensor(value) then
    return "tensor", value.requires_grad and "Tensor (grad)" or "Tensor", shapeText(value.shape),
      tostring(value.dtype):gsub("^torch%.", ""), tostring(value.device), value:numel() * value:element_size(),
      tensorPreview(value)
  end
  if nn.is_module(value) then return "module", moduleRecord(value) end
  local kind = type(value)
  if kind == "number" then
    return "number", math.type(value), "", "", "", -1, tostring(value)
  elseif kind == "string" then
    return "string", "string", string.format("%d bytes", #value), "", "", #value, string.format("%q", oneLine(value, 60))
  elseif kind == "table" then
    return "table", tableRecord(value)
  end
  return kind, kind, "", "", "", -1, tostring(value)
end

-- One record per global, fields separated by \31, records ended by \30. A value
-- that cannot be described is listed with its error rather than dropped.
function variables.list()
  local out = {}
  for _, name in ipairs(userNames()) do
    local fields = table.pack(pcall(describe, _G[name]))
    local record
    if fields[1] then
      record = { name }
      for i = 2, 8 do
        local field = fields[i]
        record[#record + 1] = oneLine(field == nil and "" or tostring(field), 120):gsub("[\30\31]", " ")
      end
    else
      record = { name, "error", type(_G[name]), "", "", "", "-1", oneLine(fields[2], 120) }
    end
    out[#out + 1] = table.concat(record, "\31")
  end
  io.write(table.concat(out, "\30"), "\30")
end

local kGridRows, kGridColumns = 1000, 200

-- How a value looks in the view's detail pane: `view` is "grid", "image" or
-- "histogram" for tensors; modules show their tree and parameters; anything
-- else is returned, and shown as a cell's value is.
function variables.show(name, view)
  local value = _G[name]
  if torch.is_tensor(value) then
    local t = value:detach():cpu()
    if view == "image" then
      if t:dim() < 2 or t:dim() > 4 then
        error(string.format("a %d-D tensor is not an image: [H, W], [C, H, W] or [N, C, H, W] expected", t:dim()), 0)
      end
      show.image(t:is_floating_point() and t or t:float(), { title = name })
    elseif view == "histogram" then
      if t:numel() == 0 then error("an empty tensor has no histogram", 0) end
      plot.hist(t:double(), { title = name, xlabel = "value" })
    else
      if t:dim() == 0 then t = t:reshape(1, 1) end
      -- Higher dimensions as rows of the last one, as a 2-D slice at a time would hide the rest.
      if t:dim() > 2 then t = t:reshape(-1, t:size(-1)) end
      if t:dim() == 1 then t = t:unsqueeze(1) end
      if t.dtype == "torch.bool" then t = t:long() end
      local columns = math.min(t:size(1), kGridColumns)
      local title = string.format("%s %s %s", name, shapeText(value.shape), tostring(value.dtype):gsub("^torch%.", ""))
      if columns < t:size(1) then title = title .. string.format(" (first %d of %d columns)", columns, t:size(1)) end
      show.table(t:narrow(1, 0, columns), { title = title, max_rows = kGridRows })
    end
    return
  end
  if nn.is_module(value) then
    print(value:repr())
    local rows = {}
    for pname, p in value:named_parameters() do
      rows[#rows + 1] = { pname, shapeText(p.shape), (tostring(p.dtype):gsub("^torch%.", "")), p:numel(),
        p.requires_grad and "yes" or "no" }
    end
    show.table(rows, { columns = { "parameter", "shape", "dtype", "count", "trainable" },
      title = string.format("%s: %d parameters", name, value:num_parameters()) })
    return
  end
  return value
end

return variables
