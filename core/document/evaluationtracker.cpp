#include "document/evaluationtracker.h"

#include "document/notebook.h"

namespace kiln {

EvaluationTracker::EvaluationTracker(Notebook *notebook, QObject *parent)
    : QObject(parent)
    , mNotebook(notebook)
{
    connect(notebook, &Notebook::cellChanged, this, &EvaluationTracker::onSourceEdited);
    connect(notebook, &Notebook::reloaded, this, &EvaluationTracker::reset);
}

bool EvaluationTracker::isStale(const QString &cellId) const
{
    const auto it = mCells.constFind(cellId);
    return it != mCells.constEnd() && (it->stale || it->edited);
}

bool EvaluationTracker::hasRun() const
{
    return std::any_of(mCells.cbegin(), mCells.cend(), [](const CellState &state) { return state.evaluationNumber > 0; });
}

QStringList EvaluationTracker::staleCells() const
{
    QStringList result;
    bool afterStale = false;
    for (int i = 0; i < mNotebook->cellCount(); ++i) {
        const Cell &cell = mNotebook->cell(i);
        if (cell.kind != CellKind::Code)
            continue;
        const CellState state = mCells.value(cell.id);
        const bool stale = state.stale || state.edited;
        if (stale || (afterStale && state.state == State::NeverRun))
            result.append(cell.id);
        afterStale = afterStale || stale;
    }
    return result;
}

void EvaluationTracker::markQueued(const QString &cellId)
{
    mCells[cellId].state = State::Queued;
    Q_EMIT cellStateChanged(cellId);
}

void EvaluationTracker::markStarted(const QString &cellId)
{
    CellState &state = mCells[cellId];
    state.state = State::Running;
    state.startedAt = QDateTime::currentDateTimeUtc();
    Q_EMIT cellStateChanged(cellId);
}

void EvaluationTracker::markFinished(const QString &cellId, const EvalResult &result)
{
    CellState &state = mCells[cellId];
    switch (result.status) {
    case EvalResult::Status::Ok: state.state = State::Finished; break;
    case EvalResult::Status::Error: state.state = State::Failed; break;
    case EvalResult::Status::Interrupted: state.state = State::Interrupted; break;
    case EvalResult::Status::Cancelled:
        // A cancelled cell never ran: it keeps what it knew before.
        state.state = state.evaluationNumber > 0 ? State::Finished : State::NeverRun;
        Q_EMIT cellStateChanged(cellId);
        return;
    }
    state.evaluationNumber = result.evaluationNumber;
    state.durationMs = result.durationMs;
    state.reads = result.reads;
    state.writes = result.writes;
    state.runOrder = mNextRunOrder++;
    state.edited = false;
    state.stale = false;
    state.lostInRestart = false;
    const quint64 order = state.runOrder;
    const QStringList writes = state.writes;
    Q_EMIT cellStateChanged(cellId);
    // Cells that read what this run wrote, and ran before it, saw old values.
    propagate(writes, order, cellId);
}

void EvaluationTracker::markRuntimeRestarted()
{
    for (auto it = mCells.begin(); it != mCells.end(); ++it) {
        if (it->evaluationNumber > 0 && (!it->stale || !it->lostInRestart)) {
            it->stale = true;
            it->lostInRestart = true;
            Q_EMIT cellStateChanged(it.key());
        }
        if (it->state == State::Queued || it->state == State::Running) {
            it->state = it->evaluationNumber > 0 ? State::Interrupted : State::NeverRun;
            Q_EMIT cellStateChanged(it.key());
        }
    }
}

void EvaluationTracker::reset()
{
    const QStringList ids = mCells.keys();
    mCells.clear();
    mNextRunOrder = 1;
    for (const QString &id : ids)
        Q_EMIT cellStateChanged(id);
}

void EvaluationTracker::onSourceEdited(int index)
{
    if (index < 0 || index >= mNotebook->cellCount())
        return;
    const Cell &cell = mNotebook->cell(index);
    auto it = mCells.find(cell.id);
    if (it == mCells.end() || it->evaluationNumber == 0 || it->edited)
        return;
    it->edited = true;
    const QStringList writes = it->writes;
    Q_EMIT cellStateChanged(cell.id);
    // Whatever read this cell's results may now be out of date.
    propagate(writes, 0, cell.id);
}

void EvaluationTracker::propagate(const QStringList &names, quint64 before, const QString &origin)
{
    QSet<QString> pending(names.cbegin(), names.cend());
    QSet<QString> visited{origin};
    while (!pending.isEmpty()) {
        QSet<QString> next;
        for (auto it = mCells.begin(); it != mCells.end(); ++it) {
            if (visited.contains(it.key()) || it->evaluationNumber == 0)
                continue;
            if (before != 0 && it->runOrder > before)
                continue;
            bool reads = false;
            for (const QString &name : std::as_const(it->reads))
                reads = reads || pending.contains(name);
            if (!reads)
                continue;
            visited.insert(it.key());
            setStale(it.key(), true);
            for (const QString &name : std::as_const(it->writes))
                next.insert(name);
        }
        pending = next;
    }
}

void EvaluationTracker::setStale(const QString &cellId, bool stale)
{
    CellState &state = mCells[cellId];
    if (state.stale == stale)
        return;
    state.stale = stale;
    Q_EMIT cellStateChanged(cellId);
}

} // namespace kiln
