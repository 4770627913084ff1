#include "readers/npyreader.h"

#include <QFile>
#include <QRegularExpression>

#include <zlib.h>

#include <cstring>
#include <limits>

namespace kiln {

qint64 NpyArray::count() const
{
    qint64 n = 1;
    for (qint64 size : shape)
        n *= size;
    return n;
}

namespace {

// Larger files are refused before reading them whole (a tensor of 16 GiB is
// more than a notebook should load by accident).
constexpr qint64 kMaxFileBytes = qint64(16) << 30;

quint32 little(const char *p, int n)
{
    quint32 value = 0;
    for (int i = n - 1; i >= 0; --i)
        value = (value << 8) | quint8(p[i]);
    return value;
}

bool fail(QString *error, const QString &message)
{
    *error = message;
    return false;
}

bool readFile(const QString &path, QByteArray *bytes, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(error, QStringLiteral("%1: %2").arg(path, file.errorString()));
    if (file.size() > kMaxFileBytes)
        return fail(error, QStringLiteral("%1: larger than 16 GiB").arg(path));
    *bytes = file.readAll();
    return true;
}

// Inflates a raw deflate stream of exactly `expected` bytes.
bool inflateRaw(const QByteArray &compressed, qint64 expected, QByteArray *out)
{
    if (expected < 0 || expected > kMaxFileBytes)
        return false;
    out->resize(qsizetype(expected));
    z_stream stream{};
    if (inflateInit2(&stream, -MAX_WBITS) != Z_OK)
        return false;
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(compressed.constData()));
    stream.avail_in = uInt(compressed.size());
    stream.next_out = reinterpret_cast<Bytef *>(out->data());
    stream.avail_out = uInt(out->size());
    const int status = ::inflate(&stream, Z_FINISH);
    const bool ok = status == Z_STREAM_END && stream.total_out == uLong(expected);
    inflateEnd(&stream);
    return ok;
}

} // namespace

namespace NpyReader {

bool parse(const QByteArray &bytes, NpyArray *array, QString *error)
{
    static const QByteArray magic("\x93NUMPY", 6);
    if (!bytes.startsWith(magic) || bytes.size() < 10)
        return fail(error, QStringLiteral("not a NumPy .npy file (no \\x93NUMPY magic)"));
    const int major = quint8(bytes[6]);
    qint64 headerLength = 0, start = 0;
    if (major == 1) {
        headerLength = little(bytes.constData() + 8, 2);
        start = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12)
            return fail(error, QStringLiteral("truncated .npy header"));
        headerLength = little(bytes.constData() + 8, 4);
        start = 12;
    } else {
        return fail(error, QStringLiteral(".npy format version %1 is not supported").arg(major));
    }
    if (headerLength > bytes.size() - start)
        return fail(error, QStringLiteral("truncated .npy header"));
    const QString header = QString::fromLatin1(bytes.mid(start, headerLength));

    static const QRegularExpression descr(QStringLiteral("'descr'\\s*:\\s*'([<>|=])([fiubc])(\\d+)'"));
    static const QRegularExpression fortran(QStringLiteral("'fortran_order'\\s*:\\s*(True|False)"));
    static const QRegularExpression shape(QStringLiteral("'shape'\\s*:\\s*\\(([^)]*)\\)"));
    const QRegularExpressionMatch d = descr.match(header), f = fortran.match(header), s = shape.match(header);
    if (!d.hasMatch()) {
        static const QRegularExpression anyDescr(QStringLiteral("'descr'\\s*:\\s*([^,}]*)"));
        const QString found = anyDescr.match(header).captured(1).trimmed();
        return fail(error, QStringLiteral("element type %1 is not one Kiln reads (numbers and booleans)")
                               .arg(found.isEmpty() ? QStringLiteral("(none)") : found));
    }
    if (!f.hasMatch() || !s.hasMatch())
        return fail(error, QStringLiteral("malformed .npy header: %1").arg(header.trimmed().left(200)));

    NpyArray result;
    result.kind = d.captured(2).at(0).toLatin1();
    result.itemSize = d.captured(3).toInt();
    result.bigEndian = d.captured(1) == QLatin1String(">") && result.itemSize > 1;
    result.fortranOrder = f.captured(1) == QLatin1String("True");
    const bool known = (result.kind == 'f' && (result.itemSize == 2 || result.itemSize == 4 || result.itemSize == 8))
        || (result.kind == 'i' && (result.itemSize == 1 || result.itemSize == 2 || result.itemSize == 4 || result.itemSize == 8))
        || (result.kind == 'u' && result.itemSize == 1) || (result.kind == 'b' && result.itemSize == 1)
        || (result.kind == 'c' && (result.itemSize == 8 || result.itemSize == 16));
    if (!known)
        return fail(error, QStringLiteral("element type %1%2 has no tensor type in Kiln")
                               .arg(QChar::fromLatin1(result.kind)).arg(result.itemSize));
    qint64 count = 1;
    for (const QString &part : s.captured(1).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const qint64 size = part.trimmed().toLongLong(&ok);
        if (!ok || size < 0)
            return fail(error, QStringLiteral("malformed shape (%1)").arg(s.captured(1)));
        if (size > 0 && count > std::numeric_limits<qint64>::max() / size)
            return fail(error, QStringLiteral("shape (%1) is too large").arg(s.captured(1)));
        count *= size;
        result.shape.push_back(size);
    }
    const qint64 available = bytes.size() - start - headerLength;
    if (count > available / result.itemSize || count * result.itemSize != available)
        return fail(error, QStringLiteral("the shape (%1) needs %2 bytes of data, the file has %3")
                               .arg(s.captured(1).trimmed())
                               .arg(count > std::numeric_limits<qint64>::max() / result.itemSize
                                        ? QStringLiteral("more than 2^63")
                                        : QString::number(count * result.itemSize))
                               .arg(available));
    result.data = bytes.mid(start + headerLength);
    *array = std::move(result);
    return true;
}

