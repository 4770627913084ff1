#pragma once

#include <QByteArray>
#include <QString>

#include <functional>
#include <vector>

namespace kiln {

// One array from an IDX file, the format of MNIST and Fashion-MNIST: a magic
// number (0, 0, element type, dimension count), big-endian sizes, then the
// elements. Elements are kept as in the file except that multi-byte values are
// converted to the host's byte order.
struct IdxArray
{
    enum class Type : unsigned char {
        UInt8 = 0x08,
        Int8 = 0x09,
        Int16 = 0x0B,
        Int32 = 0x0C,
        Float32 = 0x0D,
        Float64 = 0x0E,
    };

    Type type = Type::UInt8;
    std::vector<qint64> sizes;
    QByteArray data;

    qint64 count() const;
    static int elementSize(Type type);
    static QString typeName(Type type);
};

// Reads IDX files, plain or gzip-compressed (detected from the content, not the
// name). Torch-free. Every structural problem (bad magic, truncation, trailing
// bytes, corrupt gzip) is an error with a message naming the file.
class IdxReader
{
public:
    // Called between chunks of work; returning true abandons the read.
    using Cancel = std::function<bool()>;

    bool read(const QString &path, IdxArray *array, const Cancel &cancel = {});
    bool parse(const QByteArray &bytes, IdxArray *array, const QString &name, const Cancel &cancel = {});

    QString errorString() const { return mError; }
    bool wasCancelled() const { return mCancelled; }

private:
    bool fail(const QString &message);
    bool inflate(const QByteArray &compressed, QByteArray *out, const QString &name, const Cancel &cancel);
    // The total size the header announces, or -1 when the header is still incomplete or invalid.
    qint64 expectedSize(const QByteArray &bytes, const QString &name, bool *bad);

    QString mError;
    bool mCancelled = false;
};

} // namespace kiln
