// Linear algebra: t:mv, t:addmm, torch.einsum and torch.linalg (inv, solve, det,
// svd, qr, eigh, norm), with PyTorch's names, argument order and results
// (several results are several Lua values: local U, S, Vh = torch.linalg.svd(A)).
#include "luaapi/luatensorops_p.h"

namespace kiln::lua {

namespace {

int tMv(lua_State *L)
{
    const at::Tensor a = checkTensor(L, 1);
    const at::Tensor v = checkTensor(L, 2);
    return guarded(L, [&] { return pushResult(L, a.mv(v)); });
}

// t:addmm(mat1, mat2, {beta = 1, alpha = 1}): beta * t + alpha * mat1 @ mat2.
int tAddmm(lua_State *L)
{
    const at::Tensor a = checkTensor(L, 1);
    const at::Tensor m1 = checkTensor(L, 2);
    const at::Tensor m2 = checkTensor(L, 3);
    at::Scalar beta = int64_t(1), alpha = int64_t(1);
    if (lua_istable(L, 4)) {
        lua_getfield(L, 4, "beta");
        if (!lua_isnil(L, -1))
            beta = checkScalar(L, -1);
        lua_getfield(L, 4, "alpha");
        if (!lua_isnil(L, -1))
            alpha = checkScalar(L, -1);
        lua_pop(L, 2);
    }
    return guarded(L, [&] { return pushResult(L, a.addmm(m1, m2, beta, alpha)); });
}

// torch.einsum("ij,jk->ik", a, b) or torch.einsum("ij,jk->ik", {a, b}).
int torchEinsum(lua_State *L)
{
    const std::string equation = luaL_checkstring(L, 1);
    std::vector<at::Tensor> operands;
    if (lua_istable(L, 2) && !isTensor(L, 2)) {
        operands = checkTensorList(L, 2);
    } else {
        for (int i = 2; i <= lua_gettop(L); ++i)
            operands.push_back(checkTensor(L, i));
    }
    return guarded(L, [&] { return pushResult(L, at::einsum(equation, operands)); });
}

int linalgInv(lua_State *L)
{
    const at::Tensor a = checkTensor(L, 1);
    return guarded(L, [&] { return pushResult(L, at::linalg_inv(a)); });
}

int linalgSolve(lua_State *L)
{
    const at::Tensor a = checkTensor(L, 1);
    const at::Tensor b = checkTensor(L, 2);
    return guarded(L, [&] { return pushResult(L, at::linalg_solve(a, b)); });
}

int linalgDet(lua_State *L)
{
    const at::Tensor a = checkTensor(L, 1);
    return guarded(L, [&] { return pushResult(L, at::linalg_det(a)); });
}

// torch.linalg.svd(A, {full_matrices = true}) -> U, S, Vh
int linalgSvd(lua_State *L)
{
    const at::Tensor a = checkTensor(L, 1);
    const bool full = optBool(L, lua_istable(L, 2) ? 2 : 0, "full_matrices", true);
    return guarded(L, [&] {
        auto [u, s, vh] = at::linalg_svd(a, full);
        pushTensor(L, u);
        pushTensor(L, s);
        pushTensor(L, vh);
        return 3;
    });
}

// torch.linalg.qr(A, {mode = "reduced"}) -> Q, R
int linalgQr(lua_State *L)
{
    const at::Tensor a = checkTensor(L, 1);
    const std::string mode = optString(L, lua_istable(L, 2) ? 2 : 0, "mode", "reduced");
    return guarded(L, [&] {
        auto [q, r] = at::linalg_qr(a, mode);
        pushTensor(L, q);
        pushTensor(L, r);
        return 2;
    });
}

// torch.linalg.eigh(A, {UPLO = "L"}) -> eigenvalues (ascending), eigenvectors
int linalgEigh(lua_State *L)
{
    const at::Tensor a = checkTensor(L, 1);
    const std::string uplo = optString(L, lua_istable(L, 2) ? 2 : 0, "UPLO", "L");
    return guarded(L, [&] {
        auto [values, vectors] = at::linalg_eigh(a, uplo);
        pushTensor(L, values);
        pushTensor(L, vectors);
        return 2;
    });
}

// torch.linalg.norm(A, ord?, dim?, {ord, dim, keepdim}): ord a number, "fro" or
// "nuc"; dim an integer or a pair; the 2-norm (Frobenius for matrices) by default.
int linalgNorm(lua_State *L)
{
    const at::Tensor a = checkTensor(L, 1);
    int options = 0;
    for (int i = 2; i <= lua_gettop(L); ++i) {
        if (lua_istable(L, i) && lua_rawlen(L, i) == 0)
            options = i;
    }
    const auto argument = [&](int position, const char *name) {
        if (position != options && !lua_isnoneornil(L, position))
            return position;
        if (options) {
            lua_getfield(L, options, name);
            if (!lua_isnil(L, -1))
                return lua_gettop(L);
            lua_pop(L, 1);
        }
        return 0;
    };
    const int ordIndex = argument(2, "ord");
    const int dimIndex = argument(3, "dim");
    const bool keepdim = optBool(L, options, "keepdim", false);
    std::optional<at::IntArrayRef> dims;
    std::vector<int64_t> dimList;
    if (dimIndex) {
        dimList = lua_istable(L, dimIndex) ? checkIntList(L, dimIndex, 0)
                                           : std::vector<int64_t>{luaL_checkinteger(L, dimIndex)};
        dims = dimList;
    }
    if (ordIndex && lua_type(L, ordIndex) == LUA_TSTRING) {
        const std::string ord = lua_tostring(L, ordIndex);
        return guarded(L, [&] { return pushResult(L, at::linalg_norm(a, ord, dims, keepdim)); });
    }
    std::optional<at::Scalar> ord;
    if (ordIndex)
        ord = checkScalar(L, ordIndex);
    return guarded(L, [&] { return pushResult(L, at::linalg_norm(a, ord, dims, keepdim)); });
}

const luaL_Reg kLinalgFunctions[] = {
    {"inv", linalgInv}, {"solve", linalgSolve}, {"det", linalgDet}, {"svd", linalgSvd},
    {"qr", linalgQr}, {"eigh", linalgEigh}, {"norm", linalgNorm},
    {nullptr, nullptr}};

} // namespace

void registerLinalg(lua_State *L, int methods, int torchTable)
{
    methods = lua_absindex(L, methods);
    torchTable = lua_absindex(L, torchTable);
    for (const luaL_Reg &entry : {luaL_Reg{"mv", tMv}, luaL_Reg{"addmm", tAddmm}}) {
        lua_pushcfunction(L, entry.func);
        lua_setfield(L, methods, entry.name);
        lua_pushcfunction(L, entry.func);
        lua_setfield(L, torchTable, entry.name);
    }
    lua_pushcfunction(L, torchEinsum);
    lua_setfield(L, torchTable, "einsum");
    lua_newtable(L);
    luaL_setfuncs(L, kLinalgFunctions, 0);
    lua_setfield(L, torchTable, "linalg");
}

} // namespace kiln::lua
