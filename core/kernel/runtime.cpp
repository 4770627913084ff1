#include "kernel/runtime.h"

#include "kernel/kernelprotocol.h"
#include "kernel/outputbuffer.h"
#include "luaapi/torchruntime.h"

#include <QCborMap>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QPointer>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTimer>

#include <csignal>
#include <cstring>
#include <unistd.h>

namespace kiln {

namespace {
constexpr int kStartTimeoutMs = 60000;  // loading libtorch's CUDA half can take a while
constexpr int kMemoryPollMs = 500;
constexpr int kDrainIntervalMs = 33;  // about 30 deliveries a second

QString signalName(int signal)
{
    const char *abbreviation = ::sigabbrev_np(signal);
    const QString name = abbreviation ? QStringLiteral("SIG") + QString::fromLatin1(abbreviation)
                                      : QStringLiteral("signal %1").arg(signal);
    switch (signal) {
    case SIGKILL:
        return name + QStringLiteral(" (killed from outside; the system does this when memory runs out)");
    case SIGSEGV:
        return name + QStringLiteral(" (a native crash: segmentation fault)");
    case SIGABRT:
        return name + QStringLiteral(" (a native crash: aborted)");
    default:
        if (const char *description = ::strsignal(signal))
            return name + QStringLiteral(" (") + QString::fromLocal8Bit(description).toLower() + QLatin1Char(')');
        return name;
    }
}

QString mebibytes(qint64 bytes)
{
    return QStringLiteral("%1 MiB").arg(bytes >> 20);
}
} // namespace

QString kernelExecutable()
{
    const QString fromEnvironment = qEnvironmentVariable("KILN_KERNEL");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    const QString beside = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("kiln-kernel"));
    if (QFileInfo(beside).isExecutable())
        return beside;
#ifdef KILN_KERNEL_BUILD_PATH
    return QStringLiteral(KILN_KERNEL_BUILD_PATH);
#else
    return beside;
#endif
}

// One kernel process and the connection to it.
struct Runtime::Kernel
{
    QProcess *process = nullptr;
    QLocalServer *server = nullptr;
    QPointer<QLocalSocket> socket;
    kernel::FrameReader reader;
    QTimer *startTimer = nullptr;
    bool ready = false;
    bool used = false;  // a request was sent: it holds state now

    // Ends the process without waiting; its QProcess deletes itself once the
    // process is reaped.
    void end()
    {
        QObject::disconnect(process, nullptr, nullptr, nullptr);
        if (socket)
            QObject::disconnect(socket, nullptr, nullptr, nullptr);
        if (process->state() != QProcess::NotRunning) {
            QObject::connect(process, &QProcess::finished, process, &QObject::deleteLater);
            process->kill();
        } else {
            process->deleteLater();
        }
        process->setParent(nullptr);
        server->deleteLater();
        startTimer->deleteLater();
        if (socket)
            socket->deleteLater();
    }
};

Runtime::Runtime(QObject *parent)
    : QObject(parent)
    , mGraceTimer(new QTimer(this))
    , mMemoryTimer(new QTimer(this))
    , mDrainTimer(new QTimer(this))
    , mOutput(std::make_unique<OutputBuffer>())
{
    qRegisterMetaType<kiln::EvalResult>();
    qRegisterMetaType<kiln::OutputList>();
    qRegisterMetaType<kiln::ErrorInfo>();
    mGraceTimer->setSingleShot(true);
    mGraceTimer->setTimerType(Qt::PreciseTimer);  // a coarse timer may fire 5% early
    mGraceTimer->setInterval(kInterruptGraceMs);
    connect(mGraceTimer, &QTimer::timeout, this, [this] {
        if (hasRunning())
            Q_EMIT interruptUnanswered(mRunning.cellId);
    });
    mDrainTimer->setInterval(kDrainIntervalMs);
    connect(mDrainTimer, &QTimer::timeout, this, &Runtime::drainOutput);
    mMemoryTimer->setInterval(kMemoryPollMs);
    connect(mMemoryTimer, &QTimer::timeout, this, &Runtime::updateMemory);
}

