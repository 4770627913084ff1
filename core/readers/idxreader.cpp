#include "readers/idxreader.h"

#include <QFile>
#include <QFileInfo>
#include <QtEndian>

#include <zlib.h>

#include <cstring>

namespace kiln {

namespace {

constexpr qsizetype kChunk = qsizetype(1) << 20;
// No IDX array anyone trains on is near this; a header announcing more is corrupt.
constexpr qint64 kMaxElements = qint64(1) << 36;

bool validType(unsigned char code)
{
    switch (IdxArray::Type(code)) {
    case IdxArray::Type::UInt8:
    case IdxArray::Type::Int8:
    case IdxArray::Type::Int16:
    case IdxArray::Type::Int32:
    case IdxArray::Type::Float32:
    case IdxArray::Type::Float64:
        return true;
    }
    return false;
}

} // namespace

qint64 IdxArray::count() const
{
    qint64 n = 1;
    for (qint64 size : sizes)
        n *= size;
    return n;
}

int IdxArray::elementSize(Type type)
{
    switch (type) {
    case Type::UInt8:
    case Type::Int8:
        return 1;
    case Type::Int16:
        return 2;
    case Type::Int32:
    case Type::Float32:
        return 4;
    case Type::Float64:
        return 8;
    }
    return 1;
}

QString IdxArray::typeName(Type type)
{
    switch (type) {
    case Type::UInt8: return QStringLiteral("uint8");
    case Type::Int8: return QStringLiteral("int8");
    case Type::Int16: return QStringLiteral("int16");
    case Type::Int32: return QStringLiteral("int32");
    case Type::Float32: return QStringLiteral("float32");
    case Type::Float64: return QStringLiteral("float64");
    }
    return QString();
}

bool IdxReader::fail(const QString &message)
{
    mError = message;
    return false;
}

bool IdxReader::read(const QString &path, IdxArray *array, const Cancel &cancel)
{
    const QString name = QFileInfo(path).fileName();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot open %1: %2").arg(name, file.errorString()));
    const QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return fail(QStringLiteral("cannot read %1: %2").arg(name, file.errorString()));
    return parse(bytes, array, name, cancel);
}

qint64 IdxReader::expectedSize(const QByteArray &bytes, const QString &name, bool *bad)
{
    *bad = false;
    if (bytes.size() < 4)
        return -1;
    const auto *header = reinterpret_cast<const unsigned char *>(bytes.constData());
    if (header[0] != 0 || header[1] != 0 || !validType(header[2]) || header[3] == 0 || header[3] > 8) {
        *bad = true;
        fail(QStringLiteral("%1 is not an IDX file (magic number %2)")
                 .arg(name, QString::number(qFromBigEndian<quint32>(header), 16).rightJustified(8, QLatin1Char('0'))
                                .prepend(QLatin1String("0x"))));
        return -1;
    }
    const int dims = header[3];
    const qint64 headerSize = 4 + 4 * qint64(dims);
    if (bytes.size() < headerSize)
        return -1;
    qint64 count = 1;
    for (int d = 0; d < dims; ++d) {
        const quint32 size = qFromBigEndian<quint32>(header + 4 + 4 * d);
        // Checked before multiplying, so the product never overflows.
        if (size != 0 && count > kMaxElements / qint64(size)) {
            *bad = true;
            fail(QStringLiteral("%1: the header announces an implausibly large array").arg(name));
            return -1;
        }
        count *= qint64(size);
    }
    return headerSize + count * IdxArray::elementSize(IdxArray::Type(header[2]));
}

bool IdxReader::inflate(const QByteArray &compressed, QByteArray *out, const QString &name, const Cancel &cancel)
{
    z_stream stream;
    std::memset(&stream, 0, sizeof stream);
    if (inflateInit2(&stream, 15 + 32) != Z_OK)
        return fail(QStringLiteral("%1: cannot start decompression").arg(name));
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(compressed.constData()));
    stream.avail_in = uInt(compressed.size());

