#include "trainingpanel.h"

#include "csvreader.h"
#include "plotview.h"
#include "tableoutputview.h"

#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QDir>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace kiln {

namespace {

const QLatin1String kFashionMnist("fashion-mnist");

// Where finished runs keep their best checkpoint until saved elsewhere.
QString runDirectory()
{
    static QTemporaryDir directory;
    return directory.path();
}

} // namespace

TrainingPanel::TrainingPanel(QWidget *parent)
    : QWidget(parent)
{
    setAcceptDrops(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    mDataLabel = new QLabel(tr("Drop a CSV file here, or train on Fashion-MNIST."), this);
    mDataLabel->setWordWrap(true);
    layout->addWidget(mDataLabel);
    auto *dataButtons = new QHBoxLayout;
    auto *chooseCsv = new QPushButton(tr("Choose CSV…"), this);
    auto *fashion = new QPushButton(tr("Fashion-MNIST"), this);
    dataButtons->addWidget(chooseCsv);
    dataButtons->addWidget(fashion);
    layout->addLayout(dataButtons);
    connect(chooseCsv, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Choose a CSV file"), QString(), tr("CSV (*.csv *.tsv *.txt)"));
        if (!path.isEmpty())
            setDataset(path);
    });
    connect(fashion, &QPushButton::clicked, this, [this] { setDataset(kFashionMnist); });

    auto *form = new QFormLayout;
    mTarget = new QComboBox(this);
    mTarget->setObjectName(QStringLiteral("target"));
    mModel = new QComboBox(this);
    mModel->setObjectName(QStringLiteral("model"));
    mEpochs = new QSpinBox(this);
    mEpochs->setRange(1, 1000);
    mEpochs->setValue(10);
    mEpochs->setObjectName(QStringLiteral("epochs"));
    mLr = new QDoubleSpinBox(this);
    mLr->setDecimals(5);
    mLr->setRange(0.00001, 10);
    mLr->setSingleStep(0.0005);
    mLr->setValue(0.001);
    mBatch = new QSpinBox(this);
    mBatch->setRange(1, 65536);
    mBatch->setValue(64);
    mValSplit = new QDoubleSpinBox(this);
    mValSplit->setRange(0.05, 0.9);
    mValSplit->setSingleStep(0.05);
    mValSplit->setValue(0.2);
    mSeed = new QSpinBox(this);
    mSeed->setRange(0, 1 << 30);
    mSeed->setValue(1);
    form->addRow(tr("Target column"), mTarget);
    form->addRow(tr("Model"), mModel);
    form->addRow(tr("Epochs"), mEpochs);
    form->addRow(tr("Learning rate"), mLr);
    form->addRow(tr("Batch size"), mBatch);
    form->addRow(tr("Validation split"), mValSplit);
    form->addRow(tr("Seed"), mSeed);
    mOptimizer = new QComboBox(this);
    mOptimizer->setObjectName(QStringLiteral("optimizer"));
    mOptimizer->addItem(QStringLiteral("Adam"), QStringLiteral("adam"));
    mOptimizer->addItem(QStringLiteral("AdamW"), QStringLiteral("adamw"));
    mOptimizer->addItem(QStringLiteral("SGD"), QStringLiteral("sgd"));
    mWeightDecay = new QDoubleSpinBox(this);
    mWeightDecay->setDecimals(5);
    mWeightDecay->setRange(0, 1);
    mWeightDecay->setSingleStep(0.0001);
    mSchedule = new QComboBox(this);
    mSchedule->addItem(tr("Constant"), QStringLiteral("none"));
    mSchedule->addItem(tr("Cosine"), QStringLiteral("cosine"));
    mPatience = new QSpinBox(this);
    mPatience->setRange(0, 1000);
    mPatience->setSpecialValueText(tr("off"));
    mPatience->setObjectName(QStringLiteral("patience"));
    form->addRow(tr("Optimizer"), mOptimizer);
    form->addRow(tr("Weight decay"), mWeightDecay);
    form->addRow(tr("Schedule"), mSchedule);
    form->addRow(tr("Early stopping (epochs)"), mPatience);
    layout->addLayout(form);

    auto *runButtons = new QHBoxLayout;
    mStart = new QPushButton(tr("Start"), this);
    mStop = new QPushButton(tr("Stop"), this);
    runButtons->addWidget(mStart);
    runButtons->addWidget(mStop);
    layout->addLayout(runButtons);
    connect(mStart, &QPushButton::clicked, this, &TrainingPanel::start);
    connect(mStop, &QPushButton::clicked, this, &TrainingPanel::stop);
    mProgress = new QProgressBar(this);
    mStatus = new QLabel(this);
    mStatus->setWordWrap(true);
    layout->addWidget(mProgress);
    layout->addWidget(mStatus);

    mStepPlot = new PlotView(this);
    mStepPlot->setObjectName(QStringLiteral("stepPlot"));
    mStepPlot->setMinimumHeight(200);
    layout->addWidget(mStepPlot, 1);
    mPlot = new PlotView(this);
    mPlot->setObjectName(QStringLiteral("epochPlot"));
    mPlot->setMinimumHeight(200);
    layout->addWidget(mPlot, 1);
    mConfusionHost = new QWidget(this);
    new QVBoxLayout(mConfusionHost);
    mConfusionHost->layout()->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(mConfusionHost);

    layout->addWidget(new QLabel(tr("Runs:"), this));
    mRunList = new QListWidget(this);
    mRunList->setObjectName(QStringLiteral("runs"));
    mRunList->setMaximumHeight(100);
    layout->addWidget(mRunList);
    auto *runActions = new QHBoxLayout;
    mSave = new QPushButton(tr("Save model…"), this);
    mSend = new QPushButton(tr("Send to inference"), this);
    mExport = new QPushButton(tr("Export runs…"), this);
    auto *copyCode = new QPushButton(tr("Copy as notebook code"), this);
    copyCode->setObjectName(QStringLiteral("copyCode"));
    runActions->addWidget(mSave);
    runActions->addWidget(mSend);
    runActions->addWidget(mExport);
    layout->addLayout(runActions);
    layout->addWidget(copyCode);
    auto selectedRun = [this]() -> const Run * {
        const int row = mRunList->currentRow();
        return row >= 0 && row < mRuns.size() ? &mRuns.at(row) : nullptr;
    };
    connect(mSave, &QPushButton::clicked, this, [this, selectedRun] {
        const Run *run = selectedRun();
        if (!run || run->model.isEmpty())
            return;
        const QString path = QFileDialog::getSaveFileName(this, tr("Save the model"), run->name + QStringLiteral(".pt"),
                                                          tr("TorchScript (*.pt)"));
        // TorchScript, and the weights as a state dict beside it.
        const QString stateDict = Trainer::stateDictPath(path);
        QFile::remove(path);
        QFile::remove(stateDict);
        if (!QFile::copy(run->model, path) || !QFile::copy(Trainer::stateDictPath(run->model), stateDict))
            mStatus->setText(tr("Cannot write %1").arg(path));
    });
    connect(copyCode, &QPushButton::clicked, this, [this, selectedRun] {
        if (const Run *run = selectedRun())
            QGuiApplication::clipboard()->setText(Trainer::notebookCode(run->options, run->result));
    });
    connect(mSend, &QPushButton::clicked, this, [this, selectedRun] {
        if (const Run *run = selectedRun())
            Q_EMIT sendToInferenceRequested(run->model);
    });
    connect(mExport, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export runs"), QStringLiteral("runs.csv"), tr("CSV (*.csv)"));
        if (!path.isEmpty() && !exportRuns(path))
            mStatus->setText(tr("Cannot write %1").arg(path));
    });
    connect(mRunList, &QListWidget::currentRowChanged, this, &TrainingPanel::updateButtons);
    connect(&mWatcher, &QFutureWatcher<TrainResult>::finished, this, &TrainingPanel::onFinished);
    setDataset(QString());
}

