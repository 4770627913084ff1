#include "hub/hubcache.h"

#include <QLocale>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace kiln::HubCache {

namespace {

QString cleanAbsolute(const QString &path)
{
    return QDir::cleanPath(QDir(path).absolutePath());
}

} // namespace

QString directory()
{
    if (!qEnvironmentVariableIsEmpty("HF_HUB_CACHE"))
        return cleanAbsolute(qEnvironmentVariable("HF_HUB_CACHE"));
    if (!qEnvironmentVariableIsEmpty("HF_HOME"))
        return cleanAbsolute(qEnvironmentVariable("HF_HOME") + QLatin1String("/hub"));
    return QDir::homePath() + QLatin1String("/.cache/huggingface/hub");
}

bool isValidRepo(const QString &repo)
{
    // The Hub's own rule: one optional owner, names of letters, digits, -, _ and .,
    // never "..", "--" or a leading or trailing '-' or '.'.
    static const QRegularExpression name(QStringLiteral("^(?:[A-Za-z0-9][A-Za-z0-9_.-]{0,95}/)?[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$"));
    return name.match(repo).hasMatch() && !repo.contains(QLatin1String("..")) && !repo.contains(QLatin1String("--"))
           && !repo.endsWith(QLatin1Char('.')) && !repo.endsWith(QLatin1Char('-'));
}

QString repoFolder(const QString &repo)
{
    if (!isValidRepo(repo))
        return QString();
    return directory() + QLatin1String("/models--") + QString(repo).replace(QLatin1Char('/'), QLatin1String("--"));
}

bool isCommit(const QString &revision)
{
    static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{40}$"));
    return hex.match(revision).hasMatch();
}

QString snapshot(const QString &repo, const QString &revision)
{
    const QString folder = repoFolder(repo);
    if (folder.isEmpty() || revision.isEmpty() || revision.contains(QLatin1String("..")))
        return QString();
    QString commit = revision;
    if (!isCommit(revision)) {
        QFile ref(folder + QLatin1String("/refs/") + revision);
        if (!ref.open(QIODevice::ReadOnly))
            return QString();
        commit = QString::fromLatin1(ref.read(64)).trimmed();
        if (!isCommit(commit))
            return QString();
    }
    const QString path = folder + QLatin1String("/snapshots/") + commit;
    return QFileInfo(path).isDir() ? path : QString();
}

QList<CachedRepo> list()
{
    QList<CachedRepo> repos;
    const QDir cache(directory());
    for (const QFileInfo &entry : cache.entryInfoList({QStringLiteral("models--*")}, QDir::Dirs | QDir::NoDotAndDotDot)) {
        CachedRepo repo;
        repo.path = entry.absoluteFilePath();
        QString name = entry.fileName().mid(8);
        const qsizetype split = name.indexOf(QLatin1String("--"));
        if (split > 0)
            name = name.left(split) + QLatin1Char('/') + name.mid(split + 2);
        repo.repo = name;
        QDirIterator blobs(repo.path + QLatin1String("/blobs"), QDir::Files);
        while (blobs.hasNext()) {
            const QFileInfo blob(blobs.next());
            if (blob.fileName().endsWith(QLatin1String(".incomplete")))
                continue;
            repo.bytes += blob.size();
            repo.modified = std::max(repo.modified, blob.lastModified());
        }
        QDirIterator refs(repo.path + QLatin1String("/refs"), QDir::Files, QDirIterator::Subdirectories);
        while (refs.hasNext()) {
            const QString path = refs.next();
            QFile ref(path);
            if (ref.open(QIODevice::ReadOnly))
                repo.refs.append(QDir(repo.path + QLatin1String("/refs")).relativeFilePath(path) + QLatin1String(" -> ")
                                 + QString::fromLatin1(ref.read(64)).trimmed().left(7));
        }
        repo.refs.sort();
        repo.snapshots = int(QDir(repo.path + QLatin1String("/snapshots")).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size());
        repos.append(repo);
    }
    std::sort(repos.begin(), repos.end(), [](const CachedRepo &a, const CachedRepo &b) { return a.repo < b.repo; });
    return repos;
}

bool remove(const QString &repo, qint64 *freedBytes, QString *error)
{
    const QString folder = repoFolder(repo);
    if (folder.isEmpty()) {
        *error = QStringLiteral("'%1' is not a model name (ORG/NAME)").arg(repo);
        return false;
    }
    if (!QFileInfo(folder).isDir()) {
        *error = QStringLiteral("'%1' is not in the cache (%2)").arg(repo, directory());
        return false;
    }
    qint64 bytes = 0;
    for (const CachedRepo &cached : list()) {
        if (cached.path == folder)
            bytes = cached.bytes;
    }
    if (!QDir(folder).removeRecursively()) {
        *error = QStringLiteral("could not delete all of %1").arg(folder);
        return false;
    }
    if (freedBytes)
        *freedBytes = bytes;
    return true;
}

QString sizeText(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace kiln::HubCache
