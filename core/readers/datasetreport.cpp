#include "readers/datasetreport.h"

#include "readers/csvreader.h"
#include "readers/idxreader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QImageIOHandler>
#include <QImageReader>
#include <QLocale>
#include <QSet>
#include <QSize>

#include <algorithm>
#include <climits>
#include <cmath>
#include <iterator>
#include <map>

#ifdef Q_OS_UNIX
#include <sys/mman.h>
#endif

namespace kiln {

namespace {

// How many columns (or class folders) of one kind get a sentence each before
// the rest are summed up in one.
constexpr int kListed = 5;
// The share of the largest class below which a class counts as small.
constexpr int kImbalanceRatio = 3;
constexpr qint64 kFewRows = DatasetReports::kMinimumRows;
// dataProgram turns whole-number targets with this many distinct values at most into classes.
constexpr int kMaxNumericClasses = 20;
// A header longer than this is not a header: the file is not a CSV.
constexpr qsizetype kLongestFirstLine = qsizetype(16) << 20;
// Enough of the file to tell text from binary.
constexpr qsizetype kSniffBytes = 64 * 1024;
// Text values quoted in a sentence are cut to this many characters.
constexpr qsizetype kShownValue = 40;

QString shown(QString value)
{
    value.replace(QLatin1Char('\r'), QLatin1Char(' ')).replace(QLatin1Char('\n'), QLatin1Char(' '));
    if (value.size() > kShownValue)
        value = value.left(kShownValue - 1) + QChar(0x2026);
    return value;
}

QString quotedList(const QStringList &names, int limit)
{
    QStringList quoted;
    for (qsizetype i = 0; i < names.size() && i < limit; ++i)
        quoted.append(QLatin1Char('\'') + names.at(i) + QLatin1Char('\''));
    if (names.size() > limit)
        quoted.append(QString(QChar(0x2026)));
    return quoted.join(QLatin1String(", "));
}

// 12, 3.5, 0.25: enough digits to tell a few missing values from none or all.
QString percentText(qint64 part, qint64 whole)
{
    const double percent = whole > 0 ? 100.0 * double(part) / double(whole) : 0;
    const QLocale locale;
    if (part < whole && percent > 99.5)
        return locale.toString(std::min(percent, 99.9), 'f', 1);
    if (percent >= 10 || part == 0)
        return locale.toString(percent, 'f', 0);
    if (percent >= 1)
        return locale.toString(percent, 'f', 1);
    return locale.toString(percent, 'g', 2);
}

// A count for a %n. Spelled out at the call, std::min<qint64>(...) inside a
// translate() call sends lupdate (Qt 6.4) into a loop that never ends.
int countArg(qint64 count)
{
    return int(std::min<qint64>(count, INT_MAX));
}

QString sizeText(const QSize &size)
{
    return QStringLiteral("%1×%2").arg(size.width()).arg(size.height());
}

// A numeric class as the engine names it: the value, whole numbers without a fraction.
QString numberName(double value)
{
    if (std::isfinite(value) && std::fabs(value) < 9.2e18)
        return QString::number(qint64(value));
    return QString::number(value, 'g', 17);
}

// The class checks CSV targets and image folders share: one class, classes
// with a single example, imbalance. `classes` in the engine's order.
void checkClasses(const QList<QPair<QString, qint64>> &classes, QStringList *problems)
{
    if (classes.size() == 1) {
        problems->append(QCoreApplication::translate("kiln::DatasetReport",
                                                     "There is only one class, '%1': a classifier needs at least two.")
                             .arg(classes.first().first));
        return;
    }
    qsizetype largest = -1;
    for (qsizetype i = 0; i < classes.size(); ++i) {
        if (largest < 0 || classes.at(i).second > classes.at(largest).second)
            largest = i;
    }
    if (largest < 0)
        return;
    for (const auto &[name, count] : classes) {
        if (count == 1) {
            problems->append(QCoreApplication::translate("kiln::DatasetReport",
                                                         "Class '%1' has a single example; a class needs at least two, "
                                                         "one to train on and one to validate.")
                                 .arg(name));
        }
    }
    // Smallest first; classes with no or one example are reported on their own.
    const qint64 most = classes.at(largest).second;
    QList<QPair<QString, qint64>> small;
    for (const auto &entry : classes) {
        if (entry.second >= 2 && entry.second * kImbalanceRatio < most)
            small.append(entry);
    }
    std::stable_sort(small.begin(), small.end(), [](const auto &a, const auto &b) { return a.second < b.second; });
    const qsizetype listed = small.size() > kListed + 1 ? kListed : small.size();
    for (qsizetype i = 0; i < listed; ++i) {
        problems->append(QCoreApplication::translate("kiln::DatasetReport",
                                                     "Class '%1' has %2 examples, less than a third of the %3 of class "
                                                     "'%4': the classes are imbalanced.")
                             .arg(small.at(i).first, QString::number(small.at(i).second), QString::number(most),
                                  classes.at(largest).first));
    }
    if (small.size() > listed) {
        problems->append(QCoreApplication::translate("kiln::DatasetReport",
                                                     "%n more classes have less than a third of the examples of class '%1'.",
                                                     nullptr, int(small.size() - listed))
                             .arg(classes.at(largest).first));
    }
}

// Sentences for the columns of one kind: the first few by name, then how many more.
template<typename Sentence>
void listColumns(const QList<const ColumnSummary *> &columns, QStringList *problems, Sentence sentence,
                 const char *more)
{
    const qsizetype listed = columns.size() > kListed + 1 ? kListed : columns.size();
    for (qsizetype i = 0; i < listed; ++i)
        problems->append(sentence(*columns.at(i)));
    if (columns.size() > listed)
        problems->append(QCoreApplication::translate("kiln::DatasetReport", more, nullptr, int(columns.size() - listed)));
}

// NUL bytes, or more than a tenth of control characters and broken UTF-8
// sequences, in the first bytes: not text. Latin-1 text passes, its accented
// letters being few.
bool looksBinary(const char *data, qsizetype size)
{
    const qsizetype n = std::min(size, kSniffBytes);
    qsizetype suspicious = 0;
    for (qsizetype i = 0; i < n;) {
        const uchar c = uchar(data[i]);
        if (c == 0)
            return true;
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') || c == 0x7F)
                ++suspicious;
            ++i;
            continue;
        }
        const int length = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (length > 0 && i + length > n)
            break; // cut by the sample's end
        bool valid = length > 0;
        for (int k = 1; valid && k < length; ++k)
            valid = (uchar(data[i + k]) & 0xC0) == 0x80;
        if (valid) {
            i += length;
        } else {
            ++suspicious;
            ++i;
        }
    }
    return suspicious * 10 > n;
}

// The line in CsvReader's "line N: ..." errors, 0 when there is none.
int errorLine(const QString &error)
{
    if (!error.startsWith(QLatin1String("line ")))
        return 0;
    const qsizetype colon = error.indexOf(QLatin1Char(':'));
    return colon > 5 ? QStringView(error).mid(5, colon - 5).toInt() : 0;
}

// Running counts for one column while the file is read.
struct ColumnState
{
    double sum = 0;
    qint64 numbers = 0;
    QSet<double> numberValues;
    QSet<QString> textValues;
    QString first;    // the first present value, trimmed
    QString example;  // the first text value, trimmed
};

// The target's values, besides its ColumnState.
struct TargetState
{
    QHash<QString, qint64> textCounts; // by trimmed text, as read_csv names text classes
    bool tooManyTexts = false;
    std::map<double, qint64> numberCounts;
    bool tooManyNumbers = false;
    bool allIntegral = true;  // read_csv keeps these as int64
    bool allWholeFloat = true; // whole once read_csv stores them as float32
};

DatasetReport failed(const QString &kind, const QString &error)
{
    DatasetReport report;
    report.kind = kind;
    report.error = error;
    return report;
}

} // namespace

