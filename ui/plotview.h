#pragma once

#include <QJsonObject>
#include <QList>
#include <QPointF>
#include <QWidget>

class QCustomPlot;

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

    // The plot's data as it stands, every point appended so far included.
    QJsonObject plot() const;

    int seriesCount() const;
    QString seriesName(int series) const;
    // Every point received for a series, shown or not.
    qsizetype pointCount(int series) const;
    // The points the series draws: log-y leaves out the non-positive ones.
    QList<QPointF> drawnPoints(int series) const;
    // The smoothed line over a series (empty while smoothing is 0 or for scatter/hist).
    QList<QPointF> smoothedPoints(int series) const;

    // TensorBoard's debiased exponential moving average weight, 0..0.99.
    double smoothing() const;
    void setSmoothing(double weight);
    bool logY() const;
    void setLogY(bool on);
    // True while the axes follow the data; zooming or panning turns it off.
    bool followsData() const;
    // Back to ranges that fit the data, following it again.
    void resetView();
    // Applies pending range changes and replots now instead of on the next tick.
    void replotNow();

    bool exportPng(const QString &path, const QSize &size = QSize()) const;
    bool exportPdf(const QString &path, const QSize &size = QSize()) const;
    bool exportCsv(const QString &path) const;
    void copyImage() const;

    // The QCustomPlot drawing the plot, for tests and benchmarks.
    QCustomPlot *customPlot() const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showContextMenu(const QPoint &pos);
    void updateReadout(const QPoint &pos);

    struct Private;
    Private *d;
};

} // namespace kiln
