#include "luaapi/luadata_p.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>

// The natives behind data.batches and data.split (kiln/data.lua): a batch
// iterator over x (and y) in order or shuffled, seeded permutations and row
// gathering.

namespace kiln::lua {

namespace {

at::Tensor permutation(int64_t n, bool seeded, uint64_t seed)
{
    // A seed gives its own generator, so a seeded split or shuffle neither
    // depends on nor disturbs torch.manual_seed's stream.
    if (seeded)
        return at::randperm(n, at::detail::createCPUGenerator(seed), at::kLong);
    return at::randperm(n, at::kLong);
}

// One pass over a dataset: the order, the tensors and where it is.
struct BatchState
{
    at::Tensor x;
    at::Tensor y;
    at::Tensor order; // undefined when not shuffled: batches are then slices
    int64_t position = 0;
    int64_t count = 0;
    int64_t batchSize = 1;
    bool dropLast = false;
};

char kBatchStateMetatable;

// Drops the tensors and marks the pass as over; the state stays a valid object,
// so a second call (or an iterator that a finalizer handed back) does nothing.
int batchStateGc(lua_State *L)
{
    if (lua_type(L, 1) != LUA_TUSERDATA || !lua_getmetatable(L, 1))
        return 0;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kBatchStateMetatable);
    const bool isState = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    if (!isState)
        return 0;
    auto *state = static_cast<BatchState *>(lua_touserdata(L, 1));
    state->x.reset();
    state->y.reset();
    state->order.reset();
    state->batchSize = 0;
    return 0;
}

int batchNext(lua_State *L)
{
    auto *state = static_cast<BatchState *>(lua_touserdata(L, lua_upvalueindex(1)));
    if (!state || state->batchSize <= 0)
        return 0;
    const int64_t remaining = state->count - state->position;
    if (remaining <= 0 || (state->dropLast && remaining < state->batchSize))
        return 0;
    const int64_t size = std::min(remaining, state->batchSize);
    const int64_t start = state->position;
    state->position += size;
    return protect(L, [&] {
        if (state->order.defined()) {
            const at::Tensor index = state->order.narrow(0, start, size);
            pushTensor(L, state->x.index_select(0, index));
            if (state->y.defined())
                pushTensor(L, state->y.index_select(0, index.to(state->y.device())));
        } else {
            pushTensor(L, state->x.narrow(0, start, size));
            if (state->y.defined())
                pushTensor(L, state->y.narrow(0, start, size));
        }
        return state->y.defined() ? 2 : 1;
    });
}

} // namespace

// data._batches(x, y|nil, batch_size, shuffle, drop_last, seed|nil) -> iterator
int dataBatches(lua_State *L)
{
    const at::Tensor x = checkTensor(L, 1);
    const std::optional<at::Tensor> y = lua_isnil(L, 2) ? std::nullopt : std::optional<at::Tensor>(checkTensor(L, 2));
    const lua_Integer batchSize = luaL_checkinteger(L, 3);
    luaL_argcheck(L, batchSize > 0, 3, "batch_size must be positive");
    const bool shuffle = lua_toboolean(L, 4);
    const bool dropLast = lua_toboolean(L, 5);
    const bool seeded = !lua_isnoneornil(L, 6);
    const lua_Integer seed = seeded ? luaL_checkinteger(L, 6) : 0;
    luaL_argcheck(L, x.dim() >= 1, 1, "the dataset's x must have at least one dimension");
    if (y && (y->dim() < 1 || y->size(0) != x.size(0)))
        return luaL_error(L, "data.batches: x has %d samples but y has %d", int(x.size(0)), int(y->dim() ? y->size(0) : 0));

    auto *state = static_cast<BatchState *>(lua_newuserdatauv(L, sizeof(BatchState), 0));
    new (state) BatchState();
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kBatchStateMetatable);
    lua_setmetatable(L, -2);
    state->x = x;
    if (y)
        state->y = *y;
    state->count = x.size(0);
    state->batchSize = batchSize;
    state->dropLast = dropLast;
    if (shuffle) {
        const int64_t count = state->count;
        protect(L, [&] {
            // Drawn on the CPU (the same order on every device), kept beside the data.
            state->order = permutation(count, seeded, uint64_t(seed)).to(state->x.device());
            return 0;
        });
    }
    lua_pushcclosure(L, batchNext, 1);
    return 1;
}

// data._permutation(n, seed|nil) -> int64 [n]
int dataPermutation(lua_State *L)
{
    const lua_Integer n = luaL_checkinteger(L, 1);
    luaL_argcheck(L, n >= 0, 1, "must not be negative");
    const bool seeded = !lua_isnoneornil(L, 2);
    const lua_Integer seed = seeded ? luaL_checkinteger(L, 2) : 0;
    return protect(L, [&] {
        pushTensor(L, permutation(n, seeded, uint64_t(seed)));
        return 1;
    });
}

// data._take(t, order, start, count) -> t's rows order[start .. start+count-1] (0-based)
int dataTake(lua_State *L)
{
    const at::Tensor &t = checkTensor(L, 1);
    const at::Tensor &order = checkTensor(L, 2);
    const lua_Integer start = luaL_checkinteger(L, 3);
    const lua_Integer count = luaL_checkinteger(L, 4);
    return protect(L, [&] {
        pushTensor(L, t.index_select(0, order.narrow(0, start, count).to(t.device())));
        return 1;
    });
}

void registerBatchState(lua_State *L)
{
    lua_newtable(L);
    lua_pushcfunction(L, batchStateGc);
    lua_setfield(L, -2, "__gc");
    protectMetatable(L, -1, "kiln.BatchState");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kBatchStateMetatable);
}

} // namespace kiln::lua
