#pragma once

// Internal to core's torch sources: the parts of the Tensor binding split into
// their own files (creation, autograd, methods, indexing, math and shape ops,
// printing), and what they share. openTensor (luatorch.cpp) puts them together.
#include "luaapi/luatensor_p.h"

#include <optional>
#include <string>
#include <vector>

namespace kiln::lua {

// Each part adds its Tensor methods to the table at `methods` and its torch.*
// functions to the table at `torchTable`.
void registerTensorCreation(lua_State *L, int torchTable);               // luatensorcreation.cpp
void registerTensorMethods(lua_State *L, int methods, int torchTable);   // luatensormethods.cpp
void registerAutograd(lua_State *L, int methods, int torchTable);        // luaautograd.cpp
void registerAutogradCallbacks(lua_State *L, int methods, int autogradTable);  // luaautogradfunction.cpp
// Math, reduction and shape methods, and the same functions (minus in-place
// ones) in the torch table (luatensorops.cpp, luatensorreductions.cpp,
// luatensorshape.cpp).
void registerTensorOps(lua_State *L, int methods, int torchTable);
// t:mv, t:addmm, torch.einsum and the torch.linalg table (luatensorlinalg.cpp).
void registerLinalg(lua_State *L, int methods, int torchTable);
// Methods that make a tensor like their receiver: t:new_zeros(...), t:multinomial,
// t:bernoulli (luatensorcreation.cpp; the random ones are torch functions too).
void registerCreationMethods(lua_State *L, int methods, int torchTable);

// The Tensor metatable (whose __index looks in `methods` first) and torch.Size's,
// stored in the registry (luatensormethods.cpp).
void registerTensorMetatables(lua_State *L, int methods);

// The Tensor's __index and __newindex: properties and indexing (luatensorindex.cpp).
int tensorIndex(lua_State *L);
int tensorNewIndex(lua_State *L);

// A torch.Size: a table of integers that prints and compares like PyTorch's.
void pushSize(lua_State *L, at::IntArrayRef sizes);

// Nested Lua tables of numbers or booleans -> values plus shape (luatorch.cpp).
// The dtype is PyTorch's: bool if all booleans, int64 if all integers, float32 otherwise.
struct Nested
{
    std::vector<int64_t> shape;
    std::vector<double> values;
    std::vector<int64_t> integers;  // the values again, exact, while all are integers
    bool allIntegers = true;
    bool allBooleans = true;
};
void collectNested(lua_State *L, int index, int depth, Nested &nested);
// The values converted once, from full precision, to `type` (default: the type
// PyTorch infers: bool, int64 or float32).
at::Tensor tensorFromNested(const Nested &nested, std::optional<at::ScalarType> type = std::nullopt);

// A tensor, or a Lua number as a "wrapped number" (promotes like a Python scalar).
at::Tensor metaOperand(lua_State *L, int index);

// PyTorch's repr: tensor([[1., 2.], [3., 4.]], dtype=torch.float64, requires_grad=True),
// summarized with "..." beyond 1000 elements.
std::string formatTensor(const at::Tensor &tensor);

// ---- Shared by the math, reduction and shape op files (luatensorops*.cpp) ----

// The op tables (methods, and torch functions unless method-only) and the
// torch-only functions, in the order registerTensorOps sets them.
extern const luaL_Reg kReductionOps[];      // luatensorreductions.cpp
extern const luaL_Reg kShapeOps[];          // luatensorshape.cpp
extern const luaL_Reg kShapeFunctionsOnly[];  // luatensorshape.cpp: cat, concat, stack

// A Lua number or boolean as a Scalar, keeping integers integral.
at::Scalar checkScalar(lua_State *L, int index);
bool isScalar(lua_State *L, int index);
// A tensor; a number as a wrapped number (promotes like a Python scalar); a table via toTensor.
at::Tensor operandTensor(lua_State *L, int index);
int pushResult(lua_State *L, at::Tensor tensor);
// An array of tensors.
int pushTensorList(lua_State *L, const std::vector<at::Tensor> &tensors);

} // namespace kiln::lua
