// kiln train: the engine's line format and metrics CSV, and the command run end
// to end on small generated CSVs (a few epochs each, to stay fast).
#include "trainer.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace kiln;

class TestTrain : public QObject
{
    Q_OBJECT

    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };

    Run kiln(const QStringList &arguments)
    {
        QProcess process;
        process.start(QStringLiteral(KILN_BINARY), arguments);
        process.waitForFinished(120000);
        Run result;
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        result.out = QString::fromUtf8(process.readAllStandardOutput());
        result.err = QString::fromUtf8(process.readAllStandardError());
        return result;
    }

    QString write(const QString &name, const QString &text)
    {
        const QString path = mDir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        file.write(text.toUtf8());
        return path;
    }

    // Two informative features at very different scales: only standardization
    // lets a few epochs find the rule 2a/1000 - b > 0.
    QString classificationCsv()
    {
        QRandomGenerator random(7);
        QString csv = QStringLiteral("a,b,noise,label\n");
        for (int i = 0; i < 600; ++i) {
            const double a = random.bounded(2000.0) - 1000.0;
            const double b = random.bounded(4.0) - 2.0;
            const double noise = random.bounded(1.0);
            csv += QStringLiteral("%1,%2,%3,%4\n").arg(a).arg(b).arg(noise).arg(2 * a / 1000 - b > 0 ? "yes" : "no");
        }
        return write(QStringLiteral("classes.csv"), csv);
    }

    QString regressionCsv()
    {
        QRandomGenerator random(11);
        QString csv = QStringLiteral("a,b,y\n");
        for (int i = 0; i < 600; ++i) {
            const double a = random.bounded(10.0) - 5.0;
            const double b = random.bounded(10.0) - 5.0;
            const double y = 3 * a - 2 * b + (random.bounded(1.0) - 0.5) * 0.5;
            csv += QStringLiteral("%1,%2,%3\n").arg(a).arg(b).arg(y);
        }
        return write(QStringLiteral("regression.csv"), csv);
    }

    double lastNumber(const QString &text, const QString &pattern)
    {
        const QRegularExpressionMatch match = QRegularExpression(pattern).match(text);
        return match.hasMatch() ? match.captured(1).toDouble() : -1;
    }

    QTemporaryDir mDir;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(mDir.isValid());
    }

    void parsesEpochLines()
    {
        EpochReport report;
        QVERIFY(Trainer::parseEpochLine(QStringLiteral("@epoch 3 step=120 train_loss=0.41 val_accuracy=0.88"), &report));
        QCOMPARE(report.epoch, 3);
        QCOMPARE(report.step, 120);
        QCOMPARE(report.metrics.value(QStringLiteral("train_loss")), 0.41);
        QCOMPARE(report.metrics.value(QStringLiteral("val_accuracy")), 0.88);
        QVERIFY(!Trainer::parseEpochLine(QStringLiteral("epoch 3"), &report));
        QVERIFY(!Trainer::parseEpochLine(QStringLiteral("@epoch x"), &report));
        const QString csv = Trainer::metricsCsv(QStringLiteral("r"), {report});
        QCOMPARE(csv, QStringLiteral("run,epoch,step,metric,value\nr,3,120,train_loss,0.41\nr,3,120,val_accuracy,0.88\n"));
    }

    void classifiesWithAnMlp()
    {
        const QString data = classificationCsv();
        const QString model = mDir.filePath(QStringLiteral("classes.pt"));
        const QString metrics = mDir.filePath(QStringLiteral("classes-metrics.csv"));
        const Run run = kiln({QStringLiteral("train"), QStringLiteral("--data"), data, QStringLiteral("--target"),
                              QStringLiteral("label"), QStringLiteral("--epochs"), QStringLiteral("8"), QStringLiteral("--lr"),
                              QStringLiteral("0.01"), QStringLiteral("--out"), model, QStringLiteral("--metrics"), metrics});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        QCOMPARE(run.out.count(QRegularExpression(QStringLiteral("^epoch \\d+/8 .*val accuracy"), QRegularExpression::MultilineOption)), 8);
        const QString last = run.out.trimmed().section(QLatin1Char('\n'), -1);
        QVERIFY2(last.startsWith(QStringLiteral("validation accuracy: ")), qPrintable(run.out));
        QVERIFY2(lastNumber(last, QStringLiteral("([0-9.]+)$")) >= 0.95, qPrintable(run.out));

        QFile file(metrics);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.value(0), QStringLiteral("run,epoch,step,metric,value"));
        QCOMPARE(lines.size(), 1 + 8 * 2);
        QVERIFY2(lines.value(1).startsWith(QStringLiteral("classes,1,")), qPrintable(lines.value(1)));

        // The saved model is TorchScript that takes the raw three features.
        const Run inspect = kiln({QStringLiteral("inspect"), model, QStringLiteral("--try"), QStringLiteral("4,3")});
        QVERIFY2(inspect.exitCode == 0, qPrintable(inspect.out + inspect.err));
        QVERIFY2(inspect.out.contains(QStringLiteral("[4, 2]")), qPrintable(inspect.out));
    }

    void regressesWithAnMlp()
    {
        const Run run = kiln({QStringLiteral("train"), QStringLiteral("--data"), regressionCsv(), QStringLiteral("--target"),
                              QStringLiteral("y"), QStringLiteral("--epochs"), QStringLiteral("10"), QStringLiteral("--lr"),
                              QStringLiteral("0.01"), QStringLiteral("--seed"), QStringLiteral("3")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        QVERIFY(run.out.contains(QStringLiteral("val MAE")));
        const QString last = run.out.trimmed().section(QLatin1Char('\n'), -1);
        QVERIFY2(last.startsWith(QStringLiteral("validation MAE: ")), qPrintable(run.out));
        QVERIFY2(lastNumber(last, QStringLiteral("R2: ([-0-9.]+)")) >= 0.9, qPrintable(run.out));
    }

    // The other settings: AdamW with weight decay, a cosine schedule, and early
    // stopping, which ends the run once validation stops improving.
    void optimizerScheduleAndEarlyStopping()
    {
        const Run run = kiln({QStringLiteral("train"), QStringLiteral("--data"), regressionCsv(), QStringLiteral("--target"),
                              QStringLiteral("y"), QStringLiteral("--epochs"), QStringLiteral("200"), QStringLiteral("--lr"),
                              QStringLiteral("0.01"), QStringLiteral("--optimizer"), QStringLiteral("adamw"),
                              QStringLiteral("--weight-decay"), QStringLiteral("0.001"), QStringLiteral("--schedule"),
                              QStringLiteral("cosine"), QStringLiteral("--patience"), QStringLiteral("3")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        QVERIFY2(run.out.contains(QStringLiteral("stopped early after epoch")), qPrintable(run.out));
        QVERIFY(!run.out.contains(QStringLiteral("epoch 200/200")));
        QVERIFY2(lastNumber(run.out.trimmed().section(QLatin1Char('\n'), -1), QStringLiteral("R2: ([-0-9.]+)")) >= 0.9,
                 qPrintable(run.out));
    }

    void failsOnBadData()
    {
        const QString data = classificationCsv();
        Run run = kiln({QStringLiteral("train"), QStringLiteral("--data"), mDir.filePath(QStringLiteral("missing.csv")),
                        QStringLiteral("--target"), QStringLiteral("y")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("not found")), qPrintable(run.err));
        QCOMPARE(run.err.trimmed().count(QLatin1Char('\n')), 0);

        run = kiln({QStringLiteral("train"), QStringLiteral("--data"), data, QStringLiteral("--target"), QStringLiteral("nope")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("no column 'nope'")), qPrintable(run.err));

        const QString ragged = write(QStringLiteral("ragged.csv"), QStringLiteral("a,b,label\n1,2,yes\n3,no\n5,6,yes\n"));
        run = kiln({QStringLiteral("train"), QStringLiteral("--data"), ragged, QStringLiteral("--target"), QStringLiteral("label")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.startsWith(QStringLiteral("kiln train: ")), qPrintable(run.err));
    }

    void rejectsBadOptions_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("no data") << QStringList{QStringLiteral("--target"), QStringLiteral("y")};
        QTest::newRow("no target") << QStringList{QStringLiteral("--data"), QStringLiteral("x.csv")};
        QTest::newRow("epochs") << QStringList{QStringLiteral("--data"), QStringLiteral("x.csv"), QStringLiteral("--target"),
                                               QStringLiteral("y"), QStringLiteral("--epochs"), QStringLiteral("0")};
        QTest::newRow("lr") << QStringList{QStringLiteral("--data"), QStringLiteral("x.csv"), QStringLiteral("--target"),
                                           QStringLiteral("y"), QStringLiteral("--lr"), QStringLiteral("fast")};
        QTest::newRow("val split") << QStringList{QStringLiteral("--data"), QStringLiteral("x.csv"), QStringLiteral("--target"),
                                                  QStringLiteral("y"), QStringLiteral("--val-split"), QStringLiteral("1.5")};
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--data"), QStringLiteral("x.csv"), QStringLiteral("--bogus")};
        QTest::newRow("unknown model") << QStringList{QStringLiteral("--data"), QStringLiteral("x.csv"), QStringLiteral("--target"),
                                                      QStringLiteral("y"), QStringLiteral("--model"), QStringLiteral("nosuch")};
    }

    void rejectsBadOptions()
    {
        QFETCH(QStringList, arguments);
        const Run run = kiln(QStringList(QStringLiteral("train")) + arguments);
        QVERIFY2(run.exitCode == 2, qPrintable(run.err));
        QVERIFY(run.err.startsWith(QStringLiteral("kiln train: ")));
    }
};

QTEST_GUILESS_MAIN(TestTrain)
#include "tst_train.moc"
