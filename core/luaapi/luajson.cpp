#include "luaapi/luatorch_p.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

// json: JSON text to Lua values and back, as Python's json module does (a model's
// config.json, a tokenizer's settings, a run's records).

namespace kiln::lua {

namespace {

constexpr int kMaxDepth = 200;

// JSON null: a sentinel table, so that arrays keep their length.
int nullKey = 0;

void pushNull(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &nullKey);
}

void pushValue(lua_State *L, const QJsonValue &value, int depth)
{
    if (depth > kMaxDepth)
        luaL_error(L, "json.decode: nested deeper than %d", kMaxDepth);
    luaL_checkstack(L, 4, "json.decode");
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        pushNull(L);
        break;
    case QJsonValue::Bool:
        lua_pushboolean(L, value.toBool());
        break;
    case QJsonValue::Double: {
        // Whole numbers that fit come back as Lua integers, as Python's ints do.
        const double number = value.toDouble();
        if (std::floor(number) == number && std::fabs(number) < 9007199254740992.0)
            lua_pushinteger(L, lua_Integer(number));
        else
            lua_pushnumber(L, number);
        break;
    }
    case QJsonValue::String: {
        const QByteArray text = value.toString().toUtf8();  // may hold NUL: \u0000
        lua_pushlstring(L, text.constData(), size_t(text.size()));
        break;
    }
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        lua_createtable(L, int(array.size()), 0);
        for (int i = 0; i < array.size(); ++i) {
            pushValue(L, array.at(i), depth + 1);
            lua_rawseti(L, -2, i + 1);
        }
        break;
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        lua_createtable(L, 0, int(object.size()));
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QByteArray key = it.key().toUtf8();
            lua_pushlstring(L, key.constData(), size_t(key.size()));
            pushValue(L, it.value(), depth + 1);
            lua_rawset(L, -3);
        }
        break;
    }
    }
}

int decodeText(lua_State *L, const QByteArray &text, const char *what)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        return luaL_error(L, "%s: %s at byte %d", what, error.errorString().toUtf8().constData(), int(error.offset));
    if (document.isArray())
        pushValue(L, document.array(), 0);
    else
        pushValue(L, document.object(), 0);
    return 1;
}

// json.decode(text) -> a table (objects and arrays; JSON null is json.null)
int decode(lua_State *L)
{
    size_t length = 0;
    const char *text = luaL_checklstring(L, 1, &length);
    return decodeText(L, QByteArray(text, qsizetype(length)), "json.decode");
}

// json.load(path) -> the file's JSON as a table
int load(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    QFile file(QString::fromUtf8(path));
    if (!file.open(QIODevice::ReadOnly))
        return luaL_error(L, "json.load: cannot read %s: %s", path, file.errorString().toUtf8().constData());
    constexpr qint64 kMaxSize = qint64(512) << 20;
    if (file.size() > kMaxSize)
        return luaL_error(L, "json.load: %s is larger than 512 MB", path);
    return decodeText(L, file.readAll(), QStringLiteral("json.load: %1").arg(QString::fromUtf8(path)).toUtf8().constData());
}

QJsonValue toValue(lua_State *L, int index, int depth);

QJsonValue tableToValue(lua_State *L, int index, int depth)
{
    // An array when its keys are exactly 1..n; otherwise an object with string keys.
    const lua_Integer n = lua_Integer(lua_rawlen(L, index));
    lua_Integer count = 0;
    bool stringKeys = true;
    lua_pushnil(L);
    while (lua_next(L, index)) {
        ++count;
        if (lua_type(L, -2) != LUA_TSTRING)
            stringKeys = false;
        lua_pop(L, 1);
    }
    if (count == n && (n > 0 || count == 0)) {
        QJsonArray array;
        for (lua_Integer i = 1; i <= n; ++i) {
            lua_rawgeti(L, index, i);
            array.append(toValue(L, lua_gettop(L), depth + 1));
            lua_pop(L, 1);
        }
        return array;
    }
    if (!stringKeys)
        luaL_error(L, "json.encode: a table mixes array items and keys, or has non-string keys");
    QJsonObject object;
    lua_pushnil(L);
    while (lua_next(L, index)) {
        const QString key = QString::fromUtf8(lua_tostring(L, -2));
        object.insert(key, toValue(L, lua_gettop(L), depth + 1));
        lua_pop(L, 1);
    }
    return object;
}

QJsonValue toValue(lua_State *L, int index, int depth)
{
    if (depth > kMaxDepth)
        luaL_error(L, "json.encode: nested deeper than %d (a table that contains itself?)", kMaxDepth);
    luaL_checkstack(L, 4, "json.encode");
    switch (lua_type(L, index)) {
    case LUA_TNIL:
        return QJsonValue(QJsonValue::Null);
    case LUA_TBOOLEAN:
        return bool(lua_toboolean(L, index));
    case LUA_TNUMBER:
        if (lua_isinteger(L, index))
            return double(lua_tointeger(L, index));
        if (!std::isfinite(lua_tonumber(L, index)))
            luaL_error(L, "json.encode: %s is not a JSON number", lua_tostring(L, index));
        return lua_tonumber(L, index);
    case LUA_TSTRING: {
        size_t length = 0;
        const char *text = lua_tolstring(L, index, &length);
        return QString::fromUtf8(text, qsizetype(length));
    }
    case LUA_TTABLE:
        lua_rawgetp(L, LUA_REGISTRYINDEX, &nullKey);
        if (lua_rawequal(L, -1, index)) {
            lua_pop(L, 1);
            return QJsonValue(QJsonValue::Null);
        }
        lua_pop(L, 1);
        return tableToValue(L, index, depth);
    default:
        luaL_error(L, "json.encode: a %s has no JSON form", luaL_typename(L, index));
        return {};
    }
}

// json.encode(value, {indent}) -> JSON text
int encode(lua_State *L)
{
    luaL_checkany(L, 1);
    bool indent = false;
    if (lua_istable(L, 2)) {
        lua_getfield(L, 2, "indent");
        indent = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    const QJsonValue value = toValue(L, 1, 0);
    QByteArray text;
    if (value.isObject())
        text = QJsonDocument(value.toObject()).toJson(indent ? QJsonDocument::Indented : QJsonDocument::Compact);
    else if (value.isArray())
        text = QJsonDocument(value.toArray()).toJson(indent ? QJsonDocument::Indented : QJsonDocument::Compact);
    else  // a lone value: wrapped in an array to write it, then unwrapped
        text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
    lua_pushlstring(L, text.constData(), size_t(text.size()));
    return 1;
}

const luaL_Reg kFunctions[] = {{"decode", decode}, {"encode", encode}, {"load", load}, {nullptr, nullptr}};

} // namespace

void openJson(lua_State *L)
{
    luaL_newlib(L, kFunctions);
    lua_newtable(L);
    lua_newtable(L);
    lua_pushliteral(L, "json.null");
    lua_setfield(L, -2, "__name");
    lua_pushcfunction(L, [](lua_State *state) {
        lua_pushliteral(state, "json.null");
        return 1;
    });
    lua_setfield(L, -2, "__tostring");
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &nullKey);
    lua_setfield(L, -2, "null");
    lua_setglobal(L, "json");
}

} // namespace kiln::lua
