#include "translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace kiln {

QList<QTranslator *> installTranslations(const QString &language)
{
    const QLocale locale = language.isEmpty() ? QLocale() : QLocale(language);
    const QString qtFolder = QLibraryInfo::path(QLibraryInfo::TranslationsPath);
    // Qt's catalogs come from Debian's qt6-translations-l10n, QScintilla's with it.
    const QList<QPair<QString, QString>> catalogs = {
        {QStringLiteral("qtbase"), qtFolder},
        {QStringLiteral("qscintilla"), qtFolder},
        {QStringLiteral("kiln"), QStringLiteral(":/kiln/i18n")},
    };
    QList<QTranslator *> installed;
    for (const auto &[name, folder] : catalogs) {
        auto *translator = new QTranslator(QCoreApplication::instance());
        if (translator->load(locale, name, QStringLiteral("_"), folder) && QCoreApplication::installTranslator(translator))
            installed.append(translator);
        else
            delete translator;
    }
    return installed;
}

} // namespace kiln
