#include "luaapi/luatensor_p.h"

#include "readers/csvreader.h"
#include "readers/idxreader.h"

#include <ATen/CPUGeneratorImpl.h>

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QImageWriter>
#include <QSaveFile>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

// The data part of the torch Lua API: data.read_csv/write_csv, datasets.*,
// image.*, and the natives behind data.batches/data.split (kiln/data.lua).
// Work that may be long (parsing, decompressing, decoding) runs in C++ and
// polls the session's interrupt through a protected call, so a stop request
// unwinds the C++ frames by exception before Lua raises the interrupt.

namespace kiln::lua {

namespace {

struct Interrupted
{
};

[[noreturn]] void fail(const QString &message)
{
    throw std::runtime_error(message.toStdString());
}

// guarded() plus interruption: Interrupted thrown from inside becomes the
// session's interrupt error once no C++ object is left alive.
template<typename Function>
int protect(lua_State *L, Function &&function)
{
    bool interrupted = false;
    {
        std::string message;
        try {
            return function();
        } catch (const Interrupted &) {
            interrupted = true;
        } catch (const std::exception &) {
            message = exceptionMessage();
        }
        if (!interrupted)
            lua_pushlstring(L, message.data(), message.size());
    }
    if (interrupted) {
        checkInterrupted(L);
        lua_pushliteral(L, "interrupted");
    }
    return lua_error(L);
}

int probeInterrupt(lua_State *L)
{
    checkInterrupted(L);
    return 0;
}

// True when the user asked to stop; the check's error is caught here so that
// C++ callers can unwind normally.
bool interruptRequested(lua_State *L)
{
    lua_pushcfunction(L, probeInterrupt);
    if (lua_pcall(L, 0, 0, 0) == LUA_OK)
        return false;
    lua_pop(L, 1);
    return true;
}

void pollInterrupt(lua_State *L)
{
    if (interruptRequested(L))
        throw Interrupted();
}

void pushString(lua_State *L, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    lua_pushlstring(L, utf8.constData(), size_t(utf8.size()));
}

void pushStringArray(lua_State *L, const QStringList &list)
{
    lua_createtable(L, int(list.size()), 0);
    for (qsizetype i = 0; i < list.size(); ++i) {
        pushString(L, list.at(i));
        lua_rawseti(L, -2, lua_Integer(i + 1));
    }
}

QString shapeText(const at::Tensor &tensor)
{
    QStringList sizes;
    for (int64_t size : tensor.sizes())
        sizes.append(QString::number(size));
    return QLatin1Char('[') + sizes.join(QLatin1String(", ")) + QLatin1Char(']');
}

// The options table at `index`, or 0 when absent; anything else is an argument error.
int optionsIndex(lua_State *L, int index)
{
    if (lua_isnoneornil(L, index))
        return 0;
    luaL_checktype(L, index, LUA_TTABLE);
    return lua_absindex(L, index);
}

// Pushes option `name` (nil when absent) and returns its stack index; it stays
// on the stack for the rest of the call, so strings read from it stay valid
// and no C++ object is needed to hold them.
int pushOption(lua_State *L, int options, const char *name, int type, const char *expected)
{
    if (options == 0)
        lua_pushnil(L);
    else
        lua_getfield(L, options, name);
    if (!lua_isnil(L, -1) && lua_type(L, -1) != type)
        luaL_error(L, "option '%s' must be %s, got %s", name, expected, luaL_typename(L, -1));
    return lua_gettop(L);
}

// An array of strings at `index` (already known to be a table): each entry checked.
void checkStringArray(lua_State *L, int index, const char *what)
{
    const lua_Integer n = luaL_len(L, index);
    for (lua_Integer i = 1; i <= n; ++i) {
        if (lua_rawgeti(L, index, i) != LUA_TSTRING)
            luaL_error(L, "%s: entry %d must be a string, got %s", what, int(i), luaL_typename(L, -1));
        lua_pop(L, 1);
    }
}

QStringList toStringList(lua_State *L, int index)
{
    QStringList list;
    const lua_Integer n = luaL_len(L, index);
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_rawgeti(L, index, i);
        list.append(QString::fromUtf8(lua_tostring(L, -1)));
        lua_pop(L, 1);
    }
    return list;
}

QString columnList(const QStringList &columns)
{
    QStringList quoted;
    for (const QString &column : columns)
        quoted.append(QLatin1Char('\'') + column + QLatin1Char('\''));
    return quoted.join(QLatin1String(", "));
}

// ---------------------------------------------------------------- CSV

// data.read_csv(path, {target =, columns =, header =, delimiter =, drop_invalid =, missing =})
//   -> x float32 [N, F], y (only with target), info
int dataReadCsv(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    const int options = optionsIndex(L, 2);
    const int targetIndex = pushOption(L, options, "target", LUA_TSTRING, "a column name");
    const int columnsIndex = pushOption(L, options, "columns", LUA_TTABLE, "an array of column names");
    const int headerIndex = pushOption(L, options, "header", LUA_TBOOLEAN, "a boolean");
    const int delimiterIndex = pushOption(L, options, "delimiter", LUA_TSTRING, "a string");
    const bool dropInvalid = optBool(L, options, "drop_invalid", false);
    // missing = "nan": a missing feature value reads as NaN (to be filled in
    // later) instead of making its row invalid; a missing target still does.
    const int missingIndex = pushOption(L, options, "missing", LUA_TSTRING, "\"error\" or \"nan\"");
    const char *missing = lua_tostring(L, missingIndex);
    if (missing && std::strcmp(missing, "nan") != 0 && std::strcmp(missing, "error") != 0)
        return luaL_error(L, "data.read_csv: option 'missing' must be \"error\" or \"nan\", got \"%s\"", missing);
    const bool missingAsNan = missing && std::strcmp(missing, "nan") == 0;
    if (!lua_isnil(L, columnsIndex))
        checkStringArray(L, columnsIndex, "data.read_csv: option 'columns'");
    const char *delimiter = lua_tostring(L, delimiterIndex);
    if (delimiter && (std::strlen(delimiter) != 1 || uchar(delimiter[0]) >= 0x80 || delimiter[0] == '"'))
        return luaL_error(L, "data.read_csv: option 'delimiter' must be one character such as \",\", \";\" or \"\\t\"");

    return protect(L, [&] {
        const QString filePath = QString::fromUtf8(path);
        const QString name = QFileInfo(filePath).fileName();
        CsvReader reader;
        if (delimiter)
            reader.setDelimiter(QLatin1Char(delimiter[0]));
        if (!lua_isnil(L, headerIndex))
            reader.setHeader(lua_toboolean(L, headerIndex) ? CsvReader::Header::Present : CsvReader::Header::Absent);
        if (!QFileInfo::exists(filePath))
            fail(QStringLiteral("data.read_csv: %1 not found").arg(filePath));
        if (!reader.open(filePath))
            fail(QStringLiteral("data.read_csv: ") + reader.errorString());

        const QStringList columns = reader.columns();
        if (columns.isEmpty())
            fail(QStringLiteral("data.read_csv: %1 is empty").arg(name));
        auto find = [&](const QString &column) {
            const qsizetype at = columns.indexOf(column);
            if (at < 0)
                fail(QStringLiteral("data.read_csv: %1 has no column '%2' (columns: %3)")
                         .arg(name, column, columnList(columns)));
            return at;
        };

        const bool hasTarget = !lua_isnil(L, targetIndex);
        const QString targetName = hasTarget ? QString::fromUtf8(lua_tostring(L, targetIndex)) : QString();
        const qsizetype target = hasTarget ? find(targetName) : -1;
        std::vector<qsizetype> features;
        QStringList featureNames;
        if (!lua_isnil(L, columnsIndex)) {
            for (const QString &column : toStringList(L, columnsIndex)) {
                features.push_back(find(column));
                featureNames.append(column);
            }
        } else {
            for (qsizetype c = 0; c < columns.size(); ++c) {
                if (c != target) {
                    features.push_back(c);
                    featureNames.append(columns.at(c));
                }
            }
        }

        std::vector<float> values;
        QStringList targets;
        int64_t rows = 0;
        int64_t dropped = 0;
        CsvReader::Row row;
        QString problem;
        while (reader.next(row)) {
            if (((rows + dropped) & 4095) == 4095)
                pollInterrupt(L);
            problem.clear();
            const size_t mark = values.size();
            if (row.fields.size() != columns.size()) {
                problem = QStringLiteral("line %1 has %2 fields, expected %3")
                              .arg(row.line).arg(row.fields.size()).arg(columns.size());
            } else {
                for (size_t f = 0; f < features.size() && problem.isEmpty(); ++f) {
                    const QString &field = row.fields.at(features[f]);
                    double value = 0;
                    if (CsvReader::toNumber(field, &value)) {
                        values.push_back(float(value));
                    } else if (CsvReader::isMissing(field) && missingAsNan) {
                        values.push_back(std::numeric_limits<float>::quiet_NaN());
                    } else if (CsvReader::isMissing(field)) {
                        problem = QStringLiteral("line %1, column '%2': missing value").arg(row.line).arg(featureNames.at(qsizetype(f)));
                    } else {
                        problem = QStringLiteral("line %1, column '%2': '%3' is not a number")
                                      .arg(row.line).arg(featureNames.at(qsizetype(f)), field);
                    }
                }
                if (problem.isEmpty() && hasTarget && CsvReader::isMissing(row.fields.at(target)))
                    problem = QStringLiteral("line %1, column '%2': missing value").arg(row.line).arg(targetName);
            }
            if (!problem.isEmpty()) {
                if (!dropInvalid)
                    fail(QStringLiteral("data.read_csv: %1 %2").arg(name, problem));
                values.resize(mark);
                ++dropped;
                continue;
            }
            if (hasTarget)
                targets.append(row.fields.at(target).trimmed());
            ++rows;
        }
        if (!reader.errorString().isEmpty())
            fail(QStringLiteral("data.read_csv: %1 %2").arg(name, reader.errorString()));
        if (rows == 0) {
            if (dropped > 0)
                fail(QStringLiteral("data.read_csv: %1: all %2 rows were invalid and dropped").arg(name).arg(dropped));
            fail(QStringLiteral("data.read_csv: %1 has a header but no data rows").arg(name));
        }

        at::Tensor x = at::from_blob(values.data(), {rows, int64_t(features.size())}, at::kFloat).clone();
        std::vector<float>().swap(values);

        // The target: integers stay integers (int64), other numbers are float32,
        // and anything with text becomes class ids in sorted name order.
        at::Tensor y;
        QStringList classes;
        if (hasTarget) {
            bool numeric = true;
            bool integral = true;
            for (const QString &text : targets) {
                if (!CsvReader::toNumber(text, nullptr)) {
                    numeric = false;
                    break;
                }
                bool ok = false;
                text.toLongLong(&ok);
                integral = integral && ok;
            }
            if (numeric && integral) {
                y = at::empty({rows}, at::kLong);
                auto *out = y.data_ptr<int64_t>();
                for (int64_t i = 0; i < rows; ++i)
                    out[i] = targets.at(i).toLongLong();
            } else if (numeric) {
                y = at::empty({rows}, at::kFloat);
                auto *out = y.data_ptr<float>();
                for (int64_t i = 0; i < rows; ++i) {
                    double value = 0;
                    CsvReader::toNumber(targets.at(i), &value);
                    out[i] = float(value);
                }
            } else {
                std::map<QString, int64_t> ids;
                for (const QString &text : targets)
                    ids.emplace(text, 0);
                for (auto &[className, id] : ids) {
                    id = classes.size();
                    classes.append(className);
                }
                y = at::empty({rows}, at::kLong);
                auto *out = y.data_ptr<int64_t>();
                for (int64_t i = 0; i < rows; ++i)
                    out[i] = ids[targets.at(i)];
            }
        }

        pushTensor(L, std::move(x));
        if (hasTarget)
            pushTensor(L, std::move(y));
        lua_createtable(L, 0, 7);
        pushStringArray(L, featureNames);
        lua_setfield(L, -2, "columns");
        if (hasTarget) {
            pushString(L, targetName);
            lua_setfield(L, -2, "target");
        }
        if (!classes.isEmpty()) {
            pushStringArray(L, classes);
            lua_setfield(L, -2, "classes");
        }
        lua_pushinteger(L, rows);
        lua_setfield(L, -2, "rows");
        lua_pushinteger(L, dropped);
        lua_setfield(L, -2, "dropped");
        lua_pushboolean(L, reader.hasHeader());
        lua_setfield(L, -2, "header");
        const char delimiterText[2] = {char(reader.delimiter().unicode()), 0};
        lua_pushstring(L, delimiterText);
        lua_setfield(L, -2, "delimiter");
        return hasTarget ? 3 : 2;
    });
}

void appendField(QByteArray &out, const QByteArray &field, char delimiter)
{
    const bool quote = field.contains(delimiter) || field.contains('"') || field.contains('\n') || field.contains('\r')
        || (!field.isEmpty() && (field.front() == ' ' || field.back() == ' '));
    if (!quote) {
        out.append(field);
        return;
    }
    out.append('"');
    for (char c : field) {
        if (c == '"')
            out.append('"');
        out.append(c);
    }
    out.append('"');
}

template<typename Number>
void appendNumber(QByteArray &out, Number value)
{
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr - buffer);
}

