-- Run by tst_luaserialize, which defines DIR (its temporary folder, with the files
-- make_models.py wrote), E (the numbers PyTorch computed) and near(tensor, table).
local m = torch.load(DIR .. "mixed.pt")
local ordered = require("kiln.ordered")
local t = ordered.new()
for _, name in ipairs({"view", "half", "bf16", "long", "int8", "bool", "base"}) do t[name] = m[name] end
t.double = torch.tensor({1.0}) * torch.tensor({2.0})
safetensors.save(DIR .. "kiln_all.safetensors", t, {epoch = "3"})
local back, metadata = safetensors.load(DIR .. "kiln_all.safetensors")
local keys = {}
for k in pairs(back) do keys[#keys + 1] = k end
assert(table.concat(keys, ",") == "view,half,bf16,long,int8,bool,base,double", table.concat(keys, ","))
assert(near(back.view, {{5, 6}, {9, 10}}))
for _, name in ipairs({"half", "bf16", "long", "int8", "bool", "base"}) do
  assert(back[name].dtype == m[name].dtype, name)
end
assert(near(back.int8, {-7, 8}) and near(back.bf16, {0.5, 4.0}))
assert(metadata.epoch == "3")
local _, none = safetensors.load(DIR .. "kiln_all.safetensors")
safetensors.save(DIR .. "plain.safetensors", {b = torch.ones(1), a = torch.zeros(2)})
local plain, meta = safetensors.load(DIR .. "plain.safetensors")
local order = {}
for k in pairs(plain) do order[#order + 1] = k end
assert(table.concat(order, ",") == "a,b" and next(meta) == nil)
