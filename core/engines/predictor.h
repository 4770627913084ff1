#pragma once

#include <QList>
#include <QSize>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace kiln {

// How inputs become tensors and outputs become columns. A single [N,K] float
// output with K >= 2 counts as class scores (softmax, top-k) unless `raw`.
struct PredictOptions
{
    enum class Color { Auto, Grayscale, Rgb };

    QSize size;                   // images are resized to this; invalid keeps their own size
    Color color = Color::Auto;    // Auto: grayscale when the image is
    double scale = 1.0 / 255.0;   // pixel values are multiplied by this ...
    QList<double> mean;           // ... then (x - mean) / std per channel;
    QList<double> std;            // one value applies to every channel
    int batchSize = 64;
    int topk = 5;
    bool raw = false;             // outputs as columns even when they look like class scores
    QStringList labels;           // class names; empty: class ids
    QStringList columns;          // CSV inputs: the columns to use, in order; empty: all
    QString device = QStringLiteral("cpu");  // a checked name: where the model runs
};

// The predictions as a table: a header row and one row per sample.
struct PredictTable
{
    QStringList header;
    QList<QStringList> rows;
};

// Runs a TorchScript model over images, image folders, CSV rows and tensors
// saved with torch.save, in batches, without gradients. Shared by `kiln
// predict` and (later) the inference panel; torch stays in the .cpp.
class Predictor
{
public:
    Predictor();
    ~Predictor();
    Predictor(const Predictor &) = delete;
    Predictor &operator=(const Predictor &) = delete;

    // Loads the model (the user's own file) and puts it in eval mode.
    bool load(const QString &modelPath, QString *error);

    // The input the model's first layer wants, e.g. "[N,1,H,W]" or "[N,784]";
    // empty when it cannot be told from the first parameter.
    QString expectedShape() const;

    // The forward's argument names, after self ("x", "y", ...).
    QStringList inputNames() const;
    // For models with several inputs: the files (CSV or torch.save tensors,
    // loaded whole) for the second argument on; predict() reads the first.
    bool setExtraInputs(const QStringList &files, QString *error);

    // Folders become their image files, sorted by name.
    static QStringList expandInputs(const QStringList &inputs, QString *error);

    // Called after each batch with the samples done so far and the total.
    using Progress = std::function<void(qint64 done, qint64 total)>;

    // Runs every input through the model. On failure, `error` gets one line.
    bool predict(const QStringList &inputs, const PredictOptions &options, PredictTable *table,
                 QString *error, const Progress &progress = {});

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace kiln
