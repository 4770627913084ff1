#include "cli/cli.h"
#include "cli/cli_p.h"

#include "readers/modelinspect.h"
#include "document/notebookformat.h"
#include "document/plotrender.h"
#include "kernel/runtime.h"
#include "luaapi/torchruntime.h"
#include "versioninfo.h"

#include "cli/commandline.h"
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QJsonArray>
#include <QSaveFile>
#include <QSocketNotifier>
#include <QTemporaryDir>
#include <QTimer>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <vector>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <cstdio>
#include <unistd.h>

namespace kiln::cli {

void writeTo(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

int usageError(const QString &message, const QString &command)
{
    const QString prefix = command.isEmpty() ? QStringLiteral("kiln") : QStringLiteral("kiln ") + command;
    writeTo(stderr, QStringLiteral("%1: %2\nTry 'kiln --help'.\n").arg(prefix, message));
    return ExitUsage;
}

namespace {

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
    NotebookRun(const QString &path, const NotebookContent &content, int timeoutSeconds, const QString &artifacts)
        : mPath(path), mContent(content), mTimeoutSeconds(timeoutSeconds), mArtifactsDir(artifacts)
    {
        mRuntime.setNotebookDirectory(QFileInfo(path).absolutePath());
        connect(&mRuntime, &Runtime::outputReady, this, &NotebookRun::onOutput);
        connect(&mRuntime, &Runtime::finished, this, &NotebookRun::onFinished);
        mTimeout.setSingleShot(true);
        connect(&mTimeout, &QTimer::timeout, this, [this] {
            mTimedOut = true;
            mRuntime.interrupt();
        });
        // A cell deaf to the interrupt (one long native call, a finalizer that
        // loops) has its kernel ended: --timeout and Ctrl-C are hard bounds.
        connect(&mRuntime, &Runtime::interruptUnanswered, this, [this] {
            if (mTimedOut || mUserInterrupted)
                mRuntime.forceStop();
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
    // Where plots, images and tables went; empty when the notebook made none.
    QString writtenArtifactsDir() const { return mArtifactsWritten ? mArtifactsDir : QString(); }

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
            appendOutput(cell.outputs, item);
            if (item.kind == OutputItem::Kind::Error)
                continue;  // reported on stderr when the cell finishes
            if (item.kind == OutputItem::Kind::Plot || item.kind == OutputItem::Kind::Table
                || item.kind == OutputItem::Kind::Image)
                continue;  // written as files when the cell finishes (a live plot comes in pieces)
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
        mAtLineStart = true;
        writeArtifacts();
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
                writeTo(stderr, where + QStringLiteral("cell timed out after %1 s and was %2\n")
                                            .arg(mTimeoutSeconds)
                                            .arg(result.error.message.contains(QLatin1String("Force Stop"))
                                                     ? QStringLiteral("stopped with its runtime")
                                                     : QStringLiteral("interrupted")));
                mExitCode = ExitUsage;
            } else {
                writeTo(stderr, where + QStringLiteral("interrupted\n"));
                mExitCode = ExitInterrupted;
            }
            break;
        }
        QCoreApplication::exit(mExitCode);
    }

    // Each plot as PNG plus its points as CSV, each image as PNG, each table as
    // CSV, named after the code cell: cell3-plot1.png, cell3-table1.csv.
    void writeArtifacts()
    {
        const Cell &cell = mContent.cells[mCurrent];
        int plots = 0, images = 0, tables = 0;
        for (const OutputItem &item : cell.outputs) {
            QString stem = QStringLiteral("cell%1-").arg(mCodeCellNumber);
            QStringList written;
            QString description;
            if (item.kind == OutputItem::Kind::Plot) {
                stem += QStringLiteral("plot%1").arg(++plots);
                qsizetype points = 0;
                QStringList names;
                for (const QJsonValue &series : item.data.value(QStringLiteral("series")).toArray()) {
                    names.append(series.toObject().value(QStringLiteral("name")).toString());
                    points += series.toObject().value(QStringLiteral("y")).toArray().size();
                }
                description = QStringLiteral("plot %1 (%2 points)").arg(names.join(QStringLiteral(", "))).arg(points);
                const QImage image = PlotRender::render(item.data);
                if (saveArtifact(stem + QStringLiteral(".png"), [&](QIODevice *device) { return image.save(device, "PNG"); }))
                    written.append(stem + QStringLiteral(".png"));
                const QByteArray csv = PlotRender::plotCsv(item.data).toUtf8();
                if (saveArtifact(stem + QStringLiteral(".csv"), [&](QIODevice *device) { return device->write(csv) == csv.size(); }))
                    written.append(stem + QStringLiteral(".csv"));
            } else if (item.kind == OutputItem::Kind::Image) {
                stem += QStringLiteral("image%1").arg(++images);
                description = QStringLiteral("image %1x%2")
                                  .arg(item.data.value(QStringLiteral("width")).toInt())
                                  .arg(item.data.value(QStringLiteral("height")).toInt());
                const QByteArray png = QByteArray::fromBase64(item.data.value(QStringLiteral("png")).toString().toLatin1());
                if (saveArtifact(stem + QStringLiteral(".png"), [&](QIODevice *device) { return device->write(png) == png.size(); }))
                    written.append(stem + QStringLiteral(".png"));
            } else if (item.kind == OutputItem::Kind::Table) {
                stem += QStringLiteral("table%1").arg(++tables);
                description = QStringLiteral("table %1 rows x %2 columns")
                                  .arg(item.data.value(QStringLiteral("total_rows")).toInt())
                                  .arg(item.data.value(QStringLiteral("columns")).toArray().size());
                const QByteArray csv = PlotRender::tableCsv(item.data).toUtf8();
                if (saveArtifact(stem + QStringLiteral(".csv"), [&](QIODevice *device) { return device->write(csv) == csv.size(); }))
                    written.append(stem + QStringLiteral(".csv"));
            } else {
                continue;
            }
            writeTo(stdout, QStringLiteral("[%1 -> %2]\n").arg(description, written.isEmpty() ? QStringLiteral("not saved") : written.join(QStringLiteral(", "))));
        }
    }

    template<typename Writer>
    bool saveArtifact(const QString &name, Writer write)
    {
        if (mArtifactsDir.isEmpty()) {
            QTemporaryDir temporary(QDir::temp().filePath(QStringLiteral("kiln-run-XXXXXX")));
            temporary.setAutoRemove(false);
            mArtifactsDir = temporary.path();
        }
        if (!QDir().mkpath(mArtifactsDir)) {
            writeTo(stderr, QStringLiteral("kiln: cannot create the artifacts folder %1\n").arg(mArtifactsDir));
            return false;
        }
        QSaveFile file(QDir(mArtifactsDir).filePath(name));
        if (!file.open(QIODevice::WriteOnly) || !write(&file) || !file.commit()) {
            writeTo(stderr, QStringLiteral("kiln: cannot write %1: %2\n").arg(file.fileName(), file.errorString()));
            return false;
        }
        mArtifactsWritten = true;
        return true;
    }

    QString mPath;
    NotebookContent mContent;
    int mTimeoutSeconds;
    QString mArtifactsDir;
    bool mArtifactsWritten = false;
    Runtime mRuntime;
    QTimer mTimeout;
    int mCurrent = -1;
    int mCodeCellNumber = 0;
    int mExitCode = ExitOk;
    bool mTimedOut = false;
    bool mUserInterrupted = false;
    bool mAtLineStart = true;
};


} // namespace

QString usage()
{
    return QStringLiteral(
        "Usage:\n"
        "  kiln [NOTEBOOK.kiln.md] [--threads N]\n"
        "                                 open the notebook window (a new notebook without a file)\n"
        "  kiln run NOTEBOOK.kiln.md [--output OUT.kiln.md] [--timeout SECONDS] [--artifacts DIR]\n"
        "                                 run every code cell in order and print the outputs;\n"
        "                                 plots (PNG + CSV), images and tables go into DIR\n"
        "                                 (default: beside --output, or a new temporary folder)\n"
        "  kiln inspect MODEL [--json] [--try SHAPES] [--timeout SECONDS] [--memory MIB]\n"
        "                                 describe a TorchScript .pt, a PyTorch state dict or a\n"
        "                                 .safetensors file: modules, parameters, methods; read\n"
        "                                 in a child process limited to SECONDS (default 20)\n"
        "                                 and MIB of address space (default 4096)\n"
        "  kiln predict MODEL.pt INPUT... [--labels FILE] [--topk K] [--csv OUT] [--batch-size N]\n"
        "               [--size HxW] [--grayscale|--rgb] [--scale X] [--mean a,b,c] [--std a,b,c] [--raw]\n"
        "                                 run a TorchScript model on images, image folders, CSV rows\n"
        "                                 or torch.save tensors; a CSV of predictions (exit 1 on errors)\n"
        "  kiln train --data FILE.csv|FOLDER|fashion-mnist [--target COLUMN] [--features A,B]\n"
        "             [--model mlp|cnn|lenet|resnet|MODEL.pt] [--task classification|regression]\n"
        "             [--loss NAME] [--optimizer adam|adamw|sgd] [--epochs N] [--lr X] [--batch-size B]\n"
        "             [--weight-decay X] [--schedule none|cosine] [--patience N] [--val-split F]\n"
        "             [--val-data FILE.csv] [--no-standardize] [--image-size S] [--seed S]\n"
        "             [--out MODEL.pt] [--metrics METRICS.csv]\n"
        "                                 train a built-in or TorchScript model, one line per epoch;\n"
        "                                 the best validation epoch is kept and saved as TorchScript\n"
        "                                 and a state dict; exit 1 for bad data, 2 for usage errors,\n"
        "                                 130 on Ctrl-C (the best epoch so far is still saved)\n"
        "  kiln predict --task text-embedding --model REPO|FOLDER TEXT|FILE.txt... [--csv OUT]\n"
        "                                 sentence embeddings from a Hugging Face model, a row a text\n"
        "  kiln hub download REPO [--revision R] [--include PATTERN]...\n"
        "                                 fetch a model from the Hugging Face Hub into its cache\n"
        "                                 (HF_HUB_CACHE, shared with transformers); prints the folder\n"
        "  kiln hub ls                    the cached models, their sizes and revisions\n"
        "  kiln hub rm REPO               delete a cached model\n"
        "  kiln --version                 versions of Kiln, libtorch, its BLAS, the thread count,\n"
        "                                 CUDA and cuDNN, each GPU, Lua and Qt\n"
        "  kiln --help                    this text; kiln COMMAND --help lists every option of one command\n"
        "\n"
        "run, inspect --try, predict and train also take --device cpu|cuda|cuda:N (default cpu;\n"
        "for run: where factories put tensors, as torch.set_default_device) and --threads N.\n"
        "\n"
        "kiln run exits 0 when every cell succeeds, 1 at the first failing cell (its\n"
        "PATH:LINE: message on stderr), 2 for usage errors and timeouts, 130 on Ctrl-C.\n"
        "kiln inspect exits 0 on success, 1 when the file cannot be read (one line on\n"
        "stderr: kiln inspect: FILE: reason), 2 for usage errors.\n");
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
    if (first == QLatin1String("inspect")) {
        command.kind = Command::Kind::Inspect;
        command.arguments = args.mid(1);
        return command;
    }
    if (first == QLatin1String("predict")) {
        command.kind = Command::Kind::Predict;
        command.arguments = args.mid(1);
        return command;
    }
    if (first == QLatin1String("train")) {
        command.kind = Command::Kind::Train;
        command.arguments = args.mid(1);
        return command;
    }
    if (first == QLatin1String("hub")) {
        command.kind = Command::Kind::Hub;
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
    // The window takes --threads N too; the panels pick their own devices.
    QStringList rest;
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args.at(i) != QLatin1String("--threads")) {
            rest << args.at(i);
            continue;
        }
        bool ok = false;
        command.threads = args.value(i + 1).toInt(&ok);
        if (!ok || command.threads < 1 || command.threads > 4096) {
            command.kind = Command::Kind::Error;
            command.error = QStringLiteral("--threads wants a whole number from 1 to 4096, got '%1'").arg(args.value(i + 1));
            return command;
        }
        ++i;
    }
    if (rest.isEmpty())
        return command;
    const QString &notebookArg = rest.constFirst();
    for (const QString &arg : std::as_const(rest)) {
        if (arg.startsWith(QLatin1Char('-'))) {
            command.kind = Command::Kind::Error;
            command.error = QStringLiteral("unknown option '%1'").arg(arg);
            return command;
        }
    }
    if (rest.size() > 1) {
        command.kind = Command::Kind::Error;
        command.error = QStringLiteral("one notebook at a time, got %1 (did you mean 'kiln run'?)").arg(rest.size());
        return command;
    }
    if (!QFileInfo(notebookArg).isFile()) {
        command.kind = Command::Kind::Error;
        command.error = QStringLiteral("no such notebook: %1").arg(notebookArg);
        return command;
    }
    command.notebook = notebookArg;
    return command;
}

