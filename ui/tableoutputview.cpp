#include "tableoutputview.h"

#include "document/plotrender.h"
#include "tableoutputmodel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QFileDialog>
#include <QCheckBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QScrollBar>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace kiln {

namespace {

// Scores as bars behind their numbers, as a task's labels are shown.
class ScoreBarDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        const QVariant bar = index.data(TableOutputModel::BarRole);
        if (bar.isValid()) {
            QRect track = option.rect.adjusted(2, 3, -2, -3);
            track.setWidth(qRound(track.width() * bar.toDouble()));
            QColor fill = option.palette.color(QPalette::Highlight);
            fill.setAlphaF(0.35);
            painter->fillRect(track, fill);
        }
        QStyledItemDelegate::paint(painter, option, index);
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        if (index.data(TableOutputModel::BarRole).isValid())
            size.setWidth(qMax(size.width(), option.fontMetrics.horizontalAdvance(QLatin1Char('x')) * 24));
        return size;
    }
};

} // namespace

TableOutputView::TableOutputView(const QJsonObject &table, QWidget *parent)
    : QWidget(parent)
    , mTable(table)
{
    setObjectName(QStringLiteral("tableOutput"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);

    const QString title = table.value(QStringLiteral("title")).toString();
    const int shownRows = int(table.value(QStringLiteral("rows")).toArray().size());
    const int totalRows = qMax(shownRows, table.value(QStringLiteral("total_rows")).toInt(shownRows));
    // English has no plural form for %n without a translation loaded; one row is spelled out.
    const QString rows = totalRows > shownRows ? tr("first %1 of %n rows", nullptr, totalRows).arg(shownRows)
        : totalRows == 1                       ? tr("1 row")
                                               : tr("%n rows", nullptr, totalRows);
    mCaption = new QLabel(this);
    mCaption->setObjectName(QStringLiteral("tableCaption"));
    mCaption->setTextFormat(Qt::PlainText);
    mCaption->setWordWrap(true);
    mCaption->setText(title.isEmpty() ? rows : tr("%1 — %2").arg(title, rows));
    if (!title.isEmpty()) {
        QFont font = mCaption->font();
        font.setBold(true);
        mCaption->setFont(font);
    }
    layout->addWidget(mCaption);

    mModel = new TableOutputModel(table, this);
    mView = new QTableView(this);
    mView->setModel(mModel);
    if (mModel->hasBars())
        mView->setItemDelegate(new ScoreBarDelegate(mView));
    // Shown in the order given until a header is clicked (enabling sorting sorts
    // by the indicator's column at once).
    mView->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    // A heatmap's rows and columns are the same classes in the same order: not sortable.
    mView->setSortingEnabled(!mModel->isHeatmap());
    mView->horizontalHeader()->setSortIndicatorShown(true);
    mView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    mView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    mView->setAlternatingRowColors(true);
    mView->setWordWrap(false);
    mView->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    mView->verticalHeader()->setDefaultSectionSize(mView->fontMetrics().height() + 6);
    mView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    mView->horizontalHeader()->setStretchLastSection(false);
    mView->horizontalHeader()->setResizeContentsPrecision(200);
    mView->resizeColumnsToContents();
    // A column of long strings should not push the others out of sight.
    const int widest = qMax(120, fontMetrics().horizontalAdvance(QLatin1Char('x')) * 40);
    for (int column = 0; column < mModel->columnCount(); ++column)
        mView->setColumnWidth(column, qMin(widest, mView->columnWidth(column)));
    mView->setContextMenuPolicy(Qt::CustomContextMenu);
    mView->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    connect(mView, &QWidget::customContextMenuRequested, this, &TableOutputView::showContextMenu);

    auto *copy = new QAction(tr("&Copy"), mView);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &TableOutputView::copySelection);
    mView->addAction(copy);

    layout->addWidget(mView);
    // Shares of a row mean recall for a confusion matrix; a similarity matrix
    // (show.similarity) says it has none.
    if (mModel->isHeatmap() && table.value(QStringLiteral("row_shares")).toBool(true)) {
        auto *shares = new QCheckBox(tr("Show each row's shares (recall per class)"), this);
        shares->setObjectName(QStringLiteral("rowShares"));
        connect(shares, &QCheckBox::toggled, this, [this](bool on) {
            mModel->setShowRowShares(on);
            mView->resizeColumnsToContents();
            updateHeight();
        });
        layout->addWidget(shares);
    }
    updateHeight();
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

int TableOutputView::contentWidth() const
{
    int width = mView->verticalHeader()->sizeHint().width() + 2 * mView->frameWidth();
    for (int column = 0; column < mModel->columnCount(); ++column)
        width += mView->columnWidth(column);
    if (mModel->rowCount() > kMaxVisibleRows)
        width += mView->verticalScrollBar()->sizeHint().width();
    return width;
}

void TableOutputView::updateHeight()
{
    const int rows = qMin(kMaxVisibleRows, qMax(1, mModel->rowCount()));
    int height = mView->horizontalHeader()->sizeHint().height() + rows * mView->verticalHeader()->defaultSectionSize()
        + 2 * mView->frameWidth();
    const int width = contentWidth();
    // Room for the sideways scroll bar only when the columns do not fit the cell.
    if (width > this->width())
        height += mView->horizontalScrollBar()->sizeHint().height();
    if (mView->minimumHeight() != height || mView->maximumHeight() != height)
        mView->setFixedHeight(height);
    // As wide as its columns, never wider than the cell.
    mView->setMaximumWidth(width);
}

void TableOutputView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    updateHeight();
}

