#pragma once

#include <QHash>
#include <QScrollArea>

#include "document/outputitem.h"

class QLabel;
class QLineEdit;
class QVBoxLayout;

namespace kiln {

class CellWidget;
class EvaluationTracker;
class Notebook;

// The notebook as a column of cells. Follows the document's signals cell by
// cell (no rebuild on an insert), keeps a current cell, and implements the
// Jupyter/Livebook keyboard: in navigation mode j/k or the arrows move,
// Enter edits, a/b insert above/below, m/y turn the cell into Markdown/code,
// dd deletes, z restores; Esc leaves the editor.
class NotebookView : public QScrollArea
{
    Q_OBJECT

public:
    NotebookView(Notebook *notebook, EvaluationTracker *tracker, QWidget *parent = nullptr);

    QString currentCellId() const { return mCurrent; }
    int currentIndex() const;
    void setCurrentCell(const QString &cellId, bool edit = false);
    CellWidget *cellWidget(const QString &cellId) const { return mWidgets.value(cellId); }
    // Scrolls the cell into view; `toTop` puts it at the top (the outline does).
    void scrollToCell(const QString &cellId, bool toTop = false);

    // Outputs that arrive while a cell runs go straight to its view.
    void appendOutputs(const QString &cellId, const OutputList &items);

Q_SIGNALS:
    void runRequested(const QString &cellId, bool advance);
    void runStaleRequested();
    void insertRequested(bool above, bool markdown);
    void deleteRequested();
    void restoreRequested();
    void convertRequested(bool toMarkdown);
    void currentCellChanged(const QString &cellId);
    // Code dropped on the notebook (a model from the model browser).
    void codeDropped(const QString &code);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void rebuild();
    CellWidget *createCellWidget(int index);
    void onInserted(int index);
    void onRemoved(int index);
    void onMoved(int from, int to);
    void onCellChanged(int index);
    void onStateChanged(const QString &cellId);
    void updateTitle();
    bool handleNavigationKey(QKeyEvent *event);

    Notebook *mNotebook;
    EvaluationTracker *mTracker;
    QWidget *mHost;
    QVBoxLayout *mLayout;
    QLineEdit *mTitle;  // the notebook's title, edited in place
    QHash<QString, CellWidget *> mWidgets;
    QString mCurrent;
    bool mPendingDelete = false;  // the first d of dd
    // The current cell stays in view while the cells above it grow (a plot that
    // arrives after Shift+Enter moved on), until the user scrolls.
    bool mFollowCurrent = false;
    bool mScrollingToCell = false;
};

} // namespace kiln
