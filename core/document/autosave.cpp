#include "document/autosave.h"

#include "document/notebook.h"
#include "document/notebookformat.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QSaveFile>
#include <QStandardPaths>
#include <QSysInfo>
#include <QThreadPool>
#include <QTimer>
#include <QUuid>

#include <algorithm>

namespace kiln {

namespace {

const QLatin1StringView notebookSuffix(".kiln.md");
const QLatin1StringView sidecarSuffix(".json");
const QLatin1StringView lockSuffix(".lock");

QString pathFor(const QString &id, QLatin1StringView suffix)
{
    return Autosave::recoveryDirectory() + QLatin1Char('/') + id + suffix;
}

// A lock is stale only when its process is gone (or the pid now runs another
// program); age alone never steals a lock from a Kiln that is still running.
std::unique_ptr<QLockFile> makeLock(const QString &id)
{
    auto lock = std::make_unique<QLockFile>(pathFor(id, lockSuffix));
    lock->setStaleLockTime(0);
    return lock;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(bytes);
    return file.commit();
}

} // namespace

Autosave::Autosave(Notebook *notebook, QObject *parent)
    : QObject(parent)
    , mNotebook(notebook)
    , mId(QUuid::createUuid().toString(QUuid::WithoutBraces))
    , mTimer(new QTimer(this))
    , mPool(std::make_unique<QThreadPool>())
{
    mPool->setMaxThreadCount(1);
    mTimer->setSingleShot(true);
    mTimer->setInterval(5000);
    connect(mTimer, &QTimer::timeout, this, &Autosave::saveNow);
    connect(notebook, &Notebook::changed, this, &Autosave::onChanged);
    connect(notebook, &Notebook::modifiedChanged, this, &Autosave::onModifiedChanged);
    connect(notebook, &Notebook::destroyed, mTimer, &QTimer::stop);
}

Autosave::~Autosave()
{
    discard();
    waitForDone();
}

int Autosave::interval() const
{
    return mTimer->interval();
}

void Autosave::setInterval(int msec)
{
    mTimer->setInterval(std::max(0, msec));
}

void Autosave::onChanged()
{
    // Not restarted on every change: a steady stream of edits must still be written.
    if (mNotebook && mNotebook->isModified() && !mTimer->isActive())
        mTimer->start();
}

void Autosave::onModifiedChanged(bool modified)
{
    if (modified)
        onChanged();
    else
        discard();
}

void Autosave::saveNow()
{
    mTimer->stop();
    if (!mNotebook || !mNotebook->isModified())
        return;
    // Serialized here, where the notebook lives; the worker only touches files.
    const NotebookContent &content = mNotebook->content();
    QJsonObject info{
        {QStringLiteral("originalPath"), mNotebook->filePath()},
        {QStringLiteral("title"), content.title},
        {QStringLiteral("savedAt"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {QStringLiteral("pid"), QCoreApplication::applicationPid()},
        {QStringLiteral("hostname"), QSysInfo::machineHostName()},
    };
    const QByteArray notebook = NotebookFormat::serialize(content);
    const QByteArray sidecar = QJsonDocument(info).toJson();
    mPool->start([this, notebook, sidecar] { write(notebook, sidecar); });
}

void Autosave::discard()
{
    mTimer->stop();
    mPool->start([this] { remove(); });
}

void Autosave::waitForDone()
{
    mPool->waitForDone();
}

void Autosave::write(const QByteArray &notebook, const QByteArray &sidecar)
{
    // The lock comes first, so a reader never sees a copy without a live owner.
    if (!mLock) {
        if (!QDir().mkpath(recoveryDirectory()))
            return;
        auto lock = makeLock(mId);
        if (!lock->tryLock(0))
            return;
        mLock = std::move(lock);
    }
    // The notebook before its sidecar: a listed sidecar always has its notebook.
    if (writeFile(pathFor(mId, notebookSuffix), notebook))
        writeFile(pathFor(mId, sidecarSuffix), sidecar);
}

void Autosave::remove()
{
    if (!mLock)
        return;
    QFile::remove(pathFor(mId, sidecarSuffix));
    QFile::remove(pathFor(mId, notebookSuffix));
    mLock.reset();  // unlocks and deletes <id>.lock
}

QString Autosave::recoveryDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        + QLatin1StringView("/recovery");
}

QList<RecoveryEntry> Autosave::pendingRecoveries()
{
    QList<RecoveryEntry> entries;
    const QDir dir(recoveryDirectory());
    const QStringList sidecars = dir.entryList({QStringLiteral("*.json")}, QDir::Files);
    for (const QString &name : sidecars) {
        const QString id = name.chopped(sidecarSuffix.size());
        if (QUuid::fromString(id).isNull())
            continue;
        {
            // Taking the lock proves its writer is gone; it is let go at once.
            const auto lock = makeLock(id);
            if (!lock->tryLock(0))
                continue;
        }
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject info = QJsonDocument::fromJson(file.readAll()).object();
        RecoveryEntry entry;
        entry.id = id;
        entry.originalPath = info.value(QStringLiteral("originalPath")).toString();
        entry.title = info.value(QStringLiteral("title")).toString();
        entry.savedAt = QDateTime::fromString(info.value(QStringLiteral("savedAt")).toString(),
                                              Qt::ISODateWithMs);
        entry.recoveryFile = pathFor(id, notebookSuffix);
        if (QFileInfo::exists(entry.recoveryFile))
            entries.append(entry);
    }
    std::sort(entries.begin(), entries.end(), [](const RecoveryEntry &a, const RecoveryEntry &b) {
        return a.savedAt > b.savedAt;
    });
    return entries;
}

bool Autosave::recover(const RecoveryEntry &entry, NotebookContent *content, QString *error)
{
    return NotebookFormat::load(entry.recoveryFile, content, error);
}

void Autosave::discard(const RecoveryEntry &entry)
{
    if (QUuid::fromString(entry.id).isNull())
        return;
    const auto lock = makeLock(entry.id);
    if (!lock->tryLock(0))
        return;
    QFile::remove(pathFor(entry.id, sidecarSuffix));
    QFile::remove(pathFor(entry.id, notebookSuffix));
}

} // namespace kiln