QString TableOutputView::selectionTsv() const
{
    QModelIndexList indexes = mView->selectionModel()->selectedIndexes();
    if (indexes.isEmpty())
        return QString();
    std::sort(indexes.begin(), indexes.end(), [](const QModelIndex &a, const QModelIndex &b) {
        return a.row() != b.row() ? a.row() < b.row() : a.column() < b.column();
    });
    int minColumn = indexes.constFirst().column();
    for (const QModelIndex &index : std::as_const(indexes))
        minColumn = qMin(minColumn, index.column());
    QString tsv;
    int row = indexes.constFirst().row();
    int column = minColumn;
    for (const QModelIndex &index : std::as_const(indexes)) {
        if (index.row() != row) {
            tsv += QLatin1Char('\n');
            row = index.row();
            column = minColumn;
        }
        // Gaps in a ragged selection stay as empty fields so columns line up.
        for (; column < index.column(); ++column)
            tsv += QLatin1Char('\t');
        QString text = index.data().toString();
        text.replace(QLatin1Char('\t'), QLatin1Char(' ')).replace(QLatin1Char('\n'), QLatin1Char(' '));
        tsv += text;
    }
    return tsv + QLatin1Char('\n');
}

void TableOutputView::copySelection() const
{
    const QString tsv = selectionTsv();
    if (!tsv.isEmpty())
        QApplication::clipboard()->setText(tsv);
}

bool TableOutputView::exportCsv(const QString &path) const
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    const QByteArray csv = PlotRender::tableCsv(mTable).toUtf8();
    return file.write(csv) == csv.size() && file.flush();
}

void TableOutputView::showContextMenu(const QPoint &pos)
{
    QMenu menu(this);
    QAction *copy = menu.addAction(tr("&Copy"), this, &TableOutputView::copySelection);
    copy->setEnabled(mView->selectionModel()->hasSelection());
    menu.addAction(tr("Select &All"), mView, &QAbstractItemView::selectAll);
    menu.addSeparator();
    menu.addAction(tr("&Export CSV…"), this, &TableOutputView::exportWithDialog);
    menu.exec(mView->viewport()->mapToGlobal(pos));
}

void TableOutputView::exportWithDialog()
{
    QString name = mTable.value(QStringLiteral("title")).toString().trimmed();
    name.replace(QLatin1Char('/'), QLatin1Char('_'));
    if (name.isEmpty())
        name = tr("table");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Table as CSV"), name + QStringLiteral(".csv"),
                                                      tr("CSV files (*.csv);;All files (*)"));
    if (path.isEmpty())
        return;
    if (!exportCsv(path))
        QMessageBox::warning(this, tr("Export Table as CSV"), tr("Could not write %1.").arg(path));
}

} // namespace kiln
