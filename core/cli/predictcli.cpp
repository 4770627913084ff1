// `kiln predict`: the command line around Predictor.
#include "cli/cli.h"
#include "cli/cli_p.h"
#include "cli/commandline.h"
#include "document/plotrender.h"
#include "engines/predictor.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSaveFile>

#include <cstdio>
#include <limits>
#include <unistd.h>

namespace kiln::cli {

namespace {

int failure(const QString &message)
{
    writeTo(stderr, QStringLiteral("kiln predict: %1\n").arg(message));
    return ExitFailed;
}

QByteArray toCsv(const PredictTable &table)
{
    QString text;
    auto appendRow = [&text](const QStringList &fields) {
        for (qsizetype i = 0; i < fields.size(); ++i) {
            if (i > 0)
                text += QLatin1Char(',');
            text += PlotRender::csvField(fields.at(i));
        }
        text += QLatin1Char('\n');
    };
    appendRow(table.header);
    for (const QStringList &row : table.rows)
        appendRow(row);
    return text.toUtf8();
}

} // namespace

int predict(const QStringList &arguments)
{
    CommandLine line(QStringLiteral("predict"), QStringLiteral("kiln predict MODEL INPUT... [options]"));
    const QCommandLineOption labelsOption(QStringLiteral("labels"), QStringLiteral("Class names, one a line."), QStringLiteral("FILE"));
    const QCommandLineOption topkOption(QStringLiteral("topk"), QStringLiteral("Classes to list per input."), QStringLiteral("K"));
    const QCommandLineOption csvOption(QStringLiteral("csv"), QStringLiteral("Write the table to OUT."), QStringLiteral("OUT"));
    const QCommandLineOption batchOption(QStringLiteral("batch-size"), QStringLiteral("Samples per forward pass."), QStringLiteral("N"));
    const QCommandLineOption sizeOption(QStringLiteral("size"), QStringLiteral("Resize images to HxW."), QStringLiteral("HxW"));
    const QCommandLineOption grayOption(QStringLiteral("grayscale"), QStringLiteral("One channel."));
    const QCommandLineOption rgbOption(QStringLiteral("rgb"), QStringLiteral("Three channels."));
    const QCommandLineOption scaleOption(QStringLiteral("scale"), QStringLiteral("Multiply pixels by X."), QStringLiteral("X"));
    const QCommandLineOption meanOption(QStringLiteral("mean"), QStringLiteral("Per-channel mean."), QStringLiteral("a,b,c"));
    const QCommandLineOption stdOption(QStringLiteral("std"), QStringLiteral("Per-channel standard deviation."), QStringLiteral("a,b,c"));
    const QCommandLineOption rawOption(QStringLiteral("raw"), QStringLiteral("Outputs as columns, no softmax."));
    const QCommandLineOption inputOption(QStringLiteral("input"),
                                         QStringLiteral("For a model with several inputs: FILE (CSV or torch.save "
                                                        "tensor) feeds forward's argument NAME (or its position, "
                                                        "2, 3, ...); INPUT... feeds the first. Repeat per input."),
                                         QStringLiteral("NAME=FILE"));
    line.addOptions({labelsOption, topkOption, csvOption, batchOption, sizeOption, grayOption, rgbOption,
                     scaleOption, meanOption, stdOption, rawOption, inputOption});
    if (!line.parse(arguments))
        return line.status();
    const QStringList positional = line.positionalArguments();
    if (positional.size() < 2)
        return line.usageError(positional.isEmpty() ? QStringLiteral("which model?") : QStringLiteral("which inputs?"));

    PredictOptions options;
    if (!line.applyEngine(&options.device))
        return line.status();
    const auto topk = line.integer(topkOption, 1, std::numeric_limits<int>::max(), options.topk);
    const auto batchSize = line.integer(batchOption, 1, std::numeric_limits<int>::max(), options.batchSize);
    if (!topk || !batchSize)
        return line.status();
    options.topk = *topk;
    options.batchSize = *batchSize;
    if (line.isSet(sizeOption)) {
        const QStringList parts = line.value(sizeOption).toLower().split(QLatin1Char('x'));
        bool okH = false, okW = false;
        const int height = parts.size() == 2 ? parts.at(0).toInt(&okH) : 0;
        const int width = parts.size() == 2 ? parts.at(1).toInt(&okW) : 0;
        if (!okH || !okW || height <= 0 || width <= 0)
            return line.usageError(QStringLiteral("--size wants HxW such as 28x28, got '%1'").arg(line.value(sizeOption)));
        options.size = QSize(width, height);
    }
    if (line.isSet(grayOption) && line.isSet(rgbOption))
        return line.usageError(QStringLiteral("--grayscale or --rgb, not both"));
    if (line.isSet(grayOption))
        options.color = PredictOptions::Color::Grayscale;
    if (line.isSet(rgbOption))
        options.color = PredictOptions::Color::Rgb;
    options.raw = line.isSet(rawOption);
    const auto scale = line.number(scaleOption, -std::numeric_limits<double>::infinity(),
                                   std::numeric_limits<double>::infinity(),
                                   CommandLine::Interval::Closed, options.scale);
    const auto mean = line.numberList(meanOption);
    const auto deviation = line.numberList(stdOption, true);
    if (!scale || !mean || !deviation)
        return line.status();
    options.scale = *scale;
    if (line.isSet(meanOption))
        options.mean = *mean;
    if (line.isSet(stdOption))
        options.std = *deviation;
    if (line.isSet(labelsOption)) {
        QFile file(line.value(labelsOption));
        if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
            return failure(QStringLiteral("cannot read labels %1: %2").arg(file.fileName(), file.errorString()));
        for (const QByteArray &line : file.readAll().split('\n')) {
            const QString label = QString::fromUtf8(line).trimmed();
            if (!label.isEmpty())
                options.labels.append(label);
        }
    }

    Predictor predictor;
    QString error;
    if (!predictor.load(positional.constFirst(), &error))
        return failure(error);
    const QStringList inputNames = predictor.inputNames();
    QStringList extras(std::max<qsizetype>(0, inputNames.size() - 1));
    for (const QString &spec : line.values(inputOption)) {
        const qsizetype equals = spec.indexOf(QLatin1Char('='));
        if (equals <= 0 || equals == spec.size() - 1)
            return line.usageError(QStringLiteral("--input wants NAME=FILE, got '%1'").arg(spec));
        const QString name = spec.left(equals);
        bool isPosition = false;
        const int position = name.toInt(&isPosition);
        qsizetype index = inputNames.indexOf(name);
        if (index < 0 && isPosition && position >= 1 && (inputNames.isEmpty() || position <= inputNames.size()))
            index = position - 1;
        if (index < 0)
            return failure(QStringLiteral("the model's forward takes %1; it has no input '%2'")
                               .arg(inputNames.isEmpty() ? QStringLiteral("inputs by position") : inputNames.join(QStringLiteral(", ")), name));
        if (index == 0)
            return line.usageError(QStringLiteral("'%1' is the model's first input: give its files after the model").arg(name));
        if (extras.size() < index)
            extras.resize(index);
        extras[index - 1] = spec.mid(equals + 1);
    }
    for (qsizetype i = 0; i < extras.size(); ++i) {
        if (extras.at(i).isEmpty()) {
            const QString name = inputNames.value(i + 1, QString::number(i + 2));
            return failure(QStringLiteral("the model's forward also takes '%1': give it with --input %1=FILE").arg(name));
        }
    }
    if (!extras.isEmpty() && !predictor.setExtraInputs(extras, &error))
        return failure(error);

    // Progress only for a person watching; logs and pipes get the table alone.
    const bool showProgress = ::isatty(STDERR_FILENO) == 1;
    QElapsedTimer timer;
    timer.start();
    qint64 lastShown = -1000;
    Predictor::Progress progress;
    if (showProgress) {
        progress = [&](qint64 done, qint64 total) {
            if (done < total && timer.elapsed() - lastShown < 250)
                return;
            lastShown = timer.elapsed();
            const double seconds = std::max<qint64>(1, timer.elapsed()) / 1000.0;
            writeTo(stderr, QStringLiteral("\r%1/%2 samples, %3 samples/s  ").arg(done).arg(total).arg(qRound64(done / seconds)));
            if (done == total)
                writeTo(stderr, QStringLiteral("\n"));
        };
    }
    PredictTable table;
    if (!predictor.predict(positional.mid(1), options, &table, &error, progress)) {
        if (showProgress)
            writeTo(stderr, QStringLiteral("\n"));
        return failure(error);
    }

    const QByteArray csv = toCsv(table);
    if (line.isSet(csvOption)) {
        QSaveFile file(line.value(csvOption));
        if (!file.open(QIODevice::WriteOnly) || file.write(csv) != csv.size() || !file.commit())
            return failure(QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()));
    } else {
        std::fwrite(csv.constData(), 1, size_t(csv.size()), stdout);
        std::fflush(stdout);
    }
    return ExitOk;
}

} // namespace kiln::cli
