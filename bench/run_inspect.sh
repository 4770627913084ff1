#!/bin/sh
# `kiln inspect` on small files (a state dict and a TorchScript model) against
# PyTorch reading the same file (`python -c "import torch; torch.load(...)"`),
# both timed from outside, process start included; prints seconds per file and
# the ratio. Target: well under a second a file.
# Usage: bench/run_inspect.sh [BUILD_DIR] [ROUNDS] [PYTHON]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
rounds=${2:-5}
python=${3:-$here/../.venv/bin/python}
kiln="$build/app/kiln"
[ -x "$kiln" ] || { echo "missing $kiln: build first (cmake --build $build)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" - "$work" <<'PY'
import sys, torch
net = torch.nn.Sequential(torch.nn.Linear(16, 32), torch.nn.ReLU(), torch.nn.Linear(32, 4))
torch.save(net.state_dict(), f"{sys.argv[1]}/state.pt")
torch.jit.trace(net, torch.zeros(1, 16)).save(f"{sys.argv[1]}/traced.pt")
PY
now() { date +%s.%N; }
for file in state.pt traced.pt; do
    case $file in
        state.pt) load="torch.load('$work/$file')" ;;
        traced.pt) load="torch.jit.load('$work/$file')" ;;
    esac
    kiln_total=0 python_total=0
    for round in $(seq "$rounds"); do
        start=$(now); "$kiln" inspect "$work/$file" > /dev/null; end=$(now)
        kiln_total=$(awk -v t="$kiln_total" -v s="$start" -v e="$end" 'BEGIN { print t + e - s }')
        start=$(now); "$python" -c "import torch; $load" > /dev/null; end=$(now)
        python_total=$(awk -v t="$python_total" -v s="$start" -v e="$end" 'BEGIN { print t + e - s }')
    done
    awk -v f="$file" -v k="$kiln_total" -v p="$python_total" -v n="$rounds" \
        'BEGIN { printf "%s: kiln inspect %.3f s, PyTorch load %.3f s, ratio %.2f (kiln / PyTorch)\n", f, k / n, p / n, k / p }'
done
