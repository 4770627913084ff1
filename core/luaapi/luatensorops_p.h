#pragma once

// Internal to core's torch sources: the parts of the Tensor binding split into
// their own files (math and shape ops, printing).
#include "luaapi/luatensor_p.h"

#include <string>

namespace kiln::lua {

// Adds the math, reduction and shape methods to the Tensor methods table at
// `methods`, and the same functions (minus in-place ones) to the torch table.
void registerTensorOps(lua_State *L, int methods, int torchTable);

// A tensor, or a Lua number as a "wrapped number" (promotes like a Python scalar).
at::Tensor metaOperand(lua_State *L, int index);

// PyTorch's repr: tensor([[1., 2.], [3., 4.]], dtype=torch.float64, requires_grad=True),
// summarized with "..." beyond 1000 elements.
std::string formatTensor(const at::Tensor &tensor);

} // namespace kiln::lua
