#include "trainer.h"

#include "builtinmodels.h"
#include "luasession.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace kiln::Trainer {

namespace {

QString luaString(const QString &text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
        .replace(QLatin1Char('"'), QLatin1String("\\\""))
        .replace(QLatin1Char('\n'), QLatin1String("\\n"))
        .replace(QLatin1Char('\r'), QLatin1String("\\r"));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString luaNumber(double value)
{
    return QString::number(value, 'g', 17);
}

bool isImageData(const QString &data)
{
    return data == QLatin1String("fashion-mnist");
}

// Reads the data into train_ds / val_ds and reports its shape as an "@data" line.
// CSV classification: a text target, or integers with few distinct values
// (remapped to class ids 0..K-1); anything else is regression.
QString dataProgram(const TrainOptions &options)
{
    if (isImageData(options.data)) {
        return QStringLiteral(
                   "torch.manual_seed(%1)\n"
                   "train_ds = datasets.fashion_mnist(\"train\")\n"
                   "val_ds = datasets.fashion_mnist(\"test\")\n"
                   "task = \"classification\"\n"
                   "print(string.format(\"@data task=classification features=784 classes=%d train=%d val=%d\",\n"
                   "  #train_ds.classes, #train_ds, #val_ds))\n")
            .arg(options.seed);
    }
    return QStringLiteral(
               "torch.manual_seed(%1)\n"
               "local x, y, info = data.read_csv(%2, {target = %3})\n"
               "local classes = info.classes and #info.classes or 0\n"
               "if classes == 0 and y:ne(y:round()):sum():item() == 0 then\n"
               "  local values = y:unique():tolist()\n"
               "  if #values >= 2 and #values <= 20 then\n"
               "    local ids = y:long() * 0\n"
               "    for i, value in ipairs(values) do ids = ids:masked_fill(y:eq(value), i - 1) end\n"
               "    y, classes = ids, #values\n"
               "  end\n"
               "end\n"
               "task = classes > 0 and \"classification\" or \"regression\"\n"
               "if task == \"regression\" then y = y:float() end\n"
               "local val_fraction = %4\n"
               "local n = x:size(0)\n"
               "local n_val = math.floor(n * val_fraction + 0.5)\n"
               "if n_val < 1 or n - n_val < 1 then\n"
               "  error(string.format(\"%d rows are too few to keep %d%% for validation\", n, math.floor(val_fraction * 100 + 0.5)), 0)\n"
               "end\n"
               "train_ds, val_ds = data.split(data.TensorDataset(x, y), {n - n_val, n_val}, %1)\n"
               "-- Standardize with the training part's statistics only; constant columns stay as they are.\n"
               "x_mean = train_ds.x:mean(0)\n"
               "x_std = n - n_val > 1 and train_ds.x:std(0) or torch.ones(x:size(1))\n"
               "x_std = x_std:masked_fill(x_std:lt(1e-8), 1)\n"
               "if task == \"regression\" then\n"
               "  y_mean = train_ds.y:mean():item()\n"
               "  y_std = n - n_val > 1 and train_ds.y:std():item() or 1\n"
               "  if y_std < 1e-8 then y_std = 1 end\n"
               "end\n"
               "print(string.format(\"@data task=%s features=%d classes=%d train=%d val=%d\",\n"
               "  task, x:size(1), classes, #train_ds, #val_ds))\n")
        .arg(options.seed)
        .arg(luaString(QFileInfo(options.data).absoluteFilePath()), luaString(options.target),
             luaNumber(options.valSplit));
}

// Wraps the network so that the saved model takes raw features (and, for
// regression, gives values in the target's units): `kiln predict` on the
// CSV's columns then needs no preprocessing.
const char *kWrapperProgram = R"(
local Standardized = class("Standardized", nn.Module)
function Standardized:init(net, mean, std, y_mean, y_std)
  self.net = net
  self:register_buffer("x_mean", mean)
  self:register_buffer("x_std", std)
  self.y_mean, self.y_std = y_mean, y_std
end
function Standardized:scores(x)
  return self.net((x - self.x_mean) / self.x_std)
end
function Standardized:forward(x)
  local out = self:scores(x)
  if self.y_mean then out = out * self.y_std + self.y_mean end
  return out
end
model = Standardized(model, x_mean, x_std, y_mean, y_std)
)";

// The optimizer the options name, with their learning rate and weight decay.
QString optimizerCode(const TrainOptions &options)
{
    const QString lr = luaNumber(options.lr), decay = luaNumber(options.weightDecay);
    if (options.optimizer == QLatin1String("sgd"))
        return QStringLiteral("optim.SGD(model:parameters(), {lr = %1, momentum = 0.9, weight_decay = %2})").arg(lr, decay);
    if (options.optimizer == QLatin1String("adamw"))
        return QStringLiteral("optim.AdamW(model:parameters(), {lr = %1, weight_decay = %2})").arg(lr, decay);
    return QStringLiteral("optim.Adam(model:parameters(), {lr = %1, weight_decay = %2})").arg(lr, decay);
}

} // namespace

