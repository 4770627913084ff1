#!/bin/bash
# The GPU check: run from the repository root on the GPU machine, in one go.
#   bench/gpu/run.sh             the GPU machine: build-gpu-pack/bin/kiln (made by
#                                bench/gpu/pack.sh) on the machine's own PyTorch
#   bench/gpu/run.sh --dry-run   here, on the CPU: the build tree's kiln, .venv's
#                                Python, small sample counts, no nvidia-smi
# Steps: nvidia-smi, the pack's libraries, kiln --version, device_check.kiln.md, the
# CNN epoch in PyTorch (eager and CUDA graph) and in Kiln, then the ratios. Each step
# runs under `timeout` within an overall budget, so a hang cannot use up the
# machine's time; its output goes to $OUT/<step>.log as well. A failing step does
# not stop the others; the exit status is 1 when any failed.
# Environment: OUT (logs; a new temporary folder if unset), KILN_PACK (the pack,
# default build-gpu-pack; with --dry-run, setting it tests the pack here instead of
# the build tree's kiln), KILN_BUILD (the build tree, default build),
# KILN_PYTHON, KILN_GPU_BUDGET (seconds for all steps, default 450),
# KILN_TRAIN_DATA (when set, also `kiln train --data "$KILN_TRAIN_DATA"` on the device).
# To prepare the device run: build the headless kiln (KILN_GUI=OFF), then
#   bench/gpu/pack.sh BUILD/app/kiln build-gpu-pack
# and run `bench/gpu/run.sh` there with build-gpu-pack carried along.
set -u

cd "$(dirname "$0")/../.." || exit 2
root=$(pwd)
dry=0
case ${1:-} in
    --dry-run) dry=1 ;;
    "") ;;
    *) echo "usage: $0 [--dry-run]" >&2; exit 2 ;;
esac

out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
started=$(date +%s)
budget=${KILN_GPU_BUDGET:-450}

if [ $dry -eq 1 ]; then
    python=${KILN_PYTHON:-$root/.venv/bin/python}
    device=cpu
    samples=1024
    use_pack=${KILN_PACK:+1}
else
    python=${KILN_PYTHON:-python3}
    device=cuda
    samples=60000
    use_pack=1