    qint64 expected = -1;
    qsizetype produced = 0;
    bool ok = true;
    for (;;) {
        if (cancel && cancel()) {
            mCancelled = true;
            ok = fail(QStringLiteral("cancelled"));
            break;
        }
        // Never inflate past what the header announces (plus a byte to see trailing data).
        const qsizetype room = expected >= 0 ? qsizetype(std::min<qint64>(kChunk, expected + 1 - produced)) : kChunk;
        out->resize(produced + room);
        stream.next_out = reinterpret_cast<Bytef *>(out->data() + produced);
        stream.avail_out = uInt(room);
        const int status = ::inflate(&stream, Z_NO_FLUSH);
        produced += room - qsizetype(stream.avail_out);
        if (status == Z_DATA_ERROR || status == Z_NEED_DICT) {
            ok = fail(QStringLiteral("%1 is not a valid gzip file (%2)")
                          .arg(name, QString::fromLatin1(stream.msg ? stream.msg : "corrupt data")));
            break;
        }
        if (status == Z_MEM_ERROR) {
            ok = fail(QStringLiteral("%1: not enough memory to decompress").arg(name));
            break;
        }
        if (expected < 0) {
            bool bad = false;
            out->resize(produced);
            expected = expectedSize(*out, name, &bad);
            if (bad) {
                ok = false;
                break;
            }
        }
        if (expected >= 0 && produced > expected) {
            ok = fail(QStringLiteral("%1 has more data than its header announces").arg(name));
            break;
        }
        if (status == Z_STREAM_END)
            break;
        if (status == Z_BUF_ERROR && stream.avail_in == 0) {
            ok = fail(QStringLiteral("%1 is truncated (the gzip stream ends early)").arg(name));
            break;
        }
    }
    inflateEnd(&stream);
    out->resize(produced);
    return ok;
}

bool IdxReader::parse(const QByteArray &bytes, IdxArray *array, const QString &name, const Cancel &cancel)
{
    mError.clear();
    mCancelled = false;
    QByteArray raw;
    const bool gzip = bytes.size() >= 2 && uchar(bytes.at(0)) == 0x1f && uchar(bytes.at(1)) == 0x8b;
    if (gzip) {
        if (!inflate(bytes, &raw, name, cancel))
            return false;
    } else {
        raw = bytes;
    }

    bool bad = false;
    const qint64 expected = expectedSize(raw, name, &bad);
    if (bad)
        return false;
    if (expected < 0)
        return fail(QStringLiteral("%1 is truncated (%2 bytes, shorter than an IDX header)").arg(name).arg(raw.size()));
    if (raw.size() < expected)
        return fail(QStringLiteral("%1 is truncated: the header announces %2 bytes, the file has %3")
                        .arg(name).arg(expected).arg(raw.size()));
    if (raw.size() > expected)
        return fail(QStringLiteral("%1 has %2 bytes more than its header announces").arg(name).arg(raw.size() - expected));

    const auto *header = reinterpret_cast<const unsigned char *>(raw.constData());
    array->type = IdxArray::Type(header[2]);
    const int dims = header[3];
    array->sizes.assign(size_t(dims), 0);
    for (int d = 0; d < dims; ++d)
        array->sizes[size_t(d)] = qFromBigEndian<quint32>(header + 4 + 4 * d);
    const qsizetype headerSize = 4 + 4 * dims;
    raw.remove(0, headerSize);

    // IDX is big-endian; convert in place.
    char *data = raw.data();
    const qint64 n = expected > headerSize ? (expected - headerSize) / IdxArray::elementSize(array->type) : 0;
    switch (IdxArray::elementSize(array->type)) {
    case 2:
        for (qint64 i = 0; i < n; ++i)
            qToUnaligned(qFromBigEndian<quint16>(data + 2 * i), data + 2 * i);
        break;
    case 4:
        for (qint64 i = 0; i < n; ++i)
            qToUnaligned(qFromBigEndian<quint32>(data + 4 * i), data + 4 * i);
        break;
    case 8:
        for (qint64 i = 0; i < n; ++i)
            qToUnaligned(qFromBigEndian<quint64>(data + 8 * i), data + 8 * i);
        break;
    default:
        break;
    }
    array->data = std::move(raw);
    return true;
}

} // namespace kiln
