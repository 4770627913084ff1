#include "document/markdownexport.h"
#include "document/notebookformat.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace kiln;

class TestNotebookFormat : public QObject
{
    Q_OBJECT

private:
    static QByteArray readFile(const QString &path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return QByteArray();
        return file.readAll();
    }

    static QList<CellKind> kinds(const NotebookContent &content)
    {
        QList<CellKind> result;
        for (const Cell &cell : content.cells)
            result.append(cell.kind);
        return result;
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void corpusRoundTrip_data()
    {
        QTest::addColumn<QString>("path");
        const QDir dir(QStringLiteral(KILN_TEST_DATA "/notebooks"));
        const QStringList files = dir.entryList({QStringLiteral("*.kiln.md")}, QDir::Files, QDir::Name);
        QVERIFY(files.size() >= 8);
        for (const QString &file : files)
            QTest::newRow(qPrintable(file)) << dir.filePath(file);
        QTest::newRow("tour example") << QStringLiteral(KILN_EXAMPLES "/tour.kiln.md");
    }

    // The corpus is written in canonical form: parse then serialize gives the same bytes.
    void corpusRoundTrip()
    {
        QFETCH(QString, path);
        const QByteArray original = readFile(path);
        QVERIFY(!original.isEmpty());
        const NotebookContent content = NotebookFormat::parse(original);
        const QByteArray written = NotebookFormat::serialize(content);
        QCOMPARE(QString::fromUtf8(written), QString::fromUtf8(original));
        QCOMPARE(written, original);
        QVERIFY(NotebookFormat::parse(written) == content);
    }

    void basicStructure()
    {
        const NotebookContent nb = NotebookFormat::parse(readFile(QStringLiteral(KILN_TEST_DATA "/notebooks/basic.kiln.md")));
        QCOMPARE(nb.title, QStringLiteral("Basic notebook"));
        const QList<CellKind> expected = {CellKind::Markdown, CellKind::Section, CellKind::Code,
                                          CellKind::Markdown, CellKind::Code,    CellKind::Section,
                                          CellKind::Code};
        QCOMPARE(kinds(nb), expected);
        QCOMPARE(nb.cells.at(1).source, QStringLiteral("First section"));
        QCOMPARE(nb.cells.at(2).source, QStringLiteral("x = 1\nprint(x)"));
        QCOMPARE(nb.cells.at(2).sourceLine, 8);
        QCOMPARE(nb.cells.at(4).source, QStringLiteral("x + 1"));
        QCOMPARE(nb.cells.at(4).sourceLine, 15);
        QCOMPARE(nb.cells.at(6).source, QString());
        QVERIFY(!nb.crlf);
        QVERIFY(!nb.bom);
    }

    void fencesOfOtherLanguagesStayMarkdown()
    {
        const NotebookContent nb = NotebookFormat::parse(readFile(QStringLiteral(KILN_TEST_DATA "/notebooks/fences.kiln.md")));
        QCOMPARE(nb.title, QStringLiteral("Fences"));
        const QList<CellKind> expected = {CellKind::Markdown, CellKind::Code, CellKind::Code};
        QCOMPARE(kinds(nb), expected);
        QVERIFY(nb.cells.at(0).source.contains(QStringLiteral("## not a section")));
        QVERIFY(nb.cells.at(0).source.contains(QStringLiteral("print(\"not a cell\")")));
        QVERIFY(nb.cells.at(0).source.contains(QStringLiteral("## still not a section")));
        QVERIFY(nb.cells.at(1).source.contains(QStringLiteral("```lua\nnested\n```")));
        QVERIFY(nb.cells.at(1).source.contains(QStringLiteral("## = nil")));
        QVERIFY(nb.cells.at(2).source.startsWith(QStringLiteral("-- # hash lines")));
    }

    void optionsAndBreaks()
    {
        const NotebookContent nb = NotebookFormat::parse(readFile(QStringLiteral(KILN_TEST_DATA "/notebooks/options.kiln.md")));
        QCOMPARE(nb.metadata.value(QStringLiteral("kernel")).toString(), QStringLiteral("lua"));
        const QList<CellKind> expected = {CellKind::Markdown, CellKind::Markdown, CellKind::Code, CellKind::Code,
                                          CellKind::Code};
        QCOMPARE(kinds(nb), expected);
        QCOMPARE(nb.cells.at(2).options.value(QStringLiteral("name")).toString(), QStringLiteral("setup"));
        QVERIFY(nb.cells.at(2).options.value(QStringLiteral("collapsed")).toBool());
        QVERIFY(nb.cells.at(3).options.isEmpty());
    }

    void persistedOutputs()
    {
        const NotebookContent nb = NotebookFormat::parse(readFile(QStringLiteral(KILN_TEST_DATA "/notebooks/outputs.kiln.md")));
        QVERIFY(nb.persistOutputs());
        QCOMPARE(nb.cells.size(), 2);
        const OutputList &first = nb.cells.at(0).outputs;
        QCOMPARE(first.size(), 2);
        QCOMPARE(first.at(0).kind, OutputItem::Kind::Text);
        QCOMPARE(first.at(0).text, QStringLiteral("a --> b\n"));
        QCOMPARE(first.at(1).kind, OutputItem::Kind::Value);
        QCOMPARE(first.at(1).text, QStringLiteral("2"));
        const OutputItem &error = nb.cells.at(1).outputs.at(0);
        QCOMPARE(error.kind, OutputItem::Kind::Error);
        QCOMPARE(error.data.value(QStringLiteral("line")).toInt(), 1);

        // Without persist_outputs the same notebook saves no outputs.
        NotebookContent bare = nb;
        bare.setPersistOutputs(false);
        const QByteArray written = NotebookFormat::serialize(bare);
        QVERIFY(!written.contains("kiln:output"));
        QVERIFY(NotebookFormat::parse(written).cells.at(0).outputs.isEmpty());
    }

    void lineEndsAndBom()
    {
        const QByteArray crlfBytes = readFile(QStringLiteral(KILN_TEST_DATA "/notebooks/crlf.kiln.md"));
        const NotebookContent crlf = NotebookFormat::parse(crlfBytes);
        QVERIFY(crlf.crlf);
        QCOMPARE(crlf.title, QStringLiteral("CRLF notebook"));
        QCOMPARE(crlf.cells.constLast().source, QStringLiteral("print(\"crlf\")"));
        QVERIFY(!crlf.cells.constLast().source.contains(QLatin1Char('\r')));

        const NotebookContent bom = NotebookFormat::parse(readFile(QStringLiteral(KILN_TEST_DATA "/notebooks/bom.kiln.md")));
        QVERIFY(bom.bom);
        QCOMPARE(bom.title, QStringLiteral("BOM notebook"));
        QVERIFY(NotebookFormat::serialize(bom).startsWith("\xEF\xBB\xBF# BOM"));
    }

    void nonAsciiText()
    {
        const NotebookContent nb = NotebookFormat::parse(readFile(QStringLiteral(KILN_TEST_DATA "/notebooks/unicode.kiln.md")));
        QCOMPARE(nb.title, QStringLiteral("日本語のノートブック 🔥"));
        QCOMPARE(nb.cells.at(1).source, QStringLiteral("セクション"));
        QVERIFY(nb.cells.at(2).source.contains(QStringLiteral("こんにちは、世界 🌏")));
    }

    void unclosedFenceRunsToEnd()
    {
        const NotebookContent nb = NotebookFormat::parse("# T\n\n```lua\nprint(1)\n## inside\n");
        QCOMPARE(nb.cells.size(), 1);
        QCOMPARE(nb.cells.at(0).kind, CellKind::Code);
        QCOMPARE(nb.cells.at(0).source, QStringLiteral("print(1)\n## inside"));
    }

    void codeWithFencesGetsLongerFence()
    {
        NotebookContent nb;
        nb.title = QStringLiteral("T");
        nb.cells.append(Cell::make(CellKind::Code, QStringLiteral("s = [[\n```\n````\n]]")));
        const QByteArray written = NotebookFormat::serialize(nb);
        QVERIFY(written.contains("`````lua\n"));
        QVERIFY(NotebookFormat::parse(written) == nb);
    }

    void anythingParses_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("only blank lines") << QByteArray("\n\n\n");
        QTest::newRow("broken comment") << QByteArray("<!-- kiln:cell {not json} -->\n```lua\nx=1\n```\n");
        QTest::newRow("broken output") << QByteArray("```lua\nx=1\n```\n\n<!-- kiln:output {\"type\":\"nope\"} -->\n");
        QTest::newRow("lone fence") << QByteArray("```");
        QTest::newRow("nul bytes") << QByteArray("# a\0b\n", 6);
    }

