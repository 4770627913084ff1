#include "trainingpanel.h"
#include "trainingpanel_p.h"

#include "document/plotrender.h"

#include "kernel/modelvetting.h"

#include "devicepicker.h"
#include "modelbrowser.h"
#include "engines/pausegate.h"
#include "plotview.h"
#include "settings.h"
#include "tableoutputview.h"

#include <QLocale>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
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
#include <QVBoxLayout>
#include <QtConcurrent>

#include <cmath>

// The training panel's runs: starting (a notebook model is exported first),
// pausing and stopping the trainer, live curves and progress, the confusion
// matrix, and the table of finished runs with their curves and export.

namespace kiln {

namespace {

// The run table's column that shows the device, whose tooltip names the GPU.
constexpr int kDeviceColumn = 12;


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
    // Kept with the run record, so the run and its checkpoint survive a restart.
    mRunning.out = QDir(runStore()).filePath(QStringLiteral("run-%1.pt").arg(QDateTime::currentMSecsSinceEpoch()));
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
        parts.append(QStringLiteral("%1 %2").arg(it.key()).arg(QLocale().toString(it.value(), 'f', 4)));
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
    QJsonArray labels, rows;
    for (int c = 0; c < confusion.size(); ++c)
        labels.append(c < names.size() ? names.at(c) : QString::number(c));
    for (int r = 0; r < confusion.size(); ++r) {
        QJsonArray cells;
        for (qint64 count : confusion.at(r))
            cells.append(count);
        rows.append(cells);
    }
    auto *table = new TableOutputView(QJsonObject{{QStringLiteral("title"), tr("Confusion matrix (rows: true class, columns: predicted)")},
                                                  {QStringLiteral("columns"), labels},
                                                  {QStringLiteral("row_labels"), labels},
                                                  {QStringLiteral("heatmap"), true},
                                                  {QStringLiteral("rows"), rows},
                                                  {QStringLiteral("total_rows"), rows.size()}},
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
    saveRuns();
    mLive = Run();
    showConfusion(result.confusion, result.classNames);
    refreshPlots();
    QStringList best;
    for (auto it = result.best.constBegin(); it != result.best.constEnd(); ++it)
        best.append(QStringLiteral("%1 %2").arg(it.key()).arg(QLocale().toString(it.value(), 'f', 4)));
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
        r.best.contains(metric) ? QStringLiteral("%1 %2").arg(metric).arg(QLocale().toString(r.best.value(metric), 'f', 4)) : QString(),
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

// One tidy table for every run: each row carries its run's settings, so runs
// compare in any spreadsheet; the per-epoch metrics, then the per-step loss
// (metric step_train_loss, no epoch).
bool TrainingPanel::exportRuns(const QString &path, const QList<int> &which) const
{
    QString csv = QStringLiteral("run,model,data,optimizer,lr,batch_size,epochs,weight_decay,schedule,seed,device,"
                                 "epoch,step,metric,value\n");
    for (int i = 0; i < mRuns.size(); ++i) {
        if (!which.isEmpty() && !which.contains(i))
            continue;
        const Run &run = mRuns.at(i);
        const TrainOptions &o = run.options;
        const QString settings = QStringList{PlotRender::csvField(run.modelLabel.isEmpty() ? o.model : run.modelLabel),
                                             PlotRender::csvField(QFileInfo(o.data).fileName()), o.optimizer,
                                             QString::number(o.lr, 'g', 8), QString::number(o.batchSize),
                                             QString::number(o.epochs), QString::number(o.weightDecay, 'g', 8), o.schedule,
                                             QString::number(o.seed), PlotRender::csvField(o.device)}
                                     .join(QLatin1Char(','));
        const QString name = PlotRender::csvField(run.name);
        // metricsCsv starts with its own header line; its rows are run,epoch,step,metric,value.
        const QStringList rows = Trainer::metricsCsv(run.name, run.result.epochs).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        for (qsizetype r = 1; r < rows.size(); ++r)
            csv += name + QLatin1Char(',') + settings + QLatin1Char(',') + rows.at(r).section(QLatin1Char(','), -4) + QLatin1Char('\n');
        for (const QPointF &point : run.stepLosses)
            csv += QStringLiteral("%1,%2,,%3,step_train_loss,%4\n")
                       .arg(name, settings)
                       .arg(qint64(point.x()))
                       .arg(QString::number(point.y(), 'g', 8));
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
    // Too few rows (or images) for a training and a validation split: the report
    // says so, and Start waits for more data.
    const bool enough = mReport.kind == QLatin1String("fashion-mnist") || mReport.rows >= DatasetReports::kMinimumRows;
    mStart->setEnabled(!busy && readable && enough);
    mStart->setToolTip(readable && !enough ? tr("At least %1 rows are needed to train and validate").arg(DatasetReports::kMinimumRows)
                                           : QString());
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
