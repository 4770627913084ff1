#include "readers/csvreader.h"

#include <QFile>
#include <QFileInfo>

#include <charconv>
#include <cmath>

namespace kiln {

namespace {

// Enough records to judge the delimiter and the header without reading a big file twice.
constexpr int kSampleRecords = 20;

bool isLineEnd(char c)
{
    return c == '\n' || c == '\r';
}

} // namespace

bool CsvReader::open(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        mError = QStringLiteral("cannot open %1: %2").arg(QFileInfo(path).fileName(), file.errorString());
        return false;
    }
    return setData(file.readAll());
}

bool CsvReader::setData(const QByteArray &data)
{
    mData = data;
    mPos = mData.startsWith("\xEF\xBB\xBF") ? 3 : 0;
    mLine = 1;
    mError.clear();
    mColumns.clear();
    mHasHeader = false;
    detect();
    return mError.isEmpty();
}

bool CsvReader::atEnd() const
{
    qsizetype pos = mPos;
    while (pos < mData.size() && isLineEnd(mData.at(pos)))
        ++pos;
    return pos >= mData.size();
}

bool CsvReader::next(Row &row)
{
    if (!mError.isEmpty())
        return false;
    return parseRecord(mPos, mLine, mDelimiter, row, &mError);
}

QList<CsvReader::Row> CsvReader::readAll()
{
    QList<Row> rows;
    Row row;
    while (next(row))
        rows.append(row);
    return rows;
}

bool CsvReader::parseRecord(qsizetype &pos, int &line, QChar delimiterChar, Row &row, QString *error) const
{
    const char *data = mData.constData();
    const qsizetype size = mData.size();
    const char delimiter = char(delimiterChar.unicode());

    // Blank lines (and the trailing ones) separate nothing.
    while (pos < size && isLineEnd(data[pos])) {
        if (data[pos] == '\r' && pos + 1 < size && data[pos + 1] == '\n')
            ++pos;
        ++pos;
        ++line;
    }
    if (pos >= size)
        return false;

    row.line = line;
    row.fields.clear();
    for (;;) {
        if (pos < size && data[pos] == '"') {
            const int startLine = line;
            QByteArray field;
            ++pos;
            for (;;) {
                const qsizetype quote = mData.indexOf('"', pos);
                if (quote < 0) {
                    if (error)
                        *error = QStringLiteral("line %1: a quoted field is never closed").arg(startLine);
                    pos = size;
                    return false;
                }
                for (qsizetype i = pos; i < quote; ++i) {
                    if (data[i] == '\n')
                        ++line;
                }
                field.append(data + pos, quote - pos);
                if (quote + 1 < size && data[quote + 1] == '"') {
                    field.append('"');
                    pos = quote + 2;
                } else {
                    pos = quote + 1;
                    break;
                }
            }
            // Text after the closing quote (`"a"b`) is kept rather than rejected, as spreadsheets do.
            const qsizetype start = pos;
            while (pos < size && data[pos] != delimiter && !isLineEnd(data[pos]))
                ++pos;
            field.append(data + start, pos - start);
            row.fields.append(QString::fromUtf8(field));
        } else {
            const qsizetype start = pos;
            while (pos < size && data[pos] != delimiter && !isLineEnd(data[pos]))
                ++pos;
            row.fields.append(QString::fromUtf8(data + start, pos - start));
        }
        if (pos >= size)
            return true;
        if (data[pos] == delimiter) {
            ++pos;
            continue;
        }
        if (data[pos] == '\r' && pos + 1 < size && data[pos + 1] == '\n')
            ++pos;
        ++pos;
        ++line;
        return true;
    }
}

