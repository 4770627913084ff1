#include "document/autosave.h"
#include "document/notebook.h"
#include "document/notebookformat.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <QUndoStack>

#include <algorithm>
#include <iostream>
#include <string>
#include <unistd.h>

using namespace kiln;

namespace {

NotebookContent sample()
{
    NotebookContent content;
    content.title = QStringLiteral("Lost work");
    content.cells = {Cell::make(CellKind::Markdown, QStringLiteral("Größe — サイズ\n\n  trailing  ")),
                     Cell::make(CellKind::Section, QStringLiteral("Training")),
                     Cell::make(CellKind::Code, QStringLiteral("x = torch.ones(3)\nprint(\"```\")"))};
    return content;
}

// The edit that makes the sample notebook modified; the recovered copy must have it.
const QString editedSource = QStringLiteral("-- edited\nlocal y = x * 2\n\treturn y");

QStringList sources(const NotebookContent &content)
{
    QStringList result;
    for (const Cell &cell : content.cells)
        result.append(cell.source);
    return result;
}

QString fileFor(const QString &id, const char *suffix)
{
    return Autosave::recoveryDirectory() + QLatin1Char('/') + id + QLatin1String(suffix);
}

bool hasEntry(const QString &id)
{
    const QList<RecoveryEntry> entries = Autosave::pendingRecoveries();
    return std::any_of(entries.begin(), entries.end(),
                       [&](const RecoveryEntry &entry) { return entry.id == id; });
}

// Child process: edits a notebook, waits for its recovery copy, prints its id,
// then dies without cleaning up (--crash-writer) or after a line on stdin (--live-writer).
int runWriter(bool waitForStdin)
{
    QStandardPaths::setTestModeEnabled(true);
    Notebook notebook;
    notebook.reset(sample());
    notebook.setFilePath(QStringLiteral("/home/user/lost.kiln.md"));
    Autosave autosave(&notebook);
    autosave.setInterval(10);
    notebook.setCellSource(2, editedSource);
    autosave.saveNow();
    autosave.waitForDone();
    std::cout << autosave.id().toStdString() << std::endl;
    if (waitForStdin) {
        std::string line;
        std::getline(std::cin, line);
    }
    _exit(3);  // as a crash would: no destructors, no discard
}

} // namespace

class TestAutosave : public QObject
{
    Q_OBJECT

private:
    // Starts this binary as a writer and returns the recovery id it printed.
    static QString startWriter(QProcess *process, const char *mode)
    {
        process->start(QCoreApplication::applicationFilePath(), {QString::fromLatin1(mode)});
        if (!process->waitForStarted() || !process->waitForReadyRead(30000))
            return QString();
        return QString::fromLatin1(process->readLine().trimmed());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QDir(Autosave::recoveryDirectory()).removeRecursively();
        QVERIFY(Autosave::recoveryDirectory().contains(QLatin1String(".qttest")));
    }

    void writesAfterChange()
    {
        Notebook notebook;
        notebook.reset(sample());
        notebook.setFilePath(QStringLiteral("/tmp/kiln-autosave/example.kiln.md"));
        Autosave autosave(&notebook);
        QCOMPARE(autosave.interval(), 5000);
        autosave.setInterval(50);
        const QString copy = fileFor(autosave.id(), ".kiln.md");
        const QString sidecar = fileFor(autosave.id(), ".json");

        notebook.setCellSource(2, editedSource);
        QVERIFY(!QFileInfo::exists(copy));  // not at once: after the interval
        QTRY_VERIFY(QFileInfo::exists(sidecar));
        autosave.waitForDone();

        NotebookContent written;
        QString error;
        QVERIFY2(NotebookFormat::load(copy, &written, &error), qPrintable(error));
        QCOMPARE(sources(written), sources(notebook.content()));
        QFile file(sidecar);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject info = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(info.value(QStringLiteral("originalPath")).toString(), notebook.filePath());
        QCOMPARE(info.value(QStringLiteral("title")).toString(), QStringLiteral("Lost work"));
        QCOMPARE(info.value(QStringLiteral("pid")).toInteger(), QCoreApplication::applicationPid());
        QVERIFY(QDateTime::fromString(info.value(QStringLiteral("savedAt")).toString(),
                                      Qt::ISODateWithMs).isValid());

        // Later edits update the copy.
        notebook.setTitle(QStringLiteral("Renamed"));
        QTRY_VERIFY(NotebookFormat::load(copy, &written, &error) && written.title == QStringLiteral("Renamed"));
    }

    void notWhenClean()
    {
        Notebook notebook;
        notebook.reset(sample());
        Autosave autosave(&notebook);
        autosave.setInterval(10);
        // Outputs change the notebook without modifying it.
        notebook.setOutputs(2, {});
        autosave.saveNow();
        QTest::qWait(100);
        autosave.waitForDone();
        QVERIFY(!QFileInfo::exists(fileFor(autosave.id(), ".kiln.md")));
        QVERIFY(!QFileInfo::exists(fileFor(autosave.id(), ".json")));
        QVERIFY(!QFileInfo::exists(fileFor(autosave.id(), ".lock")));
    }

