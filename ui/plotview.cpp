#include "plotview.h"

#include "narrowlayout.h"

#include "document/plotrender.h"

#include <QLocale>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QSlider>
#include <QStandardPaths>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <vector>

namespace kiln {

namespace {

// TensorBoard's run colours, so curves look the way ML users expect.
const QColor kPalette[] = {QColor(0xe8, 0x71, 0x0a), QColor(0x12, 0x5b, 0xcb), QColor(0xe5, 0x25, 0x92),
                           QColor(0x7c, 0xb3, 0x42), QColor(0x93, 0x34, 0xe6), QColor(0x12, 0xb5, 0xcb),
                           QColor(0xf9, 0xab, 0x00), QColor(0x42, 0x50, 0x66)};

// At most ~30 replots a second however fast pieces of a live plot arrive.
constexpr int kReplotIntervalMs = 33;
constexpr double kInf = std::numeric_limits<double>::infinity();

QString keyText(double value)
{
    return QString::number(value, 'g', 6);
}

// Finite min/max of one series, kept up to date on append so following the
// data never scans a million points.
struct Extent
{
    double xLow = kInf, xHigh = -kInf;
    double yLow = kInf, yHigh = -kInf;
    double yPositiveLow = kInf;

    void add(double x, double y)
    {
        if (!std::isfinite(x) || !std::isfinite(y))
            return;
        xLow = std::min(xLow, x);
        xHigh = std::max(xHigh, x);
        yLow = std::min(yLow, y);
        yHigh = std::max(yHigh, y);
        if (y > 0)
            yPositiveLow = std::min(yPositiveLow, y);
    }
    void add(const Extent &other)
    {
        xLow = std::min(xLow, other.xLow);
        xHigh = std::max(xHigh, other.xHigh);
        yLow = std::min(yLow, other.yLow);
        yHigh = std::max(yHigh, other.yHigh);
        yPositiveLow = std::min(yPositiveLow, other.yPositiveLow);
    }
};

// Ticks on whole numbers only, for keys that are counts (epochs, steps): a
// step of 1.5 epochs means nothing.
class IntegerTicker : public QCPAxisTicker
{
protected:
    double getTickStep(const QCPRange &range) override
    {
        const double step = QCPAxisTicker::getTickStep(range);
        return step < 1 ? 1 : std::round(step);
    }
    // Minor ticks on the whole numbers between, when there are few.
    int getSubTickCount(double tickStep) override
    {
        const int step = int(std::round(tickStep));
        return step <= 10 ? std::max(0, step - 1) : QCPAxisTicker::getSubTickCount(tickStep);
    }
};

} // namespace

struct PlotView::Private
{
    enum class Chart { Line, Scatter, Hist };

    // One named series. `all` holds every point received (for export and for
    // rebuilding after a log-y toggle); `shown` is `all` itself unless log-y
    // leaves points out, so a linear live plot stores its data once.
    struct Series
    {
        QString name;
        QColor colour;
        QSharedPointer<QCPGraphDataContainer> all;
        QSharedPointer<QCPGraphDataContainer> shown;
        QSharedPointer<QCPGraphDataContainer> smooth;
        QSharedPointer<QCPBarsDataContainer> bars;
        QCPGraph *graph = nullptr;
        QCPGraph *smoothGraph = nullptr;
        QCPBars *barsPlot = nullptr;
        Extent extent;
        // Running state of the moving average, so appends extend it.
        double emaLast = 0;
        double emaPower = 1;
    };

    PlotView *q = nullptr;
    QCustomPlot *plot = nullptr;
    QCPTextElement *title = nullptr;
    QWidget *controls = nullptr;
    QWidget *smoothingBox = nullptr;
    QSlider *smoothingSlider = nullptr;
    QLabel *smoothingValue = nullptr;
    QCheckBox *logBox = nullptr;
    QLabel *readout = nullptr;
    QTimer replotTimer;
    QTimer smoothingTimer;

