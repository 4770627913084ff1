// libFuzzer target: the CSV reader (CsvReader), as data.read_csv, the training
// panel and kiln train use it: delimiter and header guessing, then every record,
// and the number and missing-value tests on every field.
//
// The first byte picks the options (guessed or fixed delimiter, header auto,
// present or absent); the rest is the file.

#include "readers/csvreader.h"

#include <cstdint>
#include <cstdlib>

using namespace kiln;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const uint8_t options = data[0];
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    CsvReader reader;
    static const char kDelimiters[] = {0, ',', ';', '\t'};
    if (const char delimiter = kDelimiters[options & 3])
        reader.setDelimiter(QLatin1Char(delimiter));
    static const CsvReader::Header kHeaders[] = {CsvReader::Header::Auto, CsvReader::Header::Present,
                                                 CsvReader::Header::Absent, CsvReader::Header::Auto};
    reader.setHeader(kHeaders[(options >> 2) & 3]);
    if (!reader.setData(bytes))
        return 0;

    int lastLine = 0;
    CsvReader::Row row;
    while (reader.next(row)) {
        // Records come in file order.
        if (row.line <= lastLine)
            std::abort();
        lastLine = row.line;
        for (const QString &field : row.fields) {
            double value = 0;
            CsvReader::toNumber(field, &value);
            CsvReader::isMissing(field);
        }
    }
    (void)reader.atEnd();
    return 0;
}
