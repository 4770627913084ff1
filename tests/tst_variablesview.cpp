#include "document/evaluationtracker.h"
#include "document/notebook.h"
#include "document/notebookformat.h"
#include "kernel/runtime.h"
#include "mainwindow.h"
#include "outputview.h"
#include "plotview.h"
#include "tableoutputview.h"
#include "trainingpanel.h"
#include "variablesview.h"

#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace kiln;

class TestVariablesView : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;

    QString writeNotebook(const QString &name, const QStringList &sources)
    {
        NotebookContent content;
        content.title = name;
        for (const QString &source : sources) {
            Cell cell = Cell::make(CellKind::Code);
            cell.source = source;
            content.cells.append(cell);
        }
        const QString path = mDir.filePath(name);
        QString error;
        NotebookFormat::save(path, content, &error);
        return path;
    }

    static bool waitIdle(MainWindow &window)
    {
        return QTest::qWaitFor([&window] { return !window.runtime()->isBusy() && window.runtime()->pendingCount() == 0; },
                               20000);
    }

    static const VariablesView::Variable *find(const QList<VariablesView::Variable> &variables, const QString &name)
    {
        for (const VariablesView::Variable &variable : variables) {
            if (variable.name == name)
                return &variable;
        }
        return nullptr;
    }

    // Every label's text under the detail pane's items, joined.
    static QString detailText(VariablesView *view)
    {
        QStringList texts;
        for (QLabel *label : view->detailView()->findChildren<QLabel *>())
            texts.append(label->text());
        return texts.join(QLatin1Char('\n'));
    }

    template<typename T>
    static bool detailHas(VariablesView *view)
    {
        for (int i = 0; i < view->detailView()->count(); ++i) {
            if (qobject_cast<T *>(view->detailView()->itemView(i)))
                return true;
        }
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        TrainingPanel::setRunStore(mDir.filePath(QStringLiteral("runs")));
    }

    // The records the runtime prints become the view's rows, whatever they hold.
    void parsesListings()
    {
        const QChar field(31), record(30);
        const QString text = QStringList({"x", "tensor", "Tensor", "[2]", "float32", "cpu", "8", "1, 2"}).join(field)
                             + record + QStringLiteral("torn") + field + QStringLiteral("record") + record
                             + QStringList({"n", "number", "integer", "", "", "", "-1", "3"}).join(field) + record;
        const QList<VariablesView::Variable> variables = VariablesView::parseListing(text);
        QCOMPARE(variables.size(), 2);
        QCOMPARE(variables.at(0).bytes, 8);
        QCOMPARE(variables.at(1).bytes, -1);
        QCOMPARE(VariablesView::parseListing(QString()).size(), 0);
        QVERIFY(VariablesView::detailQuery(QStringLiteral("a\"b\n"), QStringLiteral("grid")).contains(QLatin1String("\"a\\\"b\\n\"")));
    }

    // The notebook's own globals, with type, shape, dtype, device, memory and a
    // preview, asked between cells without taking evaluation numbers; Kiln's
    // names, locals and "_" names stay out, a rebound Kiln name comes in.
    void listsTheNotebooksGlobals()
    {
        MainWindow window;
        QVERIFY(window.openFile(writeNotebook(
            QStringLiteral("globals.kiln.md"),
            {"x = torch.arange(12, {dtype = torch.float32}):view(3, 4)\n"
             "w = torch.ones(2, 2, {requires_grad = true})\n"
             "model = nn.Sequential(nn.Linear(4, 3), nn.ReLU())",
             "lr = 0.001\nlocal hidden = 1\n_private = 2\ndata = 5\ns = 'h\\30llo'\nflags = {a = 1, b = 2}\n"
             "bad = setmetatable({}, {__pairs = function() error('no walking me') end})"})));
        window.resize(1366, 768);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *view = window.findChild<VariablesView *>();
        QVERIFY(view);
        QVERIFY(view->findChild<QLabel *>(QStringLiteral("variablesEmpty"))->isVisibleTo(view));
        window.findChild<QDockWidget *>(QStringLiteral("variablesDock"))->show();
        window.runAll();
        QVERIFY(waitIdle(window));
        QTRY_VERIFY_WITH_TIMEOUT(view->variables().size() == 8, 10000);
        const QList<VariablesView::Variable> variables = view->variables();
        QStringList names;
        for (const VariablesView::Variable &variable : variables)
            names.append(variable.name);
        QCOMPARE(names, QStringList({"bad", "data", "flags", "lr", "model", "s", "w", "x"}));
        QCOMPARE(window.tracker()->cellState(window.notebook()->cell(1).id).evaluationNumber, 2);

        const VariablesView::Variable *x = find(variables, QStringLiteral("x"));
        QCOMPARE(x->kind, QStringLiteral("tensor"));
        QCOMPARE(x->shape, QStringLiteral("[3, 4]"));
        QCOMPARE(x->dtype, QStringLiteral("float32"));
        QCOMPARE(x->device, QStringLiteral("cpu"));
        QCOMPARE(x->bytes, 48);
        QCOMPARE(x->preview, QStringLiteral("0, 1, 2, 3, …"));  // the first row: no copy of the rest
        QCOMPARE(find(variables, QStringLiteral("w"))->type, QStringLiteral("Tensor (grad)"));
        const VariablesView::Variable *model = find(variables, QStringLiteral("model"));
        QCOMPARE(model->type, QStringLiteral("Sequential"));
        QCOMPARE(model->preview, QStringLiteral("15 parameters"));
        QCOMPARE(model->bytes, 60);
        QCOMPARE(find(variables, QStringLiteral("lr"))->preview, QStringLiteral("0.001"));
        QCOMPARE(find(variables, QStringLiteral("data"))->type, QStringLiteral("integer"));
        // Control characters (the listing's own separators among them) show escaped.
        QCOMPARE(find(variables, QStringLiteral("s"))->preview, QStringLiteral("\"h\\30llo\""));
        QCOMPARE(find(variables, QStringLiteral("flags"))->shape, QStringLiteral("2 entries"));
        // A value that cannot be walked is listed with why, not dropped.
        const VariablesView::Variable *bad = find(variables, QStringLiteral("bad"));
        QCOMPARE(bad->kind, QStringLiteral("error"));
        QVERIFY2(bad->preview.contains(QLatin1String("no walking me")), qPrintable(bad->preview));

        auto *tree = view->findChild<QTreeWidget *>(QStringLiteral("variablesTree"));
        QCOMPARE(tree->topLevelItemCount(), 8);
        view->findChild<QLineEdit *>(QStringLiteral("variablesFilter"))->setText(QStringLiteral("tens"));
        int shown = 0;
        for (int i = 0; i < tree->topLevelItemCount(); ++i)
            shown += tree->topLevelItem(i)->isHidden() ? 0 : 1;
        QCOMPARE(shown, 2);  // x and w, by their type

        // A later cell refreshes the list.
        window.notebook()->insertCell(2, Cell::make(CellKind::Code));
        window.notebook()->setCellSource(2, QStringLiteral("x = torch.zeros(5, {dtype = torch.int64})\nlr = nil"));
        window.runCell(window.notebook()->cell(2).id, false);
        QVERIFY(waitIdle(window));
        QTRY_VERIFY_WITH_TIMEOUT(find(view->variables(), QStringLiteral("lr")) == nullptr, 10000);
        QCOMPARE(find(view->variables(), QStringLiteral("x"))->shape, QStringLiteral("[5]"));
        QCOMPARE(find(view->variables(), QStringLiteral("x"))->bytes, 40);

        // A restart leaves nothing to list.
        window.runtime()->restart();
        QTRY_VERIFY(view->variables().isEmpty());
    }

    // A selected tensor shows as a grid, an image or a histogram; a module as its
    // tree and parameter table; a value the view cannot draw says why.
    void showsOneVariable()
    {
        MainWindow window;
        QVERIFY(window.openFile(writeNotebook(
            QStringLiteral("detail.kiln.md"),
            {"img = torch.rand(3, 8, 8)\nv = torch.arange(5)\nbig = torch.zeros(1500, 300)\n"
             "net = nn.Sequential(nn.Linear(4, 3), nn.ReLU())\nn = 42\n"
             "show = 'a notebook may rebind Kiln names; the view keeps its own'"})));
        window.resize(1366, 768);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *view = window.findChild<VariablesView *>();
        window.findChild<QDockWidget *>(QStringLiteral("variablesDock"))->show();
        window.runAll();
        QVERIFY(waitIdle(window));
        QTRY_COMPARE_WITH_TIMEOUT(view->variables().size(), 6, 10000);

        view->selectVariable(QStringLiteral("img"));
        QCOMPARE(view->detailMode(), QStringLiteral("grid"));
        QTRY_VERIFY_WITH_TIMEOUT(detailHas<TableOutputView>(view), 10000);
        // [3, 8, 8] as 24 rows of the last dimension.
        QCOMPARE(view->detailView()->findChild<QTableView *>()->model()->rowCount(), 24);
        view->setDetailMode(QStringLiteral("image"));
        QTRY_VERIFY_WITH_TIMEOUT(view->detailView()->count() == 1 && !detailHas<TableOutputView>(view), 10000);
        QVERIFY(!detailHas<PlotView>(view));
        const QString shots = qEnvironmentVariable("KILN_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            QTest::qWait(200);
            window.grab().save(shots + QStringLiteral("/variables-1366x768.png"));
        }
        view->setDetailMode(QStringLiteral("histogram"));
        QTRY_VERIFY_WITH_TIMEOUT(detailHas<PlotView>(view), 10000);

        view->selectVariable(QStringLiteral("v"));
        view->setDetailMode(QStringLiteral("image"));
        QTRY_VERIFY_WITH_TIMEOUT(detailText(view).contains(QLatin1String("is not an image")), 10000);

        view->selectVariable(QStringLiteral("big"));
        view->setDetailMode(QStringLiteral("grid"));
        QTRY_VERIFY_WITH_TIMEOUT(detailText(view).contains(QLatin1String("first 200 of 300 columns")), 10000);
        QCOMPARE(view->detailView()->findChild<QTableView *>()->model()->columnCount(), 200);

        view->selectVariable(QStringLiteral("net"));
        QCOMPARE(view->detailMode(), QString());
        QTRY_VERIFY_WITH_TIMEOUT(detailHas<TableOutputView>(view), 10000);
        QVERIFY(detailText(view).contains(QLatin1String("net: 15 parameters")));
        QCOMPARE(view->detailView()->findChild<QTableView *>()->model()->rowCount(), 2);

        view->selectVariable(QStringLiteral("n"));
        QTRY_COMPARE_WITH_TIMEOUT(view->detailView()->count(), 1, 10000);
        QVERIFY(!detailHas<TableOutputView>(view));
        // None of this took an evaluation number.
        QCOMPARE(window.tracker()->cellState(window.notebook()->cell(0).id).evaluationNumber, 1);
    }

    void cleanupTestCase() {}
};

QTEST_MAIN(TestVariablesView)
#include "tst_variablesview.moc"
