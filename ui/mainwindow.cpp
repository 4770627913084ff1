#include "mainwindow.h"

#include "cellwidget.h"
#include "notebook.h"
#include "notebookformat.h"
#include "runtime.h"
#include "versioninfo.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QStatusBar>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

namespace kiln {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), mNotebook(new Notebook(this)), mRuntime(new Runtime(this))
{
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    mCellsHost = new QWidget(scroll);
    mCellsLayout = new QVBoxLayout(mCellsHost);
    mCellsLayout->setContentsMargins(24, 16, 24, 16);
    mCellsLayout->setSpacing(8);
    mTitleLabel = new QLabel(mCellsHost);
    mTitleLabel->setTextFormat(Qt::MarkdownText);
    scroll->setWidget(mCellsHost);
    setCentralWidget(scroll);

    mRuntimeState = new QLabel(tr("Runtime: idle"), this);
    statusBar()->addPermanentWidget(mRuntimeState);
    mRuntime->setMaxBufferedText(1 << 20);

    createActions();

    connect(mNotebook, &Notebook::reloaded, this, &MainWindow::rebuildCells);
    connect(mNotebook, &Notebook::cellInserted, this, &MainWindow::rebuildCells);
    connect(mNotebook, &Notebook::cellRemoved, this, &MainWindow::rebuildCells);
    connect(mNotebook, &Notebook::cellMoved, this, &MainWindow::rebuildCells);
    connect(mNotebook, &Notebook::cellChanged, this, [this](int index) {
        if (CellWidget *widget = mCellWidgets.value(mNotebook->cell(index).id))
            widget->refreshFromNotebook();
    });
    connect(mNotebook, &Notebook::outputsChanged, this, [this](int index) {
        if (CellWidget *widget = mCellWidgets.value(mNotebook->cell(index).id))
            widget->refreshOutputs();
    });
    connect(mNotebook, &Notebook::modifiedChanged, this, &MainWindow::updateTitle);
    connect(mNotebook, &Notebook::filePathChanged, this, &MainWindow::updateTitle);
    connect(mNotebook, &Notebook::titleChanged, this, [this](const QString &title) {
        mTitleLabel->setText(QLatin1String("# ") + title);
        mTitleLabel->setVisible(!title.isEmpty());
        updateTitle();
    });

    connect(mRuntime, &Runtime::started, this, &MainWindow::onStarted);
    connect(mRuntime, &Runtime::outputReady, this, &MainWindow::onOutput);
    connect(mRuntime, &Runtime::finished, this, &MainWindow::onFinished);
    connect(mRuntime, &Runtime::idle, this, [this] { mRuntimeState->setText(tr("Runtime: idle")); });
    connect(mRuntime, &Runtime::restarted, this, [this] { statusBar()->showMessage(tr("Runtime restarted"), 3000); });

    NotebookContent empty;
    empty.title = tr("Untitled notebook");
    empty.cells.append(Cell::make(CellKind::Code));
    mNotebook->reset(empty);
    resize(1000, 760);
    updateTitle();

    const QString advice = blasAdvice(versionInfo().blas);
    if (!advice.isEmpty()) {
        auto *slowBlas = new QLabel(tr("Slow BLAS"), this);
        slowBlas->setToolTip(advice);
        statusBar()->addPermanentWidget(slowBlas);
        statusBar()->showMessage(advice.section(QLatin1Char('\n'), 0, 0));
    }
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *openAction = fileMenu->addAction(tr("&Open…"), this, &MainWindow::openDialog);
    openAction->setShortcut(QKeySequence::Open);
    QAction *saveAction = fileMenu->addAction(tr("&Save"), this, &MainWindow::save);
    saveAction->setShortcut(QKeySequence::Save);
    QAction *saveAsAction = fileMenu->addAction(tr("Save &As…"), this, &MainWindow::saveAs);
    saveAsAction->setShortcut(QKeySequence::SaveAs);
    fileMenu->addSeparator();
    QAction *quitAction = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quitAction->setShortcut(QKeySequence::Quit);

    QMenu *editMenu = menuBar()->addMenu(tr("&Edit"));
    QAction *undoAction = mNotebook->undoStack()->createUndoAction(this, tr("&Undo"));
    undoAction->setShortcut(QKeySequence::Undo);
    QAction *redoAction = mNotebook->undoStack()->createRedoAction(this, tr("&Redo"));
    redoAction->setShortcut(QKeySequence::Redo);
    editMenu->addAction(undoAction);
    editMenu->addAction(redoAction);

