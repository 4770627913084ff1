#pragma once

// Internal to the training panel's sources (trainingpanel*.cpp): the values
// its model and dataset choosers store.
#include <QLatin1String>

namespace kiln {

// The dataset entry that stands for the installed Fashion-MNIST package.
const QLatin1String kFashionMnist("fashion-mnist");
// Model combo entries that are not built-in ids carry these prefixes in their data.
const QLatin1String kNotebookPrefix("notebook:");
const QLatin1String kFilePrefix("file:");

} // namespace kiln