QString stateDictPath(const QString &modelPath)
{
    QString base = QFileInfo(modelPath).absoluteFilePath();
    if (base.endsWith(QLatin1String(".pt")))
        base.chop(3);
    return base + QStringLiteral(".state_dict.pt");
}

namespace {

// The loop: Adam, per-epoch training loss and validation metrics as "@epoch"
// lines; the best validation state is copied and restored at the end.
QString trainProgram(const TrainOptions &options, bool csv)
{
    QString program;
    if (csv)
        program += QString::fromLatin1(kWrapperProgram);
    program += QStringLiteral(
        "local wrapped = %4\n"
        "local scores = wrapped and function(x) return model:scores(x) end or function(x) return model(x) end\n"
        "local epochs, batch_size = %1, %2\n"
        "local learning_rate = %3\n"
        "local opt = %5\n"
        "local schedule = %6\n"
        "local patience, since_best = %7, 0\n"
        "local function loss_of(x, y)\n"
        "  if task == \"classification\" then return F.cross_entropy(scores(x), y) end\n"
        "  return F.mse_loss(scores(x):view(-1), (y - y_mean) / y_std)\n"
        "end\n"
        "local function validate()\n"
        "  model:eval()\n"
        "  local out = torch.no_grad(function()\n"
        "    local parts = {}\n"
        "    for x in data.batches(val_ds, {batch_size = 1000}) do parts[#parts + 1] = model(x) end\n"
        "    return torch.cat(parts)\n"
        "  end)\n"
        "  model:train()\n"
        "  if task == \"classification\" then\n"
        "    local accuracy = metrics.accuracy(out, val_ds.y)\n"
        "    return accuracy, string.format(\"val_accuracy=%.6f\", accuracy)\n"
        "  end\n"
        "  local y, pred = val_ds.y, out:view(-1)\n"
        "  local mae = (pred - y):abs():mean():item()\n"
        "  local total = (y - y:mean()):pow(2):sum():item()\n"
        "  local r2 = total > 0 and 1 - (pred - y):pow(2):sum():item() / total or 0\n"
        "  return r2, string.format(\"val_mae=%.6g val_r2=%.6f\", mae, r2)\n"
        "end\n"
        "local best_score, best_state, best_epoch = -math.huge, nil, 0\n"
        "local step = 0\n"
        "model:train()\n"
        "for epoch = 1, epochs do\n"
        "  local total, count = 0, 0\n"
        "  for x, y in data.batches(train_ds, {batch_size = batch_size, shuffle = true}) do\n"
        "    local loss = loss_of(x, y)\n"
        "    opt:zero_grad()\n"
        "    loss:backward()\n"
        "    opt:step()\n"
        "    step = step + 1\n"
        "    local n, value = x:size(0), loss:item()\n"
        "    total, count = total + value * n, count + n\n"
        "    if step % 10 == 0 then print(string.format(\"@step %d loss=%.6g\", step, value)) end\n"
        "  end\n"
        "  local score, text = validate()\n"
        "  print(string.format(\"@epoch %d step=%d train_loss=%.6g %s\", epoch, step, total / math.max(count, 1), text))\n"
        "  if schedule then schedule:step() end\n"
        "  if score > best_score then\n"
        "    best_score, best_epoch, best_state, since_best = score, epoch, {}, 0\n"
        "    for name, tensor in pairs(model:state_dict()) do best_state[name] = tensor:clone() end\n"
        "  else\n"
        "    since_best = since_best + 1\n"
        "    if patience > 0 and since_best >= patience then print(string.format(\"@stopped %d\", epoch)) break end\n"
        "  end\n"
        "end\n"
        "if best_state then model:load_state_dict(best_state) end\n"
        "model:eval()\n"
        "print(string.format(\"@best %d\", best_epoch))\n"
        "if task == \"classification\" then\n"
        "  local out = torch.no_grad(function()\n"
        "    local parts = {}\n"
        "    for x in data.batches(val_ds, {batch_size = 1000}) do parts[#parts + 1] = model(x) end\n"
        "    return torch.cat(parts)\n"
        "  end)\n"
        "  local rows = {}\n"
        "  for _, row in ipairs(metrics.confusion_matrix(out, val_ds.y, out:size(1)):tolist()) do rows[#rows + 1] = table.concat(row, \",\") end\n"
        "  print(\"@confusion \" .. table.concat(rows, \";\"))\n"
        "end\n")
                   .arg(options.epochs)
                   .arg(options.batchSize)
                   .arg(luaNumber(options.lr))
                   .arg(csv ? QStringLiteral("true") : QStringLiteral("false"))
                   .arg(optimizerCode(options))
                   .arg(options.schedule == QLatin1String("cosine")
                            ? QStringLiteral("optim.lr_scheduler.CosineAnnealingLR(opt, {T_max = %1})").arg(options.epochs)
                            : QStringLiteral("nil"))
                   .arg(qMax(0, options.patience));
    if (!options.out.isEmpty()) {
        const QString example = csv ? QStringLiteral("torch.zeros(1, train_ds.x:size(1))")
                                    : QStringLiteral("torch.zeros(1, 1, 28, 28)");
        program += QStringLiteral("torch.jit.trace(model, %1):save(%2)\n")
                       .arg(example, luaString(QFileInfo(options.out).absoluteFilePath()));
        // The weights as a state dict too, for PyTorch's load_state_dict.
        program += QStringLiteral("torch.save(model:state_dict(), %1)\n").arg(luaString(stateDictPath(options.out)));
    }
    return program;
}

// "key=value key=value" after the first words of an "@" line.
QMap<QString, QString> fields(const QStringList &words)
{
    QMap<QString, QString> result;
    for (const QString &word : words) {
        const qsizetype equals = word.indexOf(QLatin1Char('='));
        if (equals > 0)
            result.insert(word.left(equals), word.mid(equals + 1));
    }
    return result;
}

// Lua errors come as "chunk:line: message"; the message alone reads better on a command line.
QString errorLine(const ErrorInfo &error)
{
    static const QRegularExpression location(QStringLiteral("^[^\\n:]*:\\d+: "));
    QString message = error.message;
    message.remove(location);
    return message.section(QLatin1Char('\n'), 0, 0).trimmed();
}

} // namespace

