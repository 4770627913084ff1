#pragma once

#include <QByteArray>
#include <QStringList>

namespace kiln {

// The globals a compiled Lua 5.4 chunk reads and writes, found by walking its
// bytecode (as written by lua_dump without stripping) for GETTABUP/SETTABUP on
// the _ENV upvalue, nested functions included. Costs nothing at run time.
struct GlobalAccess
{
    QStringList reads;
    QStringList writes;
    bool valid = false;  // false when the dump was not understood
};

GlobalAccess scanGlobalAccess(const QByteArray &dump);

} // namespace kiln
