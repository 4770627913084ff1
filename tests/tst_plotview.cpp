#include "plotview.h"

#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QTimer>
#include <QJsonArray>
#include <QPixmap>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QTest>

#include <cmath>

#include <qcustomplot.h>

using kiln::PlotView;

namespace {

QJsonObject series(const QString &name, const QList<double> &x, const QList<double> &y)
{
    QJsonArray xs, ys;
    for (double v : x)
        xs.append(v);
    for (double v : y)
        ys.append(v);
    return QJsonObject{{"name", name}, {"x", xs}, {"y", ys}};
}

QJsonObject linePlot(const QJsonArray &list, const QString &chart = "line")
{
    return QJsonObject{{"plot", "plot-1"}, {"chart", chart}, {"title", "Training"}, {"xlabel", "step"},
                       {"ylabel", "value"}, {"series", list}};
}

// Pixels that are not (near) white.
int inkedPixels(const QImage &image)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    int count = 0;
    for (int y = 0; y < rgb.height(); ++y) {
        const QRgb *line = reinterpret_cast<const QRgb *>(rgb.constScanLine(y));
        for (int x = 0; x < rgb.width(); ++x) {
            if (qRed(line[x]) < 230 || qGreen(line[x]) < 230 || qBlue(line[x]) < 230)
                ++count;
        }
    }
    return count;
}

} // namespace

class TestPlotView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void seriesAndLegend_data();
    void seriesAndLegend();
    void livePlotKeepsEveryPoint();
    void smoothing_data();
    void smoothing();
    void smoothingHiddenForScatterAndHist();
    void logYSkipsNonPositive();
    void histBars();
    void exportPng();
    void wholeNumberTicksAndLegendBelow();
    void exportPdf();
    void exportCsv();
    void zoomStopsFollowing();
    void doubleClickResetsView();
    void liveReplotsAreCoalesced();
    void hoverReadout();
    void contextMenu();
    void grabIsNotBlank_data();
    void grabIsNotBlank();

private:
    QTemporaryDir mDir;
};

void TestPlotView::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(mDir.isValid());
}

void TestPlotView::seriesAndLegend_data()
{
    QTest::addColumn<QString>("chart");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("graphs");
    // Lines carry a smoothed twin graph each; scatters do not.
    QTest::newRow("one line") << "line" << 1 << 2;
    QTest::newRow("three lines") << "line" << 3 << 6;
    QTest::newRow("two scatters") << "scatter" << 2 << 2;
}

void TestPlotView::seriesAndLegend()
{
    QFETCH(QString, chart);
    QFETCH(int, count);
    QFETCH(int, graphs);
    QJsonArray list;
    for (int i = 0; i < count; ++i)
        list.append(series(QString("s%1").arg(i), {1, 2, 3}, {1.0 * i, 2.0 * i, 0.5}));
    PlotView view;
    view.setPlot(linePlot(list, chart));
    QCOMPARE(view.seriesCount(), count);
    QCOMPARE(view.customPlot()->graphCount(), graphs);
    QCOMPARE(view.customPlot()->legend->itemCount(), count);
    QCOMPARE(view.seriesName(count - 1), QString("s%1").arg(count - 1));
    QCOMPARE(view.customPlot()->xAxis->label(), QString("step"));
    QCOMPARE(view.customPlot()->yAxis->label(), QString("value"));
    // A smoothed line replaces the raw one in the legend rather than adding to it.
    view.setSmoothing(0.5);
    QCOMPARE(view.customPlot()->legend->itemCount(), count);
}

