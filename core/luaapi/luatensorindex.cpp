#include "luaapi/luatensor_p.h"
#include "luaapi/luatensorops_p.h"

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

// The Tensor's __index and __newindex: methods, properties (shape, dtype, grad,
// T, ...) and indexing in Lua tables or Python's syntax (t[{0, {1, 3}}],
// t["1:3, ::2"], t[mask] = 0). Kept apart because parsing indices is its own job.

namespace kiln::lua {

namespace {

using at::indexing::TensorIndex;

std::optional<int64_t> sliceBound(lua_State *L, int index)
{
    if (lua_isnil(L, index))
        return std::nullopt;
    if (!lua_isinteger(L, index))
        luaL_error(L, "slice bounds must be integers, got %s", luaL_typename(L, index));
    return lua_tointeger(L, index);
}

TensorIndex makeSlice(std::optional<int64_t> start, std::optional<int64_t> stop, std::optional<int64_t> step)
{
    return TensorIndex(at::indexing::Slice(start ? c10::optional<int64_t>(*start) : c10::nullopt,
                                           stop ? c10::optional<int64_t>(*stop) : c10::nullopt,
                                           step ? c10::optional<int64_t>(*step) : c10::nullopt));
}

// One item of Python's index syntax: "3", "-1", ":", "1:3", "::2", "...", "None".
TensorIndex parseIndexItem(lua_State *L, std::string item)
{
    const auto trim = [](std::string text) {
        const size_t first = text.find_first_not_of(" \t");
        const size_t last = text.find_last_not_of(" \t");
        return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
    };
    item = trim(item);
    if (item == "...")
        return TensorIndex(at::indexing::Ellipsis);
    if (item == "None")
        return TensorIndex(at::indexing::None);
    const auto parseInteger = [&](const std::string &text) -> std::optional<int64_t> {
        const std::string trimmed = trim(text);
        if (trimmed.empty())
            return std::nullopt;
        char *end = nullptr;
        const long long value = std::strtoll(trimmed.c_str(), &end, 10);
        if (*end != '\0')
            luaL_error(L, "bad index '%s'", item.c_str());
        return int64_t(value);
    };
    if (item.find(':') == std::string::npos) {
        const std::optional<int64_t> value = parseInteger(item);
        if (!value)
            luaL_error(L, "empty index");
        return TensorIndex(*value);
    }
    std::vector<std::string> parts;
    size_t begin = 0;
    for (size_t colon; (colon = item.find(':', begin)) != std::string::npos; begin = colon + 1)
        parts.push_back(item.substr(begin, colon - begin));
    parts.push_back(item.substr(begin));
    if (parts.size() > 3)
        luaL_error(L, "bad slice '%s'", item.c_str());
    parts.resize(3);
    return makeSlice(parseInteger(parts[0]), parseInteger(parts[1]), parseInteger(parts[2]));
}

void parseIndexString(lua_State *L, const char *text, std::vector<TensorIndex> &indices)
{
    std::string all(text);
    size_t begin = 0;
    for (size_t comma; (comma = all.find(',', begin)) != std::string::npos; begin = comma + 1)
        indices.push_back(parseIndexItem(L, all.substr(begin, comma - begin)));
    indices.push_back(parseIndexItem(L, all.substr(begin)));
}

// One element of an index table: an integer, a {start, stop, step} slice, a
// string in Python's syntax, a tensor (indices or a boolean mask), a boolean.
void parseIndexElement(lua_State *L, int index, std::vector<TensorIndex> &indices)
{
    if (std::optional<at::Tensor> tensor = testTensor(L, index)) {
        indices.emplace_back(*tensor);
        return;
    }
    switch (lua_type(L, index)) {
    case LUA_TNUMBER:
        if (!lua_isinteger(L, index))
            luaL_error(L, "tensor indices must be integers, got %f", lua_tonumber(L, index));
        indices.emplace_back(int64_t(lua_tointeger(L, index)));
        return;
    case LUA_TBOOLEAN:
        indices.emplace_back(bool(lua_toboolean(L, index)));
        return;
    case LUA_TSTRING:
        parseIndexString(L, lua_tostring(L, index), indices);
        return;
    case LUA_TTABLE: {
        const int table = lua_absindex(L, index);
        lua_rawgeti(L, table, 1);
        lua_rawgeti(L, table, 2);
        lua_rawgeti(L, table, 3);
        std::optional<int64_t> start = sliceBound(L, -3), stop = sliceBound(L, -2), step = sliceBound(L, -1);
        lua_pop(L, 3);
        indices.push_back(makeSlice(start, stop, step));
        return;
    }
    default:
        luaL_error(L, "cannot index a tensor with a %s", luaL_typename(L, index));
    }
}

std::vector<TensorIndex> parseIndex(lua_State *L, int key)
{
    std::vector<TensorIndex> indices;
    if (lua_istable(L, key) && !isTensor(L, key)) {
        // t[{0, {1, 3}}] is t[0, 1:3]; the outer table lists one entry per dim.
        lua_Integer n = 0;
        while (lua_rawgeti(L, key, n + 1) != LUA_TNIL || n + 1 <= lua_Integer(lua_rawlen(L, key))) {
            lua_pop(L, 1);
            ++n;
        }
        lua_pop(L, 1);
        for (lua_Integer i = 1; i <= n; ++i) {
            lua_rawgeti(L, key, i);
            if (lua_isnil(L, -1))
                indices.push_back(makeSlice(std::nullopt, std::nullopt, std::nullopt));
            else
                parseIndexElement(L, lua_gettop(L), indices);
            lua_pop(L, 1);
        }
        return indices;
    }
    parseIndexElement(L, key, indices);
    return indices;
}

// A string key that is Python index syntax ("1:3, ::2", "..., 0", "None, :")
// rather than a method or property name.
bool looksLikeIndex(const char *key)
{
    for (const char *c = key; *c;) {
        if (std::strncmp(c, "None", 4) == 0) {
            c += 4;
            continue;
        }
        if (!(std::isdigit(static_cast<unsigned char>(*c)) || *c == ':' || *c == ',' || *c == '.' || *c == '-'
              || *c == ' '))
            return false;
        ++c;
    }
    return true;
}

int pushProperty(lua_State *L, const at::Tensor &tensor, const char *name)
{
    switch (name[0]) {
    case 's':
        if (std::strcmp(name, "shape") == 0) {
            pushSize(L, tensor.sizes());
            return 1;
        }
        break;
    case 'd':
        if (std::strcmp(name, "dtype") == 0) {
            lua_pushfstring(L, "torch.%s", dtypeName(tensor.scalar_type()));
            return 1;
        }
        if (std::strcmp(name, "data") == 0) {
            pushTensor(L, tensor.detach());
            return 1;
        }
        if (std::strcmp(name, "device") == 0) {
            pushDevice(L, tensor.device());
            return 1;
        }
        break;
    case 'g':
        if (std::strcmp(name, "grad") == 0) {
            pushTensor(L, tensor.grad());
            return 1;
        }
        if (std::strcmp(name, "grad_fn") == 0) {
            if (!tensor.grad_fn()) {
                lua_pushnil(L);
            } else {
                std::string fn = tensor.grad_fn()->name();
                const size_t colon = fn.rfind("::");
                if (colon != std::string::npos)
                    fn.erase(0, colon + 2);
                lua_pushlstring(L, fn.data(), fn.size());
            }
            return 1;
        }
        break;
    case 'r':
        if (std::strcmp(name, "requires_grad") == 0) {
            lua_pushboolean(L, tensor.requires_grad());
            return 1;
        }
        break;
    case 'i':
        if (std::strcmp(name, "is_leaf") == 0) {
            lua_pushboolean(L, tensor.is_leaf());
            return 1;
        }
        if (std::strcmp(name, "is_cuda") == 0) {
            lua_pushboolean(L, tensor.is_cuda());
            return 1;
        }
        break;
    case 'n':
        if (std::strcmp(name, "ndim") == 0) {
            lua_pushinteger(L, tensor.dim());
            return 1;
        }
        break;
    case 'T':
        if (name[1] == '\0') {
            std::vector<int64_t> dims;
            for (int64_t d = tensor.dim() - 1; d >= 0; --d)
                dims.push_back(d);
            pushTensor(L, tensor.permute(dims));
            return 1;
        }
        break;
    case 'm':
        if (std::strcmp(name, "mT") == 0) {
            pushTensor(L, tensor.transpose(-2, -1));
            return 1;
        }
        break;
    }
    return 0;
}

} // namespace

// __index: methods first (one raw lookup), then properties, then indexing.
int tensorIndex(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TSTRING) {
        // Methods need no handle: a freed tensor still finds them, and they raise.
        if (!isTensor(L, 1))
            return luaL_typeerror(L, 1, "Tensor");
        lua_pushvalue(L, 2);
        if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
            return 1;
        lua_pop(L, 1);
    }
    const at::Tensor tensor = checkTensor(L, 1);
    if (lua_type(L, 2) == LUA_TSTRING) {
        const char *name = lua_tostring(L, 2);
        const int pushed = guarded(L, [&] { return pushProperty(L, tensor, name); });
        if (pushed || !looksLikeIndex(name)) {
            if (!pushed)
                lua_pushnil(L);
            return 1;
        }
    }
    if (lua_type(L, 2) == LUA_TNUMBER && lua_isinteger(L, 2)) {
        const int64_t i = lua_tointeger(L, 2);
        return guarded(L, [&] {
            pushTensor(L, tensor.select(0, i));
            return 1;
        });
    }
    const std::vector<TensorIndex> indices = parseIndex(L, 2);
    return guarded(L, [&] {
        pushTensor(L, tensor.index(indices));
        return 1;
    });
}

