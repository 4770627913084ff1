#include "mainwindow.h"

#include "document/taskcell.h"

#include "cellwidget.h"
#include "document/autosave.h"
#include "document/evaluationtracker.h"
#include "document/notebook.h"
#include "inferencepanel.h"
#include "kernel/runtime.h"
#include "modelbrowser.h"
#include "notebookview.h"
#include "settings.h"
#include "trainingpanel.h"
#include "variablesview.h"

#include <QCheckBox>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>
#include <QToolButton>
#include <QUndoStack>

// The main window's cell commands (insert, delete, move, split, merge,
// convert, run) and what it does with the runtime's answers: outputs,
// results and a lost runtime. The runtime's hidden queries are in
// mainwindowqueries.cpp.

namespace kiln {

void MainWindow::insertCell(bool above, CellKind kind, bool edit)
{
    const int current = mView->currentIndex();
    const int index = current < 0 ? mNotebook->cellCount() : (above ? current : current + 1);
    Cell cell = Cell::make(kind);
    if (kind == CellKind::Section)
        cell.source = tr("New section");
    mNotebook->insertCell(index, cell);
    mView->setCurrentCell(cell.id, edit && kind != CellKind::Section);
}

void MainWindow::insertTaskCell(const QJsonObject &chosen)
{
    const int current = mView->currentIndex();
    const int index = current < 0 ? mNotebook->cellCount() : current + 1;
    const QJsonObject settings = chosen.isEmpty() ? TaskCell::defaults(QString()) : chosen;
    Cell cell = Cell::make(CellKind::Code, TaskCell::code(settings));
    cell.options.insert(QStringLiteral("task"), settings);
    mNotebook->insertCell(index, cell);
    mView->setCurrentCell(cell.id, false);
}

void MainWindow::deleteCurrentCell()
{
    const int index = mView->currentIndex();
    if (index < 0)
        return;
    mDeletedCells.append({index, mNotebook->cell(index)});
    mNotebook->removeCell(index);
    if (mNotebook->cellCount() == 0)
        insertCell(false, CellKind::Code);
    statusBar()->showMessage(tr("Cell deleted; press z or Edit > Restore Deleted Cell to bring it back"), 4000);
}

void MainWindow::restoreDeletedCell()
{
    if (mDeletedCells.isEmpty())
        return;
    const auto [index, cell] = mDeletedCells.takeLast();
    const int at = qBound(0, index, mNotebook->cellCount());
    mNotebook->insertCell(at, cell);
    mView->setCurrentCell(cell.id);
}

void MainWindow::moveCurrentCell(int delta)
{
    const int index = mView->currentIndex();
    const int target = index + delta;
    if (index < 0 || target < 0 || target >= mNotebook->cellCount())
        return;
    mNotebook->moveCell(index, target);
    mView->setCurrentCell(mNotebook->cell(target).id);
}

void MainWindow::splitCurrentCell()
{
    const int index = mView->currentIndex();
    CellWidget *widget = mView->cellWidget(mView->currentCellId());
    if (index < 0 || !widget)
        return;
    const QString source = mNotebook->cell(index).source;
    const int at = qBound(0, widget->cursorOffset(), int(source.size()));
    if (at <= 0 || at >= source.size())
        return;
    Cell second = Cell::make(mNotebook->cell(index).kind);
    second.source = source.mid(at);
    while (second.source.startsWith(QLatin1Char('\n')))
        second.source.remove(0, 1);
    QString first = source.left(at);
    while (first.endsWith(QLatin1Char('\n')))
        first.chop(1);
    mNotebook->undoStack()->beginMacro(tr("Split cell"));
    mNotebook->setCellSource(index, first);
    mNotebook->insertCell(index + 1, second);
    mNotebook->undoStack()->endMacro();
    mView->setCurrentCell(second.id, true);
}

void MainWindow::mergeWithNext()
{
    const int index = mView->currentIndex();
    if (index < 0 || index + 1 >= mNotebook->cellCount())
        return;
    const QString merged = mNotebook->cell(index).source + QLatin1Char('\n') + mNotebook->cell(index + 1).source;
    mNotebook->undoStack()->beginMacro(tr("Merge cells"));
    mNotebook->setCellSource(index, merged);
    mNotebook->removeCell(index + 1);
    mNotebook->undoStack()->endMacro();
}

void MainWindow::convertCurrentCell(CellKind kind)
{
    const int index = mView->currentIndex();
    if (index >= 0 && mNotebook->cell(index).kind != kind)
        mNotebook->setCellKind(index, kind);
}

void MainWindow::runCell(const QString &cellId, bool advance)
{
    const int index = mNotebook->indexOf(cellId);
    if (index < 0)
        return;
    if (mNotebook->cell(index).kind == CellKind::Code) {
        // Native code can take the process down: keep the latest edits safe first.
        mAutosave->saveNow();
        mNotebook->setOutputs(index, {});
        mTracker->markQueued(cellId);
        mRuntime->evaluate(cellId, mNotebook->cell(index).source);
        updateStatus();
    } else if (CellWidget *widget = mView->cellWidget(cellId)) {
        widget->stopEditing();
    }
    if (!advance)
        return;
    if (index + 1 < mNotebook->cellCount()) {
        const Cell &next = mNotebook->cell(index + 1);
        mView->setCurrentCell(next.id, next.kind == CellKind::Code);
    } else {
        insertCell(false, CellKind::Code);
    }
}

void MainWindow::runAll()
{
    for (int i = 0; i < mNotebook->cellCount(); ++i) {
        if (mNotebook->cell(i).kind == CellKind::Code)
            runCell(mNotebook->cell(i).id, false);
    }
}

void MainWindow::runAllStale()
{
    const QStringList stale = mTracker->staleCells();
    for (const QString &cellId : stale)
        runCell(cellId, false);
    if (stale.isEmpty())
        statusBar()->showMessage(tr("No stale cells"), 2000);
}

bool MainWindow::confirmRestart()
{
    if (!mTracker->hasRun() || !prefs::askBeforeRestart.get())
        return true;
    QMessageBox box(QMessageBox::Question, tr("Restart the runtime?"),
                    tr("Restarting forgets every variable the notebook made. The cells that ran stay "
                       "on the page but become stale until they run again."),
                    QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("restartQuestion"));
    QPushButton *restart = box.addButton(tr("Restart"), QMessageBox::AcceptRole);
    box.setDefaultButton(restart);
    auto *dontAsk = new QCheckBox(tr("Don't ask again"), &box);
    box.setCheckBox(dontAsk);
    box.exec();
    if (box.clickedButton() != restart)
        return false;
    if (dontAsk->isChecked())
        prefs::askBeforeRestart.set(false);
    return true;
}

void MainWindow::restartRuntime()
{
    if (confirmRestart())
        mRuntime->restart();
}

void MainWindow::restartAndRunAll()
{
    if (!confirmRestart())
        return;
    mRuntime->restart();
    runAll();
}

void MainWindow::onRuntimeLost(const QString &message)
{
    mForceStopButton->hide();
    mQueryQueued = false;
    mModelsStale = true;
    mVariablesQueued = false;
    mVariablesStale = true;
    if (mModelBrowser)
        mModelBrowser->setNotebookModels({});
    if (mVariablesView)
        mVariablesView->clear();
    if (!mTracker->hasRun())
        return;
    mTracker->markRuntimeRestarted();
    statusBar()->showMessage(message, 10000);
}

void MainWindow::onStarted(const QString &cellId)
{
    if (handleKilnQuery(cellId, nullptr, nullptr))
        return;
    mRunningCell = cellId;
    mTracker->markStarted(cellId);
    updateStatus();
}

void MainWindow::onOutput(const QString &cellId, const OutputList &items)
{
    if (handleKilnQuery(cellId, &items, nullptr))
        return;
    const int index = mNotebook->indexOf(cellId);
    if (index < 0)
        return;
    // The document keeps the outputs (for saving); the view appends without a refresh.
    const QSignalBlocker blocker(mNotebook);
    mNotebook->appendOutputs(index, items);
    mView->appendOutputs(cellId, items);
    // A print flood must not grow the document without bound: past the cap the
    // oldest printed text goes, as it does in the view.
    constexpr qsizetype kMaxTextPerCell = qsizetype(4) << 20;
    OutputList outputs = mNotebook->cell(index).outputs;
    qsizetype total = 0;
    for (const OutputItem &item : std::as_const(outputs))
        total += item.text.size();
    if (total > kMaxTextPerCell) {
        qsizetype excess = total - kMaxTextPerCell / 2;
        for (OutputItem &item : outputs) {
            if (item.kind != OutputItem::Kind::Text || excess <= 0)
                continue;
            const qsizetype cut = qMin(excess, item.text.size());
            const qsizetype lineEnd = item.text.indexOf(QLatin1Char('\n'), cut);
            const qsizetype removed = lineEnd >= 0 ? lineEnd + 1 : item.text.size();
            item.text = tr("[... earlier output dropped ...]\n") + item.text.mid(removed);
            excess -= removed;
        }
        mNotebook->setOutputs(index, outputs);
    }
}

void MainWindow::onFinished(const QString &cellId, quint64, const EvalResult &result)
{
    if (handleKilnQuery(cellId, nullptr, &result))
        return;
    mModelsStale = true;
    mVariablesStale = true;
    if (mRunningCell == cellId)
        mRunningCell.clear();
    mTracker->markFinished(cellId, result);
    if (CellWidget *widget = mView->cellWidget(cellId))
        widget->setErrorLine(result.status == EvalResult::Status::Error ? result.error.line : 0);
    // As in Jupyter, an error stops the cells queued after it.
    if (result.status == EvalResult::Status::Error)
        mRuntime->cancelPending();
    updateStatus();
}

} // namespace kiln
