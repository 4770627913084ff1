#include "hub/hubclient.h"

#include "hub/hubcache.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTimer>
#include <QScopeGuard>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>
#include <QUrl>
#include <QUrlQuery>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace kiln {

namespace {

constexpr qint64 kMaxApiAnswer = qint64(64) << 20;  // a repository listing, never this big
constexpr int kMaxRedirects = 5;

// fnmatch as huggingface_hub uses it: '*' matches any run of characters ('/' too).
QRegularExpression globPattern(const QString &glob)
{
    QString pattern;
    for (const QChar c : glob) {
        if (c == QLatin1Char('*'))
            pattern += QLatin1String(".*");
        else if (c == QLatin1Char('?'))
            pattern += QLatin1Char('.');
        else
            pattern += QRegularExpression::escape(QString(c));
    }
    return QRegularExpression(QRegularExpression::anchoredPattern(pattern));
}

// A path inside a repository that stays inside the snapshot folder.
bool isSafeRepoPath(const QString &path)
{
    if (path.isEmpty() || path.startsWith(QLatin1Char('/')) || path.contains(QLatin1Char('\\'))
        || path.contains(QChar(0)))
        return false;
    for (const QString &part : path.split(QLatin1Char('/'))) {
        if (part.isEmpty() || part == QLatin1String(".") || part == QLatin1String(".."))
            return false;
    }
    return true;
}

bool isSafeRevision(const QString &revision)
{
    static const QRegularExpression allowed(QStringLiteral("^[A-Za-z0-9._/%-]{1,200}$"));
    return allowed.match(revision).hasMatch() && isSafeRepoPath(revision);
}

QString normalizedEtag(QByteArray etag)
{
    etag = etag.trimmed();
    if (etag.startsWith("W/"))
        etag = etag.mid(2);
    if (etag.size() >= 2 && etag.startsWith('"') && etag.endsWith('"'))
        etag = etag.mid(1, etag.size() - 2);
    return QString::fromLatin1(etag);
}

bool isSha256(const QString &text)
{
    static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{64}$"));
    return hex.match(text).hasMatch();
}

// The token goes only where the endpoint is: same scheme, host and port.
bool sameOrigin(const QUrl &url)
{
    const QUrl endpoint(HubClient::endpoint());
    return url.scheme() == endpoint.scheme() && url.host().compare(endpoint.host(), Qt::CaseInsensitive) == 0
           && url.port(url.scheme() == QLatin1String("https") ? 443 : 80) == endpoint.port(endpoint.scheme() == QLatin1String("https") ? 443 : 80);
}

using HubCache::sizeText;

} // namespace

struct HubClient::Private
{
    explicit Private(HubClient *owner)
        : q(owner)
    {
    }

    HubClient *q;
    QNetworkAccessManager manager;
    QString repo;
    QString token;
    QString error;

    struct Answer
    {
        int status = 0;
        QNetworkReply::NetworkError network = QNetworkReply::NoError;
        QString networkError;
        QByteArray body;
        QNetworkReply *reply = nullptr;  // valid until the next request
        QByteArray header(const char *name) const { return reply ? reply->rawHeader(name) : QByteArray(); }
    };
    std::unique_ptr<QNetworkReply, void (*)(QNetworkReply *)> last{nullptr, [](QNetworkReply *r) { r->deleteLater(); }};

