-- Run by tst_luaserialize, which defines DIR (its temporary folder, with the files
-- make_models.py wrote), E (the numbers PyTorch computed) and near(tensor, table).
local tensors, metadata = safetensors.load(DIR .. "hand.safetensors")
local keys = {}
for k in pairs(tensors) do keys[#keys + 1] = k end
assert(table.concat(keys, ",") == "weight,ids,flags", table.concat(keys, ","))
assert(near(tensors.weight, {{0, 1, 2}, {3, 4, 5}}) and tensors.weight.dtype == torch.float32)
assert(near(tensors.ids, {5, -6}) and tensors.ids.dtype == torch.int64)
assert(tensors.flags.dtype == torch.bool and tensors.flags:sum():item() == 2)
assert(metadata.format == "pt" and metadata.note == "made by python")
