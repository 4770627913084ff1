#include "luaapi/torchruntime.h"
#include "luaapi/cudaplugin_p.h"
#include "pluginpath.h"

#include <ATen/DeviceAccelerator.h>
#include <ATen/Parallel.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QRegularExpression>
#include <QStringList>

#include <dlfcn.h>
#include <mutex>

namespace kiln {

namespace {

struct CudaState
{
    const CudaPluginApi *plugin = nullptr;
    QString unavailable;  // why there is no CUDA; empty when there is
    int count = 0;
};

CudaState &cudaState()
{
    static CudaState state;
    return state;
}

QString dlerrorText()
{
    const char *text = dlerror();
    return text ? QString::fromLocal8Bit(text) : QStringLiteral("unknown loader error");
}

#ifndef KILN_CUDA_PLUGIN_BUILD_PATH
#define KILN_CUDA_PLUGIN_BUILD_PATH ""  // an installed Kiln looks beside itself only
#endif

// A PyTorch install of the same version as Kiln's libtorch, whose CUDA libraries
// (and the NVIDIA wheels beside them) an installed Kiln can use. Kiln's package
// carries libtorch's CPU part only.
QString matchingPyTorchLibDir()
{
    if (qEnvironmentVariableIsSet("KILN_TORCH_LIB"))
        return qEnvironmentVariable("KILN_TORCH_LIB");
    QStringList roots;
    for (const char *variable : {"VIRTUAL_ENV", "CONDA_PREFIX"}) {
        if (qEnvironmentVariableIsSet(variable))
            roots << qEnvironmentVariable(variable) + QStringLiteral("/lib");
    }
    roots << QDir::homePath() + QStringLiteral("/.local/lib") << QStringLiteral("/usr/local/lib")
          << QStringLiteral("/usr/lib");
    const QString wanted = QStringLiteral(TORCH_VERSION);
    for (const QString &root : std::as_const(roots)) {
        const QStringList pythons = QDir(root).entryList({QStringLiteral("python3*")}, QDir::Dirs);
        for (const QString &python : pythons) {
            for (const char *packages : {"site-packages", "dist-packages"}) {
                const QString torch = QStringLiteral("%1/%2/%3/torch").arg(root, python, QLatin1String(packages));
                QFile version(torch + QStringLiteral("/version.py"));
                if (!QFileInfo::exists(torch + QStringLiteral("/lib/libtorch_cuda.so")) || !version.open(QIODevice::ReadOnly))
                    continue;
                const QString text = QString::fromUtf8(version.readAll());
                if (text.contains(QStringLiteral("__version__ = '%1").arg(wanted)))
                    return torch + QStringLiteral("/lib");
            }
        }
    }
    return QString();
}

const CudaPluginApi *loadPlugin(QString *why)
{
    const QString path = findPlugin(QStringLiteral("libkiln_cuda.so"), "KILN_CUDA_PLUGIN", QStringLiteral(KILN_CUDA_PLUGIN_BUILD_PATH));
    if (path.isEmpty()) {
        *why = QStringLiteral("this Kiln was built without CUDA support");
        return nullptr;
    }
    void *handle = dlopen(QFile::encodeName(path).constData(), RTLD_NOW | RTLD_GLOBAL);
    if (!handle) {
        // An installed Kiln: PyTorch's CUDA libraries may be in a PyTorch install
        // of the same version. Loading them first satisfies the plugin's needs.
        const QString first = dlerrorText();
        const QString torchLib = matchingPyTorchLibDir();
        if (torchLib.isEmpty()
            || !dlopen(QFile::encodeName(torchLib + QStringLiteral("/libc10_cuda.so")).constData(), RTLD_NOW | RTLD_GLOBAL)
            || !dlopen(QFile::encodeName(torchLib + QStringLiteral("/libtorch_cuda.so")).constData(), RTLD_NOW | RTLD_GLOBAL)
            || !(handle = dlopen(QFile::encodeName(path).constData(), RTLD_NOW | RTLD_GLOBAL))) {
            *why = QStringLiteral("PyTorch's CUDA libraries did not load (%1); install torch==%2 with pip, "
                                  "or point KILN_TORCH_LIB at its torch/lib folder")
                       .arg(first, QStringLiteral(TORCH_VERSION));
            return nullptr;
        }
    }
    auto entry = reinterpret_cast<CudaPluginEntry>(dlsym(handle, kCudaPluginEntryName));
    const CudaPluginApi *api = entry ? entry() : nullptr;
    if (!api || api->abi != kCudaPluginAbi) {
        *why = QStringLiteral("%1 does not match this Kiln").arg(path);
        return nullptr;
    }
    return api;
}

QString versionText(long version)
{
    // CUDA: 13000 -> 13.0; cuDNN 9: 91900 -> 9.19.0.
    if (version <= 0)
        return QString();
    if (version >= 90000)
        return QStringLiteral("%1.%2.%3").arg(version / 10000).arg(version / 100 % 100).arg(version % 100);
    return QStringLiteral("%1.%2").arg(version / 1000).arg(version % 1000 / 10);
}

QString &defaultDeviceName()
{
    static QString device = QStringLiteral("cpu");
    return device;
}

} // namespace

const CudaPluginApi *cudaPlugin()
{
    torchruntime::initialize();
    return cudaState().plugin;
}

namespace torchruntime {

void initialize()
{
    static std::once_flag once;
    std::call_once(once, [] {
        CudaState &state = cudaState();
        state.plugin = loadPlugin(&state.unavailable);
        if (!state.plugin)
            return;
        try {
            state.count = at::detail::getCUDAHooks().getNumGPUs();
        } catch (const std::exception &error) {
            state.unavailable = QString::fromUtf8(error.what()).section(QLatin1Char('\n'), 0, 0);
            return;
        }
        if (state.count > 0)
            return;
        void *driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_NOLOAD);
        if (!driver)
            driver = dlopen("libcuda.so.1", RTLD_LAZY);
        state.unavailable = driver ? QStringLiteral("the NVIDIA driver reports no GPU")
                                   : QStringLiteral("no NVIDIA driver on this machine (libcuda.so.1 not found)");
    });
}

bool cudaAvailable()
{
    initialize();
    return cudaState().count > 0;
}

QString cudaUnavailableReason()
{
    initialize();
    return cudaState().unavailable;
}

QString noCudaMessage()
{
    return QStringLiteral("no CUDA device: %1").arg(cudaUnavailableReason());
}

int gpuCount()
{
    initialize();
    return cudaState().count;
}

QList<Gpu> gpus()
{
    QList<Gpu> list;
    const CudaState &state = cudaState();
    for (int i = 0; i < gpuCount(); ++i) {
        Gpu gpu;
        gpu.index = i;
        char name[256] = {};
        size_t total = 0;
        if (state.plugin->deviceProperties(i, name, sizeof name, &gpu.major, &gpu.minor, &total))
            gpu.name = QString::fromUtf8(name);
        else
            gpu.name = QStringLiteral("CUDA device %1").arg(i);
        gpu.totalBytes = qint64(total);
        list << gpu;
    }
    return list;
}

QString cudaVersion()
{
    return cudaAvailable() ? versionText(at::detail::getCUDAHooks().versionCUDART()) : QString();
}

QString cudnnVersion()
{
    if (!cudaAvailable() || !at::detail::getCUDAHooks().hasCuDNN())
        return QString();
    return versionText(at::detail::getCUDAHooks().versionRuntimeCuDNN());
}

namespace {

// The caching allocator's counters; it refuses to report on a device nothing has
// used yet, which means nothing is allocated there.
c10::CachingAllocator::Stat allocatedStat(int index)
{
    if (index < 0 || index >= torchruntime::gpuCount())
        return {};
    try {
        const auto stats = at::accelerator::getDeviceStats(c10::DeviceIndex(index));
        return stats.allocated_bytes[size_t(c10::CachingAllocator::StatType::AGGREGATE)];
    } catch (const std::exception &) {
        return {};
    }
}

} // namespace

qint64 gpuMemoryAllocated(int index)
{
    return allocatedStat(index).current;
}

qint64 gpuMaxMemoryAllocated(int index)
{
    return allocatedStat(index).peak;
}

QString checkDevice(const QString &name, QString *error)
{
    static const QRegularExpression pattern(QStringLiteral("^(cpu|cuda)(?::(\\d{1,4}))?$"));
    const QString trimmed = name.trimmed().toLower();
    const QRegularExpressionMatch match = pattern.match(trimmed);
    if (!match.hasMatch() || (match.captured(1) == QLatin1String("cpu") && !match.captured(2).isEmpty()
                              && match.captured(2) != QLatin1String("0"))) {
        *error = QStringLiteral("unknown device '%1': expected cpu, cuda or cuda:N").arg(name);
        return QString();
    }
    if (match.captured(1) == QLatin1String("cpu"))
        return QStringLiteral("cpu");
    if (!cudaAvailable()) {
        *error = noCudaMessage();
        return QString();
    }
    if (match.captured(2).isEmpty())
        return QStringLiteral("cuda");
    const int index = match.captured(2).toInt();
    if (index >= gpuCount()) {
        *error = QStringLiteral("no CUDA device %1: this machine has %2 (cuda:0 to cuda:%3)")
                     .arg(trimmed).arg(gpuCount()).arg(gpuCount() - 1);
        return QString();
    }
    return QStringLiteral("cuda:%1").arg(index);
}

QString defaultDevice()
{
    return defaultDeviceName();
}

void setDefaultDevice(const QString &device)
{
    defaultDeviceName() = device;
}

int threads()
{
    initialize();
    return at::get_num_threads();
}

bool setThreads(int count, QString *error)
{
    initialize();
    if (count < 1 || count > 4096) {
        *error = QStringLiteral("thread count %1 is out of range (1 to 4096)").arg(count);
        return false;
    }
    at::set_num_threads(count);
    return true;
}

QString torchVersion()
{
    return QStringLiteral(TORCH_VERSION);
}

QString blasDescription()
{
    initialize();
    // libtorch reports its BLAS in its build configuration: "BLAS_INFO=mkl" and
    // a line naming the library and its version.
    const QString config = QString::fromStdString(at::show_config());
    const QStringList lines = config.split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        const QString text = line.trimmed().remove(QRegularExpression(QStringLiteral("^- ")));
        if (text.contains(QLatin1String("Math Kernel Library Version")))
            return QStringLiteral("Intel oneAPI MKL %1")
                .arg(text.section(QLatin1String("Version "), 1).section(QLatin1Char('-'), 0, 0).trimmed());
        if (text.startsWith(QLatin1String("OpenBLAS")))
            return text;
    }
    const QRegularExpressionMatch match = QRegularExpression(QStringLiteral("BLAS_INFO=([^,\\s]+)")).match(config);
    return match.hasMatch() ? match.captured(1) : QStringLiteral("unknown");
}

QString cpuCapability()
{
    initialize();
    const QString config = QString::fromStdString(at::show_config());
    const QRegularExpressionMatch match =
        QRegularExpression(QStringLiteral("CPU capability usage: (\\S+)")).match(config);
    return match.hasMatch() ? match.captured(1) : QString();
}

} // namespace torchruntime
} // namespace kiln