    QJsonObject meta; // the plot's data without its series
    Chart chart = Chart::Line;
    double binWidth = 1;
    double smoothing = 0;
    bool logY = false;
    bool follow = true;
    bool settingRange = false;
    bool integerKeys = true;  // every x so far is a whole number
    std::vector<Series> series;

    bool smoothed() const { return chart == Chart::Line && smoothing > 0; }

    void clear()
    {
        plot->clearPlottables();
        series.clear();
        setIntegerKeys(true);
    }

    void setIntegerKeys(bool integers)
    {
        if (integers == integerKeys && (dynamic_cast<IntegerTicker *>(plot->xAxis->ticker().data()) != nullptr) == integers)
            return;
        integerKeys = integers;
        if (integers)
            plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new IntegerTicker));
        else
            plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    }

    Series &addSeries(const QString &name)
    {
        Series s;
        s.name = name;
        s.colour = kPalette[series.size() % std::size(kPalette)];
        s.all.reset(new QCPGraphDataContainer);
        s.shown = s.all;
        if (logY)
            s.shown.reset(new QCPGraphDataContainer);
        if (chart == Chart::Hist) {
            s.bars.reset(new QCPBarsDataContainer);
            s.barsPlot = new QCPBars(plot->xAxis, plot->yAxis);
            s.barsPlot->setName(name);
            s.barsPlot->setData(s.bars);
            s.barsPlot->setWidth(binWidth);
            s.barsPlot->setPen(QPen(s.colour.darker(120)));
            QColor fill = s.colour;
            fill.setAlpha(170);
            s.barsPlot->setBrush(fill);
        } else {
            s.graph = plot->addGraph();
            s.graph->setName(name);
            s.graph->setData(s.shown);
            s.graph->setAdaptiveSampling(true);
            if (chart == Chart::Scatter) {
                s.graph->setLineStyle(QCPGraph::lsNone);
                s.graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, s.colour, s.colour, 5));
            } else {
                s.smooth.reset(new QCPGraphDataContainer);
                s.smoothGraph = plot->addGraph();
                s.smoothGraph->setName(name);
                s.smoothGraph->setData(s.smooth);
                s.smoothGraph->setAdaptiveSampling(true);
                s.smoothGraph->setPen(QPen(s.colour, 1.5));
                s.smoothGraph->setLayer(QStringLiteral("smoothed"));
                s.smoothGraph->removeFromLegend();
            }
        }
        series.push_back(s);
        Series &added = series.back();
        applyStyle(added);
        return added;
    }

    Series *findSeries(const QString &name)
    {
        for (Series &s : series) {
            if (s.name == name)
                return &s;
        }
        return nullptr;
    }

    // Raw lines fade behind their smoothed line, and the legend names whichever is in front.
    void applyStyle(Series &s)
    {
        if (chart != Chart::Line)
            return;
        QColor raw = s.colour;
        if (smoothed())
            raw.setAlpha(64);
        s.graph->setPen(QPen(raw, smoothed() ? 1.0 : 1.5));
        s.smoothGraph->setVisible(smoothed());
    }

    void rebuildLegend()
    {
        plot->legend->clearItems();
        for (Series &s : series) {
            if (s.barsPlot)
                s.barsPlot->addToLegend();
            else if (smoothed())
                s.smoothGraph->addToLegend();
            else
                s.graph->addToLegend();
        }
        const bool named = series.size() == 1 && series.front().name != QLatin1String("y")
            && series.front().name != QLatin1String("count");
        plot->legend->setVisible(series.size() > 1 || named);
    }

    // Appends points to every container of a series without rebuilding any.
    void addPoints(Series &s, const QVector<double> &xs, const QVector<double> &ys)
    {
        const qsizetype n = std::min(xs.size(), ys.size());
        if (n == 0)
            return;
        QVector<QCPGraphData> points;
        points.reserve(n);
        bool sorted = true;
        bool integers = integerKeys;
        for (qsizetype i = 0; i < n; ++i) {
            if (std::isnan(xs[i]))
                continue;
            integers = integers && std::floor(xs[i]) == xs[i];
            if (!points.isEmpty() && xs[i] < points.constLast().key)
                sorted = false;
            points.append(QCPGraphData(xs[i], ys[i]));
            s.extent.add(xs[i], ys[i]);
        }
        if (!integers && integerKeys)
            setIntegerKeys(false);
        if (points.isEmpty())
            return;
        // In order after what is there already: both add() and the moving average can just extend.
        const bool atEnd = sorted && (s.all->isEmpty() || points.constFirst().key >= (s.all->constEnd() - 1)->key);
        s.all->add(points, sorted);

        if (s.shown != s.all) {
            QVector<QCPGraphData> positive;
            positive.reserve(points.size());
            for (const QCPGraphData &p : std::as_const(points)) {
                if (p.value > 0)
                    positive.append(p);
            }
            s.shown->add(positive, sorted);
        }
        if (s.bars) {
            QVector<QCPBarsData> bars;
            bars.reserve(points.size());
            for (const QCPGraphData &p : std::as_const(points)) {
                if (std::isfinite(p.value) && (!logY || p.value > 0))
                    bars.append(QCPBarsData(p.key, p.value));
            }
            s.bars->add(bars, sorted);
        }
        if (smoothed()) {
            if (atEnd)
                extendSmooth(s, points.constBegin(), points.constEnd());
            else
                rebuildSmooth(s);
        }
    }

    // TensorBoard's debiased EMA: last = last * w + (1 - w) * y; smoothed = last / (1 - w^n).
    template<typename It>
    void extendSmooth(Series &s, It begin, It end)
    {
        const double w = smoothing;
        // Written through a pointer: a million QList::append calls cost more than the average.
        QVector<QCPGraphData> out(end - begin);
        QCPGraphData *o = out.data();
        double last = s.emaLast, power = s.emaPower;
        for (It it = begin; it != end; ++it) {
            if (!std::isfinite(it->value))
                continue;
            last = last * w + (1 - w) * it->value;
            // w^n sticks at the smallest denormal (0.6 of it rounds back up), and denormal
            // arithmetic is ten times slower; the debias factor is exactly 1 long before.
            power = power < 1e-300 ? 0.0 : power * w;
            const double value = last / (1 - power);
            if (!logY || value > 0)
                *o++ = QCPGraphData(it->key, value);
        }
        s.emaLast = last;
        s.emaPower = power;
        out.resize(o - out.data());
        s.smooth->add(out, true);
    }

    void rebuildSmooth(Series &s)
    {
        if (!s.smooth)
            return;
        s.smooth->clear();
        s.emaLast = 0;
        s.emaPower = 1;
        if (smoothed())
            extendSmooth(s, s.all->constBegin(), s.all->constEnd());
    }

    // After a log-y toggle: the shown points are all points, or the positive ones.
    void rebuildShown(Series &s)
    {
        if (logY) {
            s.shown.reset(new QCPGraphDataContainer);
            QVector<QCPGraphData> positive;
            positive.reserve(s.all->size());
            for (auto it = s.all->constBegin(); it != s.all->constEnd(); ++it) {
                if (it->value > 0)
                    positive.append(*it);
            }
            s.shown->set(positive, true);
        } else {
            s.shown = s.all;
        }
        if (s.graph)
            s.graph->setData(s.shown);
        if (s.bars) {
            QVector<QCPBarsData> bars;
            for (auto it = s.all->constBegin(); it != s.all->constEnd(); ++it) {
                if (std::isfinite(it->value) && (!logY || it->value > 0))
                    bars.append(QCPBarsData(it->key, it->value));
            }
            s.bars->set(bars, true);
        }
        rebuildSmooth(s);
    }

    void addSeriesJson(const QJsonArray &array)
    {
        for (const QJsonValue &entry : array) {
            const QJsonObject object = entry.toObject();
            const QString name = object.value(QStringLiteral("name")).toString();
            Series *s = findSeries(name);
            if (!s)
                s = &addSeries(name);
            const QJsonArray ys = object.value(QStringLiteral("y")).toArray();
            const QJsonValue xValue = object.value(QStringLiteral("x"));
            const QJsonArray xs = xValue.toArray();
            QVector<double> x(ys.size()), y(ys.size());
            const double start = double(s->all->size());
            for (qsizetype i = 0; i < ys.size(); ++i) {
                // JSON carries non-finite values as null.
                y[i] = ys.at(i).toDouble(std::nan(""));
                x[i] = xValue.isArray() ? (i < xs.size() ? xs.at(i).toDouble(std::nan("")) : std::nan(""))
                                        : start + double(i) + 1;
            }
            addPoints(*s, x, y);
        }
    }

    void applyMeta()
    {
        const QString text = meta.value(QStringLiteral("title")).toString();
        if (text.isEmpty() && title) {
            plot->plotLayout()->remove(title);
            plot->plotLayout()->simplify();
            title = nullptr;
        } else if (!text.isEmpty() && !title) {
            plot->plotLayout()->insertRow(0);
            QFont font = plot->font();
            font.setBold(true);
            title = new QCPTextElement(plot, text, font);
            plot->plotLayout()->addElement(0, 0, title);
        } else if (title) {
            title->setText(text);
        }
        plot->xAxis->setLabel(meta.value(QStringLiteral("xlabel")).toString());
        plot->yAxis->setLabel(meta.value(QStringLiteral("ylabel")).toString());
    }

    void applyScale()
    {
        QCPRange y = plot->yAxis->range();
        settingRange = true;
        if (logY) {
            plot->yAxis->setScaleType(QCPAxis::stLogarithmic);
            plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
            plot->yAxis->setNumberFormat(QStringLiteral("eb"));
            plot->yAxis->setNumberPrecision(0);
        } else {
            plot->yAxis->setScaleType(QCPAxis::stLinear);
            plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
            plot->yAxis->setNumberFormat(QStringLiteral("gb"));
            plot->yAxis->setNumberPrecision(6);
        }
        plot->yAxis->setRange(y);
        settingRange = false;
        {
            const QSignalBlocker blocker(logBox);
            logBox->setChecked(logY);
        }
    }

    // Ranges that fit every series, with a little room; only while following the data.
    void applyRanges()
    {
        if (!follow)
            return;
        Extent all;
        for (const Series &s : series)
            all.add(s.extent);
        QCPRange x(0, 1), y(0, 1);
        if (all.xLow <= all.xHigh) {
            x = QCPRange(all.xLow, all.xHigh);
            if (chart == Chart::Hist) {
                x.lower -= binWidth / 2;
                x.upper += binWidth / 2;
            }
            if (x.size() <= 0)
                x = QCPRange(x.lower - 0.5, x.upper + 0.5);
        }
        if (logY) {
            if (all.yPositiveLow <= all.yHigh && all.yHigh > 0)
                y = QCPRange(all.yPositiveLow / 1.25, all.yHigh * 1.25);
            else
                y = QCPRange(0.1, 10);
        } else if (all.yLow <= all.yHigh) {
            double low = all.yLow, high = all.yHigh;
            if (chart == Chart::Hist) {
                low = std::min(low, 0.0);
                high = std::max(high, 0.0);
            }
            const double pad = high > low ? (high - low) * 0.05 : 0.5;
            y = QCPRange(chart == Chart::Hist && low == 0 ? 0 : low - pad, high + pad);
        }
        settingRange = true;
        plot->xAxis->setRange(x);
        plot->yAxis->setRange(y);
        settingRange = false;
    }

    void scheduleReplot()
    {
        if (!replotTimer.isActive())
            replotTimer.start();
    }

    void replot()
    {
        replotTimer.stop();
        applyRanges();
        plot->replot();
    }

    QSize exportSize(const QSize &size) const
    {
        if (size.isValid() && !size.isEmpty())
            return size;
        if (plot->width() >= 100 && plot->height() >= 80)
            return plot->size();
        return QSize(800, 500);
    }
};

