#pragma once

#include <QList>
#include <QString>

namespace kiln {

// What `kiln --version`, the About box and run records say Kiln runs on.
struct VersionInfo
{
    QString kiln;
    QString torch;
    QString lua;
    QString qt;
    int torchThreads = 0;
    QString blas;           // "Intel oneAPI MKL 2024.2"
    QString cpuCapability;  // "AVX2", "AVX512"
    QString cuda;           // runtime version; empty without CUDA
    QString cudnn;
    QString cudaUnavailable;  // why there is no GPU, when there is none
    QStringList gpus;         // "cuda:0 NVIDIA H200, 139.8 GiB, compute 9.0"
    QString sandbox;          // what a notebook's kernel gets: probeSandbox().describe()
};

VersionInfo versionInfo();
// The text `kiln --version` prints.
QString versionReport();

} // namespace kiln
