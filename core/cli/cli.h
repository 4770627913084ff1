#pragma once

#include <QString>
#include <QStringList>

namespace kiln::cli {

// Exit codes of every kiln command.
enum ExitCode { ExitOk = 0, ExitFailed = 1, ExitUsage = 2, ExitInterrupted = 130 };

// What the command line asks for; main() creates the matching application object.
struct Command
{
    enum class Kind { Gui, Run, Inspect, Predict, Train, Hub, Version, Help, Error };
    Kind kind = Kind::Gui;
    QStringList arguments;  // for Run, Inspect, Predict, Train and Hub: everything after the command word
    QString notebook;       // for Gui: the file to open, may be empty
    QString error;          // for Error: one line for stderr
    int threads = 0;        // for Gui: --threads N, 0 for libtorch's default
};

Command parse(const QStringList &arguments);
QString usage();

// `kiln run NOTEBOOK [--output OUT] [--timeout SECONDS]`. Needs a QCoreApplication.
int run(const QStringList &arguments);

// `kiln inspect MODEL [--json] [--timeout SECONDS] [--memory MIB]`: reads the
// model in a child process (this binary with --in-process) under a time and an
// address-space limit, since a malformed file can hang libtorch's loader or
// exhaust memory. Needs a QCoreApplication.
int inspect(const QStringList &arguments);

// `kiln predict MODEL INPUT... [options]` (predictcli.cpp). Needs a QCoreApplication.
int predict(const QStringList &arguments);

// `kiln train --data FILE.csv --target COLUMN [options]` (traincli.cpp): trains a
// built-in model headless and prints one line per epoch.
int train(const QStringList &arguments);

// `kiln hub download REPO [--revision R] [--include PATTERN]`, `kiln hub ls`,
// `kiln hub rm REPO` (hubcli.cpp): the Hugging Face cache. Needs a QCoreApplication.
int hub(const QStringList &arguments);

} // namespace kiln::cli