    // Any text is some notebook: parsing never fails, and what it gives survives a round trip.
    void anythingParses()
    {
        QFETCH(QByteArray, bytes);
        const NotebookContent nb = NotebookFormat::parse(bytes);
        QVERIFY(NotebookFormat::parse(NotebookFormat::serialize(nb)) == nb);
    }

    // read(write(nb)) == nb for generated notebooks.
    void randomNotebooksRoundTrip()
    {
        QRandomGenerator random(20261125);
        const QStringList markdownPieces = {
            QStringLiteral("Plain text."), QStringLiteral("### A third-level heading"),
            QStringLiteral("- a list\n- of items"), QStringLiteral("```python\n## inside python\n```"),
            QStringLiteral("Ünïcödé 日本語 🔥"), QStringLiteral("Trailing spaces  \nnext line"),
            QStringLiteral("<!-- an ordinary comment -->"), QStringLiteral("> quote\n>\n> more"),
            QStringLiteral("# A first-level heading\ntext"), QStringLiteral("#")};
        const QStringList codePieces = {
            QStringLiteral("x = 1"), QStringLiteral("print(\"hi\")\n\nreturn 2"), QStringLiteral("-- ## comment"),
            QStringLiteral("s = [[\n```\n]]"), QStringLiteral("local t = {\n  a = 1,\n}"), QString(),
            QStringLiteral("\nleading and trailing blank lines\n"), QStringLiteral("# not a title")};
        for (int round = 0; round < 300; ++round) {
            NotebookContent nb;
            if (random.bounded(4) != 0)
                nb.title = QStringLiteral("Notebook %1 ✨").arg(round);
            nb.crlf = random.bounded(3) == 0;
            nb.bom = random.bounded(4) == 0;
            if (random.bounded(3) == 0)
                nb.setPersistOutputs(true);
            const int cellCount = int(random.bounded(8));
            for (int c = 0; c < cellCount; ++c) {
                const int kind = int(random.bounded(3));
                if (kind == 0) {
                    nb.cells.append(Cell::make(CellKind::Markdown, markdownPieces.at(int(random.bounded(markdownPieces.size())))));
                } else if (kind == 1) {
                    nb.cells.append(Cell::make(CellKind::Section, QStringLiteral("Section %1").arg(c)));
                } else {
                    Cell cell = Cell::make(CellKind::Code, codePieces.at(int(random.bounded(codePieces.size()))));
                    if (random.bounded(4) == 0)
                        cell.options.insert(QStringLiteral("name"), QStringLiteral("cell-%1 -->").arg(c));
                    if (nb.persistOutputs() && random.bounded(2) == 0) {
                        cell.outputs.append(OutputItem::makeText(QStringLiteral("line --> %1\n").arg(c)));
                        cell.outputs.append(OutputItem::makeError(QStringLiteral("boom"), c + 1, QStringLiteral("tb")));
                    }
                    nb.cells.append(cell);
                }
            }
            if (nb.title.isEmpty() && nb.cells.isEmpty() && nb.metadata.isEmpty())
                nb.crlf = false;  // an empty file has no line ends to keep
            const QByteArray written = NotebookFormat::serialize(nb);
            const NotebookContent back = NotebookFormat::parse(written);
            if (back != nb)
                QFAIL(qPrintable(QStringLiteral("round %1 differs:\n%2").arg(round).arg(QString::fromUtf8(written))));
            QCOMPARE(NotebookFormat::serialize(back), written);
        }
    }

