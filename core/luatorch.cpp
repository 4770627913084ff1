#include "luatorch_p.h"

#include <torch/torch.h>

#include <sstream>
#include <string>
#include <vector>

// The first piece of the torch Lua API: tensors as full userdata holding one
// at::Tensor (a refcounted pointer, so creating one is a single small allocation
// for Lua plus libtorch's own). The metatable is found by address in the
// registry, never by name, so hot paths make no string lookups.

namespace kiln {

namespace {

char kTensorMetatable;

at::Tensor *testTensor(lua_State *L, int index)
{
    auto *tensor = static_cast<at::Tensor *>(lua_touserdata(L, index));
    if (!tensor || !lua_getmetatable(L, index))
        return nullptr;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kTensorMetatable);
    const bool isTensor = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return isTensor ? tensor : nullptr;
}

at::Tensor &checkTensor(lua_State *L, int index)
{
    at::Tensor *tensor = testTensor(L, index);
    if (!tensor)
        luaL_typeerror(L, index, "Tensor");
    return *tensor;
}

void pushTensor(lua_State *L, at::Tensor tensor)
{
    void *memory = lua_newuserdatauv(L, sizeof(at::Tensor), 0);
    new (memory) at::Tensor(std::move(tensor));
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kTensorMetatable);
    lua_setmetatable(L, -2);
}

// libtorch reports errors with exceptions; Lua must see them as Lua errors with
// PyTorch's message. The message is copied out before raising.
template<typename Function>
int guarded(lua_State *L, Function &&function)
{
    std::string message;
    try {
        return function();
    } catch (const c10::Error &error) {
        message = error.what_without_backtrace();
    } catch (const std::exception &error) {
        message = error.what();
    }
    return luaL_error(L, "%s", message.c_str());
}

// A tensor operand or a Lua number, for the arithmetic metamethods.
at::Tensor operand(lua_State *L, int index)
{
    if (at::Tensor *tensor = testTensor(L, index))
        return *tensor;
    if (lua_isinteger(L, index))
        return at::scalar_tensor(int64_t(lua_tointeger(L, index)), at::kLong);
    if (lua_type(L, index) == LUA_TNUMBER)
        return at::scalar_tensor(lua_tonumber(L, index), at::kDouble);
    luaL_typeerror(L, index, "Tensor or number");
    return at::Tensor();
}

std::vector<int64_t> sizesFromArguments(lua_State *L, int first)
{
    std::vector<int64_t> sizes;
    if (lua_istable(L, first)) {
        const lua_Integer n = luaL_len(L, first);
        for (lua_Integer i = 1; i <= n; ++i) {
            lua_rawgeti(L, first, i);
            sizes.push_back(luaL_checkinteger(L, -1));
            lua_pop(L, 1);
        }
        return sizes;
    }
    for (int i = first; i <= lua_gettop(L) && lua_isinteger(L, i); ++i)
        sizes.push_back(lua_tointeger(L, i));
    return sizes;
}

// Nested Lua tables of numbers -> a float32 tensor (int64 when every value is an integer).
void collectNested(lua_State *L, int index, int depth, std::vector<int64_t> &shape, std::vector<double> &values,
                   bool &allIntegers)
{
    luaL_checkstack(L, 4, "table too deep");
    const lua_Integer n = luaL_len(L, index);
    if (int(shape.size()) == depth)
        shape.push_back(n);
    else if (shape[size_t(depth)] != n)
        luaL_error(L, "torch.tensor: ragged nested table (dimension %d has %d and %d entries)", depth,
                   int(shape[size_t(depth)]), int(n));
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_rawgeti(L, index, i);
        if (lua_istable(L, -1)) {
            collectNested(L, lua_gettop(L), depth + 1, shape, values, allIntegers);
        } else if (lua_type(L, -1) == LUA_TNUMBER) {
            if (int(shape.size()) != depth + 1)
                luaL_error(L, "torch.tensor: ragged nested table");
            allIntegers = allIntegers && lua_isinteger(L, -1);
            values.push_back(lua_tonumber(L, -1));
        } else {
            luaL_error(L, "torch.tensor: expected numbers, got %s", luaL_typename(L, -1));
        }
        lua_pop(L, 1);
    }
}

