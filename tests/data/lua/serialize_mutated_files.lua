-- Run by tst_luaserialize, which defines DIR (its temporary folder, with the files
-- make_models.py wrote), E (the numbers PyTorch computed) and near(tensor, table).
-- Mutated files load or fail with an error naming the file; the session goes on.
local loaded, failed = 0, 0
for i = 0, 149 do
  for _, case in ipairs({{torch.load, ".pt"}, {safetensors.load, ".safetensors"}}) do
    local path = DIR .. string.format("fuzz/%03d", i) .. case[2]
    local ok, err = pcall(case[1], path)
    if ok then
      loaded = loaded + 1
    else
      failed = failed + 1
      assert(type(err) == "string" and err:find(path, 1, true), tostring(err))
    end
  end
end
assert(loaded + failed == 300 and failed > 0)