Runtime::~Runtime()
{
    mPending.clear();
    if (mKernel) {
        mEndedProcesses.append(mKernel->process);
        mKernel->end();
    }
    // Killed kernels are reaped here, not left to an event loop that has stopped.
    for (const QPointer<QProcess> &process : std::as_const(mEndedProcesses)) {
        if (!process)
            continue;
        process->waitForFinished(2000);
        delete process.data();
    }
}

void Runtime::setNotebookDirectory(const QString &directory)
{
    if (directory == mNotebookDirectory)
        return;
    mNotebookDirectory = directory;
    sendConfiguration();
    renewUnusedKernel();
}

void Runtime::setGrantedFolders(const QStringList &folders)
{
    if (folders == mGrantedFolders)
        return;
    mGrantedFolders = folders;
    renewUnusedKernel();
}

void Runtime::renewUnusedKernel()
{
    // The sandbox is fixed when a kernel starts. One that holds no state yet is
    // swapped for one whose sandbox has the new folders; one that does keeps
    // running, and the folders count from its next start.
    if (!mKernel || mKernel->used || hasRunning())
        return;
    endKernel(QString(), EvalResult::Status::Cancelled, false);
    startKernel();
}

void Runtime::setMemoryLimit(qint64 bytes)
{
    mMemoryLimit = bytes;
}

void Runtime::setMaxBufferedText(qsizetype characters)
{
    mMaxBufferedText = characters;
    mOutput->setMaxText(characters);
    sendConfiguration();
}

Runtime::State Runtime::state() const
{
    if (!mKernel)
        return State::NotStarted;
    if (!mKernel->ready)
        return State::Starting;
    return hasRunning() ? State::Busy : State::Idle;
}

qint64 Runtime::kernelProcessId() const
{
    return mKernel ? mKernel->process->processId() : 0;
}

quint64 Runtime::evaluate(const QString &cellId, const QString &code)
{
    Request request;
    request.requestId = mNextRequestId++;
    request.cellId = cellId;
    request.code = code;
    mPending.enqueue(request);
    dispatchNext();
    return request.requestId;
}

void Runtime::interrupt()
{
    if (!hasRunning())
        return;
    if (!mRunningSent) {
        mInterruptPending = true;
    } else if (mKernel && mKernel->ready) {
        sendInterrupt();
    }
    if (!mGraceTimer->isActive())
        mGraceTimer->start();
}

void Runtime::cancelPending()
{
    const QQueue<Request> dropped = std::exchange(mPending, {});
    for (const Request &request : dropped) {
        EvalResult result;
        result.status = EvalResult::Status::Cancelled;
        Q_EMIT finished(request.cellId, request.requestId, result);
    }
}

void Runtime::restart()
{
    cancelPending();
    endKernel(tr("interrupted: the runtime was restarted"), EvalResult::Status::Interrupted, false);
    Q_EMIT restarted();
    startKernel();
}

void Runtime::forceStop()
{
    if (!mKernel)
        return;
    cancelPending();
    endKernel(tr("stopped: the cell did not answer Interrupt, so its runtime was ended (Force Stop)"),
              EvalResult::Status::Interrupted, true);
    startKernel();
}

void Runtime::warmUp()
{
    if (!mKernel)
        startKernel();
}

