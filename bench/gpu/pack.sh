#!/bin/sh
# Packs a headless kiln for a machine without Qt or Lua (the GPU machine):
#   bench/gpu/pack.sh BINARY DEST
# DEST/bin/kiln, DEST/lib/ (every shared library it needs that the target does
# not provide), DEST/lib/kiln/libkiln_cuda.so (Kiln's CUDA plugin, where kiln looks
# for it: bin/../lib/kiln; taken from $KILN_CUDA_PLUGIN or BINARY's build tree) and
# DEST/plugins/platforms/libqoffscreen.so, each with its libraries.
# ICU's data library (30 MiB, Qt Core needs ICU 72, Ubuntu 24.04 has 74) is
# stored xz-compressed as lib/libicudata.so.72.xz (7 MiB): the device run carries
# at most 64 MiB. bench/gpu/run.sh unpacks it with Python's lzma.
# Left out: glibc, libstdc++ and libgcc_s (the target's are newer and
# backward compatible) and torch's and NVIDIA's libraries, which come from the
# target's own PyTorch wheel (same version) through LD_LIBRARY_PATH.
set -eu

[ $# -eq 2 ] || { echo "usage: $0 BINARY DEST" >&2; exit 2; }
binary=$1
dest=$2
[ -x "$binary" ] || { echo "$0: $binary is not an executable" >&2; exit 2; }

# The offscreen platform plugin: headless kiln still makes a QGuiApplication.
plugindir=$(qtpaths6 --plugin-dir 2>/dev/null || true)
[ -n "$plugindir" ] || plugindir=/usr/lib/x86_64-linux-gnu/qt6/plugins
offscreen=$plugindir/platforms/libqoffscreen.so
[ -f "$offscreen" ] || { echo "$0: no $offscreen (install qt6-base-dev or qt6-qpa-plugins)" >&2; exit 1; }

# Without the plugin kiln runs on the CPU only, which is not what this pack is for.
cuda_plugin=${KILN_CUDA_PLUGIN:-$(dirname "$binary")/../core/libkiln_cuda.so}
[ -f "$cuda_plugin" ] || { echo "$0: no CUDA plugin at $cuda_plugin (set KILN_CUDA_PLUGIN)" >&2; exit 1; }

rm -rf "$dest"
mkdir -p "$dest/bin" "$dest/lib/kiln" "$dest/plugins/platforms"

# 0 when a library (its name and where ldd found it) is to be left out.
excluded() {
    case $1 in
        # glibc and the compiler runtime.
        linux-vdso.so.*|ld-linux*|libc.so.*|libm.so.*|libmvec.so.*|libpthread.so.*|libdl.so.*|\
        librt.so.*|libutil.so.*|libresolv.so.*|libanl.so.*|libnsl.so.*|libBrokenLocale.so.*|\
        libnss_*|libthread_db.so.*|libstdc++.so.*|libgcc_s.so.*) return 0 ;;
        # torch and CUDA: the target's wheel has them.
        libtorch*|libc10*|libgomp*|libcudart*|libcupti*|libcu*|libnv*|libnccl*) return 0 ;;
    esac
    case $2 in
        */torch/lib/*|*/nvidia/*) return 0 ;;
    esac
    return 1
}

# Copies the libraries that ldd lists for $1 into DEST/lib (ldd is transitive).
copy_deps() {
    # ldd lines: "libfoo.so.1 => /path/libfoo.so.1 (0x...)" or "libfoo.so.1 => not found".
    ldd "$1" | while read -r name arrow path _; do
        [ "$arrow" = "=>" ] || continue
        if [ "$path" = "not" ]; then
            excluded "$name" "" || { echo "$0: $name (needed by $1) not found" >&2; echo x; }
            continue
        fi
        excluded "$name" "$path" && continue
        [ -e "$dest/lib/$name" ] || cp -L "$path" "$dest/lib/$name"
    done
}

cp -L "$binary" "$dest/bin/kiln"
cp -L "$offscreen" "$dest/plugins/platforms/"
cp -L "$cuda_plugin" "$dest/lib/kiln/libkiln_cuda.so"
# The libtorch.so stand-in AOTInductor packages link by name, where kiln looks for it.
aoti_shim=$(dirname "$binary")/../aoti/libtorch.so
if [ -f "$aoti_shim" ]; then
    mkdir -p "$dest/lib/kiln/aoti"
    cp -L "$aoti_shim" "$dest/lib/kiln/aoti/libtorch.so"
fi
# copy_deps prints one "x" per unresolved library.
unresolved=$( { copy_deps "$binary"; copy_deps "$offscreen"; copy_deps "$cuda_plugin"; } | wc -l)

# Debug info is most of the size; the symbol tables of the libraries are not needed
# to link at run time (dynamic symbols stay).
strip --strip-debug "$dest/bin/kiln"
chmod u+w "$dest"/lib/*.so* "$dest"/lib/kiln/*.so "$dest"/plugins/platforms/*
strip --strip-unneeded "$dest"/lib/*.so* "$dest"/lib/kiln/*.so "$dest"/plugins/platforms/*

unpacked=$(du -sb "$dest" | cut -f1)
for icu in "$dest"/lib/libicudata.so.*; do
    [ -f "$icu" ] && xz -6 -T0 "$icu"
done

echo "packed kiln, its CUDA plugin and $(ls "$dest/lib" | grep -c '\.so') libraries into $dest"
du -b "$dest"/bin/kiln "$dest"/plugins/platforms/* "$dest"/lib/kiln/*.so "$dest"/lib/*.so* | sort -rn | head -8 |
    awk '{ printf "  %6.1f MiB  %s\n", $1 / 1048576, $2 }'
total=$(du -sb "$dest" | cut -f1)
awk -v t="$total" -v u="$unpacked" \
    'BEGIN { printf "total %.1f MiB (%.1f MiB with the ICU data unpacked)\n", t / 1048576, u / 1048576 }'
# The device run carries at most 64 MiB; leave room for the rest of the carry.
limit=$((60 * 1024 * 1024))
if [ "$total" -gt "$limit" ]; then
    echo "$0: $dest is over 60 MiB" >&2
    exit 1
fi
[ "$unresolved" -eq 0 ] || { echo "$0: $unresolved libraries not found" >&2; exit 1; }
