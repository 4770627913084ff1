#pragma once

#include "evalresult.h"
#include "outputitem.h"

#include <QObject>
#include <QQueue>
#include <QString>

#include <atomic>
#include <memory>

class QThread;
class QTimer;

namespace kiln {

class RuntimeWorker;
class OutputBuffer;

// A notebook's Lua runtime, seen from the thread that owns it (the window or the
// CLI). The Lua state lives in a worker on its own thread; requests queue up and
// run one at a time; results come back as queued signals. Output is buffered and
// delivered by a timer at most ~30 times a second, so a print flood cannot flood
// the caller's event loop. No method blocks.
class Runtime : public QObject
{
    Q_OBJECT

public:
    explicit Runtime(QObject *parent = nullptr);
    ~Runtime() override;

    // Where `require` finds the notebook's own modules.
    void setNotebookDirectory(const QString &directory);
    // Text kept per delivery when output arrives faster than it is drained; older
    // lines are dropped with a note. 0 keeps everything (the CLI prints it all).
    void setMaxBufferedText(qsizetype characters);

    // Queues the code of a cell; returns a request id. `cellId` names the chunk, so
    // errors and tracebacks point into the right cell.
    quint64 evaluate(const QString &cellId, const QString &code);
    // Stops the running evaluation (not the queued ones). Safe at any moment.
    void interrupt();
    // Drops queued requests; each gets finished(Cancelled).
    void cancelPending();
    // Interrupts, drops the queue and starts a fresh Lua state.
    void restart();

    bool isBusy() const { return mRunning.requestId != 0; }
    QString runningCellId() const { return mRunning.cellId; }
    int pendingCount() const { return int(mPending.size()); }

Q_SIGNALS:
    void started(const QString &cellId, quint64 requestId);
    void outputReady(const QString &cellId, const kiln::OutputList &items);
    void finished(const QString &cellId, quint64 requestId, const kiln::EvalResult &result);
    void failed(const QString &cellId, const kiln::ErrorInfo &error);
    void restarted();
    void idle();

private:
    struct Request
    {
        quint64 requestId = 0;
        QString cellId;
        QString code;
    };

    void dispatchNext();
    void drainOutput();
    void onWorkerStarted(quint64 requestId);
    void onWorkerFinished(quint64 requestId, const kiln::EvalResult &result);

    QThread *mThread;
    RuntimeWorker *mWorker;
    std::shared_ptr<std::atomic<bool>> mInterrupt;
    std::shared_ptr<OutputBuffer> mOutput;
    QTimer *mDrainTimer;
    QQueue<Request> mPending;
    Request mRunning;
    quint64 mNextRequestId = 1;
};

} // namespace kiln
