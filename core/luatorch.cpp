#include "luatensor_p.h"
#include "luatorch_p.h"
#include "outputitem.h"

#include <cstring>
#include <sstream>
#include <string>
#include <vector>

// Tensors in Lua: full userdata holding a TensorBox (one at::Tensor, a refcounted
// pointer), so creating one is a single small allocation for Lua plus libtorch's
// own. The metatable is found by address in the registry, never by name, so hot
// paths make no string lookups beyond Lua's own method lookup.

namespace kiln {
namespace lua {

char kTensorMetatable;

namespace {

char kHooksKey;

struct SessionState
{
    TorchHooks hooks;
    size_t externalDebt = 0;
};

SessionState *sessionState(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kHooksKey);
    auto *state = static_cast<SessionState *>(lua_touserdata(L, -1));
    lua_pop(L, 1);
    return state;
}

} // namespace

TensorBox *testTensorBox(lua_State *L, int index)
{
    auto *box = static_cast<TensorBox *>(lua_touserdata(L, index));
    if (!box || lua_type(L, index) != LUA_TUSERDATA || !lua_getmetatable(L, index))
        return nullptr;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kTensorMetatable);
    const bool isTensor = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return isTensor ? box : nullptr;
}

at::Tensor *testTensor(lua_State *L, int index)
{
    TensorBox *box = testTensorBox(L, index);
    return box ? &box->tensor : nullptr;
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
    if (!tensor.defined()) {
        lua_pushnil(L);
        return;
    }
    if (tensor.has_storage())
        accountExternalMemory(L, tensor.storage().nbytes());
    void *memory = lua_newuserdatauv(L, sizeof(TensorBox), 0);
    new (memory) TensorBox{std::move(tensor), false};
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kTensorMetatable);
    lua_setmetatable(L, -2);
}

void accountExternalMemory(lua_State *L, size_t bytes)
{
    // Lua sees a tensor as a few dozen bytes. Without this a loop that makes a
    // 1 MB temporary per step would hold gigabytes before the collector ran.
    constexpr size_t kStepBytes = size_t(32) << 20;
    SessionState *state = sessionState(L);
    if (!state)
        return;
    state->externalDebt += bytes;
    if (state->externalDebt >= kStepBytes) {
        const size_t kilobytes = state->externalDebt >> 10;
        state->externalDebt = 0;
        lua_gc(L, LUA_GCSTEP, int(std::min<size_t>(kilobytes, size_t(1) << 30)));
    }
}

void checkInterrupted(lua_State *L)
{
    SessionState *state = sessionState(L);
    if (state && state->hooks.checkInterrupt)
        state->hooks.checkInterrupt(L);
}

void emitOutput(lua_State *L, const OutputItem &item)
{
    SessionState *state = sessionState(L);
    if (state && state->hooks.emit)
        state->hooks.emit(L, item);
}


at::ScalarType checkDtype(lua_State *L, int index)
{
    struct Name { const char *name; at::ScalarType type; };
    static const Name kNames[] = {
        {"float32", at::kFloat}, {"float", at::kFloat},   {"float64", at::kDouble}, {"double", at::kDouble},
        {"int64", at::kLong},    {"long", at::kLong},     {"int32", at::kInt},      {"int", at::kInt},
        {"uint8", at::kByte},    {"int8", at::kChar},     {"int16", at::kShort},    {"short", at::kShort},
        {"bool", at::kBool},     {"float16", at::kHalf},  {"half", at::kHalf},      {"bfloat16", at::kBFloat16},
    };
    const char *name = luaL_checkstring(L, index);
    if (std::strncmp(name, "torch.", 6) == 0)
        name += 6;
    for (const Name &entry : kNames) {
        if (std::strcmp(entry.name, name) == 0)
            return entry.type;
    }
    luaL_argerror(L, index, lua_pushfstring(L, "unknown dtype '%s'", name));
    return at::kFloat;
}

const char *dtypeName(at::ScalarType type)
{
    switch (type) {
    case at::kFloat: return "float32";
    case at::kDouble: return "float64";
    case at::kLong: return "int64";
    case at::kInt: return "int32";
    case at::kShort: return "int16";
    case at::kChar: return "int8";
    case at::kByte: return "uint8";
    case at::kBool: return "bool";
    case at::kHalf: return "float16";
    case at::kBFloat16: return "bfloat16";
    default: return "unknown";
    }
}

