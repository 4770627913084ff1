#pragma once

#include <QList>
#include <QJsonObject>
#include <QMainWindow>
#include <QPair>

#include "document/cell.h"
#include "document/evalresult.h"
#include "document/outputitem.h"

class QAction;
class QDockWidget;
class QLabel;
class QToolButton;
class QListWidget;
class QStackedWidget;
class QMenu;
class QTimer;

namespace kiln {

class Autosave;
class WelcomePage;
class EvaluationTracker;
class FindBar;
class InferencePanel;
class TrainingPanel;
class VariablesView;
class ModelBrowser;
class Notebook;
class NotebookView;
class Runtime;

// The notebook window: the notebook in the centre; docks for the outline, the
// model browser, the variables view and the training and inference panels; File, Edit, Run, View
// and Help menus; the runtime's state, the running cell's time, the process
// memory and, while a panel uses a GPU, its GPU memory in the status bar.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    bool openFile(const QString &path);
    // What a file dropped on the window can become, as actions (a CSV: train on it,
    // load it in a cell, show its report; a model: inspect, run inference, insert
    // loading code; images: classify, load as a dataset). Empty for a notebook,
    // which a drop opens.
    QList<QAction *> dropActions(const QString &path, QObject *parent);
    // A bundled example (a resource path) as a new, unsaved notebook.
    bool openExample(const QString &resourcePath);
    // The welcome page in place of the notebook (kiln with no file, File > Welcome).
    void showWelcome();
    bool isWelcomeShown() const;
    WelcomePage *welcomePage() const { return mWelcome; }
    // Shows recovered content as an unsaved notebook that will save to `path`.
    void openRecovered(const NotebookContent &content, const QString &path);
    Notebook *notebook() const { return mNotebook; }
    NotebookView *notebookView() const { return mView; }
    EvaluationTracker *tracker() const { return mTracker; }
    ModelBrowser *modelBrowser() const { return mModelBrowser; }
    InferencePanel *inferencePanel() const { return mInferencePanel; }
    TrainingPanel *trainingPanel() const { return mTrainingPanel; }
    Runtime *runtime() const { return mRuntime; }
    // After a crash: asks about each notebook the autosave kept and opens the
    // ones the user wants (the first in `window`). Returns how many were opened.
    static int offerRecovery(MainWindow *window);
    // Actions by object name ("actionRunAll", ...), for tests and the shortcut help.
    QAction *action(const QString &name) const;

    // Cell operations on the current cell (also the Edit menu's actions).
    void insertCell(bool above, CellKind kind, bool edit = true);
    // A Task cell (document/taskcell.h) below the current cell, with `settings`
    // or the first task's defaults.
    void insertTaskCell(const QJsonObject &settings = QJsonObject());
    void deleteCurrentCell();
    void restoreDeletedCell();
    void moveCurrentCell(int delta);
    void splitCurrentCell();
    void mergeWithNext();
    void convertCurrentCell(CellKind kind);
    void runCell(const QString &cellId, bool advance);
    void runAll();
    void runAllStale();
    void restartAndRunAll();
    // Restart Runtime, after asking (when cells ran, until "Don't ask again").
    void restartRuntime();
    bool confirmRestart();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void createActions();
    void createDocks();
    void createStatusBar();
    void showPanel(const QString &dockName);
    void fitDock(QDockWidget *dock);
    void fitWhenShown(QDockWidget *dock);
    void sendToInference(const QString &modelPath);
    // A new code cell below the current one (code dropped on the notebook or
    // inserted from the model browser).
    void insertCodeCell(const QString &code);
    QAction *addAction(QMenu *menu, const QString &name, const QString &text, const QKeySequence &shortcut = {});
    void updateTitle();
    void updateOutline();
    void updateStatus();
    void rebuildRecentMenu();
    void newNotebook();
    void showNotebook();
    void showContent(const NotebookContent &content, const QString &filePath);
    bool save();
    bool saveAs();
    bool maybeSave();
    void openDialog();
    void exportMarkdownDialog();
    void showShortcuts();
    void showAbout();
    // Asks the runtime, between cells, which modules the notebook holds.
    void queryNotebookModels();
    // Asks it for the notebook's globals, and for one of them drawn in the view.
    void queryVariables();
    void queryVariableDetail(const QString &name, const QString &view);
    bool handleKilnQuery(const QString &cellId, const OutputList *items, const EvalResult *result);
    void onStarted(const QString &cellId);
    void onOutput(const QString &cellId, const kiln::OutputList &items);
    void onFinished(const QString &cellId, quint64 requestId, const kiln::EvalResult &result);
    void onRuntimeLost(const QString &message);
    void showPreferences();
    void applyRuntimePreferences();

    Notebook *mNotebook;
    Runtime *mRuntime;
    EvaluationTracker *mTracker;
    Autosave *mAutosave = nullptr;
    NotebookView *mView;
    FindBar *mFindBar = nullptr;
    ModelBrowser *mModelBrowser = nullptr;
    InferencePanel *mInferencePanel = nullptr;
    TrainingPanel *mTrainingPanel = nullptr;
    VariablesView *mVariablesView = nullptr;
    QListWidget *mOutline = nullptr;
    QStackedWidget *mPages = nullptr;  // the notebook, or the welcome page
    WelcomePage *mWelcome = nullptr;
    QMenu *mRecentMenu = nullptr;
    QLabel *mRuntimeState = nullptr;
    QLabel *mElapsed = nullptr;
    QLabel *mMemory = nullptr;
    QLabel *mGpuMemory = nullptr;  // shown while the panels hold GPU memory
    QLabel *mSandboxState = nullptr;
    QToolButton *mForceStopButton = nullptr;  // shown when a cell ignores Interrupt
    QTimer *mStatusTimer = nullptr;
    QString mRunningCell;
    QString mQueryOutput;
    bool mQueryQueued = false;
    bool mModelsStale = true;  // a user cell ran since the last query
    QString mVariablesOutput;
    bool mVariablesQueued = false;
    bool mVariablesStale = true;
    quint64 mDetailSerial = 0;  // the latest variable detail query; older ones are ignored
    QString mExportPath;       // where a notebook model is being traced for the inference or training panel
    bool mExportForTraining = false;
    // Deleted cells with where they were, newest last: z (or Edit > Restore) brings one back.
    QList<QPair<int, Cell>> mDeletedCells;
};

} // namespace kiln
