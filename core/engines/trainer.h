#pragma once

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>

namespace kiln {

class PauseGate;

// The headless training engine behind `kiln train` and the training panel: one
// Lua program, generated from the options, reads the data, builds the model,
// trains it and reports every epoch.
struct TrainOptions
{
    // A CSV file, "fashion-mnist", or a folder of images with one subfolder per class.
    QString data;
    QString target;          // the CSV column to predict
    QStringList features;    // CSV columns to learn from; empty: the numeric columns but the target
    QString task = QStringLiteral("auto");  // "auto" (from the target), "classification" or "regression"
    // CSV features (and a regression target) to mean 0, deviation 1, inside the
    // saved model; built-in models only (a TorchScript model gets raw features).
    bool standardize = true;
    QString valData;         // a CSV that validates instead of a split of `data`
    int imageSize = 32;      // image folders: every image is resized to this square
    // A BuiltinModels id, or a TorchScript file whose parameters are trained;
    // empty: mlp for CSV, cnn for images.
    QString model;
    // "auto" (cross_entropy or mse, from the task), "cross_entropy",
    // "label_smoothing" (cross entropy with 0.1), "mse", "l1" or "huber".
    QString loss = QStringLiteral("auto");
    int epochs = 10;
    double lr = 1e-3;
    int batchSize = 64;
    double valSplit = 0.2;   // without valData; Fashion-MNIST validates on its test split
    int seed = 1;
    QString optimizer = QStringLiteral("adam");  // "adam", "adamw" or "sgd" (momentum 0.9)
    double weightDecay = 0;
    QString schedule = QStringLiteral("none");   // "none" or "cosine" (over the epochs)
    int patience = 0;        // stop after this many epochs without a better validation; 0: never
    QString out;             // TorchScript file to write, may be empty
    // A checked device name ("cpu", "cuda:0"). On a GPU the data moves there once,
    // and full batches replay one captured CUDA graph of the whole training step.
    QString device = QStringLiteral("cpu");
    bool cudaGraphs = true;
};

struct EpochReport
{
    int epoch = 0;
    int step = 0;                  // optimizer steps so far
    // train_loss, val_loss; classification: train_accuracy, val_accuracy;
    // regression: val_mae, val_r2 (in the target's units).
    QMap<QString, double> metrics;
};

struct TrainResult
{
    bool ok = false;
    QString error;                 // one line when !ok
    // Stop (or Ctrl-C) ended the loop early: what was trained is kept and saved
    // as after a finished run, but ok stays false.
    bool stopped = false;
    QString task;                  // "classification" or "regression"
    QString loss;                  // the loss that was used
    QString model;                 // the model that was trained (an id or a file)
    int features = 0;              // inputs per sample (CSV columns, or C*H*W)
    QList<int> inputShape;         // one sample's shape: {features} or {C, H, W}
    QStringList featureNames;      // CSV only
    int classes = 0;               // 0 for regression
    QStringList classNames;
    qint64 trainSamples = 0;
    qint64 valSamples = 0;
    qint64 droppedRows = 0;        // CSV rows skipped: missing target, text in a number column
    qint64 missingValues = 0;      // feature values filled with the training mean
    QList<EpochReport> epochs;
    int bestEpoch = 0;             // the checkpoint that was kept (and saved)
    QMap<QString, double> best;    // its metrics
    // Classification: counts of [true class][predicted class] on the validation
    // data, from the kept checkpoint.
    QList<QList<qint64>> confusion;
    // The run record: when, how long (paused time left out) and with what.
    QDateTime started;
    double seconds = 0;
    QString versions;              // "Kiln 0.1.0, libtorch 1.13.0, Lua 5.4.4, Qt 6.4.2"
};

struct TrainCallbacks
{
    // Once the data is read: the result's task, sizes and class names are set.
    std::function<void(const TrainResult &)> onData;
    std::function<void(const EpochReport &)> onEpoch;
    // Every tenth optimizer step, with that step's training loss.
    std::function<void(int step, double loss)> onStep;
    // Any other line the program prints, and notes such as early stopping.
    std::function<void(const QString &)> onLog;
};

struct TrainControl
{
    std::shared_ptr<std::atomic<bool>> interrupt;  // set from any thread: stop, keep the best so far
    std::shared_ptr<PauseGate> pause;              // holds the run exactly where it is
};

namespace Trainer {

// Runs on the calling thread until done.
TrainResult train(const TrainOptions &options, const TrainCallbacks &callbacks = {}, const TrainControl &control = {});

// True when `data` names a folder of class subfolders rather than a CSV.
bool isImageFolder(const QString &data);
// True when `data` names a CSV: neither empty, Fashion-MNIST nor an image folder.
bool isCsvData(const QString &data);
// True when `model` names a TorchScript file rather than a built-in architecture.
bool isModelFile(const QString &model);

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
