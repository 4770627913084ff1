#pragma once

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QPointF>
#include <QWidget>

#include "readers/datasetreport.h"
#include "engines/trainer.h"

#include <atomic>
#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QBoxLayout;
class QFormLayout;
class QScrollArea;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace kiln {

class DevicePicker;
class ModelVetting;
class PauseGate;
class PlotView;

// The training panel (a dock). Data: a CSV (target, features, task, split,
// standardization), a folder of images with one subfolder per class, or
// Fashion-MNIST, with a report of its rows, class balance and problems. Model:
// a built-in architecture sized to the data, a notebook model or a TorchScript
// file. Start trains on a worker thread with the same engine as `kiln train`;
// Pause holds it exactly where it is. The step loss and the epoch metrics plot
// live; every run is kept in a table that compares them, overlays them on the
// plots, exports them to CSV, saves the best checkpoint or sends it to inference.
class TrainingPanel : public QWidget
{
    Q_OBJECT

public:
    explicit TrainingPanel(QWidget *parent = nullptr);
    ~TrainingPanel() override;

    // Where runs are kept across restarts (runs.json and each run's checkpoint):
    // the app's data folder, or the folder setRunStore() gives (tests).
    static QString runStore();
    static void setRunStore(const QString &folder);

    // A CSV file, a folder of class subfolders, or "fashion-mnist".
    void setDataset(const QString &data);
    QString dataset() const { return mData; }
    // The report of the current dataset; analyzing() while it is being read.
    const DatasetReport &report() const { return mReport; }
    bool analyzing() const { return mAnalyzing; }
    QString reportText() const;

    // A built-in architecture (from the model browser's "Train…"); kept for
    // the next dataset when the current one cannot use it.
    void chooseModel(const QString &id);
    // A TorchScript file whose parameters are trained.
    void setModelFile(const QString &path);
    // The notebook's models, offered as training sources.
    void setNotebookModels(const QStringList &names);
    // The window's answer to notebookModelRequested: the model traced to a file,
    // or why it could not be.
    void notebookModelExported(const QString &path, const QString &error);
    TrainOptions options() const;

    void start();
    void pause();
    void resume();
    void stop();
    bool isRunning() const { return mWatcher.isRunning(); }
    bool isPaused() const;

    struct Run
    {
        QString name;
        TrainOptions options;
        TrainResult result;
        QString model;             // the best checkpoint as TorchScript
        QString modelLabel;        // what was trained, as the model list named it
        QString deviceLabel;       // where, as the device picker named it
        QList<QPointF> stepLosses; // the per-step training loss
    };
    const QList<Run> &runs() const { return mRuns; }
    // Runs whose curves are drawn beside the current one.
    void setOverlaid(int run, bool overlaid);
    void selectRun(int run);
    // The given runs (all when empty) as CSV: each run's settings, then epoch, step,
    // metric, value, the per-step training loss included.
    bool exportRuns(const QString &path, const QList<int> &runs = {}) const;
    QString statusText() const;
    QString progressText() const;

Q_SIGNALS:
    void finished(bool ok);
    void sendToInferenceRequested(const QString &modelPath);
    // Asks the window to trace the notebook variable `name` to TorchScript on
    // zeros of `exampleShape` ("1,4"); answered by notebookModelExported.
    void notebookModelRequested(const QString &name, const QString &exampleShape);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // Two columns from this width on, one below it.
    static constexpr int kTwoColumnWidth = 760;
    void applyColumns();
    void saveRuns() const;
    void loadRuns();
    QWidget *createDataSection();
    QWidget *createSettingsSection();
    QWidget *createRunSection();
    void analyze();
    void showReport();
    void fillModels();
    void startWith(const TrainOptions &options);
    void onData(const TrainResult &data);
    void onEpoch(const EpochReport &report);
    void onStep(int step, double loss);
    void onFinished();
    void showConfusion(const QList<QList<qint64>> &confusion, const QStringList &names);
    void refreshPlots();
    void addRunRow(const Run &run);
    const Run *selectedRun() const;
    void updateButtons();
    QString exampleShape() const;

    QBoxLayout *mColumns = nullptr;
    QScrollArea *mFormScroll = nullptr;
    QString mData;
    QString mPreferredModel;
    QString mModelFile;
    ModelVetting *mVetting = nullptr;
    QStringList mNotebookModels;
    DatasetReport mReport;
    QFutureWatcher<DatasetReport> mReportWatcher;
    bool mAnalyzing = false;  // from analyze() until the report is shown
    bool mStartWhenRead = false;  // Start was pressed while the report was being read

    QFormLayout *mDataRows;
    QLabel *mDataLabel;
    QLabel *mReportLabel;
    QComboBox *mTarget;
    QComboBox *mTask;
    QListWidget *mFeatures;
    QCheckBox *mStandardize;
    QDoubleSpinBox *mValSplit;
    QSpinBox *mImageSize;
    QComboBox *mModel;
    DevicePicker *mDevice;
    QComboBox *mLoss;
    QSpinBox *mEpochs;
    QDoubleSpinBox *mLr;
    QSpinBox *mBatch;
    QSpinBox *mSeed;
    QComboBox *mOptimizer;
    QDoubleSpinBox *mWeightDecay;
    QComboBox *mSchedule;
    QSpinBox *mPatience;
    QPushButton *mStart;
    QPushButton *mPause;
    QPushButton *mStop;
    QPushButton *mSave;
    QPushButton *mSend;
    QPushButton *mExportOne;
    QPushButton *mExportAll;
    QPushButton *mCopyCode;
    QProgressBar *mProgress;
    QLabel *mStatus;
    PlotView *mStepPlot;
    PlotView *mLossPlot;
    PlotView *mMetricPlot;
    QWidget *mConfusionHost;
    QTableWidget *mRunTable;

    QFutureWatcher<TrainResult> mWatcher;
    std::shared_ptr<std::atomic<bool>> mInterrupt;
    std::shared_ptr<PauseGate> mPauseGate;
    TrainOptions mRunning;
    QString mPendingNotebookModel;  // waiting for the window's export before starting
    Run mLive;                      // the run in progress, as the plots draw it
    QList<Run> mRuns;
    QList<bool> mOverlaid;
    // Progress: active time leaves pauses out.
    QElapsedTimer mClock;
    QElapsedTimer mPausedSince;
    QElapsedTimer mProgressShown;
    qint64 mPausedMs = 0;
    qint64 mTotalSteps = 0;
    int mLastStep = 0;
};

} // namespace kiln
