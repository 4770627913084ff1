#include "luaapi/luatensor_p.h"
#include "readers/checkpoint_p.h"
#include "readers/modelfiles_p.h"

#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/frontend/tracer.h>
#include <torch/csrc/jit/passes/fixup_trace_scope_blocks.h>
#include <torch/csrc/jit/passes/normalize_ops.h>
#include <torch/csrc/jit/serialization/import.h>

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSaveFile>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

// Models in and out of a session:
// - torch.save/torch.load speak PyTorch's zip checkpoint format (data.pkl plus one
//   record per storage). Kiln writes the pickle itself and reads it back with a
//   restricted unpickler that only knows containers, numbers, strings and
//   tensors, like PyTorch's weights_only=True: a stranger's checkpoint can name
//   no Python function Kiln would run.
// - safetensors.save/load: the published format, validated before any byte is used.
// - torch.jit.load/trace: TorchScript modules as a ScriptModule userdata; tracing
//   runs a Lua model under libtorch's tracer with a Module holding its weights.

namespace kiln::lua {

namespace {

char kScriptModuleMetatable;
char kOrderedNewKey;

constexpr int kMaxDepth = 200;

// Errors raised inside guarded() blocks; the message ends up as the Lua error.
[[noreturn]] void fail(const std::string &message)
{
    throw std::runtime_error(message);
}

// Runs `function` and prefixes any failure with "<what>: <path>: ".
template<typename Function>
auto withPath(const char *what, const std::string &path, Function &&function) -> decltype(function())
{
    std::string message;
    try {
        return function();
    } catch (const std::exception &) {
        message = exceptionFirstLine();
    }
    throw std::runtime_error(std::string(what) + ": " + path + ": " + message);
}

// Writes `bytes` to `path` through a temporary file renamed into place, so a
// failed save never leaves half a checkpoint where a good one was.
void writeAtomically(const std::string &path, const std::string &bytes)
{
    QSaveFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::WriteOnly))
        fail("cannot write: " + file.errorString().toStdString());
    if (file.write(bytes.data(), qint64(bytes.size())) != qint64(bytes.size()))
        fail("cannot write: " + file.errorString().toStdString());
    if (!file.commit())
        fail("cannot write: " + file.errorString().toStdString());
}

std::string readFile(const std::string &path, qint64 limit = -1)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        fail("cannot open: " + file.errorString().toStdString());
    const QByteArray bytes = limit >= 0 ? file.read(limit) : file.readAll();
    return std::string(bytes.constData(), size_t(bytes.size()));
}

using modelfiles::isUtf8;

// ---------------------------------------------------------------------------
// Lua tables as PyTorch containers

// Pushes a fresh table from kiln.ordered, whose __newindex records key order.
void pushOrderedTable(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kOrderedNewKey);
    if (!lua_isfunction(L, -1)) {
        lua_pop(L, 1);
        lua_getglobal(L, "require");
        lua_pushliteral(L, "kiln.ordered");
        if (lua_pcall(L, 1, 1, 0) != LUA_OK || !lua_istable(L, -1)) {
            lua_pop(L, 1);
            fail("kiln.ordered is not available");
        }
        lua_getfield(L, -1, "new");
        lua_remove(L, -2);
        if (!lua_isfunction(L, -1)) {
            lua_pop(L, 1);
            fail("kiln.ordered.new is not available");
        }
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &kOrderedNewKey);
    }
    if (lua_pcall(L, 0, 1, 0) != LUA_OK) {
        lua_pop(L, 1);
        fail("kiln.ordered.new failed");
    }
}

// Made by kiln.ordered: the metatable keeps the key order in __keys.
bool isOrdered(lua_State *L, int index)
{
    if (!lua_getmetatable(L, index))
        return false;
    lua_getfield(L, -1, "__keys");
    const bool ordered = lua_istable(L, -1);
    lua_pop(L, 2);
    return ordered;
}

// A table's keys in the order torch.save and safetensors.save write them: the
// __keys order of an ordered table, else an array's 1..n, else sorted strings.
enum class TableShape { List, Dict };

TableShape tableKeys(lua_State *L, int index, std::vector<std::string> &keys)
{
    index = lua_absindex(L, index);
    keys.clear();
    if (lua_getmetatable(L, index)) {
        lua_getfield(L, -1, "__keys");
        if (lua_istable(L, -1)) {
            const lua_Integer n = lua_rawlen(L, -1);
            for (lua_Integer i = 1; i <= n; ++i) {
                lua_rawgeti(L, -1, i);
                if (lua_type(L, -1) != LUA_TSTRING) {
                    lua_pop(L, 3);
                    fail("ordered table keys must be strings");
                }
                std::string key = lua_tostring(L, -1);
                lua_rawget(L, index);
                const bool present = !lua_isnil(L, -1);
                lua_pop(L, 1);
                if (present)
                    keys.push_back(std::move(key));
            }
            lua_pop(L, 2);
            return TableShape::Dict;
        }
        lua_pop(L, 2);
    }
    lua_Integer count = 0;
    bool allStrings = true;
    lua_pushnil(L);
    while (lua_next(L, index)) {
        ++count;
        if (lua_type(L, -2) == LUA_TSTRING)
            keys.emplace_back(lua_tostring(L, -2));
        else
            allStrings = false;
        lua_pop(L, 1);
    }
    if (count == 0)
        return TableShape::Dict;
    if (allStrings) {
        std::sort(keys.begin(), keys.end());
        return TableShape::Dict;
    }
    keys.clear();
    const lua_Integer n = lua_Integer(lua_rawlen(L, index));
    if (n == count)
        return TableShape::List;
    fail("a table to save must be an array (keys 1..n) or have string keys only");
}

// ---------------------------------------------------------------------------
// Writing PyTorch's checkpoint pickle (protocol 2)

class CheckpointWriter
{
public:
    explicit CheckpointWriter(lua_State *L) : L(L) {}

    std::string write(int index)
    {
        out.push_back(char(0x80));
        out.push_back(char(2));
        value(index, 0);
        out.push_back('.');

        std::string zip;
        {
            caffe2::serialize::PyTorchStreamWriter writer([&zip](const void *data, size_t size) {
                zip.append(static_cast<const char *>(data), size);
                return size;
            });
            writer.writeRecord("data.pkl", out.data(), out.size());
            writer.writeRecord("byteorder", "little", 6);
            for (size_t i = 0; i < storages.size(); ++i) {
                const c10::Storage &storage = storages[i];
                writer.writeRecord("data/" + std::to_string(i), storage.data(), storage.nbytes());
            }
            writer.writeEndOfFile();
        }
        return zip;
    }

private:
    void op(char code) { out.push_back(code); }

