#include "readers/pt2archive_p.h"
#include "readers/modelinspect.h"

#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/inductor/aoti_package/model_package_loader.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QRegularExpression>

#include <cstring>
#include <dlfcn.h>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>

namespace kiln {

// modelinspect.cpp's: PyTorch's dtype names and the summary's tensor list.
QString dtypeName(at::ScalarType type);
void addTensor(ModelSummary &summary, const std::string &name, at::IntArrayRef sizes, at::ScalarType dtype, bool buffer);

namespace pt2 {

namespace {

[[noreturn]] void fail(const std::string &message)
{
    throw std::runtime_error(message);
}

std::string recordText(caffe2::serialize::PyTorchStreamReader &archive, const std::string &name)
{
    auto [data, size] = archive.getRecord(name);
    return std::string(static_cast<const char *>(data.get()), size);
}

QJsonObject recordJson(caffe2::serialize::PyTorchStreamReader &archive, const std::string &name)
{
    if (!archive.hasRecord(name))
        fail(name + " is missing");
    const std::string text = recordText(archive, name);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(text), &error);
    if (!document.isObject())
        fail(name + " is not a JSON object (" + error.errorString().toStdString() + ")");
    return document.object();
}

// torch.export's own dtype numbering (torch/_export/serde/schema.py), not c10's.
at::ScalarType exportDtype(int code)
{
    switch (code) {
    case 1: return at::kByte;
    case 2: return at::kChar;
    case 3: return at::kShort;
    case 4: return at::kInt;
    case 5: return at::kLong;
    case 6: return at::kHalf;
    case 7: return at::kFloat;
    case 8: return at::kDouble;
    case 10: return at::kComplexFloat;
    case 11: return at::kComplexDouble;
    case 12: return at::kBool;
    case 13: return at::kBFloat16;
    default: fail("unknown dtype code " + std::to_string(code) + " in the export schema");
    }
}

// A size: {"as_int": N}, or for a dynamic dim {"as_expr": {"expr_str": "Symbol('s52', ...)"}}.
QString sizeText(const QJsonValue &size)
{
    const QJsonObject object = size.toObject();
    if (object.contains(QStringLiteral("as_int")))
        return QString::number(object.value(QStringLiteral("as_int")).toInteger());
    const QString expression = object.value(QStringLiteral("as_expr")).toObject().value(QStringLiteral("expr_str")).toString();
    static const QRegularExpression symbol(QStringLiteral("Symbol\\('([^']+)'"));
    const QRegularExpressionMatch match = symbol.match(expression);
    return match.hasMatch() ? match.captured(1) : (expression.isEmpty() ? QStringLiteral("?") : expression);
}

std::vector<int64_t> intList(const QJsonArray &sizes, const std::string &what)
{
    std::vector<int64_t> result;
    for (const QJsonValue &size : sizes) {
        const QJsonObject object = size.toObject();
        if (!object.contains(QStringLiteral("as_int")))
            fail(what + " has a size that is not a number");
        const qint64 value = object.value(QStringLiteral("as_int")).toInteger(-1);
        if (value < 0)
            fail(what + " has a negative size or stride");
        result.push_back(value);
    }
    return result;
}

struct WeightEntry
{
    std::string name;
    std::string record;  // under data/weights/ or data/constants/
    at::ScalarType dtype = at::kFloat;
    std::vector<int64_t> sizes, strides;
    int64_t offset = 0;
    bool isParameter = false;
};

std::vector<WeightEntry> weightEntries(caffe2::serialize::PyTorchStreamReader &archive)
{
    std::vector<WeightEntry> entries;
    const std::pair<const char *, const char *> configs[] = {
        {"data/weights/model_weights_config.json", "data/weights/"},
        {"data/constants/model_constants_config.json", "data/constants/"}};
    for (const auto &[config, folder] : configs) {
        if (!archive.hasRecord(config))
            continue;
        const QJsonObject table = recordJson(archive, config).value(QStringLiteral("config")).toObject();
        for (auto it = table.begin(); it != table.end(); ++it) {
            const QJsonObject spec = it.value().toObject();
            const QJsonObject meta = spec.value(QStringLiteral("tensor_meta")).toObject();
            WeightEntry entry;
            entry.name = it.key().toStdString();
            if (spec.value(QStringLiteral("use_pickle")).toBool())
                fail("'" + entry.name + "' is a pickled tensor subclass, which Kiln does not read");
            entry.record = folder + spec.value(QStringLiteral("path_name")).toString().toStdString();
            entry.dtype = exportDtype(meta.value(QStringLiteral("dtype")).toInt(-1));
            entry.sizes = intList(meta.value(QStringLiteral("sizes")).toArray(), "'" + entry.name + "'");
            entry.strides = intList(meta.value(QStringLiteral("strides")).toArray(), "'" + entry.name + "'");
            entry.offset = meta.value(QStringLiteral("storage_offset")).toObject().value(QStringLiteral("as_int")).toInteger(-1);
            entry.isParameter = spec.value(QStringLiteral("is_param")).toBool();
            if (entry.sizes.size() != entry.strides.size() || entry.offset < 0)
                fail("'" + entry.name + "' has inconsistent sizes, strides or offset");
            entries.push_back(std::move(entry));
        }
    }
    return entries;
}

// The element one past the last the view reaches; checked against the file so a
// lying config cannot read beyond it (sizes and strides are bounded first).
void checkFits(const WeightEntry &entry, size_t fileBytes)
{
    const size_t element = c10::elementSize(entry.dtype);
    constexpr int64_t kLimit = int64_t(1) << 48;
    int64_t last = entry.offset;
    bool empty = false;
    for (size_t d = 0; d < entry.sizes.size(); ++d) {
        if (entry.sizes[d] > kLimit || entry.strides[d] > kLimit)
            fail("'" + entry.name + "' has an implausible size or stride");
        empty = empty || entry.sizes[d] == 0;
        if (entry.sizes[d] > 0) {
            const int64_t reach = (entry.sizes[d] - 1) * entry.strides[d];
            if (reach > kLimit - last)
                fail("'" + entry.name + "' reaches beyond any file");
            last += reach;
        }
    }
    if (!empty && uint64_t(last + 1) * element > fileBytes)
        fail("'" + entry.name + "' needs " + std::to_string(uint64_t(last + 1) * element) + " bytes of " + entry.record
             + ", which has " + std::to_string(fileBytes));
}

QString argumentName(const QJsonObject &arg)
{
    const QJsonObject tensor = arg.value(QStringLiteral("as_tensor")).toObject();
    if (!tensor.isEmpty())
        return tensor.value(QStringLiteral("name")).toString();
    return QString();
}

QString tensorText(const QJsonObject &values, const QString &name)
{
    const QJsonObject meta = values.value(name).toObject();
    QStringList sizes;
    for (const QJsonValue &size : meta.value(QStringLiteral("sizes")).toArray())
        sizes << sizeText(size);
    QString dtype = QStringLiteral("?");
    try {
        dtype = dtypeName(exportDtype(meta.value(QStringLiteral("dtype")).toInt(-1)));
    } catch (const std::exception &) {
    }
    return QStringLiteral("[%1] %2").arg(sizes.join(QStringLiteral(", ")), dtype);
}

// "key,fqn,type;key,fqn,type": commas inside brackets belong to the key.
QList<QStringList> moduleStack(const QString &text)
{
    QList<QStringList> entries;
    for (const QString &entry : text.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        QStringList parts;
        QString current;
        int depth = 0;
        for (const QChar c : entry) {
            if (c == QLatin1Char('[') || c == QLatin1Char('('))
                ++depth;
            else if (c == QLatin1Char(']') || c == QLatin1Char(')'))
                --depth;
            if (c == QLatin1Char(',') && depth == 0) {
                parts << current;
                current.clear();
            } else {
                current += c;
            }
        }
        parts << current;
        if (parts.size() == 3)
            entries << parts;
    }
    return entries;
}

void summarizeProgram(caffe2::serialize::PyTorchStreamReader &archive, ModelSummary &summary)
{
    const QJsonObject root = recordJson(archive, "models/model.json");
    const QJsonObject module = root.value(QStringLiteral("graph_module")).toObject();
    const QJsonObject graph = module.value(QStringLiteral("graph")).toObject();
    const QJsonObject values = graph.value(QStringLiteral("tensor_values")).toObject();
    summary.format = QStringLiteral("exported_program");
    const QString version = root.value(QStringLiteral("torch_version")).toString();
    summary.producer = version.isEmpty() ? QStringLiteral("torch.export") : QStringLiteral("torch.export, PyTorch %1").arg(version);

    // The forward: user inputs and outputs, with argument names where the call graph has them.
    QStringList argumentNames;
    QMap<QString, QString> types;
    for (const QJsonValue &call : module.value(QStringLiteral("module_call_graph")).toArray()) {
        const QJsonObject entry = call.toObject();
        const QString fqn = entry.value(QStringLiteral("fqn")).toString();
        if (fqn.isEmpty()) {
            for (const QJsonValue &name : entry.value(QStringLiteral("signature")).toObject().value(QStringLiteral("forward_arg_names")).toArray())
                argumentNames << name.toString();
        }
        types.insert(fqn, QString());
    }
    QStringList inputs, outputs;
    const QJsonObject signature = module.value(QStringLiteral("signature")).toObject();
    for (const QJsonValue &spec : signature.value(QStringLiteral("input_specs")).toArray()) {
        const QJsonObject user = spec.toObject().value(QStringLiteral("user_input")).toObject();
        if (user.isEmpty())
            continue;
        const QString name = argumentName(user.value(QStringLiteral("arg")).toObject());
        const QString shown = argumentNames.value(int(inputs.size()), name);
        inputs << (name.isEmpty() ? shown : QStringLiteral("Tensor %1 %2").arg(shown, tensorText(values, name)));
    }
    for (const QJsonValue &spec : signature.value(QStringLiteral("output_specs")).toArray()) {
        const QJsonObject user = spec.toObject().value(QStringLiteral("user_output")).toObject();
        if (user.isEmpty())
            continue;
        const QString name = argumentName(user.value(QStringLiteral("arg")).toObject());
        outputs << (name.isEmpty() ? QStringLiteral("value") : QStringLiteral("Tensor %1").arg(tensorText(values, name)));
    }
    summary.forward = QStringLiteral("forward(%1) -> (%2)").arg(inputs.join(QStringLiteral(", ")), outputs.join(QStringLiteral(", ")));

    // Ops, with how often each is called, and module types from the nodes' stacks.
    QMap<QString, int> ops;
    for (const QJsonValue &node : graph.value(QStringLiteral("nodes")).toArray()) {
        const QJsonObject object = node.toObject();
        QString target = object.value(QStringLiteral("target")).toString();
        target.remove(QRegularExpression(QStringLiteral("^torch\\.ops\\.")));
        ++ops[target];
        const QString stack = object.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("nn_module_stack")).toString();
        for (const QStringList &entry : moduleStack(stack))
            types.insert(entry.at(1), entry.at(2));
    }
    for (auto it = ops.cbegin(); it != ops.cend(); ++it)
        summary.ops.append({it.key(), it.value()});
    for (auto it = types.cbegin(); it != types.cend(); ++it)
        summary.modules.append({it.key(), it.value().isEmpty() ? QStringLiteral("Module") : it.value()});

