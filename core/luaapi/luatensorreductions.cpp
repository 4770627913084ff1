#include "luaapi/luatensor_p.h"
#include "luaapi/luatensorops_p.h"

#include <optional>
#include <vector>

// Reductions as tensor methods and torch functions: sum, mean, std, max,
// argmax, sort, topk, softmax and the rest, with PyTorch's (dim, keepdim)
// in every spelling a Lua user writes.

namespace kiln::lua {

namespace {

int64_t checkDim(lua_State *L, int index) { return luaL_checkinteger(L, index); }

int pushPair(lua_State *L, std::tuple<at::Tensor, at::Tensor> pair)
{
    pushTensor(L, std::get<0>(std::move(pair)));
    pushTensor(L, std::get<1>(std::move(pair)));
    return 2;
}

// PyTorch's (dim=None, keepdim=False) in any of the spellings a Lua user writes:
// t:sum(), t:sum(1), t:sum({0, 1}), t:sum(1, true), t:sum(1, {keepdim = true}),
// t:sum({dim = 1, keepdim = true}).
struct ReduceArgs
{
    std::optional<std::vector<int64_t>> dims;
    bool keepdim = false;
    int options = 0;
};

ReduceArgs reduceArgs(lua_State *L, int first)
{
    ReduceArgs args;
    int next = first;
    if (lua_type(L, next) == LUA_TNUMBER) {
        args.dims = std::vector<int64_t>{luaL_checkinteger(L, next)};
        ++next;
    } else if (lua_istable(L, next) && !isTensor(L, next)) {
        lua_rawgeti(L, next, 1);
        const bool isList = lua_type(L, -1) == LUA_TNUMBER;
        lua_pop(L, 1);
        if (isList) {
            args.dims = checkSizes(L, next);
            ++next;
        }
    }
    if (lua_isboolean(L, next)) {
        args.keepdim = lua_toboolean(L, next);
        ++next;
    }
    if (lua_istable(L, next)) {
        args.options = next;
        args.keepdim = optBool(L, next, "keepdim", args.keepdim);
        lua_getfield(L, next, "dim");
        if (lua_type(L, -1) == LUA_TNUMBER)
            args.dims = std::vector<int64_t>{luaL_checkinteger(L, -1)};
        else if (lua_istable(L, -1))
            args.dims = checkSizes(L, lua_gettop(L));
        lua_pop(L, 1);
    }
    return args;
}

c10::optional<at::ScalarType> optDtype(lua_State *L, int options)
{
    if (options == 0)
        return c10::nullopt;
    lua_getfield(L, options, "dtype");
    c10::optional<at::ScalarType> dtype;
    if (!lua_isnil(L, -1))
        dtype = checkDtype(L, lua_gettop(L));
    lua_pop(L, 1);
    return dtype;
}

int tSum(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const ReduceArgs args = reduceArgs(L, 2);
    const auto dtype = optDtype(L, args.options);
    return guarded(L, [&] {
        if (!args.dims)
            return pushResult(L, args.keepdim ? a.sum(at::IntArrayRef{}, true, dtype) : a.sum(dtype));
        return pushResult(L, a.sum(*args.dims, args.keepdim, dtype));
    });
}

int tMean(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const ReduceArgs args = reduceArgs(L, 2);
    const auto dtype = optDtype(L, args.options);
    return guarded(L, [&] {
        if (!args.dims)
            return pushResult(L, args.keepdim ? a.mean(at::IntArrayRef{}, true, dtype) : a.mean(dtype));
        return pushResult(L, a.mean(*args.dims, args.keepdim, dtype));
    });
}

// prod, all and any reduce over one dim at a time in PyTorch.
void checkSingleDim(lua_State *L, const ReduceArgs &args, const char *name)
{
    if (args.dims && args.dims->size() != 1)
        luaL_error(L, "%s: takes one dim, got %d", name, int(args.dims->size()));
}

int tProd(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const ReduceArgs args = reduceArgs(L, 2);
    checkSingleDim(L, args, "prod");
    return guarded(L, [&] {
        if (!args.dims)
            return pushResult(L, a.prod());
        return pushResult(L, a.prod(args.dims->at(0), args.keepdim));
    });
}

// std/var use Bessel's correction unless {unbiased = false} (or correction = 0).
// PyTorch's positional order: std(dim, unbiased, keepdim), or std(unbiased).
template<bool IsStd>
int tSpread(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    bool positionalUnbiased = true;
    bool hasPositionalUnbiased = false;
    if (lua_isboolean(L, 2)) {
        positionalUnbiased = lua_toboolean(L, 2);
        hasPositionalUnbiased = true;
        lua_remove(L, 2);
    } else if (!lua_isnoneornil(L, 2) && lua_isboolean(L, 3)) {
        positionalUnbiased = lua_toboolean(L, 3);
        hasPositionalUnbiased = true;
        lua_remove(L, 3);
    }
    const ReduceArgs args = reduceArgs(L, 2);
    bool unbiased = optBool(L, args.options, "unbiased", hasPositionalUnbiased ? positionalUnbiased : true);
    if (args.options)
        unbiased = optNumber(L, args.options, "correction", unbiased ? 1 : 0) != 0;
    return guarded(L, [&] {
        const at::OptionalIntArrayRef dims = args.dims ? at::OptionalIntArrayRef(*args.dims) : c10::nullopt;
        return pushResult(L, IsStd ? a.std(dims, unbiased, args.keepdim) : a.var(dims, unbiased, args.keepdim));
    });
}

int tAmax(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const ReduceArgs args = reduceArgs(L, 2);
    return guarded(L, [&] { return pushResult(L, a.amax(args.dims.value_or(std::vector<int64_t>{}), args.keepdim)); });
}

int tAmin(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const ReduceArgs args = reduceArgs(L, 2);
    return guarded(L, [&] { return pushResult(L, a.amin(args.dims.value_or(std::vector<int64_t>{}), args.keepdim)); });
}

int tLogsumexp(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const ReduceArgs args = reduceArgs(L, 2);
    return guarded(L, [&] {
        std::vector<int64_t> dims = args.dims.value_or(std::vector<int64_t>{});
        if (!args.dims) {
            for (int64_t d = 0; d < a.dim(); ++d)
                dims.push_back(d);
        }
        return pushResult(L, a.logsumexp(dims, args.keepdim));
    });
}

// t:norm(), t:norm(p), t:norm(p, dim, keepdim)
int tNorm(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const double p = lua_type(L, 2) == LUA_TNUMBER ? lua_tonumber(L, 2) : 2.0;
    const ReduceArgs args = reduceArgs(L, lua_type(L, 2) == LUA_TNUMBER ? 3 : 2);
    return guarded(L, [&] {
        if (!args.dims)
            return pushResult(L, a.norm(p));
        return pushResult(L, a.norm(p, *args.dims, args.keepdim));
    });
}

template<bool IsAll>
int tAllAny(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const ReduceArgs args = reduceArgs(L, 2);
    checkSingleDim(L, args, IsAll ? "all" : "any");
    return guarded(L, [&] {
        if (!args.dims)
            return pushResult(L, IsAll ? a.all() : a.any());
        return pushResult(L, IsAll ? a.all(args.dims->at(0), args.keepdim) : a.any(args.dims->at(0), args.keepdim));
    });
}

template<bool IsMax>
int tArgExtreme(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const ReduceArgs args = reduceArgs(L, 2);
    return guarded(L, [&] {
        const c10::optional<int64_t> dim = args.dims ? c10::optional<int64_t>(args.dims->at(0)) : c10::nullopt;
        return pushResult(L, IsMax ? a.argmax(dim, args.keepdim) : a.argmin(dim, args.keepdim));
    });
}

// max(): the largest value; max(dim[, keepdim]): values and indices; max(other): elementwise.
template<bool IsMax>
int tExtreme(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    if (isTensor(L, 2)) {
        const at::Tensor &b = checkTensor(L, 2);
        return guarded(L, [&] { return pushResult(L, IsMax ? at::maximum(a, b) : at::minimum(a, b)); });
    }
    const ReduceArgs args = reduceArgs(L, 2);
    return guarded(L, [&] {
        if (!args.dims)
            return pushResult(L, IsMax ? a.max() : a.min());
        return pushPair(L, IsMax ? a.max(args.dims->at(0), args.keepdim) : a.min(args.dims->at(0), args.keepdim));
    });
}

int tMedian(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const ReduceArgs args = reduceArgs(L, 2);
    return guarded(L, [&] {
        if (!args.dims)
            return pushResult(L, a.median());
        return pushPair(L, a.median(args.dims->at(0), args.keepdim));
    });
}

int tCumsum(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const int64_t dim = lua_istable(L, 2) ? optInteger(L, 2, "dim", 0) : checkDim(L, 2);
    return guarded(L, [&] { return pushResult(L, a.cumsum(dim)); });
}

int tCumprod(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const int64_t dim = lua_istable(L, 2) ? optInteger(L, 2, "dim", 0) : checkDim(L, 2);
    return guarded(L, [&] { return pushResult(L, a.cumprod(dim)); });
}

// topk(k, dim=-1, largest=true, sorted=true) -> values, indices
int tTopk(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const int64_t k = luaL_checkinteger(L, 2);
    int options = lua_istable(L, 3) ? 3 : (lua_istable(L, 4) ? 4 : 0);
    const int64_t dim = lua_type(L, 3) == LUA_TNUMBER ? lua_tointeger(L, 3) : optInteger(L, options, "dim", -1);
    const bool largest = optBool(L, options, "largest", true);
    const bool sorted = optBool(L, options, "sorted", true);
    return guarded(L, [&] { return pushPair(L, a.topk(k, dim, largest, sorted)); });
}

// sort(dim=-1, descending=false) -> values, indices; also sort({dim=, descending=})
int tSort(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const int options = lua_istable(L, 2) ? 2 : (lua_istable(L, 3) ? 3 : 0);
    const int64_t dim = lua_type(L, 2) == LUA_TNUMBER ? lua_tointeger(L, 2) : optInteger(L, options, "dim", -1);
    const bool descending = lua_isboolean(L, 3) ? lua_toboolean(L, 3) : optBool(L, options, "descending", false);
    return guarded(L, [&] { return pushPair(L, a.sort(dim, descending)); });
}

int tArgsort(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const int options = lua_istable(L, 2) ? 2 : (lua_istable(L, 3) ? 3 : 0);
    const int64_t dim = lua_type(L, 2) == LUA_TNUMBER ? lua_tointeger(L, 2) : optInteger(L, options, "dim", -1);
    const bool descending = lua_isboolean(L, 3) ? lua_toboolean(L, 3) : optBool(L, options, "descending", false);
    return guarded(L, [&] { return pushResult(L, a.argsort(dim, descending)); });
}

int tUnique(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const bool returnCounts = optBool(L, 2, "return_counts", false);
    return guarded(L, [&] {
        auto result = at::_unique2(a, true, false, returnCounts);
        pushTensor(L, std::get<0>(result));
        if (!returnCounts)
            return 1;
        pushTensor(L, std::get<2>(result));
        return 2;
    });
}

int tSoftmax(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const int64_t dim = lua_istable(L, 2) ? optInteger(L, 2, "dim", -1) : luaL_checkinteger(L, 2);
    return guarded(L, [&] { return pushResult(L, a.softmax(dim)); });
}

int tLogSoftmax(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const int64_t dim = lua_istable(L, 2) ? optInteger(L, 2, "dim", -1) : luaL_checkinteger(L, 2);
    return guarded(L, [&] { return pushResult(L, a.log_softmax(dim)); });
}

} // namespace

const luaL_Reg kReductionOps[] = {
    {"sum", tSum}, {"mean", tMean}, {"prod", tProd}, {"std", tSpread<true>}, {"var", tSpread<false>},
    {"amax", tAmax}, {"amin", tAmin}, {"logsumexp", tLogsumexp}, {"norm", tNorm},
    {"all", tAllAny<true>}, {"any", tAllAny<false>}, {"argmax", tArgExtreme<true>}, {"argmin", tArgExtreme<false>},
    {"max", tExtreme<true>}, {"min", tExtreme<false>}, {"median", tMedian}, {"cumsum", tCumsum},
    {"cumprod", tCumprod}, {"topk", tTopk}, {"sort", tSort}, {"argsort", tArgsort}, {"unique", tUnique},
    {"softmax", tSoftmax}, {"log_softmax", tLogSoftmax},
    {nullptr, nullptr}};

} // namespace kiln::lua
