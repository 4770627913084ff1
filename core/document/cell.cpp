#include "document/cell.h"

#include <atomic>

namespace kiln {

namespace {
const QString kPersistOutputs = QStringLiteral("persist_outputs");
}

Cell Cell::make(CellKind kind, const QString &source)
{
    Cell cell;
    cell.id = newId();
    cell.kind = kind;
    cell.source = source;
    return cell;
}

QString Cell::newId()
{
    // Short ids keep logs readable; they only need to be unique within a session.
    static std::atomic<quint64> counter{0};
    return QStringLiteral("c%1").arg(++counter);
}

bool NotebookContent::persistOutputs() const
{
    return metadata.value(kPersistOutputs).toBool();
}

void NotebookContent::setPersistOutputs(bool persist)
{
    if (persist)
        metadata.insert(kPersistOutputs, true);
    else
        metadata.remove(kPersistOutputs);
}

} // namespace kiln
