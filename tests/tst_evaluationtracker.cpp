#include "document/evaluationtracker.h"
#include "kernel/luasession.h"
#include "document/notebook.h"

#include <QStandardPaths>
#include <QTest>

using namespace kiln;

// Evaluation states and stale marking, fed by real evaluations: the reads and
// writes come from the Lua runtime's analysis of each cell.
class TestEvaluationTracker : public QObject
{
    Q_OBJECT

private:
    struct Fixture
    {
        Notebook notebook;
        EvaluationTracker tracker{&notebook};
        LuaSession session{std::make_shared<std::atomic<bool>>(false), [](const OutputItem &) {}};
        int evaluations = 0;

        explicit Fixture(const QStringList &sources)
        {
            NotebookContent content;
            for (const QString &source : sources) {
                Cell cell = Cell::make(CellKind::Code);
                cell.source = source;
                content.cells.append(cell);
            }
            notebook.reset(content);
        }
        QString id(int index) const { return notebook.cell(index).id; }
        void run(int index)
        {
            tracker.markQueued(id(index));
            tracker.markStarted(id(index));
            EvalResult result = session.evaluate(notebook.cell(index).source);
            result.evaluationNumber = ++evaluations;
            tracker.markFinished(id(index), result);
        }
        QStringList staleIndexes() const
        {
            QStringList indexes;
            for (const QString &cellId : tracker.staleCells())
                indexes.append(QString::number(notebook.indexOf(cellId)));
            return indexes;
        }
    };

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void states()
    {
        Fixture f({QStringLiteral("x = 1"), QStringLiteral("error('no')")});
        QCOMPARE(f.tracker.cellState(f.id(0)).state, EvaluationTracker::State::NeverRun);
        f.tracker.markQueued(f.id(0));
        QCOMPARE(f.tracker.cellState(f.id(0)).state, EvaluationTracker::State::Queued);
        f.run(0);
        QCOMPARE(f.tracker.cellState(f.id(0)).state, EvaluationTracker::State::Finished);
        QCOMPARE(f.tracker.cellState(f.id(0)).evaluationNumber, 1);
        f.run(1);
        QCOMPARE(f.tracker.cellState(f.id(1)).state, EvaluationTracker::State::Failed);
        QCOMPARE(f.tracker.cellState(f.id(1)).evaluationNumber, 2);
    }

    void editingMarksReadersStaleTransitively()
    {
        Fixture f({QStringLiteral("a = 1"), QStringLiteral("b = a + 1"), QStringLiteral("c = b * 2"),
                   QStringLiteral("d = 5"), QStringLiteral("print(c, d)")});
        for (int i = 0; i < 5; ++i)
            f.run(i);
        QVERIFY(f.tracker.staleCells().isEmpty());
        f.notebook.setCellSource(0, QStringLiteral("a = 10"));
        QVERIFY(f.tracker.cellState(f.id(0)).edited);
        QCOMPARE(f.staleIndexes(), QStringList({"0", "1", "2", "4"}));
        QVERIFY(!f.tracker.isStale(f.id(3)));
        // Running the stale cells in order clears them.
        for (const QString &index : f.staleIndexes())
            f.run(index.toInt());
        QVERIFY2(f.tracker.staleCells().isEmpty(), qPrintable(f.staleIndexes().join(QLatin1Char(','))));
    }

    void rerunningMarksEarlierReaders()
    {
        Fixture f({QStringLiteral("x = 1"), QStringLiteral("y = x + 1"), QStringLiteral("z = 3")});
        f.run(0);
        f.run(1);
        f.run(2);
        f.run(0);  // writes x again: cell 1 read the old x
        QCOMPARE(f.staleIndexes(), QStringList({"1"}));
        f.run(1);
        QVERIFY(f.tracker.staleCells().isEmpty());
    }

    void restartMakesEverythingStale()
    {
        Fixture f({QStringLiteral("x = 1"), QStringLiteral("y = 2"), QStringLiteral("z = 3")});
        f.run(0);
        f.run(1);
        f.tracker.markRuntimeRestarted();
        // Cell 2 never ran but comes after stale cells, so Run all stale includes it.
        QCOMPARE(f.staleIndexes(), QStringList({"0", "1", "2"}));
    }
};

QTEST_GUILESS_MAIN(TestEvaluationTracker)
#include "tst_evaluationtracker.moc"
