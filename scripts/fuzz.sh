#!/bin/sh
# Runs each of Kiln's libFuzzer targets (tests/fuzz) for a while, from its seed
# corpus and its regressions, in the sanitizer build (build-asan; scripts/sanitize.sh
# or this script configures and builds it).
#
#   scripts/fuzz.sh                 30 s per target, every target
#   scripts/fuzz.sh 600             ten minutes per target
#   scripts/fuzz.sh 3600 statedict  an hour on one target
#
# New interesting inputs go to build-asan/fuzz/<target>/corpus, never into the
# checked-in seeds. A crash leaves its input in build-asan/fuzz/<target>/ as
# crash-<sha1> (or leak-, timeout-, oom-) and the script exits non-zero: fix the
# bug, then copy the input to tests/fuzz/regressions/<target>/ (docs/fuzzing.md).
# Extra libFuzzer flags come from FUZZ_FLAGS (e.g. FUZZ_FLAGS="-jobs=2 -workers=2").
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build="${BUILD_DIR:-$here/build-asan}"
venv="${KILN_VENV:-$here/.venv}"
supp="$here/tests/sanitizers"
seconds="${1:-30}"
[ $# -gt 0 ] && shift
targets="${*:-notebookformat csvreader idxreader safetensors statedict npyreader tokenizer}"

if [ ! -f "$build/build.ninja" ]; then
    CC="${CC:-clang}" CXX="${CXX:-clang++}" cmake -S "$here" -B "$build" -G Ninja \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON \
        -DKILN_PYTHON="$venv/bin/python" -DKILN_SANITIZE=ON -DKILN_FUZZ=ON
fi
set --
for t in $targets; do set -- "$@" "fuzz_$t"; done
cmake --build "$build" --target "$@"

export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:allocator_may_return_null=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$supp/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp}"

# The notebook reader's target also checks that what it writes reads back equal
# (set KILN_FUZZ_ROUNDTRIP=0 to fuzz the reader alone).
export KILN_FUZZ_ROUNDTRIP="${KILN_FUZZ_ROUNDTRIP:-1}"

failed=""
for t in $targets; do
    work="$build/fuzz/$t"
    mkdir -p "$work/corpus"
    echo "== fuzz_$t: $seconds s (log: $work/fuzz.log)"
    # -rss_limit_mb: a hostile file may not make Kiln take more than 2 GiB;
    # -timeout: nor spend more than 10 s on one input.
    status=0
    "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/" ${FUZZ_FLAGS:-} \
        "$work/corpus" "$here/tests/fuzz/corpus/$t" "$here/tests/fuzz/regressions/$t" \
        > "$work/fuzz.log" 2>&1 || status=$?
    grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|stat::new_units_added)' "$work/fuzz.log" || true
    if [ "$status" -ne 0 ]; then
        grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|artifact_prefix|Test unit written)' "$work/fuzz.log" | head -n 20 >&2 || true
        failed="$failed $t"
    fi
done
if [ -n "$failed" ]; then
    echo "fuzz: findings in:$failed (inputs and logs in $build/fuzz/<target>/)" >&2
    exit 1
fi
echo "fuzz: no findings"
