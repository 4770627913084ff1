#include "luaapi/luatensor_p.h"
#include "luaapi/luatorch_p.h"
#include "luaapi/luatensorops_p.h"
#include "document/outputitem.h"
#include "luaapi/torchruntime.h"

#include <cstring>
#include <optional>
#include <string>
#include <vector>

// The core of the torch Lua API: the session's hooks, the helpers every binding
// shares (luatensor_p.h: tensor userdata, dtypes, sizes, options tables), Lua
// values turned into tensors, and openTorch, which assembles the torch table from
// the parts of the Tensor binding (luatensorcreation, luaautograd,
// luatensormethods, luatensorindex, luatensorops) and opens the other globals.
//
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
    size_t externalDebt = 0;           // charged to the collector, not yet passed on
    size_t bytesSinceCycle = 0;        // tensor bytes made since the last finished cycle
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
    if (lua_type(L, index) != LUA_TUSERDATA || !lua_getmetatable(L, index))
        return nullptr;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kTensorMetatable);
    const bool isTensor = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return isTensor ? static_cast<TensorBox *>(lua_touserdata(L, index)) : nullptr;
}

bool isTensor(lua_State *L, int index)
{
    return testTensorBox(L, index) != nullptr;
}

const at::Tensor &liveTensor(lua_State *L, TensorBox *box)
{
    if (box->freed)
        luaL_error(L, "Tensor used after it was freed (closed with <close> or finalized by the collector)");
    return box->tensor;
}

std::optional<at::Tensor> testTensor(lua_State *L, int index)
{
    TensorBox *box = testTensorBox(L, index);
    if (!box)
        return std::nullopt;
    return liveTensor(L, box);
}

at::Tensor checkTensor(lua_State *L, int index)
{
    TensorBox *box = testTensorBox(L, index);
    if (!box)
        luaL_typeerror(L, index, "Tensor");
    return liveTensor(L, box);
}

void protectMetatable(lua_State *L, int index, const char *name)
{
    index = lua_absindex(L, index);
    lua_pushstring(L, name);
    lua_setfield(L, index, "__metatable");
}

void pushTensor(lua_State *L, at::Tensor tensor)
{
    if (!tensor.defined()) {
        lua_pushnil(L);
        return;
    }
    // Only the bytes the tensor spans: a view's storage belongs to its base, and
    // collecting the view frees nothing. Charging whole storages made a batch-16
    // loop run a GC step every step and a half (`perm:narrow(...)` each step was
    // charged the whole permutation).
    if (tensor.has_storage())
        accountExternalMemory(L, std::min(tensor.storage().nbytes(), size_t(tensor.numel()) * tensor.element_size()));
    void *memory = lua_newuserdatauv(L, sizeof(TensorBox), 0);
    new (memory) TensorBox{std::move(tensor), false, false};
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kTensorMetatable);
    lua_setmetatable(L, -2);
}

void accountExternalMemory(lua_State *L, size_t bytes)
{
    // Lua sees a tensor as a few dozen bytes. Without this a loop that makes a
    // 1 MB temporary per step would hold gigabytes before the collector ran.
    // Small steps also keep temporaries' memory hot in the cache: freed soon, it
    // is reused by the next step's allocations, as in C++ (with 32 MB steps a
    // batch-16 MLP epoch ran 10% slower than the same loop in C++).
    //
    // Each tensor is charged at most 64 KB, though: a cycle's work is the Lua
    // heap, whatever the tensors' size, and charging every byte of large tensors
    // ran a whole cycle per operation (a 2 MB `x + x` took 0.24 ms instead of
    // 0.05 on two threads, a BERT forward pass 25% longer). The bytes themselves
    // still bound the garbage: past 256 MB since the last finished cycle, a full
    // collection runs.
    constexpr size_t kStepBytes = size_t(1) << 20;
    constexpr size_t kChargeCap = size_t(64) << 10;
    constexpr size_t kGarbageBound = size_t(256) << 20;
    SessionState *state = sessionState(L);
    if (!state)
        return;
    state->bytesSinceCycle += bytes;
    if (state->bytesSinceCycle >= kGarbageBound) {
        state->externalDebt = 0;
        state->bytesSinceCycle = 0;
        lua_gc(L, LUA_GCCOLLECT);
        return;
    }
    state->externalDebt += std::min(bytes, kChargeCap);
    if (state->externalDebt >= kStepBytes) {
        const size_t kilobytes = state->externalDebt >> 10;
        state->externalDebt = 0;
        if (lua_gc(L, LUA_GCSTEP, int(kilobytes)))  // a cycle ended
            state->bytesSinceCycle = 0;
    }
}

