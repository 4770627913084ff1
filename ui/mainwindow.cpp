#include "mainwindow.h"

#include "document/autosave.h"
#include "cellwidget.h"
#include "devicepicker.h"
#include "document/evaluationtracker.h"
#include "document/lualiteral.h"
#include "findbar.h"
#include "inferencepanel.h"
#include "luacompletion.h"
#include "modelbrowser.h"
#include "document/notebook.h"
#include "document/notebookformat.h"
#include "notebookview.h"
#include "preferencesdialog.h"
#include "kernel/runtime.h"
#include "settings.h"
#include "luaapi/torchruntime.h"
#include "trainingpanel.h"
#include "variablesview.h"
#include "welcomepage.h"
#include "versioninfo.h"

#include <Qsci/qsciscintilla.h>

#include <QLocale>
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

#include <exception>

#include <unistd.h>

// The main window: one notebook, its editors, docks (outline, training,
// inference, model browser), menus, actions and status bar. Reading and
// writing notebooks is in mainwindowfiles.cpp; editing and running cells, and
// the runtime's signals, in mainwindowcells.cpp.

namespace kiln {

namespace {

// Resident memory of this process, from /proc (Linux).
qint64 residentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() * sysconf(_SC_PAGESIZE) : -1;
}

// Bytes this process's tensors hold on GPU `index`. libtorch's allocator throws
// until the process first puts a tensor on a GPU; that means nothing is held.
qint64 gpuBytes(int index)
{
    try {
        return torchruntime::gpuMemoryAllocated(index);
    } catch (const std::exception &) {
        return 0;
    }
}

// The reference page, for completion and call tips.
QString apiReference()
{
    QFile reference(QStringLiteral(":/kiln/docs/lua-api.md"));
    return reference.open(QIODevice::ReadOnly) ? QString::fromUtf8(reference.readAll()) : QString();
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , mNotebook(new Notebook(this))
    , mRuntime(new Runtime(this))
    , mTracker(new EvaluationTracker(mNotebook, this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setAcceptDrops(true);
    static const bool signaturesLoaded = [] {
        LuaCompletion::setReference(apiReference());
        return true;
    }();
    Q_UNUSED(signaturesLoaded);
    // Per delivery (30 a second): a flood beyond this cannot be read anyway, and
    // laying out more text per frame would stall the window.
    mRuntime->setMaxBufferedText(64 << 10);

    NotebookContent empty;
    empty.title = tr("Untitled notebook");
    empty.cells.append(Cell::make(CellKind::Code));
    mNotebook->reset(empty);

    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    mView = new NotebookView(mNotebook, mTracker, central);
    centralLayout->addWidget(mView, 1);
    mFindBar = new FindBar(mNotebook, mView, central);
    mFindBar->hide();
    centralLayout->addWidget(mFindBar);
    mPages = new QStackedWidget(this);
    // The notebook keeps room to read and edit however many panels are open.
    mPages->setMinimumWidth(480);
    mPages->addWidget(central);
    mWelcome = new WelcomePage(mPages);
    mPages->addWidget(mWelcome);
    setCentralWidget(mPages);
    connect(mWelcome, &WelcomePage::newRequested, this, &MainWindow::newNotebook);
    connect(mWelcome, &WelcomePage::openRequested, this, &MainWindow::openDialog);
    connect(mWelcome, &WelcomePage::fileRequested, this, [this](const QString &path) {
        if (maybeSave())
            openFile(path);
    });
    connect(mWelcome, &WelcomePage::exampleRequested, this, [this](const QString &path) {
        if (maybeSave())
            openExample(path);
    });
    connect(mWelcome, &WelcomePage::panelRequested, this, [this](const QString &panel) {
        showPanel(panel == QLatin1String("models") ? QStringLiteral("modelBrowserDock") : panel + QLatin1String("Dock"));
    });

    createActions();
    createDocks();
    createStatusBar();

    connect(mView, &NotebookView::runRequested, this, &MainWindow::runCell);
    connect(mView, &NotebookView::runStaleRequested, this, &MainWindow::runAllStale);
    connect(mView, &NotebookView::codeDropped, this, &MainWindow::insertCodeCell);
    connect(mView, &NotebookView::insertRequested, this,
            [this](bool above, bool markdown) {
                // From command mode (a, b) the new cell is selected, not edited, as in Jupyter.
                insertCell(above, markdown ? CellKind::Markdown : CellKind::Code, false);
            });
    connect(mView, &NotebookView::deleteRequested, this, &MainWindow::deleteCurrentCell);
    connect(mView, &NotebookView::restoreRequested, this, &MainWindow::restoreDeletedCell);
    connect(mView, &NotebookView::convertRequested, this,
            [this](bool markdown) { convertCurrentCell(markdown ? CellKind::Markdown : CellKind::Code); });

    connect(mNotebook, &Notebook::modifiedChanged, this, &MainWindow::updateTitle);
    connect(mNotebook, &Notebook::filePathChanged, this, &MainWindow::updateTitle);
    connect(mNotebook, &Notebook::titleChanged, this, &MainWindow::updateTitle);
    connect(mNotebook, &Notebook::changed, this, &MainWindow::updateOutline);

    connect(mRuntime, &Runtime::started, this, &MainWindow::onStarted);
    connect(mRuntime, &Runtime::outputReady, this, &MainWindow::onOutput);
    connect(mRuntime, &Runtime::finished, this, &MainWindow::onFinished);
    connect(mRuntime, &Runtime::idle, this, [this] {
        mRunningCell.clear();
        updateStatus();
        queryNotebookModels();
        queryVariables();
    });
    connect(mRuntime, &Runtime::restarted, this,
            [this] { onRuntimeLost(tr("Runtime restarted: every cell that ran is now stale")); });
    // The kernel died (a crash, the memory limit, Force Stop): the window stays,
    // the running cell shows why, and the next run starts a fresh kernel.
    connect(mRuntime, &Runtime::stopped, this, [this](const QString &reason) {
        onRuntimeLost(tr("%1. Every cell that ran is now stale; the next run starts a fresh runtime.").arg(reason));
    });
    connect(mRuntime, &Runtime::interruptUnanswered, this, [this] {
        // A short message beside the button (the status bar is narrow at small
        // sizes); the whole story is the button's tooltip.
        mForceStopButton->setToolTip(tr("The cell did not stop within %1 s of Interrupt. Force Stop ends its runtime; "
                                         "its variables are lost.")
                                         .arg(Runtime::kInterruptGraceMs / 1000));
        mForceStopButton->show();
        statusBar()->showMessage(tr("Not responding to Interrupt"));
    });
    applyRuntimePreferences();
    // A kernel starts while the window opens, so the first cell runs at once.
    QTimer::singleShot(0, mRuntime, &Runtime::warmUp);

    // A copy of unsaved work every few seconds, for recovery after a crash.
    mAutosave = new Autosave(mNotebook, this);
    mAutosave->setInterval(qMax(1, prefs::autosaveInterval.get()) * 1000);

    resize(1100, 800);
    restoreGeometry(prefs::windowGeometry.get());
    restoreState(prefs::windowState.get());
    updateTitle();
    updateOutline();
}

MainWindow::~MainWindow() = default;

QAction *MainWindow::addAction(QMenu *menu, const QString &name, const QString &text, const QKeySequence &shortcut)
{
    auto *action = new QAction(text, this);
    action->setObjectName(name);
    if (!shortcut.isEmpty())
        action->setShortcut(shortcut);
    menu->addAction(action);
    return action;
}

QAction *MainWindow::action(const QString &name) const
{
    return findChild<QAction *>(name);
}

void MainWindow::createActions()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    connect(addAction(fileMenu, QStringLiteral("actionNew"), tr("&New"), QKeySequence::New), &QAction::triggered, this,
            &MainWindow::newNotebook);
    connect(addAction(fileMenu, QStringLiteral("actionOpen"), tr("&Open…"), QKeySequence::Open), &QAction::triggered,
            this, &MainWindow::openDialog);
    mRecentMenu = fileMenu->addMenu(tr("Open &Recent"));
    QMenu *examplesMenu = fileMenu->addMenu(tr("E&xamples"));
    examplesMenu->setObjectName(QStringLiteral("examplesMenu"));
    for (const WelcomePage::Example &example : WelcomePage::examples()) {
        QAction *open = examplesMenu->addAction(example.title);
        open->setToolTip(example.summary);
        connect(open, &QAction::triggered, this, [this, path = example.path] {
            if (maybeSave())
                openExample(path);
        });
    }
    connect(addAction(fileMenu, QStringLiteral("actionWelcome"), tr("&Welcome Page")), &QAction::triggered, this,
            &MainWindow::showWelcome);
    connect(mRecentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    connect(addAction(fileMenu, QStringLiteral("actionSave"), tr("&Save"), QKeySequence::Save), &QAction::triggered,
            this, &MainWindow::save);
    connect(addAction(fileMenu, QStringLiteral("actionSaveAs"), tr("Save &As…"), QKeySequence::SaveAs),
            &QAction::triggered, this, &MainWindow::saveAs);
    // Outputs stay out of the file unless the notebook keeps them (persist_outputs):
    // the option, and a one-off Save that turns it on.
    connect(addAction(fileMenu, QStringLiteral("actionSaveWithOutputs"), tr("Save &with Outputs")), &QAction::triggered,
            this, [this] {
                mNotebook->setPersistOutputs(true);
                save();
            });
    QAction *keepOutputs = addAction(fileMenu, QStringLiteral("actionKeepOutputs"), tr("&Keep Outputs in the File"));
    keepOutputs->setCheckable(true);
    keepOutputs->setToolTip(tr("Save each cell's outputs with the notebook (as HTML comments Markdown viewers hide)"));
    connect(keepOutputs, &QAction::toggled, this, [this](bool keep) {
        if (mNotebook->content().persistOutputs() != keep)
            mNotebook->setPersistOutputs(keep);
    });
    connect(fileMenu, &QMenu::aboutToShow, this, [this, keepOutputs] {
        const QSignalBlocker blocker(keepOutputs);
        keepOutputs->setChecked(mNotebook->content().persistOutputs());
    });
    connect(addAction(fileMenu, QStringLiteral("actionExportMarkdown"), tr("&Export as Markdown with Outputs…")),
            &QAction::triggered, this, &MainWindow::exportMarkdownDialog);
    fileMenu->addSeparator();
    connect(addAction(fileMenu, QStringLiteral("actionQuit"), tr("&Quit"), QKeySequence::Quit), &QAction::triggered,
            this, &QWidget::close);

    QMenu *editMenu = menuBar()->addMenu(tr("&Edit"));
    QAction *undo = mNotebook->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setObjectName(QStringLiteral("actionUndo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = mNotebook->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setObjectName(QStringLiteral("actionRedo"));
    redo->setShortcut(QKeySequence::Redo);
    editMenu->addAction(undo);
    editMenu->addAction(redo);
    editMenu->addSeparator();
    QAction *preferences = addAction(editMenu, QStringLiteral("actionPreferences"), tr("&Preferences..."),
                                     QKeySequence::Preferences);
    preferences->setMenuRole(QAction::PreferencesRole);
    connect(preferences, &QAction::triggered, this, &MainWindow::showPreferences);
    editMenu->addSeparator();
    connect(addAction(editMenu, QStringLiteral("actionInsertAbove"), tr("Insert Code Cell &Above")),
            &QAction::triggered, this, [this] { insertCell(true, CellKind::Code); });
    connect(addAction(editMenu, QStringLiteral("actionInsertBelow"), tr("Insert Code Cell &Below")),
            &QAction::triggered, this, [this] { insertCell(false, CellKind::Code); });
    connect(addAction(editMenu, QStringLiteral("actionInsertMarkdown"), tr("Insert &Markdown Cell Below")),
            &QAction::triggered, this, [this] { insertCell(false, CellKind::Markdown); });
    connect(addAction(editMenu, QStringLiteral("actionInsertSection"), tr("Insert &Section Below")),
            &QAction::triggered, this, [this] { insertCell(false, CellKind::Section); });
    connect(addAction(editMenu, QStringLiteral("actionInsertTask"), tr("Insert &Task Cell Below")),
            &QAction::triggered, this, [this] { insertTaskCell(); });
    connect(addAction(editMenu, QStringLiteral("actionDeleteCell"), tr("&Delete Cell"),
                      QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D)),
            &QAction::triggered, this, &MainWindow::deleteCurrentCell);
    connect(addAction(editMenu, QStringLiteral("actionRestoreCell"), tr("Restore Deleted &Cell")), &QAction::triggered,
            this, &MainWindow::restoreDeletedCell);
    connect(addAction(editMenu, QStringLiteral("actionMoveUp"), tr("Move Cell &Up"), QKeySequence(Qt::ALT | Qt::Key_Up)),
            &QAction::triggered, this, [this] { moveCurrentCell(-1); });
    connect(addAction(editMenu, QStringLiteral("actionMoveDown"), tr("Move Cell Do&wn"),
                      QKeySequence(Qt::ALT | Qt::Key_Down)),
            &QAction::triggered, this, [this] { moveCurrentCell(1); });
    connect(addAction(editMenu, QStringLiteral("actionSplit"), tr("S&plit Cell at Cursor"),
                      QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Minus)),
            &QAction::triggered, this, &MainWindow::splitCurrentCell);
    connect(addAction(editMenu, QStringLiteral("actionMerge"), tr("Merge with &Next Cell"),
                      QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M)),
            &QAction::triggered, this, &MainWindow::mergeWithNext);
    connect(addAction(editMenu, QStringLiteral("actionToCode"), tr("Convert to C&ode")), &QAction::triggered, this,
            [this] { convertCurrentCell(CellKind::Code); });
    connect(addAction(editMenu, QStringLiteral("actionToMarkdown"), tr("Convert to Mar&kdown")), &QAction::triggered,
            this, [this] { convertCurrentCell(CellKind::Markdown); });
    editMenu->addSeparator();
    connect(addAction(editMenu, QStringLiteral("actionFind"), tr("&Find and Replace…"), QKeySequence::Find),
            &QAction::triggered, this, [this] { mFindBar->activate(); });

    QMenu *runMenu = menuBar()->addMenu(tr("&Run"));
    QAction *runCellAction = addAction(runMenu, QStringLiteral("actionRunCell"), tr("Run &Cell"),
                                       QKeySequence(Qt::CTRL | Qt::Key_Return));
    connect(runCellAction, &QAction::triggered, this, [this] { runCell(mView->currentCellId(), false); });
    QAction *runAdvance = addAction(runMenu, QStringLiteral("actionRunAdvance"), tr("Run Cell and &Advance"),
                                    QKeySequence(Qt::SHIFT | Qt::Key_Return));
    connect(runAdvance, &QAction::triggered, this, [this] { runCell(mView->currentCellId(), true); });
    // The editors and the view handle these keys themselves; the shortcuts are shown in the menu.
    runCellAction->setShortcutContext(Qt::WidgetShortcut);
    runAdvance->setShortcutContext(Qt::WidgetShortcut);
    QAction *runAllAction = addAction(runMenu, QStringLiteral("actionRunAll"), tr("Run &All"));
    connect(runAllAction, &QAction::triggered, this, &MainWindow::runAll);
    QAction *runStale = addAction(runMenu, QStringLiteral("actionRunStale"), tr("Run All &Stale"),
                                  QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return));
    connect(runStale, &QAction::triggered, this, &MainWindow::runAllStale);
    runMenu->addSeparator();
    QAction *interrupt = addAction(runMenu, QStringLiteral("actionInterrupt"), tr("&Interrupt"),
                                   QKeySequence(Qt::CTRL | Qt::Key_Period));
    connect(interrupt, &QAction::triggered, this, [this] {
        mRuntime->interrupt();
        mRuntime->cancelPending();
    });
    QAction *forceStop = addAction(runMenu, QStringLiteral("actionForceStop"), tr("&Force Stop"));
    forceStop->setToolTip(tr("End the runtime of a cell that does not answer Interrupt (its variables are lost)"));
    connect(forceStop, &QAction::triggered, mRuntime, &Runtime::forceStop);
    QAction *restart = addAction(runMenu, QStringLiteral("actionRestart"), tr("&Restart Runtime"));
    connect(restart, &QAction::triggered, this, &MainWindow::restartRuntime);
    connect(addAction(runMenu, QStringLiteral("actionRestartRunAll"), tr("Restart and Run A&ll")),
            &QAction::triggered, this, &MainWindow::restartAndRunAll);

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->setObjectName(QStringLiteral("viewMenu"));

    QMenu *language = viewMenu->addMenu(tr("&Language"));
    language->setObjectName(QStringLiteral("languageMenu"));
    auto *languages = new QActionGroup(language);
    const QList<QPair<QString, QString>> choices = {{QString(), tr("System language")},
                                                    {QStringLiteral("en"), QStringLiteral("English")},
                                                    {QStringLiteral("de"), QStringLiteral("Deutsch")},
                                                    {QStringLiteral("ja"), QStringLiteral("日本語")}};
    for (const auto &[code, name] : choices) {
        QAction *choice = language->addAction(name);
        choice->setCheckable(true);
        choice->setChecked(prefs::language.get() == code);
        choice->setData(code);
        languages->addAction(choice);
        connect(choice, &QAction::triggered, this, [this, code = code] {
            prefs::language.set(code);
            QMessageBox::information(this, tr("Language"), tr("Kiln will use the new language from its next start."));
        });
    }
    viewMenu->addSeparator();

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    connect(addAction(helpMenu, QStringLiteral("actionShortcuts"), tr("&Keyboard Shortcuts"),
                      QKeySequence(Qt::CTRL | Qt::Key_Slash)),
            &QAction::triggered, this, &MainWindow::showShortcuts);
    connect(addAction(helpMenu, QStringLiteral("actionAbout"), tr("&About Kiln")), &QAction::triggered, this,
            &MainWindow::showAbout);

    // Toolbar buttons get short labels without accelerators (Japanese menus
    // write those as "(&O)", which a button would show).
    const QList<QPair<QString, QString>> buttonTexts = {
        {QStringLiteral("actionOpen"), tr("Open")},           {QStringLiteral("actionSave"), tr("Save")},
        {QStringLiteral("actionRunAdvance"), tr("Run")},      {QStringLiteral("actionRunAll"), tr("Run All")},
        {QStringLiteral("actionRunStale"), tr("Run Stale")},  {QStringLiteral("actionInterrupt"), tr("Interrupt")},
        {QStringLiteral("actionRestart"), tr("Restart")},
    };
    for (const auto &[name, text] : buttonTexts)
        action(name)->setIconText(text);
    QToolBar *toolBar = addToolBar(tr("Notebook"));
    toolBar->setObjectName(QStringLiteral("notebookToolBar"));
    toolBar->addAction(action(QStringLiteral("actionOpen")));
    toolBar->addAction(action(QStringLiteral("actionSave")));
    toolBar->addSeparator();
    toolBar->addAction(runAdvance);
    toolBar->addAction(runAllAction);
    toolBar->addAction(runStale);
    toolBar->addAction(interrupt);
    toolBar->addAction(restart);
    viewMenu->addAction(toolBar->toggleViewAction());
}

void MainWindow::createDocks()
{
    QMenu *viewMenu = findChild<QMenu *>(QStringLiteral("viewMenu"));
    auto *outlineDock = new QDockWidget(tr("Outline"), this);
    outlineDock->setObjectName(QStringLiteral("outlineDock"));
    mOutline = new QListWidget(outlineDock);
    // A heading picked in the outline goes to the top of the view, as in a document.
    const auto goToHeading = [this](QListWidgetItem *item) {
        const QString cellId = item->data(Qt::UserRole).toString();
        mView->setCurrentCell(cellId);
        mView->scrollToCell(cellId, true);
    };
    connect(mOutline, &QListWidget::itemActivated, this, goToHeading);
    connect(mOutline, &QListWidget::itemClicked, this, goToHeading);
    outlineDock->setWidget(mOutline);
    addDockWidget(Qt::LeftDockWidgetArea, outlineDock);
    fitWhenShown(outlineDock);
    viewMenu->addAction(outlineDock->toggleViewAction());

    // The panels start hidden; View shows them, and the layout a user arranges is
    // saved and restored with the window.
    const auto addPanel = [this, viewMenu](const char *name, const QString &title, QWidget *panel,
                                           Qt::DockWidgetArea area) {
        auto *dock = new QDockWidget(title, this);
        dock->setObjectName(QLatin1String(name));
        // The panel scrolls when its dock is narrower than it would like, so
        // opening a panel never crushes the notebook or grows the window past
        // the screen: the panels give way.
        auto *scroll = new QScrollArea(dock);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        panel->setParent(scroll);
        scroll->setWidget(panel);
        dock->setWidget(scroll);
        dock->setMinimumWidth(200);
        scroll->setMinimumWidth(180);
        addDockWidget(area, dock);
        fitWhenShown(dock);
        dock->hide();
        viewMenu->addAction(dock->toggleViewAction());
        return dock;
    };

    mModelBrowser = new ModelBrowser;
    connect(mModelBrowser, &ModelBrowser::trainRequested, this, [this](const QString &id) {
        mTrainingPanel->chooseModel(id);
        showPanel(QStringLiteral("trainingDock"));
    });
    connect(mModelBrowser, &ModelBrowser::sendToInferenceRequested, this, &MainWindow::sendToInference);
    connect(mModelBrowser, &ModelBrowser::insertCodeRequested, this, &MainWindow::insertCodeCell);
    connect(mModelBrowser, &ModelBrowser::taskCellRequested, this, [this](const QJsonObject &settings) { insertTaskCell(settings); });
    connect(mModelBrowser, &ModelBrowser::hubActivity, this, [this](const QString &message) {
        if (message.isEmpty())
            statusBar()->clearMessage();
        else
            statusBar()->showMessage(message);
    });
    QDockWidget *browserDock = addPanel("modelBrowserDock", tr("Models"), mModelBrowser, Qt::LeftDockWidgetArea);
    connect(browserDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible)
            queryNotebookModels();
    });

    // A notebook model reaches the inference and training panels as TorchScript,
    // traced by the runtime on zeros of the example shape, into a temporary folder.
    const auto exportNotebookModel = [this](const QString &name, const QString &shape, bool forTraining) {
        static QTemporaryDir exports;
        mExportPath = exports.filePath(QStringLiteral("%1-%2.pt").arg(name).arg(QDateTime::currentMSecsSinceEpoch()));
        mExportForTraining = forTraining;
        QString sizes;
        for (const QString &size : shape.split(QLatin1Char(','), Qt::SkipEmptyParts))
            sizes += (sizes.isEmpty() ? QString() : QStringLiteral(", ")) + QString::number(size.trimmed().toLongLong());
        mRuntime->evaluate(QStringLiteral("__kiln:export"),
                           QStringLiteral("local m = _G[%1]\n"
                                          "assert(nn.is_module(m), 'not a module')\n"
                                          "m:eval()\n"
                                          "torch.jit.trace(m, torch.zeros({%2})):save(%3)\n")
                               .arg(luaStringLiteral(name), sizes, luaStringLiteral(mExportPath)));
    };

    mTrainingPanel = new TrainingPanel;
    connect(mTrainingPanel, &TrainingPanel::sendToInferenceRequested, this, &MainWindow::sendToInference);
    connect(mTrainingPanel, &TrainingPanel::notebookModelRequested, this,
            [exportNotebookModel](const QString &name, const QString &shape) { exportNotebookModel(name, shape, true); });
    QDockWidget *trainingDock = addPanel("trainingDock", tr("Training"), mTrainingPanel, Qt::RightDockWidgetArea);
    connect(trainingDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible)
            queryNotebookModels();
    });

    mInferencePanel = new InferencePanel;
    connect(mInferencePanel, &InferencePanel::notebookModelRequested, this,
            [exportNotebookModel](const QString &name, const QString &shape) { exportNotebookModel(name, shape, false); });
    QDockWidget *inferenceDock = addPanel("inferenceDock", tr("Inference"), mInferencePanel, Qt::RightDockWidgetArea);
    mVariablesView = new VariablesView;
    connect(mVariablesView, &VariablesView::detailRequested, this, &MainWindow::queryVariableDetail);
    QDockWidget *variablesDock = addPanel("variablesDock", tr("Variables"), mVariablesView, Qt::RightDockWidgetArea);
    connect(variablesDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible)
            queryVariables();
    });

    // One column each side, panels as tabs: two panels open never stack into a
    // window taller than the screen.
    tabifyDockWidget(trainingDock, inferenceDock);
    tabifyDockWidget(inferenceDock, variablesDock);
    tabifyDockWidget(findChild<QDockWidget *>(QStringLiteral("outlineDock")), browserDock);
}

