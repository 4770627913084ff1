#pragma once

#include <QDialog>

class QListWidget;
class QSpinBox;

namespace kiln {

// Edit > Preferences: what the notebook's runtime may use. The memory limit and
// the extra folders notebook code may write to (the kernel's sandbox); both take
// effect from the runtime's next start. Saved when the dialog is accepted.
class PreferencesDialog : public QDialog
{
    Q_OBJECT

public:
    // `sandbox` is the running kernel's own description of its sandbox.
    explicit PreferencesDialog(const QString &sandbox, QWidget *parent = nullptr);

    QStringList folders() const;
    int memoryLimitMiB() const;

    void accept() override;

private:
    void addFolder();

    QSpinBox *mMemoryLimit;
    QListWidget *mFolders;
};

} // namespace kiln