PlotView::PlotView(QWidget *parent)
    : QWidget(parent)
    , d(new Private)
{
    d->q = this;
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);

    d->controls = new QWidget(this);
    // The controls wrap in a narrow panel instead of widening it.
    auto *controls = new FlowLayout(d->controls);
    controls->setContentsMargins(4, 0, 4, 0);
    d->smoothingBox = new QWidget(d->controls);
    auto *smoothing = new QHBoxLayout(d->smoothingBox);
    smoothing->setContentsMargins(0, 0, 0, 0);
    smoothing->addWidget(new QLabel(tr("Smoothing"), d->smoothingBox));
    d->smoothingSlider = new QSlider(Qt::Horizontal, d->smoothingBox);
    d->smoothingSlider->setRange(0, 99);
    d->smoothingSlider->setMaximumWidth(160);
    d->smoothingSlider->setToolTip(tr("Exponential moving average weight, as in TensorBoard"));
    smoothing->addWidget(d->smoothingSlider);
    d->smoothingValue = new QLabel(d->smoothingBox);
    d->smoothingValue->setMinimumWidth(d->smoothingValue->fontMetrics().horizontalAdvance(QStringLiteral("0.00 ")));
    smoothing->addWidget(d->smoothingValue);
    controls->addWidget(d->smoothingBox);
    d->logBox = new QCheckBox(tr("Log y"), d->controls);
    controls->addWidget(d->logBox);
    auto *reset = new QToolButton(d->controls);
    reset->setText(tr("Reset view"));
    reset->setToolTip(tr("Fit the axes to the data again (or double-click the plot)"));
    reset->setAutoRaise(true);
    controls->addWidget(reset);
    layout->addWidget(d->controls);

    d->plot = new QCustomPlot(this);
    // Tick labels in the user's number format, as the rest of the window (QCustomPlot
    // starts in the C locale: 0.5 beside a spin box's 0,5).
    QLocale numbers;
    numbers.setNumberOptions(QLocale::OmitGroupSeparator);
    d->plot->setLocale(numbers);
    d->plot->setMinimumHeight(220);
    d->plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    // The hover readout needs moves without a button held.
    d->plot->setMouseTracking(true);
    d->plot->setPlottingHint(QCP::phFastPolylines, true);
    d->plot->setContextMenuPolicy(Qt::CustomContextMenu);
    d->plot->addLayer(QStringLiteral("smoothed"), d->plot->layer(QStringLiteral("main")), QCustomPlot::limAbove);
    d->plot->xAxis->grid()->setPen(QPen(QColor(0xe6, 0xe6, 0xe6)));
    d->plot->yAxis->grid()->setPen(QPen(QColor(0xe6, 0xe6, 0xe6)));
    d->plot->legend->setBrush(QColor(255, 255, 255, 210));
    d->plot->legend->setBorderPen(QPen(QColor(0xcc, 0xcc, 0xcc)));
    // The legend sits under the plot, in one row, never on the curves.
    auto *legendRow = new QCPLayoutGrid;
    d->plot->plotLayout()->addElement(d->plot->plotLayout()->rowCount(), 0, legendRow);
    d->plot->axisRect()->insetLayout()->take(d->plot->legend);
    legendRow->addElement(0, 0, d->plot->legend);
    // An empty element beside it takes the spare width, so the entries stay together.
    legendRow->addElement(0, 1, new QCPLayoutElement(d->plot));
    legendRow->setColumnStretchFactor(0, 0.001);
    legendRow->setMargins(QMargins(0, 0, 0, 4));
    d->plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    d->plot->legend->setBrush(Qt::NoBrush);
    d->plot->legend->setBorderPen(Qt::NoPen);
    d->plot->plotLayout()->setRowStretchFactor(d->plot->plotLayout()->rowCount() - 1, 0.001);
    d->setIntegerKeys(true);
    layout->addWidget(d->plot, 1);

    d->readout = new QLabel(this);
    d->readout->setObjectName(QStringLiteral("readout"));
    d->readout->setTextFormat(Qt::PlainText);
    QPalette palette = d->readout->palette();
    palette.setColor(QPalette::WindowText, QColor(0x55, 0x55, 0x55));
    d->readout->setPalette(palette);
    d->readout->setContentsMargins(6, 0, 6, 2);
    layout->addWidget(d->readout);

    d->replotTimer.setSingleShot(true);
    d->replotTimer.setInterval(kReplotIntervalMs);
    connect(&d->replotTimer, &QTimer::timeout, this, [this] { d->replot(); });

    // Any range change we did not make is the user zooming or panning: stop following.
    auto userRange = [this] {
        if (!d->settingRange)
            d->follow = false;
    };
    connect(d->plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, userRange);
    connect(d->plot->yAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, userRange);
    connect(d->plot, &QCustomPlot::mouseDoubleClick, this, [this] { resetView(); });
    connect(d->plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent *event) { updateReadout(event->pos()); });
    d->plot->installEventFilter(this);
    connect(d->plot, &QWidget::customContextMenuRequested, this, &PlotView::showContextMenu);
    // Dragging the slider over a million points would recompute the average on every
    // step; the timer takes the latest value at most ~30 times a second instead.
    d->smoothingTimer.setSingleShot(true);
    d->smoothingTimer.setInterval(kReplotIntervalMs);
    connect(&d->smoothingTimer, &QTimer::timeout, this,
            [this] { setSmoothing(d->smoothingSlider->value() / 100.0); });
    connect(d->smoothingSlider, &QSlider::valueChanged, this, [this](int value) {
        d->smoothingValue->setText(QLocale().toString(value / 100.0, 'f', 2));
        if (!d->smoothingTimer.isActive())
            d->smoothingTimer.start();
    });
    connect(d->logBox, &QCheckBox::toggled, this, &PlotView::setLogY);
    connect(reset, &QToolButton::clicked, this, &PlotView::resetView);

    d->applyScale();
    d->smoothingValue->setText(QLocale().toString(0.0, 'f', 2));
    resize(640, 360);
}

