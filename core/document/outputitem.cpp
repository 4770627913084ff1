#include "document/outputitem.h"

#include <QJsonArray>

namespace kiln {

namespace {
struct KindName
{
    OutputItem::Kind kind;
    const char *name;
};
constexpr KindName kKindNames[] = {
    {OutputItem::Kind::Text, "text"},   {OutputItem::Kind::Value, "value"},
    {OutputItem::Kind::Error, "error"}, {OutputItem::Kind::Table, "table"},
    {OutputItem::Kind::Image, "image"}, {OutputItem::Kind::Plot, "plot"},
};
} // namespace

OutputItem OutputItem::makeText(const QString &text)
{
    OutputItem item;
    item.kind = Kind::Text;
    item.text = text;
    return item;
}

OutputItem OutputItem::makeValue(const QString &text)
{
    OutputItem item;
    item.kind = Kind::Value;
    item.text = text;
    return item;
}

OutputItem OutputItem::makeError(const QString &message, int line, const QString &traceback)
{
    OutputItem item;
    item.kind = Kind::Error;
    item.text = message;
    if (line > 0)
        item.data.insert(QStringLiteral("line"), line);
    if (!traceback.isEmpty())
        item.data.insert(QStringLiteral("traceback"), traceback);
    return item;
}

OutputItem OutputItem::make(Kind kind, const QJsonObject &data)
{
    OutputItem item;
    item.kind = kind;
    item.data = data;
    return item;
}

QString OutputItem::plotId() const
{
    return kind == Kind::Plot ? data.value(QStringLiteral("plot")).toString() : QString();
}

namespace {

QJsonArray concatenated(QJsonArray base, const QJsonArray &more)
{
    for (const QJsonValue &value : more)
        base.append(value);
    return base;
}

void mergePlot(OutputItem &plot, const OutputItem &update)
{
    const QString seriesKey = QStringLiteral("series");
    QJsonArray series = plot.data.value(seriesKey).toArray();
    const QJsonArray updates = update.data.value(seriesKey).toArray();
    for (const QJsonValue &value : updates) {
        const QJsonObject incoming = value.toObject();
        const QString name = incoming.value(QStringLiteral("name")).toString();
        bool merged = false;
        for (int i = 0; i < series.size() && !merged; ++i) {
            QJsonObject existing = series.at(i).toObject();
            if (existing.value(QStringLiteral("name")).toString() != name)
                continue;
            for (const QString axis : {QStringLiteral("x"), QStringLiteral("y")}) {
                existing.insert(axis, concatenated(existing.value(axis).toArray(), incoming.value(axis).toArray()));
            }
            series.replace(i, existing);
            merged = true;
        }
        if (!merged)
            series.append(incoming);
    }
    plot.data.insert(seriesKey, series);
    for (auto it = update.data.constBegin(); it != update.data.constEnd(); ++it) {
        if (it.key() != seriesKey)
            plot.data.insert(it.key(), it.value());
    }
}

} // namespace

void appendOutput(OutputList &list, const OutputItem &item)
{
    if (item.kind == OutputItem::Kind::Text && !list.isEmpty() && list.constLast().kind == OutputItem::Kind::Text) {
        list.last().text += item.text;
        return;
    }
    const QString id = item.plotId();
    if (!id.isEmpty()) {
        for (int i = int(list.size()) - 1; i >= 0; --i) {
            if (list.at(i).plotId() == id) {
                mergePlot(list[i], item);
                return;
            }
        }
    }
    list.append(item);
}

QString OutputItem::kindName(Kind kind)
{
    for (const KindName &entry : kKindNames) {
        if (entry.kind == kind)
            return QString::fromLatin1(entry.name);
    }
    return QString();
}

QJsonObject OutputItem::toJson() const
{
    QJsonObject json = data;
    json.insert(QStringLiteral("type"), kindName(kind));
    if (!text.isEmpty())
        json.insert(QStringLiteral("text"), text);
    return json;
}

bool OutputItem::fromJson(const QJsonObject &json, OutputItem *item)
{
    const QString type = json.value(QStringLiteral("type")).toString();
    for (const KindName &entry : kKindNames) {
        if (type == QLatin1String(entry.name)) {
            item->kind = entry.kind;
            item->text = json.value(QStringLiteral("text")).toString();
            item->data = json;
            item->data.remove(QStringLiteral("type"));
            item->data.remove(QStringLiteral("text"));
            return true;
        }
    }
    return false;
}

} // namespace kiln