namespace DatasetReports {

QString suggestedTarget(const QList<ColumnSummary> &columns)
{
    constexpr int kFewLabels = 20;
    for (auto column = columns.crbegin(); column != columns.crend(); ++column) {
        if (column->present == 0 || column->constant)
            continue;
        if (column->numeric() || (column->distinct >= 2 && column->distinct <= kFewLabels))
            return column->name;
    }
    return columns.isEmpty() ? QString() : columns.constLast().name;
}

DatasetReport analyzeCsv(const QString &path, const QString &target)
{
    const QString kind = QStringLiteral("csv");
    const QString shownPath = QDir::toNativeSeparators(path);
    const QFileInfo info(path);
    if (!info.exists())
        return failed(kind, QCoreApplication::translate("kiln::DatasetReport", "%1 does not exist.").arg(shownPath));
    if (info.isDir())
        return failed(kind, QCoreApplication::translate("kiln::DatasetReport", "%1 is a folder, not a CSV file.").arg(shownPath));
    // Pipes and devices could block or never end.
    if (!info.isFile())
        return failed(kind, QCoreApplication::translate("kiln::DatasetReport", "%1 is not a regular file.").arg(shownPath));

    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return failed(kind, QCoreApplication::translate("kiln::DatasetReport", "%1 cannot be read: %2")
                                .arg(shownPath, file.errorString()));
    }
    const qint64 fileSize = file.size();
    if (fileSize == 0)
        return failed(kind, QCoreApplication::translate("kiln::DatasetReport", "%1 is empty.").arg(shownPath));

