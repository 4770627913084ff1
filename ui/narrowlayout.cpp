#include "narrowlayout.h"

#include <QComboBox>
#include <QFormLayout>

#include <QStyle>
#include <QWidget>
#include <QWidgetItem>

namespace kiln {

FlowLayout::FlowLayout(QWidget *parent, int spacing)
    : QLayout(parent)
{
    setSpacing(spacing);
    if (!parent)
        setContentsMargins(0, 0, 0, 0);
}

FlowLayout::~FlowLayout()
{
    while (QLayoutItem *item = takeAt(0))
        delete item;
}

void FlowLayout::addStretchedWidget(QWidget *widget)
{
    addChildWidget(widget);
    mItems.append(new QWidgetItem(widget));
    mStretched.append(true);
    invalidate();
}

void FlowLayout::addItem(QLayoutItem *item)
{
    mItems.append(item);
    mStretched.append(false);
}

int FlowLayout::count() const
{
    return int(mItems.size());
}

QLayoutItem *FlowLayout::itemAt(int index) const
{
    return index >= 0 && index < mItems.size() ? mItems.at(index) : nullptr;
}

QLayoutItem *FlowLayout::takeAt(int index)
{
    if (index < 0 || index >= mItems.size())
        return nullptr;
    mStretched.removeAt(index);
    return mItems.takeAt(index);
}

Qt::Orientations FlowLayout::expandingDirections() const
{
    return {};
}

bool FlowLayout::hasHeightForWidth() const
{
    return true;
}

int FlowLayout::heightForWidth(int width) const
{
    return arrange(QRect(0, 0, width, 0), false);
}

QSize FlowLayout::minimumSize() const
{
    QSize size;
    for (const QLayoutItem *item : mItems) {
        if (!item->isEmpty())
            size = size.expandedTo(item->minimumSize());
    }
    const QMargins margins = contentsMargins();
    return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom());
}

QSize FlowLayout::sizeHint() const
{
    // Everything on one line.
    int width = 0, height = 0;
    for (const QLayoutItem *item : mItems) {
        if (item->isEmpty())
            continue;
        width += (width > 0 ? gap() : 0) + item->sizeHint().width();
        height = qMax(height, item->sizeHint().height());
    }
    const QMargins margins = contentsMargins();
    return QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom());
}

void FlowLayout::setGeometry(const QRect &rect)
{
    QLayout::setGeometry(rect);
    arrange(rect, true);
}

int FlowLayout::gap() const
{
    if (spacing() >= 0)
        return spacing();
    const QWidget *parent = parentWidget();
    return parent ? parent->style()->pixelMetric(QStyle::PM_LayoutHorizontalSpacing, nullptr, parent) : 6;
}

// Places the items line by line within `rect` (when `apply`) and returns the
// height they take.
int FlowLayout::arrange(const QRect &rect, bool apply) const
{
    const QRect area = rect.marginsRemoved(contentsMargins());
    const int spacing = gap();
    int y = area.y();
    int index = 0;
    const int total = int(mItems.size());
    while (index < total) {
        // Which items share this line: each at its size hint while they fit (a
        // stretched one at its minimum), at least one a line.
        int end = index, used = 0, lineHeight = 0;
        while (end < total) {
            const QLayoutItem *item = mItems.at(end);
            if (item->isEmpty()) {
                ++end;
                continue;
            }
            const int wanted = mStretched.at(end) ? item->minimumSize().width() : item->sizeHint().width();
            const int next = used + (used > 0 ? spacing : 0) + wanted;
            if (used > 0 && next > area.width())
                break;
            used = next;
            lineHeight = qMax(lineHeight, item->sizeHint().height());
            ++end;
        }
        if (apply) {
            // The stretched items of a line share what is left of it.
            int stretched = 0;
            for (int i = index; i < end; ++i)
                stretched += (mStretched.at(i) && !mItems.at(i)->isEmpty()) ? 1 : 0;
            const int spare = stretched > 0 ? qMax(0, area.width() - used) / stretched : 0;
            int x = area.x();
            for (int i = index; i < end; ++i) {
                QLayoutItem *item = mItems.at(i);
                if (item->isEmpty())
                    continue;
                int width = mStretched.at(i) ? item->minimumSize().width() + spare : item->sizeHint().width();
                width = qMin(width, area.width());
                item->setGeometry(QRect(x, y + (lineHeight - item->sizeHint().height()) / 2, width, item->sizeHint().height()));
                x += width + spacing;
            }
        }
        y += lineHeight + (end < total ? spacing : 0);
        index = end;
    }
    return y - area.y() + contentsMargins().top() + contentsMargins().bottom();
}

void letCombosShrink(QWidget *root)
{
    for (QComboBox *combo : root->findChildren<QComboBox *>()) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(12);
    }
}

void wrapFormRows(QWidget *root, bool labelsAbove)
{
    for (QFormLayout *rows : root->findChildren<QFormLayout *>())
        rows->setRowWrapPolicy(labelsAbove ? QFormLayout::WrapAllRows : QFormLayout::WrapLongRows);
}

} // namespace kiln
