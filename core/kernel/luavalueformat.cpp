#include "kernel/luavalueformat_p.h"

#include <QStringList>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <vector>

namespace kiln {

namespace {

bool isIdentifier(const char *s, size_t len)
{
    static const char *const kKeywords[] = {
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if",
        "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while"};
    if (len == 0 || !(std::isalpha(uchar(s[0])) || s[0] == '_'))
        return false;
    for (size_t i = 1; i < len; ++i) {
        if (!(std::isalnum(uchar(s[i])) || s[i] == '_'))
            return false;
    }
    for (const char *keyword : kKeywords) {
        if (std::strlen(keyword) == len && std::memcmp(keyword, s, len) == 0)
            return false;
    }
    return true;
}

QString quoteString(const char *s, size_t len, int maxLength)
{
    QString out;
    out.reserve(int(std::min<size_t>(len, size_t(maxLength))) + 2);
    out += QLatin1Char('"');
    const QString text = QString::fromUtf8(s, qsizetype(std::min<size_t>(len, size_t(maxLength))));
    for (QChar c : text) {
        switch (c.unicode()) {
        case '"': out += QLatin1String("\\\""); break;
        case '\\': out += QLatin1String("\\\\"); break;
        case '\n': out += QLatin1String("\\n"); break;
        case '\r': out += QLatin1String("\\r"); break;
        case '\t': out += QLatin1String("\\t"); break;
        case 0: out += QLatin1String("\\0"); break;
        default:
            if (c.unicode() < 0x20)
                out += QStringLiteral("\\%1").arg(c.unicode());
            else
                out += c;
        }
    }
    out += QLatin1Char('"');
    if (len > size_t(maxLength))
        out += QStringLiteral("... (%1 bytes)").arg(len);
    return out;
}

class Formatter
{
public:
    Formatter(lua_State *L, const ValueFormatLimits &limits) : L(L), mLimits(limits)
    {
        lua_newtable(L);  // tables on the current path, for cycle detection
        mSeen = lua_gettop(L);
    }
    ~Formatter() { lua_remove(L, mSeen); }

    QString format(int index, int depth, int indent)
    {
        index = lua_absindex(L, index);
        switch (lua_type(L, index)) {
        case LUA_TSTRING: {
            size_t len = 0;
            const char *s = lua_tolstring(L, index, &len);
            return quoteString(s, len, mLimits.maxStringLength);
        }
        case LUA_TTABLE: {
            // Ordered tables (state dicts, kiln.ordered) show their entries in order.
            const int keysType = luaL_getmetafield(L, index, "__keys");
            if (keysType == LUA_TTABLE) {
                const int keys = lua_gettop(L);
                const QString text = formatTable(index, depth, indent, keys);
                lua_remove(L, keys);
                return text;
            }
            if (keysType != LUA_TNIL)
                lua_pop(L, 1);
            if (!luaL_getmetafield(L, index, "__tostring") && !luaL_getmetafield(L, index, "__name"))
                return formatTable(index, depth, indent);
            lua_pop(L, 1);
            return viaTostring(index);
        }
        default:
            return viaTostring(index);
        }
    }

private:
    QString viaTostring(int index)
    {
        size_t len = 0;
        const char *s = luaL_tolstring(L, index, &len);
        QString text = QString::fromUtf8(s, qsizetype(len));
        lua_pop(L, 1);
        return text;
    }

    struct Entry
    {
        QString key;
        QString value;
    };

    QString formatKey(int keyIndex)
    {
        if (lua_type(L, keyIndex) == LUA_TSTRING) {
            size_t len = 0;
            const char *s = lua_tolstring(L, keyIndex, &len);
            if (isIdentifier(s, len))
                return QString::fromUtf8(s, qsizetype(len));
        }
        return QLatin1Char('[') + format(keyIndex, mLimits.maxDepth, 0) + QLatin1Char(']');
    }

