#include "luaapi/luatensor_p.h"
#include "luaapi/luatorch_p.h"
#include "luaapi/luatensorops_p.h"
#include "document/outputitem.h"
#include "luaapi/torchruntime.h"

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <optional>
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
    // A small step also keeps temporaries' memory hot in the cache: freed soon,
    // it is reused by the next step's allocations, as in C++ (with 32 MB steps
    // a batch-16 MLP epoch ran 10% slower than the same loop in C++).
    constexpr size_t kStepBytes = size_t(1) << 20;
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

char kSizeMetatable;
char kGradModeMetatable;

using at::indexing::TensorIndex;

// ---- Values in and out -----------------------------------------------------

// Nested Lua tables of numbers or booleans -> values plus shape. The dtype is
// PyTorch's: bool if all booleans, int64 if all integers, float32 otherwise.
struct Nested
{
    std::vector<int64_t> shape;
    std::vector<double> values;
    bool allIntegers = true;
    bool allBooleans = true;
};

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
            } else {
                const at::Tensor element = checkTensor(L, -1);
                if (element.numel() != 1)
                    luaL_error(L, "torch.tensor: only one-element tensors can be nested in a table");
                nested.allBooleans = false;
                nested.allIntegers = nested.allIntegers && !at::isFloatingType(element.scalar_type());
                nested.values.push_back(element.item<double>());
            }
        } else {
            luaL_error(L, "torch.tensor: expected numbers, got %s", luaL_typename(L, -1));
        }
        lua_pop(L, 1);
    }
}

at::Tensor tensorFromNested(const Nested &nested)
{
    const at::ScalarType type = nested.values.empty() ? at::kFloat
        : nested.allBooleans                          ? at::kBool
        : nested.allIntegers                          ? at::kLong
                                                      : at::kFloat;
    return at::tensor(nested.values, at::kDouble).reshape(nested.shape).to(type);
}

void pushSize(lua_State *L, at::IntArrayRef sizes)
{
    lua_createtable(L, int(sizes.size()), 0);
    for (size_t d = 0; d < sizes.size(); ++d) {
        lua_pushinteger(L, sizes[d]);
        lua_rawseti(L, -2, lua_Integer(d + 1));
    }
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kSizeMetatable);
    lua_setmetatable(L, -2);
}

int sizeToString(lua_State *L)
{
    luaL_Buffer buffer;
    luaL_buffinit(L, &buffer);
    luaL_addstring(&buffer, "torch.Size([");
    const lua_Integer n = luaL_len(L, 1);
    for (lua_Integer i = 1; i <= n; ++i) {
        if (i > 1)
            luaL_addstring(&buffer, ", ");
        lua_rawgeti(L, 1, i);
        luaL_addvalue(&buffer);
    }
    luaL_addstring(&buffer, "])");
    luaL_pushresult(&buffer);
    return 1;
}

int sizeEquals(lua_State *L)
{
    const lua_Integer n = luaL_len(L, 1);
    bool equal = lua_istable(L, 2) && luaL_len(L, 2) == n;
    for (lua_Integer i = 1; equal && i <= n; ++i) {
        lua_rawgeti(L, 1, i);
        lua_rawgeti(L, 2, i);
        equal = lua_rawequal(L, -1, -2);
        lua_pop(L, 2);
    }
    lua_pushboolean(L, equal);
    return 1;
}

void pushScalarValue(lua_State *L, const at::Scalar &value)
{
    if (value.isBoolean())
        lua_pushboolean(L, value.toBool());
    else if (value.isIntegral(false))
        lua_pushinteger(L, value.toLong());
    else
        lua_pushnumber(L, value.toDouble());
}

void pushList(lua_State *L, const at::Tensor &tensor)
{
    if (tensor.dim() == 0) {
        pushScalarValue(L, tensor.item());
        return;
    }
    luaL_checkstack(L, 4, "tensor too deep");
    const int64_t n = tensor.size(0);
    lua_createtable(L, int(n), 0);
    if (tensor.dim() == 1) {
        // One conversion per row, not one item() per element.
        const bool floating = at::isFloatingType(tensor.scalar_type());
        const bool boolean = tensor.scalar_type() == at::kBool;
        const at::Tensor row = tensor.to(at::kCPU, floating ? at::kDouble : at::kLong).contiguous();
        for (int64_t i = 0; i < n; ++i) {
            if (floating)
                lua_pushnumber(L, row.data_ptr<double>()[i]);
            else if (boolean)
                lua_pushboolean(L, row.data_ptr<int64_t>()[i] != 0);
            else
                lua_pushinteger(L, row.data_ptr<int64_t>()[i]);
            lua_rawseti(L, -2, i + 1);
        }
        return;
    }
    for (int64_t i = 0; i < n; ++i) {
        pushList(L, tensor.select(0, i));
        lua_rawseti(L, -2, i + 1);
    }
}