fi
pack=$root/${KILN_PACK:-build-gpu-pack}
case ${KILN_PACK:-} in /*) pack=$KILN_PACK ;; esac

failed=()
# step NAME SECONDS COMMAND...: runs COMMAND with a time limit (cut to what is left
# of the budget), shows and logs its output, and records a failure.
step() {
    local name=$1 limit=$2 left rc
    shift 2
    left=$((budget - ($(date +%s) - started)))
    [ "$limit" -gt "$left" ] && limit=$left
    echo
    echo "=== $name (limit ${limit}s)"
    if [ "$limit" -lt 10 ]; then
        echo "=== $name: skipped, the time budget is spent" | tee "$out/$name.log"
        failed+=("$name")
        return
    fi
    timeout -k 10 "$limit" "$@" 2>&1 | tee "$out/$name.log"
    rc=${PIPESTATUS[0]}
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        echo "=== $name: timed out after ${limit}s"
        failed+=("$name")
    elif [ "$rc" -ne 0 ]; then
        echo "=== $name: failed (exit $rc)"
        failed+=("$name")
    fi
}

# The machine's PyTorch provides libtorch and the CUDA libraries: its lib folder and
# the nvidia/*/lib folders of the pip wheels (the kiln binary may need libcudart
# itself, and its RUNPATH names this machine's paths).
libs=$("$python" - <<'EOF'
import glob, os
import torch
site = os.path.dirname(os.path.dirname(torch.__file__))
print(":".join([os.path.join(os.path.dirname(torch.__file__), "lib")]
               + sorted(glob.glob(os.path.join(site, "nvidia", "*", "lib")))))
EOF
) || { echo "$python cannot import torch" >&2; exit 1; }

if [ -n "$use_pack" ]; then
    [ -x "$pack/bin/kiln" ] || { echo "no $pack/bin/kiln: run bench/gpu/pack.sh first" >&2; exit 1; }
    [ -f "$pack/lib/kiln/libkiln_cuda.so" ] || echo "warning: $pack has no lib/kiln/libkiln_cuda.so; kiln will not see the GPU" >&2
    # pack.sh stores ICU's data xz-compressed; unpack it next to the run, not into the
    # pack, which may be read-only. Python's lzma, because xz may not be installed.
    mkdir -p "$tmp/lib"
    for packed in "$pack"/lib/*.xz; do
        [ -e "$packed" ] || continue
        "$python" -c 'import lzma, shutil, sys
with lzma.open(sys.argv[1]) as src, open(sys.argv[2], "wb") as dst: shutil.copyfileobj(src, dst)' \
            "$packed" "$tmp/lib/$(basename "$packed" .xz)" || exit 1
    done
    # Only kiln sees these libraries (through the wrapper below): Python and
    # nvidia-smi keep the system's.
    cat > "$tmp/env.sh" <<EOF
export LD_LIBRARY_PATH="$pack/lib:$tmp/lib:$libs"
export QT_PLUGIN_PATH="$pack/plugins"
export QT_QPA_PLATFORM=offscreen
export KILN_TORCH_LIB="${libs%%:*}"
EOF
    # A wrapper script, so that `timeout` can run it.
    cat > "$tmp/kiln" <<EOF
#!/bin/sh
. "$tmp/env.sh"
exec "$pack/bin/kiln" "\$@"
EOF
else
    cat > "$tmp/kiln" <<EOF
#!/bin/sh
QT_QPA_PLATFORM=offscreen exec "$root/${KILN_BUILD:-build}/app/kiln" "\$@"
EOF
fi
chmod +x "$tmp/kiln"
kiln=$tmp/kiln

echo "GPU check: device $device, $samples samples, logs in $out"
if [ $dry -eq 0 ]; then
    step nvidia-smi 30 sh -c 'nvidia-smi -L && nvidia-smi --query-gpu=driver_version,memory.total --format=csv,noheader'
fi
if [ -n "$use_pack" ]; then
    # Any library the pack lacks shows here rather than as a crash of every later step.
    step libraries 30 sh -c '. "$1"
        found=$(ldd "$2/bin/kiln" "$2"/lib/kiln/*.so "$2"/plugins/platforms/*.so) || exit 1
        echo "$found"
        if echo "$found" | grep -q "not found"; then exit 1; fi
        echo "all libraries found"' sh "$tmp/env.sh" "$pack"
fi
step version 60 "$kiln" --version
step device_check 150 "$kiln" run bench/gpu/device_check.kiln.md
step pytorch_cnn 150 "$python" bench/gpu/cnn_epoch.py --device "$device" --samples "$samples" --epochs 3
step kiln_cnn 200 env KILN_BENCH_DEVICE="$device" KILN_BENCH_SAMPLES="$samples" KILN_BENCH_EPOCHS=3 \
    "$kiln" run bench/gpu/cnn_epoch.kiln.md
# kiln train on Fashion-MNIST-shaped data (random pixels and labels, written as IDX
# files under KILN_DATASETS, since Debian's data set is not on the GPU machine): its
# built-in CNN with the step captured in a CUDA graph, then eagerly.
train_samples=$samples
[ $dry -eq 1 ] && train_samples=2048
"$python" - "$tmp/datasets/fashion-mnist" "$train_samples" <<'EOF'
import gzip, os, struct, sys
import torch
folder, n = sys.argv[1], int(sys.argv[2])
os.makedirs(folder, exist_ok=True)
g = torch.Generator().manual_seed(0)
for prefix, count in (("train", n), ("t10k", max(n // 6, 64))):
    images = torch.randint(0, 256, (count, 28, 28), generator=g, dtype=torch.uint8)
    labels = torch.randint(0, 10, (count,), generator=g, dtype=torch.uint8)
    with gzip.open(os.path.join(folder, prefix + "-images-idx3-ubyte.gz"), "wb", compresslevel=1) as f:
        f.write(struct.pack(">IIII", 2051, count, 28, 28) + images.numpy().tobytes())
    with gzip.open(os.path.join(folder, prefix + "-labels-idx1-ubyte.gz"), "wb", compresslevel=1) as f:
        f.write(struct.pack(">II", 2049, count) + labels.numpy().tobytes())
EOF
step kiln_train_graph 150 env KILN_DATASETS="$tmp/datasets" "$kiln" train --data fashion-mnist --model cnn \
    --device "$device" --epochs 4 --batch-size 64
step kiln_train_eager 120 env KILN_DATASETS="$tmp/datasets" "$kiln" train --data fashion-mnist --model cnn \
    --device "$device" --epochs 3 --batch-size 64 --no-cuda-graphs
if [ -n "${KILN_TRAIN_DATA:-}" ]; then
    step kiln_train 200 "$kiln" train --data "$KILN_TRAIN_DATA" --device "$device" --epochs 1 \
        --metrics "$out/kiln_train_metrics.csv"
fi

# Seconds per epoch from a log line such as "kiln eager: 1.234 s/epoch".
seconds() { sed -n "s/^$2: \([0-9.]*\) s\/epoch.*/\1/p" "$out/$1.log" 2>/dev/null | tail -n 1; }
ke=$(seconds kiln_cnn "kiln eager")
pe=$(seconds pytorch_cnn "pytorch eager")
pg=$(seconds pytorch_cnn "pytorch graph")
# kiln train's epochs after the first (which captures the graph): their median.
train_seconds() {
    sed -n 's/^epoch \([0-9]*\) on [^:]*: \([0-9.]*\) s of training.*/\1 \2/p' "$out/$1.log" 2>/dev/null \
        | awk '$1 > 1 { print $2 }' | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}
tg=$(train_seconds kiln_train_graph)
te=$(train_seconds kiln_train_eager)
{
    echo
    echo "=== summary (device $device, $samples samples, batch 64)"
    echo "kiln eager:    ${ke:-?} s/epoch"
    echo "pytorch eager: ${pe:-?} s/epoch"
    echo "pytorch graph: ${pg:-(skipped)} s/epoch"
    [ -n "$ke" ] && [ -n "$pe" ] && awk -v k="$ke" -v p="$pe" 'BEGIN { printf "kiln eager / pytorch eager = %.2f\n", k / p }'
    [ -n "$ke" ] && [ -n "$pg" ] && awk -v k="$ke" -v p="$pg" 'BEGIN { printf "kiln eager / pytorch graph = %.2f\n", k / p }'
    echo "kiln train, CUDA graph: ${tg:-?} s/epoch of training; eager: ${te:-?}"
    [ -n "$tg" ] && [ -n "$pe" ] && awk -v k="$tg" -v p="$pe" 'BEGIN { printf "kiln train graph / pytorch eager = %.2f (goal <= 0.5)\n", k / p }'
    [ -n "$te" ] && [ -n "$pe" ] && awk -v k="$te" -v p="$pe" 'BEGIN { printf "kiln train eager / pytorch eager = %.2f\n", k / p }'
    # Same seed, data and model: the losses differ only by the order of float sums.
    grep -h "final loss" "$out/pytorch_cnn.log" "$out/kiln_cnn.log" 2>/dev/null
    echo "total $(($(date +%s) - started)) s"
    if [ ${#failed[@]} -gt 0 ]; then
        echo "failed: ${failed[*]}"
    else
        echo "all steps passed"
    fi
} | tee "$out/summary.log"
[ ${#failed[@]} -eq 0 ]
