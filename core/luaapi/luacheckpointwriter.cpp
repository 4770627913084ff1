#include "luaapi/luaserialize_p.h"
#include "readers/modelfiles_p.h"

#include <caffe2/serialize/inline_container.h>

#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

// torch.save's writer: Lua values (tensors, numbers, strings, booleans, tables
// of them) as PyTorch's zip checkpoint, data.pkl being a protocol 2 pickle that
// Python's torch.load reads. Tensors sharing a storage share its record.

namespace kiln::lua {

namespace {

using modelfiles::isUtf8;

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
            std::vector<lua_Integer> integerKeys;
            const TableShape shape = tableKeys(L, index, keys, &integerKeys);
            if (shape == TableShape::IntegerDict) {
                op('}');
                for (size_t i = 0; i < integerKeys.size(); ++i) {
                    if (i % 1000 == 0)
                        op('(');
                    integer(integerKeys[i]);
                    lua_rawgeti(L, index, integerKeys[i]);
                    value(-1, depth + 1);
                    lua_pop(L, 1);
                    if ((i + 1) % 1000 == 0 || i + 1 == integerKeys.size())
                        op('u');
                }
                return;
            }
            if (shape == TableShape::List) {
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

} // namespace

std::string writeCheckpoint(lua_State *L, int index)
{
    CheckpointWriter writer(L);
    return writer.write(index);
}

} // namespace kiln::lua
