#pragma once

#include <QString>

namespace kiln {

// A Lua string literal for any text (a path, a name), for code that Kiln writes
// into cells or sends to the runtime.
inline QString luaStringLiteral(const QString &text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
        .replace(QLatin1Char('"'), QLatin1String("\\\""))
        .replace(QLatin1Char('\n'), QLatin1String("\\n"))
        .replace(QLatin1Char('\r'), QLatin1String("\\r"));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

} // namespace kiln
