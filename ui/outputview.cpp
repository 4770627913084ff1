#include "outputview.h"

#include <QPlainTextEdit>
#include <QVBoxLayout>

// Placeholder: every item as text, until the rich views land.

namespace kiln {

struct OutputView::Private
{
    OutputList items;
    QPlainTextEdit *text = nullptr;
};

OutputView::OutputView(QWidget *parent)
    : QWidget(parent)
    , d(new Private)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    d->text = new QPlainTextEdit(this);
    d->text->setReadOnly(true);
    layout->addWidget(d->text);
}

OutputView::~OutputView()
{
    delete d;
}

void OutputView::setOutputs(const OutputList &outputs)
{
    d->items.clear();
    appendOutputs(outputs);
}

void OutputView::appendOutputs(const OutputList &items)
{
    for (const OutputItem &item : items)
        appendOutput(d->items, item);
    QString text;
    for (const OutputItem &item : d->items)
        text += item.text;
    d->text->setPlainText(text);
}

void OutputView::clear()
{
    setOutputs({});
}

bool OutputView::isEmpty() const
{
    return d->items.isEmpty();
}

} // namespace kiln
