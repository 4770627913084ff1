#include "tokenizers/precompiled_p.h"

#include "tokenizers/text_p.h"

#include <QStringDecoder>
#include <QTextBoundaryFinder>

#include <cstring>

namespace kiln::tokenizers {

namespace {

void appendUtf8(std::string &out, char32_t c)
{
    if (c < 0x80) {
        out.push_back(char(c));
    } else if (c < 0x800) {
        out.push_back(char(0xC0 | (c >> 6)));
        out.push_back(char(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(char(0xE0 | (c >> 12)));
        out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(char(0x80 | (c & 0x3F)));
    } else {
        out.push_back(char(0xF0 | (c >> 18)));
        out.push_back(char(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(char(0x80 | (c & 0x3F)));
    }
}

// Darts-clone's unit layout: a label in the low byte (or bit 31 for a value
// unit), a leaf flag in bit 8, and an offset to the children in the high bits.
bool hasLeaf(quint32 unit) { return (unit >> 8) & 1; }
quint32 value(quint32 unit) { return unit & ((1u << 31) - 1); }
quint32 label(quint32 unit) { return unit & ((1u << 31) | 0xFF); }
quint32 offset(quint32 unit) { return (unit >> 10) << ((unit & (1u << 9)) >> 6); }

} // namespace

bool PrecompiledCharsmap::load(const QByteArray &blob, QString *error)
{
    if (blob.size() < 4) {
        *error = QStringLiteral("a precompiled_charsmap of %1 bytes (at least 4 are needed)").arg(blob.size());
        return false;
    }
    quint32 trieBytes = 0;
    std::memcpy(&trieBytes, blob.constData(), 4);  // little-endian, as x86 and ARM are
    const qint64 units = trieBytes / 4;
    if (units == 0 || 4 + units * 4 > blob.size()) {
        *error = QStringLiteral("a precompiled_charsmap whose trie claims %1 bytes of %2").arg(trieBytes).arg(blob.size() - 4);
        return false;
    }
    mUnits.resize(size_t(units));
    std::memcpy(mUnits.data(), blob.constData() + 4, size_t(units) * 4);
    mReplacements = blob.mid(4 + units * 4);
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    (void)utf8.decode(mReplacements);
    if (utf8.hasError()) {
        *error = QStringLiteral("a precompiled_charsmap whose replacements are not UTF-8");
        return false;
    }
    // Each replacement must end inside the blob, so reading one never runs off it.
    mReplacements.append('\0');
    return true;
}

const char *PrecompiledCharsmap::firstMatch(const std::string &bytes) const
{
    // Every index is checked: a hostile trie must not read outside itself.
    const size_t size = mUnits.size();
    size_t node = offset(mUnits[0]);
    for (const char byte : bytes) {
        const auto c = quint8(byte);
        if (c == 0)
            break;
        node ^= c;
        if (node >= size)
            return nullptr;
        const quint32 unit = mUnits[node];
        if (label(unit) != c)
            return nullptr;
        node ^= offset(unit);
        if (hasLeaf(unit)) {
            if (node >= size || value(mUnits[node]) >= quint32(mReplacements.size()))
                return nullptr;
            return mReplacements.constData() + value(mUnits[node]);
        }
    }
    return nullptr;
}

bool PrecompiledCharsmap::normalize(const std::u32string &text, std::vector<std::pair<char32_t, int>> *changes) const
{
    std::vector<std::pair<char32_t, int>> &out = *changes;
    out.clear();
    out.reserve(text.size());
    bool modified = false;
    // As `tokenizers` records a replacement: one for one, then the extra code
    // points marked inserted, or the last one also dropping the surplus input.
    const auto replace = [&out, &modified](size_t replaced, const char *replacement) {
        modified = true;
        const std::u32string with = toU32(QString::fromUtf8(replacement));
        for (const char32_t c : with)
            out.emplace_back(c, 0);
        const qint64 grown = qint64(with.size()) - qint64(replaced);
        if (grown > 0) {
            for (qint64 k = 0; k < grown; ++k)
                out[out.size() - 1 - size_t(k)].second = 1;
        } else if (grown < 0 && !out.empty()) {
            out.back().second += int(grown);
        }
    };

    // Grapheme clusters first: a whole cluster under six bytes is looked up at
    // once (and replaced by its shortest matching rule), the others code point by
    // code point. This is what `tokenizers` does, and what XLM-R's ids assume.
    const QString utf16 = toQString(text);
    QTextBoundaryFinder graphemes(QTextBoundaryFinder::Grapheme, utf16);
    size_t start = 0;
    qsizetype startUtf16 = 0;
    while (graphemes.toNextBoundary() != -1) {
        const qsizetype endUtf16 = graphemes.position();
        size_t end = start;
        for (qsizetype i = startUtf16; i < endUtf16; ++i) {
            if (!utf16.at(i).isLowSurrogate())
                ++end;
        }
        std::string bytes;
        for (size_t i = start; i < end; ++i)
            appendUtf8(bytes, text[i]);
        const char *whole = bytes.size() < 6 ? firstMatch(bytes) : nullptr;
        if (whole) {
            replace(end - start, whole);
        } else {
            for (size_t i = start; i < end; ++i) {
                std::string one;
                appendUtf8(one, text[i]);
                if (const char *replacement = firstMatch(one))
                    replace(1, replacement);
                else
                    out.emplace_back(text[i], 0);
            }
        }
        start = end;
        startUtf16 = endUtf16;
    }
    return modified;
}

} // namespace kiln::tokenizers
