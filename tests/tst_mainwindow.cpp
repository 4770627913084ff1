#include "devicepicker.h"
#include "cellwidget.h"
#include "mainwindow.h"
#include "inferencepanel.h"
#include "modelbrowser.h"
#include "trainingpanel.h"
#include "translations.h"
#include "variablesview.h"
#include "welcomepage.h"
#include "notebookview.h"
#include "document/notebook.h"
#include "luaapi/torchruntime.h"

#include <Qsci/qsciscintilla.h>

#include <QApplication>
#include <QScrollArea>
#include <QScopeGuard>
#include <QHeaderView>
#include <QAbstractItemView>
#include <QCommandLinkButton>
#include <QDockWidget>
#include <QMenu>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QScrollBar>
#include <QTest>
#include <QTreeWidget>
#include <QTranslator>

using namespace kiln;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        static QTemporaryDir runs;
        TrainingPanel::setRunStore(runs.path());
    }

    // Typing in a code cell offers the torch API's names (after 2 characters, on
    // Ctrl+Space and on Tab after a name), a module's methods after `model:`, and
    // the signature once the call's '(' is typed.
    void completionAndCallTips()
    {
        MainWindow window;
        window.resize(1100, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        Notebook *nb = window.notebook();
        nb->setCellSource(0, QStringLiteral("model = nn.Sequential(nn.Linear(4, 2))\nx = torch.ones(3)\n"));
        QsciScintilla *editor = window.notebookView()->cellWidget(nb->cell(0).id)->editor();
        editor->setFocus();
        editor->setCursorPosition(2, 0);
        const auto listEntries = [editor] {
            QStringList entries;
            for (QListWidget *list : editor->findChildren<QListWidget *>()) {
                if (list->isVisible()) {
                    for (int i = 0; i < list->count(); ++i)
                        entries << list->item(i)->text().trimmed();
                }
            }
            return entries;
        };
        const auto typeAndList = [&](const QString &text) {
            editor->cancelList();
            editor->setText(nb->cell(0).source.section(QLatin1Char('\n'), 0, 1) + QLatin1Char('\n'));
            editor->setCursorPosition(2, 0);
            QTest::keyClicks(editor, text);
            QTest::qWait(50);
            return editor->isListActive() ? listEntries() : QStringList();
        };

        QStringList entries = typeAndList(QStringLiteral("torch.zer"));
        QVERIFY2(entries.contains(QStringLiteral("zeros")) && entries.contains(QStringLiteral("zeros_like")), qPrintable(entries.join(QLatin1Char(','))));
        QVERIFY2(!entries.contains(QStringLiteral("zero_")), qPrintable(entries.join(QLatin1Char(','))));
        entries = typeAndList(QStringLiteral("nn.Seq"));
        QVERIFY2(entries.contains(QStringLiteral("Sequential")), qPrintable(entries.join(QLatin1Char(','))));
        entries = typeAndList(QStringLiteral("model:para"));
        QVERIFY2(entries.contains(QStringLiteral("parameters")), qPrintable(entries.join(QLatin1Char(','))));
        entries = typeAndList(QStringLiteral("x:uns"));
        QVERIFY2(entries.contains(QStringLiteral("unsqueeze")), qPrintable(entries.join(QLatin1Char(','))));
        entries = typeAndList(QStringLiteral("mod"));
        QVERIFY2(entries.contains(QStringLiteral("model")), qPrintable(entries.join(QLatin1Char(','))));
        // one character: nothing yet; Ctrl+Space asks
        entries = typeAndList(QStringLiteral("F"));
        QVERIFY(entries.isEmpty());
        QTest::keyClicks(editor, QStringLiteral("."));
        QTest::keyClick(editor, Qt::Key_Space, Qt::ControlModifier);
        QTRY_VERIFY(editor->isListActive());
        QVERIFY(listEntries().contains(QStringLiteral("relu")));
        // Tab after a name completes; Tab at the start of a line indents
        editor->cancelList();
        editor->setText(QStringLiteral("opt"));
        editor->setCursorPosition(0, 3);
        QTest::keyClick(editor, Qt::Key_Tab);
        QTRY_VERIFY(editor->isListActive());
        QVERIFY(listEntries().contains(QStringLiteral("optim")));
        editor->cancelList();
        editor->setText(QString());
        QTest::keyClick(editor, Qt::Key_Tab);
        QVERIFY(!editor->isListActive());
        QCOMPARE(editor->text(), QStringLiteral("  "));
        // the call tip
        editor->setText(QStringLiteral("torch.zeros"));
        editor->setCursorPosition(0, 11);
        editor->cancelList();
        QTest::keyClicks(editor, QStringLiteral("("));
        QTRY_VERIFY(editor->isCallTipActive());
    }

    // kiln with no file: the welcome page offers New, Open, the examples, the
    // recent files and the panels; an example opens as an unsaved notebook.
    void welcomePage()
    {
        MainWindow window;
        window.resize(1024, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.showWelcome();
        QVERIFY(window.isWelcomeShown());
        WelcomePage *page = window.welcomePage();
        QVERIFY(page->isVisible());
        const QString shots = qEnvironmentVariable("KILN_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            QTest::qWait(100);
            window.grab().save(shots + QStringLiteral("/welcome-en-1024x700.png"));
            for (const QString &language : {QStringLiteral("de"), QStringLiteral("ja")}) {
                const QList<QTranslator *> translators = installTranslations(language);
                {
                    MainWindow translated;
                    translated.resize(1366, 768);
                    translated.show();
                    QVERIFY(QTest::qWaitForWindowExposed(&translated));
                    translated.showWelcome();
                    QTest::qWait(100);
                    translated.grab().save(shots + QStringLiteral("/welcome-%1-1366x768.png").arg(language));
                }
                for (QTranslator *translator : translators) {
                    QCoreApplication::removeTranslator(translator);
                    delete translator;
                }
            }
        }
        // The panels open from it.
        auto *models = page->findChild<QCommandLinkButton *>(QStringLiteral("panel:models"));
        QVERIFY(models);
        models->click();
        QTRY_VERIFY(window.findChild<QDockWidget *>(QStringLiteral("modelBrowserDock"))->isVisible());
        // File > Examples lists what the page lists.
        auto *examples = window.findChild<QMenu *>(QStringLiteral("examplesMenu"));
        QVERIFY(examples);
        QCOMPARE(examples->actions().size(), WelcomePage::examples().size());
        auto *tour = page->findChild<QCommandLinkButton *>(QStringLiteral("example:tour.kiln.md"));
        QVERIFY(tour);
        tour->click();
        QVERIFY(!window.isWelcomeShown());
        QCOMPARE(window.notebook()->title(), QStringLiteral("A tour of Kiln"));
        QVERIFY(window.notebook()->filePath().isEmpty());
        QVERIFY(window.notebook()->cellCount() > 10);
        window.showWelcome();
        auto *blank = page->findChild<QCommandLinkButton *>(QStringLiteral("welcomeNew"));
        blank->click();
        QVERIFY(!window.isWelcomeShown());
        QCOMPARE(window.notebook()->cellCount(), 1);
    }

    // Everything the user reads or clicks in `root` that is cut: a label or button
    // narrower than its size hint (a wrapping label shorter than its text needs),
    // a header section narrower than its title, or anything outside the window
    // or sideways outside the scroll area it sits in (scrolling down is fine).
    // Cells inside tables and plots are the item views' own business.
    static QStringList layoutProblems(QWidget *window, QWidget *root)
    {
        QStringList problems;
        const auto describe = [](QWidget *w) {
            QString text;
            if (auto *label = qobject_cast<QLabel *>(w))
                text = label->text();
            else if (auto *button = qobject_cast<QAbstractButton *>(w))
                text = button->text();
            return QStringLiteral("%1 \"%2\" (%3)")
                .arg(QString::fromLatin1(w->metaObject()->className()), text.left(40), w->objectName());
        };
        for (QWidget *w : root->findChildren<QWidget *>()) {
            if (!w->isVisibleTo(window) || w->width() == 0)
                continue;
            bool insideItemView = false;
            for (QWidget *p = w->parentWidget(); p && p != window; p = p->parentWidget())
                insideItemView = insideItemView || qobject_cast<QAbstractItemView *>(p) || p->inherits("QCustomPlot");
            if (insideItemView)
                continue;
            auto *label = qobject_cast<QLabel *>(w);
            auto *button = qobject_cast<QAbstractButton *>(w);
            auto *header = qobject_cast<QHeaderView *>(w);
            if (!label && !button && !header)
                continue;
            if (label && !label->text().isEmpty()) {
                if (label->wordWrap() ? label->height() < label->heightForWidth(label->width())
                                      : label->width() < label->sizeHint().width())
                    problems << QStringLiteral("%1 cut: %2x%3 of %4x%5")
                                    .arg(describe(w))
                                    .arg(w->width())
                                    .arg(w->height())
                                    .arg(label->wordWrap() ? label->width() : label->sizeHint().width())
                                    .arg(label->wordWrap() ? label->heightForWidth(label->width()) : label->sizeHint().height());
            }
            if (button && !button->text().isEmpty() && !button->inherits("QTableCornerButton")
                && w->width() < w->sizeHint().width())
                problems << QStringLiteral("%1 cut: %2 px of %3").arg(describe(w)).arg(w->width()).arg(w->sizeHint().width());
            if (header && header->orientation() == Qt::Horizontal) {
                for (int i = 0; i < header->count(); ++i) {
                    if (!header->isSectionHidden(i) && header->sectionSize(i) < header->sectionSizeHint(i)
                        && !(header->stretchLastSection() && header->visualIndex(i) == header->count() - 1))
                        problems << QStringLiteral("header \"%1\" of %2 cut: %3 px of %4")
                                        .arg(header->model()->headerData(i, Qt::Horizontal).toString(), header->parentWidget()->objectName())
                                        .arg(header->sectionSize(i))
                                        .arg(header->sectionSizeHint(i));
                }
            }
            // Inside the window, and sideways inside every scroll area around it.
            const QRect inWindow(w->mapTo(window, QPoint(0, 0)), w->size());
            bool scrolled = false;
            for (QWidget *p = w->parentWidget(); p && p != window; p = p->parentWidget()) {
                auto *area = qobject_cast<QAbstractScrollArea *>(p->parentWidget());
                if (!area || area->viewport() != p)
                    continue;
                scrolled = true;
                const QRect inViewport(w->mapTo(p, QPoint(0, 0)), w->size());
                if (inViewport.left() < 0 || inViewport.right() >= p->width())
                    problems << QStringLiteral("%1 sideways outside its scroll area").arg(describe(w));
            }
            if (inWindow.left() < 0 || inWindow.right() >= window->width()
                || (!scrolled && (inWindow.top() < 0 || inWindow.bottom() >= window->height())))
                problems << QStringLiteral("%1 outside the window at %2,%3").arg(describe(w)).arg(inWindow.x()).arg(inWindow.y());
        }
        return problems;
    }

    // Every panel at three screen sizes in three languages: the window keeps its
    // size (never taller or wider than the screen it was given), the notebook
    // keeps room to read and edit with no sideways scrolling, every panel's forms
    // wrap and scroll down rather than sideways, and nothing is cut.
    void panelsFitEverySizeAndLanguage_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<QString>("language");
        for (const QString &language : {QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("ja")}) {
            for (const QSize &size : {QSize(1024, 700), QSize(1366, 768), QSize(1920, 1080)}) {
                QTest::addRow("%dx%d %s", size.width(), size.height(), qPrintable(language)) << size << language;
            }
        }
    }

    void panelsFitEverySizeAndLanguage()
    {
        QFETCH(QSize, size);
        QFETCH(QString, language);
        QList<QTranslator *> translators;
        if (language != QLatin1String("en"))
            translators = installTranslations(language);
        const auto removeTranslators = qScopeGuard([&translators] {
            for (QTranslator *translator : translators) {
                QCoreApplication::removeTranslator(translator);
                delete translator;
            }
            QLocale::setDefault(QLocale::c());
        });

        MainWindow window;
        window.resize(size);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // Panels with something in them: a CSV's report with its problems, a Task
        // cell's form, the model browser's Hub section and the inference panel's
        // task form for a Hugging Face model folder.
        window.trainingPanel()->setDataset(QStringLiteral(KILN_TEST_DATA "/csv/missing.csv"));
        window.action(QStringLiteral("actionInsertTask"))->trigger();
        QTemporaryDir hfModel;
        QFile config(hfModel.filePath(QStringLiteral("config.json")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(R"({"model_type": "bert", "architectures": ["BertForSequenceClassification"]})");
        config.close();
        window.inferencePanel()->setTaskModel(hfModel.path());
        auto *modelTree = window.modelBrowser()->findChild<QTreeWidget *>(QStringLiteral("modelTree"));
        modelTree->setCurrentItem(modelTree->findItems(window.modelBrowser()->tr("Hugging Face Hub"), Qt::MatchExactly).value(0));
        const QString shots = qEnvironmentVariable("KILN_SCREENSHOT_DIR");
        QStringList problems;
        for (const char *name : {"outlineDock", "modelBrowserDock", "trainingDock", "inferenceDock", "variablesDock"}) {
            auto *dock = window.findChild<QDockWidget *>(QLatin1String(name));
            dock->show();
            dock->raise();
            QTest::qWait(150);
            QVERIFY2(window.width() <= size.width() && window.height() <= size.height(),
                     qPrintable(QStringLiteral("%1 makes the window %2x%3").arg(QLatin1String(name)).arg(window.width()).arg(window.height())));
            // Layouts settle over a few event loop turns (a form's height follows its
            // width, which follows the scroll bars); slower builds (sanitizers) need more.
            QStringList found = layoutProblems(&window, dock);
            for (int wait = 0; wait < 20 && !found.isEmpty(); ++wait) {
                QTest::qWait(100);
                found = layoutProblems(&window, dock);
            }
            for (const QString &problem : std::as_const(found))
                problems << QLatin1String(name) + QLatin1String(": ") + problem;
            if (auto *scroll = qobject_cast<QScrollArea *>(dock->widget()); scroll && scroll->horizontalScrollBar()->isVisible()) {
                problems << QLatin1String(name) + QLatin1String(" scrolls sideways");
                if (qEnvironmentVariableIsSet("KILN_LAYOUT_DEBUG")) {
                    for (QWidget *w : scroll->widget()->findChildren<QWidget *>()) {
                        if (w->isVisibleTo(&window) && w->minimumSizeHint().width() > scroll->viewport()->width())
                            qWarning() << "too wide:" << w << w->minimumSizeHint() << w->minimumWidth();
                    }
                }
            }
            if (!shots.isEmpty())
                window.grab().save(shots + QStringLiteral("/panels-%1x%2-%3-%4.png").arg(size.width()).arg(size.height()).arg(language, QLatin1String(name)));
        }
        NotebookView *view = window.notebookView();
        const int room = qMin(560, size.width() / 2);
        QVERIFY2(view->width() >= room, qPrintable(QStringLiteral("notebook %1 px wide").arg(view->width())));
        QVERIFY(!view->horizontalScrollBar()->isVisible());
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void opensAndRunsTheTour()
    {
        MainWindow window;
        QVERIFY(window.openFile(QStringLiteral(KILN_EXAMPLES "/tour.kiln.md")));
        const QString shot = qEnvironmentVariable("KILN_SCREENSHOT");
        if (!shot.isEmpty()) {  // the README's picture: the tour run, its globals beside it
            window.resize(1366, 768);
            window.findChild<QDockWidget *>(QStringLiteral("variablesDock"))->show();
        }
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("tour.kiln.md")));
        QVERIFY(window.notebook()->cellCount() > 10);

        // Opening never runs code: no outputs yet.
        for (int i = 0; i < window.notebook()->cellCount(); ++i)
            QVERIFY(window.notebook()->cell(i).outputs.isEmpty());

        QAction *runAll = nullptr;
        for (QAction *action : window.findChildren<QAction *>()) {
            if (action->text().remove(QLatin1Char('&')) == QLatin1String("Run All"))
                runAll = action;
        }
        QVERIFY(runAll);
        runAll->trigger();
        const Notebook *nb = window.notebook();
        QVERIFY(QTest::qWaitFor([nb] {
            const Cell &last = nb->cell(nb->cellCount() - 1);
            return !last.outputs.isEmpty();
        }, 10000));
        QCOMPARE(nb->cell(nb->cellCount() - 1).outputs.constFirst().text, QStringLiteral("\"all good\""));

        bool sawOutput = false;
        for (QPlainTextEdit *output : window.findChildren<QPlainTextEdit *>())
            sawOutput = sawOutput || output->toPlainText() == QLatin1String("7");
        QVERIFY(sawOutput);
        QTest::qWait(300);  // let the layout settle before looking at it
        if (!shot.isEmpty()) {
            auto *variables = window.findChild<VariablesView *>();
            QTRY_VERIFY_WITH_TIMEOUT(!variables->variables().isEmpty(), 10000);
            variables->selectVariable(QStringLiteral("model"));
            for (int i = 0; i < nb->cellCount(); ++i) {
                if (nb->cell(i).source.contains(QLatin1String("A live plot"))) {
                    window.notebookView()->setCurrentCell(nb->cell(i).id);
                    window.notebookView()->scrollToCell(nb->cell(i).id, true);
                }
            }
            QTest::qWait(1000);
            window.grab().save(shot);
        }
        QVERIFY(!window.notebook()->isModified());
    }

    void translationsAreBuiltIn_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("context");
        QTest::addColumn<QString>("source");
        QTest::addColumn<int>("n");  // -1: no plural
        QTest::addColumn<QString>("translation");
        const auto row = [](const char *name, const char *file, const char *context, const char *source, int n,
                            const char *translation) {
            QTest::newRow(name) << QString::fromUtf8(file) << QString::fromUtf8(context) << QString::fromUtf8(source)
                                << n << QString::fromUtf8(translation);
        };
        row("German Run All", ":/kiln/i18n/kiln_de.qm", "kiln::MainWindow", "Run &All", -1, "&Alle ausführen");
        row("German Run All Stale", ":/kiln/i18n/kiln_de.qm", "kiln::MainWindow", "Run All &Stale", -1,
            "Alle &veralteten ausführen");
        row("German View", ":/kiln/i18n/kiln_de.qm", "kiln::MainWindow", "&View", -1, "&Ansicht");
        row("German find bar", ":/kiln/i18n/kiln_de.qm", "kiln::FindBar", "Replace All", -1, "Alle ersetzen");
        row("German one row", ":/kiln/i18n/kiln_de.qm", "kiln::TableOutputView", "%n rows", 1, "%n Zeile");
        row("German rows", ":/kiln/i18n/kiln_de.qm", "kiln::TableOutputView", "%n rows", 3, "%n Zeilen");
        row("Japanese Run All", ":/kiln/i18n/kiln_ja.qm", "kiln::MainWindow", "Run &All", -1, "すべて実行(&A)");
        row("Japanese Run All Stale", ":/kiln/i18n/kiln_ja.qm", "kiln::MainWindow", "Run All &Stale", -1,
            "要再実行のセルをすべて実行(&S)");
        row("Japanese View", ":/kiln/i18n/kiln_ja.qm", "kiln::MainWindow", "&View", -1, "表示(&V)");
        row("Japanese plot", ":/kiln/i18n/kiln_ja.qm", "kiln::PlotView", "Smoothing", -1, "平滑化");
        row("Japanese rows", ":/kiln/i18n/kiln_ja.qm", "kiln::TableOutputView", "%n rows", 3, "%n 行");
        row("German device", ":/kiln/i18n/kiln_de.qm", "kiln::TrainingPanel", "Device", -1, "Gerät");
        row("Japanese device", ":/kiln/i18n/kiln_ja.qm", "kiln::InferencePanel", "Device", -1, "デバイス");
    }

    void translationsAreBuiltIn()
    {
        QFETCH(QString, file);
        QFETCH(QString, context);
        QFETCH(QString, source);
        QFETCH(int, n);
        QFETCH(QString, translation);
        QTranslator translator;
        QVERIFY(translator.load(file));
        QCOMPARE(translator.translate(context.toUtf8().constData(), source.toUtf8().constData(), nullptr, n),
                 translation);
    }

    // Qt's own dialogs speak the chosen language too (Debian's qt6-translations-l10n,
    // which scripts/install-deps.sh installs), as does QScintilla's context menu.
    void qtDialogsAreTranslated()
    {
        const QList<QTranslator *> german = installTranslations(QStringLiteral("de"));
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("Abbrechen"));
        QCOMPARE(QCoreApplication::translate("kiln::PlotView", "Smoothing"), QStringLiteral("Glättung"));
        for (QTranslator *translator : german) {
            QCoreApplication::removeTranslator(translator);
            delete translator;
        }
        const QList<QTranslator *> japanese = installTranslations(QStringLiteral("ja"));
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("キャンセル"));
        for (QTranslator *translator : japanese) {
            QCoreApplication::removeTranslator(translator);
            delete translator;
        }
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("Cancel"));
    }

    // GPU memory shows in the status bar only while the panels hold some; with no
    // GPU (or nothing on it) the label stays hidden.
    void gpuMemoryInTheStatusBar()
    {
        MainWindow window;
        auto *label = window.findChild<QLabel *>(QStringLiteral("gpuMemory"));
        QVERIFY(label);
        QTest::qWait(500);  // a few status updates
        QVERIFY(label->isHidden());

        QLocale::setDefault(QLocale::c());
        QCOMPARE(DevicePicker::memoryText(qint64(1288490189)), QStringLiteral("1.2 GiB"));
        QCOMPARE(DevicePicker::memoryText(qint64(150) << 30), QStringLiteral("150.0 GiB"));
        QCOMPARE(DevicePicker::memoryText(300 << 20), QStringLiteral("300 MiB"));
        QCOMPARE(DevicePicker::memoryText(1), QStringLiteral("1 MiB"));  // something held never reads as nothing
        QLocale::setDefault(QLocale::system());
    }

    void editsGoOnTheUndoStack()
    {
        MainWindow window;
        QVERIFY(window.openFile(QStringLiteral(KILN_EXAMPLES "/tour.kiln.md")));
        int codeIndex = -1;
        for (int i = 0; i < window.notebook()->cellCount() && codeIndex < 0; ++i) {
            if (window.notebook()->cell(i).kind == CellKind::Code)
                codeIndex = i;
        }
        window.notebook()->setCellSource(codeIndex, QStringLiteral("40 + 2"));
        QVERIFY(window.notebook()->isModified());
        QVERIFY(window.windowTitle().contains(QLatin1Char('*')));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
