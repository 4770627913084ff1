#include "mainwindow.h"

#include "document/autosave.h"
#include "cellwidget.h"
#include "devicepicker.h"
#include "document/evaluationtracker.h"
#include "findbar.h"
#include "inferencepanel.h"
#include "document/markdownexport.h"
#include "modelbrowser.h"
#include "document/notebook.h"
#include "document/notebookformat.h"
#include "notebookview.h"
#include "preferencesdialog.h"
#include "kernel/runtime.h"
#include "settings.h"
#include "luaapi/torchruntime.h"
#include "trainingpanel.h"
#include "versioninfo.h"

#include <Qsci/qsciscintilla.h>

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
#include <QMimeData>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSettings>
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

// A Lua string literal for any text.
QString luaQuoted(const QString &text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    quoted.replace(QLatin1Char('"'), QLatin1String("\\\""));
    quoted.replace(QLatin1Char('\n'), QLatin1String("\\n"));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

bool isNotebookUrl(const QUrl &url)
{
    return url.isLocalFile() && url.toLocalFile().endsWith(QLatin1String(".md"));
}

// Completion entries and call tips for the editors, read from the API reference
// compiled into Kiln: every `torch.zeros(size..., {dtype})` and every method
// (`t:sum(dim?, keepdim?)` becomes `sum(dim?, keepdim?)`).
QStringList apiSignaturesFromReference()
{
    QFile reference(QStringLiteral(":/kiln/docs/lua-api.md"));
    if (!reference.open(QIODevice::ReadOnly))
        return {};
    const QString text = QString::fromUtf8(reference.readAll());
    static const QRegularExpression signature(QStringLiteral("`([A-Za-z_][\\w.:]*)\\(([^`]*)\\)`"));
    QStringList entries;
    for (auto it = signature.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        QString name = match.captured(1);
        const int colon = name.indexOf(QLatin1Char(':'));
        if (colon >= 0)
            name = name.mid(colon + 1);
        entries.append(name + QLatin1Char('(') + match.captured(2) + QLatin1Char(')'));
    }
    entries.removeDuplicates();
    return entries;
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
        CellWidget::setApiSignatures(apiSignaturesFromReference());
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
    setCentralWidget(central);

    createActions();
    createDocks();
    createStatusBar();

    connect(mView, &NotebookView::runRequested, this, &MainWindow::runCell);
    connect(mView, &NotebookView::runStaleRequested, this, &MainWindow::runAllStale);
    connect(mView, &NotebookView::codeDropped, this, &MainWindow::insertCodeCell);
    connect(mView, &NotebookView::insertRequested, this,
            [this](bool above, bool markdown) { insertCell(above, markdown ? CellKind::Markdown : CellKind::Code); });
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
    });
    connect(mRuntime, &Runtime::restarted, this,
            [this] { onRuntimeLost(tr("Runtime restarted: every cell that ran is now stale")); });
    // The kernel died (a crash, the memory limit, Force Stop): the window stays,
    // the running cell shows why, and the next run starts a fresh kernel.
    connect(mRuntime, &Runtime::stopped, this, [this](const QString &reason) {
        onRuntimeLost(tr("%1. Every cell that ran is now stale; the next run starts a fresh runtime.").arg(reason));
    });
    connect(mRuntime, &Runtime::interruptUnanswered, this, [this] {
        mForceStopButton->show();
        statusBar()->showMessage(tr("The cell did not stop within %1 s of Interrupt. Force Stop ends its runtime; "
                                    "its variables are lost.")
                                     .arg(Runtime::kInterruptGraceMs / 1000));
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
    connect(mRecentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    connect(addAction(fileMenu, QStringLiteral("actionSave"), tr("&Save"), QKeySequence::Save), &QAction::triggered,
            this, &MainWindow::save);
    connect(addAction(fileMenu, QStringLiteral("actionSaveAs"), tr("Save &As…"), QKeySequence::SaveAs),
            &QAction::triggered, this, &MainWindow::saveAs);
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
    connect(restart, &QAction::triggered, mRuntime, &Runtime::restart);
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
    connect(mOutline, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        mView->setCurrentCell(item->data(Qt::UserRole).toString());
    });
    connect(mOutline, &QListWidget::itemClicked, this, [this](QListWidgetItem *item) {
        mView->setCurrentCell(item->data(Qt::UserRole).toString());
    });
    outlineDock->setWidget(mOutline);
    addDockWidget(Qt::LeftDockWidgetArea, outlineDock);
    viewMenu->addAction(outlineDock->toggleViewAction());

    // The panels start hidden; View shows them, and the layout a user arranges is
    // saved and restored with the window.
    const auto addPanel = [this, viewMenu](const char *name, const QString &title, QWidget *panel,
                                           Qt::DockWidgetArea area) {
        auto *dock = new QDockWidget(title, this);
        dock->setObjectName(QLatin1String(name));
        panel->setParent(dock);
        dock->setWidget(panel);
        addDockWidget(area, dock);
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
                               .arg(luaQuoted(name), sizes, luaQuoted(mExportPath)));
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
    addPanel("inferenceDock", tr("Inference"), mInferencePanel, Qt::RightDockWidgetArea);
}

void MainWindow::showPanel(const QString &dockName)
{
    if (auto *dock = findChild<QDockWidget *>(dockName)) {
        dock->show();
        dock->raise();
    }
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
        const int index = mNotebook->indexOf(mRunningCell);
        mElapsed->setText(tr("cell %1 running for %2 s").arg(index + 1).arg(double(ms) / 1000.0, 0, 'f', 1));
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
        const bool limited = !sandbox.startsWith(QLatin1String("No sandbox"));
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

void MainWindow::rebuildRecentMenu()
{
    mRecentMenu->clear();
    const QStringList files = prefs::existingRecentFiles();
    for (const QString &file : files) {
        QAction *open = mRecentMenu->addAction(QFileInfo(file).fileName());
        open->setToolTip(file);
        connect(open, &QAction::triggered, this, [this, file] {
            if (maybeSave())
                openFile(file);
        });
    }
    if (files.isEmpty())
        mRecentMenu->addAction(tr("No recent notebooks"))->setEnabled(false);
}

bool MainWindow::openFile(const QString &path)
{
    NotebookContent content;
    QString error;
    if (!NotebookFormat::load(path, &content, &error)) {
        QMessageBox::warning(this, tr("Cannot open notebook"), error);
        return false;
    }
    mRuntime->setNotebookDirectory(QFileInfo(path).absolutePath());
    mRuntime->restart();
    mDeletedCells.clear();
    mNotebook->reset(content);
    mNotebook->setFilePath(QFileInfo(path).absoluteFilePath());
    mTracker->reset();
    prefs::addRecentFile(QFileInfo(path).absoluteFilePath());
    updateTitle();
    updateOutline();
    return true;
}

void MainWindow::openRecovered(const NotebookContent &content, const QString &path)
{
    mRuntime->setNotebookDirectory(path.isEmpty() ? QString() : QFileInfo(path).absolutePath());
    mRuntime->restart();
    mNotebook->reset(content);
    mNotebook->setFilePath(path);
    // Recovered text is not on disk yet.
    mNotebook->markModified();
    updateTitle();
    updateOutline();
}

int MainWindow::offerRecovery(MainWindow *window)
{
    const QList<RecoveryEntry> entries = Autosave::pendingRecoveries();
    int recovered = 0;
    for (const RecoveryEntry &entry : entries) {
        const QString name = entry.originalPath.isEmpty() ? entry.title : QFileInfo(entry.originalPath).fileName();
        const auto answer = QMessageBox::question(
            window, tr("Recover notebook"),
            tr("Kiln closed without saving \"%1\" (last autosaved %2). Recover the unsaved changes?")
                .arg(name, QLocale().toString(entry.savedAt.toLocalTime(), QLocale::ShortFormat)),
            QMessageBox::Yes | QMessageBox::Discard, QMessageBox::Yes);
        if (answer == QMessageBox::Yes) {
            NotebookContent content;
            QString error;
            if (!Autosave::recover(entry, &content, &error)) {
                QMessageBox::warning(window, tr("Cannot recover notebook"), error);
                continue;
            }
            MainWindow *target = window;
            if (recovered > 0) {
                target = new MainWindow;
                target->setAttribute(Qt::WA_DeleteOnClose);
                target->show();
            }
            target->openRecovered(content, entry.originalPath);
            ++recovered;
        }
        // The recovered window keeps its own copy from now on.
        Autosave::discard(entry);
    }
    return recovered;
}

void MainWindow::newNotebook()
{
    if (!maybeSave())
        return;
    NotebookContent empty;
    empty.title = tr("Untitled notebook");
    empty.cells.append(Cell::make(CellKind::Code));
    mRuntime->setNotebookDirectory(QString());
    mRuntime->restart();
    mNotebook->reset(empty);
    mNotebook->setFilePath(QString());
    mDeletedCells.clear();
    updateTitle();
}

bool MainWindow::save()
{
    if (mNotebook->filePath().isEmpty())
        return saveAs();
    QString error;
    if (!NotebookFormat::save(mNotebook->filePath(), mNotebook->content(), &error)) {
        QMessageBox::warning(this, tr("Cannot save notebook"), error);
        return false;
    }
    mNotebook->setClean();
    prefs::addRecentFile(mNotebook->filePath());
    statusBar()->showMessage(tr("Saved %1").arg(mNotebook->filePath()), 3000);
    return true;
}

bool MainWindow::saveAs()
{
    QString path = QFileDialog::getSaveFileName(this, tr("Save notebook"), mNotebook->filePath(),
                                                tr("Kiln notebooks (*.kiln.md)"));
    if (path.isEmpty())
        return false;
    if (!path.endsWith(QLatin1String(".kiln.md")))
        path += QLatin1String(".kiln.md");
    mNotebook->setFilePath(path);
    mRuntime->setNotebookDirectory(QFileInfo(path).absolutePath());
    return save();
}

bool MainWindow::maybeSave()
{
    if (!mNotebook->isModified())
        return true;
    const auto answer = QMessageBox::question(this, tr("Unsaved changes"),
                                              tr("Save the changes to this notebook?"),
                                              QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Save)
        return save();
    return answer == QMessageBox::Discard;
}

void MainWindow::openDialog()
{
    if (!maybeSave())
        return;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open notebook"), QString(),
                                                      tr("Kiln notebooks (*.kiln.md);;Markdown (*.md)"));
    if (!path.isEmpty())
        openFile(path);
}

void MainWindow::exportMarkdownDialog()
{
    QString suggestion = mNotebook->filePath();
    if (suggestion.endsWith(QLatin1String(".kiln.md")))
        suggestion.chop(8);
    const QString path = QFileDialog::getSaveFileName(this, tr("Export as Markdown"), suggestion + QLatin1String(".md"),
                                                      tr("Markdown (*.md)"));
    if (path.isEmpty())
        return;
    QSaveFile file(path);
    const QByteArray bytes = exportMarkdown(mNotebook->content()).toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        QMessageBox::warning(this, tr("Cannot export"), file.errorString());
        return;
    }
    statusBar()->showMessage(tr("Exported %1").arg(path), 3000);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    prefs::windowGeometry.set(saveGeometry());
    prefs::windowState.set(saveState());
    mAutosave->discard();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && std::all_of(urls.cbegin(), urls.cend(), isNotebookUrl))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !isNotebookUrl(urls.constFirst()))
        return;
    event->acceptProposedAction();
    if (maybeSave())
        openFile(urls.constFirst().toLocalFile());
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
}

