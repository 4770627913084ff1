-- Kiln's Lua half of the torch API, loaded into every session after the natives.
-- Each module installs its own globals.
for _, name in ipairs({ "kiln.data" }) do
  require(name)
end