    std::set<std::string> counted;
    for (const WeightEntry &entry : weightEntries(archive)) {
        if (!archive.hasRecord(entry.record))
            fail("'" + entry.name + "' names " + entry.record + ", which is missing");
        checkFits(entry, archive.getRecordSize(entry.record));
        addTensor(summary, entry.name, entry.sizes, entry.dtype, !entry.isParameter);
    }
    summary.note = QStringLiteral("an exported program: Kiln reads its weights (torch.export.load_weights) "
                                  "but runs only AOTInductor packages");
}

} // namespace

bool isPt2(caffe2::serialize::PyTorchStreamReader &archive)
{
    return archive.hasRecord("archive_format") && recordText(archive, "archive_format") == "pt2";
}

QStringList aotiModels(caffe2::serialize::PyTorchStreamReader &archive)
{
    QStringList models;
    for (const std::string &record : archive.getAllRecords()) {
        const QString name = QString::fromStdString(record);
        if (name.startsWith(QLatin1String("data/aotinductor/")) && name.endsWith(QLatin1String(".so"))) {
            const QString model = name.section(QLatin1Char('/'), 2, 2);
            if (!models.contains(model))
                models << model;
        }
    }
    return models;
}

void summarize(caffe2::serialize::PyTorchStreamReader &archive, ModelSummary &summary)
{
    for (const std::string &record : archive.getAllRecords()) {
        if (record.rfind("extra/", 0) == 0) {
            const std::string text = recordText(archive, record);
            summary.metadata.append({QString::fromStdString(record.substr(6)),
                                     text.size() <= 4096 ? QString::fromStdString(text)
                                                         : QStringLiteral("(%1 bytes)").arg(text.size())});
        }
    }
    const QStringList models = aotiModels(archive);
    if (models.isEmpty()) {
        summarizeProgram(archive, summary);
        return;
    }
    summary.format = QStringLiteral("aoti_package");
    summary.producer = QStringLiteral("AOTInductor (torch._inductor.aoti_compile_and_package)");
    summary.metadata.append({QStringLiteral("models"), models.join(QStringLiteral(", "))});
    // The compiled model's target, from its metadata JSON; nothing is loaded to read it.
    for (const std::string &record : archive.getAllRecords()) {
        if (record.rfind("data/aotinductor/", 0) != 0 || record.find("_metadata.json") == std::string::npos)
            continue;
        const QJsonObject metadata = recordJson(archive, record);
        for (const char *key : {"AOTI_DEVICE_KEY", "AOTI_CPU_ISA", "AOTI_COMPUTE_CAPABILITY", "AOTI_PLATFORM"}) {
            const QString value = metadata.value(QLatin1String(key)).toString();
            if (!value.isEmpty())
                summary.metadata.append({QString::fromLatin1(key).toLower().mid(5), value});
        }
        break;
    }
    summary.modules.append({QString(), QStringLiteral("AOTInductor compiled model")});
    summary.note = QStringLiteral("an AOTInductor package: runs with kiln predict, the inference panel and "
                                  "torch.export.load in a notebook (native code: only open packages you trust)");
}

