#pragma once

#include <QFrame>

#include "cell.h"
#include "evalresult.h"

class QLabel;
class QPlainTextEdit;
class QsciScintilla;

namespace kiln {

class Notebook;

// Shows one cell: rendered Markdown, a section heading, or a Lua editor with its
// evaluation state and output. Edits go to the Notebook (and so onto its undo stack).
class CellWidget : public QFrame
{
    Q_OBJECT

public:
    CellWidget(Notebook *notebook, const QString &cellId, QWidget *parent = nullptr);

    QString cellId() const { return mCellId; }
    void refreshFromNotebook();
    void refreshOutputs();

    void setQueued();
    void setRunning();
    void setFinished(const EvalResult &result);
    void focusEditor();

Q_SIGNALS:
    void runRequested(const QString &cellId, bool advance);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onEditorTextChanged();
    void updateEditorHeight();
    int index() const;

    Notebook *mNotebook;
    QString mCellId;
    CellKind mKind;
    QLabel *mStateLabel = nullptr;
    QLabel *mMarkdown = nullptr;
    QsciScintilla *mEditor = nullptr;
    QPlainTextEdit *mOutput = nullptr;
    bool mUpdating = false;
};

} // namespace kiln