// data.write_csv(path, tensor_or_rows, {header = {...}, delimiter = ","})
int dataWriteCsv(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    std::optional<at::Tensor> tensor = testTensor(L, 2);
    if (!tensor)
        luaL_argexpected(L, lua_istable(L, 2), 2, "Tensor or array of rows");
    const int options = optionsIndex(L, 3);
    const int headerIndex = pushOption(L, options, "header", LUA_TTABLE, "an array of column names");
    const int delimiterIndex = pushOption(L, options, "delimiter", LUA_TSTRING, "a string");
    if (!lua_isnil(L, headerIndex))
        checkStringArray(L, headerIndex, "data.write_csv: option 'header'");
    const char *delimiterText = lua_tostring(L, delimiterIndex);
    if (delimiterText && (std::strlen(delimiterText) != 1 || delimiterText[0] == '"'))
        return luaL_error(L, "data.write_csv: option 'delimiter' must be one character such as \",\", \";\" or \"\\t\"");
    const char delimiter = delimiterText ? delimiterText[0] : ',';

    // Rows from Lua are checked before any C++ object exists, so errors cannot leak.
    const lua_Integer rowCount = tensor ? 0 : luaL_len(L, 2);
    for (lua_Integer r = 1; r <= rowCount; ++r) {
        if (lua_rawgeti(L, 2, r) != LUA_TTABLE)
            return luaL_error(L, "data.write_csv: row %d must be an array, got %s", int(r), luaL_typename(L, -1));
        const lua_Integer fields = luaL_len(L, -1);
        for (lua_Integer f = 1; f <= fields; ++f) {
            const int type = lua_rawgeti(L, -1, f);
            if (type != LUA_TNUMBER && type != LUA_TSTRING && type != LUA_TBOOLEAN)
                return luaL_error(L, "data.write_csv: row %d, field %d is a %s (expected a number, string or boolean)",
                                  int(r), int(f), luaL_typename(L, -1));
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }

    return protect(L, [&] {
        QByteArray out;
        if (!lua_isnil(L, headerIndex)) {
            const QStringList header = toStringList(L, headerIndex);
            if (tensor && tensor->dim() == 2 && header.size() != tensor->size(1))
                fail(QStringLiteral("data.write_csv: the header has %1 names but the tensor has %2 columns")
                         .arg(header.size()).arg(tensor->size(1)));
            for (qsizetype i = 0; i < header.size(); ++i) {
                if (i > 0)
                    out.append(delimiter);
                appendField(out, header.at(i).toUtf8(), delimiter);
            }
            out.append('\n');
        }
        if (tensor) {
            if (tensor->dim() != 1 && tensor->dim() != 2)
                fail(QStringLiteral("data.write_csv: expected a 1-D or 2-D tensor, got shape %1").arg(shapeText(*tensor)));
            at::Tensor t = tensor->detach().to(at::kCPU);
            if (t.dim() == 1)
                t = t.unsqueeze(1);
            const int64_t rows = t.size(0);
            const int64_t cols = t.size(1);
            const bool floating = t.is_floating_point();
            const bool single = floating && t.scalar_type() != at::kDouble;
            t = (floating ? t.to(single ? at::kFloat : at::kDouble) : t.to(at::kLong)).contiguous();
            for (int64_t r = 0; r < rows; ++r) {
                if ((r & 65535) == 65535)
                    pollInterrupt(L);
                for (int64_t c = 0; c < cols; ++c) {
                    if (c > 0)
                        out.append(delimiter);
                    if (single)
                        appendNumber(out, t.data_ptr<float>()[r * cols + c]);
                    else if (floating)
                        appendNumber(out, t.data_ptr<double>()[r * cols + c]);
                    else
                        appendNumber(out, t.data_ptr<int64_t>()[r * cols + c]);
                }
                out.append('\n');
            }
        } else {
            for (lua_Integer r = 1; r <= rowCount; ++r) {
                lua_rawgeti(L, 2, r);
                const lua_Integer fields = luaL_len(L, -1);
                for (lua_Integer f = 1; f <= fields; ++f) {
                    if (f > 1)
                        out.append(delimiter);
                    lua_rawgeti(L, -1, f);
                    if (lua_isinteger(L, -1))
                        appendNumber(out, int64_t(lua_tointeger(L, -1)));
                    else if (lua_type(L, -1) == LUA_TNUMBER)
                        appendNumber(out, double(lua_tonumber(L, -1)));
                    else if (lua_type(L, -1) == LUA_TBOOLEAN)
                        out.append(lua_toboolean(L, -1) ? "true" : "false");
                    else
                        appendField(out, QByteArray(lua_tostring(L, -1)), delimiter);
                    lua_pop(L, 1);
                }
                lua_pop(L, 1);
                out.append('\n');
            }
        }

        const QString filePath = QString::fromUtf8(path);
        QSaveFile file(filePath);
        if (!file.open(QIODevice::WriteOnly))
            fail(QStringLiteral("data.write_csv: cannot write %1: %2").arg(filePath, file.errorString()));
        file.write(out);
        if (!file.commit())
            fail(QStringLiteral("data.write_csv: cannot write %1: %2").arg(filePath, file.errorString()));
        return 0;
    });
}

// ---------------------------------------------------------------- IDX datasets

struct IdxDataset
{
    const char *function;
    const char *defaultDir;
    const char *package;
    const char *const *classes;
    int classCount;
};

const char *const kFashionClasses[] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                       "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
const char *const kDigitClasses[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

const IdxDataset kFashionMnist = {"datasets.fashion_mnist", "/usr/share/datasets/fashion-mnist",
                                  "dataset-fashion-mnist", kFashionClasses, 10};
const IdxDataset kMnist = {"datasets.mnist", "/usr/share/datasets/mnist", "an MNIST package", kDigitClasses, 10};

QString findIdxFile(const QDir &dir, const QString &base, const IdxDataset &set)
{
    for (const QString &candidate : QStringList{base, base + QLatin1String(".gz")}) {
        if (QFileInfo::exists(dir.filePath(candidate)))
            return dir.filePath(candidate);
    }
    fail(QStringLiteral("%1: %2 has neither %3 nor %3.gz").arg(QLatin1String(set.function), dir.path(), base));
}

IdxArray readIdx(lua_State *L, const QString &path, const IdxDataset &set)
{
    IdxReader reader;
    IdxArray array;
    if (!reader.read(path, &array, [L] { return interruptRequested(L); })) {
        if (reader.wasCancelled())
            throw Interrupted();
        fail(QStringLiteral("%1: %2").arg(QLatin1String(set.function), reader.errorString()));
    }
    return array;
}

int loadIdxDataset(lua_State *L, const IdxDataset &set)
{
    const char *split = luaL_checkstring(L, 1);
    if (std::strcmp(split, "train") != 0 && std::strcmp(split, "test") != 0)
        return luaL_error(L, "%s: split must be \"train\" or \"test\", got '%s'", set.function, split);
    // KILN_DATASETS stands in for /usr/share/datasets: data sets kept elsewhere
    // (a cluster's shared disk, a machine without Debian's packages).
    QString folder = QString::fromUtf8(set.defaultDir);
    if (qEnvironmentVariableIsSet("KILN_DATASETS"))
        folder.replace(QLatin1String("/usr/share/datasets"), qEnvironmentVariable("KILN_DATASETS"));
    const QByteArray defaultDir = folder.toUtf8();
    const char *dirArgument = luaL_optstring(L, 2, defaultDir.constData());

    return protect(L, [&] {
        const QDir dir(QString::fromUtf8(dirArgument));
        if (!dir.exists())
            fail(QStringLiteral("%1: folder %2 not found (install %3, or pass the folder that holds the IDX files)")
                     .arg(QLatin1String(set.function), dir.path(), QLatin1String(set.package)));
        const QString prefix = std::strcmp(split, "train") == 0 ? QStringLiteral("train") : QStringLiteral("t10k");
        const QString imagesPath = findIdxFile(dir, prefix + QLatin1String("-images-idx3-ubyte"), set);
        const QString labelsPath = findIdxFile(dir, prefix + QLatin1String("-labels-idx1-ubyte"), set);
        const QString function = QLatin1String(set.function);

        IdxArray images = readIdx(L, imagesPath, set);
        if (images.type != IdxArray::Type::UInt8 || images.sizes.size() != 3)
            fail(QStringLiteral("%1: %2 should hold uint8 images [N, H, W], not %3 with %4 dimensions")
                     .arg(function, QFileInfo(imagesPath).fileName(), IdxArray::typeName(images.type))
                     .arg(images.sizes.size()));
        IdxArray labels = readIdx(L, labelsPath, set);
        if (labels.type != IdxArray::Type::UInt8 || labels.sizes.size() != 1)
            fail(QStringLiteral("%1: %2 should hold uint8 labels [N], not %3 with %4 dimensions")
                     .arg(function, QFileInfo(labelsPath).fileName(), IdxArray::typeName(labels.type))
                     .arg(labels.sizes.size()));
        const int64_t n = images.sizes[0];
        if (labels.sizes[0] != n)
            fail(QStringLiteral("%1: %2 has %3 images but %4 has %5 labels")
                     .arg(function, QFileInfo(imagesPath).fileName()).arg(n)
                     .arg(QFileInfo(labelsPath).fileName()).arg(labels.sizes[0]));
        const auto *labelBytes = reinterpret_cast<const uchar *>(labels.data.constData());
        for (int64_t i = 0; i < n; ++i) {
            if (labelBytes[i] >= set.classCount)
                fail(QStringLiteral("%1: label %2 of image %3 in %4 is not a class id (0 to %5)")
                         .arg(function).arg(labelBytes[i]).arg(i).arg(QFileInfo(labelsPath).fileName())
                         .arg(set.classCount - 1));
        }
        pollInterrupt(L);

        const int64_t h = images.sizes[1];
        const int64_t w = images.sizes[2];
        at::Tensor x = at::from_blob(images.data.data(), {n, 1, h, w}, at::kByte).to(at::kFloat).div_(255.0);
        images.data.clear();
        at::Tensor y = at::from_blob(labels.data.data(), {n}, at::kByte).to(at::kLong);

        lua_createtable(L, 0, 3);
        pushTensor(L, std::move(x));
        lua_setfield(L, -2, "x");
        pushTensor(L, std::move(y));
        lua_setfield(L, -2, "y");
        lua_createtable(L, set.classCount, 0);
        for (int i = 0; i < set.classCount; ++i) {
            lua_pushstring(L, set.classes[i]);
            lua_rawseti(L, -2, i + 1);
        }
        lua_setfield(L, -2, "classes");
        return 1;
    });
}

int datasetsFashionMnist(lua_State *L)
{
    return loadIdxDataset(L, kFashionMnist);
}

int datasetsMnist(lua_State *L)
{
    return loadIdxDataset(L, kMnist);
}

// ---------------------------------------------------------------- images

enum class ImageMode { Auto, Gray, RGB, RGBA };

ImageMode checkImageMode(lua_State *L, int options, const char *function)
{
    const int index = pushOption(L, options, "mode", LUA_TSTRING, "\"L\", \"RGB\" or \"RGBA\"");
    const char *mode = lua_tostring(L, index);
    lua_pop(L, 1);
    if (!mode)
        return ImageMode::Auto;
    if (std::strcmp(mode, "L") == 0)
        return ImageMode::Gray;
    if (std::strcmp(mode, "RGB") == 0)
        return ImageMode::RGB;
    if (std::strcmp(mode, "RGBA") == 0)
        return ImageMode::RGBA;
    luaL_error(L, "%s: mode must be \"L\", \"RGB\" or \"RGBA\", got '%s'", function, mode);
    return ImageMode::Auto;
}

bool isGrayImage(const QImage &image)
{
    switch (image.format()) {
    case QImage::Format_Grayscale8:
    case QImage::Format_Grayscale16:
        return true;
    case QImage::Format_Indexed8:
    case QImage::Format_Mono:
    case QImage::Format_MonoLSB:
        return image.isGrayscale();
    default:
        return false;
    }
}

QImage readImage(const QString &path, const char *function)
{
    if (!QFileInfo(path).isFile())
        fail(QStringLiteral("%1: %2 not found").arg(QLatin1String(function), path));
    QImageReader reader(path);
    reader.setAutoTransform(true);
    QImage image = reader.read();
    if (image.isNull())
        fail(QStringLiteral("%1: cannot read %2 as an image (%3)").arg(QLatin1String(function), path, reader.errorString()));
    return image;
}

// float32 [C, H, W] in [0, 1]; `mode` Auto keeps gray images gray and makes the rest RGB.
at::Tensor imageToTensor(const QImage &source, ImageMode mode)
{
    if (mode == ImageMode::Auto)
        mode = isGrayImage(source) ? ImageMode::Gray : ImageMode::RGB;
    QImage image;
    int channels = 1;
    switch (mode) {
    case ImageMode::Gray:
        image = source.convertToFormat(QImage::Format_Grayscale8);
        break;
    case ImageMode::RGBA:
        image = source.convertToFormat(QImage::Format_RGBA8888);
        channels = 4;
        break;
    default:
        image = source.convertToFormat(QImage::Format_RGB888);
        channels = 3;
        break;
    }
    const int64_t h = image.height();
    const int64_t w = image.width();
    at::Tensor pixels = at::empty({h, w, channels}, at::kByte);
    auto *out = pixels.data_ptr<uint8_t>();
    for (int64_t r = 0; r < h; ++r)
        std::memcpy(out + r * w * channels, image.constScanLine(int(r)), size_t(w * channels));
    return pixels.permute({2, 0, 1}).to(at::kFloat).div_(255.0);
}

// image.load(path, {mode = "L"|"RGB"|"RGBA"}) -> float32 [C, H, W] in [0, 1]
int imageLoad(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    const ImageMode mode = checkImageMode(L, optionsIndex(L, 2), "image.load");
    return protect(L, [&] {
        pushTensor(L, imageToTensor(readImage(QString::fromUtf8(path), "image.load"), mode));
        return 1;
    });
}

// image.save(path, t): [C, H, W] (C = 1, 3, 4) or [H, W]; float in [0, 1] (clamped) or uint8.
int imageSave(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    const at::Tensor &tensor = checkTensor(L, 2);
    return protect(L, [&] {
        at::Tensor t = tensor.detach().to(at::kCPU);
        if (t.dim() == 2)
            t = t.unsqueeze(0);
        if (t.dim() != 3 || (t.size(0) != 1 && t.size(0) != 3 && t.size(0) != 4))
            fail(QStringLiteral("image.save: expected [C, H, W] with C = 1, 3 or 4, or [H, W], got shape %1").arg(shapeText(tensor)));
        if (t.is_floating_point())
            t = t.clamp(0, 1).mul(255).round().to(at::kByte);
        else if (t.scalar_type() != at::kByte)
            fail(QStringLiteral("image.save: expected a float tensor in [0, 1] or uint8, got %1").arg(QLatin1String(dtypeName(t.scalar_type()))));
        const int channels = int(t.size(0));
        const int h = int(t.size(1));
        const int w = int(t.size(2));
        t = t.permute({1, 2, 0}).cpu().contiguous();
        const QImage::Format format = channels == 1 ? QImage::Format_Grayscale8
            : channels == 3                         ? QImage::Format_RGB888
                                                    : QImage::Format_RGBA8888;
        QImage image(w, h, format);
        if (image.isNull())
            fail(QStringLiteral("image.save: the image is too large"));
        const auto *in = t.data_ptr<uint8_t>();
        for (int r = 0; r < h; ++r)
            std::memcpy(image.scanLine(r), in + int64_t(r) * w * channels, size_t(w) * channels);

        const QString filePath = QString::fromUtf8(path);
        const QByteArray suffix = QFileInfo(filePath).suffix().toLower().toLatin1();
        if (!QImageWriter::supportedImageFormats().contains(suffix)) {
            QStringList formats;
            for (const QByteArray &known : QImageWriter::supportedImageFormats())
                formats.append(QString::fromLatin1(known));
            fail(QStringLiteral("image.save: cannot tell the format of %1 from its name (supported: %2)")
                     .arg(filePath, formats.join(QLatin1String(", "))));
        }
        QSaveFile file(filePath);
        if (!file.open(QIODevice::WriteOnly))
            fail(QStringLiteral("image.save: cannot write %1: %2").arg(filePath, file.errorString()));
        QImageWriter writer(&file, suffix);
        if (suffix == "jpg" || suffix == "jpeg")
            writer.setQuality(95);
        if (!writer.write(image))
            fail(QStringLiteral("image.save: cannot write %1: %2").arg(filePath, writer.errorString()));
        if (!file.commit())
            fail(QStringLiteral("image.save: cannot write %1: %2").arg(filePath, file.errorString()));
        return 0;
    });
}

// {h, w} or one number for a square.
void checkImageSize(lua_State *L, int index, const char *function, int64_t *h, int64_t *w)
{
    if (lua_isinteger(L, index)) {
        *h = *w = lua_tointeger(L, index);
    } else if (lua_istable(L, index) && luaL_len(L, index) == 2) {
        lua_rawgeti(L, index, 1);
        lua_rawgeti(L, index, 2);
        if (!lua_isinteger(L, -2) || !lua_isinteger(L, -1))
            luaL_error(L, "%s: size must be {h, w} with integers", function);
        *h = lua_tointeger(L, -2);
        *w = lua_tointeger(L, -1);
        lua_pop(L, 2);
    } else {
        luaL_error(L, "%s: size must be {h, w} or one integer, got %s", function, luaL_typename(L, index));
    }
    if (*h <= 0 || *w <= 0 || *h > 65536 || *w > 65536)
        luaL_error(L, "%s: size must be positive (got %d x %d)", function, int(*h), int(*w));
}

// Bilinear like torchvision's resize: antialiased when shrinking, so small
// targets do not alias. Keeps the input's rank and, for uint8, its dtype.
at::Tensor resizeImage(const at::Tensor &input, int64_t h, int64_t w)
{
    if (input.dim() != 3 && input.dim() != 4)
        fail(QStringLiteral("image.resize: expected [C, H, W] or [N, C, H, W], got shape %1").arg(shapeText(input)));
    const bool bytes = input.scalar_type() == at::kByte;
    at::Tensor t = input.dim() == 3 ? input.unsqueeze(0) : input;
    t = t.is_floating_point() ? t : t.to(at::kFloat);
    if (t.size(2) == h && t.size(3) == w) {
        t = t.clone();
    } else {
        const bool shrink = h < t.size(2) || w < t.size(3);
        t = shrink ? at::_upsample_bilinear2d_aa(t, {h, w}, false) : at::upsample_bilinear2d(t, {h, w}, false);
    }
    if (bytes)
        t = t.round().clamp(0, 255).to(at::kByte);
    return input.dim() == 3 ? t.squeeze(0) : t;
}

// image.resize(t, {h, w}) for [C, H, W] or [N, C, H, W]
int imageResize(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    int64_t h = 0;
    int64_t w = 0;
    checkImageSize(L, 2, "image.resize", &h, &w);
    return protect(L, [&] {
        pushTensor(L, resizeImage(tensor, h, w));
        return 1;
    });
}

// A number or an array of numbers, checked before any C++ object exists.
void checkNumbers(lua_State *L, int index, const char *name)
{
    if (lua_type(L, index) == LUA_TNUMBER)
        return;
    if (!lua_istable(L, index))
        luaL_error(L, "image.normalize: %s must be a number or an array of numbers, got %s", name, luaL_typename(L, index));
    const lua_Integer n = luaL_len(L, index);
    for (lua_Integer i = 1; i <= n; ++i) {
        if (lua_rawgeti(L, index, i) != LUA_TNUMBER)
            luaL_error(L, "image.normalize: %s[%d] must be a number", name, int(i));
        lua_pop(L, 1);
    }
}

std::vector<double> toNumbers(lua_State *L, int index)
{
    if (lua_type(L, index) == LUA_TNUMBER)
        return {lua_tonumber(L, index)};
    std::vector<double> numbers;
    const lua_Integer n = luaL_len(L, index);
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_rawgeti(L, index, i);
        numbers.push_back(lua_tonumber(L, -1));
        lua_pop(L, 1);
    }
    return numbers;
}

int64_t channelDim(const at::Tensor &t, const char *function)
{
    if (t.dim() != 3 && t.dim() != 4)
        fail(QStringLiteral("%1: expected [C, H, W] or [N, C, H, W], got shape %2").arg(QLatin1String(function), shapeText(t)));
    return t.dim() - 3;
}

// image.normalize(t, mean, std): (t - mean) / std per channel.
int imageNormalize(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    checkNumbers(L, 2, "mean");
    checkNumbers(L, 3, "std");
    return protect(L, [&] {
        const int64_t dim = channelDim(tensor, "image.normalize");
        const int64_t channels = tensor.size(dim);
        auto perChannel = [&](int index, const char *name) {
            const std::vector<double> numbers = toNumbers(L, index);
            if (numbers.size() != 1 && int64_t(numbers.size()) != channels)
                fail(QStringLiteral("image.normalize: %1 has %2 values but the image has %3 channels")
                         .arg(QLatin1String(name)).arg(numbers.size()).arg(channels));
            return at::tensor(numbers, at::kFloat).view({-1, 1, 1});
        };
        const at::Tensor mean = perChannel(2, "mean");
        const at::Tensor std = perChannel(3, "std");
        if ((std == 0).any().item<bool>())
            fail(QStringLiteral("image.normalize: std must not be 0"));
        at::Tensor t = tensor.is_floating_point() ? tensor : tensor.to(at::kFloat);
        pushTensor(L, (t - mean) / std);
        return 1;
    });
}

// image.to_grayscale(t): ITU-R 601 luma (as torchvision), [3|4, H, W] -> [1, H, W], batched too.
int imageToGrayscale(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    return protect(L, [&] {
        const int64_t dim = channelDim(tensor, "image.to_grayscale");
        const int64_t channels = tensor.size(dim);
        if (channels == 1) {
            pushTensor(L, tensor);
            return 1;
        }
        if (channels != 3 && channels != 4)
            fail(QStringLiteral("image.to_grayscale: expected 1, 3 or 4 channels, got %1").arg(channels));
        const at::Tensor t = tensor.is_floating_point() ? tensor : tensor.to(at::kFloat);
        at::Tensor gray = t.select(dim, 0) * 0.299 + t.select(dim, 1) * 0.587 + t.select(dim, 2) * 0.114;
        gray = gray.unsqueeze(dim);
        if (tensor.scalar_type() == at::kByte)
            gray = gray.round().clamp(0, 255).to(at::kByte);
        pushTensor(L, gray);
        return 1;
    });
}

// datasets.image_folder(dir, {size = {h, w}, mode = "L"|"RGB"|"RGBA"})
int datasetsImageFolder(lua_State *L)
{
    const char *dirArgument = luaL_checkstring(L, 1);
    const int options = optionsIndex(L, 2);
    const ImageMode requestedMode = checkImageMode(L, options, "datasets.image_folder");
    const int sizeIndex = options ? (lua_getfield(L, options, "size"), lua_gettop(L)) : 0;
    int64_t h = 0;
    int64_t w = 0;
    const bool resize = sizeIndex != 0 && !lua_isnil(L, sizeIndex);
    if (resize)
        checkImageSize(L, sizeIndex, "datasets.image_folder", &h, &w);

    return protect(L, [&] {
        const QDir dir(QString::fromUtf8(dirArgument));
        if (!dir.exists())
            fail(QStringLiteral("datasets.image_folder: folder %1 not found").arg(dir.path()));
        const QStringList classes = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
        if (classes.isEmpty())
            fail(QStringLiteral("datasets.image_folder: %1 has no class subfolders (expected one folder of images per class)").arg(dir.path()));
        QStringList filters;
        for (const QByteArray &format : QImageReader::supportedImageFormats())
            filters.append(QStringLiteral("*.") + QString::fromLatin1(format));

        ImageMode mode = requestedMode;
        std::vector<at::Tensor> images;
        std::vector<int64_t> labels;
        QStringList paths;
        QString firstName;
        int64_t firstH = 0;
        int64_t firstW = 0;
        for (qsizetype c = 0; c < classes.size(); ++c) {
            const QDir classDir(dir.filePath(classes.at(c)));
            for (const QString &file : classDir.entryList(filters, QDir::Files, QDir::Name)) {
                pollInterrupt(L);
                const QString path = classDir.filePath(file);
                const QImage image = readImage(path, "datasets.image_folder");
                // Without a mode every image gets the first one's channels.
                if (mode == ImageMode::Auto)
                    mode = isGrayImage(image) ? ImageMode::Gray : ImageMode::RGB;
                at::Tensor t = imageToTensor(image, mode);
                const QString shortName = classes.at(c) + QLatin1Char('/') + file;
                if (resize) {
                    t = resizeImage(t, h, w);
                } else if (images.empty()) {
                    firstH = t.size(1);
                    firstW = t.size(2);
                    firstName = shortName;
                } else if (t.size(1) != firstH || t.size(2) != firstW) {
                    fail(QStringLiteral("datasets.image_folder: %1 is %2x%3 but %4 is %5x%6 (height x width); "
                                        "pass size = {h, w} to resize every image")
                             .arg(shortName).arg(t.size(1)).arg(t.size(2)).arg(firstName).arg(firstH).arg(firstW));
                }
                images.push_back(std::move(t));
                labels.push_back(c);
                paths.append(QFileInfo(path).absoluteFilePath());
            }
        }
        if (images.empty())
            fail(QStringLiteral("datasets.image_folder: no images in the class folders of %1").arg(dir.path()));

        at::Tensor x = at::stack(images);
        std::vector<at::Tensor>().swap(images);
        at::Tensor y = at::tensor(labels, at::kLong);
        lua_createtable(L, 0, 4);
        pushTensor(L, std::move(x));
        lua_setfield(L, -2, "x");
        pushTensor(L, std::move(y));
        lua_setfield(L, -2, "y");
        pushStringArray(L, classes);
        lua_setfield(L, -2, "classes");
        pushStringArray(L, paths);
        lua_setfield(L, -2, "paths");
        return 1;
    });
}

// ---------------------------------------------------------------- batching

at::Tensor permutation(int64_t n, bool seeded, uint64_t seed)
{
    // A seed gives its own generator, so a seeded split or shuffle neither
    // depends on nor disturbs torch.manual_seed's stream.
    if (seeded)
        return at::randperm(n, at::detail::createCPUGenerator(seed), at::kLong);
    return at::randperm(n, at::kLong);
}

// One pass over a dataset: the order, the tensors and where it is.
struct BatchState
{
    at::Tensor x;
    at::Tensor y;
    at::Tensor order; // undefined when not shuffled: batches are then slices
    int64_t position = 0;
    int64_t count = 0;
    int64_t batchSize = 1;
    bool dropLast = false;
};

char kBatchStateMetatable;

// Drops the tensors and marks the pass as over; the state stays a valid object,
// so a second call (or an iterator that a finalizer handed back) does nothing.
int batchStateGc(lua_State *L)
{
    if (lua_type(L, 1) != LUA_TUSERDATA || !lua_getmetatable(L, 1))
        return 0;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kBatchStateMetatable);
    const bool isState = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    if (!isState)
        return 0;
    auto *state = static_cast<BatchState *>(lua_touserdata(L, 1));
    state->x.reset();
    state->y.reset();
    state->order.reset();
    state->batchSize = 0;
    return 0;
}

