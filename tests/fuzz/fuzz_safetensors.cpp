// libFuzzer target: reading a .safetensors file as `kiln inspect` and the model
// browser do (inspectModel -> modelfiles::readSafetensorsHeader: the length
// prefix, the JSON header, dtypes, shapes and data offsets).
//
// inspectModel takes a path, so each input goes to a scratch file first. Zip
// archives are left out: those go to libtorch's TorchScript loader, which is
// known to hang on some corrupt files (FACTS.md) and which kiln inspect only ever
// runs in a child process with limits; fuzz_statedict covers Kiln's own
// checkpoint reader.

#include "fuzz_common.h"
#include "readers/modelinspect.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace kiln;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 2 && std::memcmp(data, "PK", 2) == 0)
        return 0;
    const std::string &path = fuzz::writeScratch(data, size);
    QString error;
    const ModelSummary summary = inspectModel(QString::fromStdString(path), &error);
    if (summary.format.isEmpty()) {
        if (error.isEmpty())
            std::abort();  // every failure says why
        return 0;
    }
    // The tensors of a valid file cover its data exactly, so together they can
    // never claim more bytes than the file has.
    if (summary.totalBytes < 0 || summary.totalBytes > summary.fileSize) {
        std::fprintf(stderr, "tensors claim %lld bytes in a file of %lld\n", (long long)summary.totalBytes,
                     (long long)summary.fileSize);
        std::abort();
    }
    (void)summary.toJson();
    (void)summary.toText();
    return 0;
}