PlotView::~PlotView()
{
    delete d;
}

void PlotView::setPlot(const QJsonObject &plot)
{
    d->clear();
    d->meta = plot;
    d->meta.remove(QStringLiteral("series"));
    const QString chart = plot.value(QStringLiteral("chart")).toString();
    d->chart = chart == QLatin1String("scatter") ? Private::Chart::Scatter
        : chart == QLatin1String("hist")         ? Private::Chart::Hist
                                                 : Private::Chart::Line;
    d->binWidth = plot.value(QStringLiteral("bin_width")).toDouble(1);
    if (!(d->binWidth > 0))
        d->binWidth = 1;
    d->logY = plot.value(QStringLiteral("logy")).toBool();
    d->applyScale();
    d->smoothingBox->setVisible(d->chart == Private::Chart::Line);
    // Lay the controls out now, not on the next event loop turn, so an immediate grab is right.
    d->controls->layout()->activate();
    d->applyMeta();
    d->addSeriesJson(plot.value(QStringLiteral("series")).toArray());
    d->rebuildLegend();
    d->follow = true;
    d->readout->clear();
    d->replot();
}

void PlotView::appendPlot(const QJsonObject &update)
{
    const qsizetype before = d->series.size();
    bool metaChanged = false;
    for (auto it = update.constBegin(); it != update.constEnd(); ++it) {
        if (it.key() == QLatin1String("series") || d->meta.value(it.key()) == it.value())
            continue;
        d->meta.insert(it.key(), it.value());
        metaChanged = true;
    }
    if (metaChanged) {
        d->applyMeta();
        if (update.contains(QStringLiteral("logy")))
            setLogY(update.value(QStringLiteral("logy")).toBool());
    }
    d->addSeriesJson(update.value(QStringLiteral("series")).toArray());
    if (qsizetype(d->series.size()) != before)
        d->rebuildLegend();
    d->scheduleReplot();
}

