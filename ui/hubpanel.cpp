#include "hubpanel.h"

#include "document/taskcell.h"
#include "hub/hubcache.h"
#include "hub/hubclient.h"
#include "narrowlayout.h"

#include <QCoreApplication>
#include <QDesktopServices>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QThread>
#include <QUrl>
#include <QVBoxLayout>

namespace kiln {

HubPanel::HubPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("hubPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    mDetails = new QLabel(this);
    mDetails->setObjectName(QStringLiteral("hubDetails"));
    mDetails->setWordWrap(true);
    mDetails->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(mDetails);
    auto *repoButtons = new FlowLayout;
    mTaskCell = new QPushButton(tr("New Task Cell"), this);
    mTaskCell->setObjectName(QStringLiteral("hubTaskCell"));
    mTaskCell->setToolTip(tr("Adds a Task cell that runs this model below the current cell"));
    mReveal = new QPushButton(tr("Show Folder"), this);
    mDelete = new QPushButton(tr("Delete…"), this);
    mDelete->setObjectName(QStringLiteral("hubDelete"));
    repoButtons->addWidget(mTaskCell);
    repoButtons->addWidget(mReveal);
    repoButtons->addWidget(mDelete);
    layout->addLayout(repoButtons);

    auto *searchRow = new FlowLayout;
    mQuery = new QLineEdit(this);
    mQuery->setObjectName(QStringLiteral("hubQuery"));
    mQuery->setPlaceholderText(tr("search the Hub, e.g. MiniLM"));
    mQuery->setMinimumWidth(120);
    mQuery->setClearButtonEnabled(true);
    mSearch = new QPushButton(tr("Search"), this);
    searchRow->addStretchedWidget(mQuery);
    searchRow->addWidget(mSearch);
    layout->addLayout(searchRow);
    mResults = new QListWidget(this);
    mResults->setObjectName(QStringLiteral("hubResults"));
    layout->addWidget(mResults, 1);
    auto *downloadRow = new FlowLayout;
    mDownload = new QPushButton(tr("Download"), this);
    mDownload->setObjectName(QStringLiteral("hubDownload"));
    mDownload->setEnabled(false);
    mCancel = new QPushButton(tr("Cancel"), this);
    mCancel->setEnabled(false);
    downloadRow->addWidget(mDownload);
    downloadRow->addWidget(mCancel);
    layout->addLayout(downloadRow);
    mProgress = new QProgressBar(this);
    mProgress->setVisible(false);
    layout->addWidget(mProgress);
    mStatus = new QLabel(this);
    mStatus->setObjectName(QStringLiteral("hubStatus"));
    mStatus->setWordWrap(true);
    layout->addWidget(mStatus);

    connect(mSearch, &QPushButton::clicked, this, [this] { search(); });
    connect(mQuery, &QLineEdit::returnPressed, this, [this] { search(); });
    connect(mResults, &QListWidget::currentItemChanged, this, [this] { mDownload->setEnabled(!isBusy() && mResults->currentItem()); });
    connect(mResults, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem *item) { download(item->data(Qt::UserRole).toString()); });
    connect(mDownload, &QPushButton::clicked, this, [this] {
        if (mResults->currentItem())
            download(mResults->currentItem()->data(Qt::UserRole).toString());
    });
    connect(mCancel, &QPushButton::clicked, this, &HubPanel::cancel);
    connect(mReveal, &QPushButton::clicked, this, [this] {
        const QString folder = HubCache::directory() + QLatin1Char('/') + HubCache::repoFolder(mRepo);
        QDesktopServices::openUrl(QUrl::fromLocalFile(folder));
    });
    connect(mDelete, &QPushButton::clicked, this, &HubPanel::deleteRepo);
    connect(mTaskCell, &QPushButton::clicked, this, [this] {
        const QString snapshot = HubCache::snapshot(mRepo, QStringLiteral("main"));
        QJsonObject settings = TaskCell::defaults(TaskCell::guessTask(snapshot));
        settings.insert(QStringLiteral("model"), mRepo);
        Q_EMIT taskCellRequested(settings);
    });
    showRepo(QString());
}

HubPanel::~HubPanel()
{
    // A download on its way stops at its next check; the thread owns nothing of ours.
    cancel();
    if (mWorker)
        mWorker->wait();
}

void HubPanel::showRepo(const QString &repo)
{
    mRepo = repo;
    mTaskCell->setVisible(!repo.isEmpty());
    mReveal->setVisible(!repo.isEmpty());
    mDelete->setVisible(!repo.isEmpty());
    if (repo.isEmpty()) {
        mDetails->setText(tr("Models from the Hugging Face Hub, in its cache (%1), shared with Python's transformers. "
                             "Search the Hub to download one.")
                              .arg(HubCache::directory()));
        return;
    }
    for (const HubCache::CachedRepo &cached : HubCache::list()) {
        if (cached.repo != repo)
            continue;
        const QString snapshot = HubCache::snapshot(repo, QStringLiteral("main"));
        const QString task = TaskCell::guessTask(snapshot.isEmpty() ? cached.path : snapshot);
        const TaskCell::Task *known = TaskCell::find(task);
        mDetails->setText(tr("%1\n%2 in %n snapshot(s); %3\nTask: %4\n%5", nullptr, cached.snapshots)
                              .arg(repo, HubCache::sizeText(cached.bytes), cached.refs.join(QLatin1String(", ")),
                                   known ? QCoreApplication::translate("kiln::TaskCell", known->title.toUtf8().constData())
                                         : tr("not known from its files"),
                                   cached.path));
        return;
    }
    mDetails->setText(tr("%1 is no longer in the cache.").arg(repo));
}