bool readNpy(const QString &path, NpyArray *array, QString *error)
{
    QByteArray bytes;
    if (!readFile(path, &bytes, error))
        return false;
    if (!parse(bytes, array, error)) {
        *error = QStringLiteral("%1: %2").arg(path, *error);
        return false;
    }
    return true;
}

bool parseNpz(const QByteArray &bytes, std::vector<std::pair<QString, NpyArray>> *arrays, QString *error)
{
    // The end of central directory record: its signature within the last 64 KiB.
    const qint64 searchFrom = qMax<qint64>(0, bytes.size() - 22 - 65535);
    qint64 end = -1;
    for (qint64 i = bytes.size() - 22; i >= searchFrom; --i) {
        if (bytes.at(i) == 'P' && little(bytes.constData() + i, 4) == 0x06054b50) {
            end = i;
            break;
        }
    }
    if (end < 0)
        return fail(error, QStringLiteral("not an .npz file (no zip directory)"));
    const char *eocd = bytes.constData() + end;
    const quint32 entries = little(eocd + 10, 2);
    const qint64 directorySize = little(eocd + 12, 4), directoryOffset = little(eocd + 16, 4);
    if (directoryOffset > end || directorySize > end - directoryOffset)
        return fail(error, QStringLiteral("damaged zip directory"));
    qint64 at = directoryOffset;
    arrays->clear();
    for (quint32 n = 0; n < entries; ++n) {
        if (at + 46 > end || little(bytes.constData() + at, 4) != 0x02014b50)
            return fail(error, QStringLiteral("damaged zip directory"));
        const char *entry = bytes.constData() + at;
        const int method = int(little(entry + 10, 2));
        const qint64 compressedSize = little(entry + 20, 4), size = little(entry + 24, 4);
        const qint64 nameLength = little(entry + 28, 2), extraLength = little(entry + 30, 2),
                     commentLength = little(entry + 32, 2);
        const qint64 localOffset = little(entry + 42, 4);
        if (at + 46 + nameLength > end)
            return fail(error, QStringLiteral("damaged zip directory"));
        QString name = QString::fromUtf8(entry + 46, int(nameLength));
        at += 46 + nameLength + extraLength + commentLength;
        if (compressedSize == 0xFFFFFFFF || size == 0xFFFFFFFF)
            return fail(error, QStringLiteral("%1: zip64 members (over 4 GiB) are not supported").arg(name));
        if (localOffset + 30 > bytes.size() || little(bytes.constData() + localOffset, 4) != 0x04034b50)
            return fail(error, QStringLiteral("%1: damaged zip entry").arg(name));
        const char *local = bytes.constData() + localOffset;
        const qint64 dataStart = localOffset + 30 + little(local + 26, 2) + little(local + 28, 2);
        if (dataStart > bytes.size() || compressedSize > bytes.size() - dataStart)
            return fail(error, QStringLiteral("%1: truncated").arg(name));
        const QByteArray stored = bytes.mid(dataStart, compressedSize);
        QByteArray member;
        if (method == 0) {
            member = stored;
        } else if (method == 8) {
            // Deflate cannot shrink data more than 1032:1; a member that claims more
            // lies, and must not make Kiln allocate what it claims.
            if (size > compressedSize * 1032 + 1024)
                return fail(error, QStringLiteral("%1: claims %2 bytes from %3 compressed").arg(name).arg(size).arg(compressedSize));
            if (!inflateRaw(stored, size, &member))
                return fail(error, QStringLiteral("%1: corrupt compressed data").arg(name));
        } else {
            return fail(error, QStringLiteral("%1: zip compression method %2 is not supported").arg(name).arg(method));
        }
        NpyArray array;
        QString memberError;
        if (!parse(member, &array, &memberError))
            return fail(error, QStringLiteral("%1: %2").arg(name, memberError));
        if (name.endsWith(QLatin1String(".npy")))
            name.chop(4);
        arrays->emplace_back(name, std::move(array));
    }
    return true;
}

bool readNpz(const QString &path, std::vector<std::pair<QString, NpyArray>> *arrays, QString *error)
{
    QByteArray bytes;
    if (!readFile(path, &bytes, error))
        return false;
    if (!parseNpz(bytes, arrays, error)) {
        *error = QStringLiteral("%1: %2").arg(path, *error);
        return false;
    }
    return true;
}

} // namespace NpyReader

} // namespace kiln
