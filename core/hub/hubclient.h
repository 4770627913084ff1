#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace kiln {

// Downloads model repositories from the Hugging Face Hub into its own cache
// layout (hubcache.h), as `huggingface_hub.snapshot_download` does: the
// revision is resolved to a commit, each file is fetched once by its content id
// (resuming a partial download), checked (size, and sha256 for large files),
// moved into place atomically and linked from the commit's snapshot.
//
// Honours HF_ENDPOINT (default https://huggingface.co), HF_HUB_OFFLINE (the
// cache only) and HF_TOKEN (else the token file in HF_HOME). Every failure is
// one line naming what was wrong. Blocking: it runs its own event loop, on any
// thread.
class HubClient
{
public:
    struct Options
    {
        QString revision = QStringLiteral("main");
        // Which files: glob patterns matched against the repository's paths
        // ("*.json", "onnx/*"); empty takes them all.
        QStringList files;
        QString token;  // empty: HF_TOKEN, else the token file
    };

    // received and total bytes of `file` (total -1 when unknown).
    using Progress = std::function<void(const QString &file, qint64 received, qint64 total)>;
    // Asked often; true ends the download with an "interrupted" error.
    using Cancelled = std::function<bool()>;

    void setProgress(Progress progress) { mProgress = std::move(progress); }
    // Progress as lines of text ("model.safetensors 90.9 MB"): one as each file
    // completes, and one every `everyMs` within a large one.
    static Progress progressLines(std::function<void(const QString &line)> write, int everyMs = 3000);
    void setCancelled(Cancelled cancelled) { mCancelled = std::move(cancelled); }
    // Each network wait gives up after this long without a byte (default 60 s).
    void setStallTimeout(int milliseconds) { mStallTimeoutMs = milliseconds; }

    // The snapshot folder of `repo` at the options' revision, or empty with
    // *error set. Offline (or when the Hub cannot be reached) a cached snapshot
    // that has the files asked for is used.
    QString download(const QString &repo, const Options &options, QString *error);
    // Whether the last download() was interrupted through Cancelled.
    bool wasCancelled() const { return mWasCancelled; }

    // Models on the Hub whose names contain `text`, most downloaded first
    // (the Hub's /api/models?search=); empty with *error set when it cannot say.
    struct Found
    {
        QString repo;
        qint64 downloads = 0;
        qint64 likes = 0;
        QString task;  // the Hub's pipeline_tag, when it has one
    };
    QList<Found> search(const QString &text, int limit, QString *error);

    static QString endpoint();
    static bool offline();
    static QString defaultToken();

    struct Private;

private:
    Progress mProgress;
    Cancelled mCancelled;
    int mStallTimeoutMs = 60000;
    bool mWasCancelled = false;
};

} // namespace kiln
