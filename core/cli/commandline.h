#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <QString>
#include <QStringList>

#include <limits>
#include <optional>

namespace kiln::cli {

// The one option parser behind `kiln run`, `inspect`, `predict` and `train`:
// QCommandLineParser with Kiln's conventions (-h/--help, single-dash words read as
// long options, --device and --threads for commands that run libtorch) and typed
// values checked the same way everywhere. A bad value is a usage error in one
// line, "kiln COMMAND: --NAME wants WHAT, got 'VALUE'", and exit code 2.
//
//   CommandLine line(QStringLiteral("train"), QStringLiteral("kiln train --data DATA [options]"));
//   line.addOptions({epochsOption, ...});
//   if (!line.parse(arguments))
//       return line.status();               // help printed, or a usage error
//   const auto epochs = line.integer(epochsOption, 1);
//   if (!epochs)
//       return line.status();
class CommandLine
{
public:
    // `synopsis` heads the command's --help, which lists every option.
    CommandLine(const QString &command, const QString &synopsis, bool withEngine = true);

    void addOption(const QCommandLineOption &option);
    void addOptions(const QList<QCommandLineOption> &options);

    // False when the command should stop: --help was printed (status() is 0) or
    // the arguments did not parse (status() is 2, the error printed).
    bool parse(const QStringList &arguments);
    int status() const { return mStatus; }

    bool isSet(const QCommandLineOption &option) const { return mParser.isSet(option); }
    QString value(const QCommandLineOption &option) const { return mParser.value(option); }
    QStringList values(const QCommandLineOption &option) const { return mParser.values(option); }
    bool isSet(const QString &name) const { return mParser.isSet(name); }
    QString value(const QString &name) const { return mParser.value(name); }
    QStringList positionalArguments() const { return mParser.positionalArguments(); }

    // The option's value (its default when not given; `fallback` when it has
    // neither) as a whole number in [min, max], or nullopt after a usage error.
    std::optional<int> integer(const QCommandLineOption &option, int min = std::numeric_limits<int>::min(),
                               int max = std::numeric_limits<int>::max(), int fallback = 0);
    // The same for a finite number in [low, high]; OpenLow leaves out `low` (a
    // learning rate > 0), Open both ends (a fraction strictly between 0 and 1).
    enum class Interval { Closed, OpenLow, Open };
    std::optional<double> number(const QCommandLineOption &option, double low, double high,
                                 Interval interval = Interval::Closed, double fallback = 0);
    // One of `choices`.
    std::optional<QString> choice(const QCommandLineOption &option, const QStringList &choices);
    // Comma-separated numbers such as 0.5,0.5,0.5; none zero when `nonZero`.
    std::optional<QList<double>> numberList(const QCommandLineOption &option, bool nonZero = false);

    // Applies --threads and checks --device (see applyEngineOptions); false
    // after the error, with status() set.
    bool applyEngine(QString *device);

    // Prints "kiln COMMAND: message" and the help hint; returns (and keeps) 2.
    int usageError(const QString &message);

private:
    QString wants(const QCommandLineOption &option, const QString &what);

    QString mCommand;
    QString mSynopsis;
    QCommandLineParser mParser;
    QCommandLineOption mHelp;
    bool mEngine;
    int mStatus = 0;
};

} // namespace kiln::cli
