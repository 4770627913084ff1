#!/bin/sh
# Runs one architecture's parity check by hand, as tst_hfmodels familyParity does:
#   tests/data/hf/run.sh NAME [KILN]
# NAME.py writes a tiny random model with transformers' save_pretrained and its
# reference outputs into a folder; NAME.lua, run in Kiln with the global `folder`
# naming it, returns "ok ..." or fails with one line. Kiln's hf modules are read
# from resources/lua on disk, so a change to them needs no rebuild here.
set -eu
here=$(cd "$(dirname "$0")/../../.." && pwd)
name="$1"
kiln="${2:-$here/build/app/kiln}"
out="${TMPDIR:-/tmp}/kiln-hf-$name"
rm -rf "$out" && mkdir -p "$out"
"$here/.venv/bin/python" "$here/tests/data/hf/$name.py" "$out/model"
# A notebook in resources/lua finds the kiln.* modules there before the built-in ones.
notebook="$here/resources/lua/.check-$name.kiln.md"
trap 'rm -f "$notebook"' EXIT
cat > "$notebook" <<LUA
\`\`\`lua
for name in pairs(package.loaded) do
  if name == "kiln.hf" or name:match("^kiln%.hf%.") then package.loaded[name] = nil end
end
hf = require("kiln.hf")
pipeline = hf.pipeline
folder = "$out/model"
return dofile("$here/tests/data/hf/$name.lua")
\`\`\`
LUA
"$kiln" run "$notebook"