std::vector<std::pair<std::string, at::Tensor>> loadWeights(const std::string &path)
{
    caffe2::serialize::PyTorchStreamReader archive(path);
    if (!isPt2(archive))
        fail("not a .pt2 file (no archive_format record saying pt2)");
    if (!aotiModels(archive).isEmpty())
        fail("an AOTInductor package keeps its weights inside compiled code; load_weights reads torch.export.save files");
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    std::map<std::string, at::Tensor> files;  // one storage per file: tied weights stay tied
    for (const WeightEntry &entry : weightEntries(archive)) {
        if (!archive.hasRecord(entry.record))
            fail("'" + entry.name + "' names " + entry.record + ", which is missing");
        auto found = files.find(entry.record + "|" + c10::toString(entry.dtype));
        if (found == files.end()) {
            auto [data, size] = archive.getRecord(entry.record);
            const size_t element = c10::elementSize(entry.dtype);
            at::Tensor flat = at::empty({int64_t(size / element)}, at::TensorOptions().dtype(entry.dtype));
            std::memcpy(flat.data_ptr(), data.get(), size_t(flat.numel()) * element);
            found = files.emplace(entry.record + "|" + c10::toString(entry.dtype), flat).first;
        }
        checkFits(entry, size_t(found->second.numel()) * c10::elementSize(entry.dtype));
        tensors.emplace_back(entry.name, found->second.as_strided(entry.sizes, entry.strides, entry.offset));
    }
    return tensors;
}

