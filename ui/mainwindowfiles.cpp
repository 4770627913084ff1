#include "mainwindow.h"

#include "document/autosave.h"
#include "document/evaluationtracker.h"
#include "document/lualiteral.h"
#include "document/markdownexport.h"
#include "document/notebook.h"
#include "document/notebookformat.h"
#include "readers/datasetreport.h"
#include "kernel/runtime.h"
#include "inferencepanel.h"
#include "modelbrowser.h"
#include "notebookview.h"
#include "settings.h"
#include "trainingpanel.h"
#include "welcomepage.h"

#include <QAction>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QSaveFile>
#include <QStackedWidget>
#include <QStatusBar>

#include <algorithm>
#include <functional>

// The main window's notebook files: recent files, open, save, save as, the
// unsaved-changes prompt, crash recovery from autosave, Markdown export, and
// dropping notebooks on the window.

namespace kiln {

namespace {

bool isNotebookUrl(const QUrl &url)
{
    return url.isLocalFile() && url.toLocalFile().endsWith(QLatin1String(".md"));
}

} // namespace

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
    showContent(content, QFileInfo(path).absoluteFilePath());
    prefs::addRecentFile(QFileInfo(path).absoluteFilePath());
    return true;
}

bool MainWindow::openExample(const QString &resourcePath)
{
    NotebookContent content;
    QString error;
    if (!NotebookFormat::load(resourcePath, &content, &error)) {
        QMessageBox::warning(this, tr("Cannot open the example"), error);
        return false;
    }
    // A copy to play with: it saves wherever the user chooses.
    showContent(content, QString());
    return true;
}

// A notebook that was just read, in a fresh runtime that starts in its folder.
void MainWindow::showContent(const NotebookContent &content, const QString &filePath)
{
    mRuntime->setNotebookDirectory(filePath.isEmpty() ? QString() : QFileInfo(filePath).absolutePath());
    mRuntime->restart();
    mDeletedCells.clear();
    mNotebook->reset(content);
    mNotebook->setFilePath(filePath);
    mTracker->reset();
    updateTitle();
    updateOutline();
    showNotebook();
}

void MainWindow::showWelcome()
{
    mWelcome->setRecentFiles(prefs::existingRecentFiles());
    mPages->setCurrentWidget(mWelcome);
}

bool MainWindow::isWelcomeShown() const
{
    return mPages->currentWidget() == mWelcome;
}

void MainWindow::showNotebook()
{
    mPages->setCurrentIndex(0);
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
    showNotebook();
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
    showNotebook();
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
    if (urls.size() == 1 && urls.constFirst().isLocalFile())
        event->acceptProposedAction();
    else if (!urls.isEmpty() && std::all_of(urls.cbegin(), urls.cend(), isNotebookUrl))
        event->acceptProposedAction();
}

namespace {

bool isImage(const QFileInfo &info)
{
    static const QStringList suffixes{QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("jpeg"),
                                      QStringLiteral("bmp"), QStringLiteral("gif"), QStringLiteral("webp")};
    return suffixes.contains(info.suffix().toLower());
}

} // namespace

