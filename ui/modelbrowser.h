#pragma once

#include <QWidget>

class QFileSystemWatcher;
class QFormLayout;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace kiln {

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

Q_SIGNALS:
    void insertCodeRequested(const QString &code);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void rebuildLibrary();
    void showItem(QTreeWidgetItem *item);
    void showArchitecture(const QString &id);
    void updateCode();

    QTreeWidget *mTree;
    QTreeWidgetItem *mBuiltin;
    QTreeWidgetItem *mLibrary;
    QLabel *mDescription;
    QWidget *mForm;
    QFormLayout *mFormLayout;
    QPlainTextEdit *mCode;
    QPushButton *mInsert;
    QPushButton *mTrain;
    QFileSystemWatcher *mWatcher;
    QString mArchitecture;
};

} // namespace kiln