void Runtime::startKernel()
{
    auto kernelState = std::make_unique<Kernel>();
    Kernel *k = kernelState.get();
    k->server = new QLocalServer(this);
    k->server->setSocketOptions(QLocalServer::UserAccessOption);
    const QString name = QStringLiteral("kiln-kernel-%1-%2")
                             .arg(QCoreApplication::applicationPid())
                             .arg(QRandomGenerator::system()->generate64(), 16, 16, QLatin1Char('0'));
    k->process = new QProcess(this);
    k->startTimer = new QTimer(this);
    mKernel = std::move(kernelState);
    mSandbox = SandboxStatus();

    if (!k->server->listen(name)) {
        endKernel(tr("the runtime could not start: no local socket (%1)").arg(k->server->errorString()),
                  EvalResult::Status::Error, false);
        return;
    }
    connect(k->server, &QLocalServer::newConnection, this, &Runtime::onNewConnection);

    QStringList arguments{QStringLiteral("--connect"), k->server->fullServerName(),
                          QStringLiteral("--parent"), QString::number(QCoreApplication::applicationPid()),
                          QStringLiteral("--device"), torchruntime::defaultDevice(),
                          QStringLiteral("--threads"), QString::number(torchruntime::threads())};
    if (!mNotebookDirectory.isEmpty())
        arguments << QStringLiteral("--notebook-dir") << mNotebookDirectory;
    for (const QString &folder : std::as_const(mGrantedFolders))
        arguments << QStringLiteral("--grant") << folder;
    if (QStandardPaths::isTestModeEnabled())
        arguments << QStringLiteral("--test-mode");

    // As in Jupyter, relative paths in a notebook start at its folder.
    if (!mNotebookDirectory.isEmpty() && QFileInfo(mNotebookDirectory).isDir())
        k->process->setWorkingDirectory(mNotebookDirectory);
    k->process->setProcessChannelMode(QProcess::ForwardedChannels);
    k->process->setStandardInputFile(QProcess::nullDevice());
    connect(k->process, &QProcess::finished, this, &Runtime::onKernelExited);
    connect(k->process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            endKernel(tr("the runtime could not start: %1 (%2)").arg(kernelExecutable(), mKernel->process->errorString()),
                      EvalResult::Status::Error, true);
    });
    k->startTimer->setSingleShot(true);
    connect(k->startTimer, &QTimer::timeout, this, [this] {
        endKernel(tr("the runtime did not start within %1 s").arg(kStartTimeoutMs / 1000),
                  EvalResult::Status::Error, true);
    });
    k->startTimer->start(kStartTimeoutMs);
    k->process->start(kernelExecutable(), arguments);
}

void Runtime::onNewConnection()
{
    if (!mKernel)
        return;
    QLocalSocket *socket = mKernel->server->nextPendingConnection();
    if (!socket || mKernel->socket) {
        delete socket;
        return;
    }
    // One kernel per server: nobody else gets to connect afterwards.
    mKernel->server->close();
    mKernel->socket = socket;
    socket->setParent(this);
    connect(socket, &QLocalSocket::readyRead, this, &Runtime::onReadyRead);
    onReadyRead();
}

void Runtime::onReadyRead()
{
    if (!mKernel || !mKernel->socket)
        return;
    mKernel->reader.append(mKernel->socket->readAll());
    QCborMap message;
    while (mKernel && mKernel->reader.next(&message))
        handle(message);
    if (mKernel && mKernel->reader.failed())
        endKernel(tr("the runtime stopped: it sent a malformed message (%1)").arg(mKernel->reader.error()),
                  EvalResult::Status::Error, true);
}

