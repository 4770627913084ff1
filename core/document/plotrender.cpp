#include "document/plotrender.h"

#include <QJsonArray>
#include <QPainter>
#include <QPainterPath>

#include <cmath>
#include <limits>

namespace kiln::PlotRender {

namespace {

const QColor kPalette[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c),
                           QColor(0xd6, 0x27, 0x28), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                           QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f)};

struct Range
{
    double low = std::numeric_limits<double>::infinity();
    double high = -std::numeric_limits<double>::infinity();

    void add(double value)
    {
        if (!std::isfinite(value))
            return;
        low = std::min(low, value);
        high = std::max(high, value);
    }
    bool valid() const { return low <= high; }
    void pad()
    {
        if (!valid()) {
            low = 0;
            high = 1;
        } else if (low == high) {
            low -= 0.5;
            high += 0.5;
        } else {
            const double margin = (high - low) * 0.04;  // keep extreme points off the frame
            low -= margin;
            high += margin;
        }
    }
};

// Ticks at 1, 2 or 5 times a power of ten, about `count` of them.
QList<double> niceTicks(double low, double high, int count)
{
    const double span = high - low;
    const double rough = span / std::max(1, count);
    const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
    double step = magnitude;
    for (double factor : {1.0, 2.0, 5.0, 10.0}) {
        step = factor * magnitude;
        if (step >= rough)
            break;
    }
    QList<double> ticks;
    for (double tick = std::ceil(low / step) * step; tick <= high + step * 1e-9; tick += step)
        ticks.append(std::abs(tick) < step * 1e-9 ? 0.0 : tick);
    return ticks;
}

QString tickLabel(double value)
{
    return QString::number(value, 'g', 6);
}

} // namespace

