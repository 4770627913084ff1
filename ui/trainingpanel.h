#pragma once

#include <QFutureWatcher>
#include <QWidget>

#include "trainer.h"

#include <atomic>
#include <memory>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace kiln {

class PlotView;

// The training panel (a dock): a CSV dropped on it (or Fashion-MNIST), a target
// column, a built-in model and its settings; Start trains on a worker thread
// with the same engine as `kiln train`, the epochs' metrics stream into a plot,
// and each finished run is kept in a list that exports to one CSV and whose
// best checkpoint saves as TorchScript or goes to the inference panel.
class TrainingPanel : public QWidget
{
    Q_OBJECT

public:
    explicit TrainingPanel(QWidget *parent = nullptr);
    ~TrainingPanel() override;

    // A CSV file (its columns fill the target list) or "fashion-mnist".
    void setDataset(const QString &data);
    QString dataset() const { return mData; }
    void setTarget(const QString &column);
    // A built-in architecture to train (from the model browser's "Train…");
    // kept for the next dataset when the current one cannot use it.
    void chooseModel(const QString &id);
    TrainOptions options() const;

    void start();
    void stop();
    bool isRunning() const { return mWatcher.isRunning(); }

    struct Run
    {
        QString name;
        TrainOptions options;
        TrainResult result;
        QString model;  // the best checkpoint as TorchScript
    };
    const QList<Run> &runs() const { return mRuns; }
    // Every run's metrics: run,epoch,step,metric,value.
    bool exportRuns(const QString &path) const;
    QString statusText() const;

Q_SIGNALS:
    void finished(bool ok);
    void sendToInferenceRequested(const QString &modelPath);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void onEpoch(const EpochReport &report);
    void onStep(int step, double loss);
    void showConfusion(const QList<QList<qint64>> &confusion);
    void onFinished();
    void updateButtons();

    QString mData;
    QString mPreferredModel;
    QLabel *mDataLabel;
    QComboBox *mTarget;
    QComboBox *mModel;
    QSpinBox *mEpochs;
    QDoubleSpinBox *mLr;
    QSpinBox *mBatch;
    QDoubleSpinBox *mValSplit;
    QSpinBox *mSeed;
    QComboBox *mOptimizer;
    QDoubleSpinBox *mWeightDecay;
    QComboBox *mSchedule;
    QSpinBox *mPatience;
    QPushButton *mStart;
    QPushButton *mStop;
    QPushButton *mSave;
    QPushButton *mSend;
    QPushButton *mExport;
    QProgressBar *mProgress;
    QLabel *mStatus;
    PlotView *mPlot;
    PlotView *mStepPlot;
    QWidget *mConfusionHost;
    QListWidget *mRunList;
    QFutureWatcher<TrainResult> mWatcher;
    std::shared_ptr<std::atomic<bool>> mInterrupt;
    TrainOptions mRunning;
    QList<Run> mRuns;
};

} // namespace kiln