    void global(const char *module, const char *name)
    {
        op('c');
        out += module;
        out += '\n';
        out += name;
        out += '\n';
    }

    void integer(int64_t v)
    {
        if (v >= INT32_MIN && v <= INT32_MAX) {
            op('J');
            const int32_t x = int32_t(v);
            for (int i = 0; i < 4; ++i)
                out.push_back(char((uint32_t(x) >> (8 * i)) & 0xFF));
        } else {
            op(char(0x8a));  // LONG1: little-endian two's complement
            out.push_back(char(8));
            for (int i = 0; i < 8; ++i)
                out.push_back(char((uint64_t(v) >> (8 * i)) & 0xFF));
        }
    }

    void real(double v)
    {
        op('G');
        uint64_t bits;
        std::memcpy(&bits, &v, 8);
        for (int i = 7; i >= 0; --i)
            out.push_back(char((bits >> (8 * i)) & 0xFF));
    }

    void string(const std::string &text)
    {
        if (!isUtf8(text))
            fail("strings must be valid UTF-8 to be saved");
        op('X');
        const uint32_t n = uint32_t(text.size());
        for (int i = 0; i < 4; ++i)
            out.push_back(char((n >> (8 * i)) & 0xFF));
        out += text;
    }

    void intTuple(c10::IntArrayRef values)
    {
        op('(');
        for (int64_t v : values)
            integer(v);
        op('t');
    }

    void emptyOrderedDict()
    {
        global("collections", "OrderedDict");
        op(')');
        op('R');
    }

    static const char *storageName(at::ScalarType type)
    {
        switch (type) {
        case at::kFloat: return "FloatStorage";
        case at::kDouble: return "DoubleStorage";
        case at::kHalf: return "HalfStorage";
        case at::kBFloat16: return "BFloat16Storage";
        case at::kLong: return "LongStorage";
        case at::kInt: return "IntStorage";
        case at::kShort: return "ShortStorage";
        case at::kChar: return "CharStorage";
        case at::kByte: return "ByteStorage";
        case at::kBool: return "BoolStorage";
        case at::kComplexFloat: return "ComplexFloatStorage";
        case at::kComplexDouble: return "ComplexDoubleStorage";
        default: fail(std::string("cannot save tensors of dtype ") + c10::toString(type));
        }
    }

    void tensor(at::Tensor t, bool isParameter)
    {
        if (t.layout() != at::kStrided || !t.has_storage())
            fail("only dense tensors can be saved");
        if (!t.device().is_cpu())
            t = t.cpu();
        const at::ScalarType type = t.scalar_type();
        const char *storageType = storageName(type);
        const c10::StorageImpl *impl = t.storage().unsafeGetStorageImpl();
        size_t key = storages.size();
        const auto known = storageKeys.find(impl);
        if (known != storageKeys.end()) {
            key = known->second;
        } else {
            storageKeys.emplace(impl, key);
            storages.push_back(t.storage());
        }
        if (isParameter)
            global("torch._utils", "_rebuild_parameter");
        if (isParameter)
            op('(');
        global("torch._utils", "_rebuild_tensor_v2");
        op('(');
        // Persistent id: ('storage', torch.XStorage, key, location, numel)
        op('(');
        string("storage");
        global("torch", storageType);
        string(std::to_string(key));
        string("cpu");
        integer(int64_t(t.storage().nbytes() / t.element_size()));
        op('t');
        op('Q');
        integer(t.storage_offset());
        intTuple(t.sizes());
        intTuple(t.strides());
        op(t.requires_grad() && !isParameter ? char(0x88) : char(0x89));
        emptyOrderedDict();
        op('t');
        op('R');
        if (isParameter) {
            op(t.requires_grad() ? char(0x88) : char(0x89));
            emptyOrderedDict();
            op('t');
            op('R');
        }
    }

    void value(int index, int depth)
    {
        if (depth > kMaxDepth)
            fail("tables nested too deeply to save (is there a cycle?)");
        index = lua_absindex(L, index);
        luaL_checkstack(L, 8, "torch.save");
        switch (lua_type(L, index)) {
        case LUA_TNIL:
            op('N');
            return;
        case LUA_TBOOLEAN:
            op(lua_toboolean(L, index) ? char(0x88) : char(0x89));
            return;
        case LUA_TNUMBER:
            if (lua_isinteger(L, index))
                integer(lua_tointeger(L, index));
            else
                real(lua_tonumber(L, index));
            return;
        case LUA_TSTRING: {
            size_t size = 0;
            const char *text = lua_tolstring(L, index, &size);
            string(std::string(text, size));
            return;
        }
        case LUA_TUSERDATA:
            if (TensorBox *box = testTensorBox(L, index)) {
                const at::Tensor value = liveTensor(L, box);
                tensor(value, box->isParameter);
                return;
            }
            break;
        case LUA_TTABLE: {
            std::vector<std::string> keys;
            if (tableKeys(L, index, keys) == TableShape::List) {
                op(']');
                const lua_Integer n = lua_Integer(lua_rawlen(L, index));
                for (lua_Integer i = 1; i <= n; ++i) {
                    if ((i - 1) % 1000 == 0)
                        op('(');
                    lua_rawgeti(L, index, i);
                    value(-1, depth + 1);
                    lua_pop(L, 1);
                    if (i % 1000 == 0 || i == n)
                        op('e');
                }
                return;
            }
            if (isOrdered(L, index))
                emptyOrderedDict();
            else
                op('}');
            for (size_t i = 0; i < keys.size(); ++i) {
                if (i % 1000 == 0)
                    op('(');
                string(keys[i]);
                lua_pushlstring(L, keys[i].data(), keys[i].size());
                lua_rawget(L, index);
                value(-1, depth + 1);
                lua_pop(L, 1);
                if ((i + 1) % 1000 == 0 || i + 1 == keys.size())
                    op('u');
            }
            return;
        }
        default:
            break;
        }
        fail(std::string("cannot save a ") + luaL_typename(L, index)
             + " (tensors, numbers, strings, booleans and tables of them can be saved)");
    }

    lua_State *L;
    std::string out;
    std::vector<c10::Storage> storages;
    std::unordered_map<const c10::StorageImpl *, size_t> storageKeys;
};