bool parseEpochLine(const QString &line, EpochReport *report)
{
    const QStringList words = line.simplified().split(QLatin1Char(' '));
    if (words.size() < 2 || words.constFirst() != QLatin1String("@epoch"))
        return false;
    bool ok = false;
    EpochReport parsed;
    parsed.epoch = words.at(1).toInt(&ok);
    if (!ok)
        return false;
    const QMap<QString, QString> values = fields(words.mid(2));
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        if (it.key() == QLatin1String("step")) {
            parsed.step = it.value().toInt();
            continue;
        }
        const double value = it.value().toDouble(&ok);
        if (ok)
            parsed.metrics.insert(it.key(), value);
    }
    *report = parsed;
    return true;
}

QString notebookCode(const TrainOptions &options, const TrainResult &result)
{
    TrainOptions plain = options;
    plain.out.clear();
    const bool csv = !isImageData(options.data);
    BuiltinModels::Architecture architecture =
        BuiltinModels::architecture(options.model.isEmpty() ? (csv ? QStringLiteral("mlp") : QStringLiteral("lenet")) : options.model);
    for (BuiltinModels::Hyperparameter &parameter : architecture.hyperparameters) {
        if (parameter.name == QLatin1String("inputs"))
            parameter.value = result.features;
        else if (parameter.name == QLatin1String("outputs") || parameter.name == QLatin1String("classes"))
            parameter.value = result.classes > 0 ? result.classes : 1;
        else if (parameter.name == QLatin1String("channels"))
            parameter.value = 1;
        else if (parameter.name == QLatin1String("size"))
            parameter.value = 28;
    }
    const auto cell = [](const QString &code) { return QStringLiteral("```lua\n%1\n```\n\n").arg(code.trimmed()); };
    return QStringLiteral("## Training %1\n\nThe data: read, split with seed %2 and standardized.\n\n")
               .arg(QFileInfo(options.data).fileName())
               .arg(options.seed)
        + cell(dataProgram(plain)) + QStringLiteral("The model.\n\n") + cell(BuiltinModels::code(architecture))
        + QStringLiteral("Training: Adam, %1 epochs; the best epoch's weights are kept.\n\n").arg(options.epochs)
        + cell(trainProgram(plain, csv));
}