    // Found by fuzzing: without a title, a first Markdown cell starting "# " was
    // written as the title line and came back as the title; outputs in a file that
    // did not set persist_outputs were read, then dropped by the next save.
    void fuzzFoundRoundTrips()
    {
        NotebookContent untitled;
        untitled.cells.append(Cell::make(CellKind::Markdown, QStringLiteral("# Not a title\ntext")));
        const QByteArray written = NotebookFormat::serialize(untitled);
        const NotebookContent back = NotebookFormat::parse(written);
        QVERIFY(back.title.isEmpty());
        QVERIFY2(back == untitled, written.constData());

        const NotebookContent withOutputs = NotebookFormat::parse(
            "# t\n\n```lua\nx\n```\n\n<!-- kiln:output {\"text\":\"1\",\"type\":\"value\"} -->\n");
        QCOMPARE(withOutputs.cells.size(), 1);
        QCOMPARE(withOutputs.cells.at(0).outputs.size(), 1);
        QVERIFY(withOutputs.persistOutputs());
        const NotebookContent saved = NotebookFormat::parse(NotebookFormat::serialize(withOutputs));
        QCOMPARE(saved.cells.at(0).outputs.size(), 1);

        // A U+FEFF that starts a JSON string (an output's text, a table's column)
        // survives a save and a reopen; Qt's JSON parser used to drop it.
        const NotebookContent bom = NotebookFormat::parse(QStringLiteral(
            "# t\n\n```lua\nx\n```\n\n<!-- kiln:output {\"text\":\"\uFEFF1\",\"type\":\"value\"} -->\n").toUtf8());
        QCOMPARE(bom.cells.at(0).outputs.at(0).text, QStringLiteral("\uFEFF1"));
        const NotebookContent reopened = NotebookFormat::parse(NotebookFormat::serialize(bom));
        QCOMPARE(reopened.cells.at(0).outputs.at(0).text, QStringLiteral("\uFEFF1"));
        QVERIFY(reopened == bom);

        // In a file with a BOM, a first cell that starts with U+FEFF is written
        // right after the BOM; QString::fromUtf8 dropped that U+FEFF as a second BOM.
        const NotebookContent bomCell = NotebookFormat::parse("\xEF\xBB\xBF#\r\n\xEF\xBB\xBF)");
        QVERIFY(bomCell.bom);
        QCOMPARE(bomCell.cells.size(), 1);
        QCOMPARE(bomCell.cells.at(0).source, QStringLiteral("\uFEFF)"));
        const QByteArray bomCellWritten = NotebookFormat::serialize(bomCell);
        QVERIFY2(NotebookFormat::parse(bomCellWritten) == bomCell, bomCellWritten.constData());
        const NotebookContent twoBoms = NotebookFormat::parse("\xEF\xBB\xBF\xEF\xBB\xBFtext\n");
        QVERIFY(twoBoms.bom);
        QCOMPARE(twoBoms.cells.at(0).source, QStringLiteral("\uFEFFtext"));
    }

