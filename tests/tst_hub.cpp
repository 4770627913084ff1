#include "hub/hubcache.h"
#include "hub/hubclient.h"
#include "kernel/luasession.h"

#include "kilnprocess.h"
#include "pythontorch.h"

#ifdef KILN_TEST_HUB_PANEL
#include "hubpanel.h"
#include "modelbrowser.h"

#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTreeWidget>
#endif

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace kiln;

// The Hub client against a local stand-in for the Hub (tests/hub_server.py): the
// cache layout Python's huggingface_hub uses, revisions, file patterns, resumed
// and checked downloads, offline use, and one clear line for each way it fails.
class TestHub : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;
    QProcess mServer;
    QString mPython;
    QString mEndpoint;
    int mCacheCount = 0;

    QString root() const { return mDir.filePath(QStringLiteral("hub")); }

    void writeFile(const QString &repo, const QString &name, const QByteArray &data)
    {
        const QString path = root() + QLatin1Char('/') + repo + QLatin1Char('/') + name;
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(data);
    }

    static QByteArray randomBytes(int size)
    {
        QByteArray bytes(size, Qt::Uninitialized);
        for (char &c : bytes)
            c = char(QRandomGenerator::global()->bounded(256));
        return bytes;
    }

    // A fresh, empty cache for the next download.
    QString freshCache()
    {
        const QString cache = mDir.filePath(QStringLiteral("cache%1").arg(++mCacheCount));
        qputenv("HF_HUB_CACHE", cache.toUtf8());
        return cache;
    }

    QString download(const QString &repo, const HubClient::Options &options, QString *error)
    {
        HubClient client;
        client.setStallTimeout(10000);
        return client.download(repo, options, error);
    }

    // Bytes the stand-in Hub has sent, in all, or for the paths that contain `part`.
    qint64 bytesServed(const QString &part = QString())
    {
        QNetworkAccessManager manager;
        QNetworkReply *reply = manager.get(QNetworkRequest(QUrl(mEndpoint + QStringLiteral("/_stats"))));
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 5000))
            qWarning("the stand-in Hub did not answer /_stats");
        qint64 total = 0;
        const QJsonObject stats = QJsonDocument::fromJson(reply->readAll()).object();
        for (auto it = stats.begin(); it != stats.end(); ++it) {
            if (it.key().contains(part))
                total += it.value().toInteger();
        }
        delete reply;
        return total;
    }

    static QByteArray readAll(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        mPython = kilntest::findPythonWithTorch();
        if (mPython.isEmpty())
            mPython = QStandardPaths::findExecutable(QStringLiteral("python3"));
        QVERIFY2(!mPython.isEmpty(), "a python3 is needed for the stand-in Hub");
        writeFile(QStringLiteral("kiln-test/tiny"), QStringLiteral("config.json"), R"({"model_type": "bert", "hidden_size": 8})");
        writeFile(QStringLiteral("kiln-test/tiny"), QStringLiteral("tokenizer_config.json"), R"({"do_lower_case": true})");
        writeFile(QStringLiteral("kiln-test/tiny"), QStringLiteral("model.safetensors"), randomBytes(5000));
        writeFile(QStringLiteral("kiln-test/tiny"), QStringLiteral("onnx/model.onnx"), randomBytes(3000));
        writeFile(QStringLiteral("kiln-test/gated-model"), QStringLiteral("config.json"), "{}");
        writeFile(QStringLiteral("kiln-test/gated-model"), QStringLiteral("model.safetensors"), randomBytes(4000));
        writeFile(QStringLiteral("kiln-test/private-model"), QStringLiteral("config.json"), "{}");
        writeFile(QStringLiteral("kiln-test/htmlapi"), QStringLiteral("config.json"), "{}");
        writeFile(QStringLiteral("kiln-test/cut-weights"), QStringLiteral("weights.bin"), randomBytes(200000));
        writeFile(QStringLiteral("kiln-test/corrupt-weights"), QStringLiteral("weights.bin"), randomBytes(20000));

        mServer.setProgram(mPython);
        mServer.setArguments({QStringLiteral(KILN_TEST_SOURCE "/hub_server.py"), root()});
        mServer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        mServer.start();
        QVERIFY(mServer.waitForReadyRead(20000));
        const int port = mServer.readLine().trimmed().toInt();
        QVERIFY(port > 0);
        mEndpoint = QStringLiteral("http://127.0.0.1:%1").arg(port);
        qputenv("HF_ENDPOINT", mEndpoint.toUtf8());
        qunsetenv("HF_TOKEN");
        qunsetenv("HF_HUB_OFFLINE");
        qputenv("HF_HOME", mDir.filePath(QStringLiteral("hf-home")).toUtf8());
    }

