// kiln train and its engine: the line format and metrics CSV; the command end to
// end on small generated CSVs and image folders (a few epochs each, to stay
// fast); the quality bar against logistic regression; pause and resume; Stop
// keeping the best epoch; PyTorch loading what was saved.
#include "kilnprocess.h"
#include "kernel/luasession.h"
#include "engines/pausegate.h"
#include "pythontorch.h"
#include "engines/trainer.h"

#include <QImage>
#include <QThread>

#include <csignal>
#include <cmath>

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

    using Run = kilntest::ProcessResult;

    Run kiln(const QStringList &arguments, int timeoutMs = 120000)
    {
        return kilntest::runKiln(arguments, QProcessEnvironment::systemEnvironment(), timeoutMs);
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

    // A CSV of a known linear rule with 8% of the labels flipped; `scales`
    // stretches each feature, so the rule only shows after standardization.
    QString ruleCsv(const QString &name, int rows, quint32 seed, const QList<double> &scales)
    {
        QRandomGenerator random(seed);
        const QList<double> weights{1.5, -2.0, 0.7, 0.0};
        QString csv = QStringLiteral("f1,f2,f3,f4,label\n");
        for (int i = 0; i < rows; ++i) {
            double score = -0.2;
            QStringList fields;
            for (int f = 0; f < 4; ++f) {
                const double x = random.bounded(2.0) - 1.0;
                score += weights.at(f) * x;
                fields.append(QString::number(x * scales.at(f), 'g', 10));
            }
            bool positive = score > 0;
            if (random.bounded(1.0) < 0.08)
                positive = !positive;
            fields.append(positive ? QStringLiteral("1") : QStringLiteral("0"));
            csv += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
        }
        return write(name, csv);
    }

    static QList<QList<double>> readRows(const QString &path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        QList<QList<double>> rows;
        const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        for (const QString &line : lines.mid(1)) {
            QList<double> row;
            for (const QString &field : line.split(QLatin1Char(',')))
                row.append(field.toDouble());
            rows.append(row);
        }
        return rows;
    }

    // Logistic regression fitted exactly (Newton's method on standardized
    // features, a tiny ridge for stability) on `train`; its accuracy on `test`.
    static double logisticRegressionAccuracy(const QString &train, const QString &test)
    {
        const QList<QList<double>> rows = readRows(train);
        const int features = int(rows.constFirst().size()) - 1;
        QList<double> mean(features, 0), deviation(features, 0);
        for (const QList<double> &row : rows)
            for (int f = 0; f < features; ++f)
                mean[f] += row.at(f) / rows.size();
        for (const QList<double> &row : rows)
            for (int f = 0; f < features; ++f)
                deviation[f] += (row.at(f) - mean.at(f)) * (row.at(f) - mean.at(f)) / rows.size();
        for (double &d : deviation)
            d = std::sqrt(d) > 0 ? std::sqrt(d) : 1;
        const int n = features + 1;  // and a bias
        const auto inputs = [&](const QList<double> &row) {
            QList<double> x(n, 1.0);
            for (int f = 0; f < features; ++f)
                x[f] = (row.at(f) - mean.at(f)) / deviation.at(f);
            return x;
        };
        QList<double> w(n, 0.0);
        for (int iteration = 0; iteration < 50; ++iteration) {
            QList<QList<double>> hessian(n, QList<double>(n, 0.0));
            QList<double> gradient(n, 0.0);
            for (int i = 0; i < n; ++i)
                hessian[i][i] = 1e-6;
            for (const QList<double> &row : rows) {
                const QList<double> x = inputs(row);
                double z = 0;
                for (int i = 0; i < n; ++i)
                    z += w.at(i) * x.at(i);
                const double p = 1 / (1 + std::exp(-z));
                for (int i = 0; i < n; ++i) {
                    gradient[i] += (row.constLast() - p) * x.at(i);
                    for (int j = 0; j < n; ++j)
                        hessian[i][j] += p * (1 - p) * x.at(i) * x.at(j);
                }
            }
            // Solve hessian * step = gradient (Gaussian elimination with pivoting).
            for (int c = 0; c < n; ++c) {
                int pivot = c;
                for (int r = c + 1; r < n; ++r)
                    if (std::abs(hessian.at(r).at(c)) > std::abs(hessian.at(pivot).at(c)))
                        pivot = r;
                hessian.swapItemsAt(c, pivot);
                gradient.swapItemsAt(c, pivot);
                for (int r = c + 1; r < n; ++r) {
                    const double factor = hessian.at(r).at(c) / hessian.at(c).at(c);
                    for (int k = c; k < n; ++k)
                        hessian[r][k] -= factor * hessian.at(c).at(k);
                    gradient[r] -= factor * gradient.at(c);
                }
            }
            QList<double> step(n, 0.0);
            for (int r = n - 1; r >= 0; --r) {
                double sum = gradient.at(r);
                for (int k = r + 1; k < n; ++k)
                    sum -= hessian.at(r).at(k) * step.at(k);
                step[r] = sum / hessian.at(r).at(r);
            }
            for (int i = 0; i < n; ++i)
                w[i] += step.at(i);
        }
        int correct = 0;
        const QList<QList<double>> testRows = readRows(test);
        for (const QList<double> &row : testRows) {
            const QList<double> x = inputs(row);
            double z = 0;
            for (int i = 0; i < n; ++i)
                z += w.at(i) * x.at(i);
            correct += (z > 0) == (row.constLast() > 0.5);
        }
        return double(correct) / testRows.size();
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
        QCOMPARE(lines.size(), 1 + 8 * 4);  // train_accuracy, train_loss, val_accuracy, val_loss
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

        // Nothing to learn from: every other column is text.
        const QString words = write(QStringLiteral("words.csv"), QStringLiteral("name,city,label\nann,rome,1\nbob,oslo,0\n"));
        run = kiln({QStringLiteral("train"), QStringLiteral("--data"), words, QStringLiteral("--target"), QStringLiteral("label")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("no feature columns")), qPrintable(run.err));
        run = kiln({QStringLiteral("train"), QStringLiteral("--data"), data, QStringLiteral("--target"), QStringLiteral("label"),
                    QStringLiteral("--features"), QStringLiteral("a,label")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("cannot also be a feature")), qPrintable(run.err));

        const QString ragged = write(QStringLiteral("ragged.csv"), QStringLiteral("a,b,label\n1,2,yes\n3,no\n5,6,yes\n"));
        run = kiln({QStringLiteral("train"), QStringLiteral("--data"), ragged, QStringLiteral("--target"), QStringLiteral("label")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.startsWith(QStringLiteral("kiln train: ")), qPrintable(run.err));
    }

    // The quality bar: on the same train/validation files the default MLP does
    // as well as logistic regression, which is the right model for a linear rule,
    // on ordinary features and on features whose scales differ by 10^8.
    void matchesLogisticRegression_data()
    {
        QTest::addColumn<QList<double>>("scales");
        QTest::newRow("plain") << QList<double>{1, 1, 1, 1};
        QTest::newRow("mixed scales") << QList<double>{100000, 0.001, 250, 1};
    }

    void matchesLogisticRegression()
    {
        QFETCH(QList<double>, scales);
        const QString tag = QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_'));
        const QString train = ruleCsv(tag + QStringLiteral("-train.csv"), 3000, 21, scales);
        const QString test = ruleCsv(tag + QStringLiteral("-test.csv"), 2000, 22, scales);
        const Run run = kiln({QStringLiteral("train"), QStringLiteral("--data"), train, QStringLiteral("--val-data"), test,
                              QStringLiteral("--target"), QStringLiteral("label")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        const double mlp = lastNumber(run.out, QStringLiteral("validation accuracy: ([0-9.]+)"));
        const double logistic = logisticRegressionAccuracy(train, test);
        qInfo("%s: default MLP %.4f, logistic regression %.4f", qPrintable(tag), mlp, logistic);
        QVERIFY2(logistic > 0.85, qPrintable(QString::number(logistic)));
        QVERIFY2(mlp >= logistic - 0.01, qPrintable(QStringLiteral("MLP %1 < logistic regression %2").arg(mlp).arg(logistic)));
    }

    // What users' CSVs look like: a text target, an id column of text, missing
    // values, a constant column, a bad row and features at very different scales.
    void textTargetMissingValuesMixedScales()
    {
        QRandomGenerator random(5);
        QString csv = QStringLiteral("name,income,age,country code,label\n");
        for (int i = 0; i < 700; ++i) {
            const double income = random.bounded(100000.0);
            const double age = random.bounded(80.0);
            const bool yes = income / 100000.0 + age / 80.0 > 1.0;
            const QString incomeText = i % 17 == 3 ? QString() : QString::number(income, 'f', 2);
            const QString ageText = i % 23 == 5 ? QStringLiteral("NA") : QString::number(age, 'f', 1);
            csv += QStringLiteral("\"Person %1, Jr.\",%2,%3,44,%4\n").arg(i).arg(incomeText, ageText, yes ? QStringLiteral("yes") : QStringLiteral("no"));
        }
        csv += QStringLiteral("\"broken row\",1\n\"no label\",5,6,44,\n");
        const QString data = write(QStringLiteral("people.csv"), csv);
        const QString model = mDir.filePath(QStringLiteral("people.pt"));
        const Run run = kiln({QStringLiteral("train"), QStringLiteral("--data"), data, QStringLiteral("--target"),
                              QStringLiteral("label"), QStringLiteral("--epochs"), QStringLiteral("20"), QStringLiteral("--out"), model});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        QVERIFY2(run.out.contains(QStringLiteral("2 rows skipped")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral("missing values filled with the training mean")), qPrintable(run.out));
        QVERIFY2(lastNumber(run.out, QStringLiteral("validation accuracy: ([0-9.]+)")) >= 0.93, qPrintable(run.out));

        // PyTorch runs the saved TorchScript on raw rows, a missing value (NaN)
        // included, and reads the state dict.
        const QString python = kilntest::findPythonWithTorch();
        QVERIFY2(!python.isEmpty(), "no python with torch (scripts/install-deps.sh makes .venv)");
        QString output;
        const QString script = QStringLiteral(
            "import torch, sys\n"
            "m = torch.jit.load(sys.argv[1])\n"
            "out = m(torch.tensor([[95000.0, 70.0, 44.0], [1000.0, 3.0, 44.0], [float('nan'), 79.0, 44.0]]))\n"
            "assert out.shape == (3, 2), out.shape\n"
            "assert not torch.isnan(out).any()\n"
            "print('classes', out.argmax(1).tolist())\n"
            "sd = torch.load(sys.argv[2])\n"
            "print('keys', sorted(k for k in sd if not k.startswith('net.')))\n");
        QVERIFY2(kilntest::runPython(python, {QStringLiteral("-c"), script, model, Trainer::stateDictPath(model)}, &output), qPrintable(output));
        // Classes are numbered in name order: no = 0, yes = 1.
        QVERIFY2(output.contains(QStringLiteral("classes [1, 0, 1]")), qPrintable(output));
        QVERIFY2(output.contains(QStringLiteral("keys ['x_fill', 'x_mean', 'x_std']")), qPrintable(output));
    }

    void taskAndLossChoices()
    {
        // Whole numbers with few values are classes unless regression is asked for.
        const QString data = ruleCsv(QStringLiteral("choices.csv"), 400, 3, {1, 1, 1, 1});
        Run run = kiln({QStringLiteral("train"), QStringLiteral("--data"), data, QStringLiteral("--target"), QStringLiteral("label"),
                        QStringLiteral("--epochs"), QStringLiteral("2"), QStringLiteral("--task"), QStringLiteral("regression"),
                        QStringLiteral("--loss"), QStringLiteral("huber")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        QVERIFY2(run.out.contains(QStringLiteral("loss: huber")) && run.out.contains(QStringLiteral("val R2")), qPrintable(run.out));
        run = kiln({QStringLiteral("train"), QStringLiteral("--data"), data, QStringLiteral("--target"), QStringLiteral("label"),
                    QStringLiteral("--epochs"), QStringLiteral("2"), QStringLiteral("--loss"), QStringLiteral("label_smoothing")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        QVERIFY(run.out.contains(QStringLiteral("loss: label_smoothing")));
        // A regression loss on classes is refused with a reason.
        run = kiln({QStringLiteral("train"), QStringLiteral("--data"), data, QStringLiteral("--target"), QStringLiteral("label"),
                    QStringLiteral("--loss"), QStringLiteral("mse")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("the mse loss does not suit classification")), qPrintable(run.err));
        // Only some columns as features.
        run = kiln({QStringLiteral("train"), QStringLiteral("--data"), data, QStringLiteral("--target"), QStringLiteral("label"),
                    QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--features"), QStringLiteral("f1,f2"),
                    QStringLiteral("--out"), mDir.filePath(QStringLiteral("two.pt"))});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        const Run inspect = kiln({QStringLiteral("inspect"), mDir.filePath(QStringLiteral("two.pt")), QStringLiteral("--try"), QStringLiteral("5,2")});
        QVERIFY2(inspect.exitCode == 0 && inspect.out.contains(QStringLiteral("[5, 2]")), qPrintable(inspect.out + inspect.err));
    }

    // A TorchScript model's parameters train: the model saved by one run goes on
    // learning in the next, and keeps its own methods.
    void trainsATorchScriptModel()
    {
        const QString data = classificationCsv();
        const QString first = mDir.filePath(QStringLiteral("first.pt"));
        const QString second = mDir.filePath(QStringLiteral("second.pt"));
        Run run = kiln({QStringLiteral("train"), QStringLiteral("--data"), data, QStringLiteral("--target"), QStringLiteral("label"),
                        QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--lr"), QStringLiteral("0.0005"),
                        QStringLiteral("--out"), first});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        const double before = lastNumber(run.out, QStringLiteral("validation accuracy: ([0-9.]+)"));
        run = kiln({QStringLiteral("train"), QStringLiteral("--data"), data, QStringLiteral("--target"), QStringLiteral("label"),
                    QStringLiteral("--epochs"), QStringLiteral("6"), QStringLiteral("--lr"), QStringLiteral("0.01"),
                    QStringLiteral("--model"), first, QStringLiteral("--out"), second});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        QVERIFY2(run.out.contains(QStringLiteral("model: ") + first), qPrintable(run.out));
        const double after = lastNumber(run.out, QStringLiteral("validation accuracy: ([0-9.]+)"));
        QVERIFY2(after >= 0.95 && after >= before, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
        const Run inspect = kiln({QStringLiteral("inspect"), second, QStringLiteral("--try"), QStringLiteral("4,3")});
        QVERIFY2(inspect.exitCode == 0 && inspect.out.contains(QStringLiteral("[4, 2]")), qPrintable(inspect.out + inspect.err));

        // A model that does not fit the data says so.
        run = kiln({QStringLiteral("train"), QStringLiteral("--data"), regressionCsv(), QStringLiteral("--target"), QStringLiteral("y"),
                    QStringLiteral("--model"), first});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("the model")), qPrintable(run.err));
        run = kiln({QStringLiteral("train"), QStringLiteral("--data"), data, QStringLiteral("--target"), QStringLiteral("label"),
                    QStringLiteral("--model"), mDir.filePath(QStringLiteral("nowhere.pt"))});
        QCOMPARE(run.exitCode, 1);
    }

    // A folder with one subfolder per class: vertical against horizontal stripes.
    void trainsOnAnImageFolder()
    {
        const QDir root(mDir.filePath(QStringLiteral("stripes")));
        QRandomGenerator random(9);
        for (const QString &kind : {QStringLiteral("horizontal"), QStringLiteral("vertical")}) {
            QVERIFY(root.mkpath(kind));
            for (int i = 0; i < 60; ++i) {
                QImage image(20, 20, QImage::Format_Grayscale8);
                const int period = 2 + random.bounded(4);
                for (int y = 0; y < 20; ++y)
                    for (int x = 0; x < 20; ++x)
                        image.setPixel(x, y, qRgb(0, 0, 0) | ((((kind.startsWith(QLatin1Char('h')) ? y : x) / period) % 2) ? 0xffffff : 0x202020));
                QVERIFY(image.save(root.filePath(QStringLiteral("%1/%2.png").arg(kind).arg(i))));
            }
        }
        const QString model = mDir.filePath(QStringLiteral("stripes.pt"));
        const Run run = kiln({QStringLiteral("train"), QStringLiteral("--data"), root.path(), QStringLiteral("--epochs"), QStringLiteral("8"),
                              QStringLiteral("--image-size"), QStringLiteral("16"), QStringLiteral("--out"), model});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        QVERIFY2(run.out.contains(QStringLiteral("96 training and 24 validation samples, 2 classes")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral("model: cnn")), qPrintable(run.out));
        QVERIFY2(lastNumber(run.out, QStringLiteral("validation accuracy: ([0-9.]+)")) >= 0.9, qPrintable(run.out));
        const Run inspect = kiln({QStringLiteral("inspect"), model, QStringLiteral("--try"), QStringLiteral("3,1,16,16")});
        QVERIFY2(inspect.exitCode == 0 && inspect.out.contains(QStringLiteral("[3, 2]")), qPrintable(inspect.out + inspect.err));
    }

    // "Copy as notebook code" for an image folder and for a TorchScript model:
    // the cells run in a plain session and train the same way.
    void notebookCodeRuns()
    {
        const QString folder = mDir.filePath(QStringLiteral("stripes"));
        const QString scripted = mDir.filePath(QStringLiteral("first.pt"));
        QVERIFY2(QFileInfo::exists(folder) && QFileInfo::exists(scripted), "runs after the image folder and TorchScript tests");
        TrainOptions images;
        images.data = folder;
        images.imageSize = 16;
        images.epochs = 2;
        TrainOptions script;
        script.data = classificationCsv();
        script.target = QStringLiteral("label");
        script.model = scripted;
        script.epochs = 2;
        for (const TrainOptions &options : {images, script}) {
            const TrainResult result = Trainer::train(options);
            QVERIFY2(result.ok, qPrintable(result.error));
            const QString code = Trainer::notebookCode(options, result);
            QCOMPARE(code.count(QStringLiteral("```lua")), 3);
            LuaSession session(std::make_shared<std::atomic<bool>>(false), [](const OutputItem &) {});
            for (const QString &part : code.split(QStringLiteral("```lua\n")).mid(1)) {
                const EvalResult ran = session.evaluate(part.section(QStringLiteral("\n```"), 0, 0));
                QVERIFY2(ran.ok(), qPrintable(ran.error.message + QLatin1Char('\n') + code));
            }
        }
    }

    // Pause holds the worker between two Lua instructions; resumed, the run
    // ends exactly as one that never paused (same seed, same numbers).
    void pauseAndResumeKeepStateExactly()
    {
        TrainOptions options;
        options.data = classificationCsv();
        options.target = QStringLiteral("label");
        options.epochs = 4;
        options.batchSize = 16;
        options.seed = 12;
        const TrainResult straight = Trainer::train(options);
        QVERIFY2(straight.ok, qPrintable(straight.error));

        TrainControl control;
        control.interrupt = std::make_shared<std::atomic<bool>>(false);
        control.pause = std::make_shared<PauseGate>();
        std::atomic<int> lastStep{0};
        TrainCallbacks callbacks;
        // Paused from the worker's own step report, so the run cannot end first.
        callbacks.onStep = [&](int step, double) {
            lastStep = step;
            if (step % 30 == 0 && step <= 90)
                control.pause->pause();
        };
        TrainResult paused;
        QThread *worker = QThread::create([&] { paused = Trainer::train(options, callbacks, control); });
        worker->start();
        for (int pause = 1; pause <= 3; ++pause) {
            QTRY_VERIFY_WITH_TIMEOUT(control.pause->isPaused(), 60000);
            const int held = lastStep.load();
            QCOMPARE(held, 30 * pause);
            QTest::qWait(300);
            QCOMPARE(lastStep.load(), held);  // nothing moves while paused
            control.pause->resume();
            QTRY_VERIFY_WITH_TIMEOUT(lastStep.load() > held, 60000);
        }
        QVERIFY(worker->wait(120000));
        delete worker;
        QVERIFY2(paused.ok, qPrintable(paused.error));
        QVERIFY2(control.pause->heldMilliseconds() >= 900, qPrintable(QString::number(control.pause->heldMilliseconds())));
        QCOMPARE(paused.epochs.size(), straight.epochs.size());
        for (int i = 0; i < straight.epochs.size(); ++i)
            QCOMPARE(paused.epochs.at(i).metrics, straight.epochs.at(i).metrics);
        QCOMPARE(paused.confusion, straight.confusion);
    }

    // Ctrl-C: exit 130, and the best epoch so far is still saved.
    void interruptSavesTheBestSoFar()
    {
        const QString model = mDir.filePath(QStringLiteral("interrupted.pt"));
        QProcess process;
        process.start(QStringLiteral(KILN_BINARY), {QStringLiteral("train"), QStringLiteral("--data"), classificationCsv(),
                                                     QStringLiteral("--target"), QStringLiteral("label"), QStringLiteral("--epochs"),
                                                     QStringLiteral("1000"), QStringLiteral("--batch-size"), QStringLiteral("8"),
                                                     QStringLiteral("--out"), model});
        QString out;
        QTRY_VERIFY_WITH_TIMEOUT((out += QString::fromUtf8(process.readAllStandardOutput())).contains(QStringLiteral("epoch 2/1000")), 60000);
        ::kill(pid_t(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(60000));
        out += QString::fromUtf8(process.readAllStandardOutput());
        QCOMPARE(process.exitCode(), 130);
        QVERIFY2(out.contains(QStringLiteral("interrupted; saved the model from epoch")), qPrintable(out));
        QVERIFY(QFile::exists(model));
        QVERIFY(QFile::exists(Trainer::stateDictPath(model)));
        const Run inspect = kiln({QStringLiteral("inspect"), model, QStringLiteral("--try"), QStringLiteral("2,3")});
        QVERIFY2(inspect.exitCode == 0, qPrintable(inspect.out + inspect.err));
    }

    void helpListsEveryOption()
    {
        const Run run = kiln({QStringLiteral("train"), QStringLiteral("--help")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.startsWith(QStringLiteral("Usage: kiln train --data DATA")));
        for (const char *option : {"--features", "--task", "--loss", "--val-data", "--no-standardize", "--image-size", "--patience"})
            QVERIFY2(run.out.contains(QLatin1String(option)), option);
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
        QTest::newRow("unknown loss") << QStringList{QStringLiteral("--data"), QStringLiteral("x.csv"), QStringLiteral("--target"),
                                                     QStringLiteral("y"), QStringLiteral("--loss"), QStringLiteral("hinge")};
        QTest::newRow("task") << QStringList{QStringLiteral("--data"), QStringLiteral("x.csv"), QStringLiteral("--target"),
                                             QStringLiteral("y"), QStringLiteral("--task"), QStringLiteral("clustering")};
        QTest::newRow("image size") << QStringList{QStringLiteral("--data"), QStringLiteral("x.csv"), QStringLiteral("--target"),
                                                   QStringLiteral("y"), QStringLiteral("--image-size"), QStringLiteral("2")};
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
