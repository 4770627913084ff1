#include "variablesview.h"

#include "document/lualiteral.h"
#include "outputview.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSplitter>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace kiln {

namespace {

// Spyder's order (name, type, size, value), then the tensor-only columns.
enum Column { NameColumn, TypeColumn, ShapeColumn, ValueColumn, DtypeColumn, DeviceColumn, MemoryColumn, ColumnCount };

constexpr int kBytesRole = Qt::UserRole + 1;

// Memory sorts by bytes, not by its formatted text; the rest by text.
class VariableItem : public QTreeWidgetItem
{
public:
    using QTreeWidgetItem::QTreeWidgetItem;
    bool operator<(const QTreeWidgetItem &other) const override
    {
        const int column = treeWidget() ? treeWidget()->sortColumn() : NameColumn;
        if (column == MemoryColumn)
            return data(MemoryColumn, kBytesRole).toLongLong() < other.data(MemoryColumn, kBytesRole).toLongLong();
        return QString::localeAwareCompare(text(column), other.text(column)) < 0;
    }
};

const QChar kFieldSeparator(31);
const QChar kRecordSeparator(30);

} // namespace

bool VariablesView::Variable::operator==(const Variable &other) const
{
    return name == other.name && kind == other.kind && type == other.type && shape == other.shape
           && dtype == other.dtype && device == other.device && bytes == other.bytes && preview == other.preview;
}

