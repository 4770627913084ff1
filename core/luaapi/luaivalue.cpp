#include "luaapi/luaserialize_p.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

// TorchScript values and Lua values, both ways: what torch.load returns, what
// a ScriptModule's methods take and give, and the outputs torch.jit.trace
// records. Lua tables become lists, tuples or dicts as the schema (or, without
// one, the table's shape) says.

namespace kiln::lua {

namespace {

c10::TypePtr commonType(const std::vector<c10::IValue> &items)
{
    c10::TypePtr type;
    for (const c10::IValue &item : items) {
        const c10::TypePtr itemType = item.type();
        if (!type) {
            type = itemType;
        } else if (*type != *itemType) {
            auto unified = c10::unifyTypes(type, itemType);
            type = unified ? *unified : c10::AnyType::get();
        }
    }
    return type ? type : c10::TensorType::get();
}

} // namespace

// Tuples and lists become arrays, dicts ordered tables, None nil.
void pushIValue(lua_State *L, const c10::IValue &value, int depth)
{
    if (depth > kMaxDepth)
        fail("value nested too deeply (is there a cycle?)");
    luaL_checkstack(L, 6, "value nested too deeply");
    if (value.isNone()) {
        lua_pushnil(L);
    } else if (value.isTensor()) {
        pushTensor(L, value.toTensor());
    } else if (value.isBool()) {
        lua_pushboolean(L, value.toBool());
    } else if (value.isInt()) {
        lua_pushinteger(L, value.toInt());
    } else if (value.isDouble()) {
        lua_pushnumber(L, value.toDouble());
    } else if (value.isString()) {
        const std::string &text = value.toStringRef();
        lua_pushlstring(L, text.data(), text.size());
    } else if (value.isTuple() || value.isList()) {
        const bool tuple = value.isTuple();
        const std::vector<c10::IValue> items = tuple ? value.toTupleRef().elements().vec() : value.toListRef().vec();
        lua_createtable(L, int(items.size()), 0);
        for (size_t i = 0; i < items.size(); ++i) {
            pushIValue(L, items[i], depth + 1);
            lua_rawseti(L, -2, lua_Integer(i + 1));
        }
    } else if (value.isGenericDict()) {
        pushOrderedTable(L);
        for (const auto &entry : value.toGenericDict()) {
            const c10::IValue &key = entry.key();
            if (!key.isString() && !key.isInt() && !key.isDouble() && !key.isBool())
                fail("dict keys must be strings, numbers or booleans");
            pushIValue(L, key, depth + 1);
            pushIValue(L, entry.value(), depth + 1);
            lua_settable(L, -3);  // through __newindex, which records the order
        }
    } else if (value.isObject() && value.toObjectRef().type()->is_module()) {
        pushScriptModule(L, torch::jit::Module(value.toObject()));
    } else if (value.isDevice()) {
        const std::string text = value.toDevice().str();
        lua_pushlstring(L, text.data(), text.size());
    } else {
        fail(std::string("cannot turn a TorchScript ") + value.tagKind() + " into a Lua value");
    }
}

// A Lua value as the IValue `expected` calls for; without a type (or Any) the
// value decides: arrays become lists (tuples when `arraysAsTuples`, for traced
// outputs), string-keyed tables dicts.
c10::IValue toIValue(lua_State *L, int index, const c10::TypePtr &expected, bool arraysAsTuples, int depth)
{
    if (depth > kMaxDepth)
        fail("table nested too deeply (is there a cycle?)");
    luaL_checkstack(L, 6, "table nested too deeply");
    index = lua_absindex(L, index);
    c10::TypePtr type = expected;
    if (type && type->kind() == c10::TypeKind::OptionalType) {
        if (lua_isnil(L, index))
            return c10::IValue();
        type = type->expectRef<c10::OptionalType>().getElementType();
    }
    if (type && type->kind() == c10::TypeKind::AnyType)
        type = nullptr;
    const auto mismatch = [&]() -> c10::IValue {
        fail(std::string("expected ") + (type ? type->annotation_str() : std::string("a value")) + ", got "
             + luaL_typename(L, index));
    };
    switch (lua_type(L, index)) {
    case LUA_TNIL:
        return c10::IValue();
    case LUA_TBOOLEAN:
        return bool(lua_toboolean(L, index));
    case LUA_TNUMBER:
        if (type && type->kind() == c10::TypeKind::FloatType)
            return double(lua_tonumber(L, index));
        if (lua_isinteger(L, index))
            return int64_t(lua_tointeger(L, index));
        if (type && type->kind() == c10::TypeKind::IntType)
            mismatch();
        return double(lua_tonumber(L, index));
    case LUA_TSTRING:
        return std::string(lua_tostring(L, index));
    case LUA_TUSERDATA:
        if (std::optional<at::Tensor> tensor = testTensor(L, index))
            return *tensor;
        return mismatch();
    case LUA_TTABLE:
        break;
    default:
        return mismatch();
    }

    const c10::TypeKind kind = type ? type->kind() : c10::TypeKind::AnyType;
    const bool wantsDict = kind == c10::TypeKind::DictType;
    const bool wantsSequence = kind == c10::TypeKind::ListType || kind == c10::TypeKind::TupleType;
    const lua_Integer length = lua_Integer(lua_rawlen(L, index));
    bool asDict = wantsDict || (!wantsSequence && (isOrdered(L, index) || length == 0));
    if (!wantsDict && !wantsSequence && length == 0) {
        lua_pushnil(L);
        asDict = lua_next(L, index) != 0;  // an empty table is an empty list
        if (asDict)
            lua_pop(L, 2);
    }

    if (asDict) {
        const c10::TypePtr keyType = wantsDict ? type->containedType(0) : nullptr;
        const c10::TypePtr valueType = wantsDict ? type->containedType(1) : nullptr;
        std::vector<std::pair<c10::IValue, c10::IValue>> entries;
        std::vector<std::string> keys;
        if (isOrdered(L, index)) {
            tableKeys(L, index, keys);
            for (const std::string &key : keys) {
                lua_pushlstring(L, key.data(), key.size());
                lua_rawget(L, index);
                entries.emplace_back(c10::IValue(key), toIValue(L, -1, valueType, arraysAsTuples, depth + 1));
                lua_pop(L, 1);
            }
        } else {
            lua_pushnil(L);
            while (lua_next(L, index)) {
                c10::IValue key = toIValue(L, -2, keyType, arraysAsTuples, depth + 1);
                entries.emplace_back(std::move(key), toIValue(L, -1, valueType, arraysAsTuples, depth + 1));
                lua_pop(L, 1);
            }
            // Lua's traversal order is arbitrary; sort for a stable dict: numbers
            // first, then strings.
            std::sort(entries.begin(), entries.end(), [](const auto &a, const auto &b) {
                const bool aString = a.first.isString(), bString = b.first.isString();
                if (aString != bString)
                    return bString;
                if (aString)
                    return a.first.toStringRef() < b.first.toStringRef();
                const auto number = [](const c10::IValue &v) {
                    return v.isInt() ? double(v.toInt()) : v.isDouble() ? v.toDouble() : double(v.isBool() && v.toBool());
                };
                return number(a.first) < number(b.first);
            });
        }
        std::vector<c10::IValue> keyValues, values;
        for (const auto &entry : entries) {
            keyValues.push_back(entry.first);
            values.push_back(entry.second);
        }
        c10::impl::GenericDict dict(keyType ? keyType : commonType(keyValues),
                                    valueType ? valueType : commonType(values));
        for (auto &entry : entries)
            dict.insert_or_assign(std::move(entry.first), std::move(entry.second));
        return dict;
    }

    std::vector<c10::IValue> items;
    for (lua_Integer i = 1; i <= length; ++i) {
        lua_rawgeti(L, index, i);
        c10::TypePtr itemType;
        if (kind == c10::TypeKind::ListType)
            itemType = type->containedType(0);
        else if (kind == c10::TypeKind::TupleType && size_t(i - 1) < type->containedTypes().size())
            itemType = type->containedType(size_t(i - 1));
        items.push_back(toIValue(L, -1, itemType, arraysAsTuples, depth + 1));
        lua_pop(L, 1);
    }
    if (kind == c10::TypeKind::TupleType || (kind != c10::TypeKind::ListType && arraysAsTuples))
        return c10::ivalue::Tuple::create(std::move(items));
    c10::impl::GenericList list(kind == c10::TypeKind::ListType ? type->containedType(0) : commonType(items));
    for (c10::IValue &item : items)
        list.push_back(std::move(item));
    return list;
}

} // namespace kiln::lua
