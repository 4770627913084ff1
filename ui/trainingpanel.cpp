#include "trainingpanel.h"

#include "kernel/modelvetting.h"

#include "devicepicker.h"
#include "modelbrowser.h"
#include "engines/pausegate.h"
#include "plotview.h"
#include "settings.h"
#include "tableoutputview.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHeaderView>
#include <QImage>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <cmath>

namespace kiln {

namespace {

const QLatin1String kFashionMnist("fashion-mnist");
// Model combo entries that are not built-in ids carry these prefixes in their data.
const QLatin1String kNotebookPrefix("notebook:");
const QLatin1String kFilePrefix("file:");
// The run table's column that shows the device, whose tooltip names the GPU.
constexpr int kDeviceColumn = 12;

// Where finished runs keep their best checkpoint until saved elsewhere.
QString runDirectory()
{
    static QTemporaryDir directory;
    return directory.path();
}

QJsonObject series(const QString &name, const QList<QPointF> &points)
{
    QJsonArray xs, ys;
    for (const QPointF &point : points) {
        xs.append(point.x());
        ys.append(point.y());
    }
    return QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("x"), xs}, {QStringLiteral("y"), ys}};
}

QString duration(double seconds)
{
    const qint64 total = qint64(std::lround(seconds));
    return total >= 3600 ? QStringLiteral("%1:%2:%3").arg(total / 3600).arg(total / 60 % 60, 2, 10, QLatin1Char('0')).arg(total % 60, 2, 10, QLatin1Char('0'))
                         : QStringLiteral("%1:%2").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'));
}

// The metric a run is judged by: validation accuracy, or R2 for regression.
QString keyMetric(const TrainResult &result)
{
    return result.task == QLatin1String("regression") ? QStringLiteral("val_r2") : QStringLiteral("val_accuracy");
}

bool isLoss(const QString &metric)
{
    return metric.endsWith(QLatin1String("_loss"));
}

} // namespace

TrainingPanel::TrainingPanel(QWidget *parent)
    : QWidget(parent)
    , mPauseGate(std::make_shared<PauseGate>())
{
    setAcceptDrops(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    // Left: what to train and how, scrolling when the dock is short; right: the
    // live plots above the table of runs.
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    auto *scroll = new QScrollArea(splitter);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *form = new QWidget(scroll);
    auto *formLayout = new QVBoxLayout(form);
    formLayout->setContentsMargins(0, 0, 4, 0);
    formLayout->addWidget(createDataSection());
    formLayout->addWidget(createSettingsSection());
    formLayout->addStretch(1);
    scroll->setWidget(form);
    scroll->setMinimumWidth(300);
    splitter->addWidget(scroll);
    splitter->addWidget(createRunSection());
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);

    connect(&mWatcher, &QFutureWatcher<TrainResult>::finished, this, &TrainingPanel::onFinished);
    connect(&mReportWatcher, &QFutureWatcher<DatasetReport>::finished, this, [this] {
        mReport = mReportWatcher.result();
        mAnalyzing = false;
        showReport();
        if (mStartWhenRead) {
            mStartWhenRead = false;
            if (mReport.error.isEmpty())
                start();
        }
    });
    setDataset(QString());
}

TrainingPanel::~TrainingPanel()
{
    stop();
    mWatcher.waitForFinished();
    mReportWatcher.waitForFinished();
}

QWidget *TrainingPanel::createDataSection()
{
    auto *box = new QGroupBox(tr("Data"), this);
    auto *layout = new QVBoxLayout(box);
    mDataLabel = new QLabel(box);
    mDataLabel->setWordWrap(true);
    layout->addWidget(mDataLabel);
    auto *buttons = new QHBoxLayout;
    auto *chooseCsv = new QPushButton(tr("CSV…"), box);
    auto *chooseFolder = new QPushButton(tr("Image folder…"), box);
    auto *fashion = new QPushButton(tr("Fashion-MNIST"), box);
    chooseCsv->setToolTip(tr("A table with one row per sample and a column to predict"));
    chooseFolder->setToolTip(tr("A folder with one subfolder of images per class"));
    buttons->addWidget(chooseCsv);
    buttons->addWidget(chooseFolder);
    buttons->addWidget(fashion);
    layout->addLayout(buttons);
    connect(chooseCsv, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Choose a CSV file"), QString(), tr("CSV (*.csv *.tsv *.txt)"));
        if (!path.isEmpty())
            setDataset(path);
    });
    connect(chooseFolder, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getExistingDirectory(this, tr("Choose a folder of class subfolders"));
        if (!path.isEmpty())
            setDataset(path);
    });
    connect(fashion, &QPushButton::clicked, this, [this] { setDataset(kFashionMnist); });

    auto *rows = new QFormLayout;
    mDataRows = rows;
    mTarget = new QComboBox(box);
    mTarget->setObjectName(QStringLiteral("target"));
    mTask = new QComboBox(box);
    mTask->setObjectName(QStringLiteral("task"));
    mTask->addItem(tr("Detect from the target"), QStringLiteral("auto"));
    mTask->addItem(tr("Classification"), QStringLiteral("classification"));
    mTask->addItem(tr("Regression"), QStringLiteral("regression"));
    mFeatures = new QListWidget(box);
    mFeatures->setObjectName(QStringLiteral("features"));
    mFeatures->setMaximumHeight(110);
    mStandardize = new QCheckBox(tr("Standardize features"), box);
    mStandardize->setObjectName(QStringLiteral("standardize"));
    mStandardize->setChecked(true);
    mValSplit = new QDoubleSpinBox(box);
    mValSplit->setRange(0.05, 0.9);
    mValSplit->setSingleStep(0.05);
    mValSplit->setValue(0.2);
    mImageSize = new QSpinBox(box);
    mImageSize->setRange(4, 1024);
    mImageSize->setValue(32);
    mImageSize->setSuffix(tr(" px"));
    rows->addRow(tr("Target column"), mTarget);
    rows->addRow(tr("Task"), mTask);
    rows->addRow(tr("Features"), mFeatures);
    rows->addRow(QString(), mStandardize);
    rows->addRow(tr("Validation split"), mValSplit);
    rows->addRow(tr("Image size"), mImageSize);
    layout->addLayout(rows);
    mReportLabel = new QLabel(box);
    mReportLabel->setObjectName(QStringLiteral("report"));
    mReportLabel->setWordWrap(true);
    mReportLabel->setTextFormat(Qt::RichText);
    layout->addWidget(mReportLabel);

    connect(mTarget, &QComboBox::currentTextChanged, this, [this] {
        if (Trainer::isCsvData(mData))
            analyze();
    });
    connect(mTask, &QComboBox::currentIndexChanged, this, [this] { fillModels(); });
    return box;
}

