// GUI responsiveness while a cell trains: the window runs a cell that trains
// the Fashion-MNIST MLP and pushes 10,000 plot points a second into its live
// plot, while a 5 ms timer on the GUI thread records how late it fires.
// Prints p50, p99 and max lateness. Target: p99 <= 16 ms.
// Usage: bench_gui_latency [SECONDS]
#include "latencyprobe.h"

#include "mainwindow.h"
#include "document/notebook.h"
#include "document/notebookformat.h"
#include "kernel/runtime.h"

#include <QApplication>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const double seconds = argc > 1 ? std::atof(argv[1]) : 10.0;
    QTemporaryDir dir;
    kiln::NotebookContent content;
    content.title = QStringLiteral("Latency");
    kiln::Cell cell = kiln::Cell::make(kiln::CellKind::Code);
    cell.source = QStringLiteral(
                      "local train = datasets.fashion_mnist('train')\n"
                      "local x, y = train.x:view(-1, 784), train.y\n"
                      "local model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))\n"
                      "local opt = optim.Adam(model:parameters(), {lr = 1e-3})\n"
                      "local started, pushed, steps = time.perf_counter(), 0, 0\n"
                      "while time.perf_counter() - started < %1 do\n"
                      "  local index = torch.randint(0, 60000, {16})\n"
                      "  local loss = F.cross_entropy(model(x:index_select(0, index)), y:index_select(0, index))\n"
                      "  opt:zero_grad(); loss:backward(); opt:step()\n"
                      "  steps = steps + 1\n"
                      "  local value = loss:item()\n"
                      "  -- 10,000 points a second, however fast the steps are\n"
                      "  local due = math.floor((time.perf_counter() - started) * 10000)\n"
                      "  while pushed < due do plot.push('loss', pushed, value); pushed = pushed + 1 end\n"
                      "end\n"
                      "print(pushed, steps)\n")
                      .arg(seconds);
    content.cells.append(cell);
    const QString path = dir.filePath(QStringLiteral("latency.kiln.md"));
    QString error;
    kiln::NotebookFormat::save(path, content, &error);

    kiln::MainWindow window;
    window.resize(1200, 900);
    window.show();
    window.openFile(path);
    app.processEvents();

    kilnbench::LatencyProbe probe;
    bool done = false;
    QObject::connect(window.runtime(), &kiln::Runtime::finished, [&] { done = true; });
    QTimer::singleShot(500, [&] { probe.start(); });  // the dataset loads first
    window.runAll();
    while (!done)
        app.processEvents(QEventLoop::WaitForMoreEvents);
    probe.stop();

    const kiln::Cell &ran = window.notebook()->cell(0);
    QString printed;
    for (const kiln::OutputItem &item : ran.outputs) {
        if (item.kind == kiln::OutputItem::Kind::Text || item.kind == kiln::OutputItem::Kind::Error)
            printed += item.text.trimmed();
    }
    std::printf("cell output (points pushed, training steps): %s\n", qPrintable(printed));
    probe.print();
    return 0;
}
