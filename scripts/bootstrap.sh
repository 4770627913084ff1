#!/bin/sh
# One command from a fresh Debian 12 machine to a running Kiln or a green test suite:
#   scripts/bootstrap.sh run    install dependencies, build, open the tour notebook
#                               (headless with its outputs printed where there is no display)
#   scripts/bootstrap.sh test   install dependencies, build, run every test through CTest
# Runs as root or as a user with sudo. BUILD_DIR (default: build) picks the build folder.
set -eu
mode="${1:-run}"
here=$(cd "$(dirname "$0")/.." && pwd)
build="${BUILD_DIR:-$here/build}"

case "$mode" in
    run|test) ;;
    *) echo "usage: scripts/bootstrap.sh run|test" >&2; exit 2 ;;
esac

venv="${KILN_VENV:-$here/.venv}"
KILN_VENV="$venv" "$here/scripts/install-deps.sh"

cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON \
    -DKILN_PYTHON="$venv/bin/python"
cmake --build "$build"

if [ "$mode" = test ]; then
    # The headless flavour (KILN_GUI=OFF: QtCore, QtGui and Lua only) builds and
    # runs the tour notebook, as servers and GPU machines use it.
    # Release: a smoke test needs no debug info, which is most of a torch file's build time.
    cmake -S "$here" -B "$build-headless" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
        -DKILN_GUI=OFF -DKILN_PYTHON="$venv/bin/python"
    cmake --build "$build-headless" --target kiln kiln-kernel
    "$build-headless/app/kiln" run "$here/resources/examples/tour.kiln.md" > "$build-headless/tour.out"
    echo "headless kiln: built and ran the tour notebook"
    cd "$build"
    QT_QPA_PLATFORM=offscreen ctest --output-on-failure
else
    exec "$build/app/kiln" "$here/resources/examples/tour.kiln.md"
fi
