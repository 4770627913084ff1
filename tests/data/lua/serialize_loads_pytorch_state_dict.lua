-- Run by tst_luaserialize, which defines DIR (its temporary folder, with the files
-- make_models.py wrote), E (the numbers PyTorch computed) and near(tensor, table).
local sd = torch.load(DIR .. "state_dict.pt")
assert(require("kiln.ordered").is_ordered(sd), "not ordered")
local keys = {}
for k in pairs(sd) do keys[#keys + 1] = k end
assert(table.concat(keys, ",") == table.concat(E.sd_keys, ","), table.concat(keys, ","))
assert(near(sd["0.weight"], E.sd_w0))
assert(near(sd["2.bias"], E.sd_b2))
assert(sd["0.weight"].dtype == torch.float32)