void MainWindow::showPanel(const QString &dockName)
{
    if (auto *dock = findChild<QDockWidget *>(dockName)) {
        dock->show();
        dock->raise();
    }
}

// Each time the dock is shown, after the layout has placed it.
void MainWindow::fitWhenShown(QDockWidget *dock)
{
    connect(dock, &QDockWidget::visibilityChanged, this, [this, dock](bool visible) {
        if (visible)
            QTimer::singleShot(0, this, [this, dock] { fitDock(dock); });
    });
}

// A fair share of the window for a panel's side, whatever the panel would like:
// a third with panels on one side, a fifth each with panels on both, so the
// notebook keeps the larger part (about 600 px at 1024).
void MainWindow::fitDock(QDockWidget *dock)
{
    if (!dock->isVisible() || dock->isFloating())
        return;
    const Qt::DockWidgetArea side = dockWidgetArea(dock);
    bool bothSides = false;
    for (QDockWidget *other : findChildren<QDockWidget *>()) {
        const Qt::DockWidgetArea area = dockWidgetArea(other);
        if (other->isVisible() && !other->isFloating() && area != side
            && (area == Qt::LeftDockWidgetArea || area == Qt::RightDockWidgetArea))
            bothSides = true;
    }
    const int share = width() / (bothSides ? 5 : 3);
    resizeDocks({dock}, {qMax(dock->minimumWidth(), qMin(dock->sizeHint().width(), share))}, Qt::Horizontal);
}