    QMenu *runMenu = menuBar()->addMenu(tr("&Run"));
    QAction *runAllAction = runMenu->addAction(tr("Run &All"), this, &MainWindow::runAll);
    runAllAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return));
    QAction *interruptAction = runMenu->addAction(tr("&Interrupt"), mRuntime, &Runtime::interrupt);
    interruptAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    QAction *restartAction = runMenu->addAction(tr("&Restart Runtime"), mRuntime, &Runtime::restart);

    QToolBar *toolBar = addToolBar(tr("Notebook"));
    toolBar->setObjectName(QStringLiteral("notebookToolBar"));
    toolBar->addAction(openAction);
    toolBar->addAction(saveAction);
    toolBar->addSeparator();
    toolBar->addAction(runAllAction);
    toolBar->addAction(interruptAction);
    toolBar->addAction(restartAction);
}

bool MainWindow::openFile(const QString &path)
{
    NotebookContent content;
    QString error;
    if (!NotebookFormat::load(path, &content, &error)) {
        QMessageBox::warning(this, tr("Cannot open notebook"), error);
        return false;
    }
    mRuntime->restart();
    mRuntime->setNotebookDirectory(QFileInfo(path).absolutePath());
    mNotebook->reset(content);
    mNotebook->setFilePath(QFileInfo(path).absoluteFilePath());
    updateTitle();
    return true;
}

void MainWindow::rebuildCells()
{
    for (CellWidget *widget : std::as_const(mCellWidgets))
        delete widget;
    mCellWidgets.clear();
    while (QLayoutItem *item = mCellsLayout->takeAt(0))
        delete item;
    mTitleLabel->setText(QLatin1String("# ") + mNotebook->title());
    mTitleLabel->setVisible(!mNotebook->title().isEmpty());
    mCellsLayout->addWidget(mTitleLabel);
    for (int i = 0; i < mNotebook->cellCount(); ++i) {
        const QString id = mNotebook->cell(i).id;
        auto *widget = new CellWidget(mNotebook, id, mCellsHost);
        connect(widget, &CellWidget::runRequested, this, &MainWindow::runCell);
        mCellWidgets.insert(id, widget);
        mCellsLayout->addWidget(widget);
    }
    mCellsLayout->addStretch(1);
}

void MainWindow::updateTitle()
{
    const QString path = mNotebook->filePath();
    const QString name = path.isEmpty() ? mNotebook->title() : QFileInfo(path).fileName();
    setWindowTitle(QStringLiteral("%1%2 — Kiln").arg(name, mNotebook->isModified() ? QStringLiteral("*") : QString()));
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

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (maybeSave())
        event->accept();
    else
        event->ignore();
}

void MainWindow::runCell(const QString &cellId, bool advance)
{
    const int index = mNotebook->indexOf(cellId);
    if (index < 0 || mNotebook->cell(index).kind != CellKind::Code)
        return;
    mNotebook->setOutputs(index, {});
    if (CellWidget *widget = mCellWidgets.value(cellId))
        widget->setQueued();
    mRuntime->evaluate(cellId, mNotebook->cell(index).source);
    if (!advance)
        return;
    for (int next = index + 1; next < mNotebook->cellCount(); ++next) {
        if (mNotebook->cell(next).kind == CellKind::Code) {
            if (CellWidget *widget = mCellWidgets.value(mNotebook->cell(next).id))
                widget->focusEditor();
            return;
        }
    }
}

void MainWindow::runAll()
{
    for (int i = 0; i < mNotebook->cellCount(); ++i) {
        if (mNotebook->cell(i).kind == CellKind::Code)
            runCell(mNotebook->cell(i).id, false);
    }
}

void MainWindow::onStarted(const QString &cellId)
{
    mRuntimeState->setText(tr("Runtime: busy"));
    if (CellWidget *widget = mCellWidgets.value(cellId))
        widget->setRunning();
}

void MainWindow::onOutput(const QString &cellId, const OutputList &items)
{
    const int index = mNotebook->indexOf(cellId);
    if (index >= 0)
        mNotebook->appendOutputs(index, items);
}

void MainWindow::onFinished(const QString &cellId, quint64, const EvalResult &result)
{
    if (CellWidget *widget = mCellWidgets.value(cellId))
        widget->setFinished(result);
    // As in Jupyter, an error stops the cells queued after it.
    if (result.status == EvalResult::Status::Error)
        mRuntime->cancelPending();
}

} // namespace kiln