QImage render(const QJsonObject &plot, const QSize &size)
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);

    const QString chart = plot.value(QStringLiteral("chart")).toString(QStringLiteral("line"));
    const bool logY = plot.value(QStringLiteral("logy")).toBool();
    const QJsonArray series = plot.value(QStringLiteral("series")).toArray();
    auto yValue = [logY](double y) { return logY ? (y > 0 ? std::log10(y) : std::nan("")) : y; };

    Range xs, ys;
    for (const QJsonValue &entry : series) {
        const QJsonObject s = entry.toObject();
        for (const QJsonValue &x : s.value(QStringLiteral("x")).toArray())
            xs.add(x.toDouble(std::nan("")));
        for (const QJsonValue &y : s.value(QStringLiteral("y")).toArray())
            ys.add(yValue(y.toDouble(std::nan(""))));
    }
    if (chart == QLatin1String("hist")) {
        const double half = plot.value(QStringLiteral("bin_width")).toDouble() / 2;
        xs.low -= half;
        xs.high += half;
        ys.add(0);
    }
    xs.pad();
    ys.pad();
    if (chart == QLatin1String("hist") && ys.low < 0 && ys.low > -1e-9 * ys.high)
        ys.low = 0;

    const QString title = plot.value(QStringLiteral("title")).toString();
    const QFontMetrics metrics = painter.fontMetrics();
    const int top = title.isEmpty() ? 20 : 20 + metrics.height() + 8;
    const QRect area(70, top, size.width() - 70 - 20, size.height() - top - 55);

    auto toPixel = [&](double x, double y) {
        return QPointF(area.left() + (x - xs.low) / (xs.high - xs.low) * area.width(),
                       area.bottom() - (y - ys.low) / (ys.high - ys.low) * area.height());
    };

    painter.setPen(QColor(0xdd, 0xdd, 0xdd));
    const QList<double> yTicks = niceTicks(ys.low, ys.high, 6);
    const QList<double> xTicks = niceTicks(xs.low, xs.high, 8);
    for (double tick : yTicks)
        painter.drawLine(toPixel(xs.low, tick), toPixel(xs.high, tick));
    for (double tick : xTicks)
        painter.drawLine(toPixel(tick, ys.low), toPixel(tick, ys.high));
    painter.setPen(Qt::black);
    painter.drawRect(area);
    for (double tick : yTicks) {
        const QPointF at = toPixel(xs.low, tick);
        const QString label = logY ? QStringLiteral("1e%1").arg(tickLabel(tick)) : tickLabel(tick);
        painter.drawText(QRectF(0, at.y() - 10, area.left() - 6, 20), Qt::AlignRight | Qt::AlignVCenter, label);
    }
    for (double tick : xTicks) {
        const QPointF at = toPixel(tick, ys.low);
        painter.drawText(QRectF(at.x() - 40, area.bottom() + 4, 80, 18), Qt::AlignCenter, tickLabel(tick));
    }
    if (!title.isEmpty())
        painter.drawText(QRect(0, 8, size.width(), metrics.height()), Qt::AlignCenter, title);
    const QString xLabel = plot.value(QStringLiteral("xlabel")).toString();
    if (!xLabel.isEmpty())
        painter.drawText(QRect(area.left(), size.height() - 28, area.width(), 20), Qt::AlignCenter, xLabel);
    const QString yLabel = plot.value(QStringLiteral("ylabel")).toString();
    if (!yLabel.isEmpty()) {
        painter.save();
        painter.translate(14, area.center().y());
        painter.rotate(-90);
        painter.drawText(QRect(-area.height() / 2, -10, area.height(), 20), Qt::AlignCenter, yLabel);
        painter.restore();
    }

    painter.setClipRect(area);
    int colorIndex = 0;
    QStringList names;
    for (const QJsonValue &entry : series) {
        const QJsonObject s = entry.toObject();
        const QColor color = kPalette[colorIndex++ % std::size(kPalette)];
        names.append(s.value(QStringLiteral("name")).toString());
        const QJsonArray x = s.value(QStringLiteral("x")).toArray();
        const QJsonArray y = s.value(QStringLiteral("y")).toArray();
        const qsizetype n = std::min(x.size(), y.size());
        if (chart == QLatin1String("hist")) {
            const double width = plot.value(QStringLiteral("bin_width")).toDouble();
            painter.setPen(color.darker(130));
            painter.setBrush(color);
            for (qsizetype i = 0; i < n; ++i) {
                const double center = x.at(i).toDouble();
                painter.drawRect(QRectF(toPixel(center - width / 2, yValue(y.at(i).toDouble())),
                                        toPixel(center + width / 2, ys.low < 0 ? 0 : ys.low)));
            }
            continue;
        }
        if (chart == QLatin1String("scatter")) {
            painter.setPen(Qt::NoPen);
            painter.setBrush(color);
            for (qsizetype i = 0; i < n; ++i) {
                const double value = yValue(y.at(i).toDouble(std::nan("")));
                if (std::isfinite(value))
                    painter.drawEllipse(toPixel(x.at(i).toDouble(), value), 3, 3);
            }
            continue;
        }
        QPainterPath path;
        bool penDown = false;
        for (qsizetype i = 0; i < n; ++i) {
            const double value = yValue(y.at(i).toDouble(std::nan("")));
            if (!std::isfinite(value)) {
                penDown = false;
                continue;
            }
            const QPointF point = toPixel(x.at(i).toDouble(), value);
            penDown ? path.lineTo(point) : path.moveTo(point);
            penDown = true;
        }
        painter.setPen(QPen(color, 1.6));
        painter.setBrush(Qt::NoBrush);
        painter.drawPath(path);
    }
    painter.setClipping(false);

    if (series.size() > 1 || chart != QLatin1String("hist")) {
        int y = area.top() + 8;
        for (int i = 0; i < names.size(); ++i) {
            const int textWidth = metrics.horizontalAdvance(names.at(i));
            const int x = area.right() - textWidth - 34;
            painter.fillRect(QRect(x - 4, y - 2, textWidth + 34, metrics.height() + 4), QColor(255, 255, 255, 220));
            painter.setPen(QPen(kPalette[i % std::size(kPalette)], 3));
            painter.drawLine(x, y + metrics.height() / 2, x + 20, y + metrics.height() / 2);
            painter.setPen(Qt::black);
            painter.drawText(QPoint(x + 26, y + metrics.ascent()), names.at(i));
            y += metrics.height() + 4;
        }
    }
    return image;
}

QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n'))
        && !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

namespace {

QString valueText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Double: {
        const double number = value.toDouble();
        if (number == std::floor(number) && std::abs(number) < 1e15)
            return QString::number(qint64(number));
        return QString::number(number, 'g', 9);
    }
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::String:
        return value.toString();
    default:
        return QString();
    }
}

} // namespace

QString plotCsv(const QJsonObject &plot)
{
    QString csv = QStringLiteral("series,x,y\n");
    for (const QJsonValue &entry : plot.value(QStringLiteral("series")).toArray()) {
        const QJsonObject s = entry.toObject();
        const QString name = csvField(s.value(QStringLiteral("name")).toString());
        const QJsonArray x = s.value(QStringLiteral("x")).toArray();
        const QJsonArray y = s.value(QStringLiteral("y")).toArray();
        for (qsizetype i = 0; i < std::min(x.size(), y.size()); ++i)
            csv += name + QLatin1Char(',') + valueText(x.at(i)) + QLatin1Char(',') + valueText(y.at(i)) + QLatin1Char('\n');
    }
    return csv;
}

QString tableCsv(const QJsonObject &table)
{
    QStringList header;
    for (const QJsonValue &column : table.value(QStringLiteral("columns")).toArray())
        header.append(csvField(valueText(column)));
    QString csv = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (const QJsonValue &rowValue : table.value(QStringLiteral("rows")).toArray()) {
        QStringList fields;
        for (const QJsonValue &field : rowValue.toArray())
            fields.append(csvField(valueText(field)));
        csv += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return csv;
}

} // namespace kiln::PlotRender
