#include "tableoutputmodel.h"

#include <QColor>

#include <algorithm>
#include <cmath>

namespace kiln {

TableOutputModel::TableOutputModel(const QJsonObject &table, QObject *parent)
    : QAbstractTableModel(parent)
    , mRows(table.value(QStringLiteral("rows")).toArray())
    , mFirstRow(table.value(QStringLiteral("first_row")).toInt(1))
{
    const QJsonArray columns = table.value(QStringLiteral("columns")).toArray();
    for (const QJsonValue &column : columns)
        mColumns.append(valueText(column));
    // Rows wider than the header still show; their extra columns get numbers.
    qsizetype width = mColumns.size();
    for (const QJsonValue &row : std::as_const(mRows))
        width = qMax(width, row.toArray().size());
    for (qsizetype i = mColumns.size(); i < width; ++i)
        mColumns.append(QString::number(i));
    mOrder.resize(mRows.size());
    for (int i = 0; i < int(mOrder.size()); ++i)
        mOrder[i] = i;
    for (const QJsonValue &label : table.value(QStringLiteral("row_labels")).toArray())
        mRowLabels.append(valueText(label));
    mHeatmap = table.value(QStringLiteral("heatmap")).toBool();
    for (const QJsonValue &column : table.value(QStringLiteral("bars")).toArray())
        mBarColumns.append(column.toInt(-1));
    for (const QJsonValue &row : std::as_const(mRows)) {
        double sum = 0;
        for (const QJsonValue &cell : row.toArray())
            sum += cell.isDouble() ? cell.toDouble() : 0.0;
        mRowSums.append(sum);
    }
}

double TableOutputModel::rowShare(int row, int column) const
{
    const QJsonValue cell = value(row, column);
    const double sum = mRowSums.value(mOrder.at(row));
    return cell.isDouble() && sum > 0 ? cell.toDouble() / sum : 0.0;
}

void TableOutputModel::setShowRowShares(bool shares)
{
    if (shares == mRowShares)
        return;
    mRowShares = shares;
    if (rowCount() > 0 && columnCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1), {Qt::DisplayRole});
}

int TableOutputModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(mOrder.size());
}

int TableOutputModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(mColumns.size());
}

QJsonValue TableOutputModel::value(int row, int column) const
{
    return mRows.at(mOrder.at(row)).toArray().at(column);
}

QString TableOutputModel::valueText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Double: {
        const double number = value.toDouble();
        if (std::isfinite(number) && number == std::floor(number) && std::abs(number) < 1e15)
            return QString::number(qint64(number));
        return QString::number(number, 'g', 6);
    }
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QString();
    default:
        return QString();
    }
}

QVariant TableOutputModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return QVariant();
    const QJsonValue cell = value(index.row(), index.column());
    switch (role) {
    case Qt::DisplayRole:
        if (mRowShares && cell.isDouble())
            return QString(QString::number(100.0 * rowShare(index.row(), index.column()), 'f', 1) + QLatin1Char('%'));
        return valueText(cell);
    case Qt::BackgroundRole:
        if (mHeatmap && cell.isDouble()) {
            // Blue by the cell's share of its row: the diagonal of a good
            // confusion matrix stands out, and so do the classes it mixes up.
            QColor shade(0x2b, 0x6c, 0xb0);
            shade.setAlphaF(0.08 + 0.8 * rowShare(index.row(), index.column()));
            return shade;
        }
        return QVariant();
    case BarRole:
        if (mBarColumns.contains(index.column()) && cell.isDouble())
            return std::clamp(cell.toDouble(), 0.0, 1.0);
        return QVariant();
    case Qt::ForegroundRole:
        if (mHeatmap && cell.isDouble() && rowShare(index.row(), index.column()) > 0.55)
            return QColor(Qt::white);
        return QVariant();
    case Qt::ToolTipRole:
        // The full precision of a number shown rounded.
        return cell.isDouble() ? QVariant(QString::number(cell.toDouble(), 'g', 17)) : QVariant();
    case Qt::TextAlignmentRole:
        return cell.isDouble() ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    default:
        return QVariant();
    }
}

QVariant TableOutputModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return QVariant();
    if (orientation == Qt::Horizontal)
        return section < mColumns.size() ? QVariant(mColumns.at(section)) : QVariant();
    // Row numbers (or names) follow the original order, so a sorted row keeps its own.
    if (section >= mOrder.size())
        return QVariant();
    const int row = mOrder.at(section);
    return row < mRowLabels.size() ? QVariant(mRowLabels.at(row)) : QVariant(row + mFirstRow);
}

void TableOutputModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= columnCount())
        return;
    // Numbers before text, numbers by value, text by locale; ties keep their order.
    auto less = [&](int a, int b) {
        const QJsonValue x = mRows.at(a).toArray().at(column);
        const QJsonValue y = mRows.at(b).toArray().at(column);
        if (x.isDouble() != y.isDouble())
            return x.isDouble();
        if (x.isDouble())
            return x.toDouble() < y.toDouble();
        return valueText(x).localeAwareCompare(valueText(y)) < 0;
    };
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    QList<int> oldOrder = mOrder;
    std::stable_sort(mOrder.begin(), mOrder.end(), [&](int a, int b) {
        return order == Qt::AscendingOrder ? less(a, b) : less(b, a);
    });
    QList<int> whereNow(mOrder.size());
    for (int i = 0; i < int(mOrder.size()); ++i)
        whereNow[mOrder.at(i)] = i;
    QModelIndexList after;
    for (const QModelIndex &index : before)
        after.append(createIndex(whereNow.at(oldOrder.at(index.row())), index.column()));
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

} // namespace kiln
