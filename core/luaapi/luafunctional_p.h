#pragma once

// Internal to the F (torch.nn.functional) sources: argument helpers they share
// (luafunctional.cpp) and the parts kept in files of their own.
#include "luaapi/luatensor_p.h"

#include <vector>

namespace kiln::lua {

// The trailing options table, if any, at or after `first`; 0 when none.
int optionsAt(lua_State *L, int first);
// The tensor at `index`; an undefined tensor for nil or an options table.
at::Tensor optTensor(lua_State *L, int index);
// Option `name` of the table at `options` as a tensor; undefined when absent.
at::Tensor optTensorField(lua_State *L, int options, const char *name);
// Option `name` as a list of integers (one integer repeated expandTo times).
std::vector<int64_t> optIntListField(lua_State *L, int options, const char *name, std::vector<int64_t> fallback,
                                     size_t expandTo);
// The `reduction` option as ATen's enum: "mean" (default), "sum" or "none".
int64_t reduction(lua_State *L, int options);
int push(lua_State *L, at::Tensor tensor);

// F.conv_transpose2d, dropout2d, pixel_shuffle, pixel_unshuffle, unfold, fold and
// grid_sample, added to the F table at `fTable` (luafunctionalspatial.cpp).
void registerSpatialFunctions(lua_State *L, int fTable);
// F.pairwise_distance, triplet_margin_loss and scaled_dot_product_attention
// (luafunctionalsimilarity.cpp).
void registerSimilarityFunctions(lua_State *L, int fTable);

} // namespace kiln::lua