std::string notRunnableMessage()
{
    return "a torch.export program (.pt2) without compiled code: Kiln runs AOTInductor packages; make one with "
           "torch._inductor.aoti_compile_and_package(torch.export.export(model, example_inputs), "
           "package_path=\"model.pt2\"), or read this file's weights with torch.export.load_weights";
}

std::unique_ptr<torch::inductor::AOTIModelPackageLoader> loadPackage(const std::string &path)
{
    {
        caffe2::serialize::PyTorchStreamReader archive(path);
        if (!isPt2(archive))
            fail("not a .pt2 file (no archive_format record saying pt2)");
        if (aotiModels(archive).isEmpty())
            fail(notRunnableMessage());
    }
    // The package's compiled model links "libtorch.so" by name, which Kiln (linked
    // to libtorch_cpu) does not load; a small library of that name, linked to
    // libtorch_cpu, satisfies it (core/luaapi/aotishim.cpp).
    static std::once_flag once;
    static std::string shimError;
    std::call_once(once, [] {
        const QString exe = QFileInfo(QStringLiteral("/proc/self/exe")).canonicalFilePath();
        QStringList candidates{QFileInfo(exe).absolutePath() + QStringLiteral("/../lib/kiln/aoti/libtorch.so")};
#ifdef KILN_AOTI_SHIM_BUILD_PATH
        candidates << QStringLiteral(KILN_AOTI_SHIM_BUILD_PATH);
#endif
        for (const QString &candidate : std::as_const(candidates)) {
            if (QFileInfo::exists(candidate) && dlopen(QFile::encodeName(candidate).constData(), RTLD_NOW | RTLD_GLOBAL))
                return;
        }
        shimError = "Kiln's libtorch.so for AOTInductor packages is missing beside it";
    });
    if (!shimError.empty())
        fail(shimError);
    // The loader unpacks into a new temporary folder that it leaves behind when it
    // fails; those folders are removed here.
    const QStringList before = QDir::temp().entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    try {
        return std::make_unique<torch::inductor::AOTIModelPackageLoader>(path, "model", false, 1, -1);
    } catch (const std::exception &error) {
        const QStringList after = QDir::temp().entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString &folder : after) {
            if (!before.contains(folder) && folder.size() == 6)
                QDir(QDir::temp().filePath(folder)).removeRecursively();
        }
        std::string message = error.what();
        message = message.substr(0, message.find('\n'));
        fail(message.empty() ? std::string("the AOTInductor package did not load") : message);
    }
}

} // namespace pt2
} // namespace kiln