void TestPlotView::livePlotKeepsEveryPoint()
{
    PlotView view;
    view.show();
    view.setPlot(QJsonObject{{"plot", "live"}, {"chart", "line"}, {"live", true},
                             {"series", QJsonArray{series("loss", {0}, {1})}}});
    const int pieces = 200, perPiece = 250;
    int next = 1;
    for (int piece = 0; piece < pieces; ++piece) {
        QList<double> x, yLoss, yAcc;
        for (int i = 0; i < perPiece; ++i, ++next) {
            x.append(next);
            yLoss.append(1.0 / next);
            yAcc.append(next * 0.001);
        }
        // A second series joins later, as plot.push does when a new name appears.
        QJsonArray list{series("loss", x, yLoss)};
        if (piece >= 10)
            list.append(series("acc", x, yAcc));
        view.appendPlot(QJsonObject{{"plot", "live"}, {"chart", "line"}, {"live", true}, {"series", list}});
        if (piece % 20 == 0)
            QCoreApplication::processEvents();
    }
    QCOMPARE(view.seriesCount(), 2);
    QCOMPARE(view.pointCount(0), qsizetype(1 + pieces * perPiece));
    QCOMPARE(view.pointCount(1), qsizetype((pieces - 10) * perPiece));
    QCOMPARE(view.customPlot()->graph(0)->dataCount(), 1 + pieces * perPiece);
    QCOMPARE(view.customPlot()->legend->itemCount(), 2);
    // The axes follow the data to its last point.
    QTRY_VERIFY(view.customPlot()->xAxis->range().upper >= pieces * perPiece);
    QVERIFY(view.followsData());
}

void TestPlotView::smoothing_data()
{
    QTest::addColumn<double>("weight");
    QTest::addColumn<QList<double>>("y");
    QTest::addColumn<QList<double>>("expected");
    // By hand: last = last * w + (1 - w) * y, smoothed = last / (1 - w^n).
    // w = 0.5: last 0.5, 1.25, 2.125 over debias 0.5, 0.75, 0.875.
    QTest::newRow("w=0.5") << 0.5 << QList<double>{1, 2, 3} << QList<double>{1, 1.25 / 0.75, 2.125 / 0.875};
    // w = 0.9: last 0.4, 0.36 + 0.0 = 0.36, 0.324 + 1.0 = 1.324 over 0.1, 0.19, 0.271.
    QTest::newRow("w=0.9") << 0.9 << QList<double>{4, 0, 10} << QList<double>{4, 0.36 / 0.19, 1.324 / 0.271};
    QTest::newRow("constant") << 0.99 << QList<double>{2, 2, 2, 2} << QList<double>{2, 2, 2, 2};
}

void TestPlotView::smoothing()
{
    QFETCH(double, weight);
    QFETCH(QList<double>, y);
    QFETCH(QList<double>, expected);
    QList<double> x;
    for (int i = 0; i < y.size(); ++i)
        x.append(i + 1);
    PlotView view;
    view.setPlot(linePlot({series("loss", x, y)}));
    QVERIFY(view.smoothedPoints(0).isEmpty());
    view.setSmoothing(weight);
    QCOMPARE(view.smoothing(), weight);
    QList<QPointF> smoothed = view.smoothedPoints(0);
    QCOMPARE(smoothed.size(), expected.size());
    for (int i = 0; i < expected.size(); ++i) {
        QCOMPARE(smoothed[i].x(), x[i]);
        QVERIFY2(qAbs(smoothed[i].y() - expected[i]) < 1e-9,
                 qPrintable(QString("%1: %2 != %3").arg(i).arg(smoothed[i].y()).arg(expected[i])));
    }

    // Points appended later extend the average exactly as if they had been there all along.
    PlotView live;
    live.setPlot(linePlot({series("loss", {x.first()}, {y.first()})}));
    live.setSmoothing(weight);
    live.appendPlot(linePlot({series("loss", x.mid(1), y.mid(1))}));
    smoothed = live.smoothedPoints(0);
    QCOMPARE(smoothed.size(), expected.size());
    for (int i = 0; i < expected.size(); ++i)
        QVERIFY(qAbs(smoothed[i].y() - expected[i]) < 1e-9);

    // The raw line stays, faded behind.
    QVERIFY(view.customPlot()->graph(0)->pen().color().alpha() < 255);
    QVERIFY(view.customPlot()->graph(1)->visible());
    view.setSmoothing(0);
    QVERIFY(view.smoothedPoints(0).isEmpty());
    QVERIFY(!view.customPlot()->graph(1)->visible());
}

