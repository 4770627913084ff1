#include "versioninfo.h"
#include "kernel/sandbox.h"
#include "luaapi/torchruntime.h"

#include <lua.hpp>

#include <QStringList>

namespace kiln {

VersionInfo versionInfo()
{
    VersionInfo info;
    info.kiln = QStringLiteral(KILN_VERSION);
    info.torch = torchruntime::torchVersion();
    info.lua = QString::fromLatin1(LUA_RELEASE).remove(QLatin1String("Lua ")).trimmed();
    info.qt = QString::fromLatin1(qVersion());
    info.torchThreads = torchruntime::threads();
    info.blas = torchruntime::blasDescription();
    info.cpuCapability = torchruntime::cpuCapability();
    if (torchruntime::cudaAvailable()) {
        info.cuda = torchruntime::cudaVersion();
        info.cudnn = torchruntime::cudnnVersion();
        for (const torchruntime::Gpu &gpu : torchruntime::gpus()) {
            info.gpus << QStringLiteral("%1 %2, %3 GiB, compute %4.%5")
                             .arg(gpu.device(), gpu.name)
                             .arg(double(gpu.totalBytes) / double(1 << 30), 0, 'f', 1)
                             .arg(gpu.major)
                             .arg(gpu.minor);
        }
    } else {
        info.cudaUnavailable = torchruntime::cudaUnavailableReason();
    }
    info.sandbox = probeSandbox().describe();
    return info;
}

QString versionReport()
{
    const VersionInfo info = versionInfo();
    QStringList lines;
    lines << QStringLiteral("Kiln %1").arg(info.kiln)
          << QStringLiteral("libtorch %1 (PyTorch's build; CPU capability %2)").arg(info.torch, info.cpuCapability)
          << QStringLiteral("BLAS %1").arg(info.blas)
          << QStringLiteral("threads %1 (--threads N or torch.set_num_threads to change)").arg(info.torchThreads);
    if (info.cuda.isEmpty()) {
        lines << QStringLiteral("CUDA not available: %1").arg(info.cudaUnavailable);
    } else {
        lines << QStringLiteral("CUDA %1, cuDNN %2").arg(info.cuda, info.cudnn.isEmpty() ? QStringLiteral("none") : info.cudnn);
        for (const QString &gpu : info.gpus)
            lines << QStringLiteral("GPU %1").arg(gpu);
    }
    lines << QStringLiteral("Lua %1").arg(info.lua) << QStringLiteral("Qt %1").arg(info.qt);
    lines << info.sandbox;
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace kiln
