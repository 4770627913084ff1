#!/bin/sh
# Installs the build into a scratch prefix and checks that the binary, the desktop
# entry, the MIME type, the metainfo, the icon and the examples land where desktops look.
set -eu
build="$1"
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
DESTDIR="" cmake --install "$build" --prefix "$prefix" > /dev/null
for f in bin/kiln bin/kiln-kernel \
         share/applications/org.kiln.Kiln.desktop \
         share/mime/packages/org.kiln.Kiln.mime.xml \
         share/metainfo/org.kiln.Kiln.metainfo.xml \
         share/icons/hicolor/scalable/apps/org.kiln.Kiln.svg \
         share/kiln/examples/tour.kiln.md; do
    [ -e "$prefix/$f" ] || { echo "missing after install: $f"; exit 1; }
done
grep -q '^MimeType=text/x-kiln-notebook;' "$prefix/share/applications/org.kiln.Kiln.desktop"
grep -q 'pattern="\*.kiln.md"' "$prefix/share/mime/packages/org.kiln.Kiln.mime.xml"
if command -v desktop-file-validate > /dev/null; then
    desktop-file-validate "$prefix/share/applications/org.kiln.Kiln.desktop"
fi
# The installed kiln runs on the libtorch copies beside it, not on the build's venv.
libdir=$(ls -d "$prefix"/lib*/kiln)
for lib in libtorch_cpu.so libc10.so libgomp.so.1 libkiln_sentencepiece.so; do
    [ -e "$libdir/$lib" ] || { echo "missing after install: $libdir/$lib"; exit 1; }
done
for program in kiln kiln-kernel; do
    if ldd "$prefix/bin/$program" | grep -E 'libtorch_cpu|libc10' | grep -v '/lib/kiln/lib' ; then
        echo "the installed $program resolves libtorch outside its own folder"; exit 1
    fi
done
"$prefix/bin/kiln" --version > /dev/null
# The installed kiln finds its installed kernel and runs a cell in it.
notebook=$(mktemp -d)/check.kiln.md
printf '# Check\n\n```lua\nprint(torch.ones(2):sum():item())\n```\n' > "$notebook"
KILN_KERNEL= "$prefix/bin/kiln" run "$notebook" | grep -q '^2' || { echo "the installed kiln cannot run a cell"; exit 1; }
rm -rf "$(dirname "$notebook")"
echo "install layout ok"
