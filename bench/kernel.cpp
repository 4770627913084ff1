// What the kernel process costs: the round trip of a cell that prints a number
// (target: median under 5 ms), how long a new kernel takes to be ready (target:
// under 1 s), and the MLP epoch of bench/mlp_epoch.kiln.md run in a kernel
// against the same code on a Lua session in this process (target: within 2%).
// Usage: bench_kernel [ROUNDS] [BATCH] [THREADS]   (defaults 3, 64 and libtorch's own)
#include "kernel/luasession.h"
#include "document/notebookformat.h"
#include "kernel/runtime.h"
#include "luaapi/torchruntime.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0.0 : values[values.size() / 2];
}

// Evaluates `code` on `runtime` and returns the result and everything printed.
kiln::EvalResult evaluate(kiln::Runtime &runtime, const QString &code, QString *printed = nullptr)
{
    QEventLoop loop;
    kiln::EvalResult result;
    const auto output = QObject::connect(&runtime, &kiln::Runtime::outputReady,
                                         [&](const QString &, const kiln::OutputList &items) {
                                             for (const kiln::OutputItem &item : items) {
                                                 if (printed)
                                                     *printed += item.text;
                                             }
                                         });
    const auto done = QObject::connect(&runtime, &kiln::Runtime::finished,
                                       [&](const QString &, quint64, const kiln::EvalResult &r) {
                                           result = r;
                                           loop.quit();
                                       });
    runtime.evaluate(QStringLiteral("bench"), code);
    loop.exec();
    QObject::disconnect(output);
    QObject::disconnect(done);
    return result;
}

void waitReady(kiln::Runtime &runtime)
{
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, [&] {
        if (runtime.state() == kiln::Runtime::State::Idle)
            loop.quit();
    });
    poll.start(1);
    loop.exec();
}

double epochSeconds(const QString &printed)
{
    const QRegularExpressionMatch match = QRegularExpression(QStringLiteral("seconds ([0-9.]+)")).match(printed);
    return match.hasMatch() ? match.captured(1).toDouble() : -1.0;
}

} // namespace

int main(int argc, char **argv)
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    QCoreApplication app(argc, argv);
    kiln::torchruntime::initialize();
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 3;
    const QByteArray batch = argc > 2 ? QByteArray(argv[2]) : QByteArray("64");
    QString threadsError;
    if (argc > 3 && !kiln::torchruntime::setThreads(std::atoi(argv[3]), &threadsError)) {
        std::fprintf(stderr, "%s\n", qPrintable(threadsError));
        return 2;
    }
    // Before any kernel starts: kernels take this process's environment.
    qputenv("KILN_BENCH_BATCH", batch);
    qputenv("KILN_BENCH_EPOCHS", "1");

    // A new kernel, from start to its hello.
    std::vector<double> startMs;
    for (int i = 0; i < 10; ++i) {
        kiln::Runtime runtime;
        QElapsedTimer clock;
        clock.start();
        runtime.warmUp();
        waitReady(runtime);
        startMs.push_back(double(clock.nsecsElapsed()) / 1e6);
    }

    // Round trips of a cell that prints a number, on a warm kernel.
    kiln::Runtime runtime;
    runtime.warmUp();
    waitReady(runtime);
    std::vector<double> roundTripMs;
    for (int i = 0; i < 300; ++i) {
        QElapsedTimer clock;
        clock.start();
        QString printed;
        evaluate(runtime, QStringLiteral("print(%1)").arg(i), &printed);
        roundTripMs.push_back(double(clock.nsecsElapsed()) / 1e6);
        if (printed.trimmed() != QString::number(i)) {
            std::fprintf(stderr, "unexpected output: %s\n", qPrintable(printed));
            return 1;
        }
    }
    std::printf("kernel start to ready: median %.1f ms, max %.1f ms (10 starts)\n", median(startMs),
                *std::max_element(startMs.begin(), startMs.end()));
    std::sort(roundTripMs.begin(), roundTripMs.end());
    std::printf("print(i) round trip: median %.3f ms, p99 %.3f ms (300 cells)\n", median(roundTripMs),
                roundTripMs[roundTripMs.size() * 99 / 100]);

    // The MLP epoch, in a kernel and in this process, interleaved.
    kiln::NotebookContent bench;
    QString error;
    if (!kiln::NotebookFormat::load(QStringLiteral(KILN_BENCH_DIR "/mlp_epoch.kiln.md"), &bench, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    QString code;
    for (const kiln::Cell &cell : bench.cells) {
        if (cell.kind == kiln::CellKind::Code)
            code = cell.source;
    }
    std::vector<double> inKernel, inProcess;
    for (int round = 0; round < rounds; ++round) {
        QString printed;
        evaluate(runtime, code, &printed);
        inKernel.push_back(epochSeconds(printed));

        printed.clear();
        kiln::LuaSession session(std::make_shared<std::atomic<bool>>(false),
                                 [&printed](const kiln::OutputItem &item) { printed += item.text; });
        session.evaluate(code, QStringLiteral("bench"));
        inProcess.push_back(epochSeconds(printed));
    }
    const double kernelEpoch = median(inKernel), processEpoch = median(inProcess);
    std::printf("MLP epoch, batch %s, %d threads: in the kernel %.3f s, in this process %.3f s, ratio %.3f (%d rounds)\n",
                batch.constData(), kiln::torchruntime::threads(), kernelEpoch, processEpoch,
                kernelEpoch / processEpoch, rounds);
    return 0;
}
