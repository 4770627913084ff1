#pragma once

#include <QString>
#include <QStringList>

namespace kiln::cli {

// Exit codes of every kiln command.
enum ExitCode { ExitOk = 0, ExitFailed = 1, ExitUsage = 2, ExitInterrupted = 130 };

// What the command line asks for; main() creates the matching application object.
struct Command
{
    enum class Kind { Gui, Run, Predict, Version, Help, Error };
    Kind kind = Kind::Gui;
    QStringList arguments;  // for Run and Predict: everything after the command word
    QString notebook;       // for Gui: the file to open, may be empty
    QString error;          // for Error: one line for stderr
};

Command parse(const QStringList &arguments);
QString usage();

// `kiln run NOTEBOOK [--output OUT] [--timeout SECONDS]`. Needs a QCoreApplication.
int run(const QStringList &arguments);

// `kiln predict MODEL INPUT... [options]` (predictcli.cpp). Needs a QCoreApplication.
int predict(const QStringList &arguments);

} // namespace kiln::cli