int torchTensor(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TNUMBER) {
        const bool integer = lua_isinteger(L, 1);
        return guarded(L, [&] {
            pushTensor(L, integer ? at::scalar_tensor(int64_t(lua_tointeger(L, 1)), at::kLong)
                                  : at::scalar_tensor(lua_tonumber(L, 1), at::kFloat));
            return 1;
        });
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    std::vector<int64_t> shape;
    std::vector<double> values;
    bool allIntegers = true;
    collectNested(L, 1, 0, shape, values, allIntegers);
    return guarded(L, [&] {
        at::Tensor flat = at::tensor(values, at::kDouble).reshape(shape);
        pushTensor(L, flat.to(allIntegers && !values.empty() ? at::kLong : at::kFloat));
        return 1;
    });
}

template<at::Tensor (*Factory)(at::IntArrayRef, const at::TensorOptions &)>
int sizedFactory(lua_State *L)
{
    const std::vector<int64_t> sizes = sizesFromArguments(L, 1);
    return guarded(L, [&] {
        pushTensor(L, Factory(sizes, at::TensorOptions().dtype(at::kFloat)));
        return 1;
    });
}

at::Tensor zerosFactory(at::IntArrayRef sizes, const at::TensorOptions &options) { return at::zeros(sizes, options); }
at::Tensor onesFactory(at::IntArrayRef sizes, const at::TensorOptions &options) { return at::ones(sizes, options); }
at::Tensor randnFactory(at::IntArrayRef sizes, const at::TensorOptions &options) { return at::randn(sizes, options); }
at::Tensor randFactory(at::IntArrayRef sizes, const at::TensorOptions &options) { return at::rand(sizes, options); }

int torchArange(lua_State *L)
{
    const double start = lua_gettop(L) >= 2 ? luaL_checknumber(L, 1) : 0;
    const double end = lua_gettop(L) >= 2 ? luaL_checknumber(L, 2) : luaL_checknumber(L, 1);
    const double step = luaL_optnumber(L, 3, 1);
    const bool integer = lua_isinteger(L, 1) && (lua_gettop(L) < 2 || lua_isinteger(L, 2))
        && (lua_gettop(L) < 3 || lua_isinteger(L, 3));
    return guarded(L, [&] {
        pushTensor(L, at::arange(start, end, step, at::TensorOptions().dtype(integer ? at::kLong : at::kFloat)));
        return 1;
    });
}

int torchManualSeed(lua_State *L)
{
    const lua_Integer seed = luaL_checkinteger(L, 1);
    torch::manual_seed(uint64_t(seed));
    return 0;
}

int tensorGc(lua_State *L)
{
    if (at::Tensor *tensor = testTensor(L, 1))
        tensor->~Tensor();
    return 0;
}

int tensorToString(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    return guarded(L, [&] {
        std::ostringstream out;
        out << tensor;
        const std::string text = out.str();
        lua_pushlstring(L, text.data(), text.size());
        return 1;
    });
}

template<at::Tensor (*Op)(const at::Tensor &, const at::Tensor &)>
int binary(lua_State *L)
{
    const at::Tensor a = operand(L, 1);
    const at::Tensor b = operand(L, 2);
    return guarded(L, [&] {
        pushTensor(L, Op(a, b));
        return 1;
    });
}

at::Tensor addOp(const at::Tensor &a, const at::Tensor &b) { return a + b; }
at::Tensor subOp(const at::Tensor &a, const at::Tensor &b) { return a - b; }
at::Tensor mulOp(const at::Tensor &a, const at::Tensor &b) { return a * b; }
at::Tensor divOp(const at::Tensor &a, const at::Tensor &b) { return a / b; }
at::Tensor powOp(const at::Tensor &a, const at::Tensor &b) { return at::pow(a, b); }
at::Tensor matmulOp(const at::Tensor &a, const at::Tensor &b) { return at::matmul(a, b); }