// ---------------------------------------------------------------------------
// IValues and Lua values

void pushScriptModule(lua_State *L, torch::jit::Module module);

// Tuples and lists become arrays, dicts ordered tables, None nil.
void pushIValue(lua_State *L, const c10::IValue &value, int depth = 0)
{
    if (depth > kMaxDepth)
        fail("value nested too deeply (is there a cycle?)");
    luaL_checkstack(L, 6, "value nested too deeply");
    if (value.isNone()) {
        lua_pushnil(L);
    } else if (value.isTensor()) {
        pushTensor(L, value.toTensor());
    } else if (value.isBool()) {
        lua_pushboolean(L, value.toBool());
    } else if (value.isInt()) {
        lua_pushinteger(L, value.toInt());
    } else if (value.isDouble()) {
        lua_pushnumber(L, value.toDouble());
    } else if (value.isString()) {
        const std::string &text = value.toStringRef();
        lua_pushlstring(L, text.data(), text.size());
    } else if (value.isTuple() || value.isList()) {
        const bool tuple = value.isTuple();
        const std::vector<c10::IValue> items = tuple ? value.toTupleRef().elements().vec() : value.toListRef().vec();
        lua_createtable(L, int(items.size()), 0);
        for (size_t i = 0; i < items.size(); ++i) {
            pushIValue(L, items[i], depth + 1);
            lua_rawseti(L, -2, lua_Integer(i + 1));
        }
    } else if (value.isGenericDict()) {
        pushOrderedTable(L);
        for (const auto &entry : value.toGenericDict()) {
            const c10::IValue &key = entry.key();
            if (!key.isString() && !key.isInt() && !key.isDouble() && !key.isBool())
                fail("dict keys must be strings, numbers or booleans");
            pushIValue(L, key, depth + 1);
            pushIValue(L, entry.value(), depth + 1);
            lua_settable(L, -3);  // through __newindex, which records the order
        }
    } else if (value.isObject() && value.toObjectRef().type()->is_module()) {
        pushScriptModule(L, torch::jit::Module(value.toObject()));
    } else if (value.isDevice()) {
        const std::string text = value.toDevice().str();
        lua_pushlstring(L, text.data(), text.size());
    } else {
        fail(std::string("cannot turn a TorchScript ") + value.tagKind() + " into a Lua value");
    }
}

c10::TypePtr commonType(const std::vector<c10::IValue> &items)
{
    c10::TypePtr type;
    for (const c10::IValue &item : items) {
        const c10::TypePtr itemType = item.type();
        if (!type) {
            type = itemType;
        } else if (*type != *itemType) {
            auto unified = c10::unifyTypes(type, itemType);
            type = unified ? *unified : c10::AnyType::get();
        }
    }
    return type ? type : c10::TensorType::get();
}

// A Lua value as the IValue `expected` calls for; without a type (or Any) the
// value decides: arrays become lists (tuples when `arraysAsTuples`, for traced
// outputs), string-keyed tables dicts.
c10::IValue toIValue(lua_State *L, int index, const c10::TypePtr &expected, bool arraysAsTuples = false, int depth = 0)
{
    if (depth > kMaxDepth)
        fail("table nested too deeply (is there a cycle?)");
    luaL_checkstack(L, 6, "table nested too deeply");
    index = lua_absindex(L, index);
    c10::TypePtr type = expected;
    if (type && type->kind() == c10::TypeKind::OptionalType) {
        if (lua_isnil(L, index))
            return c10::IValue();
        type = type->expectRef<c10::OptionalType>().getElementType();
    }
    if (type && type->kind() == c10::TypeKind::AnyType)
        type = nullptr;
    const auto mismatch = [&]() -> c10::IValue {
        fail(std::string("expected ") + (type ? type->annotation_str() : std::string("a value")) + ", got "
             + luaL_typename(L, index));
    };
    switch (lua_type(L, index)) {
    case LUA_TNIL:
        return c10::IValue();
    case LUA_TBOOLEAN:
        return bool(lua_toboolean(L, index));
    case LUA_TNUMBER:
        if (type && type->kind() == c10::TypeKind::FloatType)
            return double(lua_tonumber(L, index));
        if (lua_isinteger(L, index))
            return int64_t(lua_tointeger(L, index));
        if (type && type->kind() == c10::TypeKind::IntType)
            mismatch();
        return double(lua_tonumber(L, index));
    case LUA_TSTRING:
        return std::string(lua_tostring(L, index));
    case LUA_TUSERDATA:
        if (std::optional<at::Tensor> tensor = testTensor(L, index))
            return *tensor;
        return mismatch();
    case LUA_TTABLE:
        break;
    default:
        return mismatch();
    }

    const c10::TypeKind kind = type ? type->kind() : c10::TypeKind::AnyType;
    const bool wantsDict = kind == c10::TypeKind::DictType;
    const bool wantsSequence = kind == c10::TypeKind::ListType || kind == c10::TypeKind::TupleType;
    const lua_Integer length = lua_Integer(lua_rawlen(L, index));
    bool asDict = wantsDict || (!wantsSequence && (isOrdered(L, index) || length == 0));
    if (!wantsDict && !wantsSequence && length == 0) {
        lua_pushnil(L);
        asDict = lua_next(L, index) != 0;  // an empty table is an empty list
        if (asDict)
            lua_pop(L, 2);
    }

    if (asDict) {
        const c10::TypePtr keyType = wantsDict ? type->containedType(0) : nullptr;
        const c10::TypePtr valueType = wantsDict ? type->containedType(1) : nullptr;
        std::vector<std::pair<c10::IValue, c10::IValue>> entries;
        std::vector<std::string> keys;
        if (isOrdered(L, index)) {
            tableKeys(L, index, keys);
            for (const std::string &key : keys) {
                lua_pushlstring(L, key.data(), key.size());
                lua_rawget(L, index);
                entries.emplace_back(c10::IValue(key), toIValue(L, -1, valueType, arraysAsTuples, depth + 1));
                lua_pop(L, 1);
            }
        } else {
            lua_pushnil(L);
            while (lua_next(L, index)) {
                c10::IValue key = toIValue(L, -2, keyType, arraysAsTuples, depth + 1);
                entries.emplace_back(std::move(key), toIValue(L, -1, valueType, arraysAsTuples, depth + 1));
                lua_pop(L, 1);
            }
            // Lua's traversal order is arbitrary; sort for a stable dict: numbers
            // first, then strings.
            std::sort(entries.begin(), entries.end(), [](const auto &a, const auto &b) {
                const bool aString = a.first.isString(), bString = b.first.isString();
                if (aString != bString)
                    return bString;
                if (aString)
                    return a.first.toStringRef() < b.first.toStringRef();
                const auto number = [](const c10::IValue &v) {
                    return v.isInt() ? double(v.toInt()) : v.isDouble() ? v.toDouble() : double(v.isBool() && v.toBool());
                };
                return number(a.first) < number(b.first);
            });
        }
        std::vector<c10::IValue> keyValues, values;
        for (const auto &entry : entries) {
            keyValues.push_back(entry.first);
            values.push_back(entry.second);
        }
        c10::impl::GenericDict dict(keyType ? keyType : commonType(keyValues),
                                    valueType ? valueType : commonType(values));
        for (auto &entry : entries)
            dict.insert_or_assign(std::move(entry.first), std::move(entry.second));
        return dict;
    }

    std::vector<c10::IValue> items;
    for (lua_Integer i = 1; i <= length; ++i) {
        lua_rawgeti(L, index, i);
        c10::TypePtr itemType;
        if (kind == c10::TypeKind::ListType)
            itemType = type->containedType(0);
        else if (kind == c10::TypeKind::TupleType && size_t(i - 1) < type->containedTypes().size())
            itemType = type->containedType(size_t(i - 1));
        items.push_back(toIValue(L, -1, itemType, arraysAsTuples, depth + 1));
        lua_pop(L, 1);
    }
    if (kind == c10::TypeKind::TupleType || (kind != c10::TypeKind::ListType && arraysAsTuples))
        return c10::ivalue::Tuple::create(std::move(items));
    c10::impl::GenericList list(kind == c10::TypeKind::ListType ? type->containedType(0) : commonType(items));
    for (c10::IValue &item : items)
        list.push_back(std::move(item));
    return list;
}

