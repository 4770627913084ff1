#include "readers/modelinspect.h"

#include "luaapi/exceptionmessage.h"

#include <ATen/DeviceAccelerator.h>

#include <QJsonArray>

#include <algorithm>
#include <chrono>

#include "readers/modelfiles_p.h"
#include "readers/pt2archive_p.h"

#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/serialization/import.h>

#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QRegularExpression>

#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace kiln {

namespace {

[[noreturn]] void fail(const std::string &message)
{
    throw std::runtime_error(message);
}

} // namespace

QString dtypeName(at::ScalarType type)
{
    switch (type) {
    case at::kFloat: return QStringLiteral("float32");
    case at::kDouble: return QStringLiteral("float64");
    case at::kHalf: return QStringLiteral("float16");
    case at::kBFloat16: return QStringLiteral("bfloat16");
    case at::kLong: return QStringLiteral("int64");
    case at::kInt: return QStringLiteral("int32");
    case at::kShort: return QStringLiteral("int16");
    case at::kChar: return QStringLiteral("int8");
    case at::kByte: return QStringLiteral("uint8");
    case at::kBool: return QStringLiteral("bool");
    case at::kComplexFloat: return QStringLiteral("complex64");
    case at::kComplexDouble: return QStringLiteral("complex128");
    default: return QString::fromStdString(c10::toString(type)).toLower();
    }
}

// TorchScript names carry a "__torch__." prefix and "___torch_mangle_N." parts
// that say nothing to a reader.
QString readableTypeName(const std::string &name)
{
    static const QRegularExpression mangle(QStringLiteral("___torch_mangle_\\d+\\."));
    QString text = QString::fromStdString(name);
    text.remove(mangle);
    text.remove(QStringLiteral("__torch__."));
    return text;
}

void addTensor(ModelSummary &summary, const std::string &name, at::IntArrayRef sizes, at::ScalarType dtype, bool buffer)
{
    ModelSummary::Tensor tensor;
    tensor.name = QString::fromStdString(name);
    tensor.numel = 1;
    for (int64_t size : sizes) {
        tensor.shape.append(size);
        tensor.numel *= size;
    }
    tensor.dtype = dtypeName(dtype);
    tensor.isBuffer = buffer;
    summary.totalParameters += tensor.numel;
    summary.totalBytes += tensor.numel * qint64(c10::elementSize(dtype));
    summary.tensors.append(tensor);
}

