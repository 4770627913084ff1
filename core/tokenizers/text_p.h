#pragma once

// Text as the tokenizers work on it: one char32_t per code point.

#include <QList>
#include <QString>

#include <string>

namespace kiln::tokenizers {

inline QString toQString(const std::u32string &text)
{
    return QString::fromUcs4(text.data(), qsizetype(text.size()));
}

inline std::u32string toU32(const QString &text)
{
    const QList<uint> ucs4 = text.toUcs4();
    return std::u32string(ucs4.cbegin(), ucs4.cend());
}

} // namespace kiln::tokenizers
