#pragma once

#include <QList>
#include <QMap>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace kiln {

// The headless training engine behind `kiln train` (and the training panel):
// one Lua program, generated from the options, reads the data, builds a
// built-in model, trains it with Adam and reports every epoch.
struct TrainOptions
{
    QString data;            // a CSV file, or "fashion-mnist"
    QString target;          // the CSV column to predict
    QString model;           // a BuiltinModels id; empty: mlp for CSV, lenet for images
    int epochs = 10;
    double lr = 1e-3;
    int batchSize = 64;
    double valSplit = 0.2;   // CSV only; Fashion-MNIST validates on its test split
    int seed = 1;
    QString optimizer = QStringLiteral("adam");  // "adam", "adamw" or "sgd" (momentum 0.9)
    double weightDecay = 0;
    QString schedule = QStringLiteral("none");   // "none" or "cosine" (over the epochs)
    int patience = 0;        // stop after this many epochs without a better validation; 0: never
    QString out;             // TorchScript file to write, may be empty
};

struct EpochReport
{
    int epoch = 0;
    int step = 0;                  // optimizer steps so far
    QMap<QString, double> metrics; // train_loss, val_accuracy | val_mae, val_r2
};

struct TrainResult
{
    bool ok = false;
    QString error;                 // one line when !ok
    QString task;                  // "classification" or "regression"
    int features = 0;
    int classes = 0;               // 0 for regression
    QList<EpochReport> epochs;
    int bestEpoch = 0;             // the checkpoint that was kept (and saved)
    QMap<QString, double> best;    // its metrics
    // Classification: counts of [true class][predicted class] on the validation
    // data, from the kept checkpoint.
    QList<QList<qint64>> confusion;
};

namespace Trainer {

// Runs on the calling thread until done; `onEpoch` sees each epoch as it ends,
// `onLog` any other line the program prints. `interrupt` may be set from another thread.
TrainResult train(const TrainOptions &options,
                  const std::function<void(const EpochReport &)> &onEpoch = {},
                  const std::function<void(const QString &)> &onLog = {},
                  std::shared_ptr<std::atomic<bool>> interrupt = {},
                  const std::function<void(int step, double loss)> &onStep = {});

// The run as notebook cells (Markdown with ```lua blocks) that reproduce it.
QString notebookCode(const TrainOptions &options, const TrainResult &result);

// Where a saved model's state dict goes beside its TorchScript file: x.pt -> x.state_dict.pt.
QString stateDictPath(const QString &modelPath);

// "run,epoch,step,metric,value" rows, one per metric per epoch.
QString metricsCsv(const QString &run, const QList<EpochReport> &epochs);

// "@epoch 3 step=120 train_loss=0.41 val_accuracy=0.88" -> a report; false for other lines.
bool parseEpochLine(const QString &line, EpochReport *report);

} // namespace Trainer

} // namespace kiln