namespace {

// A state dict names no module types: each dotted prefix becomes a module whose
// type is guessed from its own tensors ("Module" when nothing fits).
void inferModules(ModelSummary &summary, const std::vector<std::pair<std::string, std::vector<int64_t>>> &tensors)
{
    std::vector<std::string> order{""};
    std::map<std::string, std::map<std::string, size_t>> own;  // module -> tensor leaf name -> rank
    for (const auto &[name, shape] : tensors) {
        const size_t dot = name.rfind('.');
        const std::string module = dot == std::string::npos ? std::string() : name.substr(0, dot);
        own[module][name.substr(dot == std::string::npos ? 0 : dot + 1)] = shape.size();
        for (size_t at = name.find('.'); at != std::string::npos && at <= module.size(); at = name.find('.', at + 1)) {
            const std::string prefix = name.substr(0, at);
            if (std::find(order.begin(), order.end(), prefix) == order.end())
                order.push_back(prefix);
        }
    }
    for (const std::string &module : order) {
        QString type = QStringLiteral("Module");
        const auto found = own.find(module);
        if (found != own.end()) {
            const auto &leaves = found->second;
            const auto weight = leaves.find("weight");
            if (leaves.count("running_mean"))
                type = QStringLiteral("BatchNorm");
            else if (weight != leaves.end()) {
                switch (weight->second) {
                case 1: type = QStringLiteral("LayerNorm"); break;
                case 2: type = leaves.count("bias") ? QStringLiteral("Linear") : QStringLiteral("Linear or Embedding"); break;
                case 3: type = QStringLiteral("Conv1d"); break;
                case 4: type = QStringLiteral("Conv2d"); break;
                case 5: type = QStringLiteral("Conv3d"); break;
                default: break;
                }
            }
        }
        summary.modules.append({QString::fromStdString(module), type});
    }
}

bool isBufferName(const std::string &name)
{
    for (const char *suffix : {"running_mean", "running_var", "num_batches_tracked"}) {
        const std::string s = suffix;
        if (name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0)
            return true;
    }
    return false;
}

// Tensors anywhere in nested dicts, lists and tuples (a checkpoint often holds
// {"model": state_dict, "epoch": 3}); other leaves become metadata.
void flatten(const c10::IValue &value, const std::string &prefix, ModelSummary &summary,
             std::vector<std::pair<std::string, std::vector<int64_t>>> &tensors, int depth = 0)
{
    if (depth > 100)
        fail("nested too deeply");
    const auto join = [&](const std::string &key) { return prefix.empty() ? key : prefix + "." + key; };
    if (value.isTensor()) {
        const at::Tensor &tensor = value.toTensor();
        addTensor(summary, prefix, tensor.sizes(), tensor.scalar_type(), isBufferName(prefix));
        tensors.emplace_back(prefix, tensor.sizes().vec());
    } else if (value.isGenericDict()) {
        for (const auto &entry : value.toGenericDict()) {
            const c10::IValue &key = entry.key();
            std::ostringstream text;
            if (key.isString())
                text << key.toStringRef();
            else
                text << key;
            flatten(entry.value(), join(text.str()), summary, tensors, depth + 1);
        }
    } else if (value.isList() || value.isTuple()) {
        const std::vector<c10::IValue> items = value.isList() ? value.toListRef().vec() : value.toTupleRef().elements().vec();
        for (size_t i = 0; i < items.size(); ++i)
            flatten(items[i], join(std::to_string(i)), summary, tensors, depth + 1);
    } else if (!value.isNone()) {
        std::ostringstream text;
        if (value.isString())
            text << value.toStringRef();
        else
            text << value;
        summary.metadata.append({QString::fromStdString(prefix), QString::fromStdString(text.str())});
    }
}

QString archiveProducer(caffe2::serialize::PyTorchStreamReader &archive)
{
    return QStringLiteral("PyTorch archive format version %1").arg(archive.version());
}

// TorchScript's extra files (torch.jit.save(..., _extra_files=...)), when short text.
void readExtraFiles(caffe2::serialize::PyTorchStreamReader &archive, ModelSummary &summary)
{
    for (const std::string &record : archive.getAllRecords()) {
        if (record.rfind("extra/", 0) != 0)
            continue;
        auto [bytes, size] = archive.getRecord(record);
        const std::string text(static_cast<const char *>(bytes.get()), std::min<size_t>(size, 4096));
        const QString name = QString::fromStdString(record.substr(6));
        const QString value = modelfiles::isUtf8(text) ? QString::fromStdString(text)
                                                       : QStringLiteral("(%1 bytes of binary data)").arg(size);
        summary.metadata.append({name, value});
        if (name == QLatin1String("producer_info.json") || name == QLatin1String("producer_info"))
            summary.producer = value.trimmed();
    }
}

void inspectTorchScript(const std::string &path, ModelSummary &summary)
{
    {
        caffe2::serialize::PyTorchStreamReader archive(path);
        summary.producer = archiveProducer(archive);
        readExtraFiles(archive, summary);
    }
    const torch::jit::Module module = torch::jit::load(path, c10::Device(c10::kCPU));
    for (const auto &child : module.named_modules()) {
        const auto name = child.value.type()->name();
        summary.modules.append({QString::fromStdString(child.name),
                                name ? readableTypeName(name->qualifiedName()) : QStringLiteral("Module")});
    }
    for (const auto &parameter : module.named_parameters(true))
        addTensor(summary, parameter.name, parameter.value.sizes(), parameter.value.scalar_type(), false);
    for (const auto &buffer : module.named_buffers(true))
        addTensor(summary, buffer.name, buffer.value.sizes(), buffer.value.scalar_type(), true);
    for (const torch::jit::Method &method : module.get_methods()) {
        std::ostringstream schema;
        schema << method.function().getSchema();
        const QString text = readableTypeName(schema.str());
        summary.methods.append({QString::fromStdString(method.name()), text});
        if (method.name() == "forward")
            summary.forward = text;
    }
}

void inspectStateDict(const std::string &path, ModelSummary &summary)
{
    caffe2::serialize::PyTorchStreamReader archive(path);
    summary.producer = archiveProducer(archive);
    const c10::IValue value = modelfiles::readCheckpoint(archive, false);
    std::vector<std::pair<std::string, std::vector<int64_t>>> tensors;
    flatten(value, "", summary, tensors);
    inferModules(summary, tensors);
}

void inspectSafetensors(const QString &path, ModelSummary &summary)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        fail("cannot open: " + file.errorString().toStdString());
    modelfiles::SafetensorsHeader header = modelfiles::readSafetensorsHeader(file);
    std::vector<std::pair<std::string, std::vector<int64_t>>> tensors;
    for (const auto &[key, value] : header.metadata) {
        summary.metadata.append({QString::fromStdString(key), QString::fromStdString(value)});
        if (key == "producer")
            summary.producer = QString::fromStdString(value);
    }
    for (const modelfiles::SafetensorsEntry &entry : header.entries) {
        addTensor(summary, entry.name, entry.shape, entry.type, isBufferName(entry.name));
        tensors.emplace_back(entry.name, entry.shape);
    }
    inferModules(summary, tensors);
}

