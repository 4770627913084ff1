#include "luaapi/luatensor_p.h"
#include "luaapi/luatensorops_p.h"

#include <optional>
#include <vector>

// Autograd in Lua: grad mode (torch.no_grad as a call wrapper or a
// to-be-closed guard), torch.autograd.grad/backward, and the Tensor methods
// that touch the graph (backward, detach, requires_grad_, retain_grad).

namespace kiln::lua {

namespace {

struct GradModeGuard
{
    bool previous;
    bool closed;
};

int gradModeClose(lua_State *L)
{
    auto *guard = static_cast<GradModeGuard *>(luaL_checkudata(L, 1, "kiln.GradModeGuard"));
    if (!guard->closed) {
        at::GradMode::set_enabled(guard->previous);
        guard->closed = true;
    }
    return 0;
}

// torch.no_grad(fn, ...) runs fn without recording; torch.no_grad() returns a
// to-be-closed guard: `local _ <close> = torch.no_grad()`.
template<bool Enabled>
int torchGradMode(lua_State *L)
{
    if (lua_isfunction(L, 1)) {
        const at::AutoGradMode guard(Enabled);  // restored even when fn raises
        lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
        return lua_gettop(L);
    }
    auto *guard = static_cast<GradModeGuard *>(lua_newuserdatauv(L, sizeof(GradModeGuard), 0));
    guard->previous = at::GradMode::is_enabled();
    guard->closed = false;
    luaL_setmetatable(L, "kiln.GradModeGuard");
    at::GradMode::set_enabled(Enabled);
    return 1;
}

int torchIsGradEnabled(lua_State *L)
{
    lua_pushboolean(L, at::GradMode::is_enabled());
    return 1;
}

int torchSetGradEnabled(lua_State *L)
{
    at::GradMode::set_enabled(lua_toboolean(L, 1));
    return 0;
}

std::vector<at::Tensor> tensorOrList(lua_State *L, int index)
{
    if (std::optional<at::Tensor> tensor = testTensor(L, index))
        return {*tensor};
    std::vector<at::Tensor> tensors;
    if (lua_isnoneornil(L, index))
        return tensors;
    luaL_checktype(L, index, LUA_TTABLE);
    const lua_Integer n = luaL_len(L, index);
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_rawgeti(L, index, i);
        tensors.push_back(checkTensor(L, lua_gettop(L)));
        lua_pop(L, 1);
    }
    return tensors;
}

// torch.autograd.grad(outputs, inputs, {grad_outputs, retain_graph, create_graph, allow_unused})
int autogradGrad(lua_State *L)
{
    const bool single = isTensor(L, 2);
    const std::vector<at::Tensor> outputs = tensorOrList(L, 1);
    const std::vector<at::Tensor> inputs = tensorOrList(L, 2);
    std::vector<at::Tensor> gradOutputs;
    if (lua_istable(L, 3)) {
        lua_getfield(L, 3, "grad_outputs");
        gradOutputs = tensorOrList(L, lua_gettop(L));
        lua_pop(L, 1);
    }
    const bool createGraph = optBool(L, 3, "create_graph", false);
    const bool retainGraph = optBool(L, 3, "retain_graph", createGraph);
    const bool allowUnused = optBool(L, 3, "allow_unused", false);
    return guarded(L, [&] {
        const auto grads = torch::autograd::grad(outputs, inputs, gradOutputs, retainGraph, createGraph, allowUnused);
        if (single) {
            pushTensor(L, grads.at(0));
            return 1;
        }
        lua_createtable(L, int(grads.size()), 0);
        for (size_t i = 0; i < grads.size(); ++i) {
            pushTensor(L, grads[i]);
            lua_rawseti(L, -2, lua_Integer(i + 1));
        }
        return 1;
    });
}

// t:backward(gradient?, {retain_graph, create_graph})
int tensorBackward(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    at::Tensor gradient;
    int options = 0;
    if (isTensor(L, 2))
        gradient = checkTensor(L, 2);
    if (lua_istable(L, 2) && !isTensor(L, 2))
        options = 2;
    else if (lua_istable(L, 3))
        options = 3;
    const bool createGraph = optBool(L, options, "create_graph", false);
    const bool retainGraph = optBool(L, options, "retain_graph", createGraph);
    return guarded(L, [&] {
        tensor.backward(gradient, retainGraph, createGraph);
        return 0;
    });
}

int autogradBackward(lua_State *L)
{
    const std::vector<at::Tensor> tensors = tensorOrList(L, 1);
    const std::vector<at::Tensor> grads = tensorOrList(L, 2);
    return guarded(L, [&] {
        torch::autograd::backward(tensors, grads);
        return 0;
    });
}

int tensorDetach(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    return guarded(L, [&] {
        pushTensor(L, tensor.detach());
        return 1;
    });
}

int tensorRequiresGrad_(lua_State *L)
{
    at::Tensor tensor = checkTensor(L, 1);
    const bool requires = lua_isnoneornil(L, 2) ? true : lua_toboolean(L, 2);
    return guarded(L, [&] {
        tensor.requires_grad_(requires);
        lua_settop(L, 1);
        return 1;
    });
}

int tensorRetainGrad(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    return guarded(L, [&] {
        tensor.retain_grad();
        return 0;
    });
}

const luaL_Reg kAutogradFunctions[] = {
    {"no_grad", torchGradMode<false>}, {"enable_grad", torchGradMode<true>},
    {"is_grad_enabled", torchIsGradEnabled}, {"set_grad_enabled", torchSetGradEnabled},
    {"detach", tensorDetach},
    {nullptr, nullptr}};

const luaL_Reg kAutogradMethods[] = {
    {"backward", tensorBackward}, {"detach", tensorDetach}, {"requires_grad_", tensorRequiresGrad_},
    {"retain_grad", tensorRetainGrad},
    {nullptr, nullptr}};

} // namespace

void registerAutograd(lua_State *L, int methods, int torchTable)
{
    methods = lua_absindex(L, methods);
    torchTable = lua_absindex(L, torchTable);
    lua_pushvalue(L, torchTable);
    luaL_setfuncs(L, kAutogradFunctions, 0);
    lua_pop(L, 1);
    lua_pushvalue(L, methods);
    luaL_setfuncs(L, kAutogradMethods, 0);
    lua_pop(L, 1);

    lua_newtable(L);
    lua_setfield(L, torchTable, "autograd");
    lua_getfield(L, torchTable, "autograd");
    lua_pushcfunction(L, autogradGrad);
    lua_setfield(L, -2, "grad");
    lua_pushcfunction(L, autogradBackward);
    lua_setfield(L, -2, "backward");
    registerAutogradCallbacks(L, methods, lua_gettop(L));
    lua_pop(L, 1);

    luaL_newmetatable(L, "kiln.GradModeGuard");
    lua_pushcfunction(L, gradModeClose);
    lua_setfield(L, -2, "__close");
    protectMetatable(L, -1, "kiln.GradModeGuard");
    lua_pop(L, 1);
}

} // namespace kiln::lua