QWidget *TrainingPanel::createSettingsSection()
{
    auto *box = new QGroupBox(tr("Model and settings"), this);
    auto *rows = new QFormLayout(box);
    mModel = new QComboBox(box);
    mModel->setObjectName(QStringLiteral("model"));
    // Picking the file entry (again) asks which file; cancelled, the last one stays.
    connect(mModel, &QComboBox::activated, this, [this] {
        if (mModel->currentData().toString() != kFilePrefix)
            return;
        const QString path = QFileDialog::getOpenFileName(this, tr("Choose a TorchScript model"), mModelFile, tr("TorchScript (*.pt *.pth)"));
        if (!path.isEmpty())
            setModelFile(path);
        else if (mModelFile.isEmpty())
            mModel->setCurrentIndex(0);
    });
    // Standardization is built into the built-in models only; a notebook or
    // TorchScript model gets the features as they are.
    connect(mModel, &QComboBox::currentIndexChanged, this, [this] {
        const QString model = mModel->currentData().toString();
        const bool builtin = !model.startsWith(kNotebookPrefix) && model != kFilePrefix;
        mStandardize->setEnabled(builtin);
        mStandardize->setToolTip(builtin ? QString() : tr("A notebook or TorchScript model gets the features as they are"));
    });
    mDevice = new DevicePicker(box);
    mDevice->remember(prefs::trainingDevice);
    mLoss = new QComboBox(box);
    mLoss->setObjectName(QStringLiteral("loss"));
    mLoss->addItem(tr("From the task"), QStringLiteral("auto"));
    mLoss->addItem(tr("Cross entropy"), QStringLiteral("cross_entropy"));
    mLoss->addItem(tr("Cross entropy, label smoothing 0.1"), QStringLiteral("label_smoothing"));
    mLoss->addItem(tr("Mean squared error"), QStringLiteral("mse"));
    mLoss->addItem(tr("Mean absolute error (L1)"), QStringLiteral("l1"));
    mLoss->addItem(tr("Huber"), QStringLiteral("huber"));
    mOptimizer = new QComboBox(box);
    mOptimizer->setObjectName(QStringLiteral("optimizer"));
    mOptimizer->addItem(QStringLiteral("Adam"), QStringLiteral("adam"));
    mOptimizer->addItem(QStringLiteral("AdamW"), QStringLiteral("adamw"));
    mOptimizer->addItem(QStringLiteral("SGD"), QStringLiteral("sgd"));
    mLr = new QDoubleSpinBox(box);
    mLr->setDecimals(5);
    mLr->setRange(0.00001, 10);
    mLr->setSingleStep(0.0005);
    mLr->setValue(0.001);
    mBatch = new QSpinBox(box);
    mBatch->setRange(1, 65536);
    mBatch->setValue(64);
    mBatch->setObjectName(QStringLiteral("batchSize"));
    mEpochs = new QSpinBox(box);
    mEpochs->setRange(1, 1000);
    mEpochs->setValue(10);
    mEpochs->setObjectName(QStringLiteral("epochs"));
    mSchedule = new QComboBox(box);
    mSchedule->addItem(tr("Constant"), QStringLiteral("none"));
    mSchedule->addItem(tr("Cosine"), QStringLiteral("cosine"));
    mWeightDecay = new QDoubleSpinBox(box);
    mWeightDecay->setDecimals(5);
    mWeightDecay->setRange(0, 1);
    mWeightDecay->setSingleStep(0.0001);
    mPatience = new QSpinBox(box);
    mPatience->setRange(0, 1000);
    mPatience->setSpecialValueText(tr("off"));
    mPatience->setObjectName(QStringLiteral("patience"));
    mSeed = new QSpinBox(box);
    mSeed->setRange(0, 1 << 30);
    mSeed->setValue(1);
    mSeed->setObjectName(QStringLiteral("seed"));
    rows->addRow(tr("Model"), mModel);
    rows->addRow(tr("Device"), mDevice);
    rows->addRow(tr("Loss"), mLoss);
    rows->addRow(tr("Optimizer"), mOptimizer);
    rows->addRow(tr("Learning rate"), mLr);
    rows->addRow(tr("Batch size"), mBatch);
    rows->addRow(tr("Epochs"), mEpochs);
    rows->addRow(tr("Schedule"), mSchedule);
    rows->addRow(tr("Weight decay"), mWeightDecay);
    rows->addRow(tr("Early stopping (epochs)"), mPatience);
    rows->addRow(tr("Seed"), mSeed);
    return box;
}

