#include "kernel/modelvetting.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QMutexLocker>
#include <QProcess>
#include <QRegularExpression>
#include <QTimer>

namespace kiln {

namespace {

QMutex gMutex;
QHash<QString, QString> gVetted;  // canonical path -> its size and modification time
QString gInspector;

QString identity(const QFileInfo &info)
{
    return QStringLiteral("%1:%2").arg(info.size()).arg(info.lastModified().toMSecsSinceEpoch());
}

} // namespace

ModelVetting::ModelVetting(QObject *parent)
    : QObject(parent)
{}

ModelVetting::~ModelVetting()
{
    if (mProcess) {
        mProcess->disconnect(this);
        mProcess->kill();
        mProcess->waitForFinished(1000);
    }
}

bool ModelVetting::isVetted(const QString &path)
{
    const QFileInfo info(path);
    QMutexLocker locker(&gMutex);
    const auto it = gVetted.constFind(info.canonicalFilePath());
    return it != gVetted.constEnd() && !info.canonicalFilePath().isEmpty() && *it == identity(info);
}

void ModelVetting::markVetted(const QString &path)
{
    const QFileInfo info(path);
    if (info.canonicalFilePath().isEmpty())
        return;
    QMutexLocker locker(&gMutex);
    gVetted.insert(info.canonicalFilePath(), identity(info));
}

void ModelVetting::setInspector(const QString &program)
{
    QMutexLocker locker(&gMutex);
    gInspector = program;
}

QString ModelVetting::readerMessage(const QString &path, const QByteArray &stderrText)
{
    // The reader speaks to a command line; the window's user gets the reason
    // alone, without the file name the window already shows or the flags.
    QString reason = QString::fromUtf8(stderrText).trimmed();
    const QString prefix = QStringLiteral("kiln inspect: %1: ").arg(path);
    if (reason.startsWith(prefix))
        reason = reason.mid(prefix.size());
    static const QRegularExpression commandLineHint(QStringLiteral(" \\(raise the limit with --\\w+\\)"));
    reason.remove(commandLineHint);
    return reason;
}

QString ModelVetting::inspector()
{
    {
        QMutexLocker locker(&gMutex);
        if (!gInspector.isEmpty())
            return gInspector;
    }
    const QString beside = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("kiln"));
    return QFileInfo(beside).isExecutable() ? beside : QCoreApplication::applicationFilePath();
}

void ModelVetting::vet(const QString &path)
{
    if (mProcess) {
        mProcess->disconnect(this);
        mProcess->kill();
        connect(mProcess, &QProcess::finished, mProcess, &QObject::deleteLater);
        mProcess = nullptr;
    }
    if (isVetted(path)) {
        QTimer::singleShot(0, this, [this, path] { Q_EMIT finished(path, true, QString()); });
        return;
    }
    auto *process = new QProcess(this);
    mProcess = process;
    process->setStandardInputFile(QProcess::nullDevice());
    connect(process, &QProcess::finished, this, [this, process, path](int code, QProcess::ExitStatus status) {
        process->deleteLater();
        if (mProcess == process)
            mProcess = nullptr;
        if (status == QProcess::NormalExit && code == 0) {
            markVetted(path);
            Q_EMIT finished(path, true, QString());
            return;
        }
        QString reason = readerMessage(path, process->readAllStandardError());
        if (reason.isEmpty())
            reason = tr("Kiln could not read %1 (its reader stopped with status %2)").arg(path).arg(code);
        Q_EMIT finished(path, false, reason);
    });
    connect(process, &QProcess::errorOccurred, this, [this, process, path](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        process->deleteLater();
        if (mProcess == process)
            mProcess = nullptr;
        Q_EMIT finished(path, false, tr("Kiln could not start its model reader %1").arg(inspector()));
    });
    process->start(inspector(), {QStringLiteral("inspect"), path, QStringLiteral("--json")});
}

} // namespace kiln
