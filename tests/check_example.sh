#!/bin/sh
# Runs an example notebook on the real Fashion-MNIST data and checks its last
# output line, "test accuracy: 0.XXXX", against the accuracy it promises.
# Usage: check_example.sh KILN NOTEBOOK MIN_ACCURACY
set -eu
kiln=$1 notebook=$2 minimum=$3
output=$(mktemp -d)
trap 'rm -rf "$output"' EXIT
TMPDIR=$output "$kiln" run "$notebook" --artifacts "$output/artifacts" > "$output/stdout"
last=$(grep -v '^\[' "$output/stdout" | tail -n 1)
echo "$last"
accuracy=$(echo "$last" | sed -n 's/^test accuracy: \([0-9.]*\)$/\1/p')
[ -n "$accuracy" ] || { echo "the last output line is not 'test accuracy: ...'" >&2; exit 1; }
awk -v a="$accuracy" -v m="$minimum" 'BEGIN { exit !(a >= m) }' || { echo "accuracy $accuracy is below $minimum" >&2; exit 1; }
ls "$output/artifacts"/*.png > /dev/null
