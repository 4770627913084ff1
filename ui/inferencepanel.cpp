#include "inferencepanel.h"

#include "document/taskcell.h"
#include "hub/hubcache.h"
#include "readers/csvreader.h"

#include "narrowlayout.h"

#include "kernel/modelvetting.h"

#include "devicepicker.h"
#include "modelbrowser.h"
#include "document/plotrender.h"
#include "settings.h"
#include "tableoutputview.h"

#include <QLocale>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QImageReader>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QResizeEvent>
#include <QScrollArea>
#include <QSpinBox>
#include <QProcess>
#include <QTemporaryDir>
#include <QCoreApplication>
#include <QtConcurrent>

#include <stdexcept>

namespace kiln {

namespace {

bool isLabelsFile(const QString &path)
{
    return QFileInfo(path).suffix().compare(QLatin1String("txt"), Qt::CaseInsensitive) == 0;
}

bool looksLikeModel(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("pt") || suffix == QLatin1String("pth") || suffix == QLatin1String("pt2");
}

QList<double> numbers(const QString &text)
{
    QList<double> values;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const double value = part.trimmed().toDouble(&ok);
        if (ok)
            values.append(value);
    }
    return values;
}

} // namespace

InferencePanel::InferencePanel(QWidget *parent)
    : QWidget(parent)
    , mVetting(new ModelVetting(this))
{
    connect(mVetting, &ModelVetting::finished, this, [this](const QString &path, bool ok, const QString &error) {
        if (ok)
            setModel(path);
        else
            mStatus->setText(tr("Not loaded: %1").arg(error));
    });
    setAcceptDrops(true);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(4, 4, 4, 4);
    // The model, inputs and preprocessing scroll when the dock is short, so this
    // dock and the training dock fit one above the other on a small screen; Run,
    // the progress and the results stay in view below.
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *settings = new QWidget(scroll);
    mSettings = settings;
    auto *layout = new QVBoxLayout(settings);
    layout->setContentsMargins(0, 0, 0, 0);

    mModel = new QLabel(tr("Drop a TorchScript model (.pt) or an AOTInductor package (.pt2) here, or choose one."), this);
    mModel->setWordWrap(true);
    auto *chooseModel = new QPushButton(tr("Choose model…"), this);
    connect(chooseModel, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Choose a TorchScript model"), QString(),
                                                          tr("Models (*.pt *.pth *.pt2)"));
        if (!path.isEmpty())
            setModel(path);
    });
    mExpected = new QLabel(this);
    mExpected->setEnabled(false);
    layout->addWidget(mModel);
    layout->addWidget(chooseModel);
    auto *fromNotebook = new FlowLayout;
    mNotebookModels = new QComboBox(this);
    mNotebookModels->setObjectName(QStringLiteral("notebookModels"));
    mNotebookModels->setToolTip(tr("A model from the notebook's runtime"));
    mExampleShape = new QLineEdit(QStringLiteral("1,1,28,28"), this);
    mExampleShape->setObjectName(QStringLiteral("exampleShape"));
    mExampleShape->setToolTip(tr("The shape of one example input, to trace the model with"));
    auto *useNotebook = new QPushButton(tr("Use"), this);
    fromNotebook->addWidget(new QLabel(tr("From the notebook:"), this));
    fromNotebook->addStretchedWidget(mNotebookModels);
    fromNotebook->addWidget(mExampleShape);
    fromNotebook->addWidget(useNotebook);
    layout->addLayout(fromNotebook);
    connect(useNotebook, &QPushButton::clicked, this, [this] {
        if (mNotebookModels->count() > 0)
            Q_EMIT notebookModelRequested(mNotebookModels->currentText(), mExampleShape->text());
    });
    layout->addWidget(mExpected);
    // One row per later forward argument, built from the model's signature.
    mExtraBox = new QWidget(this);
    new QFormLayout(mExtraBox);
    mExtraBox->layout()->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(mExtraBox);

    mInputs = new QListWidget(this);
    mInputs->setObjectName(QStringLiteral("inferenceInputs"));
    mInputs->setToolTip(tr("Images, folders of images, CSV files (a row per sample) or tensors saved with torch.save"));
    mInputs->setMaximumHeight(120);
    auto *inputsLabel = new QLabel(tr("Inputs (drop files or folders here):"), this);
    inputsLabel->setWordWrap(true);
    layout->addWidget(inputsLabel);
    layout->addWidget(mInputs);
    // What the model will see first: the selected input, or the first, when it is an image.
    mPreview = new QLabel(this);
    mPreview->setObjectName(QStringLiteral("inputPreview"));
    mPreview->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    mPreview->hide();
    layout->addWidget(mPreview);
    connect(mInputs, &QListWidget::currentItemChanged, this, [this] { updatePreview(); });
    auto *inputButtons = new FlowLayout;
    auto *addFiles = new QPushButton(tr("Add files…"), this);
    auto *addFolder = new QPushButton(tr("Add folder…"), this);
    auto *clear = new QPushButton(tr("Clear"), this);
    inputButtons->addWidget(addFiles);
    inputButtons->addWidget(addFolder);
    inputButtons->addWidget(clear);
    layout->addLayout(inputButtons);
    connect(addFiles, &QPushButton::clicked, this, [this] {
        addInputs(QFileDialog::getOpenFileNames(this, tr("Add inputs"), QString(),
                                                tr("Inputs (*.png *.jpg *.jpeg *.bmp *.csv *.tsv *.pt);;All files (*)")));
    });
    connect(addFolder, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Add a folder of images"));
        if (!folder.isEmpty())
            addInputs({folder});
    });
    connect(clear, &QPushButton::clicked, this, [this] {
        mInputs->clear();
        updatePreview();
        updateButtons();
    });

    // Preprocessing, in view and editable (images only; CSV rows and tensors go in as they are).
    auto *form = new QFormLayout;
    mSize = new QLineEdit(this);
    mSize->setPlaceholderText(tr("own size, or e.g. 28x28"));
    mSize->setObjectName(QStringLiteral("size"));
    mColor = new QComboBox(this);
    mColor->addItem(tr("As the image is"));
    mColor->addItem(tr("Grayscale"));
    mColor->addItem(tr("RGB"));
    // "1/255" as written, so the panel scales exactly as `kiln predict` does.
    mScale = new QLineEdit(QStringLiteral("1/255"), this);
    mScale->setToolTip(tr("A number or a fraction, e.g. 1/255"));
    mMean = new QLineEdit(QStringLiteral("0"), this);
    mStd = new QLineEdit(QStringLiteral("1"), this);
    mTopk = new QSpinBox(this);
    mTopk->setRange(1, 100);
    mTopk->setValue(5);
    mBatch = new QSpinBox(this);
    mBatch->setRange(1, 4096);
    mBatch->setValue(64);
    form->addRow(tr("Resize to"), mSize);
    form->addRow(tr("Colour"), mColor);
    form->addRow(tr("Scale"), mScale);
    form->addRow(tr("Mean"), mMean);
    form->addRow(tr("Std"), mStd);
    mColumns = new QLineEdit(this);
    mColumns->setObjectName(QStringLiteral("csvColumns"));
    mColumns->setPlaceholderText(tr("all numeric columns, or e.g. x1, x2, x3"));
    form->addRow(tr("CSV columns"), mColumns);
    form->addRow(tr("Top-k"), mTopk);
    form->addRow(tr("Batch size"), mBatch);
    mDevice = new DevicePicker(this);
    mDevice->remember(prefs::inferenceDevice);
    form->addRow(tr("Device"), mDevice);
    layout->addLayout(form);
    mLabels = new QPlainTextEdit(this);
    mLabels->setPlaceholderText(tr("Class labels, one per line (or drop a .txt file)"));
    mLabels->setMaximumHeight(70);
    layout->addWidget(mLabels);
    layout->addStretch(1);
    scroll->setWidget(settings);
    outer->addWidget(scroll);
    mScroll = scroll;

    // Task mode: a Hugging Face model's task, its inputs and options.
    mTaskPage = new QWidget(this);
    mTaskPage->setObjectName(QStringLiteral("taskPage"));
    auto *taskLayout = new QVBoxLayout(mTaskPage);
    taskLayout->setContentsMargins(0, 0, 0, 0);
    mTaskLabel = new QLabel(mTaskPage);
    mTaskLabel->setWordWrap(true);
    taskLayout->addWidget(mTaskLabel);
    auto *taskForm = new QFormLayout;
    mTask = new QComboBox(mTaskPage);
    mTask->setObjectName(QStringLiteral("inferenceTask"));
    for (const TaskCell::Task &task : TaskCell::tasks())
        mTask->addItem(QCoreApplication::translate("kiln::TaskCell", task.title.toUtf8().constData()), task.name);
    taskForm->addRow(tr("Task:"), mTask);
    mCandidates = new QLineEdit(mTaskPage);
    mCandidates->setObjectName(QStringLiteral("inferenceCandidates"));
    mCandidates->setPlaceholderText(tr("labels to choose from, separated by commas"));
    taskForm->addRow(tr("Labels:"), mCandidates);
    mTaskTopK = new QSpinBox(mTaskPage);
    mTaskTopK->setRange(1, 1000);
    mTaskTopK->setValue(5);
    taskForm->addRow(tr("Top k:"), mTaskTopK);
    taskLayout->addLayout(taskForm);
    mTaskTexts = new QPlainTextEdit(mTaskPage);
    mTaskTexts->setObjectName(QStringLiteral("inferenceTexts"));
    taskLayout->addWidget(mTaskTexts, 1);
    auto *backToFiles = new QPushButton(tr("Use a TorchScript Model"), mTaskPage);
    connect(backToFiles, &QPushButton::clicked, this, [this] { setTaskModel(QString()); });
    taskLayout->addWidget(backToFiles);
    outer->addWidget(mTaskPage, 1);
    mTaskPage->hide();
    const auto taskChanged = [this] {
        const TaskCell::Task *task = TaskCell::find(mTask->currentData().toString());
        const bool images = task && task->imageInput;
        mTaskTexts->setPlaceholderText(images ? tr("Image files, one a line (or drop them here)") : tr("Texts, one a line"));
        mCandidates->setEnabled(task && task->labels);
        mTaskTopK->setEnabled(task && task->topK);
        updateButtons();
    };
    connect(mTask, &QComboBox::currentIndexChanged, this, taskChanged);
    connect(mTaskTexts, &QPlainTextEdit::textChanged, this, &InferencePanel::updateButtons);

    auto *runButtons = new FlowLayout;
    mRun = new QPushButton(tr("Run"), this);
    mCancel = new QPushButton(tr("Cancel"), this);
    mExport = new QPushButton(tr("Export CSV…"), this);
    runButtons->addWidget(mRun);
    runButtons->addWidget(mCancel);
    runButtons->addWidget(mExport);
    outer->addLayout(runButtons);
    connect(mRun, &QPushButton::clicked, this, &InferencePanel::run);
    connect(mCancel, &QPushButton::clicked, this, &InferencePanel::cancel);
    connect(mExport, &QPushButton::clicked, this, [this] {
        // Beside the inputs (or the model), not in whatever folder Kiln started in.
        const QStringList given = inputs();
        const QFileInfo near(given.isEmpty() ? mModelPath : given.constFirst());
        const QString folder = near.isDir() ? near.absoluteFilePath() : near.absolutePath();
        const QString path = QFileDialog::getSaveFileName(this, tr("Export predictions"),
                                                          QDir(folder).filePath(QStringLiteral("predictions.csv")),
                                                          tr("CSV (*.csv)"));
        if (!path.isEmpty() && !exportCsv(path))
            mStatus->setText(tr("Cannot write %1").arg(path));
    });
    mProgress = new QProgressBar(this);
    mStatus = new QLabel(this);
    mStatus->setWordWrap(true);
    outer->addWidget(mProgress);
    outer->addWidget(mStatus);
    mResultsHost = new QVBoxLayout;
    outer->addLayout(mResultsHost, 1);

    connect(&mWatcher, &QFutureWatcher<Outcome>::finished, this, &InferencePanel::onFinished);
    letCombosShrink(this);
    updateButtons();
}

