#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace kiln {

// A table output's rows for a QTableView. Sorting reorders a row permutation,
// comparing numbers as numbers; the table's data itself is never changed.
class TableOutputModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    explicit TableOutputModel(const QJsonObject &table, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    // A cell's value as shown: integers without a fraction, other numbers to six digits.
    static QString valueText(const QJsonValue &value);

    // Score columns (a task's labels): numbers from 0 to 1 drawn as bars.
    static constexpr int BarRole = Qt::UserRole + 1;  // the bar's length, 0 to 1; null elsewhere
    bool hasBars() const { return !mBarColumns.isEmpty(); }

    // A heatmap table (a confusion matrix): cells shaded by their share of the row.
    bool isHeatmap() const { return mHeatmap; }
    // Show each cell as its share of the row (a confusion matrix's recall view).
    void setShowRowShares(bool shares);
    bool showRowShares() const { return mRowShares; }

private:
    QJsonValue value(int row, int column) const;

    QStringList mColumns;
    QJsonArray mRows;
    double rowShare(int row, int column) const;

    QList<int> mOrder; // view row -> row in mRows
    int mFirstRow = 1; // the number of the first row: 0 for tensors, as PyTorch counts
    QStringList mRowLabels; // names for the rows (a confusion matrix's classes); empty: numbers
    QList<double> mRowSums;
    QList<int> mBarColumns;
    bool mHeatmap = false;
    bool mRowShares = false;
};

} // namespace kiln