void CsvReader::detect()
{
    if (mDelimiter.isNull()) {
        // The candidate that splits the first records into the same number of
        // fields, the most fields winning; on a tie tab and ';' beat ',' since
        // files that use them often have decimal commas.
        const char candidates[] = {'\t', ';', ','};
        QChar best = QLatin1Char(',');
        int bestFields = 1;
        bool bestConsistent = false;
        for (char candidate : candidates) {
            qsizetype pos = mPos;
            int line = 1;
            Row row;
            int first = -1;
            bool consistent = true;
            int most = 0;
            for (int i = 0; i < kSampleRecords && parseRecord(pos, line, QLatin1Char(candidate), row, nullptr); ++i) {
                const int count = int(row.fields.size());
                if (first < 0)
                    first = count;
                consistent = consistent && count == first;
                most = std::max(most, count);
            }
            if (most <= 1)
                continue;
            const bool better = consistent ? (!bestConsistent || first > bestFields) : (!bestConsistent && most > bestFields);
            if (better) {
                best = QLatin1Char(candidate);
                bestFields = consistent ? first : most;
                bestConsistent = consistent;
            }
        }
        mDelimiter = best;
    }

    QList<Row> sample;
    {
        qsizetype pos = mPos;
        int line = mLine;
        Row row;
        for (int i = 0; i <= kSampleRecords && parseRecord(pos, line, mDelimiter, row, nullptr); ++i)
            sample.append(row);
    }
    if (sample.isEmpty())
        return;

    const QStringList &first = sample.first().fields;
    if (mHeader == Header::Auto) {
        // A header is a first row with a name where later rows have numbers; an
        // all-text file is taken to have one (the common case), an all-number first row not.
        bool headerEvidence = false;
        bool laterNumbers = false;
        bool firstAllText = true;
        for (qsizetype c = 0; c < first.size(); ++c) {
            const bool firstIsNumber = toNumber(first.at(c), nullptr);
            if (firstIsNumber || first.at(c).trimmed().isEmpty())
                firstAllText = false;
            bool columnNumeric = false;
            bool columnText = false;
            for (qsizetype r = 1; r < sample.size(); ++r) {
                if (c >= sample.at(r).fields.size() || isMissing(sample.at(r).fields.at(c)))
                    continue;
                if (toNumber(sample.at(r).fields.at(c), nullptr))
                    columnNumeric = true;
                else
                    columnText = true;
            }
            laterNumbers = laterNumbers || columnNumeric;
            if (!firstIsNumber && !isMissing(first.at(c)) && columnNumeric && !columnText)
                headerEvidence = true;
        }
        mHasHeader = headerEvidence || (!laterNumbers && firstAllText);
    } else {
        mHasHeader = mHeader == Header::Present;
    }

    if (mHasHeader) {
        Row header;
        parseRecord(mPos, mLine, mDelimiter, header, &mError);
        for (const QString &name : header.fields)
            mColumns.append(name.trimmed());
    } else {
        for (qsizetype c = 0; c < first.size(); ++c)
            mColumns.append(QStringLiteral("column%1").arg(c + 1));
    }
}

bool CsvReader::toNumber(QStringView text, double *value)
{
    // std::from_chars on an ASCII copy: QString::toDouble's locale handling
    // dominated reading large files. Leading '+' is allowed; NaN and infinity
    // are not numbers here (a data file means them as missing).
    text = text.trimmed();
    constexpr qsizetype kLongest = 64;
    if (text.isEmpty() || text.size() > kLongest)
        return false;
    char buffer[kLongest];
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text.at(i).unicode();
        if (c >= 0x80)
            return false;
        buffer[i] = char(c);
    }
    const char *begin = buffer;
    const char *end = buffer + text.size();
    if (*begin == '+')
        ++begin;
    const char *digits = begin < end && *begin == '-' ? begin + 1 : begin;
    if (digits >= end || !((*digits >= '0' && *digits <= '9') || *digits == '.'))
        return false;
    double number = 0;
    const auto result = std::from_chars(begin, end, number, std::chars_format::general);
    if (result.ec != std::errc() || result.ptr != end || !std::isfinite(number))
        return false;
    if (value)
        *value = number;
    return true;
}

bool CsvReader::isMissing(QStringView text)
{
    text = text.trimmed();
    if (text.isEmpty())
        return true;
    static const char *const kSpellings[] = {"NA", "N/A", "NaN", "null", "None", "nil"};
    for (const char *spelling : kSpellings) {
        if (text.compare(QLatin1String(spelling), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace kiln
