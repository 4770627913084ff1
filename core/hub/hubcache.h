#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace kiln {

// Hugging Face's own cache layout, so that a model fetched by Python's
// `transformers` is found by Kiln offline, and the reverse:
//   <cache>/models--ORG--NAME/blobs/<etag>            the files, by content
//   <cache>/models--ORG--NAME/refs/<revision>         the commit a branch or tag names
//   <cache>/models--ORG--NAME/snapshots/<commit>/...  links into blobs/, one tree per commit
// The cache is HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub.
namespace HubCache {

QString directory();
// "models--ORG--NAME" under directory(); empty for a name that is not ORG/NAME
// or NAME made of letters, digits, '-', '_' and '.'.
QString repoFolder(const QString &repo);
bool isValidRepo(const QString &repo);
// A 40-hex commit id.
bool isCommit(const QString &revision);

// The snapshot folder of `revision` (a branch, tag or commit) when the cache has
// it, else empty.
QString snapshot(const QString &repo, const QString &revision);

struct CachedRepo
{
    QString repo;        // ORG/NAME
    QString path;        // its folder in the cache
    qint64 bytes = 0;    // its blobs, each counted once
    QStringList refs;    // "main -> 1a2b3c4", ...
    int snapshots = 0;
    QDateTime modified;  // the newest blob's time
};
// Every model the cache holds, by name.
QList<CachedRepo> list();
// "90.9 MB": sizes as the CLI and the window print them.
QString sizeText(qint64 bytes);
// Deletes a model's folder; false with *error when it is not cached or cannot go.
bool remove(const QString &repo, qint64 *freedBytes, QString *error);

} // namespace HubCache

} // namespace kiln
