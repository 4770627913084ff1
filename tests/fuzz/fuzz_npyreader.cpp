// libFuzzer target: the NumPy reader (NpyReader::parse and parseNpz), as
// data.load_npy and data.load_npz read files. An input that starts like a zip
// ("PK") is an .npz archive; anything else is one .npy file.

#include "readers/npyreader.h"

#include <cstdint>
#include <cstdlib>

using namespace kiln;

namespace {

void check(const NpyArray &array)
{
    // A successful read holds exactly what its header announces.
    if (array.data.size() != array.count() * array.itemSize)
        std::abort();
    if (!array.data.isEmpty()) {
        volatile char first = array.data.constData()[0];
        volatile char last = array.data.constData()[array.data.size() - 1];
        (void)first;
        (void)last;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    if (bytes.startsWith("PK")) {
        std::vector<std::pair<QString, NpyArray>> arrays;
        if (!NpyReader::parseNpz(bytes, &arrays, &error)) {
            if (error.isEmpty())
                std::abort();  // every failure says why
            return 0;
        }
        for (const auto &entry : arrays)
            check(entry.second);
        return 0;
    }
    NpyArray array;
    if (!NpyReader::parse(bytes, &array, &error)) {
        if (error.isEmpty())
            std::abort();
        return 0;
    }
    check(array);
    return 0;
}