// __newindex: t.requires_grad = true, t.grad = nil, t[i] = v, t[mask] = 0.
int tensorNewIndex(lua_State *L)
{
    at::Tensor tensor = checkTensor(L, 1);
    if (lua_type(L, 2) == LUA_TSTRING && !looksLikeIndex(lua_tostring(L, 2))) {
        const char *name = lua_tostring(L, 2);
        if (std::strcmp(name, "requires_grad") == 0) {
            const bool requires = lua_toboolean(L, 3);
            return guarded(L, [&] {
                tensor.requires_grad_(requires);
                return 0;
            });
        }
        if (std::strcmp(name, "grad") == 0) {
            at::Tensor grad = lua_isnil(L, 3) ? at::Tensor() : checkTensor(L, 3);
            return guarded(L, [&] {
                tensor.mutable_grad() = grad;
                return 0;
            });
        }
        if (std::strcmp(name, "data") == 0) {
            const at::Tensor &data = checkTensor(L, 3);
            return guarded(L, [&] {
                tensor.set_data(data);
                return 0;
            });
        }
        return luaL_error(L, "cannot set '%s' on a Tensor", name);
    }
    const std::vector<TensorIndex> indices = parseIndex(L, 2);
    if (std::optional<at::Tensor> value = testTensor(L, 3)) {
        const at::Tensor source = *value;
        return guarded(L, [&] {
            tensor.index_put_(indices, source);
            return 0;
        });
    }
    at::Scalar value;
    if (lua_isboolean(L, 3))
        value = bool(lua_toboolean(L, 3));
    else if (lua_isinteger(L, 3))
        value = int64_t(lua_tointeger(L, 3));
    else if (lua_type(L, 3) == LUA_TNUMBER)
        value = lua_tonumber(L, 3);
    else
        return luaL_typeerror(L, 3, "Tensor or number");
    return guarded(L, [&] {
        tensor.index_put_(indices, value);
        return 0;
    });
}

} // namespace kiln::lua
