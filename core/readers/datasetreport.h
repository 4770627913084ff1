#pragma once

#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>
#include <QStringList>

namespace kiln {

namespace DatasetReports {
// Distinct values are counted per column up to this many, then the count stops.
inline constexpr int kDistinctCap = 1001;
// A target with more distinct text values than this is still classification,
// but its classes are not listed and "too many classes" is a problem.
inline constexpr int kClassCap = 1000;
// Fewer data rows than this cannot give a training and a validation split
// worth the name: the training panel refuses to start on them.
inline constexpr int kMinimumRows = 10;
} // namespace DatasetReports

// What one CSV column holds, counted over the rows with the right number of fields.
struct ColumnSummary
{
    QString name;
    qint64 present = 0;     // fields that are not missing
    qint64 missing = 0;     // CsvReader::isMissing fields
    qint64 text = 0;        // present fields that are not numbers (CsvReader::toNumber fails)
    int distinct = 0;       // distinct present values (numbers by value, text by trimmed text), up to kDistinctCap
    bool constant = false;  // present > 0 and exactly one distinct value
    double minimum = 0, maximum = 0, mean = 0;  // over the numeric fields
    bool numeric() const { return present > 0 && text == 0; }
};

// A dataset as the training engine will see it, with the problems a user should
// fix or know about before training. Torch-free and Lua-free, so the training
// panel and `kiln train` can show it before any run starts.
struct DatasetReport
{
    QString error;          // set when the data cannot be read at all; then the rest is empty
    QString kind;           // "csv", "images" or "fashion-mnist"
    qint64 rows = 0;        // CSV: data rows with the right number of fields; images: readable images
    qint64 badRows = 0;     // CSV rows with the wrong number of fields (skipped in the counts)
    QList<ColumnSummary> columns;   // CSV only
    QString target;         // the target column (CSV), as asked
    QString task;           // "classification" or "regression", detected from the target; empty without one
    // Classification: class name and count, in the order the training engine
    // numbers them. Empty when a text target has more than kClassCap classes.
    QList<QPair<QString, qint64>> classes;
    QStringList features;   // the default features: numeric columns other than the target (constant ones included)
    QStringList problems;   // short translated sentences for the user, most important first
};

namespace DatasetReports {

// One pass over the file (memory-mapped, never copied); `target` may be empty.
DatasetReport analyzeCsv(const QString &path, const QString &target = QString());
// The column a CSV most likely predicts: the last one that holds numbers (not a
// constant) or a few distinct labels; free text (names, comments) is skipped.
QString suggestedTarget(const QList<ColumnSummary> &columns);
// One subfolder per class, as datasets.image_folder reads it; image sizes come
// from the file headers, so no image is decoded.
DatasetReport analyzeImageFolder(const QString &directory);
// The training split of Debian's Fashion-MNIST, from its label file.
// Fashion-MNIST where Debian installs it, or under $KILN_DATASETS when that is set.
QString fashionMnistDirectory();
DatasetReport fashionMnist(const QString &directory = fashionMnistDirectory());

} // namespace DatasetReports

} // namespace kiln

Q_DECLARE_METATYPE(kiln::DatasetReport)