QImage PlotView::toImage(const QSize &size) const
{
    d->applyRanges();
    QImage image = d->plot->toPixmap(size.width(), size.height()).toImage();
    // toPixmap lays the plot out at the export size; lay it out for the widget again.
    d->scheduleReplot();
    return image;
}

QJsonObject PlotView::plot() const
{
    QJsonObject plot = d->meta;
    QJsonArray series;
    for (const Private::Series &s : d->series) {
        QJsonArray xs, ys;
        for (auto it = s.all->constBegin(); it != s.all->constEnd(); ++it) {
            xs.append(it->key);
            ys.append(std::isfinite(it->value) ? QJsonValue(it->value) : QJsonValue());
        }
        QJsonObject entry;
        entry.insert(QStringLiteral("name"), s.name);
        entry.insert(QStringLiteral("x"), xs);
        entry.insert(QStringLiteral("y"), ys);
        series.append(entry);
    }
    plot.insert(QStringLiteral("series"), series);
    return plot;
}

int PlotView::seriesCount() const
{
    return int(d->series.size());
}

QString PlotView::seriesName(int series) const
{
    return series >= 0 && series < seriesCount() ? d->series[series].name : QString();
}

qsizetype PlotView::pointCount(int series) const
{
    return series >= 0 && series < seriesCount() ? d->series[series].all->size() : 0;
}

