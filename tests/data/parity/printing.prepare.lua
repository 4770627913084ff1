-- Kiln's tostring of tensors, one per entry, for printing.py to compare with PyTorch's repr.
local nan, inf = 0 / 0, math.huge
local cases = {
  torch.tensor({{1, 2, 3}, {4, 5, 6}}),
  torch.tensor({1.5, 2.25, -3}),
  torch.arange(2000):float(),
  torch.tensor({1e-5, 1, 1000}),
  torch.tensor({1.5}, {dtype = torch.float64}),
  torch.zeros(0, 3),
  torch.zeros(0),
  torch.tensor(3.0),
  torch.tensor(-7),
  torch.tensor({true, false}),
  torch.ones(2, 3, {requires_grad = true}),
  torch.ones(2, {requires_grad = true}) * 2,
  torch.linspace(0, 1, 7),
  torch.arange(24):reshape(2, 3, 4),
  torch.arange(1200):reshape(40, 30),
  torch.arange(1200):reshape(40, 30):float() / 7,
  torch.tensor({0.1, 0.25, 100.5, -7}, {dtype = torch.float64}),
  torch.tensor({1e10, 1}),
  torch.tensor({inf, -inf, nan, 1.5}),
  torch.arange(10, {dtype = torch.int32}),
  torch.tensor({{1e-8, 1}}),
  torch.tensor({5, 200}, {dtype = torch.uint8}),
  torch.arange(30):float():reshape(1, 30) * 1000,
  torch.eye(3)[1],
}
local file = assert(io.open(DIR .. "kiln_printing.txt", "w"))
for _, t in ipairs(cases) do file:write(tostring(t), "\n\0\n") end
file:close()
