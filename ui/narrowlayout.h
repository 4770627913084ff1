#pragma once

#include <QLayout>
#include <QList>

// Layouts for panels that must fit a narrow dock: rows of buttons that wrap,
// combo boxes that shrink, form labels that go above their fields.

namespace kiln {

// Lays its items out left to right and wraps onto a new line where the width
// ends, as words in a paragraph: a row of buttons that fits a wide panel and
// stacks in a narrow one instead of pushing the panel sideways. Its minimum
// width is its widest item's; its height follows its width.
class FlowLayout : public QLayout
{
public:
    explicit FlowLayout(QWidget *parent = nullptr, int spacing = -1);
    ~FlowLayout() override;

    // An item that takes the rest of its line (a progress bar beside buttons);
    // on a line of its own it takes the whole line.
    void addStretchedWidget(QWidget *widget);

    void addItem(QLayoutItem *item) override;
    int count() const override;
    QLayoutItem *itemAt(int index) const override;
    QLayoutItem *takeAt(int index) override;
    Qt::Orientations expandingDirections() const override;
    bool hasHeightForWidth() const override;
    int heightForWidth(int width) const override;
    QSize minimumSize() const override;
    QSize sizeHint() const override;
    void setGeometry(const QRect &rect) override;

private:
    int arrange(const QRect &rect, bool apply) const;
    int gap() const;

    QList<QLayoutItem *> mItems;
    QList<bool> mStretched;
};

// Panels narrower than this put form labels above their fields.
constexpr int kLabelsBesideWidth = 420;

// Combo boxes under `root` as narrow as a dock allows (their lists still show
// whole entries).
void letCombosShrink(QWidget *root);
// Form rows under `root` with their labels above the fields (`labelsAbove`), or
// beside them where a row fits.
void wrapFormRows(QWidget *root, bool labelsAbove);

} // namespace kiln
