#pragma once

#include <QStringList>

struct lua_State;

namespace kiln::lua {

// Wraps every entry kiln/signatures.lua lists in the check described in
// luaarguments.cpp. Returns the entries it could not find (a bug in Kiln: the
// list and the API disagree; tst_apireference fails on it).
QStringList installArgumentChecks(lua_State *L);

} // namespace kiln::lua
