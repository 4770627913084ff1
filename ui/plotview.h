#pragma once

#include <QJsonObject>
#include <QWidget>

namespace kiln {

// A plot output drawn with QCustomPlot: static plots (line, scatter, hist) and
// live plots that grow while a cell runs. The data is a plot OutputItem's
// `data`: chart, series [{name, x, y}], title, xlabel, ylabel, logy, live.
class PlotView : public QWidget
{
    Q_OBJECT

public:
    explicit PlotView(QWidget *parent = nullptr);
    ~PlotView() override;

    // Shows a plot, replacing what was shown.
    void setPlot(const QJsonObject &plot);
    // Adds the points of a later piece of the same plot (a live update).
    void appendPlot(const QJsonObject &update);
    // The plot as an image, as exported.
    QImage toImage(const QSize &size) const;

private:
    struct Private;
    Private *d;
};

} // namespace kiln