int run(const QStringList &arguments)
{
    CommandLine line(QStringLiteral("run"), QStringLiteral("kiln run NOTEBOOK.kiln.md [options]"));
    const QCommandLineOption outputOption({QStringLiteral("o"), QStringLiteral("output")},
                                          QStringLiteral("Write the notebook with its outputs to FILE."),
                                          QStringLiteral("FILE"));
    const QCommandLineOption timeoutOption(QStringLiteral("timeout"),
                                           QStringLiteral("Stop a cell that runs longer than SECONDS (exit 2)."),
                                           QStringLiteral("SECONDS"));
    const QCommandLineOption artifactsOption(QStringLiteral("artifacts"),
                                             QStringLiteral("Write plots (PNG and CSV), images and tables into DIR."),
                                             QStringLiteral("DIR"));
    line.addOptions({outputOption, timeoutOption, artifactsOption});
    if (!line.parse(arguments))
        return line.status();
    QString device;
    if (!line.applyEngine(&device))
        return line.status();
    torchruntime::setDefaultDevice(device);
    const QStringList positional = line.positionalArguments();
    if (positional.size() != 1)
        return line.usageError(positional.isEmpty() ? QStringLiteral("which notebook?") : QStringLiteral("one notebook at a time"));
    const auto timeoutSeconds = line.integer(timeoutOption, 1);
    if (!timeoutSeconds)
        return line.status();

    const QString path = positional.constFirst();
    if (!QFileInfo(path).isFile())
        return line.usageError(QStringLiteral("no such notebook: %1").arg(path));
    NotebookContent content;
    QString error;
    if (!NotebookFormat::load(path, &content, &error))
        return line.usageError(error);

    // Artifacts: the folder asked for, else one beside --output, else a new
    // temporary folder (named at the end).
    QString artifacts = line.value(artifactsOption);
    if (artifacts.isEmpty() && line.isSet(outputOption)) {
        QString base = line.value(outputOption);
        for (const QLatin1String suffix : {QLatin1String(".kiln.md"), QLatin1String(".md")}) {
            if (base.endsWith(suffix)) {
                base.chop(suffix.size());
                break;
            }
        }
        artifacts = base + QStringLiteral("-artifacts");
    }
    NotebookRun notebookRun(path, content, *timeoutSeconds, artifacts);

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
    if (!notebookRun.writtenArtifactsDir().isEmpty())
        writeTo(stderr, QStringLiteral("kiln: plots, images and tables are in %1\n").arg(notebookRun.writtenArtifactsDir()));

    if (line.isSet(outputOption)) {
        NotebookContent withOutputs = notebookRun.content();
        withOutputs.setPersistOutputs(true);
        if (!NotebookFormat::save(line.value(outputOption), withOutputs, &error)) {
            writeTo(stderr, QStringLiteral("kiln: %1\n").arg(error));
            return exitCode == ExitOk ? ExitFailed : exitCode;
        }
    }
    return exitCode;
}