#ifdef KILN_TEST_HUB_PANEL
    // The model browser's Hub section: search, download with progress into the
    // cache, the cached model listed with its size, and a Task cell from it.
    void modelBrowserSearchesAndDownloads()
    {
        freshCache();
        ModelBrowser browser;
        HubPanel *panel = browser.hubPanel();
        QVERIFY(!browser.hubRepos().contains(QStringLiteral("kiln-test/tiny")));

        QSignalSpy searched(panel, &HubPanel::searchFinished);
        panel->search(QStringLiteral("tiny"));
        QVERIFY(searched.wait(20000));
        QVERIFY(searched.constFirst().constFirst().toBool());
        QCOMPARE(panel->results(), QStringList{QStringLiteral("kiln-test/tiny")});

        QSignalSpy activity(panel, &HubPanel::activity);
        QSignalSpy downloaded(panel, &HubPanel::downloadFinished);
        QTRY_VERIFY(!panel->isBusy());
        panel->download(QStringLiteral("kiln-test/tiny"));
        QVERIFY(downloaded.wait(20000));
        QVERIFY2(downloaded.constFirst().at(0).toBool(), qPrintable(panel->findChild<QLabel *>(QStringLiteral("hubStatus"))->text()));
        QVERIFY(QFile::exists(downloaded.constFirst().at(1).toString() + QStringLiteral("/model.safetensors")));
        // ONNX files are not what Kiln runs: left on the Hub.
        QVERIFY(!QFile::exists(downloaded.constFirst().at(1).toString() + QStringLiteral("/onnx/model.onnx")));
        QVERIFY(activity.size() >= 2);
        QVERIFY(activity.constFirst().constFirst().toString().contains(QStringLiteral("kiln-test/tiny")));
        QVERIFY(activity.constLast().constFirst().toString().isEmpty());

        // Listed, with its size, and a Task cell on it.
        QTRY_VERIFY(browser.hubRepos().contains(QStringLiteral("kiln-test/tiny")));
        auto *tree = browser.findChild<QTreeWidget *>(QStringLiteral("modelTree"));
        QList<QTreeWidgetItem *> items = tree->findItems(QStringLiteral("kiln-test/tiny"), Qt::MatchStartsWith | Qt::MatchRecursive);
        QCOMPARE(items.size(), 1);
        QVERIFY2(items.constFirst()->text(0).contains(QStringLiteral(" kB")) || items.constFirst()->text(0).contains(QStringLiteral(" KB")), qPrintable(items.constFirst()->text(0)));
        tree->setCurrentItem(items.constFirst());
        QVERIFY(panel->detailsText().contains(QStringLiteral("kiln-test/tiny")));
        QSignalSpy taskCell(&browser, &ModelBrowser::taskCellRequested);
        panel->findChild<QPushButton *>(QStringLiteral("hubTaskCell"))->click();
        QCOMPARE(taskCell.size(), 1);
        QCOMPARE(taskCell.constFirst().constFirst().toJsonObject().value(QStringLiteral("model")).toString(), QStringLiteral("kiln-test/tiny"));

        // A search that cannot reach the Hub says so. (The download's thread ends a
        // moment after it reports; a search asked for before that is not started.)
        QTRY_VERIFY(!panel->isBusy());
        qputenv("HF_HUB_OFFLINE", "1");
        const auto online = qScopeGuard([] { qunsetenv("HF_HUB_OFFLINE"); });
        panel->search(QStringLiteral("tiny"));
        QVERIFY(searched.wait(20000));
        QVERIFY(!searched.constLast().constFirst().toBool());
        QVERIFY(panel->findChild<QLabel *>(QStringLiteral("hubStatus"))->text().contains(QStringLiteral("HF_HUB_OFFLINE")));
    }
