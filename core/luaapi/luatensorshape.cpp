#include "luaapi/luatensor_p.h"
#include "luaapi/luatensorops_p.h"

#include <optional>

#include <vector>

// Shape operations as tensor methods and torch functions: view, reshape,
// permute, squeeze, gather/scatter, split and chunk, and torch.cat/stack.

namespace kiln::lua {

namespace {

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

// index_fill(dim, index, value), index_add(dim, index, source, {alpha}),
// index_copy(dim, index, source) and their in-place forms (which return t).
enum class IndexOp { Fill, Add, Copy };

template<IndexOp op, bool inPlace>
int indexUpdate(lua_State *L)
{
    at::Tensor a = checkTensor(L, 1);
    const int64_t dim = luaL_checkinteger(L, 2);
    const at::Tensor index = operandTensor(L, 3).to(at::kLong);
    at::Scalar value;
    at::Tensor source;
    if (op == IndexOp::Fill)
        value = checkScalar(L, 4);
    else
        source = operandTensor(L, 4);
    double alpha = 1;
    if (op == IndexOp::Add && lua_istable(L, 5)) {
        lua_getfield(L, 5, "alpha");
        alpha = luaL_optnumber(L, -1, 1);
        lua_pop(L, 1);
    }
    return guarded(L, [&] {
        at::Tensor target = inPlace ? a : a.clone();
        if (op == IndexOp::Fill)
            target.index_fill_(dim, index, value);
        else if (op == IndexOp::Add)
            target.index_add_(dim, index, source, alpha);
        else
            target.index_copy_(dim, index, source);
        if (inPlace) {
            lua_settop(L, 1);
            return 1;
        }
        return pushResult(L, target);
    });
}

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

// t:repeat_interleave(repeats, dim?): repeats an integer or an int64 tensor.
int tRepeatInterleave(lua_State *L)
{
    const at::Tensor a = checkTensor(L, 1);
    const std::optional<int64_t> dim = lua_isnoneornil(L, 3) ? std::nullopt : std::optional<int64_t>(luaL_checkinteger(L, 3));
    if (lua_isinteger(L, 2)) {
        const int64_t repeats = lua_tointeger(L, 2);
        return guarded(L, [&] { return pushResult(L, a.repeat_interleave(repeats, dim)); });
    }
    const at::Tensor repeats = checkTensor(L, 2);
    return guarded(L, [&] { return pushResult(L, a.repeat_interleave(repeats, dim)); });
}

int torchHstack(lua_State *L)
{
    const std::vector<at::Tensor> tensors = checkTensorList(L, 1);
    return guarded(L, [&] { return pushResult(L, at::hstack(tensors)); });
}

int torchVstack(lua_State *L)
{
    const std::vector<at::Tensor> tensors = checkTensorList(L, 1);
    return guarded(L, [&] { return pushResult(L, at::vstack(tensors)); });
}

// torch.meshgrid(a, b, ..., {indexing = "ij"}) or torch.meshgrid({a, b}, {indexing}):
// one grid per input, as several values.
int torchMeshgrid(lua_State *L)
{
    std::vector<at::Tensor> tensors;
    int options = 0;
    if (lua_istable(L, 1) && !isTensor(L, 1)) {
        tensors = checkTensorList(L, 1);
        options = lua_istable(L, 2) ? 2 : 0;
    } else {
        int i = 1;
        for (; isTensor(L, i); ++i)
            tensors.push_back(checkTensor(L, i));
        options = lua_istable(L, i) ? i : 0;
    }
    const std::string indexing = optString(L, options, "indexing", "ij");
    return guarded(L, [&] {
        const std::vector<at::Tensor> grids = at::meshgrid(tensors, indexing);
        for (const at::Tensor &grid : grids)
            pushTensor(L, grid);
        return int(grids.size());
    });
}

} // namespace

const luaL_Reg kShapeOps[] = {
    {"view", tView}, {"reshape", tReshape}, {"expand", tExpand}, {"repeat", tRepeat}, {"tile", tTile}, {"permute", tPermute},
    {"flip", tFlip}, {"flatten", tFlatten}, {"unflatten", tUnflatten}, {"unsqueeze", tUnsqueeze},
    {"repeat_interleave", tRepeatInterleave},
    {"squeeze", tSqueeze}, {"transpose", tTranspose}, {"swapaxes", tTranspose}, {"narrow", tNarrow},
    {"select", tSelect}, {"index_select", tIndexSelect}, {"gather", tGather}, {"scatter", tScatter},
    {"scatter_", tScatter_}, {"scatter_add", tScatterAdd}, {"scatter_add_", tScatterAdd_},
    {"masked_fill", tMaskedFill}, {"masked_fill_", tMaskedFill_}, {"roll", tRoll}, {"tril", tTril},
    {"index_fill", indexUpdate<IndexOp::Fill, false>}, {"index_fill_", indexUpdate<IndexOp::Fill, true>},
    {"index_add", indexUpdate<IndexOp::Add, false>}, {"index_add_", indexUpdate<IndexOp::Add, true>},
    {"index_copy", indexUpdate<IndexOp::Copy, false>}, {"index_copy_", indexUpdate<IndexOp::Copy, true>},
    {"triu", tTriu}, {"split", tSplit}, {"chunk", tChunk}, {"unbind", tUnbind},
    {nullptr, nullptr}};

const luaL_Reg kShapeFunctionsOnly[] = {
    {"hstack", torchHstack}, {"vstack", torchVstack}, {"meshgrid", torchMeshgrid},
    {"cat", torchCat}, {"concat", torchCat}, {"stack", torchStack},
    {nullptr, nullptr}};

} // namespace kiln::lua