// ---------------------------------------------------------------------------
// torch.save / torch.load

} // namespace

// Shared with `kiln predict`, which reads tensors saved by torch.save.
c10::IValue loadCheckpoint(const std::string &path)
{
    const std::string head = readFile(path, 4);
    if (head.empty())
        fail("empty file");
    if (head.rfind("PK", 0) != 0) {
        if (static_cast<unsigned char>(head[0]) == 0x80)
            fail("legacy (pre-1.6) torch.save format is not supported; re-save it with a current "
                 "PyTorch's torch.save");
        fail("not a PyTorch checkpoint (expected a zip archive)");
    }
    caffe2::serialize::PyTorchStreamReader archive(path);
    if (!archive.hasRecord("data.pkl")) {
        if (archive.hasRecord("constants.pkl"))
            fail("this is a TorchScript archive; load it with torch.jit.load");
        fail("not a PyTorch checkpoint (no data.pkl)");
    }
    return modelfiles::readCheckpoint(archive);
}

namespace {

int torchSave(lua_State *L)
{
    luaL_checkany(L, 1);
    const std::string path = luaL_checkstring(L, 2);
    return guarded(L, [&] {
        withPath("torch.save", path, [&] {
            CheckpointWriter writer(L);
            writeAtomically(path, writer.write(1));
        });
        return 0;
    });
}

int torchLoad(lua_State *L)
{
    const std::string path = luaL_checkstring(L, 1);
    return guarded(L, [&] {
        const c10::IValue value = withPath("torch.load", path, [&] { return loadCheckpoint(path); });
        pushIValue(L, value);
        return 1;
    });
}

// ---------------------------------------------------------------------------
// safetensors

using modelfiles::kSafetensorsTypes;
using modelfiles::SafetensorsType;

int safetensorsSave(lua_State *L)
{
    const std::string path = luaL_checkstring(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    if (!lua_isnoneornil(L, 3))
        luaL_checktype(L, 3, LUA_TTABLE);
    return guarded(L, [&] {
        withPath("safetensors.save", path, [&] {
            std::vector<std::string> names;
            if (tableKeys(L, 2, names) != TableShape::Dict)
                fail("tensors must be a table of name = tensor");
            QJsonObject header;
            std::vector<at::Tensor> tensors;
            uint64_t offset = 0;
            for (const std::string &name : names) {
                lua_pushlstring(L, name.data(), name.size());
                lua_rawget(L, 2);
                std::optional<at::Tensor> tensor = testTensor(L, -1);
                lua_pop(L, 1);
                if (!tensor)
                    fail("'" + name + "' is not a tensor");
                if (name == "__metadata__")
                    fail("'__metadata__' is reserved");
                const char *dtype = nullptr;
                for (const SafetensorsType &entry : kSafetensorsTypes) {
                    if (entry.type == tensor->scalar_type())
                        dtype = entry.name;
                }
                if (!dtype)
                    fail("'" + name + "' has dtype " + c10::toString(tensor->scalar_type())
                         + ", which safetensors cannot store here");
                at::Tensor dense = tensor->detach().cpu().contiguous();
                QJsonArray shape;
                for (int64_t size : dense.sizes())
                    shape.append(qint64(size));
                const uint64_t nbytes = dense.nbytes();
                QJsonObject info;
                info.insert(QStringLiteral("dtype"), QString::fromLatin1(dtype));
                info.insert(QStringLiteral("shape"), shape);
                info.insert(QStringLiteral("data_offsets"), QJsonArray{qint64(offset), qint64(offset + nbytes)});
                header.insert(QString::fromStdString(name), info);
                offset += nbytes;
                tensors.push_back(std::move(dense));
            }
            if (lua_istable(L, 3)) {
                QJsonObject metadata;
                lua_pushnil(L);
                while (lua_next(L, 3)) {
                    if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING) {
                        lua_pop(L, 2);
                        fail("metadata must map strings to strings");
                    }
                    metadata.insert(QString::fromUtf8(lua_tostring(L, -2)), QString::fromUtf8(lua_tostring(L, -1)));
                    lua_pop(L, 1);
                }
                if (!metadata.isEmpty())
                    header.insert(QStringLiteral("__metadata__"), metadata);
            }
            QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
            // The data that follows starts 8-byte aligned, as the reference writer does.
            while (json.size() % 8 != 0)
                json.append(' ');
            std::string bytes(8, '\0');
            const uint64_t length = uint64_t(json.size());
            for (int i = 0; i < 8; ++i)
                bytes[size_t(i)] = char((length >> (8 * i)) & 0xFF);
            bytes.append(json.constData(), size_t(json.size()));
            bytes.reserve(bytes.size() + offset);
            for (const at::Tensor &tensor : tensors)
                bytes.append(static_cast<const char *>(tensor.data_ptr()), tensor.nbytes());
            writeAtomically(path, bytes);
        });
        return 0;
    });
}

int safetensorsLoad(lua_State *L)
{
    const std::string path = luaL_checkstring(L, 1);
    return guarded(L, [&] {
        std::vector<modelfiles::SafetensorsEntry> entries;
        std::vector<std::pair<std::string, std::string>> metadata;
        std::vector<at::Tensor> tensors = withPath("safetensors.load", path, [&] {
            QFile file(QString::fromStdString(path));
            if (!file.open(QIODevice::ReadOnly))
                fail("cannot open: " + file.errorString().toStdString());
            const modelfiles::SafetensorsHeader header = modelfiles::readSafetensorsHeader(file);
            const uint64_t headerSize = header.headerSize;
            entries = header.entries;
            metadata = header.metadata;
            std::vector<at::Tensor> result;
            for (const modelfiles::SafetensorsEntry &entry : entries) {
                at::Tensor tensor = at::empty(entry.shape, at::TensorOptions().dtype(entry.type));
                const qint64 nbytes = qint64(entry.end - entry.begin);
                if (!file.seek(qint64(8 + headerSize + entry.begin))
                    || file.read(static_cast<char *>(tensor.data_ptr()), nbytes) != nbytes)
                    fail("cannot read tensor '" + entry.name + "'");
                result.push_back(std::move(tensor));
            }
            return result;
        });
        pushOrderedTable(L);
        for (size_t i = 0; i < entries.size(); ++i) {
            lua_pushlstring(L, entries[i].name.data(), entries[i].name.size());
            pushTensor(L, tensors[i]);
            lua_settable(L, -3);
        }
        lua_createtable(L, 0, int(metadata.size()));
        for (const auto &entry : metadata) {
            lua_pushlstring(L, entry.first.data(), entry.first.size());
            lua_pushlstring(L, entry.second.data(), entry.second.size());
            lua_rawset(L, -3);
        }
        return 2;
    });
}

const luaL_Reg kSafetensorsFunctions[] = {
    {"save", safetensorsSave},
    {"load", safetensorsLoad},
    {nullptr, nullptr}};

// ---------------------------------------------------------------------------
// ScriptModule: a torch::jit::Module (itself a refcounted handle) in a userdata

// __gc and __close only drop the handle and set `freed`, so finalizing twice (or
// using a module a finalizer handed back to Lua) raises a clear error instead.
struct ScriptModuleBox
{
    torch::jit::Module module;
    bool freed = false;
};

void pushScriptModule(lua_State *L, torch::jit::Module module)
{
    void *memory = lua_newuserdatauv(L, sizeof(ScriptModuleBox), 0);
    new (memory) ScriptModuleBox{std::move(module), false};
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kScriptModuleMetatable);
    lua_setmetatable(L, -2);
}

