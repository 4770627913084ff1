-- The window's variables view: what the notebook's globals are, read by the
-- window between cells (as Kiln's own queries, which take no evaluation number).
-- list() writes one record per global; show() draws one of them as outputs.
local variables = {}

-- Kiln's own functions, as they were when the session started: a notebook that
-- defines a global `show` or `nn` must not break its own variables view.
local torch, nn, show, plot = torch, nn, show, plot
local pairs, ipairs, type, tostring, rawequal, rawget, getmetatable, pcall = pairs, ipairs, type, tostring, rawequal, rawget,
  getmetatable, pcall
local string, table, math = string, table, math

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

-- The first values without copying the tensor: the first row of the first
-- slice, so a transposed multi-gigabyte tensor costs no more than a small one.
local function tensorPreview(t)
  local n = t:numel()
  if n == 0 then return "empty" end
  local flat = t:detach()
  while flat:dim() > 1 do flat = flat:select(0, 0) end
  if flat:dim() == 0 then flat = flat:reshape(1) end
  local shown = math.min(flat:size(0), kPreviewValues)
  flat = flat:narrow(0, 0, shown):cpu()
  if flat.dtype ~= "torch.bool" and not flat:is_floating_point() then
    flat = flat:long()
  elseif flat:is_floating_point() then
    flat = flat:double()
  end
  local values = {}
  for i, v in ipairs(flat:tolist()) do
    values[i] = math.type(v) == "float" and string.format("%.4g", v) or tostring(v)
  end
  return table.concat(values, ", ") .. (n > shown and ", …" or "")
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
        record[#record + 1] = field == nil and "" or tostring(field)
      end
    else
      record = { name, "error", type(_G[name]), "", "", "", "-1", tostring(fields[2]) }
    end
    -- The listing's own separators never appear inside a field.
    for i = 1, #record do record[i] = (oneLine(record[i], 120):gsub("[\30\31]", " ")) end
    out[#out + 1] = table.concat(record, "\31")
  end
  io.write(table.concat(out, "\30"), "\30")
end

local kGridRows, kGridColumns, kHistogramValues = 1000, 200, 1 << 20

-- How a value looks in the view's detail pane: `view` is "grid", "image" or
-- "histogram" for tensors; modules show their tree and parameters; anything
-- else is returned, and shown as a cell's value is.
function variables.show(name, view)
  local value = _G[name]
  if torch.is_tensor(value) then
    local t = value:detach()
    if view == "image" then
      if t:dim() < 2 or t:dim() > 4 then
        error(string.format("a %d-D tensor is not an image: [H, W], [C, H, W] or [N, C, H, W] expected", t:dim()), 0)
      end
      if t:dim() == 4 then t = t:narrow(0, 0, math.min(t:size(0), 64)) end  -- a grid of at most 64
      t = t:cpu()
      show.image(t:is_floating_point() and t or t:float(), { title = name })
    elseif view == "histogram" then
      if t:numel() == 0 then error("an empty tensor has no histogram", 0) end
      -- At most about a million values, taken from the front without copying the rest.
      local title = name
      while t:numel() > kHistogramValues and t:dim() > 0 and t:size(0) > 1 do
        t = t:narrow(0, 0, math.max(1, math.floor(t:size(0) * kHistogramValues / t:numel())))
        title = string.format("%s (the first %d of %d values)", name, t:numel(), value:numel())
      end
      plot.hist(t:cpu():double(), { title = title, xlabel = "value" })
    else
      -- Higher dimensions as rows of the last one; only the rows and columns
      -- shown are copied.
      if t:dim() == 0 then t = t:reshape(1, 1) end
      if t:dim() == 1 then t = t:unsqueeze(0) end
      local totalColumns = t:size(-1)
      local columns = math.min(totalColumns, kGridColumns)
      t = t:narrow(t:dim() - 1, 0, columns)
      while t:dim() > 2 do
        local rowsPer = t:numel() // (t:size(0) * columns)
        t = t:narrow(0, 0, math.min(t:size(0), math.max(1, -(-kGridRows // rowsPer)))):flatten(0, 1)
      end
      t = t:narrow(0, 0, math.min(t:size(0), kGridRows)):cpu()
      if t.dtype == "torch.bool" then t = t:long() end
      local title = string.format("%s %s %s", name, shapeText(value.shape), (tostring(value.dtype):gsub("^torch%.", "")))
      if columns < totalColumns then title = title .. string.format(" (first %d of %d columns)", columns, totalColumns) end
      show.table(t, { title = title, max_rows = kGridRows })
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
