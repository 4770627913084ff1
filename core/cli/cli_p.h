#pragma once

// Internal to the command-line commands (cli.cpp, predictcli.cpp).
#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <QString>

#include <cstdio>

namespace kiln::cli {

// UTF-8 to a stream, flushed at once (progress and errors interleave with output).
void writeTo(FILE *stream, const QString &text);
// "kiln[ COMMAND]: message" and the help hint on stderr; returns ExitUsage.
int usageError(const QString &message, const QString &command = QString());

// --device and --threads, which every command that runs libtorch takes.
QList<QCommandLineOption> engineOptions();
// Applies --threads and checks --device against this machine (canonical name into
// *device, "cpu" by default). Returns ExitOk, else the exit code after one line on
// stderr: 2 for a malformed value, 1 for a device this machine does not have.
int applyEngineOptions(const QCommandLineParser &parser, const QString &command, QString *device);

} // namespace kiln::cli
