#!/bin/sh
# The training quality bar's clock: `kiln train --data fashion-mnist` with its
# defaults (the built-in CNN, 10 epochs) against the same network and loop in
# PyTorch, one after the other. Prints each side's training time (data loading
# left out), final test accuracy and the ratio. Target: Kiln under 10 minutes
# with accuracy >= 0.91. Usage: bench/run_train_default.sh [BUILD_DIR] [EPOCHS]
# The PyTorch side runs on $KILN_PYTHON, by default the venv whose libtorch Kiln
# links (${KILN_VENV:-$repo/.venv}/bin/python).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
build=${1:-$repo/build}
epochs=${2:-10}
kiln="$build/app/kiln"
python=${KILN_PYTHON:-${KILN_VENV:-$repo/.venv}/bin/python}
[ -x "$kiln" ] || { echo "missing $kiln: build first (cmake --build $build)" >&2; exit 1; }
"$python" -c "import torch" 2>/dev/null || {
    echo "$python cannot import torch (scripts/install-deps.sh makes the venv; or set KILN_PYTHON)" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Kiln: seconds from the data line to the last epoch line, stamped as they arrive.
"$kiln" train --data fashion-mnist --epochs "$epochs" | while IFS= read -r line; do
    printf '%s %s\n' "$(date +%s.%N)" "$line"
done > "$out/kiln"
kiln_seconds=$(awk '/ classification: / && !s { s = $1 } / epoch [0-9]+\// { e = $1 } END { printf "%.1f", e - s }' "$out/kiln")
kiln_accuracy=$(sed -n 's/.* validation accuracy: //p' "$out/kiln")

"$python" "$here/train_default.py" "$epochs" > "$out/python"
python_seconds=$(sed -n 's/^seconds //p' "$out/python")
python_accuracy=$(tail -n 2 "$out/python" | sed -n 's/^epoch [0-9]* accuracy //p')

echo "Fashion-MNIST, built-in CNN, $epochs epochs, Adam 1e-3, batch 64 ($("$kiln" --version 2>/dev/null | grep '^BLAS'))"
printf '%-8s %10s %10s\n' "" seconds accuracy
printf '%-8s %10s %10s   (best epoch)\n' kiln "$kiln_seconds" "$kiln_accuracy"
printf '%-8s %10s %10s   (last epoch)\n' pytorch "$python_seconds" "$python_accuracy"
awk -v k="$kiln_seconds" -v p="$python_seconds" 'BEGIN { printf "kiln/pytorch time: %.3f\n", k / p }'
awk -v k="$kiln_seconds" -v a="$kiln_accuracy" -v e="$epochs" 'BEGIN {
    if (e == 10) printf "target: under 600 s with accuracy >= 0.91: %s\n", (k < 600 && a >= 0.91) ? "met" : "NOT met" }'
