#include "kernel/kernelserver.h"

#include "kernel/kernelprotocol.h"
#include "kernel/luasession.h"
#include "kernel/outputbuffer.h"

#include <QCborMap>
#include <QCoreApplication>
#include <QLocalSocket>
#include <QThread>
#include <QTimer>

#include <unistd.h>

namespace kiln {

// Owns the Lua session; lives on the kernel's worker thread.
class KernelWorker : public QObject
{
    Q_OBJECT

public:
    KernelWorker(std::shared_ptr<std::atomic<bool>> interrupt, std::shared_ptr<OutputBuffer> output,
                 const KernelServer::Options &options)
        : mInterrupt(std::move(interrupt)), mOutput(std::move(output)), mOptions(options)
    {}

    void prepare()
    {
        if (mSession)
            return;
        std::shared_ptr<OutputBuffer> output = mOutput;
        mSession = std::make_unique<LuaSession>(mInterrupt, [output](const OutputItem &item) { output->append(item); });
        mSession->setNotebookDirectory(mOptions.notebookDirectory);
        if (!mOptions.writableFolders.isEmpty())
            mSession->setWritableFolders(mOptions.writableFolders);
    }

    void evaluate(quint64 requestId, const QString &cellId, const QString &code)
    {
        prepare();
        const EvalResult result = mSession->evaluate(code, cellId);
        Q_EMIT finished(requestId, kernel::encodeResult(result));
    }

    void setNotebookDirectory(const QString &directory)
    {
        mOptions.notebookDirectory = directory;
        if (mSession)
            mSession->setNotebookDirectory(directory);
    }

Q_SIGNALS:
    void finished(quint64 requestId, const QCborMap &result);

private:
    std::shared_ptr<std::atomic<bool>> mInterrupt;
    std::shared_ptr<OutputBuffer> mOutput;
    KernelServer::Options mOptions;
    std::unique_ptr<LuaSession> mSession;
};

namespace {
constexpr int kDrainIntervalMs = 33;  // about 30 deliveries a second

[[noreturn]] void leaveNow(int status)
{
    // The worker may be inside a native call that never returns; nothing it
    // holds needs an orderly shutdown.
    ::_exit(status);
}
} // namespace

KernelServer::KernelServer(const Options &options, QObject *parent)
    : QObject(parent)
    , mOptions(options)
    , mSocket(new QLocalSocket(this))
    , mReader(std::make_unique<kernel::FrameReader>())
    , mThread(new QThread(this))
    , mInterrupt(std::make_shared<std::atomic<bool>>(false))
    , mOutput(std::make_shared<OutputBuffer>())
    , mDrainTimer(new QTimer(this))
{
    mThread->setObjectName(QStringLiteral("kiln-kernel-worker"));
    mWorker = new KernelWorker(mInterrupt, mOutput, mOptions);
    mWorker->moveToThread(mThread);
    connect(mThread, &QThread::finished, mWorker, &QObject::deleteLater);
    connect(mWorker, &KernelWorker::finished, this, &KernelServer::onWorkerFinished);
    mDrainTimer->setInterval(kDrainIntervalMs);
    connect(mDrainTimer, &QTimer::timeout, this, &KernelServer::drainOutput);
    connect(mSocket, &QLocalSocket::readyRead, this, &KernelServer::onReadyRead);
    connect(mSocket, &QLocalSocket::disconnected, this, [] { leaveNow(0); });
    mThread->start();
    // The Lua state is built while the window waits for the hello, not on the
    // first cell.
    QMetaObject::invokeMethod(mWorker, [worker = mWorker] { worker->prepare(); }, Qt::QueuedConnection);
}

KernelServer::~KernelServer()
{
    mInterrupt->store(true);
    mThread->quit();
    mThread->wait();
}

bool KernelServer::start(QString *error)
{
    if (!mSocket->setSocketDescriptor(mOptions.socketDescriptor)) {
        *error = mSocket->errorString();
        return false;
    }
    QCborMap hello;
    hello.insert(QStringLiteral("type"), kernel::type::hello);
    hello.insert(QStringLiteral("protocol"), kernel::kProtocolVersion);
    hello.insert(QStringLiteral("pid"), qint64(QCoreApplication::applicationPid()));
    hello.insert(QStringLiteral("sandbox"), mOptions.sandbox.toCbor());
    send(hello);
    return true;
}

void KernelServer::onReadyRead()
{
    mReader->append(mSocket->readAll());
    QCborMap message;
    while (mReader->next(&message))
        handle(message);
    if (mReader->failed()) {
        std::fprintf(stderr, "kiln-kernel: the window sent %s; leaving\n", qPrintable(mReader->error()));
        leaveNow(3);
    }
}

void KernelServer::handle(const QCborMap &message)
{
    const QString type = kernel::messageType(message);
    if (type == kernel::type::evaluate) {
        const quint64 id = quint64(message.value(QStringLiteral("id")).toInteger());
        const QString cell = message.value(QStringLiteral("cell")).toString();
        const QString code = message.value(QStringLiteral("code")).toString();
        mRunningId = id;
        mInterrupt->store(false);
        QMetaObject::invokeMethod(
            mWorker, [worker = mWorker, id, cell, code] { worker->evaluate(id, cell, code); }, Qt::QueuedConnection);
        QCborMap started;
        started.insert(QStringLiteral("type"), kernel::type::started);
        started.insert(QStringLiteral("id"), qint64(id));
        send(started);
        if (!mDrainTimer->isActive())
            mDrainTimer->start();
    } else if (type == kernel::type::interrupt) {
        if (mRunningId != 0 && quint64(message.value(QStringLiteral("id")).toInteger()) == mRunningId)
            mInterrupt->store(true);
    } else if (type == kernel::type::configure) {
        if (message.contains(QStringLiteral("maxBufferedText")))
            mOutput->setMaxText(message.value(QStringLiteral("maxBufferedText")).toInteger());
        if (message.contains(QStringLiteral("notebookDirectory"))) {
            const QString directory = message.value(QStringLiteral("notebookDirectory")).toString();
            QMetaObject::invokeMethod(
                mWorker, [worker = mWorker, directory] { worker->setNotebookDirectory(directory); },
                Qt::QueuedConnection);
        }
    }
    // Unknown types are skipped: a newer window may add messages an older kernel
    // does not need.
}

void KernelServer::send(const QCborMap &message)
{
    mSocket->write(kernel::encodeFrame(message));
    mSocket->flush();
}

void KernelServer::drainOutput()
{
    const OutputList items = mOutput->take();
    if (items.isEmpty() || mRunningId == 0)
        return;
    QCborMap output;
    output.insert(QStringLiteral("type"), kernel::type::output);
    output.insert(QStringLiteral("id"), qint64(mRunningId));
    output.insert(QStringLiteral("items"), kernel::encodeOutputs(items));
    send(output);
}

void KernelServer::onWorkerFinished(quint64 requestId, const QCborMap &result)
{
    drainOutput();
    mDrainTimer->stop();
    if (requestId == mRunningId)
        mRunningId = 0;
    QCborMap finished;
    finished.insert(QStringLiteral("type"), kernel::type::finished);
    finished.insert(QStringLiteral("id"), qint64(requestId));
    finished.insert(QStringLiteral("result"), result);
    send(finished);
}

} // namespace kiln

#include "kernelserver.moc"
