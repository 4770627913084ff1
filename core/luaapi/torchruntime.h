#pragma once

#include <QList>
#include <QString>

namespace kiln::torchruntime {

// One GPU as the device pickers and `kiln --version` list it.
struct Gpu
{
    int index = 0;
    QString name;           // "NVIDIA H200"
    qint64 totalBytes = 0;  // 0 when the driver would not say
    int major = 0;          // compute capability
    int minor = 0;
    QString device() const { return QStringLiteral("cuda:%1").arg(index); }
};

// Loads PyTorch's CUDA libraries (through Kiln's CUDA plugin) when they and a
// driver are there. Must run before anything touches libtorch: libtorch caches its
// CUDA hooks on first use (torch.manual_seed asks them), and hooks cached before
// libtorch_cuda is loaded say "no GPU" for the life of the process. main() and
// every new Lua session call it; later calls do nothing.
void initialize();

bool cudaAvailable();
// Why there is no CUDA device, in one line ("no NVIDIA driver", "libcudnn.so.9: cannot open ...").
QString cudaUnavailableReason();
// The error for a notebook, panel or CLI that asks for CUDA where there is none.
QString noCudaMessage();
int gpuCount();
QList<Gpu> gpus();
QString cudaVersion();   // "13.0", empty without CUDA
QString cudnnVersion();  // "9.19.0", empty without cuDNN

// Bytes the caching allocator holds in tensors on GPU `index` now and at its peak.
qint64 gpuMemoryAllocated(int index);
qint64 gpuMaxMemoryAllocated(int index);

// Checks a device name as PyTorch spells it ("cpu", "cuda", "cuda:1") against
// this machine and returns it in canonical form; empty with *error set when the
// name is wrong or the device is not here.
QString checkDevice(const QString &name, QString *error);

// The device new tensors go to when a factory names none (torch.set_default_device;
// `kiln run --device`). Process-wide: each notebook kernel is its own process.
QString defaultDevice();
void setDefaultDevice(const QString &device);

// The intra-op thread count (--threads, torch.set_num_threads). PyTorch's default
// is the number of physical cores.
int threads();
bool setThreads(int count, QString *error);

// libtorch's version and its build: "2.11.0", and the BLAS and CPU capability it uses.
QString torchVersion();
QString blasDescription();
QString cpuCapability();

} // namespace kiln::torchruntime