// Options shared by the factories: {dtype = , device = , requires_grad = , pin_memory = }.
// Without a device option: `fallbackDevice` (the model of a *_like), else the
// session's default device.
at::TensorOptions factoryOptions(lua_State *L, int options, at::ScalarType fallback = at::kFloat,
                                 std::optional<c10::Device> fallbackDevice = std::nullopt)
{
    at::ScalarType type = fallback;
    std::optional<c10::Device> device;
    bool pinned = false;
    if (options && lua_istable(L, options)) {
        lua_getfield(L, options, "dtype");
        if (!lua_isnil(L, -1))
            type = checkDtype(L, lua_gettop(L));
        lua_pop(L, 1);
        lua_getfield(L, options, "device");
        if (!lua_isnil(L, -1))
            device = checkDevice(L, lua_gettop(L));
        lua_pop(L, 1);
        pinned = optBool(L, options, "pin_memory", false);
    }
    at::TensorOptions result =
        at::TensorOptions().dtype(type).device(device ? *device : fallbackDevice ? *fallbackDevice : defaultDevice(L));
    return pinned ? result.pinned_memory(true) : result;
}

bool requiresGradOption(lua_State *L, int options)
{
    return options && lua_istable(L, options) && optBool(L, options, "requires_grad", false);
}

int pushCreated(lua_State *L, at::Tensor tensor, int options)
{
    if (requiresGradOption(L, options))
        tensor.requires_grad_(true);
    pushTensor(L, std::move(tensor));
    return 1;
}

// Factories take sizes as integers or one table, then an options table:
// torch.zeros(2, 3), torch.zeros({2, 3}, {dtype = torch.int64}).
int sizesEnd(lua_State *L, int first)
{
    if (lua_istable(L, first) && !isTensor(L, first))
        return first + 1;
    int i = first;
    while (lua_type(L, i) == LUA_TNUMBER)
        ++i;
    return i;
}

// ---- Creation --------------------------------------------------------------

int torchTensor(lua_State *L)
{
    const int options = lua_istable(L, 2) ? 2 : 0;
    at::Tensor tensor;
    std::optional<c10::Device> keepDevice;
    if (std::optional<at::Tensor> existing = testTensor(L, 1)) {
        tensor = existing->detach().clone();
        keepDevice = existing->device();
    } else if (lua_type(L, 1) == LUA_TNUMBER || lua_type(L, 1) == LUA_TBOOLEAN) {
        tensor = toTensor(L, 1);
    } else {
        luaL_checktype(L, 1, LUA_TTABLE);
        Nested nested;
        collectNested(L, 1, 0, nested);
        guarded(L, [&] {
            tensor = tensorFromNested(nested);
            return 0;
        });
    }
    // The values' own dtype unless the options name one; the default device
    // (or the copied tensor's) unless they name one.
    const at::TensorOptions target = factoryOptions(L, options, tensor.scalar_type(), keepDevice);
    return guarded(L, [&] {
        return pushCreated(L, tensor.to(target.device(), target.dtype().toScalarType()), options);
    });
}

template<at::Tensor (*Factory)(at::IntArrayRef, at::TensorOptions)>
int sizedFactory(lua_State *L)
{
    const std::vector<int64_t> sizes = checkSizes(L, 1);
    const int options = sizesEnd(L, 1);
    const at::TensorOptions tensorOptions = factoryOptions(L, options);
    return guarded(L, [&] { return pushCreated(L, Factory(sizes, tensorOptions), options); });
}

at::Tensor zerosFactory(at::IntArrayRef sizes, at::TensorOptions options) { return at::zeros(sizes, options); }
at::Tensor onesFactory(at::IntArrayRef sizes, at::TensorOptions options) { return at::ones(sizes, options); }
at::Tensor emptyFactory(at::IntArrayRef sizes, at::TensorOptions options) { return at::empty(sizes, options); }
at::Tensor randnFactory(at::IntArrayRef sizes, at::TensorOptions options) { return at::randn(sizes, options); }
at::Tensor randFactory(at::IntArrayRef sizes, at::TensorOptions options) { return at::rand(sizes, options); }

// torch.full(size, value, {dtype}): the dtype follows the value when not given.
int torchFull(lua_State *L)
{
    const std::vector<int64_t> sizes = checkIntList(L, 1);
    luaL_checkany(L, 2);
    const at::ScalarType fallback = lua_isboolean(L, 2) ? at::kBool : lua_isinteger(L, 2) ? at::kLong : at::kFloat;
    const at::TensorOptions options = factoryOptions(L, 3, fallback);
    const at::Scalar value = lua_isboolean(L, 2) ? at::Scalar(bool(lua_toboolean(L, 2)))
        : lua_isinteger(L, 2)                    ? at::Scalar(int64_t(lua_tointeger(L, 2)))
                                                 : at::Scalar(luaL_checknumber(L, 2));
    return guarded(L, [&] { return pushCreated(L, at::full(sizes, value, options), 3); });
}