    // Mapped, the file costs page cache rather than memory of our own, however big it is.
    QByteArray bytes;
    if (uchar *mapped = file.map(0, fileSize)) {
#ifdef Q_OS_UNIX
        (void)posix_madvise(mapped, size_t(fileSize), POSIX_MADV_SEQUENTIAL);
#endif
        bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(mapped), qsizetype(fileSize));
    } else {
        bytes = file.readAll();
    }

    const char *data = bytes.constData();
    const qsizetype size = bytes.size();
    if (size >= 2 && ((uchar(data[0]) == 0xFF && uchar(data[1]) == 0xFE) || (uchar(data[0]) == 0xFE && uchar(data[1]) == 0xFF))) {
        return failed(kind, QCoreApplication::translate("kiln::DatasetReport", "%1 is in UTF-16; save it as UTF-8 to use it.")
                                .arg(shownPath));
    }
    if (looksBinary(data, size))
        return failed(kind, QCoreApplication::translate("kiln::DatasetReport", "%1 is not a text file.").arg(shownPath));
    const char *scanEnd = data + std::min(size, kLongestFirstLine + 1);
    if (std::find_if(data, scanEnd, [](char c) { return c == '\n' || c == '\r'; }) - data > kLongestFirstLine) {
        return failed(kind, QCoreApplication::translate("kiln::DatasetReport",
                                                        "The first line of %1 is longer than %2 MB; it is not a CSV file.")
                                .arg(shownPath, QString::number(kLongestFirstLine >> 20)));
    }
    const qsizetype bom = bytes.startsWith("\xEF\xBB\xBF") ? 3 : 0;
    const bool blank = std::all_of(data + bom, data + size, [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    });
    if (blank)
        return failed(kind, QCoreApplication::translate("kiln::DatasetReport", "%1 is empty.").arg(shownPath));

    // Not blank, yet no first record: it opens a quoted field that never ends.
    CsvReader reader;
    const bool parsed = reader.setData(bytes);
    const QStringList names = reader.columns();
    if (!parsed || names.isEmpty()) {
        return failed(kind, QCoreApplication::translate("kiln::DatasetReport",
                                                        "%1 cannot be read as CSV: its first line opens a quoted field "
                                                        "that is never closed.")
                                .arg(shownPath));
    }

    DatasetReport report;
    report.kind = kind;
    report.target = target;
    const qsizetype columnCount = names.size();
    const qsizetype targetColumn = target.isEmpty() ? -1 : names.indexOf(target);
    QList<ColumnState> states(columnCount);
    report.columns.resize(columnCount);
    for (qsizetype c = 0; c < columnCount; ++c)
        report.columns[c].name = names.at(c);
    TargetState targetState;

    int firstBadLine = 0;
    int lastLine = 0;
    CsvReader::Row row;
    while (reader.next(row)) {
        lastLine = row.line;
        if (row.fields.size() != columnCount) {
            if (report.badRows++ == 0)
                firstBadLine = row.line;
            continue;
        }
        ++report.rows;
        for (qsizetype c = 0; c < columnCount; ++c) {
            const QString &field = row.fields.at(c);
            ColumnSummary &summary = report.columns[c];
            ColumnState &state = states[c];
            double value = 0;
            const bool number = CsvReader::toNumber(field, &value);
            if (!number && CsvReader::isMissing(field)) {
                ++summary.missing;
                continue;
            }
            if (summary.present++ == 0)
                state.first = field.trimmed();
            const bool room = state.numberValues.size() + state.textValues.size() < DatasetReports::kDistinctCap;
            if (number) {
                if (state.numbers++ == 0) {
                    summary.minimum = summary.maximum = value;
                } else {
                    summary.minimum = std::min(summary.minimum, value);
                    summary.maximum = std::max(summary.maximum, value);
                }
                state.sum += value;
                if (room)
                    state.numberValues.insert(value);
            } else {
                ++summary.text;
                if (room || state.example.isEmpty()) {
                    const QString trimmed = field.trimmed();
                    if (state.example.isEmpty())
                        state.example = trimmed;
                    if (room)
                        state.textValues.insert(trimmed);
                }
            }
            if (c != targetColumn)
                continue;

            // read_csv trims the target and numbers text classes in sorted order.
            const QString key = field.trimmed();
            auto counted = targetState.textCounts.find(key);
            if (counted != targetState.textCounts.end())
                ++*counted;
            else if (targetState.textCounts.size() < DatasetReports::kClassCap)
                targetState.textCounts.insert(key, 1);
            else
                targetState.tooManyTexts = true;
            if (number) {
                if (targetState.allIntegral) {
                    bool ok = false;
                    key.toLongLong(&ok);
                    targetState.allIntegral = ok;
                }
                const float single = float(value);
                if (std::isfinite(single) && std::round(single) != single)
                    targetState.allWholeFloat = false;
                auto at = targetState.numberCounts.find(value);
                if (at != targetState.numberCounts.end())
                    ++at->second;
                else if (int(targetState.numberCounts.size()) <= kMaxNumericClasses)
                    targetState.numberCounts.emplace(value, 1);
                else
                    targetState.tooManyNumbers = true;
            }
        }
    }
    const QString readError = reader.errorString();

    for (qsizetype c = 0; c < columnCount; ++c) {
        ColumnSummary &summary = report.columns[c];
        const ColumnState &state = states.at(c);
        summary.distinct = int(std::min<qsizetype>(state.numberValues.size() + state.textValues.size(), DatasetReports::kDistinctCap));
        summary.constant = summary.present > 0 && summary.distinct == 1;
        if (state.numbers > 0)
            summary.mean = state.sum / double(state.numbers);
        if (c != targetColumn && summary.numeric())
            report.features.append(summary.name);
    }

    // The task, as dataProgram decides it from what read_csv returns.
    bool tooManyClasses = false;
    if (targetColumn >= 0 && report.columns.at(targetColumn).present > 0) {
        const ColumnSummary &summary = report.columns.at(targetColumn);
        if (summary.text > 0) {
            report.task = QStringLiteral("classification");
            tooManyClasses = targetState.tooManyTexts;
            if (!tooManyClasses) {
                // std::map<QString, ...> in read_csv: QString's operator<, UTF-16 code units.
                QStringList classNames = targetState.textCounts.keys();
                std::sort(classNames.begin(), classNames.end());
                for (const QString &name : std::as_const(classNames))
                    report.classes.append({name, targetState.textCounts.value(name)});
            }
        } else if (!targetState.tooManyNumbers && (targetState.allIntegral || targetState.allWholeFloat)) {
            // Integers stay int64; anything else is float32 before the engine rounds it.
            std::map<double, qint64> values;
            for (const auto &[value, count] : targetState.numberCounts)
                values[targetState.allIntegral ? value : double(float(value))] += count;
            if (values.size() >= 2 && values.size() <= size_t(kMaxNumericClasses)) {
                report.task = QStringLiteral("classification");
                for (const auto &[value, count] : values)
                    report.classes.append({numberName(value), count});
            }
        }
        if (report.task.isEmpty())
            report.task = QStringLiteral("regression");
    }

    // The problems, most important first.
    QStringList &problems = report.problems;
    if (!readError.isEmpty()) {
        const int line = errorLine(readError);
        problems.append(QCoreApplication::translate("kiln::DatasetReport",
                                                    "Line %1 opens a quoted field that is never closed; nothing after it can be read.")
                            .arg(line > 0 ? line : lastLine + 1));
    }
    if (!target.isEmpty() && targetColumn < 0) {
        problems.append(QCoreApplication::translate("kiln::DatasetReport", "There is no column '%1'. The columns are: %2.")
                            .arg(target, quotedList(names, 20)));
    }
    if (report.rows == 0) {
        problems.append(QCoreApplication::translate("kiln::DatasetReport", "There are no data rows."));
    } else if (report.rows == 1) {
        problems.append(QCoreApplication::translate("kiln::DatasetReport",
                                                    "Only one row of data: too few to train and validate a model on."));
    } else if (report.rows < kFewRows) {
        problems.append(QCoreApplication::translate("kiln::DatasetReport",
                                                    "Only %n rows of data: too few to train and validate a model on.",
                                                    nullptr, int(report.rows)));
    }
    if (targetColumn >= 0 && report.rows > 0) {
        const ColumnSummary &summary = report.columns.at(targetColumn);
        if (summary.present == 0) {
            problems.append(QCoreApplication::translate("kiln::DatasetReport", "The target '%1' is missing in every row.")
                                .arg(target));
        } else {
            if (report.task == QLatin1String("regression") && summary.constant) {
                problems.append(QCoreApplication::translate("kiln::DatasetReport",
                                                            "The target '%1' has the same value, %2, in every row: "
                                                            "there is nothing to learn.")
                                    .arg(target, shown(states.at(targetColumn).first)));
            }
            if (tooManyClasses) {
                problems.append(QCoreApplication::translate("kiln::DatasetReport",
                                                            "The target '%1' has more than %2 different values: too many "
                                                            "classes. Is it a name or an identifier rather than a category?")
                                    .arg(target, QString::number(DatasetReports::kClassCap)));
            }
            if (summary.missing > 0) {
                problems.append(QCoreApplication::translate("kiln::DatasetReport",
                                                            "The target '%1' is missing in %2 of %3 rows (%4%); those rows are dropped.")
                                    .arg(target, QString::number(summary.missing), QString::number(report.rows),
                                         percentText(summary.missing, report.rows)));
            }
        }
    }
    if (report.rows > 0 && report.features.isEmpty()) {
        problems.append(QCoreApplication::translate("kiln::DatasetReport",
                                                    "No feature columns: no column other than the target holds only numbers."));
    }
    checkClasses(report.classes, &problems);
    if (report.badRows == 1) {
        problems.append(QCoreApplication::translate("kiln::DatasetReport",
                                                    "The row on line %1 has a different number of fields than the %2 "
                                                    "columns and is skipped.")
                            .arg(firstBadLine)
                            .arg(columnCount));
    } else if (report.badRows > 1) {
        problems.append(QCoreApplication::translate("kiln::DatasetReport",
                                                    "%n rows have a different number of fields than the %1 columns and "
                                                    "are skipped; the first is on line %2.",
                                                    nullptr, countArg(report.badRows))
                            .arg(columnCount)
                            .arg(firstBadLine));
    }

    QList<const ColumnSummary *> textColumns, missingColumns, emptyColumns, constantColumns;
    for (qsizetype c = 0; c < columnCount; ++c) {
        const ColumnSummary &summary = report.columns.at(c);
        if (c == targetColumn)
            continue;
        if (summary.present == 0 && report.rows > 0)
            emptyColumns.append(&summary);
        else if (summary.text > 0)
            textColumns.append(&summary);
        else if (summary.missing > 0)
            missingColumns.append(&summary);
        if (summary.constant && summary.text == 0 && report.rows > 1)
            constantColumns.append(&summary);
    }
    auto stateOf = [&](const ColumnSummary &summary) -> const ColumnState & {
        return states.at(&summary - report.columns.constData());
    };
    listColumns(textColumns, &problems, [&](const ColumnSummary &summary) {
        if (summary.text == summary.present) {
            return QCoreApplication::translate("kiln::DatasetReport", "Column '%1' holds text, so it is not used as a feature.")
                .arg(summary.name);
        }
        return QCoreApplication::translate("kiln::DatasetReport",
                                           "Column '%1' has values that are not numbers, such as '%2' (%3 of %4), "
                                           "so it is not used as a feature.")
            .arg(summary.name, shown(stateOf(summary).example), QString::number(summary.text),
                 QString::number(summary.present + summary.missing));
    }, QT_TRANSLATE_N_NOOP("kiln::DatasetReport", "%n more columns hold text and are not used as features."));
    listColumns(emptyColumns, &problems, [&](const ColumnSummary &summary) {
        return QCoreApplication::translate("kiln::DatasetReport", "Column '%1' is empty: every value is missing.").arg(summary.name);
    }, QT_TRANSLATE_N_NOOP("kiln::DatasetReport", "%n more columns are empty."));
    listColumns(missingColumns, &problems, [&](const ColumnSummary &summary) {
        return QCoreApplication::translate("kiln::DatasetReport",
                                           "Column '%1' is missing %2 of %3 values (%4%); training fills them with the "
                                           "mean of the training rows.")
            .arg(summary.name, QString::number(summary.missing), QString::number(report.rows),
                 percentText(summary.missing, report.rows));
    }, QT_TRANSLATE_N_NOOP("kiln::DatasetReport", "%n more columns have missing values, filled with the mean of the training rows."));
    listColumns(constantColumns, &problems, [&](const ColumnSummary &summary) {
        return QCoreApplication::translate("kiln::DatasetReport",
                                           "Column '%1' has the same value, %2, in every row; it carries no information.")
            .arg(summary.name, shown(stateOf(summary).first));
    }, QT_TRANSLATE_N_NOOP("kiln::DatasetReport", "%n more columns have the same value in every row."));

    if (!reader.hasHeader() && columnCount > 0) {
        problems.append(QCoreApplication::translate("kiln::DatasetReport",
                                                    "The first row holds data, not column names, so the columns are "
                                                    "named %1 to %2.")
                            .arg(names.first(), names.last()));
    }
    return report;
}