QWidget *TrainingPanel::createRunSection()
{
    auto *host = new QWidget(this);
    auto *layout = new QVBoxLayout(host);
    layout->setContentsMargins(4, 0, 0, 0);

    auto *controls = new QHBoxLayout;
    mStart = new QPushButton(tr("Start"), host);
    mPause = new QPushButton(tr("Pause"), host);
    mPause->setObjectName(QStringLiteral("pause"));
    mStop = new QPushButton(tr("Stop"), host);
    mStop->setToolTip(tr("Ends the run and keeps the best epoch so far"));
    controls->addWidget(mStart);
    controls->addWidget(mPause);
    controls->addWidget(mStop);
    mProgress = new QProgressBar(host);
    mProgress->setObjectName(QStringLiteral("progress"));
    mProgress->setTextVisible(true);
    controls->addWidget(mProgress, 1);
    layout->addLayout(controls);
    connect(mStart, &QPushButton::clicked, this, &TrainingPanel::start);
    connect(mPause, &QPushButton::clicked, this, [this] { isPaused() ? resume() : pause(); });
    connect(mStop, &QPushButton::clicked, this, &TrainingPanel::stop);
    mStatus = new QLabel(host);
    mStatus->setWordWrap(true);
    layout->addWidget(mStatus);

    auto *vertical = new QSplitter(Qt::Vertical, host);
    auto *plots = new QTabWidget(vertical);
    mStepPlot = new PlotView(plots);
    mStepPlot->setObjectName(QStringLiteral("stepPlot"));
    mLossPlot = new PlotView(plots);
    mLossPlot->setObjectName(QStringLiteral("lossPlot"));
    mMetricPlot = new PlotView(plots);
    mMetricPlot->setObjectName(QStringLiteral("metricPlot"));
    mConfusionHost = new QWidget(plots);
    new QVBoxLayout(mConfusionHost);
    plots->addTab(mStepPlot, tr("Loss per step"));
    plots->addTab(mLossPlot, tr("Loss per epoch"));
    plots->addTab(mMetricPlot, tr("Metrics per epoch"));
    plots->addTab(mConfusionHost, tr("Confusion matrix"));
    plots->setMinimumHeight(260);

    auto *runs = new QWidget(vertical);
    auto *runLayout = new QVBoxLayout(runs);
    runLayout->setContentsMargins(0, 0, 0, 0);
    mRunTable = new QTableWidget(0, 16, runs);
    mRunTable->setObjectName(QStringLiteral("runs"));
    mRunTable->setHorizontalHeaderLabels({tr("Run"), tr("Data"), tr("Model"), tr("Task"), tr("Loss"), tr("Optimizer"),
                                          tr("Learning rate"), tr("Batch"), tr("Epochs"), tr("Seed"), tr("Best epoch"),
                                          tr("Best metric"), tr("Device"), tr("Duration"), tr("Started"), tr("Versions")});
    mRunTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    mRunTable->setSelectionMode(QAbstractItemView::SingleSelection);
    mRunTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    mRunTable->verticalHeader()->hide();
    mRunTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    mRunTable->setToolTip(tr("Tick a run to draw its curves beside the current one"));
    runLayout->addWidget(mRunTable, 1);
    connect(mRunTable, &QTableWidget::itemChanged, this, [this](QTableWidgetItem *item) {
        if (item->column() == 0 && item->row() < mOverlaid.size()) {
            const bool checked = item->checkState() == Qt::Checked;
            if (mOverlaid.at(item->row()) != checked) {
                mOverlaid[item->row()] = checked;
                refreshPlots();
            }
        }
    });
    connect(mRunTable, &QTableWidget::itemSelectionChanged, this, [this] {
        if (const Run *run = selectedRun()) {
            if (!isRunning()) {
                showConfusion(run->result.confusion, run->result.classNames);
                refreshPlots();
            }
        }
        updateButtons();
    });

    auto *actions = new QHBoxLayout;
    mSave = new QPushButton(tr("Save model…"), runs);
    mSend = new QPushButton(tr("Send to inference"), runs);
    mExportOne = new QPushButton(tr("Export run…"), runs);
    mExportAll = new QPushButton(tr("Export all runs…"), runs);
    mCopyCode = new QPushButton(tr("Copy as notebook code"), runs);
    mCopyCode->setObjectName(QStringLiteral("copyCode"));
    for (QPushButton *button : {mSave, mSend, mExportOne, mExportAll, mCopyCode})
        actions->addWidget(button);
    actions->addStretch(1);
    runLayout->addLayout(actions);
    vertical->addWidget(plots);
    vertical->addWidget(runs);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 1);
    layout->addWidget(vertical, 1);

    connect(mSave, &QPushButton::clicked, this, [this] {
        const Run *run = selectedRun();
        if (!run || run->model.isEmpty())
            return;
        const QString path = QFileDialog::getSaveFileName(this, tr("Save the model"), run->name + QStringLiteral(".pt"),
                                                          tr("TorchScript (*.pt)"));
        if (path.isEmpty())
            return;
        // TorchScript, and the weights as a state dict beside it.
        const QString stateDict = Trainer::stateDictPath(path);
        QFile::remove(path);
        QFile::remove(stateDict);
        if (!QFile::copy(run->model, path) || !QFile::copy(Trainer::stateDictPath(run->model), stateDict))
            mStatus->setText(tr("Cannot write %1").arg(path));
        else
            mStatus->setText(tr("Saved %1 and %2").arg(QFileInfo(path).fileName(), QFileInfo(stateDict).fileName()));
    });
    connect(mCopyCode, &QPushButton::clicked, this, [this] {
        if (const Run *run = selectedRun())
            QGuiApplication::clipboard()->setText(Trainer::notebookCode(run->options, run->result));
    });
    connect(mSend, &QPushButton::clicked, this, [this] {
        if (const Run *run = selectedRun())
            Q_EMIT sendToInferenceRequested(run->model);
    });
    const auto exportTo = [this](const QList<int> &which, const QString &suggested) {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export runs"), suggested, tr("CSV (*.csv)"));
        if (!path.isEmpty() && !exportRuns(path, which))
            mStatus->setText(tr("Cannot write %1").arg(path));
    };
    connect(mExportOne, &QPushButton::clicked, this, [this, exportTo] {
        if (const Run *run = selectedRun())
            exportTo({int(run - mRuns.constData())}, run->name + QStringLiteral(".csv"));
    });
    connect(mExportAll, &QPushButton::clicked, this, [exportTo] { exportTo({}, QStringLiteral("runs.csv")); });
    return host;
}

