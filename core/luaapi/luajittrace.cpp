#include "luaapi/luaserialize_p.h"

#include <torch/csrc/jit/frontend/tracer.h>
#include <torch/csrc/jit/passes/fixup_trace_scope_blocks.h>
#include <torch/csrc/jit/passes/normalize_ops.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <string>
#include <vector>

// torch.jit.trace: runs a Lua model (a function, or an nn.Module whose
// parameters and buffers become the traced Module's) under libtorch's tracer
// and returns the recorded graph as a ScriptModule.

namespace kiln::lua {

namespace {

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

} // namespace

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

} // namespace kiln::lua
