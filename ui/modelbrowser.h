#pragma once

#include <QWidget>

class QFileSystemWatcher;
class QFormLayout;
class QJsonObject;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProcess;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

// Drags from the model browser carry this type with the model file's path (or
// the architecture's code as text), so the inference panel takes a dragged
// .pt as its model and the notebook inserts the code that loads it.
#define KILN_MODEL_MIME "application/x-kiln-model"
// A built-in architecture dragged from the browser carries its id in this type
// too, so the training panel takes it as the model to train.
#define KILN_ARCHITECTURE_MIME "application/x-kiln-architecture"
// A model of the Hugging Face cache carries its Hub name in this type, so the
// inference panel turns into that task's input form.
#define KILN_HUB_MODEL_MIME "application/x-kiln-hub-model"

namespace kiln {

class HubPanel;

// The model browser (a dock): Kiln's built-in architectures with editable
// hyperparameters and "Insert code", and the model library, a folder under the
// app data location watched for changes, into which dropped model files are
// copied.
class ModelBrowser : public QWidget
{
    Q_OBJECT

public:
    explicit ModelBrowser(QWidget *parent = nullptr);

    // Where dropped models go: <AppDataLocation>/models.
    static QString libraryDirectory();
    // Copies model files into the library; returns the paths it wrote.
    QStringList addToLibrary(const QStringList &files);
    // The code the selected built-in architecture would insert.
    QString currentCode() const;
    void selectArchitecture(const QString &id);
    QStringList libraryFiles() const;
    // Another folder of model files to list (kept in the settings).
    void addFolder(const QString &folder);
    // The summary shown for the selection, as plain text, to the clipboard.
    void copySummary() const;
    // Runs the selected model's forward on zeros of `shapes` ("1,1,28,28", inputs
    // separated by ';'): an architecture in a scratch Lua session, a TorchScript
    // file in a child process. The result shows under the details.
    void tryForward(const QString &shapes);
    QString tryResult() const;

    // The modules that live in the notebook's runtime: name, class, parameter
    // count and repr, as the window last asked the runtime.
    struct NotebookModel
    {
        QString name;
        QString type;
        qint64 parameters = 0;
        QString repr;
    };
    void setNotebookModels(const QList<NotebookModel> &models);
    QStringList notebookModelNames() const;
    // The kiln binary that reads model files in a child process (`kiln inspect`);
    // by default this program itself.
    void setInspector(const QString &program);
    HubPanel *hubPanel() const { return mHubPanel; }
    // The models the Hub section lists from the cache.
    QStringList hubRepos() const;
    // The details shown for the selected item.
    QString detailsText() const;

Q_SIGNALS:
    void insertCodeRequested(const QString &code);
    // "New Task Cell" on a model of the Hub cache.
    void taskCellRequested(const QJsonObject &settings);
    // The Hub section at work (a download's progress), for the status bar.
    void hubActivity(const QString &message);
    // "Train…" on a built-in architecture.
    void trainRequested(const QString &architectureId);
    // "Send to inference" on a TorchScript file of the library.
    void sendToInferenceRequested(const QString &path);
    // A library file was read (or failed to be read); for tests.
    void inspected(const QString &file, bool ok);
    void triedForward(bool ok);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    static QString suggestedShapes(const QJsonObject &summary);
    static QString forwardError(const QString &message);
    void rebuildLibrary();
    void rebuildHub();
    void showItem(QTreeWidgetItem *item);
    void showArchitecture(const QString &id);
    void updateCode();
    void inspect(const QString &file);

    QTreeWidget *mTree;
    QTreeWidgetItem *mBuiltin;
    QTreeWidgetItem *mLibrary;
    QTreeWidgetItem *mNotebookModels;
    QTreeWidgetItem *mHub;
    QWidget *mDetailsPane;
    HubPanel *mHubPanel;
    QList<NotebookModel> mModels;
    QLabel *mDescription;
    QWidget *mForm;
    QFormLayout *mFormLayout;
    QPlainTextEdit *mCode;
    QPushButton *mInsert;
    QPushButton *mTrain;
    QPushButton *mSendToInference;
    QLineEdit *mTryShapes;
    QPushButton *mTry;
    QLabel *mTryResult;
    QFileSystemWatcher *mWatcher;
    QString mArchitecture;
    QString mFileCode;  // the line that loads the selected library file, once it was read
    QString mInspector;
    QProcess *mInspection = nullptr;
    QString mInspectedFile;
};

} // namespace kiln