DatasetReport analyzeImageFolder(const QString &directory)
{
    const QString kind = QStringLiteral("images");
    const QString shownPath = QDir::toNativeSeparators(directory);
    const QFileInfo info(directory);
    if (!info.exists())
        return failed(kind, QCoreApplication::translate("kiln::DatasetReport", "%1 does not exist.").arg(shownPath));
    if (!info.isDir())
        return failed(kind, QCoreApplication::translate("kiln::DatasetReport", "%1 is not a folder.").arg(shownPath));

    DatasetReport report;
    report.kind = kind;
    report.task = QStringLiteral("classification");
    QStringList &problems = report.problems;

    // As datasets.image_folder lists them: class folders and files by name,
    // images by the extensions Qt can read (matched without regard to case).
    const QDir dir(directory);
    const QStringList classes = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    if (classes.isEmpty()) {
        problems.append(QCoreApplication::translate("kiln::DatasetReport",
                                                    "The folder has no class subfolders: put the images of each class "
                                                    "in a folder named after the class."));
        return report;
    }
    QStringList filters;
    for (const QByteArray &format : QImageReader::supportedImageFormats())
        filters.append(QStringLiteral("*.") + QString::fromLatin1(format));

    qint64 notImages = 0;
    QString notImageExample;
    qint64 unreadable = 0;
    QString unreadableExample;
    QHash<QSize, qint64> sizes;
    QList<QSize> sizeOrder; // as first met, so that sentences do not depend on hashing
    QHash<QSize, QString> sizeExamples;
    QStringList emptyClasses;
    for (const QString &name : classes) {
        const QDir classDir(dir.filePath(name));
        const QStringList images = classDir.entryList(filters, QDir::Files, QDir::Name);
        const QStringList files = classDir.entryList(QDir::Files, QDir::Name);
        if (files.size() > images.size()) {
            notImages += files.size() - images.size();
            if (notImageExample.isEmpty()) {
                const QSet<QString> imageSet(images.cbegin(), images.cend());
                for (const QString &file : files) {
                    if (!imageSet.contains(file)) {
                        notImageExample = name + QLatin1Char('/') + file;
                        break;
                    }
                }
            }
        }
        qint64 count = 0;
        for (const QString &file : images) {
            QImageReader reader(classDir.filePath(file));
            reader.setAutoTransform(true);
            // The header's size is before the EXIF rotation that reading applies.
            QSize size = reader.size();
            if (!size.isEmpty() && (reader.transformation() & QImageIOHandler::TransformationRotate90)) {
                size.transpose();
            } else if (size.isEmpty()) { // a format that cannot tell without decoding, or not an image
                const QImage image = reader.read();
                size = image.isNull() ? QSize() : image.size();
            }
            if (size.isEmpty()) {
                if (unreadable++ == 0)
                    unreadableExample = name + QLatin1Char('/') + file;
                continue;
            }
            ++count;
            auto at = sizes.find(size);
            if (at != sizes.end()) {
                ++*at;
            } else if (sizes.size() < DatasetReports::kDistinctCap) {
                sizes.insert(size, 1);
                sizeOrder.append(size);
                sizeExamples.insert(size, name + QLatin1Char('/') + file);
            }
        }
        report.classes.append({name, count});
        report.rows += count;
        if (count == 0)
            emptyClasses.append(name);
    }

    if (report.rows == 0) {
        problems.append(QCoreApplication::translate("kiln::DatasetReport", "There are no images in the class folders."));
    } else if (report.rows == 1) {
        problems.append(QCoreApplication::translate("kiln::DatasetReport",
                                                    "Only one image: too few to train and validate a model on."));
    } else if (report.rows < kFewRows) {
        problems.append(QCoreApplication::translate("kiln::DatasetReport",
                                                    "Only %n images: too few to train and validate a model on.",
                                                    nullptr, int(report.rows)));
    }
    if (unreadable == 1) {
        problems.append(QCoreApplication::translate("kiln::DatasetReport",
                                                    "'%1' cannot be read as an image; training would stop there.")
                            .arg(unreadableExample));
    } else if (unreadable > 1) {
        problems.append(QCoreApplication::translate("kiln::DatasetReport",
                                                    "%n files cannot be read as images, such as '%1'; training would stop there.",
                                                    nullptr, countArg(unreadable))
                            .arg(unreadableExample));
    }
    if (classes.size() > 1) {
        const qsizetype listed = emptyClasses.size() > kListed + 1 ? kListed : emptyClasses.size();
        for (qsizetype i = 0; i < listed; ++i) {
            problems.append(QCoreApplication::translate("kiln::DatasetReport", "Class folder '%1' has no images.")
                                .arg(emptyClasses.at(i)));
        }
        if (emptyClasses.size() > listed) {
            problems.append(QCoreApplication::translate("kiln::DatasetReport", "%n more class folders have no images.",
                                                        nullptr, int(emptyClasses.size() - listed)));
        }
    }
    checkClasses(report.classes, &problems);
    if (sizes.size() > 1) {
        QSize common;
        qint64 commonCount = 0;
        for (const QSize &size : std::as_const(sizeOrder)) {
            if (sizes.value(size) > commonCount) {
                common = size;
                commonCount = sizes.value(size);
            }
        }
        QSize odd;
        for (const QSize &size : std::as_const(sizeOrder)) {
            if (size != common) {
                odd = size;
                break;
            }
        }
        const qint64 others = report.rows - commonCount;
        if (others == 1) {
            problems.append(QCoreApplication::translate("kiln::DatasetReport",
                                                        "Image '%1' is %2 while the others are %3; images are resized to "
                                                        "one size for training.")
                                .arg(sizeExamples.value(odd), sizeText(odd), sizeText(common)));
        } else {
            problems.append(QCoreApplication::translate("kiln::DatasetReport",
                                                        "%n images are not %1 like most, such as '%2' (%3); images are "
                                                        "resized to one size for training.",
                                                        nullptr, countArg(others))
                                .arg(sizeText(common), sizeExamples.value(odd), sizeText(odd)));
        }
    }
    if (notImages == 1) {
        problems.append(QCoreApplication::translate("kiln::DatasetReport", "'%1' is not an image and is skipped.")
                            .arg(notImageExample));
    } else if (notImages > 1) {
        problems.append(QCoreApplication::translate("kiln::DatasetReport",
                                                    "%n files in the class folders are not images and are skipped, such as '%1'.",
                                                    nullptr, countArg(notImages))
                            .arg(notImageExample));
    }
    return report;
}

