#include "readers/idxreader.h"
#include "kernel/luasession.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

using namespace kiln;

// data.*, datasets.* and image.* as notebook code calls them. Lua returns one
// string or boolean per case so that a mismatch shows what was computed.
class TestLuaData : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir mTemp;
    std::shared_ptr<std::atomic<bool>> mInterrupt = std::make_shared<std::atomic<bool>>(false);

    static QString csvDir() { return QStringLiteral(KILN_TEST_DATA "/csv/"); }
    static QString fashionDir() { return QStringLiteral("/usr/share/datasets/fashion-mnist"); }
    QString temp(const QString &name) const { return mTemp.filePath(name); }

    // Runs `code` with DIR (the CSV fixtures) and TMP (a scratch folder) set;
    // `value` gets the displayed result.
    EvalResult evaluate(const QString &code, QString *value = nullptr)
    {
        LuaSession session(mInterrupt, [value](const OutputItem &item) {
            if (value && item.kind == OutputItem::Kind::Value)
                *value = item.text;
        });
        const QString prefix = QStringLiteral("DIR = \"%1\"; TMP = \"%2/\"\n").arg(csvDir(), mTemp.path());
        return session.evaluate(prefix + code);
    }

    void expectValue(const QString &code, const QString &expected)
    {
        QString value;
        const EvalResult result = evaluate(code, &value);
        QVERIFY2(result.ok(), qPrintable(result.error.message));
        QCOMPARE(value, expected);
    }

    void expectError(const QString &code, const QString &message)
    {
        const EvalResult result = evaluate(code);
        QCOMPARE(result.status, EvalResult::Status::Error);
        QVERIFY2(result.error.message.contains(message), qPrintable(result.error.message));
    }

    static QString quoted(const QString &text) { return QLatin1Char('"') + text + QLatin1Char('"'); }

    // A nested Lua table literal of the image's pixels as [C, H, W] in 0..255.
    static QString pixelTable(const QImage &image, int channels)
    {
        QStringList planes;
        for (int c = 0; c < channels; ++c) {
            QStringList rows;
            for (int y = 0; y < image.height(); ++y) {
                QStringList row;
                for (int x = 0; x < image.width(); ++x) {
                    const QColor color = image.pixelColor(x, y);
                    const int value = channels == 1 ? qGray(color.rgb())
                        : c == 0                    ? color.red()
                        : c == 1                    ? color.green()
                        : c == 2                    ? color.blue()
                                                    : color.alpha();
                    row.append(QString::number(value));
                }
                rows.append(QLatin1Char('{') + row.join(QLatin1Char(',')) + QLatin1Char('}'));
            }
            planes.append(QLatin1Char('{') + rows.join(QLatin1Char(',')) + QLatin1Char('}'));
        }
        return QLatin1Char('{') + planes.join(QLatin1Char(',')) + QLatin1Char('}');
    }

    static QImage colorImage(int w, int h, int seed)
    {
        QImage image(w, h, QImage::Format_RGB32);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                image.setPixelColor(x, y, QColor((x * 40 + seed * 7) % 256, (y * 60 + seed * 13) % 256, (x * y * 30 + seed) % 256));
        return image;
    }

    static QByteArray idx(unsigned char type, const std::vector<quint32> &sizes, const QByteArray &payload)
    {
        QByteArray bytes(4, 0);
        bytes[2] = char(type);
        bytes[3] = char(sizes.size());
        for (quint32 size : sizes) {
            char be[4];
            qToBigEndian(size, be);
            bytes.append(be, 4);
        }
        return bytes + payload;
    }

    static void writeFile(const QString &path, const QByteArray &bytes)
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(mTemp.isValid());
    }

    void init() { mInterrupt->store(false); }

    void readCsv_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("expected");
        QTest::newRow("text target becomes class ids")
            << "local x, y, info = data.read_csv(DIR .. 'iris.csv', {target = 'species'})\n"
               "return table.concat(x:size(), 'x') .. ' ' .. x.dtype .. ' ' .. y.dtype .. ' ' .. y:sum():item() .. ' '\n"
               "  .. table.concat(info.classes, ',') .. ' ' .. info.rows .. ' ' .. info.dropped .. ' ' .. info.target .. ' '\n"
               "  .. string.format('%.3f', x:sum():item()) .. ' ' .. table.concat(info.columns, ',')"
            << "6x4 torch.float32 torch.int64 6 setosa,versicolor,virginica 6 0 species 85.200 sepal_length,sepal_width,petal_length,petal_width";
        QTest::newRow("feature subset in the given order")
            << "local x, y, info = data.read_csv(DIR .. 'iris.csv', {target = 'species', columns = {'petal_width', 'sepal_length'}})\n"
               "return table.concat(x:size(), 'x') .. ' ' .. table.concat(info.columns, ',') .. string.format(' %.1f', x:sum():item())"
            << "6x2 petal_width,sepal_length 43.2";
        QTest::newRow("quoted fields and CRLF, float target")
            << "local x, y, info = data.read_csv(DIR .. 'quoted.csv', {target = 'score', columns = {'id'}})\n"
               "return table.concat(x:size(), 'x') .. ' ' .. y.dtype .. ' ' .. y:sum():item() .. ' ' .. x:sum():item()\n"
               "  .. ' ' .. tostring(info.classes)"
            << "4x1 torch.float32 -91.75 10.0 nil";
        QTest::newRow("BOM and CRLF")
            << "local x, y, info = data.read_csv(DIR .. 'bom_crlf.csv', {target = 'target'})\n"
               "return table.concat(info.columns, ',') .. ' ' .. table.concat(info.classes, ',') .. ' ' .. y:sum():item() .. ' ' .. x:sum():item()"
            << "x,y no,yes 2 16.5";
        QTest::newRow("semicolon, no target")
            << "local x, info = data.read_csv(DIR .. 'semicolon.csv')\n"
               "return table.concat(x:size(), 'x') .. ' ' .. x:sum():item() .. ' ' .. info.delimiter .. ' ' .. tostring(info.header)"
            << "2x3 21.0 ; true";
        QTest::newRow("explicit tab delimiter")
            << "local x = data.read_csv(DIR .. 'tab.tsv', {delimiter = '\\t'})\nreturn table.concat(x:size(), 'x')" << "2x3";
        QTest::newRow("no header detected")
            << "local x, y, info = data.read_csv(DIR .. 'noheader.csv', {target = 'column3'})\n"
               "return table.concat(info.columns, ',') .. ' ' .. y.dtype .. ' ' .. y:sum():item() .. ' ' .. tostring(info.header)"
            << "column1,column2 torch.float32 4.5 false";
        QTest::newRow("header forced")
            << "local x, info = data.read_csv(DIR .. 'noheader.csv', {header = true})\n"
               "return table.concat(info.columns, ',') .. ' ' .. info.rows"
            << "1,2,0.5 2";
        QTest::newRow("header forced off")
            << "local x, info = data.read_csv(DIR .. 'semicolon.csv', {header = false, delimiter = ';', drop_invalid = true})\n"
               "return info.rows .. ' ' .. info.dropped"
            << "2 1";
        QTest::newRow("integer target stays int64")
            << "local x, y = data.read_csv(DIR .. 'integer_target.csv', {target = 'count'})\nreturn y.dtype .. ' ' .. y:sum():item()"
            << "torch.int64 21";
        QTest::newRow("drop_invalid drops missing values")
            << "local x, y, info = data.read_csv(DIR .. 'missing.csv', {target = 'label', drop_invalid = true})\n"
               "return info.rows .. ' ' .. info.dropped .. ' ' .. x:sum():item() .. ' ' .. y:sum():item()"
            << "3 2 33.0 2";
        QTest::newRow("drop_invalid drops ragged rows")
            << "local x, y, info = data.read_csv(DIR .. 'ragged.csv', {target = 'label', drop_invalid = true})\n"
               "return info.rows .. ' ' .. info.dropped .. ' ' .. x:sum():item()"
            << "2 2 14.0";
        QTest::newRow("trailing empty lines")
            << "local x, info = data.read_csv(DIR .. 'trailing_lines.csv')\nreturn info.rows .. ' ' .. x:sum():item()" << "2 10.0";
    }

    void readCsv()
    {
        QFETCH(QString, code);
        QFETCH(QString, expected);
        expectValue(code, quoted(expected));
    }

    void readCsvErrors_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("not a number") << "data.read_csv(DIR .. 'bad_value.csv', {target = 'species'})"
                                      << "data.read_csv: bad_value.csv line 7, column 'petal_width': 'abc' is not a number";
        QTest::newRow("missing value") << "data.read_csv(DIR .. 'missing.csv', {target = 'label'})"
                                       << "data.read_csv: missing.csv line 3, column 'b': missing value";
        QTest::newRow("ragged row") << "data.read_csv(DIR .. 'ragged.csv', {target = 'label'})"
                                    << "data.read_csv: ragged.csv line 3 has 2 fields, expected 3";
        QTest::newRow("text feature") << "data.read_csv(DIR .. 'text_only.csv')"
                                      << "text_only.csv line 2, column 'name': 'bob' is not a number";
        QTest::newRow("unknown target")
            << "data.read_csv(DIR .. 'iris.csv', {target = 'kind'})"
            << "iris.csv has no column 'kind' (columns: 'sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species')";
        QTest::newRow("unknown feature") << "data.read_csv(DIR .. 'iris.csv', {columns = {'sepal_length', 'colour'}})"
                                         << "iris.csv has no column 'colour'";
        QTest::newRow("empty file") << "data.read_csv(DIR .. 'empty.csv')" << "data.read_csv: empty.csv is empty";
        QTest::newRow("header only") << "data.read_csv(DIR .. 'header_only.csv')" << "header_only.csv has a header but no data rows";
        QTest::newRow("unclosed quote") << "data.read_csv(DIR .. 'unterminated.csv')"
                                        << "unterminated.csv line 2: a quoted field is never closed";
        QTest::newRow("no such file") << "data.read_csv(DIR .. 'nope.csv')" << "nope.csv not found";
        QTest::newRow("bad option") << "data.read_csv(DIR .. 'iris.csv', {target = 3})" << "option 'target' must be a column name";
        QTest::newRow("bad delimiter") << "data.read_csv(DIR .. 'iris.csv', {delimiter = ',,'})" << "option 'delimiter' must be one character";
        QTest::newRow("all rows dropped") << "data.read_csv(DIR .. 'text_only.csv', {drop_invalid = true})" << "all 2 rows were invalid";
        QTest::newRow("path missing") << "data.read_csv()" << "bad argument #1";
    }

    void readCsvErrors()
    {
        QFETCH(QString, code);
        QFETCH(QString, message);
        expectError(code, message);
    }

    // data.describe: the training panel's report in a cell; malformed rows are
    // counted, not fatal; an unreadable file is one line at the caller's line.
    void describeCsv()
    {
        expectValue("local r = data.describe(DIR .. 'iris.csv', {target = 'species'})\n"
                    "return string.format('%d %s %s %d %s %d', r.rows, r.task, r.columns[1].column, #r.classes, "
                    "r.columns[5].kind, #r.problems)",
                    quoted(QStringLiteral("6 classification sepal_length 3 text 1")));
        expectValue("local r = data.describe(DIR .. 'ragged.csv')\nreturn r.bad_rows > 0 and #r.problems > 0",
                    QStringLiteral("true"));
        expectValue("local r = data.describe(DIR .. 'missing.csv', {target = 'label'})\n"
                    "return string.format('%d %d %g', r.columns[1].missing, r.columns[2].present, r.columns[2].mean)",
                    quoted(QStringLiteral("1 4 6.5")));
        expectError("data.describe(DIR .. 'nope.csv')", "nope.csv");
        expectValue("local r = data.describe(DIR .. 'unterminated.csv')\nreturn r.problems[1]",
                    quoted(QStringLiteral("Line 2 opens a quoted field that is never closed; nothing after it can be read.")));
        expectError("data.describe(DIR .. 'iris.csv', {targte = 'x'})", "did you mean 'target'");
    }

    void writeCsvRoundTrip()
    {
        expectValue("local x = torch.tensor({{1.5, 2}, {3, 0.1}})\n"
                    "data.write_csv(TMP .. 'w.csv', x, {header = {'a', 'b'}})\n"
                    "local back, info = data.read_csv(TMP .. 'w.csv')\n"
                    "return table.concat(info.columns, ',') .. ' ' .. table.concat(back:size(), 'x') .. ' ' .. tostring(((back - x) ^ 2):sum():item() == 0)",
                    quoted("a,b 2x2 true"));
        QFile written(temp("w.csv"));
        QVERIFY(written.open(QIODevice::ReadOnly));
        QCOMPARE(written.readAll(), QByteArray("a,b\n1.5,2\n3,0.1\n"));

        expectValue("data.write_csv(TMP .. 'rows.csv', {{1, 'Smith, John', true}, {2.5, 'say \"hi\"', false}, {3, 'two\\nlines', 'x'}},\n"
                    "  {header = {'n', 'name', 'flag'}})\n"
                    "local x, y, info = data.read_csv(TMP .. 'rows.csv', {target = 'name', columns = {'n'}})\n"
                    "return x:sum():item() .. ' ' .. table.concat(info.classes, '|')",
                    quoted("6.5 Smith, John|say \\\"hi\\\"|two\\nlines"));
        QFile rows(temp("rows.csv"));
        QVERIFY(rows.open(QIODevice::ReadOnly));
        QCOMPARE(rows.readAll(), QByteArray("n,name,flag\n1,\"Smith, John\",true\n2.5,\"say \"\"hi\"\"\",false\n3,\"two\nlines\",x\n"));

        expectValue("data.write_csv(TMP .. 'col.csv', torch.arange(3))\nlocal x, info = data.read_csv(TMP .. 'col.csv')\n"
                    "return table.concat(x:size(), 'x') .. ' ' .. tostring(info.header)",
                    quoted("3x1 false"));
    }

    void writeCsvErrors_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("3-D tensor") << "data.write_csv(TMP .. 'e.csv', torch.zeros(2, 2, 2))" << "expected a 1-D or 2-D tensor";
        QTest::newRow("table in a row") << "data.write_csv(TMP .. 'e.csv', {{1, {}}})" << "row 1, field 2 is a table";
        QTest::newRow("row not an array") << "data.write_csv(TMP .. 'e.csv', {1, 2})" << "row 1 must be an array";
        QTest::newRow("header size") << "data.write_csv(TMP .. 'e.csv', torch.zeros(2, 3), {header = {'a'}})" << "the header has 1 names";
        QTest::newRow("unwritable") << "data.write_csv('/nonexistent/dir/e.csv', torch.zeros(2))" << "cannot write /nonexistent/dir/e.csv";
        QTest::newRow("not data") << "data.write_csv(TMP .. 'e.csv', 5)" << "bad argument #2";
    }

    void writeCsvErrors()
    {
        QFETCH(QString, code);
        QFETCH(QString, message);
        expectError(code, message);
    }

    void fashionMnist_data()
    {
        QTest::addColumn<QString>("split");
        QTest::addColumn<int>("count");
        QTest::newRow("train") << "train" << 60000;
        QTest::newRow("test") << "test" << 10000;
    }

    void fashionMnist()
    {
        QFETCH(QString, split);
        QFETCH(int, count);
        if (!QDir(fashionDir()).exists())
            QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");

        // Label counts straight from the file: 10 balanced classes.
        IdxReader reader;
        IdxArray labels;
        const QString prefix = split == QLatin1String("train") ? QStringLiteral("train") : QStringLiteral("t10k");
        QVERIFY2(reader.read(fashionDir() + QLatin1Char('/') + prefix + QLatin1String("-labels-idx1-ubyte.gz"), &labels),
                 qPrintable(reader.errorString()));
        QCOMPARE(labels.sizes, std::vector<qint64>{qint64(count)});
        std::vector<int> perClass(10, 0);
        for (char label : labels.data)
            ++perClass[size_t(uchar(label))];
        QCOMPARE(perClass, std::vector<int>(10, count / 10));

        // Through Lua: shapes, dtypes, value range, the labels' moments match balanced classes.
        QElapsedTimer timer;
        timer.start();
        const qint64 n = count / 10;
        expectValue(QStringLiteral("local ds = datasets.fashion_mnist('%1')\n"
                                   "local x, y = ds.x, ds.y\n"
                                   "local mean = x:mean():item()\n"
                                   "return table.concat(x:size(), 'x') .. ' ' .. x.dtype .. ' ' .. y.dtype .. ' ' .. #ds .. ' '\n"
                                   "  .. tostring(mean > 0.2 and mean < 0.4) .. ' ' .. y:sum():item() .. ' ' .. (y * y):sum():item() .. ' '\n"
                                   "  .. (y * y * y):sum():item() .. ' ' .. #ds.classes .. ' ' .. ds.classes[1] .. ' ' .. ds.classes[10]")
                        .arg(split),
                    quoted(QStringLiteral("%1x1x28x28 torch.float32 torch.int64 %1 true %2 %3 %4 10 T-shirt/top Ankle boot")
                               .arg(count).arg(n * 45).arg(n * 285).arg(n * 2025)));
        qInfo("fashion_mnist('%s') with checks: %lld ms", qPrintable(split), timer.elapsed());
        QVERIFY(timer.elapsed() < 5000);
    }

    void idxErrors_data()
    {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad magic") << "magic" << "t10k-images-idx3-ubyte is not an IDX file (magic number 0x01020803)";
        QTest::newRow("truncated plain") << "truncated" << "t10k-images-idx3-ubyte is truncated: the header announces 2368 bytes, the file has 1000";
        QTest::newRow("trailing bytes") << "trailing" << "t10k-images-idx3-ubyte has 5 bytes more than its header announces";
        QTest::newRow("count mismatch") << "counts" << "t10k-images-idx3-ubyte has 3 images but t10k-labels-idx1-ubyte has 2 labels";
        QTest::newRow("label out of range") << "label" << "label 12 of image 1 in t10k-labels-idx1-ubyte is not a class id";
        QTest::newRow("labels as images") << "dims" << "should hold uint8 images [N, H, W], not uint8 with 1 dimensions";
        QTest::newRow("garbage gzip") << "gzip" << "t10k-images-idx3-ubyte.gz is not a valid gzip file";
        QTest::newRow("truncated gzip") << "cutgz" << "t10k-images-idx3-ubyte.gz is truncated (the gzip stream ends early)";
        QTest::newRow("missing labels") << "nolabels" << "has neither t10k-labels-idx1-ubyte nor t10k-labels-idx1-ubyte.gz";
        QTest::newRow("missing folder") << "nofolder" << "datasets.fashion_mnist: folder";
    }

    void idxErrors()
    {
        QFETCH(QString, setup);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QByteArray pixels(3 * 28 * 28, char(255));
        QByteArray images = idx(0x08, {3, 28, 28}, pixels);
        QByteArray labels = idx(0x08, {3}, QByteArray("\x01\x02\x03", 3));
        const QString imagesPath = dir.filePath(QStringLiteral("t10k-images-idx3-ubyte"));
        const QString labelsPath = dir.filePath(QStringLiteral("t10k-labels-idx1-ubyte"));
        if (setup == QLatin1String("magic"))
            images[0] = 1, images[1] = 2;
        else if (setup == QLatin1String("truncated"))
            images.truncate(1000);
        else if (setup == QLatin1String("trailing"))
            images.append("extra");
        else if (setup == QLatin1String("counts"))
            labels = idx(0x08, {2}, QByteArray("\x01\x02", 2));
        else if (setup == QLatin1String("label"))
            labels[9] = 12;
        else if (setup == QLatin1String("dims"))
            images = labels;
        bool plainImages = true;
        if (setup == QLatin1String("gzip")) {
            writeFile(imagesPath + QLatin1String(".gz"), QByteArray("\x1f\x8b\x08\x00garbage-garbage-garbage", 27));
            plainImages = false;
        } else if (setup == QLatin1String("cutgz")) {
            if (!QDir(fashionDir()).exists())
                QSKIP("Fashion-MNIST is not installed");
            QFile real(fashionDir() + QLatin1String("/t10k-images-idx3-ubyte.gz"));
            QVERIFY(real.open(QIODevice::ReadOnly));
            writeFile(imagesPath + QLatin1String(".gz"), real.read(real.size() / 2));
            plainImages = false;
        }
        if (plainImages)
            writeFile(imagesPath, images);
        if (setup != QLatin1String("nolabels"))
            writeFile(labelsPath, labels);
        const QString folder = setup == QLatin1String("nofolder") ? dir.filePath(QStringLiteral("missing")) : dir.path();
        expectError(QStringLiteral("datasets.fashion_mnist('test', '%1')").arg(folder), message);
    }

    void idxValidSynthetic()
    {
        QTemporaryDir dir;
        QByteArray pixels(2 * 3 * 4, 0);
        pixels[0] = char(255);
        pixels[23] = char(51);
        writeFile(dir.filePath(QStringLiteral("train-images-idx3-ubyte")), idx(0x08, {2, 3, 4}, pixels));
        writeFile(dir.filePath(QStringLiteral("train-labels-idx1-ubyte")), idx(0x08, {2}, QByteArray("\x09\x00", 2)));
        expectValue(QStringLiteral("local ds = datasets.mnist('train', '%1')\n"
                                   "return table.concat(ds.x:size(), 'x') .. ' ' .. string.format('%.2f', ds.x:sum():item()) .. ' ' .. ds.y:sum():item() .. ' ' .. ds.classes[10]")
                        .arg(dir.path()),
                    quoted("2x1x3x4 1.20 9 9"));
        expectError("datasets.fashion_mnist('valid')", "split must be \"train\" or \"test\", got 'valid'");
    }

    void interruptStopsLoading()
    {
        if (!QDir(fashionDir()).exists())
            QSKIP("Fashion-MNIST is not installed");
        mInterrupt->store(true);
        const EvalResult result = evaluate(QStringLiteral("local ok = pcall(datasets.fashion_mnist, 'train')\nreturn ok"));
        QCOMPARE(result.status, EvalResult::Status::Interrupted);
    }

    void imageLoad_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("mode");
        QTest::addColumn<int>("channels");
        QTest::addColumn<double>("tolerance");
        QTest::newRow("png color") << "c.png" << "" << 3 << 0.0;
        QTest::newRow("bmp color") << "c.bmp" << "" << 3 << 0.0;
        // Chroma subsampling blurs this deliberately busy pattern's colours.
        QTest::newRow("jpeg color") << "c.jpg" << "" << 3 << 0.25;
        QTest::newRow("png gray") << "g.png" << "" << 1 << 0.0;
        QTest::newRow("jpeg gray") << "g.jpg" << "" << 1 << 0.08;
        QTest::newRow("gray as RGB") << "g.png" << "RGB" << 3 << 0.0;
        QTest::newRow("color as L") << "c.png" << "L" << 1 << 1.5 / 255;
        QTest::newRow("RGBA") << "a.png" << "RGBA" << 4 << 0.0;
    }

    void imageLoad()
    {
        QFETCH(QString, file);
        QFETCH(QString, mode);
        QFETCH(int, channels);
        QFETCH(double, tolerance);
        const QImage color = colorImage(5, 4, 1);
        QImage gray = color.convertToFormat(QImage::Format_Grayscale8);
        QImage alpha = color.convertToFormat(QImage::Format_ARGB32);
        alpha.setPixelColor(1, 1, QColor(10, 20, 30, 128));
        QVERIFY(color.save(temp(QStringLiteral("c.png"))));
        QVERIFY(color.save(temp(QStringLiteral("c.bmp"))));
        QVERIFY(color.save(temp(QStringLiteral("c.jpg")), nullptr, 100));
        QVERIFY(gray.save(temp(QStringLiteral("g.png"))));
        QVERIFY(gray.save(temp(QStringLiteral("g.jpg")), nullptr, 100));
        QVERIFY(alpha.save(temp(QStringLiteral("a.png"))));

        const QImage &source = file.startsWith(QLatin1Char('g')) ? gray : file.startsWith(QLatin1Char('a')) ? alpha : color;
        const QImage reference = channels == 1 ? source.convertToFormat(QImage::Format_Grayscale8) : source;
        const QString options = mode.isEmpty() ? QString() : QStringLiteral(", {mode = '%1'}").arg(mode);
        expectValue(QStringLiteral("local t = image.load(TMP .. '%1'%2)\n"
                                   "local expected = torch.tensor(%3) / 255\n"
                                   "local err = ((t - expected) ^ 2):mean():item() ^ 0.5\n"
                                   "return table.concat(t:size(), 'x') .. ' ' .. t.dtype .. ' ' .. tostring(err <= %4)")
                        .arg(file, options, pixelTable(reference, channels))
                        .arg(tolerance + 1e-6),
                    quoted(QStringLiteral("%1x4x5 torch.float32 true").arg(channels)));
    }

    void imageLoadErrors_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("not an image") << "image.load(DIR .. 'iris.csv')" << "image.load: cannot read";
        QTest::newRow("missing") << "image.load(TMP .. 'none.png')" << "none.png not found";
        QTest::newRow("bad mode") << "image.load(DIR .. 'iris.csv', {mode = 'CMYK'})" << "mode must be \"L\", \"RGB\" or \"RGBA\"";
        QTest::newRow("save bad shape") << "image.save(TMP .. 'x.png', torch.zeros(2, 3, 3))" << "expected [C, H, W] with C = 1, 3 or 4";
        QTest::newRow("save bad suffix") << "image.save(TMP .. 'x.unknown', torch.zeros(3, 3))" << "cannot tell the format";
        QTest::newRow("resize bad size") << "image.resize(torch.zeros(1, 3, 3), {0, 2})" << "size must be positive";
        QTest::newRow("resize bad rank") << "image.resize(torch.zeros(3, 3), {2, 2})" << "expected [C, H, W] or [N, C, H, W]";
        QTest::newRow("normalize channels") << "image.normalize(torch.zeros(3, 2, 2), {0.5, 0.5}, 1)" << "mean has 2 values but the image has 3 channels";
        QTest::newRow("normalize zero std") << "image.normalize(torch.zeros(1, 2, 2), 0, 0)" << "std must not be 0";
    }

    void imageLoadErrors()
    {
        QFETCH(QString, code);
        QFETCH(QString, message);
        expectError(code, message);
    }

    void imageSaveRoundTrip()
    {
        expectValue("local t = torch.rand(3, 6, 7)\nimage.save(TMP .. 's.png', t)\nlocal back = image.load(TMP .. 's.png')\n"
                    "return tostring(((back - t) ^ 2):mean():item() ^ 0.5 < 0.5 / 255 + 1e-4)",
                    quoted("true"));
        expectValue("image.save(TMP .. 'gray.png', torch.ones(3, 2) * 2)\nlocal back = image.load(TMP .. 'gray.png')\n"
                    "return table.concat(back:size(), 'x') .. ' ' .. back:sum():item()",
                    quoted("1x3x2 6.0"));
        const QImage saved(temp(QStringLiteral("gray.png")));
        QCOMPARE(saved.width(), 2);
        QCOMPARE(saved.height(), 3);
        QCOMPARE(qGray(saved.pixel(1, 2)), 255);
    }

    void imageTransforms_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("expected");
        QTest::newRow("resize up keeps a constant image")
            << "local t = image.resize(torch.ones(3, 2, 3) * 0.5, {4, 6})\nreturn table.concat(t:size(), 'x') .. ' ' .. t:mean():item()"
            << "3x4x6 0.5";
        QTest::newRow("resize down a batch")
            << "local t = image.resize(torch.ones(2, 1, 8, 8), 4)\nreturn table.concat(t:size(), 'x') .. ' ' .. t:mean():item()"
            << "2x1x4x4 1.0";
        QTest::newRow("normalize per channel")
            << "local t = image.normalize(torch.ones(3, 2, 2) * 0.5, {0.5, 0.25, 0.5}, {0.5, 0.25, 1})\nreturn t:sum():item() .. ''"
            << "4.0";
        QTest::newRow("normalize a batch with numbers")
            << "local t = image.normalize(torch.ones(2, 1, 2, 2), 0.5, 0.5)\nreturn t:mean():item() .. ''" << "1.0";
        QTest::newRow("grayscale")
            << "local red = torch.tensor({{{1}}, {{0}}, {{0}}})\nlocal g = image.to_grayscale(red * 1.0)\n"
               "return table.concat(g:size(), 'x') .. string.format(' %.3f', g:sum():item())"
            << "1x1x1 0.299";
        QTest::newRow("grayscale of a batch")
            << "local g = image.to_grayscale(torch.ones(2, 3, 2, 2))\nreturn table.concat(g:size(), 'x') .. string.format(' %.3f', g:mean():item())"
            << "2x1x2x2 1.000";
    }

    void imageTransforms()
    {
        QFETCH(QString, code);
        QFETCH(QString, expected);
        expectValue(code, quoted(expected));
    }

    void imageFolder()
    {
        QTemporaryDir dir;
        QDir root(dir.path());
        QVERIFY(root.mkpath(QStringLiteral("dog")) && root.mkpath(QStringLiteral("cat")) && root.mkpath(QStringLiteral("emu")));
        QVERIFY(colorImage(4, 3, 1).save(root.filePath(QStringLiteral("cat/1.png"))));
        QVERIFY(colorImage(4, 3, 2).save(root.filePath(QStringLiteral("cat/2.bmp"))));
        QVERIFY(colorImage(4, 3, 3).save(root.filePath(QStringLiteral("dog/a.png"))));
        QVERIFY(colorImage(4, 3, 4).save(root.filePath(QStringLiteral("dog/b.PNG"))));
        QVERIFY(colorImage(4, 3, 5).save(root.filePath(QStringLiteral("dog/c.png"))));
        writeFile(root.filePath(QStringLiteral("dog/notes.txt")), "not an image");
        const QString folder = dir.path();
        expectValue(QStringLiteral("local ds = datasets.image_folder('%1')\n"
                                   "return table.concat(ds.x:size(), 'x') .. ' ' .. ds.y:sum():item() .. ' ' .. table.concat(ds.classes, ',') .. ' '\n"
                                   "  .. #ds.paths .. ' ' .. #ds .. ' ' .. ds.paths[1]:match('[^/]+/[^/]+$')")
                        .arg(folder),
                    quoted("5x3x3x4 3 cat,dog,emu 5 5 cat/1.png"));
        expectValue(QStringLiteral("local ds = datasets.image_folder('%1', {size = {2, 2}, mode = 'L'})\n"
                                   "return table.concat(ds.x:size(), 'x')")
                        .arg(folder),
                    quoted("5x1x2x2"));

        QVERIFY(colorImage(6, 6, 6).save(root.filePath(QStringLiteral("emu/big.png"))));
        expectError(QStringLiteral("datasets.image_folder('%1')").arg(folder),
                    "emu/big.png is 6x6 but cat/1.png is 3x4 (height x width); pass size = {h, w}");
        expectValue(QStringLiteral("return table.concat(datasets.image_folder('%1', {size = 5}).x:size(), 'x')").arg(folder),
                    quoted("6x3x5x5"));
        expectError(QStringLiteral("datasets.image_folder('%1')").arg(dir.filePath(QStringLiteral("cat"))), "has no class subfolders");
        expectError("datasets.image_folder('/nonexistent/kiln')", "folder /nonexistent/kiln not found");
    }

    void batches_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("expected");
        const QString count = QStringLiteral(
            "local ds = data.TensorDataset(torch.arange(10) * 2, torch.arange(10))\n"
            "local n, last, total, squares, paired = 0, 0, 0, 0, true\n"
            "for x, y in data.batches(ds, %1) do\n"
            "  n = n + 1; last = x:size(0); total = total + y:sum():item(); squares = squares + (y * y):sum():item()\n"
            "  paired = paired and ((x - y * 2) ^ 2):sum():item() == 0\n"
            "end\n"
            "return n .. ' ' .. last .. ' ' .. total .. ' ' .. squares .. ' ' .. tostring(paired)");
        QTest::newRow("last batch smaller") << count.arg(QLatin1String("{batch_size = 4}")) << "3 2 45 285 true";
        QTest::newRow("drop_last") << count.arg(QLatin1String("{batch_size = 4, drop_last = true}")) << "2 4 28 140 true";
        QTest::newRow("shuffled: every index once, pairs kept")
            << count.arg(QLatin1String("{batch_size = 3, shuffle = true}")) << "4 1 45 285 true";
        QTest::newRow("default batch size") << count.arg(QLatin1String("nil")) << "1 10 45 285 true";
        QTest::newRow("x only")
            << "local n = 0\nfor x, y in data.batches({x = torch.zeros(5, 2)}, {batch_size = 2}) do n = n + x:size(0) + (y and 100 or 0) end\nreturn n .. ''"
            << "5";
        const QString firstBatch = QStringLiteral(
            "local function first(options)\n"
            "  for x in data.batches(data.TensorDataset(torch.arange(100)), options) do return x end\n"
            "end\n");
        QTest::newRow("seed repeats the order")
            << firstBatch + "local a, b = first({batch_size = 10, shuffle = true, seed = 7}), first({batch_size = 10, shuffle = true, seed = 7})\n"
                            "local c = first({batch_size = 10, shuffle = true, seed = 8})\n"
                            "return tostring(((a - b) ^ 2):sum():item() == 0) .. ' ' .. tostring(((a - c) ^ 2):sum():item() > 0)\n"
                            "  .. ' ' .. tostring(((a - torch.arange(10)) ^ 2):sum():item() > 0)"
            << "true true true";
        QTest::newRow("manual_seed drives unseeded shuffles")
            << firstBatch + "torch.manual_seed(3)\nlocal a = first({batch_size = 10, shuffle = true})\n"
                            "torch.manual_seed(3)\nlocal b = first({batch_size = 10, shuffle = true})\n"
                            "return tostring(((a - b) ^ 2):sum():item() == 0)"
            << "true";
        QTest::newRow("split by fractions")
            << "local ds = data.TensorDataset(torch.arange(10) * 1.0, torch.arange(10))\nds.classes = {'a', 'b'}\n"
               "local train, test = data.split(ds, {0.8, 0.2}, 1)\n"
               "local again = data.split(ds, {0.8, 0.2}, 1)\n"
               "return #train .. ' ' .. #test .. ' ' .. (train.y:sum():item() + test.y:sum():item()) .. ' '\n"
               "  .. ((train.y * train.y):sum():item() + (test.y * test.y):sum():item()) .. ' ' .. test.classes[2] .. ' '\n"
               "  .. tostring(((again.y - train.y) ^ 2):sum():item() == 0) .. ' ' .. tostring(((train.x - train.y) ^ 2):sum():item() == 0)"
            << "8 2 45 285 b true true";
        QTest::newRow("split by counts, rounding")
            << "local ds = data.TensorDataset(torch.zeros(10, 3))\nlocal a, b, c = data.split(ds, {3, 3, 4})\n"
               "local d, e, f = data.split(ds, {1/3, 1/3, 1/3}, 5)\n"
               "return #a .. #b .. #c .. ' ' .. #d .. #e .. #f .. ' ' .. tostring(a.y)"
            << "334 433 nil";
        QTest::newRow("tostring")
            << "return tostring(data.TensorDataset(torch.zeros(4, 2), torch.arange(4)))" << "Dataset(4 samples, x [4, 2], y [4])";
    }

    void batches()
    {
        QFETCH(QString, code);
        QFETCH(QString, expected);
        expectValue(code, quoted(expected));
    }

    void batchErrors_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("not a dataset") << "data.batches(5)" << "data.batches: expected a dataset";
        QTest::newRow("bad batch size") << "data.batches({x = torch.zeros(3)}, {batch_size = 0})" << "batch_size must be a positive integer";
        QTest::newRow("mismatched y") << "data.batches({x = torch.zeros(3), y = torch.zeros(4)})" << "x has 3 samples but y has 4";
        QTest::newRow("TensorDataset mismatch") << "data.TensorDataset(torch.zeros(3), torch.zeros(2))" << "same number of samples";
        QTest::newRow("split sum") << "data.split({x = torch.zeros(10)}, {0.5, 0.2})" << "fractions summing to 1 or counts summing to 10";
        QTest::newRow("split negative") << "data.split({x = torch.zeros(10)}, {-1, 11})" << "sizes[1] must be a non-negative number";
    }

    void batchErrors()
    {
        QFETCH(QString, code);
        QFETCH(QString, message);
        expectError(code, message);
    }
};

QTEST_GUILESS_MAIN(TestLuaData)
#include "tst_luadata.moc"
