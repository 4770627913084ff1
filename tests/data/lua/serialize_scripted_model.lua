-- Run by tst_luaserialize, which defines DIR (its temporary folder, with the files
-- make_models.py wrote), E (the numbers PyTorch computed) and near(tensor, table).
local m = torch.jit.load(DIR .. "scripted.pt")
local inputs = torch.load(DIR .. "scripted_inputs.pt")
local out = m(inputs.x, inputs.y)
assert(#out == 2 and near(out[1], E.scripted_a) and near(out[2], E.scripted_b), "forward")
assert(near(m:forward(inputs.x, inputs.y)[1], E.scripted_a), "m:forward")
local scaled = m:call_method("scale", inputs.x, 2)
assert(((scaled - inputs.x * 2) ^ 2):sum():item() < 1e-10, "call_method")
local names = {}
for name, p in m:named_parameters() do names[#names + 1] = name .. ":" .. p:dim() end
assert(table.concat(names, ",") == "fc.weight:2,fc.bias:1", table.concat(names, ","))
assert(#m:parameters() == 2)
local methods = {}
for _, method in ipairs(m:methods()) do methods[method.name] = method.schema end
assert(methods.forward and methods.forward:find("forward%(") and methods.scale, "methods")
local children = {}
for name, child in m:named_children() do children[#children + 1] = name .. "=" .. tostring(child) end
assert(children[1] == "fc=RecursiveScriptModule(original_name=Linear)", children[1])
assert(#m:children() == 1)
assert(tostring(m):find("original_name=Pair", 1, true), tostring(m))
assert(tostring(m):find("(fc): RecursiveScriptModule(original_name=Linear)", 1, true), tostring(m))
local sd = m:state_dict()
local keys = {}
for k in pairs(sd) do keys[#keys + 1] = k end
assert(table.concat(keys, ",") == "fc.weight,fc.bias")
assert(m.training == false or m.training == true)
m:train()
assert(m.training == true and m.fc.training == true)
assert(m:eval() == m and m.training == false)
assert(m.fc.weight:size(0) == 2, "attribute access")
m:save(DIR .. "resaved.pt")
local again = torch.jit.load(DIR .. "resaved.pt")
assert(near(again(inputs.x, inputs.y)[1], E.scripted_a), "resaved")
local buffers = 0
for _ in m:named_buffers() do buffers = buffers + 1 end
assert(buffers == 0)
-- load_state_dict on a loaded TorchScript module: in place, PyTorch's checks.
local other = torch.jit.load(DIR .. "scripted.pt")
local zeroed = {["fc.weight"] = torch.zeros(2, 3), ["fc.bias"] = torch.ones(2)}
local report = other:load_state_dict(zeroed)
assert(#report.missing_keys == 0 and #report.unexpected_keys == 0)
assert(other.fc.weight:abs():sum():item() == 0 and other.fc.bias:sum():item() == 2, "copied in place")
other:load_state_dict(m:state_dict())
assert(near(other(inputs.x, inputs.y)[1], E.scripted_a), "restored")
local ok, err = pcall(other.load_state_dict, other, {["fc.weight"] = torch.zeros(3, 3)})
assert(not ok and err:find("fc.weight: checkpoint has shape [3, 3], the model has [2, 3]", 1, true)
  and err:find("Missing key(s): fc.bias", 1, true) and err:find("state_dict for Pair:", 1, true), err)
ok, err = pcall(other.load_state_dict, other, {["fc.weight"] = torch.zeros(2, 3), ["fc.bias"] = torch.ones(2), extra = torch.ones(1)})
assert(not ok and err:find("Unexpected key(s): extra", 1, true), err)
report = other:load_state_dict({["fc.bias"] = torch.zeros(2), extra = torch.ones(1)}, false)
assert(report.missing_keys[1] == "fc.weight" and report.unexpected_keys[1] == "extra")
assert(other.fc.bias:abs():sum():item() == 0)
-- torch.jit.save, as PyTorch spells it
torch.jit.save(other, DIR .. "jit_saved.pt")
assert(torch.jit.load(DIR .. "jit_saved.pt").fc.bias:abs():sum():item() == 0)
