#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <memory>

class QLockFile;
class QThreadPool;
class QTimer;

namespace kiln {

class Notebook;
struct NotebookContent;

// A recovery copy left behind by a Kiln window that did not close normally.
struct RecoveryEntry
{
    QString id;
    QString originalPath;  // empty for a notebook that was never saved
    QString title;
    QDateTime savedAt;
    QString recoveryFile;  // the <id>.kiln.md copy
};

// Keeps a recovery copy of one notebook's unsaved changes so a crash (libtorch
// aborts, OOM kills) loses at most a few seconds of work. A few seconds after a
// change it writes <id>.kiln.md and <id>.json to recoveryDirectory(), never the
// notebook's own file. While a copy exists this process holds <id>.lock; a copy
// whose lock is stale was left by a writer that died, and pendingRecoveries()
// offers it at the next start. Files are written on a worker thread, in order,
// so neither the disk nor fsync stalls the window.
class Autosave : public QObject
{
    Q_OBJECT

public:
    explicit Autosave(Notebook *notebook, QObject *parent = nullptr);
    // Closing normally means the user saved or chose to drop the changes:
    // the recovery copy goes too.
    ~Autosave() override;

    // Milliseconds from the first change to the write; 5000 by default. Edits
    // during the wait join that write, so steady typing still writes this often.
    int interval() const;
    void setInterval(int msec);

    QString id() const { return mId; }

    // Writes now if the notebook is modified, e.g. before running code that
    // may take the process down.
    void saveNow();
    // Removes this window's recovery copy; done by itself when the notebook
    // becomes clean.
    void discard();
    // Blocks until queued writes and removals are on disk; for tests and shutdown.
    void waitForDone();

    static QString recoveryDirectory();
    // Copies whose writer is gone, newest first. Copies held by a running Kiln
    // (this one included) are left out.
    static QList<RecoveryEntry> pendingRecoveries();
    static bool recover(const RecoveryEntry &entry, NotebookContent *content, QString *error);
    // Removes a left-behind copy; does nothing while its writer still runs.
    static void discard(const RecoveryEntry &entry);

private:
    void onChanged();
    void onModifiedChanged(bool modified);
    void write(const QByteArray &notebook, const QByteArray &sidecar);
    void remove();

    QPointer<Notebook> mNotebook;
    QString mId;
    QTimer *mTimer;
    std::unique_ptr<QThreadPool> mPool;  // one thread: writes and removals stay in order
    std::unique_ptr<QLockFile> mLock;    // touched only on mPool's thread
};

} // namespace kiln
