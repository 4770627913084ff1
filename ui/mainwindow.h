#pragma once

#include <QHash>
#include <QMainWindow>

#include "evalresult.h"
#include "outputitem.h"

class QLabel;
class QVBoxLayout;

namespace kiln {

class CellWidget;
class Notebook;
class Runtime;

// The notebook window: the cells in a scrolling column, File and Run menus, and
// the runtime's state in the status bar.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    bool openFile(const QString &path);
    Notebook *notebook() const { return mNotebook; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void rebuildCells();
    void updateTitle();
    bool save();
    bool saveAs();
    bool maybeSave();
    void openDialog();
    void runCell(const QString &cellId, bool advance);
    void runAll();
    void onStarted(const QString &cellId);
    void onOutput(const QString &cellId, const kiln::OutputList &items);
    void onFinished(const QString &cellId, quint64 requestId, const kiln::EvalResult &result);

    Notebook *mNotebook;
    Runtime *mRuntime;
    QWidget *mCellsHost;
    QVBoxLayout *mCellsLayout;
    QLabel *mTitleLabel;
    QHash<QString, CellWidget *> mCellWidgets;
    QLabel *mRuntimeState;
};

} // namespace kiln
