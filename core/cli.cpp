#include "cli.h"

#include "notebookformat.h"
#include "runtime.h"
#include "versioninfo.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSocketNotifier>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace kiln::cli {

namespace {

void writeTo(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

// Ctrl-C: the handler only writes a byte; the event loop does the rest. A second
// Ctrl-C, for a cell stuck in a long native call, leaves at once.
int gSignalPipe[2] = {-1, -1};
volatile std::sig_atomic_t gSignalCount = 0;

void onSigint(int)
{
    if (++gSignalCount > 1)
        _exit(ExitInterrupted);
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(gSignalPipe[1], &byte, 1);
}

// Runs the code cells of one notebook in order on a Runtime.
class NotebookRun : public QObject
{
public:
    NotebookRun(const QString &path, const NotebookContent &content, int timeoutSeconds)
        : mPath(path), mContent(content), mTimeoutSeconds(timeoutSeconds)
    {
        mRuntime.setNotebookDirectory(QFileInfo(path).absolutePath());
        connect(&mRuntime, &Runtime::outputReady, this, &NotebookRun::onOutput);
        connect(&mRuntime, &Runtime::finished, this, &NotebookRun::onFinished);
        mTimeout.setSingleShot(true);
        connect(&mTimeout, &QTimer::timeout, this, [this] {
            mTimedOut = true;
            mRuntime.interrupt();
        });
    }

    void start() { next(); }
    void interrupt()
    {
        mUserInterrupted = true;
        mRuntime.interrupt();
        mRuntime.cancelPending();
    }
    int exitCode() const { return mExitCode; }
    const NotebookContent &content() const { return mContent; }

private:
    void next()
    {
        while (++mCurrent < mContent.cells.size()) {
            Cell &cell = mContent.cells[mCurrent];
            if (cell.kind != CellKind::Code)
                continue;
            cell.outputs.clear();
            ++mCodeCellNumber;
            writeTo(stdout, QStringLiteral("── cell %1 · %2:%3 ──\n")
                                .arg(mCodeCellNumber)
                                .arg(QFileInfo(mPath).fileName())
                                .arg(cell.sourceLine));
            mAtLineStart = true;
            if (mTimeoutSeconds > 0)
                mTimeout.start(mTimeoutSeconds * 1000);
            mRuntime.evaluate(cell.id, cell.source);
            return;
        }
        QCoreApplication::exit(mExitCode);
    }

    void onOutput(const QString &, const OutputList &items)
    {
        Cell &cell = mContent.cells[mCurrent];
        for (const OutputItem &item : items) {
            cell.outputs.append(item);
            if (item.kind == OutputItem::Kind::Error)
                continue;  // reported on stderr when the cell finishes
            QString text = item.text;
            if (item.kind != OutputItem::Kind::Text) {
                if (!mAtLineStart)
                    text.prepend(QLatin1Char('\n'));
                text += QLatin1Char('\n');
            }
            if (!text.isEmpty()) {
                writeTo(stdout, text);
                mAtLineStart = text.endsWith(QLatin1Char('\n'));
            }
        }
    }

    void onFinished(const QString &, quint64, const EvalResult &result)
    {
        mTimeout.stop();
        if (!mAtLineStart)
            writeTo(stdout, QStringLiteral("\n"));
        const Cell &cell = mContent.cells[mCurrent];
        // The line in the .kiln.md file: the cell's first line plus the line within it.
        const int fileLine = result.error.line > 0 ? cell.sourceLine + result.error.line - 1
                                                   : qMax(1, cell.sourceLine - 1);
        const QString where = QStringLiteral("%1:%2: ").arg(mPath).arg(fileLine);
        switch (result.status) {
        case EvalResult::Status::Ok:
            next();
            return;
        case EvalResult::Status::Error:
            writeTo(stderr, where + result.error.message + QLatin1Char('\n'));
            if (!result.error.traceback.isEmpty())
                writeTo(stderr, result.error.traceback + QLatin1Char('\n'));
            mExitCode = ExitFailed;
            break;
        case EvalResult::Status::Interrupted:
        case EvalResult::Status::Cancelled:
            if (mTimedOut) {
                writeTo(stderr, where + QStringLiteral("cell timed out after %1 s and was interrupted\n")
                                            .arg(mTimeoutSeconds));
                mExitCode = ExitUsage;
            } else {
                writeTo(stderr, where + QStringLiteral("interrupted\n"));
                mExitCode = ExitInterrupted;
            }
            break;
        }
        QCoreApplication::exit(mExitCode);
    }

    QString mPath;
    NotebookContent mContent;
    int mTimeoutSeconds;
    Runtime mRuntime;
    QTimer mTimeout;
    int mCurrent = -1;
    int mCodeCellNumber = 0;
    int mExitCode = ExitOk;
    bool mTimedOut = false;
    bool mUserInterrupted = false;
    bool mAtLineStart = true;
};

int usageError(const QString &message)
{
    writeTo(stderr, QStringLiteral("kiln: %1\nTry 'kiln --help'.\n").arg(message));
    return ExitUsage;
}

} // namespace

QString usage()
{
    return QStringLiteral(
        "Usage:\n"
        "  kiln [NOTEBOOK.kiln.md]        open the notebook window (a new notebook without a file)\n"
        "  kiln run NOTEBOOK.kiln.md [--output OUT.kiln.md] [--timeout SECONDS]\n"
        "                                 run every code cell in order and print the outputs\n"
        "  kiln --version                 versions of Kiln, libtorch, Lua, Qt and the BLAS in use\n"
        "  kiln --help                    this text\n"
        "\n"
        "kiln run exits 0 when every cell succeeds, 1 at the first failing cell (its\n"
        "PATH:LINE: message on stderr), 2 for usage errors and timeouts, 130 on Ctrl-C.\n");
}

Command parse(const QStringList &arguments)
{
    Command command;
    const QStringList args = arguments.mid(1);
    if (args.isEmpty())
        return command;
    const QString &first = args.constFirst();
    if (first == QLatin1String("run")) {
        command.kind = Command::Kind::Run;
        command.arguments = args.mid(1);
        return command;
    }
    if (first == QLatin1String("--version") || first == QLatin1String("-V")) {
        command.kind = Command::Kind::Version;
        return command;
    }
    if (first == QLatin1String("--help") || first == QLatin1String("-h")) {
        command.kind = Command::Kind::Help;
        return command;
    }
    for (const QString &arg : args) {
        if (arg.startsWith(QLatin1Char('-'))) {
            command.kind = Command::Kind::Error;
            command.error = QStringLiteral("unknown option '%1'").arg(arg);
            return command;
        }
    }
    if (args.size() > 1) {
        command.kind = Command::Kind::Error;
        command.error = QStringLiteral("one notebook at a time, got %1 (did you mean 'kiln run'?)").arg(args.size());
        return command;
    }
    if (!QFileInfo(first).isFile()) {
        command.kind = Command::Kind::Error;
        command.error = QStringLiteral("no such notebook: %1").arg(first);
        return command;
    }
    command.notebook = first;
    return command;
}

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption outputOption({QStringLiteral("o"), QStringLiteral("output")},
                                          QStringLiteral("Write the notebook with its outputs to FILE."),
                                          QStringLiteral("FILE"));
    const QCommandLineOption timeoutOption(QStringLiteral("timeout"),
                                           QStringLiteral("Interrupt a cell that runs longer than SECONDS."),
                                           QStringLiteral("SECONDS"));
    const QCommandLineOption helpOption({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show help."));
    parser.addOptions({outputOption, timeoutOption, helpOption});
    if (!parser.parse(QStringList(QStringLiteral("kiln run")) + arguments))
        return usageError(parser.errorText());
    if (parser.isSet(helpOption)) {
        writeTo(stdout, usage());
        return ExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return usageError(positional.isEmpty() ? QStringLiteral("run: which notebook?")
                                               : QStringLiteral("run: one notebook at a time"));
    int timeoutSeconds = 0;
    if (parser.isSet(timeoutOption)) {
        bool ok = false;
        timeoutSeconds = parser.value(timeoutOption).toInt(&ok);
        if (!ok || timeoutSeconds <= 0)
            return usageError(QStringLiteral("--timeout wants a whole number of seconds, got '%1'")
                                  .arg(parser.value(timeoutOption)));
    }

    const QString path = positional.constFirst();
    if (!QFileInfo(path).isFile())
        return usageError(QStringLiteral("no such notebook: %1").arg(path));
    NotebookContent content;
    QString error;
    if (!NotebookFormat::load(path, &content, &error))
        return usageError(error);

    const QString advice = blasAdvice(versionInfo().blas);
    if (!advice.isEmpty())
        writeTo(stderr, QStringLiteral("kiln: warning: ") + advice + QLatin1Char('\n'));

    NotebookRun notebookRun(path, content, timeoutSeconds);

    if (::pipe(gSignalPipe) == 0) {
        auto *notifier = new QSocketNotifier(gSignalPipe[0], QSocketNotifier::Read, &notebookRun);
        QObject::connect(notifier, &QSocketNotifier::activated, &notebookRun, [&notebookRun] {
            char byte;
            [[maybe_unused]] const ssize_t got = ::read(gSignalPipe[0], &byte, 1);
            notebookRun.interrupt();
        });
        std::signal(SIGINT, onSigint);
    }

    QTimer::singleShot(0, &notebookRun, [&notebookRun] { notebookRun.start(); });
    const int exitCode = QCoreApplication::exec();

    if (parser.isSet(outputOption)) {
        NotebookContent withOutputs = notebookRun.content();
        withOutputs.setPersistOutputs(true);
        if (!NotebookFormat::save(parser.value(outputOption), withOutputs, &error)) {
            writeTo(stderr, QStringLiteral("kiln: %1\n").arg(error));
            return exitCode == ExitOk ? ExitFailed : exitCode;
        }
    }
    return exitCode;
}

} // namespace kiln::cli