void TrainingPanel::setDataset(const QString &data)
{
    mData = data;
    mReport = DatasetReport();
    mStartWhenRead = false;
    const bool csv = Trainer::isCsvData(data);
    const QSignalBlocker blockTarget(mTarget);
    mTarget->clear();
    mFeatures->clear();
    // Only the rows that apply to this kind of data.
    for (QWidget *row : {static_cast<QWidget *>(mTarget), static_cast<QWidget *>(mTask), static_cast<QWidget *>(mFeatures),
                         static_cast<QWidget *>(mStandardize)})
        mDataRows->setRowVisible(row, csv);
    mDataRows->setRowVisible(mImageSize, Trainer::isImageFolder(data));
    mDataRows->setRowVisible(mValSplit, data != kFashionMnist && !data.isEmpty());
    if (data.isEmpty()) {
        mDataLabel->setText(tr("Drop a CSV file or a folder of class subfolders here, or train on Fashion-MNIST."));
        mReportLabel->clear();
    } else if (data == kFashionMnist) {
        mDataLabel->setText(tr("Fashion-MNIST: 60,000 training images of 10 classes; the 10,000 test images validate."));
    } else if (csv) {
        // The columns (and so the target list) come with the report, read on a worker.
        mDataLabel->setText(QFileInfo(data).fileName());
    } else {
        mDataLabel->setText(tr("Images in %1, one subfolder per class").arg(QFileInfo(data).fileName()));
    }
    // New data: its default model (the first entry) unless one was asked for.
    mModel->setCurrentIndex(-1);
    fillModels();
    if (!data.isEmpty())
        analyze();
    updateButtons();
}

void TrainingPanel::analyze()
{
    mReportLabel->setText(tr("Reading the data…"));
    mAnalyzing = true;
    const QString data = mData;
    const QString target = mTarget->currentText();
    mReportWatcher.setFuture(QtConcurrent::run([data, target] {
        if (data == kFashionMnist)
            return DatasetReports::fashionMnist();
        if (Trainer::isImageFolder(data))
            return DatasetReports::analyzeImageFolder(data);
        DatasetReport report = DatasetReports::analyzeCsv(data, target);
        // A new CSV: its last column is the usual place for the target.
        if (target.isEmpty() && report.error.isEmpty() && !report.columns.isEmpty())
            report = DatasetReports::analyzeCsv(data, report.columns.constLast().name);
        return report;
    }));
    updateButtons();
}

// Rows, class balance as bars, and the problems, in the panel's report label.
void TrainingPanel::showReport()
{
    if (!mReport.error.isEmpty()) {
        mReportLabel->setText(QStringLiteral("<b>%1</b>").arg(mReport.error.toHtmlEscaped()));
        updateButtons();
        return;
    }
    if (mReport.kind == QLatin1String("csv") && mTarget->count() == 0) {
        const QSignalBlocker block(mTarget);
        for (const ColumnSummary &column : std::as_const(mReport.columns))
            mTarget->addItem(column.name);
        mTarget->setCurrentText(mReport.target);
    }
    if (mReport.kind == QLatin1String("csv") && mReport.target == mTarget->currentText()) {
        const QSignalBlocker block(mFeatures);
        mFeatures->clear();
        for (const ColumnSummary &column : std::as_const(mReport.columns)) {
            if (column.name == mReport.target)
                continue;
            auto *item = new QListWidgetItem(column.numeric() ? column.name : tr("%1 (text)").arg(column.name), mFeatures);
            item->setData(Qt::UserRole, column.name);
            item->setFlags(column.numeric() ? item->flags() | Qt::ItemIsUserCheckable : Qt::NoItemFlags);
            item->setCheckState(mReport.features.contains(column.name) ? Qt::Checked : Qt::Unchecked);
        }
    }
    mReportLabel->setText(reportText());
    fillModels();
    updateButtons();
}

QString TrainingPanel::reportText() const
{
    if (!mReport.error.isEmpty())
        return mReport.error;
    QString html = mReport.kind == QLatin1String("csv")
        ? tr("%n rows", nullptr, int(qMin<qint64>(mReport.rows, INT_MAX))) + QStringLiteral(", ")
            + tr("%n columns", nullptr, int(mReport.columns.size()))
        : tr("%n images", nullptr, int(qMin<qint64>(mReport.rows, INT_MAX)));
    if (!mReport.task.isEmpty())
        html += QStringLiteral("; ") + (mReport.task == QLatin1String("classification") ? tr("classification") : tr("regression"));
    if (!mReport.classes.isEmpty()) {
        qint64 largest = 1;
        for (const auto &entry : mReport.classes)
            largest = qMax(largest, entry.second);
        html += QStringLiteral("<table cellspacing=\"1\">");
        const int shown = qMin(int(mReport.classes.size()), 20);
        for (int i = 0; i < shown; ++i) {
            const auto &entry = mReport.classes.at(i);
            const int width = int(120 * entry.second / largest);
            html += QStringLiteral("<tr><td>%1</td><td><table cellspacing=\"0\" cellpadding=\"0\"><tr>"
                                   "<td bgcolor=\"#4c78a8\" width=\"%2\" height=\"8\"></td></tr></table></td><td align=\"right\">%3</td></tr>")
                        .arg(entry.first.toHtmlEscaped())
                        .arg(qMax(1, width))
                        .arg(entry.second);
        }
        html += QStringLiteral("</table>");
        if (mReport.classes.size() > shown)
            html += tr("… and %n more classes", nullptr, int(mReport.classes.size() - shown));
    }
    if (!mReport.problems.isEmpty()) {
        html += QStringLiteral("<ul style=\"margin-left: -20px\">");
        for (const QString &problem : mReport.problems)
            html += QStringLiteral("<li>%1</li>").arg(problem.toHtmlEscaped());
        html += QStringLiteral("</ul>");
    }
    return html;
}

