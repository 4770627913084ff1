#include "document/notebookformat.h"

#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStringConverter>
#include <QStringList>

namespace kiln::NotebookFormat {

namespace {

const QLatin1String kNotebookTag("<!-- kiln:notebook ");
const QLatin1String kCellTag("<!-- kiln:cell ");
// A Task cell's settings (document/taskcell.h), kept in its options under "task".
const QLatin1String kTaskTag("<!-- kiln:task ");
const QLatin1String kOutputTag("<!-- kiln:output ");
const QLatin1String kBreakTag("<!-- kiln:break -->");
const QLatin1String kCommentEnd(" -->");
const QByteArray kUtf8Bom("\xEF\xBB\xBF");

struct Fence
{
    QChar marker;     // ` or ~
    int length = 0;   // number of markers
    int indent = 0;   // leading spaces (0-3)
    QString info;     // first word of the info string
};

// A CommonMark fence opening: up to three spaces, then three or more ` or ~.
bool parseFenceOpen(const QString &line, Fence *fence)
{
    int i = 0;
    while (i < line.size() && i < 4 && line.at(i) == QLatin1Char(' '))
        ++i;
    if (i > 3 || i >= line.size())
        return false;
    const QChar marker = line.at(i);
    if (marker != QLatin1Char('`') && marker != QLatin1Char('~'))
        return false;
    int j = i;
    while (j < line.size() && line.at(j) == marker)
        ++j;
    if (j - i < 3)
        return false;
    const QString info = line.mid(j).trimmed();
    if (marker == QLatin1Char('`') && info.contains(QLatin1Char('`')))
        return false;
    fence->marker = marker;
    fence->length = j - i;
    fence->indent = i;
    fence->info = info.section(QLatin1Char(' '), 0, 0);
    return true;
}

bool closesFence(const QString &line, const Fence &fence)
{
    int i = 0;
    while (i < line.size() && i < 4 && line.at(i) == QLatin1Char(' '))
        ++i;
    if (i > 3)
        return false;
    int j = i;
    while (j < line.size() && line.at(j) == fence.marker)
        ++j;
    return j - i >= fence.length && line.mid(j).trimmed().isEmpty();
}

bool isCodeFence(const Fence &fence)
{
    return fence.indent == 0 && fence.info == QLatin1String("lua");
}

// `<!-- kiln:TAG {json} -->` on one line; returns the JSON object.
bool parseTaggedComment(const QString &line, QLatin1String tag, QJsonObject *object)
{
    const QString trimmed = line.trimmed();
    if (!trimmed.startsWith(tag) || !trimmed.endsWith(kCommentEnd))
        return false;
    QString json = trimmed.mid(tag.size(), trimmed.size() - tag.size() - kCommentEnd.size());
    // Qt keeps a JSON string without escapes as UTF-8 and drops a U+FEFF that
    // starts it when it hands it out (as a key, a value or in toJson), so such a
    // string would not survive a save. Escaped, the same string is kept whole; a
    // raw U+FEFF after a quote is either the start of a string or (after the
    // closing quote) invalid JSON both ways, so this changes no meaning.
    json.replace(QStringLiteral("\"\uFEFF"), QLatin1String("\"\\ufeff"));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return false;
    *object = doc.object();
    return true;
}

QString taggedComment(QLatin1String tag, const QJsonObject &object)
{
    QString json = QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
    // "-->" would end the HTML comment early; it can only occur inside a JSON string,
    // where \u003e is the same character.
    json.replace(QLatin1String("-->"), QLatin1String("--\\u003e"));
    return tag + json + kCommentEnd;
}

bool isSectionHeading(const QString &line, QString *title)
{
    if (line == QLatin1String("##") || line.startsWith(QLatin1String("## "))) {
        *title = line.mid(2).trimmed();
        return true;
    }
    return false;
}

bool isTitleHeading(const QString &line, QString *title)
{
    if (line == QLatin1String("#") || line.startsWith(QLatin1String("# "))) {
        *title = line.mid(1).trimmed();
        return true;
    }
    return false;
}

bool isBlank(const QString &line)
{
    return line.trimmed().isEmpty();
}

class Parser
{
public:
    explicit Parser(const QStringList &lines) : mLines(lines) {}