int batchNext(lua_State *L)
{
    auto *state = static_cast<BatchState *>(lua_touserdata(L, lua_upvalueindex(1)));
    if (!state || state->batchSize <= 0)
        return 0;
    const int64_t remaining = state->count - state->position;
    if (remaining <= 0 || (state->dropLast && remaining < state->batchSize))
        return 0;
    const int64_t size = std::min(remaining, state->batchSize);
    const int64_t start = state->position;
    state->position += size;
    return protect(L, [&] {
        if (state->order.defined()) {
            const at::Tensor index = state->order.narrow(0, start, size);
            pushTensor(L, state->x.index_select(0, index));
            if (state->y.defined())
                pushTensor(L, state->y.index_select(0, index.to(state->y.device())));
        } else {
            pushTensor(L, state->x.narrow(0, start, size));
            if (state->y.defined())
                pushTensor(L, state->y.narrow(0, start, size));
        }
        return state->y.defined() ? 2 : 1;
    });
}

// data._batches(x, y|nil, batch_size, shuffle, drop_last, seed|nil) -> iterator
int dataBatches(lua_State *L)
{
    const at::Tensor x = checkTensor(L, 1);
    const std::optional<at::Tensor> y = lua_isnil(L, 2) ? std::nullopt : std::optional<at::Tensor>(checkTensor(L, 2));
    const lua_Integer batchSize = luaL_checkinteger(L, 3);
    luaL_argcheck(L, batchSize > 0, 3, "batch_size must be positive");
    const bool shuffle = lua_toboolean(L, 4);
    const bool dropLast = lua_toboolean(L, 5);
    const bool seeded = !lua_isnoneornil(L, 6);
    const lua_Integer seed = seeded ? luaL_checkinteger(L, 6) : 0;
    luaL_argcheck(L, x.dim() >= 1, 1, "the dataset's x must have at least one dimension");
    if (y && (y->dim() < 1 || y->size(0) != x.size(0)))
        return luaL_error(L, "data.batches: x has %d samples but y has %d", int(x.size(0)), int(y->dim() ? y->size(0) : 0));

    auto *state = static_cast<BatchState *>(lua_newuserdatauv(L, sizeof(BatchState), 0));
    new (state) BatchState();
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kBatchStateMetatable);
    lua_setmetatable(L, -2);
    state->x = x;
    if (y)
        state->y = *y;
    state->count = x.size(0);
    state->batchSize = batchSize;
    state->dropLast = dropLast;
    if (shuffle) {
        const int64_t count = state->count;
        protect(L, [&] {
            // Drawn on the CPU (the same order on every device), kept beside the data.
            state->order = permutation(count, seeded, uint64_t(seed)).to(state->x.device());
            return 0;
        });
    }
    lua_pushcclosure(L, batchNext, 1);
    return 1;
}

