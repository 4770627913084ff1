-- Run by tst_luaserialize, which defines DIR (its temporary folder, with the files
-- make_models.py wrote), E (the numbers PyTorch computed) and near(tensor, table).
local w = torch.tensor({{1.0, 2.0}, {3.0, 4.0}})
local traced = torch.jit.trace(function(x) return {torch.matmul(x, w), x * 2} end, torch.ones(1, 2))
local out = traced(torch.tensor({{1.0, 0.0}}))
assert(near(out[1], {{1, 2}}) and near(out[2], {{2, 0}}))
assert(tostring(traced):find("RecursiveScriptModule", 1, true))
-- An error value raised inside the traced code comes out unchanged.
local ok, err = pcall(torch.jit.trace, function(x) error({code = 7}) end, torch.ones(1))
assert(not ok and type(err) == "table" and err.code == 7, tostring(err))
-- strict = true refuses a dict output, as PyTorch does.
local ok2, err2 = pcall(torch.jit.trace, function(x) return {y = x} end, torch.ones(1), {strict = true})
assert(not ok2 and tostring(err2):find("dict"), tostring(err2))
local dict = torch.jit.trace(function(x) return {y = x * 2} end, torch.ones(1))(torch.ones(1))
assert(dict.y:item() == 2)