void Runtime::handle(const QCborMap &message)
{
    const QString type = kernel::messageType(message);
    const quint64 id = quint64(message.value(QStringLiteral("id")).toInteger());
    if (!mKernel->ready) {
        const qint64 pid = message.value(QStringLiteral("pid")).toInteger();
        const qint64 protocol = message.value(QStringLiteral("protocol")).toInteger();
        if (type != kernel::type::hello || pid != mKernel->process->processId()) {
            endKernel(tr("the runtime stopped: it did not introduce itself"), EvalResult::Status::Error, true);
            return;
        }
        if (protocol != kernel::kProtocolVersion) {
            endKernel(tr("the runtime speaks protocol %1, this Kiln speaks %2; reinstall Kiln")
                          .arg(protocol)
                          .arg(kernel::kProtocolVersion),
                      EvalResult::Status::Error, true);
            return;
        }
        mKernel->ready = true;
        mKernel->startTimer->stop();
        mSandbox = SandboxStatus::fromCbor(message.value(QStringLiteral("sandbox")).toMap());
        mMemoryTimer->start();
        updateMemory();
        sendConfiguration();
        if (hasRunning() && !mRunningSent)
            sendRunning();
        else
            dispatchNext();
        return;
    }
    if (type == kernel::type::started) {
        if (id == mRunning.requestId)
            Q_EMIT started(mRunning.cellId, id);
    } else if (type == kernel::type::output) {
        OutputList items;
        QString error;
        if (!kernel::decodeOutputs(message.value(QStringLiteral("items")), &items, &error)) {
            endKernel(tr("the runtime stopped: it sent %1").arg(error), EvalResult::Status::Error, true);
            return;
        }
        // Buffered here too, and handed on by a timer: a window slower than the
        // kernel's output then drops the oldest text instead of falling behind.
        if (id == mRunning.requestId) {
            for (const OutputItem &item : std::as_const(items))
                mOutput->append(item);
            if (!mDrainTimer->isActive())
                mDrainTimer->start();
        }
    } else if (type == kernel::type::finished) {
        EvalResult result;
        QString error;
        if (!kernel::decodeResult(message.value(QStringLiteral("result")), &result, &error)) {
            endKernel(tr("the runtime stopped: it sent %1").arg(error), EvalResult::Status::Error, true);
            return;
        }
        if (id == mRunning.requestId)
            finishRunning(result);
    }
}

void Runtime::onKernelExited()
{
    if (!mKernel)
        return;
    QProcess *process = mKernel->process;
    QString reason;
    if (process->exitStatus() == QProcess::CrashExit)
        reason = tr("the runtime stopped: %1").arg(signalName(process->exitCode()));
    else
        reason = tr("the runtime stopped: it exited with status %1").arg(process->exitCode());
    if (mKernelMemory > 0 && process->exitStatus() == QProcess::CrashExit && process->exitCode() == SIGKILL)
        reason += tr("; it held %1 at the last look").arg(mebibytes(mKernelMemory));
    endKernel(reason, EvalResult::Status::Error, true);
}

void Runtime::send(const QCborMap &message)
{
    if (mKernel && mKernel->ready && mKernel->socket)
        mKernel->socket->write(kernel::encodeFrame(message));
}

void Runtime::sendConfiguration()
{
    QCborMap message;
    message.insert(QStringLiteral("type"), kernel::type::configure);
    message.insert(QStringLiteral("notebookDirectory"), mNotebookDirectory);
    message.insert(QStringLiteral("maxBufferedText"), qint64(mMaxBufferedText));
    send(message);
}

void Runtime::dispatchNext()
{
    if (hasRunning() || mPending.isEmpty())
        return;
    if (!mKernel) {
        startKernel();
        if (!mKernel)
            return;  // it failed at once; the queue was failed with it
    }
    // The request runs from now on, even while the kernel is still starting: an
    // interrupt meant for it must not fall through to the queue.
    mRunning = mPending.dequeue();
    mRunningSent = false;
    mInterruptPending = false;
    mKernel->used = true;
    mGraceTimer->stop();
    if (mKernel->ready)
        sendRunning();
}

void Runtime::sendRunning()
{
    QCborMap message;
    message.insert(QStringLiteral("type"), kernel::type::evaluate);
    message.insert(QStringLiteral("id"), qint64(mRunning.requestId));
    message.insert(QStringLiteral("cell"), mRunning.cellId);
    message.insert(QStringLiteral("code"), mRunning.code);
    send(message);
    mRunningSent = true;
    if (std::exchange(mInterruptPending, false))
        sendInterrupt();
}