void MainWindow::insertCell(bool above, CellKind kind)
{
    const int current = mView->currentIndex();
    const int index = current < 0 ? mNotebook->cellCount() : (above ? current : current + 1);
    Cell cell = Cell::make(kind);
    if (kind == CellKind::Section)
        cell.source = tr("New section");
    mNotebook->insertCell(index, cell);
    mView->setCurrentCell(cell.id, kind != CellKind::Section);
}

void MainWindow::deleteCurrentCell()
{
    const int index = mView->currentIndex();
    if (index < 0)
        return;
    mDeletedCells.append({index, mNotebook->cell(index)});
    mNotebook->removeCell(index);
    if (mNotebook->cellCount() == 0)
        insertCell(false, CellKind::Code);
    statusBar()->showMessage(tr("Cell deleted; press z or Edit > Restore Deleted Cell to bring it back"), 4000);
}

void MainWindow::restoreDeletedCell()
{
    if (mDeletedCells.isEmpty())
        return;
    const auto [index, cell] = mDeletedCells.takeLast();
    const int at = qBound(0, index, mNotebook->cellCount());
    mNotebook->insertCell(at, cell);
    mView->setCurrentCell(cell.id);
}

void MainWindow::moveCurrentCell(int delta)
{
    const int index = mView->currentIndex();
    const int target = index + delta;
    if (index < 0 || target < 0 || target >= mNotebook->cellCount())
        return;
    mNotebook->moveCell(index, target);
    mView->setCurrentCell(mNotebook->cell(target).id);
}

