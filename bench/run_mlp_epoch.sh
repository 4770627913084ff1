#!/bin/sh
# Runs the MLP epoch three ways (Kiln notebook, C++ libtorch, PyTorch) in one
# go, interleaved, at each thread count and batch size, and prints the median
# seconds per epoch and the ratios.
# Usage: bench/run_mlp_epoch.sh [--threads LIST] [--batches LIST] [BUILD_DIR] [ROUNDS] [EPOCHS]
#   --threads LIST  thread counts, "all" meaning every core (nproc); default "1 all"
#                   (or $THREADS). Each side gets the same count: `kiln run --threads N`,
#                   OMP_NUM_THREADS/MKL_NUM_THREADS for the C++ loop (libtorch's
#                   OpenMP pool reads them at start) and `mlp_epoch.py --threads N`
#                   (torch.set_num_threads).
#   --batches LIST  batch sizes; default "16 64" (or $BATCHES)
#   ROUNDS, EPOCHS  default 5 and 2: the median is over ROUNDS x EPOCHS epochs.
# KEEP_RESULTS=FILE keeps every epoch's time ("who threads batch seconds" lines).
# The PyTorch side runs on $KILN_PYTHON, by default the venv whose libtorch Kiln
# links (${KILN_VENV:-$repo/.venv}/bin/python).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
threads_list=${THREADS:-1 all}
batches=${BATCHES:-16 64}
while [ $# -gt 0 ]; do
    case $1 in
        --threads) threads_list=$2; shift 2 ;;
        --threads=*) threads_list=${1#*=}; shift ;;
        --batches) batches=$2; shift 2 ;;
        --batches=*) batches=${1#*=}; shift ;;
        -h|--help) sed -n '2,16s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) break ;;
    esac
done
build=${1:-$repo/build}
rounds=${2:-5}
epochs=${3:-2}
kiln="$build/app/kiln"
cxx="$build/bench/bench_mlp_epoch"
python=${KILN_PYTHON:-${KILN_VENV:-$repo/.venv}/bin/python}
for tool in "$kiln" "$cxx"; do
    [ -x "$tool" ] || { echo "missing $tool: build first (cmake --build $build)" >&2; exit 1; }
done
"$python" -c "import torch" 2>/dev/null || {
    echo "$python cannot import torch (scripts/install-deps.sh makes the venv; or set KILN_PYTHON)" >&2; exit 1; }
cores=$(nproc)
threads=""
for t in $(echo "$threads_list" | tr ',' ' '); do
    case $t in
        all) t=$cores ;;
        *[!0-9]*|'') echo "--threads wants whole numbers or 'all', got '$t'" >&2; exit 2 ;;
    esac
    case " $threads " in *" $t "*) ;; *) threads="$threads $t" ;; esac
done
results=$(mktemp)
trap 'rm -f "$results"' EXIT

echo "load before: $(uptime | sed 's/.*load average: //')"
seconds() { sed -n 's/^seconds //p'; }
for round in $(seq "$rounds"); do
    for t in $threads; do
        for batch in $batches; do
            # A different order each round, so no runner always goes first.
            case $((round % 3)) in
                1) order="kiln cxx python" ;;
                2) order="cxx python kiln" ;;
                0) order="python kiln cxx" ;;
            esac
            for who in $order; do
                case $who in
                    kiln) OMP_NUM_THREADS=$t MKL_NUM_THREADS=$t KILN_BENCH_BATCH=$batch KILN_BENCH_EPOCHS=$epochs \
                              "$kiln" run --threads "$t" "$here/mlp_epoch.kiln.md" 2>/dev/null | seconds ;;
                    cxx) OMP_NUM_THREADS=$t MKL_NUM_THREADS=$t "$cxx" "$batch" "$epochs" | seconds ;;
                    python) OMP_NUM_THREADS=$t MKL_NUM_THREADS=$t \
                                "$python" "$here/mlp_epoch.py" "$batch" "$epochs" --threads "$t" | seconds ;;
                esac | sed "s/^/$who $t $batch /" >> "$results"
            done
        done
    done
done
echo "load after:  $(uptime | sed 's/.*load average: //')"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "Fashion-MNIST MLP epoch (784-128-10, Adam), median seconds over $rounds rounds x $epochs epochs, $cores cores"
echo "$("$kiln" --version 2>/dev/null | grep '^libtorch\|^BLAS' | paste -sd';' -); python: $python"
printf '%-7s %-6s %8s %8s %8s %9s %12s\n' threads batch kiln c++ python kiln/c++ kiln/python
for t in $threads; do
    for batch in $batches; do
        k=$(awk -v t="$t" -v b="$batch" '$1 == "kiln" && $2 == t && $3 == b { print $4 }' "$results" | median)
        c=$(awk -v t="$t" -v b="$batch" '$1 == "cxx" && $2 == t && $3 == b { print $4 }' "$results" | median)
        p=$(awk -v t="$t" -v b="$batch" '$1 == "python" && $2 == t && $3 == b { print $4 }' "$results" | median)
        awk -v t="$t" -v b="$batch" -v k="$k" -v c="$c" -v p="$p" \
            'BEGIN { printf "%-7s %-6s %8.3f %8.3f %8.3f %9.3f %12.3f\n", t, b, k, c, p, k / c, k / p }'
    done
done
echo "targets at batch 16: kiln/c++ <= 1.05, kiln/python <= 0.80"
if [ -n "${KEEP_RESULTS:-}" ]; then cp "$results" "$KEEP_RESULTS"; fi
