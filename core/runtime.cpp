#include "runtime.h"

#include "luasession.h"

#include <QMutex>
#include <QMutexLocker>
#include <QThread>
#include <QTimer>

namespace kiln {

// Output on its way from the worker to the owner. Consecutive text merges into
// one item; with a limit set, the oldest text gives way so memory stays bounded.
class OutputBuffer
{
public:
    void setMaxText(qsizetype characters)
    {
        QMutexLocker locker(&mMutex);
        mMaxText = characters;
    }

    void append(const OutputItem &item)
    {
        QMutexLocker locker(&mMutex);
        appendOutput(mItems, item);
        if (item.kind != OutputItem::Kind::Text)
            return;
        mTextSize += item.text.size();
        if (mMaxText > 0 && mTextSize > mMaxText)
            dropOldestText(mTextSize - mMaxText / 2);
    }

    OutputList take()
    {
        QMutexLocker locker(&mMutex);
        OutputList items;
        items.swap(mItems);
        if (mDropped > 0) {
            items.prepend(OutputItem::makeText(
                QStringLiteral("[... %1 characters of output dropped ...]\n").arg(mDropped)));
        }
        mTextSize = 0;
        mDropped = 0;
        return items;
    }

private:
    void dropOldestText(qsizetype excess)
    {
        for (int i = 0; i < mItems.size() && excess > 0; ++i) {
            OutputItem &item = mItems[i];
            if (item.kind != OutputItem::Kind::Text)
                continue;
            qsizetype cut = qMin(excess, item.text.size());
            const qsizetype lineEnd = item.text.indexOf(QLatin1Char('\n'), cut - 1);
            if (lineEnd >= 0)
                cut = lineEnd + 1;  // keep whole lines
            item.text.remove(0, cut);
            mTextSize -= cut;
            mDropped += cut;
            excess -= cut;
        }
        mItems.removeIf([](const OutputItem &item) {
            return item.kind == OutputItem::Kind::Text && item.text.isEmpty();
        });
    }

    QMutex mMutex;
    OutputList mItems;
    qsizetype mTextSize = 0;
    qsizetype mMaxText = 0;
    qsizetype mDropped = 0;
};

// Owns the Lua session; lives on the runtime's thread.
class RuntimeWorker : public QObject
{
    Q_OBJECT

public:
    RuntimeWorker(std::shared_ptr<std::atomic<bool>> interrupt, std::shared_ptr<OutputBuffer> output)
        : mInterrupt(std::move(interrupt)), mOutput(std::move(output))
    {}

    void evaluate(quint64 requestId, const QString &cellId, const QString &code)
    {
        ensureSession();
        Q_EMIT started(requestId);
        const EvalResult result = mSession->evaluate(code, cellId);
        Q_EMIT finished(requestId, result);
    }

    void restart()
    {
        mSession.reset();
        ensureSession();
        Q_EMIT restarted();
    }

    void setNotebookDirectory(const QString &directory)
    {
        mNotebookDirectory = directory;
        if (mSession)
            mSession->setNotebookDirectory(directory);
    }

Q_SIGNALS:
    void started(quint64 requestId);
    void finished(quint64 requestId, const kiln::EvalResult &result);
    void restarted();

private:
    void ensureSession()
    {
        if (mSession)
            return;
        std::shared_ptr<OutputBuffer> output = mOutput;
        mSession = std::make_unique<LuaSession>(mInterrupt, [output](const OutputItem &item) { output->append(item); });
        mSession->setNotebookDirectory(mNotebookDirectory);
    }

    std::shared_ptr<std::atomic<bool>> mInterrupt;
    std::shared_ptr<OutputBuffer> mOutput;
    std::unique_ptr<LuaSession> mSession;
    QString mNotebookDirectory;
};

namespace {
constexpr int kDrainIntervalMs = 33;  // about 30 deliveries a second
}

Runtime::Runtime(QObject *parent)
    : QObject(parent)
    , mThread(new QThread)
    , mInterrupt(std::make_shared<std::atomic<bool>>(false))
    , mOutput(std::make_shared<OutputBuffer>())
    , mDrainTimer(new QTimer(this))
{
    qRegisterMetaType<kiln::EvalResult>();
    qRegisterMetaType<kiln::OutputList>();
    qRegisterMetaType<kiln::ErrorInfo>();

    mThread->setObjectName(QStringLiteral("kiln-runtime"));
    mWorker = new RuntimeWorker(mInterrupt, mOutput);
    mWorker->moveToThread(mThread);
    connect(mWorker, &RuntimeWorker::started, this, &Runtime::onWorkerStarted);
    connect(mWorker, &RuntimeWorker::finished, this, &Runtime::onWorkerFinished);
    connect(mWorker, &RuntimeWorker::restarted, this, &Runtime::restarted);

    mDrainTimer->setInterval(kDrainIntervalMs);
    connect(mDrainTimer, &QTimer::timeout, this, &Runtime::drainOutput);
    mThread->start();
}

Runtime::~Runtime()
{
    mPending.clear();
    mInterrupt->store(true);
    mThread->quit();
    mThread->wait();
    delete mWorker;
    delete mThread;
}

void Runtime::setNotebookDirectory(const QString &directory)
{
    QMetaObject::invokeMethod(mWorker, [worker = mWorker, directory] { worker->setNotebookDirectory(directory); },
                              Qt::QueuedConnection);
}

void Runtime::setMaxBufferedText(qsizetype characters)
{
    mOutput->setMaxText(characters);
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
    if (isBusy())
        mInterrupt->store(true);
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
    interrupt();
    QMetaObject::invokeMethod(mWorker, [worker = mWorker] { worker->restart(); }, Qt::QueuedConnection);
}

void Runtime::dispatchNext()
{
    if (isBusy() || mPending.isEmpty())
        return;
    mRunning = mPending.dequeue();
    // Cleared here, on the owner's thread, so an interrupt sent after this point
    // reaches this request and no earlier one leaks into it.
    mInterrupt->store(false);
    const Request request = mRunning;
    QMetaObject::invokeMethod(
        mWorker, [worker = mWorker, request] { worker->evaluate(request.requestId, request.cellId, request.code); },
        Qt::QueuedConnection);
    if (!mDrainTimer->isActive())
        mDrainTimer->start();
}

void Runtime::drainOutput()
{
    const OutputList items = mOutput->take();
    if (!items.isEmpty() && !mRunning.cellId.isEmpty())
        Q_EMIT outputReady(mRunning.cellId, items);
}

void Runtime::onWorkerStarted(quint64 requestId)
{
    if (requestId == mRunning.requestId)
        Q_EMIT started(mRunning.cellId, requestId);
}

void Runtime::onWorkerFinished(quint64 requestId, const EvalResult &result)
{
    if (requestId != mRunning.requestId)
        return;
    drainOutput();
    const Request done = std::exchange(mRunning, Request());
    if (result.status == EvalResult::Status::Error || result.status == EvalResult::Status::Interrupted)
        Q_EMIT failed(done.cellId, result.error);
    Q_EMIT finished(done.cellId, requestId, result);
    dispatchNext();
    if (!isBusy()) {
        mDrainTimer->stop();
        Q_EMIT idle();
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

#include "runtime.moc"
