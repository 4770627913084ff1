#include "luaapi/luatensor_p.h"
#include "luaapi/luatensorops_p.h"
#include "luaapi/torchruntime.h"

#include <optional>
#include <string>
#include <vector>

// The Tensor's own methods (size, item, tolist, to, cuda, ...), its
// metamethods (arithmetic, tostring, __gc) and torch.Size. Math, reduction and
// shape ops are in luatensorops.cpp and beside it, indexing in luatensorindex.cpp.

namespace kiln::lua {

namespace {

// torch.Size's metatable, by address in the registry like the Tensor's.
char kSizeMetatable;

} // namespace

void pushSize(lua_State *L, at::IntArrayRef sizes)
{
    lua_createtable(L, int(sizes.size()), 0);
    for (size_t d = 0; d < sizes.size(); ++d) {
        lua_pushinteger(L, sizes[d]);
        lua_rawseti(L, -2, lua_Integer(d + 1));
    }
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kSizeMetatable);
    lua_setmetatable(L, -2);
}

namespace {

int sizeToString(lua_State *L)
{
    luaL_Buffer buffer;
    luaL_buffinit(L, &buffer);
    luaL_addstring(&buffer, "torch.Size([");
    const lua_Integer n = luaL_len(L, 1);
    for (lua_Integer i = 1; i <= n; ++i) {
        if (i > 1)
            luaL_addstring(&buffer, ", ");
        lua_rawgeti(L, 1, i);
        luaL_addvalue(&buffer);
    }
    luaL_addstring(&buffer, "])");
    luaL_pushresult(&buffer);
    return 1;
}

int sizeEquals(lua_State *L)
{
    const lua_Integer n = luaL_len(L, 1);
    bool equal = lua_istable(L, 2) && luaL_len(L, 2) == n;
    for (lua_Integer i = 1; equal && i <= n; ++i) {
        lua_rawgeti(L, 1, i);
        lua_rawgeti(L, 2, i);
        equal = lua_rawequal(L, -1, -2);
        lua_pop(L, 2);
    }
    lua_pushboolean(L, equal);
    return 1;
}

void pushScalarValue(lua_State *L, const at::Scalar &value)
{
    if (value.isBoolean())
        lua_pushboolean(L, value.toBool());
    else if (value.isIntegral(false))
        lua_pushinteger(L, value.toLong());
    else
        lua_pushnumber(L, value.toDouble());
}

void pushList(lua_State *L, const at::Tensor &tensor)
{
    if (tensor.dim() == 0) {
        pushScalarValue(L, tensor.item());
        return;
    }
    luaL_checkstack(L, 4, "tensor too deep");
    const int64_t n = tensor.size(0);
    lua_createtable(L, int(n), 0);
    if (tensor.dim() == 1) {
        // One conversion per row, not one item() per element.
        const bool floating = at::isFloatingType(tensor.scalar_type());
        const bool boolean = tensor.scalar_type() == at::kBool;
        const at::Tensor row = tensor.to(at::kCPU, floating ? at::kDouble : at::kLong).contiguous();
        for (int64_t i = 0; i < n; ++i) {
            if (floating)
                lua_pushnumber(L, row.data_ptr<double>()[i]);
            else if (boolean)
                lua_pushboolean(L, row.data_ptr<int64_t>()[i] != 0);
            else
                lua_pushinteger(L, row.data_ptr<int64_t>()[i]);
            lua_rawseti(L, -2, i + 1);
        }
        return;
    }
    for (int64_t i = 0; i < n; ++i) {
        pushList(L, tensor.select(0, i));
        lua_rawseti(L, -2, i + 1);
    }
}

// t:size() -> torch.Size; t:size(d) -> that size, with 0-based and negative dims.
int tensorSize(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    if (!lua_isnoneornil(L, 2)) {
        const lua_Integer dim = luaL_checkinteger(L, 2);
        return guarded(L, [&] {
            lua_pushinteger(L, tensor.size(dim));
            return 1;
        });
    }
    pushSize(L, tensor.sizes());
    return 1;
}

int tensorStride(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    if (!lua_isnoneornil(L, 2)) {
        const lua_Integer dim = luaL_checkinteger(L, 2);
        return guarded(L, [&] {
            lua_pushinteger(L, tensor.stride(dim));
            return 1;
        });
    }
    pushSize(L, tensor.strides());
    return 1;
}

int tensorDim(lua_State *L)
{
    lua_pushinteger(L, checkTensor(L, 1).dim());
    return 1;
}

int tensorNumel(lua_State *L)
{
    lua_pushinteger(L, checkTensor(L, 1).numel());
    return 1;
}

int tensorElementSize(lua_State *L)
{
    lua_pushinteger(L, checkTensor(L, 1).element_size());
    return 1;
}

int tensorIsContiguous(lua_State *L)
{
    lua_pushboolean(L, checkTensor(L, 1).is_contiguous());
    return 1;
}

int tensorIsFloatingPoint(lua_State *L)
{
    lua_pushboolean(L, at::isFloatingType(checkTensor(L, 1).scalar_type()));
    return 1;
}

int tensorItem(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    return guarded(L, [&] {
        pushScalarValue(L, tensor.item());
        return 1;
    });
}

int tensorTolist(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    return guarded(L, [&] {
        pushList(L, tensor.detach());
        return 1;
    });
}

// t:to(device), t:to(dtype), t:to(device, dtype), t:to(other),
// t:to({device = , dtype = }), each with a trailing {non_blocking = , copy = }.
int tensorTo(lua_State *L)
{
    const at::Tensor tensor = checkTensor(L, 1);
    at::ScalarType type = tensor.scalar_type();
    c10::Device device = tensor.device();
    int next = 2;
    if (std::optional<at::Tensor> other = testTensor(L, next)) {
        type = other->scalar_type();
        device = other->device();
        ++next;
    } else {
        if (isDeviceName(L, next))
            device = checkDevice(L, next++);
        if (lua_type(L, next) == LUA_TSTRING)
            type = checkDtype(L, next++);
    }
    bool nonBlocking = false, copy = false;
    if (lua_istable(L, next)) {
        lua_getfield(L, next, "dtype");
        if (!lua_isnil(L, -1))
            type = checkDtype(L, lua_gettop(L));
        lua_getfield(L, next, "device");
        if (!lua_isnil(L, -1))
            device = checkDevice(L, lua_gettop(L));
        lua_pop(L, 2);
        nonBlocking = optBool(L, next, "non_blocking", false);
        copy = optBool(L, next, "copy", false);
    } else if (!lua_isnoneornil(L, next)) {
        return luaL_argerror(L, next, "expected a device, a dtype, a Tensor or an options table");
    }
    return guarded(L, [&] {
        pushTensor(L, tensor.to(device, type, nonBlocking, copy));
        return 1;
    });
}

// t:cuda(device?, {non_blocking = }), device being an index, a name or a torch.device.
int tensorCuda(lua_State *L)
{
    const at::Tensor tensor = checkTensor(L, 1);
    if (lua_type(L, 2) == LUA_TNUMBER) {
        lua_pushfstring(L, "cuda:%d", int(lua_tointeger(L, 2)));
        lua_replace(L, 2);
    }
    int options = 2;
    if (lua_type(L, 2) == LUA_TSTRING || lua_type(L, 2) == LUA_TUSERDATA) {
        options = 3;
    } else {
        lua_pushliteral(L, "cuda");
        lua_insert(L, 2);
    }
    const c10::Device device = checkDevice(L, 2);
    const bool nonBlocking = optBool(L, lua_istable(L, options) ? options : 0, "non_blocking", false);
    return guarded(L, [&] {
        pushTensor(L, tensor.to(device, tensor.scalar_type(), nonBlocking));
        return 1;
    });
}

int tensorCpu(lua_State *L)
{
    const at::Tensor tensor = checkTensor(L, 1);
    return guarded(L, [&] {
        pushTensor(L, tensor.cpu());
        return 1;
    });
}

// Page-locked host memory, so copies to a GPU can overlap compute. PyTorch needs
// a GPU for it, and so does Kiln: without one this is an error, as there.
int tensorPinMemory(lua_State *L)
{
    const at::Tensor tensor = checkTensor(L, 1);
    lua_pushliteral(L, "cuda");
    checkDevice(L, -1);
    return guarded(L, [&] {
        pushTensor(L, tensor.pin_memory());
        return 1;
    });
}

int tensorIsPinned(lua_State *L)
{
    const at::Tensor tensor = checkTensor(L, 1);
    return guarded(L, [&] {
        lua_pushboolean(L, tensor.is_cpu() && kiln::torchruntime::cudaAvailable() && tensor.is_pinned());
        return 1;
    });
}

template<at::ScalarType Type>
int tensorAs(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    return guarded(L, [&] {
        pushTensor(L, tensor.to(Type));
        return 1;
    });
}

int tensorToString(lua_State *L)
{
    // Printing a freed tensor says so rather than raising: a cell's displayed
    // value and error messages go through tostring.
    if (TensorBox *box = testTensorBox(L, 1); box && box->freed) {
        lua_pushliteral(L, "<freed Tensor>");
        return 1;
    }
    const at::Tensor &tensor = checkTensor(L, 1);
    return guarded(L, [&] {
        const std::string text = formatTensor(tensor);
        lua_pushlstring(L, text.data(), text.size());
        return 1;
    });
}

int tensorGc(lua_State *L)
{
    // Only drops the reference: the box stays a valid (freed) tensor, since a
    // finalized userdata can come back to Lua through another finalizer, and a
    // later __close or __gc on it does nothing.
    if (TensorBox *box = testTensorBox(L, 1)) {
        box->tensor.reset();
        box->freed = true;
    }
    return 0;
}

// ---- Metamethods -----------------------------------------------------------

template<at::Tensor (*Op)(const at::Tensor &, const at::Tensor &)>
int arithmetic(lua_State *L)
{
    const at::Tensor a = metaOperand(L, 1);
    const at::Tensor b = metaOperand(L, 2);
    return guarded(L, [&] {
        pushTensor(L, Op(a, b));
        return 1;
    });
}

at::Tensor addOp(const at::Tensor &a, const at::Tensor &b) { return at::add(a, b); }
at::Tensor subOp(const at::Tensor &a, const at::Tensor &b) { return at::sub(a, b); }
at::Tensor mulOp(const at::Tensor &a, const at::Tensor &b) { return at::mul(a, b); }
at::Tensor divOp(const at::Tensor &a, const at::Tensor &b) { return at::div(a, b); }
at::Tensor modOp(const at::Tensor &a, const at::Tensor &b) { return at::remainder(a, b); }
at::Tensor powOp(const at::Tensor &a, const at::Tensor &b) { return at::pow(a, b); }
at::Tensor floorDivOp(const at::Tensor &a, const at::Tensor &b) { return at::div(a, b, "floor"); }

int tensorUnm(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    return guarded(L, [&] {
        pushTensor(L, tensor.neg());
        return 1;
    });
}

int tensorLen(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    if (tensor.dim() == 0)
        return luaL_error(L, "len() of a 0-d tensor");
    lua_pushinteger(L, tensor.size(0));
    return 1;
}

int tensorCompare(lua_State *L)
{
    return luaL_error(L, "Lua's < and <= need booleans: compare tensors elementwise with t:lt(u), t:le(u), "
                         "t:gt(u), t:ge(u), t:eq(u)");
}

const luaL_Reg kTensorMethods[] = {
    {"size", tensorSize}, {"stride", tensorStride}, {"dim", tensorDim}, {"ndimension", tensorDim},
    {"numel", tensorNumel}, {"nelement", tensorNumel}, {"element_size", tensorElementSize},
    {"is_contiguous", tensorIsContiguous}, {"is_floating_point", tensorIsFloatingPoint},
    {"item", tensorItem}, {"tolist", tensorTolist}, {"to", tensorTo},
    {"float", tensorAs<at::kFloat>}, {"double", tensorAs<at::kDouble>}, {"long", tensorAs<at::kLong>},
    {"int", tensorAs<at::kInt>}, {"bool", tensorAs<at::kBool>}, {"byte", tensorAs<at::kByte>},
    {"half", tensorAs<at::kHalf>}, {"bfloat16", tensorAs<at::kBFloat16>}, {"cpu", tensorCpu},
    {"cuda", tensorCuda}, {"pin_memory", tensorPinMemory}, {"is_pinned", tensorIsPinned},
    {nullptr, nullptr}};

const luaL_Reg kTensorMetamethods[] = {
    {"__gc", tensorGc},           {"__close", tensorGc},       {"__tostring", tensorToString},
    {"__add", arithmetic<addOp>}, {"__sub", arithmetic<subOp>}, {"__mul", arithmetic<mulOp>},
    {"__div", arithmetic<divOp>}, {"__mod", arithmetic<modOp>}, {"__pow", arithmetic<powOp>},
    {"__idiv", arithmetic<floorDivOp>}, {"__unm", tensorUnm},  {"__len", tensorLen},
    {"__lt", tensorCompare},      {"__le", tensorCompare},     {"__newindex", tensorNewIndex},
    {nullptr, nullptr}};

// Methods that are torch functions too.
const luaL_Reg kTensorFunctions[] = {
    {"numel", tensorNumel}, {"tolist", tensorTolist},
    {nullptr, nullptr}};

} // namespace

