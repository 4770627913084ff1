#pragma once

#include "document/cell.h"

#include <QByteArray>
#include <QString>

namespace kiln {

// Reads and writes the `.kiln.md` format: plain Markdown where `# ` is the title,
// `## ` starts a section, a fenced `lua` block is a code cell and Markdown between
// code cells is a Markdown cell. What Markdown has no place for goes in HTML
// comments (`<!-- kiln:notebook|cell|output {json} -->`, `<!-- kiln:break -->`).
// Writing is deterministic and parse(serialize(nb)) == nb.
namespace NotebookFormat {

NotebookContent parse(const QByteArray &bytes);
QByteArray serialize(const NotebookContent &content);

// Reading never fails on content (any text is some notebook); it fails only when
// the file cannot be read or is not UTF-8 text.
bool load(const QString &path, NotebookContent *content, QString *error);
// Atomic: writes a temporary file and renames it over `path`, so a failed save
// leaves the previous file intact.
bool save(const QString &path, const NotebookContent &content, QString *error);

} // namespace NotebookFormat

} // namespace kiln
