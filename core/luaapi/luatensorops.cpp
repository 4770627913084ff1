#include "luaapi/luatensor_p.h"
#include "luaapi/luatensorops_p.h"

#include <cstring>
#include <optional>

// Tensor math, reductions and shape operations. Each function takes the tensor
// first, so the same C function is both the method (t:sum(1)) and the torch
// function (torch.sum(t, 1)), as in PyTorch. Dims and indices are 0-based.

namespace kiln::lua {

namespace {

at::Scalar checkScalar(lua_State *L, int index)
{
    switch (lua_type(L, index)) {
    case LUA_TBOOLEAN:
        return at::Scalar(bool(lua_toboolean(L, index)));
    case LUA_TNUMBER:
        if (lua_isinteger(L, index))
            return at::Scalar(int64_t(lua_tointeger(L, index)));
        return at::Scalar(lua_tonumber(L, index));
    default:
        luaL_typeerror(L, index, "number");
        return at::Scalar();
    }
}

bool isScalar(lua_State *L, int index)
{
    return lua_type(L, index) == LUA_TNUMBER || lua_type(L, index) == LUA_TBOOLEAN;
}

// A Python number next to a tensor: a "wrapped number" takes part in type
// promotion as a scalar, so int_tensor * 2.5 is float32, not float64.
at::Tensor wrappedScalar(const at::Scalar &scalar)
{
    at::Tensor tensor = c10::scalar_to_tensor(scalar);
    tensor.unsafeGetTensorImpl()->set_wrapped_number(true);
    return tensor;
}

at::Tensor operandTensor(lua_State *L, int index)
{
    if (std::optional<at::Tensor> tensor = testTensor(L, index))
        return *tensor;
    if (isScalar(L, index))
        return wrappedScalar(checkScalar(L, index));
    if (lua_istable(L, index))
        return toTensor(L, index);
    luaL_typeerror(L, index, "Tensor or number");
    return at::Tensor();
}

int64_t checkDim(lua_State *L, int index) { return luaL_checkinteger(L, index); }

int pushResult(lua_State *L, at::Tensor tensor)
{
    pushTensor(L, std::move(tensor));
    return 1;
}

int pushPair(lua_State *L, std::tuple<at::Tensor, at::Tensor> pair)
{
    pushTensor(L, std::get<0>(std::move(pair)));
    pushTensor(L, std::get<1>(std::move(pair)));
    return 2;
}

int pushTensorList(lua_State *L, const std::vector<at::Tensor> &tensors)
{
    lua_createtable(L, int(tensors.size()), 0);
    for (size_t i = 0; i < tensors.size(); ++i) {
        pushTensor(L, tensors[i]);
        lua_rawseti(L, -2, lua_Integer(i + 1));
    }
    return 1;
}


// ---- Elementwise -----------------------------------------------------------

#define KILN_UNARY(name, expression)                                                                                   \
    int name(lua_State *L)                                                                                             \
    {                                                                                                                  \
        const at::Tensor &a = checkTensor(L, 1);                                                                       \
        return guarded(L, [&] { return pushResult(L, expression); });                                                  \
    }

KILN_UNARY(tAbs, a.abs())
KILN_UNARY(tExp, a.exp())
KILN_UNARY(tExp2, at::exp2(a))
KILN_UNARY(tLog, a.log())
KILN_UNARY(tLog2, a.log2())
KILN_UNARY(tLog10, a.log10())
KILN_UNARY(tLog1p, a.log1p())
KILN_UNARY(tExpm1, a.expm1())
KILN_UNARY(tSqrt, a.sqrt())
KILN_UNARY(tRsqrt, a.rsqrt())
KILN_UNARY(tSquare, a.square())
KILN_UNARY(tSin, a.sin())
KILN_UNARY(tCos, a.cos())
KILN_UNARY(tTan, a.tan())
KILN_UNARY(tAsin, a.asin())
KILN_UNARY(tAcos, a.acos())
KILN_UNARY(tAtan, a.atan())
KILN_UNARY(tSinh, a.sinh())
KILN_UNARY(tCosh, a.cosh())
KILN_UNARY(tTanh, a.tanh())
KILN_UNARY(tSigmoid, a.sigmoid())
KILN_UNARY(tRelu, a.relu())
KILN_UNARY(tNeg, a.neg())
KILN_UNARY(tFloor, a.floor())
KILN_UNARY(tCeil, a.ceil())
KILN_UNARY(tRound, a.round())
KILN_UNARY(tTrunc, a.trunc())
KILN_UNARY(tFrac, a.frac())
KILN_UNARY(tSign, a.sign())
KILN_UNARY(tReciprocal, a.reciprocal())
KILN_UNARY(tErf, a.erf())
KILN_UNARY(tErfc, a.erfc())
KILN_UNARY(tLogicalNot, a.logical_not())
KILN_UNARY(tIsnan, a.isnan())
KILN_UNARY(tIsinf, at::isinf(a))
KILN_UNARY(tIsfinite, at::isfinite(a))
KILN_UNARY(tClone, a.clone())
KILN_UNARY(tContiguous, a.contiguous())
KILN_UNARY(tT, a.t())
KILN_UNARY(tNonzero, a.nonzero())
KILN_UNARY(tDiag, a.diag())
KILN_UNARY(tTrace, a.trace())

// In-place forms return the tensor itself (the same Lua value), as PyTorch does.
#define KILN_UNARY_INPLACE(name, expression)                                                                           \
    int name(lua_State *L)                                                                                             \
    {                                                                                                                  \
        at::Tensor a = checkTensor(L, 1);                                                                              \
        return guarded(L, [&] {                                                                                        \
            expression;                                                                                                \
            lua_settop(L, 1);                                                                                          \
            return 1;                                                                                                  \
        });                                                                                                            \
    }

KILN_UNARY_INPLACE(tZero_, a.zero_())
KILN_UNARY_INPLACE(tRelu_, a.relu_())
KILN_UNARY_INPLACE(tSigmoid_, a.sigmoid_())
KILN_UNARY_INPLACE(tTanh_, a.tanh_())
KILN_UNARY_INPLACE(tExp_, a.exp_())
KILN_UNARY_INPLACE(tNeg_, a.neg_())
KILN_UNARY_INPLACE(tAbs_, a.abs_())
KILN_UNARY_INPLACE(tSqrt_, a.sqrt_())
KILN_UNARY_INPLACE(tDetach_, a.detach_())

template<typename TensorOp, typename ScalarOp>
int binaryWith(lua_State *L, TensorOp tensorOp, ScalarOp scalarOp)
{
    const at::Tensor &a = checkTensor(L, 1);
    if (isScalar(L, 2)) {
        const at::Scalar b = checkScalar(L, 2);
        return guarded(L, [&] { return pushResult(L, scalarOp(a, b)); });
    }
    const at::Tensor b = operandTensor(L, 2);
    return guarded(L, [&] { return pushResult(L, tensorOp(a, b)); });
}

#define KILN_BINARY(name, method)                                                                                      \
    int name(lua_State *L)                                                                                             \
    {                                                                                                                  \
        return binaryWith(                                                                                             \
            L, [](const at::Tensor &a, const at::Tensor &b) { return a.method(b); },                                   \
            [](const at::Tensor &a, const at::Scalar &b) { return a.method(b); });                                     \
    }

KILN_BINARY(tEq, eq)
KILN_BINARY(tNe, ne)
KILN_BINARY(tLt, lt)
KILN_BINARY(tLe, le)
KILN_BINARY(tGt, gt)
KILN_BINARY(tGe, ge)
KILN_BINARY(tPow, pow)
KILN_BINARY(tRemainder, remainder)
KILN_BINARY(tFmod, fmod)

// add/sub take alpha as PyTorch does: a:add(b, {alpha = 2}).
// alpha keeps its Lua type: an integer alpha is allowed on integer tensors.
at::Scalar alphaOption(lua_State *L, int options)
{
    if (!lua_istable(L, options))
        return at::Scalar(int64_t(1));
    lua_getfield(L, options, "alpha");
    const at::Scalar alpha = lua_isnil(L, -1) ? at::Scalar(int64_t(1)) : checkScalar(L, -1);
    lua_pop(L, 1);
    return alpha;
}

int tAdd(lua_State *L)
{
    const at::Scalar alpha = alphaOption(L, 3);
    return binaryWith(
        L, [&](const at::Tensor &a, const at::Tensor &b) { return a.add(b, alpha); },
        [&](const at::Tensor &a, const at::Scalar &b) { return a.add(b, alpha); });
}

int tSub(lua_State *L)
{
    const at::Scalar alpha = alphaOption(L, 3);
    return binaryWith(
        L, [&](const at::Tensor &a, const at::Tensor &b) { return a.sub(b, alpha); },
        [&](const at::Tensor &a, const at::Scalar &b) { return a.sub(b, alpha); });
}

KILN_BINARY(tMul, mul)

int tDiv(lua_State *L)
{
    const std::string mode = optString(L, 3, "rounding_mode", "");
    const c10::optional<c10::string_view> rounding = mode.empty() ? c10::nullopt : c10::optional<c10::string_view>(mode);
    return binaryWith(
        L, [&](const at::Tensor &a, const at::Tensor &b) { return a.div(b, rounding); },
        [&](const at::Tensor &a, const at::Scalar &b) { return a.div(b, rounding); });
}

int tFloorDivide(lua_State *L)
{
    return binaryWith(
        L, [](const at::Tensor &a, const at::Tensor &b) { return a.div(b, "floor"); },
        [](const at::Tensor &a, const at::Scalar &b) { return a.div(b, "floor"); });
}

#define KILN_TENSOR_BINARY(name, expression)                                                                           \
    int name(lua_State *L)                                                                                             \
    {                                                                                                                  \
        const at::Tensor a = operandTensor(L, 1);                                                                      \
        const at::Tensor b = operandTensor(L, 2);                                                                      \
        return guarded(L, [&] { return pushResult(L, expression); });                                                  \
    }

KILN_TENSOR_BINARY(tMatmul, at::matmul(a, b))
KILN_TENSOR_BINARY(tMm, at::mm(a, b))
KILN_TENSOR_BINARY(tBmm, at::bmm(a, b))
KILN_TENSOR_BINARY(tDot, at::dot(a, b))
KILN_TENSOR_BINARY(tOuter, at::outer(a, b))
KILN_TENSOR_BINARY(tMaximum, at::maximum(a, b))
KILN_TENSOR_BINARY(tMinimum, at::minimum(a, b))
KILN_TENSOR_BINARY(tAtan2, at::atan2(a, b))
KILN_TENSOR_BINARY(tLogicalAnd, at::logical_and(a, b))
KILN_TENSOR_BINARY(tLogicalOr, at::logical_or(a, b))
KILN_TENSOR_BINARY(tLogicalXor, at::logical_xor(a, b))
KILN_TENSOR_BINARY(tExpandAs, a.expand_as(b))
KILN_TENSOR_BINARY(tViewAs, a.view_as(b))
KILN_TENSOR_BINARY(tTypeAs, a.type_as(b))
KILN_TENSOR_BINARY(tMaskedSelect, a.masked_select(b))

// In-place binary ops (optimizers and initializers written in Lua use them).
#define KILN_BINARY_INPLACE(name, method)                                                                              \
    int name(lua_State *L)                                                                                             \
    {                                                                                                                  \
        at::Tensor a = checkTensor(L, 1);                                                                              \
        if (isScalar(L, 2)) {                                                                                          \
            const at::Scalar b = checkScalar(L, 2);                                                                    \
            return guarded(L, [&] { a.method(b); lua_settop(L, 1); return 1; });                                      \
        }                                                                                                              \
        const at::Tensor b = operandTensor(L, 2);                                                                      \
        return guarded(L, [&] { a.method(b); lua_settop(L, 1); return 1; });                                          \
    }

KILN_BINARY_INPLACE(tAdd_, add_)
KILN_BINARY_INPLACE(tSub_, sub_)
KILN_BINARY_INPLACE(tMul_, mul_)
KILN_BINARY_INPLACE(tDiv_, div_)
KILN_BINARY_INPLACE(tPow_, pow_)

int tCopy_(lua_State *L)
{
    at::Tensor a = checkTensor(L, 1);
    const at::Tensor b = operandTensor(L, 2);
    return guarded(L, [&] {
        a.copy_(b);
        lua_settop(L, 1);
        return 1;
    });
}

int tFill_(lua_State *L)
{
    at::Tensor a = checkTensor(L, 1);
    const at::Scalar value = checkScalar(L, 2);
    return guarded(L, [&] {
        a.fill_(value);
        lua_settop(L, 1);
        return 1;
    });
}

int tUniform_(lua_State *L)
{
    at::Tensor a = checkTensor(L, 1);
    const double from = luaL_optnumber(L, 2, 0), to = luaL_optnumber(L, 3, 1);
    return guarded(L, [&] {
        a.uniform_(from, to);
        lua_settop(L, 1);
        return 1;
    });
}

int tNormal_(lua_State *L)
{
    at::Tensor a = checkTensor(L, 1);
    const double mean = luaL_optnumber(L, 2, 0), std = luaL_optnumber(L, 3, 1);
    return guarded(L, [&] {
        a.normal_(mean, std);
        lua_settop(L, 1);
        return 1;
    });
}

// clamp(min, max) or clamp({min = , max = }); either bound may be nil.
std::optional<at::Scalar> optionalScalar(lua_State *L, int index)
{
    if (lua_isnoneornil(L, index))
        return std::nullopt;
    return checkScalar(L, index);
}

void clampBounds(lua_State *L, std::optional<at::Scalar> &low, std::optional<at::Scalar> &high)
{
    if (lua_istable(L, 2)) {
        lua_getfield(L, 2, "min");
        low = optionalScalar(L, -1);
        lua_getfield(L, 2, "max");
        high = optionalScalar(L, -1);
        lua_pop(L, 2);
    } else {
        low = optionalScalar(L, 2);
        high = optionalScalar(L, 3);
    }
}

int tClamp(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    std::optional<at::Scalar> low, high;
    clampBounds(L, low, high);
    return guarded(L, [&] {
        return pushResult(L, a.clamp(low ? c10::optional<at::Scalar>(*low) : c10::nullopt,
                                     high ? c10::optional<at::Scalar>(*high) : c10::nullopt));
    });
}

int tClamp_(lua_State *L)
{
    at::Tensor a = checkTensor(L, 1);
    std::optional<at::Scalar> low, high;
    clampBounds(L, low, high);
    return guarded(L, [&] {
        a.clamp_(low ? c10::optional<at::Scalar>(*low) : c10::nullopt,
                 high ? c10::optional<at::Scalar>(*high) : c10::nullopt);
        lua_settop(L, 1);
        return 1;
    });
}

int tLerp(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const at::Tensor end = operandTensor(L, 2);
    if (isScalar(L, 3)) {
        const at::Scalar weight = checkScalar(L, 3);
        return guarded(L, [&] { return pushResult(L, a.lerp(end, weight)); });
    }
    const at::Tensor weight = operandTensor(L, 3);
    return guarded(L, [&] { return pushResult(L, a.lerp(end, weight)); });
}

// torch.where(cond, a, b); with one argument, the indices of nonzero entries.
int tWhere(lua_State *L)
{
    const at::Tensor condition = operandTensor(L, 1);
    if (lua_isnoneornil(L, 2))
        return guarded(L, [&] { return pushTensorList(L, at::where(condition)); });
    // Numbers take the other operand's dtype (or the default float), as PyTorch's
    // scalar overloads do; libtorch 1.13 refuses two wrapped numbers of mixed kinds.
    at::Tensor a = isTensor(L, 2) ? checkTensor(L, 2) : at::Tensor();
    at::Tensor b = isTensor(L, 3) ? checkTensor(L, 3) : at::Tensor();
    const auto numberAt = [&](int index, const at::Tensor &other) {
        const at::Scalar value = checkScalar(L, index);
        at::ScalarType type = other.defined() ? other.scalar_type()
            : value.isFloatingPoint()         ? at::kFloat
            : value.isBoolean()               ? at::kBool
                                              : at::kLong;
        if (other.defined() && value.isFloatingPoint() && !at::isFloatingType(type))
            type = at::kFloat;
        return at::scalar_tensor(value, at::TensorOptions().dtype(type));
    };
    if (!a.defined() && !b.defined() && isScalar(L, 2) && isScalar(L, 3)) {
        const bool floating = !lua_isinteger(L, 2) || !lua_isinteger(L, 3);
        a = at::scalar_tensor(checkScalar(L, 2), at::TensorOptions().dtype(floating ? at::kFloat : at::kLong));
        b = at::scalar_tensor(checkScalar(L, 3), at::TensorOptions().dtype(floating ? at::kFloat : at::kLong));
    }
    if (!a.defined())
        a = isScalar(L, 2) ? numberAt(2, b) : operandTensor(L, 2);
    if (!b.defined())
        b = isScalar(L, 3) ? numberAt(3, a) : operandTensor(L, 3);
    return guarded(L, [&] { return pushResult(L, at::where(condition, a, b)); });
}

int tAllclose(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const at::Tensor b = operandTensor(L, 2);
    const double rtol = optNumber(L, 3, "rtol", 1e-5), atol = optNumber(L, 3, "atol", 1e-8);
    return guarded(L, [&] {
        lua_pushboolean(L, a.allclose(b, rtol, atol));
        return 1;
    });
}

int tEqual(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const at::Tensor b = operandTensor(L, 2);
    return guarded(L, [&] {
        lua_pushboolean(L, a.equal(b));
        return 1;
    });
}

// ---- Reductions ------------------------------------------------------------

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

// ---- Shape -----------------------------------------------------------------

#define KILN_SIZED(name, method)                                                                                       \
    int name(lua_State *L)                                                                                             \
    {                                                                                                                  \
        const at::Tensor &a = checkTensor(L, 1);                                                                       \
        const std::vector<int64_t> sizes = checkSizes(L, 2);                                                           \
        return guarded(L, [&] { return pushResult(L, a.method(sizes)); });                                             \
    }

KILN_SIZED(tView, view)
KILN_SIZED(tReshape, reshape)
KILN_SIZED(tExpand, expand)
KILN_SIZED(tRepeat, repeat)
KILN_SIZED(tTile, tile)
KILN_SIZED(tPermute, permute)

int tFlip(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const std::vector<int64_t> dims = checkSizes(L, 2);
    return guarded(L, [&] { return pushResult(L, a.flip(dims)); });
}

int tFlatten(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const int64_t start = luaL_optinteger(L, 2, 0), end = luaL_optinteger(L, 3, -1);
    return guarded(L, [&] { return pushResult(L, a.flatten(start, end)); });
}

int tUnflatten(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const int64_t dim = luaL_checkinteger(L, 2);
    const std::vector<int64_t> sizes = checkIntList(L, 3);
    return guarded(L, [&] { return pushResult(L, a.unflatten(dim, sizes)); });
}

int tUnsqueeze(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const int64_t dim = luaL_checkinteger(L, 2);
    return guarded(L, [&] { return pushResult(L, a.unsqueeze(dim)); });
}

int tSqueeze(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    if (lua_isnoneornil(L, 2))
        return guarded(L, [&] { return pushResult(L, a.squeeze()); });
    const int64_t dim = luaL_checkinteger(L, 2);
    return guarded(L, [&] { return pushResult(L, a.squeeze(dim)); });
}

int tTranspose(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const int64_t d0 = luaL_checkinteger(L, 2), d1 = luaL_checkinteger(L, 3);
    return guarded(L, [&] { return pushResult(L, a.transpose(d0, d1)); });
}

int tNarrow(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const int64_t dim = luaL_checkinteger(L, 2), start = luaL_checkinteger(L, 3), length = luaL_checkinteger(L, 4);
    return guarded(L, [&] { return pushResult(L, a.narrow(dim, start, length)); });
}

int tSelect(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const int64_t dim = luaL_checkinteger(L, 2), index = luaL_checkinteger(L, 3);
    return guarded(L, [&] { return pushResult(L, a.select(dim, index)); });
}

int tIndexSelect(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const int64_t dim = luaL_checkinteger(L, 2);
    const at::Tensor index = operandTensor(L, 3);
    return guarded(L, [&] { return pushResult(L, a.index_select(dim, index)); });
}

int tGather(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const int64_t dim = luaL_checkinteger(L, 2);
    const at::Tensor index = operandTensor(L, 3);
    return guarded(L, [&] { return pushResult(L, a.gather(dim, index)); });
}

// scatter(dim, index, src | value) and the in-place scatter_/scatter_add.
int scatterImpl(lua_State *L, bool inPlace, bool add)
{
    at::Tensor a = checkTensor(L, 1);
    const int64_t dim = luaL_checkinteger(L, 2);
    const at::Tensor index = operandTensor(L, 3);
    if (isScalar(L, 4) && !add) {
        const at::Scalar value = checkScalar(L, 4);
        return guarded(L, [&] {
            if (inPlace) {
                a.scatter_(dim, index, value);
                lua_settop(L, 1);
                return 1;
            }
            return pushResult(L, a.scatter(dim, index, value));
        });
    }
    const at::Tensor source = operandTensor(L, 4);
    return guarded(L, [&] {
        if (inPlace) {
            add ? a.scatter_add_(dim, index, source) : a.scatter_(dim, index, source);
            lua_settop(L, 1);
            return 1;
        }
        return pushResult(L, add ? a.scatter_add(dim, index, source) : a.scatter(dim, index, source));
    });
}

int tScatter(lua_State *L) { return scatterImpl(L, false, false); }
int tScatter_(lua_State *L) { return scatterImpl(L, true, false); }
int tScatterAdd(lua_State *L) { return scatterImpl(L, false, true); }
int tScatterAdd_(lua_State *L) { return scatterImpl(L, true, true); }

int tMaskedFill(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const at::Tensor mask = operandTensor(L, 2);
    if (isScalar(L, 3)) {
        const at::Scalar value = checkScalar(L, 3);
        return guarded(L, [&] { return pushResult(L, a.masked_fill(mask, value)); });
    }
    const at::Tensor value = operandTensor(L, 3);
    return guarded(L, [&] { return pushResult(L, a.masked_fill(mask, value)); });
}

int tMaskedFill_(lua_State *L)
{
    at::Tensor a = checkTensor(L, 1);
    const at::Tensor mask = operandTensor(L, 2);
    const at::Scalar value = checkScalar(L, 3);
    return guarded(L, [&] {
        a.masked_fill_(mask, value);
        lua_settop(L, 1);
        return 1;
    });
}

int tRoll(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const std::vector<int64_t> shifts = checkIntList(L, 2);
    const std::vector<int64_t> dims = lua_isnoneornil(L, 3) ? std::vector<int64_t>{} : checkIntList(L, 3);
    return guarded(L, [&] { return pushResult(L, a.roll(shifts, dims)); });
}

int tTril(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const int64_t diagonal = luaL_optinteger(L, 2, 0);
    return guarded(L, [&] { return pushResult(L, a.tril(diagonal)); });
}

int tTriu(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const int64_t diagonal = luaL_optinteger(L, 2, 0);
    return guarded(L, [&] { return pushResult(L, a.triu(diagonal)); });
}

// split(split_size | {sizes...}, dim=0) and chunk(n, dim=0) return arrays of tensors.
int tSplit(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const int64_t dim = luaL_optinteger(L, 3, 0);
    if (lua_istable(L, 2)) {
        const std::vector<int64_t> sizes = checkSizes(L, 2);
        return guarded(L, [&] { return pushTensorList(L, a.split_with_sizes(sizes, dim)); });
    }
    const int64_t size = luaL_checkinteger(L, 2);
    return guarded(L, [&] { return pushTensorList(L, a.split(size, dim)); });
}

int tChunk(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const int64_t chunks = luaL_checkinteger(L, 2), dim = luaL_optinteger(L, 3, 0);
    return guarded(L, [&] { return pushTensorList(L, a.chunk(chunks, dim)); });
}

int tUnbind(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const int64_t dim = luaL_optinteger(L, 2, 0);
    return guarded(L, [&] { return pushTensorList(L, a.unbind(dim)); });
}

int torchCat(lua_State *L)
{
    const std::vector<at::Tensor> tensors = checkTensorList(L, 1);
    const int64_t dim = lua_istable(L, 2) ? optInteger(L, 2, "dim", 0) : luaL_optinteger(L, 2, 0);
    return guarded(L, [&] { return pushResult(L, at::cat(tensors, dim)); });
}

int torchStack(lua_State *L)
{
    const std::vector<at::Tensor> tensors = checkTensorList(L, 1);
    const int64_t dim = lua_istable(L, 2) ? optInteger(L, 2, "dim", 0) : luaL_optinteger(L, 2, 0);
    return guarded(L, [&] { return pushResult(L, at::stack(tensors, dim)); });
}

const luaL_Reg kMethods[] = {
    // elementwise
    {"abs", tAbs}, {"exp", tExp}, {"exp2", tExp2}, {"log", tLog}, {"log2", tLog2}, {"log10", tLog10},
    {"log1p", tLog1p}, {"expm1", tExpm1}, {"sqrt", tSqrt}, {"rsqrt", tRsqrt}, {"square", tSquare},
    {"sin", tSin}, {"cos", tCos}, {"tan", tTan}, {"asin", tAsin}, {"acos", tAcos}, {"atan", tAtan},
    {"sinh", tSinh}, {"cosh", tCosh}, {"tanh", tTanh}, {"sigmoid", tSigmoid}, {"relu", tRelu},
    {"neg", tNeg}, {"floor", tFloor}, {"ceil", tCeil}, {"round", tRound}, {"trunc", tTrunc},
    {"frac", tFrac}, {"sign", tSign}, {"reciprocal", tReciprocal}, {"erf", tErf}, {"erfc", tErfc},
    {"logical_not", tLogicalNot}, {"isnan", tIsnan}, {"isinf", tIsinf}, {"isfinite", tIsfinite},
    {"clone", tClone}, {"contiguous", tContiguous}, {"t", tT}, {"nonzero", tNonzero}, {"diag", tDiag},
    {"trace", tTrace},
    {"zero_", tZero_}, {"relu_", tRelu_}, {"sigmoid_", tSigmoid_}, {"tanh_", tTanh_}, {"exp_", tExp_},
    {"neg_", tNeg_}, {"abs_", tAbs_}, {"sqrt_", tSqrt_}, {"detach_", tDetach_},
    {"eq", tEq}, {"ne", tNe}, {"lt", tLt}, {"le", tLe}, {"gt", tGt}, {"ge", tGe},
    {"add", tAdd}, {"sub", tSub}, {"mul", tMul}, {"div", tDiv}, {"pow", tPow}, {"remainder", tRemainder},
    {"fmod", tFmod}, {"floor_divide", tFloorDivide},
    {"matmul", tMatmul}, {"mm", tMm}, {"bmm", tBmm}, {"dot", tDot}, {"outer", tOuter},
    {"maximum", tMaximum}, {"minimum", tMinimum}, {"atan2", tAtan2},
    {"logical_and", tLogicalAnd}, {"logical_or", tLogicalOr}, {"logical_xor", tLogicalXor},
    {"expand_as", tExpandAs}, {"view_as", tViewAs}, {"type_as", tTypeAs}, {"masked_select", tMaskedSelect},
    {"add_", tAdd_}, {"sub_", tSub_}, {"mul_", tMul_}, {"div_", tDiv_}, {"pow_", tPow_},
    {"copy_", tCopy_}, {"fill_", tFill_}, {"uniform_", tUniform_}, {"normal_", tNormal_},
    {"clamp", tClamp}, {"clip", tClamp}, {"clamp_", tClamp_}, {"lerp", tLerp},
    {"allclose", tAllclose}, {"equal", tEqual},
    // reductions
    {"sum", tSum}, {"mean", tMean}, {"prod", tProd}, {"std", tSpread<true>}, {"var", tSpread<false>},
    {"amax", tAmax}, {"amin", tAmin}, {"logsumexp", tLogsumexp}, {"norm", tNorm},
    {"all", tAllAny<true>}, {"any", tAllAny<false>}, {"argmax", tArgExtreme<true>}, {"argmin", tArgExtreme<false>},
    {"max", tExtreme<true>}, {"min", tExtreme<false>}, {"median", tMedian}, {"cumsum", tCumsum},
    {"cumprod", tCumprod}, {"topk", tTopk}, {"sort", tSort}, {"argsort", tArgsort}, {"unique", tUnique},
    {"softmax", tSoftmax}, {"log_softmax", tLogSoftmax},
    // shape
    {"view", tView}, {"reshape", tReshape}, {"expand", tExpand}, {"repeat", tRepeat}, {"tile", tTile}, {"permute", tPermute},
    {"flip", tFlip}, {"flatten", tFlatten}, {"unflatten", tUnflatten}, {"unsqueeze", tUnsqueeze},
    {"squeeze", tSqueeze}, {"transpose", tTranspose}, {"swapaxes", tTranspose}, {"narrow", tNarrow},
    {"select", tSelect}, {"index_select", tIndexSelect}, {"gather", tGather}, {"scatter", tScatter},
    {"scatter_", tScatter_}, {"scatter_add", tScatterAdd}, {"scatter_add_", tScatterAdd_},
    {"masked_fill", tMaskedFill}, {"masked_fill_", tMaskedFill_}, {"roll", tRoll}, {"tril", tTril},
    {"triu", tTriu}, {"split", tSplit}, {"chunk", tChunk}, {"unbind", tUnbind},
    {nullptr, nullptr}};

// Functions that exist only as torch.X (not as methods).
const luaL_Reg kFunctionsOnly[] = {
    {"cat", torchCat}, {"concat", torchCat}, {"stack", torchStack}, {"where", tWhere},
    {nullptr, nullptr}};

// Methods that are not also torch functions (in-place forms and a few others).
bool isMethodOnly(const char *name)
{
    const size_t length = std::strlen(name);
    return (length > 1 && name[length - 1] == '_') || std::strcmp(name, "view") == 0
        || std::strcmp(name, "expand") == 0 || std::strcmp(name, "repeat") == 0 || std::strcmp(name, "view_as") == 0
        || std::strcmp(name, "type_as") == 0 || std::strcmp(name, "expand_as") == 0;
}

} // namespace

void registerTensorOps(lua_State *L, int methods, int torchTable)
{
    methods = lua_absindex(L, methods);
    torchTable = lua_absindex(L, torchTable);
    for (const luaL_Reg *entry = kMethods; entry->name; ++entry) {
        lua_pushcfunction(L, entry->func);
        lua_setfield(L, methods, entry->name);
        if (!isMethodOnly(entry->name)) {
            lua_pushcfunction(L, entry->func);
            lua_setfield(L, torchTable, entry->name);
        }
    }
    for (const luaL_Reg *entry = kFunctionsOnly; entry->name; ++entry) {
        lua_pushcfunction(L, entry->func);
        lua_setfield(L, torchTable, entry->name);
    }
}

// Arithmetic metamethods: either side may be a number (2 - t, t / 3).
at::Tensor metaOperand(lua_State *L, int index) { return operandTensor(L, index); }

} // namespace kiln::lua
