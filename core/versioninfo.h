#pragma once

#include <QString>

namespace kiln {

// Which BLAS libtorch's matrix products end up in. Debian's libtorch calls whatever
// libblas.so.3 points to, and the reference BLAS is over ten times slower.
struct BlasInfo
{
    QString path;        // the libblas.so.3 that is loaded, links resolved
    QString description; // e.g. "OpenBLAS 0.3.21 (openmp)"
    bool isReference = false;
    bool found = false;
};

struct VersionInfo
{
    QString kiln;
    QString torch;
    QString lua;
    QString qt;
    int torchThreads = 0;
    BlasInfo blas;
};

VersionInfo versionInfo();
// Classifies a BLAS library by its resolved path (and, for OpenBLAS, its config string).
BlasInfo describeBlas(const QString &resolvedPath, const QString &openBlasConfig);
// What the user should run to get the fast BLAS; empty when it is already in use.
QString blasAdvice(const BlasInfo &blas);
// The text `kiln --version` prints.
QString versionReport();

} // namespace kiln
