#include "modelbrowser.h"

#include "builtinmodels.h"

#include <QDir>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace kiln {

namespace {

constexpr int kArchitectureRole = Qt::UserRole;
constexpr int kFileRole = Qt::UserRole + 1;

bool isModelFile(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("pt") || suffix == QLatin1String("pth") || suffix == QLatin1String("safetensors")
        || suffix == QLatin1String("bin") || suffix == QLatin1String("ckpt");
}

QString humanSize(qint64 bytes)
{
    if (bytes < 1024)
        return ModelBrowser::tr("%1 B").arg(bytes);
    if (bytes < (1 << 20))
        return ModelBrowser::tr("%1 KB").arg(double(bytes) / 1024, 0, 'f', 1);
    return ModelBrowser::tr("%1 MB").arg(double(bytes) / (1 << 20), 0, 'f', 1);
}

} // namespace

ModelBrowser::ModelBrowser(QWidget *parent)
    : QWidget(parent)
    , mWatcher(new QFileSystemWatcher(this))
{
    setAcceptDrops(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    layout->addWidget(splitter);

    mTree = new QTreeWidget(splitter);
    mTree->setHeaderHidden(true);
    mTree->setObjectName(QStringLiteral("modelTree"));
    mBuiltin = new QTreeWidgetItem(mTree, {tr("Built-in architectures")});
    for (const BuiltinModels::Architecture &architecture : BuiltinModels::architectures()) {
        auto *item = new QTreeWidgetItem(mBuiltin, {architecture.name});
        item->setData(0, kArchitectureRole, architecture.id);
        item->setToolTip(0, architecture.description);
    }
    mLibrary = new QTreeWidgetItem(mTree, {tr("Model library")});
    mLibrary->setToolTip(0, libraryDirectory());
    mTree->expandAll();
    connect(mTree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) { showItem(item); });

    auto *details = new QWidget(splitter);
    auto *detailsLayout = new QVBoxLayout(details);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    mDescription = new QLabel(tr("Pick an architecture to set it up, or drop model files here to add them to "
                                 "the library."),
                              details);
    mDescription->setWordWrap(true);
    detailsLayout->addWidget(mDescription);
    mForm = new QWidget(details);
    mFormLayout = new QFormLayout(mForm);
    mFormLayout->setContentsMargins(0, 0, 0, 0);
    detailsLayout->addWidget(mForm);
    mCode = new QPlainTextEdit(details);
    mCode->setReadOnly(true);
    mCode->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    mCode->setObjectName(QStringLiteral("architectureCode"));
    detailsLayout->addWidget(mCode, 1);
    auto *buttons = new QHBoxLayout;
    mInsert = new QPushButton(tr("Insert code"), details);
    mInsert->setToolTip(tr("Adds a code cell that builds this model below the current cell"));
    mTrain = new QPushButton(tr("Train…"), details);
    mTrain->setEnabled(false);
    mTrain->setToolTip(tr("The training panel takes models from here once it is part of Kiln"));
    buttons->addWidget(mInsert);
    buttons->addWidget(mTrain);
    buttons->addStretch(1);
    detailsLayout->addLayout(buttons);
    connect(mInsert, &QPushButton::clicked, this, [this] {
        if (!mArchitecture.isEmpty())
            Q_EMIT insertCodeRequested(currentCode());
    });
    splitter->setStretchFactor(1, 1);

    QDir().mkpath(libraryDirectory());
    mWatcher->addPath(libraryDirectory());
    connect(mWatcher, &QFileSystemWatcher::directoryChanged, this, &ModelBrowser::rebuildLibrary);
    rebuildLibrary();
    showItem(nullptr);
}

QString ModelBrowser::libraryDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/models");
}

QStringList ModelBrowser::libraryFiles() const
{
    QStringList files;
    for (int i = 0; i < mLibrary->childCount(); ++i)
        files.append(mLibrary->child(i)->data(0, kFileRole).toString());
    return files;
}

void ModelBrowser::rebuildLibrary()
{
    qDeleteAll(mLibrary->takeChildren());
    const QFileInfoList entries = QDir(libraryDirectory()).entryInfoList(QDir::Files, QDir::Name | QDir::IgnoreCase);
    for (const QFileInfo &entry : entries) {
        if (!isModelFile(entry.fileName()))
            continue;
        auto *item = new QTreeWidgetItem(mLibrary, {entry.fileName()});
        item->setData(0, kFileRole, entry.absoluteFilePath());
        item->setToolTip(0, tr("%1, %2").arg(entry.absoluteFilePath(), humanSize(entry.size())));
    }
    mLibrary->setExpanded(true);
}

QStringList ModelBrowser::addToLibrary(const QStringList &files)
{
    QStringList written;
    QDir().mkpath(libraryDirectory());
    for (const QString &file : files) {
        if (!isModelFile(file) || !QFileInfo(file).isFile())
            continue;
        QString target = QDir(libraryDirectory()).filePath(QFileInfo(file).fileName());
        // Never overwrite a model already there: number the copy instead.
        for (int n = 2; QFileInfo::exists(target); ++n)
            target = QDir(libraryDirectory()).filePath(
                QStringLiteral("%1 (%2).%3").arg(QFileInfo(file).completeBaseName()).arg(n).arg(QFileInfo(file).suffix()));
        if (QFile::copy(file, target))
            written.append(target);
    }
    rebuildLibrary();
    return written;
}

