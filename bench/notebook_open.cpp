// Opening a large notebook in the window: a generated notebook of 1,000 cells
// (code and Markdown alternating) is loaded and shown; prints the time until the
// window is laid out and the resident memory it added, then the time to scroll
// from top to bottom in steps, and what a completion popup's scan of the
// notebook's globals costs. Target: under one second to open.
#include "luacompletion.h"
#include "mainwindow.h"
#include "document/notebook.h"
#include "document/notebookformat.h"
#include "notebookview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QLayout>
#include <QScrollBar>
#include <QTemporaryDir>

#include <cstdio>
#include <unistd.h>

namespace {

long residentKiB()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    return statm.readAll().split(' ').value(1).toLong() * (sysconf(_SC_PAGESIZE) / 1024);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const int cells = argc > 1 ? std::atoi(argv[1]) : 1000;
    QTemporaryDir dir;
    kiln::NotebookContent content;
    content.title = QStringLiteral("Large notebook");
    for (int i = 0; i < cells; ++i) {
        kiln::Cell cell = kiln::Cell::make(i % 2 ? kiln::CellKind::Markdown : kiln::CellKind::Code);
        cell.source = i % 2 ? QStringLiteral("Some *notes* about step %1.").arg(i)
                            : QStringLiteral("local x%1 = torch.randn(4, 4)\nlocal y = x%1:matmul(x%1:t())\nprint(y:sum():item())").arg(i);
        content.cells.append(cell);
    }
    const QString path = dir.filePath(QStringLiteral("large.kiln.md"));
    QString error;
    if (!kiln::NotebookFormat::save(path, content, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }

    kiln::MainWindow window;
    window.resize(1200, 900);
    window.show();
    // The window starts its kernel process at once; let it settle, so that the
    // figures are the window's own and not the kernel's start on the other core.
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 2000)
        app.processEvents(QEventLoop::AllEvents, 50);
    const long before = residentKiB();
    QElapsedTimer timer;
    timer.start();
    window.openFile(path);
    window.notebookView()->widget()->layout()->activate();
    app.processEvents();
    const qint64 openMs = timer.elapsed();
    const long after = residentKiB();

    QScrollBar *bar = window.notebookView()->verticalScrollBar();
    QElapsedTimer scroll;
    scroll.start();
    int frames = 0;
    // Half a page at a time, as a wheel or a drag would, painting each step
    // (and creating the editors that come into view).
    for (int value = 0; value <= bar->maximum(); value += qMax(1, bar->pageStep() / 2), ++frames) {
        bar->setValue(value);
        window.notebookView()->viewport()->repaint();
        app.processEvents();
    }
    const qint64 scrollMs = scroll.elapsed();

    std::printf("notebook of %d cells: opened and laid out in %lld ms (target < 1000 ms)\n", cells, (long long)openMs);
    std::printf("resident memory added: %ld MiB\n", (after - before) / 1024);
    std::printf("scrolled top to bottom in %d steps: %.1f ms per step (target <= 16 ms)\n", frames,
                frames ? double(scrollMs) / frames : 0.0);
    std::printf("resident memory after scrolling through: %ld MiB more than before opening\n",
                (residentKiB() - before) / 1024);

    // What each completion popup costs in this notebook: the scan of every code
    // cell for the globals it assigns (done afresh per popup, as typing changes
    // the sources it reads).
    QStringList sources;
    for (const kiln::Cell &cell : content.cells) {
        if (cell.kind == kiln::CellKind::Code)
            sources.append(cell.source);
    }
    constexpr int kScans = 50;
    QElapsedTimer scan;
    scan.start();
    qsizetype found = 0;
    for (int i = 0; i < kScans; ++i)
        found += kiln::LuaCompletion::guessGlobals(sources).size();
    std::printf("completion's scan of the notebook's globals: %.2f ms per popup (%lld names; target <= 16 ms)\n",
                double(scan.nsecsElapsed()) / 1e6 / kScans, (long long)(found / kScans));
    return 0;
}
