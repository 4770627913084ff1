#pragma once

#include "document/evalresult.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>

namespace kiln {

class Notebook;

// What the window shows about each code cell's evaluation: never run, queued,
// running, finished, failed; its evaluation number and duration; and whether it
// is stale. Staleness follows the globals each run read and wrote (the
// runtime's EvalResult): editing a cell makes it stale and, transitively, every
// cell that read what it wrote; re-running a cell makes stale the cells that
// read what the new run wrote and ran before it.
class EvaluationTracker : public QObject
{
    Q_OBJECT

public:
    enum class State { NeverRun, Queued, Running, Finished, Failed, Interrupted, Cancelled };

    struct CellState
    {
        State state = State::NeverRun;
        int evaluationNumber = 0;
        qint64 durationMs = 0;
        QDateTime startedAt;
        quint64 runOrder = 0;  // when its last run finished, for "ran before"
        QStringList reads;
        QStringList writes;
        bool stale = false;
        bool lostInRestart = false;  // stale because the runtime restarted after it ran
        bool edited = false;  // source changed since its last run
    };

    explicit EvaluationTracker(Notebook *notebook, QObject *parent = nullptr);

    CellState cellState(const QString &cellId) const { return mCells.value(cellId); }
    bool isStale(const QString &cellId) const;
    // Whether any cell has run since the last reset.
    bool hasRun() const;

    // Code cells to run for "Run all stale", in notebook order: stale or edited
    // cells, and cells never run that come after a stale one.
    QStringList staleCells() const;

    void markQueued(const QString &cellId);
    void markStarted(const QString &cellId);
    void markFinished(const QString &cellId, const EvalResult &result);
    // A restart forgets every binding: every cell that ran becomes stale.
    void markRuntimeRestarted();
    void reset();

Q_SIGNALS:
    void cellStateChanged(const QString &cellId);

private:
    void onSourceEdited(int index);
    // Marks stale every finished cell that read one of `names` and ran before
    // `before` (0: any time), following what those cells wrote in turn.
    void propagate(const QStringList &names, quint64 before, const QString &origin);
    void setStale(const QString &cellId, bool stale);

    Notebook *mNotebook;
    QHash<QString, CellState> mCells;
    quint64 mNextRunOrder = 1;
};

} // namespace kiln
