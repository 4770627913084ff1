#include "modelbrowser.h"

#include "narrowlayout.h"
#include "hubpanel.h"
#include "hub/hubcache.h"
#include "document/taskcell.h"

#include "kernel/modelvetting.h"

#include "engines/builtinmodels.h"
#include "kernel/luasession.h"
#include "settings.h"

#include <QLocale>
#include <QCoreApplication>
#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QGuiApplication>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHash>
#include <climits>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProcess>
#include <QRegularExpression>
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
constexpr int kNotebookModelRole = Qt::UserRole + 2;
constexpr int kHubRepoRole = Qt::UserRole + 3;

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
        return ModelBrowser::tr("%1 KB").arg(QLocale().toString(double(bytes) / 1024, 'f', 1));
    return ModelBrowser::tr("%1 MB").arg(QLocale().toString(double(bytes) / (1 << 20), 'f', 1));
}

// The tree, with drags: a library file goes out as its URL and the code that
// loads it; an architecture as the code that builds it.
class ModelTree : public QTreeWidget
{
public:
    using QTreeWidget::QTreeWidget;

protected:
    QStringList mimeTypes() const override
    {
        return {QStringLiteral("text/uri-list"), QStringLiteral("text/plain"), QStringLiteral(KILN_MODEL_MIME),
                QStringLiteral(KILN_ARCHITECTURE_MIME)};
    }

