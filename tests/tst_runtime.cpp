#include "runtime.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace kiln;

// Collects what a Runtime reports, in order.
struct Recorder
{
    explicit Recorder(Runtime *runtime)
    {
        QObject::connect(runtime, &Runtime::started, [this](const QString &cell, quint64) {
            events.append(QStringLiteral("started ") + cell);
        });
        QObject::connect(runtime, &Runtime::outputReady, [this](const QString &cell, const OutputList &items) {
            for (const OutputItem &item : items) {
                events.append(QStringLiteral("output ") + cell);
                outputs[cell].append(item);
                outputTimes.append(clock.elapsed());
            }
        });
        QObject::connect(runtime, &Runtime::finished, [this](const QString &cell, quint64, const EvalResult &result) {
            events.append(QStringLiteral("finished ") + cell);
            results[cell] = result;
            finishTimes.append(clock.elapsed());
        });
        clock.start();
    }

    QString text(const QString &cell) const
    {
        QString all;
        for (const OutputItem &item : outputs.value(cell))
            all += item.text;
        return all;
    }

    bool waitFor(const QString &cell, int timeoutMs = 10000)
    {
        return QTest::qWaitFor([&] { return results.contains(cell); }, timeoutMs);
    }

    QStringList events;
    QHash<QString, OutputList> outputs;
    QHash<QString, EvalResult> results;
    QList<qint64> outputTimes;
    QList<qint64> finishTimes;
    QElapsedTimer clock;
};