void ModelBrowser::dragEnterEvent(QDragEnterEvent *event)
{
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile() && isModelFile(url.toLocalFile())) {
            event->acceptProposedAction();
            return;
        }
    }
}

void ModelBrowser::dropEvent(QDropEvent *event)
{
    QStringList files;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            files.append(url.toLocalFile());
    }
    if (!addToLibrary(files).isEmpty())
        event->acceptProposedAction();
}

void ModelBrowser::showItem(QTreeWidgetItem *item)
{
    const QString id = item ? item->data(0, kArchitectureRole).toString() : QString();
    const QString file = item ? item->data(0, kFileRole).toString() : QString();
    if (!id.isEmpty()) {
        showArchitecture(id);
        return;
    }
    mArchitecture.clear();
    while (mFormLayout->rowCount() > 0)
        mFormLayout->removeRow(0);
    mInsert->setEnabled(false);
    mCode->clear();
    if (!file.isEmpty()) {
        const QFileInfo info(file);
        mDescription->setText(tr("%1\n%2, modified %3")
                                  .arg(info.fileName(), humanSize(info.size()),
                                       QLocale().toString(info.lastModified(), QLocale::ShortFormat)));
        // The code that loads it, by its kind: a safetensors file is a set of
        // tensors; a .pt is taken for TorchScript, the kind a model file usually is.
        const QString quoted = QStringLiteral("\"%1\"").arg(file);
        mCode->setPlainText(info.suffix().compare(QLatin1String("safetensors"), Qt::CaseInsensitive) == 0
                                ? QStringLiteral("tensors, metadata = safetensors.load(%1)\ntensors").arg(quoted)
                                : QStringLiteral("model = torch.jit.load(%1)\nmodel").arg(quoted));
    } else {
        mDescription->setText(tr("Pick an architecture to set it up, or drop model files here to add them to the library."));
    }
}

void ModelBrowser::selectArchitecture(const QString &id)
{
    for (int i = 0; i < mBuiltin->childCount(); ++i) {
        if (mBuiltin->child(i)->data(0, kArchitectureRole).toString() == id)
            mTree->setCurrentItem(mBuiltin->child(i));
    }
}

void ModelBrowser::showArchitecture(const QString &id)
{
    const BuiltinModels::Architecture architecture = BuiltinModels::architecture(id);
    mArchitecture = id;
    mDescription->setText(tr("%1 — %2\nInput: %3").arg(architecture.name, architecture.description, architecture.inputShape));
    while (mFormLayout->rowCount() > 0)
        mFormLayout->removeRow(0);
    for (const BuiltinModels::Hyperparameter &parameter : architecture.hyperparameters) {
        QWidget *editor = nullptr;
        if (parameter.value.typeId() == QMetaType::Int) {
            auto *spin = new QSpinBox(mForm);
            spin->setRange(parameter.minimum.toInt(), parameter.maximum.toInt());
            spin->setValue(parameter.value.toInt());
            connect(spin, &QSpinBox::valueChanged, this, &ModelBrowser::updateCode);
            editor = spin;
        } else if (parameter.value.typeId() == QMetaType::Double) {
            auto *spin = new QDoubleSpinBox(mForm);
            spin->setRange(parameter.minimum.toDouble(), parameter.maximum.toDouble());
            spin->setSingleStep(0.05);
            spin->setValue(parameter.value.toDouble());
            connect(spin, &QDoubleSpinBox::valueChanged, this, &ModelBrowser::updateCode);
            editor = spin;
        } else {
            auto *line = new QLineEdit(parameter.value.toString(), mForm);
            connect(line, &QLineEdit::textChanged, this, &ModelBrowser::updateCode);
            editor = line;
        }
        editor->setObjectName(parameter.name);
        mFormLayout->addRow(parameter.label, editor);
    }
    mInsert->setEnabled(true);
    updateCode();
}

QString ModelBrowser::currentCode() const
{
    BuiltinModels::Architecture architecture = BuiltinModels::architecture(mArchitecture);
    for (BuiltinModels::Hyperparameter &parameter : architecture.hyperparameters) {
        QWidget *editor = mForm->findChild<QWidget *>(parameter.name);
        if (auto *spin = qobject_cast<QSpinBox *>(editor))
            parameter.value = spin->value();
        else if (auto *real = qobject_cast<QDoubleSpinBox *>(editor))
            parameter.value = real->value();
        else if (auto *line = qobject_cast<QLineEdit *>(editor))
            parameter.value = line->text();
    }
    return BuiltinModels::code(architecture);
}

void ModelBrowser::updateCode()
{
    mCode->setPlainText(currentCode());
}

} // namespace kiln
