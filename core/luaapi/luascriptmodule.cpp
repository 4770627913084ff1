#include "luaapi/luaserialize_p.h"

#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/serialization/import.h>

#include <sstream>
#include <string>
#include <vector>

// ScriptModule: a torch::jit::Module (itself a refcounted handle) in a userdata,
// with nn.Module's reading methods (parameters, state_dict, children, ...),
// train/eval/to, and calls converted through each method's schema; plus
// torch.jit.load and the torch.jit table.

namespace kiln::lua {

namespace {

char kScriptModuleMetatable;

// __gc and __close only drop the handle and set `freed`, so finalizing twice (or
// using a module a finalizer handed back to Lua) raises a clear error instead.
struct ScriptModuleBox
{
    torch::jit::Module module;
    bool freed = false;
};

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

// sm:load_state_dict(state, strict?): nn.Module's own, one implementation for
// both kinds of module. It needs only state_dict(), whose tensors share the
// module's storage, so copying into them loads the module in place.
int scriptModuleLoadStateDict(lua_State *L)
{
    checkScriptModule(L, 1);
    lua_settop(L, 3);
    if (lua_getglobal(L, "nn") != LUA_TTABLE || lua_getfield(L, -1, "Module") != LUA_TTABLE
        || lua_getfield(L, -1, "load_state_dict") != LUA_TFUNCTION)
        return luaL_error(L, "load_state_dict: Kiln's nn library is not loaded");
    lua_replace(L, 4);
    lua_settop(L, 4);
    lua_insert(L, 1);
    lua_call(L, 3, 1);
    return 1;
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
    {"load_state_dict", scriptModuleLoadStateDict},
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

// torch.jit.is_script_module(value): nn.Module fields that hold one register it as a child.
int jitIsScriptModule(lua_State *L)
{
    lua_pushboolean(L, testScriptModule(L, 1) != nullptr);
    return 1;
}

const luaL_Reg kJitFunctions[] = {
    {"is_script_module", jitIsScriptModule},
    {"load", jitLoad},
    {"save", scriptModuleSave},
    {"trace", jitTrace},
    {nullptr, nullptr}};

} // namespace

void pushScriptModule(lua_State *L, torch::jit::Module module)
{
    void *memory = lua_newuserdatauv(L, sizeof(ScriptModuleBox), 0);
    new (memory) ScriptModuleBox{std::move(module), false};
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kScriptModuleMetatable);
    lua_setmetatable(L, -2);
}

void registerScriptModule(lua_State *L)
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
}

void registerJit(lua_State *L, int torchTable)
{
    torchTable = lua_absindex(L, torchTable);
    lua_newtable(L);
    luaL_setfuncs(L, kJitFunctions, 0);
    lua_setfield(L, torchTable, "jit");
}

} // namespace kiln::lua