void TestPlotView::smoothingHiddenForScatterAndHist()
{
    PlotView view;
    view.show();
    view.setPlot(linePlot({series("y", {1, 2}, {3, 4})}));
    auto sliderVisible = [&view] {
        const QList<QSlider *> sliders = view.findChildren<QSlider *>();
        return !sliders.isEmpty() && sliders.first()->isVisible();
    };
    QVERIFY(sliderVisible());
    // The slider applies its latest value on the next tick, not on every step of a drag.
    QSlider *slider = view.findChild<QSlider *>();
    slider->setValue(30);
    slider->setValue(50);
    QCOMPARE(view.smoothing(), 0.0);
    QTRY_COMPARE(view.smoothing(), 0.5);
    QCOMPARE(view.smoothedPoints(0).size(), 2);
    view.setPlot(linePlot({series("y", {1, 2}, {3, 4})}, "scatter"));
    QVERIFY(!sliderVisible());
    view.setSmoothing(0.6);
    QVERIFY(view.smoothedPoints(0).isEmpty());
    view.setPlot(linePlot({series("count", {1, 2}, {3, 4})}, "hist"));
    QVERIFY(!sliderVisible());
}

void TestPlotView::logYSkipsNonPositive()
{
    PlotView view;
    view.setPlot(linePlot({series("loss", {1, 2, 3, 4, 5}, {10, 0, -3, 100, 1})}));
    QCOMPARE(view.drawnPoints(0).size(), 5);
    view.setLogY(true);
    QCOMPARE(view.customPlot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
    QVERIFY(view.customPlot()->yAxis->ticker().dynamicCast<QCPAxisTickerLog>());
    const QList<QPointF> drawn = view.drawnPoints(0);
    QCOMPARE(drawn, (QList<QPointF>{{1, 10}, {4, 100}, {5, 1}}));
    QVERIFY(view.customPlot()->yAxis->range().lower > 0);
    QVERIFY(view.customPlot()->yAxis->range().lower <= 1);
    QVERIFY(view.customPlot()->yAxis->range().upper >= 100);
    // Later points are filtered too, and every point is still kept for export.
    view.appendPlot(linePlot({series("loss", {6, 7}, {-1, 1000})}));
    QCOMPARE(view.drawnPoints(0).size(), 4);
    QCOMPARE(view.pointCount(0), qsizetype(7));
    view.setLogY(false);
    QCOMPARE(view.drawnPoints(0).size(), 7);
    QCOMPARE(view.customPlot()->yAxis->scaleType(), QCPAxis::stLinear);

    // logy in the data turns it on.
    QJsonObject plot = linePlot({series("loss", {1, 2}, {0, 5})});
    plot.insert("logy", true);
    view.setPlot(plot);
    QVERIFY(view.logY());
    QCOMPARE(view.drawnPoints(0), (QList<QPointF>{{2, 5}}));
}

void TestPlotView::histBars()
{
    QJsonObject plot = linePlot({series("count", {0.25, 0.75, 1.25}, {3, 0, 7})}, "hist");
    plot.insert("bin_width", 0.5);
    PlotView view;
    view.setPlot(plot);
    QCOMPARE(view.customPlot()->plottableCount(), 1);
    auto *bars = qobject_cast<QCPBars *>(view.customPlot()->plottable(0));
    QVERIFY(bars);
    QCOMPARE(bars->width(), 0.5);
    QCOMPARE(bars->data()->size(), 3);
    QCOMPARE(bars->data()->at(2)->value, 7.0);
    // The x axis holds the whole of the outer bars; y starts at zero.
    QVERIFY(view.customPlot()->xAxis->range().lower <= 0.0);
    QVERIFY(view.customPlot()->xAxis->range().upper >= 1.5);
    QCOMPARE(view.customPlot()->yAxis->range().lower, 0.0);
    view.setLogY(true);
    QCOMPARE(bars->data()->size(), 2);
}

void TestPlotView::exportPng()
{
    PlotView view;
    view.setPlot(linePlot({series("loss", {1, 2, 3}, {3, 1, 2}), series("acc", {1, 2, 3}, {0, 1, 2})}));
    const QString path = mDir.filePath("plot.png");
    QVERIFY(view.exportPng(path, QSize(640, 360)));
    QImage image(path);
    QCOMPARE(image.size(), QSize(640, 360));
    QVERIFY(inkedPixels(image) > 2000);
    // The series colour is there, not only black axes.
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    bool coloured = false;
    for (int y = 0; y < rgb.height() && !coloured; ++y) {
        for (int x = 0; x < rgb.width() && !coloured; ++x) {
            const QColor c = rgb.pixelColor(x, y);
            coloured = c.saturation() > 150 && c.value() > 120;
        }
    }
    QVERIFY(coloured);
    QVERIFY(inkedPixels(view.toImage(QSize(300, 200))) > 500);
    view.resize(640, 400);  // copyImage() takes the size on screen
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.copyImage();
    QVERIFY(inkedPixels(QGuiApplication::clipboard()->image()) > 2000);
}

// Epochs and steps get ticks on whole numbers only; fractional keys get the
// usual ticks. The legend sits under the plot, not on the curves.
void TestPlotView::wholeNumberTicksAndLegendBelow()
{
    PlotView view;
    view.resize(900, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setPlot(linePlot({series("train", {1, 2, 3}, {0.9, 0.5, 0.4}), series("val", {1, 2, 3}, {1.0, 0.7, 0.6})}));
    QCustomPlot *plot = view.customPlot();
    plot->replot();
    const QVector<double> ticks = plot->xAxis->tickVector();
    QVERIFY(ticks.size() >= 2);
    for (const double tick : ticks)
        QVERIFY2(std::floor(tick) == tick, qPrintable(QString::number(tick)));
    QVERIFY(plot->legend->visible());
    QVERIFY(plot->legend->layout() != plot->axisRect()->insetLayout());
    QVERIFY(plot->legend->outerRect().top() >= plot->axisRect()->outerRect().bottom());
    if (qEnvironmentVariableIsSet("KILN_SCREENSHOT_DIR"))
        view.grab().save(qEnvironmentVariable("KILN_SCREENSHOT_DIR") + "/plot-legend.png");

    view.setPlot(linePlot({series("y", {0.1, 0.25, 0.4}, {1, 2, 3})}));
    plot->replot();
    bool fractional = false;
    for (const double tick : plot->xAxis->tickVector())
        fractional = fractional || std::floor(tick) != tick;
    QVERIFY(fractional);
}

void TestPlotView::exportPdf()
{
    PlotView view;
    view.setPlot(linePlot({series("loss", {1, 2, 3}, {3, 1, 2})}));
    const QString path = mDir.filePath("plot.pdf");
    QVERIFY(view.exportPdf(path));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.read(4) == "%PDF");
    QVERIFY(file.size() > 500);
}

void TestPlotView::exportCsv()
{
    PlotView view;
    view.setPlot(linePlot({series("loss", {1, 2}, {0.5, 0.25})}));
    view.appendPlot(linePlot({series("loss", {3}, {0.125}), series("lr, max", {1}, {0.1})}));
    const QString path = mDir.filePath("plot.csv");
    QVERIFY(view.exportCsv(path));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(file.readAll()),
             QString("series,x,y\nloss,1,0.5\nloss,2,0.25\nloss,3,0.125\n\"lr, max\",1,0.1\n"));
    QVERIFY(!view.exportCsv(mDir.filePath("missing/dir/plot.csv")));
}

