-- Kiln's Lua half of the torch API, loaded into every session after the natives.
-- Each module installs its own globals (nn, optim, data additions, plot, ...).
for _, name in ipairs({ "kiln.nn", "kiln.optim", "kiln.data", "kiln.outputs", "kiln.amp", "kiln.tensor",
                        "kiln.transforms", "kiln.autograd" }) do
  require(name)
end
class = require("kiln.class")
hf = require("kiln.hf")
-- PyTorch code says torch.nn, torch.optim and torch.nn.functional.
torch.nn, torch.optim = nn, optim

-- ipairs over a tensor walks its first dimension, as `for x in t` does in
-- PyTorch: i counts from 1 like any Lua array and the item is t[i - 1]
-- (tensors index from 0), so no element is skipped and none is out of range.
local rawIpairs, isTensor = ipairs, torch.is_tensor
function ipairs(value)
  if isTensor(value) then
    local count = #value
    return function(t, i)
      if i < count then return i + 1, t[i] end
    end, value, 0
  end
  return rawIpairs(value)
end