void InferencePanel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    wrapFormRows(mSettings, width() < kLabelsBesideWidth);
    wrapFormRows(mTaskPage, width() < kLabelsBesideWidth);
}

InferencePanel::~InferencePanel()
{
    cancel();
    mWatcher.waitForFinished();
}

void InferencePanel::setModel(const QString &path)
{
    // A file this process has not seen read safely is read by a child first.
    if (!ModelVetting::isVetted(path)) {
        mStatus->setText(tr("Reading %1 in a separate process first...").arg(QFileInfo(path).fileName()));
        mVetting->vet(path);
        return;
    }
    mModelPath = path;
    mModel->setText(tr("Model: %1").arg(QFileInfo(path).fileName()));
    mModel->setToolTip(path);
    // The shape its first layer wants, read here: it is the user's own model.
    Predictor probe;
    QString error;
    auto *form = static_cast<QFormLayout *>(mExtraBox->layout());
    while (form->rowCount() > 0)
        form->removeRow(0);
    mExtraInputs.clear();
    mExtraNames.clear();
    if (probe.load(path, &error)) {
        const QString shape = probe.expectedShape();
        const QStringList names = probe.inputNames();
        QString text = shape.isEmpty() ? QString() : tr("Expects %1").arg(shape);
        if (names.size() > 1) {
            text = tr("forward(%1): the inputs below go to %2").arg(names.join(QStringLiteral(", ")), names.first());
            for (const QString &name : names.mid(1)) {
                auto *row = new QWidget(mExtraBox);
                auto *rowLayout = new QHBoxLayout(row);
                rowLayout->setContentsMargins(0, 0, 0, 0);
                auto *file = new QLineEdit(row);
                file->setPlaceholderText(tr("a CSV file or a torch.save tensor"));
                auto *choose = new QPushButton(tr("Choose…"), row);
                rowLayout->addWidget(file, 1);
                rowLayout->addWidget(choose);
                connect(choose, &QPushButton::clicked, this, [this, file] {
                    const QString chosen = QFileDialog::getOpenFileName(this, tr("Choose an input"), QString(),
                                                                        tr("Inputs (*.csv *.tsv *.pt);;All files (*)"));
                    if (!chosen.isEmpty())
                        file->setText(chosen);
                });
                form->addRow(name + QLatin1Char(':'), row);
                mExtraInputs.append(file);
                mExtraNames.append(name);
            }
        }
        mExpected->setText(text);
    } else {
        mExpected->setText(error);
    }
    updateButtons();
}

