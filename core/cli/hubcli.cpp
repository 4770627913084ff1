// `kiln hub download|ls|rm`: the Hugging Face cache from the command line.
#include "cli/cli.h"
#include "cli/cli_p.h"
#include "cli/commandline.h"
#include "hub/hubcache.h"
#include "hub/hubclient.h"

#include <QLocale>

#include <atomic>
#include <csignal>
#include <cstdio>

namespace kiln::cli {

namespace {

std::atomic<bool> gHubInterrupted{false};

void onHubSigint(int)
{
    gHubInterrupted.store(true);
}

int failure(const QString &message)
{
    writeTo(stderr, QStringLiteral("kiln hub: %1\n").arg(message));
    return ExitFailed;
}

int download(const QStringList &arguments)
{
    CommandLine line(QStringLiteral("hub download"), QStringLiteral("kiln hub download REPO [options]"), false);
    const QCommandLineOption revisionOption(QStringLiteral("revision"), QStringLiteral("A branch, tag or commit (default main)."),
                                            QStringLiteral("R"), QStringLiteral("main"));
    const QCommandLineOption includeOption(QStringLiteral("include"),
                                           QStringLiteral("Only files matching PATTERN (e.g. '*.json'); repeatable."),
                                           QStringLiteral("PATTERN"));
    line.addOptions({revisionOption, includeOption});
    if (!line.parse(arguments))
        return line.status();
    const QStringList positional = line.positionalArguments();
    if (positional.size() != 1)
        return line.usageError(positional.isEmpty() ? QStringLiteral("which model? (ORG/NAME)") : QStringLiteral("one model at a time"));

    HubClient client;
    HubClient::Options options;
    options.revision = line.value(revisionOption);
    options.files = line.values(includeOption);
    // Progress on stderr; stdout gets only the snapshot folder, for scripts.
    client.setProgress(HubClient::progressLines([](const QString &line) { writeTo(stderr, line); }, 2000));
    gHubInterrupted.store(false);
    std::signal(SIGINT, onHubSigint);
    client.setCancelled([] { return gHubInterrupted.load(); });
    QString error;
    const QString snapshot = client.download(positional.constFirst(), options, &error);
    std::signal(SIGINT, SIG_DFL);
    if (client.wasCancelled()) {
        writeTo(stderr, QStringLiteral("kiln hub: %1\n").arg(error));
        return ExitInterrupted;
    }
    if (snapshot.isEmpty())
        return failure(error);
    writeTo(stdout, snapshot + QLatin1Char('\n'));
    return ExitOk;
}

int list(const QStringList &arguments)
{
    CommandLine line(QStringLiteral("hub ls"), QStringLiteral("kiln hub ls"), false);
    if (!line.parse(arguments))
        return line.status();
    if (!line.positionalArguments().isEmpty())
        return line.usageError(QStringLiteral("kiln hub ls takes no arguments"));
    const QList<HubCache::CachedRepo> repos = HubCache::list();
    if (repos.isEmpty()) {
        writeTo(stdout, QStringLiteral("no models in %1\n").arg(HubCache::directory()));
        return ExitOk;
    }
    qint64 total = 0;
    for (const HubCache::CachedRepo &repo : repos) {
        writeTo(stdout, QStringLiteral("%1  %2  %3\n")
                            .arg(repo.repo, -40)
                            .arg(HubCache::sizeText(repo.bytes), 10)
                            .arg(repo.refs.isEmpty() ? QStringLiteral("%1 snapshots").arg(repo.snapshots) : repo.refs.join(QLatin1String(", "))));
        total += repo.bytes;
    }
    writeTo(stdout, QStringLiteral("%1 models, %2 in %3\n").arg(repos.size()).arg(HubCache::sizeText(total), HubCache::directory()));
    return ExitOk;
}

int remove(const QStringList &arguments)
{
    CommandLine line(QStringLiteral("hub rm"), QStringLiteral("kiln hub rm REPO"), false);
    if (!line.parse(arguments))
        return line.status();
    const QStringList positional = line.positionalArguments();
    if (positional.size() != 1)
        return line.usageError(QStringLiteral("which model? (ORG/NAME)"));
    qint64 freed = 0;
    QString error;
    if (!HubCache::remove(positional.constFirst(), &freed, &error))
        return failure(error);
    writeTo(stdout, QStringLiteral("removed %1 (%2)\n").arg(positional.constFirst(), HubCache::sizeText(freed)));
    return ExitOk;
}

} // namespace

int hub(const QStringList &arguments)
{
    const QString verb = arguments.value(0);
    if (verb == QLatin1String("download"))
        return download(arguments.mid(1));
    if (verb == QLatin1String("ls"))
        return list(arguments.mid(1));
    if (verb == QLatin1String("rm"))
        return remove(arguments.mid(1));
    return usageError(verb.isEmpty() ? QStringLiteral("kiln hub download|ls|rm") : QStringLiteral("unknown hub command '%1' (download, ls, rm)").arg(verb),
                      QStringLiteral("hub"));
}

} // namespace kiln::cli