void inspect(const QString &path, ModelSummary &summary)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        fail("cannot open: " + file.errorString().toStdString());
    summary.fileSize = file.size();
    const QByteArray head = file.read(9);
    file.close();
    if (head.isEmpty())
        fail("empty file");
    const std::string native = QFile::encodeName(path).toStdString();
    if (head.startsWith("PK\x03\x04")) {
        caffe2::serialize::PyTorchStreamReader archive(native);
        if (pt2::isPt2(archive)) {
            pt2::summarize(archive, summary);
            return;
        }
        bool code = archive.hasRecord("constants.pkl");
        for (const std::string &record : archive.getAllRecords())
            code = code || record.rfind("code/", 0) == 0;
        if (code) {
            summary.format = QStringLiteral("torchscript");
            inspectTorchScript(native, summary);
            return;
        }
        if (archive.hasRecord("data.pkl")) {
            summary.format = QStringLiteral("state_dict");
            inspectStateDict(native, summary);
            return;
        }
        fail("a zip archive without data.pkl, constants.pkl or archive_format, not a PyTorch model");
    }
    if (head.size() == 9 && head.at(8) == '{') {
        uint64_t headerSize = 0;
        for (int i = 7; i >= 0; --i)
            headerSize = (headerSize << 8) | uchar(head.at(i));
        if (headerSize >= 2 && headerSize <= uint64_t(summary.fileSize) - 8) {
            summary.format = QStringLiteral("safetensors");
            inspectSafetensors(path, summary);
            return;
        }
        fail("safetensors header length " + std::to_string(headerSize) + " is beyond the file size "
             + std::to_string(summary.fileSize));
    }
    if (modelfiles::isLegacyCheckpoint(std::string(head.constData(), size_t(head.size())))) {
        summary.format = QStringLiteral("state_dict");
        summary.producer = QStringLiteral("PyTorch legacy torch.save (before 1.6)");
        QFile whole(path);
        if (!whole.open(QIODevice::ReadOnly))
            fail("cannot open: " + whole.errorString().toStdString());
        const QByteArray bytes = whole.readAll();
        const c10::IValue value = modelfiles::readLegacyCheckpoint(std::string(bytes.constData(), size_t(bytes.size())), false);
        std::vector<std::pair<std::string, std::vector<int64_t>>> tensors;
        flatten(value, "", summary, tensors);
        inferModules(summary, tensors);
        return;
    }
    if (uchar(head.at(0)) == 0x80)
        fail("a bare pickle, not a torch.save file; Kiln reads torch.save's files (zip, or the legacy format)");
    fail("not a model file Kiln can read (expected TorchScript .pt, a PyTorch state dict, .safetensors or .pt2)");
}

} // namespace

ModelSummary inspectModel(const QString &path, QString *error)
{
    ModelSummary summary;
    summary.path = path;
    std::string message;
    try {
        inspect(path, summary);
        return summary;
    } catch (const std::exception &) {
        message = exceptionFirstLine();
    }
    if (error)
        *error = QString::fromStdString(message);
    ModelSummary failed;
    failed.path = path;
    return failed;
}