// The models that fit the data: built-in architectures, the notebook's models
// and a TorchScript file.
void TrainingPanel::fillModels()
{
    const QString current = mModel->currentData().toString();
    const QSignalBlocker block(mModel);
    mModel->clear();
    const bool images = mData == kFashionMnist || Trainer::isImageFolder(mData);
    const QStringList builtins = images ? QStringList{QStringLiteral("cnn"), QStringLiteral("lenet"), QStringLiteral("resnet"), QStringLiteral("mlp")}
                                        : QStringList{QStringLiteral("mlp")};
    for (const QString &id : builtins)
        mModel->addItem(id, id);
    for (const QString &name : std::as_const(mNotebookModels))
        mModel->addItem(tr("%1 (notebook)").arg(name), QString(kNotebookPrefix + name));
    mModel->addItem(mModelFile.isEmpty() ? tr("TorchScript file…") : QFileInfo(mModelFile).fileName(), QString(kFilePrefix));
    int index = mModel->findData(current);
    if (!mPreferredModel.isEmpty() && mModel->findData(mPreferredModel) >= 0)
        index = mModel->findData(mPreferredModel);
    mModel->setCurrentIndex(qMax(0, index));
}

void TrainingPanel::chooseModel(const QString &id)
{
    mPreferredModel = id;
    const int index = mModel->findData(id);
    if (index >= 0)
        mModel->setCurrentIndex(index);
    mStatus->setText(index >= 0 || mData.isEmpty()
                         ? tr("Model: %1").arg(id)
                         : tr("%1 does not fit this dataset; the panel trains %2").arg(id, mModel->currentText()));
}

void TrainingPanel::setModelFile(const QString &path)
{
    // A file this process has not seen read safely is read by a child first:
    // training loads it in this process.
    if (!ModelVetting::isVetted(path)) {
        if (!mVetting) {
            mVetting = new ModelVetting(this);
            connect(mVetting, &ModelVetting::finished, this, [this](const QString &file, bool ok, const QString &error) {
                if (ok)
                    setModelFile(file);
                else
                    mStatus->setText(tr("Not loaded: %1").arg(error));
            });
        }
        mStatus->setText(tr("Reading %1 in a separate process first...").arg(QFileInfo(path).fileName()));
        mVetting->vet(path);
        return;
    }
    mModelFile = path;
    mPreferredModel = QString(kFilePrefix);
    fillModels();
    mStatus->setText(tr("Training the parameters of %1").arg(QFileInfo(path).fileName()));
}

void TrainingPanel::setNotebookModels(const QStringList &names)
{
    mNotebookModels = names;
    fillModels();
}

TrainOptions TrainingPanel::options() const
{
    TrainOptions options;
    options.data = mData;
    if (Trainer::isCsvData(mData)) {
        options.target = mTarget->currentText();
        for (int i = 0; i < mFeatures->count(); ++i) {
            const QListWidgetItem *item = mFeatures->item(i);
            if (item->checkState() == Qt::Checked)
                options.features.append(item->data(Qt::UserRole).toString());
        }
        options.task = mTask->currentData().toString();
        options.standardize = mStandardize->isChecked();
    }
    const QString model = mModel->currentData().toString();
    options.model = model == kFilePrefix ? mModelFile : model;
    options.imageSize = mImageSize->value();
    options.loss = mLoss->currentData().toString();
    options.epochs = mEpochs->value();
    options.lr = mLr->value();
    options.batchSize = mBatch->value();
    options.valSplit = mValSplit->value();
    options.seed = mSeed->value();
    options.optimizer = mOptimizer->currentData().toString();
    options.weightDecay = mWeightDecay->value();
    options.schedule = mSchedule->currentData().toString();
    options.patience = mPatience->value();
    // Only devices present now are listed, so the name is already a checked one.
    options.device = mDevice->currentDevice();
    return options;
}

void TrainingPanel::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasFormat(QStringLiteral(KILN_ARCHITECTURE_MIME))) {
        event->acceptProposedAction();
        return;
    }
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile() && QFileInfo::exists(url.toLocalFile())) {
            event->acceptProposedAction();
            return;
        }
    }
}

// A CSV or a folder becomes the dataset; a TorchScript file, or an
// architecture from the model browser, the model.
void TrainingPanel::dropEvent(QDropEvent *event)
{
    const QByteArray architecture = event->mimeData()->data(QStringLiteral(KILN_ARCHITECTURE_MIME));
    if (!architecture.isEmpty()) {
        chooseModel(QString::fromUtf8(architecture));
        event->acceptProposedAction();
        return;
    }
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.constFirst().isLocalFile())
        return;
    const QString path = urls.constFirst().toLocalFile();
    if (Trainer::isModelFile(QFileInfo(path).fileName()) && QFileInfo(path).isFile())
        setModelFile(path);
    else
        setDataset(path);
    event->acceptProposedAction();
}

