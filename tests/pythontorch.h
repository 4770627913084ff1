#pragma once

// PyTorch (the build's own: the venv whose libtorch Kiln links) as the reference
// that tests check Kiln's files against: which python has it, and running a script with it.
#include <QProcess>
#include <QStandardPaths>
#include <QStringList>

namespace kilntest {

// The first python that has torch: $KILN_PYTHON, then the one the build took its
// libtorch from (same version as Kiln's), then PATH's; empty when none does.
inline QString findPythonWithTorch()
{
    QStringList candidates;
    if (qEnvironmentVariableIsSet("KILN_PYTHON"))
        candidates << qEnvironmentVariable("KILN_PYTHON");
#ifdef KILN_BUILD_PYTHON
    candidates << QStringLiteral(KILN_BUILD_PYTHON);
#endif
    candidates << QStandardPaths::findExecutable(QStringLiteral("python3"));
    for (const QString &candidate : std::as_const(candidates)) {
        if (candidate.isEmpty())
            continue;
        QProcess probe;
        probe.start(candidate, {QStringLiteral("-c"), QStringLiteral("import torch")});
        if (probe.waitForFinished(60000) && probe.exitStatus() == QProcess::NormalExit && probe.exitCode() == 0)
            return candidate;
    }
    return QString();
}

// Runs `python arguments...` (a script file or -c CODE); its output, stdout and stderr merged.
inline bool runPython(const QString &python, const QStringList &arguments, QString *output, int timeoutMs = 180000)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(python, arguments);
    const bool finished = process.waitForFinished(timeoutMs);
    *output = QString::fromUtf8(process.readAll());
    return finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

} // namespace kilntest