    NotebookContent parse()
    {
        NotebookContent content;
        int i = skipBlank(0);
        QJsonObject object;
        if (i < mLines.size() && parseTaggedComment(mLines.at(i), kNotebookTag, &object)) {
            content.metadata = object;
            i = skipBlank(i + 1);
        }
        QString title;
        if (i < mLines.size() && isTitleHeading(mLines.at(i), &title)) {
            content.title = title;
            ++i;
        }

        QStringList markdown;
        int markdownLine = 0;
        auto flushMarkdown = [&] {
            while (!markdown.isEmpty() && isBlank(markdown.constFirst())) {
                markdown.removeFirst();
                ++markdownLine;
            }
            while (!markdown.isEmpty() && isBlank(markdown.constLast()))
                markdown.removeLast();
            if (!markdown.isEmpty()) {
                Cell cell = Cell::make(CellKind::Markdown, markdown.join(QLatin1Char('\n')));
                cell.sourceLine = markdownLine;
                content.cells.append(cell);
            }
            markdown.clear();
        };
        auto appendMarkdown = [&](int lineIndex) {
            if (markdown.isEmpty())
                markdownLine = lineIndex + 1;
            markdown.append(mLines.at(lineIndex));
        };

        while (i < mLines.size()) {
            const QString &line = mLines.at(i);
            Fence fence;
            QString heading;
            if (parseFenceOpen(line, &fence)) {
                if (isCodeFence(fence)) {
                    flushMarkdown();
                    i = readCodeCell(i, fence, QJsonObject(), &content);
                    continue;
                }
                // A fence of another language is Markdown, whatever it contains.
                appendMarkdown(i++);
                while (i < mLines.size()) {
                    const bool closed = closesFence(mLines.at(i), fence);
                    appendMarkdown(i++);
                    if (closed)
                        break;
                }
                continue;
            }
            QJsonObject task;
            if (parseTaggedComment(line, kTaskTag, &task)) {
                int next = skipBlank(i + 1);
                QJsonObject options;
                if (next < mLines.size() && parseTaggedComment(mLines.at(next), kCellTag, &options))
                    next = skipBlank(next + 1);
                if (next < mLines.size() && parseFenceOpen(mLines.at(next), &fence) && isCodeFence(fence)) {
                    flushMarkdown();
                    options.insert(QLatin1String("task"), task);
                    i = readCodeCell(next, fence, options, &content);
                    continue;
                }
            }
            if (parseTaggedComment(line, kCellTag, &object)) {
                const int next = skipBlank(i + 1);
                if (next < mLines.size() && parseFenceOpen(mLines.at(next), &fence)
                    && isCodeFence(fence)) {
                    flushMarkdown();
                    i = readCodeCell(next, fence, object, &content);
                    continue;
                }
            }
            if (line.trimmed() == kBreakTag) {
                flushMarkdown();
                ++i;
                continue;
            }
            if (isSectionHeading(line, &heading)) {
                flushMarkdown();
                Cell cell = Cell::make(CellKind::Section, heading);
                cell.sourceLine = i + 1;
                content.cells.append(cell);
                ++i;
                continue;
            }
            appendMarkdown(i++);
        }
        flushMarkdown();
        return content;
    }

private:
    int skipBlank(int i) const
    {
        while (i < mLines.size() && isBlank(mLines.at(i)))
            ++i;
        return i;
    }

    // Reads the code cell whose fence opens at line `open`, and the persisted
    // outputs that follow it. Returns the index of the first line after them.
    int readCodeCell(int open, const Fence &fence, const QJsonObject &options, NotebookContent *content)
    {
        int i = open + 1;
        QStringList code;
        while (i < mLines.size() && !closesFence(mLines.at(i), fence))
            code.append(mLines.at(i++));
        if (i < mLines.size())
            ++i;  // the closing fence; an unclosed fence runs to the end, as in CommonMark

        Cell cell = Cell::make(CellKind::Code, code.join(QLatin1Char('\n')));
        cell.options = options;
        cell.sourceLine = open + 2;

        for (int next = skipBlank(i); next < mLines.size(); next = skipBlank(next + 1)) {
            QJsonObject object;
            OutputItem item;
            if (!parseTaggedComment(mLines.at(next), kOutputTag, &object)
                || !OutputItem::fromJson(object, &item))
                break;
            cell.outputs.append(item);
            i = next + 1;
        }
        // Outputs in the file are kept: a notebook that carries them persists them,
        // so saving it does not drop them silently.
        if (!cell.outputs.isEmpty())
            content->setPersistOutputs(true);
        content->cells.append(cell);
        return i;
    }

    const QStringList &mLines;
};

// A fence longer than any run of backticks that starts a line of the code.
QString fenceFor(const QString &code)
{
    int longest = 0;
    const QStringList lines = code.split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        int i = 0;
        while (i < line.size() && i < 3 && line.at(i) == QLatin1Char(' '))
            ++i;
        int run = 0;
        while (i + run < line.size() && line.at(i + run) == QLatin1Char('`'))
            ++run;
        longest = qMax(longest, run);
    }
    return QString(qMax(3, longest + 1), QLatin1Char('`'));
}

} // namespace

