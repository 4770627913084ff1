#pragma once

#include <QComboBox>

namespace kiln {

template<typename T>
class Preference;

// Where a run computes: "CPU" first, then each GPU by index, name and memory, with
// the device name ("cpu", "cuda:0") as item data. Without CUDA it lists the CPU
// alone and its tooltip says why there is no GPU.
class DevicePicker : public QComboBox
{
    Q_OBJECT

public:
    explicit DevicePicker(QWidget *parent = nullptr);

    QString currentDevice() const;
    // Selects `device` ("cpu", "cuda", "cuda:1"); a GPU that is not here now falls
    // back to the CPU. Remembered when remember() was called.
    void setCurrentDevice(const QString &device);
    // Starts from the device `preference` holds and keeps each choice in it. A
    // remembered GPU that is missing now shows as the CPU but stays remembered, so
    // it is chosen again once it is back.
    void remember(const Preference<QString> &preference);

    // "1.2 GiB", "300 MiB": memory as the picker and the status bar show it.
    static QString memoryText(qint64 bytes);

private:
    void select(const QString &device);

    const Preference<QString> *mPreference = nullptr;
};

} // namespace kiln
