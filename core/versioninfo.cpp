#include "versioninfo.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <lua.hpp>

#include <QFileInfo>
#include <QStringList>

#include <dlfcn.h>
#include <link.h>

namespace kiln {

namespace {

int collectBlasPath(struct dl_phdr_info *info, size_t, void *data)
{
    const QString name = QString::fromLocal8Bit(info->dlpi_name);
    if (name.contains(QLatin1String("libblas.so"))) {
        *static_cast<QString *>(data) = name;
        return 1;
    }
    return 0;
}

QString loadedBlasPath()
{
    QString path;
    dl_iterate_phdr(collectBlasPath, &path);
    if (path.isEmpty())
        return path;
    const QString resolved = QFileInfo(path).canonicalFilePath();
    return resolved.isEmpty() ? path : resolved;
}

QString openBlasConfig()
{
    using ConfigFunction = char *(*)();
    auto config = reinterpret_cast<ConfigFunction>(dlsym(RTLD_DEFAULT, "openblas_get_config"));
    return config ? QString::fromLatin1(config()).trimmed() : QString();
}

} // namespace

BlasInfo describeBlas(const QString &resolvedPath, const QString &config)
{
    BlasInfo blas;
    blas.path = resolvedPath;
    blas.found = !resolvedPath.isEmpty();
    if (!blas.found) {
        blas.description = QStringLiteral("none found");
        return blas;
    }
    const QString lower = resolvedPath.toLower();
    if (lower.contains(QLatin1String("openblas"))) {
        blas.description = config.isEmpty() ? QStringLiteral("OpenBLAS") : config;
        if (!blas.description.startsWith(QLatin1String("OpenBLAS")))
            blas.description.prepend(QLatin1String("OpenBLAS "));
    } else if (lower.contains(QLatin1String("blis"))) {
        blas.description = QStringLiteral("BLIS");
    } else if (lower.contains(QLatin1String("mkl"))) {
        blas.description = QStringLiteral("Intel MKL");
    } else if (lower.contains(QLatin1String("atlas"))) {
        blas.description = QStringLiteral("ATLAS");
    } else {
        blas.description = QStringLiteral("reference BLAS (netlib)");
        blas.isReference = true;
    }
    return blas;
}

QString blasAdvice(const BlasInfo &blas)
{
    if (!blas.isReference)
        return QString();
    return QStringLiteral(
        "The reference BLAS is in use: training runs over ten times slower than with OpenBLAS.\n"
        "Fix: sudo apt-get install libopenblas0-openmp\n"
        "     (or pick it with: sudo update-alternatives --config libblas.so.3-x86_64-linux-gnu)");
}

VersionInfo versionInfo()
{
    VersionInfo info;
    info.kiln = QStringLiteral(KILN_VERSION);
    info.torch = QString::fromLatin1(TORCH_VERSION);
    info.lua = QString::fromLatin1(LUA_RELEASE).remove(QLatin1String("Lua ")).trimmed();
    info.qt = QString::fromLatin1(qVersion());
    info.torchThreads = torch::get_num_threads();
    info.blas = describeBlas(loadedBlasPath(), openBlasConfig());
    return info;
}

QString versionReport()
{
    const VersionInfo info = versionInfo();
    QStringList lines;
    lines << QStringLiteral("Kiln %1").arg(info.kiln)
          << QStringLiteral("libtorch %1 (CPU, %2 threads)").arg(info.torch).arg(info.torchThreads)
          << QStringLiteral("Lua %1").arg(info.lua)
          << QStringLiteral("Qt %1").arg(info.qt)
          << QStringLiteral("BLAS %1%2").arg(info.blas.description,
                                               info.blas.path.isEmpty() ? QString()
                                                                        : QStringLiteral(" (%1)").arg(info.blas.path));
    const QString advice = blasAdvice(info.blas);
    if (!advice.isEmpty())
        lines << QString() << advice;
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace kiln
