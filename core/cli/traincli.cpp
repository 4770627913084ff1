// `kiln train`: the command-line face of the training engine (trainer.h).
#include "cli/cli.h"
#include "cli/cli_p.h"

#include "readers/datasetreport.h"
#include "engines/trainer.h"

#include "cli/commandline.h"
#include <QFileInfo>
#include <QSaveFile>

#include <csignal>
#include <limits>
#include <unistd.h>

namespace kiln::cli {

namespace {

std::atomic<bool> *gTrainInterrupt = nullptr;
volatile std::sig_atomic_t gTrainSignals = 0;

// The first Ctrl-C stops the Lua program at its next check; a second leaves at once.
void onTrainSigint(int)
{
    if (++gTrainSignals > 1 || !gTrainInterrupt)
        _exit(ExitInterrupted);
    gTrainInterrupt->store(true);
}

QString epochLine(const EpochReport &report, int epochs)
{
    QString line = QStringLiteral("epoch %1/%2").arg(report.epoch).arg(epochs);
    const auto add = [&](const char *key, const char *label) {
        const auto it = report.metrics.constFind(QLatin1String(key));
        if (it != report.metrics.cend())
            line += QStringLiteral("  %1 %2").arg(QLatin1String(label), QString::number(*it, 'f', 4));
    };
    add("train_loss", "train loss");
    add("train_accuracy", "train accuracy");
    add("val_loss", "val loss");
    add("val_accuracy", "val accuracy");
    add("val_mae", "val MAE");
    add("val_r2", "val R2");
    return line + QLatin1Char('\n');
}

} // namespace

int train(const QStringList &arguments)
{
    CommandLine line(QStringLiteral("train"), QStringLiteral("kiln train --data DATA [--target COLUMN] [options]"));
    const QCommandLineOption dataOption(QStringLiteral("data"),
                                        QStringLiteral("A CSV file, a folder with one subfolder of images per class, or fashion-mnist."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption targetOption(QStringLiteral("target"), QStringLiteral("The CSV column to predict."), QStringLiteral("COLUMN"));
    const QCommandLineOption modelOption(QStringLiteral("model"),
                                         QStringLiteral("mlp (CSV default), cnn (images default), lenet, resnet, or a TorchScript .pt file to train."),
                                         QStringLiteral("MODEL"));
    const QCommandLineOption featuresOption(QStringLiteral("features"),
                                            QStringLiteral("Comma-separated CSV columns to learn from (default: every numeric column but the target)."),
                                            QStringLiteral("COLUMNS"));
    const QCommandLineOption taskOption(QStringLiteral("task"), QStringLiteral("auto (default), classification or regression."),
                                        QStringLiteral("TASK"), QStringLiteral("auto"));
    const QCommandLineOption lossOption(QStringLiteral("loss"),
                                        QStringLiteral("auto (default), cross_entropy, label_smoothing, mse, l1 or huber."),
                                        QStringLiteral("LOSS"), QStringLiteral("auto"));
    const QCommandLineOption valDataOption(QStringLiteral("val-data"), QStringLiteral("A CSV that validates instead of a split of --data."),
                                           QStringLiteral("FILE.csv"));
    const QCommandLineOption rawOption(QStringLiteral("no-standardize"), QStringLiteral("Keep CSV features and targets in their own units."));
    const QCommandLineOption imageSizeOption(QStringLiteral("image-size"),
                                             QStringLiteral("Image folders: resize every image to SxS (default 32)."),
                                             QStringLiteral("S"), QStringLiteral("32"));
    const QCommandLineOption epochsOption(QStringLiteral("epochs"), QStringLiteral("Passes over the data (default 10)."), QStringLiteral("N"), QStringLiteral("10"));
    const QCommandLineOption lrOption(QStringLiteral("lr"), QStringLiteral("The learning rate (default 0.001)."), QStringLiteral("X"), QStringLiteral("0.001"));
    const QCommandLineOption batchOption(QStringLiteral("batch-size"), QStringLiteral("Samples per step (default 64)."), QStringLiteral("B"), QStringLiteral("64"));
    const QCommandLineOption valOption(QStringLiteral("val-split"), QStringLiteral("Fraction kept for validation (default 0.2)."), QStringLiteral("F"), QStringLiteral("0.2"));
    const QCommandLineOption seedOption(QStringLiteral("seed"), QStringLiteral("Seed for the split, the weights and the order (default 1)."), QStringLiteral("S"), QStringLiteral("1"));
    const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Save the best model as TorchScript."), QStringLiteral("MODEL.pt"));
    const QCommandLineOption metricsOption(QStringLiteral("metrics"), QStringLiteral("Write per-epoch metrics as CSV."), QStringLiteral("METRICS.csv"));
    const QCommandLineOption optimizerOption(QStringLiteral("optimizer"), QStringLiteral("adam (default), adamw or sgd."),
                                             QStringLiteral("NAME"), QStringLiteral("adam"));
    const QCommandLineOption decayOption(QStringLiteral("weight-decay"), QStringLiteral("Weight decay (default 0)."),
                                         QStringLiteral("X"), QStringLiteral("0"));
    const QCommandLineOption scheduleOption(QStringLiteral("schedule"), QStringLiteral("none (default) or cosine."),
                                            QStringLiteral("NAME"), QStringLiteral("none"));
    const QCommandLineOption patienceOption(QStringLiteral("patience"),
                                            QStringLiteral("Stop after N epochs without a better validation (default 0: never)."),
                                            QStringLiteral("N"), QStringLiteral("0"));
    line.addOptions({dataOption, targetOption, modelOption, epochsOption, lrOption, batchOption, valOption,
                       seedOption, outOption, metricsOption, optimizerOption, decayOption, scheduleOption,
                       patienceOption, featuresOption, taskOption, lossOption, valDataOption, rawOption, imageSizeOption});
    const QCommandLineOption noGraphsOption(QStringLiteral("no-cuda-graphs"),
                                            QStringLiteral("On a GPU, run every step eagerly instead of replaying a CUDA graph."));
    line.addOption(noGraphsOption);
    if (!line.parse(arguments))
        return line.status();
    if (!line.positionalArguments().isEmpty())
        return line.usageError(QStringLiteral("unexpected argument '%1'").arg(line.positionalArguments().constFirst()));

    TrainOptions options;
    if (!line.applyEngine(&options.device))
        return line.status();
    options.cudaGraphs = !line.isSet(noGraphsOption);
    options.data = line.value(dataOption);
    if (options.data.isEmpty())
        return line.usageError(QStringLiteral("which data? --data FILE.csv or --data fashion-mnist"));
    const bool csv = Trainer::isCsvData(options.data);
    options.target = line.value(targetOption);
    if (csv && options.target.isEmpty())
        return line.usageError(QStringLiteral("--target COLUMN names the CSV column to predict"));
    options.model = line.value(modelOption);
    constexpr int kMaxInt = std::numeric_limits<int>::max();
    constexpr double kInfinity = std::numeric_limits<double>::infinity();
    const auto epochs = line.integer(epochsOption, 1);
    const auto lr = line.number(lrOption, 0, 10, CommandLine::Interval::OpenLow);
    const auto batchSize = line.integer(batchOption, 1);
    const auto valSplit = line.number(valOption, 0, 1, CommandLine::Interval::Open);
    const auto optimizer = line.choice(optimizerOption, {QStringLiteral("adam"), QStringLiteral("adamw"), QStringLiteral("sgd")});
    const auto weightDecay = line.number(decayOption, 0, kInfinity);
    const auto schedule = line.choice(scheduleOption, {QStringLiteral("none"), QStringLiteral("cosine")});
    const auto patience = line.integer(patienceOption, 0, kMaxInt);
    const auto seed = line.integer(seedOption);
    const auto task = line.choice(taskOption, {QStringLiteral("auto"), QStringLiteral("classification"), QStringLiteral("regression")});
    const auto imageSize = line.integer(imageSizeOption, 4, 1024);
    // Each check reports its own error; the first failure ends the command.
    if (!epochs || !lr || !batchSize || !valSplit || !optimizer || !weightDecay || !schedule || !patience || !seed
        || !task || !imageSize)
        return line.status();
    options.epochs = *epochs;
    options.lr = *lr;
    options.batchSize = *batchSize;
    options.valSplit = *valSplit;
    options.optimizer = *optimizer;
    options.weightDecay = *weightDecay;
    options.schedule = *schedule;
    options.patience = *patience;
    options.seed = *seed;
    options.task = *task;
    options.imageSize = *imageSize;
    options.out = line.value(outOption);
    for (const QString &column : line.value(featuresOption).split(QLatin1Char(','), Qt::SkipEmptyParts))
        options.features.append(column.trimmed());
    options.loss = line.value(lossOption);
    options.valData = line.value(valDataOption);
    if (!options.valData.isEmpty() && !csv)
        return line.usageError(QStringLiteral("--val-data goes with a CSV --data"));
    options.standardize = !line.isSet(rawOption);
    const QString metricsPath = line.value(metricsOption);

    // What the data holds, and what the user should know about it, before training.
    if (csv || Trainer::isImageFolder(options.data)) {
        const DatasetReport report = csv ? DatasetReports::analyzeCsv(options.data, options.target)
                                         : DatasetReports::analyzeImageFolder(options.data);
        if (report.error.isEmpty()) {
            if (csv && options.features.isEmpty())
                options.features = report.features;
            for (const QString &problem : report.problems)
                writeTo(stdout, QStringLiteral("note: %1\n").arg(problem));
        }
    }

    auto interrupt = std::make_shared<std::atomic<bool>>(false);
    gTrainInterrupt = interrupt.get();
    std::signal(SIGINT, onTrainSigint);
    TrainCallbacks callbacks;
    callbacks.onData = [&](const TrainResult &data) {
        QString line = QStringLiteral("%1: %2 training and %3 validation samples")
                           .arg(data.task)
                           .arg(data.trainSamples)
                           .arg(data.valSamples);
        if (data.classes > 0)
            line += QStringLiteral(", %1 classes").arg(data.classes);
        if (data.droppedRows > 0)
            line += QStringLiteral("; %1 rows skipped (missing target or text in a number column)").arg(data.droppedRows);
        if (data.missingValues > 0)
            line += QStringLiteral("; %1 missing values filled with the training mean").arg(data.missingValues);
        writeTo(stdout, line + QStringLiteral("\nloss: %1, model: %2\n").arg(data.loss, data.model));
    };
    callbacks.onEpoch = [&](const EpochReport &report) { writeTo(stdout, epochLine(report, options.epochs)); };
    callbacks.onLog = [](const QString &line) { writeTo(stdout, line + QLatin1Char('\n')); };
    TrainControl control;
    control.interrupt = interrupt;
    const TrainResult result = Trainer::train(options, callbacks, control);
    std::signal(SIGINT, SIG_DFL);
    gTrainInterrupt = nullptr;

    if (!metricsPath.isEmpty() && !result.epochs.isEmpty()) {
        const QString run = csv ? QFileInfo(options.data).completeBaseName() : options.data;
        QSaveFile file(metricsPath);
        const QByteArray bytes = Trainer::metricsCsv(run, result.epochs).toUtf8();
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
            writeTo(stderr, QStringLiteral("kiln train: cannot write %1: %2\n").arg(metricsPath, file.errorString()));
            return ExitFailed;
        }
    }
    if (result.stopped) {
        if (!options.out.isEmpty())
            writeTo(stdout, QStringLiteral("interrupted; saved the model from epoch %1 to %2\n").arg(result.bestEpoch).arg(options.out));
        writeTo(stderr, QStringLiteral("kiln train: interrupted\n"));
        return ExitInterrupted;
    }
    if (!result.ok) {
        if (interrupt->load()) {
            writeTo(stderr, QStringLiteral("kiln train: interrupted\n"));
            return ExitInterrupted;
        }
        // An unknown model is a usage error; everything else comes from the data or the run.
        const bool usage = result.error.startsWith(QLatin1String("unknown "))
            || result.error.startsWith(QLatin1String("model '"));
        writeTo(stderr, QStringLiteral("kiln train: %1\n").arg(result.error));
        return usage ? int(ExitUsage) : int(ExitFailed);
    }
    if (!options.out.isEmpty())
        writeTo(stdout, QStringLiteral("saved the model from epoch %1 to %2\n").arg(result.bestEpoch).arg(options.out));
    if (result.task == QLatin1String("classification"))
        writeTo(stdout, QStringLiteral("validation accuracy: %1\n").arg(result.best.value(QStringLiteral("val_accuracy")), 0, 'f', 4));
    else
        writeTo(stdout, QStringLiteral("validation MAE: %1 R2: %2\n")
                            .arg(result.best.value(QStringLiteral("val_mae")), 0, 'g', 4)
                            .arg(result.best.value(QStringLiteral("val_r2")), 0, 'f', 4));
    return ExitOk;
}

} // namespace kiln::cli
