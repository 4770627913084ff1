// The inference panel on a folder of 10,000 images: the run happens on a worker
// thread while a 5 ms timer on the GUI thread records how late it fires.
// Prints images per second and the timer's lateness (p50, p99, max).
// Target: p99 <= 16 ms. Usage: bench_inference_latency [IMAGES]
#include "latencyprobe.h"

#include "inferencepanel.h"
#include "kernel/luasession.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QTemporaryDir>

#include <cstdio>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const int count = argc > 1 ? std::atoi(argv[1]) : 10000;
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("images"));
    QDir().mkpath(folder);
    QImage image(28, 28, QImage::Format_Grayscale8);
    for (int i = 0; i < count; ++i) {
        image.fill(i % 256);
        image.save(QStringLiteral("%1/%2.png").arg(folder).arg(i, 5, 10, QLatin1Char('0')));
    }
    const QString model = dir.filePath(QStringLiteral("cnn.pt"));
    kiln::LuaSession session(std::make_shared<std::atomic<bool>>(false), [](const kiln::OutputItem &) {});
    session.evaluate(QStringLiteral("local m = nn.Sequential(nn.Conv2d(1, 8, 3, {padding = 1}), nn.ReLU(), nn.MaxPool2d(2),"
                                    " nn.Flatten(), nn.Linear(8 * 14 * 14, 10))\nm:eval()\n"
                                    "torch.jit.trace(m, torch.zeros(1, 1, 28, 28)):save('%1')")
                         .arg(model));

    kiln::InferencePanel panel;
    panel.resize(480, 900);
    panel.show();
    panel.setModel(model);
    panel.addInputs({folder});
    app.processEvents();

    kilnbench::LatencyProbe probe;
    bool done = false;
    QObject::connect(&panel, &kiln::InferencePanel::finished, [&] { done = true; });
    QElapsedTimer clock;
    clock.start();
    probe.start();
    panel.run();
    while (!done)
        app.processEvents(QEventLoop::WaitForMoreEvents);
    const double seconds = double(clock.elapsed()) / 1000.0;
    probe.stop();

    std::printf("%d images in %.2f s (%.0f images/s): %lld result rows\n", count, seconds, count / seconds,
                (long long)panel.results().rows.size());
    probe.print();
    return 0;
}
