#pragma once

// Internal to the command-line commands (cli.cpp, predictcli.cpp).
#include <QString>

#include <cstdio>

namespace kiln::cli {

// UTF-8 to a stream, flushed at once (progress and errors interleave with output).
void writeTo(FILE *stream, const QString &text);
// "kiln[ COMMAND]: message" and the help hint on stderr; returns ExitUsage.
int usageError(const QString &message, const QString &command = QString());

} // namespace kiln::cli
