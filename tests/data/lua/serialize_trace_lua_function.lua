local w = torch.tensor({{1.0, 2.0}, {3.0, 4.0}})
local traced = torch.jit.trace(function(x) return {torch.matmul(x, w), x * 2} end, torch.ones(1, 2))
local out = traced(torch.tensor({{1.0, 0.0}}))
assert(near(out[1], {{1, 2}}) and near(out[2], {{2, 0}}))
assert(tostring(traced):find("RecursiveScriptModule", 1, true))
-- An error value raised inside the traced code comes out unchanged.
local ok, err = pcall(torch.jit.trace, function(x) error({code = 7}) end, torch.ones(1))
assert(not ok and type(err) == "table" and err.code == 7, tostring(err))