namespace {

// Test hooks for the child: stand-ins for a file that hangs libtorch's loader
// or makes it grow without bound, so the parent's limits can be tested.
void simulateHostileFile()
{
    if (qEnvironmentVariableIsSet("KILN_INSPECT_TEST_HANG")) {
        for (;;)
            ::pause();
    }
    if (qEnvironmentVariableIsSet("KILN_INSPECT_TEST_GROW")) {
        static std::vector<char *> blocks;
        for (;;) {
            constexpr size_t kBlock = size_t(64) << 20;
            char *block = new char[kBlock];
            std::memset(block, 1, kBlock);
            blocks.push_back(block);
        }
    }
}

// The child's side: read the file here and print the summary, or one line on stderr.
// "1,1,28,28;1,10" -> two input shapes; empty on a malformed list.
QList<QList<qint64>> parseShapes(const QString &text)
{
    QList<QList<qint64>> shapes;
    for (const QString &input : text.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        QList<qint64> shape;
        for (const QString &size : input.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            bool ok = false;
            const qint64 value = size.trimmed().toLongLong(&ok);
            if (!ok || value < 0)
                return {};
            shape.append(value);
        }
        shapes.append(shape);
    }
    return shapes;
}

int inspectInProcess(const QString &path, bool json, const QString &tryShapes, const QString &device)
{
    try {
        simulateHostileFile();
    } catch (const std::bad_alloc &) {
        writeTo(stderr, QStringLiteral("kiln inspect: %1: out of memory\n").arg(path));
        return ExitFailed;
    }
    QString error;
    const ModelSummary summary = inspectModel(path, &error);
    if (summary.format.isEmpty()) {
        if (error.trimmed().isEmpty())
            error = QStringLiteral("libtorch could not read it and gave no reason");
        writeTo(stderr, QStringLiteral("kiln inspect: %1: %2\n").arg(path, error));
        return ExitFailed;
    }
    if (!tryShapes.isEmpty()) {
        if (summary.format != QLatin1String("torchscript")) {
            writeTo(stderr, QStringLiteral("kiln inspect: %1: only TorchScript models can run forward\n").arg(path));
            return ExitFailed;
        }
        QJsonObject tried;
        QString tryError;
        if (!tryForward(path, parseShapes(tryShapes), device, &tried, &tryError)) {
            writeTo(stderr, QStringLiteral("kiln inspect: %1: forward failed: %2\n").arg(path, tryError));
            return ExitFailed;
        }
        if (json) {
            QJsonObject all = summary.toJson();
            all.insert(QStringLiteral("try_forward"), tried);
            writeTo(stdout, QString::fromUtf8(QJsonDocument(all).toJson(QJsonDocument::Indented)));
        } else {
            QStringList outputs;
            for (const QJsonValue &shape : tried.value(QStringLiteral("outputs")).toArray()) {
                QStringList sizes;
                for (const QJsonValue &size : shape.toArray())
                    sizes.append(QString::number(size.toInteger()));
                outputs.append(QStringLiteral("[%1]").arg(sizes.join(QStringLiteral(", "))));
            }
            writeTo(stdout, summary.toText() + QStringLiteral("\nforward on zeros %1 (%4): outputs %2, %3 ms\n")
                                                   .arg(tryShapes, outputs.join(QStringLiteral(", ")))
                                                   .arg(tried.value(QStringLiteral("latency_ms")).toDouble(), 0, 'f', 2)
                                                   .arg(device));
        }
        return ExitOk;
    }
    writeTo(stdout, json ? QString::fromUtf8(QJsonDocument(summary.toJson()).toJson(QJsonDocument::Indented))
                         : summary.toText());
    return ExitOk;
}

// What became of the process that read a model file.
struct ReaderOutcome
{
    QString startError;  // it never ran
    bool timedOut = false;
    bool crashed = false;
    int exitCode = -1;
    QByteArray out, err;
};

// Threads of this process, from /proc; 0 when it cannot tell.
int threadCount()
{
    int count = 0;
    QDir tasks(QStringLiteral("/proc/self/task"));
    if (tasks.exists())
        count = int(tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot).size());
    return count;
}