ScriptModuleBox *testScriptModule(lua_State *L, int index)
{
    if (lua_type(L, index) != LUA_TUSERDATA || !lua_getmetatable(L, index))
        return nullptr;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kScriptModuleMetatable);
    const bool isModule = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return isModule ? static_cast<ScriptModuleBox *>(lua_touserdata(L, index)) : nullptr;
}

// A copy of the handle (it shares the module object), so a binding that then
// runs Lua (argument conversion, kiln.ordered) holds a live module throughout.
torch::jit::Module checkScriptModule(lua_State *L, int index)
{
    ScriptModuleBox *box = testScriptModule(L, index);
    if (!box)
        luaL_typeerror(L, index, "ScriptModule");
    if (box->freed)
        luaL_error(L, "ScriptModule used after it was freed (closed with <close> or finalized by the collector)");
    return box->module;
}

// The class name without TorchScript's "__torch__." prefix and mangling.
std::string moduleTypeName(const torch::jit::Module &module)
{
    const auto name = module.type()->name();
    if (!name)
        return "Module";
    std::string base = name->name();
    const size_t mangle = base.find("___torch_mangle_");
    if (mangle != std::string::npos)
        base.resize(mangle);
    return base;
}

int scriptModuleGc(lua_State *L)
{
    // The box was placement-new'ed into Lua's memory: destroy its module once,
    // rather than assign an empty one that nothing would ever destroy.
    ScriptModuleBox *box = testScriptModule(L, 1);
    if (box && !box->freed) {
        std::destroy_at(&box->module);
        box->freed = true;
    }
    return 0;
}

// Runs `method` with the Lua arguments from `first` on, converted as its schema says.
int callMethod(lua_State *L, torch::jit::Module module, const std::string &name, int first)
{
    return guarded(L, [&] {
        const c10::optional<torch::jit::Method> method = module.find_method(name);
        if (!method)
            fail("the module has no method '" + name + "'");
        const c10::FunctionSchema &schema = method->function().getSchema();
        const auto &arguments = schema.arguments();
        std::vector<c10::IValue> inputs;
        const int top = lua_gettop(L);
        for (int i = first; i <= top; ++i) {
            const size_t position = size_t(i - first) + 1;  // arguments[0] is self
            const c10::TypePtr type = position < arguments.size() ? arguments[position].type() : nullptr;
            try {
                inputs.push_back(toIValue(L, i, type));
            } catch (const std::runtime_error &error) {
                fail(name + ": argument " + std::to_string(position) + ": " + error.what());
            }
        }
        // One result, as in PyTorch: a tuple comes back as one array.
        pushIValue(L, (*method)(std::move(inputs)));
        return 1;
    });
}

int scriptModuleCall(lua_State *L)
{
    return callMethod(L, checkScriptModule(L, 1), "forward", 2);
}

int scriptModuleCallMethod(lua_State *L)
{
    torch::jit::Module module = checkScriptModule(L, 1);
    const std::string name = luaL_checkstring(L, 2);
    return callMethod(L, module, name, 3);
}

// Iterator over arrays of names and values kept as upvalues.
int arrayPairsNext(lua_State *L)
{
    const lua_Integer i = lua_tointeger(L, lua_upvalueindex(3)) + 1;
    if (lua_rawgeti(L, lua_upvalueindex(1), i) == LUA_TNIL)
        return 1;
    lua_rawgeti(L, lua_upvalueindex(2), i);
    lua_pushinteger(L, i);
    lua_replace(L, lua_upvalueindex(3));
    return 2;
}