    QNetworkRequest request(const QUrl &url, bool authorized) const
    {
        QNetworkRequest request(url);
        request.setRawHeader("User-Agent", "kiln; hf_hub-compatible");
        request.setRawHeader("Accept-Encoding", "identity");
        if (authorized && !token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        request.setTransferTimeout(0);  // the stall timer below decides
        return request;
    }

    // Runs `reply` to its end. `onData` takes each piece as it arrives (the body is
    // then not kept) and may return false to abort (a write failed).
    Answer run(QNetworkReply *reply, const std::function<bool(const QByteArray &)> &onData = {}, qint64 limit = -1)
    {
        last.reset(reply);
        Answer answer;
        answer.reply = reply;
        QEventLoop loop;
        QElapsedTimer sinceData;
        sinceData.start();
        bool aborted = false;
        QObject::connect(reply, &QNetworkReply::readyRead, &loop, [&] {
            sinceData.restart();
            const QByteArray piece = reply->readAll();
            if (onData) {
                if (!onData(piece)) {
                    aborted = true;
                    reply->abort();
                }
            } else if (limit < 0 || answer.body.size() + piece.size() <= limit) {
                answer.body += piece;
            } else {
                aborted = true;
                answer.networkError = QStringLiteral("the answer is larger than %1").arg(sizeText(limit));
                reply->abort();
            }
        });
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer watch;
        watch.setInterval(100);
        QObject::connect(&watch, &QTimer::timeout, &loop, [&] {
            if (q->mCancelled && q->mCancelled()) {
                q->mWasCancelled = true;
                aborted = true;
                reply->abort();
            } else if (sinceData.elapsed() > q->mStallTimeoutMs) {
                aborted = true;
                answer.networkError = QStringLiteral("no answer for %1 s").arg(q->mStallTimeoutMs / 1000);
                reply->abort();
            }
        });
        watch.start();
        if (q->mCancelled && q->mCancelled()) {
            q->mWasCancelled = true;
            aborted = true;
            reply->abort();
        }
        if (!reply->isFinished())
            loop.exec();
        if (!aborted && reply->bytesAvailable() > 0) {
            const QByteArray rest = reply->readAll();
            if (onData)
                onData(rest);
            else
                answer.body += rest;
        }
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.network = reply->error();
        if (answer.networkError.isEmpty() && reply->error() != QNetworkReply::NoError && answer.status == 0)
            answer.networkError = reply->errorString();
        if (answer.networkError.isEmpty() && aborted && !q->mWasCancelled)
            answer.networkError = QStringLiteral("aborted");
        return answer;
    }

    bool cancelledError()
    {
        if (!q->mWasCancelled)
            return false;
        error = QStringLiteral("the download of %1 was interrupted; run it again to resume").arg(repo);
        return true;
    }

    // The one-line message for an HTTP error answer about `what`.
    QString httpError(const Answer &answer, const QString &what, const QString &revision) const
    {
        const QByteArray code = answer.header("X-Error-Code");
        if (answer.status == 401)
            return token.isEmpty()
                       ? QStringLiteral("%1 is not on the Hub, or it is private: set HF_TOKEN to a token that can read it").arg(repo)
                       : QStringLiteral("%1 is not on the Hub, or your token cannot read it").arg(repo);
        if (answer.status == 403 && code == "GatedRepo")
            return QStringLiteral("%1 is gated: accept its conditions on the Hub, then set HF_TOKEN to your token").arg(repo);
        if (answer.status == 403)
            return QStringLiteral("the Hub refused access to %1 (HTTP 403)").arg(what);
        if (answer.status == 404 && code == "RevisionNotFound")
            return QStringLiteral("%1 has no revision '%2'").arg(repo, revision);
        if (answer.status == 404 && code == "EntryNotFound")
            return QStringLiteral("%1 has no file %2").arg(repo, what);
        if (answer.status == 404)
            return QStringLiteral("no model %1 on the Hub (%2)").arg(repo, HubClient::endpoint());
        if (answer.status == 416)
            return QStringLiteral("the server cannot resume %1 (HTTP 416)").arg(what);
        return QStringLiteral("the Hub answered HTTP %1 for %2").arg(answer.status).arg(what);
    }

    static bool isHtml(const Answer &answer)
    {
        return answer.header("Content-Type").toLower().startsWith("text/html");
    }

    // The commit `revision` is at and the repository's files, from the Hub's API.
    bool resolve(const QString &revision, QString *commit, QStringList *files, bool *unreachable)
    {
        QUrl url(HubClient::endpoint() + QStringLiteral("/api/models/%1/revision/%2")
                                              .arg(repo, QString::fromLatin1(QUrl::toPercentEncoding(revision))));
        Answer answer;
        for (int hop = 0;; ++hop) {
            answer = run(manager.get(request(url, true)), {}, kMaxApiAnswer);
            if (cancelledError())
                return false;
            const QByteArray location = answer.header("Location");
            if (answer.status >= 300 && answer.status < 400 && !location.isEmpty() && hop < kMaxRedirects) {
                url = url.resolved(QUrl::fromEncoded(location));  // a renamed repository
                if (!sameOrigin(url)) {
                    error = QStringLiteral("the Hub's API redirected %1 to another host (%2); not followed").arg(repo, url.host());
                    return false;
                }
                continue;
            }
            break;
        }
        if (answer.status == 0) {
            *unreachable = true;
            error = QStringLiteral("cannot reach %1 (%2)").arg(HubClient::endpoint(), answer.networkError);
            return false;
        }
        if (!answer.networkError.isEmpty()) {
            error = QStringLiteral("the Hub's answer for %1 was cut short (%2)").arg(repo, answer.networkError);
            return false;
        }
        if (answer.status != 200) {
            error = httpError(answer, repo, revision);
            return false;
        }
        if (isHtml(answer)) {
            error = QStringLiteral("%1 answered with a web page, not the Hub's API (a proxy or a login page?)")
                        .arg(HubClient::endpoint());
            return false;
        }
        QJsonParseError parse;
        const QJsonDocument json = QJsonDocument::fromJson(answer.body, &parse);
        if (!json.isObject()) {
            error = QStringLiteral("%1 did not answer with the Hub's JSON for %2 (%3)")
                        .arg(HubClient::endpoint(), repo, parse.errorString());
            return false;
        }
        *commit = json.object().value(QLatin1String("sha")).toString();
        if (!HubCache::isCommit(*commit)) {
            error = QStringLiteral("the Hub's answer for %1 names no commit").arg(repo);
            return false;
        }
        for (const QJsonValue &sibling : json.object().value(QLatin1String("siblings")).toArray()) {
            const QString name = sibling.toObject().value(QLatin1String("rfilename")).toString();
            if (!isSafeRepoPath(name)) {
                error = QStringLiteral("the Hub's listing of %1 names an unsafe path: %2").arg(repo, name.left(100));
                return false;
            }
            files->append(name);
        }
        return true;
    }

    // Fetches one file of `commit` into blobs/ (unless it is there) and links it
    // from the snapshot.
    bool fetch(const QString &folder, const QString &commit, const QString &file)
    {
        const QString snapshotPath = folder + QLatin1String("/snapshots/") + commit + QLatin1Char('/') + file;
        if (QFileInfo::exists(snapshotPath))
            return true;

        // The file's id and size, from the answer before any redirect to a CDN.
        QUrl url(HubClient::endpoint() + QStringLiteral("/%1/resolve/%2/%3")
                                              .arg(repo, commit, QString::fromUtf8(QUrl::toPercentEncoding(file, "/"))));
        Answer head;
        for (int hop = 0;; ++hop) {
            head = run(manager.head(request(url, true)));
            if (cancelledError())
                return false;
            const QByteArray location = head.header("Location");
            const QUrl next = url.resolved(QUrl::fromEncoded(location));
            // Within the Hub (a renamed repository) the answer is followed; to a
            // CDN it is where the file is, and this answer describes it.
            if (head.status >= 300 && head.status < 400 && !location.isEmpty() && sameOrigin(next) && hop < kMaxRedirects) {
                url = next;
                continue;
            }
            break;
        }
        if (head.status == 0) {
            error = QStringLiteral("cannot reach %1 for %2 (%3)").arg(HubClient::endpoint(), file, head.networkError);
            return false;
        }
        if (head.status >= 400) {
            error = httpError(head, file, commit);
            return false;
        }
        QByteArray etagHeader = head.header("X-Linked-Etag");
        if (etagHeader.isEmpty())
            etagHeader = head.header("ETag");
        const QString etag = normalizedEtag(etagHeader);
        static const QRegularExpression safeEtag(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"));
        if (!safeEtag.match(etag).hasMatch()) {
            error = QStringLiteral("the Hub gave %1 no usable ETag").arg(file);
            return false;
        }
        QByteArray sizeHeader = head.header("X-Linked-Size");
        if (sizeHeader.isEmpty())
            sizeHeader = head.header("Content-Length");
        bool sizeKnown = false;
        const qint64 expected = sizeHeader.toLongLong(&sizeKnown);
        QUrl source = url;
        if (head.status >= 300 && head.status < 400 && !head.header("Location").isEmpty())
            source = url.resolved(QUrl::fromEncoded(head.header("Location")));

        const QString blob = folder + QLatin1String("/blobs/") + etag;
        if (!QDir().mkpath(folder + QLatin1String("/blobs")) || !QDir().mkpath(QFileInfo(snapshotPath).absolutePath())) {
            error = QStringLiteral("cannot create folders in %1").arg(folder);
            return false;
        }
        if (!QFileInfo::exists(blob) && !download(source, file, etag, blob, sizeKnown ? expected : -1))
            return false;
        // Relative, as huggingface_hub links them, so the cache can move.
        const QString target = QDir(QFileInfo(snapshotPath).absolutePath()).relativeFilePath(blob);
        QFile::remove(snapshotPath);
        if (!QFile::link(target, snapshotPath) && !QFile::copy(blob, snapshotPath)) {
            error = QStringLiteral("cannot link %1 into %2").arg(file, QFileInfo(snapshotPath).absolutePath());
            return false;
        }
        return true;
    }

    // Holds huggingface_hub's own lock for a blob (flock on .locks/REPO/ETAG.lock,
    // which filelock uses too), so Kiln and Python never write one blob at once.
    // Gives up when the blob appears meanwhile or the user interrupts.
    bool lockBlob(const QString &etag, const QString &blob, int *fd, bool *alreadyThere)
    {
        const QString locks = HubCache::directory() + QLatin1String("/.locks/") + QFileInfo(QFileInfo(blob).absolutePath()).dir().dirName();
        QDir().mkpath(locks);
        const QByteArray path = QFile::encodeName(locks + QLatin1Char('/') + etag + QLatin1String(".lock"));
        *fd = ::open(path.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (*fd < 0) {
            error = QStringLiteral("cannot create the lock %1: %2").arg(QFile::decodeName(path), QString::fromLocal8Bit(strerror(errno)));
            return false;
        }
        while (::flock(*fd, LOCK_EX | LOCK_NB) != 0) {
            if (errno != EWOULDBLOCK && errno != EINTR) {
                error = QStringLiteral("cannot lock %1: %2").arg(QFile::decodeName(path), QString::fromLocal8Bit(strerror(errno)));
                return false;
            }
            if (QFileInfo::exists(blob)) {
                *alreadyThere = true;
                return true;
            }
            if (q->mCancelled && q->mCancelled()) {
                q->mWasCancelled = true;
                cancelledError();
                return false;
            }
            QThread::msleep(200);
        }
        return true;
    }

    bool download(const QUrl &from, const QString &file, const QString &etag, const QString &blob, qint64 expected)
    {
        int lockFd = -1;
        const auto unlock = qScopeGuard([&lockFd] {
            if (lockFd >= 0)
                ::close(lockFd);  // releases the flock; the file stays, as filelock leaves it
        });
        bool alreadyThere = false;
        if (!lockBlob(etag, blob, &lockFd, &alreadyThere))
            return false;
        if (alreadyThere || QFileInfo::exists(blob))
            return true;  // fetched by another process meanwhile

        const QString partial = blob + QLatin1String(".incomplete");
        QFile out(partial);
        if (!out.open(QIODevice::ReadWrite)) {
            error = QStringLiteral("cannot write %1: %2").arg(partial, out.errorString());
            return false;
        }
        const bool checkSum = isSha256(etag);
        QCryptographicHash hash(QCryptographicHash::Sha256);
        qint64 have = out.size();
        if (expected >= 0 && have > expected)
            have = 0;
        const auto restart = [&] {
            out.resize(0);
            out.seek(0);
            hash.reset();
            have = 0;
        };
        if (have > 0 && checkSum) {
            out.seek(0);
            while (out.pos() < have)
                hash.addData(out.read(qMin<qint64>(1 << 20, have - out.pos())));
        }
        if (have == 0)
            restart();
        out.seek(have);
        qint64 received = have;

        // A partial file that is already whole (the last run ended between the
        // last byte and the rename) needs no request at all.
        bool complete = expected >= 0 && have == expected;
        QUrl source = from;
        bool retried = false;
        for (int hop = 0; !complete; ++hop) {
            // Redirects by hand, so the token never leaves the Hub's origin.
            QNetworkRequest get = request(source, sameOrigin(source));
            if (have > 0)
                get.setRawHeader("Range", "bytes=" + QByteArray::number(have) + '-');
            QString writeError;
            QNetworkReply *reply = manager.get(get);
            const auto status = [reply] { return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(); };
            bool checkedStart = false;
            const Answer answer = run(reply, [&](const QByteArray &piece) {
                if (status() != 200 && status() != 206)
                    return true;  // a redirect or an error page: not the file
                if (!checkedStart) {
                    checkedStart = true;
                    if (status() == 200 && have > 0) {
                        restart();  // the server ignored the range and sends it all
                        received = 0;
                    } else if (status() == 206) {
                        // "bytes START-END/TOTAL" must start where the file ends.
                        const QByteArray range = reply->rawHeader("Content-Range");
                        const qsizetype dash = range.indexOf('-');
                        const qint64 startsAt = dash > 6 ? range.mid(6, dash - 6).trimmed().toLongLong() : -1;
                        if (!range.startsWith("bytes ") || startsAt != have) {
                            writeError = QStringLiteral("the server resumed %1 at the wrong place (%2)").arg(file, QString::fromLatin1(range.left(60)));
                            return false;
                        }
                    }
                }
                if (expected >= 0 && received + piece.size() > expected) {
                    writeError = QStringLiteral("the server sent more than the %1 announced for %2").arg(sizeText(expected), file);
                    return false;
                }
                if (out.write(piece) != piece.size()) {
                    writeError = QStringLiteral("cannot write %1 in %2: %3").arg(file, HubCache::directory(), out.errorString());
                    return false;
                }
                if (checkSum)
                    hash.addData(piece);
                received += piece.size();
                if (q->mProgress)
                    q->mProgress(file, received, expected);
                return true;
            });
            out.flush();
            if (cancelledError())
                return false;
            if (!writeError.isEmpty()) {
                if (writeError.startsWith(QLatin1String("the server resumed")) || writeError.startsWith(QLatin1String("the server sent more")))
                    out.remove();
                error = writeError;
                return false;
            }
            const QByteArray location = answer.header("Location");
            if (answer.status >= 300 && answer.status < 400 && !location.isEmpty()) {
                if (hop >= kMaxRedirects) {
                    error = QStringLiteral("too many redirects for %1").arg(file);
                    return false;
                }
                source = source.resolved(QUrl::fromEncoded(location));
                continue;
            }
            if (answer.status == 416 && have > 0 && !retried) {
                retried = true;  // the partial file is not what the server has: start over
                restart();
                received = 0;
                continue;
            }
            if (answer.status >= 400) {
                error = httpError(answer, file, QString());
                return false;
            }
            if (answer.status == 0 && received == have) {
                error = QStringLiteral("cannot download %1 (%2)").arg(file, answer.networkError);
                return false;
            }
            if (answer.status == 200 && isHtml(answer) && !file.endsWith(QLatin1String(".html")) && expected < 0) {
                out.remove();
                error = QStringLiteral("the server answered %1 with a web page, not the file").arg(file);
                return false;
            }
            const bool whole = expected >= 0 ? received == expected : answer.network == QNetworkReply::NoError;
            if (!whole) {
                error = QStringLiteral("the server closed the connection after %1 of %2 of %3; run it again to resume")
                            .arg(sizeText(received), expected >= 0 ? sizeText(expected) : QStringLiteral("?"), file);
                return false;
            }
            complete = true;
        }
        if (checkSum) {
            const QString actual = QString::fromLatin1(hash.result().toHex());
            if (actual != etag) {
                out.remove();
                error = QStringLiteral("checksum mismatch for %1: the Hub says sha256 %2, the download has %3")
                            .arg(file, etag.left(12), actual.left(12));
                return false;
            }
        }
        out.close();
        if (!QFile::rename(partial, blob) && !QFileInfo::exists(blob)) {
            error = QStringLiteral("cannot move %1 into place in %2").arg(file, QFileInfo(blob).absolutePath());
            return false;
        }
        QFile::remove(partial);
        return true;
    }
};

HubClient::Progress HubClient::progressLines(std::function<void(const QString &line)> write, int everyMs)
{
    struct State
    {
        QString current;
        QElapsedTimer sinceLine;
    };
    auto state = std::make_shared<State>();
    state->sinceLine.start();
    return [state, write = std::move(write), everyMs](const QString &file, qint64 received, qint64 total) {
        const bool done = total > 0 && received == total;
        const bool due = state->sinceLine.elapsed() > everyMs;
        if (done)
            write(QStringLiteral("%1 %2\n").arg(file, sizeText(total)));
        else if (due && file == state->current)
            write(QStringLiteral("%1 %2 of %3\n").arg(file, sizeText(received), total > 0 ? sizeText(total) : QStringLiteral("?")));
        if (done || due || file != state->current) {
            state->current = file;
            state->sinceLine.restart();
        }
    };
}

QList<HubClient::Found> HubClient::search(const QString &text, int limit, QString *error)
{
    if (offline()) {
        *error = QStringLiteral("HF_HUB_OFFLINE is set: searching needs the Hub");
        return {};
    }
    Private d(this);
    d.token = defaultToken();
    QUrl url(endpoint() + QStringLiteral("/api/models"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("search"), text.trimmed());
    query.addQueryItem(QStringLiteral("limit"), QString::number(qBound(1, limit, 100)));
    query.addQueryItem(QStringLiteral("sort"), QStringLiteral("downloads"));
    url.setQuery(query);
    const Private::Answer answer = d.run(d.manager.get(d.request(url, true)), {}, kMaxApiAnswer);
    if (mWasCancelled) {
        *error = QStringLiteral("the search was interrupted");
        return {};
    }
    if (answer.status == 0) {
        *error = QStringLiteral("cannot reach %1 (%2)").arg(endpoint(), answer.networkError);
        return {};
    }
    if (answer.status != 200 || Private::isHtml(answer)) {
        *error = answer.status != 200 ? QStringLiteral("the Hub answered HTTP %1 to a search").arg(answer.status)
                                      : QStringLiteral("%1 answered with a web page, not the Hub's API").arg(endpoint());
        return {};
    }
    const QJsonDocument json = QJsonDocument::fromJson(answer.body);
    if (!json.isArray()) {
        *error = QStringLiteral("%1 did not answer a search with the Hub's JSON").arg(endpoint());
        return {};
    }
    QList<Found> found;
    for (const QJsonValue &entry : json.array()) {
        const QJsonObject model = entry.toObject();
        const QString repo = model.value(QLatin1String("id")).toString(model.value(QLatin1String("modelId")).toString());
        if (!HubCache::isValidRepo(repo))
            continue;
        found.append({repo, model.value(QLatin1String("downloads")).toInteger(), model.value(QLatin1String("likes")).toInteger(),
                      model.value(QLatin1String("pipeline_tag")).toString()});
    }
    return found;
}

QString HubClient::endpoint()
{
    QString endpoint = qEnvironmentVariable("HF_ENDPOINT", QStringLiteral("https://huggingface.co")).trimmed();
    while (endpoint.endsWith(QLatin1Char('/')))
        endpoint.chop(1);
    return endpoint;
}

bool HubClient::offline()
{
    const QString value = qEnvironmentVariable("HF_HUB_OFFLINE").trimmed().toUpper();
    return value == QLatin1String("1") || value == QLatin1String("ON") || value == QLatin1String("YES")
           || value == QLatin1String("TRUE");
}

QString HubClient::defaultToken()
{
    const QString token = qEnvironmentVariable("HF_TOKEN").trimmed();
    if (!token.isEmpty())
        return token;
    const QString home = qEnvironmentVariable("HF_HOME", QDir::homePath() + QLatin1String("/.cache/huggingface"));
    QFile file(home + QLatin1String("/token"));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.read(4096)).trimmed() : QString();
}

QString HubClient::download(const QString &repo, const Options &options, QString *error)
{
    mWasCancelled = false;
    if (!HubCache::isValidRepo(repo)) {
        *error = QStringLiteral("'%1' is not a model name: ORG/NAME expected").arg(repo);
        return QString();
    }
    const QString revision = options.revision.isEmpty() ? QStringLiteral("main") : options.revision;
    if (!isSafeRevision(revision)) {
        *error = QStringLiteral("'%1' is not a revision name").arg(revision);
        return QString();
    }
    QList<QRegularExpression> patterns;
    for (const QString &glob : options.files)
        patterns.append(globPattern(glob));
    const auto wanted = [&patterns](const QString &path) {
        if (patterns.isEmpty())
            return true;
        for (const QRegularExpression &pattern : patterns) {
            if (pattern.match(path).hasMatch())
                return true;
        }
        return false;
    };
    // A cached snapshot serves offline when it has every file asked for by name.
    const auto fromCache = [&](const QString &why) {
        const QString snapshot = HubCache::snapshot(repo, revision);
        bool complete = !snapshot.isEmpty();
        for (const QString &glob : options.files) {
            if (!glob.contains(QLatin1Char('*')) && !glob.contains(QLatin1Char('?')) && !QFileInfo::exists(snapshot + QLatin1Char('/') + glob))
                complete = false;
        }
        if (complete)
            return snapshot;
        *error = QStringLiteral("%1, and %2 (%3) is not in the cache at %4").arg(why, repo, revision, HubCache::directory());
        return QString();
    };
    if (offline())
        return fromCache(QStringLiteral("HF_HUB_OFFLINE is set"));

    Private d(this);
    d.repo = repo;
    d.token = options.token.isEmpty() ? defaultToken() : options.token;
    QString commit;
    QStringList files;
    bool unreachable = false;
    if (!d.resolve(revision, &commit, &files, &unreachable)) {
        if (unreachable)
            return fromCache(d.error);
        *error = d.error;
        return QString();
    }
    QStringList chosen;
    for (const QString &file : std::as_const(files)) {
        if (wanted(file))
            chosen.append(file);
    }
    if (chosen.isEmpty()) {
        *error = files.isEmpty() ? QStringLiteral("%1 has no files").arg(repo)
                                 : QStringLiteral("no file of %1 matches %2").arg(repo, options.files.join(QLatin1String(", ")));
        return QString();
    }
    const QString folder = HubCache::repoFolder(repo);
    for (const QString &file : std::as_const(chosen)) {
        if (!d.fetch(folder, commit, file)) {
            *error = d.error;
            return QString();
        }
    }
    if (!HubCache::isCommit(revision)) {
        const QString refPath = folder + QLatin1String("/refs/") + revision;
        QDir().mkpath(QFileInfo(refPath).absolutePath());
        QSaveFile ref(refPath);
        if (!ref.open(QIODevice::WriteOnly) || ref.write(commit.toLatin1()) != commit.size() || !ref.commit()) {
            *error = QStringLiteral("cannot write %1").arg(refPath);
            return QString();
        }
    }
    return folder + QLatin1String("/snapshots/") + commit;
}

} // namespace kiln