NotebookContent parse(const QByteArray &bytes)
{
    QByteArray data = bytes;
    bool bom = false;
    if (data.startsWith(kUtf8Bom)) {
        bom = true;
        data.remove(0, kUtf8Bom.size());
    }
    // QString::fromUtf8 would drop a U+FEFF that starts `data` as a byte order
    // mark too; after the file's own BOM (removed above) it is the user's text, a
    // cell that starts with U+FEFF. Otherwise this decodes as fromUtf8 does.
    QString text = QStringDecoder(QStringDecoder::Utf8,
                                  QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom)
                       .decode(data);
    const bool crlf = text.contains(QLatin1String("\r\n"));
    text.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    // A lone CR ends a line too (CommonMark); kept, it would be written before a
    // LF and read back as a CRLF file.
    text.replace(QLatin1Char('\r'), QLatin1Char('\n'));
    QStringList lines = text.split(QLatin1Char('\n'));
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();  // the final line end

    NotebookContent content = Parser(lines).parse();
    // An empty notebook is written without line ends, so it has none to keep.
    content.crlf = crlf && !(content.title.isEmpty() && content.cells.isEmpty() && content.metadata.isEmpty());
    content.bom = bom;
    return content;
}

QByteArray serialize(const NotebookContent &content)
{
    QStringList blocks;
    if (!content.metadata.isEmpty())
        blocks.append(taggedComment(kNotebookTag, content.metadata));
    if (!content.title.isEmpty())
        blocks.append(QLatin1String("# ") + content.title);

    // Without a title, a first Markdown cell that opens with a level-one heading
    // or a notebook comment would read back as the title or the metadata: a break
    // marker before it keeps it a cell.
    if (content.title.isEmpty() && !content.cells.isEmpty()
        && content.cells.constFirst().kind == CellKind::Markdown) {
        QString firstLine;
        for (const QString &line : content.cells.constFirst().source.split(QLatin1Char('\n'))) {
            if (!isBlank(line)) {
                firstLine = line;
                break;
            }
        }
        QString ignored;
        QJsonObject ignoredObject;
        if (isTitleHeading(firstLine, &ignored) || parseTaggedComment(firstLine, kNotebookTag, &ignoredObject))
            blocks.append(kBreakTag);
    }

    const bool persist = content.persistOutputs();
    const Cell *previous = nullptr;
    for (const Cell &cell : content.cells) {
        switch (cell.kind) {
        case CellKind::Markdown:
            if (previous && previous->kind == CellKind::Markdown)
                blocks.append(kBreakTag);
            blocks.append(cell.source);
            break;
        case CellKind::Section:
            blocks.append(QLatin1String("## ") + cell.source);
            break;
        case CellKind::Code: {
            const QString fence = fenceFor(cell.source);
            QString block;
            QJsonObject options = cell.options;
            if (options.value(QLatin1String("task")).isObject()) {
                block += taggedComment(kTaskTag, options.value(QLatin1String("task")).toObject()) + QLatin1Char('\n');
                options.remove(QLatin1String("task"));
            }
            if (!options.isEmpty())
                block += taggedComment(kCellTag, options) + QLatin1Char('\n');
            block += fence + QLatin1String("lua\n");
            if (!cell.source.isEmpty())
                block += cell.source + QLatin1Char('\n');
            block += fence;
            if (persist && !cell.outputs.isEmpty()) {
                block += QLatin1Char('\n');
                for (const OutputItem &item : cell.outputs)
                    block += QLatin1Char('\n') + taggedComment(kOutputTag, item.toJson());
            }
            blocks.append(block);
            break;
        }
        }
        previous = &cell;
    }

    QString text = blocks.join(QLatin1String("\n\n"));
    // A Markdown cell that starts with U+FEFF would read back as a byte order mark.
    if (!content.bom && text.startsWith(QChar(0xFEFF)))
        text.prepend(kBreakTag + QLatin1String("\n\n"));
    if (!text.isEmpty())
        text += QLatin1Char('\n');
    if (content.crlf)
        text.replace(QLatin1Char('\n'), QLatin1String("\r\n"));
    QByteArray bytes = text.toUtf8();
    if (content.bom)
        bytes.prepend(kUtf8Bom);
    return bytes;
}

bool load(const QString &path, NotebookContent *content, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot open %1: %2").arg(path, file.errorString());
        return false;
    }
    const QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    auto decoder = QStringDecoder(QStringDecoder::Utf8);
    (void)decoder.decode(bytes);
    if (decoder.hasError() || bytes.contains('\0')) {
        if (error)
            *error = QStringLiteral("%1 is not a UTF-8 text file").arg(path);
        return false;
    }
    *content = parse(bytes);
    return true;
}

bool save(const QString &path, const NotebookContent &content, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("cannot save %1: %2").arg(path, file.errorString());
        return false;
    }
    const QByteArray bytes = serialize(content);
    if (file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = QStringLiteral("cannot save %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace kiln::NotebookFormat