// torch.randint(high, size) or torch.randint(low, high, size); int64 by default.
int torchRandint(lua_State *L)
{
    int64_t low = 0, high = 0;
    int sizeIndex = 2;
    if (lua_type(L, 2) == LUA_TNUMBER) {
        low = luaL_checkinteger(L, 1);
        high = luaL_checkinteger(L, 2);
        sizeIndex = 3;
    } else {
        high = luaL_checkinteger(L, 1);
    }
    const std::vector<int64_t> sizes = checkIntList(L, sizeIndex);
    const at::TensorOptions options = factoryOptions(L, sizeIndex + 1, at::kLong);
    return guarded(L, [&] { return pushCreated(L, at::randint(low, high, sizes, options), sizeIndex + 1); });
}

int torchRandperm(lua_State *L)
{
    const int64_t n = luaL_checkinteger(L, 1);
    const at::TensorOptions options = factoryOptions(L, 2, at::kLong);
    return guarded(L, [&] { return pushCreated(L, at::randperm(n, options), 2); });
}

// torch.arange(end), arange(start, end), arange(start, end, step), then options.
// Integers give int64, as in PyTorch.
int torchArange(lua_State *L)
{
    int count = 0;
    while (count < 3 && lua_type(L, count + 1) == LUA_TNUMBER)
        ++count;
    luaL_argcheck(L, count >= 1, 1, "number expected");
    bool integers = true;
    for (int i = 1; i <= count; ++i)
        integers = integers && lua_isinteger(L, i);
    const double start = count >= 2 ? lua_tonumber(L, 1) : 0;
    const double end = count >= 2 ? lua_tonumber(L, 2) : lua_tonumber(L, 1);
    const double step = count >= 3 ? lua_tonumber(L, 3) : 1;
    const int options = count + 1;
    const at::TensorOptions tensorOptions = factoryOptions(L, options, integers ? at::kLong : at::kFloat);
    return guarded(L, [&] { return pushCreated(L, at::arange(start, end, step, tensorOptions), options); });
}

int torchLinspace(lua_State *L)
{
    const double start = luaL_checknumber(L, 1), end = luaL_checknumber(L, 2);
    const int64_t steps = luaL_checkinteger(L, 3);
    const at::TensorOptions options = factoryOptions(L, 4);
    return guarded(L, [&] { return pushCreated(L, at::linspace(start, end, steps, options), 4); });
}

int torchLogspace(lua_State *L)
{
    const double start = luaL_checknumber(L, 1), end = luaL_checknumber(L, 2);
    const int64_t steps = luaL_checkinteger(L, 3);
    const double base = lua_type(L, 4) == LUA_TNUMBER ? lua_tonumber(L, 4) : 10.0;
    const int options = lua_type(L, 4) == LUA_TNUMBER ? 5 : 4;
    const at::TensorOptions tensorOptions = factoryOptions(L, options);
    return guarded(L, [&] { return pushCreated(L, at::logspace(start, end, steps, base, tensorOptions), options); });
}

int torchEye(lua_State *L)
{
    const int64_t n = luaL_checkinteger(L, 1);
    const int64_t m = lua_type(L, 2) == LUA_TNUMBER ? lua_tointeger(L, 2) : n;
    const int options = lua_type(L, 2) == LUA_TNUMBER ? 3 : 2;
    const at::TensorOptions tensorOptions = factoryOptions(L, options);
    return guarded(L, [&] { return pushCreated(L, at::eye(n, m, tensorOptions), options); });
}

// The *_like forms keep the dtype of their model unless told otherwise.
template<int Kind>
int likeFactory(lua_State *L)
{
    const at::Tensor &model = checkTensor(L, 1);
    const int options = Kind == 4 ? 3 : 2;
    const at::TensorOptions tensorOptions = factoryOptions(L, options, model.scalar_type(), model.device());
    at::Scalar fill;
    if (Kind == 4)
        fill = lua_isinteger(L, 2) ? at::Scalar(int64_t(lua_tointeger(L, 2))) : at::Scalar(luaL_checknumber(L, 2));
    return guarded(L, [&] {
        const at::IntArrayRef sizes = model.sizes();
        switch (Kind) {
        case 0: return pushCreated(L, at::zeros(sizes, tensorOptions), options);
        case 1: return pushCreated(L, at::ones(sizes, tensorOptions), options);
        case 2: return pushCreated(L, at::rand(sizes, tensorOptions), options);
        case 3: return pushCreated(L, at::randn(sizes, tensorOptions), options);
        case 4: return pushCreated(L, at::full(sizes, fill, tensorOptions), options);
        default: return pushCreated(L, at::empty(sizes, tensorOptions), options);
        }
    });
}

int torchManualSeed(lua_State *L)
{
    const lua_Integer seed = luaL_checkinteger(L, 1);
    torch::manual_seed(uint64_t(seed));
    return 0;
}

int torchInitialSeed(lua_State *L)
{
    // Seeds are unsigned 64-bit; beyond Lua's integers they come back as a float.
    const uint64_t seed = at::detail::getDefaultCPUGenerator().current_seed();
    if (seed <= uint64_t(LUA_MAXINTEGER))
        lua_pushinteger(L, lua_Integer(seed));
    else
        lua_pushnumber(L, double(seed));
    return 1;
}

int torchSetNumThreads(lua_State *L)
{
    const lua_Integer n = luaL_checkinteger(L, 1);
    luaL_argcheck(L, n >= 1, 1, "must be at least 1");
    at::set_num_threads(int(n));
    return 0;
}

