-- Run by tst_luaserialize, which defines DIR (its temporary folder, with the files
-- make_models.py wrote), E (the numbers PyTorch computed) and near(tensor, table).
local ordered = require("kiln.ordered")
local t = ordered.new()
t.zeta = torch.tensor({1.5, 2.5})
t.alpha = {1, 2, "three", true, {x = 1.25}}
t.count = 1 << 40
local path = DIR .. "roundtrip.pt"
torch.save(t, path)
local back = torch.load(path)
local keys = {}
for k in pairs(back) do keys[#keys + 1] = k end
assert(table.concat(keys, ",") == "zeta,alpha,count", table.concat(keys, ","))
assert(near(back.zeta, {1.5, 2.5}))
assert(back.alpha[3] == "three" and back.alpha[4] == true and back.alpha[5].x == 1.25)
assert(back.count == 1 << 40 and math.type(back.count) == "integer")
torch.save(torch.ones(2, 3), path)
assert(torch.load(path):sum():item() == 6)
torch.save(42, path)
assert(torch.load(path) == 42)
