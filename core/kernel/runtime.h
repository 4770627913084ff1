#pragma once

#include "kernel/sandbox.h"

#include "document/evalresult.h"
#include "document/outputitem.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QQueue>
#include <QString>
#include <QStringList>

#include <memory>

class QCborMap;
class QLocalServer;
class QLocalSocket;
class QTimer;

namespace kiln {

class OutputBuffer;

namespace kernel {
class FrameReader;
}

// A notebook's runtime, seen from the window or `kiln run`. The Lua state and
// everything a cell calls live in a kernel process of their own (`kiln-kernel`,
// see kernelprotocol.h), so a crash, a runaway native call or a hostile file
// ends that process, never the caller. Requests queue here and run one at a
// time; results come back as signals. No method blocks.
//
// Interrupt asks the cell to stop; a cell stuck in one native call cannot hear
// it, so after a grace period interruptUnanswered() offers forceStop(), which
// ends the kernel. A kernel that dies (a signal, the memory limit) fails the
// running cell with the reason and emits stopped(); the next evaluation, or
// restart(), starts a fresh one.
class Runtime : public QObject
{
    Q_OBJECT

public:
    enum class State { NotStarted, Starting, Idle, Busy };

    explicit Runtime(QObject *parent = nullptr);
    ~Runtime() override;

    // Where `require` finds the notebook's own modules; the folder the sandbox
    // lets notebook code write to (from the next kernel start).
    void setNotebookDirectory(const QString &directory);
    // Folders the user granted notebook code in Preferences (next kernel start).
    void setGrantedFolders(const QStringList &folders);
    // The kernel is ended when its resident memory passes this; 0: no limit.
    void setMemoryLimit(qint64 bytes);
    // Text kept per delivery when output arrives faster than it is drained; older
    // lines are dropped with a note. 0 keeps everything (the CLI prints it all).
    void setMaxBufferedText(qsizetype characters);

    // Queues the code of a cell; returns a request id. `cellId` names the chunk, so
    // errors and tracebacks point into the right cell.
    quint64 evaluate(const QString &cellId, const QString &code);
    // Asks the running evaluation to stop (not the queued ones). Safe at any moment.
    void interrupt();
    // Drops queued requests; each gets finished(Cancelled).
    void cancelPending();
    // Ends the kernel at once (the running cell finishes Interrupted), drops the
    // queue and starts a fresh kernel.
    void restart();
    // Ends the kernel of a cell that did not answer interrupt(); emits stopped().
    void forceStop();
    // Starts a kernel now rather than on the first evaluation.
    void warmUp();

    // A cell runs (or waits for its kernel to start).
    bool isBusy() const { return hasRunning(); }
    QString runningCellId() const { return mRunning.cellId; }
    int pendingCount() const { return int(mPending.size()); }
    State state() const;
    // The kernel's resident memory in bytes, -1 when no kernel runs.
    qint64 kernelMemory() const { return mKernelMemory; }
    // The kernel's process id, 0 when none runs.
    qint64 kernelProcessId() const;
    // What the kernel's sandbox holds, as the kernel reported it.
    QString sandboxDescription() const { return mSandbox.applied ? mSandbox.describe() : QString(); }
    const SandboxStatus &sandboxStatus() const { return mSandbox; }
    // How long interrupt() waits before interruptUnanswered().
    static constexpr int kInterruptGraceMs = 2000;
    // Resident memory of a process in bytes (Linux /proc), -1 when unknown: the
    // kernel's for the memory limit, the window's own for the status bar.
    static qint64 residentMemory(qint64 processId);

Q_SIGNALS:
    void started(const QString &cellId, quint64 requestId);
    void outputReady(const QString &cellId, const kiln::OutputList &items);
    void finished(const QString &cellId, quint64 requestId, const kiln::EvalResult &result);
    void failed(const QString &cellId, const kiln::ErrorInfo &error);
    void restarted();
    // The kernel ended without being asked (or by forceStop()); its state is gone.
    void stopped(const QString &reason);
    void interruptUnanswered(const QString &cellId);
    void idle();

private:
    struct Request
    {
        quint64 requestId = 0;
        QString cellId;
        QString code;
    };
    struct Kernel;

    bool hasRunning() const { return mRunning.requestId != 0; }
    void startKernel();
    void onNewConnection();
    void onReadyRead();
    void handle(const QCborMap &message);
    void onKernelExited();
    void send(const QCborMap &message);
    void sendInterrupt();
    void dispatchNext();
    void endKernel(const QString &reason, EvalResult::Status status, bool emitStopped);
    void finishRunning(const EvalResult &result);
    void updateMemory();
    void sendConfiguration();
    void sendRunning();
    void drainOutput();
    void renewUnusedKernel();

    std::unique_ptr<Kernel> mKernel;
    // Kernels ended but not yet reaped; the destructor waits for them.
    QList<QPointer<QProcess>> mEndedProcesses;
    QTimer *mGraceTimer;
    QTimer *mMemoryTimer;
    QTimer *mDrainTimer;
    std::unique_ptr<OutputBuffer> mOutput;
    QQueue<Request> mPending;
    Request mRunning;
    bool mRunningSent = false;       // the kernel has the running request
    bool mInterruptPending = false;  // interrupt() came before the kernel had it
    quint64 mNextRequestId = 1;
    QString mNotebookDirectory;
    QStringList mGrantedFolders;
    qint64 mMemoryLimit = 0;
    qint64 mKernelMemory = -1;
    qsizetype mMaxBufferedText = 0;
    SandboxStatus mSandbox;
};

// Where the kernel executable is: $KILN_KERNEL, beside the running program, or
// in the build tree.
QString kernelExecutable();

} // namespace kiln
