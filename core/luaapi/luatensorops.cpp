#include "luaapi/luatensor_p.h"
#include "luaapi/luatensorops_p.h"

#include <cstring>
#include <optional>

// Tensor math, reductions and shape operations. Each function takes the tensor
// first, so the same C function is both the method (t:sum(1)) and the torch
// function (torch.sum(t, 1)), as in PyTorch. Dims and indices are 0-based.
// This file holds the elementwise ops, the helpers the op files share and
// registerTensorOps; reductions and shape ops have files of their own.

namespace kiln::lua {

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

namespace {

// A Python number next to a tensor: a "wrapped number" takes part in type
// promotion as a scalar, so int_tensor * 2.5 is float32, not float64.
at::Tensor wrappedScalar(const at::Scalar &scalar)
{
    at::Tensor tensor = c10::scalar_to_tensor(scalar);
    tensor.unsafeGetTensorImpl()->set_wrapped_number(true);
    return tensor;
}

} // namespace

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

int pushResult(lua_State *L, at::Tensor tensor)
{
    pushTensor(L, std::move(tensor));
    return 1;
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

namespace {

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
KILN_UNARY(tErfinv, a.erfinv())
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
// The rest of PyTorch's in-place elementwise forms.
KILN_UNARY_INPLACE(tExp2_, at::exp2_(a))
KILN_UNARY_INPLACE(tLog_, a.log_())
KILN_UNARY_INPLACE(tLog2_, a.log2_())
KILN_UNARY_INPLACE(tLog10_, a.log10_())
KILN_UNARY_INPLACE(tLog1p_, a.log1p_())
KILN_UNARY_INPLACE(tExpm1_, a.expm1_())
KILN_UNARY_INPLACE(tRsqrt_, a.rsqrt_())
KILN_UNARY_INPLACE(tSquare_, a.square_())
KILN_UNARY_INPLACE(tSin_, a.sin_())
KILN_UNARY_INPLACE(tCos_, a.cos_())
KILN_UNARY_INPLACE(tTan_, a.tan_())
KILN_UNARY_INPLACE(tAsin_, a.asin_())
KILN_UNARY_INPLACE(tAcos_, a.acos_())
KILN_UNARY_INPLACE(tAtan_, a.atan_())
KILN_UNARY_INPLACE(tSinh_, a.sinh_())
KILN_UNARY_INPLACE(tCosh_, a.cosh_())
KILN_UNARY_INPLACE(tFloor_, a.floor_())
KILN_UNARY_INPLACE(tCeil_, a.ceil_())
KILN_UNARY_INPLACE(tRound_, a.round_())
KILN_UNARY_INPLACE(tTrunc_, a.trunc_())
KILN_UNARY_INPLACE(tFrac_, a.frac_())
KILN_UNARY_INPLACE(tSign_, a.sign_())
KILN_UNARY_INPLACE(tReciprocal_, a.reciprocal_())
KILN_UNARY_INPLACE(tErf_, a.erf_())
KILN_UNARY_INPLACE(tErfc_, a.erfc_())
KILN_UNARY_INPLACE(tErfinv_, a.erfinv_())
KILN_UNARY_INPLACE(tLogicalNot_, a.logical_not_())

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

// In-place binary ops return the receiver. The operand is a number (kept a
// Scalar, so integer tensors stay integral) or a tensor; `apply(a, b)` is a
// generic lambda called with either.
template <typename Apply>
int inplaceBinary(lua_State *L, Apply apply, int operand = 2)
{
    at::Tensor a = checkTensor(L, 1);
    if (isScalar(L, operand)) {
        const at::Scalar b = checkScalar(L, operand);
        return guarded(L, [&] { apply(a, b); lua_settop(L, 1); return 1; });
    }
    const at::Tensor b = operandTensor(L, operand);
    return guarded(L, [&] { apply(a, b); lua_settop(L, 1); return 1; });
}

#define KILN_BINARY_INPLACE(name, method)                                                                              \
    int name(lua_State *L)                                                                                             \
    {                                                                                                                  \
        return inplaceBinary(L, [](at::Tensor &a, const auto &b) { a.method(b); });                                    \
    }

// add_/sub_ take alpha as add/sub do: t:add_(u, {alpha = -lr}).
int tAdd_(lua_State *L)
{
    const at::Scalar alpha = alphaOption(L, 3);
    return inplaceBinary(L, [&](at::Tensor &a, const auto &b) { a.add_(b, alpha); });
}

int tSub_(lua_State *L)
{
    const at::Scalar alpha = alphaOption(L, 3);
    return inplaceBinary(L, [&](at::Tensor &a, const auto &b) { a.sub_(b, alpha); });
}

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

int tLerp_(lua_State *L)
{
    const at::Tensor end = operandTensor(L, 2);
    return inplaceBinary(L, [&](at::Tensor &a, const auto &weight) { a.lerp_(end, weight); }, 3);
}

// t:addcmul(t1, t2, {value}) is t + value * t1 * t2, addcdiv t + value * t1 / t2:
// one fused step, as optimizers use them.
template <bool Divide, bool InPlace>
int tAddc(lua_State *L)
{
    at::Tensor a = checkTensor(L, 1);
    const at::Tensor t1 = operandTensor(L, 2);
    const at::Tensor t2 = operandTensor(L, 3);
    at::Scalar value = int64_t(1);
    if (lua_istable(L, 4)) {
        lua_getfield(L, 4, "value");
        if (!lua_isnil(L, -1))
            value = checkScalar(L, -1);
        lua_pop(L, 1);
    }
    return guarded(L, [&] {
        if constexpr (InPlace) {
            if constexpr (Divide)
                a.addcdiv_(t1, t2, value);
            else
                a.addcmul_(t1, t2, value);
            lua_settop(L, 1);
            return 1;
        } else {
            return pushResult(L, Divide ? a.addcdiv(t1, t2, value) : a.addcmul(t1, t2, value));
        }
    });
}

int tClampMin(lua_State *L)
{
    const at::Tensor a = checkTensor(L, 1);
    if (isScalar(L, 2)) {
        const at::Scalar low = checkScalar(L, 2);
        return guarded(L, [&] { return pushResult(L, a.clamp_min(low)); });
    }
    const at::Tensor low = operandTensor(L, 2);
    return guarded(L, [&] { return pushResult(L, a.clamp_min(low)); });
}

// t:nan_to_num({nan = 0, posinf, neginf}): the dtype's largest and smallest by default.
int tNanToNum(lua_State *L)
{
    const at::Tensor a = checkTensor(L, 1);
    const int options = lua_istable(L, 2) ? 2 : 0;
    std::optional<double> nan, posinf, neginf;
    for (const auto &[name, target] : {std::pair{"nan", &nan}, std::pair{"posinf", &posinf}, std::pair{"neginf", &neginf}}) {
        if (options) {
            lua_getfield(L, options, name);
            if (!lua_isnil(L, -1))
                *target = luaL_checknumber(L, -1);
            lua_pop(L, 1);
        }
    }
    return guarded(L, [&] { return pushResult(L, a.nan_to_num(nan, posinf, neginf)); });
}

int tIsFloatingPoint(lua_State *L)
{
    lua_pushboolean(L, checkTensor(L, 1).is_floating_point());
    return 1;
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

const luaL_Reg kElementwiseOps[] = {
    {"abs", tAbs}, {"exp", tExp}, {"exp2", tExp2}, {"log", tLog}, {"log2", tLog2}, {"log10", tLog10},
    {"log1p", tLog1p}, {"expm1", tExpm1}, {"sqrt", tSqrt}, {"rsqrt", tRsqrt}, {"square", tSquare},
    {"sin", tSin}, {"cos", tCos}, {"tan", tTan}, {"asin", tAsin}, {"acos", tAcos}, {"atan", tAtan},
    {"sinh", tSinh}, {"cosh", tCosh}, {"tanh", tTanh}, {"sigmoid", tSigmoid}, {"relu", tRelu},
    {"neg", tNeg}, {"floor", tFloor}, {"ceil", tCeil}, {"round", tRound}, {"trunc", tTrunc},
    {"frac", tFrac}, {"sign", tSign}, {"reciprocal", tReciprocal}, {"erf", tErf}, {"erfc", tErfc}, {"erfinv", tErfinv},
    {"logical_not", tLogicalNot}, {"isnan", tIsnan}, {"isinf", tIsinf}, {"isfinite", tIsfinite},
    {"clone", tClone}, {"contiguous", tContiguous}, {"t", tT}, {"nonzero", tNonzero}, {"diag", tDiag},
    {"trace", tTrace},
    {"zero_", tZero_}, {"relu_", tRelu_}, {"sigmoid_", tSigmoid_}, {"tanh_", tTanh_}, {"exp_", tExp_},
    {"neg_", tNeg_}, {"abs_", tAbs_}, {"sqrt_", tSqrt_}, {"detach_", tDetach_},
    {"exp2_", tExp2_}, {"log_", tLog_}, {"log2_", tLog2_}, {"log10_", tLog10_}, {"log1p_", tLog1p_}, {"expm1_", tExpm1_}, {"rsqrt_", tRsqrt_}, {"square_", tSquare_}, {"sin_", tSin_}, {"cos_", tCos_}, {"tan_", tTan_}, {"asin_", tAsin_}, {"acos_", tAcos_}, {"atan_", tAtan_}, {"sinh_", tSinh_}, {"cosh_", tCosh_}, {"floor_", tFloor_}, {"ceil_", tCeil_}, {"round_", tRound_}, {"trunc_", tTrunc_}, {"frac_", tFrac_}, {"sign_", tSign_}, {"reciprocal_", tReciprocal_}, {"erf_", tErf_}, {"erfc_", tErfc_}, {"erfinv_", tErfinv_}, {"logical_not_", tLogicalNot_},
    {"eq", tEq}, {"ne", tNe}, {"lt", tLt}, {"le", tLe}, {"gt", tGt}, {"ge", tGe},
    {"add", tAdd}, {"sub", tSub}, {"mul", tMul}, {"div", tDiv}, {"pow", tPow}, {"remainder", tRemainder},
    {"fmod", tFmod}, {"floor_divide", tFloorDivide},
    {"matmul", tMatmul}, {"mm", tMm}, {"bmm", tBmm}, {"dot", tDot}, {"outer", tOuter},
    {"maximum", tMaximum}, {"minimum", tMinimum}, {"atan2", tAtan2},
    {"logical_and", tLogicalAnd}, {"logical_or", tLogicalOr}, {"logical_xor", tLogicalXor},
    {"expand_as", tExpandAs}, {"view_as", tViewAs}, {"type_as", tTypeAs}, {"masked_select", tMaskedSelect},
    {"add_", tAdd_}, {"sub_", tSub_}, {"mul_", tMul_}, {"div_", tDiv_}, {"pow_", tPow_},
    {"copy_", tCopy_}, {"fill_", tFill_}, {"uniform_", tUniform_}, {"normal_", tNormal_},
    {"clamp", tClamp}, {"clip", tClamp}, {"clamp_", tClamp_}, {"lerp", tLerp}, {"lerp_", tLerp_},
    {"addcmul", tAddc<false, false>}, {"addcdiv", tAddc<true, false>},
    {"addcmul_", tAddc<false, true>}, {"addcdiv_", tAddc<true, true>},
    {"allclose", tAllclose}, {"equal", tEqual},
    {"clamp_min", tClampMin}, {"nan_to_num", tNanToNum}, {"is_floating_point", tIsFloatingPoint},
    {nullptr, nullptr}};

// Functions that exist only as torch.X (not as methods).
const luaL_Reg kElementwiseFunctionsOnly[] = {
    {"where", tWhere},
    {nullptr, nullptr}};

// Methods that are not also torch functions (in-place forms and a few others).
bool isMethodOnly(const char *name)
{
    const size_t length = std::strlen(name);
    return (length > 1 && name[length - 1] == '_') || std::strcmp(name, "view") == 0
        || std::strcmp(name, "expand") == 0 || std::strcmp(name, "repeat") == 0 || std::strcmp(name, "view_as") == 0
        || std::strcmp(name, "type_as") == 0 || std::strcmp(name, "expand_as") == 0;
}

void registerOps(lua_State *L, int methods, int torchTable, const luaL_Reg *ops)
{
    for (const luaL_Reg *entry = ops; entry->name; ++entry) {
        lua_pushcfunction(L, entry->func);
        lua_setfield(L, methods, entry->name);
        if (!isMethodOnly(entry->name)) {
            lua_pushcfunction(L, entry->func);
            lua_setfield(L, torchTable, entry->name);
        }
    }
}

void registerFunctions(lua_State *L, int torchTable, const luaL_Reg *functions)
{
    for (const luaL_Reg *entry = functions; entry->name; ++entry) {
        lua_pushcfunction(L, entry->func);
        lua_setfield(L, torchTable, entry->name);
    }
}

} // namespace

void registerTensorOps(lua_State *L, int methods, int torchTable)
{
    methods = lua_absindex(L, methods);
    torchTable = lua_absindex(L, torchTable);
    registerOps(L, methods, torchTable, kElementwiseOps);
    registerOps(L, methods, torchTable, kReductionOps);
    registerOps(L, methods, torchTable, kShapeOps);
    registerFunctions(L, torchTable, kShapeFunctionsOnly);
    registerFunctions(L, torchTable, kElementwiseFunctionsOnly);
}

// Arithmetic metamethods: either side may be a number (2 - t, t / 3).
at::Tensor metaOperand(lua_State *L, int index) { return operandTensor(L, index); }

} // namespace kiln::lua