int torchGetNumThreads(lua_State *L)
{
    lua_pushinteger(L, at::get_num_threads());
    return 1;
}

int torchIsTensor(lua_State *L)
{
    lua_pushboolean(L, isTensor(L, 1));
    return 1;
}

// ---- Autograd --------------------------------------------------------------

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

// ---- Basic methods ---------------------------------------------------------

// t:size() -> torch.Size; t:size(d) -> that size, with 0-based and negative dims.
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
    pushSize(L, tensor.sizes());
    return 1;
}

int tensorStride(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    if (!lua_isnoneornil(L, 2)) {
        const lua_Integer dim = luaL_checkinteger(L, 2);
        return guarded(L, [&] {
            lua_pushinteger(L, tensor.stride(dim));
            return 1;
        });
    }
    pushSize(L, tensor.strides());
    return 1;
}

int tensorDim(lua_State *L)
{
    lua_pushinteger(L, checkTensor(L, 1).dim());
    return 1;
}

int tensorNumel(lua_State *L)
{
    lua_pushinteger(L, checkTensor(L, 1).numel());
    return 1;
}

int tensorElementSize(lua_State *L)
{
    lua_pushinteger(L, checkTensor(L, 1).element_size());
    return 1;
}

int tensorIsContiguous(lua_State *L)
{
    lua_pushboolean(L, checkTensor(L, 1).is_contiguous());
    return 1;
}

int tensorIsFloatingPoint(lua_State *L)
{
    lua_pushboolean(L, at::isFloatingType(checkTensor(L, 1).scalar_type()));
    return 1;
}

int tensorItem(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    return guarded(L, [&] {
        pushScalarValue(L, tensor.item());
        return 1;
    });
}

int tensorTolist(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    return guarded(L, [&] {
        pushList(L, tensor.detach());
        return 1;
    });
}

// t:to(device), t:to(dtype), t:to(device, dtype), t:to(other),
// t:to({device = , dtype = }), each with a trailing {non_blocking = , copy = }.
int tensorTo(lua_State *L)
{
    const at::Tensor tensor = checkTensor(L, 1);
    at::ScalarType type = tensor.scalar_type();
    c10::Device device = tensor.device();
    int next = 2;
    if (std::optional<at::Tensor> other = testTensor(L, next)) {
        type = other->scalar_type();
        device = other->device();
        ++next;
    } else {
        if (isDeviceName(L, next))
            device = checkDevice(L, next++);
        if (lua_type(L, next) == LUA_TSTRING)
            type = checkDtype(L, next++);
    }
    bool nonBlocking = false, copy = false;
    if (lua_istable(L, next)) {
        lua_getfield(L, next, "dtype");
        if (!lua_isnil(L, -1))
            type = checkDtype(L, lua_gettop(L));
        lua_getfield(L, next, "device");
        if (!lua_isnil(L, -1))
            device = checkDevice(L, lua_gettop(L));
        lua_pop(L, 2);
        nonBlocking = optBool(L, next, "non_blocking", false);
        copy = optBool(L, next, "copy", false);
    } else if (!lua_isnoneornil(L, next)) {
        return luaL_argerror(L, next, "expected a device, a dtype, a Tensor or an options table");
    }
    return guarded(L, [&] {
        pushTensor(L, tensor.to(device, type, nonBlocking, copy));
        return 1;
    });
}

// t:cuda(device?, {non_blocking = }), device being an index, a name or a torch.device.
int tensorCuda(lua_State *L)
{
    const at::Tensor tensor = checkTensor(L, 1);
    if (lua_type(L, 2) == LUA_TNUMBER) {
        lua_pushfstring(L, "cuda:%d", int(lua_tointeger(L, 2)));
        lua_replace(L, 2);
    }
    int options = 2;
    if (lua_type(L, 2) == LUA_TSTRING || lua_type(L, 2) == LUA_TUSERDATA) {
        options = 3;
    } else {
        lua_pushliteral(L, "cuda");
        lua_insert(L, 2);
    }
    const c10::Device device = checkDevice(L, 2);
    const bool nonBlocking = optBool(L, lua_istable(L, options) ? options : 0, "non_blocking", false);
    return guarded(L, [&] {
        pushTensor(L, tensor.to(device, tensor.scalar_type(), nonBlocking));
        return 1;
    });
}

int tensorCpu(lua_State *L)
{
    const at::Tensor tensor = checkTensor(L, 1);
    return guarded(L, [&] {
        pushTensor(L, tensor.cpu());
        return 1;
    });
}

// Page-locked host memory, so copies to a GPU can overlap compute. PyTorch needs
// a GPU for it, and so does Kiln: without one this is an error, as there.
int tensorPinMemory(lua_State *L)
{
    const at::Tensor tensor = checkTensor(L, 1);
    lua_pushliteral(L, "cuda");
    checkDevice(L, -1);
    return guarded(L, [&] {
        pushTensor(L, tensor.pin_memory());
        return 1;
    });
}

