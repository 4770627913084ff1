#include "readers/datasetreport.h"
#include "kernel/luasession.h"
#include "document/outputitem.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QLocale>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif

using namespace kiln;

// The dataset report the training panel and `kiln train` show before a run:
// counts, the detected task and classes, and the problems, on files written here.
class TestDatasetReport : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir mTemp;

    QString write(const QString &name, const QByteArray &bytes)
    {
        const QString path = mTemp.filePath(name);
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    // One feature column x (the row number) and the target y, one row per value.
    QString targetCsv(const QString &name, const QStringList &targets)
    {
        QByteArray csv = "x,y\n";
        for (qsizetype i = 0; i < targets.size(); ++i)
            csv += QByteArray::number(i) + ',' + targets.at(i).toUtf8() + '\n';
        return write(name, csv);
    }

    static QString classText(const DatasetReport &report)
    {
        QStringList parts;
        for (const auto &[name, count] : report.classes)
            parts.append(name + QLatin1Char(':') + QString::number(count));
        return parts.join(QLatin1Char('|'));
    }

    static QString problemText(const DatasetReport &report) { return report.problems.join(QLatin1Char('\n')); }

    static const ColumnSummary &column(const DatasetReport &report, const QString &name)
    {
        for (const ColumnSummary &summary : report.columns) {
            if (summary.name == name)
                return summary;
        }
        qFatal("no column %s", qPrintable(name));
    }

    static void saveImage(const QString &path, int width, int height, QRgb color)
    {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QImage image(width, height, QImage::Format_RGB32);
        image.fill(color);
        if (!image.save(path))
            qFatal("cannot save %s", qPrintable(path));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        // Percentages are formatted for the user's locale; the sentences below are C's.
        QLocale::setDefault(QLocale::c());
        QVERIFY(mTemp.isValid());
    }

    // Quoted fields with commas and a newline, a text target (one of its
    // values padded, one missing), missing values, mixed scales, a constant
    // column and a row with too few fields.
    void textTarget()
    {
        QByteArray csv = "id,\"full, name\",height,income,constant,species\n";
        const char *species[] = {"bird", "cat", "Dog"};
        for (int i = 1; i <= 12; ++i) {
            csv += QByteArray::number(i) + ",\"Last, First " + QByteArray::number(i) + (i == 2 ? "\nJr.\"" : "\"") + ',';
            csv += (i == 3 ? QByteArray() : i == 7 ? QByteArray("NA") : QByteArray::number(150 + i)) + ',';
            csv += QByteArray::number(i * 10000.5, 'f', 1) + ",1,";
            csv += (i == 4 ? QByteArray(" cat ") : QByteArray(species[i % 3])) + '\n';
            if (i == 6)
                csv += "99,short row\n"; // line 9: the quoted newline took one line
        }
        csv += "13,\"Nobody\",160,5,1,\n";
        const QString path = write(QStringLiteral("people.csv"), csv);

        const DatasetReport report = DatasetReports::analyzeCsv(path, QStringLiteral("species"));
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        QCOMPARE(report.kind, QStringLiteral("csv"));
        QCOMPARE(report.rows, 13);
        QCOMPARE(report.badRows, 1);
        QCOMPARE(report.target, QStringLiteral("species"));
        QCOMPARE(report.columns.size(), 6);
        QCOMPARE(report.columns.at(1).name, QStringLiteral("full, name"));

        const ColumnSummary &id = column(report, QStringLiteral("id"));
        QCOMPARE(id.present, 13);
        QCOMPARE(id.missing, 0);
        QCOMPARE(id.distinct, 13);
        QVERIFY(id.numeric());
        QCOMPARE(id.minimum, 1.0);
        QCOMPARE(id.maximum, 13.0);
        QCOMPARE(id.mean, 7.0);

        const ColumnSummary &name = column(report, QStringLiteral("full, name"));
        QCOMPARE(name.text, 13);
        QCOMPARE(name.distinct, 13);
        QVERIFY(!name.numeric());

        const ColumnSummary &height = column(report, QStringLiteral("height"));
        QCOMPARE(height.present, 11);
        QCOMPARE(height.missing, 2);
        QCOMPARE(height.text, 0);
        QCOMPARE(height.minimum, 151.0);
        QCOMPARE(height.maximum, 162.0);
        QVERIFY(!height.constant);

        const ColumnSummary &income = column(report, QStringLiteral("income"));
        QCOMPARE(income.minimum, 5.0);
        QCOMPARE(income.maximum, 120006.0);

        const ColumnSummary &constant = column(report, QStringLiteral("constant"));
        QVERIFY(constant.constant);
        QCOMPARE(constant.distinct, 1);
        QVERIFY(constant.numeric());

        const ColumnSummary &target = column(report, QStringLiteral("species"));
        QCOMPARE(target.present, 12);
        QCOMPARE(target.missing, 1);
        QCOMPARE(target.text, 12);
        QCOMPARE(target.distinct, 3);

        QCOMPARE(report.task, QStringLiteral("classification"));
        // read_csv's order: sorted by UTF-16 code units, so capitals come first; values trimmed.
        QCOMPARE(classText(report), QStringLiteral("Dog:4|bird:4|cat:4"));
        QCOMPARE(report.features, QStringList({"id", "height", "income", "constant"}));
        QCOMPARE(problemText(report), QStringList({
            "The target 'species' is missing in 1 of 13 rows (7.7%); those rows are dropped.",
            "The row on line 9 has a different number of fields than the 6 columns and is skipped.",
            "Column 'full, name' holds text, so it is not used as a feature.",
            "Column 'height' is missing 2 of 13 values (15%); training fills them with the mean of the training rows.",
            "Column 'constant' has the same value, 1, in every row; it carries no information.",
        }).join(QLatin1Char('\n')));
    }

    void task_data()
    {
        QTest::addColumn<QStringList>("targets");
        QTest::addColumn<QString>("task");
        QTest::addColumn<QString>("classes");

        QStringList twenty, twentyOne, floats;
        for (int i = 0; i < 21; ++i) {
            if (i < 20)
                twenty.append(QString::number(19 - i));
            twentyOne.append(QString::number(i));
            floats.append(QString::number(i * 0.25));
        }
        QTest::newRow("text") << QStringList({"b", "a", "B", "a", "é", "Z"}) << "classification" << "B:1|Z:1|a:2|b:1|é:1";
        QTest::newRow("integers in ascending order") << QStringList({"2", "0", "1", "0"}) << "classification" << "0:2|1:1|2:1";
        QTest::newRow("negative integers") << QStringList({"-1", "1", "-1", "+1"}) << "classification" << "-1:2|1:2";
        QTest::newRow("whole floats") << QStringList({"1.0", "2", "1", "2e0"}) << "classification" << "1:2|2:2";
        QTest::newRow("twenty values") << twenty << "classification"
                                       << "0:1|1:1|2:1|3:1|4:1|5:1|6:1|7:1|8:1|9:1|10:1|11:1|12:1|13:1|14:1|15:1|16:1|17:1|18:1|19:1";
        QTest::newRow("twenty-one values") << twentyOne << "regression" << "";
        QTest::newRow("fractions") << floats << "regression" << "";
        QTest::newRow("one value") << QStringList({"5", "5", "5"}) << "regression" << "";
        QTest::newRow("numbers and text") << QStringList({"2", "10", "x", "2"}) << "classification" << "10:1|2:2|x:1";
        QTest::newRow("infinity is text") << QStringList({"1", "inf"}) << "classification" << "1:1|inf:1";
        QTest::newRow("missing targets are not classes") << QStringList({"a", "", "NA", "b", "null"}) << "classification" << "a:1|b:1";
        QTest::newRow("all missing") << QStringList({"", "NA"}) << "" << "";
    }

    void task()
    {
        QFETCH(QStringList, targets);
        QFETCH(QString, task);
        QFETCH(QString, classes);
        const DatasetReport report = DatasetReports::analyzeCsv(targetCsv(QStringLiteral("task.csv"), targets), QStringLiteral("y"));
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        QCOMPARE(report.task, task);
        QCOMPARE(classText(report), classes);
        QCOMPARE(report.features, QStringList({"x"}));
    }

    void regression()
    {
        QByteArray csv = "area,rooms,price\n";
        for (int i = 0; i < 50; ++i)
            csv += QByteArray::number(40 + i * 3) + ',' + QByteArray::number(1 + i % 5) + ',' + QByteArray::number(1000.0 * i + 0.5, 'f', 1) + '\n';
        const DatasetReport report = DatasetReports::analyzeCsv(write(QStringLiteral("houses.csv"), csv), QStringLiteral("price"));
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        QCOMPARE(report.rows, 50);
        QCOMPARE(report.task, QStringLiteral("regression"));
        QVERIFY(report.classes.isEmpty());
        QCOMPARE(report.features, QStringList({"area", "rooms"}));
        QCOMPARE(column(report, QStringLiteral("rooms")).distinct, 5);
        QCOMPARE(column(report, QStringLiteral("price")).mean, 24500.5);
        QVERIFY2(report.problems.isEmpty(), qPrintable(problemText(report)));

        // Without a target: every numeric column is a feature, no task.
        const DatasetReport untargeted = DatasetReports::analyzeCsv(write(QStringLiteral("houses.csv"), csv));
        QVERIFY(untargeted.task.isEmpty());
        QCOMPARE(untargeted.features, QStringList({"area", "rooms", "price"}));
        QVERIFY(untargeted.problems.isEmpty());
    }

    void imbalance()
    {
        QStringList targets;
        for (int i = 0; i < 30; ++i)
            targets.append(QStringLiteral("common"));
        for (int i = 0; i < 9; ++i)
            targets.append(QStringLiteral("rare"));
        for (int i = 0; i < 10; ++i)
            targets.append(QStringLiteral("third"));
        targets.append(QStringLiteral("single"));
        const DatasetReport report = DatasetReports::analyzeCsv(targetCsv(QStringLiteral("imbalanced.csv"), targets), QStringLiteral("y"));
        QCOMPARE(classText(report), QStringLiteral("common:30|rare:9|single:1|third:10"));
        // 10 is a third of 30: not reported.
        QCOMPARE(report.problems, QStringList({
            "Class 'single' has a single example; a class needs at least two, one to train on and one to validate.",
            "Class 'rare' has 9 examples, less than a third of the 30 of class 'common': the classes are imbalanced.",
        }));
    }

    void manyClassesAndColumns()
    {
        // A text target with more classes than the cap, and columns with more
        // distinct values than counted.
        QByteArray csv = "id,code,name\n";
        for (int i = 0; i < 1500; ++i)
            csv += QByteArray::number(i) + ",c" + QByteArray::number(i % 1200) + ",n" + QByteArray::number(i) + '\n';
        const DatasetReport report = DatasetReports::analyzeCsv(write(QStringLiteral("ids.csv"), csv), QStringLiteral("name"));
        QCOMPARE(report.rows, 1500);
        QCOMPARE(column(report, QStringLiteral("id")).distinct, DatasetReports::kDistinctCap);
        QCOMPARE(column(report, QStringLiteral("code")).distinct, DatasetReports::kDistinctCap);
        QCOMPARE(report.task, QStringLiteral("classification"));
        QVERIFY(report.classes.isEmpty());
        QCOMPARE(report.problems, QStringList({
            "The target 'name' has more than 1000 different values: too many classes. Is it a name or an identifier rather than a category?",
            "Column 'code' holds text, so it is not used as a feature.",
        }));
    }

    void columnProblems()
    {
        // Seven text columns: five named, the rest summed up; a partly numeric
        // column named with an example; an empty column.
        QByteArray csv = "t1,t2,t3,t4,t5,t6,t7,age,blank,y\n";
        for (int i = 0; i < 20; ++i)
            csv += "a,b,c,d,e,f,g," + (i == 5 ? QByteArray("?") : QByteArray::number(20 + i)) + ",," + QByteArray::number(i * 0.5) + '\n';
        const DatasetReport report = DatasetReports::analyzeCsv(write(QStringLiteral("columns.csv"), csv), QStringLiteral("y"));
        QCOMPARE(report.task, QStringLiteral("regression"));
        QCOMPARE(report.problems, QStringList({
            "No feature columns: no column other than the target holds only numbers.",
            "Column 't1' holds text, so it is not used as a feature.",
            "Column 't2' holds text, so it is not used as a feature.",
            "Column 't3' holds text, so it is not used as a feature.",
            "Column 't4' holds text, so it is not used as a feature.",
            "Column 't5' holds text, so it is not used as a feature.",
            "3 more columns hold text and are not used as features.",
            "Column 'blank' is empty: every value is missing.",
        }));
        const ColumnSummary &age = column(report, QStringLiteral("age"));
        QCOMPARE(age.text, 1);
        QCOMPARE(age.present, 20);
        QCOMPARE(age.minimum, 20.0);
        QCOMPARE(age.maximum, 39.0);

        // With only one odd column, its sentence names the value.
        csv = "age,y\n";
        for (int i = 0; i < 20; ++i)
            csv += (i == 5 ? QByteArray("\"unknown, maybe\"") : QByteArray::number(20 + i)) + ',' + QByteArray::number(i) + '\n';
        const DatasetReport one = DatasetReports::analyzeCsv(write(QStringLiteral("age.csv"), csv), QStringLiteral("y"));
        QVERIFY(one.problems.contains(
            "Column 'age' has values that are not numbers, such as 'unknown, maybe' (1 of 20), so it is not used as a feature."));

        // Names and values with % in them stay as they are.
        csv = "%2 rate,%1,y\n";
        for (int i = 0; i < 20; ++i)
            csv += (i == 3 ? QByteArray() : QByteArray::number(i)) + ',' + (i == 4 ? QByteArray("%3") : QByteArray("1")) + ",%4\n";
        const DatasetReport percent = DatasetReports::analyzeCsv(write(QStringLiteral("percent.csv"), csv), QStringLiteral("y"));
        QCOMPARE(percent.problems, QStringList({
            "There is only one class, '%4': a classifier needs at least two.",
            "Column '%1' has values that are not numbers, such as '%3' (1 of 20), so it is not used as a feature.",
            "Column '%2 rate' is missing 1 of 20 values (5.0%); training fills them with the mean of the training rows.",
        }));
    }

    void targetNotAColumn()
    {
        const DatasetReport report = DatasetReports::analyzeCsv(
            write(QStringLiteral("two.csv"), "a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n11,12\n13,14\n15,16\n17,18\n19,20\n"),
            QStringLiteral("label"));
        QVERIFY(report.error.isEmpty());
        QCOMPARE(report.rows, 10);
        QVERIFY(report.task.isEmpty());
        QCOMPARE(report.features, QStringList({"a", "b"}));
        QCOMPARE(report.problems, QStringList({"There is no column 'label'. The columns are: 'a', 'b'."}));
    }

    void badFiles_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("error");    // a part of the error, empty when the file is readable
        QTest::addColumn<qint64>("rows");
        QTest::addColumn<QString>("problem");  // a problem that must be present

        QByteArray random(4096, Qt::Uninitialized);
        QRandomGenerator generator(42);
        for (char &byte : random)
            byte = char(generator.bounded(256));
        QByteArray utf16 = "\xFF\xFE";
        for (char c : QByteArray("a,b\n1,2\n"))
            utf16 += QByteArray(1, c) + '\0';

        QTest::newRow("missing file") << "" << QByteArray() << "does not exist" << qint64(0) << "";
        QTest::newRow("random bytes") << "random.csv" << random << "is not a text file" << qint64(0) << "";
        QTest::newRow("utf-16") << "utf16.csv" << utf16 << "UTF-16" << qint64(0) << "";
        QTest::newRow("empty") << "empty.csv" << QByteArray() << "is empty" << qint64(0) << "";
        QTest::newRow("blank lines") << "blank.csv" << QByteArray("\n \r\n\t\n") << "is empty" << qint64(0) << "";
        QTest::newRow("bom only") << "bom.csv" << QByteArray("\xEF\xBB\xBF") << "is empty" << qint64(0) << "";
        QTest::newRow("bom and blank lines") << "bomblank.csv" << QByteArray("\xEF\xBB\xBF\r\n\r\n") << "is empty" << qint64(0) << "";
        QTest::newRow("old Mac line ends") << "cr.csv" << QByteArray("a,y\r1,2\r3,4\r") << "" << qint64(2)
                                           << "Only 2 rows of data: too few to train and validate a model on.";
        QTest::newRow("header with an open quote") << "openheader.csv" << QByteArray("a,\"b\n") << "never closed" << qint64(0) << "";
        QTest::newRow("header only") << "header.csv" << QByteArray("a,b,y\n") << "" << qint64(0) << "There are no data rows.";
        QTest::newRow("truncated in a quoted field")
            << "truncated.csv" << QByteArray("a,y\n1,x\n2,\"y\n3,z\n") << "" << qint64(1)
            << "Line 3 opens a quoted field that is never closed; nothing after it can be read.";
        QTest::newRow("quotes, newlines and commas")
            << "quotes.csv" << QByteArray("a,y\r\n\"1\",\"x, \"\"quoted\"\"\r\nline\"\r\n2,plain\r\n") << "" << qint64(2)
            << "Only 2 rows of data: too few to train and validate a model on.";
        QTest::newRow("one row") << "one.csv" << QByteArray("a,y\n1,2\n") << "" << qint64(1)
                                 << "Only one row of data: too few to train and validate a model on.";
        QTest::newRow("no header") << "noheader.csv" << QByteArray("1,2,0\n3,4,1\n") << "" << qint64(2)
                                   << "The first row holds data, not column names, so the columns are named column1 to column3.";
        QTest::newRow("a long single line") << "line.csv" << QByteArray(17 << 20, 'x') << "longer than 16 MB" << qint64(0) << "";
        QTest::newRow("latin-1 text") << "latin1.csv" << QByteArray("stadt,y\nK\xF6ln,1\nM\xFCnchen,2\n") << "" << qint64(2) << "";
    }

    void badFiles()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, error);
        QFETCH(qint64, rows);
        QFETCH(QString, problem);

        const QString path = name.isEmpty() ? mTemp.filePath(QStringLiteral("absent.csv")) : write(name, bytes);
        const DatasetReport report = DatasetReports::analyzeCsv(path, QStringLiteral("y"));
        QCOMPARE(report.kind, QStringLiteral("csv"));
        if (error.isEmpty()) {
            QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        } else {
            QVERIFY2(report.error.contains(error), qPrintable(report.error));
            QVERIFY(report.columns.isEmpty());
            QVERIFY(report.problems.isEmpty());
        }
        QCOMPARE(report.rows, rows);
        if (!problem.isEmpty())
            QVERIFY2(report.problems.contains(problem), qPrintable(problemText(report)));
    }

    void notAFile()
    {
        const DatasetReport folder = DatasetReports::analyzeCsv(mTemp.path());
        QVERIFY2(folder.error.contains(QLatin1String("is a folder")), qPrintable(folder.error));
#ifdef Q_OS_UNIX
        // Opening a pipe would wait for a writer forever.
        const QString fifo = mTemp.filePath(QStringLiteral("pipe.csv"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        const DatasetReport pipe = DatasetReports::analyzeCsv(fifo);
        QVERIFY2(pipe.error.contains(QLatin1String("not a regular file")), qPrintable(pipe.error));
        const DatasetReport device = DatasetReports::analyzeCsv(QStringLiteral("/dev/zero"));
        QVERIFY2(device.error.contains(QLatin1String("not a regular file")), qPrintable(device.error));
#endif
    }

    // The report's classes against what data.read_csv itself numbers.
    void agreesWithReadCsv()
    {
        const QString path = targetCsv(QStringLiteral("agree.csv"), {"b", "A", "a", "10", "9", "Ä", " b", "_", "a"});
        const DatasetReport report = DatasetReports::analyzeCsv(path, QStringLiteral("y"));
        QStringList names;
        for (const auto &entry : report.classes)
            names.append(entry.first);

        QString value;
        LuaSession session(std::make_shared<std::atomic<bool>>(false), [&value](const OutputItem &item) {
            if (item.kind == OutputItem::Kind::Value)
                value = item.text;
        });
        const EvalResult result = session.evaluate(
            QStringLiteral("local x, y, info = data.read_csv(\"%1\", {target = \"y\"})\n"
                           "return table.concat(info.classes, \"|\")").arg(path));
        QVERIFY2(result.ok(), qPrintable(result.error.message));
        QCOMPARE(value, QLatin1Char('"') + names.join(QLatin1Char('|')) + QLatin1Char('"'));
        QCOMPARE(classText(report), QStringLiteral("10:1|9:1|A:1|_:1|a:2|b:2|Ä:1"));
    }

    void imageFolder()
    {
        const QString root = mTemp.filePath(QStringLiteral("pets"));
        // Written dog first: classes are sorted by name.
        for (int i = 0; i < 9; ++i)
            saveImage(QStringLiteral("%1/dog/%2.png").arg(root).arg(i), 8, 8, qRgb(200, 100, 0));
        saveImage(root + QStringLiteral("/dog/odd.png"), 16, 12, qRgb(200, 100, 0));
        for (int i = 0; i < 9; ++i)
            saveImage(QStringLiteral("%1/cat/%2.png").arg(root).arg(i), 8, 8, qRgb(0, 100, 200));
        saveImage(root + QStringLiteral("/cat/LOUD.PNG"), 8, 8, qRgb(0, 100, 200));
        write(QStringLiteral("pets/dog/notes.txt"), "not a picture");

        const DatasetReport report = DatasetReports::analyzeImageFolder(root);
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        QCOMPARE(report.kind, QStringLiteral("images"));
        QCOMPARE(report.task, QStringLiteral("classification"));
        QCOMPARE(report.rows, 20);
        QCOMPARE(classText(report), QStringLiteral("cat:10|dog:10"));
        QCOMPARE(report.problems, QStringList({
            "Image 'dog/odd.png' is 16×12 while the others are 8×8; images are resized to one size for training.",
            "'dog/notes.txt' is not an image and is skipped.",
        }));
    }

    void imageFolderProblems()
    {
        const QString root = mTemp.filePath(QStringLiteral("shapes"));
        for (int i = 0; i < 12; ++i)
            saveImage(QStringLiteral("%1/circle/%2.png").arg(root).arg(i), 4, 4, qRgb(0, 0, 0));
        for (int i = 0; i < 3; ++i)
            saveImage(QStringLiteral("%1/square/%2.png").arg(root).arg(i), 4, 4, qRgb(0, 0, 0));
        QDir().mkpath(root + QStringLiteral("/triangle"));
        write(QStringLiteral("shapes/square/broken.png"), "no png here");
        write(QStringLiteral("shapes/circle/a.txt"), "a");
        write(QStringLiteral("shapes/circle/b.csv"), "b");
        // Hidden folders are not classes.
        saveImage(root + QStringLiteral("/.cache/0.png"), 4, 4, qRgb(0, 0, 0));

        const DatasetReport report = DatasetReports::analyzeImageFolder(root);
        QCOMPARE(classText(report), QStringLiteral("circle:12|square:3|triangle:0"));
        QCOMPARE(report.rows, 15);
        QCOMPARE(report.problems, QStringList({
            "'square/broken.png' cannot be read as an image; training would stop there.",
            "Class folder 'triangle' has no images.",
            "Class 'square' has 3 examples, less than a third of the 12 of class 'circle': the classes are imbalanced.",
            "2 files in the class folders are not images and are skipped, such as 'circle/a.txt'.",
        }));

        QDir().mkpath(mTemp.filePath(QStringLiteral("flat")));
        saveImage(mTemp.filePath(QStringLiteral("flat/0.png")), 4, 4, qRgb(0, 0, 0));
        const DatasetReport flat = DatasetReports::analyzeImageFolder(mTemp.filePath(QStringLiteral("flat")));
        QVERIFY(flat.error.isEmpty());
        QCOMPARE(flat.problems, QStringList({
            "The folder has no class subfolders: put the images of each class in a folder named after the class."}));

        const DatasetReport absent = DatasetReports::analyzeImageFolder(mTemp.filePath(QStringLiteral("absent")));
        QVERIFY(absent.error.contains(QLatin1String("does not exist")));
        const DatasetReport file = DatasetReports::analyzeImageFolder(mTemp.filePath(QStringLiteral("flat/0.png")));
        QVERIFY(file.error.contains(QLatin1String("is not a folder")));
    }

    void fashionMnist()
    {
        const QString dir = QStringLiteral("/usr/share/datasets/fashion-mnist");
        if (!QFileInfo::exists(dir))
            QSKIP("Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)");
        const DatasetReport report = DatasetReports::fashionMnist(dir);
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        QCOMPARE(report.kind, QStringLiteral("fashion-mnist"));
        QCOMPARE(report.task, QStringLiteral("classification"));
        QCOMPARE(report.rows, 60000);
        QCOMPARE(classText(report), QStringLiteral("T-shirt/top:6000|Trouser:6000|Pullover:6000|Dress:6000|Coat:6000|"
                                                   "Sandal:6000|Shirt:6000|Sneaker:6000|Bag:6000|Ankle boot:6000"));
        QVERIFY(report.problems.isEmpty());
    }

    void fashionMnistMissing()
    {
        const DatasetReport report = DatasetReports::fashionMnist(mTemp.filePath(QStringLiteral("no-such-folder")));
        QCOMPARE(report.kind, QStringLiteral("fashion-mnist"));
        QVERIFY2(report.error.contains(QLatin1String("dataset-fashion-mnist")), qPrintable(report.error));
        QCOMPARE(report.rows, 0);

        // A folder with the labels but not the rest is not an installation either.
        write(QStringLiteral("partial/train-labels-idx1-ubyte"), QByteArray("\0\0\x08\x01\0\0\0\0", 8));
        const DatasetReport partial = DatasetReports::fashionMnist(mTemp.filePath(QStringLiteral("partial")));
        QVERIFY2(partial.error.contains(QLatin1String("train-images-idx3-ubyte")), qPrintable(partial.error));
    }
};

QTEST_GUILESS_MAIN(TestDatasetReport)
#include "tst_datasetreport.moc"
