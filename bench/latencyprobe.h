#pragma once

// The GUI benchmarks' yardstick: a precise timer on the GUI thread that
// records how late each tick fires, i.e. how long the event loop was kept
// from running while work went on elsewhere.
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <vector>

namespace kilnbench {

// Lateness of a 5 ms (by default) Qt::PreciseTimer; samples gather over every
// start()/stop().
class LatencyProbe
{
public:
    explicit LatencyProbe(int intervalMs = 5)
        : mIntervalMs(intervalMs)
    {
        mTimer.setTimerType(Qt::PreciseTimer);
        mTimer.setInterval(intervalMs);
        QObject::connect(&mTimer, &QTimer::timeout, [this] {
            const qint64 now = mClock.nsecsElapsed();
            if (mLast > 0)
                mLateness.push_back(std::max(0.0, double(now - mLast) / 1e6 - mIntervalMs));
            mLast = now;
        });
    }

    void start()
    {
        mLast = 0;
        mClock.start();
        mTimer.start();
    }
    void stop() { mTimer.stop(); }

    int intervalMs() const { return mIntervalMs; }
    size_t ticks() const { return mLateness.size(); }
    // Lateness in milliseconds at quantile p (0..1) of the ticks from the
    // `from`th on (ticks() before a start() gives that run's); 0 without ticks.
    double percentile(double p, size_t from = 0) const
    {
        if (from >= mLateness.size())
            return 0.0;
        std::vector<double> sorted(mLateness.begin() + std::ptrdiff_t(from), mLateness.end());
        std::sort(sorted.begin(), sorted.end());
        return sorted[std::min(sorted.size() - 1, size_t(p * double(sorted.size())))];
    }
    double max() const { return mLateness.empty() ? 0.0 : *std::max_element(mLateness.begin(), mLateness.end()); }

    // "5 ms GUI timer over N ticks: lateness p50 …, p99 …, max … (target p99 <= 16 ms)"
    void print() const
    {
        std::printf("%d ms GUI timer over %zu ticks: lateness p50 %.2f ms, p99 %.2f ms, max %.2f ms (target p99 <= 16 ms)\n",
                    mIntervalMs, ticks(), percentile(0.5), percentile(0.99), max());
    }

private:
    int mIntervalMs;
    QTimer mTimer;
    QElapsedTimer mClock;
    qint64 mLast = 0;
    std::vector<double> mLateness;
};

} // namespace kilnbench