int tensorIsPinned(lua_State *L)
{
    const at::Tensor tensor = checkTensor(L, 1);
    return guarded(L, [&] {
        lua_pushboolean(L, tensor.is_cpu() && kiln::torchruntime::cudaAvailable() && tensor.is_pinned());
        return 1;
    });
}

template<at::ScalarType Type>
int tensorAs(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    return guarded(L, [&] {
        pushTensor(L, tensor.to(Type));
        return 1;
    });
}

int tensorToString(lua_State *L)
{
    // Printing a freed tensor says so rather than raising: a cell's displayed
    // value and error messages go through tostring.
    if (TensorBox *box = testTensorBox(L, 1); box && box->freed) {
        lua_pushliteral(L, "<freed Tensor>");
        return 1;
    }
    const at::Tensor &tensor = checkTensor(L, 1);
    return guarded(L, [&] {
        const std::string text = formatTensor(tensor);
        lua_pushlstring(L, text.data(), text.size());
        return 1;
    });
}

int tensorGc(lua_State *L)
{
    // Only drops the reference: the box stays a valid (freed) tensor, since a
    // finalized userdata can come back to Lua through another finalizer, and a
    // later __close or __gc on it does nothing.
    if (TensorBox *box = testTensorBox(L, 1)) {
        box->tensor.reset();
        box->freed = true;
    }
    return 0;
}

// ---- Indexing --------------------------------------------------------------

std::optional<int64_t> sliceBound(lua_State *L, int index)
{
    if (lua_isnil(L, index))
        return std::nullopt;
    if (!lua_isinteger(L, index))
        luaL_error(L, "slice bounds must be integers, got %s", luaL_typename(L, index));
    return lua_tointeger(L, index);
}

TensorIndex makeSlice(std::optional<int64_t> start, std::optional<int64_t> stop, std::optional<int64_t> step)
{
    return TensorIndex(at::indexing::Slice(start ? c10::optional<int64_t>(*start) : c10::nullopt,
                                           stop ? c10::optional<int64_t>(*stop) : c10::nullopt,
                                           step ? c10::optional<int64_t>(*step) : c10::nullopt));
}

// One item of Python's index syntax: "3", "-1", ":", "1:3", "::2", "...", "None".
TensorIndex parseIndexItem(lua_State *L, std::string item)
{
    const auto trim = [](std::string text) {
        const size_t first = text.find_first_not_of(" \t");
        const size_t last = text.find_last_not_of(" \t");
        return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
    };
    item = trim(item);
    if (item == "...")
        return TensorIndex(at::indexing::Ellipsis);
    if (item == "None")
        return TensorIndex(at::indexing::None);
    const auto parseInteger = [&](const std::string &text) -> std::optional<int64_t> {
        const std::string trimmed = trim(text);
        if (trimmed.empty())
            return std::nullopt;
        char *end = nullptr;
        const long long value = std::strtoll(trimmed.c_str(), &end, 10);
        if (*end != '\0')
            luaL_error(L, "bad index '%s'", item.c_str());
        return int64_t(value);
    };
    if (item.find(':') == std::string::npos) {
        const std::optional<int64_t> value = parseInteger(item);
        if (!value)
            luaL_error(L, "empty index");
        return TensorIndex(*value);
    }
    std::vector<std::string> parts;
    size_t begin = 0;
    for (size_t colon; (colon = item.find(':', begin)) != std::string::npos; begin = colon + 1)
        parts.push_back(item.substr(begin, colon - begin));
    parts.push_back(item.substr(begin));
    if (parts.size() > 3)
        luaL_error(L, "bad slice '%s'", item.c_str());
    parts.resize(3);
    return makeSlice(parseInteger(parts[0]), parseInteger(parts[1]), parseInteger(parts[2]));
}

void parseIndexString(lua_State *L, const char *text, std::vector<TensorIndex> &indices)
{
    std::string all(text);
    size_t begin = 0;
    for (size_t comma; (comma = all.find(',', begin)) != std::string::npos; begin = comma + 1)
        indices.push_back(parseIndexItem(L, all.substr(begin, comma - begin)));
    indices.push_back(parseIndexItem(L, all.substr(begin)));
}

// One element of an index table: an integer, a {start, stop, step} slice, a
// string in Python's syntax, a tensor (indices or a boolean mask), a boolean.
void parseIndexElement(lua_State *L, int index, std::vector<TensorIndex> &indices)
{
    if (std::optional<at::Tensor> tensor = testTensor(L, index)) {
        indices.emplace_back(*tensor);
        return;
    }
    switch (lua_type(L, index)) {
    case LUA_TNUMBER:
        if (!lua_isinteger(L, index))
            luaL_error(L, "tensor indices must be integers, got %f", lua_tonumber(L, index));
        indices.emplace_back(int64_t(lua_tointeger(L, index)));
        return;
    case LUA_TBOOLEAN:
        indices.emplace_back(bool(lua_toboolean(L, index)));
        return;
    case LUA_TSTRING:
        parseIndexString(L, lua_tostring(L, index), indices);
        return;
    case LUA_TTABLE: {
        const int table = lua_absindex(L, index);
        lua_rawgeti(L, table, 1);
        lua_rawgeti(L, table, 2);
        lua_rawgeti(L, table, 3);
        std::optional<int64_t> start = sliceBound(L, -3), stop = sliceBound(L, -2), step = sliceBound(L, -1);
        lua_pop(L, 3);
        indices.push_back(makeSlice(start, stop, step));
        return;
    }
    default:
        luaL_error(L, "cannot index a tensor with a %s", luaL_typename(L, index));
    }
}

