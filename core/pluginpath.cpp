#include "pluginpath.h"

#include <QFileInfo>
#include <QStringList>

namespace kiln {

namespace {

QStringList pluginCandidates(const QString &fileName, const char *environmentVariable, const QString &buildPath)
{
    QStringList candidates;
    if (qEnvironmentVariableIsSet(environmentVariable))
        candidates << qEnvironmentVariable(environmentVariable);
    const QString exe = QFileInfo(QStringLiteral("/proc/self/exe")).canonicalFilePath();
    const QString bin = QFileInfo(exe).absolutePath();
    candidates << bin + QStringLiteral("/../lib/kiln/") + fileName << bin + QStringLiteral("/../lib64/kiln/") + fileName
               << bin + QStringLiteral("/lib/") + fileName;
    if (!buildPath.isEmpty())
        candidates << buildPath;
    return candidates;
}

} // namespace

QString findPlugin(const QString &fileName, const char *environmentVariable, const QString &buildPath)
{
    for (const QString &candidate : pluginCandidates(fileName, environmentVariable, buildPath)) {
        if (QFileInfo::exists(candidate))
            return candidate;
    }
    return QString();
}

} // namespace kiln
