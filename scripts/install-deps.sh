#!/bin/sh
# Installs everything Kiln needs to build, run and test on Debian 12 (bookworm):
# Debian's packages, then PyTorch's own wheel (scripts/torch-requirements.txt) in
# a virtual environment whose libtorch Kiln builds against.
# Runs as root, or through sudo when it is available. KILN_VENV (default: .venv
# in the checkout) picks the environment's folder.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
venv="${KILN_VENV:-$here/.venv}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends \
    build-essential cmake ninja-build pkg-config ccache git file \
    qt6-base-dev qt6-base-dev-tools libqt6svg6 qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools \
    qt6-qpa-plugins libgl-dev qt6-translations-l10n \
    libqscintilla2-qt6-dev libqcustomplot-dev \
    liblua5.4-dev zlib1g-dev libsentencepiece-dev \
    python3 python3-venv \
    dataset-fashion-mnist \
    xvfb xauth fonts-dejavu-core fonts-ipafont-gothic desktop-file-utils \
    clang libclang-rt-14-dev llvm

# Debian's own python3, not whichever one is first on PATH: the venv must outlive
# shells and tools that come and go.
if [ ! -x "$venv/bin/python" ]; then
    /usr/bin/python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$here/scripts/torch-requirements.txt"
"$venv/bin/python" -c 'import torch; print("PyTorch", torch.__version__, "in", torch.__file__.rsplit("/", 2)[0])'
