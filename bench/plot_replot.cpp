// Replot time of a live plot of 1,000,000 points, and the cost of appending one
// 10,000-point piece, as PlotView receives them from plot.push.

#include "plotview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QTextStream>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace {

constexpr int kPoints = 1000000;
constexpr int kPiece = 10000;
constexpr int kReplots = 50;

QJsonObject piece(int first, int count)
{
    QJsonArray xs, ys;
    for (int i = first; i < first + count; ++i) {
        xs.append(i);
        ys.append(2.0 * std::exp(-i / 200000.0) + 0.3 * std::sin(i * 0.01) + 0.05 * std::sin(i * 1.7));
    }
    return QJsonObject{{QStringLiteral("plot"), QStringLiteral("live")},
                       {QStringLiteral("chart"), QStringLiteral("line")},
                       {QStringLiteral("live"), true},
                       {QStringLiteral("series"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("loss")},
                                                                         {QStringLiteral("x"), xs},
                                                                         {QStringLiteral("y"), ys}}}}};
}

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    const size_t index = std::min(values.size() - 1, size_t(std::ceil(p * double(values.size())) - 1));
    return values[index];
}

std::vector<double> timeReplots(kiln::PlotView &view)
{
    std::vector<double> times;
    for (int i = 0; i < kReplots; ++i) {
        QElapsedTimer timer;
        timer.start();
        view.customPlot()->replot(QCustomPlot::rpImmediateRefresh);
        times.push_back(timer.nsecsElapsed() / 1e6);
    }
    return times;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QTextStream out(stdout);

    kiln::PlotView view;
    view.resize(800, 400);
    view.show();
    QCoreApplication::processEvents();

    // Build the pieces first so the append timing covers PlotView only.
    std::vector<QJsonObject> pieces;
    for (int first = 0; first < kPoints; first += kPiece)
        pieces.push_back(piece(first, kPiece));

    view.setPlot(pieces.front());
    std::vector<double> appends;
    for (size_t i = 1; i < pieces.size(); ++i) {
        QElapsedTimer timer;
        timer.start();
        view.appendPlot(pieces[i]);
        appends.push_back(timer.nsecsElapsed() / 1e6);
    }
    view.replotNow();
    QCoreApplication::processEvents();

    out << "points: " << view.pointCount(0) << " in pieces of " << kPiece << ", plot area "
        << view.customPlot()->width() << "x" << view.customPlot()->height() << "\n";
    std::vector<double> replots = timeReplots(view);
    out << "replot (" << kReplots << "x): median " << QString::number(percentile(replots, 0.5), 'f', 2)
        << " ms, p99 " << QString::number(percentile(replots, 0.99), 'f', 2) << " ms\n";
    // Dragging the slider recomputes the average over every point.
    QElapsedTimer smoothingTimer;
    smoothingTimer.start();
    view.setSmoothing(0.6);
    const double smoothingMs = smoothingTimer.nsecsElapsed() / 1e6;
    view.replotNow();
    replots = timeReplots(view);
    out << "replot with smoothing 0.6: median " << QString::number(percentile(replots, 0.5), 'f', 2)
        << " ms, p99 " << QString::number(percentile(replots, 0.99), 'f', 2) << " ms\n";
    out << "setSmoothing over " << kPoints << " points: " << QString::number(smoothingMs, 'f', 2) << " ms\n";
    out << "appendPlot of a " << kPiece << "-point piece: median "
        << QString::number(percentile(appends, 0.5), 'f', 2) << " ms, p99 "
        << QString::number(percentile(appends, 0.99), 'f', 2) << " ms\n";
    out << "target: median <= 16 ms\n";
    return 0;
}
