#include "document/notebook.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QUndoStack>

using namespace kiln;

class TestNotebook : public QObject
{
    Q_OBJECT

private:
    static NotebookContent sample()
    {
        NotebookContent content;
        content.title = QStringLiteral("Sample");
        content.cells = {Cell::make(CellKind::Markdown, QStringLiteral("intro")),
                         Cell::make(CellKind::Code, QStringLiteral("x = 1")),
                         Cell::make(CellKind::Code, QStringLiteral("x + 1"))};
        return content;
    }

    static QStringList sources(const Notebook &notebook)
    {
        QStringList result;
        for (int i = 0; i < notebook.cellCount(); ++i)
            result.append(notebook.cell(i).source);
        return result;
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void resetIsCleanAndAssignsIds()
    {
        Notebook notebook;
        NotebookContent content = sample();
        for (Cell &cell : content.cells)
            cell.id.clear();
        notebook.reset(content);
        QVERIFY(!notebook.isModified());
        QVERIFY(!notebook.undoStack()->canUndo());
        QVERIFY(!notebook.cell(0).id.isEmpty());
        QVERIFY(notebook.cell(0).id != notebook.cell(1).id);
    }

    void structuralEditsUndo()
    {
        Notebook notebook;
        notebook.reset(sample());
        const NotebookContent before = notebook.content();
        QSignalSpy inserted(&notebook, &Notebook::cellInserted);
        QSignalSpy removed(&notebook, &Notebook::cellRemoved);
        QSignalSpy moved(&notebook, &Notebook::cellMoved);
        QSignalSpy changed(&notebook, &Notebook::changed);
        QSignalSpy modified(&notebook, &Notebook::modifiedChanged);

        notebook.insertCell(1, Cell::make(CellKind::Section, QStringLiteral("Part 1")));
        QCOMPARE(inserted.count(), 1);
        QVERIFY(notebook.isModified());
        QCOMPARE(modified.count(), 1);
        notebook.moveCell(3, 0);
        QCOMPARE(moved.count(), 1);
        notebook.removeCell(1);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(sources(notebook), (QStringList{QStringLiteral("x + 1"), QStringLiteral("Part 1"), QStringLiteral("x = 1")}));
        QVERIFY(changed.count() >= 3);

        notebook.undoStack()->undo();
        notebook.undoStack()->undo();
        notebook.undoStack()->undo();
        QVERIFY(notebook.content() == before);
        QVERIFY(!notebook.isModified());

        notebook.undoStack()->redo();
        notebook.undoStack()->redo();
        notebook.undoStack()->redo();
        QCOMPARE(sources(notebook), (QStringList{QStringLiteral("x + 1"), QStringLiteral("Part 1"), QStringLiteral("x = 1")}));
    }

    void typingMergesIntoOneUndoStep()
    {
        Notebook notebook;
        notebook.reset(sample());
        notebook.setCellSource(1, QStringLiteral("x = 1\n"));
        notebook.setCellSource(1, QStringLiteral("x = 1\ny"));
        notebook.setCellSource(1, QStringLiteral("x = 1\ny = 2"));
        QCOMPARE(notebook.undoStack()->count(), 1);
        notebook.setCellSource(2, QStringLiteral("x + 2"));  // another cell: its own step
        QCOMPARE(notebook.undoStack()->count(), 2);
        notebook.undoStack()->undo();
        notebook.undoStack()->undo();
        QCOMPARE(notebook.cell(1).source, QStringLiteral("x = 1"));
        QCOMPARE(notebook.cell(2).source, QStringLiteral("x + 1"));
    }

    void kindTitleOptionsAndSettingsUndo()
    {
        Notebook notebook;
        notebook.reset(sample());
        const NotebookContent before = notebook.content();
        QSignalSpy titleChanged(&notebook, &Notebook::titleChanged);
        notebook.setTitle(QStringLiteral("Renamed"));
        QCOMPARE(titleChanged.count(), 1);
        notebook.setCellKind(0, CellKind::Code);
        notebook.setCellOptions(1, QJsonObject{{QStringLiteral("name"), QStringLiteral("setup")}});
        notebook.setPersistOutputs(true);
        QVERIFY(notebook.content().persistOutputs());
        QCOMPARE(notebook.undoStack()->count(), 4);
        while (notebook.undoStack()->canUndo())
            notebook.undoStack()->undo();
        QVERIFY(notebook.content() == before);
    }

    void undoOfEditAfterMoveFollowsTheCell()
    {
        Notebook notebook;
        notebook.reset(sample());
        notebook.setCellSource(2, QStringLiteral("x + 100"));
        notebook.moveCell(2, 0);
        notebook.undoStack()->undo();  // move
        notebook.undoStack()->undo();  // edit
        QCOMPARE(notebook.cell(2).source, QStringLiteral("x + 1"));
    }

    void outputsAreNotUndoable()
    {
        Notebook notebook;
        notebook.reset(sample());
        QSignalSpy outputs(&notebook, &Notebook::outputsChanged);
        notebook.setOutputs(1, {OutputItem::makeText(QStringLiteral("hi\n"))});
        notebook.appendOutputs(1, {OutputItem::makeValue(QStringLiteral("2"))});
        QCOMPARE(outputs.count(), 2);
        QCOMPARE(notebook.cell(1).outputs.size(), 2);
        QVERIFY(!notebook.undoStack()->canUndo());
        notebook.clearAllOutputs();
        QVERIFY(notebook.cell(1).outputs.isEmpty());
    }

    void indexOfAndDuplicateIds()
    {
        Notebook notebook;
        notebook.reset(sample());
        const Cell copy = notebook.cell(1);
        notebook.insertCell(0, copy);  // same id: the inserted cell gets a fresh one
        QVERIFY(notebook.cell(0).id != copy.id);
        QCOMPARE(notebook.indexOf(copy.id), 2);
        QCOMPARE(notebook.indexOf(QStringLiteral("no-such-id")), -1);
    }
};

QTEST_GUILESS_MAIN(TestNotebook)
#include "tst_notebook.moc"
