// libFuzzer target: the IDX reader (IdxReader::parse), plain and gzip-compressed,
// as datasets.fashion_mnist and datasets.idx read MNIST-style files.

#include "readers/idxreader.h"

#include <cstdint>
#include <cstdlib>

using namespace kiln;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    IdxReader reader;
    IdxArray array;
    if (!reader.parse(bytes, &array, QStringLiteral("fuzz.idx"))) {
        if (reader.errorString().isEmpty())
            std::abort();  // every failure says why
        return 0;
    }
    // A successful read holds exactly what its header announces.
    if (array.data.size() != array.count() * IdxArray::elementSize(array.type))
        std::abort();
    // Touch the first and the last element so ASan sees any short buffer.
    if (!array.data.isEmpty()) {
        volatile char first = array.data.constData()[0];
        volatile char last = array.data.constData()[array.data.size() - 1];
        (void)first;
        (void)last;
    }
    return 0;
}
