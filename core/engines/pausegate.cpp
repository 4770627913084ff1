#include "engines/pausegate.h"

#include <QElapsedTimer>

#include <chrono>

namespace kiln {

void PauseGate::pause()
{
    std::lock_guard<std::mutex> lock(mMutex);
    mPaused.store(true);
}

void PauseGate::resume()
{
    {
        std::lock_guard<std::mutex> lock(mMutex);
        mPaused.store(false);
    }
    mChanged.notify_all();
}

void PauseGate::waitSlow(const std::atomic<bool> &interrupt)
{
    QElapsedTimer held;
    held.start();
    std::unique_lock<std::mutex> lock(mMutex);
    // The interrupt flag is set without this mutex (it is shared with code that
    // knows nothing of pausing), so look at it every so often.
    while (mPaused.load() && !interrupt.load())
        mChanged.wait_for(lock, std::chrono::milliseconds(50));
    mHeldMs += held.elapsed();
}

} // namespace kiln