void MainWindow::splitCurrentCell()
{
    const int index = mView->currentIndex();
    CellWidget *widget = mView->cellWidget(mView->currentCellId());
    if (index < 0 || !widget)
        return;
    const QString source = mNotebook->cell(index).source;
    const int at = qBound(0, widget->cursorOffset(), int(source.size()));
    if (at <= 0 || at >= source.size())
        return;
    Cell second = Cell::make(mNotebook->cell(index).kind);
    second.source = source.mid(at);
    while (second.source.startsWith(QLatin1Char('\n')))
        second.source.remove(0, 1);
    QString first = source.left(at);
    while (first.endsWith(QLatin1Char('\n')))
        first.chop(1);
    mNotebook->undoStack()->beginMacro(tr("Split cell"));
    mNotebook->setCellSource(index, first);
    mNotebook->insertCell(index + 1, second);
    mNotebook->undoStack()->endMacro();
    mView->setCurrentCell(second.id, true);
}

void MainWindow::mergeWithNext()
{
    const int index = mView->currentIndex();
    if (index < 0 || index + 1 >= mNotebook->cellCount())
        return;
    const QString merged = mNotebook->cell(index).source + QLatin1Char('\n') + mNotebook->cell(index + 1).source;
    mNotebook->undoStack()->beginMacro(tr("Merge cells"));
    mNotebook->setCellSource(index, merged);
    mNotebook->removeCell(index + 1);
    mNotebook->undoStack()->endMacro();
}

