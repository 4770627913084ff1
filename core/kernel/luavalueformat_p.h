#pragma once

// Internal to core: includes Lua.
#include <lua.hpp>

#include <QString>

namespace kiln {

struct ValueFormatLimits
{
    int maxDepth = 4;        // nested tables deeper than this show as {...}
    int maxItems = 50;       // entries shown per table before "... N more"
    int lineWidth = 80;      // a table that fits stays on one line
    int maxStringLength = 2000;
};

// Formats the Lua value at `index` for display, the way a REPL shows it: strings
// quoted, tables pretty-printed with cycles marked, values with __tostring as
// their string. May call metamethods, so call it inside a protected call.
QString formatLuaValue(lua_State *L, int index, const ValueFormatLimits &limits = {});

} // namespace kiln
