// `kiln predict`: the command line around Predictor.
#include "cli/cli.h"
#include "cli/cli_p.h"
#include "cli/commandline.h"
#include "document/plotrender.h"
#include "document/lualiteral.h"
#include "engines/predictor.h"
#include "kernel/luasession.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTemporaryDir>

#include <atomic>

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

// `kiln predict --task TASK --model SOURCE INPUT...`: a Hugging Face pipeline
// (resources/lua/kiln/hf.lua) run in a Lua session of this process. Each INPUT is
// a text, or a file of texts, one a line. text-embedding writes `input,dim_0,...`.
// What `kiln predict --task` passes on to the pipeline besides the inputs.
struct TaskOptions
{
    QString device;
    int topk = 0;                  // 0: the task's default
    QStringList candidateLabels;   // zero-shot tasks
    int maxNewTokens = 0;          // text generation; 0: the task's default
};

// The CSV columns after "input" for each task's rows.
QStringList taskColumns(const QString &task)
{
    if (task == QLatin1String("token-classification"))
        return {QStringLiteral("entity"), QStringLiteral("word"), QStringLiteral("score"), QStringLiteral("start"), QStringLiteral("stop")};
    if (task == QLatin1String("fill-mask"))
        return {QStringLiteral("token"), QStringLiteral("score"), QStringLiteral("sequence")};
    if (task == QLatin1String("text-generation"))
        return {QStringLiteral("generated_text")};
    return {QStringLiteral("label"), QStringLiteral("score")};
}