QString metricsCsv(const QString &run, const QList<EpochReport> &epochs)
{
    QString csv = QStringLiteral("run,epoch,step,metric,value\n");
    QString name = run;
    if (name.contains(QLatin1Char(',')) || name.contains(QLatin1Char('"')))
        name = QLatin1Char('"') + name.replace(QLatin1Char('"'), QLatin1String("\"\"")) + QLatin1Char('"');
    for (const EpochReport &report : epochs) {
        for (auto it = report.metrics.cbegin(); it != report.metrics.cend(); ++it)
            csv += QStringLiteral("%1,%2,%3,%4,%5\n")
                       .arg(name)
                       .arg(report.epoch)
                       .arg(report.step)
                       .arg(it.key(), QString::number(it.value(), 'g', 8));
    }
    return csv;
}

TrainResult train(const TrainOptions &options, const std::function<void(const EpochReport &)> &onEpoch,
                  const std::function<void(const QString &)> &onLog, std::shared_ptr<std::atomic<bool>> interrupt,
                  const std::function<void(int step, double loss)> &onStep)
{
    TrainResult result;
    const bool csv = !isImageData(options.data);
    const QString modelId = options.model.isEmpty() ? (csv ? QStringLiteral("mlp") : QStringLiteral("lenet"))
                                                    : options.model;
    BuiltinModels::Architecture architecture = BuiltinModels::architecture(modelId);
    if (architecture.id.isEmpty()) {
        result.error = QStringLiteral("unknown model '%1'").arg(modelId);
        return result;
    }
    const bool imageModel = modelId == QLatin1String("lenet") || modelId == QLatin1String("resnet");
    if (modelId != QLatin1String("mlp") && !imageModel) {
        result.error = QStringLiteral("model '%1' cannot be trained by kiln train yet (mlp, lenet and resnet can)").arg(modelId);
        return result;
    }
    if (csv && imageModel) {
        result.error = QStringLiteral("model '%1' takes images; CSV data needs --model mlp").arg(modelId);
        return result;
    }

    // Lines the program prints: "@" lines are for the engine, the rest is passed on.
    QString pending;
    QMap<QString, QString> dataInfo;
    const auto onLine = [&](const QString &line) {
        EpochReport report;
        if (parseEpochLine(line, &report)) {
            result.epochs.append(report);
            if (onEpoch)
                onEpoch(report);
        } else if (line.startsWith(QLatin1String("@data "))) {
            dataInfo = fields(line.split(QLatin1Char(' ')).mid(1));
        } else if (line.startsWith(QLatin1String("@best "))) {
            result.bestEpoch = line.mid(6).trimmed().toInt();
        } else if (line.startsWith(QLatin1String("@stopped "))) {
            if (onLog)
                onLog(QStringLiteral("stopped early after epoch %1: no better validation for %2 epochs")
                          .arg(line.mid(9).trimmed())
                          .arg(options.patience));
        } else if (line.startsWith(QLatin1String("@step "))) {
            // "@step 120 loss=0.41": the per-step training loss, for live plots.
            const QStringList words = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            if (onStep && words.size() >= 3)
                onStep(words.at(1).toInt(), words.at(2).section(QLatin1Char('='), 1).toDouble());
        } else if (line.startsWith(QLatin1String("@confusion "))) {
            for (const QString &row : line.mid(11).split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
                QList<qint64> counts;
                for (const QString &count : row.split(QLatin1Char(',')))
                    counts.append(count.toLongLong());
                result.confusion.append(counts);
            }
        } else if (onLog) {
            onLog(line);
        }
    };
    const auto sink = [&](const OutputItem &item) {
        if (item.kind != OutputItem::Kind::Text)
            return;  // the model code's final expression, shown in notebooks
        pending += item.text;
        qsizetype newline;
        while ((newline = pending.indexOf(QLatin1Char('\n'))) >= 0) {
            const QString line = pending.left(newline);
            pending.remove(0, newline + 1);
            onLine(line);
        }
    };
    if (!interrupt)
        interrupt = std::make_shared<std::atomic<bool>>(false);
    LuaSession session(interrupt, sink);
    session.setNotebookDirectory(QDir::currentPath());

    const auto runStage = [&](const QString &code, const QString &label) {
        const EvalResult evaluation = session.evaluate(code, label);
        if (!pending.isEmpty()) {
            onLine(pending);
            pending.clear();
        }
        if (evaluation.status == EvalResult::Status::Ok)
            return true;
        result.error = evaluation.status == EvalResult::Status::Error ? errorLine(evaluation.error)
                                                                      : QStringLiteral("interrupted");
        return false;
    };

    if (!runStage(dataProgram(options), QStringLiteral("train-data")))
        return result;
    result.task = dataInfo.value(QStringLiteral("task"));
    result.features = dataInfo.value(QStringLiteral("features")).toInt();
    result.classes = dataInfo.value(QStringLiteral("classes")).toInt();

    // The model's inputs and outputs follow the data.
    for (BuiltinModels::Hyperparameter &parameter : architecture.hyperparameters) {
        if (parameter.name == QLatin1String("inputs"))
            parameter.value = result.features;
        else if (parameter.name == QLatin1String("outputs") || parameter.name == QLatin1String("classes"))
            parameter.value = result.classes > 0 ? result.classes : 1;
        else if (parameter.name == QLatin1String("channels"))
            parameter.value = 1;
        else if (parameter.name == QLatin1String("size"))
            parameter.value = 28;
    }
    if (!runStage(BuiltinModels::code(architecture), QStringLiteral("train-model")))
        return result;
    if (!runStage(trainProgram(options, csv), QStringLiteral("train-loop")))
        return result;

    for (const EpochReport &report : std::as_const(result.epochs)) {
        if (report.epoch == result.bestEpoch)
            result.best = report.metrics;
    }
    result.ok = true;
    return result;
}

} // namespace kiln::Trainer