TrainingPanel::~TrainingPanel()
{
    stop();
    mWatcher.waitForFinished();
}

void TrainingPanel::setDataset(const QString &data)
{
    mData = data;
    mTarget->clear();
    mModel->clear();
    if (data == kFashionMnist) {
        mDataLabel->setText(tr("Fashion-MNIST: 60,000 training images, 10 classes; the 10,000 test images validate."));
        mTarget->setEnabled(false);
        mModel->addItems({QStringLiteral("lenet"), QStringLiteral("resnet"), QStringLiteral("mlp")});
        mValSplit->setEnabled(false);
    } else if (!data.isEmpty()) {
        CsvReader reader;
        if (!reader.open(data)) {
            mDataLabel->setText(tr("Cannot read %1: %2").arg(QFileInfo(data).fileName(), reader.errorString()));
            mData.clear();
        } else {
            mTarget->addItems(reader.columns());
            if (mTarget->count() > 0)
                mTarget->setCurrentIndex(mTarget->count() - 1);  // the target is often the last column
            int count = 0;
            CsvReader::Row row;
            while (reader.next(row))
                ++count;
            mDataLabel->setText(tr("%1: %2 rows, %3 columns").arg(QFileInfo(data).fileName()).arg(count).arg(reader.columns().size()));
        }
        mTarget->setEnabled(true);
        mModel->addItem(QStringLiteral("mlp"));
        mValSplit->setEnabled(true);
    } else {
        mDataLabel->setText(tr("Drop a CSV file here, or train on Fashion-MNIST."));
    }
    if (!mPreferredModel.isEmpty() && mModel->findText(mPreferredModel) >= 0)
        mModel->setCurrentText(mPreferredModel);
    updateButtons();
}