int tensorUnm(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    return guarded(L, [&] {
        pushTensor(L, -tensor);
        return 1;
    });
}

int tensorLen(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    lua_pushinteger(L, tensor.dim() == 0 ? 0 : tensor.size(0));
    return 1;
}

int tensorNumel(lua_State *L)
{
    lua_pushinteger(L, checkTensor(L, 1).numel());
    return 1;
}

int tensorDim(lua_State *L)
{
    lua_pushinteger(L, checkTensor(L, 1).dim());
    return 1;
}

// t:size() -> {d0, d1, ...}; t:size(d) -> that size, with PyTorch's 0-based and negative dims.
int tensorSize(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    if (!lua_isnoneornil(L, 2)) {
        const lua_Integer dim = luaL_checkinteger(L, 2);
        return guarded(L, [&] {
            lua_pushinteger(L, tensor.size(dim));
            return 1;
        });
    }
    lua_createtable(L, int(tensor.dim()), 0);
    for (int64_t d = 0; d < tensor.dim(); ++d) {
        lua_pushinteger(L, tensor.size(d));
        lua_rawseti(L, -2, d + 1);
    }
    return 1;
}

int tensorItem(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    return guarded(L, [&] {
        const at::Scalar value = tensor.item();
        if (value.isIntegral(false))
            lua_pushinteger(L, value.toLong());
        else if (value.isBoolean())
            lua_pushboolean(L, value.toBool());
        else
            lua_pushnumber(L, value.toDouble());
        return 1;
    });
}

int tensorSum(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    return guarded(L, [&] {
        pushTensor(L, tensor.sum());
        return 1;
    });
}

int tensorMean(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    return guarded(L, [&] {
        pushTensor(L, tensor.mean());
        return 1;
    });
}

int tensorDtype(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    const std::string name = std::string(c10::toString(tensor.scalar_type()));
    lua_pushlstring(L, name.data(), name.size());
    return 1;
}

const luaL_Reg kTensorMethods[] = {
    {"size", tensorSize}, {"dim", tensorDim}, {"numel", tensorNumel}, {"item", tensorItem},
    {"sum", tensorSum},   {"mean", tensorMean}, {"dtype", tensorDtype}, {"matmul", binary<matmulOp>},
    {nullptr, nullptr}};

const luaL_Reg kTensorMetamethods[] = {
    {"__gc", tensorGc},           {"__close", tensorGc},        {"__tostring", tensorToString},
    {"__add", binary<addOp>},     {"__sub", binary<subOp>},     {"__mul", binary<mulOp>},
    {"__div", binary<divOp>},     {"__pow", binary<powOp>},     {"__unm", tensorUnm},
    {"__len", tensorLen},         {nullptr, nullptr}};

const luaL_Reg kTorchFunctions[] = {
    {"tensor", torchTensor},
    {"zeros", sizedFactory<zerosFactory>},
    {"ones", sizedFactory<onesFactory>},
    {"randn", sizedFactory<randnFactory>},
    {"rand", sizedFactory<randFactory>},
    {"arange", torchArange},
    {"manual_seed", torchManualSeed},
    {"matmul", binary<matmulOp>},
    {nullptr, nullptr}};

} // namespace

void openTorch(lua_State *L, bool (*)(lua_State *))
{
    lua_newtable(L);
    luaL_setfuncs(L, kTensorMetamethods, 0);
    lua_pushliteral(L, "Tensor");
    lua_setfield(L, -2, "__name");
    lua_newtable(L);
    luaL_setfuncs(L, kTensorMethods, 0);
    lua_setfield(L, -2, "__index");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kTensorMetatable);

    lua_newtable(L);
    luaL_setfuncs(L, kTorchFunctions, 0);
    lua_setglobal(L, "torch");
}

} // namespace kiln