void TestPlotView::zoomStopsFollowing()
{
    PlotView view;
    view.resize(640, 360);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setPlot(linePlot({series("loss", {1, 2, 3}, {3, 1, 2})}));
    QVERIFY(view.followsData());
    // What a wheel zoom does to the axes.
    view.customPlot()->xAxis->scaleRange(0.5);
    QVERIFY(!view.followsData());
    const QCPRange zoomed = view.customPlot()->xAxis->range();
    view.appendPlot(linePlot({series("loss", {100}, {50})}));
    view.replotNow();
    QCOMPARE(view.customPlot()->xAxis->range(), zoomed);
    view.resetView();
    QVERIFY(view.followsData());
    QVERIFY(view.customPlot()->xAxis->range().upper >= 100);
}

void TestPlotView::doubleClickResetsView()
{
    PlotView view;
    view.resize(640, 360);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setPlot(linePlot({series("loss", {1, 2, 3}, {3, 1, 2})}));
    view.customPlot()->yAxis->moveRange(5);
    QVERIFY(!view.followsData());
    QTest::mouseDClick(view.customPlot(), Qt::LeftButton, {}, view.customPlot()->axisRect()->center());
    QVERIFY(view.followsData());
    QVERIFY(view.customPlot()->yAxis->range().contains(3));
}