// data._permutation(n, seed|nil) -> int64 [n]
int dataPermutation(lua_State *L)
{
    const lua_Integer n = luaL_checkinteger(L, 1);
    luaL_argcheck(L, n >= 0, 1, "must not be negative");
    const bool seeded = !lua_isnoneornil(L, 2);
    const lua_Integer seed = seeded ? luaL_checkinteger(L, 2) : 0;
    return protect(L, [&] {
        pushTensor(L, permutation(n, seeded, uint64_t(seed)));
        return 1;
    });
}

// data._take(t, order, start, count) -> t's rows order[start .. start+count-1] (0-based)
int dataTake(lua_State *L)
{
    const at::Tensor &t = checkTensor(L, 1);
    const at::Tensor &order = checkTensor(L, 2);
    const lua_Integer start = luaL_checkinteger(L, 3);
    const lua_Integer count = luaL_checkinteger(L, 4);
    return protect(L, [&] {
        pushTensor(L, t.index_select(0, order.narrow(0, start, count).to(t.device())));
        return 1;
    });
}

const luaL_Reg kDataFunctions[] = {
    {"read_csv", dataReadCsv},
    {"write_csv", dataWriteCsv},
    {"_batches", dataBatches},
    {"_permutation", dataPermutation},
    {"_take", dataTake},
    {nullptr, nullptr}};

const luaL_Reg kDatasetsFunctions[] = {
    {"fashion_mnist", datasetsFashionMnist},
    {"mnist", datasetsMnist},
    {"image_folder", datasetsImageFolder},
    {nullptr, nullptr}};

const luaL_Reg kImageFunctions[] = {
    {"load", imageLoad},
    {"save", imageSave},
    {"resize", imageResize},
    {"normalize", imageNormalize},
    {"to_grayscale", imageToGrayscale},
    {nullptr, nullptr}};

} // namespace

void openData(lua_State *L)
{
    lua_newtable(L);
    lua_pushcfunction(L, batchStateGc);
    lua_setfield(L, -2, "__gc");
    protectMetatable(L, -1, "kiln.BatchState");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kBatchStateMetatable);

    lua_newtable(L);
    luaL_setfuncs(L, kDataFunctions, 0);
    lua_setglobal(L, "data");
    lua_newtable(L);
    luaL_setfuncs(L, kDatasetsFunctions, 0);
    lua_setglobal(L, "datasets");
    lua_newtable(L);
    luaL_setfuncs(L, kImageFunctions, 0);
    lua_setglobal(L, "image");
}

} // namespace kiln::lua