// Expects a names array and a values array on the stack; replaces them with an iterator.
void pushPairsIterator(lua_State *L)
{
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, arrayPairsNext, 3);
}

template<typename List>
int namedTensors(lua_State *L, List list, bool asIterator)
{
    return guarded(L, [&] {
        lua_newtable(L);
        lua_newtable(L);
        lua_Integer i = 0;
        for (const auto &item : list) {
            ++i;
            lua_pushlstring(L, item.name.data(), item.name.size());
            lua_rawseti(L, -3, i);
            pushTensor(L, item.value);
            lua_rawseti(L, -2, i);
        }
        if (asIterator) {
            pushPairsIterator(L);
        } else {
            lua_remove(L, -2);
        }
        return 1;
    });
}

int scriptModuleNamedParameters(lua_State *L)
{
    torch::jit::Module module = checkScriptModule(L, 1);
    const bool recurse = lua_isnoneornil(L, 2) || lua_toboolean(L, 2);
    return namedTensors(L, module.named_parameters(recurse), true);
}

int scriptModuleNamedBuffers(lua_State *L)
{
    torch::jit::Module module = checkScriptModule(L, 1);
    const bool recurse = lua_isnoneornil(L, 2) || lua_toboolean(L, 2);
    return namedTensors(L, module.named_buffers(recurse), true);
}

int scriptModuleParameters(lua_State *L)
{
    torch::jit::Module module = checkScriptModule(L, 1);
    const bool recurse = lua_isnoneornil(L, 2) || lua_toboolean(L, 2);
    return namedTensors(L, module.named_parameters(recurse), false);
}

int scriptModuleNamedChildren(lua_State *L)
{
    torch::jit::Module module = checkScriptModule(L, 1);
    return guarded(L, [&] {
        lua_newtable(L);
        lua_newtable(L);
        lua_Integer i = 0;
        for (const auto &child : module.named_children()) {
            ++i;
            lua_pushlstring(L, child.name.data(), child.name.size());
            lua_rawseti(L, -3, i);
            pushScriptModule(L, child.value);
            lua_rawseti(L, -2, i);
        }
        pushPairsIterator(L);
        return 1;
    });
}

int scriptModuleChildren(lua_State *L)
{
    torch::jit::Module module = checkScriptModule(L, 1);
    return guarded(L, [&] {
        lua_newtable(L);
        lua_Integer i = 0;
        for (const auto &child : module.children()) {
            pushScriptModule(L, child);
            lua_rawseti(L, -2, ++i);
        }
        return 1;
    });
}

int scriptModuleMethods(lua_State *L)
{
    torch::jit::Module module = checkScriptModule(L, 1);
    return guarded(L, [&] {
        lua_newtable(L);
        lua_Integer i = 0;
        for (const torch::jit::Method &method : module.get_methods()) {
            std::ostringstream schema;
            schema << method.function().getSchema();
            const std::string text = schema.str();
            lua_createtable(L, 0, 2);
            lua_pushlstring(L, method.name().data(), method.name().size());
            lua_setfield(L, -2, "name");
            lua_pushlstring(L, text.data(), text.size());
            lua_setfield(L, -2, "schema");
            lua_rawseti(L, -2, ++i);
        }
        return 1;
    });
}

// PyTorch's order: each module's parameters, then its buffers, then its children.
void collectStateDict(const torch::jit::Module &module, const std::string &prefix,
                      std::vector<std::pair<std::string, at::Tensor>> &out)
{
    for (const auto &p : module.named_parameters(false))
        out.emplace_back(prefix + p.name, p.value);
    for (const auto &b : module.named_buffers(false))
        out.emplace_back(prefix + b.name, b.value);
    for (const auto &child : module.named_children())
        collectStateDict(child.value, prefix + child.name + ".", out);
}

int scriptModuleStateDict(lua_State *L)
{
    torch::jit::Module module = checkScriptModule(L, 1);
    return guarded(L, [&] {
        std::vector<std::pair<std::string, at::Tensor>> entries;
        collectStateDict(module, "", entries);
        pushOrderedTable(L);
        for (const auto &entry : entries) {
            lua_pushlstring(L, entry.first.data(), entry.first.size());
            pushTensor(L, entry.second.detach());
            lua_settable(L, -3);
        }
        return 1;
    });
}

int scriptModuleTrain(lua_State *L)
{
    torch::jit::Module module = checkScriptModule(L, 1);
    const bool on = lua_isnoneornil(L, 2) || lua_toboolean(L, 2);
    return guarded(L, [&] {
        module.train(on);
        lua_settop(L, 1);
        return 1;
    });
}

int scriptModuleEval(lua_State *L)
{
    torch::jit::Module module = checkScriptModule(L, 1);
    return guarded(L, [&] {
        module.eval();
        lua_settop(L, 1);
        return 1;
    });
}

// sm:to(device_or_dtype), sm:cuda(), sm:cpu(): in place, as nn.Module's, returning sm.
int scriptModuleTo(lua_State *L)
{
    torch::jit::Module module = checkScriptModule(L, 1);
    const bool isDevice = isDeviceName(L, 2);
    const c10::Device device = isDevice ? checkDevice(L, 2) : c10::Device(c10::kCPU);
    const at::ScalarType dtype = isDevice ? at::kFloat : checkDtype(L, 2);
    return guarded(L, [&] {
        if (isDevice)
            module.to(device);
        else
            module.to(dtype);
        lua_settop(L, 1);
        return 1;
    });
}

int scriptModuleCuda(lua_State *L)
{
    lua_settop(L, 1);
    lua_pushliteral(L, "cuda");
    return scriptModuleTo(L);
}

int scriptModuleCpu(lua_State *L)
{
    lua_settop(L, 1);
    lua_pushliteral(L, "cpu");
    return scriptModuleTo(L);
}

int scriptModuleSave(lua_State *L)
{
    torch::jit::Module module = checkScriptModule(L, 1);
    const std::string path = luaL_checkstring(L, 2);
    return guarded(L, [&] {
        withPath("ScriptModule:save", path, [&] {
            std::ostringstream out;
            module.save(out);
            writeAtomically(path, out.str());
        });
        return 0;
    });
}

