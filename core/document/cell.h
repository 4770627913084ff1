#pragma once

#include "document/outputitem.h"

#include <QJsonObject>
#include <QString>

namespace kiln {

enum class CellKind { Markdown, Code, Section };

// One cell of a notebook. A Section cell is a `## Heading`: its source is the
// heading text, and it starts a section that runs to the next Section cell.
struct Cell
{
    QString id;           // unique within a session, never saved
    CellKind kind = CellKind::Markdown;
    QString source;       // Markdown text, Lua code, or section title
    QJsonObject options;  // saved as <!-- kiln:cell {...} -->
    OutputList outputs;   // saved only when the notebook persists outputs
    int sourceLine = 0;   // 1-based line of the source in the file it was read from; 0 if none

    // A cell equals another when what it saves is the same; id and line are bookkeeping.
    bool operator==(const Cell &other) const
    {
        return kind == other.kind && source == other.source && options == other.options
            && outputs == other.outputs;
    }
    bool operator!=(const Cell &other) const { return !(*this == other); }

    static Cell make(CellKind kind, const QString &source = QString());
    static QString newId();
};

// Everything a `.kiln.md` file holds, as a value.
struct NotebookContent
{
    QString title;
    QJsonObject metadata;  // saved as <!-- kiln:notebook {...} --> when not empty
    QList<Cell> cells;
    bool crlf = false;     // the file used CRLF line ends; written back the same way
    bool bom = false;      // the file began with a UTF-8 byte order mark

    bool persistOutputs() const;
    void setPersistOutputs(bool persist);

    bool operator==(const NotebookContent &other) const
    {
        return title == other.title && metadata == other.metadata && cells == other.cells
            && crlf == other.crlf && bom == other.bom;
    }
    bool operator!=(const NotebookContent &other) const { return !(*this == other); }
};

} // namespace kiln
