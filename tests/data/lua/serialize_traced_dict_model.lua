-- Run by tst_luaserialize, which defines DIR (its temporary folder, with the files
-- make_models.py wrote), E (the numbers PyTorch computed) and near(tensor, table).
local m = torch.jit.load(DIR .. "traced_dict.pt")
local out = m(torch.load(DIR .. "traced_input.pt"))
assert(require("kiln.ordered").is_ordered(out))
assert(near(out.score, E.traced_score) and near(out.hidden, E.traced_hidden))
local buffers = {}
for name in m:named_buffers() do buffers[#buffers + 1] = name end
assert(table.concat(buffers, ",") == "offset", table.concat(buffers, ","))