std::vector<TensorIndex> parseIndex(lua_State *L, int key)
{
    std::vector<TensorIndex> indices;
    if (lua_istable(L, key) && !isTensor(L, key)) {
        // t[{0, {1, 3}}] is t[0, 1:3]; the outer table lists one entry per dim.
        lua_Integer n = 0;
        while (lua_rawgeti(L, key, n + 1) != LUA_TNIL || n + 1 <= lua_Integer(lua_rawlen(L, key))) {
            lua_pop(L, 1);
            ++n;
        }
        lua_pop(L, 1);
        for (lua_Integer i = 1; i <= n; ++i) {
            lua_rawgeti(L, key, i);
            if (lua_isnil(L, -1))
                indices.push_back(makeSlice(std::nullopt, std::nullopt, std::nullopt));
            else
                parseIndexElement(L, lua_gettop(L), indices);
            lua_pop(L, 1);
        }
        return indices;
    }
    parseIndexElement(L, key, indices);
    return indices;
}

// A string key that is Python index syntax ("1:3, ::2", "..., 0", "None, :")
// rather than a method or property name.
bool looksLikeIndex(const char *key)
{
    for (const char *c = key; *c;) {
        if (std::strncmp(c, "None", 4) == 0) {
            c += 4;
            continue;
        }
        if (!(std::isdigit(static_cast<unsigned char>(*c)) || *c == ':' || *c == ',' || *c == '.' || *c == '-'
              || *c == ' '))
            return false;
        ++c;
    }
    return true;
}

int pushProperty(lua_State *L, const at::Tensor &tensor, const char *name)
{
    switch (name[0]) {
    case 's':
        if (std::strcmp(name, "shape") == 0) {
            pushSize(L, tensor.sizes());
            return 1;
        }
        break;
    case 'd':
        if (std::strcmp(name, "dtype") == 0) {
            lua_pushfstring(L, "torch.%s", dtypeName(tensor.scalar_type()));
            return 1;
        }
        if (std::strcmp(name, "data") == 0) {
            pushTensor(L, tensor.detach());
            return 1;
        }
        if (std::strcmp(name, "device") == 0) {
            pushDevice(L, tensor.device());
            return 1;
        }
        break;
    case 'g':
        if (std::strcmp(name, "grad") == 0) {
            pushTensor(L, tensor.grad());
            return 1;
        }
        if (std::strcmp(name, "grad_fn") == 0) {
            if (!tensor.grad_fn()) {
                lua_pushnil(L);
            } else {
                std::string fn = tensor.grad_fn()->name();
                const size_t colon = fn.rfind("::");
                if (colon != std::string::npos)
                    fn.erase(0, colon + 2);
                lua_pushlstring(L, fn.data(), fn.size());
            }
            return 1;
        }
        break;
    case 'r':
        if (std::strcmp(name, "requires_grad") == 0) {
            lua_pushboolean(L, tensor.requires_grad());
            return 1;
        }
        break;
    case 'i':
        if (std::strcmp(name, "is_leaf") == 0) {
            lua_pushboolean(L, tensor.is_leaf());
            return 1;
        }
        if (std::strcmp(name, "is_cuda") == 0) {
            lua_pushboolean(L, tensor.is_cuda());
            return 1;
        }
        break;
    case 'n':
        if (std::strcmp(name, "ndim") == 0) {
            lua_pushinteger(L, tensor.dim());
            return 1;
        }
        break;
    case 'T':
        if (name[1] == '\0') {
            std::vector<int64_t> dims;
            for (int64_t d = tensor.dim() - 1; d >= 0; --d)
                dims.push_back(d);
            pushTensor(L, tensor.permute(dims));
            return 1;
        }
        break;
    case 'm':
        if (std::strcmp(name, "mT") == 0) {
            pushTensor(L, tensor.transpose(-2, -1));
            return 1;
        }
        break;
    }
    return 0;
}

// __index: methods first (one raw lookup), then properties, then indexing.
int tensorIndex(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TSTRING) {
        // Methods need no handle: a freed tensor still finds them, and they raise.
        if (!isTensor(L, 1))
            return luaL_typeerror(L, 1, "Tensor");
        lua_pushvalue(L, 2);
        if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
            return 1;
        lua_pop(L, 1);
    }
    const at::Tensor tensor = checkTensor(L, 1);
    if (lua_type(L, 2) == LUA_TSTRING) {
        const char *name = lua_tostring(L, 2);
        const int pushed = guarded(L, [&] { return pushProperty(L, tensor, name); });
        if (pushed || !looksLikeIndex(name)) {
            if (!pushed)
                lua_pushnil(L);
            return 1;
        }
    }
    if (lua_type(L, 2) == LUA_TNUMBER && lua_isinteger(L, 2)) {
        const int64_t i = lua_tointeger(L, 2);
        return guarded(L, [&] {
            pushTensor(L, tensor.select(0, i));
            return 1;
        });
    }
    const std::vector<TensorIndex> indices = parseIndex(L, 2);
    return guarded(L, [&] {
        pushTensor(L, tensor.index(indices));
        return 1;
    });
}