void TrainingPanel::chooseModel(const QString &id)
{
    mPreferredModel = id;
    if (mModel->findText(id) >= 0)
        mModel->setCurrentText(id);
    mStatus->setText(mModel->findText(id) >= 0 || mData.isEmpty()
                         ? tr("Model: %1").arg(id)
                         : tr("%1 does not fit this dataset; the panel trains %2").arg(id, mModel->currentText()));
}

void TrainingPanel::setTarget(const QString &column)
{
    mTarget->setCurrentText(column);
}

TrainOptions TrainingPanel::options() const
{
    TrainOptions options;
    options.data = mData;
    options.target = mData == kFashionMnist ? QString() : mTarget->currentText();
    options.model = mModel->currentText();
    options.epochs = mEpochs->value();
    options.lr = mLr->value();
    options.batchSize = mBatch->value();
    options.valSplit = mValSplit->value();
    options.seed = mSeed->value();
    options.optimizer = mOptimizer->currentData().toString();
    options.weightDecay = mWeightDecay->value();
    options.schedule = mSchedule->currentData().toString();
    options.patience = mPatience->value();
    return options;
}

void TrainingPanel::dragEnterEvent(QDragEnterEvent *event)
{
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isFile()) {
            event->acceptProposedAction();
            return;
        }
    }
}

void TrainingPanel::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.constFirst().isLocalFile()) {
        setDataset(urls.constFirst().toLocalFile());
        event->acceptProposedAction();
    }
}

void TrainingPanel::start()
{
    if (mData.isEmpty() || isRunning())
        return;
    mRunning = options();
    const int number = int(mRuns.size()) + 1;
    mRunning.out = QDir(runDirectory()).filePath(QStringLiteral("run%1.pt").arg(number));
    mInterrupt = std::make_shared<std::atomic<bool>>(false);
    mProgress->setRange(0, mRunning.epochs);
    mProgress->setValue(0);
    mStatus->setText(tr("Reading the data…"));
    mPlot->setPlot(QJsonObject{{QStringLiteral("plot"), QStringLiteral("training")},
                               {QStringLiteral("chart"), QStringLiteral("line")},
                               {QStringLiteral("title"), tr("Run %1").arg(number)},
                               {QStringLiteral("xlabel"), tr("epoch")},
                               {QStringLiteral("series"), QJsonArray()}});
    mStepPlot->setPlot(QJsonObject{{QStringLiteral("plot"), QStringLiteral("steps")},
                                   {QStringLiteral("chart"), QStringLiteral("line")},
                                   {QStringLiteral("title"), tr("Training loss per step")},
                                   {QStringLiteral("xlabel"), tr("step")},
                                   {QStringLiteral("series"), QJsonArray()}});
    showConfusion({});
    QPointer<TrainingPanel> self(this);
    const TrainOptions options = mRunning;
    const auto interrupt = mInterrupt;
    mWatcher.setFuture(QtConcurrent::run([self, options, interrupt] {
        return Trainer::train(
            options,
            [self](const EpochReport &report) {
                QMetaObject::invokeMethod(
                    self.data(), [self, report] {
                        if (self)
                            self->onEpoch(report);
                    },
                    Qt::QueuedConnection);
            },
            {}, interrupt,
            [self](int step, double loss) {
                QMetaObject::invokeMethod(
                    self.data(), [self, step, loss] {
                        if (self)
                            self->onStep(step, loss);
                    },
                    Qt::QueuedConnection);
            });
    }));
    updateButtons();
}