    void discardsWhenClean_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("saved") << QStringLiteral("setClean");
        QTest::newRow("undone") << QStringLiteral("undo");
        QTest::newRow("reopened") << QStringLiteral("reset");
        QTest::newRow("closed") << QStringLiteral("destroy");
    }

    void discardsWhenClean()
    {
        QFETCH(QString, how);
        Notebook notebook;
        notebook.reset(sample());
        auto autosave = std::make_unique<Autosave>(&notebook);
        autosave->setInterval(10);
        const QString id = autosave->id();
        notebook.setCellSource(0, editedSource);
        QTRY_VERIFY(QFileInfo::exists(fileFor(id, ".json")));
        QVERIFY(QFileInfo::exists(fileFor(id, ".lock")));

        if (how == QLatin1String("setClean"))
            notebook.setClean();
        else if (how == QLatin1String("undo"))
            notebook.undoStack()->undo();
        else if (how == QLatin1String("reset"))
            notebook.reset(sample());
        else
            autosave.reset();
        if (autosave)
            autosave->waitForDone();
        QVERIFY(!notebook.isModified() || how == QLatin1String("destroy"));
        QVERIFY(!QFileInfo::exists(fileFor(id, ".json")));
        QVERIFY(!QFileInfo::exists(fileFor(id, ".kiln.md")));
        QVERIFY(!QFileInfo::exists(fileFor(id, ".lock")));
    }

    void liveWriterInThisProcessIsNotReported()
    {
        Notebook notebook;
        notebook.reset(sample());
        Autosave autosave(&notebook);
        notebook.setCellSource(0, editedSource);
        autosave.saveNow();
        autosave.waitForDone();
        QVERIFY(QFileInfo::exists(fileFor(autosave.id(), ".json")));
        QVERIFY(!hasEntry(autosave.id()));
        QVERIFY(QFileInfo::exists(fileFor(autosave.id(), ".lock")));
        // Nor can a stray discard remove what a live writer owns.
        RecoveryEntry entry;
        entry.id = autosave.id();
        Autosave::discard(entry);
        QVERIFY(QFileInfo::exists(fileFor(autosave.id(), ".kiln.md")));
    }

    void crashLeavesRecovery()
    {
        QProcess writer;
        const QString id = startWriter(&writer, "--crash-writer");
        QVERIFY2(!id.isEmpty(), writer.readAllStandardError().constData());
        QVERIFY(writer.waitForFinished());
        QCOMPARE(writer.exitCode(), 3);

        QVERIFY(hasEntry(id));
        RecoveryEntry entry;
        for (const RecoveryEntry &candidate : Autosave::pendingRecoveries()) {
            if (candidate.id == id)
                entry = candidate;
        }
        QCOMPARE(entry.originalPath, QStringLiteral("/home/user/lost.kiln.md"));
        QCOMPARE(entry.title, QStringLiteral("Lost work"));
        QVERIFY(entry.savedAt.isValid());
        QVERIFY(qAbs(entry.savedAt.secsTo(QDateTime::currentDateTimeUtc())) < 120);

        NotebookContent recovered;
        QString error;
        QVERIFY2(Autosave::recover(entry, &recovered, &error), qPrintable(error));
        NotebookContent expected = sample();
        expected.cells[2].source = editedSource;
        QCOMPARE(sources(recovered), sources(expected));
        QVERIFY(recovered == expected);

        Autosave::discard(entry);
        QVERIFY(!hasEntry(id));
        QVERIFY(!QFileInfo::exists(entry.recoveryFile));
        QVERIFY(!QFileInfo::exists(fileFor(id, ".json")));
        QVERIFY(!QFileInfo::exists(fileFor(id, ".lock")));
    }

    void liveWriterInAnotherProcessIsNotReported()
    {
        QProcess writer;
        const QString id = startWriter(&writer, "--live-writer");
        QVERIFY2(!id.isEmpty(), writer.readAllStandardError().constData());
        QVERIFY(QFileInfo::exists(fileFor(id, ".json")));
        QVERIFY(!hasEntry(id));
        QVERIFY(!hasEntry(id));  // looking does not steal the lock

        writer.write("\n");
        QVERIFY(writer.waitForFinished());
        QCOMPARE(writer.exitCode(), 3);
        QVERIFY(hasEntry(id));
        for (const RecoveryEntry &entry : Autosave::pendingRecoveries()) {
            if (entry.id == id)
                Autosave::discard(entry);
        }
        QVERIFY(!hasEntry(id));
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc == 2 && qstrcmp(argv[1], "--crash-writer") == 0)
        return runWriter(false);
    if (argc == 2 && qstrcmp(argv[1], "--live-writer") == 0)
        return runWriter(true);
    TestAutosave test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_autosave.moc"