VariablesView::VariablesView(QWidget *parent)
    : QWidget(parent)
    , mFilter(new QLineEdit(this))
    , mTree(new QTreeWidget(this))
    , mEmpty(new QLabel(this))
    , mModes(new QWidget(this))
    , mModeButtons(new QButtonGroup(this))
    , mDetailTitle(new QLabel(this))
    , mDetail(new OutputView)
{
    setObjectName(QStringLiteral("variablesView"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    mFilter->setObjectName(QStringLiteral("variablesFilter"));
    mFilter->setPlaceholderText(tr("Filter by name or type"));
    mFilter->setClearButtonEnabled(true);
    connect(mFilter, &QLineEdit::textChanged, this, &VariablesView::applyFilter);
    layout->addWidget(mFilter);

    mEmpty->setObjectName(QStringLiteral("variablesEmpty"));
    mEmpty->setWordWrap(true);
    mEmpty->setEnabled(false);
    layout->addWidget(mEmpty);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);
    mTree->setObjectName(QStringLiteral("variablesTree"));
    mTree->setColumnCount(ColumnCount);
    mTree->setHeaderLabels({tr("Name"), tr("Type"), tr("Shape"), tr("Value"), tr("Dtype"), tr("Device"), tr("Memory")});
    mTree->setRootIsDecorated(false);
    mTree->setUniformRowHeights(true);
    mTree->setAlternatingRowColors(true);
    mTree->setSortingEnabled(true);
    mTree->sortByColumn(NameColumn, Qt::AscendingOrder);
    mTree->header()->setSectionResizeMode(QHeaderView::Interactive);
    mTree->header()->setStretchLastSection(false);
    mTree->setMinimumHeight(100);
    connect(mTree, &QTreeWidget::itemSelectionChanged, this, &VariablesView::onSelectionChanged);
    splitter->addWidget(mTree);

    auto *detailPane = new QWidget(splitter);
    auto *detailLayout = new QVBoxLayout(detailPane);
    detailLayout->setContentsMargins(0, 4, 0, 0);
    mDetailTitle->setObjectName(QStringLiteral("variableTitle"));
    mDetailTitle->setWordWrap(true);
    detailLayout->addWidget(mDetailTitle);
    auto *modesLayout = new QHBoxLayout(mModes);
    modesLayout->setContentsMargins(0, 0, 0, 0);
    modesLayout->setSpacing(2);
    const QList<QPair<QString, QString>> modes = {
        {QStringLiteral("grid"), tr("Grid")},
        {QStringLiteral("image"), tr("Image")},
        {QStringLiteral("histogram"), tr("Histogram")},
    };
    for (const auto &[mode, label] : modes) {
        auto *button = new QToolButton(mModes);
        button->setObjectName(QStringLiteral("mode:") + mode);
        button->setText(label);
        button->setCheckable(true);
        button->setProperty("mode", mode);
        mModeButtons->addButton(button);
        modesLayout->addWidget(button);
    }
    mModeButtons->setExclusive(true);
    mModeButtons->buttons().constFirst()->setChecked(true);
    connect(mModeButtons, &QButtonGroup::buttonClicked, this, &VariablesView::requestDetail);
    modesLayout->addStretch(1);
    mModes->hide();
    detailLayout->addWidget(mModes);
    auto *scroll = new QScrollArea(detailPane);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    mDetail->setObjectName(QStringLiteral("variableDetail"));
    scroll->setWidget(mDetail);
    detailLayout->addWidget(scroll, 1);
    splitter->addWidget(detailPane);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    layout->addWidget(splitter, 1);

    updateEmptyState();
}

QString VariablesView::listQuery()
{
    return QStringLiteral("require('kiln.variables').list()\n");
}

QString VariablesView::detailQuery(const QString &name, const QString &view)
{
    return QStringLiteral("return require('kiln.variables').show(%1, %2)\n")
        .arg(luaStringLiteral(name), luaStringLiteral(view));
}

QList<VariablesView::Variable> VariablesView::parseListing(const QString &text)
{
    QList<Variable> variables;
    for (const QString &record : text.split(kRecordSeparator, Qt::SkipEmptyParts)) {
        const QStringList fields = record.split(kFieldSeparator);
        if (fields.size() != 8)
            continue;  // a stray print from notebook code cannot reach here, but a torn record could
        bool ok = false;
        const qint64 bytes = fields.at(6).toLongLong(&ok);
        variables.append({fields.at(0), fields.at(1), fields.at(2), fields.at(3), fields.at(4), fields.at(5),
                          ok ? bytes : -1, fields.at(7)});
    }
    return variables;
}

void VariablesView::setListing(const QString &text)
{
    setVariables(parseListing(text));
}

void VariablesView::setVariables(const QList<Variable> &variables)
{
    const QString selected = selectedName();
    Variable before;
    for (const Variable &variable : std::as_const(mVariables)) {
        if (variable.name == selected)
            before = variable;
    }
    mVariables = variables;

    const QLocale locale;
    const QSignalBlocker blocker(mTree);
    mTree->setSortingEnabled(false);
    mTree->clear();
    QTreeWidgetItem *current = nullptr;
    for (const Variable &variable : variables) {
        auto *item = new VariableItem(mTree);
        item->setText(NameColumn, variable.name);
        item->setText(TypeColumn, variable.type);
        item->setText(ShapeColumn, variable.shape);
        item->setText(DtypeColumn, variable.dtype);
        item->setText(DeviceColumn, variable.device);
        item->setText(MemoryColumn, variable.bytes >= 0 ? locale.formattedDataSize(variable.bytes) : QString());
        item->setData(MemoryColumn, kBytesRole, variable.bytes);
        item->setTextAlignment(MemoryColumn, Qt::AlignRight | Qt::AlignVCenter);
        item->setText(ValueColumn, variable.preview);
        item->setToolTip(ValueColumn, variable.preview);
        if (variable.name == selected)
            current = item;
    }
    mTree->setSortingEnabled(true);
    if (current)
        mTree->setCurrentItem(current);
    applyFilter();
    updateEmptyState();
    for (int column = 0; column < ColumnCount; ++column)
        mTree->resizeColumnToContents(column);
    // A long preview is in the tooltip; the columns after it stay in reach.
    mTree->setColumnWidth(ValueColumn, qMin(mTree->columnWidth(ValueColumn), fontMetrics().averageCharWidth() * 24));

    // A selected variable that changed is drawn again; one that is gone leaves.
    if (!current) {
        onSelectionChanged();
    } else {
        for (const Variable &variable : variables) {
            if (variable.name == selected && !(variable == before))
                requestDetail();
        }
    }
}

void VariablesView::clear()
{
    setVariables({});
}

void VariablesView::appendDetail(const OutputList &items)
{
    mDetail->appendOutputs(items);
}

void VariablesView::detailFinished(const QString &error)
{
    if (!error.isEmpty())
        mDetail->appendOutputs({OutputItem::makeError(error, 0, QString())});
}

QString VariablesView::selectedName() const
{
    const QTreeWidgetItem *item = mTree->currentItem();
    return item && item->isSelected() ? item->text(NameColumn) : QString();
}

void VariablesView::selectVariable(const QString &name)
{
    const QList<QTreeWidgetItem *> found = mTree->findItems(name, Qt::MatchExactly, NameColumn);
    if (!found.isEmpty())
        mTree->setCurrentItem(found.constFirst());
}

QString VariablesView::detailMode() const
{
    if (mModes->isHidden())
        return QString();
    QAbstractButton *checked = mModeButtons->checkedButton();
    return checked ? checked->property("mode").toString() : QString();
}

void VariablesView::setDetailMode(const QString &mode)
{
    for (QAbstractButton *button : mModeButtons->buttons()) {
        if (button->property("mode").toString() == mode && !button->isChecked()) {
            button->setChecked(true);
            requestDetail();
        }
    }
}

void VariablesView::applyFilter()
{
    const QString filter = mFilter->text().trimmed();
    for (int i = 0; i < mTree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = mTree->topLevelItem(i);
        item->setHidden(!filter.isEmpty() && !item->text(NameColumn).contains(filter, Qt::CaseInsensitive)
                        && !item->text(TypeColumn).contains(filter, Qt::CaseInsensitive));
    }
}

void VariablesView::onSelectionChanged()
{
    const QString name = selectedName();
    if (name.isEmpty()) {
        mDetailName.clear();
        mModes->hide();
        mDetail->clear();
        mDetailTitle->setText(mVariables.isEmpty() ? QString() : tr("Select a variable to see it here."));
        return;
    }
    requestDetail();
}

void VariablesView::requestDetail()
{
    const QString name = selectedName();
    if (name.isEmpty())
        return;
    QString kind;
    for (const Variable &variable : std::as_const(mVariables)) {
        if (variable.name == name)
            kind = variable.kind;
    }
    mModes->setVisible(kind == QLatin1String("tensor"));
    for (const Variable &variable : std::as_const(mVariables)) {
        if (variable.name == name)
            mDetailTitle->setText(QStringList({variable.name, variable.type, variable.shape, variable.dtype})
                                      .filter(QRegularExpression(QStringLiteral("."))).join(QStringLiteral(" · ")));
    }
    mDetailName = name;
    mDetail->clear();
    Q_EMIT detailRequested(name, detailMode());
}

void VariablesView::updateEmptyState()
{
    mEmpty->setText(tr("The notebook's globals appear here after a cell runs. Locals and names starting with "
                       "\"_\" are not listed."));
    mEmpty->setVisible(mVariables.isEmpty());
}

} // namespace kiln
