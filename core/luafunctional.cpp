#include "luatensor_p.h"

namespace kiln::lua {

void openFunctional(lua_State *)
{
}

} // namespace kiln::lua
