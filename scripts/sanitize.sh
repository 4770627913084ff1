#!/bin/sh
# Kiln's sanitizer build: Kiln's own code with AddressSanitizer and
# UndefinedBehaviorSanitizer (clang), its tests and its fuzz targets, then
# `ctest -LE slow` (the fuzz targets run once over their corpora and regressions).
# A report of any kind fails the run. docs/fuzzing.md says more.
#
#   scripts/sanitize.sh              configure build-asan, build, run the tests
#   scripts/sanitize.sh -R tst_csv   extra arguments go to ctest
#
# BUILD_DIR (default: build-asan), KILN_VENV (default: .venv), JOBS (ninja -j,
# default: ninja's own), CTEST_JOBS (default: 1) and CTEST_EXCLUDE (labels left out,
# default: slow; CI: 'slow|example') change the defaults.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build="${BUILD_DIR:-$here/build-asan}"
venv="${KILN_VENV:-$here/.venv}"
supp="$here/tests/sanitizers"

CC="${CC:-clang}" CXX="${CXX:-clang++}" cmake -S "$here" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON \
    -DKILN_PYTHON="$venv/bin/python" -DKILN_SANITIZE=ON -DKILN_FUZZ=ON
if [ -n "${JOBS:-}" ]; then
    cmake --build "$build" -- -j "$JOBS"
else
    cmake --build "$build"
fi

# The same settings as the ctest include file the build writes, spelled out so
# that they hold for anything started from here.
export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:allocator_may_return_null=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$supp/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp}"
export QT_QPA_PLATFORM=offscreen

cd "$build"
ctest -LE "${CTEST_EXCLUDE:-slow}" --output-on-failure -j "${CTEST_JOBS:-1}" "$@"
