#include "luaapi/luafunctional_p.h"

#include <cstring>

// `F`, PyTorch's torch.nn.functional: the stateless operations that layers are
// made of. Arguments follow PyTorch's order; keyword arguments go in a trailing
// options table: F.conv2d(x, w, b, {stride = 2, padding = 1}).
// Also the native kernels behind nn layers and optimizers (torch._C), so that a
// training step in Lua makes the same ATen calls as the C++ API would.

namespace kiln::lua {

// The trailing options table, if any, at or after `first`.
int optionsAt(lua_State *L, int first)
{
    for (int i = lua_gettop(L); i >= first; --i) {
        if (lua_istable(L, i) && !isTensor(L, i))
            return i;
    }
    return 0;
}

at::Tensor optTensor(lua_State *L, int index)
{
    if (lua_isnoneornil(L, index) || (lua_istable(L, index) && !isTensor(L, index)))
        return at::Tensor();
    return checkTensor(L, index);
}

at::Tensor optTensorField(lua_State *L, int options, const char *name)
{
    if (!options)
        return at::Tensor();
    lua_getfield(L, options, name);
    at::Tensor tensor = lua_isnil(L, -1) ? at::Tensor() : checkTensor(L, lua_gettop(L));
    lua_pop(L, 1);
    return tensor;
}

std::vector<int64_t> optIntListField(lua_State *L, int options, const char *name, std::vector<int64_t> fallback,
                                     size_t expandTo)
{
    if (!options)
        return fallback;
    lua_getfield(L, options, name);
    if (!lua_isnil(L, -1))
        fallback = checkIntList(L, lua_gettop(L), expandTo);
    lua_pop(L, 1);
    return fallback;
}

int64_t reduction(lua_State *L, int options)
{
    const std::string name = optString(L, options, "reduction", "mean");
    if (name == "mean")
        return at::Reduction::Mean;
    if (name == "sum")
        return at::Reduction::Sum;
    if (name == "none")
        return at::Reduction::None;
    luaL_error(L, "reduction must be 'mean', 'sum' or 'none', got '%s'", name.c_str());
    return 0;
}

int push(lua_State *L, at::Tensor tensor)
{
    pushTensor(L, std::move(tensor));
    return 1;
}

namespace {

// ---- Activations -----------------------------------------------------------

#define KILN_ACTIVATION(name, expression)                                                                              \
    int name(lua_State *L)                                                                                             \
    {                                                                                                                  \
        const at::Tensor &x = checkTensor(L, 1);                                                                       \
        return guarded(L, [&] { return push(L, expression); });                                                        \
    }

KILN_ACTIVATION(fRelu, at::relu(x))
KILN_ACTIVATION(fRelu6, at::hardtanh(x, 0, 6))
KILN_ACTIVATION(fSigmoid, at::sigmoid(x))
KILN_ACTIVATION(fTanh, at::tanh(x))
KILN_ACTIVATION(fSilu, at::silu(x))
KILN_ACTIVATION(fSelu, at::selu(x))
KILN_ACTIVATION(fMish, at::mish(x))
KILN_ACTIVATION(fLogsigmoid, at::log_sigmoid(x))

int fGelu(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const std::string approximate = optString(L, optionsAt(L, 2), "approximate", "none");
    return guarded(L, [&] { return push(L, at::gelu(x, approximate)); });
}

int fLeakyRelu(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const double slope = lua_type(L, 2) == LUA_TNUMBER ? lua_tonumber(L, 2)
                                                       : optNumber(L, optionsAt(L, 2), "negative_slope", 0.01);
    return guarded(L, [&] { return push(L, at::leaky_relu(x, slope)); });
}

int fElu(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const double alpha = lua_type(L, 2) == LUA_TNUMBER ? lua_tonumber(L, 2) : optNumber(L, optionsAt(L, 2), "alpha", 1.0);
    return guarded(L, [&] { return push(L, at::elu(x, alpha)); });
}

int fSoftplus(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const int options = optionsAt(L, 2);
    const double beta = optNumber(L, options, "beta", 1.0), threshold = optNumber(L, options, "threshold", 20.0);
    return guarded(L, [&] { return push(L, at::softplus(x, beta, threshold)); });
}

int fHardtanh(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const int options = optionsAt(L, 2);
    const double low = lua_type(L, 2) == LUA_TNUMBER ? lua_tonumber(L, 2) : optNumber(L, options, "min_val", -1.0);
    const double high = lua_type(L, 3) == LUA_TNUMBER ? lua_tonumber(L, 3) : optNumber(L, options, "max_val", 1.0);
    return guarded(L, [&] { return push(L, at::hardtanh(x, low, high)); });
}

int64_t dimArgument(lua_State *L, int index, int64_t fallback)
{
    if (lua_type(L, index) == LUA_TNUMBER)
        return luaL_checkinteger(L, index);
    return optInteger(L, optionsAt(L, index), "dim", fallback);
}

int fSoftmax(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const int64_t dim = dimArgument(L, 2, -1);
    return guarded(L, [&] { return push(L, at::softmax(x, dim)); });
}

int fLogSoftmax(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const int64_t dim = dimArgument(L, 2, -1);
    return guarded(L, [&] { return push(L, at::log_softmax(x, dim)); });
}

// F.dropout(x, p, training) or F.dropout(x, {p = 0.5, training = true})
// F.glu(input, dim = -1): the first half times the sigmoid of the second.
int fGlu(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const int options = optionsAt(L, 2);
    const int64_t dim = lua_isinteger(L, 2) ? lua_tointeger(L, 2) : optInteger(L, options, "dim", -1);
    return guarded(L, [&] { return push(L, at::glu(x, dim)); });
}

int fDropout(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const int options = optionsAt(L, 2);
    const double p = lua_type(L, 2) == LUA_TNUMBER ? lua_tonumber(L, 2) : optNumber(L, options, "p", 0.5);
    const bool training = lua_isboolean(L, 3) ? lua_toboolean(L, 3) : optBool(L, options, "training", true);
    luaL_argcheck(L, p >= 0 && p <= 1, 2, "dropout probability must be between 0 and 1");
    return guarded(L, [&] { return push(L, at::dropout(x, p, training)); });
}

// ---- Layers as functions ---------------------------------------------------

int fLinear(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const at::Tensor &weight = checkTensor(L, 2);
    const at::Tensor bias = optTensor(L, 3);
    return guarded(L, [&] { return push(L, at::linear(x, weight, bias)); });
}

template<int Dims>
int fConv(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const at::Tensor &weight = checkTensor(L, 2);
    const at::Tensor bias = optTensor(L, 3);
    const int options = optionsAt(L, 3);
    const std::vector<int64_t> stride = optIntListField(L, options, "stride", {1}, Dims);
    const std::vector<int64_t> dilation = optIntListField(L, options, "dilation", {1}, Dims);
    const int64_t groups = optInteger(L, options, "groups", 1);
    std::string paddingMode;
    std::vector<int64_t> padding(Dims, 0);
    if (options) {
        lua_getfield(L, options, "padding");
        if (lua_type(L, -1) == LUA_TSTRING)
            paddingMode = lua_tostring(L, -1);
        else if (!lua_isnil(L, -1))
            padding = checkIntList(L, lua_gettop(L), Dims);
        lua_pop(L, 1);
    }
    return guarded(L, [&] {
        if (!paddingMode.empty()) {
            return push(L, Dims == 1 ? at::conv1d(x, weight, bias, stride, paddingMode, dilation, groups)
                                     : at::conv2d(x, weight, bias, stride, paddingMode, dilation, groups));
        }
        return push(L, Dims == 1 ? at::conv1d(x, weight, bias, stride, padding, dilation, groups)
                                 : at::conv2d(x, weight, bias, stride, padding, dilation, groups));
    });
}

// Pooling: F.max_pool2d(x, kernel_size[, stride][, {padding, dilation, ceil_mode}]);
// the stride defaults to the kernel size, as in PyTorch.
struct PoolArgs
{
    std::vector<int64_t> kernel, stride, padding, dilation;
    bool ceilMode = false;
    bool countIncludePad = true;
};

PoolArgs poolArgs(lua_State *L, size_t dims)
{
    PoolArgs args;
    const int options = optionsAt(L, 2);
    if (lua_istable(L, 2) && !isTensor(L, 2) && options == 2) {
        // everything in one table: F.max_pool2d(x, {kernel_size = 2})
        args.kernel = optIntListField(L, 2, "kernel_size", {}, dims);
    } else {
        args.kernel = checkIntList(L, 2, dims);
    }
    if (args.kernel.empty())
        luaL_argerror(L, 2, "kernel_size expected");
    args.stride = (lua_type(L, 3) == LUA_TNUMBER || (lua_istable(L, 3) && options != 3)) ? checkIntList(L, 3, dims)
                                                                                         : std::vector<int64_t>{};
    const int table = options ? options : 0;
    args.stride = optIntListField(L, table, "stride", args.stride, dims);
    if (args.stride.empty())
        args.stride = args.kernel;
    args.padding = optIntListField(L, table, "padding", std::vector<int64_t>(dims, 0), dims);
    args.dilation = optIntListField(L, table, "dilation", std::vector<int64_t>(dims, 1), dims);
    args.ceilMode = optBool(L, table, "ceil_mode", false);
    args.countIncludePad = optBool(L, table, "count_include_pad", true);
    return args;
}

int fMaxPool1d(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const PoolArgs a = poolArgs(L, 1);
    return guarded(L, [&] { return push(L, at::max_pool1d(x, a.kernel, a.stride, a.padding, a.dilation, a.ceilMode)); });
}

int fMaxPool2d(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const PoolArgs a = poolArgs(L, 2);
    return guarded(L, [&] { return push(L, at::max_pool2d(x, a.kernel, a.stride, a.padding, a.dilation, a.ceilMode)); });
}

int fAvgPool1d(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const PoolArgs a = poolArgs(L, 1);
    return guarded(L, [&] { return push(L, at::avg_pool1d(x, a.kernel, a.stride, a.padding, a.ceilMode, a.countIncludePad)); });
}

int fAvgPool2d(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const PoolArgs a = poolArgs(L, 2);
    return guarded(L, [&] { return push(L, at::avg_pool2d(x, a.kernel, a.stride, a.padding, a.ceilMode, a.countIncludePad)); });
}

int fAdaptiveAvgPool1d(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const std::vector<int64_t> size = checkIntList(L, 2, 1);
    return guarded(L, [&] { return push(L, at::adaptive_avg_pool1d(x, size)); });
}

int fAdaptiveAvgPool2d(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const std::vector<int64_t> size = checkIntList(L, 2, 2);
    return guarded(L, [&] { return push(L, at::adaptive_avg_pool2d(x, size)); });
}

int fAdaptiveMaxPool2d(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const std::vector<int64_t> size = checkIntList(L, 2, 2);
    return guarded(L, [&] { return push(L, std::get<0>(at::adaptive_max_pool2d(x, size))); });
}

// F.batch_norm(x, running_mean, running_var, {weight, bias, training, momentum, eps})
int fBatchNorm(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const at::Tensor runningMean = optTensor(L, 2);
    const at::Tensor runningVar = optTensor(L, 3);
    const int options = optionsAt(L, 4);
    const at::Tensor weight = isTensor(L, 4) ? checkTensor(L, 4) : optTensorField(L, options, "weight");
    const at::Tensor bias = isTensor(L, 5) ? checkTensor(L, 5) : optTensorField(L, options, "bias");
    const bool training = optBool(L, options, "training", false);
    const double momentum = optNumber(L, options, "momentum", 0.1);
    const double eps = optNumber(L, options, "eps", 1e-5);
    return guarded(L, [&] {
        return push(L, at::batch_norm(x, weight, bias, runningMean, runningVar, training, momentum, eps, false));
    });
}

// F.layer_norm(x, normalized_shape, weight, bias, {eps})
int fLayerNorm(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const std::vector<int64_t> shape = checkIntList(L, 2);
    const at::Tensor weight = optTensor(L, 3);
    const at::Tensor bias = optTensor(L, 4);
    const double eps = optNumber(L, optionsAt(L, 3), "eps", 1e-5);
    return guarded(L, [&] { return push(L, at::layer_norm(x, shape, weight, bias, eps)); });
}

int fGroupNorm(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const int64_t groups = luaL_checkinteger(L, 2);
    const at::Tensor weight = optTensor(L, 3);
    const at::Tensor bias = optTensor(L, 4);
    const double eps = optNumber(L, optionsAt(L, 3), "eps", 1e-5);
    return guarded(L, [&] { return push(L, at::group_norm(x, groups, weight, bias, eps)); });
}

// F.embedding(indices, weight, {padding_idx})
int fEmbedding(lua_State *L)
{
    const at::Tensor &indices = checkTensor(L, 1);
    const at::Tensor &weight = checkTensor(L, 2);
    const int options = optionsAt(L, 3);
    int64_t paddingIdx = -1;
    if (options) {
        lua_getfield(L, options, "padding_idx");
        if (!lua_isnil(L, -1)) {
            // PyTorch counts a negative padding_idx from the end; libtorch reads -1 as "none".
            paddingIdx = luaL_checkinteger(L, -1);
            if (paddingIdx < 0)
                paddingIdx += weight.size(0);
            luaL_argcheck(L, paddingIdx >= 0 && paddingIdx < weight.size(0), options, "padding_idx out of range");
        }
        lua_pop(L, 1);
    }
    return guarded(L, [&] { return push(L, at::embedding(weight, indices, paddingIdx)); });
}

int fOneHot(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const int64_t classes = lua_type(L, 2) == LUA_TNUMBER ? lua_tointeger(L, 2)
                                                          : optInteger(L, optionsAt(L, 2), "num_classes", -1);
    return guarded(L, [&] { return push(L, at::one_hot(x, classes)); });
}

// F.normalize(x, {p = 2, dim = 1, eps = 1e-12})
int fNormalize(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const int options = optionsAt(L, 2);
    const double p = lua_type(L, 2) == LUA_TNUMBER ? lua_tonumber(L, 2) : optNumber(L, options, "p", 2.0);
    const int64_t dim = lua_type(L, 3) == LUA_TNUMBER ? lua_tointeger(L, 3) : optInteger(L, options, "dim", 1);
    const double eps = optNumber(L, options, "eps", 1e-12);
    return guarded(L, [&] {
        const at::Tensor norm = x.norm(p, {dim}, true).clamp_min(eps).expand_as(x);
        return push(L, x / norm);
    });
}

// F.pad(x, {left, right, top, bottom, ...}, {mode = "constant", value = 0})
int fPad(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const std::vector<int64_t> pad = checkIntList(L, 2);
    const int options = optionsAt(L, 3);
    const std::string mode = lua_type(L, 3) == LUA_TSTRING ? lua_tostring(L, 3) : optString(L, options, "mode", "constant");
    const double value = lua_type(L, 4) == LUA_TNUMBER ? lua_tonumber(L, 4) : optNumber(L, options, "value", 0);
    return guarded(L, [&] {
        return push(L, at::pad(x, pad, mode, mode == "constant" ? c10::optional<double>(value) : c10::nullopt));
    });
}

// F.interpolate(x, {size = {h, w} | scale_factor = s, mode = "nearest" | "bilinear", align_corners})
int fInterpolate(lua_State *L)
{
    const at::Tensor &x = checkTensor(L, 1);
    const int options = optionsAt(L, 2);
    luaL_argcheck(L, options, 2, "options table expected");
    const std::string mode = optString(L, options, "mode", "nearest");
    const bool alignCorners = optBool(L, options, "align_corners", false);
    const int64_t spatial = x.dim() - 2;
    std::vector<int64_t> size = optIntListField(L, options, "size", {}, size_t(std::max<int64_t>(spatial, 1)));
    const double scale = optNumber(L, options, "scale_factor", 0);
    return guarded(L, [&] {
        if (spatial < 1 || spatial > 2)
            throw std::invalid_argument("F.interpolate expects a 3-D or 4-D input ([N, C, L] or [N, C, H, W])");
        if (size.empty()) {
            if (scale <= 0)
                throw std::invalid_argument("F.interpolate needs size or scale_factor");
            for (int64_t d = 0; d < spatial; ++d)
                size.push_back(int64_t(std::floor(double(x.size(2 + d)) * scale)));
        }
        if (mode == "nearest")
            return push(L, spatial == 1 ? at::upsample_nearest1d(x, size) : at::upsample_nearest2d(x, size));
        if (mode == "bilinear" && spatial == 2)
            return push(L, at::upsample_bilinear2d(x, size, alignCorners));
        if (mode == "linear" && spatial == 1)
            return push(L, at::upsample_linear1d(x, size, alignCorners));
        throw std::invalid_argument("F.interpolate: unsupported mode '" + mode + "' for this input");
    });
}

int fCosineSimilarity(lua_State *L)
{
    const at::Tensor &a = checkTensor(L, 1);
    const at::Tensor &b = checkTensor(L, 2);
    const int options = optionsAt(L, 3);
    const int64_t dim = lua_type(L, 3) == LUA_TNUMBER ? lua_tointeger(L, 3) : optInteger(L, options, "dim", 1);
    const double eps = optNumber(L, options, "eps", 1e-8);
    return guarded(L, [&] { return push(L, at::cosine_similarity(a, b, dim, eps)); });
}

// ---- Losses ----------------------------------------------------------------

// F.cross_entropy(logits, target, {weight, ignore_index = -100, reduction = "mean", label_smoothing = 0});
// target holds class indices (int64) or class probabilities (float).
int fCrossEntropy(lua_State *L)
{
    const at::Tensor &input = checkTensor(L, 1);
    const at::Tensor &target = checkTensor(L, 2);
    const int options = optionsAt(L, 3);
    const at::Tensor weight = optTensorField(L, options, "weight");
    const int64_t ignoreIndex = optInteger(L, options, "ignore_index", -100);
    const double smoothing = optNumber(L, options, "label_smoothing", 0.0);
    const int64_t mode = reduction(L, options);
    return guarded(L, [&] {
        return push(L, at::cross_entropy_loss(input, target, weight, mode, ignoreIndex, smoothing));
    });
}

int fNllLoss(lua_State *L)
{
    const at::Tensor &input = checkTensor(L, 1);
    const at::Tensor &target = checkTensor(L, 2);
    const int options = optionsAt(L, 3);
    const at::Tensor weight = optTensorField(L, options, "weight");
    const int64_t ignoreIndex = optInteger(L, options, "ignore_index", -100);
    const int64_t mode = reduction(L, options);
    return guarded(L, [&] { return push(L, at::nll_loss_nd(input, target, weight, mode, ignoreIndex)); });
}

// Python's F.mse_loss and its kin warn when target and input differ in shape:
// they broadcast silently ([4, 1] against [4] gives 4x4) and the loss is wrong.
// The warning reaches the cell's output (luawarnings.h).
void warnIfBroadcast(const at::Tensor &input, const at::Tensor &target)
{
    if (input.sizes() == target.sizes())
        return;
    const auto size = [](const at::Tensor &t) {
        std::string text;
        for (const int64_t s : t.sizes())
            text += (text.empty() ? "" : ", ") + std::to_string(s);
        return "torch.Size([" + text + "])";
    };
    TORCH_WARN("Using a target size (", size(target), ") that is different to the input size (", size(input),
               "). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.");
}

int fMseLoss(lua_State *L)
{
    const at::Tensor &input = checkTensor(L, 1);
    const at::Tensor target = toTensor(L, 2);
    const int64_t mode = reduction(L, optionsAt(L, 3));
    warnIfBroadcast(input, target);
    return guarded(L, [&] { return push(L, at::mse_loss(input, target, mode)); });
}

int fL1Loss(lua_State *L)
{
    const at::Tensor &input = checkTensor(L, 1);
    const at::Tensor target = toTensor(L, 2);
    const int64_t mode = reduction(L, optionsAt(L, 3));
    warnIfBroadcast(input, target);
    return guarded(L, [&] { return push(L, at::l1_loss(input, target, mode)); });
}

int fSmoothL1Loss(lua_State *L)
{
    const at::Tensor &input = checkTensor(L, 1);
    const at::Tensor target = toTensor(L, 2);
    const int options = optionsAt(L, 3);
    const int64_t mode = reduction(L, options);
    const double beta = optNumber(L, options, "beta", 1.0);
    warnIfBroadcast(input, target);
    return guarded(L, [&] { return push(L, at::smooth_l1_loss(input, target, mode, beta)); });
}

int fHuberLoss(lua_State *L)
{
    const at::Tensor &input = checkTensor(L, 1);
    const at::Tensor target = toTensor(L, 2);
    const int options = optionsAt(L, 3);
    const int64_t mode = reduction(L, options);
    const double delta = optNumber(L, options, "delta", 1.0);
    warnIfBroadcast(input, target);
    return guarded(L, [&] { return push(L, at::huber_loss(input, target, mode, delta)); });
}

int fBinaryCrossEntropy(lua_State *L)
{
    const at::Tensor &input = checkTensor(L, 1);
    const at::Tensor target = toTensor(L, 2);
    const int options = optionsAt(L, 3);
    const at::Tensor weight = optTensorField(L, options, "weight");
    const int64_t mode = reduction(L, options);
    return guarded(L, [&] { return push(L, at::binary_cross_entropy(input, target.to(input.scalar_type()), weight, mode)); });
}

int fBinaryCrossEntropyWithLogits(lua_State *L)
{
    const at::Tensor &input = checkTensor(L, 1);
    const at::Tensor target = toTensor(L, 2);
    const int options = optionsAt(L, 3);
    const at::Tensor weight = optTensorField(L, options, "weight");
    const at::Tensor posWeight = optTensorField(L, options, "pos_weight");
    const int64_t mode = reduction(L, options);
    return guarded(L, [&] {
        return push(L, at::binary_cross_entropy_with_logits(input, target.to(input.scalar_type()), weight, posWeight, mode));
    });
}

int fKlDiv(lua_State *L)
{
    const at::Tensor &input = checkTensor(L, 1);
    const at::Tensor &target = checkTensor(L, 2);
    const int options = optionsAt(L, 3);
    const std::string name = optString(L, options, "reduction", "mean");
    const bool logTarget = optBool(L, options, "log_target", false);
    return guarded(L, [&] {
        if (name == "batchmean")
            return push(L, at::kl_div(input, target, at::Reduction::Sum, logTarget) / input.size(0));
        return push(L, at::kl_div(input, target, reduction(L, options), logTarget));
    });
}

// ---- Kernels for nn layers and optimizers (torch._C) -------------------------

std::vector<at::Tensor> tensorArray(lua_State *L, int index)
{
    luaL_checktype(L, index, LUA_TTABLE);
    std::vector<at::Tensor> tensors;
    const lua_Integer n = luaL_len(L, index);
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_rawgeti(L, index, i);
        tensors.push_back(checkTensor(L, lua_gettop(L)));
        lua_pop(L, 1);
    }
    return tensors;
}

// torch._C.rnn(kind, input, hx (array), params (array), has_biases, num_layers,
//              dropout, train, bidirectional, batch_first) -> output, h_n[, c_n]
// torch._C.rnn(kind, input, {h0[, c0]}, weights, bias, layers, dropout, train,
// bidirectional, batch_first[, batch_sizes]): with batch_sizes, input is a packed
// sequence's data (batch_first is then unused).
int cRnn(lua_State *L)
{
    const std::string kind = luaL_checkstring(L, 1);
    const at::Tensor &input = checkTensor(L, 2);
    std::vector<at::Tensor> hx = tensorArray(L, 3);
    const std::vector<at::Tensor> params = tensorArray(L, 4);
    const bool hasBiases = lua_toboolean(L, 5);
    const int64_t layers = luaL_checkinteger(L, 6);
    const double dropout = luaL_checknumber(L, 7);
    const bool train = lua_toboolean(L, 8), bidirectional = lua_toboolean(L, 9), batchFirst = lua_toboolean(L, 10);
    const at::Tensor batchSizes = optTensor(L, 11);
    const bool packed = batchSizes.defined();
    return guarded(L, [&] {
        if (hx.empty()) {
            // Zero initial states shaped from the input by tensor ops, never from
            // sizes read into Lua numbers: under torch.jit.trace the batch size then
            // stays a variable and the traced model runs at any batch size.
            const int64_t hidden = params.at(1).size(1);
            const at::Tensor firstStep = packed ? input.narrow(0, 0, batchSizes[0].item<int64_t>())
                                                : input.select(batchFirst ? 1 : 0, 0);
            const at::Tensor zeros = at::zeros_like(firstStep.narrow(-1, 0, 1)).unsqueeze(0).repeat({layers * (bidirectional ? 2 : 1), 1, hidden});
            hx.assign(kind == "LSTM" ? 2 : 1, zeros);
        }
        if (kind == "LSTM") {
            auto result = packed ? at::lstm(input, batchSizes, hx, params, hasBiases, layers, dropout, train, bidirectional)
                                 : at::lstm(input, hx, params, hasBiases, layers, dropout, train, bidirectional, batchFirst);
            pushTensor(L, std::get<0>(result));
            pushTensor(L, std::get<1>(result));
            pushTensor(L, std::get<2>(result));
            return 3;
        }
        std::tuple<at::Tensor, at::Tensor> result;
        if (kind == "GRU")
            result = packed ? at::gru(input, batchSizes, hx.at(0), params, hasBiases, layers, dropout, train, bidirectional)
                            : at::gru(input, hx.at(0), params, hasBiases, layers, dropout, train, bidirectional, batchFirst);
        else if (kind == "RNN_RELU")
            result = packed ? at::rnn_relu(input, batchSizes, hx.at(0), params, hasBiases, layers, dropout, train, bidirectional)
                            : at::rnn_relu(input, hx.at(0), params, hasBiases, layers, dropout, train, bidirectional, batchFirst);
        else
            result = packed ? at::rnn_tanh(input, batchSizes, hx.at(0), params, hasBiases, layers, dropout, train, bidirectional)
                            : at::rnn_tanh(input, hx.at(0), params, hasBiases, layers, dropout, train, bidirectional, batchFirst);
        pushTensor(L, std::get<0>(result));
        pushTensor(L, std::get<1>(result));
        return 2;
    });
}

// torch._C.pack_padded(input, lengths, batch_first) -> data, batch_sizes
int cPackPadded(lua_State *L)
{
    const at::Tensor &input = checkTensor(L, 1);
    const at::Tensor &lengths = checkTensor(L, 2);
    const bool batchFirst = lua_toboolean(L, 3);
    return guarded(L, [&] {
        auto result = at::_pack_padded_sequence(input, lengths.to(at::kLong).cpu(), batchFirst);
        pushTensor(L, std::get<0>(result));
        pushTensor(L, std::get<1>(result));
        return 2;
    });
}

// torch._C.pad_packed(data, batch_sizes, batch_first, padding_value, total_length) -> padded, lengths
int cPadPacked(lua_State *L)
{
    const at::Tensor &data = checkTensor(L, 1);
    const at::Tensor &batchSizes = checkTensor(L, 2);
    const bool batchFirst = lua_toboolean(L, 3);
    const double paddingValue = luaL_checknumber(L, 4);
    const int64_t totalLength = luaL_checkinteger(L, 5);
    return guarded(L, [&] {
        auto result = at::_pad_packed_sequence(data, batchSizes, batchFirst, paddingValue, totalLength);
        pushTensor(L, std::get<0>(result));
        pushTensor(L, std::get<1>(result));
        return 2;
    });
}

// The optimizer steps follow PyTorch's single-tensor implementations
// (torch/optim/*.py, foreach=False) operation for operation, so a Kiln run and
// a PyTorch run from the same state take the same steps.

// torch._C.sgd_step(param, grad, buf|nil, lr, momentum, dampening, weight_decay, nesterov, maximize) -> buf|nil
int cSgdStep(lua_State *L)
{
    at::Tensor param = checkTensor(L, 1);
    const at::Tensor &grad = checkTensor(L, 2);
    at::Tensor buffer = optTensor(L, 3);
    const double lr = luaL_checknumber(L, 4), momentum = luaL_checknumber(L, 5), dampening = luaL_checknumber(L, 6);
    const double weightDecay = luaL_checknumber(L, 7);
    const bool nesterov = lua_toboolean(L, 8), maximize = lua_toboolean(L, 9);
    return guarded(L, [&] {
        const at::NoGradGuard noGrad;
        at::Tensor step = maximize ? -grad : grad;
        if (weightDecay != 0)
            step = step.add(param, weightDecay);
        if (momentum != 0) {
            if (!buffer.defined())
                buffer = step.clone().detach();
            else
                buffer.mul_(momentum).add_(step, 1 - dampening);
            step = nesterov ? step.add(buffer, momentum) : buffer;
        }
        param.add_(step, -lr);
        pushTensor(L, buffer);
        return 1;
    });
}

// torch._C.adam_step(param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq|nil, step,
//                    lr, beta1, beta2, eps, weight_decay, amsgrad, decoupled, maximize)
int cAdamStep(lua_State *L)
{
    at::Tensor param = checkTensor(L, 1);
    const at::Tensor &grad = checkTensor(L, 2);
    at::Tensor expAvg = checkTensor(L, 3);
    at::Tensor expAvgSq = checkTensor(L, 4);
    const at::Tensor maxExpAvgSq = optTensor(L, 5);
    const double step = luaL_checknumber(L, 6), lr = luaL_checknumber(L, 7);
    const double beta1 = luaL_checknumber(L, 8), beta2 = luaL_checknumber(L, 9), eps = luaL_checknumber(L, 10);
    const double weightDecay = luaL_checknumber(L, 11);
    const bool amsgrad = lua_toboolean(L, 12), decoupled = lua_toboolean(L, 13), maximize = lua_toboolean(L, 14);
    return guarded(L, [&] {
        const at::NoGradGuard noGrad;
        at::Tensor g = maximize ? -grad : grad;
        if (weightDecay != 0) {
            if (decoupled)
                param.mul_(1 - lr * weightDecay);
            else
                g = g.add(param, weightDecay);
        }
        expAvg.mul_(beta1).add_(g, 1 - beta1);
        expAvgSq.mul_(beta2).addcmul_(g, g, 1 - beta2);
        const double biasCorrection1 = 1 - std::pow(beta1, step);
        const double biasCorrection2Sqrt = std::sqrt(1 - std::pow(beta2, step));
        const double stepSize = lr / biasCorrection1;
        at::Tensor denominator;
        if (amsgrad) {
            at::maximum_out(const_cast<at::Tensor &>(maxExpAvgSq), maxExpAvgSq, expAvgSq);
            denominator = (maxExpAvgSq.sqrt() / biasCorrection2Sqrt).add_(eps);
        } else {
            denominator = (expAvgSq.sqrt() / biasCorrection2Sqrt).add_(eps);
        }
        param.addcdiv_(expAvg, denominator, -stepSize);
        return 0;
    });
}

// torch._C.adam_fused(params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs|nil, steps,
//                     lr, beta1, beta2, eps, weight_decay, amsgrad, decoupled, maximize)
// PyTorch's fused Adam: the step counts are tensors, so nothing is read back to
// the host and a CUDA graph can capture the update.
int cAdamFused(lua_State *L)
{
    const std::vector<at::Tensor> params = checkTensorList(L, 1), grads = checkTensorList(L, 2);
    const std::vector<at::Tensor> expAvgs = checkTensorList(L, 3), expAvgSqs = checkTensorList(L, 4);
    const std::vector<at::Tensor> maxExpAvgSqs = lua_isnil(L, 5) ? std::vector<at::Tensor>() : checkTensorList(L, 5);
    const std::vector<at::Tensor> steps = checkTensorList(L, 6);
    const double lr = luaL_checknumber(L, 7), beta1 = luaL_checknumber(L, 8), beta2 = luaL_checknumber(L, 9);
    const double eps = luaL_checknumber(L, 10), weightDecay = luaL_checknumber(L, 11);
    const bool amsgrad = lua_toboolean(L, 12), decoupled = lua_toboolean(L, 13), maximize = lua_toboolean(L, 14);
    luaL_argcheck(L, grads.size() == params.size() && expAvgs.size() == params.size()
                         && expAvgSqs.size() == params.size() && steps.size() == params.size()
                         && (!amsgrad || maxExpAvgSqs.size() == params.size()),
                  2, "adam_fused: lists of different lengths");
    return guarded(L, [&] {
        const at::NoGradGuard noGrad;
        at::_foreach_add_(steps, 1);
        if (decoupled)
            at::_fused_adamw_(params, grads, expAvgs, expAvgSqs, maxExpAvgSqs, steps, lr, beta1, beta2,
                              weightDecay, eps, amsgrad, maximize);
        else
            at::_fused_adam_(params, grads, expAvgs, expAvgSqs, maxExpAvgSqs, steps, lr, beta1, beta2,
                             weightDecay, eps, amsgrad, maximize);
        return 0;
    });
}

// torch._C.rmsprop_step(param, grad, square_avg, grad_avg|nil, buf|nil, lr, alpha, eps,
//                       weight_decay, momentum, centered, maximize)
int cRmspropStep(lua_State *L)
{
    at::Tensor param = checkTensor(L, 1);
    const at::Tensor &grad = checkTensor(L, 2);
    at::Tensor squareAvg = checkTensor(L, 3);
    at::Tensor gradAvg = optTensor(L, 4);
    at::Tensor buffer = optTensor(L, 5);
    const double lr = luaL_checknumber(L, 6), alpha = luaL_checknumber(L, 7), eps = luaL_checknumber(L, 8);
    const double weightDecay = luaL_checknumber(L, 9), momentum = luaL_checknumber(L, 10);
    const bool centered = lua_toboolean(L, 11), maximize = lua_toboolean(L, 12);
    return guarded(L, [&] {
        const at::NoGradGuard noGrad;
        at::Tensor g = maximize ? -grad : grad;
        if (weightDecay != 0)
            g = g.add(param, weightDecay);
        squareAvg.mul_(alpha).addcmul_(g, g, 1 - alpha);
        at::Tensor average;
        if (centered) {
            gradAvg.mul_(alpha).add_(g, 1 - alpha);
            average = squareAvg.addcmul(gradAvg, gradAvg, -1).sqrt_();
        } else {
            average = squareAvg.sqrt();
        }
        average.add_(eps);
        if (momentum > 0) {
            buffer.mul_(momentum).addcdiv_(g, average);
            param.add_(buffer, -lr);
        } else {
            param.addcdiv_(g, average, -lr);
        }
        return 0;
    });
}

// torch._C.parameter(t): the same tensor, marked so that modules register it.
int cParameter(lua_State *L)
{
    const at::Tensor tensor = lua_isnoneornil(L, 1) ? at::Tensor() : checkTensor(L, 1);
    const bool requiresGrad = lua_isnoneornil(L, 2) ? true : lua_toboolean(L, 2);
    return guarded(L, [&] {
        at::Tensor parameter = tensor.defined() ? tensor.detach() : at::empty({0});
        parameter.requires_grad_(requiresGrad);
        pushTensor(L, parameter);
        testTensorBox(L, -1)->isParameter = true;
        return 1;
    });
}

int cIsParameter(lua_State *L)
{
    TensorBox *box = testTensorBox(L, 1);
    lua_pushboolean(L, box && box->isParameter);
    return 1;
}

// torch._C.init_kaiming_uniform(t, a): PyTorch's default Linear/Conv weight init.
int cKaimingUniform(lua_State *L)
{
    at::Tensor tensor = checkTensor(L, 1);
    const double a = luaL_optnumber(L, 2, std::sqrt(5.0));
    return guarded(L, [&] {
        torch::nn::init::kaiming_uniform_(tensor, a);
        return 0;
    });
}

// torch._C.fan_in(t): the fan-in PyTorch uses for bias bounds.
int cFanIn(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    return guarded(L, [&] {
        const int64_t receptive = tensor.dim() > 2 ? tensor[0][0].numel() : 1;
        lua_pushinteger(L, tensor.size(1) * receptive);
        return 1;
    });
}

int cXavierUniform(lua_State *L)
{
    at::Tensor tensor = checkTensor(L, 1);
    const double gain = luaL_optnumber(L, 2, 1.0);
    return guarded(L, [&] {
        torch::nn::init::xavier_uniform_(tensor, gain);
        return 0;
    });
}

int cOrthogonal(lua_State *L)
{
    at::Tensor tensor = checkTensor(L, 1);
    const double gain = luaL_optnumber(L, 2, 1.0);
    return guarded(L, [&] {
        torch::nn::init::orthogonal_(tensor, gain);
        return 0;
    });
}

const luaL_Reg kFunctional[] = {
    {"relu", fRelu}, {"relu6", fRelu6}, {"selu", fSelu}, {"glu", fGlu}, {"sigmoid", fSigmoid}, {"tanh", fTanh}, {"silu", fSilu}, {"mish", fMish},
    {"logsigmoid", fLogsigmoid}, {"gelu", fGelu}, {"leaky_relu", fLeakyRelu}, {"elu", fElu},
    {"softplus", fSoftplus}, {"hardtanh", fHardtanh}, {"softmax", fSoftmax}, {"log_softmax", fLogSoftmax},
    {"dropout", fDropout}, {"linear", fLinear}, {"conv1d", fConv<1>}, {"conv2d", fConv<2>},
    {"max_pool1d", fMaxPool1d}, {"max_pool2d", fMaxPool2d}, {"avg_pool1d", fAvgPool1d}, {"avg_pool2d", fAvgPool2d},
    {"adaptive_avg_pool1d", fAdaptiveAvgPool1d}, {"adaptive_avg_pool2d", fAdaptiveAvgPool2d},
    {"adaptive_max_pool2d", fAdaptiveMaxPool2d}, {"batch_norm", fBatchNorm}, {"layer_norm", fLayerNorm},
    {"group_norm", fGroupNorm}, {"embedding", fEmbedding}, {"one_hot", fOneHot}, {"normalize", fNormalize},
    {"pad", fPad}, {"interpolate", fInterpolate}, {"cosine_similarity", fCosineSimilarity},
    {"cross_entropy", fCrossEntropy}, {"nll_loss", fNllLoss}, {"mse_loss", fMseLoss}, {"l1_loss", fL1Loss},
    {"smooth_l1_loss", fSmoothL1Loss}, {"huber_loss", fHuberLoss}, {"binary_cross_entropy", fBinaryCrossEntropy},
    {"binary_cross_entropy_with_logits", fBinaryCrossEntropyWithLogits}, {"kl_div", fKlDiv},
    {nullptr, nullptr}};

const luaL_Reg kKernels[] = {
    {"rnn", cRnn}, {"pack_padded", cPackPadded}, {"pad_packed", cPadPacked}, {"sgd_step", cSgdStep}, {"adam_step", cAdamStep}, {"adam_fused", cAdamFused}, {"rmsprop_step", cRmspropStep},
    {"parameter", cParameter}, {"is_parameter", cIsParameter}, {"kaiming_uniform_", cKaimingUniform},
    {"xavier_uniform_", cXavierUniform}, {"orthogonal_", cOrthogonal}, {"fan_in", cFanIn},
    {nullptr, nullptr}};

} // namespace

void openFunctional(lua_State *L)
{
    lua_newtable(L);
    luaL_setfuncs(L, kFunctional, 0);
    registerSpatialFunctions(L, lua_gettop(L));
    registerSimilarityFunctions(L, lua_gettop(L));
    lua_setglobal(L, "F");

    lua_getglobal(L, "torch");
    lua_newtable(L);
    luaL_setfuncs(L, kKernels, 0);
    lua_setfield(L, -2, "_C");
    lua_pop(L, 1);
}

} // namespace kiln::lua
