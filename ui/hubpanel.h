#pragma once

#include <QJsonObject>
#include <QWidget>

#include <atomic>
#include <functional>
#include <memory>

class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QThread;

namespace kiln {

// The model browser's Hugging Face Hub section: what the Hub cache holds (with
// its size: start a Task cell on it, reveal it, delete it), and a search of
// the Hub (/api/models?search=) whose results download into that cache with
// progress. Network work runs on a thread of its own and can be cancelled.
class HubPanel : public QWidget
{
    Q_OBJECT

public:
    explicit HubPanel(QWidget *parent = nullptr);
    ~HubPanel() override;

    // The cached model the panel describes; empty for the section itself.
    void showRepo(const QString &repo);
    QString repo() const { return mRepo; }
    QString detailsText() const;

    // Searches for `text` (the search box's text when empty) or downloads `repo`
    // in the background; searchFinished and downloadFinished tell the end.
    void search(const QString &text = QString());
    void download(const QString &repo);
    void cancel();
    bool isBusy() const { return mWorker != nullptr; }
    QStringList results() const;

Q_SIGNALS:
    void taskCellRequested(const QJsonObject &settings);
    // The cache changed (a download or a deletion): the browser relists it.
    void cacheChanged();
    // One line for the status bar while the Hub is at work; empty when done.
    void activity(const QString &message);
    void searchFinished(bool ok);
    void downloadFinished(bool ok, const QString &folder);

private:
    void runInBackground(std::function<void(std::shared_ptr<std::atomic<bool>> cancelled)> work);
    void setBusy(bool busy);
    void deleteRepo();

    QString mRepo;
    QLabel *mDetails;
    QPushButton *mTaskCell;
    QPushButton *mReveal;
    QPushButton *mDelete;
    QLineEdit *mQuery;
    QPushButton *mSearch;
    QListWidget *mResults;
    QPushButton *mDownload;
    QPushButton *mCancel;
    QProgressBar *mProgress;
    QLabel *mStatus;
    QThread *mWorker = nullptr;
    std::shared_ptr<std::atomic<bool>> mCancelled;
};

} // namespace kiln
