// F's operations on image-shaped tensors beyond convolution and pooling:
// transposed convolution, channel dropout, pixel (un)shuffle, unfold/fold
// (im2col) and grid sampling, with PyTorch's names, order and defaults.
#include "luaapi/luafunctional_p.h"

#include <string>

namespace kiln::lua {

namespace {

// F.conv_transpose2d(input, weight, bias?, {stride = 1, padding = 0, output_padding = 0, groups = 1, dilation = 1})
int fConvTranspose2d(lua_State *L)
{
    const at::Tensor x = checkTensor(L, 1);
    const at::Tensor weight = checkTensor(L, 2);
    const at::Tensor bias = optTensor(L, 3);
    const int options = optionsAt(L, 3);
    const std::vector<int64_t> stride = optIntListField(L, options, "stride", {1, 1}, 2);
    const std::vector<int64_t> padding = optIntListField(L, options, "padding", {0, 0}, 2);
    const std::vector<int64_t> outputPadding = optIntListField(L, options, "output_padding", {0, 0}, 2);
    const std::vector<int64_t> dilation = optIntListField(L, options, "dilation", {1, 1}, 2);
    const int64_t groups = optInteger(L, options, "groups", 1);
    return guarded(L, [&] {
        return push(L, at::conv_transpose2d(x, weight, bias, stride, padding, outputPadding, groups, dilation));
    });
}

// F.dropout2d(input, p = 0.5, training = true): whole channels.
int fDropout2d(lua_State *L)
{
    const at::Tensor x = checkTensor(L, 1);
    const int options = optionsAt(L, 2);
    const double p = lua_type(L, 2) == LUA_TNUMBER ? lua_tonumber(L, 2) : optNumber(L, options, "p", 0.5);
    const bool training = lua_isboolean(L, 3) ? lua_toboolean(L, 3) : optBool(L, options, "training", true);
    luaL_argcheck(L, p >= 0 && p <= 1, 2, "dropout probability must be between 0 and 1");
    return guarded(L, [&] { return push(L, at::feature_dropout(x, p, training)); });
}

int fPixelShuffle(lua_State *L)
{
    const at::Tensor x = checkTensor(L, 1);
    const int64_t factor = luaL_checkinteger(L, 2);
    return guarded(L, [&] { return push(L, at::pixel_shuffle(x, factor)); });
}

int fPixelUnshuffle(lua_State *L)
{
    const at::Tensor x = checkTensor(L, 1);
    const int64_t factor = luaL_checkinteger(L, 2);
    return guarded(L, [&] { return push(L, at::pixel_unshuffle(x, factor)); });
}

// F.unfold(input, kernel_size, {dilation = 1, padding = 0, stride = 1}): sliding
// blocks as columns, [N, C * kh * kw, L].
int fUnfold(lua_State *L)
{
    const at::Tensor x = checkTensor(L, 1);
    const std::vector<int64_t> kernel = checkIntList(L, 2, 2);
    const int options = optionsAt(L, 3);
    const std::vector<int64_t> dilation = optIntListField(L, options, "dilation", {1, 1}, 2);
    const std::vector<int64_t> padding = optIntListField(L, options, "padding", {0, 0}, 2);
    const std::vector<int64_t> stride = optIntListField(L, options, "stride", {1, 1}, 2);
    return guarded(L, [&] { return push(L, at::im2col(x, kernel, dilation, padding, stride)); });
}

// F.fold(input, output_size, kernel_size, {dilation, padding, stride}): unfold's inverse (summing overlaps).
int fFold(lua_State *L)
{
    const at::Tensor x = checkTensor(L, 1);
    const std::vector<int64_t> outputSize = checkIntList(L, 2, 2);
    const std::vector<int64_t> kernel = checkIntList(L, 3, 2);
    const int options = optionsAt(L, 4);
    const std::vector<int64_t> dilation = optIntListField(L, options, "dilation", {1, 1}, 2);
    const std::vector<int64_t> padding = optIntListField(L, options, "padding", {0, 0}, 2);
    const std::vector<int64_t> stride = optIntListField(L, options, "stride", {1, 1}, 2);
    return guarded(L, [&] { return push(L, at::col2im(x, outputSize, kernel, dilation, padding, stride)); });
}

// F.grid_sample(input, grid, {mode = "bilinear", padding_mode = "zeros", align_corners = false})
int fGridSample(lua_State *L)
{
    const at::Tensor x = checkTensor(L, 1);
    const at::Tensor grid = checkTensor(L, 2);
    const int options = optionsAt(L, 3);
    const std::string mode = optString(L, options, "mode", "bilinear");
    const std::string paddingMode = optString(L, options, "padding_mode", "zeros");
    const bool alignCorners = optBool(L, options, "align_corners", false);
    int64_t interpolation = 0, padding = 0;
    if (mode == "nearest")
        interpolation = 1;
    else if (mode == "bicubic")
        interpolation = 2;
    else if (mode != "bilinear")
        return luaL_error(L, "F.grid_sample: mode must be 'bilinear', 'nearest' or 'bicubic', got '%s'", mode.c_str());
    if (paddingMode == "border")
        padding = 1;
    else if (paddingMode == "reflection")
        padding = 2;
    else if (paddingMode != "zeros")
        return luaL_error(L, "F.grid_sample: padding_mode must be 'zeros', 'border' or 'reflection', got '%s'",
                          paddingMode.c_str());
    return guarded(L, [&] { return push(L, at::grid_sampler(x, grid, interpolation, padding, alignCorners)); });
}

const luaL_Reg kSpatialFunctions[] = {
    {"conv_transpose2d", fConvTranspose2d}, {"dropout2d", fDropout2d}, {"pixel_shuffle", fPixelShuffle},
    {"pixel_unshuffle", fPixelUnshuffle}, {"unfold", fUnfold}, {"fold", fFold}, {"grid_sample", fGridSample},
    {nullptr, nullptr}};

} // namespace

void registerSpatialFunctions(lua_State *L, int fTable)
{
    lua_pushvalue(L, fTable);
    luaL_setfuncs(L, kSpatialFunctions, 0);
    lua_pop(L, 1);
}

} // namespace kiln::lua