void MainWindow::convertCurrentCell(CellKind kind)
{
    const int index = mView->currentIndex();
    if (index >= 0 && mNotebook->cell(index).kind != kind)
        mNotebook->setCellKind(index, kind);
}

void MainWindow::runCell(const QString &cellId, bool advance)
{
    const int index = mNotebook->indexOf(cellId);
    if (index < 0)
        return;
    if (mNotebook->cell(index).kind == CellKind::Code) {
        // Native code can take the process down: keep the latest edits safe first.
        mAutosave->saveNow();
        mNotebook->setOutputs(index, {});
        mTracker->markQueued(cellId);
        mRuntime->evaluate(cellId, mNotebook->cell(index).source);
        updateStatus();
    } else if (CellWidget *widget = mView->cellWidget(cellId)) {
        widget->stopEditing();
    }
    if (!advance)
        return;
    if (index + 1 < mNotebook->cellCount()) {
        const Cell &next = mNotebook->cell(index + 1);
        mView->setCurrentCell(next.id, next.kind == CellKind::Code);
    } else {
        insertCell(false, CellKind::Code);
    }
}

void MainWindow::runAll()
{
    for (int i = 0; i < mNotebook->cellCount(); ++i) {
        if (mNotebook->cell(i).kind == CellKind::Code)
            runCell(mNotebook->cell(i).id, false);
    }
}

void MainWindow::runAllStale()
{
    const QStringList stale = mTracker->staleCells();
    for (const QString &cellId : stale)
        runCell(cellId, false);
    if (stale.isEmpty())
        statusBar()->showMessage(tr("No stale cells"), 2000);
}

void MainWindow::restartAndRunAll()
{
    mRuntime->restart();
    runAll();
}

namespace {
const QLatin1String kModelsQuery("__kiln:models");

// Lists the global nn modules: records of name, class, parameter count and repr.
const char *const kModelsQueryCode =
    "do\n"
    "  local names = {}\n"
    "  for name, value in pairs(_G) do\n"
    "    if type(name) == 'string' and nn.is_module(value) then names[#names + 1] = name end\n"
    "  end\n"
    "  table.sort(names)\n"
    "  for _, name in ipairs(names) do\n"
    "    local m = _G[name]\n"
    "    io.write(name, '\\31', m.__name or 'Module', '\\31', tostring(m:num_parameters()), '\\31', m:repr(), '\\30')\n"
    "  end\n"
    "end\n";
} // namespace

void MainWindow::queryNotebookModels()
{
    // Only between user cells, and only while someone can see a panel that lists them.
    if (!mModelsStale || mQueryQueued || mRuntime->isBusy() || mRuntime->pendingCount() > 0 || !mModelBrowser
        || !(mModelBrowser->isVisible() || (mTrainingPanel && mTrainingPanel->isVisible())
             || (mInferencePanel && mInferencePanel->isVisible())))
        return;
    mModelsStale = false;
    mQueryQueued = true;
    mQueryOutput.clear();
    mRuntime->evaluate(kModelsQuery, QString::fromLatin1(kModelsQueryCode));
}

