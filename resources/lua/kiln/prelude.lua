-- Kiln's Lua half of the torch API, loaded into every session after the natives.
-- Each module installs its own globals (nn, optim, data additions, plot, ...).
for _, name in ipairs({ "kiln.nn", "kiln.optim", "kiln.data", "kiln.outputs", "kiln.amp" }) do
  require(name)
end
class = require("kiln.class")