void describeModule(const torch::jit::Module &module, int indent, std::string &out)
{
    out += "RecursiveScriptModule(";
    const auto children = module.named_children();
    if (children.size() == 0) {
        out += "original_name=" + moduleTypeName(module) + ")";
        return;
    }
    const std::string pad(size_t(indent + 2), ' ');
    out += "\n" + pad + "original_name=" + moduleTypeName(module) + "\n";
    for (const auto &child : children) {
        out += pad + "(" + child.name + "): ";
        describeModule(child.value, indent + 2, out);
        out += "\n";
    }
    out += std::string(size_t(indent), ' ') + ")";
}

int scriptModuleToString(lua_State *L)
{
    torch::jit::Module module = checkScriptModule(L, 1);
    return guarded(L, [&] {
        std::string text;
        describeModule(module, 0, text);
        lua_pushlstring(L, text.data(), text.size());
        return 1;
    });
}

// m.name: a method, `training`, or else a submodule, parameter, buffer or
// attribute of the TorchScript object.
int scriptModuleIndex(lua_State *L)
{
    torch::jit::Module module = checkScriptModule(L, 1);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
        return 1;
    lua_pop(L, 1);
    if (lua_type(L, 2) != LUA_TSTRING)
        return 0;
    const std::string name = lua_tostring(L, 2);
    if (name == "training") {
        lua_pushboolean(L, module.is_training());
        return 1;
    }
    return guarded(L, [&] {
        if (!module.hasattr(name))
            return 0;
        pushIValue(L, module.attr(name));
        return 1;
    });
}

const luaL_Reg kScriptModuleMethods[] = {
    {"forward", scriptModuleCall},
    {"call_method", scriptModuleCallMethod},
    {"named_parameters", scriptModuleNamedParameters},
    {"named_buffers", scriptModuleNamedBuffers},
    {"parameters", scriptModuleParameters},
    {"named_children", scriptModuleNamedChildren},
    {"children", scriptModuleChildren},
    {"methods", scriptModuleMethods},
    {"state_dict", scriptModuleStateDict},
    {"train", scriptModuleTrain},
    {"eval", scriptModuleEval},
    {"save", scriptModuleSave},
    {"to", scriptModuleTo},
    {"cuda", scriptModuleCuda},
    {"cpu", scriptModuleCpu},
    {nullptr, nullptr}};

const luaL_Reg kScriptModuleMetamethods[] = {
    {"__gc", scriptModuleGc},
    {"__close", scriptModuleGc},
    {"__call", scriptModuleCall},
    {"__tostring", scriptModuleToString},
    {nullptr, nullptr}};

int jitLoad(lua_State *L)
{
    const std::string path = luaL_checkstring(L, 1);
    return guarded(L, [&] {
        torch::jit::Module module = withPath("torch.jit.load", path, [&] {
            const std::string head = readFile(path, 4);
            if (head.empty())
                fail("empty file");
            if (head.rfind("PK", 0) != 0)
                fail("not a TorchScript archive (expected a zip archive)");
            {
                caffe2::serialize::PyTorchStreamReader archive(path);
                if (!archive.hasRecord("constants.pkl") && archive.hasRecord("data.pkl"))
                    fail("not a TorchScript archive but a torch.save checkpoint; load it with torch.load");
            }
            return torch::jit::load(path, c10::Device(c10::kCPU));
        });
        pushScriptModule(L, std::move(module));
        return 1;
    });
}

// ---------------------------------------------------------------------------
// torch.jit.trace

bool isIdentifier(const std::string &name)
{
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])))
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
}