QJsonObject ModelSummary::toJson() const
{
    QJsonObject object;
    object.insert(QStringLiteral("format"), format);
    object.insert(QStringLiteral("path"), path);
    object.insert(QStringLiteral("file_size"), fileSize);
    object.insert(QStringLiteral("producer"), producer.isEmpty() ? QJsonValue() : QJsonValue(producer));
    QJsonObject meta;
    for (const auto &entry : metadata)
        meta.insert(entry.first, entry.second);
    object.insert(QStringLiteral("metadata"), meta);
    QJsonArray moduleArray;
    for (const Module &module : modules)
        moduleArray.append(QJsonObject{{QStringLiteral("name"), module.name}, {QStringLiteral("type"), module.type}});
    object.insert(QStringLiteral("modules"), moduleArray);
    QJsonArray tensorArray;
    for (const Tensor &tensor : tensors) {
        QJsonArray shape;
        for (qint64 size : tensor.shape)
            shape.append(size);
        tensorArray.append(QJsonObject{{QStringLiteral("name"), tensor.name},
                                       {QStringLiteral("shape"), shape},
                                       {QStringLiteral("dtype"), tensor.dtype},
                                       {QStringLiteral("numel"), tensor.numel},
                                       {QStringLiteral("kind"), tensor.isBuffer ? QStringLiteral("buffer") : QStringLiteral("parameter")}});
    }
    object.insert(QStringLiteral("parameters"), tensorArray);
    object.insert(QStringLiteral("total_parameters"), totalParameters);
    object.insert(QStringLiteral("total_bytes"), totalBytes);
    QJsonArray methodArray;
    for (const Method &method : methods)
        methodArray.append(QJsonObject{{QStringLiteral("name"), method.name}, {QStringLiteral("schema"), method.schema}});
    object.insert(QStringLiteral("methods"), methodArray);
    object.insert(QStringLiteral("forward"), forward.isEmpty() ? QJsonValue() : QJsonValue(forward));
    QJsonArray opArray;
    for (const auto &op : ops)
        opArray.append(QJsonObject{{QStringLiteral("op"), op.first}, {QStringLiteral("count"), op.second}});
    object.insert(QStringLiteral("ops"), opArray);
    object.insert(QStringLiteral("note"), note.isEmpty() ? QJsonValue() : QJsonValue(note));
    return object;
}

namespace {

QString humanBytes(qint64 bytes)
{
    const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = double(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    return unit == 0 ? QStringLiteral("%1 B").arg(bytes)
                     : QStringLiteral("%1 %2").arg(value, 0, 'f', 1).arg(QLatin1String(units[unit]));
}

QString padded(const QString &text, int width)
{
    return text.leftJustified(width);
}

} // namespace

QString ModelSummary::toText() const
{
    static const QMap<QString, QString> kFormats = {{QStringLiteral("torchscript"), QStringLiteral("TorchScript module")},
                                                    {QStringLiteral("state_dict"), QStringLiteral("PyTorch state dict (torch.save)")},
                                                    {QStringLiteral("safetensors"), QStringLiteral("safetensors")}};
    QString out;
    out += QStringLiteral("%1: %2, %3\n").arg(path, kFormats.value(format, format), humanBytes(fileSize));
    if (!producer.isEmpty())
        out += QStringLiteral("producer: %1\n").arg(producer);
    for (const auto &entry : metadata)
        out += QStringLiteral("metadata: %1 = %2\n").arg(entry.first, entry.second.simplified().left(200));
    if (!modules.isEmpty()) {
        out += QStringLiteral("\nModules\n");
        int width = 6;
        for (const Module &module : modules)
            width = qMax(width, int(module.name.size() + 2 * module.name.count(QLatin1Char('.'))));
        for (const Module &module : modules) {
            const int depth = module.name.isEmpty() ? 0 : int(module.name.count(QLatin1Char('.'))) + 1;
            const QString label = module.name.isEmpty() ? QStringLiteral("(root)") : module.name.section(QLatin1Char('.'), -1);
            out += QStringLiteral("  %1  %2\n").arg(padded(QString(2 * depth, QLatin1Char(' ')) + label, width + 2), module.type);
        }
    }
    if (!tensors.isEmpty()) {
        out += QStringLiteral("\nParameters and buffers\n");
        int nameWidth = 4, shapeWidth = 5;
        QStringList shapes;
        for (const Tensor &tensor : tensors) {
            QStringList sizes;
            for (qint64 size : tensor.shape)
                sizes.append(QString::number(size));
            shapes.append(QLatin1Char('[') + sizes.join(QStringLiteral(", ")) + QLatin1Char(']'));
            nameWidth = qMax(nameWidth, int(tensor.name.size()));
            shapeWidth = qMax(shapeWidth, int(shapes.last().size()));
        }
        for (int i = 0; i < tensors.size(); ++i) {
            const Tensor &tensor = tensors.at(i);
            out += QStringLiteral("  %1  %2  %3  %4%5\n")
                       .arg(padded(tensor.name, nameWidth), padded(shapes.at(i), shapeWidth), padded(tensor.dtype, 8))
                       .arg(tensor.numel, 10)
                       .arg(tensor.isBuffer ? QStringLiteral("  buffer") : QString());
        }
    }
    out += QStringLiteral("\nTotal: %1 elements in %2 tensors, %3\n")
               .arg(totalParameters)
               .arg(tensors.size())
               .arg(humanBytes(totalBytes));
    if (!forward.isEmpty())
        out += QStringLiteral("forward: %1\n").arg(forward);
    if (!methods.isEmpty()) {
        out += QStringLiteral("Methods\n");
        for (const Method &method : methods)
            out += QStringLiteral("  %1\n").arg(method.schema);
    }
    if (!ops.isEmpty()) {
        out += QStringLiteral("Ops\n");
        for (const auto &op : ops)
            out += QStringLiteral("  %1  %2\n").arg(op.second, 4).arg(op.first);
    }
    if (!note.isEmpty())
        out += QStringLiteral("note: %1\n").arg(note);
    return out;
}

} // namespace kiln