// __newindex: t.requires_grad = true, t.grad = nil, t[i] = v, t[mask] = 0.
int tensorNewIndex(lua_State *L)
{
    at::Tensor tensor = checkTensor(L, 1);
    if (lua_type(L, 2) == LUA_TSTRING && !looksLikeIndex(lua_tostring(L, 2))) {
        const char *name = lua_tostring(L, 2);
        if (std::strcmp(name, "requires_grad") == 0) {
            const bool requires = lua_toboolean(L, 3);
            return guarded(L, [&] {
                tensor.requires_grad_(requires);
                return 0;
            });
        }
        if (std::strcmp(name, "grad") == 0) {
            at::Tensor grad = lua_isnil(L, 3) ? at::Tensor() : checkTensor(L, 3);
            return guarded(L, [&] {
                tensor.mutable_grad() = grad;
                return 0;
            });
        }
        if (std::strcmp(name, "data") == 0) {
            const at::Tensor &data = checkTensor(L, 3);
            return guarded(L, [&] {
                tensor.set_data(data);
                return 0;
            });
        }
        return luaL_error(L, "cannot set '%s' on a Tensor", name);
    }
    const std::vector<TensorIndex> indices = parseIndex(L, 2);
    if (std::optional<at::Tensor> value = testTensor(L, 3)) {
        const at::Tensor source = *value;
        return guarded(L, [&] {
            tensor.index_put_(indices, source);
            return 0;
        });
    }
    at::Scalar value;
    if (lua_isboolean(L, 3))
        value = bool(lua_toboolean(L, 3));
    else if (lua_isinteger(L, 3))
        value = int64_t(lua_tointeger(L, 3));
    else if (lua_type(L, 3) == LUA_TNUMBER)
        value = lua_tonumber(L, 3);
    else
        return luaL_typeerror(L, 3, "Tensor or number");
    return guarded(L, [&] {
        tensor.index_put_(indices, value);
        return 0;
    });
}

// ---- Metamethods -----------------------------------------------------------

template<at::Tensor (*Op)(const at::Tensor &, const at::Tensor &)>
int arithmetic(lua_State *L)
{
    const at::Tensor a = metaOperand(L, 1);
    const at::Tensor b = metaOperand(L, 2);
    return guarded(L, [&] {
        pushTensor(L, Op(a, b));
        return 1;
    });
}

at::Tensor addOp(const at::Tensor &a, const at::Tensor &b) { return at::add(a, b); }
at::Tensor subOp(const at::Tensor &a, const at::Tensor &b) { return at::sub(a, b); }
at::Tensor mulOp(const at::Tensor &a, const at::Tensor &b) { return at::mul(a, b); }
at::Tensor divOp(const at::Tensor &a, const at::Tensor &b) { return at::div(a, b); }
at::Tensor modOp(const at::Tensor &a, const at::Tensor &b) { return at::remainder(a, b); }
at::Tensor powOp(const at::Tensor &a, const at::Tensor &b) { return at::pow(a, b); }
at::Tensor floorDivOp(const at::Tensor &a, const at::Tensor &b) { return at::div(a, b, "floor"); }

int tensorUnm(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    return guarded(L, [&] {
        pushTensor(L, tensor.neg());
        return 1;
    });
}

int tensorLen(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    if (tensor.dim() == 0)
        return luaL_error(L, "len() of a 0-d tensor");
    lua_pushinteger(L, tensor.size(0));
    return 1;
}

int tensorCompare(lua_State *L)
{
    return luaL_error(L, "Lua's < and <= need booleans: compare tensors elementwise with t:lt(u), t:le(u), "
                         "t:gt(u), t:ge(u), t:eq(u)");
}

const luaL_Reg kTensorMethods[] = {
    {"size", tensorSize}, {"stride", tensorStride}, {"dim", tensorDim}, {"ndimension", tensorDim},
    {"numel", tensorNumel}, {"nelement", tensorNumel}, {"element_size", tensorElementSize},
    {"is_contiguous", tensorIsContiguous}, {"is_floating_point", tensorIsFloatingPoint},
    {"item", tensorItem}, {"tolist", tensorTolist}, {"to", tensorTo},
    {"float", tensorAs<at::kFloat>}, {"double", tensorAs<at::kDouble>}, {"long", tensorAs<at::kLong>},
    {"int", tensorAs<at::kInt>}, {"bool", tensorAs<at::kBool>}, {"byte", tensorAs<at::kByte>},
    {"half", tensorAs<at::kHalf>}, {"bfloat16", tensorAs<at::kBFloat16>}, {"cpu", tensorCpu},
    {"cuda", tensorCuda}, {"pin_memory", tensorPinMemory}, {"is_pinned", tensorIsPinned},
    {"backward", tensorBackward}, {"detach", tensorDetach}, {"requires_grad_", tensorRequiresGrad_},
    {"retain_grad", tensorRetainGrad},
    {nullptr, nullptr}};