void TrainingPanel::stop()
{
    if (mInterrupt)
        mInterrupt->store(true);
}

void TrainingPanel::onEpoch(const EpochReport &report)
{
    mProgress->setValue(report.epoch);
    QJsonArray series;
    QStringList parts;
    for (auto it = report.metrics.constBegin(); it != report.metrics.constEnd(); ++it) {
        series.append(QJsonObject{{QStringLiteral("name"), it.key()},
                                  {QStringLiteral("x"), QJsonArray{report.epoch}},
                                  {QStringLiteral("y"), QJsonArray{it.value()}}});
        parts.append(QStringLiteral("%1 %2").arg(it.key()).arg(it.value(), 0, 'f', 4));
    }
    mPlot->appendPlot(QJsonObject{{QStringLiteral("plot"), QStringLiteral("training")}, {QStringLiteral("series"), series}});
    mStatus->setText(tr("epoch %1 of %2: %3").arg(report.epoch).arg(mRunning.epochs).arg(parts.join(QStringLiteral(", "))));
}

void TrainingPanel::onStep(int step, double loss)
{
    mStepPlot->appendPlot(QJsonObject{
        {QStringLiteral("plot"), QStringLiteral("steps")},
        {QStringLiteral("series"), QJsonArray{QJsonObject{{QStringLiteral("name"), tr("training loss")},
                                                          {QStringLiteral("x"), QJsonArray{step}},
                                                          {QStringLiteral("y"), QJsonArray{loss}}}}}});
}

// The confusion matrix of the kept checkpoint on the validation data.
void TrainingPanel::showConfusion(const QList<QList<qint64>> &confusion)
{
    qDeleteAll(mConfusionHost->findChildren<QWidget *>(QString(), Qt::FindDirectChildrenOnly));
    if (confusion.isEmpty())
        return;
    QJsonArray columns, rows;
    for (int c = 0; c < confusion.size(); ++c)
        columns.append(c);
    for (const QList<qint64> &row : confusion) {
        QJsonArray cells;
        for (qint64 count : row)
            cells.append(count);
        rows.append(cells);
    }
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
    if (!result.ok && result.epochs.isEmpty()) {
        mStatus->setText(result.error);
        updateButtons();
        Q_EMIT finished(false);
        return;
    }
    Run run;
    run.name = tr("run %1").arg(mRuns.size() + 1);
    run.options = mRunning;
    run.result = result;
    run.model = QFileInfo::exists(mRunning.out) ? mRunning.out : QString();
    mRuns.append(run);
    showConfusion(result.confusion);
    QStringList best;
    for (auto it = result.best.constBegin(); it != result.best.constEnd(); ++it)
        best.append(QStringLiteral("%1 %2").arg(it.key()).arg(it.value(), 0, 'f', 4));
    const QString summary = tr("%1: %2, best epoch %3 (%4)")
                                .arg(run.name, QFileInfo(mRunning.data).fileName(), QString::number(result.bestEpoch),
                                     best.join(QStringLiteral(", ")));
    mRunList->addItem(summary);
    mRunList->setCurrentRow(mRunList->count() - 1);
    mStatus->setText(result.ok ? summary : tr("Stopped; kept what was trained. %1").arg(summary));
    updateButtons();
    Q_EMIT finished(result.ok);
}

bool TrainingPanel::exportRuns(const QString &path) const
{
    QString csv = QStringLiteral("run,epoch,step,metric,value\n");
    for (const Run &run : mRuns) {
        const QString rows = Trainer::metricsCsv(run.name, run.result.epochs);
        // metricsCsv starts with its own header line.
        csv += rows.section(QLatin1Char('\n'), 1);
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
    mStart->setEnabled(!running && !mData.isEmpty());
    mStop->setEnabled(running);
    const bool haveRun = mRunList->currentRow() >= 0 && mRunList->currentRow() < mRuns.size()
        && !mRuns.at(mRunList->currentRow()).model.isEmpty();
    mSave->setEnabled(haveRun);
    mSend->setEnabled(haveRun);
    mExport->setEnabled(!mRuns.isEmpty());
}

} // namespace kiln
