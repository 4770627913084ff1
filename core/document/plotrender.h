#pragma once

#include <QImage>
#include <QJsonObject>
#include <QSize>
#include <QString>

namespace kiln {

// Plot and table outputs as files: what `kiln run --artifacts` writes. The
// window draws plots with QCustomPlot; this renderer needs only QtGui (and a
// QGuiApplication for fonts), so the command line can draw them headless.
namespace PlotRender {

// Draws a plot output's data (chart, series, title, labels, logy) as an image.
QImage render(const QJsonObject &plot, const QSize &size = QSize(800, 500));

// The points of every series: series,x,y with a header row.
QString plotCsv(const QJsonObject &plot);

// A table output as CSV with a header row; fields quoted as RFC 4180 asks.
QString tableCsv(const QJsonObject &table);

// One CSV field, quoted when it holds a comma, a quote or a line break.
QString csvField(const QString &text);

} // namespace PlotRender

} // namespace kiln
