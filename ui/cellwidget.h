#pragma once

#include <QFrame>

#include "document/cell.h"
#include "document/evaluationtracker.h"

class QLabel;
class QsciAPIs;
class QsciScintilla;

namespace kiln {

class Notebook;
class OutputView;
class TaskForm;

// One cell of the notebook view. A code cell: a header with its evaluation state,
// a Lua editor that grows with its content, and its outputs. A Markdown cell:
// rendered text that turns into an editor on double-click or Enter. Edits go to
// the Notebook, so every keystroke is on its undo stack.
class CellWidget : public QFrame
{
    Q_OBJECT

public:
    CellWidget(Notebook *notebook, const QString &cellId, QWidget *parent = nullptr);

    QString cellId() const { return mCellId; }
    CellKind kind() const { return mKind; }

    void refreshFromNotebook();
    void refreshOutputs();
    // Appends outputs that arrived while the cell runs (cheaper than a refresh).
    void appendOutputs(const OutputList &items);
    void showState(const EvaluationTracker::CellState &state);
    // Marks the line an error came from (1-based; 0 clears).
    void setErrorLine(int line);

    void setSelected(bool selected);
    bool isSelected() const { return mSelected; }
    // Editing: the editor has focus; otherwise the cell is navigated as a whole.
    void startEditing();
    bool isEditing() const;
    void stopEditing();
    // Cursor position in the source, for split at cursor.
    int cursorOffset() const;
    void goToLine(int line);

    // The editor; code cells create theirs when first shown on screen (a notebook
    // of a thousand cells opens fast), or here, on first use.
    QsciScintilla *editor();
    bool hasEditor() const { return mEditor != nullptr; }
    OutputView *outputView() const { return mOutputs; }


Q_SIGNALS:
    void runRequested(const QString &cellId, bool advance);
    void runStaleRequested();
    void focused(const QString &cellId);
    void leaveEditing(const QString &cellId);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    // Whether the cursor follows a name, a dot or a colon (Tab completes there).
    bool afterName() const;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void createEditor(bool lua);
    void ensureEditor();
    void onEditorTextChanged();
    void updateEditorHeight();
    void renderMarkdown();
    void refreshTaskForm(const Cell &cell);
    void applyTaskSettings(const QJsonObject &settings);
    void updateFrame();
    int index() const;

    Notebook *mNotebook;
    QString mCellId;
    CellKind mKind;
    QLabel *mHeader = nullptr;
    QLabel *mMarkdown = nullptr;
    QLabel *mPreview = nullptr;  // the code as text until the editor exists
    QWidget *mEditorHost = nullptr;  // holds the preview, then the editor, at a fixed height
    QsciScintilla *mEditor = nullptr;
    OutputView *mOutputs = nullptr;
    TaskForm *mTaskForm = nullptr;  // a Task cell's form; its code is then read-only
    bool mUpdating = false;
    bool mSelected = false;
    int mErrorLine = 0;
};

} // namespace kiln
