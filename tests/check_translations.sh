#!/bin/sh
# Every translation file is complete: no entry is unfinished or empty.
#
#   check_translations.sh TRANSLATIONS_DIR
#
# 1. The .ts files as committed: any <translation type="unfinished">, any empty
#    <translation></translation> or <translation/>, any empty <numerusform>.
# 2. When lupdate is at hand ($LUPDATE, set by CMake, or on PATH / in Qt's
#    usual places), copies of the .ts files are updated from the sources in
#    TRANSLATIONS_DIR/../ui and checked the same way, so a tr() string added
#    to the window without running update_translations is caught too.
# Each problem is listed as file:line: context "source".
set -u

dir=${1:?usage: check_translations.sh TRANSLATIONS_DIR}
sources=$(cd "$dir/.." && pwd)/ui

# Prints the incomplete entries of the .ts files given, one a line.
incomplete() {
    awk '
    FNR == 1 { context = ""; source = ""; open = 0 }
    /<name>/ { line = $0; sub(/.*<name>/, "", line); sub(/<\/name>.*/, "", line); context = line }
    /<source>/ { line = $0; sub(/.*<source>/, "", line); sub(/<\/source>.*/, "", line); source = line; at = FNR }
    function report(why) { printf "%s:%d: %s \"%s\" (%s)\n", FILENAME, at, context, source, why }
    /<translation[^>]*type="unfinished"/ { report("unfinished"); open = 0; next }
    /<translation[^>]*\/>/ { report("empty"); next }
    /<translation[^>]*><\/translation>/ { report("empty"); next }
    /<numerusform[^>]*\/>/ || /<numerusform[^>]*><\/numerusform>/ { report("empty plural form"); next }
    # <translation> alone on its line: plural forms or text follow, or nothing.
    /<translation[^>]*>[ \t]*$/ { open = 1; filled = 0; next }
    open && /<\/translation>/ {
        line = $0; sub(/<\/translation>.*/, "", line)
        if (!filled && line !~ /[^ \t]/) report("empty")
        open = 0; next
    }
    open && /[^ \t]/ { filled = 1 }
    ' "$@"
}

set -- "$dir"/*.ts
if [ ! -e "$1" ]; then
    echo "no .ts files in $dir"
    exit 1
fi

status=0
problems=$(incomplete "$@")
if [ -n "$problems" ]; then
    echo "Unfinished or empty translations:"
    echo "$problems"
    status=1
fi

# Qt 6's lupdate: the one CMake names, else Qt's usual places (a lupdate on
# PATH may be qtchooser's, pointing at Qt 5).
lupdate=${LUPDATE:-}
required=$lupdate
for candidate in /usr/lib/qt6/bin/lupdate /usr/lib/qt6/libexec/lupdate "$(command -v lupdate6 2>/dev/null)" \
                 "$(command -v lupdate 2>/dev/null)"; do
    [ -z "$lupdate" ] && [ -n "$candidate" ] && [ -x "$candidate" ] && lupdate=$candidate
done
if [ -n "$lupdate" ] && [ -d "$sources" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    for ts in "$@"; do
        cp "$ts" "$work/"
    done
    # The window's strings, the names of undo steps in the document, the
    # built-in models' labels and the dataset report's sentences.
    if ! "$lupdate" -silent -no-obsolete "$sources" "$sources/../core/document/notebook.cpp" "$sources/../core/engines/builtinmodels.cpp" \
            "$sources/../core/readers/datasetreport.cpp" -ts "$work"/*.ts >"$work/lupdate.log" 2>&1; then
        cat "$work/lupdate.log"
        if [ -n "$required" ]; then
            echo "$lupdate failed"
            exit 1
        fi
        echo "note: $lupdate failed; checked the .ts files as they are"
        rm -f "$work"/*.ts
    fi
    stale=$(cd "$work" && [ -n "$(ls ./*.ts 2>/dev/null)" ] && incomplete ./*.ts)
    if [ -n "$stale" ] && [ -z "$problems" ]; then
        echo "Strings in $sources without a translation (run the update_translations target, then translate):"
        echo "$stale"
        status=1
    fi
else
    echo "note: lupdate not found; checked the .ts files as they are"
fi

if [ "$status" -eq 0 ]; then
    for ts in "$@"; do
        echo "$(basename "$ts"): $(grep -c '<message' "$ts") messages, all translated"
    done
fi
exit "$status"