    QMimeData *mimeData(const QList<QTreeWidgetItem *> &items) const override
    {
        if (items.isEmpty())
            return nullptr;
        auto *mime = new QMimeData;
        QTreeWidgetItem *item = items.constFirst();
        const QString file = item->data(0, kFileRole).toString();
        const QString id = item->data(0, kArchitectureRole).toString();
        const QString repo = item->data(0, kHubRepoRole).toString();
        if (!repo.isEmpty()) {
            // Dropped in a notebook: the pipeline on it; on the inference panel: its task's form.
            mime->setData(QStringLiteral(KILN_HUB_MODEL_MIME), repo.toUtf8());
            const QString snapshot = HubCache::snapshot(repo, QStringLiteral("main"));
            const QString task = TaskCell::guessTask(snapshot);
            mime->setText(task.isEmpty() ? QStringLiteral("folder = hub.download(\"%1\")").arg(repo)
                                         : QStringLiteral("model = pipeline(\"%1\", \"%2\")").arg(task, repo));
        } else if (!file.isEmpty()) {
            mime->setUrls({QUrl::fromLocalFile(file)});
            mime->setData(QStringLiteral(KILN_MODEL_MIME), file.toUtf8());
            const QString quoted = QStringLiteral("\"%1\"").arg(file);
            mime->setText(file.endsWith(QLatin1String(".safetensors"), Qt::CaseInsensitive)
                              ? QStringLiteral("tensors, metadata = safetensors.load(%1)\ntensors").arg(quoted)
                              : QStringLiteral("model = torch.jit.load(%1)\nmodel").arg(quoted));
        } else if (!id.isEmpty()) {
            mime->setText(BuiltinModels::code(BuiltinModels::architecture(id)));
            mime->setData(QStringLiteral(KILN_ARCHITECTURE_MIME), id.toUtf8());
        }
        return mime;
    }
};

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

    mTree = new ModelTree(splitter);
    mTree->setHeaderHidden(true);
    mTree->setDragEnabled(true);
    mTree->setDragDropMode(QAbstractItemView::DragOnly);
    mTree->setObjectName(QStringLiteral("modelTree"));
    mBuiltin = new QTreeWidgetItem(mTree, {tr("Built-in architectures")});
    for (const BuiltinModels::Architecture &architecture : BuiltinModels::architectures()) {
        auto *item = new QTreeWidgetItem(mBuiltin, {architecture.name});
        item->setData(0, kArchitectureRole, architecture.id);
        item->setToolTip(0, architecture.description);
    }
    mNotebookModels = new QTreeWidgetItem(mTree, {tr("Notebook models")});
    mNotebookModels->setToolTip(0, tr("Modules held by the notebook's globals, as of its last run"));
    mLibrary = new QTreeWidgetItem(mTree, {tr("Model library")});
    mLibrary->setToolTip(0, libraryDirectory());
    mHub = new QTreeWidgetItem(mTree, {tr("Hugging Face Hub")});
    mHub->setToolTip(0, HubCache::directory());
    mTree->expandAll();
    connect(mTree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) { showItem(item); });

    auto *details = new QWidget(splitter);
    mDetailsPane = details;
    mHubPanel = new HubPanel(splitter);
    mHubPanel->hide();
    connect(mHubPanel, &HubPanel::taskCellRequested, this, &ModelBrowser::taskCellRequested);
    connect(mHubPanel, &HubPanel::activity, this, &ModelBrowser::hubActivity);
    connect(mHubPanel, &HubPanel::cacheChanged, this, &ModelBrowser::rebuildHub);
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
    mFormLayout->setRowWrapPolicy(QFormLayout::WrapLongRows);
    detailsLayout->addWidget(mForm);
    mCode = new QPlainTextEdit(details);
    mCode->setReadOnly(true);
    mCode->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    mCode->setObjectName(QStringLiteral("architectureCode"));
    detailsLayout->addWidget(mCode, 1);
    auto *buttons = new FlowLayout;
    mInsert = new QPushButton(tr("Insert code"), details);
    mInsert->setObjectName(QStringLiteral("insertCode"));
    mInsert->setToolTip(tr("Adds a code cell that builds this model below the current cell"));
    mTrain = new QPushButton(tr("Train…"), details);
    mTrain->setEnabled(false);
    mTrain->setToolTip(tr("Hands this architecture to the training panel"));
    connect(mTrain, &QPushButton::clicked, this, [this] {
        if (!mArchitecture.isEmpty())
            Q_EMIT trainRequested(mArchitecture);
    });
    mSendToInference = new QPushButton(tr("Send to inference"), details);
    mSendToInference->setObjectName(QStringLiteral("sendToInference"));
    mSendToInference->setEnabled(false);
    buttons->addWidget(mInsert);
    buttons->addWidget(mTrain);
    buttons->addWidget(mSendToInference);
    auto *copy = new QPushButton(tr("Copy summary"), details);
    connect(copy, &QPushButton::clicked, this, &ModelBrowser::copySummary);
    buttons->addWidget(copy);
    auto *addFolderButton = new QPushButton(tr("Add folder…"), details);
    addFolderButton->setToolTip(tr("List the model files of another folder here too"));
    connect(addFolderButton, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Add a folder of models"));
        if (!folder.isEmpty())
            addFolder(folder);
    });
    buttons->addWidget(addFolderButton);
    connect(mSendToInference, &QPushButton::clicked, this, [this] {
        if (!mInspectedFile.isEmpty())
            Q_EMIT sendToInferenceRequested(mInspectedFile);
    });
    detailsLayout->addLayout(buttons);
    auto *tryRow = new FlowLayout;
    mTryShapes = new QLineEdit(details);
    mTryShapes->setObjectName(QStringLiteral("tryShapes"));
    mTryShapes->setPlaceholderText(tr("input shape, e.g. 1,1,28,28; several inputs: 1,4;1,4"));
    mTryShapes->setToolTip(tr("One shape per input of forward, separated by ';'; the inputs are zeros"));
    mTry = new QPushButton(tr("Try forward"), details);
    mTry->setEnabled(false);
    mTryShapes->setMinimumWidth(120);
    tryRow->addStretchedWidget(mTryShapes);
    tryRow->addWidget(mTry);
    detailsLayout->addLayout(tryRow);
    mTryResult = new QLabel(details);
    mTryResult->setWordWrap(true);
    mTryResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    detailsLayout->addWidget(mTryResult);
    connect(mTry, &QPushButton::clicked, this, [this] { tryForward(mTryShapes->text()); });
    connect(mTryShapes, &QLineEdit::returnPressed, this, [this] { tryForward(mTryShapes->text()); });
    connect(mInsert, &QPushButton::clicked, this, [this] {
        if (!mArchitecture.isEmpty())
            Q_EMIT insertCodeRequested(currentCode());
        else if (!mFileCode.isEmpty())
            Q_EMIT insertCodeRequested(mFileCode);
    });
    // The list keeps a useful share of the height from the first opening (it
    // used to start at a few rows): two fifths, and never under ~8 rows.
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    mTree->setMinimumHeight(mTree->fontMetrics().height() * 8);
    splitter->setChildrenCollapsible(false);

    QDir().mkpath(libraryDirectory());
    mWatcher->addPath(libraryDirectory());
    for (const QString &folder : prefs::modelFolders.get()) {
        if (QFileInfo(folder).isDir())
            mWatcher->addPath(folder);
    }
    connect(mWatcher, &QFileSystemWatcher::directoryChanged, this, &ModelBrowser::rebuildLibrary);
    rebuildLibrary();
    rebuildHub();
    showItem(nullptr);
}

