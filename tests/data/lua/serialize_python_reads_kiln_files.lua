-- Run by tst_luaserialize, which defines DIR (its temporary folder, with the files
-- make_models.py wrote), E (the numbers PyTorch computed) and near(tensor, table).
local ordered = require("kiln.ordered")
local reference = torch.load(DIR .. "state_dict.pt")
local sd = ordered.new()
for k, v in pairs(reference) do sd[k] = v end
torch.save(sd, DIR .. "kiln_state_dict.pt")
local mixed = torch.load(DIR .. "mixed.pt")
torch.save({name = "kiln", list = {1, 2.5, true}, count = 1 << 40, view = mixed.view, half = mixed.half,
            flags = mixed.bool}, DIR .. "kiln_values.pt")

torch.manual_seed(3)
local Net = {}
Net.__index = Net
Net.__name = "TinyNet"
Net.__call = function(self, x, y)
  local h = torch.matmul(x, self.w1) + self.b1
  return torch.matmul(h, self.w2) * self.scale + y, h:sum()
end
local function pairsOf(list)
  local i = 0
  return function() i = i + 1; if list[i] then return list[i][1], list[i][2] end end
end
function Net:named_parameters()
  return pairsOf({{"fc1.weight", self.w1}, {"fc1.bias", self.b1}, {"fc2.weight", self.w2}})
end
function Net:named_buffers() return pairsOf({{"scale", self.scale}}) end
local net = setmetatable({w1 = torch.randn(3, 4), b1 = torch.randn(4), w2 = torch.randn(4, 2),
                          scale = torch.tensor({2.0})}, Net)
local x, y = torch.randn(5, 3), torch.randn(5, 2)
local traced = torch.jit.trace(net, {x, y})
local a, b = net(x, y)
local out = traced(x, y)
assert(((out[1] - a) ^ 2):sum():item() < 1e-10 and ((out[2] - b) ^ 2):sum():item() < 1e-10, "traced output")
local names = {}
for name in traced:named_parameters() do names[#names + 1] = name end
assert(table.concat(names, ",") == "fc1.weight,fc1.bias,fc2.weight", table.concat(names, ","))
assert(tostring(traced):find("(fc1): RecursiveScriptModule(original_name=TinyNet_fc1)", 1, true), tostring(traced))
-- New inputs of another batch size give the model's own answer.
local x2, y2 = torch.randn(2, 3), torch.randn(2, 2)
local a2 = net(x2, y2)
assert(((traced(x2, y2)[1] - a2) ^ 2):sum():item() < 1e-10, "other batch")
traced:save(DIR .. "kiln_traced.pt")
torch.save({x = x, y = y, a = a, b = b}, DIR .. "kiln_traced_io.pt")
safetensors.save(DIR .. "kiln.safetensors", {w = torch.tensor({{1.0, 2.0}, {3.0, 4.0}})}, {source = "kiln"})
