local kiln = torch.load(DIR .. "kiln_layers.pt")
local python = torch.load(DIR .. "python_layers.pt")
local convWeights = torch.load(DIR .. "conv.weights.pt")
kiln["conv.running_mean"] = convWeights["1.running_mean"]
kiln["conv.running_var"] = convWeights["1.running_var"]
local count = 0
for key, expected in pairs(python) do
  local got = assert(kiln[key], "Kiln has no " .. key)
  assert(got.shape == expected.shape, string.format("%s: shape %s, PyTorch %s", key, tostring(got.shape), tostring(expected.shape)))
  local difference = (got:double() - expected:double()):abs():max():item()
  assert(difference < 1e-5, string.format("%s differs from PyTorch by %g", key, difference))
  count = count + 1
end
assert(count == 24, "compared " .. count .. " results")
