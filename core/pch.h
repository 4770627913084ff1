// Precompiled header for core's torch sources: libtorch's headers cost ~20 s a file.
// Torch comes before any Qt header, and core builds with QT_NO_KEYWORDS.
#pragma once
#include <torch/torch.h>
#include <QtCore/QString>
