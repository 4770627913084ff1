// libFuzzer target: the .kiln.md reader (NotebookFormat::parse) and writer.
//
// Any bytes are some notebook, so parse must return for every input, and what it
// returns must serialize. With KILN_FUZZ_ROUNDTRIP=1 in the environment it also
// checks that a written notebook reads back equal (read(write(nb)) == nb), which
// DESIGN.md promises for notebooks Kiln writes; off by default, since an input can
// be a notebook no editor would produce.

#include "document/notebookformat.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace kiln;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const bool roundTrip = [] {
        const char *value = std::getenv("KILN_FUZZ_ROUNDTRIP");
        return value != nullptr && std::strcmp(value, "0") != 0;
    }();
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const NotebookContent content = NotebookFormat::parse(bytes);
    const QByteArray written = NotebookFormat::serialize(content);
    if (roundTrip) {
        const NotebookContent again = NotebookFormat::parse(written);
        if (again != content) {
            std::fprintf(stderr, "round trip changed the notebook:\n--- written ---\n%s\n", written.constData());
            std::abort();
        }
        // Writing is deterministic: the second write is the first.
        if (NotebookFormat::serialize(again) != written) {
            std::fprintf(stderr, "second write differs from the first\n");
            std::abort();
        }
    }
    return 0;
}