void MainWindow::sendToInference(const QString &modelPath)
{
    mInferencePanel->setModel(modelPath);
    showPanel(QStringLiteral("inferenceDock"));
}

void MainWindow::insertCodeCell(const QString &code)
{
    insertCell(false, CellKind::Code);
    mNotebook->setCellSource(mView->currentIndex(), code);
}

void MainWindow::createStatusBar()
{
    mRuntimeState = new QLabel(this);
    mElapsed = new QLabel(this);
    mMemory = new QLabel(this);
    mGpuMemory = new QLabel(this);
    mGpuMemory->setObjectName(QStringLiteral("gpuMemory"));
    mGpuMemory->setToolTip(tr("GPU memory held by the training and inference panels' tensors"));
    mGpuMemory->hide();
    mSandboxState = new QLabel(this);
    mSandboxState->setObjectName(QStringLiteral("sandboxState"));
    mForceStopButton = new QToolButton(this);
    mForceStopButton->setObjectName(QStringLiteral("forceStopButton"));
    mForceStopButton->setDefaultAction(action(QStringLiteral("actionForceStop")));
    mForceStopButton->hide();
    statusBar()->addPermanentWidget(mForceStopButton);
    statusBar()->addPermanentWidget(mElapsed);
    statusBar()->addPermanentWidget(mRuntimeState);
    statusBar()->addPermanentWidget(mMemory);
    statusBar()->addPermanentWidget(mSandboxState);
    statusBar()->addPermanentWidget(mGpuMemory);
    mStatusTimer = new QTimer(this);
    mStatusTimer->setInterval(200);
    connect(mStatusTimer, &QTimer::timeout, this, &MainWindow::updateStatus);
    mStatusTimer->start();

    updateStatus();
}