// Address space and no core file: runs in a fresh child before it reads anything.
void limitChild(rlim_t addressSpace)
{
    const struct rlimit memory = {addressSpace, addressSpace};
    ::setrlimit(RLIMIT_AS, &memory);
    const struct rlimit core = {0, 0};
    ::setrlimit(RLIMIT_CORE, &core);
}

// Runs `read` in a fork of this process with its stdout and stderr captured,
// killing it after timeoutMs.
template<typename Read>
ReaderOutcome runForked(rlim_t addressSpace, int timeoutMs, Read read)
{
    ReaderOutcome outcome;
    int outPipe[2], errPipe[2];
    if (::pipe(outPipe) != 0) {
        outcome.startError = QString::fromLocal8Bit(std::strerror(errno));
        return outcome;
    }
    if (::pipe(errPipe) != 0) {
        outcome.startError = QString::fromLocal8Bit(std::strerror(errno));
        ::close(outPipe[0]);
        ::close(outPipe[1]);
        return outcome;
    }
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t child = ::fork();
    if (child == 0) {
        ::dup2(outPipe[1], STDOUT_FILENO);
        ::dup2(errPipe[1], STDERR_FILENO);
        for (const int fd : {outPipe[0], outPipe[1], errPipe[0], errPipe[1]})
            ::close(fd);
        limitChild(addressSpace);
        const int code = read();
        std::fflush(stdout);
        std::fflush(stderr);
        ::_exit(code);
    }
    ::close(outPipe[1]);
    ::close(errPipe[1]);
    if (child < 0) {
        outcome.startError = QString::fromLocal8Bit(std::strerror(errno));
        ::close(outPipe[0]);
        ::close(errPipe[0]);
        return outcome;
    }
    QElapsedTimer clock;
    clock.start();
    struct pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
    QByteArray *sinks[2] = {&outcome.out, &outcome.err};
    int open = 2;
    while (open > 0) {
        const qint64 left = timeoutMs - clock.elapsed();
        if (left <= 0) {
            outcome.timedOut = true;
            break;
        }
        if (::poll(fds, 2, int(left)) < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buffer[65536];
            const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
            if (got > 0) {
                sinks[i]->append(buffer, got);
            } else if (got == 0 || errno != EINTR) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            }
        }
    }
    for (const struct pollfd &fd : fds) {
        if (fd.fd >= 0)
            ::close(fd.fd);
    }
    if (outcome.timedOut)
        ::kill(child, SIGKILL);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (!outcome.timedOut) {
        outcome.crashed = !WIFEXITED(status);
        outcome.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    return outcome;
}

