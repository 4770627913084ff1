#pragma once

#include "kernel/sandbox.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

class QLocalSocket;
class QThread;
class QTimer;

namespace kiln {

class OutputBuffer;
class KernelWorker;

namespace kernel {
class FrameReader;
}

// The kernel process's side of the protocol (kernelprotocol.h): connects to the
// window's socket, runs each cell on a worker thread that owns the Lua session,
// and streams output back at most ~30 times a second. The main thread only moves
// messages, so an interrupt is seen however long the cell's native call runs; if
// the window goes away the kernel leaves at once rather than finish the cell.
class KernelServer : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        qintptr socketDescriptor = -1;  // connected to the window
        QString notebookDirectory;
        QStringList writableFolders;  // empty: Lua-level write checks off
        SandboxStatus sandbox;        // what the sandbox holds, told to the window
    };

    explicit KernelServer(const Options &options, QObject *parent = nullptr);
    ~KernelServer() override;

    // Takes over the channel and says hello. False (with *error) when the
    // descriptor is not a usable socket.
    bool start(QString *error);

private:
    void onReadyRead();
    void handle(const QCborMap &message);
    void send(const QCborMap &message);
    void drainOutput();
    void onWorkerFinished(quint64 requestId, const QCborMap &result);

    Options mOptions;
    QLocalSocket *mSocket;
    std::unique_ptr<kernel::FrameReader> mReader;
    QThread *mThread;
    KernelWorker *mWorker;
    std::shared_ptr<std::atomic<bool>> mInterrupt;
    std::shared_ptr<OutputBuffer> mOutput;
    QTimer *mDrainTimer;
    quint64 mRunningId = 0;
};

} // namespace kiln
