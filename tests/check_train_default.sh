#!/bin/sh
# The training quality bar: `kiln train --data fashion-mnist` with every setting
# left at its default (the built-in CNN, 10 epochs) reaches the accuracy given
# on the test images, saves TorchScript that `kiln inspect` runs, and reports
# its time (speed is measured, not asserted).
# Usage: check_train_default.sh KILN MIN_ACCURACY
set -eu
kiln=$1 minimum=$2
output=$(mktemp -d)
trap 'rm -rf "$output"' EXIT
start=$(date +%s)
"$kiln" train --data fashion-mnist --out "$output/model.pt" --metrics "$output/metrics.csv" | tee "$output/stdout"
echo "trained in $(( $(date +%s) - start )) s"
accuracy=$(sed -n 's/^validation accuracy: \([0-9.]*\)$/\1/p' "$output/stdout")
[ -n "$accuracy" ] || { echo "no 'validation accuracy: ...' line" >&2; exit 1; }
awk -v a="$accuracy" -v m="$minimum" 'BEGIN { exit !(a >= m) }' || { echo "accuracy $accuracy is below $minimum" >&2; exit 1; }
"$kiln" inspect "$output/model.pt" --try 2,1,28,28 | grep -q '\[2, 10\]'
[ "$(wc -l < "$output/metrics.csv")" -eq 41 ]