void ModelBrowser::rebuildHub()
{
    const QString selected = mTree->currentItem() ? mTree->currentItem()->data(0, kHubRepoRole).toString() : QString();
    qDeleteAll(mHub->takeChildren());
    for (const HubCache::CachedRepo &cached : HubCache::list()) {
        auto *item = new QTreeWidgetItem(mHub, {tr("%1 (%2)").arg(cached.repo, HubCache::sizeText(cached.bytes))});
        item->setData(0, kHubRepoRole, cached.repo);
        item->setToolTip(0, cached.path);
        if (cached.repo == selected)
            mTree->setCurrentItem(item);
    }
    mHub->setExpanded(true);
    if (mHubPanel->isVisible())
        mHubPanel->showRepo(mHubPanel->repo().isEmpty() || !hubRepos().contains(mHubPanel->repo()) ? QString() : mHubPanel->repo());
}

QStringList ModelBrowser::hubRepos() const
{
    QStringList repos;
    for (int i = 0; i < mHub->childCount(); ++i)
        repos.append(mHub->child(i)->data(0, kHubRepoRole).toString());
    return repos;
}

QString ModelBrowser::libraryDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/models");
}

QStringList ModelBrowser::libraryFiles() const
{
    QStringList files;
    QList<QTreeWidgetItem *> pending{mLibrary};
    while (!pending.isEmpty()) {
        QTreeWidgetItem *item = pending.takeFirst();
        for (int i = 0; i < item->childCount(); ++i) {
            const QString file = item->child(i)->data(0, kFileRole).toString();
            if (file.isEmpty())
                pending.append(item->child(i));
            else
                files.append(file);
        }
    }
    return files;
}

void ModelBrowser::rebuildLibrary()
{
    qDeleteAll(mLibrary->takeChildren());
    auto addFiles = [this](QTreeWidgetItem *parent, const QString &folder) {
        const QFileInfoList entries = QDir(folder).entryInfoList(QDir::Files, QDir::Name | QDir::IgnoreCase);
        for (const QFileInfo &entry : entries) {
            if (!isModelFile(entry.fileName()))
                continue;
            auto *item = new QTreeWidgetItem(parent, {entry.fileName()});
            item->setData(0, kFileRole, entry.absoluteFilePath());
            item->setToolTip(0, tr("%1, %2").arg(entry.absoluteFilePath(), humanSize(entry.size())));
        }
    };
    addFiles(mLibrary, libraryDirectory());
    // Folders the user added: one branch each.
    for (const QString &folder : prefs::modelFolders.get()) {
        auto *branch = new QTreeWidgetItem(mLibrary, {QDir(folder).dirName()});
        branch->setToolTip(0, folder);
        addFiles(branch, folder);
        branch->setExpanded(true);
    }
    mLibrary->setExpanded(true);
}

void ModelBrowser::addFolder(const QString &folder)
{
    const QString path = QFileInfo(folder).absoluteFilePath();
    QStringList folders = prefs::modelFolders.get();
    if (folders.contains(path) || !QFileInfo(path).isDir())
        return;
    folders.append(path);
    prefs::modelFolders.set(folders);
    mWatcher->addPath(path);
    rebuildLibrary();
}