void InferencePanel::setNotebookModels(const QStringList &names)
{
    const QString current = mNotebookModels->currentText();
    mNotebookModels->clear();
    mNotebookModels->addItems(names);
    mNotebookModels->setCurrentText(current);
}

void InferencePanel::showMessage(const QString &text)
{
    mStatus->setText(text);
}

void InferencePanel::addInputs(const QStringList &paths)
{
    for (const QString &path : paths) {
        if (path.isEmpty())
            continue;
        auto *item = new QListWidgetItem(QFileInfo(path).fileName(), mInputs);
        item->setData(Qt::UserRole, path);
        item->setToolTip(path);
    }
    updatePreview();
    updateButtons();
}

QString InferencePanel::previewPath() const
{
    const QListWidgetItem *item = mInputs->currentItem() ? mInputs->currentItem() : mInputs->item(0);
    if (!item)
        return {};
    const QString path = item->data(Qt::UserRole).toString();
    const QFileInfo info(path);
    if (info.isDir()) {
        QString unused;
        const QStringList images = Predictor::expandInputs({path}, &unused);
        return images.isEmpty() ? QString() : images.constFirst();
    }
    return QImageReader::imageFormat(path).isEmpty() ? QString() : path;
}

void InferencePanel::updatePreview()
{
    const QString path = previewPath();
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (path.isEmpty() || !size.isValid()) {
        mPreview->clear();
        mPreview->hide();
        return;
    }
    // Small images are shown larger, pixel for pixel; large ones are reduced.
    const int side = 96;
    const QImage image = reader.read();
    const Qt::TransformationMode mode = qMax(size.width(), size.height()) < side ? Qt::FastTransformation : Qt::SmoothTransformation;
    mPreview->setPixmap(QPixmap::fromImage(image.scaled(side, side, Qt::KeepAspectRatio, mode)));
    mPreview->setToolTip(tr("%1 · %2×%3").arg(QFileInfo(path).fileName()).arg(size.width()).arg(size.height()));
    mPreview->show();
}

