#pragma once

#include <QString>

namespace kiln {

// One of a kiln binary's plugins (libkiln_cuda.so, libkiln_sentencepiece.so),
// or an empty string: the file named by `environmentVariable` when set, else
// beside the installed binary (lib/kiln, lib64/kiln), else `buildPath`, the plugin
// in the build tree the binary came from (empty when installed).
QString findPlugin(const QString &fileName, const char *environmentVariable, const QString &buildPath);

} // namespace kiln
