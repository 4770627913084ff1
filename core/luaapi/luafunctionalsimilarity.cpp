// F's comparisons between tensors: distances, the triplet margin loss built on
// them, and attention's scaled dot products, with PyTorch's names and defaults.
#include "luaapi/luafunctional_p.h"

namespace kiln::lua {

namespace {

// F.pairwise_distance(x1, x2, {p = 2, eps = 1e-6, keepdim = false})
int fPairwiseDistance(lua_State *L)
{
    const at::Tensor a = checkTensor(L, 1);
    const at::Tensor b = checkTensor(L, 2);
    const int options = optionsAt(L, 3);
    const double p = optNumber(L, options, "p", 2.0);
    const double eps = optNumber(L, options, "eps", 1e-6);
    const bool keepdim = optBool(L, options, "keepdim", false);
    return guarded(L, [&] { return push(L, at::pairwise_distance(a, b, p, eps, keepdim)); });
}

// F.triplet_margin_loss(anchor, positive, negative, {margin = 1, p = 2, eps = 1e-6, swap = false, reduction})
int fTripletMarginLoss(lua_State *L)
{
    const at::Tensor anchor = checkTensor(L, 1);
    const at::Tensor positive = checkTensor(L, 2);
    const at::Tensor negative = checkTensor(L, 3);
    const int options = optionsAt(L, 4);
    const double margin = optNumber(L, options, "margin", 1.0);
    const double p = optNumber(L, options, "p", 2.0);
    const double eps = optNumber(L, options, "eps", 1e-6);
    const bool swap = optBool(L, options, "swap", false);
    const int64_t mode = reduction(L, options);
    return guarded(L, [&] {
        return push(L, at::triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap, mode));
    });
}

// F.scaled_dot_product_attention(query, key, value, {attn_mask, dropout_p = 0, is_causal = false, scale})
int fScaledDotProductAttention(lua_State *L)
{
    const at::Tensor query = checkTensor(L, 1);
    const at::Tensor key = checkTensor(L, 2);
    const at::Tensor value = checkTensor(L, 3);
    const int options = optionsAt(L, 4);
    const at::Tensor mask = optTensorField(L, options, "attn_mask");
    const double dropout = optNumber(L, options, "dropout_p", 0.0);
    const bool causal = optBool(L, options, "is_causal", false);
    std::optional<double> scale;
    if (options) {
        lua_getfield(L, options, "scale");
        if (!lua_isnil(L, -1))
            scale = luaL_checknumber(L, -1);
        lua_pop(L, 1);
    }
    return guarded(L, [&] {
        const std::optional<at::Tensor> attnMask = mask.defined() ? std::optional<at::Tensor>(mask) : std::nullopt;
        return push(L, at::scaled_dot_product_attention(query, key, value, attnMask, dropout, causal, scale));
    });
}

const luaL_Reg kSimilarityFunctions[] = {
    {"pairwise_distance", fPairwiseDistance}, {"triplet_margin_loss", fTripletMarginLoss},
    {"scaled_dot_product_attention", fScaledDotProductAttention},
    {nullptr, nullptr}};

} // namespace

void registerSimilarityFunctions(lua_State *L, int fTable)
{
    lua_pushvalue(L, fTable);
    luaL_setfuncs(L, kSimilarityFunctions, 0);
    lua_pop(L, 1);
}

} // namespace kiln::lua