QList<QPointF> PlotView::drawnPoints(int series) const
{
    QList<QPointF> points;
    if (series < 0 || series >= seriesCount())
        return points;
    const Private::Series &s = d->series[series];
    if (s.bars) {
        for (auto it = s.bars->constBegin(); it != s.bars->constEnd(); ++it)
            points.append(QPointF(it->key, it->value));
    } else {
        for (auto it = s.shown->constBegin(); it != s.shown->constEnd(); ++it)
            points.append(QPointF(it->key, it->value));
    }
    return points;
}

QList<QPointF> PlotView::smoothedPoints(int series) const
{
    QList<QPointF> points;
    if (series < 0 || series >= seriesCount() || !d->smoothed() || !d->series[series].smooth)
        return points;
    const auto &smooth = d->series[series].smooth;
    for (auto it = smooth->constBegin(); it != smooth->constEnd(); ++it)
        points.append(QPointF(it->key, it->value));
    return points;
}

double PlotView::smoothing() const
{
    return d->smoothing;
}

void PlotView::setSmoothing(double weight)
{
    weight = std::clamp(weight, 0.0, 0.99);
    d->smoothingTimer.stop();
    if (weight == d->smoothing)
        return;
    d->smoothing = weight;
    {
        const QSignalBlocker blocker(d->smoothingSlider);
        d->smoothingSlider->setValue(int(std::lround(weight * 100)));
    }
    d->smoothingValue->setText(QLocale().toString(weight, 'f', 2));
    for (Private::Series &s : d->series) {
        d->rebuildSmooth(s);
        d->applyStyle(s);
    }
    d->rebuildLegend();
    d->scheduleReplot();
}