void InferencePanel::setExtraInput(int index, const QString &path)
{
    if (index >= 0 && index < mExtraInputs.size())
        mExtraInputs.at(index)->setText(path);
}

QStringList InferencePanel::inputs() const
{
    QStringList paths;
    for (int i = 0; i < mInputs->count(); ++i)
        paths.append(mInputs->item(i)->data(Qt::UserRole).toString());
    return paths;
}

void InferencePanel::setLabels(const QStringList &labels)
{
    mLabels->setPlainText(labels.join(QLatin1Char('\n')));
}

PredictOptions InferencePanel::options() const
{
    PredictOptions options;
    const QStringList size = mSize->text().split(QLatin1Char('x'), Qt::SkipEmptyParts);
    if (size.size() == 2)
        options.size = QSize(size.at(1).trimmed().toInt(), size.at(0).trimmed().toInt());  // HxW
    options.color = mColor->currentIndex() == 1 ? PredictOptions::Color::Grayscale
        : mColor->currentIndex() == 2           ? PredictOptions::Color::Rgb
                                                : PredictOptions::Color::Auto;
    const QStringList fraction = mScale->text().split(QLatin1Char('/'));
    bool ok = false;
    double scale = fraction.value(0).trimmed().toDouble(&ok);
    if (ok && fraction.size() == 2) {
        const double denominator = fraction.at(1).trimmed().toDouble(&ok);
        scale = ok && denominator != 0 ? scale / denominator : scale;
    }
    if (ok)
        options.scale = scale;
    options.mean = numbers(mMean->text());
    options.std = numbers(mStd->text());
    options.topk = mTopk->value();
    for (const QString &column : mColumns->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!column.trimmed().isEmpty())
            options.columns.append(column.trimmed());
    }
    options.batchSize = mBatch->value();
    // Only devices present now are listed, so the name is already a checked one.
    options.device = mDevice->currentDevice();
    for (const QString &line : mLabels->toPlainText().split(QLatin1Char('\n'))) {
        if (!line.trimmed().isEmpty())
            options.labels.append(line.trimmed());
    }
    return options;
}