// The same in a fresh process of this program (for CUDA, or when threads run).
ReaderOutcome runProcess(const QStringList &arguments, rlim_t addressSpace, int timeoutMs)
{
    ReaderOutcome outcome;
    QProcess reader;
    reader.setProgram(QCoreApplication::applicationFilePath());
    reader.setArguments(arguments);
    reader.setStandardInputFile(QProcess::nullDevice());
    // Runs in the child between fork and exec: only async-signal-safe calls.
    reader.setChildProcessModifier([addressSpace] { limitChild(addressSpace); });
    reader.start();
    if (!reader.waitForStarted()) {
        outcome.startError = reader.errorString();
        return outcome;
    }
    if (!reader.waitForFinished(timeoutMs)) {
        reader.kill();
        reader.waitForFinished();
        outcome.timedOut = true;
        return outcome;
    }
    outcome.crashed = reader.exitStatus() == QProcess::CrashExit;
    outcome.exitCode = reader.exitCode();
    outcome.out = reader.readAllStandardOutput();
    outcome.err = reader.readAllStandardError();
    return outcome;
}

} // namespace

int inspect(const QStringList &arguments)
{
    CommandLine line(QStringLiteral("inspect"), QStringLiteral("kiln inspect MODEL [options]"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Print the summary as JSON."));
    const QCommandLineOption timeoutOption(QStringLiteral("timeout"),
                                           QStringLiteral("Give up reading after SECONDS (default 20)."),
                                           QStringLiteral("SECONDS"), QStringLiteral("20"));
    const QCommandLineOption memoryOption(QStringLiteral("memory"),
                                          QStringLiteral("Limit the reader to MIB of address space (default 4096)."),
                                          QStringLiteral("MIB"), QStringLiteral("4096"));
    const QCommandLineOption tryOption(QStringLiteral("try"),
                                       QStringLiteral("Run a TorchScript model's forward on zeros of SHAPES "
                                                      "(e.g. 1,1,28,28; several inputs separated by ';')."),
                                       QStringLiteral("SHAPES"));
    QCommandLineOption inProcessOption(QStringLiteral("in-process"));
    inProcessOption.setFlags(QCommandLineOption::HiddenFromHelp);
    line.addOptions({jsonOption, timeoutOption, memoryOption, tryOption, inProcessOption});
    if (!line.parse(arguments))
        return line.status();
    QString device;
    if (!line.applyEngine(&device))
        return line.status();
    const QStringList positional = line.positionalArguments();
    if (positional.size() != 1)
        return line.usageError(positional.isEmpty() ? QStringLiteral("which model file?")
                                                    : QStringLiteral("one model file at a time"));
    const auto timeoutSeconds = line.integer(timeoutOption, 1);
    if (!timeoutSeconds)
        return line.status();
    const auto memoryMiB = line.integer(memoryOption, 256);
    if (!memoryMiB)
        return line.status();
    const QString path = positional.constFirst();
    const bool json = line.isSet(jsonOption);
    const QString tryShapes = line.value(tryOption);
    if (line.isSet(tryOption) && parseShapes(tryShapes).isEmpty())
        return line.usageError(QStringLiteral("--try wants shapes like 1,1,28,28 (inputs separated by ';'), got '%1'").arg(tryShapes));
    if (line.isSet(inProcessOption))
        return inspectInProcess(path, json, tryShapes, device);

    const auto failure = [&path](const QString &reason) {
        writeTo(stderr, QStringLiteral("kiln inspect: %1: %2\n").arg(path, reason));
        return int(ExitFailed);
    };
    if (!QFileInfo(path).isFile())
        return failure(QStringLiteral("no such file"));

    // CUDA maps tens of GiB of address space at start: a GPU forward keeps the
    // time limit but cannot have the address-space one.
    // A sanitizer build reserves terabytes of shadow memory, so it cannot have it either.
#ifdef KILN_SANITIZE
    const rlim_t limit = RLIM_INFINITY;
#else
    const rlim_t limit = device == QLatin1String("cpu") ? rlim_t(*memoryMiB) << 20 : RLIM_INFINITY;
#endif
    const int timeoutMs = *timeoutSeconds * 1000;
    // On the CPU the reader is a fork of this process: libtorch is loaded and
    // initialized already, which halves the time of a small file. CUDA does not
    // survive a fork, and a fork is only safe while this process has one thread;
    // otherwise the reader is a fresh process.
    ReaderOutcome reader;
    if (device == QLatin1String("cpu") && threadCount() == 1) {
        reader = runForked(limit, timeoutMs, [&] { return inspectInProcess(path, json, tryShapes, device); });
    } else {
        QStringList childArguments{QStringLiteral("inspect"), QStringLiteral("--in-process")};
        if (json)
            childArguments.append(QStringLiteral("--json"));
        if (!tryShapes.isEmpty())
            childArguments << QStringLiteral("--try") << tryShapes << QStringLiteral("--device") << device;
        if (line.isSet(QStringLiteral("threads")))
            childArguments << QStringLiteral("--threads") << line.value(QStringLiteral("threads"));
        childArguments << QStringLiteral("--") << path;
        reader = runProcess(childArguments, limit, timeoutMs);
    }
    if (!reader.startError.isEmpty())
        return failure(QStringLiteral("cannot start the reader: %1").arg(reader.startError));
    if (reader.timedOut) {
        return failure(QStringLiteral("gave up after %1 s; a malformed file can hang the loader (raise the limit with --timeout)")
                           .arg(*timeoutSeconds));
    }
    const QByteArray &output = reader.out;
    if (!reader.crashed && reader.exitCode == ExitOk) {
        std::fwrite(output.constData(), 1, size_t(output.size()), stdout);
        std::fflush(stdout);
        return ExitOk;
    }
    const QString memoryLimit = QStringLiteral("went over the memory limit of %1 MiB; a malformed file can make the "
                                               "loader grow without bound (raise the limit with --memory)").arg(*memoryMiB);
    // The child's own verdict is its last "kiln inspect: FILE: " line.
    const QString prefix = QStringLiteral("kiln inspect: %1: ").arg(path);
    const QStringList lines = QString::fromUtf8(reader.err).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (auto line = lines.crbegin(); line != lines.crend(); ++line) {
        if (line->startsWith(prefix)) {
            const QString reason = line->mid(prefix.size());
            return failure(reason == QLatin1String("out of memory") ? memoryLimit : reason);
        }
    }
    if (reader.crashed)
        return failure(QStringLiteral("the reader crashed (a malformed file, or it %1)").arg(memoryLimit));
    return failure(QStringLiteral("the reader failed with exit code %1").arg(reader.exitCode));
}

} // namespace kiln::cli