void checkInterrupted(lua_State *L)
{
    SessionState *state = sessionState(L);
    if (state && state->hooks.checkInterrupt)
        state->hooks.checkInterrupt(L);
}

bool isInterrupted(lua_State *L)
{
    SessionState *state = sessionState(L);
    return state && state->hooks.isInterrupted && state->hooks.isInterrupted(L);
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

const char *const kDtypeConstants[][2] = {
    {"float32", "torch.float32"}, {"float", "torch.float32"},  {"float64", "torch.float64"},
    {"double", "torch.float64"},  {"float16", "torch.float16"}, {"half", "torch.float16"},
    {"bfloat16", "torch.bfloat16"}, {"int64", "torch.int64"},  {"long", "torch.int64"},
    {"int32", "torch.int32"},     {"int", "torch.int32"},      {"int16", "torch.int16"},
    {"short", "torch.int16"},     {"int8", "torch.int8"},      {"uint8", "torch.uint8"},
    {"bool", "torch.bool"},
};

} // namespace

// ---- Values in -------------------------------------------------------------

void collectNested(lua_State *L, int index, int depth, Nested &nested)
{
    luaL_checkstack(L, 4, "table nested too deeply");
    if (depth > 64)
        luaL_error(L, "torch.tensor: table nested too deeply");
    const lua_Integer n = luaL_len(L, index);
    if (int(nested.shape.size()) == depth)
        nested.shape.push_back(n);
    else if (nested.shape[size_t(depth)] != n)
        luaL_error(L, "torch.tensor: ragged nested table (dimension %d has %d and %d entries)", depth,
                   int(nested.shape[size_t(depth)]), int(n));
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_rawgeti(L, index, i);
        const int type = lua_type(L, -1);
        if (type == LUA_TTABLE && !isTensor(L, -1)) {
            collectNested(L, lua_gettop(L), depth + 1, nested);
        } else if (type == LUA_TNUMBER || type == LUA_TBOOLEAN || isTensor(L, -1)) {
            if (int(nested.shape.size()) != depth + 1)
                luaL_error(L, "torch.tensor: ragged nested table (dimension %d)", depth + 1);
            if (type == LUA_TBOOLEAN) {
                nested.allIntegers = false;
                nested.values.push_back(lua_toboolean(L, -1) ? 1 : 0);
            } else if (type == LUA_TNUMBER) {
                nested.allBooleans = false;
                nested.allIntegers = nested.allIntegers && lua_isinteger(L, -1);
                nested.values.push_back(lua_tonumber(L, -1));
                if (nested.allIntegers)
                    nested.integers.push_back(lua_tointeger(L, -1));
            } else {
                const at::Tensor &element = checkTensor(L, -1);
                if (element.numel() != 1)
                    luaL_error(L, "torch.tensor: only one-element tensors can be nested in a table");
                nested.allBooleans = false;
                nested.allIntegers = nested.allIntegers && !at::isFloatingType(element.scalar_type());
                nested.values.push_back(element.item<double>());
                if (nested.allIntegers)
                    nested.integers.push_back(element.item<int64_t>());
            }
        } else {
            luaL_error(L, "torch.tensor: expected numbers, got %s", luaL_typename(L, -1));
        }
        lua_pop(L, 1);
    }
}

