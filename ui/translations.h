#pragma once

#include <QList>
#include <QString>

class QTranslator;

namespace kiln {

// Installs Kiln's own translations and Qt's and QScintilla's for `language`
// ("de", "ja"; empty: the system's), so that Qt's dialogs ("Cancel", "Look in")
// speak the same language as Kiln. Returns the translators installed, owned by
// the application.
QList<QTranslator *> installTranslations(const QString &language);

} // namespace kiln