// The shape a notebook model is traced on: one sample of the data.
QString TrainingPanel::exampleShape() const
{
    if (mData == kFashionMnist)
        return QStringLiteral("1,1,28,28");
    if (Trainer::isImageFolder(mData)) {
        // Channels follow the first image, as datasets.image_folder decides: gray stays gray.
        int channels = 3;
        const QDir root(mData);
        for (const QString &folder : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            const QStringList files = QDir(root.filePath(folder)).entryList(QDir::Files, QDir::Name);
            if (!files.isEmpty()) {
                channels = QImage(QDir(root.filePath(folder)).filePath(files.constFirst())).isGrayscale() ? 1 : 3;
                break;
            }
        }
        return QStringLiteral("1,%1,%2,%2").arg(channels).arg(mImageSize->value());
    }
    return QStringLiteral("1,%1").arg(options().features.size());
}

void TrainingPanel::start()
{
    if (mData.isEmpty() || isRunning() || !mPendingNotebookModel.isEmpty())
        return;
    // A CSV's target and features come with its report: Start goes on once it is read.
    if (mAnalyzing && Trainer::isCsvData(mData)) {
        mStartWhenRead = true;
        mStatus->setText(tr("Starting once the data is read…"));
        return;
    }
    TrainOptions options = this->options();
    if (options.model.startsWith(kNotebookPrefix)) {
        // The window traces the notebook model first; notebookModelExported goes on.
        mPendingNotebookModel = options.model.mid(kNotebookPrefix.size());
        mStatus->setText(tr("Tracing %1 from the notebook…").arg(mPendingNotebookModel));
        updateButtons();
        Q_EMIT notebookModelRequested(mPendingNotebookModel, exampleShape());
        return;
    }
    if (options.model.isEmpty()) {
        mStatus->setText(tr("Choose a TorchScript file to train."));
        return;
    }
    startWith(options);
}

void TrainingPanel::notebookModelExported(const QString &path, const QString &error)
{
    if (mPendingNotebookModel.isEmpty())
        return;
    const QString name = mPendingNotebookModel;
    mPendingNotebookModel.clear();
    if (!error.isEmpty()) {
        mStatus->setText(tr("Cannot use the notebook's %1: %2").arg(name, error));
        updateButtons();
        return;
    }
    TrainOptions options = this->options();
    options.model = path;
    startWith(options);
}

void TrainingPanel::startWith(const TrainOptions &options)
{
    mRunning = options;
    const int number = int(mRuns.size()) + 1;
    mRunning.out = QDir(runDirectory()).filePath(QStringLiteral("run%1.pt").arg(number));
    mInterrupt = std::make_shared<std::atomic<bool>>(false);
    mPauseGate->resume();
    mLive = Run();
    mLive.name = tr("run %1").arg(number);
    mLive.modelLabel = mModel->currentText();
    mLive.deviceLabel = mDevice->itemText(mDevice->findData(mRunning.device));
    mLive.options = mRunning;
    mTotalSteps = 0;
    mLastStep = 0;
    mPausedMs = 0;
    mClock.start();
    mProgressShown.invalidate();
    mProgress->setRange(0, 0);  // busy until the data is read
    mProgress->setFormat(tr("reading the data"));
    mStatus->setText(tr("Reading the data…"));
    showConfusion({}, {});
    refreshPlots();

    QPointer<TrainingPanel> self(this);
    const auto toPanel = [self](auto function) {
        QMetaObject::invokeMethod(
            self.data(), [self, function] {
                if (self)
                    function(self.data());
            },
            Qt::QueuedConnection);
    };
    TrainCallbacks callbacks;
    callbacks.onData = [toPanel](const TrainResult &data) { toPanel([data](TrainingPanel *panel) { panel->onData(data); }); };
    callbacks.onEpoch = [toPanel](const EpochReport &report) { toPanel([report](TrainingPanel *panel) { panel->onEpoch(report); }); };
    callbacks.onStep = [toPanel](int step, double loss) { toPanel([step, loss](TrainingPanel *panel) { panel->onStep(step, loss); }); };
    TrainControl control;
    control.interrupt = mInterrupt;
    control.pause = mPauseGate;
    const TrainOptions running = mRunning;
    mWatcher.setFuture(QtConcurrent::run([running, callbacks, control] { return Trainer::train(running, callbacks, control); }));
    updateButtons();
}

void TrainingPanel::pause()
{
    if (!isRunning() || isPaused())
        return;
    mPauseGate->pause();
    mPausedSince.start();
    mPause->setText(tr("Resume"));
    mStatus->setText(tr("Paused at step %1; Resume goes on exactly where it stopped.").arg(mLastStep));
    mProgress->setFormat(tr("paused · %p%"));
}

void TrainingPanel::resume()
{
    if (!isPaused())
        return;
    mPausedMs += mPausedSince.elapsed();
    mPauseGate->resume();
    mPause->setText(tr("Pause"));
    mStatus->setText(tr("Resumed at step %1").arg(mLastStep));
}

bool TrainingPanel::isPaused() const
{
    return mPauseGate->isPaused();
}

void TrainingPanel::stop()
{
    if (mInterrupt)
        mInterrupt->store(true);
    if (isPaused()) {
        mPausedMs += mPausedSince.elapsed();
        mPauseGate->resume();
        mPause->setText(tr("Pause"));
    }
}

void TrainingPanel::onData(const TrainResult &data)
{
    // Samples per second and time left count from here: reading the data is not training.
    mClock.start();
    mPausedMs = 0;
    if (isPaused())
        mPausedSince.start();
    const qint64 stepsPerEpoch = (data.trainSamples + mRunning.batchSize - 1) / qMax(1, mRunning.batchSize);
    mTotalSteps = stepsPerEpoch * mRunning.epochs;
    mProgress->setRange(0, int(qMin<qint64>(mTotalSteps, INT_MAX)));
    mProgress->setValue(0);
    mProgress->setFormat(tr("%p%"));
    mStatus->setText(tr("Training %1 on %2 samples (%3 for validation)")
                         .arg(data.model.contains(QLatin1Char('/')) ? QFileInfo(data.model).fileName() : data.model)
                         .arg(data.trainSamples)
                         .arg(data.valSamples));
}

