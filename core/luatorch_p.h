#pragma once

// Internal to core: the `torch` Lua module (tensors). Includes Lua; torch stays in the .cpp.
#include <lua.hpp>

namespace kiln {

// Registers the global `torch` table in L. The interrupt check of long-running
// bindings reads the session's flag through `interrupted`.
void openTorch(lua_State *L, bool (*interrupted)(lua_State *));

} // namespace kiln
