#include "luaapi/luatensor_p.h"
#include "luaapi/luatensorops_p.h"

#include <optional>
#include <vector>

// Making tensors: torch.tensor from Lua values, the sized factories (zeros,
// randn, arange, ...), the *_like forms, and the global knobs next to them
// (seeds, thread count). All share the options table {dtype, device,
// requires_grad, pin_memory} read by factoryOptions.

namespace kiln::lua {

namespace {

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

int torchTensor(lua_State *L)
{
    const int options = lua_istable(L, 2) ? 2 : 0;
    at::Tensor tensor;
    std::optional<c10::Device> keepDevice;
    if (std::optional<at::Tensor> existing = testTensor(L, 1)) {
        tensor = existing->detach().clone();
        keepDevice = existing->device();
    } else if (lua_type(L, 1) == LUA_TNUMBER && !lua_isinteger(L, 1)) {
        // float64 first, so torch.tensor(0.3, {dtype = torch.float64}) is exact
        const bool named = options && lua_getfield(L, options, "dtype") != LUA_TNIL;
        lua_pop(L, options ? 1 : 0);
        tensor = at::scalar_tensor(lua_tonumber(L, 1), at::kDouble);
        if (!named)
            tensor = tensor.to(at::kFloat);
    } else if (lua_type(L, 1) == LUA_TNUMBER || lua_type(L, 1) == LUA_TBOOLEAN) {
        tensor = toTensor(L, 1);
    } else {
        luaL_checktype(L, 1, LUA_TTABLE);
        Nested nested;
        collectNested(L, 1, 0, nested);
        std::optional<at::ScalarType> named;
        if (options && lua_getfield(L, options, "dtype") != LUA_TNIL)
            named = checkDtype(L, lua_gettop(L));
        if (options)
            lua_pop(L, 1);
        guarded(L, [&] {
            tensor = tensorFromNested(nested, named);
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

// t:new_zeros(size..., {dtype, device, requires_grad}) and its kin: the receiver's
// dtype and device unless the options name others.
template<int Kind>
int newLike(lua_State *L)
{
    const at::Tensor model = checkTensor(L, 1);
    const std::vector<int64_t> sizes = checkSizes(L, 2);
    const int sizesStop = sizesEnd(L, 2);
    const int valueIndex = Kind == 2 ? sizesStop : 0;
    const at::Scalar fill = Kind == 2 ? checkScalar(L, valueIndex) : at::Scalar(0);
    const int options = Kind == 2 ? valueIndex + 1 : sizesStop;
    const at::TensorOptions tensorOptions = factoryOptions(L, options, model.scalar_type(), model.device());
    return guarded(L, [&] {
        switch (Kind) {
        case 0: return pushCreated(L, at::zeros(sizes, tensorOptions), options);
        case 1: return pushCreated(L, at::ones(sizes, tensorOptions), options);
        case 2: return pushCreated(L, at::full(sizes, fill, tensorOptions), options);
        default: return pushCreated(L, at::empty(sizes, tensorOptions), options);
        }
    });
}

// t:multinomial(num_samples, replacement?) and torch.multinomial(t, ...): int64 indices.
int tMultinomial(lua_State *L)
{
    const at::Tensor probabilities = checkTensor(L, 1);
    const int64_t samples = luaL_checkinteger(L, 2);
    const bool replacement = lua_toboolean(L, 3);
    return guarded(L, [&] { return pushCreated(L, at::multinomial(probabilities, samples, replacement), 0); });
}

// t:bernoulli(p?): 1 with probability p (or each element of t), else 0.
int tBernoulli(lua_State *L)
{
    const at::Tensor t = checkTensor(L, 1);
    if (lua_type(L, 2) == LUA_TNUMBER) {
        const double p = lua_tonumber(L, 2);
        return guarded(L, [&] { return pushCreated(L, at::bernoulli(t, p), 0); });
    }
    return guarded(L, [&] { return pushCreated(L, at::bernoulli(t), 0); });
}

const luaL_Reg kCreationFunctions[] = {
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
    {"is_tensor", torchIsTensor},
    {nullptr, nullptr}};

} // namespace

void registerCreationMethods(lua_State *L, int methods, int torchTable)
{
    methods = lua_absindex(L, methods);
    torchTable = lua_absindex(L, torchTable);
    const luaL_Reg methodsOnly[] = {{"new_zeros", newLike<0>}, {"new_ones", newLike<1>}, {"new_full", newLike<2>},
                                    {"new_empty", newLike<3>}, {nullptr, nullptr}};
    lua_pushvalue(L, methods);
    luaL_setfuncs(L, methodsOnly, 0);
    lua_pop(L, 1);
    for (const luaL_Reg &entry : {luaL_Reg{"multinomial", tMultinomial}, luaL_Reg{"bernoulli", tBernoulli}}) {
        lua_pushcfunction(L, entry.func);
        lua_setfield(L, methods, entry.name);
        lua_pushcfunction(L, entry.func);
        lua_setfield(L, torchTable, entry.name);
    }
}

void registerTensorCreation(lua_State *L, int torchTable)
{
    lua_pushvalue(L, torchTable);
    luaL_setfuncs(L, kCreationFunctions, 0);
    lua_pop(L, 1);
}

} // namespace kiln::lua
