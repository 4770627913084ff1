#pragma once

#include <QtGlobal>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>

namespace kiln {

// Holds a worker still between two Lua instructions while the user has paused
// it: nothing is torn down or copied, so a resumed run goes on exactly where it
// was (same weights, optimizer state and random generator) and gives the same
// result as one that never paused. Pause and resume come from any thread; the
// worker waits in wait(), which an interrupt also ends.
class PauseGate
{
public:
    void pause();
    void resume();
    bool isPaused() const { return mPaused.load(std::memory_order_relaxed); }

    // Blocks the calling (worker) thread while paused and `interrupt` is not set.
    // Cheap when not paused: one relaxed load.
    void wait(const std::atomic<bool> &interrupt)
    {
        if (mPaused.load(std::memory_order_relaxed))
            waitSlow(interrupt);
    }

    // Milliseconds the worker has spent held, so durations can leave them out.
    qint64 heldMilliseconds() const { return mHeldMs.load(); }

private:
    void waitSlow(const std::atomic<bool> &interrupt);

    std::atomic<bool> mPaused{false};
    std::atomic<qint64> mHeldMs{0};
    std::mutex mMutex;
    std::condition_variable mChanged;
};

} // namespace kiln
