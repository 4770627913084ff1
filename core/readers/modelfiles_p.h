#pragma once

// Internal to core's torch sources: reading PyTorch checkpoints and safetensors
// headers without Lua, shared by torch.load/safetensors.load and kiln inspect.
// Every function reports a bad file by throwing std::runtime_error.
#include <torch/torch.h>

#include <caffe2/serialize/inline_container.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

class QFile;

namespace kiln::modelfiles {

bool isUtf8(const std::string &text);

// The data.pkl of a torch.save archive through a restricted unpickler (containers,
// numbers, strings, tensors only). Without `withData` no tensor bytes are read:
// the tensors have their shapes and dtypes over storages with no memory behind
// them, which is enough to describe a file of any size.
c10::IValue readCheckpoint(caffe2::serialize::PyTorchStreamReader &archive, bool withData = true);
// torch.save's format before PyTorch 1.6 (a file that starts with a pickle, not a
// zip), read the same way: isLegacyCheckpoint looks at its first bytes.
bool isLegacyCheckpoint(const std::string &head);
c10::IValue readLegacyCheckpoint(const std::string &bytes, bool withData = true);

struct SafetensorsType
{
    const char *name;
    at::ScalarType type;
};
extern const std::vector<SafetensorsType> kSafetensorsTypes;

struct SafetensorsEntry
{
    std::string name;
    at::ScalarType type;
    std::vector<int64_t> shape;
    uint64_t begin, end;  // within the data that follows the header
};

struct SafetensorsHeader
{
    uint64_t headerSize = 0;
    std::vector<SafetensorsEntry> entries;  // in data order
    std::vector<std::pair<std::string, std::string>> metadata;
};

// Reads and validates the header of an open safetensors file: sizes, dtypes and
// offsets that cover the data exactly. Reads no tensor data.
SafetensorsHeader readSafetensorsHeader(QFile &file);

} // namespace kiln::modelfiles
