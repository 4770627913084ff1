#include "preferencesdialog.h"

#include "settings.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace kiln {

PreferencesDialog::PreferencesDialog(const QString &sandbox, QWidget *parent)
    : QDialog(parent)
    , mMemoryLimit(new QSpinBox(this))
    , mFolders(new QListWidget(this))
{
    setObjectName(QStringLiteral("preferencesDialog"));
    setWindowTitle(tr("Preferences"));
    auto *layout = new QVBoxLayout(this);

    auto *runtime = new QGroupBox(tr("Notebook runtime"), this);
    auto *form = new QFormLayout;
    mMemoryLimit->setObjectName(QStringLiteral("memoryLimit"));
    mMemoryLimit->setRange(0, 4 << 20);
    mMemoryLimit->setSingleStep(512);
    mMemoryLimit->setSuffix(tr(" MiB"));
    mMemoryLimit->setSpecialValueText(tr("No limit"));
    mMemoryLimit->setValue(qMax(0, prefs::runtimeMemoryLimitMiB.get()));
    mMemoryLimit->setToolTip(tr("The runtime is ended, and the running cell told why, when its memory passes this"));
    form->addRow(tr("Memory limit:"), mMemoryLimit);
    runtime->setLayout(form);
    layout->addWidget(runtime);

    auto *writes = new QGroupBox(tr("Folders notebook code may write to"), this);
    auto *writesLayout = new QVBoxLayout(writes);
    auto *explanation = new QLabel(
        tr("Notebook code may read any file you can. It may write only to the notebook's folder, Kiln's data "
           "and cache folders, the Hugging Face cache, the temporary folder, and these folders:"),
        writes);
    explanation->setWordWrap(true);
    writesLayout->addWidget(explanation);
    mFolders->setObjectName(QStringLiteral("grantedFolders"));
    mFolders->addItems(prefs::sandboxFolders.get());
    writesLayout->addWidget(mFolders);
    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add Folder..."), writes);
    auto *remove = new QPushButton(tr("Remove"), writes);
    remove->setEnabled(false);
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch();
    writesLayout->addLayout(buttons);
    connect(add, &QPushButton::clicked, this, &PreferencesDialog::addFolder);
    connect(remove, &QPushButton::clicked, this, [this] { delete mFolders->currentItem(); });
    connect(mFolders, &QListWidget::currentRowChanged, remove, [remove](int row) { remove->setEnabled(row >= 0); });
    auto *status = new QLabel(sandbox.isEmpty() ? tr("The runtime has not started yet.") : sandbox, writes);
    status->setObjectName(QStringLiteral("sandboxDescription"));
    status->setWordWrap(true);
    status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    writesLayout->addWidget(status);
    layout->addWidget(writes);

    auto *note = new QLabel(tr("Changes take effect when the runtime next starts (Run > Restart Runtime)."), this);
    note->setWordWrap(true);
    layout->addWidget(note);
    auto *box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(box, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(box);
    resize(560, 440);
}

QStringList PreferencesDialog::folders() const
{
    QStringList folders;
    for (int i = 0; i < mFolders->count(); ++i)
        folders.append(mFolders->item(i)->text());
    return folders;
}

int PreferencesDialog::memoryLimitMiB() const
{
    return mMemoryLimit->value();
}

void PreferencesDialog::accept()
{
    prefs::sandboxFolders.set(folders());
    prefs::runtimeMemoryLimitMiB.set(memoryLimitMiB());
    QDialog::accept();
}

void PreferencesDialog::addFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Let notebook code write to"), QDir::homePath());
    if (folder.isEmpty() || folders().contains(QDir::cleanPath(folder)))
        return;
    mFolders->addItem(QDir::cleanPath(folder));
}

} // namespace kiln
