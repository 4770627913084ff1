#pragma once

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

namespace kiln {

// One item of a cell's output: printed text, a displayed value, an error, a table,
// an image or a plot. Kind-specific fields live in `data` so new kinds need no
// change to the file format.
struct OutputItem
{
    enum class Kind { Text, Value, Error, Table, Image, Plot };

    Kind kind = Kind::Text;
    QString text;      // text: what was printed; value: formatted value; error: message
    QJsonObject data;  // error: line, traceback; table/image/plot: their payload

    static OutputItem makeText(const QString &text);
    static OutputItem makeValue(const QString &text);
    static OutputItem makeError(const QString &message, int line, const QString &traceback);
    static OutputItem make(Kind kind, const QJsonObject &data);

    // Plots carry an id ("plot" in data); items with the same id are pieces of
    // one plot (a live plot arrives in many), and their series concatenate.
    QString plotId() const;

    QJsonObject toJson() const;
    // Returns false (and leaves *item alone) for JSON that is not an output item.
    static bool fromJson(const QJsonObject &json, OutputItem *item);

    static QString kindName(Kind kind);

    bool operator==(const OutputItem &other) const
    {
        return kind == other.kind && text == other.text && data == other.data;
    }
    bool operator!=(const OutputItem &other) const { return !(*this == other); }
};

using OutputList = QList<OutputItem>;

// Appends `item` to `list`, merging consecutive text and the pieces of one plot,
// so a cell's output holds one item per plot however many updates arrived.
void appendOutput(OutputList &list, const OutputItem &item);

} // namespace kiln

Q_DECLARE_METATYPE(kiln::OutputItem)