bool PlotView::logY() const
{
    return d->logY;
}

void PlotView::setLogY(bool on)
{
    if (on == d->logY)
        return;
    d->logY = on;
    d->meta.insert(QStringLiteral("logy"), on);
    d->applyScale();
    for (Private::Series &s : d->series)
        d->rebuildShown(s);
    // The old y range means nothing on the other scale.
    d->follow = true;
    d->replot();
}

bool PlotView::followsData() const
{
    return d->follow;
}

void PlotView::resetView()
{
    d->follow = true;
    d->replot();
}

void PlotView::replotNow()
{
    d->replot();
}

bool PlotView::exportPng(const QString &path, const QSize &size) const
{
    return toImage(d->exportSize(size)).save(path, "PNG");
}

bool PlotView::exportPdf(const QString &path, const QSize &size) const
{
    d->applyRanges();
    const QSize pageSize = d->exportSize(size);
    const bool ok = d->plot->savePdf(path, pageSize.width(), pageSize.height());
    d->scheduleReplot();
    return ok;
}

bool PlotView::exportCsv(const QString &path) const
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    const QByteArray csv = PlotRender::plotCsv(plot()).toUtf8();
    return file.write(csv) == csv.size();
}

void PlotView::copyImage() const
{
    QGuiApplication::clipboard()->setImage(toImage(d->exportSize(QSize())));
}

