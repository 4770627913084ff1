#include "readers/csvreader.h"

#include <QStandardPaths>
#include <QTest>

using namespace kiln;

// The torch-free CSV reader that data.read_csv, the training panel and `kiln train` share.
class TestCsvReader : public QObject
{
    Q_OBJECT

private:
    static QString fixture(const char *name) { return QStringLiteral(KILN_TEST_DATA "/csv/") + QLatin1String(name); }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void files_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("delimiter");
        QTest::addColumn<bool>("header");
        QTest::addColumn<QString>("columns");
        QTest::addColumn<int>("rows");
        QTest::addColumn<QString>("lastRow");
        QTest::addColumn<int>("lastLine");

        QTest::newRow("text target") << "iris.csv" << "," << true
                                     << "sepal_length|sepal_width|petal_length|petal_width|species" << 6
                                     << "5.8|2.7|5.1|1.9|virginica" << 7;
        QTest::newRow("bom and crlf") << "bom_crlf.csv" << "," << true << "x|y|target" << 3 << "3.5|4|yes" << 4;
        QTest::newRow("semicolon") << "semicolon.csv" << ";" << true << "a|b|c" << 2 << "4|5|6" << 3;
        QTest::newRow("tab") << "tab.tsv" << "\t" << true << "a|b|c" << 2 << "4|5|6" << 3;
        QTest::newRow("no header") << "noheader.csv" << "," << false << "column1|column2|column3" << 3 << "5|6|2.5" << 3;
        QTest::newRow("trailing empty lines") << "trailing_lines.csv" << "," << true << "a|b" << 2 << "3|4" << 3;
        QTest::newRow("all text has a header") << "text_only.csv" << "," << true << "name|city" << 2 << "alice|rome" << 3;
        QTest::newRow("header only") << "header_only.csv" << "," << true << "a|b|c" << 0 << "" << 0;
        QTest::newRow("empty") << "empty.csv" << "," << false << "" << 0 << "" << 0;
        QTest::newRow("ragged rows are yielded as they are") << "ragged.csv" << "," << true << "a|b|label" << 4 << "7|8|0|9" << 5;
    }

    void files()
    {
        QFETCH(QString, file);
        QFETCH(QString, delimiter);
        QFETCH(bool, header);
        QFETCH(QString, columns);
        QFETCH(int, rows);
        QFETCH(QString, lastRow);
        QFETCH(int, lastLine);

        CsvReader reader;
        QVERIFY2(reader.open(fixture(file.toUtf8().constData())), qPrintable(reader.errorString()));
        QCOMPARE(QString(reader.delimiter()), delimiter);
        QCOMPARE(reader.hasHeader(), header);
        QCOMPARE(reader.columns().join(QLatin1Char('|')), columns);
        const QList<CsvReader::Row> all = reader.readAll();
        QVERIFY2(reader.errorString().isEmpty(), qPrintable(reader.errorString()));
        QCOMPARE(all.size(), rows);
        if (rows > 0) {
            QCOMPARE(all.last().fields.join(QLatin1Char('|')), lastRow);
            QCOMPARE(all.last().line, lastLine);
        }
    }

    void quoting()
    {
        CsvReader reader;
        QVERIFY(reader.open(fixture("quoted.csv")));
        QCOMPARE(reader.columns(), QStringList({"id", "name, full", "score", "note"}));
        const QList<CsvReader::Row> rows = reader.readAll();
        QVERIFY2(reader.errorString().isEmpty(), qPrintable(reader.errorString()));
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows[0].fields, QStringList({"1", "Smith, John", "3.5", "said \"hi\""}));
        QCOMPARE(rows[1].fields, QStringList({"2", "Doe\r\nJane", "4.25", "plain"}));
        QCOMPARE(rows[2].fields, QStringList({"3", "Solo", "-1e2", "multi\r\nline\r\nnote"}));
        QCOMPARE(rows[3].fields, QStringList({"4", "x", "0.5", ""}));
        // Lines where each record starts, for error messages.
        QCOMPARE(rows[0].line, 2);
        QCOMPARE(rows[1].line, 3);
        QCOMPARE(rows[2].line, 5);
        QCOMPARE(rows[3].line, 8);
    }

    void forcedSettings()
    {
        CsvReader reader;
        reader.setHeader(CsvReader::Header::Absent);
        reader.setDelimiter(QLatin1Char(';'));
        QVERIFY(reader.setData("a,b;c\n1,2;3\n"));
        QCOMPARE(reader.columns(), QStringList({"column1", "column2"}));
        const QList<CsvReader::Row> rows = reader.readAll();
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[0].fields, QStringList({"a,b", "c"}));

        CsvReader numbers;
        numbers.setHeader(CsvReader::Header::Present);
        QVERIFY(numbers.setData("1,2\n3,4\n"));
        QCOMPARE(numbers.columns(), QStringList({"1", "2"}));
        QCOMPARE(numbers.readAll().size(), 1);
    }

    void detection_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("delimiter");
        QTest::addColumn<bool>("header");
        QTest::newRow("text column without header") << QByteArray("5.1,3.5,setosa\n4.9,3.0,setosa\n") << "," << false;
        QTest::newRow("header over a text column") << QByteArray("a,b,kind\n5.1,3.5,setosa\n") << "," << true;
        QTest::newRow("missing values do not count against numbers") << QByteArray("a,b\n,1\n2,3\n") << "," << true;
        QTest::newRow("decimal commas") << QByteArray("a;b\n1,5;2,5\n3,5;4,5\n") << ";" << true;
        QTest::newRow("quoted delimiters are not counted") << QByteArray("a;b\n\"x,y,z\";1\n\"p,q\";2\n") << ";" << true;
        QTest::newRow("single column") << QByteArray("1\n2\n3\n") << "," << false;
        QTest::newRow("header only") << QByteArray("name,age\n") << "," << true;
    }

    void detection()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, delimiter);
        QFETCH(bool, header);
        CsvReader reader;
        QVERIFY(reader.setData(text));
        QCOMPARE(QString(reader.delimiter()), delimiter);
        QCOMPARE(reader.hasHeader(), header);
    }

    void emptyLastField()
    {
        CsvReader reader;
        QVERIFY(reader.setData("a,b\n1,\n,2"));
        const QList<CsvReader::Row> rows = reader.readAll();
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[0].fields, QStringList({"1", ""}));
        QCOMPARE(rows[1].fields, QStringList({"", "2"}));
    }

    void unterminatedQuote()
    {
        CsvReader reader;
        QVERIFY(reader.open(fixture("unterminated.csv")));
        const QList<CsvReader::Row> rows = reader.readAll();
        QVERIFY(rows.isEmpty());
        QCOMPARE(reader.errorString(), QStringLiteral("line 2: a quoted field is never closed"));
    }

    void missingFile()
    {
        CsvReader reader;
        QVERIFY(!reader.open(QStringLiteral("/nonexistent/kiln.csv")));
        QVERIFY(reader.errorString().contains(QLatin1String("kiln.csv")));
    }

    void numbers_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("number");
        QTest::addColumn<bool>("missing");
        QTest::newRow("integer") << "42" << true << false;
        QTest::newRow("spaces") << " -1.5 " << true << false;
        QTest::newRow("exponent") << "1e-3" << true << false;
        QTest::newRow("leading dot") << ".5" << true << false;
        QTest::newRow("word") << "abc" << false << false;
        QTest::newRow("empty") << "" << false << true;
        QTest::newRow("NA") << "NA" << false << true;
        QTest::newRow("nan") << "nan" << false << true;
        QTest::newRow("inf") << "inf" << false << false;
        QTest::newRow("decimal comma") << "1,5" << false << false;
    }

    void numbers()
    {
        QFETCH(QString, text);
        QFETCH(bool, number);
        QFETCH(bool, missing);
        QCOMPARE(CsvReader::toNumber(text, nullptr), number);
        QCOMPARE(CsvReader::isMissing(text), missing);
    }
};

QTEST_GUILESS_MAIN(TestCsvReader)
#include "tst_csvreader.moc"
