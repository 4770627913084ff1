-- torch.load reads torch.save's legacy (pre-1.6) format: the same values as the
-- zip format holds (make_legacy.py), views of one storage included.
local dir = DIR .. "legacy/"
local expected = torch.load(dir .. "expected.pt")
local state = torch.load(dir .. "state.pt")
assert(state.weight:equal(expected.state.weight) and state.bias:equal(expected.state.bias))
local model = nn.Linear(3, 2)
model:load_state_dict(state)
local checkpoint = torch.load(dir .. "checkpoint.pt")
local want = expected.checkpoint
assert(checkpoint.step == 7)
assert(checkpoint.window:equal(want.window) and checkpoint.window.dtype == torch.float64)
assert(checkpoint.all:equal(want.all) and checkpoint.labels:equal(want.labels) and checkpoint.mask:equal(want.mask))
assert(checkpoint.model.weight:equal(want.model.weight))
local ok, message = pcall(torch.load, dir .. "truncated.pt")
assert(not ok and tostring(message):find("truncated.pt", 1, true), tostring(message))
