// libFuzzer target: Kiln's restricted unpickler for PyTorch checkpoints
// (modelfiles::readCheckpoint), as torch.load, kiln predict and kiln inspect
// read a torch.save file; an input that starts like the legacy format (pre-1.6)
// goes to modelfiles::readLegacyCheckpoint.
//
// An input that starts like a zip ("PK\3\4") is a whole .pt file, read from
// memory. Any other input is the pickle itself (data.pkl): it is packed into a
// fresh archive beside storage records data/0 .. data/15, so mutations reach the
// unpickler instead of failing the zip's checksums. That archive is read twice:
// with tensor data (torch.load), and through inspectModel from a scratch file
// (kiln inspect: sizes only, then the state dict's modules are inferred).

#include "fuzz_common.h"
#include "readers/modelfiles_p.h"
#include "readers/modelinspect.h"

#include <caffe2/serialize/inline_container.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>

using namespace kiln;

namespace {

constexpr int kStorages = 16;
constexpr size_t kStorageBytes = 256;

std::string packArchive(const uint8_t *pickle, size_t size)
{
    std::string out;
    {
        caffe2::serialize::PyTorchStreamWriter writer([&](const void *bytes, size_t n) {
            out.append(static_cast<const char *>(bytes), n);
            return n;
        });
        writer.writeRecord("data.pkl", pickle, size);
        static const std::string storage = [] {
            std::string s(kStorageBytes, '\0');
            for (size_t i = 0; i < s.size(); ++i)
                s[i] = char(i * 7 + 1);
            return s;
        }();
        for (int i = 0; i < kStorages; ++i)
            writer.writeRecord("data/" + std::to_string(i), storage.data(), storage.size());
        writer.writeEndOfFile();
    }
    return out;
}

// Every tensor a checkpoint yields must lie inside its storage; touch the first
// and the last byte it can reach, so ASan sees a view that does not. A pickle can
// share one container many times over (its memo), so the walk is bounded.
void touch(const c10::IValue &value, int depth = 0)
{
    static int budget;
    if (depth == 0)
        budget = 100000;
    if (depth > 200 || --budget < 0)
        return;
    if (value.isTensor()) {
        const at::Tensor &t = value.toTensor();
        if (t.numel() == 0)
            return;
        int64_t last = t.storage_offset();
        for (int64_t d = 0; d < t.dim(); ++d)
            last += (t.size(d) - 1) * t.stride(d);
        const size_t item = t.element_size();
        if (t.storage_offset() < 0 || size_t(last + 1) * item > t.storage().nbytes())
            std::abort();
        const auto *base = static_cast<const volatile char *>(t.storage().data());
        if (base) {
            (void)base[size_t(t.storage_offset()) * item];
            (void)base[size_t(last + 1) * item - 1];
        }
    } else if (value.isList()) {
        for (const c10::IValue &e : value.toListRef())
            touch(e, depth + 1);
    } else if (value.isTuple()) {
        for (const c10::IValue &e : value.toTupleRef().elements())
            touch(e, depth + 1);
    } else if (value.isGenericDict()) {
        for (const auto &entry : value.toGenericDict())
            touch(entry.value(), depth + 1);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // A legacy (pre-1.6) torch.save file: pickles and raw storages, no zip.
    const std::string raw(reinterpret_cast<const char *>(data), size);
    if (modelfiles::isLegacyCheckpoint(raw)) {
        try {
            touch(modelfiles::readLegacyCheckpoint(raw, true));
        } catch (const std::exception &) {
        }
        return 0;
    }
    const bool zip = size >= 4 && std::memcmp(data, "PK\x03\x04", 4) == 0;
    const std::string archiveBytes = zip ? std::string(reinterpret_cast<const char *>(data), size)
                                         : packArchive(data, size);
    try {
        std::istringstream stream(archiveBytes);
        caffe2::serialize::PyTorchStreamReader archive(&stream);
        if (archive.hasRecord("data.pkl"))
            touch(modelfiles::readCheckpoint(archive, true));
    } catch (const std::exception &) {
        // c10::Error and std::runtime_error: a bad file, reported as such.
    }
    if (!zip) {
        // kiln inspect on the same archive. Whole .pt inputs stay out: one with
        // code/ records goes to libtorch's TorchScript loader (see fuzz_safetensors).
        const std::string &path =
            fuzz::writeScratch(reinterpret_cast<const uint8_t *>(archiveBytes.data()), archiveBytes.size());
        QString error;
        const ModelSummary summary = inspectModel(QString::fromStdString(path), &error);
        if (summary.format.isEmpty() && error.isEmpty())
            std::abort();
        if (!summary.format.isEmpty()) {
            (void)summary.toJson();
            (void)summary.toText();
        }
    }
    return 0;
}
