#include "trainingpanel.h"

#include "narrowlayout.h"
#include "trainingpanel_p.h"

#include "devicepicker.h"
#include "engines/pausegate.h"
#include "plotview.h"
#include "settings.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QResizeEvent>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

// The training panel's widgets: the data, settings and run sections and their
// connections. Choosing the dataset and model is in trainingpaneldata.cpp;
// running, live curves and the table of runs in trainingpanelruns.cpp.

namespace kiln {

TrainingPanel::TrainingPanel(QWidget *parent)
    : QWidget(parent)
    , mPauseGate(std::make_shared<PauseGate>())
{
    setAcceptDrops(true);
    // Wide: what to train and how on the left (scrolling on its own when the
    // dock is short), the live plots above the table of runs on the right.
    // Narrow (a docked panel): one column, scrolled by the dock as a whole.
    mColumns = new QBoxLayout(QBoxLayout::LeftToRight, this);
    mColumns->setContentsMargins(4, 4, 4, 4);
    mFormScroll = new QScrollArea(this);
    mFormScroll->setWidgetResizable(true);
    mFormScroll->setFrameShape(QFrame::NoFrame);
    mFormScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *form = new QWidget(mFormScroll);
    auto *formLayout = new QVBoxLayout(form);
    formLayout->setContentsMargins(0, 0, 4, 0);
    formLayout->addWidget(createDataSection());
    formLayout->addWidget(createSettingsSection());
    formLayout->addStretch(1);
    mFormScroll->setWidget(form);
    mColumns->addWidget(mFormScroll);
    mColumns->addWidget(createRunSection(), 1);
    form->installEventFilter(this);
    applyColumns();

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
    loadRuns();
}

TrainingPanel::~TrainingPanel()
{
    stop();
    mWatcher.waitForFinished();
    mReportWatcher.waitForFinished();
}

void TrainingPanel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    applyColumns();
}

bool TrainingPanel::eventFilter(QObject *watched, QEvent *event)
{
    // The form changed (a report, rows shown or hidden): in one column it shows whole.
    if (watched == mFormScroll->widget() && event->type() == QEvent::LayoutRequest)
        QMetaObject::invokeMethod(this, &TrainingPanel::applyColumns, Qt::QueuedConnection);
    return QWidget::eventFilter(watched, event);
}

void TrainingPanel::applyColumns()
{
    const bool twoColumns = width() >= kTwoColumnWidth;
    mColumns->setDirection(twoColumns ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom);
    mFormScroll->setVerticalScrollBarPolicy(twoColumns ? Qt::ScrollBarAsNeeded : Qt::ScrollBarAlwaysOff);
    mFormScroll->setMinimumWidth(twoColumns ? 300 : 0);
    wrapFormRows(mFormScroll->widget(), width() < kLabelsBesideWidth);
    QWidget *form = mFormScroll->widget();
    const int formWidth = width() - mColumns->contentsMargins().left() - mColumns->contentsMargins().right();
    mFormScroll->setMinimumHeight(twoColumns ? 0 : form->heightForWidth(formWidth));
}

QWidget *TrainingPanel::createDataSection()
{
    auto *box = new QGroupBox(tr("Data"), this);
    auto *layout = new QVBoxLayout(box);
    mDataLabel = new QLabel(box);
    mDataLabel->setWordWrap(true);
    layout->addWidget(mDataLabel);
    auto *buttons = new FlowLayout;
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
    rows->setRowWrapPolicy(QFormLayout::WrapLongRows);
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
    letCombosShrink(box);
    return box;
}

QWidget *TrainingPanel::createSettingsSection()
{
    auto *box = new QGroupBox(tr("Model and settings"), this);
    auto *rows = new QFormLayout(box);
    rows->setRowWrapPolicy(QFormLayout::WrapLongRows);
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
    letCombosShrink(box);
    return box;
}

QWidget *TrainingPanel::createRunSection()
{
    auto *host = new QWidget(this);
    auto *layout = new QVBoxLayout(host);
    layout->setContentsMargins(4, 0, 0, 0);

    auto *controls = new FlowLayout;
    mStart = new QPushButton(tr("Start"), host);
    mStart->setObjectName(QStringLiteral("start"));
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
    mProgress->setMinimumWidth(160);
    controls->addStretchedWidget(mProgress);
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

    auto *actions = new FlowLayout;
    mSave = new QPushButton(tr("Save model…"), runs);
    mSend = new QPushButton(tr("Send to inference"), runs);
    mExportOne = new QPushButton(tr("Export run…"), runs);
    mExportAll = new QPushButton(tr("Export all runs…"), runs);
    mCopyCode = new QPushButton(tr("Copy as notebook code"), runs);
    mCopyCode->setObjectName(QStringLiteral("copyCode"));
    for (QPushButton *button : {mSave, mSend, mExportOne, mExportAll, mCopyCode})
        actions->addWidget(button);
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

} // namespace kiln