QString fashionMnistDirectory()
{
    const QString root = qEnvironmentVariableIsSet("KILN_DATASETS") ? qEnvironmentVariable("KILN_DATASETS")
                                                                    : QStringLiteral("/usr/share/datasets");
    return root + QStringLiteral("/fashion-mnist");
}

DatasetReport fashionMnist(const QString &directory)
{
    const QString kind = QStringLiteral("fashion-mnist");
    const QString shownPath = QDir::toNativeSeparators(directory);
    const QDir dir(directory);
    if (!dir.exists()) {
        return failed(kind, QCoreApplication::translate("kiln::DatasetReport",
                                                        "Fashion-MNIST is not installed in %1: install the Debian package "
                                                        "dataset-fashion-mnist.")
                                .arg(shownPath));
    }
    // As datasets.fashion_mnist finds them: plain or gzipped; training reads
    // both splits, the report only the training labels.
    QString labelsPath;
    for (const char *base : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                             "t10k-labels-idx1-ubyte"}) {
        const QString name = QLatin1String(base);
        QString found;
        for (const QString &candidate : QStringList{name, name + QLatin1String(".gz")}) {
            if (QFileInfo::exists(dir.filePath(candidate))) {
                found = dir.filePath(candidate);
                break;
            }
        }
        if (found.isEmpty()) {
            return failed(kind, QCoreApplication::translate("kiln::DatasetReport",
                                                            "%1 is missing from %2: install the Debian package "
                                                            "dataset-fashion-mnist.")
                                    .arg(name, shownPath));
        }
        if (name.startsWith(QLatin1String("train-labels")))
            labelsPath = found;
    }

    IdxReader reader;
    IdxArray labels;
    if (!reader.read(labelsPath, &labels)) {
        return failed(kind, QCoreApplication::translate("kiln::DatasetReport", "%1 cannot be read: %2")
                                .arg(QDir::toNativeSeparators(labelsPath), reader.errorString()));
    }
    // The names datasets.fashion_mnist gives the classes.
    static const char *const kClasses[] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                           "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    constexpr int kClassCount = int(std::size(kClasses));
    qint64 counts[kClassCount] = {};
    const auto *bytes = reinterpret_cast<const uchar *>(labels.data.constData());
    bool valid = labels.type == IdxArray::Type::UInt8 && labels.sizes.size() == 1;
    for (qint64 i = 0; valid && i < labels.count(); ++i) {
        valid = bytes[i] < kClassCount;
        if (valid)
            ++counts[bytes[i]];
    }
    if (!valid) {
        return failed(kind, QCoreApplication::translate("kiln::DatasetReport", "%1 does not hold Fashion-MNIST labels.")
                                .arg(QDir::toNativeSeparators(labelsPath)));
    }

    DatasetReport report;
    report.kind = kind;
    report.task = QStringLiteral("classification");
    report.rows = labels.count();
    for (int c = 0; c < kClassCount; ++c)
        report.classes.append({QLatin1String(kClasses[c]), counts[c]});
    checkClasses(report.classes, &report.problems);
    return report;
}

} // namespace DatasetReports

} // namespace kiln
