#include "engines/trainer.h"

#include "document/lualiteral.h"
#include "engines/builtinmodels.h"
#include "readers/datasetreport.h"
#include "kernel/luasession.h"
#include "engines/pausegate.h"
#include "versioninfo.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace kiln::Trainer {

namespace {

QString luaNumber(double value)
{
    return QString::number(value, 'g', 17);
}

QString luaStrings(const QStringList &list)
{
    QStringList quoted;
    for (const QString &item : list)
        quoted.append(luaStringLiteral(item));
    return QLatin1Char('{') + quoted.join(QStringLiteral(", ")) + QLatin1Char('}');
}

enum class Source { Csv, FashionMnist, ImageFolder };

Source sourceOf(const TrainOptions &options)
{
    if (options.data == QLatin1String("fashion-mnist"))
        return Source::FashionMnist;
    return isImageFolder(options.data) ? Source::ImageFolder : Source::Csv;
}

QString defaultModel(Source source)
{
    return source == Source::Csv ? QStringLiteral("mlp") : QStringLiteral("cnn");
}

QString modelOf(const TrainOptions &options)
{
    return options.model.isEmpty() ? defaultModel(sourceOf(options)) : options.model;
}

// The loss the options name, or the task's usual one.
QString lossOf(const TrainOptions &options, const QString &task)
{
    if (options.loss.isEmpty() || options.loss == QLatin1String("auto"))
        return task == QLatin1String("regression") ? QStringLiteral("mse") : QStringLiteral("cross_entropy");
    return options.loss;
}

bool isClassificationLoss(const QString &loss)
{
    return loss == QLatin1String("cross_entropy") || loss == QLatin1String("label_smoothing");
}

// Reading a CSV: the class ids of a target, the same way for the training file
// and a separate validation file (whose classes map onto the training ones).
const char *kCsvHelpers = R"(
local function class_targets(y, info, forced, names)
  if info.classes then
    if forced == "regression" then
      error(string.format("the target column '%s' holds text; regression needs numbers", info.target), 0)
    end
    if not names then return y, info.classes end
    local lookup = {}
    for i, name in ipairs(names) do lookup[name] = i - 1 end
    local map = {}
    for i, name in ipairs(info.classes) do
      if lookup[name] == nil then
        error(string.format("the validation data has a class the training data lacks: '%s'", name), 0)
      end
      map[i] = lookup[name]
    end
    return torch.tensor(map, {dtype = torch.int64}):index(0, y), names
  end
  if forced == "regression" then return y:float(), nil end
  local values = {}
  if names then
    for i, name in ipairs(names) do values[i] = tonumber(name) end
  else
    local whole = y:ne(y:round()):sum():item() == 0
    values = y:unique():tolist()
    if forced ~= "classification" and not (whole and #values >= 2 and #values <= 20) then return y:float(), nil end
    if #values > 1000 then
      error(string.format("the target column '%s' has %d distinct values, too many to treat as classes", info.target, #values), 0)
    end
    names = {}
    for i, value in ipairs(values) do names[i] = string.format("%.10g", value) end
  end
  local ids = torch.full({y:size(0)}, -1, {dtype = torch.int64})
  for i, value in ipairs(values) do ids = ids:masked_fill(y:eq(value), i - 1) end
  if ids:lt(0):any():item() then
    error("the validation data has a target value the training data lacks", 0)
  end
  return ids, names
end
)";

// Reads the data into train_ds / val_ds, sets task, class_names and input_shape,
// and reports them on "@data" and "@classes" lines.
QString dataProgram(const TrainOptions &options)
{
    QString program = QStringLiteral("torch.manual_seed(%1)\n").arg(options.seed);
    switch (sourceOf(options)) {
    case Source::FashionMnist:
        program += QStringLiteral(
            "train_ds = datasets.fashion_mnist(\"train\")\n"
            "val_ds = datasets.fashion_mnist(\"test\")\n"
            "class_names = train_ds.classes\n"
            "input_shape = {1, 28, 28}\n");
        break;
    case Source::ImageFolder:
        program += QStringLiteral(
                       "local all = datasets.image_folder(%1, {size = {%2, %2}})\n"
                       "class_names = all.classes\n"
                       "input_shape = {all.x:size(1), %2, %2}\n"
                       "local n = #all\n"
                       "local n_val = math.floor(n * %3 + 0.5)\n"
                       "if n_val < 1 or n - n_val < 1 then\n"
                       "  error(string.format(\"%d images are too few to keep %d%% for validation\", n, math.floor(%3 * 100 + 0.5)), 0)\n"
                       "end\n"
                       "train_ds, val_ds = data.split(data.TensorDataset(all.x, all.y), {n - n_val, n_val}, %4)\n")
                       .arg(luaStringLiteral(QFileInfo(options.data).absoluteFilePath()))
                       .arg(qMax(4, options.imageSize))
                       .arg(luaNumber(options.valSplit))
                       .arg(options.seed);
        break;
    case Source::Csv: {
        program += QString::fromLatin1(kCsvHelpers);
        program += QStringLiteral(
                       "local read_options = {target = %1, columns = %2, missing = \"nan\", drop_invalid = true}\n"
                       "local forced = %3\n"
                       "local x, y, info = data.read_csv(%4, read_options)\n"
                       "dropped = info.dropped\n"
                       "y, class_names = class_targets(y, info, forced)\n")
                       .arg(luaStringLiteral(options.target), luaStrings(options.features), luaStringLiteral(options.task),
                            luaStringLiteral(QFileInfo(options.data).absoluteFilePath()));
        if (options.valData.isEmpty()) {
            program += QStringLiteral(
                           "local n = x:size(0)\n"
                           "local n_val = math.floor(n * %1 + 0.5)\n"
                           "if n_val < 1 or n - n_val < 1 then\n"
                           "  error(string.format(\"%d rows are too few to keep %d%% for validation\", n, math.floor(%1 * 100 + 0.5)), 0)\n"
                           "end\n"
                           "train_ds, val_ds = data.split(data.TensorDataset(x, y), {n - n_val, n_val}, %2)\n")
                           .arg(luaNumber(options.valSplit))
                           .arg(options.seed);
        } else {
            program += QStringLiteral(
                           "local vx, vy, vinfo = data.read_csv(%1, read_options)\n"
                           "dropped = dropped + vinfo.dropped\n"
                           "vy = class_targets(vy, vinfo, class_names and \"classification\" or \"regression\", class_names)\n"
                           "train_ds, val_ds = data.TensorDataset(x, y), data.TensorDataset(vx, vy)\n")
                           .arg(luaStringLiteral(QFileInfo(options.valData).absoluteFilePath()));
        }
        program += QStringLiteral(
                       "input_shape = {x:size(1)}\n"
                       "-- Missing values become the training mean; standardizing uses the\n"
                       "-- training part's statistics only, and constant columns stay as they are.\n"
                       "local tx = train_ds.x\n"
                       "local gaps = tx:isnan()\n"
                       "missing_values = gaps:sum():item() + val_ds.x:isnan():sum():item()\n"
                       "x_fill = tx:masked_fill(gaps, 0):sum(0) / gaps:logical_not():sum(0):float():clamp(1)\n"
                       "x_mean, x_std = torch.zeros(tx:size(1)), torch.ones(tx:size(1))\n"
                       "if %1 then\n"
                       "  x_mean = x_fill\n"
                       "  if #train_ds > 1 then x_std = torch.where(gaps, x_fill, tx):std(0) end\n"
                       "  x_std = x_std:masked_fill(x_std:lt(1e-8), 1)\n"
                       "end\n"
                       "if not class_names then\n"
                       "  y_mean, y_std = 0, 1\n"
                       "  if %1 then\n"
                       "    y_mean = train_ds.y:mean():item()\n"
                       "    if #train_ds > 1 then y_std = train_ds.y:std():item() end\n"
                       "    if y_std < 1e-8 then y_std = 1 end\n"
                       "  end\n"
                       "end\n")
                       .arg(options.standardize ? QStringLiteral("true") : QStringLiteral("false"));
        break;
    }
    }
    program += QStringLiteral(
        "task = class_names and \"classification\" or \"regression\"\n"
        "local features = 1\n"
        "for _, size in ipairs(input_shape) do features = features * size end\n"
        "print(string.format(\"@data task=%s features=%d classes=%d train=%d val=%d dropped=%d missing=%d shape=%s\",\n"
        "  task, features, class_names and #class_names or 0, #train_ds, #val_ds, dropped or 0, missing_values or 0,\n"
        "  table.concat(input_shape, \"x\")))\n"
        "if class_names then\n"
        "  local names = {}\n"
        "  for i, name in ipairs(class_names) do names[i] = tostring(name):gsub(\"[\\t\\r\\n]\", \" \") end\n"
        "  print(\"@classes\\t\" .. table.concat(names, \"\\t\"))\n"
        "end\n");
    return program;
}

// Wraps the network so that the saved model takes raw features (missing ones
// as NaN) and, for regression, gives values in the target's units: `kiln
// predict` on the CSV's columns then needs no preprocessing.
const char *kWrapperProgram = R"(
local Standardized = class("Standardized", nn.Module)
function Standardized:init(net, fill, mean, std, y_mean, y_std)
  self.net = net
  self:register_buffer("x_fill", fill)
  self:register_buffer("x_mean", mean)
  self:register_buffer("x_std", std)
  self.y_mean, self.y_std = y_mean, y_std
end
function Standardized:scores(x)
  x = torch.where(x:isnan(), self.x_fill, x)
  return self.net((x - self.x_mean) / self.x_std)
end
function Standardized:forward(x)
  local out = self:scores(x)
  if self.y_mean then out = out * self.y_std + self.y_mean end
  return out
end
model = Standardized(model, x_fill, x_mean, x_std, y_mean, y_std)
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

// The loss as a Lua function of (scores, targets); regression targets are
// scaled as the scores are.
QString lossCode(const QString &loss)
{
    if (loss == QLatin1String("label_smoothing"))
        return QStringLiteral("function(out, y) return F.cross_entropy(out, y, {label_smoothing = 0.1}) end");
    if (loss == QLatin1String("cross_entropy"))
        return QStringLiteral("function(out, y) return F.cross_entropy(out, y) end");
    const QString function = loss == QLatin1String("l1") ? QStringLiteral("F.l1_loss")
        : loss == QLatin1String("huber")                 ? QStringLiteral("F.huber_loss")
                                                         : QStringLiteral("F.mse_loss");
    return QStringLiteral("function(out, y) return %1(out:view(-1), (y - y_mean) / y_std) end").arg(function);
}

// The model: a built-in architecture sized to the data, or a TorchScript file.
QString modelProgram(const TrainOptions &options, const TrainResult &data)
{
    const QString model = modelOf(options);
    if (isModelFile(model))
        return QStringLiteral("model = torch.jit.load(%1)\n").arg(luaStringLiteral(QFileInfo(model).absoluteFilePath()));
    BuiltinModels::Architecture architecture = BuiltinModels::architecture(model);
    const bool image = data.inputShape.size() == 3;
    for (BuiltinModels::Hyperparameter &parameter : architecture.hyperparameters) {
        if (parameter.name == QLatin1String("inputs"))
            parameter.value = data.features;
        else if (parameter.name == QLatin1String("outputs") || parameter.name == QLatin1String("classes"))
            parameter.value = data.classes > 0 ? data.classes : 1;
        else if (parameter.name == QLatin1String("channels") && image)
            parameter.value = data.inputShape.at(0);
        else if (parameter.name == QLatin1String("size") && image)
            parameter.value = data.inputShape.at(1);
    }
    return BuiltinModels::code(architecture) + QLatin1Char('\n');
}

// On a GPU the model and both datasets move there once (Fashion-MNIST is 190 MB),
// so batches are slices of device memory and nothing crosses the bus per step.
const char *kToDevice = R"(
if device ~= "cpu" then
  model:to(device)
  train_ds = data.TensorDataset(train_ds.x:to(device), train_ds.y:to(device))
  val_ds = data.TensorDataset(val_ds.x:to(device), val_ds.y:to(device))
end
)";

// Outputs of a model on a whole dataset, in batches, in eval mode.
const char *kPredictAll = R"(
function predict_all(ds)
  model:eval()
  local out = torch.no_grad(function()
    local parts = {}
    for x in data.batches(ds, {batch_size = 1000}) do parts[#parts + 1] = scores(x) end
    return torch.cat(parts)
  end)
  model:train()
  return out
end
)";

// The loop: per-epoch training loss (and accuracy) and validation metrics as
// "@epoch" lines; the best validation state is copied and restored at the end.
QString trainProgram(const TrainOptions &options, const TrainResult &data)
{
    const bool csv = sourceOf(options) == Source::Csv;
    const QString loss = lossOf(options, data.task);
    QString program;
    if (csv)
        program += QString::fromLatin1(kWrapperProgram);
    program += QStringLiteral(
                   "scores = %1 and function(x) return model:scores(x) end or function(x) return model(x) end\n"
                   "local epochs, batch_size = %2, %3\n"
                   "local opt = %4\n"
                   "local schedule = %5\n"
                   "local patience, since_best = %6, 0\n"
                   "local loss_fn = %7\n")
                   .arg(csv ? QStringLiteral("true") : QStringLiteral("false"))
                   .arg(options.epochs)
                   .arg(options.batchSize)
                   .arg(optimizerCode(options))
                   .arg(options.schedule == QLatin1String("cosine")
                            ? QStringLiteral("optim.lr_scheduler.CosineAnnealingLR(opt, {T_max = %1})").arg(options.epochs)
                            : QStringLiteral("nil"))
                   .arg(qMax(0, options.patience))
                   .arg(lossCode(loss));
    program += QStringLiteral("device, use_graphs = %1, %2\n")
                   .arg(luaStringLiteral(options.device), options.cudaGraphs ? QStringLiteral("true") : QStringLiteral("false"));
    program += QString::fromLatin1(kToDevice);
    program += QString::fromLatin1(kPredictAll);
    program += QStringLiteral(R"(-- The model must give one score per class (or one value) for each sample.
do
  local probe_ok, probe = pcall(function()
    return torch.no_grad(function() return scores(train_ds.x:narrow(0, 0, math.min(2, #train_ds))) end)
  end)
  if not probe_ok then
    error("the model does not take this data's inputs [N, " .. table.concat(input_shape, ", ") .. "]: "
      .. tostring(probe):match("[^\n]*"), 0)
  end
  local fits = task == "classification" and probe:dim() == 2 and probe:size(1) == #class_names
    or task == "regression" and probe:numel() == probe:size(0)
  if not fits then
    error(string.format("the model gives outputs of shape [%s]; this data needs [N, %d]",
      table.concat(probe:size(), ", "), task == "classification" and #class_names or 1), 0)
  end
end
local function validate()
  local out = predict_all(val_ds)
  local y = val_ds.y
  local loss = loss_fn(out, y):item()
  if task == "classification" then
    local accuracy = metrics.accuracy(out, y)
    return accuracy, string.format("val_loss=%.6g val_accuracy=%.6f", loss, accuracy)
  end
  local pred = out:view(-1) * y_std + y_mean
  local mae = (pred - y):abs():mean():item()
  local total = (y - y:mean()):pow(2):sum():item()
  local r2 = total > 0 and 1 - (pred - y):pow(2):sum():item() / total or 0
  return r2, string.format("val_loss=%.6g val_mae=%.6g val_r2=%.6f", loss, mae, r2)
end
local best_score, step = -math.huge, 0
best_state, best_epoch = nil, 0
model:train()
local function eager_step(x, y)
  local out = scores(x)
  local loss = loss_fn(out, y)
  opt:zero_grad()
  loss:backward()
  opt:step()
  return out, loss
end
-- A GPU step of a small model is bound by kernel launches: full batches replay
-- one CUDA graph of forward, backward and the (fused, capturable) update. The
-- last, smaller batch runs eagerly. Warm-up steps settle lazy initialisation first.
local graph, static_x, static_y, static_out, static_loss
local function capture_step(x, y)
  static_x, static_y = x:clone(), y:clone()
  -- Warm-up and capture share one side stream, as PyTorch's recipe has it: the
  -- autograd nodes made in warm-up then belong to the stream the graph captures on.
  local stream = torch.cuda.Stream()
  stream:wait_stream(torch.cuda.current_stream())
  torch.cuda.stream(stream, function()
    for _ = 1, 3 do eager_step(static_x, static_y) end
  end)
  torch.cuda.current_stream():wait_stream(stream)
  opt:zero_grad()
  local g = torch.cuda.CUDAGraph()
  local ok, message = pcall(torch.cuda.graph, g, {stream = stream}, function()
    static_out = scores(static_x)
    static_loss = loss_fn(static_out, static_y)
    static_loss:backward()
    opt:step()
  end)
  if not ok then
    print("note: training step not captured as a CUDA graph, running eagerly: " .. tostring(message):match("[^\n]*"))
    use_graphs = false
    return eager_step(x, y)
  end
  graph = g
  graph:replay()
  return static_out, static_loss
end
local function train_step(x, y)
  if graph and x:size(0) == batch_size then
    static_x:copy_(x)
    static_y:copy_(y)
    graph:replay()
    return static_out, static_loss
  end
  if use_graphs and device ~= "cpu" and not graph and x:size(0) == batch_size then return capture_step(x, y) end
  return eager_step(x, y)
end
for epoch = 1, epochs do
  -- Sums stay on the device: reading them every step would wait for the GPU.
  local total, count, correct = torch.zeros({}, {dtype = torch.float64, device = device}), 0,
    torch.zeros({}, {dtype = torch.int64, device = device})
  local started = time.perf_counter()
  for x, y in data.batches(train_ds, {batch_size = batch_size, shuffle = true}) do
    local out, loss = train_step(x, y)
    step = step + 1
    local n = x:size(0)
    total, count = total + loss:detach():double() * n, count + n
    if task == "classification" then correct = correct + out:detach():argmax(1):eq(y):sum() end
    if step % 10 == 0 then print(string.format("@step %d loss=%.6g", step, loss:item())) end
  end
  if device ~= "cpu" then
    torch.cuda.synchronize()
    print(string.format("epoch %d on %s: %.3f s of training%s", epoch, device, time.perf_counter() - started,
      graph and ", CUDA graph" or ""))
  end
  local score, text = validate()
  local train_text = string.format("train_loss=%.6g", total:item() / math.max(count, 1))
  if task == "classification" then
    train_text = train_text .. string.format(" train_accuracy=%.6f", correct:item() / math.max(count, 1))
  end
  print(string.format("@epoch %d step=%d %s %s", epoch, step, train_text, text))
  if schedule then schedule:step() end
  if score > best_score then
    best_score, best_epoch, best_state, since_best = score, epoch, {}, 0
    for name, tensor in pairs(model:state_dict()) do best_state[name] = tensor:clone() end
  else
    since_best = since_best + 1
    if patience > 0 and since_best >= patience then print(string.format("@stopped %d", epoch)) break end
  end
end
)");
    return program;
}

// After the loop, or after Stop: the best checkpoint (or, stopped within the
// first epoch, what was trained so far) goes back into the model, its confusion
// matrix is printed and it is saved.
QString finishProgram(const TrainOptions &options, const TrainResult &data)
{
    const bool csv = sourceOf(options) == Source::Csv;
    const bool scripted = isModelFile(modelOf(options));
    QString program = QStringLiteral(R"(if best_state then
  torch.no_grad(function()
    local own = model:state_dict()
    for name, tensor in pairs(best_state) do own[name]:copy_(tensor) end
  end)
end
model:eval()
print(string.format("@best %d", best_epoch))
if task == "classification" then
  local out = predict_all(val_ds)
  model:eval()
  local rows = {}
  for _, row in ipairs(metrics.confusion_matrix(out:cpu(), val_ds.y:cpu(), #class_names):tolist()) do rows[#rows + 1] = table.concat(row, ",") end
  print("@confusion " .. table.concat(rows, ";"))
end
)");
    if (!options.out.isEmpty()) {
        // Saved files are CPU models, as PyTorch users expect; map_location moves them.
        program += QStringLiteral("model:to(\"cpu\")\n");
        const QString out = luaStringLiteral(QFileInfo(options.out).absoluteFilePath());
        if (scripted && !csv) {
            // A TorchScript model keeps its own methods; its trained weights are saved with them.
            program += QStringLiteral("model:save(%1)\n").arg(out);
        } else {
            QStringList example{QStringLiteral("1")};
            for (int size : data.inputShape)
                example.append(QString::number(size));
            program += QStringLiteral("torch.jit.trace(model, torch.zeros(%1)):save(%2)\n")
                           .arg(example.join(QStringLiteral(", ")), out);
        }
        // The weights as a state dict too, for PyTorch's load_state_dict.
        program += QStringLiteral("torch.save(model:state_dict(), %1)\n").arg(luaStringLiteral(stateDictPath(options.out)));
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

// Options that cannot work, found before any data is read; empty when fine.
QString checkOptions(const TrainOptions &options)
{
    const QString model = modelOf(options);
    const Source source = sourceOf(options);
    if (isModelFile(model))
        return QString();
    if (BuiltinModels::architecture(model).id.isEmpty())
        return QStringLiteral("unknown model '%1' (mlp, cnn, lenet, resnet or a TorchScript .pt file)").arg(model);
    const bool imageModel = model == QLatin1String("cnn") || model == QLatin1String("lenet") || model == QLatin1String("resnet");
    if (model != QLatin1String("mlp") && !imageModel)
        return QStringLiteral("model '%1' cannot be trained here (mlp, cnn, lenet and resnet can, or a TorchScript file)").arg(model);
    if (source == Source::Csv && imageModel)
        return QStringLiteral("model '%1' takes images; CSV data needs mlp or a TorchScript model").arg(model);
    const QStringList losses{QStringLiteral("auto"), QStringLiteral("cross_entropy"), QStringLiteral("label_smoothing"),
                             QStringLiteral("mse"), QStringLiteral("l1"), QStringLiteral("huber")};
    if (!losses.contains(options.loss))
        return QStringLiteral("unknown loss '%1' (%2)").arg(options.loss, losses.join(QStringLiteral(", ")));
    return QString();
}

} // namespace

bool isImageFolder(const QString &data)
{
    return !data.isEmpty() && data != QLatin1String("fashion-mnist") && QFileInfo(data).isDir();
}

bool isCsvData(const QString &data)
{
    return !data.isEmpty() && data != QLatin1String("fashion-mnist") && !isImageFolder(data);
}

bool isModelFile(const QString &model)
{
    return model.contains(QLatin1Char('/')) || model.endsWith(QLatin1String(".pt")) || model.endsWith(QLatin1String(".pth"));
}

QString stateDictPath(const QString &modelPath)
{
    QString base = QFileInfo(modelPath).absoluteFilePath();
    if (base.endsWith(QLatin1String(".pt")))
        base.chop(3);
    return base + QStringLiteral(".state_dict.pt");
}

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
    if (isModelFile(modelOf(options)))
        plain.standardize = false;
    if (sourceOf(options) == Source::Csv && plain.features.isEmpty())
        plain.features = result.featureNames;
    const auto cell = [](const QString &code) { return QStringLiteral("```lua\n%1\n```\n\n").arg(code.trimmed()); };
    const QString optimizer = options.optimizer == QLatin1String("sgd") ? QStringLiteral("SGD")
        : options.optimizer == QLatin1String("adamw")                     ? QStringLiteral("AdamW")
                                                                          : QStringLiteral("Adam");
    return QStringLiteral("## Training %1\n\nThe data: read, split with seed %2%3.\n\n")
               .arg(QFileInfo(options.data).fileName())
               .arg(options.seed)
               .arg(sourceOf(options) == Source::Csv && options.standardize ? QStringLiteral(" and standardized") : QString())
        + cell(dataProgram(plain)) + QStringLiteral("The model.\n\n") + cell(modelProgram(plain, result))
        + QStringLiteral("Training: %1, %2 epochs, %3 loss; the best epoch's weights are kept.\n\n")
              .arg(optimizer)
              .arg(options.epochs)
              .arg(lossOf(options, result.task))
        + cell(trainProgram(plain, result) + finishProgram(plain, result));
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

TrainResult train(const TrainOptions &requested, const TrainCallbacks &callbacks, const TrainControl &control)
{
    TrainResult result;
    result.started = QDateTime::currentDateTime();
    QElapsedTimer clock;
    clock.start();
    const VersionInfo versions = versionInfo();
    result.versions = QStringLiteral("Kiln %1, libtorch %2, Lua %3, Qt %4").arg(versions.kiln, versions.torch, versions.lua, versions.qt);

    TrainOptions options = requested;
    result.model = modelOf(options);
    // A TorchScript model brings its own idea of its inputs (one Kiln trained
    // standardizes inside): it gets the features as they are, gaps filled.
    if (isModelFile(result.model))
        options.standardize = false;
    result.error = checkOptions(options);
    if (!result.error.isEmpty())
        return result;
    if (sourceOf(options) == Source::Csv) {
        if (options.features.contains(options.target)) {
            result.error = QStringLiteral("the target column '%1' cannot also be a feature").arg(options.target);
            return result;
        }
        if (options.features.isEmpty() && QFileInfo(options.data).isFile()) {
            const DatasetReport report = DatasetReports::analyzeCsv(options.data, options.target);
            options.features = report.features;
            // A file that cannot be read, or a missing target, is for read_csv to explain.
            if (report.error.isEmpty() && options.features.isEmpty()
                && std::any_of(report.columns.cbegin(), report.columns.cend(),
                               [&](const ColumnSummary &column) { return column.name == options.target; })) {
                result.error = QStringLiteral("no feature columns: no column other than '%1' holds only numbers").arg(options.target);
                return result;
            }
        }
    }

    // Lines the program prints: "@" lines are for the engine, the rest is passed on.
    QString pending;
    QMap<QString, QString> dataInfo;
    const auto onLine = [&](const QString &line) {
        EpochReport report;
        if (parseEpochLine(line, &report)) {
            result.epochs.append(report);
            if (callbacks.onEpoch)
                callbacks.onEpoch(report);
        } else if (line.startsWith(QLatin1String("@data "))) {
            dataInfo = fields(line.split(QLatin1Char(' ')).mid(1));
        } else if (line.startsWith(QLatin1String("@classes\t"))) {
            result.classNames = line.split(QLatin1Char('\t')).mid(1);
        } else if (line.startsWith(QLatin1String("@best "))) {
            result.bestEpoch = line.mid(6).trimmed().toInt();
        } else if (line.startsWith(QLatin1String("@stopped "))) {
            if (callbacks.onLog)
                callbacks.onLog(QStringLiteral("stopped early after epoch %1: no better validation for %2 epochs")
                                    .arg(line.mid(9).trimmed())
                                    .arg(options.patience));
        } else if (line.startsWith(QLatin1String("@step "))) {
            // "@step 120 loss=0.41": the per-step training loss, for live plots.
            const QStringList words = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            if (callbacks.onStep && words.size() >= 3)
                callbacks.onStep(words.at(1).toInt(), words.at(2).section(QLatin1Char('='), 1).toDouble());
        } else if (line.startsWith(QLatin1String("@confusion "))) {
            for (const QString &row : line.mid(11).split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
                QList<qint64> counts;
                for (const QString &count : row.split(QLatin1Char(',')))
                    counts.append(count.toLongLong());
                result.confusion.append(counts);
            }
        } else if (callbacks.onLog) {
            callbacks.onLog(line);
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
    const auto interrupt = control.interrupt ? control.interrupt : std::make_shared<std::atomic<bool>>(false);
    LuaSession session(interrupt, sink);
    session.setNotebookDirectory(QDir::currentPath());
    if (control.pause)
        session.setPauseGate(control.pause);

    const auto finish = [&]() -> TrainResult & {
        const qint64 held = control.pause ? control.pause->heldMilliseconds() : 0;
        result.seconds = double(qMax<qint64>(0, clock.elapsed() - held)) / 1000.0;
        return result;
    };
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
        return finish();
    result.task = dataInfo.value(QStringLiteral("task"));
    result.features = dataInfo.value(QStringLiteral("features")).toInt();
    result.classes = dataInfo.value(QStringLiteral("classes")).toInt();
    result.trainSamples = dataInfo.value(QStringLiteral("train")).toLongLong();
    result.valSamples = dataInfo.value(QStringLiteral("val")).toLongLong();
    result.droppedRows = dataInfo.value(QStringLiteral("dropped")).toLongLong();
    result.missingValues = dataInfo.value(QStringLiteral("missing")).toLongLong();
    for (const QString &size : dataInfo.value(QStringLiteral("shape")).split(QLatin1Char('x'), Qt::SkipEmptyParts))
        result.inputShape.append(size.toInt());
    if (sourceOf(options) == Source::Csv)
        result.featureNames = options.features;
    result.loss = lossOf(options, result.task);
    if (isClassificationLoss(result.loss) != (result.task == QLatin1String("classification"))) {
        result.error = QStringLiteral("the %1 loss does not suit %2; choose %3")
                           .arg(result.loss, result.task,
                                result.task == QLatin1String("classification") ? QStringLiteral("cross_entropy or label_smoothing")
                                                                               : QStringLiteral("mse, l1 or huber"));
        return finish();
    }
    if (callbacks.onData)
        callbacks.onData(result);

    if (!runStage(modelProgram(options, result), QStringLiteral("train-model")))
        return finish();
    if (!runStage(trainProgram(options, result), QStringLiteral("train-loop"))) {
        if (!interrupt->load())
            return finish();
        // Stop keeps what was trained: the best epoch so far is restored and saved.
        result.stopped = true;
        interrupt->store(false);
        if (control.pause)
            control.pause->resume();
    }
    const QString stopError = result.error;
    if (!runStage(finishProgram(options, result), QStringLiteral("train-finish")))
        return finish();
    result.error = stopError;

    for (const EpochReport &report : std::as_const(result.epochs)) {
        if (report.epoch == result.bestEpoch)
            result.best = report.metrics;
    }
    result.ok = !result.stopped;
    return finish();
}

} // namespace kiln::Trainer
