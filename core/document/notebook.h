#pragma once

#include "document/cell.h"

#include <QObject>

class QUndoStack;

namespace kiln {

// The open notebook document. Every edit of its text and structure goes through
// the methods below, which push an undo command on the document's own stack, so
// the window's Undo/Redo covers everything. Outputs are results, not edits: they
// change without undo, like Jupyter's.
class Notebook : public QObject
{
    Q_OBJECT

public:
    explicit Notebook(QObject *parent = nullptr);
    ~Notebook() override;

    const NotebookContent &content() const { return mContent; }
    // Replaces everything (after opening a file); clears the undo stack.
    void reset(const NotebookContent &content);

    QString filePath() const { return mFilePath; }
    void setFilePath(const QString &path);

    QUndoStack *undoStack() const { return mUndoStack; }
    bool isModified() const;
    void setClean();
    // Marks content that is not on disk (recovered after a crash) as unsaved,
    // without an undo step.
    void markModified();

    QString title() const { return mContent.title; }
    int cellCount() const { return int(mContent.cells.size()); }
    const Cell &cell(int index) const { return mContent.cells.at(index); }
    int indexOf(const QString &cellId) const;

    // Undoable edits.
    void setTitle(const QString &title);
    void insertCell(int index, const Cell &cell);
    void removeCell(int index);
    void moveCell(int from, int to);
    // Consecutive text edits of one cell merge into one undo step.
    void setCellSource(int index, const QString &source);
    void setCellKind(int index, CellKind kind);
    void setCellOptions(int index, const QJsonObject &options);
    void setPersistOutputs(bool persist);

    // Not undoable: results of evaluation.
    void setOutputs(int index, const OutputList &outputs);
    void appendOutputs(int index, const OutputList &outputs);
    void clearAllOutputs();

    // Used by the undo commands; they apply a change and emit its signals.
    void applyTitle(const QString &title);
    void applyInsert(int index, const Cell &cell);
    Cell applyRemove(int index);
    void applyMove(int from, int to);
    void applySource(int index, const QString &source);
    void applyKind(int index, CellKind kind);
    void applyOptions(int index, const QJsonObject &options);
    void applyMetadata(const QJsonObject &metadata);

Q_SIGNALS:
    void titleChanged(const QString &title);
    void cellInserted(int index);
    void cellRemoved(int index);
    void cellMoved(int from, int to);
    void cellChanged(int index);         // source, kind or options
    void outputsChanged(int index);
    void filePathChanged(const QString &path);
    void modifiedChanged(bool modified);
    void reloaded();
    // Emitted after every change of content or outputs.
    void changed();

private:
    NotebookContent mContent;
    QString mFilePath;
    QUndoStack *mUndoStack;
};

} // namespace kiln
