#pragma once

// Internal to core: reading PyTorch's zip checkpoints (torch.save) with Kiln's
// restricted unpickler, for torch.load and `kiln predict`. Includes torch.
#include <ATen/core/ivalue.h>

#include <string>

namespace kiln::lua {

// The value a torch.save file holds. Throws std::runtime_error or c10::Error
// with a one-line reason when the file is not a checkpoint Kiln can read.
c10::IValue loadCheckpoint(const std::string &path);

} // namespace kiln::lua
