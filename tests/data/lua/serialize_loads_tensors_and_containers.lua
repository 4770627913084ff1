-- Run by tst_luaserialize, which defines DIR (its temporary folder, with the files
-- make_models.py wrote), E (the numbers PyTorch computed) and near(tensor, table).
assert(near(torch.load(DIR .. "tensor.pt"), E.tensor))
local m = torch.load(DIR .. "mixed.pt")
assert(near(m.view, {{5, 6}, {9, 10}}), "view")
assert(m.view:size(0) == 2 and m.view:size(1) == 2)
assert(near(m.base, {{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}}), "base")
assert(m.half.dtype == torch.float16 and near(m.half, {1.5, -2.0}), "half")
assert(m.bf16.dtype == torch.bfloat16 and near(m.bf16, {0.5, 4.0}), "bf16")
assert(m.long.dtype == torch.int64 and near(m.long, {1, -2, 3}), "long")
assert(m.int8.dtype == torch.int8 and near(m.int8, {-7, 8}), "int8")
assert(m.bool.dtype == torch.bool and m.bool:sum():item() == 1, "bool")
assert(m.param:sum():item() == 2.0, "parameter")
assert(m.list[1] == 1 and m.list[2] == 2.5 and m.list[3] == "x" and m.list[4] == nil and m.list[5] == true, "list")
assert(m.tuple[1] == 1 and m.tuple[2] == 2 and #m.tuple == 2, "tuple")
assert(near(m.nested.a[1], {0}) and m.nested.b.c == 3, "nested")
-- A BatchNorm state dict nested in a dict: OrderedDict with _metadata, a 0-dim int64 tensor.
local keys = {}
for k in pairs(m.bn) do keys[#keys + 1] = k end
assert(table.concat(keys, ",") == "weight,bias,running_mean,running_var,num_batches_tracked", table.concat(keys, ","))
assert(m.bn.num_batches_tracked:dim() == 0 and m.bn.num_batches_tracked:item() == 0)
assert(near(m.bn.running_var, {1, 1}))
