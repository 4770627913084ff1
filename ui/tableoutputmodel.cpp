#include "tableoutputmodel.h"

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
        return valueText(cell);
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
    // Row numbers follow the original order, so a sorted row keeps its number.
    return section < mOrder.size() ? QVariant(mOrder.at(section) + mFirstRow) : QVariant();
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
