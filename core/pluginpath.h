#pragma once

#include <QString>
#include <QStringList>

namespace kiln {

// Where a kiln binary looks for one of its plugins (libkiln_cuda.so,
// libkiln_sentencepiece.so): the file named by `environmentVariable` when set,
// then beside the installed binary (lib/kiln, lib64/kiln), then `buildPath`, the
// plugin in the build tree the binary came from (empty when installed).
QStringList pluginCandidates(const QString &fileName, const char *environmentVariable, const QString &buildPath);

} // namespace kiln
