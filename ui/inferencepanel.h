#pragma once

#include <QFutureWatcher>
#include <QWidget>

#include "engines/predictor.h"

#include <atomic>
#include <memory>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QScrollArea;
class QProcess;
class QVBoxLayout;

namespace kiln {

class DevicePicker;
class ModelVetting;
class TableOutputView;

// The inference panel (a dock): a TorchScript model and inputs dropped on it
// (images, folders of images, CSV files, tensors saved with torch.save), the
// preprocessing in view and editable, a run in a worker thread with progress,
// samples per second and Cancel, and the predictions as a table with top-k
// labels that exports to CSV. The same engine as `kiln predict`.
class InferencePanel : public QWidget
{
    Q_OBJECT

public:
    explicit InferencePanel(QWidget *parent = nullptr);
    ~InferencePanel() override;

    // Reads the file in a child process first (ModelVetting) unless this
    // process has seen it read safely; modelPath() is set once it loads.
    void setModel(const QString &path);
    // The notebook's models, offered as a source: the window traces the chosen
    // one (on zeros of the example shape) to TorchScript and sets it here.
    void setNotebookModels(const QStringList &names);
    void showMessage(const QString &text);
    // A Hugging Face model (a Hub name in the cache, or a folder with its
    // config.json): the panel becomes that task's input form (texts, or image
    // files, and the task's options) and runs it as `kiln predict --task` does,
    // in a child process.
    void setTaskModel(const QString &source);
    QString taskModel() const { return mTaskSource; }
    // The texts of a text task, one a line.
    void setTaskTexts(const QStringList &texts);
    QString modelPath() const { return mModelPath; }
    void addInputs(const QStringList &paths);
    QStringList inputs() const;
    // A model whose forward takes several tensors: the files for the second
    // argument on (CSV rows or torch.save tensors), one per argument.
    QStringList extraArguments() const { return mExtraNames; }
    void setExtraInput(int index, const QString &path);
    void setLabels(const QStringList &labels);
    PredictOptions options() const;

    void run();
    void cancel();
    bool isRunning() const { return mWatcher.isRunning() || mTaskProcess; }
    const PredictTable &results() const { return mResults; }
    bool exportCsv(const QString &path) const;
    QString statusText() const;

Q_SIGNALS:
    void finished(bool ok);
    void notebookModelRequested(const QString &name, const QString &exampleShape);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    // The image the preview shows: the selected input, else the first; a folder gives its first image.
    QString previewPath() const;
    void updatePreview();
    struct Outcome
    {
        bool ok = false;
        QString error;
        PredictTable table;
        double seconds = 0;
    };

    void onFinished();
    void runTask();
    void onTaskFinished(int exitCode);
    void showResults();
    void updateButtons();

    QString mModelPath;
    ModelVetting *mVetting;
    QWidget *mSettings = nullptr;  // the model, inputs and preprocessing, scrolling
    QLabel *mModel;
    QLabel *mPreview;  // the selected (or first) input image, small
    QLabel *mExpected;
    QWidget *mExtraBox;
    QStringList mExtraNames;
    QList<QLineEdit *> mExtraInputs;
    QComboBox *mNotebookModels;
    QLineEdit *mExampleShape;
    QListWidget *mInputs;
    QLineEdit *mSize;
    QComboBox *mColor;
    QLineEdit *mScale;
    QLineEdit *mMean;
    QLineEdit *mStd;
    QSpinBox *mTopk;
    QSpinBox *mBatch;
    DevicePicker *mDevice;
    QLineEdit *mColumns;
    QPlainTextEdit *mLabels;
    QPushButton *mRun;
    QPushButton *mCancel;
    QPushButton *mExport;
    QProgressBar *mProgress;
    QLabel *mStatus;
    QVBoxLayout *mResultsHost;
    TableOutputView *mTable = nullptr;
    QFutureWatcher<Outcome> mWatcher;
    // Task mode (setTaskModel): the form, and the child running the task.
    QString mTaskSource;
    QScrollArea *mScroll = nullptr;
    QWidget *mTaskPage = nullptr;
    QLabel *mTaskLabel = nullptr;
    QComboBox *mTask = nullptr;
    QPlainTextEdit *mTaskTexts = nullptr;
    QLineEdit *mCandidates = nullptr;
    QSpinBox *mTaskTopK = nullptr;
    QProcess *mTaskProcess = nullptr;
    QString mTaskCsv;
    std::shared_ptr<std::atomic<bool>> mCancelled;
    PredictTable mResults;
};

} // namespace kiln