void MainWindow::updateStatus()
{
    if (!mRuntime->isBusy())
        mForceStopButton->hide();
    action(QStringLiteral("actionForceStop"))->setEnabled(mRuntime->isBusy());
    if (mRuntime->state() == Runtime::State::Starting) {
        mRuntimeState->setText(tr("Runtime: starting"));
        mElapsed->clear();
    } else if (mRunningCell.isEmpty()) {
        mRuntimeState->setText(mRuntime->pendingCount() > 0 ? tr("Runtime: busy") : tr("Runtime: idle"));
        mElapsed->clear();
    } else {
        const EvaluationTracker::CellState state = mTracker->cellState(mRunningCell);
        const qint64 ms = state.startedAt.msecsTo(QDateTime::currentDateTimeUtc());
        const int queued = mRuntime->pendingCount();
        mRuntimeState->setText(queued > 0 ? tr("Runtime: busy, %n queued", nullptr, queued) : tr("Runtime: busy"));
        // Counted among code cells, as a reader counts the cells that run.
        const int index = mNotebook->indexOf(mRunningCell);
        int codeCell = 0;
        for (int i = 0; i <= index; ++i)
            codeCell += mNotebook->cell(i).kind == CellKind::Code ? 1 : 0;
        mElapsed->setText(tr("code cell %1 running for %2 s").arg(codeCell).arg(QLocale().toString(double(ms) / 1000.0, 'f', 1)));
        if (CellWidget *widget = mView->cellWidget(mRunningCell))
            widget->showState(state);
    }
    const qint64 bytes = residentBytes();
    const qint64 kernelBytes = mRuntime->kernelMemory();
    if (bytes >= 0 && kernelBytes >= 0)
        mMemory->setText(tr("Memory: %1 MB, runtime %2 MB").arg(bytes >> 20).arg(kernelBytes >> 20));
    else if (bytes >= 0)
        mMemory->setText(tr("Memory: %1 MB").arg(bytes >> 20));
    mMemory->setToolTip(tr("Resident memory of the window and of the notebook's runtime process"));
    // What the kernel's sandbox holds, as the kernel itself reported it.
    const QString sandbox = mRuntime->sandboxDescription();
    if (!sandbox.isEmpty() && mSandboxState->toolTip() != sandbox) {
        const bool limited = mRuntime->sandboxStatus().limitsWrites();
        mSandboxState->setText(limited ? tr("Sandboxed") : tr("No sandbox"));
        mSandboxState->setToolTip(sandbox);
        mSandboxState->setStyleSheet(limited ? QString() : QStringLiteral("color: #b45309;"));
    }

    // GPU memory: asked only while a panel runs or memory was held at the last look,
    // so an idle window never asks the driver.
    const bool busy = mTrainingPanel->isRunning() || mInferencePanel->isRunning();
    if (!torchruntime::cudaAvailable() || (!busy && mGpuMemory->isHidden()))
        return;
    QStringList held;
    for (int i = 0; i < torchruntime::gpuCount(); ++i) {
        if (const qint64 gpu = gpuBytes(i); gpu > 0)
            held.append(tr("GPU %1: %2").arg(i).arg(DevicePicker::memoryText(gpu)));
    }
    mGpuMemory->setText(held.join(QStringLiteral(" · ")));
    mGpuMemory->setVisible(!held.isEmpty());
}

