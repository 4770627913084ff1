#!/bin/sh
# Installs everything Kiln needs to build, run and test on Debian 12 (bookworm).
# Runs as root, or through sudo when it is available.
set -eu
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends \
    build-essential cmake ninja-build pkg-config ccache git \
    qt6-base-dev qt6-base-dev-tools libqt6svg6 qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools \
    qt6-qpa-plugins libgl-dev \
    libqscintilla2-qt6-dev libqcustomplot-dev \
    libtorch-dev liblua5.4-dev zlib1g-dev \
    libopenblas0-openmp \
    dataset-fashion-mnist \
    xvfb xauth fonts-dejavu-core desktop-file-utils \
    python3-torch
