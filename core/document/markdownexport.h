#pragma once

#include "document/cell.h"

#include <QString>

namespace kiln {

// A notebook as plain Markdown for readers without Kiln: prose as written, code in
// ```lua fences, and each output after its cell: text and values in fences,
// tables as Markdown tables, images and plots as embedded PNGs (data: URLs).
QString exportMarkdown(const NotebookContent &content);

} // namespace kiln
