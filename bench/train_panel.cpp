// The training panel against `kiln train`: the Fashion-MNIST MLP trained with
// the same settings by the kiln binary (the baseline, a process of its own) and
// by the training panel in a shown window, alternating, while a 5 ms timer on
// the GUI thread records how late it fires during the panel's runs.
// Training time is measured alike on both sides: from the data being read to
// the last epoch's report (the process's "classification:" and last "epoch"
// lines as they arrive; the panel's first and last callbacks from its worker).
// Also prints the CPU time the GUI thread spent meanwhile (Linux).
// Targets: panel/CLI training time <= 1.10 (median of the rounds' ratios) and
// GUI timer lateness p99 <= 16 ms.
// Usage: bench_train_panel [--epochs N] [--rounds N] [--batch-size B]
// (QT_QPA_PLATFORM=offscreen without a display). KILN_BINARY comes from
// bench/CMakeLists.txt.
#include "latencyprobe.h"

#include "trainingpanel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QEvent>
#include <QEventLoop>
#include <QLabel>
#include <QMainWindow>
#include <QProcess>
#include <QSpinBox>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <vector>

#ifdef __linux__
#include <sys/resource.h>
#endif

namespace {

struct Timing
{
    double wall = 0;      // seconds from start to finish
    double training = 0;  // seconds from the data being read to the last epoch
    double run = 0;       // the panel's own record: result.seconds
    double guiCpu = -1;   // CPU seconds the GUI thread used meanwhile; -1: unknown
};

// CPU seconds the calling thread has used so far; -1 where that is unknown.
double threadCpuSeconds()
{
#ifdef __linux__
    rusage usage;
    if (getrusage(RUSAGE_THREAD, &usage) == 0)
        return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
#endif
    return -1;
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int fail(const QString &message)
{
    std::fprintf(stderr, "bench_train_panel: %s\n", qPrintable(message));
    return 1;
}

// `kiln train` as a process; its stdout lines are timestamped as they arrive
// (it flushes every line).
bool runCli(const QStringList &arguments, Timing *timing, QString *error)
{
    QProcess process;
    QElapsedTimer clock;
    qint64 dataAt = -1, lastEpochAt = -1;
    QByteArray pending;
    QObject::connect(&process, &QProcess::readyReadStandardOutput, [&] {
        const qint64 now = clock.nsecsElapsed();
        pending += process.readAllStandardOutput();
        qsizetype newline;
        while ((newline = pending.indexOf('\n')) >= 0) {
            const QByteArray line = pending.left(newline);
            pending.remove(0, newline + 1);
            if (line.startsWith("classification:"))
                dataAt = now;
            else if (line.startsWith("epoch "))
                lastEpochAt = now;
        }
    });
    QEventLoop loop;
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    clock.start();
    process.start(QStringLiteral(KILN_BINARY), arguments);
    if (!process.waitForStarted()) {
        *error = QStringLiteral("cannot start %1: %2").arg(QStringLiteral(KILN_BINARY), process.errorString());
        return false;
    }
    loop.exec();
    timing->wall = double(clock.nsecsElapsed()) / 1e9;
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        *error = QStringLiteral("kiln train failed (exit %1): %2")
                     .arg(process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1)
                     .arg(QString::fromUtf8(process.readAllStandardError()).trimmed());
        return false;
    }
    if (dataAt < 0 || lastEpochAt < dataAt) {
        *error = QStringLiteral("kiln train printed no data line or no epoch line");
        return false;
    }
    timing->training = double(lastEpochAt - dataAt) / 1e9;
    return true;
}

// The worker's callbacks reach the panel as queued calls (QEvent::MetaCall):
// the first is its data report, the last its last epoch report (the finish
// stage after it reports nothing).
class CallbackClock : public QObject
{
public:
    explicit CallbackClock(QObject *panel)
    {
        panel->installEventFilter(this);
        mClock.start();
    }
    void reset()
    {
        mFirst = -1;
        mLast = -1;
        mCount = 0;
    }
    double seconds() const { return mFirst < 0 ? 0.0 : double(mLast - mFirst) / 1e9; }
    int count() const { return mCount; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::MetaCall) {
            mLast = mClock.nsecsElapsed();
            if (mFirst < 0)
                mFirst = mLast;
            ++mCount;
        }
        return QObject::eventFilter(watched, event);
    }

private:
    QElapsedTimer mClock;
    qint64 mFirst = -1;
    qint64 mLast = -1;
    int mCount = 0;
};

