#!/bin/sh
# Runs the MLP epoch three ways (Kiln notebook, C++ libtorch, PyTorch) in one
# go, alternating, at batch 16 and 64, and prints the median seconds per epoch
# and the ratios. Usage: bench/run_mlp_epoch.sh [BUILD_DIR] [ROUNDS] [EPOCHS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
rounds=${2:-3}
epochs=${3:-3}
kiln="$build/app/kiln"
cxx="$build/bench/bench_mlp_epoch"
python=${KILN_PYTHON:-/usr/bin/python3}
for tool in "$kiln" "$cxx"; do
    [ -x "$tool" ] || { echo "missing $tool: build first (cmake --build $build)" >&2; exit 1; }
done
"$python" -c "import torch" 2>/dev/null || { echo "$python cannot import torch (install python3-torch)" >&2; exit 1; }
results=$(mktemp)
trap 'rm -f "$results"' EXIT

seconds() { sed -n 's/^seconds //p'; }
for round in $(seq "$rounds"); do
    for batch in 16 64; do
        # A different order each round, so no runner always goes first.
        case $((round % 3)) in
            1) order="kiln cxx python" ;;
            2) order="cxx python kiln" ;;
            0) order="python kiln cxx" ;;
        esac
        for who in $order; do
            case $who in
                kiln) KILN_BENCH_BATCH=$batch KILN_BENCH_EPOCHS=$epochs "$kiln" run "$here/mlp_epoch.kiln.md" 2>/dev/null | seconds ;;
                cxx) "$cxx" "$batch" "$epochs" | seconds ;;
                python) "$python" "$here/mlp_epoch.py" "$batch" "$epochs" | seconds ;;
            esac | sed "s/^/$who $batch /" >> "$results"
        done
    done
done

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "Fashion-MNIST MLP epoch (784-128-10, Adam), median seconds over $rounds rounds x $epochs epochs"
echo "$("$kiln" --version 2>/dev/null | grep '^BLAS')"
printf '%-6s %8s %8s %8s %12s %12s\n' batch kiln c++ python kiln/c++ kiln/python
for batch in 16 64; do
    k=$(awk -v b=$batch '$1 == "kiln" && $2 == b { print $3 }' "$results" | median)
    c=$(awk -v b=$batch '$1 == "cxx" && $2 == b { print $3 }' "$results" | median)
    p=$(awk -v b=$batch '$1 == "python" && $2 == b { print $3 }' "$results" | median)
    awk -v b="$batch" -v k="$k" -v c="$c" -v p="$p" \
        'BEGIN { printf "%-6s %8.3f %8.3f %8.3f %12.3f %12.3f\n", b, k, c, p, k / c, k / p }'
done
echo "targets at batch 16: kiln/c++ <= 1.05, kiln/python <= 0.80"