void TestPlotView::liveReplotsAreCoalesced()
{
    PlotView view;
    view.show();
    view.setPlot(linePlot({series("loss", {0}, {1})}));
    int replots = 0;
    connect(view.customPlot(), &QCustomPlot::afterReplot, this, [&replots] { ++replots; });
    // Pieces arriving every 5 ms for 300 ms: about 10 replots at 30 a second, not 60.
    QElapsedTimer clock;
    clock.start();
    int next = 1;
    while (clock.elapsed() < 300) {
        view.appendPlot(linePlot({series("loss", {double(next)}, {1.0 / next})}));
        ++next;
        QTest::qWait(5);
    }
    QTest::qWait(60);
    QVERIFY2(replots >= 3 && replots <= 14, qPrintable(QString::number(replots)));
    QCOMPARE(view.pointCount(0), qsizetype(next));
}

void TestPlotView::hoverReadout()
{
    PlotView view;
    view.resize(640, 360);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setPlot(linePlot({series("loss", {1, 2, 3}, {3, 1, 2}), series("acc", {1, 2, 3}, {0.5, 0.75, 0.875})}));
    auto *readout = view.findChild<QLabel *>("readout");
    QVERIFY(readout);
    QCustomPlot *plot = view.customPlot();
    const QPoint at(int(plot->xAxis->coordToPixel(2.1)), plot->axisRect()->center().y());
    // A hover with no button held; QTest::mouseMove moves no pointer on the offscreen platform.
    auto hover = [plot](const QPoint &pos) {
        QMouseEvent move(QEvent::MouseMove, pos, plot->mapToGlobal(pos), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(plot, &move);
    };
    hover(at);
    QCOMPARE(readout->text(), QString("step: 2   loss: 1   acc: 0.75"));
    view.setSmoothing(0.5);
    hover(at + QPoint(1, 0));
    QVERIFY2(readout->text().contains("loss: 1.66667 (raw 1)"), qPrintable(readout->text()));
}

void TestPlotView::contextMenu()
{
    PlotView view;
    view.resize(640, 360);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setPlot(linePlot({series("loss", {1, 2, 3}, {3, 1, 2})}));
    QStringList actions;
    QTimer::singleShot(50, this, [&actions] {
        if (auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget())) {
            for (QAction *action : menu->actions()) {
                if (!action->isSeparator())
                    actions.append(action->text());
            }
            menu->close();
        }
    });
    Q_EMIT view.customPlot()->customContextMenuRequested(QPoint(100, 100));
    QCOMPARE(actions, (QStringList{"Export PNG...", "Export PDF...", "Export data as CSV...", "Copy image", "Reset view"}));
}

void TestPlotView::grabIsNotBlank_data()
{
    QTest::addColumn<QString>("chart");
    QTest::addColumn<bool>("logy");
    QTest::newRow("line") << "line" << false;
    QTest::newRow("line-log") << "line" << true;
    QTest::newRow("scatter") << "scatter" << false;
    QTest::newRow("hist") << "hist" << false;
}

void TestPlotView::grabIsNotBlank()
{
    QFETCH(QString, chart);
    QFETCH(bool, logy);
    PlotView view;
    view.resize(800, 420);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QJsonObject plot = linePlot({}, chart);
    plot.insert("logy", logy);
    QList<double> x, loss, acc;
    for (int i = 1; i <= 400; ++i) {
        x.append(i);
        loss.append(2.0 * std::exp(-i / 80.0) + 0.15 * std::sin(i * 0.7) + 0.1);
        acc.append(1.0 - std::exp(-i / 100.0) + 0.05 * std::cos(i * 1.3));
    }
    if (chart == "hist") {
        plot.insert("bin_width", 0.5);
        plot.insert("series", QJsonArray{series("count", {0.25, 0.75, 1.25, 1.75, 2.25}, {4, 12, 30, 9, 2})});
    } else {
        plot.insert("series", QJsonArray{series("train loss", x, loss), series("val acc", x, acc)});
    }
    view.setPlot(plot);
    view.setSmoothing(0.8);
    view.replotNow();
    const QPixmap grab = view.grab();
    if (!qEnvironmentVariableIsEmpty("KILN_SCREENSHOT"))
        grab.save(qEnvironmentVariable("KILN_SCREENSHOT").replace(".png", "-" + QString(QTest::currentDataTag()) + ".png"));
    QVERIFY(inkedPixels(grab.toImage()) > 3000);
}

QTEST_MAIN(TestPlotView)
#include "tst_plotview.moc"