void InferencePanel::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasFormat(QStringLiteral(KILN_MODEL_MIME)) || event->mimeData()->hasFormat(QStringLiteral(KILN_HUB_MODEL_MIME))) {
        event->acceptProposedAction();
        return;
    }
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile()) {
            event->acceptProposedAction();
            return;
        }
    }
}

// A .txt file holds labels; a .pt is the model when there is none yet, else
// a tensor input; everything else is an input.
void InferencePanel::dropEvent(QDropEvent *event)
{
    // A model dragged from the model browser is the model, whatever is loaded.
    const QByteArray hubModel = event->mimeData()->data(QStringLiteral(KILN_HUB_MODEL_MIME));
    if (!hubModel.isEmpty()) {
        setTaskModel(QString::fromUtf8(hubModel));
        event->acceptProposedAction();
        return;
    }
    const QByteArray dragged = event->mimeData()->data(QStringLiteral(KILN_MODEL_MIME));
    if (!dragged.isEmpty()) {
        setTaskModel(QString());
        setModel(QString::fromUtf8(dragged));
        event->acceptProposedAction();
        return;
    }
    // A folder of a Hugging Face model (its config.json) is a task model; in task
    // mode, files are its inputs.
    for (const QUrl &url : event->mimeData()->urls()) {
        const QString path = url.toLocalFile();
        if (url.isLocalFile() && QFileInfo(path).isDir() && QFileInfo::exists(path + QStringLiteral("/config.json"))) {
            setTaskModel(path);
            event->acceptProposedAction();
            return;
        }
    }
    if (!mTaskSource.isEmpty()) {
        for (const QUrl &url : event->mimeData()->urls()) {
            if (url.isLocalFile())
                mTaskTexts->appendPlainText(url.toLocalFile());
        }
        event->acceptProposedAction();
        return;
    }
    QStringList inputs;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (!url.isLocalFile())
            continue;
        const QString path = url.toLocalFile();
        if (isLabelsFile(path)) {
            QFile file(path);
            if (file.open(QIODevice::ReadOnly | QIODevice::Text))
                setLabels(QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts));
        } else if (looksLikeModel(path) && mModelPath.isEmpty()) {
            setModel(path);
        } else {
            inputs.append(path);
        }
    }
    addInputs(inputs);
    event->acceptProposedAction();
}