namespace kiln {

namespace {

void outputShapes(const c10::IValue &value, QJsonArray &shapes)
{
    if (value.isTensor()) {
        QJsonArray shape;
        for (int64_t size : value.toTensor().sizes())
            shape.append(qint64(size));
        shapes.append(shape);
    } else if (value.isTuple()) {
        for (const c10::IValue &element : value.toTupleRef().elements())
            outputShapes(element, shapes);
    } else if (value.isList()) {
        for (const c10::IValue &element : value.toListRef())
            outputShapes(element, shapes);
    } else if (value.isGenericDict()) {
        for (const auto &entry : value.toGenericDict())
            outputShapes(entry.value(), shapes);
    }
}

} // namespace

bool tryForward(const QString &path, const QList<QList<qint64>> &shapes, const QString &device, QJsonObject *result,
                QString *error)
{
    try {
        const c10::Device target(device.toStdString());
        torch::jit::Module module = torch::jit::load(path.toStdString(), target);
        module.eval();
        const torch::NoGradGuard noGrad;
        std::vector<c10::IValue> inputs;
        QJsonArray inputShapes;
        for (const QList<qint64> &shape : shapes) {
            inputs.emplace_back(torch::zeros(std::vector<int64_t>(shape.cbegin(), shape.cend()), target));
            QJsonArray json;
            for (qint64 size : shape)
                json.append(size);
            inputShapes.append(json);
        }
        std::vector<double> times;
        c10::IValue output;
        for (int run = 0; run < 5; ++run) {
            const auto start = std::chrono::steady_clock::now();
            output = module.forward(inputs);
            if (target.is_cuda())
                at::accelerator::synchronizeDevice(target.index());
            times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        }
        std::sort(times.begin(), times.end());
        QJsonArray outputs;
        outputShapes(output, outputs);
        *result = QJsonObject{{QStringLiteral("inputs"), inputShapes},
                              {QStringLiteral("outputs"), outputs},
                              {QStringLiteral("latency_ms"), times[times.size() / 2]}};
        return true;
    } catch (const std::exception &e) {
        // TorchScript puts its traceback first; the reason is on the RuntimeError line.
        const QString message = QString::fromUtf8(e.what());
        const qsizetype reason = message.lastIndexOf(QLatin1String("RuntimeError: "));
        *error = (reason >= 0 ? message.mid(reason + 14) : message).section(QLatin1Char('\n'), 0, 0).trimmed();
        if (error->isEmpty())
            *error = QStringLiteral("libtorch failed without saying why");
    }
    return false;
}

} // namespace kiln
