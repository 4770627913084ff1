// The inference panel on a folder of 10,000 images: the run happens on a worker
// thread while a 5 ms timer on the GUI thread records how late it fires.
// Prints images per second and the timer's lateness (p50, p99, max).
// Target: p99 <= 16 ms. Usage: bench_inference_latency [IMAGES]
#include "inferencepanel.h"
#include "luasession.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QDir>
#include <QImage>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

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

    std::vector<double> lateness;
    QElapsedTimer clock;
    qint64 last = 0;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(5);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (last > 0)
            lateness.push_back(std::max(0.0, double(now - last) / 1e6 - 5.0));
        last = now;
    });
    bool done = false;
    QObject::connect(&panel, &kiln::InferencePanel::finished, [&] { done = true; });
    clock.start();
    tick.start();
    panel.run();
    while (!done)
        app.processEvents(QEventLoop::WaitForMoreEvents);
    const double seconds = double(clock.elapsed()) / 1000.0;
    tick.stop();

    std::sort(lateness.begin(), lateness.end());
    auto percentile = [&](double p) {
        return lateness.empty() ? 0.0 : lateness[std::min(lateness.size() - 1, size_t(p * double(lateness.size())))];
    };
    std::printf("%d images in %.2f s (%.0f images/s): %lld result rows\n", count, seconds, count / seconds,
                (long long)panel.results().rows.size());
    std::printf("5 ms GUI timer over %zu ticks: lateness p50 %.2f ms, p99 %.2f ms, max %.2f ms (target p99 <= 16 ms)\n",
                lateness.size(), percentile(0.5), percentile(0.99), lateness.empty() ? 0.0 : lateness.back());
    return 0;
}