void ModelBrowser::copySummary() const
{
    QGuiApplication::clipboard()->setText(detailsText());
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

void ModelBrowser::setNotebookModels(const QList<NotebookModel> &models)
{
    mModels = models;
    qDeleteAll(mNotebookModels->takeChildren());
    for (const NotebookModel &model : models) {
        auto *item = new QTreeWidgetItem(mNotebookModels, {QStringLiteral("%1  (%2)").arg(model.name, model.type)});
        item->setData(0, kNotebookModelRole, model.name);
        item->setToolTip(0, tr("%n parameters", nullptr, int(qMin<qint64>(model.parameters, INT_MAX))));
    }
    mNotebookModels->setExpanded(true);
}

QStringList ModelBrowser::notebookModelNames() const
{
    QStringList names;
    for (const NotebookModel &model : mModels)
        names.append(model.name);
    return names;
}

void ModelBrowser::showItem(QTreeWidgetItem *item)
{
    // The Hub section has a pane of its own.
    const bool hub = item && (item == mHub || item->parent() == mHub);
    mHubPanel->setVisible(hub);
    mDetailsPane->setVisible(!hub);
    if (hub) {
        mHubPanel->showRepo(item->data(0, kHubRepoRole).toString());
        return;
    }
    const QString notebookModel = item ? item->data(0, kNotebookModelRole).toString() : QString();
    if (!notebookModel.isEmpty()) {
        showItem(nullptr);
        for (const NotebookModel &model : std::as_const(mModels)) {
            if (model.name == notebookModel) {
                mDescription->setText(tr("%1, a %2 in the notebook, %3 parameters")
                                          .arg(model.name, model.type, QLocale().toString(model.parameters)));
                mCode->setPlainText(model.repr);
            }
        }
        return;
    }
    const QString id = item ? item->data(0, kArchitectureRole).toString() : QString();
    const QString file = item ? item->data(0, kFileRole).toString() : QString();
    if (!id.isEmpty()) {
        showArchitecture(id);
        return;
    }
    mArchitecture.clear();
    mFileCode.clear();
    while (mFormLayout->rowCount() > 0)
        mFormLayout->removeRow(0);
    mInsert->setEnabled(false);
    mSendToInference->setEnabled(false);
    mTry->setEnabled(false);
    mTrain->setEnabled(false);
    mTryResult->clear();
    mCode->clear();
    if (!file.isEmpty()) {
        const QFileInfo info(file);
        mDescription->setText(tr("%1\n%2, modified %3")
                                  .arg(info.fileName(), humanSize(info.size()),
                                       QLocale().toString(info.lastModified(), QLocale::ShortFormat)));
        mCode->setPlainText(tr("Reading the model…"));
        inspect(file);
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
    mTry->setEnabled(true);
    // The training panel says when an architecture does not fit its dataset.
    mTrain->setEnabled(true);
    mTryResult->clear();
    // A shape that fits the architecture's defaults, as a start.
    static const QHash<QString, QString> examples = {
        {QStringLiteral("mlp"), QStringLiteral("1,784")},         {QStringLiteral("lenet"), QStringLiteral("1,1,28,28")}, {QStringLiteral("cnn"), QStringLiteral("1,1,28,28")},
        {QStringLiteral("resnet"), QStringLiteral("1,1,28,28")},  {QStringLiteral("rnn"), QStringLiteral("1,10,16")},
        {QStringLiteral("transformer"), QStringLiteral("1,10,16")}, {QStringLiteral("autoencoder"), QStringLiteral("1,784")}};
    mTryShapes->setText(examples.value(id));
    updateCode();
}

void ModelBrowser::setInspector(const QString &program)
{
    mInspector = program;
}

QString ModelBrowser::detailsText() const
{
    return mDescription->text() + QLatin1Char('\n') + mCode->toPlainText();
}

// Files from strangers are read by `kiln inspect` in a child process with time
// and memory limits: a malformed file can hang libtorch's loader or make it
// allocate without bound, and must not take the window with it.
void ModelBrowser::inspect(const QString &file)
{
    if (mInspection) {
        mInspection->disconnect(this);
        mInspection->kill();
        mInspection->deleteLater();
    }
    mInspectedFile = file;
    mInspection = new QProcess(this);
    QProcess *process = mInspection;
    connect(process, &QProcess::finished, this, [this, process, file](int code, QProcess::ExitStatus status) {
        process->deleteLater();
        if (mInspection == process)
            mInspection = nullptr;
        if (mInspectedFile != file)
            return;
        const bool ok = status == QProcess::NormalExit && code == 0;
        if (!ok) {
            const QString reason = ModelVetting::readerMessage(file, process->readAllStandardError());
            mCode->setPlainText(reason.isEmpty() ? tr("Kiln could not read this file.") : reason);
            Q_EMIT inspected(file, false);
            return;
        }
        const QJsonObject summary = QJsonDocument::fromJson(process->readAllStandardOutput()).object();
        const QString format = summary.value(QStringLiteral("format")).toString();
        QStringList lines;
        const QString quoted = QStringLiteral("\"%1\"").arg(file);
        mSendToInference->setEnabled(format == QLatin1String("torchscript"));
        mTry->setEnabled(format == QLatin1String("torchscript"));
        if (format == QLatin1String("torchscript"))
            mTryShapes->setText(suggestedShapes(summary));
        if (format == QLatin1String("torchscript"))
            lines << QStringLiteral("model = torch.jit.load(%1)").arg(quoted);
        else if (format == QLatin1String("state_dict"))
            lines << QStringLiteral("state = torch.load(%1)  -- load into a matching model with model:load_state_dict(state)").arg(quoted);
        else
            lines << QStringLiteral("tensors, metadata = safetensors.load(%1)").arg(quoted);
        // Insert code adds this line: the file, loaded.
        mFileCode = lines.constFirst();
        mInsert->setEnabled(true);
        lines << QString();
        lines << tr("Format: %1").arg(format);
        const QString producer = summary.value(QStringLiteral("producer")).toString();
        if (!producer.isEmpty())
            lines << tr("Producer: %1").arg(producer);
        lines << tr("Parameters: %1 (%2)")
                     .arg(QLocale().toString(summary.value(QStringLiteral("total_parameters")).toInteger()),
                          humanSize(summary.value(QStringLiteral("total_bytes")).toInteger()));
        const QString forward = summary.value(QStringLiteral("forward")).toString();
        if (!forward.isEmpty())
            lines << tr("Forward: %1").arg(forward);
        const QJsonArray methods = summary.value(QStringLiteral("methods")).toArray();
        if (methods.size() > 1) {
            lines << tr("Methods:");
            for (const QJsonValue &method : methods)
                lines << QStringLiteral("  %1").arg(method.toObject().value(QStringLiteral("schema")).toString());
        }
        const QJsonObject metadata = summary.value(QStringLiteral("metadata")).toObject();
        for (auto it = metadata.constBegin(); it != metadata.constEnd(); ++it)
            lines << QStringLiteral("  %1 = %2").arg(it.key(), it.value().toVariant().toString());
        lines << QString() << tr("Modules:");
        for (const QJsonValue &module : summary.value(QStringLiteral("modules")).toArray()) {
            const QJsonObject m = module.toObject();
            const QString name = m.value(QStringLiteral("name")).toString();
            lines << QStringLiteral("  %1  %2").arg(name.isEmpty() ? QStringLiteral("(root)") : name,
                                                    m.value(QStringLiteral("type")).toString());
        }
        lines << QString() << tr("Parameters and buffers:");
        for (const QJsonValue &parameter : summary.value(QStringLiteral("parameters")).toArray()) {
            const QJsonObject p = parameter.toObject();
            QStringList shape;
            for (const QJsonValue &size : p.value(QStringLiteral("shape")).toArray())
                shape << QString::number(size.toInteger());
            lines << QStringLiteral("  %1  [%2]  %3%4")
                         .arg(p.value(QStringLiteral("name")).toString(), shape.join(QStringLiteral(", ")),
                              p.value(QStringLiteral("dtype")).toString(),
                              p.value(QStringLiteral("kind")).toString() == QLatin1String("buffer") ? tr("  (buffer)")
                                                                                                     : QString());
        }
        mCode->setPlainText(lines.join(QLatin1Char('\n')));
        ModelVetting::markVetted(file);
        Q_EMIT inspected(file, true);
    });
    const QString program = mInspector.isEmpty() ? ModelVetting::inspector() : mInspector;
    process->start(program, {QStringLiteral("inspect"), file, QStringLiteral("--json")});
}

QString ModelBrowser::tryResult() const
{
    return mTryResult->text();
}

void ModelBrowser::tryForward(const QString &shapes)
{
    QList<QStringList> inputs;
    for (const QString &input : shapes.split(QLatin1Char(';'), Qt::SkipEmptyParts))
        inputs.append(input.split(QLatin1Char(','), Qt::SkipEmptyParts));
    if (inputs.isEmpty()) {
        mTryResult->setText(tr("Give the input shapes, e.g. 1,1,28,28"));
        Q_EMIT triedForward(false);
        return;
    }
    if (!mArchitecture.isEmpty()) {
        // Kiln's own code, so it runs here, in a scratch session of its own; a
        // try is a quick look, so inputs stay small enough not to stall the window.
        qint64 elements = 0;
        for (const QStringList &shape : inputs) {
            qint64 count = 1;
            for (const QString &size : shape)
                count *= qMax<qint64>(0, size.trimmed().toLongLong());
            elements += count;
        }
        if (elements > (qint64(1) << 24)) {
            mTryResult->setText(tr("Try forward takes up to 16 million input numbers; use a smaller batch"));
            Q_EMIT triedForward(false);
            return;
        }
        QStringList zeros;
        for (const QStringList &shape : inputs)
            zeros.append(QStringLiteral("torch.zeros({%1})").arg(shape.join(QLatin1Char(','))));
        QString text, failure;
        LuaSession session(std::make_shared<std::atomic<bool>>(false), [&text](const OutputItem &item) {
            if (item.kind == OutputItem::Kind::Value)
                text = item.text;
        });
        const EvalResult built = session.evaluate(currentCode());
        EvalResult ran = built;
        if (built.ok()) {
            ran = session.evaluate(QStringLiteral(
                                       "model:eval()\nlocal started = time.perf_counter()\n"
                                       "local y = torch.no_grad(function() return model(%1) end)\n"
                                       "local ms = (time.perf_counter() - started) * 1000\n"
                                       "local shape = torch.is_tensor(y) and tostring(y.shape) or type(y)\n"
                                       "return string.format('%s, %.2f ms', shape, ms)")
                                       .arg(zeros.join(QStringLiteral(", "))));
        }
        if (!ran.ok()) {
            mTryResult->setText(tr("Forward failed: %1").arg(ran.error.message));
            Q_EMIT triedForward(false);
            return;
        }
        mTryResult->setText(tr("Output %1").arg(text.mid(1, text.size() - 2)));
        Q_EMIT triedForward(true);
        return;
    }
    if (mInspectedFile.isEmpty())
        return;
    // A file from anywhere runs where it cannot hurt the window: `kiln inspect --try`.
    auto *process = new QProcess(this);
    mTryResult->setText(tr("Running forward…"));
    connect(process, &QProcess::finished, this, [this, process](int code, QProcess::ExitStatus status) {
        process->deleteLater();
        const bool ok = status == QProcess::NormalExit && code == 0;
        const QString text = QString::fromUtf8(ok ? process->readAllStandardOutput() : process->readAllStandardError()).trimmed();
        const QString last = text.section(QLatin1Char('\n'), -1);
        mTryResult->setText(ok ? last : forwardError(last.section(QStringLiteral(": "), 2)));
        Q_EMIT triedForward(ok);
    });
    const QString program = mInspector.isEmpty() ? QCoreApplication::applicationFilePath() : mInspector;
    process->start(program, {QStringLiteral("inspect"), mInspectedFile, QStringLiteral("--try"), shapes});
}

// A first guess at forward's input shapes from what the reader found: the
// first weight tells the features (a Linear) or the channels (a Conv2d, at
// 28x28), one shape per tensor argument of forward.
QString ModelBrowser::suggestedShapes(const QJsonObject &summary)
{
    QString shape;
    for (const QJsonValue &value : summary.value(QStringLiteral("parameters")).toArray()) {
        const QJsonArray sizes = value.toObject().value(QStringLiteral("shape")).toArray();
        if (sizes.size() == 2) {
            shape = QStringLiteral("1,%1").arg(sizes.at(1).toInteger());
            break;
        }
        if (sizes.size() == 4) {
            shape = QStringLiteral("1,%1,28,28").arg(sizes.at(1).toInteger());
            break;
        }
    }
    if (shape.isEmpty())
        return {};
    // forward(Type self, Tensor x, Tensor y) -> ...: one shape per Tensor argument.
    const QString forward = summary.value(QStringLiteral("forward")).toString();
    const QString arguments = forward.section(QLatin1Char('('), 1).section(QLatin1Char(')'), 0, 0);
    const int inputs = qMax(1, int(arguments.count(QStringLiteral("Tensor "))));
    QStringList shapes;
    for (int i = 0; i < inputs; ++i)
        shapes << shape;
    return shapes.join(QLatin1Char(';'));
}

// TorchScript's own words for a wrong number of inputs, said plainly.
QString ModelBrowser::forwardError(const QString &message)
{
    static const QRegularExpression count(
        QStringLiteral("Expected at most (\\d+) argument\\(s\\) for operator 'forward', but received (\\d+)"));
    const QRegularExpressionMatch match = count.match(message);
    if (match.hasMatch()) {
        const int takes = match.captured(1).toInt() - 1, given = match.captured(2).toInt() - 1;
        return tr("Inputs forward takes: %1; shapes given: %2. Give one shape per input, separated by ';'")
            .arg(takes)
            .arg(given);
    }
    return tr("Forward failed: %1").arg(message);
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