    // Export as Markdown keeps long text output folded (a <details> block), short
    // output plain.
    void exportFoldsLongOutput()
    {
        NotebookContent content;
        content.title = QStringLiteral("Export");
        Cell cell = Cell::make(CellKind::Code);
        cell.source = QStringLiteral("for i = 1, 100 do print(i) end");
        QString many;
        for (int i = 1; i <= 100; ++i)
            many += QString::number(i) + QLatin1Char('\n');
        cell.outputs = {OutputItem::makeText(many)};
        Cell small = Cell::make(CellKind::Code);
        small.source = QStringLiteral("1 + 1");
        small.outputs = {OutputItem::makeText(QStringLiteral("2\n"))};
        content.cells = {cell, small};
        const QString markdown = exportMarkdown(content);
        QVERIFY2(markdown.contains(QStringLiteral("<details><summary>100 lines of output</summary>")), qPrintable(markdown.left(400)));
        QVERIFY(markdown.contains(QStringLiteral("\n100\n")));
        QCOMPARE(markdown.count(QStringLiteral("<details>")), 1);
    }

    void saveAndLoad()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("nb.kiln.md"));
        NotebookContent nb;
        nb.title = QStringLiteral("Saved");
        nb.cells.append(Cell::make(CellKind::Code, QStringLiteral("print(1)")));
        QString error;
        QVERIFY2(NotebookFormat::save(path, nb, &error), qPrintable(error));
        NotebookContent loaded;
        QVERIFY2(NotebookFormat::load(path, &loaded, &error), qPrintable(error));
        QVERIFY(loaded == nb);
        QCOMPARE(loaded.cells.at(0).sourceLine, 4);
    }

    // QSaveFile writes a temporary file next to the target: when that cannot be
    // created, the save fails and the old file is untouched.
    void failedSaveKeepsOldFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QString(250, QLatin1Char('n')) + QStringLiteral(".md"));
        const QByteArray original = "# Old\n\n```lua\nprint('keep me')\n```\n";
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(original);
        }
        NotebookContent nb;
        nb.title = QStringLiteral("New");
        QString error;
        QVERIFY(!NotebookFormat::save(path, nb, &error));
        QVERIFY(error.contains(QStringLiteral("cannot save")));
        QCOMPARE(readFile(path), original);

        QVERIFY(!NotebookFormat::save(dir.filePath(QStringLiteral("missing/dir/nb.kiln.md")), nb, &error));
    }

    void loadErrors()
    {
        QTemporaryDir dir;
        NotebookContent nb;
        QString error;
        QVERIFY(!NotebookFormat::load(dir.filePath(QStringLiteral("absent.kiln.md")), &nb, &error));
        QVERIFY(error.contains(QStringLiteral("cannot open")));

        const QString binary = dir.filePath(QStringLiteral("binary.kiln.md"));
        QFile file(binary);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray("\x89PNG\r\n\x1a\n\xff\xfe\x00\x01", 12));
        file.close();
        QVERIFY(!NotebookFormat::load(binary, &nb, &error));
        QVERIFY(error.contains(QStringLiteral("not a UTF-8 text file")));
    }
};

QTEST_GUILESS_MAIN(TestNotebookFormat)
#include "tst_notebookformat.moc"
