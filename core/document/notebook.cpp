#include "document/notebook.h"

#include <QCoreApplication>
#include <QUndoCommand>
#include <QUndoStack>

namespace kiln {

namespace {

enum CommandId { SetSourceCommandId = 1 };

class SetTitleCommand : public QUndoCommand
{
public:
    SetTitleCommand(Notebook *notebook, const QString &title)
        : QUndoCommand(QCoreApplication::translate("kiln::Notebook", "Change title")), mNotebook(notebook), mOld(notebook->title()), mNew(title)
    {}
    void undo() override { mNotebook->applyTitle(mOld); }
    void redo() override { mNotebook->applyTitle(mNew); }

private:
    Notebook *mNotebook;
    QString mOld, mNew;
};

class InsertCellCommand : public QUndoCommand
{
public:
    InsertCellCommand(Notebook *notebook, int index, const Cell &cell)
        : QUndoCommand(QCoreApplication::translate("kiln::Notebook", "Insert cell")), mNotebook(notebook), mIndex(index), mCell(cell)
    {}
    void undo() override { mCell = mNotebook->applyRemove(mIndex); }
    void redo() override { mNotebook->applyInsert(mIndex, mCell); }

private:
    Notebook *mNotebook;
    int mIndex;
    Cell mCell;
};

class RemoveCellCommand : public QUndoCommand
{
public:
    RemoveCellCommand(Notebook *notebook, int index)
        : QUndoCommand(QCoreApplication::translate("kiln::Notebook", "Delete cell")), mNotebook(notebook), mIndex(index)
    {}
    void undo() override { mNotebook->applyInsert(mIndex, mCell); }
    void redo() override { mCell = mNotebook->applyRemove(mIndex); }

private:
    Notebook *mNotebook;
    int mIndex;
    Cell mCell;
};

class MoveCellCommand : public QUndoCommand
{
public:
    MoveCellCommand(Notebook *notebook, int from, int to)
        : QUndoCommand(QCoreApplication::translate("kiln::Notebook", "Move cell")), mNotebook(notebook), mFrom(from), mTo(to)
    {}
    void undo() override { mNotebook->applyMove(mTo, mFrom); }
    void redo() override { mNotebook->applyMove(mFrom, mTo); }

private:
    Notebook *mNotebook;
    int mFrom, mTo;
};

class SetSourceCommand : public QUndoCommand
{
public:
    SetSourceCommand(Notebook *notebook, int index, const QString &source)
        : QUndoCommand(QCoreApplication::translate("kiln::Notebook", "Edit cell"))
        , mNotebook(notebook)
        , mCellId(notebook->cell(index).id)
        , mOld(notebook->cell(index).source)
        , mNew(source)
    {}
    int id() const override { return SetSourceCommandId; }
    bool mergeWith(const QUndoCommand *other) override
    {
        auto next = static_cast<const SetSourceCommand *>(other);
        if (next->mCellId != mCellId)
            return false;
        mNew = next->mNew;
        return true;
    }
    void undo() override { apply(mOld); }
    void redo() override { apply(mNew); }

private:
    void apply(const QString &source)
    {
        const int index = mNotebook->indexOf(mCellId);
        if (index >= 0)
            mNotebook->applySource(index, source);
    }
    Notebook *mNotebook;
    QString mCellId;
    QString mOld, mNew;
};

class SetKindCommand : public QUndoCommand
{
public:
    SetKindCommand(Notebook *notebook, int index, CellKind kind)
        : QUndoCommand(QCoreApplication::translate("kiln::Notebook", "Change cell type"))
        , mNotebook(notebook), mIndex(index), mOld(notebook->cell(index).kind), mNew(kind)
    {}
    void undo() override { mNotebook->applyKind(mIndex, mOld); }
    void redo() override { mNotebook->applyKind(mIndex, mNew); }

private:
    Notebook *mNotebook;
    int mIndex;
    CellKind mOld, mNew;
};

class SetOptionsCommand : public QUndoCommand
{
public:
    SetOptionsCommand(Notebook *notebook, int index, const QJsonObject &options)
        : QUndoCommand(QCoreApplication::translate("kiln::Notebook", "Change cell options"))
        , mNotebook(notebook), mIndex(index), mOld(notebook->cell(index).options), mNew(options)
    {}
    void undo() override { mNotebook->applyOptions(mIndex, mOld); }
    void redo() override { mNotebook->applyOptions(mIndex, mNew); }

private:
    Notebook *mNotebook;
    int mIndex;
    QJsonObject mOld, mNew;
};

class SetMetadataCommand : public QUndoCommand
{
public:
    SetMetadataCommand(Notebook *notebook, const QJsonObject &metadata)
        : QUndoCommand(QCoreApplication::translate("kiln::Notebook", "Change notebook settings"))
        , mNotebook(notebook), mOld(notebook->content().metadata), mNew(metadata)
    {}
    void undo() override { mNotebook->applyMetadata(mOld); }
    void redo() override { mNotebook->applyMetadata(mNew); }

private:
    Notebook *mNotebook;
    QJsonObject mOld, mNew;
};

} // namespace

Notebook::Notebook(QObject *parent)
    : QObject(parent), mUndoStack(new QUndoStack(this))
{
    connect(mUndoStack, &QUndoStack::cleanChanged, this,
            [this](bool clean) { Q_EMIT modifiedChanged(!clean); });
}

Notebook::~Notebook() = default;

void Notebook::reset(const NotebookContent &content)
{
    mUndoStack->clear();
    mContent = content;
    for (Cell &cell : mContent.cells) {
        if (cell.id.isEmpty())
            cell.id = Cell::newId();
    }
    mUndoStack->setClean();
    Q_EMIT reloaded();
    Q_EMIT changed();
}

void Notebook::setFilePath(const QString &path)
{
    if (mFilePath == path)
        return;
    mFilePath = path;
    Q_EMIT filePathChanged(path);
}

bool Notebook::isModified() const
{
    return !mUndoStack->isClean();
}

void Notebook::setClean()
{
    mUndoStack->setClean();
}

void Notebook::markModified()
{
    mUndoStack->resetClean();
}

int Notebook::indexOf(const QString &cellId) const
{
    for (int i = 0; i < mContent.cells.size(); ++i) {
        if (mContent.cells.at(i).id == cellId)
            return i;
    }
    return -1;
}

void Notebook::setTitle(const QString &title)
{
    if (title != mContent.title)
        mUndoStack->push(new SetTitleCommand(this, title));
}

void Notebook::insertCell(int index, const Cell &cell)
{
    Q_ASSERT(index >= 0 && index <= cellCount());
    Cell inserted = cell;
    if (inserted.id.isEmpty() || indexOf(inserted.id) >= 0)
        inserted.id = Cell::newId();
    mUndoStack->push(new InsertCellCommand(this, index, inserted));
}

void Notebook::removeCell(int index)
{
    Q_ASSERT(index >= 0 && index < cellCount());
    mUndoStack->push(new RemoveCellCommand(this, index));
}

void Notebook::moveCell(int from, int to)
{
    Q_ASSERT(from >= 0 && from < cellCount() && to >= 0 && to < cellCount());
    if (from != to)
        mUndoStack->push(new MoveCellCommand(this, from, to));
}

void Notebook::setCellSource(int index, const QString &source)
{
    if (cell(index).source != source)
        mUndoStack->push(new SetSourceCommand(this, index, source));
}

void Notebook::setCellKind(int index, CellKind kind)
{
    if (cell(index).kind != kind)
        mUndoStack->push(new SetKindCommand(this, index, kind));
}

void Notebook::setCellOptions(int index, const QJsonObject &options)
{
    if (cell(index).options != options)
        mUndoStack->push(new SetOptionsCommand(this, index, options));
}

void Notebook::setPersistOutputs(bool persist)
{
    NotebookContent changedContent;
    changedContent.metadata = mContent.metadata;
    changedContent.setPersistOutputs(persist);
    if (changedContent.metadata != mContent.metadata)
        mUndoStack->push(new SetMetadataCommand(this, changedContent.metadata));
}

void Notebook::setOutputs(int index, const OutputList &outputs)
{
    mContent.cells[index].outputs = outputs;
    Q_EMIT outputsChanged(index);
    Q_EMIT changed();
}

void Notebook::appendOutputs(int index, const OutputList &outputs)
{
    for (const OutputItem &item : outputs)
        appendOutput(mContent.cells[index].outputs, item);
    Q_EMIT outputsChanged(index);
    Q_EMIT changed();
}

void Notebook::clearAllOutputs()
{
    for (int i = 0; i < mContent.cells.size(); ++i) {
        if (!mContent.cells.at(i).outputs.isEmpty()) {
            mContent.cells[i].outputs.clear();
            Q_EMIT outputsChanged(i);
        }
    }
    Q_EMIT changed();
}

void Notebook::applyTitle(const QString &title)
{
    mContent.title = title;
    Q_EMIT titleChanged(title);
    Q_EMIT changed();
}

void Notebook::applyInsert(int index, const Cell &cell)
{
    mContent.cells.insert(index, cell);
    Q_EMIT cellInserted(index);
    Q_EMIT changed();
}

Cell Notebook::applyRemove(int index)
{
    Cell removed = mContent.cells.takeAt(index);
    Q_EMIT cellRemoved(index);
    Q_EMIT changed();
    return removed;
}

void Notebook::applyMove(int from, int to)
{
    mContent.cells.move(from, to);
    Q_EMIT cellMoved(from, to);
    Q_EMIT changed();
}

void Notebook::applySource(int index, const QString &source)
{
    mContent.cells[index].source = source;
    Q_EMIT cellChanged(index);
    Q_EMIT changed();
}

void Notebook::applyKind(int index, CellKind kind)
{
    mContent.cells[index].kind = kind;
    Q_EMIT cellChanged(index);
    Q_EMIT changed();
}

void Notebook::applyOptions(int index, const QJsonObject &options)
{
    mContent.cells[index].options = options;
    Q_EMIT cellChanged(index);
    Q_EMIT changed();
}

void Notebook::applyMetadata(const QJsonObject &metadata)
{
    mContent.metadata = metadata;
    Q_EMIT changed();
}

} // namespace kiln