QString HubPanel::detailsText() const
{
    return mDetails->text();
}

QStringList HubPanel::results() const
{
    QStringList repos;
    for (int i = 0; i < mResults->count(); ++i)
        repos.append(mResults->item(i)->data(Qt::UserRole).toString());
    return repos;
}

void HubPanel::setBusy(bool busy)
{
    mSearch->setEnabled(!busy);
    mDownload->setEnabled(!busy && mResults->currentItem());
    mCancel->setEnabled(busy);
    mProgress->setVisible(busy);
    if (busy) {
        mProgress->setRange(0, 0);
    }
}

void HubPanel::runInBackground(std::function<void(std::shared_ptr<std::atomic<bool>> cancelled)> work)
{
    mCancelled = std::make_shared<std::atomic<bool>>(false);
    mWorker = QThread::create(std::move(work), mCancelled);
    // Parented so that a thread whose deleteLater never ran (the window closing
    // right after it ended) still goes with the panel.
    mWorker->setParent(this);
    connect(mWorker, &QThread::finished, this, [this] {
        mWorker->deleteLater();
        mWorker = nullptr;
        setBusy(false);
    });
    setBusy(true);
    mWorker->start();
}

void HubPanel::search(const QString &text)
{
    if (isBusy())
        return;
    const QString query = text.isEmpty() ? mQuery->text().trimmed() : text;
    if (!text.isEmpty())
        mQuery->setText(text);
    mStatus->setText(tr("Searching the Hub for “%1”…").arg(query));
    QPointer<HubPanel> self(this);
    runInBackground([self, query](std::shared_ptr<std::atomic<bool>> cancelled) {
        HubClient client;
        client.setCancelled([cancelled] { return cancelled->load(); });
        QString error;
        const QList<HubClient::Found> found = client.search(query, 30, &error);
        QMetaObject::invokeMethod(self, [self, found, error] {
            if (!self)
                return;
            self->mResults->clear();
            for (const HubClient::Found &model : found) {
                const QString downloads = QLocale().toString(model.downloads);
                auto *item = new QListWidgetItem(model.task.isEmpty() ? tr("%1 · %2 downloads").arg(model.repo, downloads)
                                                                      : tr("%1 · %2 · %3 downloads").arg(model.repo, model.task, downloads),
                                                 self->mResults);
                item->setData(Qt::UserRole, model.repo);
            }
            self->mStatus->setText(error.isEmpty() ? tr("%n model(s) found", nullptr, int(found.size())) : error);
            Q_EMIT self->searchFinished(error.isEmpty());
        });
    });
}

void HubPanel::download(const QString &repo)
{
    if (isBusy() || repo.isEmpty())
        return;
    mStatus->setText(tr("Downloading %1…").arg(repo));
    Q_EMIT activity(tr("Downloading %1 from the Hugging Face Hub…").arg(repo));
    QPointer<HubPanel> self(this);
    runInBackground([self, repo](std::shared_ptr<std::atomic<bool>> cancelled) {
        HubClient client;
        client.setCancelled([cancelled] { return cancelled->load(); });
        client.setProgress([self, repo](const QString &file, qint64 received, qint64 total) {
            QMetaObject::invokeMethod(self, [self, repo, file, received, total] {
                if (!self)
                    return;
                if (total > 0) {
                    self->mProgress->setRange(0, 1000);
                    self->mProgress->setValue(int(1000.0 * double(received) / double(total)));
                }
                const QString line = tr("%1: %2 of %3").arg(file, HubCache::sizeText(received),
                                                            total > 0 ? HubCache::sizeText(total) : QStringLiteral("?"));
                self->mStatus->setText(line);
                Q_EMIT self->activity(tr("Downloading %1 — %2").arg(repo, line));
            });
        });
        // The files a pipeline reads; the Hub's other formats (ONNX, TF, ...) stay there.
        HubClient::Options options;
        options.files = {QStringLiteral("*.json"), QStringLiteral("*.safetensors"), QStringLiteral("*.txt"),
                         QStringLiteral("*.model"), QStringLiteral("1_Pooling/*")};
        QString error;
        const QString folder = client.download(repo, options, &error);
        QMetaObject::invokeMethod(self, [self, repo, folder, error] {
            if (!self)
                return;
            self->mStatus->setText(error.isEmpty() ? tr("%1 is in the cache: %2").arg(repo, folder) : error);
            Q_EMIT self->activity(QString());
            Q_EMIT self->cacheChanged();
            Q_EMIT self->downloadFinished(error.isEmpty(), folder);
        });
    });
}

void HubPanel::cancel()
{
    if (mCancelled)
        mCancelled->store(true);
}

void HubPanel::deleteRepo()
{
    if (mRepo.isEmpty())
        return;
    if (QMessageBox::question(this, tr("Delete Model"),
                              tr("Delete %1 from the Hugging Face cache? Python's transformers uses the same cache.").arg(mRepo))
        != QMessageBox::Yes)
        return;
    qint64 freed = 0;
    QString error;
    if (!HubCache::remove(mRepo, &freed, &error)) {
        mStatus->setText(error);
        return;
    }
    mStatus->setText(tr("Deleted %1 (%2)").arg(mRepo, HubCache::sizeText(freed)));
    mRepo.clear();
    Q_EMIT cacheChanged();
}

} // namespace kiln