bool MainWindow::handleKilnQuery(const QString &cellId, const OutputList *items, const EvalResult *result)
{
    if (cellId == QLatin1String("__kiln:export")) {
        if (result && mExportForTraining && mTrainingPanel) {
            mTrainingPanel->notebookModelExported(mExportPath, result->ok() ? QString() : result->error.message);
        } else if (result && mInferencePanel) {
            if (result->ok())
                mInferencePanel->setModel(mExportPath);
            else
                mInferencePanel->showMessage(tr("Cannot trace the notebook model: %1").arg(result->error.message));
        }
        return true;
    }
    if (cellId != kModelsQuery)
        return cellId.startsWith(QLatin1String("__kiln:"));
    if (items) {
        for (const OutputItem &item : *items)
            mQueryOutput += item.text;
    }
    if (result) {
        mQueryQueued = false;
        if (result->ok()) {
            QList<ModelBrowser::NotebookModel> models;
            for (const QString &record : mQueryOutput.split(QChar(30), Qt::SkipEmptyParts)) {
                const QStringList fields = record.split(QChar(31));
                if (fields.size() == 4)
                    models.append({fields.at(0), fields.at(1), fields.at(2).toLongLong(), fields.at(3)});
            }
            mModelBrowser->setNotebookModels(models);
            if (mInferencePanel)
                mInferencePanel->setNotebookModels(mModelBrowser->notebookModelNames());
            if (mTrainingPanel)
                mTrainingPanel->setNotebookModels(mModelBrowser->notebookModelNames());
        }
    }
    return true;
}

void MainWindow::onRuntimeLost(const QString &message)
{
    mForceStopButton->hide();
    mQueryQueued = false;
    mModelsStale = true;
    if (mModelBrowser)
        mModelBrowser->setNotebookModels({});
    if (!mTracker->hasRun())
        return;
    mTracker->markRuntimeRestarted();
    statusBar()->showMessage(message, 10000);
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

void MainWindow::onStarted(const QString &cellId)
{
    if (handleKilnQuery(cellId, nullptr, nullptr))
        return;
    mRunningCell = cellId;
    mTracker->markStarted(cellId);
    updateStatus();
}

void MainWindow::onOutput(const QString &cellId, const OutputList &items)
{
    if (handleKilnQuery(cellId, &items, nullptr))
        return;
    const int index = mNotebook->indexOf(cellId);
    if (index < 0)
        return;
    // The document keeps the outputs (for saving); the view appends without a refresh.
    const QSignalBlocker blocker(mNotebook);
    mNotebook->appendOutputs(index, items);
    mView->appendOutputs(cellId, items);
    // A print flood must not grow the document without bound: past the cap the
    // oldest printed text goes, as it does in the view.
    constexpr qsizetype kMaxTextPerCell = qsizetype(4) << 20;
    OutputList outputs = mNotebook->cell(index).outputs;
    qsizetype total = 0;
    for (const OutputItem &item : std::as_const(outputs))
        total += item.text.size();
    if (total > kMaxTextPerCell) {
        qsizetype excess = total - kMaxTextPerCell / 2;
        for (OutputItem &item : outputs) {
            if (item.kind != OutputItem::Kind::Text || excess <= 0)
                continue;
            const qsizetype cut = qMin(excess, item.text.size());
            const qsizetype lineEnd = item.text.indexOf(QLatin1Char('\n'), cut);
            const qsizetype removed = lineEnd >= 0 ? lineEnd + 1 : item.text.size();
            item.text = tr("[... earlier output dropped ...]\n") + item.text.mid(removed);
            excess -= removed;
        }
        mNotebook->setOutputs(index, outputs);
    }
}

void MainWindow::onFinished(const QString &cellId, quint64, const EvalResult &result)
{
    if (handleKilnQuery(cellId, nullptr, &result))
        return;
    mModelsStale = true;
    if (mRunningCell == cellId)
        mRunningCell.clear();
    mTracker->markFinished(cellId, result);
    if (CellWidget *widget = mView->cellWidget(cellId))
        widget->setErrorLine(result.status == EvalResult::Status::Error ? result.error.line : 0);
    // As in Jupyter, an error stops the cells queued after it.
    if (result.status == EvalResult::Status::Error)
        mRuntime->cancelPending();
    updateStatus();
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