void MainWindow::updateTitle()
{
    const QString path = mNotebook->filePath();
    const QString name = path.isEmpty() ? mNotebook->title() : QFileInfo(path).fileName();
    setWindowTitle(QStringLiteral("%1%2 — Kiln").arg(name, mNotebook->isModified() ? QStringLiteral("*") : QString()));
    setWindowModified(mNotebook->isModified());
}

void MainWindow::updateOutline()
{
    if (!mOutline)
        return;
    mOutline->clear();
    if (!mNotebook->title().isEmpty()) {
        auto *item = new QListWidgetItem(mNotebook->title(), mOutline);
        QFont bold = item->font();
        bold.setBold(true);
        item->setFont(bold);
        if (mNotebook->cellCount() > 0)
            item->setData(Qt::UserRole, mNotebook->cell(0).id);
    }
    for (int i = 0; i < mNotebook->cellCount(); ++i) {
        const Cell &cell = mNotebook->cell(i);
        if (cell.kind == CellKind::Section) {
            auto *item = new QListWidgetItem(cell.source, mOutline);
            item->setData(Qt::UserRole, cell.id);
        } else if (cell.kind == CellKind::Markdown) {
            // Headings inside Markdown cells appear too, indented by level.
            for (const QString &line : cell.source.split(QLatin1Char('\n'))) {
                int level = 0;
                while (level < line.size() && line.at(level) == QLatin1Char('#'))
                    ++level;
                if (level >= 2 && level < line.size() && line.at(level) == QLatin1Char(' ')) {
                    auto *item = new QListWidgetItem(QString(2 * (level - 2), QLatin1Char(' ')) + line.mid(level + 1),
                                                     mOutline);
                    item->setData(Qt::UserRole, cell.id);
                }
            }
        }
    }
}

