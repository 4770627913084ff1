#!/bin/sh
# GPT-2 generation speed: greedy decoding of 128 new tokens from a 16-token prompt,
# batch 1, with the key-value cache, on 1 thread, in Kiln (model:generate) and in
# transformers' generate, on the same small random GPT-2 (n_embd 256, 4 layers,
# 4 heads, vocab 5000) saved with save_pretrained. Both run in the same invocation,
# after a warm-up, best of 3; prints tokens a second and the ratio (Kiln / Python;
# above 1 is faster), and whether both generated the same ids. Goal: >= 1.0x.
# Kiln's hf modules are read from resources/lua, as tests/data/hf/run.sh reads
# them, so the Lua on disk is measured without a rebuild.
# Usage: bench/run_gpt2.sh [BUILD_DIR] [PYTHON]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
python=${2:-$here/../.venv/bin/python}
kiln="$build/app/kiln"
[ -x "$kiln" ] || { echo "missing $kiln: build first (cmake --build $build)" >&2; exit 1; }
work=$(mktemp -d)
notebook="$here/../resources/lua/.bench-gpt2.kiln.md"
trap 'rm -rf "$work" "$notebook"' EXIT
new=128

TRANSFORMERS_VERBOSITY=error HF_HUB_DISABLE_PROGRESS_BARS=1 "$python" - "$work" "$new" > "$work/python.txt" <<'PY'
import sys, time
import torch
from transformers import GPT2Config, GPT2LMHeadModel
work, new = sys.argv[1], int(sys.argv[2])
torch.manual_seed(0)
torch.set_num_threads(1)
config = GPT2Config(vocab_size=5000, n_embd=256, n_layer=4, n_head=4, n_positions=256, bos_token_id=4999,
                    eos_token_id=4999)
model = GPT2LMHeadModel(config).eval()
model.save_pretrained(work + "/model")
prompt = torch.randint(0, 5000, (1, 16))
torch.save({"prompt": prompt}, work + "/prompt.pt")

def run():
    with torch.no_grad():
        return model.generate(prompt, max_new_tokens=new, do_sample=False, eos_token_id=None, pad_token_id=0)

ids = run()  # warm-up
best = float("inf")
for _ in range(3):
    start = time.perf_counter()
    ids = run()
    best = min(best, time.perf_counter() - start)
assert ids.shape[1] == 16 + new
torch.save({"ids": ids}, work + "/python_ids.pt")
print("python tokens/s %.1f" % (new / best))
PY

cat > "$notebook" <<EOF
# GPT-2 generation benchmark

\`\`\`lua
for name in pairs(package.loaded) do
  if name == "kiln.hf" or name:match("^kiln%.hf%.") then package.loaded[name] = nil end
end
local hf = require("kiln.hf")
torch.set_num_threads(1)
local model = hf.from_pretrained("$work/model")
local prompt = torch.load("$work/prompt.pt").prompt
local function run() return model:generate(prompt, {max_new_tokens = $new, eos_token_id = false}) end
local ids = run()  -- warm-up
local best = math.huge
for _ = 1, 3 do
  local start = time.perf_counter()
  ids = run()
  best = math.min(best, time.perf_counter() - start)
end
local same = ids:equal(torch.load("$work/python_ids.pt").ids)
print(string.format("kiln tokens/s %.1f", $new / best))
print("same ids " .. tostring(same))
\`\`\`
EOF
"$kiln" run "$notebook" > "$work/kiln.txt"

k=$(sed -n 's/^kiln tokens\/s //p' "$work/kiln.txt")
p=$(sed -n 's/^python tokens\/s //p' "$work/python.txt")
same=$(sed -n 's/^same ids //p' "$work/kiln.txt")
awk -v k="$k" -v p="$p" -v n="$new" -v same="$same" \
    'BEGIN { printf "gpt2 greedy, %d new tokens, batch 1, 1 thread: kiln %.1f tokens/s, transformers %.1f tokens/s, ratio %.2f (goal >= 1.0); same ids: %s\n", n, k, p, k / p, same }'
