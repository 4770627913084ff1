local kiln = torch.load(DIR .. "kiln_optimizers.pt")
local python = torch.load(DIR .. "python_optimizers.pt")
local count = 0
for key, expected in pairs(python) do
  local got = assert(kiln[key], "Kiln has no " .. key)
  local difference = (got:double() - expected:double()):abs():max():item()
  assert(difference < 1e-5, string.format("%s differs from PyTorch by %g", key, difference))
  count = count + 1
end
assert(count == 25, "compared " .. count .. " tensors")
