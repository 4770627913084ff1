#include "document/markdownexport.h"

#include "document/plotrender.h"

#include <QBuffer>
#include <QJsonArray>

namespace kiln {

namespace {

// Text outputs longer than this fold, as the window folds them.
constexpr int kFoldedOutputLines = 30;

// A fence longer than any backtick run inside, so the content cannot close it.
QString fence(const QString &text)
{
    int longest = 0, run = 0;
    for (QChar c : text) {
        run = c == QLatin1Char('`') ? run + 1 : 0;
        longest = qMax(longest, run);
    }
    return QString(qMax(3, longest + 1), QLatin1Char('`'));
}

QString fenced(const QString &text, const QString &language = QString())
{
    QString body = text;
    if (!body.endsWith(QLatin1Char('\n')))
        body += QLatin1Char('\n');
    const QString marks = fence(body);
    return marks + language + QLatin1Char('\n') + body + marks + QStringLiteral("\n\n");
}

QString cellText(const QJsonValue &value)
{
    QString text = value.isDouble() ? QString::number(value.toDouble(), 'g', 8) : value.toVariant().toString();
    text.replace(QLatin1Char('|'), QLatin1String("\\|"));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return text;
}

QString pngDataUrl(const QImage &image)
{
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return QStringLiteral("data:image/png;base64,") + QString::fromLatin1(png.toBase64());
}

QString outputMarkdown(const OutputItem &item)
{
    switch (item.kind) {
    case OutputItem::Kind::Text:
    case OutputItem::Kind::Value: {
        if (item.text.isEmpty())
            return QString();
        // Long output stays folded, as in the window: a <details> block, which
        // GitHub and most Markdown viewers open on a click.
        const int lines = int(item.text.count(QLatin1Char('\n'))) + (item.text.endsWith(QLatin1Char('\n')) ? 0 : 1);
        if (lines <= kFoldedOutputLines)
            return fenced(item.text, QStringLiteral("text"));
        return QStringLiteral("<details><summary>%1 lines of output</summary>\n\n%2\n</details>\n")
            .arg(lines)
            .arg(fenced(item.text, QStringLiteral("text")));
    }
    case OutputItem::Kind::Error: {
        const int line = item.data.value(QStringLiteral("line")).toInt();
        QString text = line > 0 ? QStringLiteral("Error (line %1): %2").arg(line).arg(item.text)
                                : QStringLiteral("Error: %1").arg(item.text);
        const QString traceback = item.data.value(QStringLiteral("traceback")).toString();
        if (!traceback.isEmpty())
            text += QLatin1Char('\n') + traceback;
        return fenced(text, QStringLiteral("text"));
    }
    case OutputItem::Kind::Table: {
        const QJsonArray columns = item.data.value(QStringLiteral("columns")).toArray();
        QString out;
        const QString title = item.data.value(QStringLiteral("title")).toString();
        if (!title.isEmpty())
            out += QStringLiteral("**%1**\n\n").arg(title);
        QStringList header, rule;
        for (const QJsonValue &column : columns) {
            header.append(cellText(column));
            rule.append(QStringLiteral("---"));
        }
        out += QStringLiteral("| %1 |\n| %2 |\n").arg(header.join(QStringLiteral(" | ")), rule.join(QStringLiteral(" | ")));
        for (const QJsonValue &row : item.data.value(QStringLiteral("rows")).toArray()) {
            QStringList fields;
            for (const QJsonValue &field : row.toArray())
                fields.append(cellText(field));
            out += QStringLiteral("| %1 |\n").arg(fields.join(QStringLiteral(" | ")));
        }
        return out + QLatin1Char('\n');
    }
    case OutputItem::Kind::Image: {
        const QString title = item.data.value(QStringLiteral("title")).toString();
        return QStringLiteral("![%1](data:image/png;base64,%2)\n\n")
            .arg(title, item.data.value(QStringLiteral("png")).toString());
    }
    case OutputItem::Kind::Plot: {
        const QString title = item.data.value(QStringLiteral("title")).toString();
        return QStringLiteral("![%1](%2)\n\n").arg(title, pngDataUrl(PlotRender::render(item.data)));
    }
    }
    return QString();
}

} // namespace

QString exportMarkdown(const NotebookContent &content)
{
    QString out;
    if (!content.title.isEmpty())
        out += QStringLiteral("# %1\n\n").arg(content.title);
    for (const Cell &cell : content.cells) {
        switch (cell.kind) {
        case CellKind::Section:
            out += QStringLiteral("## %1\n\n").arg(cell.source);
            break;
        case CellKind::Markdown:
            if (!cell.source.trimmed().isEmpty())
                out += cell.source.trimmed() + QStringLiteral("\n\n");
            break;
        case CellKind::Code:
            out += fenced(cell.source, QStringLiteral("lua"));
            for (const OutputItem &item : cell.outputs)
                out += outputMarkdown(item);
            break;
        }
    }
    return out;
}

} // namespace kiln
