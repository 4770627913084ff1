#pragma once

// Internal to core's serialization sources (torch.save/load, safetensors,
// TorchScript modules): the file helpers, table shapes and IValue conversion
// they share. Includes torch; never include this from ui/.
#include "luaapi/luatensor_p.h"

#include <torch/csrc/jit/api/module.h>

#include <QtCore/QtGlobal>

#include <stdexcept>
#include <string>
#include <vector>

namespace kiln::lua {

// How deep pushIValue, toIValue and the checkpoint writer follow nested values.
constexpr int kMaxDepth = 200;

// Errors raised inside guarded() blocks; the message ends up as the Lua error.
[[noreturn]] void fail(const std::string &message);

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
void writeAtomically(const std::string &path, const std::string &bytes);
// The file's bytes, or its first `limit` bytes.
std::string readFile(const std::string &path, qint64 limit = -1);

// ---------------------------------------------------------------------------
// Lua tables as PyTorch containers (luaserialize.cpp)

// Pushes a fresh table from kiln.ordered, whose __newindex records key order.
void pushOrderedTable(lua_State *L);
// Made by kiln.ordered: the metatable keeps the key order in __keys.
bool isOrdered(lua_State *L, int index);
// A table's keys in the order torch.save and safetensors.save write them: the
// __keys order of an ordered table, else an array's 1..n, else sorted strings,
// else (where integerKeys is given) sorted integers, as optimizer state uses.
enum class TableShape { List, Dict, IntegerDict };
TableShape tableKeys(lua_State *L, int index, std::vector<std::string> &keys,
                     std::vector<lua_Integer> *integerKeys = nullptr);

// PyTorch's zip checkpoint of the Lua value at `index`: data.pkl (a protocol 2
// pickle) plus one record per storage (luacheckpointwriter.cpp).
std::string writeCheckpoint(lua_State *L, int index);

// ---------------------------------------------------------------------------
// IValues and Lua values (luaivalue.cpp)

// Tuples and lists become arrays, dicts ordered tables, None nil.
void pushIValue(lua_State *L, const c10::IValue &value, int depth = 0);
// A Lua value as the IValue `expected` calls for; without a type (or Any) the
// value decides: arrays become lists (tuples when `arraysAsTuples`, for traced
// outputs), string-keyed tables dicts.
c10::IValue toIValue(lua_State *L, int index, const c10::TypePtr &expected, bool arraysAsTuples = false, int depth = 0);

// ---------------------------------------------------------------------------
// The globals each part adds

// A ScriptModule userdata holding `module` (luascriptmodule.cpp).
void pushScriptModule(lua_State *L, torch::jit::Module module);
// The ScriptModule metatable, in the registry (luascriptmodule.cpp).
void registerScriptModule(lua_State *L);
// torch.jit: load, trace, is_script_module, in the table at `torchTable` (luascriptmodule.cpp).
void registerJit(lua_State *L, int torchTable);
// torch.jit.trace (luajittrace.cpp).
int jitTrace(lua_State *L);
// The safetensors global: save, load (luasafetensors.cpp).
void registerSafetensors(lua_State *L);

} // namespace kiln::lua