// Calls model:<method>() and gathers its (name, tensor) pairs into an array of
// {name, tensor} at the top of the stack. Lua errors propagate as usual: no C++
// object is live here.
void collectNamedTensors(lua_State *L, int model, const char *method)
{
    lua_newtable(L);
    const int result = lua_gettop(L);
    if (lua_getfield(L, model, method) == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    lua_pushvalue(L, model);
    lua_call(L, 1, 3);
    lua_Integer n = 0;
    for (;;) {
        lua_pushvalue(L, -3);
        lua_pushvalue(L, -3);
        lua_pushvalue(L, -3);
        lua_call(L, 2, 2);
        if (lua_isnil(L, -2)) {
            lua_pop(L, 2);
            break;
        }
        if (lua_type(L, -2) != LUA_TSTRING || !isTensor(L, -1))
            luaL_error(L, "torch.jit.trace: model:%s() must give (name, tensor) pairs", method);
        // f s control name tensor
        lua_createtable(L, 2, 0);
        lua_pushvalue(L, -3);
        lua_rawseti(L, -2, 1);
        lua_pushvalue(L, -2);
        lua_rawseti(L, -2, 2);
        lua_rawseti(L, result, ++n);
        lua_pop(L, 1);
        lua_replace(L, -2);  // the name is the next control value
    }
    lua_pop(L, 3);
}

// Thrown through the tracer when the traced Lua code raised an error.
struct LuaErrorPending
{
};

// Stack slots of torch.jit.trace: model, example, inputs array, parameters, buffers, error.
constexpr int kTraceErrorSlot = 6;

int jitTrace(lua_State *L)
{
    const int type = lua_type(L, 1);
    luaL_argexpected(L, type == LUA_TFUNCTION || type == LUA_TTABLE, 1, "function or module");
    luaL_argexpected(L, isTensor(L, 2) || lua_istable(L, 2), 2, "tensor or array of tensors");
    if (!lua_isnoneornil(L, 3))
        luaL_checktype(L, 3, LUA_TTABLE);
    // Lua models return tables, so dict and list outputs are allowed unless asked otherwise.
    const bool strict = optBool(L, 3, "strict", false);
    lua_settop(L, 2);
    // Example inputs as a Lua array at index 3.
    if (isTensor(L, 2)) {
        lua_createtable(L, 1, 0);
        lua_pushvalue(L, 2);
        lua_rawseti(L, -2, 1);
    } else {
        lua_pushvalue(L, 2);
    }
    const lua_Integer inputCount = lua_Integer(lua_rawlen(L, 3));
    for (lua_Integer i = 1; i <= inputCount; ++i) {
        lua_rawgeti(L, 3, i);
        if (!isTensor(L, -1))
            luaL_argerror(L, 2, "example inputs must be tensors");
        lua_pop(L, 1);
    }
    std::string className = "LuaModule";
    if (type == LUA_TTABLE) {
        if (luaL_getmetafield(L, 1, "__name") == LUA_TSTRING) {
            const std::string name = lua_tostring(L, -1);
            if (isIdentifier(name))
                className = name;
        }
        lua_settop(L, 3);
        collectNamedTensors(L, 1, "named_parameters");  // index 4
        collectNamedTensors(L, 1, "named_buffers");     // index 5
    } else {
        lua_newtable(L);
        lua_newtable(L);
    }

    lua_pushnil(L);  // kTraceErrorSlot
    bool luaErrorPending = false;
    const int results = guarded(L, [&] {
        auto unit = std::make_shared<torch::jit::CompilationUnit>();
        const auto makeModule = [&](const std::string &name) {
            return torch::jit::Module(c10::QualifiedName("__torch__." + name), unit, true);
        };
        torch::jit::Module root = makeModule(className);
        std::map<std::string, torch::jit::Module> modules{{"", root}};
        // "fc1.weight" registers `weight` on the submodule `fc1`, made on first use.
        const auto owner = [&](const std::string &dotted, std::string &leaf) -> torch::jit::Module & {
            std::string prefix;
            size_t start = 0;
            for (size_t dot; (dot = dotted.find('.', start)) != std::string::npos; start = dot + 1) {
                const std::string part = dotted.substr(start, dot - start);
                const std::string path = prefix.empty() ? part : prefix + "." + part;
                if (part.empty())
                    fail("bad parameter name '" + dotted + "'");
                if (!modules.count(path)) {
                    std::string typeName = className + "_" + path;
                    std::replace(typeName.begin(), typeName.end(), '.', '_');
                    torch::jit::Module child = makeModule(typeName);
                    modules.at(prefix).register_module(part, child);
                    modules.emplace(path, child);
                }
                prefix = path;
            }
            leaf = dotted.substr(start);
            if (leaf.empty())
                fail("bad parameter name '" + dotted + "'");
            return modules.at(prefix);
        };
        for (int list = 4; list <= 5; ++list) {
            const lua_Integer n = lua_Integer(lua_rawlen(L, list));
            for (lua_Integer i = 1; i <= n; ++i) {
                lua_rawgeti(L, list, i);
                lua_rawgeti(L, -1, 1);
                lua_rawgeti(L, -2, 2);
                const std::string dotted = lua_tostring(L, -2);
                const at::Tensor tensor = checkTensor(L, -1);
                lua_pop(L, 3);
                std::string leaf;
                torch::jit::Module &module = owner(dotted, leaf);
                if (module.hasattr(leaf))
                    fail("'" + dotted + "' is named twice");
                // The very tensors the Lua module computes with, so the tracer
                // sees them as the module's attributes rather than constants.
                module.register_parameter(leaf, tensor, list == 5);
            }
        }

        torch::jit::Stack inputs;
        for (lua_Integer i = 1; i <= inputCount; ++i) {
            lua_rawgeti(L, 3, i);
            inputs.emplace_back(checkTensor(L, -1));
            lua_pop(L, 1);
        }
        const auto run = [L](torch::jit::Stack stack) -> torch::jit::Stack {
            const int base = lua_gettop(L);
            lua_pushvalue(L, 1);
            for (const c10::IValue &input : stack)
                pushTensor(L, input.toTensor());
            if (lua_pcall(L, int(stack.size()), LUA_MULTRET, 0) != LUA_OK) {
                // Keep the error value (an interrupt is not a string) to raise it
                // again once the tracer has unwound.
                lua_copy(L, -1, kTraceErrorSlot);
                lua_settop(L, base);
                throw LuaErrorPending();
            }
            const int results = lua_gettop(L) - base;
            torch::jit::Stack outputs;
            try {
                if (results == 0)
                    fail("the traced model returned nothing");
                std::vector<c10::IValue> values;
                for (int i = base + 1; i <= base + results; ++i)
                    values.push_back(toIValue(L, i, nullptr, true));
                outputs.push_back(results == 1 ? values[0] : c10::ivalue::Tuple::create(std::move(values)));
            } catch (...) {
                lua_settop(L, base);
                throw;
            }
            lua_settop(L, base);
            return outputs;
        };
        std::pair<std::shared_ptr<torch::jit::tracer::TracingState>, torch::jit::Stack> traced;
        try {
            traced = torch::jit::tracer::trace(
                std::move(inputs), run, [](const at::Tensor &) { return std::string(); },
                strict, /*force_outplace=*/false, &root);
        } catch (const LuaErrorPending &) {
            luaErrorPending = true;
            return 0;
        }
        std::shared_ptr<torch::jit::Graph> graph = traced.first->graph;
        torch::jit::FixupTraceScopeBlocks(graph, &root);
        torch::jit::NormalizeOps(graph);
        auto *function = root._ivalue()->compilation_unit()->create_function(
            c10::QualifiedName(*root.type()->name(), "forward"), graph);
        root.type()->addMethod(function);
        pushScriptModule(L, root);
        return 1;
    });
    if (luaErrorPending) {
        lua_pushvalue(L, kTraceErrorSlot);
        return lua_error(L);
    }
    return results;
}

// torch.jit.is_script_module(value): nn.Module fields that hold one register it as a child.
int jitIsScriptModule(lua_State *L)
{
    lua_pushboolean(L, testScriptModule(L, 1) != nullptr);
    return 1;
}

const luaL_Reg kJitFunctions[] = {
    {"is_script_module", jitIsScriptModule},
    {"load", jitLoad},
    {"trace", jitTrace},
    {nullptr, nullptr}};

} // namespace

void openSerialization(lua_State *L)
{
    lua_newtable(L);
    luaL_setfuncs(L, kScriptModuleMetamethods, 0);
    lua_pushliteral(L, "ScriptModule");
    lua_setfield(L, -2, "__name");
    protectMetatable(L, -1, "ScriptModule");
    lua_newtable(L);
    luaL_setfuncs(L, kScriptModuleMethods, 0);
    lua_pushcclosure(L, scriptModuleIndex, 1);
    lua_setfield(L, -2, "__index");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kScriptModuleMetatable);

    lua_getglobal(L, "torch");
    lua_pushcfunction(L, torchSave);
    lua_setfield(L, -2, "save");
    lua_pushcfunction(L, torchLoad);
    lua_setfield(L, -2, "load");
    lua_newtable(L);
    luaL_setfuncs(L, kJitFunctions, 0);
    lua_setfield(L, -2, "jit");
    lua_pop(L, 1);

    lua_newtable(L);
    luaL_setfuncs(L, kSafetensorsFunctions, 0);
    lua_setglobal(L, "safetensors");
}

} // namespace kiln::lua