int predictTask(const QString &task, const QString &model, const QStringList &inputs, const TaskOptions &options,
                const QString &csvPath)
{
    static const QStringList kTasks = {QStringLiteral("text-embedding"), QStringLiteral("text-classification"),
                                       QStringLiteral("token-classification"), QStringLiteral("fill-mask"),
                                       QStringLiteral("zero-shot-classification"), QStringLiteral("text-generation"),
                                       QStringLiteral("image-classification"), QStringLiteral("zero-shot-image-classification")};
    if (!kTasks.contains(task))
        return failure(QStringLiteral("no task '%1' (%2)").arg(task, kTasks.join(QLatin1String(", "))));
    if (model.isEmpty())
        return usageError(QStringLiteral("--task needs --model REPO (a Hub name or a folder)"), QStringLiteral("predict"));
    const bool images = task.startsWith(QLatin1String("image")) || task == QLatin1String("zero-shot-image-classification");
    if (task.startsWith(QLatin1String("zero-shot")) && options.candidateLabels.isEmpty())
        return usageError(QStringLiteral("%1 needs --candidate-labels A,B,C").arg(task), QStringLiteral("predict"));
    // Texts come as arguments or from files, one a line; images as files.
    QStringList texts;
    for (const QString &input : inputs) {
        QFile file(input);
        if (images) {
            if (!QFileInfo(input).isFile())
                return failure(QStringLiteral("%1 is not an image file").arg(input));
            texts.append(input);
        } else if (QFileInfo(input).isFile() && file.open(QIODevice::ReadOnly)) {
            for (const QByteArray &line : file.readAll().split('\n')) {
                const QString text = QString::fromUtf8(line).trimmed();
                if (!text.isEmpty())
                    texts.append(text);
            }
        } else {
            texts.append(input);
        }
    }
    if (texts.isEmpty())
        return failure(QStringLiteral("no texts: give them as arguments or in a file, one a line"));
    QTemporaryDir scratch;
    const QString textsPath = scratch.filePath(QStringLiteral("inputs.json"));
    QFile textsFile(textsPath);
    if (!textsFile.open(QIODevice::WriteOnly) || textsFile.write(QJsonDocument(QJsonArray::fromStringList(texts)).toJson()) < 0)
        return failure(QStringLiteral("cannot write %1").arg(textsPath));
    textsFile.close();

    QStringList pipelineOptions{QStringLiteral("device = %1").arg(luaStringLiteral(options.device))};
    if (options.topk > 0 && task != QLatin1String("text-embedding") && task != QLatin1String("text-generation"))
        pipelineOptions.append(QStringLiteral("top_k = %1").arg(options.topk));
    if (task == QLatin1String("text-generation")) {
        pipelineOptions.append(QStringLiteral("stream = false"));
        if (options.maxNewTokens > 0)
            pipelineOptions.append(QStringLiteral("max_new_tokens = %1").arg(options.maxNewTokens));
    }
    QStringList labels;
    for (const QString &label : options.candidateLabels)
        labels.append(luaStringLiteral(label));

    QString printed;
    QString progress;
    LuaSession session(std::make_shared<std::atomic<bool>>(false), [&](const OutputItem &item) {
        if (item.kind == OutputItem::Kind::Text)
            (item.text.startsWith(QLatin1Char('#')) ? printed : progress) += item.text;
    });
    // Each row is "#[index, field, ...]" in JSON: the inputs themselves are
    // written by C++, quoted.
    const EvalResult result = session.evaluate(QStringLiteral(
        "local inputs = json.load(%1)\n"
        "local task, labels = %2, {%5}\n"
        "local run = pipeline(task, %3, {%4})\n"
        "local function row(...) io.write('#', json.encode({...}), '\\n') end\n"
        "if task == 'text-embedding' then\n"
        "  for i, v in ipairs(run(inputs):cpu():double():tolist()) do row(i - 1, table.unpack(v)) end\n"
        "  return\n"
        "end\n"
        "for i, input in ipairs(inputs) do\n"
        "  local out = task:match('^zero%-shot') and run(input, labels) or run(input)\n"
        "  if task == 'zero-shot-classification' then\n"
        "    for k, label in ipairs(out.labels) do row(i - 1, label, out.scores[k]) end\n"
        "  elseif task == 'text-generation' then\n"
        "    row(i - 1, (out[1] or out).generated_text)\n"
        "  else\n"
        "    if out.score then out = {out} end\n"
        "    for _, r in ipairs(out) do\n"
        "      if task == 'token-classification' then row(i - 1, r.entity_group or r.entity, r.word, r.score, r.start, r.stop)\n"
        "      elseif task == 'fill-mask' then row(i - 1, r.token_str, r.score, r.sequence)\n"
        "      else row(i - 1, r.label, r.score) end\n"
        "    end\n"
        "  end\n"
        "end\n")
                                                   .arg(luaStringLiteral(textsPath), luaStringLiteral(task), luaStringLiteral(model),
                                                        pipelineOptions.join(QLatin1String(", ")), labels.join(QLatin1String(", "))));
    if (!progress.isEmpty())
        writeTo(stderr, progress);
    if (!result.ok())
        return failure(result.error.message.section(QLatin1Char('\n'), 0, 0));
    QString csv;
    for (const QString &line : printed.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QJsonArray row = QJsonDocument::fromJson(line.mid(1).toUtf8()).array();
        if (row.isEmpty())
            continue;
        if (csv.isEmpty()) {
            QStringList header{QStringLiteral("input")};
            if (task == QLatin1String("text-embedding")) {
                for (qsizetype i = 1; i < row.size(); ++i)
                    header.append(QStringLiteral("dim_%1").arg(i - 1));
            } else {
                header += taskColumns(task);
            }
            csv = header.join(QLatin1Char(',')) + QLatin1Char('\n');
        }
        QStringList fields{PlotRender::csvField(texts.value(row.at(0).toInt()))};
        for (qsizetype i = 1; i < row.size(); ++i) {
            const QJsonValue value = row.at(i);
            fields.append(value.isDouble() ? QString::number(value.toDouble(), 'g', 9) : PlotRender::csvField(value.toVariant().toString()));
        }
        csv += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    const QByteArray bytes = csv.toUtf8();
    if (!csvPath.isEmpty()) {
        QSaveFile file(csvPath);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
            return failure(QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()));
    } else {
        std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
        std::fflush(stdout);
    }
    return ExitOk;
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
    const QCommandLineOption taskOption(QStringLiteral("task"),
                                        QStringLiteral("A Hugging Face task instead of a TorchScript model: text-embedding, "
                                                       "text-classification, token-classification, fill-mask, "
                                                       "zero-shot-classification, text-generation, image-classification, "
                                                       "zero-shot-image-classification."),
                                        QStringLiteral("TASK"));
    const QCommandLineOption modelOption(QStringLiteral("model"), QStringLiteral("With --task: a Hub name (ORG/NAME) or a folder."),
                                         QStringLiteral("SOURCE"));
    const QCommandLineOption candidatesOption(QStringLiteral("candidate-labels"),
                                              QStringLiteral("With a zero-shot --task: the labels to choose from, comma-separated."),
                                              QStringLiteral("A,B,C"));
    const QCommandLineOption newTokensOption(QStringLiteral("max-new-tokens"),
                                             QStringLiteral("With --task text-generation: tokens to generate."), QStringLiteral("N"));
    line.addOptions({labelsOption, topkOption, csvOption, batchOption, sizeOption, grayOption, rgbOption,
                     scaleOption, meanOption, stdOption, rawOption, inputOption, taskOption, modelOption, candidatesOption,
                     newTokensOption});
    if (!line.parse(arguments))
        return line.status();
    const QStringList positional = line.positionalArguments();
    if (line.isSet(taskOption)) {
        // The image and TorchScript options mean nothing to a pipeline: refused, not ignored.
        for (const QCommandLineOption *option : {&labelsOption, &batchOption, &sizeOption, &grayOption, &rgbOption, &scaleOption,
                                                 &meanOption, &stdOption, &rawOption, &inputOption}) {
            if (line.isSet(*option))
                return line.usageError(QStringLiteral("--%1 does not go with --task").arg(option->names().constFirst()));
        }
        TaskOptions options;
        if (!line.applyEngine(&options.device))
            return line.status();
        if (positional.isEmpty())
            return line.usageError(QStringLiteral("which inputs?"));
        if (line.isSet(topkOption)) {
            const auto topk = line.integer(topkOption, 1, 1000, 1);
            if (!topk)
                return line.status();
            options.topk = *topk;
        }
        if (line.isSet(newTokensOption)) {
            const auto tokens = line.integer(newTokensOption, 1, 1 << 16, 40);
            if (!tokens)
                return line.status();
            options.maxNewTokens = *tokens;
        }
        for (const QString &label : line.value(candidatesOption).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            if (!label.trimmed().isEmpty())
                options.candidateLabels.append(label.trimmed());
        }
        return predictTask(line.value(taskOption), line.value(modelOption), positional, options, line.value(csvOption));
    }
    for (const QCommandLineOption *option : {&modelOption, &candidatesOption, &newTokensOption}) {
        if (line.isSet(*option))
            return line.usageError(QStringLiteral("--%1 goes with --task").arg(option->names().constFirst()));
    }
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
