// Argument checks for every API entry that takes an options table, in one place.
//
// PyTorch refuses a keyword it does not know; a Lua options table cannot, by
// itself: a misspelt key is just never read, and the call goes on with the
// default (`{reductoin = "sum"}` returned the mean). kiln/signatures.lua lists,
// for each such entry, its positional parameters and its option names, as
// docs/lua-api.md shows them. At session start every listed entry is wrapped in
// one C closure that checks a call before the entry runs:
//   - the last argument, when it is a plain table with no array part and comes
//     after the required positional arguments, is the options table: each key
//     must be one of the entry's options ("nn.Conv2d: unknown option 'paddng'
//     (did you mean 'padding'?)");
//   - no more positional arguments than the entry takes.
// Methods (`t:add`, `m:to`) count their receiver; classes (`nn.LSTM`) are
// checked in their metatable's __call, which gets the class first.
#include "luaapi/luaarguments.h"

#include <QString>
#include <QStringList>

#include <lua.hpp>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

namespace kiln::lua {

namespace {

// Upvalues of the checking closure.
enum Upvalue {
    Original = 1,   // the entry itself
    Name,           // "nn.Conv2d", for messages
    Accepted,       // {name = true} for each option
    OptionList,     // the option names in order, for messages
    Required,       // positional arguments that must be given (with the receiver)
    MaxPositional,  // at most this many (with the receiver); -1: any number
    ParamText,      // "input, target", for messages
    Receiver,       // 1 for methods and class constructors, else 0
};

int editDistance(const std::string &a, const std::string &b)
{
    std::vector<int> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
        row[j] = int(j);
    for (size_t i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = int(i);
        for (size_t j = 1; j <= b.size(); ++j) {
            const int above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::vector<std::string> stringArray(lua_State *L, int index)
{
    std::vector<std::string> names;
    const lua_Integer count = luaL_len(L, index);
    for (lua_Integer i = 1; i <= count; ++i) {
        lua_rawgeti(L, index, i);
        names.emplace_back(lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    return names;
}

std::string joined(const std::vector<std::string> &names)
{
    std::string text;
    for (const std::string &name : names)
        text += (text.empty() ? "" : ", ") + name;
    return text;
}

int unknownOption(lua_State *L, const char *entry, const std::string &key)
{
    const std::vector<std::string> names = stringArray(L, lua_upvalueindex(OptionList));
    // The closest accepted name when it is close: a typo, a missing underscore.
    std::string best;
    int bestDistance = std::max<int>(2, int(key.size()) / 3) + 1;
    for (const std::string &name : names) {
        const int distance = editDistance(key, name);
        if (distance < bestDistance) {
            best = name;
            bestDistance = distance;
        }
    }
    if (!best.empty())
        return luaL_error(L, "%s: unknown option '%s' (did you mean '%s'?)", entry, key.c_str(), best.c_str());
    return luaL_error(L, "%s: unknown option '%s'; it takes %s", entry, key.c_str(),
                      names.empty() ? "no options" : joined(names).c_str());
}

void checkOptions(lua_State *L, int table, const char *entry)
{
    lua_pushnil(L);
    while (lua_next(L, table) != 0) {
        lua_pop(L, 1);  // the value; the key stays for lua_next
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "%s: the options table has a %s key; options are {name = value}", entry, luaL_typename(L, -1));
        lua_pushvalue(L, -1);
        const bool known = lua_rawget(L, lua_upvalueindex(Accepted)) != LUA_TNIL;
        lua_pop(L, 1);
        if (!known)
            unknownOption(L, entry, lua_tostring(L, -1));
    }
}

// A table in the options position is the options unless it is an object: a
// module or another class instance (a metatable with a __name). Tables with
// other metatables (kiln.ordered, a proxy) are options too, read through Lua.
bool isOptionsTable(lua_State *L, int index)
{
    if (lua_type(L, index) != LUA_TTABLE)
        return false;
    if (lua_getmetatable(L, index)) {
        const bool object = lua_getfield(L, -1, "__name") != LUA_TNIL;
        lua_pop(L, 2);
        if (object)
            return false;
    }
    const bool array = lua_rawgeti(L, index, 1) != LUA_TNIL;
    lua_pop(L, 1);
    return !array;
}

// luaL_argerror cannot name a function that a C function called, so errors
// from inside an entry would say "bad argument #1 to '?'": the entry's name
// goes in, and for methods the receiver is not counted, as Lua counts it.
void nameTheEntry(lua_State *L, const char *entry, bool receiver)
{
    if (lua_type(L, -1) != LUA_TSTRING)
        return;
    std::string message = lua_tostring(L, -1);
    const std::string unnamed = "bad argument #";
    const size_t at = message.find(unnamed);
    const size_t name = message.find(" to '?'", at);
    if (at == std::string::npos || name == std::string::npos)
        return;
    const size_t digits = at + unnamed.size();
    int number = std::atoi(message.c_str() + digits);
    if (receiver)
        --number;
    const std::string rest = message.substr(name + 7);
    message = message.substr(0, at)
        + (number < 1 ? std::string("calling '") + entry + "' on bad self"
                      : unnamed + std::to_string(number) + " to '" + entry + "'")
        + rest;
    lua_pop(L, 1);
    lua_pushstring(L, message.c_str());
}

int checkedCall(lua_State *L)
{
    const int count = lua_gettop(L);
    const char *entry = lua_tostring(L, lua_upvalueindex(Name));
    const int required = int(lua_tointeger(L, lua_upvalueindex(Required)));
    const int maxPositional = int(lua_tointeger(L, lua_upvalueindex(MaxPositional)));
    const bool receiver = lua_tointeger(L, lua_upvalueindex(Receiver)) != 0;
    // Trailing nils are arguments left out (data.batches(ds, nil)).
    int last = count;
    while (last > 0 && lua_isnil(L, last))
        --last;
    int positional = last;
    if (last > required && isOptionsTable(L, last)) {
        positional = last - 1;
        checkOptions(L, last, entry);
    }
    if (maxPositional >= 0 && positional > maxPositional) {
        return luaL_error(L, "%s: too many arguments (%d); it takes %s and then an options table", entry,
                          positional - (receiver ? 1 : 0), lua_tostring(L, lua_upvalueindex(ParamText)));
    }
    lua_pushvalue(L, lua_upvalueindex(Original));
    lua_insert(L, 1);
    if (lua_pcall(L, count, LUA_MULTRET, 0) != LUA_OK) {
        nameTheEntry(L, entry, receiver);
        return lua_error(L);
    }
    return lua_gettop(L);
}

// Pushes the value at a dotted path from the globals ("optim.lr_scheduler.StepLR")
// with its parent table below it; false (nothing pushed) when a part is missing.
bool pushPath(lua_State *L, const QString &path)
{
    const QStringList parts = path.split(QLatin1Char('.'));
    lua_pushglobaltable(L);
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (!lua_istable(L, -1)) {
            lua_pop(L, 1);
            return false;
        }
        const QByteArray part = parts.at(i).toUtf8();
        lua_getfield(L, -1, part.constData());
        if (i + 1 < parts.size())
            lua_remove(L, -2);
    }
    if (lua_isnil(L, -1)) {
        lua_pop(L, 2);
        return false;
    }
    return true;
}

// The type name of the userdata a receiver stands for.
constexpr const char *kTokenizerType = "kiln.Tokenizer";

// The table that holds a receiver's methods: t (torch.Tensor), m (nn.Module),
// tok (a tokenizer's methods, from its metatable).
bool pushReceiverMethods(lua_State *L, const QString &receiver)
{
    if (receiver == QLatin1String("tok")) {
        if (luaL_getmetatable(L, kTokenizerType) != LUA_TTABLE || lua_getfield(L, -1, "__index") != LUA_TTABLE) {
            lua_pop(L, 2);
            return false;
        }
        lua_remove(L, -2);
        return true;
    }
    const QString path = receiver == QLatin1String("t")   ? QStringLiteral("torch.Tensor")
                         : receiver == QLatin1String("m") ? QStringLiteral("nn.Module")
                                                          : QString();
    if (path.isEmpty() || !pushPath(L, path))
        return false;
    lua_remove(L, -2);
    if (lua_istable(L, -1))
        return true;
    lua_pop(L, 1);
    return false;
}

// Replaces field `key` of the table at -1 with the checking closure built from
// the spec at `spec`; pops the table.
void wrapField(lua_State *L, const char *key, const char *entry, int spec, bool receiver)
{
    const int table = lua_gettop(L);
    lua_getfield(L, table, key);
    if (!lua_isfunction(L, -1)) {
        lua_pop(L, 2);
        return;
    }
    lua_pushstring(L, entry);
    lua_newtable(L);
    lua_getfield(L, spec, "options");
    const int options = lua_gettop(L);
    const lua_Integer optionCount = luaL_len(L, options);
    for (lua_Integer i = 1; i <= optionCount; ++i) {
        lua_rawgeti(L, options, i);
        lua_pushboolean(L, 1);
        lua_rawset(L, options - 1);
    }
    lua_getfield(L, spec, "required");
    lua_pushinteger(L, lua_tointeger(L, -1) + (receiver ? 1 : 0));
    lua_remove(L, -2);
    lua_getfield(L, spec, "params");
    const std::vector<std::string> params = stringArray(L, lua_gettop(L));
    lua_pop(L, 1);
    lua_getfield(L, spec, "varargs");
    const bool varargs = lua_toboolean(L, -1);
    lua_pop(L, 1);
    lua_pushinteger(L, varargs ? -1 : lua_Integer(params.size()) + (receiver ? 1 : 0));
    lua_pushstring(L, params.empty() ? "no positional arguments" : joined(params).c_str());
    lua_pushinteger(L, receiver ? 1 : 0);
    lua_pushcclosure(L, checkedCall, 8);
    lua_setfield(L, table, key);
    lua_pop(L, 1);
}

} // namespace

QStringList installArgumentChecks(lua_State *L)
{
    QStringList unresolved;
    lua_getglobal(L, "require");
    lua_pushliteral(L, "kiln.signatures");
    if (lua_pcall(L, 1, 1, 0) != LUA_OK || !lua_istable(L, -1)) {
        unresolved << QStringLiteral("kiln.signatures: %1").arg(QString::fromUtf8(lua_tostring(L, -1)));
        lua_pop(L, 1);
        return unresolved;
    }
    const int signatures = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, signatures) != 0) {
        const int spec = lua_gettop(L);
        const QString name = QString::fromUtf8(lua_tostring(L, -2));
        const QByteArray entry = name.toUtf8();
        bool done = false;
        if (name.contains(QLatin1Char(':'))) {
            const QByteArray method = name.section(QLatin1Char(':'), 1).toUtf8();
            if (pushReceiverMethods(L, name.section(QLatin1Char(':'), 0, 0))) {
                lua_getfield(L, -1, method.constData());
                done = lua_isfunction(L, -1);
                lua_pop(L, 1);
                wrapField(L, method.constData(), entry.constData(), spec, true);
            }
        } else if (name == QLatin1String("tok")) {
            // Calling a tokenizer: its metatable's __call, the tokenizer first.
            if (luaL_getmetatable(L, kTokenizerType) == LUA_TTABLE) {
                lua_getfield(L, -1, "__call");
                done = lua_isfunction(L, -1);
                lua_pop(L, 1);
                wrapField(L, "__call", entry.constData(), spec, true);
            } else {
                lua_pop(L, 1);
            }
        } else if (pushPath(L, name)) {
            if (lua_isfunction(L, -1)) {
                lua_pop(L, 1);  // the parent table stays
                const QByteArray key = name.section(QLatin1Char('.'), -1).toUtf8();
                done = true;
                wrapField(L, key.constData(), entry.constData(), spec, false);
            } else if (lua_istable(L, -1) && lua_getmetatable(L, -1)) {
                // A class, or another callable table: its metatable's __call gets
                // the table itself first.
                lua_remove(L, -3);
                lua_remove(L, -2);
                lua_getfield(L, -1, "__call");
                done = lua_isfunction(L, -1);
                lua_pop(L, 1);
                wrapField(L, "__call", entry.constData(), spec, true);
            } else {
                lua_pop(L, 2);
            }
        }
        if (!done)
            unresolved << name;
        lua_settop(L, spec - 1);  // keep the key for lua_next
    }
    lua_pop(L, 1);
    return unresolved;
}

} // namespace kiln::lua