void Runtime::sendInterrupt()
{
    QCborMap message;
    message.insert(QStringLiteral("type"), kernel::type::interrupt);
    message.insert(QStringLiteral("id"), qint64(mRunning.requestId));
    send(message);
}

void Runtime::drainOutput()
{
    const OutputList items = mOutput->take();
    if (items.isEmpty() || !hasRunning()) {
        mDrainTimer->stop();
        return;
    }
    Q_EMIT outputReady(mRunning.cellId, items);
}

void Runtime::finishRunning(const EvalResult &result)
{
    drainOutput();
    mDrainTimer->stop();
    mGraceTimer->stop();
    const Request done = std::exchange(mRunning, Request());
    if (result.status == EvalResult::Status::Error || result.status == EvalResult::Status::Interrupted)
        Q_EMIT failed(done.cellId, result.error);
    Q_EMIT finished(done.cellId, done.requestId, result);
    dispatchNext();
    if (!hasRunning())
        Q_EMIT idle();
}

void Runtime::endKernel(const QString &reason, EvalResult::Status status, bool emitStopped)
{
    if (!mKernel)
        return;
    std::unique_ptr<Kernel> ending = std::move(mKernel);
    mEndedProcesses.removeAll(nullptr);
    mEndedProcesses.append(ending->process);
    ending->end();
    mMemoryTimer->stop();
    mGraceTimer->stop();
    mKernelMemory = -1;
    drainOutput();
    mDrainTimer->stop();
    // The running cell (perhaps still waiting for this kernel to start) gets
    // the reason. The rest of the queue is dropped: it was written against
    // state that is gone.
    Request failedRequest;
    if (hasRunning())
        failedRequest = std::exchange(mRunning, Request());
    const QQueue<Request> dropped = std::exchange(mPending, {});
    if (failedRequest.requestId != 0) {
        EvalResult result;
        result.status = status;
        result.error.message = reason;
        // In the cell's output too, as an error the kernel had raised would be.
        Q_EMIT outputReady(failedRequest.cellId, {OutputItem::makeError(reason, 0, QString())});
        Q_EMIT failed(failedRequest.cellId, result.error);
        Q_EMIT finished(failedRequest.cellId, failedRequest.requestId, result);
    }
    for (const Request &request : dropped) {
        EvalResult result;
        result.status = EvalResult::Status::Cancelled;
        Q_EMIT finished(request.cellId, request.requestId, result);
    }
    if (emitStopped)
        Q_EMIT stopped(reason);
    if (failedRequest.requestId != 0 && !hasRunning())
        Q_EMIT idle();
}

qint64 Runtime::residentMemory(qint64 processId)
{
    QFile statm(QStringLiteral("/proc/%1/statm").arg(processId));
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() * ::sysconf(_SC_PAGESIZE) : -1;
}

void Runtime::updateMemory()
{
    if (!mKernel || !mKernel->ready)
        return;
    const qint64 resident = residentMemory(mKernel->process->processId());
    if (resident < 0)
        return;
    mKernelMemory = resident;
    if (mMemoryLimit > 0 && mKernelMemory > mMemoryLimit) {
        const QString reason = tr("the runtime stopped: out of memory (it used %1, over the limit of %2 set in Preferences)")
                                   .arg(mebibytes(mKernelMemory), mebibytes(mMemoryLimit));
        endKernel(reason, EvalResult::Status::Error, true);
    }
}

QString statusName(EvalResult::Status status)
{
    switch (status) {
    case EvalResult::Status::Ok: return QStringLiteral("ok");
    case EvalResult::Status::Error: return QStringLiteral("error");
    case EvalResult::Status::Interrupted: return QStringLiteral("interrupted");
    case EvalResult::Status::Cancelled: return QStringLiteral("cancelled");
    }
    return QString();
}

} // namespace kiln