void InferencePanel::setTaskModel(const QString &source)
{
    mTaskSource = source;
    mScroll->setVisible(source.isEmpty());
    mTaskPage->setVisible(!source.isEmpty());
    if (!source.isEmpty()) {
        const QString folder = QFileInfo(source).isDir() ? source : HubCache::snapshot(source, QStringLiteral("main"));
        const QString guessed = TaskCell::guessTask(folder);
        const int index = mTask->findData(guessed.isEmpty() ? QStringLiteral("text-classification") : guessed);
        mTask->setCurrentIndex(index);
        const TaskCell::Task *task = TaskCell::find(mTask->currentData().toString());
        // A folder by its name (the whole path in the tooltip): a long path would widen the dock.
        const QString name = QFileInfo(source).isDir() ? QFileInfo(source).fileName() : source;
        mTaskLabel->setText(guessed.isEmpty() ? tr("Hugging Face model %1: choose its task.").arg(name)
                                              : tr("Hugging Face model %1").arg(name));
        mTaskLabel->setToolTip(source);
        if (mTaskTexts->toPlainText().isEmpty() && task && !task->imageInput)
            mTaskTexts->setPlainText(task->defaultInput);
        if (task && task->labels && mCandidates->text().isEmpty())
            mCandidates->setText(TaskCell::defaults(task->name).value(QStringLiteral("labels")).toString());
    }
    mResults = PredictTable();
    delete mTable;
    mTable = nullptr;
    updateButtons();
}

void InferencePanel::setTaskTexts(const QStringList &texts)
{
    mTaskTexts->setPlainText(texts.join(QLatin1Char('\n')));
}

