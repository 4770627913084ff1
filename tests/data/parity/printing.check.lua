local function read(name)
  local file = assert(io.open(DIR .. name))
  local text = file:read("a")
  file:close()
  local items = {}
  for item in text:gmatch("(.-)\n%z\n") do items[#items + 1] = item end
  return items
end
local kiln, python = read("kiln_printing.txt"), read("python_printing.txt")
assert(#kiln == #python and #kiln > 0, "case counts differ")
for i = 1, #kiln do
  if kiln[i] ~= python[i] then
    error(string.format("case %d prints differently\nKiln:\n%s\nPyTorch:\n%s", i, kiln[i], python[i]))
  end
end
