#!/bin/sh
# Runs one port: reference.py in PyTorch, then port.kiln.md in Kiln beside its files.
# Usage: run_port.sh PYTHON KILN PORT_FOLDER
set -eu
python=$1 kiln=$2 port=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" "$port/reference.py" "$work"
cp "$port/port.kiln.md" "$work/"
"$kiln" run "$work/port.kiln.md" --timeout 600