void TrainingPanel::onEpoch(const EpochReport &report)
{
    mLive.result.epochs.append(report);
    // Appended, not redrawn: a zoomed or panned plot stays as the user left it.
    QJsonArray losses, metrics;
    for (auto it = report.metrics.constBegin(); it != report.metrics.constEnd(); ++it)
        (isLoss(it.key()) ? losses : metrics)
            .append(series(mLive.name + QStringLiteral(" · ") + it.key(), {QPointF(report.epoch, it.value())}));
    mLossPlot->appendPlot(QJsonObject{{QStringLiteral("plot"), QStringLiteral("losses")}, {QStringLiteral("series"), losses}});
    mMetricPlot->appendPlot(QJsonObject{{QStringLiteral("plot"), QStringLiteral("metrics")}, {QStringLiteral("series"), metrics}});
    QStringList parts;
    for (auto it = report.metrics.constBegin(); it != report.metrics.constEnd(); ++it)
        parts.append(QStringLiteral("%1 %2").arg(it.key()).arg(it.value(), 0, 'f', 4));
    if (!isPaused())
        mStatus->setText(tr("epoch %1 of %2: %3").arg(report.epoch).arg(mRunning.epochs).arg(parts.join(QStringLiteral(", "))));
}

void TrainingPanel::onStep(int step, double loss)
{
    mLastStep = step;
    mLive.stepLosses.append(QPointF(step, loss));
    mStepPlot->appendPlot(QJsonObject{{QStringLiteral("plot"), QStringLiteral("steps")},
                                      {QStringLiteral("series"), QJsonArray{series(mLive.name, {QPointF(step, loss)})}}});
    // The bar's text is redrawn at most four times a second: per step report it
    // was the GUI thread's largest cost while training.
    if (mTotalSteps <= 0 || (mProgressShown.isValid() && mProgressShown.elapsed() < 250))
        return;
    mProgressShown.start();
    mProgress->setValue(int(qMin<qint64>(step, mProgress->maximum())));
    if (isPaused())
        return;
    const double active = qMax<qint64>(1, mClock.elapsed() - mPausedMs) / 1000.0;
    const double samplesPerSecond = double(step) * mRunning.batchSize / active;
    const double left = double(mTotalSteps - step) * active / qMax(1, step);
    mProgress->setFormat(tr("%p% · %1 samples/s · %2 left").arg(QLocale().toString(qRound64(samplesPerSecond)), duration(left)));
}

QString TrainingPanel::progressText() const
{
    return mProgress->text();
}

// The live run's curves and those of the ticked runs, rebuilt: a few hundred points at most.
void TrainingPanel::refreshPlots()
{
    QList<const Run *> shown;
    for (int i = 0; i < mRuns.size(); ++i) {
        if (i < mOverlaid.size() && mOverlaid.at(i))
            shown.append(&mRuns.at(i));
    }
    // Beside the ticked runs: the one in progress, or else the selected one.
    const Run *current = isRunning() ? &mLive : selectedRun();
    if (current && !shown.contains(current))
        shown.append(current);

    QJsonArray steps, losses, metrics;
    for (const Run *run : std::as_const(shown)) {
        if (run->name.isEmpty())
            continue;
        if (!run->stepLosses.isEmpty())
            steps.append(series(run->name, run->stepLosses));
        QMap<QString, QList<QPointF>> curves;
        for (const EpochReport &report : run->result.epochs) {
            for (auto it = report.metrics.constBegin(); it != report.metrics.constEnd(); ++it)
                curves[it.key()].append(QPointF(report.epoch, it.value()));
        }
        for (auto it = curves.constBegin(); it != curves.constEnd(); ++it)
            (isLoss(it.key()) ? losses : metrics).append(series(run->name + QStringLiteral(" · ") + it.key(), it.value()));
    }
    const auto plot = [](const QString &id, const QString &title, const QString &xlabel, const QJsonArray &data) {
        return QJsonObject{{QStringLiteral("plot"), id},
                           {QStringLiteral("chart"), QStringLiteral("line")},
                           {QStringLiteral("title"), title},
                           {QStringLiteral("xlabel"), xlabel},
                           {QStringLiteral("series"), data}};
    };
    mStepPlot->setPlot(plot(QStringLiteral("steps"), tr("Training loss per step"), tr("step"), steps));
    mLossPlot->setPlot(plot(QStringLiteral("losses"), tr("Training and validation loss"), tr("epoch"), losses));
    mMetricPlot->setPlot(plot(QStringLiteral("metrics"), tr("Accuracy (classification), MAE and R² (regression)"), tr("epoch"), metrics));
}

// The confusion matrix of the kept checkpoint on the validation data.
void TrainingPanel::showConfusion(const QList<QList<qint64>> &confusion, const QStringList &names)
{
    qDeleteAll(mConfusionHost->findChildren<QWidget *>(QString(), Qt::FindDirectChildrenOnly));
    if (confusion.isEmpty())
        return;
    QJsonArray columns, rows;
    for (int c = 0; c < confusion.size(); ++c)
        columns.append(c < names.size() ? names.at(c) : QString::number(c));
    for (int r = 0; r < confusion.size(); ++r) {
        QJsonArray cells;
        cells.append(r < names.size() ? names.at(r) : QString::number(r));
        for (qint64 count : confusion.at(r))
            cells.append(count);
        rows.append(cells);
    }
    columns.prepend(tr("true \\ predicted"));
    auto *table = new TableOutputView(QJsonObject{{QStringLiteral("title"), tr("Confusion matrix (rows: true class, columns: predicted)")},
                                                  {QStringLiteral("columns"), columns},
                                                  {QStringLiteral("rows"), rows},
                                                  {QStringLiteral("total_rows"), rows.size()},
                                                  {QStringLiteral("first_row"), 0}},
                                      mConfusionHost);
    table->setObjectName(QStringLiteral("confusion"));
    mConfusionHost->layout()->addWidget(table);
}