void registerTensorMethods(lua_State *L, int methods, int torchTable)
{
    methods = lua_absindex(L, methods);
    torchTable = lua_absindex(L, torchTable);
    lua_pushvalue(L, methods);
    luaL_setfuncs(L, kTensorMethods, 0);
    lua_pop(L, 1);
    lua_pushvalue(L, torchTable);
    luaL_setfuncs(L, kTensorFunctions, 0);
    lua_pop(L, 1);
}

void registerTensorMetatables(lua_State *L, int methods)
{
    methods = lua_absindex(L, methods);
    lua_newtable(L);
    luaL_setfuncs(L, kTensorMetamethods, 0);
    lua_pushliteral(L, "Tensor");
    lua_setfield(L, -2, "__name");
    protectMetatable(L, -1, "Tensor");
    lua_pushvalue(L, methods);
    lua_pushcclosure(L, tensorIndex, 1);
    lua_setfield(L, -2, "__index");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kTensorMetatable);

    lua_newtable(L);
    lua_pushcfunction(L, sizeToString);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, sizeEquals);
    lua_setfield(L, -2, "__eq");
    lua_pushliteral(L, "torch.Size");
    lua_setfield(L, -2, "__name");
    protectMetatable(L, -1, "torch.Size");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kSizeMetatable);
}

} // namespace kiln::lua
