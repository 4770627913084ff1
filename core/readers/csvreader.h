#pragma once

#include <QByteArray>
#include <QChar>
#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace kiln {

// Reads delimited text (RFC 4180: quoted fields with commas, "" and newlines;
// CRLF or LF; a UTF-8 BOM) one record at a time, after guessing the delimiter
// and whether the first row is a header. Torch-free, so the training panel and
// `kiln train` can share it with data.read_csv.
class CsvReader
{
public:
    enum class Header { Auto, Present, Absent };

    struct Row
    {
        int line = 0; // 1-based line in the file where the record starts
        QStringList fields;
    };

    CsvReader() = default;

    // A null delimiter (the default) is guessed among ',', ';' and tab.
    void setDelimiter(QChar delimiter) { mDelimiter = delimiter; }
    void setHeader(Header header) { mHeader = header; }

    // Reads the whole file (or takes `data`) and prepares to yield rows.
    // False with errorString() set when the file cannot be read.
    bool open(const QString &path);
    bool setData(const QByteArray &data);

    QChar delimiter() const { return mDelimiter; }
    bool hasHeader() const { return mHasHeader; }
    // The header's names, or column1, column2, ... when there is none.
    QStringList columns() const { return mColumns; }

    // The next data record; false at the end or on a malformed file, which
    // sets errorString(). Blank lines are skipped.
    bool next(Row &row);
    QString errorString() const { return mError; }
    bool atEnd() const;

    // Reads every remaining row; stops early (with errorString()) on an error.
    QList<Row> readAll();

    // A number as data.read_csv understands it: decimal or exponent notation,
    // optional surrounding spaces; no NaN or infinity.
    static bool toNumber(QStringView text, double *value);
    // Missing-value spellings: empty, NA, N/A, NaN, null, None (any case).
    static bool isMissing(QStringView text);

private:
    bool parseRecord(qsizetype &pos, int &line, QChar delimiter, Row &row, QString *error) const;
    void detect();

    QByteArray mData;
    qsizetype mPos = 0;
    int mLine = 1;
    QChar mDelimiter;
    Header mHeader = Header::Auto;
    bool mHasHeader = false;
    QStringList mColumns;
    QString mError;
};

} // namespace kiln
