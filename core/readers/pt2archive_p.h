#pragma once

// Internal to core's torch sources: `.pt2` files from torch.export.save and
// AOTInductor packages (aoti_compile_and_package). A `.pt2` is a zip with one
// top folder, like torch.save's, holding `archive_format` = "pt2" and either an
// exported program (models/model.json, raw weight files) or compiled models
// (data/aotinductor/<name>/*.so). Kiln reads the former's description and
// weights itself and runs the latter through libtorch's package loader.
#include <torch/torch.h>

#include <QString>
#include <QStringList>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace caffe2::serialize {
class PyTorchStreamReader;
}
namespace torch::inductor {
class AOTIModelPackageLoader;
}

namespace kiln {

struct ModelSummary;

namespace pt2 {

bool isPt2(caffe2::serialize::PyTorchStreamReader &archive);
// The compiled models of an AOTInductor package ("model" by default); empty for
// a plain exported program.
QStringList aotiModels(caffe2::serialize::PyTorchStreamReader &archive);

// Fills `summary` (format "exported_program" or "aoti_package"); throws with a
// one-line reason for a malformed archive.
void summarize(caffe2::serialize::PyTorchStreamReader &archive, ModelSummary &summary);

// An exported program's parameters, buffers and constants by their dotted names,
// read from the archive's raw weight files (each checked against its file size).
std::vector<std::pair<std::string, at::Tensor>> loadWeights(const std::string &path);

// Opens an AOTInductor package to run. Throws with a one-line reason that says
// how to make a runnable file when `path` is a plain export or not a package.
std::unique_ptr<torch::inductor::AOTIModelPackageLoader> loadPackage(const std::string &path);

// The advice for a `.pt2` Kiln cannot run: what it is and how to make one it can.
std::string notRunnableMessage();

} // namespace pt2
} // namespace kiln
