-- data.load_npy / load_npz read what NumPy wrote (make_npy.py), every dtype,
-- Fortran order and big-endian included, and refuse broken files by name.
local dir = DIR .. "npy/"
local expected = torch.load(dir .. "expected.pt")
for name, want in pairs(expected) do
  local got = data.load_npy(dir .. name .. ".npy")
  assert(got.dtype == want.dtype, name .. ": dtype " .. got.dtype .. ", expected " .. want.dtype)
  assert(got:dim() == want:dim() and got:numel() == want:numel(), name .. ": shape " .. tostring(got.shape))
  assert(got:equal(want), name .. " differs from NumPy's values")
end
local npz = data.load_npz(dir .. "arrays.npz")
assert(npz.a:equal(expected.float32) and npz.b:equal(expected.int64))
local compressed = data.load_npz(dir .. "compressed.npz")
assert(compressed.weights:equal(expected.float64) and compressed.mask:equal(expected.bool))
for file, reason in pairs({
  ["truncated.npy"] = "needs 48 bytes of data",
  ["lying.npy"] = "the shape (9, 4) needs 144 bytes",
  ["object.npy"] = "element type '|O' is not one Kiln reads",
  ["notnumpy.npy"] = "not a NumPy .npy file",
}) do
  local ok, message = pcall(data.load_npy, dir .. file)
  assert(not ok and tostring(message):find(reason, 1, true) and tostring(message):find(file, 1, true),
    file .. ": " .. tostring(message))
end