void TrainingPanel::onFinished()
{
    const TrainResult result = mWatcher.result();
    if (isPaused())
        mPauseGate->resume();
    mPause->setText(tr("Pause"));
    mProgress->setRange(0, 1);
    mProgress->setValue(result.ok ? 1 : 0);
    mProgress->setFormat(result.ok ? tr("done in %1").arg(duration(result.seconds)) : tr("stopped"));
    if (!result.ok && !result.stopped) {
        mStatus->setText(result.error);
        mLive = Run();
        refreshPlots();
        updateButtons();
        Q_EMIT finished(false);
        return;
    }
    Run run = mLive;
    run.options = mRunning;
    run.result = result;
    run.model = QFileInfo::exists(mRunning.out) ? mRunning.out : QString();
    mRuns.append(run);
    mOverlaid.append(false);
    addRunRow(run);
    mLive = Run();
    showConfusion(result.confusion, result.classNames);
    refreshPlots();
    QStringList best;
    for (auto it = result.best.constBegin(); it != result.best.constEnd(); ++it)
        best.append(QStringLiteral("%1 %2").arg(it.key()).arg(it.value(), 0, 'f', 4));
    const QString summary = tr("%1: best epoch %2 (%3)").arg(run.name).arg(result.bestEpoch).arg(best.join(QStringLiteral(", ")));
    mStatus->setText(result.ok ? summary : tr("Stopped; kept the best epoch so far. %1").arg(summary));
    updateButtons();
    Q_EMIT finished(result.ok);
}

void TrainingPanel::addRunRow(const Run &run)
{
    const QSignalBlocker block(mRunTable);
    const int row = mRunTable->rowCount();
    mRunTable->insertRow(row);
    const TrainOptions &o = run.options;
    const TrainResult &r = run.result;
    const QString metric = keyMetric(r);
    const QString data = o.data == kFashionMnist ? QStringLiteral("Fashion-MNIST") : QFileInfo(o.data).fileName();
    const QString model = run.modelLabel.isEmpty() ? r.model : run.modelLabel;
    const QStringList cells{
        run.name,
        data,
        model,
        r.task,
        r.loss,
        o.optimizer,
        QString::number(o.lr),
        QString::number(o.batchSize),
        QStringLiteral("%1/%2").arg(r.epochs.size()).arg(o.epochs),
        QString::number(o.seed),
        QString::number(r.bestEpoch),
        r.best.contains(metric) ? QStringLiteral("%1 %2").arg(metric).arg(r.best.value(metric), 0, 'f', 4) : QString(),
        o.device,
        duration(r.seconds),
        QLocale().toString(r.started, QLocale::ShortFormat),
        r.versions,
    };
    for (int column = 0; column < cells.size(); ++column) {
        auto *item = new QTableWidgetItem(cells.at(column));
        if (column == 0) {
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            item->setCheckState(Qt::Unchecked);
        }
        item->setToolTip(column == 1 ? o.data : column == kDeviceColumn && !run.deviceLabel.isEmpty() ? run.deviceLabel : cells.at(column));
        mRunTable->setItem(row, column, item);
    }
    mRunTable->selectRow(row);
}

void TrainingPanel::setOverlaid(int run, bool overlaid)
{
    if (QTableWidgetItem *item = mRunTable->item(run, 0))
        item->setCheckState(overlaid ? Qt::Checked : Qt::Unchecked);
}

void TrainingPanel::selectRun(int run)
{
    mRunTable->selectRow(run);
}

const TrainingPanel::Run *TrainingPanel::selectedRun() const
{
    const QList<QTableWidgetSelectionRange> ranges = mRunTable->selectedRanges();
    const int row = ranges.isEmpty() ? -1 : ranges.constFirst().topRow();
    return row >= 0 && row < mRuns.size() ? &mRuns.at(row) : nullptr;
}

bool TrainingPanel::exportRuns(const QString &path, const QList<int> &which) const
{
    QString csv = QStringLiteral("run,epoch,step,metric,value\n");
    for (int i = 0; i < mRuns.size(); ++i) {
        if (!which.isEmpty() && !which.contains(i))
            continue;
        const Run &run = mRuns.at(i);
        // metricsCsv starts with its own header line.
        csv += Trainer::metricsCsv(run.name, run.result.epochs).section(QLatin1Char('\n'), 1);
    }
    QSaveFile file(path);
    const QByteArray bytes = csv.toUtf8();
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit();
}

QString TrainingPanel::statusText() const
{
    return mStatus->text();
}

void TrainingPanel::updateButtons()
{
    const bool running = mWatcher.isRunning();
    const bool busy = running || !mPendingNotebookModel.isEmpty();
    const bool readable = !mData.isEmpty() && mReport.error.isEmpty();
    mStart->setEnabled(!busy && readable);
    mPause->setEnabled(running);
    mStop->setEnabled(running);
    const Run *run = selectedRun();
    mSave->setEnabled(run && !run->model.isEmpty());
    mSend->setEnabled(run && !run->model.isEmpty());
    mExportOne->setEnabled(run);
    mCopyCode->setEnabled(run);
    mExportAll->setEnabled(!mRuns.isEmpty());
}

} // namespace kiln
