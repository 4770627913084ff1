// The variables view while a notebook trains cell after cell: the window runs
// 12 cells one at a time (each trains the Fashion-MNIST MLP for a while and
// leaves tensors, a module and numbers in globals), once with the variables view
// closed and once open with a tensor's histogram on show, so that every cell is
// followed by a listing query and a redraw. A 5 ms timer on the GUI thread
// records how late it fires during the open run.
// Prints the two runs' times and their ratio (the view's cost to the runtime,
// target <= 1.05) and the timer's lateness (target p99 <= 16 ms).
// Usage: bench_variables_view [SECONDS_PER_CELL] (QT_QPA_PLATFORM=offscreen
// without a display)
#include "latencyprobe.h"

#include "document/notebook.h"
#include "document/notebookformat.h"
#include "kernel/runtime.h"
#include "mainwindow.h"
#include "variablesview.h"

#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

namespace {

constexpr int kTrainingCells = 12;

kiln::NotebookContent notebook(double secondsPerCell)
{
    kiln::NotebookContent content;
    content.title = QStringLiteral("Variables");
    const auto add = [&content](const QString &source) {
        kiln::Cell cell = kiln::Cell::make(kiln::CellKind::Code);
        cell.source = source;
        content.cells.append(cell);
    };
    add(QStringLiteral("train = datasets.fashion_mnist('train')\n"
                       "x, y = train.x:view(-1, 784), train.y\n"
                       "model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))\n"
                       "opt = optim.Adam(model:parameters(), {lr = 1e-3})\n"
                       "losses = torch.zeros(0)\n"
                       "for i = 1, 40 do _G['feature' .. i] = torch.randn(64, 64) end\n"
                       "for i = 1, 40 do _G['setting' .. i] = i * 0.5 end\n"));
    for (int i = 0; i < kTrainingCells; ++i) {
        add(QStringLiteral("local started, steps = time.perf_counter(), {}\n"
                           "while time.perf_counter() - started < %1 do\n"
                           "  local index = torch.randint(0, 60000, {64})\n"
                           "  batch = x:index_select(0, index)\n"
                           "  local loss = F.cross_entropy(model(batch), y:index_select(0, index))\n"
                           "  opt:zero_grad(); loss:backward(); opt:step()\n"
                           "  steps[#steps + 1] = loss:item()\n"
                           "end\n"
                           "losses = torch.cat({losses, torch.tensor(steps)})\n"
                           "last_loss = losses[-1]:item()\n"
                           "history%2 = {steps = #steps, loss = last_loss}\n")
                .arg(secondsPerCell)
                .arg(i));
    }
    return content;
}

// Runs the notebook's cells one at a time, each when the one before has
// finished, as a user stepping through with Shift+Enter; returns the seconds
// from the first cell's start to the last one's end.
double stepThrough(QApplication &app, kiln::MainWindow &window, kilnbench::LatencyProbe *probe)
{
    kiln::Notebook *nb = window.notebook();
    int next = 0;
    bool done = false;
    QElapsedTimer clock;
    const auto runNext = [&] {
        if (next == nb->cellCount()) {
            done = true;
            return;
        }
        if (next == 1) {  // timing starts after the dataset is read
            clock.start();
            if (probe)
                probe->start();
        }
        window.runCell(nb->cell(next++).id, false);
    };
    const QMetaObject::Connection connection =
        QObject::connect(window.runtime(), &kiln::Runtime::finished, [&](const QString &cellId) {
            if (!cellId.startsWith(QLatin1String("__kiln:")))
                QTimer::singleShot(0, runNext);
        });
    runNext();
    while (!done)
        app.processEvents(QEventLoop::WaitForMoreEvents);
    const double seconds = clock.elapsed() / 1000.0;
    if (probe)
        probe->stop();
    QObject::disconnect(connection);
    return seconds;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const double secondsPerCell = argc > 1 ? std::atof(argv[1]) : 1.0;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("variables.kiln.md"));
    QString error;
    kiln::NotebookFormat::save(path, notebook(secondsPerCell), &error);

    kiln::MainWindow window;
    window.resize(1366, 768);
    window.show();
    window.openFile(path);
    app.processEvents();
    auto *dock = window.findChild<QDockWidget *>(QStringLiteral("variablesDock"));
    auto *view = window.findChild<kiln::VariablesView *>();

    const double closed = stepThrough(app, window, nullptr);

    dock->show();
    // The listing after the first run, then a histogram redrawn after every cell.
    while (view->variables().isEmpty())
        app.processEvents(QEventLoop::WaitForMoreEvents);
    view->selectVariable(QStringLiteral("losses"));
    view->setDetailMode(QStringLiteral("histogram"));
    kilnbench::LatencyProbe probe;
    const double open = stepThrough(app, window, &probe);
    // Let the last listing arrive, to count what the view held.
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 2000)
        app.processEvents(QEventLoop::AllEvents, 50);

    std::printf("%d cells of %.1f s training each, one at a time: view closed %.2f s, view open %.2f s "
                "(ratio %.3f, target <= 1.05); %d globals listed\n",
                kTrainingCells, secondsPerCell, closed, open, open / closed, int(view->variables().size()));
    probe.print();
    return 0;
}