class TestRuntime : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void queuedCellsRunInOrderAndShareGlobals()
    {
        Runtime runtime;
        Recorder recorder(&runtime);
        runtime.evaluate(QStringLiteral("a"), QStringLiteral("x = 10"));
        runtime.evaluate(QStringLiteral("b"), QStringLiteral("x = x * 2"));
        runtime.evaluate(QStringLiteral("c"), QStringLiteral("x + 1"));
        QCOMPARE(runtime.pendingCount() + (runtime.isBusy() ? 1 : 0), 3);
        QVERIFY(recorder.waitFor(QStringLiteral("c")));
        QCOMPARE(recorder.text(QStringLiteral("c")), QStringLiteral("21"));
        QCOMPARE(recorder.events.first(), QStringLiteral("started a"));
        QCOMPARE(recorder.events.indexOf(QStringLiteral("finished a")) < recorder.events.indexOf(QStringLiteral("started b")), true);
        QCOMPARE(recorder.results.value(QStringLiteral("b")).writes, QStringList{QStringLiteral("x")});
        QCOMPARE(recorder.results.value(QStringLiteral("c")).evaluationNumber, 3);
        QVERIFY(!runtime.isBusy());
    }

    void callerIsNeverBlocked()
    {
        Runtime runtime;
        Recorder recorder(&runtime);
        QElapsedTimer timer;
        timer.start();
        runtime.evaluate(QStringLiteral("slow"), QStringLiteral("local t = os.clock()\nwhile os.clock() - t < 0.5 do end"));
        QVERIFY(timer.elapsed() < 100);
        QVERIFY(recorder.waitFor(QStringLiteral("slow")));
    }

    void outputStreamsBeforeTheCellFinishes()
    {
        Runtime runtime;
        Recorder recorder(&runtime);
        runtime.evaluate(QStringLiteral("p"), QStringLiteral(
            "print('early')\nlocal t = os.clock()\nwhile os.clock() - t < 0.5 do end\nprint('late')"));
        QVERIFY(recorder.waitFor(QStringLiteral("p")));
        QCOMPARE(recorder.text(QStringLiteral("p")), QStringLiteral("early\nlate\n"));
        QVERIFY(recorder.outputTimes.size() >= 2);
        // 'early' arrived while the cell was still busy.
        QVERIFY(recorder.finishTimes.first() - recorder.outputTimes.first() >= 300);
    }

    void errorsAreReported()
    {
        Runtime runtime;
        Recorder recorder(&runtime);
        QSignalSpy failed(&runtime, &Runtime::failed);
        runtime.evaluate(QStringLiteral("bad"), QStringLiteral("local a = 1\nerror('broken')"));
        QVERIFY(recorder.waitFor(QStringLiteral("bad")));
        QCOMPARE(failed.count(), 1);
        const EvalResult result = recorder.results.value(QStringLiteral("bad"));
        QCOMPARE(result.status, EvalResult::Status::Error);
        QCOMPARE(result.error.line, 2);
        QCOMPARE(result.error.message, QStringLiteral("broken"));
        QCOMPARE(recorder.outputs.value(QStringLiteral("bad")).constLast().kind, OutputItem::Kind::Error);
    }

    void interruptThenContinue()
    {
        Runtime runtime;
        Recorder recorder(&runtime);
        runtime.evaluate(QStringLiteral("set"), QStringLiteral("kept = 1"));
        runtime.evaluate(QStringLiteral("loop"), QStringLiteral("while true do pcall(function() while true do end end) end"));
        QVERIFY(QTest::qWaitFor([&] { return runtime.runningCellId() == QLatin1String("loop"); }, 5000));
        QTest::qWait(200);
        runtime.interrupt();
        QVERIFY(recorder.waitFor(QStringLiteral("loop"), 5000));
        QCOMPARE(recorder.results.value(QStringLiteral("loop")).status, EvalResult::Status::Interrupted);
        runtime.evaluate(QStringLiteral("after"), QStringLiteral("kept + 1"));
        QVERIFY(recorder.waitFor(QStringLiteral("after")));
        QCOMPARE(recorder.text(QStringLiteral("after")), QStringLiteral("2"));
    }

    void interruptWhenIdleDoesNotLeakIntoTheNextCell()
    {
        Runtime runtime;
        Recorder recorder(&runtime);
        runtime.interrupt();
        runtime.evaluate(QStringLiteral("next"), QStringLiteral("local n = 0\nfor i = 1, 100000 do n = n + i end\nn"));
        QVERIFY(recorder.waitFor(QStringLiteral("next")));
        QVERIFY(recorder.results.value(QStringLiteral("next")).ok());
    }

    void cancelPendingAndRestart()
    {
        Runtime runtime;
        Recorder recorder(&runtime);
        QSignalSpy restarted(&runtime, &Runtime::restarted);
        runtime.evaluate(QStringLiteral("g"), QStringLiteral("kept = 1"));
        runtime.evaluate(QStringLiteral("spin"), QStringLiteral("while true do end"));
        runtime.evaluate(QStringLiteral("queued"), QStringLiteral("print('never')"));
        QVERIFY(QTest::qWaitFor([&] { return runtime.runningCellId() == QLatin1String("spin"); }, 5000));
        runtime.restart();
        QCOMPARE(recorder.results.value(QStringLiteral("queued")).status, EvalResult::Status::Cancelled);
        QVERIFY(recorder.waitFor(QStringLiteral("spin"), 5000));
        QCOMPARE(recorder.results.value(QStringLiteral("spin")).status, EvalResult::Status::Interrupted);
        QVERIFY(restarted.wait(5000) || restarted.count() == 1);
        runtime.evaluate(QStringLiteral("fresh"), QStringLiteral("kept"));
        QVERIFY(recorder.waitFor(QStringLiteral("fresh")));
        QCOMPARE(recorder.text(QStringLiteral("fresh")), QStringLiteral("nil"));
        QCOMPARE(recorder.results.value(QStringLiteral("fresh")).evaluationNumber, 1);
        QVERIFY(recorder.text(QStringLiteral("queued")).isEmpty());
    }

    void printFloodStaysBounded()
    {
        Runtime runtime;
        runtime.setMaxBufferedText(64 * 1024);
        Recorder recorder(&runtime);
        runtime.evaluate(QStringLiteral("flood"), QStringLiteral("for i = 1, 1000000 do print('line', i) end"));
        QVERIFY(recorder.waitFor(QStringLiteral("flood"), 60000));
        const QString text = recorder.text(QStringLiteral("flood"));
        QVERIFY(text.contains(QStringLiteral("characters of output dropped")));
        QVERIFY(text.endsWith(QStringLiteral("line\t1000000\n")));
        // Far less than the ~13 MB printed: only what fits between deliveries survives.
        QVERIFY2(text.size() < 4 * 1024 * 1024, qPrintable(QString::number(text.size())));
        // Deliveries are paced by the timer, not one per print.
        QVERIFY(recorder.outputTimes.size() < 10000);
    }

    void destroyWhileRunning()
    {
        auto *runtime = new Runtime;
        runtime->evaluate(QStringLiteral("spin"), QStringLiteral("while true do end"));
        QTest::qWait(100);
        QElapsedTimer timer;
        timer.start();
        delete runtime;  // interrupts and joins its thread
        QVERIFY(timer.elapsed() < 3000);
    }
};

QTEST_GUILESS_MAIN(TestRuntime)
#include "tst_runtime.moc"
