// `kiln predict`: the command line around Predictor.
#include "cli/cli.h"
#include "cli/cli_p.h"
#include "document/plotrender.h"
#include "engines/predictor.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QSaveFile>

#include <cstdio>
#include <unistd.h>

namespace kiln::cli {

namespace {

int predictUsageError(const QString &message)
{
    return usageError(message, QStringLiteral("predict"));
}

int failure(const QString &message)
{
    writeTo(stderr, QStringLiteral("kiln predict: %1\n").arg(message));
    return ExitFailed;
}

bool parseNumbers(const QString &text, QList<double> *values)
{
    values->clear();
    for (const QString &part : text.split(QLatin1Char(','))) {
        bool ok = false;
        const double value = part.trimmed().toDouble(&ok);
        if (!ok)
            return false;
        values->append(value);
    }
    return !values->isEmpty();
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
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
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
    const QCommandLineOption helpOption({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show help."));
    parser.addOptions({labelsOption, topkOption, csvOption, batchOption, sizeOption, grayOption, rgbOption,
                       scaleOption, meanOption, stdOption, rawOption, helpOption});
    parser.addOptions(engineOptions());
    if (!parser.parse(QStringList(QStringLiteral("kiln predict")) + arguments))
        return predictUsageError(parser.errorText());
    if (parser.isSet(helpOption)) {
        writeTo(stdout, usage());
        return ExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() < 2)
        return predictUsageError(positional.isEmpty() ? QStringLiteral("which model?") : QStringLiteral("which inputs?"));

    PredictOptions options;
    if (const int status = applyEngineOptions(parser, QStringLiteral("predict"), &options.device))
        return status;
    auto positiveInt = [&parser](const QCommandLineOption &option, int *value) {
        if (!parser.isSet(option))
            return true;
        bool ok = false;
        *value = parser.value(option).toInt(&ok);
        return ok && *value > 0;
    };
    if (!positiveInt(topkOption, &options.topk))
        return predictUsageError(QStringLiteral("--topk wants a positive whole number, got '%1'").arg(parser.value(topkOption)));
    if (!positiveInt(batchOption, &options.batchSize))
        return predictUsageError(QStringLiteral("--batch-size wants a positive whole number, got '%1'").arg(parser.value(batchOption)));
    if (parser.isSet(sizeOption)) {
        const QStringList parts = parser.value(sizeOption).toLower().split(QLatin1Char('x'));
        bool okH = false, okW = false;
        const int height = parts.size() == 2 ? parts.at(0).toInt(&okH) : 0;
        const int width = parts.size() == 2 ? parts.at(1).toInt(&okW) : 0;
        if (!okH || !okW || height <= 0 || width <= 0)
            return predictUsageError(QStringLiteral("--size wants HxW such as 28x28, got '%1'").arg(parser.value(sizeOption)));
        options.size = QSize(width, height);
    }
    if (parser.isSet(grayOption) && parser.isSet(rgbOption))
        return predictUsageError(QStringLiteral("--grayscale or --rgb, not both"));
    if (parser.isSet(grayOption))
        options.color = PredictOptions::Color::Grayscale;
    if (parser.isSet(rgbOption))
        options.color = PredictOptions::Color::Rgb;
    options.raw = parser.isSet(rawOption);
    if (parser.isSet(scaleOption)) {
        bool ok = false;
        options.scale = parser.value(scaleOption).toDouble(&ok);
        if (!ok)
            return predictUsageError(QStringLiteral("--scale wants a number, got '%1'").arg(parser.value(scaleOption)));
    }
    if (parser.isSet(meanOption) && !parseNumbers(parser.value(meanOption), &options.mean))
        return predictUsageError(QStringLiteral("--mean wants numbers such as 0.5,0.5,0.5, got '%1'").arg(parser.value(meanOption)));
    if (parser.isSet(stdOption)) {
        if (!parseNumbers(parser.value(stdOption), &options.std) || options.std.contains(0.0))
            return predictUsageError(QStringLiteral("--std wants non-zero numbers such as 0.25,0.25,0.25, got '%1'").arg(parser.value(stdOption)));
    }
    if (parser.isSet(labelsOption)) {
        QFile file(parser.value(labelsOption));
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
    if (parser.isSet(csvOption)) {
        QSaveFile file(parser.value(csvOption));
        if (!file.open(QIODevice::WriteOnly) || file.write(csv) != csv.size() || !file.commit())
            return failure(QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()));
    } else {
        std::fwrite(csv.constData(), 1, size_t(csv.size()), stdout);
        std::fflush(stdout);
    }
    return ExitOk;
}

} // namespace kiln::cli