QCustomPlot *PlotView::customPlot() const
{
    return d->plot;
}

bool PlotView::eventFilter(QObject *watched, QEvent *event)
{
    // A readout of where the mouse was is misleading once it has left.
    if (watched == d->plot && event->type() == QEvent::Leave)
        d->readout->clear();
    return QWidget::eventFilter(watched, event);
}

void PlotView::showContextMenu(const QPoint &pos)
{
    const QString title = d->meta.value(QStringLiteral("title")).toString();
    const QString base = QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
                             .filePath(title.isEmpty() ? QStringLiteral("plot") : title);
    auto exportTo = [this, base](const QString &caption, const QString &suffix, const QString &filter,
                                 bool (PlotView::*write)(const QString &, const QSize &) const) {
        const QString path = QFileDialog::getSaveFileName(this, caption, base + suffix, filter);
        if (!path.isEmpty() && !(this->*write)(path, QSize()))
            QMessageBox::warning(this, caption, tr("Could not write %1.").arg(QDir::toNativeSeparators(path)));
    };

    QMenu menu(this);
    menu.addAction(tr("Export PNG..."), this, [&] {
        exportTo(tr("Export PNG"), QStringLiteral(".png"), tr("PNG images (*.png)"), &PlotView::exportPng);
    });
    menu.addAction(tr("Export PDF..."), this, [&] {
        exportTo(tr("Export PDF"), QStringLiteral(".pdf"), tr("PDF documents (*.pdf)"), &PlotView::exportPdf);
    });
    menu.addAction(tr("Export data as CSV..."), this, [&] {
        const QString caption = tr("Export data as CSV");
        const QString path = QFileDialog::getSaveFileName(this, caption, base + QStringLiteral(".csv"),
                                                          tr("CSV files (*.csv)"));
        if (!path.isEmpty() && !exportCsv(path))
            QMessageBox::warning(this, caption, tr("Could not write %1.").arg(QDir::toNativeSeparators(path)));
    });
    menu.addAction(tr("Copy image"), this, &PlotView::copyImage);
    menu.addSeparator();
    QAction *reset = menu.addAction(tr("Reset view"), this, &PlotView::resetView);
    reset->setEnabled(!d->follow);
    menu.exec(d->plot->mapToGlobal(pos));
}

// The nearest point of each series to the mouse's x, in a line under the plot.
void PlotView::updateReadout(const QPoint &pos)
{
    if (d->series.empty() || !d->plot->axisRect()->rect().contains(pos)) {
        d->readout->clear();
        return;
    }
    const double key = d->plot->xAxis->pixelToCoord(pos.x());
    QStringList parts;
    double shownKey = std::nan("");
    for (const Private::Series &s : d->series) {
        const QSharedPointer<QCPGraphDataContainer> &data = d->smoothed() && s.smooth ? s.smooth : s.shown;
        if (data->isEmpty())
            continue;
        auto it = data->findBegin(key, false);
        if (it == data->constEnd() || (it != data->constBegin() && key - (it - 1)->key < it->key - key))
            --it;
        if (std::isnan(shownKey))
            shownKey = it->key;
        QString value = keyText(it->value);
        // Like TensorBoard's tooltip: the smoothed value, then the raw one at that step.
        if (data == s.smooth) {
            auto raw = s.shown->findBegin(it->key, false);
            if (raw != s.shown->constEnd() && raw->key == it->key)
                value = tr("%1 (raw %2)").arg(value, keyText(raw->value));
        }
        parts.append(tr("%1: %2").arg(s.name, value));
    }
    if (parts.isEmpty()) {
        d->readout->clear();
        return;
    }
    const QString xName = d->meta.value(QStringLiteral("xlabel")).toString();
    parts.prepend(tr("%1: %2").arg(xName.isEmpty() ? tr("x") : xName, keyText(shownKey)));
    d->readout->setText(parts.join(QStringLiteral("   ")));
}

} // namespace kiln
