#!/bin/sh
# `kiln predict` on a folder of 28x28 PNGs against a C++ loop that only decodes
# (QImage) and runs forward in the same batches. Both are timed from outside,
# process start and model load included; prints images/s and the ratio.
# Usage: bench/run_predict.sh [BUILD_DIR] [ROUNDS] [COUNT] [BATCH]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
rounds=${2:-5}
count=${3:-2000}
batch=${4:-64}
kiln="$build/app/kiln"
cxx="$build/bench/bench_predict_images"
for tool in "$kiln" "$cxx"; do
    [ -x "$tool" ] || { echo "missing $tool: build first (cmake --build $build)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$cxx" prepare "$work" "$count"

now() { date +%s.%N; }
results="$work/results"
for round in $(seq "$rounds"); do
    # Alternate which goes first, so neither always meets a cold cache.
    if [ $((round % 2)) -eq 1 ]; then order="kiln loop"; else order="loop kiln"; fi
    for who in $order; do
        start=$(now)
        case $who in
            kiln) "$kiln" predict "$work/model.pt" "$work/images" --batch-size "$batch" --csv "$work/out.csv" ;;
            loop) "$cxx" loop "$work/model.pt" "$work/images" "$batch" > /dev/null ;;
        esac
        end=$(now)
        echo "$who $(awk -v s="$start" -v e="$end" -v n="$count" 'BEGIN { print n / (e - s) }')" >> "$results"
    done
done
[ "$(wc -l < "$work/out.csv")" -eq $((count + 1)) ] || { echo "kiln predict wrote $(wc -l < "$work/out.csv") lines" >&2; exit 1; }

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
k=$(awk '$1 == "kiln" { print $2 }' "$results" | median)
l=$(awk '$1 == "loop" { print $2 }' "$results" | median)
echo "$count 28x28 PNGs, batch $batch, median of $rounds rounds, process start and model load included"
awk -v k="$k" -v l="$l" 'BEGIN { printf "kiln predict %8.0f images/s\nC++ loop     %8.0f images/s\nratio        %8.2f (target >= 0.80)\n", k, l, k / l }'