    // `orderedKeys`: the stack index of an ordered table's key array, or 0.
    QString formatTable(int index, int depth, int indent, int orderedKeys = 0)
    {
        lua_pushvalue(L, index);
        if (lua_rawget(L, mSeen) != LUA_TNIL) {
            lua_pop(L, 1);
            return QStringLiteral("<cycle>");
        }
        lua_pop(L, 1);
        if (depth >= mLimits.maxDepth)
            return QStringLiteral("{...}");

        lua_pushvalue(L, index);
        lua_pushboolean(L, 1);
        lua_rawset(L, mSeen);

        std::vector<Entry> entries;
        int total = 0;
        if (orderedKeys) {
            const lua_Integer count = lua_Integer(lua_rawlen(L, orderedKeys));
            for (lua_Integer i = 1; i <= count; ++i) {
                lua_rawgeti(L, orderedKeys, i);
                const int keyIndex = lua_gettop(L);
                lua_pushvalue(L, keyIndex);
                if (lua_rawget(L, index) != LUA_TNIL) {
                    ++total;
                    if (int(entries.size()) < mLimits.maxItems)
                        entries.push_back({formatKey(keyIndex), format(-1, depth + 1, indent + 2)});
                }
                lua_pop(L, 2);
            }
            return finishTable(index, entries, total, indent);
        }
        const lua_Integer arrayLength = lua_Integer(lua_rawlen(L, index));
        for (lua_Integer i = 1; i <= arrayLength; ++i) {
            ++total;
            if (int(entries.size()) < mLimits.maxItems) {
                lua_rawgeti(L, index, i);
                entries.push_back({QString(), format(-1, depth + 1, indent + 2)});
                lua_pop(L, 1);
            }
        }
        // The hash part, in a stable order: string keys sorted, then the rest.
        std::vector<Entry> keyed;
        lua_pushnil(L);
        while (lua_next(L, index) != 0) {
            const int keyIndex = lua_gettop(L) - 1;
            const bool inArray = lua_isinteger(L, keyIndex) && lua_tointeger(L, keyIndex) >= 1
                && lua_tointeger(L, keyIndex) <= arrayLength;
            if (!inArray) {
                ++total;
                if (int(keyed.size()) < mLimits.maxItems * 4)
                    keyed.push_back({formatKey(keyIndex), format(-1, depth + 1, indent + 2)});
            }
            lua_pop(L, 1);
        }
        std::stable_sort(keyed.begin(), keyed.end(), [](const Entry &a, const Entry &b) {
            const bool aBracket = a.key.startsWith(QLatin1Char('['));
            const bool bBracket = b.key.startsWith(QLatin1Char('['));
            if (aBracket != bBracket)
                return !aBracket;
            return a.key < b.key;
        });
        for (Entry &entry : keyed) {
            if (int(entries.size()) >= mLimits.maxItems)
                break;
            entries.push_back(std::move(entry));
        }

        return finishTable(index, entries, total, indent);
    }

    // Clears the cycle mark and lays the entries out on one line or several.
    QString finishTable(int index, const std::vector<Entry> &entries, int total, int indent)
    {
        lua_pushvalue(L, index);
        lua_pushnil(L);
        lua_rawset(L, mSeen);

        if (entries.empty())
            return QStringLiteral("{}");
        QStringList parts;
        for (const Entry &entry : entries)
            parts.append(entry.key.isEmpty() ? entry.value : entry.key + QLatin1String(" = ") + entry.value);
        if (total > int(entries.size()))
            parts.append(QStringLiteral("... (%1 more)").arg(total - int(entries.size())));

        const QString oneLine = QLatin1String("{") + parts.join(QLatin1String(", ")) + QLatin1String("}");
        if (indent + oneLine.size() <= mLimits.lineWidth && !oneLine.contains(QLatin1Char('\n')))
            return oneLine;
        const QString pad(indent + 2, QLatin1Char(' '));
        return QLatin1String("{\n") + pad + parts.join(QLatin1String(",\n") + pad) + QLatin1Char('\n')
            + QString(indent, QLatin1Char(' ')) + QLatin1Char('}');
    }

    lua_State *L;
    ValueFormatLimits mLimits;
    int mSeen;
};

} // namespace

QString formatLuaValue(lua_State *L, int index, const ValueFormatLimits &limits)
{
    index = lua_absindex(L, index);
    luaL_checkstack(L, 2 * limits.maxDepth + 20, "value too deep to display");
    Formatter formatter(L, limits);
    return formatter.format(index, 0, 0);
}

} // namespace kiln