// A task runs as `kiln predict --task` in a child process: the same code as the
// command line, and a model that crashes cannot take the window with it.
void InferencePanel::runTask()
{
    QStringList inputs;
    for (const QString &line : mTaskTexts->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        if (!line.trimmed().isEmpty())
            inputs.append(line.trimmed());
    }
    if (inputs.isEmpty() || isRunning())
        return;
    const QString task = mTask->currentData().toString();
    const TaskCell::Task *known = TaskCell::find(task);
    QTemporaryDir *scratch = new QTemporaryDir;
    QStringList arguments{QStringLiteral("predict"), QStringLiteral("--task"), task, QStringLiteral("--model"), mTaskSource,
                          QStringLiteral("--device"), mDevice->currentDevice(), QStringLiteral("--csv"),
                          scratch->filePath(QStringLiteral("out.csv"))};
    if (known && known->topK)
        arguments << QStringLiteral("--topk") << QString::number(mTaskTopK->value());
    if (known && known->labels)
        arguments << QStringLiteral("--candidate-labels") << mCandidates->text();
    // Texts go through a file, so that one starting with "-" is not an option.
    QFile list(scratch->filePath(QStringLiteral("inputs.txt")));
    if (known && known->imageInput) {
        arguments += inputs;
    } else if (list.open(QIODevice::WriteOnly)) {
        list.write(inputs.join(QLatin1Char('\n')).toUtf8());
        list.close();
        arguments.append(list.fileName());
    }
    mTaskProcess = new QProcess(this);
    mTaskProcess->setProgram(ModelVetting::inspector());
    mTaskProcess->setArguments(arguments);
    connect(mTaskProcess, &QProcess::finished, this, [this, scratch](int exitCode) {
        QFile csv(scratch->filePath(QStringLiteral("out.csv")));
        mTaskCsv = exitCode == 0 && csv.open(QIODevice::ReadOnly) ? QString::fromUtf8(csv.readAll()) : QString();
        delete scratch;
        onTaskFinished(exitCode);
    });
    mProgress->setRange(0, 0);
    mStatus->setText(tr("Running %1 on %n input(s)…", nullptr, int(inputs.size())).arg(mTaskSource));
    mTaskProcess->start();
    updateButtons();
}

void InferencePanel::onTaskFinished(int exitCode)
{
    const QString errors = QString::fromUtf8(mTaskProcess->readAllStandardError()).trimmed();
    mTaskProcess->deleteLater();
    mTaskProcess = nullptr;
    mProgress->setRange(0, 1);
    mProgress->setValue(1);
    const bool cancelled = mCancelled && mCancelled->load();
    if (exitCode != 0 || cancelled) {
        // The last line is the error; the ones before are download progress.
        mStatus->setText(cancelled ? tr("Cancelled") : errors.section(QLatin1Char('\n'), -1).remove(QStringLiteral("kiln predict: ")));
        updateButtons();
        Q_EMIT finished(false);
        return;
    }
    CsvReader reader;
    reader.setDelimiter(QLatin1Char(','));
    reader.setHeader(CsvReader::Header::Present);
    reader.setData(mTaskCsv.toUtf8());
    mResults = PredictTable();
    mResults.header = reader.columns();
    for (const CsvReader::Row &row : reader.readAll())
        mResults.rows.append(row.fields);
    mStatus->setText(tr("%n result(s)", nullptr, int(mResults.rows.size())));
    showResults();
    updateButtons();
    Q_EMIT finished(true);
}

void InferencePanel::run()
{
    if (!mTaskSource.isEmpty()) {
        mCancelled = std::make_shared<std::atomic<bool>>(false);
        runTask();
        return;
    }
    if (mModelPath.isEmpty() || mInputs->count() == 0 || isRunning())
        return;
    mCancelled = std::make_shared<std::atomic<bool>>(false);
    const auto cancelled = mCancelled;
    const QString model = mModelPath;
    const QStringList paths = inputs();
    QStringList extras;
    for (const QLineEdit *file : std::as_const(mExtraInputs))
        extras.append(file->text());
    const PredictOptions options = this->options();
    QPointer<InferencePanel> self(this);
    mProgress->setRange(0, 0);
    mStatus->setText(tr("Loading the model…"));
    QElapsedTimer *clock = new QElapsedTimer;
    clock->start();
    // The whole run happens on a worker thread; progress comes back queued.
    mWatcher.setFuture(QtConcurrent::run([=]() -> Outcome {
        std::unique_ptr<QElapsedTimer> owner(clock);
        QElapsedTimer *timer = owner.get();
        Outcome outcome;
        Predictor predictor;
        if (!predictor.load(model, &outcome.error))
            return outcome;
        if (!extras.isEmpty() && !predictor.setExtraInputs(extras, &outcome.error))
            return outcome;
        QString error;
        const QStringList expanded = Predictor::expandInputs(paths, &error);
        if (!error.isEmpty()) {
            outcome.error = error;
            return outcome;
        }
        const auto progress = [=](qint64 done, qint64 total) {
            if (cancelled->load())
                throw std::runtime_error("cancelled");
            const double seconds = double(timer->elapsed()) / 1000.0;
            QMetaObject::invokeMethod(
                self.data(),
                [self, done, total, seconds] {
                    if (!self)
                        return;
                    self->mProgress->setRange(0, int(total));
                    self->mProgress->setValue(int(done));
                    self->mStatus->setText(
                        InferencePanel::tr("%1 of %2 samples, %3 samples/s")
                            .arg(done)
                            .arg(total)
                            .arg(QLocale().toString(seconds > 0 ? double(done) / seconds : 0.0, 'f', 0)));
                },
                Qt::QueuedConnection);
        };
        outcome.ok = predictor.predict(expanded, options, &outcome.table, &outcome.error, progress);
        outcome.seconds = double(timer->elapsed()) / 1000.0;
        return outcome;
    }));
    updateButtons();
}