bool runPanel(kiln::TrainingPanel *panel, int epochs, CallbackClock *callbacks, kilnbench::LatencyProbe *probe, Timing *timing,
              QString *error)
{
    QEventLoop loop;
    bool ok = false;
    const QMetaObject::Connection connection = QObject::connect(panel, &kiln::TrainingPanel::finished, [&](bool success) {
        ok = success;
        loop.quit();
    });
    const qsizetype runsBefore = panel->runs().size();
    callbacks->reset();
    QElapsedTimer clock;
    probe->start();
    const double cpuBefore = threadCpuSeconds();
    clock.start();
    panel->start();
    if (panel->isRunning())
        loop.exec();
    timing->wall = double(clock.nsecsElapsed()) / 1e9;
    const double cpuAfter = threadCpuSeconds();
    probe->stop();
    if (cpuBefore >= 0 && cpuAfter >= 0)
        timing->guiCpu = cpuAfter - cpuBefore;
    QObject::disconnect(connection);
    if (!ok || panel->runs().size() != runsBefore + 1) {
        *error = QStringLiteral("the panel's run failed: %1").arg(panel->statusText());
        return false;
    }
    if (callbacks->count() < 1 + epochs) {
        *error = QStringLiteral("the panel reported %1 callbacks, fewer than the data and %2 epochs").arg(callbacks->count()).arg(epochs);
        return false;
    }
    timing->training = callbacks->seconds();
    timing->run = panel->runs().constLast().result.seconds;
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("The training panel against kiln train on the Fashion-MNIST MLP."));
    parser.addHelpOption();
    const QCommandLineOption epochsOption(QStringLiteral("epochs"), QStringLiteral("Epochs per run (default 2)."),
                                          QStringLiteral("N"), QStringLiteral("2"));
    const QCommandLineOption roundsOption(QStringLiteral("rounds"), QStringLiteral("Rounds of one CLI and one panel run (default 2)."),
                                          QStringLiteral("N"), QStringLiteral("2"));
    const QCommandLineOption batchOption(QStringLiteral("batch-size"), QStringLiteral("Samples per step (default 64)."),
                                         QStringLiteral("B"), QStringLiteral("64"));
    parser.addOptions({epochsOption, roundsOption, batchOption});
    parser.process(app);
    const int epochs = parser.value(epochsOption).toInt();
    const int rounds = parser.value(roundsOption).toInt();
    const int batchSize = parser.value(batchOption).toInt();
    if (epochs < 1 || rounds < 1 || batchSize < 1)
        return fail(QStringLiteral("--epochs, --rounds and --batch-size want positive whole numbers"));
    const int seed = 1;

    // Both save the best model, as the panel always does.
    QTemporaryDir dir;
    const QStringList cliArguments{QStringLiteral("train"), QStringLiteral("--data"), QStringLiteral("fashion-mnist"),
                                   QStringLiteral("--model"), QStringLiteral("mlp"),
                                   QStringLiteral("--epochs"), QString::number(epochs),
                                   QStringLiteral("--batch-size"), QString::number(batchSize),
                                   QStringLiteral("--seed"), QString::number(seed),
                                   QStringLiteral("--out"), dir.filePath(QStringLiteral("cli.pt"))};

    // The panel in a dock of a shown window, as the app has it.
    QMainWindow window;
    auto *central = new QLabel(QStringLiteral("notebook"), &window);
    window.setCentralWidget(central);
    auto *panel = new kiln::TrainingPanel;
    auto *dock = new QDockWidget(QStringLiteral("Training"), &window);
    dock->setWidget(panel);
    window.addDockWidget(Qt::RightDockWidgetArea, dock);
    window.resize(1400, 900);
    window.resizeDocks({dock}, {1000}, Qt::Horizontal);
    window.show();

    panel->setDataset(QStringLiteral("fashion-mnist"));
    while (panel->analyzing())
        app.processEvents(QEventLoop::WaitForMoreEvents);
    app.processEvents();
    if (!panel->report().error.isEmpty())
        return fail(panel->report().error);
    panel->chooseModel(QStringLiteral("mlp"));
    const struct
    {
        const char *name;
        int value;
    } spins[] = {{"epochs", epochs}, {"batchSize", batchSize}, {"seed", seed}};
    for (const auto &spin : spins) {
        auto *box = panel->findChild<QSpinBox *>(QLatin1String(spin.name));
        if (!box)
            return fail(QStringLiteral("the panel has no spin box named %1").arg(QLatin1String(spin.name)));
        box->setValue(spin.value);
    }
    // Everything else as kiln train's defaults.
    const kiln::TrainOptions options = panel->options();
    const kiln::TrainOptions defaults;
    if (options.model != QLatin1String("mlp") || options.epochs != epochs || options.batchSize != batchSize
        || options.seed != seed || options.lr != defaults.lr || options.optimizer != defaults.optimizer
        || options.weightDecay != defaults.weightDecay || options.schedule != defaults.schedule
        || options.patience != defaults.patience || options.loss != defaults.loss)
        return fail(QStringLiteral("the panel's settings differ from kiln train's (model %1, epochs %2, batch %3, seed %4)")
                        .arg(options.model)
                        .arg(options.epochs)
                        .arg(options.batchSize)
                        .arg(options.seed));

    std::printf("Fashion-MNIST MLP, %d epochs, batch %d, seed %d: kiln train (its own process) against the\n"
                "training panel (docked in a shown window), alternating, %d rounds. Seconds. Training: from the data\n"
                "being read to the last epoch's report. Panel run: the run's own record (result.seconds: reading the\n"
                "data, training, saving). GUI CPU: CPU seconds of the window's thread during the panel's run.\n"
                "CLI: %s %s\n\n",
                epochs, batchSize, seed, rounds, KILN_BINARY,
                qPrintable(cliArguments.join(QLatin1Char(' ')).replace(dir.path(), QStringLiteral("TMP"))));
    std::printf("%-5s | %8s %8s | %8s %8s %9s %7s %8s | %8s\n", "round", "CLI wall", "training", "panel wall",
                "training", "panel run", "GUI CPU", "GUI p99", "training");
    std::printf("%-5s | %8s %8s | %10s %8s %9s %7s %8s | %8s\n", "", "s", "s", "s", "s", "s", "s", "ms", "panel/CLI");
    std::fflush(stdout);

    CallbackClock callbacks(panel);
    kilnbench::LatencyProbe probe;  // the panel's runs only, pooled
    std::vector<double> ratios, wallRatios;
    double guiCpu = 0, guiWall = 0;
    QString error;
    for (int round = 0; round < rounds; ++round) {
        Timing cli, gui;
        double p99 = 0;
        // Each goes first every other round.
        for (int turn = 0; turn < 2; ++turn) {
            if ((turn == 0) == (round % 2 == 0)) {
                if (!runCli(cliArguments, &cli, &error))
                    return fail(error);
            } else {
                const size_t before = probe.ticks();
                if (!runPanel(panel, epochs, &callbacks, &probe, &gui, &error))
                    return fail(error);
                p99 = probe.percentile(0.99, before);
            }
        }
        ratios.push_back(gui.training / cli.training);
        guiCpu = guiCpu < 0 || gui.guiCpu < 0 ? -1 : guiCpu + gui.guiCpu;
        guiWall += gui.wall;
        wallRatios.push_back(gui.wall / cli.wall);
        std::printf("%-5d | %8.2f %8.2f | %10.2f %8.2f %9.2f %7.2f %8.2f | %8.3f\n", round + 1, cli.wall, cli.training,
                    gui.wall, gui.training, gui.run, gui.guiCpu, p99, ratios.back());
        std::fflush(stdout);
    }

    const double ratio = median(ratios);
    const double p99 = probe.percentile(0.99);
    std::printf("\nwall time panel/CLI (median of the rounds' ratios): %.3f (the CLI's includes starting the process)\n",
                median(wallRatios));
    if (guiCpu >= 0)
        std::printf("GUI thread CPU during the panel's runs: %.2f s, %.1f%% of their wall time\n", guiCpu,
                    100.0 * guiCpu / guiWall);
    std::printf("TARGET training time panel/CLI (median of the rounds' ratios) <= 1.10: %.3f, %s\n", ratio,
                ratio <= 1.10 ? "met" : "NOT met");
    std::printf("TARGET GUI event-loop lateness during the panel's runs, p99 <= 16 ms: %d ms timer over %zu ticks, "
                "p50 %.2f ms, p99 %.2f ms, max %.2f ms, %s\n",
                probe.intervalMs(), probe.ticks(), probe.percentile(0.5), p99, probe.max(), p99 <= 16.0 ? "met" : "NOT met");
    return 0;
}
