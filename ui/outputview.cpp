#include "outputview.h"

#include <QJsonArray>
#include <QLabel>
#include <QVBoxLayout>

#include "erroroutputview.h"
#include "imageoutputview.h"
#include "plotview.h"
#include "tableoutputview.h"
#include "textoutputview.h"

#include <QVBoxLayout>

namespace kiln {

namespace {

// How much of a text item's end is remembered to recognise its continuation
// without keeping the whole (possibly huge) text twice.
constexpr qsizetype kTextTail = 256;
constexpr int kPlotMinimumHeight = 300;

} // namespace

struct OutputView::Private
{
    // One per view. Text items keep only their length and tail, not the text.
    struct Shown
    {
        OutputItem item;
        qsizetype textLength = 0;
        QWidget *view = nullptr;
    };

    OutputView *q = nullptr;
    QVBoxLayout *layout = nullptr;
    QList<Shown> shown;

    QWidget *createView(const OutputItem &item);
    QWidget *createTensorView(const OutputItem &item);
    void add(const OutputItem &item);
    void removeFrom(int index);
    bool continues(const Shown &old, const OutputItem &item) const;
    void update(Shown &old, const OutputItem &item);
};

// A displayed tensor: a header with its shape and dtype, then a grid for a small
// matrix, a picture for an image-shaped tensor, or PyTorch's printout.
QWidget *OutputView::Private::createTensorView(const OutputItem &item)
{
    const QJsonObject tensor = item.data.value(QStringLiteral("tensor")).toObject();
    auto *box = new QWidget(q);
    box->setObjectName(QStringLiteral("tensorOutput"));
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    QStringList shape;
    for (const QJsonValue &size : tensor.value(QStringLiteral("shape")).toArray())
        shape.append(QString::number(size.toInteger()));
    QString header = OutputView::tr("tensor · shape [%1] · %2").arg(shape.join(QStringLiteral(", ")),
                                                                     tensor.value(QStringLiteral("dtype")).toString());
    if (tensor.value(QStringLiteral("requires_grad")).toBool())
        header += OutputView::tr(" · requires grad");
    auto *label = new QLabel(header, box);
    label->setObjectName(QStringLiteral("tensorHeader"));
    // Readable, a little quieter than the values: a disabled label was too faint.
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette quiet = label->palette();
    QColor text = quiet.color(QPalette::WindowText);
    text.setAlphaF(0.8);
    quiet.setColor(QPalette::WindowText, text);
    label->setPalette(quiet);
    layout->addWidget(label);
    const QJsonArray values = tensor.value(QStringLiteral("values")).toArray();
    if (tensor.contains(QStringLiteral("png"))) {
        QJsonObject image{{QStringLiteral("png"), tensor.value(QStringLiteral("png"))}};
        layout->addWidget(new ImageOutputView(image, box));
    } else if (shape.size() == 2 && !values.isEmpty()) {
        QJsonArray columns;
        for (qsizetype c = 0; c < values.at(0).toArray().size(); ++c)
            columns.append(qint64(c));
        QJsonObject table{{QStringLiteral("columns"), columns}, {QStringLiteral("rows"), values},
                          {QStringLiteral("total_rows"), values.size()}, {QStringLiteral("first_row"), 0}};
        layout->addWidget(new TableOutputView(table, box));
    } else {
        auto *text = new TextOutputView(TextOutputView::Role::Value, box);
        text->appendText(item.text);
        layout->addWidget(text);
    }
    box->setToolTip(item.text.size() < 4000 ? item.text : QString());
    return box;
}

QWidget *OutputView::Private::createView(const OutputItem &item)
{
    switch (item.kind) {
    case OutputItem::Kind::Value:
        if (item.data.contains(QStringLiteral("tensor")))
            return createTensorView(item);
        Q_FALLTHROUGH();
    case OutputItem::Kind::Text: {
        auto *view = new TextOutputView(item.kind == OutputItem::Kind::Value ? TextOutputView::Role::Value
                                                                           : TextOutputView::Role::Text, q);
        view->appendText(item.text);
        return view;
    }
    case OutputItem::Kind::Error: {
        auto *view = new ErrorOutputView(item, q);
        QObject::connect(view, &ErrorOutputView::lineActivated, q, &OutputView::errorLineActivated);
        return view;
    }
    case OutputItem::Kind::Table:
        return new TableOutputView(item.data, q);
    case OutputItem::Kind::Image:
        return new ImageOutputView(item.data, q);
    case OutputItem::Kind::Plot: {
        auto *view = new PlotView(q);
        view->setObjectName(QStringLiteral("plotOutput"));
        view->setMinimumHeight(qMax(view->minimumHeight(), kPlotMinimumHeight));
        view->setPlot(item.data);
        return view;
    }
    }
    return nullptr;
}

void OutputView::Private::add(const OutputItem &item)
{
    if (item.kind == OutputItem::Kind::Text && !shown.isEmpty()
        && shown.constLast().item.kind == OutputItem::Kind::Text) {
        Shown &last = shown.last();
        static_cast<TextOutputView *>(last.view)->appendText(item.text);
        last.textLength += item.text.size();
        last.item.text = QString(last.item.text + item.text).right(kTextTail);
        return;
    }
    const QString id = item.plotId();
    if (!id.isEmpty()) {
        for (int i = int(shown.size()) - 1; i >= 0; --i) {
            Shown &plot = shown[i];
            if (plot.item.plotId() != id)
                continue;
            OutputList merged{plot.item};
            appendOutput(merged, item);
            plot.item = merged.constFirst();
            static_cast<PlotView *>(plot.view)->appendPlot(item.data);
            return;
        }
    }
    Shown entry;
    entry.item = item;
    if (item.kind == OutputItem::Kind::Text) {
        entry.textLength = item.text.size();
        entry.item.text = item.text.right(kTextTail);
    }
    entry.view = createView(item);
    layout->addWidget(entry.view);
    shown.append(entry);
}

void OutputView::Private::removeFrom(int index)
{
    while (shown.size() > index) {
        QWidget *view = shown.takeLast().view;
        // Later: the view may be on the stack (an error's link clicked, and the
        // cell cleared in answer).
        view->hide();
        view->setParent(nullptr);
        view->deleteLater();
    }
}

bool OutputView::Private::continues(const Shown &old, const OutputItem &item) const
{
    if (old.item.kind != item.kind)
        return false;
    switch (item.kind) {
    case OutputItem::Kind::Text: {
        const QString &tail = old.item.text;
        return item.text.size() >= old.textLength
            && QStringView(item.text).mid(old.textLength - tail.size(), tail.size()) == tail;
    }
    case OutputItem::Kind::Plot:
        return old.item.plotId() == item.plotId();
    default:
        return old.item == item;
    }
}

void OutputView::Private::update(Shown &old, const OutputItem &item)
{
    if (item.kind == OutputItem::Kind::Text) {
        if (item.text.size() > old.textLength) {
            static_cast<TextOutputView *>(old.view)->appendText(item.text.mid(old.textLength));
            old.textLength = item.text.size();
            old.item.text = item.text.right(kTextTail);
        }
    } else if (item.kind == OutputItem::Kind::Plot && old.item.data != item.data) {
        static_cast<PlotView *>(old.view)->setPlot(item.data);
        old.item = item;
    }
}

OutputView::OutputView(QWidget *parent)
    : QWidget(parent)
    , d(new Private)
{
    d->q = this;
    d->layout = new QVBoxLayout(this);
    d->layout->setContentsMargins(0, 0, 0, 0);
    d->layout->setSpacing(6);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
}

OutputView::~OutputView()
{
    delete d;
}

void OutputView::setOutputs(const OutputList &outputs)
{
    OutputList merged;
    for (const OutputItem &item : outputs)
        appendOutput(merged, item);
    int same = 0;
    while (same < d->shown.size() && same < merged.size() && d->continues(d->shown.at(same), merged.at(same))) {
        d->update(d->shown[same], merged.at(same));
        ++same;
    }
    d->removeFrom(same);
    for (qsizetype i = same; i < merged.size(); ++i)
        d->add(merged.at(i));
}

void OutputView::appendOutputs(const OutputList &items)
{
    for (const OutputItem &item : items)
        d->add(item);
}

void OutputView::clear()
{
    d->removeFrom(0);
}

bool OutputView::isEmpty() const
{
    return d->shown.isEmpty();
}

int OutputView::count() const
{
    return int(d->shown.size());
}

QWidget *OutputView::itemView(int index) const
{
    return index >= 0 && index < d->shown.size() ? d->shown.at(index).view : nullptr;
}

bool OutputView::exportTableCsv(int index, const QString &path) const
{
    auto *table = qobject_cast<TableOutputView *>(itemView(index));
    return table && table->exportCsv(path);
}

} // namespace kiln
