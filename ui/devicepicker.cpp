#include "devicepicker.h"

#include "settings.h"
#include "luaapi/torchruntime.h"

#include <QLocale>

#include <cmath>

namespace kiln {

namespace {

// Asked once per process: listing the GPUs asks the driver for each one's memory,
// and both panels build a picker at start.
const QList<torchruntime::Gpu> &gpus()
{
    static const QList<torchruntime::Gpu> list = torchruntime::cudaAvailable() ? torchruntime::gpus() : QList<torchruntime::Gpu>();
    return list;
}

} // namespace

DevicePicker::DevicePicker(QWidget *parent)
    : QComboBox(parent)
{
    setObjectName(QStringLiteral("device"));
    addItem(tr("CPU"), QStringLiteral("cpu"));
    for (const torchruntime::Gpu &gpu : gpus()) {
        const QString label = gpu.totalBytes > 0
            ? tr("GPU %1: %2 (%3)").arg(QString::number(gpu.index), gpu.name, memoryText(gpu.totalBytes))
            : tr("GPU %1: %2").arg(QString::number(gpu.index), gpu.name);
        addItem(label, gpu.device());
        setItemData(count() - 1, tr("%1, compute capability %2.%3").arg(gpu.device()).arg(gpu.major).arg(gpu.minor),
                    Qt::ToolTipRole);
    }
    setToolTip(gpus().isEmpty() ? tr("No GPU: %1").arg(torchruntime::cudaUnavailableReason())
                                : tr("The CPU or the GPU the run computes on"));
    // A long GPU name is elided rather than widening the panel's form; the list shows it whole.
    setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    setMinimumContentsLength(12);
    connect(this, &QComboBox::activated, this, [this] {
        if (mPreference)
            mPreference->set(currentDevice());
    });
}

QString DevicePicker::currentDevice() const
{
    return currentData().toString();
}

void DevicePicker::setCurrentDevice(const QString &device)
{
    select(device);
    if (mPreference)
        mPreference->set(currentDevice());
}

void DevicePicker::remember(const Preference<QString> &preference)
{
    mPreference = &preference;
    // Not written back: the fallback to the CPU must not forget the GPU.
    select(preference.get());
}

void DevicePicker::select(const QString &device)
{
    const QString name = device.trimmed().toLower();
    const int index = findData(name == QLatin1String("cuda") ? QStringLiteral("cuda:0") : name);
    setCurrentIndex(qMax(0, index));
}

QString DevicePicker::memoryText(qint64 bytes)
{
    constexpr qint64 mib = qint64(1) << 20;
    constexpr qint64 gib = qint64(1) << 30;
    if (bytes >= gib)
        return tr("%1 GiB").arg(QLocale().toString(double(bytes) / double(gib), 'f', 1));
    // Rounded up, so a small allocation never reads as nothing.
    return tr("%1 MiB").arg(QLocale().toString(qint64(std::ceil(double(bytes) / double(mib)))));
}

} // namespace kiln
