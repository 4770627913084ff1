#include "luaapi/luaserialize_p.h"
#include "readers/checkpoint_p.h"
#include "readers/modelfiles_p.h"

#include <caffe2/serialize/inline_container.h>

#include <QtCore/QFile>
#include <QtCore/QSaveFile>

#include <algorithm>
#include <string>
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
//
// This file holds torch.save/torch.load and what the parts share (files, table
// shapes); the pickle writer, IValue conversion, safetensors, ScriptModule and
// torch.jit.trace have files of their own (luaserialize_p.h lists them).

namespace kiln::lua {

namespace {

char kOrderedNewKey;

} // namespace

[[noreturn]] void fail(const std::string &message)
{
    throw std::runtime_error(message);
}

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

std::string readFile(const std::string &path, qint64 limit)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        fail("cannot open: " + file.errorString().toStdString());
    const QByteArray bytes = limit >= 0 ? file.read(limit) : file.readAll();
    return std::string(bytes.constData(), size_t(bytes.size()));
}

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

TableShape tableKeys(lua_State *L, int index, std::vector<std::string> &keys, std::vector<lua_Integer> *integerKeys)
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
    bool allStrings = true, allIntegers = true;
    std::vector<lua_Integer> integers;
    lua_pushnil(L);
    while (lua_next(L, index)) {
        ++count;
        if (lua_type(L, -2) == LUA_TSTRING) {
            keys.emplace_back(lua_tostring(L, -2));
            allIntegers = false;
        } else {
            allStrings = false;
            if (lua_isinteger(L, -2))
                integers.push_back(lua_tointeger(L, -2));
            else
                allIntegers = false;
        }
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
    // PyTorch's optimizer state is keyed by parameter positions 0..n-1.
    if (allIntegers && integerKeys) {
        std::sort(integers.begin(), integers.end());
        *integerKeys = std::move(integers);
        return TableShape::IntegerDict;
    }
    fail("a table to save must be an array (keys 1..n), have string keys only or integer keys only");
}

// ---------------------------------------------------------------------------
// torch.save / torch.load

// Shared with `kiln predict`, which reads tensors saved by torch.save.
c10::IValue loadCheckpoint(const std::string &path)
{
    const std::string head = readFile(path, 4);
    if (head.empty())
        fail("empty file");
    if (head.rfind("PK", 0) != 0) {
        if (modelfiles::isLegacyCheckpoint(head))
            return modelfiles::readLegacyCheckpoint(readFile(path));
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
        withPath("torch.save", path, [&] { writeAtomically(path, writeCheckpoint(L, 1)); });
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

} // namespace

void openSerialization(lua_State *L)
{
    registerScriptModule(L);

    lua_getglobal(L, "torch");
    lua_pushcfunction(L, torchSave);
    lua_setfield(L, -2, "save");
    lua_pushcfunction(L, torchLoad);
    lua_setfield(L, -2, "load");
    registerJit(L, -1);
    lua_pop(L, 1);

    registerSafetensors(L);
}

} // namespace kiln::lua
