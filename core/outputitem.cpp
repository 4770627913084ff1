#include "outputitem.h"

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