void InferencePanel::cancel()
{
    if (mCancelled)
        mCancelled->store(true);
    if (mTaskProcess)
        mTaskProcess->kill();
}

void InferencePanel::onFinished()
{
    const Outcome outcome = mWatcher.result();
    mProgress->setRange(0, 1);
    mProgress->setValue(1);
    if (!outcome.ok) {
        mStatus->setText(mCancelled && mCancelled->load() ? tr("Cancelled") : outcome.error);
        updateButtons();
        Q_EMIT finished(false);
        return;
    }
    mResults = outcome.table;
    mStatus->setText(tr("%1 samples in %2 s (%3 samples/s)")
                         .arg(mResults.rows.size())
                         .arg(QLocale().toString(outcome.seconds, 'f', 2))
                         .arg(outcome.seconds > 0 ? double(mResults.rows.size()) / outcome.seconds : 0.0, 0, 'f', 0));
    showResults();
    updateButtons();
    Q_EMIT finished(true);
}

void InferencePanel::showResults()
{
    delete mTable;
    QJsonArray columns, rows;
    for (const QString &name : std::as_const(mResults.header))
        columns.append(name);
    for (const QStringList &row : std::as_const(mResults.rows)) {
        QJsonArray cells;
        for (const QString &cell : row) {
            bool number = false;
            const double value = cell.toDouble(&number);
            cells.append(number ? QJsonValue(value) : QJsonValue(cell));
        }
        rows.append(cells);
    }
    mTable = new TableOutputView(QJsonObject{{QStringLiteral("columns"), columns},
                                             {QStringLiteral("rows"), rows},
                                             {QStringLiteral("total_rows"), rows.size()}},
                                 this);
    mResultsHost->addWidget(mTable);
}

bool InferencePanel::exportCsv(const QString &path) const
{
    QString csv;
    QStringList header;
    for (const QString &name : mResults.header)
        header.append(PlotRender::csvField(name));
    csv += header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (const QStringList &row : mResults.rows) {
        QStringList fields;
        for (const QString &cell : row)
            fields.append(PlotRender::csvField(cell));
        csv += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    QSaveFile file(path);
    const QByteArray bytes = csv.toUtf8();
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit();
}

QString InferencePanel::statusText() const
{
    return mStatus->text();
}

void InferencePanel::updateButtons()
{
    const bool running = isRunning();
    const bool ready = mTaskSource.isEmpty() ? !mModelPath.isEmpty() && mInputs->count() > 0
                                             : !mTaskTexts->toPlainText().trimmed().isEmpty();
    mRun->setEnabled(!running && ready);
    mCancel->setEnabled(running);
    mExport->setEnabled(!running && !mResults.rows.isEmpty());
}

} // namespace kiln
