#include "cli/commandline.h"

#include "cli/cli.h"
#include "cli/cli_p.h"

#include "luaapi/torchruntime.h"

#include <cmath>

namespace kiln::cli {

namespace {

QString dashed(const QString &name)
{
    return (name.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + name;
}

// --device and --threads, which every command that runs libtorch takes.
QList<QCommandLineOption> engineOptions()
{
    return {QCommandLineOption(QStringLiteral("device"),
                               QStringLiteral("Where libtorch computes: cpu (default), cuda or cuda:N."),
                               QStringLiteral("DEVICE"), QStringLiteral("cpu")),
            QCommandLineOption(QStringLiteral("threads"),
                               QStringLiteral("CPU threads for libtorch (default: one per physical core)."),
                               QStringLiteral("N"))};
}

// Applies --threads and checks --device against this machine (canonical name into
// *device, "cpu" by default). Returns ExitOk, else the exit code after one line on
// stderr: 2 for a malformed value, 1 for a device this machine does not have.
int applyEngineOptions(const QCommandLineParser &parser, const QString &command, QString *device)
{
    if (parser.isSet(QStringLiteral("threads"))) {
        bool ok = false;
        const int threads = parser.value(QStringLiteral("threads")).toInt(&ok);
        QString error;
        if (!ok)
            return usageError(QStringLiteral("--threads wants a whole number, got '%1'").arg(parser.value(QStringLiteral("threads"))), command);
        if (!torchruntime::setThreads(threads, &error))
            return usageError(QStringLiteral("--threads: ") + error, command);
    }
    QString error;
    *device = torchruntime::checkDevice(parser.value(QStringLiteral("device")), &error);
    if (device->isEmpty()) {
        const bool malformed = error.startsWith(QLatin1String("unknown device"));
        if (malformed)
            return usageError(QStringLiteral("--device: ") + error, command);
        writeTo(stderr, QStringLiteral("kiln %1: %2\n").arg(command, error));
        return ExitFailed;
    }
    return ExitOk;
}

QString numberText(double value)
{
    return QString::number(value, 'g', 12);
}

} // namespace

CommandLine::CommandLine(const QString &command, const QString &synopsis, bool withEngine)
    : mCommand(command)
    , mSynopsis(synopsis)
    , mHelp({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."))
    , mEngine(withEngine)
{
    mParser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    mParser.addOption(mHelp);
    if (mEngine)
        mParser.addOptions(engineOptions());
}

void CommandLine::addOption(const QCommandLineOption &option)
{
    mParser.addOption(option);
}

void CommandLine::addOptions(const QList<QCommandLineOption> &options)
{
    mParser.addOptions(options);
}

bool CommandLine::parse(const QStringList &arguments)
{
    if (!mParser.parse(QStringList(QStringLiteral("kiln ") + mCommand) + arguments)) {
        const QStringList unknown = mParser.unknownOptionNames();
        if (!unknown.isEmpty())
            usageError(QStringLiteral("unknown option '%1'").arg(dashed(unknown.constFirst())));
        else
            usageError(mParser.errorText());
        return false;
    }
    if (mParser.isSet(mHelp)) {
        // Every option with what it does: more than `kiln --help` has room for.
        QString help = mParser.helpText();
        help.replace(0, help.indexOf(QLatin1Char('\n')), QStringLiteral("Usage: ") + mSynopsis);
        writeTo(stdout, help);
        mStatus = ExitOk;
        return false;
    }
    return true;
}

QString CommandLine::wants(const QCommandLineOption &option, const QString &what)
{
    usageError(QStringLiteral("%1 wants %2, got '%3'").arg(dashed(option.names().constLast()), what, value(option)));
    return QString();
}

std::optional<int> CommandLine::integer(const QCommandLineOption &option, int min, int max, int fallback)
{
    if (!isSet(option) && option.defaultValues().isEmpty())
        return fallback;
    bool ok = false;
    const int result = value(option).trimmed().toInt(&ok);
    if (ok && result >= min && result <= max)
        return result;
    constexpr int kMin = std::numeric_limits<int>::min();
    constexpr int kMax = std::numeric_limits<int>::max();
    QString what = QStringLiteral("a whole number");
    if (min == 1 && max == kMax)
        what = QStringLiteral("a positive whole number");
    else if (min != kMin && max == kMax)
        what += QStringLiteral(" >= %1").arg(min);
    else if (min != kMin)
        what += QStringLiteral(" from %1 to %2").arg(min).arg(max);
    else if (max != kMax)
        what += QStringLiteral(" <= %1").arg(max);
    wants(option, what);
    return std::nullopt;
}

std::optional<double> CommandLine::number(const QCommandLineOption &option, double low, double high,
                                          Interval interval, double fallback)
{
    if (!isSet(option) && option.defaultValues().isEmpty())
        return fallback;
    bool ok = false;
    const double result = value(option).trimmed().toDouble(&ok);
    const bool aboveLow = interval == Interval::Closed ? result >= low : result > low;
    const bool belowHigh = interval == Interval::Open ? result < high : result <= high;
    if (ok && std::isfinite(result) && aboveLow && belowHigh)
        return result;
    QString what = QStringLiteral("a number");
    const bool lowFinite = std::isfinite(low), highFinite = std::isfinite(high);
    if (lowFinite && highFinite && interval == Interval::Open)
        what += QStringLiteral(" between %1 and %2").arg(numberText(low), numberText(high));
    else if (lowFinite && highFinite && interval == Interval::OpenLow)
        what += QStringLiteral(" above %1, at most %2").arg(numberText(low), numberText(high));
    else if (lowFinite && highFinite)
        what += QStringLiteral(" from %1 to %2").arg(numberText(low), numberText(high));
    else if (lowFinite && low == 0 && interval != Interval::Closed)
        what = QStringLiteral("a positive number");
    else if (lowFinite)
        what += QStringLiteral(" %1 %2").arg(interval == Interval::Closed ? QStringLiteral(">=") : QStringLiteral(">"),
                                             numberText(low));
    wants(option, what);
    return std::nullopt;
}

std::optional<QString> CommandLine::choice(const QCommandLineOption &option, const QStringList &choices)
{
    const QString chosen = value(option);
    if (choices.contains(chosen))
        return chosen;
    QString list = choices.mid(0, choices.size() - 1).join(QStringLiteral(", "));
    list += (choices.size() > 1 ? QStringLiteral(" or ") : QString()) + choices.constLast();
    wants(option, list);
    return std::nullopt;
}

std::optional<QList<double>> CommandLine::numberList(const QCommandLineOption &option, bool nonZero)
{
    QList<double> values;
    if (!isSet(option))
        return values;
    bool good = true;
    for (const QString &part : value(option).split(QLatin1Char(','))) {
        bool ok = false;
        const double number = part.trimmed().toDouble(&ok);
        good = good && ok && std::isfinite(number) && !(nonZero && number == 0);
        values.append(number);
    }
    if (good && !values.isEmpty())
        return values;
    wants(option, nonZero ? QStringLiteral("non-zero numbers such as 0.25,0.25,0.25")
                          : QStringLiteral("numbers such as 0.5,0.5,0.5"));
    return std::nullopt;
}

bool CommandLine::applyEngine(QString *device)
{
    mStatus = applyEngineOptions(mParser, mCommand, device);
    return mStatus == ExitOk;
}

int CommandLine::usageError(const QString &message)
{
    mStatus = cli::usageError(message, mCommand);
    return mStatus;
}

} // namespace kiln::cli