at::Tensor tensorFromNested(const Nested &nested, std::optional<at::ScalarType> type)
{
    const at::ScalarType inferred = nested.values.empty() ? at::kFloat
        : nested.allBooleans                              ? at::kBool
        : nested.allIntegers                              ? at::kLong
                                                          : at::kFloat;
    // Integers stay exact past 2^53; everything else converts from float64 once,
    // so a float64 tensor gets the Lua numbers unrounded.
    const at::Tensor exact = nested.allIntegers && !nested.allBooleans && !nested.values.empty()
        ? at::tensor(nested.integers, at::kLong)
        : at::tensor(nested.values, at::kDouble);
    return exact.reshape(nested.shape).to(type.value_or(inferred));
}

std::vector<at::Tensor> checkTensorList(lua_State *L, int index)
{
    luaL_checktype(L, index, LUA_TTABLE);
    std::vector<at::Tensor> tensors;
    const lua_Integer n = luaL_len(L, index);
    tensors.reserve(size_t(n));
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_rawgeti(L, index, i);
        tensors.push_back(toTensor(L, -1));
        lua_pop(L, 1);
    }
    return tensors;
}

at::Tensor toTensor(lua_State *L, int index)
{
    if (std::optional<at::Tensor> tensor = testTensor(L, index))
        return std::move(*tensor);
    switch (lua_type(L, index)) {
    case LUA_TNUMBER:
        return lua_isinteger(L, index) ? at::scalar_tensor(int64_t(lua_tointeger(L, index)), at::kLong)
                                       : at::scalar_tensor(lua_tonumber(L, index), at::kFloat);
    case LUA_TBOOLEAN:
        return at::scalar_tensor(bool(lua_toboolean(L, index)), at::kBool);
    case LUA_TTABLE: {
        Nested nested;
        collectNested(L, lua_absindex(L, index), 0, nested);
        return tensorFromNested(nested);
    }
    default:
        luaL_typeerror(L, index, "Tensor, number or table");
        return at::Tensor();
    }
}

void openTensor(lua_State *L)
{
    lua_newtable(L);
    const int torchTable = lua_gettop(L);
    registerTensorCreation(L, torchTable);
    for (const auto &constant : kDtypeConstants) {
        lua_pushstring(L, constant[1]);
        lua_setfield(L, torchTable, constant[0]);
    }

    // Methods live in torch.Tensor, so Lua code can add its own.
    lua_newtable(L);
    const int methods = lua_gettop(L);
    registerTensorMethods(L, methods, torchTable);
    registerAutograd(L, methods, torchTable);
    registerTensorOps(L, methods, torchTable);
    registerLinalg(L, methods, torchTable);
    registerCreationMethods(L, methods, torchTable);
    lua_pushvalue(L, methods);
    lua_setfield(L, torchTable, "Tensor");

    registerTensorMetatables(L, methods);
    lua_pop(L, 1);  // methods

    lua_setglobal(L, "torch");
}

} // namespace lua

void openTorch(lua_State *L, const TorchHooks &hooks)
{
    torchruntime::initialize();
    auto *state = static_cast<lua::SessionState *>(lua_newuserdatauv(L, sizeof(lua::SessionState), 0));
    new (state) lua::SessionState{hooks, 0};
    lua_rawsetp(L, LUA_REGISTRYINDEX, &lua::kHooksKey);
    lua::openTensor(L);
    lua::openFunctional(L);
    lua_getglobal(L, "torch");
    lua::openDevice(L, -1);
    lua::openExport(L, -1);
    lua_pop(L, 1);
    lua::openSerialization(L);
    lua::openData(L);
    lua::openHub(L);
    lua::openJson(L);
    lua::openTokenizers(L);
    lua::openOutputs(L);
}

} // namespace kiln