void MainWindow::applyRuntimePreferences()
{
    mRuntime->setGrantedFolders(prefs::sandboxFolders.get());
    mRuntime->setMemoryLimit(qint64(qMax(0, prefs::runtimeMemoryLimitMiB.get())) << 20);
}

void MainWindow::showPreferences()
{
    PreferencesDialog dialog(mRuntime->sandboxDescription(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    applyRuntimePreferences();
}
void MainWindow::showShortcuts()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Keyboard shortcuts"));
    auto *layout = new QVBoxLayout(&dialog);
    auto *table = new QTableWidget(&dialog);
    table->setColumnCount(2);
    table->setHorizontalHeaderLabels({tr("Keys"), tr("Action")});
    const QList<QPair<QString, QString>> rows = {
        {tr("Shift+Enter"), tr("Run the cell and move to the next one")},
        {tr("Ctrl+Enter"), tr("Run the cell")},
        {tr("Ctrl+Shift+Enter"), tr("Run all stale cells")},
        {tr("Ctrl+."), tr("Interrupt the running cell")},
        {tr("Esc"), tr("Leave the editor (navigation mode)")},
        {tr("Enter"), tr("Edit the selected cell")},
        {tr("j / k, Down / Up"), tr("Select the next / previous cell")},
        {tr("a / b"), tr("Insert a code cell above / below")},
        {tr("m / y"), tr("Turn the cell into Markdown / code")},
        {tr("d d"), tr("Delete the cell")},
        {tr("z"), tr("Restore the last deleted cell")},
        {tr("Alt+Up / Alt+Down"), tr("Move the cell up / down")},
        {tr("Ctrl+Shift+-"), tr("Split the cell at the cursor")},
        {tr("Ctrl+Z / Ctrl+Shift+Z"), tr("Undo / redo any edit")},
        {tr("Ctrl+F"), tr("Find and replace in the notebook")},
    };
    table->setRowCount(int(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
        table->setItem(i, 0, new QTableWidgetItem(rows.at(i).first));
        table->setItem(i, 1, new QTableWidgetItem(rows.at(i).second));
    }
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->resizeColumnsToContents();
    layout->addWidget(table);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog.resize(560, 480);
    dialog.exec();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Kiln"),
                       tr("<h3>Kiln %1</h3><p>A local machine-learning workbench: notebooks of Lua cells "
                          "on libtorch.</p><pre>%2</pre>")
                           .arg(QStringLiteral(KILN_VERSION), versionReport().toHtmlEscaped()));
}

} // namespace kiln