std::vector<int64_t> checkSizes(lua_State *L, int first)
{
    std::vector<int64_t> sizes;
    if (lua_istable(L, first)) {
        const lua_Integer n = luaL_len(L, first);
        sizes.reserve(size_t(n));
        for (lua_Integer i = 1; i <= n; ++i) {
            lua_rawgeti(L, first, i);
            if (!lua_isinteger(L, -1))
                luaL_argerror(L, first, "sizes must be integers");
            sizes.push_back(lua_tointeger(L, -1));
            lua_pop(L, 1);
        }
        return sizes;
    }
    for (int i = first; i <= lua_gettop(L) && lua_type(L, i) == LUA_TNUMBER; ++i)
        sizes.push_back(luaL_checkinteger(L, i));
    return sizes;
}

std::vector<int64_t> checkIntList(lua_State *L, int index, size_t expandTo)
{
    if (lua_type(L, index) == LUA_TNUMBER) {
        const int64_t value = luaL_checkinteger(L, index);
        return std::vector<int64_t>(std::max<size_t>(expandTo, 1), value);
    }
    luaL_checktype(L, index, LUA_TTABLE);
    return checkSizes(L, index);
}

namespace {

bool optField(lua_State *L, int options, const char *name)
{
    if (options == 0 || !lua_istable(L, options))
        return false;
    lua_getfield(L, options, name);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return false;
    }
    return true;
}

} // namespace

bool optBool(lua_State *L, int options, const char *name, bool fallback)
{
    if (!optField(L, options, name))
        return fallback;
    const bool value = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return value;
}

double optNumber(lua_State *L, int options, const char *name, double fallback)
{
    if (!optField(L, options, name))
        return fallback;
    if (lua_type(L, -1) != LUA_TNUMBER)
        luaL_error(L, "option '%s' must be a number, got %s", name, luaL_typename(L, -1));
    const double value = lua_tonumber(L, -1);
    lua_pop(L, 1);
    return value;
}

int64_t optInteger(lua_State *L, int options, const char *name, int64_t fallback)
{
    if (!optField(L, options, name))
        return fallback;
    if (!lua_isinteger(L, -1))
        luaL_error(L, "option '%s' must be an integer, got %s", name, luaL_typename(L, -1));
    const int64_t value = lua_tointeger(L, -1);
    lua_pop(L, 1);
    return value;
}

std::string optString(lua_State *L, int options, const char *name, const std::string &fallback)
{
    if (!optField(L, options, name))
        return fallback;
    if (lua_type(L, -1) != LUA_TSTRING)
        luaL_error(L, "option '%s' must be a string, got %s", name, luaL_typename(L, -1));
    std::string value = lua_tostring(L, -1);
    lua_pop(L, 1);
    return value;
}

namespace {

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
    if (TensorBox *box = testTensorBox(L, 1))
        box->~TensorBox();
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

at::Tensor toTensor(lua_State *L, int index)
{
    if (at::Tensor *tensor = testTensor(L, index))
        return *tensor;
    switch (lua_type(L, index)) {
    case LUA_TNUMBER:
        return lua_isinteger(L, index) ? at::scalar_tensor(int64_t(lua_tointeger(L, index)), at::kLong)
                                       : at::scalar_tensor(lua_tonumber(L, index), at::kFloat);
    case LUA_TBOOLEAN:
        return at::scalar_tensor(bool(lua_toboolean(L, index)), at::kBool);
    case LUA_TTABLE: {
        std::vector<int64_t> shape;
        std::vector<double> values;
        bool allIntegers = true;
        collectNested(L, lua_absindex(L, index), 0, shape, values, allIntegers);
        return at::tensor(values, at::kDouble).reshape(shape).to(allIntegers && !values.empty() ? at::kLong : at::kFloat);
    }
    default:
        luaL_typeerror(L, index, "Tensor, number or table");
        return at::Tensor();
    }
}

void openTensor(lua_State *L)
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

} // namespace lua

void openTorch(lua_State *L, const TorchHooks &hooks)
{
    auto *state = static_cast<lua::SessionState *>(lua_newuserdatauv(L, sizeof(lua::SessionState), 0));
    new (state) lua::SessionState{hooks, 0};
    lua_rawsetp(L, LUA_REGISTRYINDEX, &lua::kHooksKey);
    lua::openTensor(L);
    lua::openFunctional(L);
    lua::openSerialization(L);
    lua::openData(L);
    lua::openOutputs(L);
}

} // namespace kiln