QList<QAction *> MainWindow::dropActions(const QString &path, QObject *parent)
{
    const QFileInfo info(path);
    const QString suffix = info.suffix().toLower();
    const QString quoted = luaStringLiteral(info.absoluteFilePath());
    QList<QAction *> actions;
    const auto add = [&](const QString &name, const QString &text, std::function<void()> run) {
        auto *action = new QAction(text, parent);
        action->setObjectName(name);
        connect(action, &QAction::triggered, this, std::move(run));
        actions.append(action);
    };
    // The training panel reads the data and shows its report before a run.
    const auto toTraining = [this, path] {
        mTrainingPanel->setDataset(path);
        showPanel(QStringLiteral("trainingDock"));
    };
    const auto insert = [this](const QString &code) {
        showNotebook();
        insertCodeCell(code);
    };
    if (info.isFile() && (suffix == QLatin1String("csv") || suffix == QLatin1String("tsv"))) {
        add(QStringLiteral("dropTrain"), tr("Train a model on it (Training panel)"), toTraining);
        add(QStringLiteral("dropLoad"), tr("Load it in a new cell"), [insert, quoted, path] {
            // Numbers only: features alone. With text, the column it most likely
            // predicts is the target (read_csv turns its labels into class ids).
            const DatasetReport report = DatasetReports::analyzeCsv(path);
            const bool text = std::any_of(report.columns.cbegin(), report.columns.cend(),
                                          [](const ColumnSummary &column) { return !column.numeric(); });
            if (!text) {
                insert(QStringLiteral("x, info = data.read_csv(%1, {drop_invalid = true})\ninfo").arg(quoted));
                return;
            }
            insert(QStringLiteral("x, y, info = data.read_csv(%1, {target = %2, drop_invalid = true})\ninfo")
                       .arg(quoted, luaStringLiteral(DatasetReports::suggestedTarget(report.columns))));
        });
        add(QStringLiteral("dropReport"), tr("Show its report in a new cell (columns, classes, problems)"), [this, insert, quoted, path] {
            const DatasetReport report = DatasetReports::analyzeCsv(path);
            insert(QStringLiteral("report = data.describe(%1, {target = %2})")
                       .arg(quoted, luaStringLiteral(DatasetReports::suggestedTarget(report.columns))));
            runCell(mNotebook->cell(mView->currentIndex()).id, false);
        });
    } else if (info.isFile()
               && (suffix == QLatin1String("pt") || suffix == QLatin1String("pth") || suffix == QLatin1String("pt2")
                   || suffix == QLatin1String("ts") || suffix == QLatin1String("safetensors"))) {
        add(QStringLiteral("dropInspect"), tr("Inspect it (Models)"), [this, path] {
            showPanel(QStringLiteral("modelBrowserDock"));
            mModelBrowser->addToLibrary({path});
        });
        add(QStringLiteral("dropInfer"), tr("Run inference with it"), [this, path] { sendToInference(path); });
        const QString code = suffix == QLatin1String("safetensors")
            ? QStringLiteral("tensors, metadata = safetensors.load(%1)\ntensors").arg(quoted)
            : suffix == QLatin1String("pt2")
            ? QStringLiteral("weights = torch.export.load_weights(%1)\nweights").arg(quoted)
            : QStringLiteral("model = torch.jit.load(%1)  -- a state dict instead? state = torch.load(%1)\nmodel").arg(quoted);
        add(QStringLiteral("dropCode"), tr("Insert code that loads it"), [insert, code] { insert(code); });
    } else if (info.isDir() || isImage(info)) {
        add(QStringLiteral("dropClassify"), tr("Classify with a model (Inference panel)"), [this, path] {
            mInferencePanel->addInputs({path});
            showPanel(QStringLiteral("inferenceDock"));
        });
        if (info.isDir()) {
            add(QStringLiteral("dropDataset"), tr("Load it as a dataset (one subfolder per class)"), [insert, quoted] {
                insert(QStringLiteral("images = datasets.image_folder(%1, {size = {32, 32}})\nimages.classes").arg(quoted));
            });
            add(QStringLiteral("dropTrain"), tr("Train a model on it (Training panel)"), toTraining);
        } else {
            add(QStringLiteral("dropShow"), tr("Show it in a new cell"), [insert, quoted] {
                insert(QStringLiteral("picture = image.load(%1)\nshow.image(picture)").arg(quoted));
            });
        }
    }
    return actions;
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty())
        return;
    event->acceptProposedAction();
    const QString path = urls.constFirst().toLocalFile();
    if (isNotebookUrl(urls.constFirst())) {
        if (maybeSave())
            openFile(path);
        return;
    }
    // Anything else: a menu of what it can become, where it was dropped.
    QMenu menu(this);
    const QList<QAction *> actions = dropActions(path, &menu);
    if (actions.isEmpty()) {
        statusBar()->showMessage(tr("Kiln does not know what to do with %1").arg(QFileInfo(path).fileName()), 5000);
        return;
    }
    menu.addActions(actions);
    menu.exec(mapToGlobal(event->position().toPoint()));
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
}

} // namespace kiln