#endif

    void cleanupTestCase()
    {
        mServer.kill();
        mServer.waitForFinished();
    }

    // Files land as huggingface_hub lays them out: blobs by content id, a ref for
    // the branch, relative links from the commit's snapshot.
    void downloadsIntoTheHubLayout()
    {
        const QString cache = freshCache();
        QString error;
        const QString snapshot = download(QStringLiteral("kiln-test/tiny"), {}, &error);
        QVERIFY2(!snapshot.isEmpty(), qPrintable(error));
        const QString folder = cache + QStringLiteral("/models--kiln-test--tiny");
        QCOMPARE(HubCache::repoFolder(QStringLiteral("kiln-test/tiny")), folder);
        const QString commit = QString::fromLatin1(readAll(folder + QStringLiteral("/refs/main")));
        QVERIFY(HubCache::isCommit(commit));
        QCOMPARE(snapshot, folder + QStringLiteral("/snapshots/") + commit);
        for (const char *name : {"config.json", "tokenizer_config.json", "model.safetensors", "onnx/model.onnx"}) {
            const QString link = snapshot + QLatin1Char('/') + QLatin1String(name);
            QVERIFY2(QFileInfo(link).isSymLink(), name);
            QVERIFY(!QFileInfo(link).symLinkTarget().isEmpty());
            QVERIFY(QFile::symLinkTarget(link).startsWith(folder + QStringLiteral("/blobs/")));
            QCOMPARE(readAll(link), readAll(root() + QStringLiteral("/kiln-test/tiny/") + QLatin1String(name)));
        }
        // Large files are named by their sha256, as the Hub's LFS files are.
        const QByteArray weights = readAll(snapshot + QStringLiteral("/model.safetensors"));
        const QString sha = QString::fromLatin1(QCryptographicHash::hash(weights, QCryptographicHash::Sha256).toHex());
        QVERIFY(QFileInfo::exists(folder + QStringLiteral("/blobs/") + sha));
        QCOMPARE(HubCache::snapshot(QStringLiteral("kiln-test/tiny"), QStringLiteral("main")), snapshot);
        QCOMPARE(HubCache::snapshot(QStringLiteral("kiln-test/tiny"), commit), snapshot);

        // Again: nothing more crosses the network but the listing.
        const qint64 before = bytesServed();
        QCOMPARE(download(QStringLiteral("kiln-test/tiny"), {}, &error), snapshot);
        QCOMPARE(bytesServed(), before);

        const QList<HubCache::CachedRepo> cached = HubCache::list();
        QCOMPARE(cached.size(), 1);
        QCOMPARE(cached.constFirst().repo, QStringLiteral("kiln-test/tiny"));
        QVERIFY(cached.constFirst().bytes >= 8000);
        QCOMPARE(cached.constFirst().refs, QStringList({QStringLiteral("main -> ") + commit.left(7)}));
    }

    void filePatternsAndRevisions()
    {
        freshCache();
        QString error;
        HubClient::Options options;
        options.files = {QStringLiteral("*.json")};
        const QString snapshot = download(QStringLiteral("kiln-test/tiny"), options, &error);
        QVERIFY2(!snapshot.isEmpty(), qPrintable(error));
        QVERIFY(QFileInfo::exists(snapshot + QStringLiteral("/config.json")));
        QVERIFY(QFileInfo::exists(snapshot + QStringLiteral("/tokenizer_config.json")));
        QVERIFY(!QFileInfo::exists(snapshot + QStringLiteral("/model.safetensors")));
        options.files = {QStringLiteral("onnx/*")};
        QCOMPARE(download(QStringLiteral("kiln-test/tiny"), options, &error), snapshot);
        QVERIFY(QFileInfo::exists(snapshot + QStringLiteral("/onnx/model.onnx")));

        // A commit id is a revision too, and needs no ref.
        HubClient::Options byCommit;
        byCommit.revision = QFileInfo(snapshot).fileName();
        byCommit.files = {QStringLiteral("config.json")};
        QCOMPARE(download(QStringLiteral("kiln-test/tiny"), byCommit, &error), snapshot);

        options.files = {QStringLiteral("*.gguf")};
        QVERIFY(download(QStringLiteral("kiln-test/tiny"), options, &error).isEmpty());
        QCOMPARE(error, QStringLiteral("no file of kiln-test/tiny matches *.gguf"));
        HubClient::Options missing;
        missing.revision = QStringLiteral("v9");
        QVERIFY(download(QStringLiteral("kiln-test/tiny"), missing, &error).isEmpty());
        QCOMPARE(error, QStringLiteral("kiln-test/tiny has no revision 'v9'"));
    }

    // Offline, and when the Hub cannot be reached, a cached snapshot serves.
    void offlineUsesTheCache()
    {
        freshCache();
        QString error;
        HubClient::Options configOnly;
        configOnly.files = {QStringLiteral("config.json")};
        const QString snapshot = download(QStringLiteral("kiln-test/tiny"), configOnly, &error);
        QVERIFY2(!snapshot.isEmpty(), qPrintable(error));

        const auto restore = qScopeGuard([this] {
            qunsetenv("HF_HUB_OFFLINE");
            qputenv("HF_ENDPOINT", mEndpoint.toUtf8());
        });
        qputenv("HF_HUB_OFFLINE", "1");
        QCOMPARE(download(QStringLiteral("kiln-test/tiny"), configOnly, &error), snapshot);
        HubClient::Options weights;
        weights.files = {QStringLiteral("model.safetensors")};
        QVERIFY(download(QStringLiteral("kiln-test/tiny"), weights, &error).isEmpty());
        QVERIFY2(error.startsWith(QLatin1String("HF_HUB_OFFLINE is set, and kiln-test/tiny (main) is not in the cache")), qPrintable(error));
        QVERIFY(download(QStringLiteral("kiln-test/other"), {}, &error).isEmpty());
        QVERIFY2(error.contains(QLatin1String("kiln-test/other (main) is not in the cache")), qPrintable(error));
        qunsetenv("HF_HUB_OFFLINE");

        // Nothing listens on port 9 of the loopback.
        qputenv("HF_ENDPOINT", "http://127.0.0.1:9");
        QCOMPARE(download(QStringLiteral("kiln-test/tiny"), configOnly, &error), snapshot);
        QVERIFY(download(QStringLiteral("kiln-test/gated-model"), {}, &error).isEmpty());
        QVERIFY2(error.startsWith(QLatin1String("cannot reach http://127.0.0.1:9")), qPrintable(error));
        qputenv("HF_ENDPOINT", mEndpoint.toUtf8());
    }

    void failuresAreOneLine_data()
    {
        QTest::addColumn<QString>("repo");
        QTest::addColumn<QString>("token");
        QTest::addColumn<QString>("message");
        QTest::newRow("no such model") << "kiln-test/nothing" << ""
                                       << "kiln-test/nothing is not on the Hub, or it is private: set HF_TOKEN to a token that can read it";
        QTest::newRow("private") << "kiln-test/private-model" << ""
                                 << "kiln-test/private-model is not on the Hub, or it is private: set HF_TOKEN to a token that can read it";
        QTest::newRow("wrong token") << "kiln-test/private-model" << "wrong"
                                     << "kiln-test/private-model is not on the Hub, or your token cannot read it";
        QTest::newRow("gated") << "kiln-test/gated-model" << ""
                               << "kiln-test/gated-model is gated: accept its conditions on the Hub, then set HF_TOKEN to your token";
        QTest::newRow("web page") << "kiln-test/htmlapi" << ""
                                  << QStringLiteral("%1 answered with a web page, not the Hub's API (a proxy or a login page?)");
        QTest::newRow("checksum") << "kiln-test/corrupt-weights" << "" << "checksum mismatch for weights.bin: the Hub says sha256 ";
        QTest::newRow("not a name") << "../etc/passwd" << "" << "'../etc/passwd' is not a model name: ORG/NAME expected";
        QTest::newRow("double dash") << "a--b/c" << "" << "'a--b/c' is not a model name: ORG/NAME expected";
    }

    void failuresAreOneLine()
    {
        QFETCH(QString, repo);
        QFETCH(QString, token);
        QFETCH(QString, message);
        freshCache();
        HubClient::Options options;
        options.token = token;
        QString error;
        QVERIFY(download(repo, options, &error).isEmpty());
        if (message.contains(QLatin1String("%1")))
            message = message.arg(mEndpoint);
        QVERIFY2(error.startsWith(message), qPrintable(error));
        QVERIFY(!error.contains(QLatin1Char('\n')));
        // Nothing half-written is left in a snapshot.
        for (const HubCache::CachedRepo &cached : HubCache::list())
            QVERIFY(HubCache::snapshot(cached.repo, QStringLiteral("main")).isEmpty()
                    || QDir(HubCache::snapshot(cached.repo, QStringLiteral("main"))).isEmpty());
    }

    void tokensOpenGatedAndPrivateModels()
    {
        freshCache();
        QString error;
        HubClient::Options options;
        options.token = QStringLiteral("secret-token");
        QVERIFY2(!download(QStringLiteral("kiln-test/gated-model"), options, &error).isEmpty(), qPrintable(error));
        // The weights come from the CDN, which refuses any request with a token.
        QVERIFY(QFileInfo::exists(HubCache::snapshot(QStringLiteral("kiln-test/gated-model"), QStringLiteral("main"))
                                  + QStringLiteral("/model.safetensors")));
        const auto restore = qScopeGuard([] { qunsetenv("HF_TOKEN"); });
        qputenv("HF_TOKEN", "secret-token");
        QVERIFY2(!download(QStringLiteral("kiln-test/private-model"), {}, &error).isEmpty(), qPrintable(error));
    }

    // A server that closes mid-file: the partial file stays, and the next try
    // asks only for the rest.
    void resumesACutDownload()
    {
        const QString cache = freshCache();
        // Counted for this file alone: a download another test left running must not count.
        const QByteArray weights = readAll(root() + QStringLiteral("/kiln-test/cut-weights/weights.bin"));
        const QString sha = QString::fromLatin1(QCryptographicHash::hash(weights, QCryptographicHash::Sha256).toHex());
        QString error;
        QVERIFY(download(QStringLiteral("kiln-test/cut-weights"), {}, &error).isEmpty());
        QVERIFY2(error.startsWith(QLatin1String("the server closed the connection after ")), qPrintable(error));
        QVERIFY2(error.endsWith(QLatin1String("of weights.bin; run it again to resume")), qPrintable(error));
        // What arrived before the cut stays (the server sends half, but the last
        // bytes may be lost with the connection); the second run asks for the rest only.
        const qint64 kept = QFileInfo(cache + QStringLiteral("/models--kiln-test--cut-weights/blobs/") + sha + QStringLiteral(".incomplete")).size();
        QVERIFY2(kept > 0 && kept <= weights.size() / 2, qPrintable(QString::number(kept)));
        const QString snapshot = download(QStringLiteral("kiln-test/cut-weights"), {}, &error);
        QVERIFY2(!snapshot.isEmpty(), qPrintable(error));
        QCOMPARE(readAll(snapshot + QStringLiteral("/weights.bin")), weights);
        // One ranged request, from the end of the partial file, for the rest.
        QCOMPARE(bytesServed(sha + QStringLiteral(" from ") + QString::number(kept)), weights.size() - kept);
        QCOMPARE(bytesServed(sha + QStringLiteral(" from ")), weights.size() - kept);
    }

    // A partial file that is already whole (a run that ended just before the
    // rename) is checked and moved into place without asking the server again.
    void finishesAWholePartialFile()
    {
        const QString cache = freshCache();
        const QByteArray weights = readAll(root() + QStringLiteral("/kiln-test/tiny/model.safetensors"));
        const QString sha = QString::fromLatin1(QCryptographicHash::hash(weights, QCryptographicHash::Sha256).toHex());
        const QString blobs = cache + QStringLiteral("/models--kiln-test--tiny/blobs");
        QVERIFY(QDir().mkpath(blobs));
        QFile partial(blobs + QLatin1Char('/') + sha + QStringLiteral(".incomplete"));
        QVERIFY(partial.open(QIODevice::WriteOnly));
        partial.write(weights);
        partial.close();
        const qint64 before = bytesServed();
        HubClient::Options options;
        options.files = {QStringLiteral("model.safetensors")};
        QString error;
        const QString snapshot = download(QStringLiteral("kiln-test/tiny"), options, &error);
        QVERIFY2(!snapshot.isEmpty(), qPrintable(error));
        QCOMPARE(bytesServed(), before);
        QVERIFY(!QFile::exists(partial.fileName()));
        QCOMPARE(readAll(snapshot + QStringLiteral("/model.safetensors")), weights);
    }

    void interruptionStopsIt()
    {
        freshCache();
        HubClient client;
        client.setCancelled([] { return true; });
        QString error;
        QVERIFY(client.download(QStringLiteral("kiln-test/tiny"), {}, &error).isEmpty());
        QVERIFY(client.wasCancelled());
        QCOMPARE(error, QStringLiteral("the download of kiln-test/tiny was interrupted; run it again to resume"));
    }

    // Python's huggingface_hub finds what Kiln fetched, offline, and Kiln finds
    // what huggingface_hub fetched.
    void sharesTheCacheWithHuggingFaceHub()
    {
        QString output;
        if (!kilntest::runPython(mPython, {QStringLiteral("-c"), QStringLiteral("import huggingface_hub")}, &output))
            QSKIP("huggingface_hub is not installed in the build's python (scripts/install-deps.sh installs it)");
        const QString cache = freshCache();
        QString error;
        const QString snapshot = download(QStringLiteral("kiln-test/tiny"), {}, &error);
        QVERIFY2(!snapshot.isEmpty(), qPrintable(error));
        const QString script = QStringLiteral(
            "import os, sys\n"
            "os.environ['HF_HUB_OFFLINE'] = '1'\n"
            "from huggingface_hub import hf_hub_download, snapshot_download\n"
            "path = hf_hub_download('kiln-test/tiny', 'model.safetensors', cache_dir=sys.argv[1])\n"
            "print(os.path.realpath(path))\n"
            "print(snapshot_download('kiln-test/tiny', cache_dir=sys.argv[1]))\n");
        QVERIFY2(kilntest::runPython(mPython, {QStringLiteral("-c"), script, cache}, &output), qPrintable(output));
        QVERIFY2(output.contains(snapshot), qPrintable(output));

        const QString theirs = freshCache();
        const QString fetch = QStringLiteral(
            "import sys\n"
            "from huggingface_hub import snapshot_download\n"
            "print(snapshot_download('kiln-test/tiny', cache_dir=sys.argv[1], endpoint=sys.argv[2]))\n");
        QVERIFY2(kilntest::runPython(mPython, {QStringLiteral("-c"), fetch, theirs, mEndpoint}, &output), qPrintable(output));
        const auto restore = qScopeGuard([] { qunsetenv("HF_HUB_OFFLINE"); });
        qputenv("HF_HUB_OFFLINE", "1");
        const QString found = download(QStringLiteral("kiln-test/tiny"), {}, &error);
        QVERIFY2(!found.isEmpty(), qPrintable(error));
        QVERIFY2(output.trimmed().endsWith(found), qPrintable(output + QStringLiteral(" vs ") + found));
        QCOMPARE(readAll(found + QStringLiteral("/config.json")), readAll(root() + QStringLiteral("/kiln-test/tiny/config.json")));
    }

    // The same from notebook code: hub.download returns the folder; a failure is
    // the cell's error.
    void fromLua()
    {
        freshCache();
        QStringList printed;
        LuaSession session(std::make_shared<std::atomic<bool>>(false),
                           [&printed](const OutputItem &item) { printed << item.text; });
        EvalResult result = session.evaluate(QStringLiteral(
            "local path = hub.download('kiln-test/tiny', {files = {'*.json', 'model.safetensors'}})\n"
            "local f = assert(io.open(path .. '/config.json'))\n"
            "local text = f:read('a'); f:close()\n"
            "return #hub.cached(), text"));
        QVERIFY2(result.ok(), qPrintable(result.error.message));
        QVERIFY2(printed.join(QString()).contains(QLatin1String("model.safetensors 4.9 kB")), qPrintable(printed.join(QLatin1Char('|'))));
        result = session.evaluate(QStringLiteral("hub.download('kiln-test/nothing')"));
        QVERIFY(!result.ok());
        QVERIFY2(result.error.message.contains(QLatin1String("hub.download: kiln-test/nothing is not on the Hub")),
                 qPrintable(result.error.message));
        result = session.evaluate(QStringLiteral("hub.download('kiln-test/tiny', {revison = 'main'})"));
        QVERIFY(!result.ok());
        QVERIFY2(result.error.message.contains(QLatin1String("did you mean 'revision'")), qPrintable(result.error.message));
    }

    // kiln hub download | ls | rm
    void commandLine()
    {
        const QString cache = freshCache();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HF_HUB_CACHE"), cache);
        env.insert(QStringLiteral("HF_ENDPOINT"), mEndpoint);
        kilntest::ProcessResult run = kilntest::runKiln(
            {QStringLiteral("hub"), QStringLiteral("download"), QStringLiteral("kiln-test/tiny"), QStringLiteral("--include"), QStringLiteral("*.json")}, env);
        QCOMPARE(run.exitCode, 0);
        const QString snapshot = run.out.trimmed();
        QVERIFY2(QFileInfo::exists(snapshot + QStringLiteral("/config.json")), qPrintable(run.out + run.err));
        QVERIFY2(run.err.contains(QLatin1String("config.json")), qPrintable(run.err));

        run = kilntest::runKiln({QStringLiteral("hub"), QStringLiteral("ls")}, env);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.startsWith(QLatin1String("kiln-test/tiny ")), qPrintable(run.out));
        QVERIFY(run.out.contains(QLatin1String("main -> ")));

        run = kilntest::runKiln({QStringLiteral("hub"), QStringLiteral("download"), QStringLiteral("kiln-test/gated-model")}, env);
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.err, QStringLiteral("kiln hub: kiln-test/gated-model is gated: accept its conditions on the Hub, then set HF_TOKEN to your token\n"));

        run = kilntest::runKiln({QStringLiteral("hub"), QStringLiteral("rm"), QStringLiteral("kiln-test/tiny")}, env);
        QCOMPARE(run.exitCode, 0);
        QVERIFY(!QFileInfo::exists(snapshot));
        run = kilntest::runKiln({QStringLiteral("hub"), QStringLiteral("rm"), QStringLiteral("kiln-test/tiny")}, env);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.startsWith(QLatin1String("kiln hub: 'kiln-test/tiny' is not in the cache")), qPrintable(run.err));
        run = kilntest::runKiln({QStringLiteral("hub"), QStringLiteral("fetch")}, env);
        QCOMPARE(run.exitCode, 2);
    }
};

#ifdef KILN_TEST_HUB_PANEL
QTEST_MAIN(TestHub)
#else
QTEST_GUILESS_MAIN(TestHub)
#endif
#include "tst_hub.moc"
