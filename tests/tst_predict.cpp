#include "pythontorch.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

// `kiln predict` through the real binary, on models and inputs that a `kiln run`
// of a small notebook makes with the Lua API.
class TestPredict : public QObject
{
    Q_OBJECT

private:
    struct Result
    {
        int exitCode = -1;
        QString out;
        QString err;
    };

    QTemporaryDir mDir;
    double mMlpTop1 = -1;  // the Linear model's top probability for the first CSV row, from Lua
    bool mPytorchReady = false;  // pytorchReferences() made its models

    static Result kiln(const QStringList &arguments)
    {
        QProcess process;
        process.start(QStringLiteral(KILN_BINARY), arguments);
        process.waitForFinished(120000);
        Result result;
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        result.out = QString::fromUtf8(process.readAllStandardOutput());
        result.err = QString::fromUtf8(process.readAllStandardError());
        return result;
    }

    Result predict(const QStringList &arguments) { return kiln(QStringList{QStringLiteral("predict")} + arguments); }

    QString path(const QString &name) const { return mDir.filePath(name); }

    QString write(const QString &name, const QByteArray &content)
    {
        QFile file(path(name));
        file.open(QIODevice::WriteOnly);
        file.write(content);
        return file.fileName();
    }

    // Rows of a CSV without quoted fields (all that predict writes here).
    static QList<QStringList> rows(const QString &csv)
    {
        QList<QStringList> result;
        for (const QString &line : csv.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            result.append(line.split(QLatin1Char(',')));
        return result;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(mDir.isValid());
        QVERIFY(QDir(mDir.path()).mkpath(QStringLiteral("images")));
        QByteArray notebook = R"(# Models and inputs

```lua
torch.manual_seed(0)
local dir = "DIR"
local cnn = nn.Sequential(nn.Conv2d(1, 4, 3, {padding = 1}), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 28 * 28, 10))
torch.jit.trace(cnn, torch.zeros(1, 1, 28, 28)):save(dir .. "/cnn.pt")
local mlp = nn.Sequential(nn.Linear(4, 3))
torch.jit.trace(mlp, torch.zeros(1, 4)):save(dir .. "/mlp.pt")
print(string.format("TOP1=%.6f", mlp(torch.tensor({{1.0, 2.0, 3.0, 4.0}})):softmax(1):max():item()))
torch.jit.trace(nn.Linear(4, 1), torch.zeros(1, 4)):save(dir .. "/reg1.pt")
torch.jit.trace(nn.Linear(4, 2), torch.zeros(1, 4)):save(dir .. "/reg2.pt")
local Two = nn.Module:extend("Two")
function Two:init() self.fc = nn.Linear(4, 3) end
function Two:forward(x) local y = self.fc(x) return {y, y:sum(1)} end
torch.jit.trace(Two(), torch.zeros(2, 4)):save(dir .. "/two.pt")
image.save(dir .. "/colour.jpg", torch.rand(3, 28, 28))
for i = 1, 3 do
  image.save(dir .. "/images/img" .. i .. ".png", torch.rand(1, 28, 28))
end
image.save(dir .. "/big.png", torch.rand(1, 40, 40))
image.save(dir .. "/rgb.png", torch.rand(3, 32, 32))
torch.save(torch.rand(1, 28, 28), dir .. "/one.pt")
torch.save(torch.rand(5, 1, 28, 28), dir .. "/five.pt")
```
)";
        notebook.replace("DIR", mDir.path().toUtf8());
        const Result made = kiln({QStringLiteral("run"), write(QStringLiteral("make.kiln.md"), notebook)});
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));
        const QRegularExpressionMatch top1 = QRegularExpression(QStringLiteral("TOP1=([0-9.]+)")).match(made.out);
        QVERIFY(top1.hasMatch());
        mMlpTop1 = top1.captured(1).toDouble();
        write(QStringLiteral("rows.csv"), "a,b,c,d\n1,2,3,4\n0.5,-1,2,0\n");
        write(QStringLiteral("labels.txt"), "zero\none\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\n");
    }

    void imageClassification()
    {
        const Result r = predict({path(QStringLiteral("cnn.pt")), path(QStringLiteral("images/img1.png")),
                                  path(QStringLiteral("images/img2.png")), QStringLiteral("--topk"), QStringLiteral("3")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.err.isEmpty());  // no progress when stderr is not a terminal
        const QList<QStringList> table = rows(r.out);
        QCOMPARE(table.size(), 3);
        QStringList header{QStringLiteral("input")};
        for (int k = 1; k <= 3; ++k)
            header << QStringLiteral("top%1_label").arg(k) << QStringLiteral("top%1_prob").arg(k);
        for (int c = 0; c < 10; ++c)
            header << QStringLiteral("prob_%1").arg(c);
        QCOMPARE(table.at(0), header);
        QCOMPARE(table.at(1).at(0), QStringLiteral("img1.png"));
        QCOMPARE(table.at(2).at(0), QStringLiteral("img2.png"));
        for (int i = 1; i <= 2; ++i) {
            const QStringList &row = table.at(i);
            QCOMPARE(row.size(), header.size());
            double sum = 0;
            for (int c = 0; c < 10; ++c)
                sum += row.at(7 + c).toDouble();
            QVERIFY(qAbs(sum - 1.0) < 1e-4);
            // Top-k is in descending order and names the class whose probability it gives.
            QVERIFY(row.at(2).toDouble() >= row.at(4).toDouble());
            QVERIFY(row.at(4).toDouble() >= row.at(6).toDouble());
            for (int k = 0; k < 3; ++k)
                QCOMPARE(row.at(2 + 2 * k), row.at(7 + row.at(1 + 2 * k).toInt()));
        }
    }

    void labelsAndCsvFile()
    {
        const QString out = path(QStringLiteral("out.csv"));
        const Result r = predict({path(QStringLiteral("cnn.pt")), path(QStringLiteral("images/img1.png")),
                                  QStringLiteral("--labels"), path(QStringLiteral("labels.txt")),
                                  QStringLiteral("--csv"), out, QStringLiteral("--topk"), QStringLiteral("50")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QStringList> table = rows(QString::fromUtf8(file.readAll()));
        QCOMPARE(table.size(), 2);
        QVERIFY(table.at(0).contains(QStringLiteral("top10_label")));  // --topk clipped to 10 classes
        QVERIFY(!table.at(0).contains(QStringLiteral("top11_label")));
        QVERIFY(table.at(0).contains(QStringLiteral("prob_nine")));
        QVERIFY(QStringList({QStringLiteral("zero"), QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three"),
                             QStringLiteral("four"), QStringLiteral("five"), QStringLiteral("six"),
                             QStringLiteral("seven"), QStringLiteral("eight"), QStringLiteral("nine")})
                    .contains(table.at(1).at(1)));
    }

    void folderMatchesFiles()
    {
        const Result folder = predict({path(QStringLiteral("cnn.pt")), path(QStringLiteral("images")),
                                       QStringLiteral("--batch-size"), QStringLiteral("2")});
        QVERIFY2(folder.exitCode == 0, qPrintable(folder.err));
        const Result files = predict({path(QStringLiteral("cnn.pt")), path(QStringLiteral("images/img1.png")),
                                      path(QStringLiteral("images/img2.png")), path(QStringLiteral("images/img3.png"))});
        QCOMPARE(files.exitCode, 0);
        QCOMPARE(folder.out, files.out);
        QCOMPARE(rows(folder.out).size(), 4);
    }

    void csvWithLinearModel()
    {
        const Result r = predict({path(QStringLiteral("mlp.pt")), path(QStringLiteral("rows.csv"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QList<QStringList> table = rows(r.out);
        QCOMPARE(table.size(), 3);
        QCOMPARE(table.at(0).mid(0, 3), QStringList({QStringLiteral("input"), QStringLiteral("top1_label"), QStringLiteral("top1_prob")}));
        QCOMPARE(table.at(0).size(), 1 + 2 * 3 + 3);
        QCOMPARE(table.at(1).at(0), QStringLiteral("1"));
        QCOMPARE(table.at(2).at(0), QStringLiteral("2"));
        QVERIFY(qAbs(table.at(1).at(2).toDouble() - mMlpTop1) < 1e-5);
    }

    void regressionColumns()
    {
        // [N,1] is a value per sample; [N,2] would be class scores but for --raw.
        const Result one = predict({path(QStringLiteral("reg1.pt")), path(QStringLiteral("rows.csv"))});
        QVERIFY2(one.exitCode == 0, qPrintable(one.err));
        QCOMPARE(rows(one.out).at(0), QStringList({QStringLiteral("input"), QStringLiteral("out0")}));
        QCOMPARE(rows(one.out).size(), 3);
        const Result two = predict({path(QStringLiteral("reg2.pt")), path(QStringLiteral("rows.csv")), QStringLiteral("--raw")});
        QVERIFY2(two.exitCode == 0, qPrintable(two.err));
        const QList<QStringList> table = rows(two.out);
        QCOMPARE(table.at(0), QStringList({QStringLiteral("input"), QStringLiteral("out0"), QStringLiteral("out1")}));
        QCOMPARE(table.size(), 3);
        // Raw values are the model's, so they need not sum to 1 like probabilities.
        QVERIFY(table.at(1).at(1) != table.at(2).at(1));
    }

    void tupleOutputs()
    {
        const Result r = predict({path(QStringLiteral("two.pt")), path(QStringLiteral("rows.csv"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QList<QStringList> table = rows(r.out);
        QCOMPARE(table.at(0), QStringList({QStringLiteral("input"), QStringLiteral("out0"), QStringLiteral("out1"),
                                           QStringLiteral("out2"), QStringLiteral("out3")}));
        QCOMPARE(table.size(), 3);
        // out3 is the sum of the first output's three values.
        const QStringList &row = table.at(1);
        QVERIFY(qAbs(row.at(1).toDouble() + row.at(2).toDouble() + row.at(3).toDouble() - row.at(4).toDouble()) < 1e-4);
    }

    void jpegInput()
    {
        const Result colour = predict({path(QStringLiteral("cnn.pt")), path(QStringLiteral("colour.jpg"))});
        QCOMPARE(colour.exitCode, 1);
        QVERIFY2(colour.err.contains(QStringLiteral("got [N,3,28,28]")), qPrintable(colour.err));
        const Result gray = predict({path(QStringLiteral("cnn.pt")), path(QStringLiteral("colour.jpg")), QStringLiteral("--grayscale")});
        QVERIFY2(gray.exitCode == 0, qPrintable(gray.err));
        QCOMPARE(rows(gray.out).at(1).at(0), QStringLiteral("colour.jpg"));
    }

    void tensorInputs()
    {
        const Result r = predict({path(QStringLiteral("cnn.pt")), path(QStringLiteral("one.pt")), path(QStringLiteral("five.pt"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QList<QStringList> table = rows(r.out);
        QCOMPARE(table.size(), 1 + 1 + 5);
        QCOMPARE(table.at(1).at(0), QStringLiteral("one.pt"));
        QCOMPARE(table.at(2).at(0), QStringLiteral("five.pt[0]"));
        QCOMPARE(table.at(6).at(0), QStringLiteral("five.pt[4]"));
    }

    void resizing()
    {
        const Result wrong = predict({path(QStringLiteral("cnn.pt")), path(QStringLiteral("big.png"))});
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY2(wrong.err.contains(QStringLiteral("model expects [N,1,28,28], got [N,1,40,40]")), qPrintable(wrong.err));
        const Result r = predict({path(QStringLiteral("cnn.pt")), path(QStringLiteral("big.png")), QStringLiteral("--size"), QStringLiteral("28x28")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(rows(r.out).size(), 2);
    }

    // Models PyTorch made (predict_reference.py): dict outputs, two inputs,
    // sequences, and resizing checked against PyTorch's antialiased bilinear.
    void pytorchReferences()
    {
        const QString python = kilntest::findPythonWithTorch();
        QVERIFY2(!python.isEmpty(), "no python with torch");
        // a photo with detail at every scale, 37 x 29, as PNG and as raw RGB bytes
        QImage photo(37, 29, QImage::Format_RGB888);
        QByteArray raw;
        for (int y = 0; y < photo.height(); ++y) {
            for (int x = 0; x < photo.width(); ++x) {
                const QColor colour((x * 37 + y * 11) % 256, (x * x + 3 * y) % 256, ((x ^ y) * 29) % 256);
                photo.setPixelColor(x, y, colour);
                raw.append(char(colour.red())).append(char(colour.green())).append(char(colour.blue()));
            }
        }
        QVERIFY(photo.save(path(QStringLiteral("photo.png"))));
        write(QStringLiteral("photo.rgb"), raw);
        QString output;
        QVERIFY2(kilntest::runPython(python, {QStringLiteral(KILN_TEST_DATA "/python/predict_reference.py"), mDir.path()}, &output),
                 qPrintable(output));
        mPytorchReady = true;
    }

    void dictOutputs()
    {
        QVERIFY(mPytorchReady);
        const Result r = predict({path(QStringLiteral("dict.pt")), path(QStringLiteral("rows.csv"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QList<QStringList> table = rows(r.out);
        QCOMPARE(table.at(0), QStringList({QStringLiteral("input"), QStringLiteral("logits_0"), QStringLiteral("logits_1"),
                                           QStringLiteral("logits_2"), QStringLiteral("score")}));
        QCOMPARE(table.size(), 3);
        QCOMPARE(table.at(1).at(4).toDouble(), 10.0);  // 1 + 2 + 3 + 4
    }

    void severalInputs()
    {
        QVERIFY(mPytorchReady);
        write(QStringLiteral("y.csv"), "p,q\n1,0\n0,2\n");
        const Result r = predict({path(QStringLiteral("pair.pt")), path(QStringLiteral("rows.csv")), QStringLiteral("--input"),
                                  QStringLiteral("y=") + path(QStringLiteral("y.csv"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QList<QStringList> table = rows(r.out);
        QCOMPARE(table.size(), 3);
        QCOMPARE(table.at(1).at(1).toDouble(), 20.0);  // 10 + 10 * 1
        QCOMPARE(table.at(2).at(1).toDouble(), 21.5);  // 1.5 + 10 * 2
        const Result byPosition = predict({path(QStringLiteral("pair.pt")), path(QStringLiteral("rows.csv")), QStringLiteral("--input"),
                                           QStringLiteral("2=") + path(QStringLiteral("y.csv"))});
        QCOMPARE(byPosition.out, r.out);
        const Result missing = predict({path(QStringLiteral("pair.pt")), path(QStringLiteral("rows.csv"))});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains(QStringLiteral("the model's forward also takes 'y': give it with --input y=FILE")), qPrintable(missing.err));
        const Result unknown = predict({path(QStringLiteral("pair.pt")), path(QStringLiteral("rows.csv")), QStringLiteral("--input"),
                                        QStringLiteral("z=") + path(QStringLiteral("y.csv"))});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.err.contains(QStringLiteral("the model's forward takes x, y; it has no input 'z'")), qPrintable(unknown.err));
        const Result malformed = predict({path(QStringLiteral("pair.pt")), path(QStringLiteral("rows.csv")), QStringLiteral("--input"), QStringLiteral("y")});
        QCOMPARE(malformed.exitCode, 2);
        QVERIFY2(malformed.err.contains(QStringLiteral("--input wants NAME=FILE, got 'y'")), qPrintable(malformed.err));
        write(QStringLiteral("short.csv"), "p,q\n1,0\n");
        const Result uneven = predict({path(QStringLiteral("pair.pt")), path(QStringLiteral("rows.csv")), QStringLiteral("--input"),
                                       QStringLiteral("y=") + path(QStringLiteral("short.csv"))});
        QCOMPARE(uneven.exitCode, 1);
        QVERIFY2(uneven.err.contains(QStringLiteral("input 2 has 1 samples but input 1 has 2")), qPrintable(uneven.err));
    }

    // A [4,5,3] tensor file is 4 sequences for a model that does not take images.
    void sequenceTensors()
    {
        QVERIFY(mPytorchReady);
        const Result r = predict({path(QStringLiteral("sequence.pt")), path(QStringLiteral("sequences.pt")), QStringLiteral("--raw")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QList<QStringList> table = rows(r.out);
        QCOMPARE(table.size(), 1 + 4);
        QCOMPARE(table.at(4).at(0), QStringLiteral("sequences.pt[3]"));
        QFile expectedFile(path(QStringLiteral("sequence_expected.txt")));
        QVERIFY(expectedFile.open(QIODevice::ReadOnly));
        const QStringList expected = QString::fromUtf8(expectedFile.readAll()).split(QLatin1Char(' '));
        QCOMPARE(expected.size(), 8);
        for (int i = 0; i < 8; ++i)
            QVERIFY2(qAbs(table.at(1 + i / 2).at(1 + i % 2).toDouble() - expected.at(i).toDouble()) < 1e-5, qPrintable(table.at(1 + i / 2).join(QLatin1Char(','))));
    }

    // --size resizes as torchvision does: bilinear, antialiased, on the 8-bit pixels.
    void resizeMatchesPyTorch()
    {
        QVERIFY(mPytorchReady);
        const Result r = predict({path(QStringLiteral("flat.pt")), path(QStringLiteral("photo.png")), QStringLiteral("--size"),
                                  QStringLiteral("20x20"), QStringLiteral("--rgb"), QStringLiteral("--raw")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QList<QStringList> table = rows(r.out);
        QCOMPARE(table.size(), 2);
        QFile expectedFile(path(QStringLiteral("photo_expected.txt")));
        QVERIFY(expectedFile.open(QIODevice::ReadOnly));
        const QStringList expected = QString::fromUtf8(expectedFile.readAll()).split(QLatin1Char(' '));
        QCOMPARE(expected.size(), 3 * 20 * 20);
        QCOMPARE(table.at(1).size(), 1 + expected.size());
        double worst = 0;
        for (int i = 0; i < expected.size(); ++i)
            worst = std::max(worst, qAbs(table.at(1).at(1 + i).toDouble() - expected.at(i).toDouble()));
        QVERIFY2(worst < 1e-5, qPrintable(QStringLiteral("differs from PyTorch by %1").arg(worst)));
    }

    void shapeMismatch()
    {
        const Result r = predict({path(QStringLiteral("cnn.pt")), path(QStringLiteral("rgb.png"))});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
        QVERIFY2(r.err.contains(QStringLiteral("model expects [N,1,28,28], got [N,3,32,32]")), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        // --grayscale and --size make it fit.
        const Result fixed = predict({path(QStringLiteral("cnn.pt")), path(QStringLiteral("rgb.png")), QStringLiteral("--grayscale"),
                                      QStringLiteral("--size"), QStringLiteral("28x28")});
        QVERIFY2(fixed.exitCode == 0, qPrintable(fixed.err));
        const Result features = predict({path(QStringLiteral("mlp.pt")), path(QStringLiteral("images/img1.png"))});
        QCOMPARE(features.exitCode, 1);
        QVERIFY2(features.err.contains(QStringLiteral("model expects [N,4], got [N,1,28,28]")), qPrintable(features.err));
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString cnn = path(QStringLiteral("cnn.pt"));
        const QString img = path(QStringLiteral("images/img1.png"));
        QTest::newRow("no arguments") << QStringList() << 2 << "which model?";
        QTest::newRow("no inputs") << QStringList{cnn} << 2 << "which inputs?";
        QTest::newRow("unknown option") << QStringList{cnn, img, QStringLiteral("--frobnicate")} << 2 << "frobnicate";
        QTest::newRow("bad topk") << QStringList{cnn, img, QStringLiteral("--topk"), QStringLiteral("0")} << 2 << "--topk";
        QTest::newRow("bad size") << QStringList{cnn, img, QStringLiteral("--size"), QStringLiteral("big")} << 2 << "--size";
        QTest::newRow("gray and rgb") << QStringList{cnn, img, QStringLiteral("--grayscale"), QStringLiteral("--rgb")} << 2 << "not both";
        QTest::newRow("missing model") << QStringList{path(QStringLiteral("nope.pt")), img} << 1 << "cannot load model";
        QTest::newRow("model not a model") << QStringList{img, img} << 1 << "cannot load model";
        QTest::newRow("missing input") << QStringList{cnn, path(QStringLiteral("nope.png"))} << 1 << "no such file";
        QTest::newRow("unreadable image") << QStringList{cnn, path(QStringLiteral("labels.txt"))} << 1 << "labels.txt";
        QTest::newRow("not an image") << QStringList{cnn, path(QStringLiteral("make.kiln.md"))} << 1 << "cannot read image";
        QTest::newRow("labels count") << QStringList{path(QStringLiteral("mlp.pt")), path(QStringLiteral("rows.csv")),
                                                     QStringLiteral("--labels"), path(QStringLiteral("labels.txt"))}
                                      << 1 << "10 labels but the model gives 3 classes";
    }

    void errors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const Result r = predict(arguments);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void help()
    {
        const Result r = kiln({QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("kiln predict MODEL.pt INPUT...")));
    }
};

QTEST_GUILESS_MAIN(TestPredict)
#include "tst_predict.moc"
