#include "plotview.h"

#include "outputitem.h"
#include "plotrender.h"

#include <QLabel>
#include <QVBoxLayout>

// Placeholder drawing through the headless renderer until the QCustomPlot view lands.

namespace kiln {

struct PlotView::Private
{
    QJsonObject plot;
    QLabel *label = nullptr;
};

PlotView::PlotView(QWidget *parent)
    : QWidget(parent)
    , d(new Private)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    d->label = new QLabel(this);
    layout->addWidget(d->label);
}

PlotView::~PlotView()
{
    delete d;
}

void PlotView::setPlot(const QJsonObject &plot)
{
    d->plot = plot;
    d->label->setPixmap(QPixmap::fromImage(toImage(QSize(640, 360))));
}

void PlotView::appendPlot(const QJsonObject &update)
{
    OutputList list{OutputItem::make(OutputItem::Kind::Plot, d->plot)};
    appendOutput(list, OutputItem::make(OutputItem::Kind::Plot, update));
    setPlot(list.constFirst().data);
}

QImage PlotView::toImage(const QSize &size) const
{
    return PlotRender::render(d->plot, size);
}

} // namespace kiln