const luaL_Reg kTensorMetamethods[] = {
    {"__gc", tensorGc},           {"__close", tensorGc},       {"__tostring", tensorToString},
    {"__add", arithmetic<addOp>}, {"__sub", arithmetic<subOp>}, {"__mul", arithmetic<mulOp>},
    {"__div", arithmetic<divOp>}, {"__mod", arithmetic<modOp>}, {"__pow", arithmetic<powOp>},
    {"__idiv", arithmetic<floorDivOp>}, {"__unm", tensorUnm},  {"__len", tensorLen},
    {"__lt", tensorCompare},      {"__le", tensorCompare},     {"__newindex", tensorNewIndex},
    {nullptr, nullptr}};

const luaL_Reg kTorchFunctions[] = {
    {"tensor", torchTensor}, {"as_tensor", torchTensor},
    {"zeros", sizedFactory<zerosFactory>}, {"ones", sizedFactory<onesFactory>},
    {"empty", sizedFactory<emptyFactory>}, {"randn", sizedFactory<randnFactory>},
    {"rand", sizedFactory<randFactory>}, {"full", torchFull}, {"randint", torchRandint},
    {"randperm", torchRandperm}, {"arange", torchArange}, {"linspace", torchLinspace},
    {"logspace", torchLogspace}, {"eye", torchEye},
    {"zeros_like", likeFactory<0>}, {"ones_like", likeFactory<1>}, {"rand_like", likeFactory<2>},
    {"randn_like", likeFactory<3>}, {"full_like", likeFactory<4>}, {"empty_like", likeFactory<5>},
    {"manual_seed", torchManualSeed}, {"initial_seed", torchInitialSeed},
    {"set_num_threads", torchSetNumThreads}, {"get_num_threads", torchGetNumThreads},
    {"is_tensor", torchIsTensor}, {"numel", tensorNumel},
    {"no_grad", torchGradMode<false>}, {"enable_grad", torchGradMode<true>},
    {"is_grad_enabled", torchIsGradEnabled}, {"set_grad_enabled", torchSetGradEnabled},
    {"detach", tensorDetach}, {"tolist", tensorTolist},
    {nullptr, nullptr}};

const char *const kDtypeConstants[][2] = {
    {"float32", "torch.float32"}, {"float", "torch.float32"},  {"float64", "torch.float64"},
    {"double", "torch.float64"},  {"float16", "torch.float16"}, {"half", "torch.float16"},
    {"bfloat16", "torch.bfloat16"}, {"int64", "torch.int64"},  {"long", "torch.int64"},
    {"int32", "torch.int32"},     {"int", "torch.int32"},      {"int16", "torch.int16"},
    {"short", "torch.int16"},     {"int8", "torch.int8"},      {"uint8", "torch.uint8"},
    {"bool", "torch.bool"},
};

} // namespace

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
    luaL_setfuncs(L, kTorchFunctions, 0);
    for (const auto &constant : kDtypeConstants) {
        lua_pushstring(L, constant[1]);
        lua_setfield(L, torchTable, constant[0]);
    }
    lua_newtable(L);
    lua_setfield(L, torchTable, "autograd");
    lua_getfield(L, torchTable, "autograd");
    lua_pushcfunction(L, autogradGrad);
    lua_setfield(L, -2, "grad");
    lua_pushcfunction(L, autogradBackward);
    lua_setfield(L, -2, "backward");
    lua_pop(L, 1);

    // Methods live in torch.Tensor, so Lua code can add its own.
    lua_newtable(L);
    const int methods = lua_gettop(L);
    luaL_setfuncs(L, kTensorMethods, 0);
    registerTensorOps(L, methods, torchTable);
    lua_pushvalue(L, methods);
    lua_setfield(L, torchTable, "Tensor");

    lua_newtable(L);
    luaL_setfuncs(L, kTensorMetamethods, 0);
    lua_pushliteral(L, "Tensor");
    lua_setfield(L, -2, "__name");
    protectMetatable(L, -1, "Tensor");
    lua_pushvalue(L, methods);
    lua_pushcclosure(L, tensorIndex, 1);
    lua_setfield(L, -2, "__index");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kTensorMetatable);
    lua_pop(L, 1);  // methods

    lua_newtable(L);
    lua_pushcfunction(L, sizeToString);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, sizeEquals);
    lua_setfield(L, -2, "__eq");
    lua_pushliteral(L, "torch.Size");
    lua_setfield(L, -2, "__name");
    protectMetatable(L, -1, "torch.Size");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kSizeMetatable);

    luaL_newmetatable(L, "kiln.GradModeGuard");
    lua_pushcfunction(L, gradModeClose);
    lua_setfield(L, -2, "__close");
    protectMetatable(L, -1, "kiln.GradModeGuard");
    lua_pop(L, 1);

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
    lua::openOutputs(L);
}

} // namespace kiln
