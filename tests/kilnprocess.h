#pragma once

// Running the kiln binary from a test: its exit code (-1 for a crash), its
// output and how long it took. KILN_BINARY comes from tests/CMakeLists.txt.
#include <QElapsedTimer>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

namespace kilntest {

struct ProcessResult
{
    int exitCode = -1;
    QString out;
    QString err;
    qint64 ms = 0;
};

inline ProcessResult runKiln(const QStringList &arguments,
                             const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
                             int timeoutMs = 120000)
{
    QProcess process;
    process.setProcessEnvironment(env);
    QElapsedTimer timer;
    timer.start();
    process.start(QStringLiteral(KILN_BINARY), arguments);
    process.waitForFinished(timeoutMs);
    ProcessResult result;
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    result.ms = timer.elapsed();
    return result;
}

} // namespace kilntest
