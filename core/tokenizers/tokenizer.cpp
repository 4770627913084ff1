#include "tokenizers/tokenizer.h"

#include "tokenizers/models_p.h"
#include "tokenizers/precompiled_p.h"
#include "tokenizers/sentencepiece_p.h"
#include "tokenizers/text_p.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QStringDecoder>

#include <algorithm>
#include <array>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace kiln {

namespace {

// Text as a tokenizer works on it: code points, each with the span of the input
// it came from, so that every token can say where it was in the original.
struct Normalized
{
    std::u32string text;
    std::vector<std::pair<int, int>> source;  // per code point: [start, end) in the input

    static Normalized fromString(const std::u32string &input, int offset = 0)
    {
        Normalized n;
        n.text = input;
        n.source.reserve(input.size());
        for (int i = 0; i < int(input.size()); ++i)
            n.source.emplace_back(offset + i, offset + i + 1);
        return n;
    }

    // Each code point becomes zero or more, keeping where it came from.
    void transform(const std::function<std::u32string(char32_t)> &map)
    {
        std::u32string out;
        std::vector<std::pair<int, int>> outSource;
        out.reserve(text.size());
        outSource.reserve(text.size());
        for (size_t i = 0; i < text.size(); ++i) {
            for (const char32_t c : map(text[i])) {
                out.push_back(c);
                outSource.push_back(source[i]);
            }
        }
        text = std::move(out);
        source = std::move(outSource);
    }

    // Code points as PrecompiledCharsmap::normalize lines them up: 0 takes the
    // next input code point's place, 1 shares the previous one's, -k drops k more.
    void realign(const std::vector<std::pair<char32_t, int>> &changes)
    {
        std::u32string out;
        std::vector<std::pair<int, int>> outSource;
        out.reserve(changes.size());
        outSource.reserve(changes.size());
        size_t next = 0;
        for (const auto &[c, change] : changes) {
            std::pair<int, int> from{0, 0};
            if (change > 0) {
                if (next > 0 && next - 1 < source.size())
                    from = source[next - 1];
            } else {
                if (next < source.size())
                    from = source[next];
                next += 1 + size_t(-change);
            }
            out.push_back(c);
            outSource.push_back(from);
        }
        text = std::move(out);
        source = std::move(outSource);
    }

    Normalized slice(size_t start, size_t end) const
    {
        Normalized n;
        n.text = text.substr(start, end - start);
        n.source.assign(source.begin() + std::ptrdiff_t(start), source.begin() + std::ptrdiff_t(end));
        return n;
    }

    std::pair<int, int> span(size_t start, size_t end) const
    {
        if (start >= end || end > source.size())
            return {0, 0};
        return {source[start].first, source[end - 1].second};
    }
};

using tokenizers::toQString;
using tokenizers::toU32;

// Python's tokenizers classify characters with tables of Unicode 9.0: a code
// point assigned later has no category there.
bool assignedByUnicode9(char32_t c)
{
    const QChar::UnicodeVersion version = QChar::unicodeVersion(c);
    return version != QChar::Unicode_Unassigned && version <= QChar::Unicode_9_0;
}

bool isWhitespace(char32_t c)
{
    return c == U'\t' || c == U'\n' || c == U'\r' || QChar::isSpace(c);
}

// Cc, Cf, Co and Cs by Unicode 9.0's tables; unassigned code points (and newer
// emoji) are not "other" there, so they stay.
bool isControl(char32_t c)
{
    if (c == U'\t' || c == U'\n' || c == U'\r')
        return false;
    if (!assignedByUnicode9(c))
        return false;
    switch (QChar::category(c)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Other_PrivateUse:
        return true;
    default:
        return false;
    }
}

bool isPunctuation(char32_t c)
{
    if (c < 128)
        return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
    if (!assignedByUnicode9(c))
        return false;
    switch (QChar::category(c)) {
    case QChar::Punctuation_Connector:
    case QChar::Punctuation_Dash:
    case QChar::Punctuation_Open:
    case QChar::Punctuation_Close:
    case QChar::Punctuation_InitialQuote:
    case QChar::Punctuation_FinalQuote:
    case QChar::Punctuation_Other:
        return true;
    default:
        return false;
    }
}

bool isChinese(char32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
           || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF)
           || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

std::u32string lowercase(char32_t c)
{
    if (c < 128)
        return std::u32string(1, (c >= U'A' && c <= U'Z') ? c + 32 : c);
    return toU32(QString::fromUcs4(&c, 1).toLower());
}

std::u32string decompose(char32_t c, QString::NormalizationForm form)
{
    if (c < 128)
        return std::u32string(1, c);
    return toU32(QString::fromUcs4(&c, 1).normalized(form));
}

bool isNonspacingMark(char32_t c)
{
    return assignedByUnicode9(c) && QChar::category(c) == QChar::Mark_NonSpacing;
}

// Canonical or compatibility composition, each starter with the marks after
// it at a time, so that every new character knows which characters it came from.
void compose(Normalized &n, QString::NormalizationForm form)
{
    // A run is a starter and what may compose with it: marks, Hangul vowel and
    // trailing jamo, and characters whose decomposition starts with a mark
    // (halfwidth katakana's voiced sound mark becomes U+3099).
    const QString::NormalizationForm decomposition = form == QString::NormalizationForm_C ? QString::NormalizationForm_D
                                                                                          : QString::NormalizationForm_KD;
    const auto joinsPrevious = [decomposition](char32_t c) {
        if (c < 128)
            return false;
        if ((c >= 0x1161 && c <= 0x1175) || (c >= 0x11A8 && c <= 0x11C2) || QChar::combiningClass(c) != 0)
            return true;
        if (QChar::decompositionTag(c) == QChar::NoDecomposition)
            return false;  // most text, CJK included: no normalizing needed to know
        const std::u32string parts = decompose(c, decomposition);
        return !parts.empty() && parts[0] != c && QChar::combiningClass(parts[0]) != 0;
    };
    std::u32string out;
    std::vector<std::pair<int, int>> outSource;
    size_t i = 0;
    while (i < n.text.size()) {
        size_t j = i + 1;
        while (j < n.text.size() && joinsPrevious(n.text[j]))
            ++j;
        const std::u32string run = n.text.substr(i, j - i);
        const bool ascii = std::all_of(run.begin(), run.end(), [](char32_t c) { return c < 128; });
        const std::u32string normalized = ascii ? run : toU32(toQString(run).normalized(form));
        // As tokenizers aligns them, by position: when marks were absorbed, the
        // composed character takes the first place and drops as many after it as
        // it absorbed; the rest follow in order. Characters added (a compatibility
        // expansion) share the place before them.
        const size_t absorbed = normalized.size() < run.size() ? run.size() - normalized.size() : 0;
        for (size_t k = 0; k < normalized.size(); ++k) {
            out.push_back(normalized[k]);
            const size_t from = k == 0 ? 0 : std::min(k + absorbed, run.size() - 1);
            outSource.push_back(n.source[i + from]);
        }
        i = j;
    }
    n.text = std::move(out);
    n.source = std::move(outSource);
}

// Where a tokenizer.json pattern ({"String": ...} or {"Regex": ...}) matches:
// [start, end) in code points, left to right, never empty.
using Matcher = std::function<std::vector<std::pair<size_t, size_t>>(const std::u32string &)>;

Matcher makeMatcher(const QJsonValue &value, QString *error)
{
    const QJsonObject pattern = value.toObject();
    if (pattern.value(QLatin1String("String")).isString()) {
        const std::u32string needle = toU32(pattern.value(QLatin1String("String")).toString());
        if (needle.empty()) {
            *error = QStringLiteral("an empty pattern");
            return nullptr;
        }
        return [needle](const std::u32string &text) {
            std::vector<std::pair<size_t, size_t>> matches;
            for (size_t at = text.find(needle); at != std::u32string::npos; at = text.find(needle, at + needle.size()))
                matches.emplace_back(at, at + needle.size());
            return matches;
        };
    }
    if (pattern.value(QLatin1String("Regex")).isString()) {
        const QRegularExpression regex(pattern.value(QLatin1String("Regex")).toString(), QRegularExpression::UseUnicodePropertiesOption);
        if (!regex.isValid()) {
            *error = QStringLiteral("the pattern /%1/ is not a regular expression Kiln can read: %2")
                         .arg(regex.pattern().left(80), regex.errorString());
            return nullptr;
        }
        return [regex](const std::u32string &text) {
            // QRegularExpression counts UTF-16 units; tokens count code points.
            const QString utf16 = toQString(text);
            std::vector<size_t> codePointAt(size_t(utf16.size()) + 1);
            size_t codePoint = 0;
            for (qsizetype unit = 0; unit < utf16.size(); ++unit) {
                codePointAt[size_t(unit)] = codePoint;
                if (!utf16.at(unit).isHighSurrogate())
                    ++codePoint;
            }
            codePointAt[size_t(utf16.size())] = codePoint;
            std::vector<std::pair<size_t, size_t>> matches;
            QRegularExpressionMatchIterator it = regex.globalMatch(utf16);
            while (it.hasNext()) {
                const QRegularExpressionMatch match = it.next();
                if (match.capturedLength() > 0)
                    matches.emplace_back(codePointAt[size_t(match.capturedStart())], codePointAt[size_t(match.capturedEnd())]);
            }
            return matches;
        };
    }
    *error = QStringLiteral("a pattern that is neither {\"String\": ...} nor {\"Regex\": ...}");
    return nullptr;
}

// Each match replaced by `content`; as in tokenizers, the new characters take
// the place of the last character replaced.
void replaceMatches(Normalized &n, const std::vector<std::pair<size_t, size_t>> &matches, const std::u32string &content)
{
    if (matches.empty())
        return;
    std::u32string out;
    std::vector<std::pair<int, int>> outSource;
    size_t from = 0;
    for (const auto &[start, end] : matches) {
        out.append(n.text, from, start - from);
        outSource.insert(outSource.end(), n.source.begin() + std::ptrdiff_t(from), n.source.begin() + std::ptrdiff_t(start));
        for (const char32_t c : content) {
            out.push_back(c);
            outSource.push_back(n.source[end - 1]);
        }
        from = end;
    }
    out.append(n.text, from, std::u32string::npos);
    outSource.insert(outSource.end(), n.source.begin() + std::ptrdiff_t(from), n.source.end());
    n.text = std::move(out);
    n.source = std::move(outSource);
}

// Characters in front, which take the place of the first character in the input.
void prepend(Normalized &n, const std::u32string &prefix)
{
    if (n.text.empty())
        return;
    n.text.insert(0, prefix);
    n.source.insert(n.source.begin(), prefix.size(), n.source.front());
}

// GPT-2's byte-level alphabet: each byte a printable character, the printable
// ASCII and Latin-1 ones as themselves, the rest from U+0100 on.
const std::array<char32_t, 256> &byteCharacters()
{
    static const std::array<char32_t, 256> table = [] {
        std::array<char32_t, 256> map{};
        char32_t next = 256;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
            map[size_t(b)] = printable ? char32_t(b) : next++;
        }
        return map;
    }();
    return table;
}

// GPT-2's split, by hand rather than by regular expression:
// 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
std::vector<std::pair<size_t, size_t>> splitLikeGpt2(const std::u32string &text)
{
    const auto space = [](char32_t c) { return QChar::isSpace(c); };
    const auto letter = [](char32_t c) { return QChar::isLetter(c); };
    const auto number = [](char32_t c) { return QChar::isNumber(c); };
    const auto other = [&](char32_t c) { return !space(c) && !letter(c) && !number(c); };
    std::vector<std::pair<size_t, size_t>> pieces;
    const size_t n = text.size();
    size_t i = 0;
    while (i < n) {
        const char32_t c = text[i];
        size_t end = i;
        if (c == U'\'' && i + 1 < n) {
            const char32_t c1 = text[i + 1];
            const char32_t c2 = i + 2 < n ? text[i + 2] : 0;
            if (c1 == U's' || c1 == U't' || c1 == U'm' || c1 == U'd')
                end = i + 2;
            else if ((c1 == U'r' && c2 == U'e') || (c1 == U'v' && c2 == U'e') || (c1 == U'l' && c2 == U'l'))
                end = i + 3;
        }
        if (end == i) {
            const size_t body = (c == U' ' && i + 1 < n) ? i + 1 : i;
            for (const auto &cls : {std::function<bool(char32_t)>(letter), std::function<bool(char32_t)>(number),
                                    std::function<bool(char32_t)>(other)}) {
                if (body < n && cls(text[body])) {
                    end = body;
                    while (end < n && cls(text[end]))
                        ++end;
                    break;
                }
            }
        }
        if (end == i) {
            // Whitespace: all of it at the end of the text, else all but the
            // last character, which goes with what follows; at least one.
            end = i;
            while (end < n && space(text[end]))
                ++end;
            if (end < n && end - i > 1)
                --end;
        }
        pieces.emplace_back(i, end);
        i = end;
    }
    return pieces;
}

// One normalizer step.
using Normalizer = std::function<void(Normalized &)>;

// How a pre-tokenizer keeps the characters it splits on.
enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

std::vector<Normalized> splitWhere(const Normalized &word, const std::function<bool(char32_t)> &at, SplitBehavior behavior)
{
    std::vector<Normalized> pieces;
    size_t start = 0;
    const size_t n = word.text.size();
    for (size_t i = 0; i < n; ++i) {
        if (!at(word.text[i]))
            continue;
        switch (behavior) {
        case SplitBehavior::Removed:
            if (i > start)
                pieces.push_back(word.slice(start, i));
            start = i + 1;
            break;
        case SplitBehavior::Isolated:
            if (i > start)
                pieces.push_back(word.slice(start, i));
            pieces.push_back(word.slice(i, i + 1));
            start = i + 1;
            break;
        case SplitBehavior::MergedWithPrevious:
            pieces.push_back(word.slice(start, i + 1));
            start = i + 1;
            break;
        case SplitBehavior::MergedWithNext:
            if (i > start)
                pieces.push_back(word.slice(start, i));
            start = i;
            break;
        case SplitBehavior::Contiguous: {
            if (i > start)
                pieces.push_back(word.slice(start, i));
            size_t end = i;
            while (end < n && at(word.text[end]))
                ++end;
            pieces.push_back(word.slice(i, end));
            start = end;
            i = end - 1;
            break;
        }
        }
    }
    if (start < n)
        pieces.push_back(word.slice(start, n));
    return pieces;
}

// Splits at the matches of a pattern as tokenizers' Split does: the matches
// (or with `invert` the text between them) are the delimiters `behavior` keeps,
// drops or merges.
std::vector<Normalized> splitAtMatches(const Normalized &word, const std::vector<std::pair<size_t, size_t>> &matches,
                                       SplitBehavior behavior, bool invert)
{
    struct Segment
    {
        size_t start, end;
        bool delimiter;
    };
    std::vector<Segment> segments;
    size_t previous = 0;
    for (const auto &[start, end] : matches) {
        if (start > previous)
            segments.push_back({previous, start, invert});
        segments.push_back({start, end, !invert});
        previous = end;
    }
    if (previous < word.text.size())
        segments.push_back({previous, word.text.size(), invert});

    std::vector<Segment> kept;
    switch (behavior) {
    case SplitBehavior::Removed:
        for (const Segment &segment : segments) {
            if (!segment.delimiter)
                kept.push_back(segment);
        }
        break;
    case SplitBehavior::Isolated:
        kept = segments;
        break;
    case SplitBehavior::Contiguous:
        for (const Segment &segment : segments) {
            if (segment.delimiter && !kept.empty() && kept.back().delimiter)
                kept.back().end = segment.end;
            else
                kept.push_back(segment);
        }
        break;
    case SplitBehavior::MergedWithPrevious: {
        bool previousDelimiter = false;
        for (const Segment &segment : segments) {
            if (segment.delimiter && !previousDelimiter && !kept.empty())
                kept.back().end = segment.end;
            else
                kept.push_back({segment.start, segment.end, false});
            previousDelimiter = segment.delimiter;
        }
        break;
    }
    case SplitBehavior::MergedWithNext: {
        bool nextDelimiter = false;
        for (auto it = segments.rbegin(); it != segments.rend(); ++it) {
            if (it->delimiter && !nextDelimiter && !kept.empty())
                kept.back().start = it->start;
            else
                kept.push_back({it->start, it->end, false});
            nextDelimiter = it->delimiter;
        }
        std::reverse(kept.begin(), kept.end());
        break;
    }
    }
    std::vector<Normalized> pieces;
    for (const Segment &segment : kept)
        pieces.push_back(word.slice(segment.start, segment.end));
    return pieces;
}

using PreTokenizer = std::function<std::vector<Normalized>(const Normalized &)>;

struct Token
{
    qint64 id;
    QString value;
    std::pair<int, int> offsets;
};

struct AddedToken
{
    QString content;
    qint64 id = -1;
    bool special = false;
    bool singleWord = false;
    bool lstrip = false;
    bool rstrip = false;
    bool normalized = true;
};

// One piece of a post-processing template.
struct TemplatePiece
{
    bool isSequence = false;
    int sequence = 0;         // 0 for A, 1 for B
    QString specialToken;     // the key into the special tokens
    qint64 typeId = 0;
};

struct SpecialTokenIds
{
    QList<qint64> ids;
    QStringList tokens;
};

} // namespace

struct Tokenizer::Private
{
    std::vector<Normalizer> normalizers;
    std::vector<PreTokenizer> preTokenizers;

    enum class ModelKind { WordPiece, Bpe, Unigram } modelKind = ModelKind::WordPiece;
    tokenizers::Vocabulary vocabulary;
    tokenizers::BpeModel bpe;
    tokenizers::UnigramModel unigram;
    // A SentencePiece .model file: sentencepiece itself normalizes and splits;
    // no added tokens, template or decoder of Kiln's take part.
    std::unique_ptr<tokenizers::SentencePieceModel> sentencePiece;
    // WordPiece
    QString unkToken = QStringLiteral("[UNK]");
    QString continuingPrefix = QStringLiteral("##");
    int maxInputCharsPerWord = 100;

    QList<AddedToken> added;
    QHash<QString, qint64> addedIds;
    QHash<qint64, int> addedById;  // index into `added`

    // Post-processing: a template for one text and for a pair, with the special
    // tokens it names. Without one, encodings get no special tokens.
    bool hasTemplate = false;
    QList<TemplatePiece> single;
    QList<TemplatePiece> pair;
    QHash<QString, SpecialTokenIds> specialTokens;

    // Offsets of byte-level tokens without their leading and trailing spaces.
    bool trimOffsets = false;
    bool trimAddsPrefixSpace = false;
    bool typeIdsAllZero = false;

    // Decoding: each step turns the tokens into new ones, joined at the end;
    // without a decoder the tokens are joined with spaces.
    std::vector<std::function<QStringList(QStringList)>> decoders;
    bool hasDecoder = false;

    int truncateTo = 0;
    Truncation truncation = Truncation::LongestFirst;
    Padding padding = Padding::None;
    int padLength = 0;
    int padToMultipleOf = 0;
    qint64 padId = 0;
    qint64 padTypeId = 0;
    QString padToken = QStringLiteral("[PAD]");

    bool load(const QJsonObject &root, QString *error);
    bool loadNormalizer(const QJsonValue &value, QString *error);
    bool loadPreTokenizer(const QJsonValue &value, QString *error);
    bool loadModel(const QJsonObject &model, QString *error);
    bool loadPostProcessor(const QJsonValue &value, QString *error);
    bool loadDecoder(const QJsonValue &value, QString *error);

    std::vector<Token> tokenizeWord(const Normalized &word) const;
    Encoding encodeSequence(const QString &text, int sequence) const;
    int specialTokensToAdd(bool isPair) const;
    Encoding postProcess(Encoding first, Encoding *second, bool addSpecialTokens) const;
    void truncate(Encoding *first, Encoding *second, bool addSpecialTokens) const;
    void pad(Encoding *encoding, int length) const;
    // Truncated, with the template's special tokens, padded when the length is fixed.
    Encoding finish(Encoding first, Encoding *second, bool addSpecialTokens) const;
    void trimByteLevelOffsets(Encoding *encoding) const;
};

Tokenizer::Tokenizer()
    : d(std::make_unique<Private>())
{
}

Tokenizer::~Tokenizer() = default;

std::unique_ptr<Tokenizer> Tokenizer::fromFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return nullptr;
    }
    constexpr qint64 kMaxSize = qint64(256) << 20;  // the largest real ones are ~20 MB
    if (file.size() > kMaxSize) {
        *error = QStringLiteral("%1 is %2 MB; a tokenizer over 256 MB is refused").arg(path).arg(file.size() >> 20);
        return nullptr;
    }
    // A SentencePiece model is a protocol buffer whose first field is its pieces
    // (byte 0x0A, which is also a newline: JSON is told apart by its "{").
    const QByteArray head = file.peek(256);
    if (!head.trimmed().startsWith('{') && (path.endsWith(QLatin1String(".model")) || head.startsWith('\x0a'))) {
        file.close();
        std::unique_ptr<tokenizers::SentencePieceModel> model = tokenizers::SentencePieceModel::load(path, error);
        if (!model) {
            *error = QStringLiteral("%1: %2").arg(path, *error);
            return nullptr;
        }
        std::unique_ptr<Tokenizer> tokenizer(new Tokenizer);
        tokenizer->d->sentencePiece = std::move(model);
        return tokenizer;
    }
    std::unique_ptr<Tokenizer> tokenizer = fromJson(file.readAll(), error);
    if (!tokenizer)
        *error = QStringLiteral("%1: %2").arg(path, *error);
    return tokenizer;
}

std::unique_ptr<Tokenizer> Tokenizer::fromJson(const QByteArray &json, QString *error)
{
    QJsonParseError parse;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parse);
    if (!document.isObject()) {
        *error = parse.error != QJsonParseError::NoError ? QStringLiteral("not JSON (%1 at byte %2)").arg(parse.errorString()).arg(parse.offset)
                                                         : QStringLiteral("not a tokenizer.json object");
        return nullptr;
    }
    std::unique_ptr<Tokenizer> tokenizer(new Tokenizer);
    if (!tokenizer->d->load(document.object(), error))
        return nullptr;
    return tokenizer;
}

bool Tokenizer::Private::load(const QJsonObject &root, QString *error)
{
    if (!root.value(QLatin1String("model")).isObject()) {
        *error = QStringLiteral("no \"model\" object");
        return false;
    }
    if (!loadModel(root.value(QLatin1String("model")).toObject(), error))
        return false;
    for (const QJsonValue &value : root.value(QLatin1String("added_tokens")).toArray()) {
        const QJsonObject object = value.toObject();
        AddedToken token;
        token.content = object.value(QLatin1String("content")).toString();
        token.id = object.value(QLatin1String("id")).toInteger(-1);
        token.special = object.value(QLatin1String("special")).toBool();
        token.singleWord = object.value(QLatin1String("single_word")).toBool();
        token.lstrip = object.value(QLatin1String("lstrip")).toBool();
        token.rstrip = object.value(QLatin1String("rstrip")).toBool();
        token.normalized = object.value(QLatin1String("normalized")).toBool(true);
        if (token.content.isEmpty() || token.id < 0) {
            *error = QStringLiteral("an added token without content or id");
            return false;
        }
        addedById.insert(token.id, int(added.size()));
        addedIds.insert(token.content, token.id);
        added.append(token);
    }
    // Longest first, so that "[MASK]x" never matches a shorter token first.
    if (!loadNormalizer(root.value(QLatin1String("normalizer")), error) || !loadPreTokenizer(root.value(QLatin1String("pre_tokenizer")), error)
        || !loadPostProcessor(root.value(QLatin1String("post_processor")), error) || !loadDecoder(root.value(QLatin1String("decoder")), error))
        return false;

    const QJsonObject truncationObject = root.value(QLatin1String("truncation")).toObject();
    if (!truncationObject.isEmpty()) {
        truncateTo = truncationObject.value(QLatin1String("max_length")).toInt();
        const QString strategy = truncationObject.value(QLatin1String("strategy")).toString();
        truncation = strategy == QLatin1String("OnlyFirst")    ? Truncation::OnlyFirst
                     : strategy == QLatin1String("OnlySecond") ? Truncation::OnlySecond
                                                                : Truncation::LongestFirst;
    }
    const QJsonObject paddingObject = root.value(QLatin1String("padding")).toObject();
    if (!paddingObject.isEmpty()) {
        const QJsonValue strategy = paddingObject.value(QLatin1String("strategy"));
        if (strategy.isObject() && strategy.toObject().contains(QLatin1String("Fixed"))) {
            padding = Padding::Fixed;
            padLength = strategy.toObject().value(QLatin1String("Fixed")).toInt();
        } else {
            padding = Padding::Longest;
        }
        padToMultipleOf = paddingObject.value(QLatin1String("pad_to_multiple_of")).toInt();
        padId = paddingObject.value(QLatin1String("pad_id")).toInteger();
        padTypeId = paddingObject.value(QLatin1String("pad_type_id")).toInteger();
        padToken = paddingObject.value(QLatin1String("pad_token")).toString(padToken);
    }
    return true;
}

bool Tokenizer::Private::loadNormalizer(const QJsonValue &value, QString *error)
{
    if (value.isNull() || value.isUndefined())
        return true;
    const QJsonObject object = value.toObject();
    const QString type = object.value(QLatin1String("type")).toString();
    if (type == QLatin1String("Sequence")) {
        for (const QJsonValue &step : object.value(QLatin1String("normalizers")).toArray()) {
            if (!loadNormalizer(step, error))
                return false;
        }
        return true;
    }
    if (type == QLatin1String("BertNormalizer")) {
        const bool cleanText = object.value(QLatin1String("clean_text")).toBool(true);
        const bool chinese = object.value(QLatin1String("handle_chinese_chars")).toBool(true);
        const bool lower = object.value(QLatin1String("lowercase")).toBool(true);
        const QJsonValue strip = object.value(QLatin1String("strip_accents"));
        const bool stripAccents = strip.isBool() ? strip.toBool() : lower;  // null follows lowercase
        normalizers.push_back([=](Normalized &n) {
            if (cleanText)
                n.transform([](char32_t c) {
                    if (c == 0 || c == 0xFFFD || isControl(c))
                        return std::u32string();
                    return std::u32string(1, isWhitespace(c) ? U' ' : c);
                });
            if (chinese)
                n.transform([](char32_t c) { return isChinese(c) ? std::u32string{U' ', c, U' '} : std::u32string(1, c); });
            if (stripAccents) {
                n.transform([](char32_t c) { return decompose(c, QString::NormalizationForm_D); });
                n.transform([](char32_t c) { return isNonspacingMark(c) ? std::u32string() : std::u32string(1, c); });
            }
            if (lower)
                n.transform(lowercase);
        });
        return true;
    }
    if (type == QLatin1String("Lowercase")) {
        normalizers.push_back([](Normalized &n) { n.transform(lowercase); });
        return true;
    }
    if (type == QLatin1String("StripAccents")) {
        normalizers.push_back([](Normalized &n) { n.transform([](char32_t c) { return isNonspacingMark(c) ? std::u32string() : std::u32string(1, c); }); });
        return true;
    }
    if (type == QLatin1String("NFD") || type == QLatin1String("NFKD")) {
        const QString::NormalizationForm form = type == QLatin1String("NFD") ? QString::NormalizationForm_D : QString::NormalizationForm_KD;
        normalizers.push_back([form](Normalized &n) { n.transform([form](char32_t c) { return decompose(c, form); }); });
        return true;
    }
    if (type == QLatin1String("NFC") || type == QLatin1String("NFKC")) {
        const QString::NormalizationForm form = type == QLatin1String("NFC") ? QString::NormalizationForm_C : QString::NormalizationForm_KC;
        normalizers.push_back([form](Normalized &n) { compose(n, form); });
        return true;
    }
    if (type == QLatin1String("Replace")) {
        const Matcher matcher = makeMatcher(object.value(QLatin1String("pattern")), error);
        if (!matcher) {
            *error = QStringLiteral("the Replace normalizer has %1").arg(*error);
            return false;
        }
        const std::u32string content = toU32(object.value(QLatin1String("content")).toString());
        normalizers.push_back([matcher, content](Normalized &n) { replaceMatches(n, matcher(n.text), content); });
        return true;
    }
    if (type == QLatin1String("Prepend")) {
        const std::u32string prefix = toU32(object.value(QLatin1String("prepend")).toString());
        normalizers.push_back([prefix](Normalized &n) { prepend(n, prefix); });
        return true;
    }
    if (type == QLatin1String("Strip")) {
        const bool left = object.value(QLatin1String("strip_left")).toBool(), right = object.value(QLatin1String("strip_right")).toBool();
        normalizers.push_back([left, right](Normalized &n) {
            size_t start = 0, end = n.text.size();
            while (left && start < end && QChar::isSpace(n.text[start]))
                ++start;
            while (right && end > start && QChar::isSpace(n.text[end - 1]))
                --end;
            n = n.slice(start, end);
        });
        return true;
    }
    if (type == QLatin1String("Precompiled")) {
        const auto decoded = QByteArray::fromBase64Encoding(object.value(QLatin1String("precompiled_charsmap")).toString().toLatin1(),
                                                            QByteArray::AbortOnBase64DecodingErrors);
        auto charsmap = std::make_shared<tokenizers::PrecompiledCharsmap>();
        if (!decoded) {
            *error = QStringLiteral("the Precompiled normalizer's precompiled_charsmap is not base64");
            return false;
        }
        if (!charsmap->load(*decoded, error)) {
            *error = QStringLiteral("the Precompiled normalizer has %1").arg(*error);
            return false;
        }
        normalizers.push_back([charsmap](Normalized &n) {
            std::vector<std::pair<char32_t, int>> changes;
            if (charsmap->normalize(n.text, &changes))
                n.realign(changes);
        });
        return true;
    }
    *error = QStringLiteral("normalizer \"%1\" is not supported yet").arg(type);
    return false;
}

bool Tokenizer::Private::loadPreTokenizer(const QJsonValue &value, QString *error)
{
    if (value.isNull() || value.isUndefined())
        return true;
    const QJsonObject object = value.toObject();
    const QString type = object.value(QLatin1String("type")).toString();
    if (type == QLatin1String("Sequence")) {
        for (const QJsonValue &step : object.value(QLatin1String("pretokenizers")).toArray()) {
            if (!loadPreTokenizer(step, error))
                return false;
        }
        return true;
    }
    if (type == QLatin1String("BertPreTokenizer")) {
        preTokenizers.push_back([](const Normalized &word) {
            std::vector<Normalized> pieces;
            for (const Normalized &piece : splitWhere(word, isWhitespace, SplitBehavior::Removed)) {
                for (Normalized &part : splitWhere(piece, isPunctuation, SplitBehavior::Isolated))
                    pieces.push_back(std::move(part));
            }
            return pieces;
        });
        return true;
    }
    if (type == QLatin1String("WhitespaceSplit")) {
        preTokenizers.push_back([](const Normalized &word) { return splitWhere(word, isWhitespace, SplitBehavior::Removed); });
        return true;
    }
    if (type == QLatin1String("Punctuation")) {
        preTokenizers.push_back([](const Normalized &word) { return splitWhere(word, isPunctuation, SplitBehavior::Isolated); });
        return true;
    }
    if (type == QLatin1String("ByteLevel")) {
        const bool addPrefixSpace = object.value(QLatin1String("add_prefix_space")).toBool(true);
        const bool useRegex = object.value(QLatin1String("use_regex")).toBool(true);
        preTokenizers.push_back([addPrefixSpace, useRegex](const Normalized &input) {
            Normalized word = input;
            if (addPrefixSpace && !word.text.empty() && word.text.front() != U' ')
                prepend(word, U" ");
            const std::vector<std::pair<size_t, size_t>> spans =
                useRegex ? splitLikeGpt2(word.text) : std::vector<std::pair<size_t, size_t>>{{0, word.text.size()}};
            std::vector<Normalized> pieces;
            for (const auto &[start, end] : spans) {
                // Each UTF-8 byte becomes a character of the byte-level alphabet.
                Normalized piece;
                for (size_t i = start; i < end; ++i) {
                    const char32_t c = word.text[i];
                    for (const char byte : QString::fromUcs4(&c, 1).toUtf8()) {
                        piece.text.push_back(byteCharacters()[uchar(byte)]);
                        piece.source.push_back(word.source[i]);
                    }
                }
                pieces.push_back(std::move(piece));
            }
            return pieces;
        });
        return true;
    }
    if (type == QLatin1String("Metaspace")) {
        const std::u32string replacement = toU32(object.value(QLatin1String("replacement")).toString(QStringLiteral("\u2581")));
        if (replacement.size() != 1) {
            *error = QStringLiteral("the Metaspace pre-tokenizer's replacement is not one character");
            return false;
        }
        // Older files say add_prefix_space; newer ones prepend_scheme.
        QString scheme = object.value(QLatin1String("prepend_scheme")).toString();
        if (scheme.isEmpty())
            scheme = object.value(QLatin1String("add_prefix_space")).toBool(true) ? QStringLiteral("always") : QStringLiteral("never");
        if (scheme != QLatin1String("always") && scheme != QLatin1String("first") && scheme != QLatin1String("never")) {
            *error = QStringLiteral("the Metaspace pre-tokenizer's prepend_scheme \"%1\" is not always, first or never").arg(scheme);
            return false;
        }
        const bool split = object.value(QLatin1String("split")).toBool(true);
        const char32_t mark = replacement.front();
        preTokenizers.push_back([mark, scheme, split](const Normalized &input) {
            Normalized word = input;
            for (char32_t &c : word.text) {
                if (c == U' ')
                    c = mark;
            }
            const bool first = !word.source.empty() && word.source.front().first == 0;
            if (!word.text.empty() && word.text.front() != mark
                && (scheme == QLatin1String("always") || (scheme == QLatin1String("first") && first)))
                prepend(word, std::u32string(1, mark));
            if (!split)
                return std::vector<Normalized>{word};
            return splitWhere(word, [mark](char32_t c) { return c == mark; }, SplitBehavior::MergedWithNext);
        });
        return true;
    }
    if (type == QLatin1String("Split")) {
        const Matcher matcher = makeMatcher(object.value(QLatin1String("pattern")), error);
        if (!matcher) {
            *error = QStringLiteral("the Split pre-tokenizer has %1").arg(*error);
            return false;
        }
        const QString name = object.value(QLatin1String("behavior")).toString();
        static const QHash<QString, SplitBehavior> behaviors = {
            {QStringLiteral("Removed"), SplitBehavior::Removed},
            {QStringLiteral("Isolated"), SplitBehavior::Isolated},
            {QStringLiteral("MergedWithPrevious"), SplitBehavior::MergedWithPrevious},
            {QStringLiteral("MergedWithNext"), SplitBehavior::MergedWithNext},
            {QStringLiteral("Contiguous"), SplitBehavior::Contiguous},
        };
        if (!behaviors.contains(name)) {
            *error = QStringLiteral("the Split pre-tokenizer's behavior \"%1\" is not one tokenizers knows").arg(name.left(40));
            return false;
        }
        const SplitBehavior behavior = behaviors.value(name);
        const bool invert = object.value(QLatin1String("invert")).toBool();
        preTokenizers.push_back([matcher, behavior, invert](const Normalized &word) {
            return splitAtMatches(word, matcher(word.text), behavior, invert);
        });
        return true;
    }
    if (type == QLatin1String("Whitespace")) {
        // \w+|[^\w\s]+
        const auto wordCharacter = [](char32_t c) {
            return QChar::isLetterOrNumber(c) || QChar::isMark(c) || QChar::category(c) == QChar::Punctuation_Connector;
        };
        preTokenizers.push_back([wordCharacter](const Normalized &word) {
            std::vector<std::pair<size_t, size_t>> runs;
            size_t i = 0;
            while (i < word.text.size()) {
                if (QChar::isSpace(word.text[i])) {
                    ++i;
                    continue;
                }
                const bool inWord = wordCharacter(word.text[i]);
                size_t end = i;
                while (end < word.text.size() && !QChar::isSpace(word.text[end]) && wordCharacter(word.text[end]) == inWord)
                    ++end;
                runs.emplace_back(i, end);
                i = end;
            }
            return splitAtMatches(word, runs, SplitBehavior::Removed, true);
        });
        return true;
    }
    if (type == QLatin1String("Digits")) {
        const bool individual = object.value(QLatin1String("individual_digits")).toBool();
        preTokenizers.push_back([individual](const Normalized &word) {
            return splitWhere(word, [](char32_t c) { return QChar::isDigit(c); }, individual ? SplitBehavior::Isolated : SplitBehavior::Contiguous);
        });
        return true;
    }
    if (type == QLatin1String("CharDelimiterSplit")) {
        const std::u32string delimiter = toU32(object.value(QLatin1String("delimiter")).toString());
        if (delimiter.size() != 1) {
            *error = QStringLiteral("the CharDelimiterSplit pre-tokenizer's delimiter is not one character");
            return false;
        }
        const char32_t at = delimiter.front();
        preTokenizers.push_back([at](const Normalized &word) { return splitWhere(word, [at](char32_t c) { return c == at; }, SplitBehavior::Removed); });
        return true;
    }
    *error = QStringLiteral("pre-tokenizer \"%1\" is not supported yet").arg(type);
    return false;
}

bool Tokenizer::Private::loadModel(const QJsonObject &model, QString *error)
{
    const QString type = model.value(QLatin1String("type")).toString();
    if (type == QLatin1String("BPE")) {
        modelKind = ModelKind::Bpe;
        return bpe.load(model, &vocabulary, error);
    }
    if (type == QLatin1String("Unigram")) {
        modelKind = ModelKind::Unigram;
        return unigram.load(model, &vocabulary, error);
    }
    if (type != QLatin1String("WordPiece")) {
        *error = QStringLiteral("model \"%1\" is not supported yet (WordPiece, BPE and Unigram are)").arg(type.isEmpty() ? QStringLiteral("?") : type);
        return false;
    }
    const QJsonObject vocab = model.value(QLatin1String("vocab")).toObject();
    if (vocab.isEmpty()) {
        *error = QStringLiteral("the WordPiece model has no vocabulary");
        return false;
    }
    vocabulary.ids.reserve(vocab.size());
    for (auto it = vocab.begin(); it != vocab.end(); ++it) {
        if (!vocabulary.insert(it.key(), it.value().toInteger(-1), error))
            return false;
    }
    unkToken = model.value(QLatin1String("unk_token")).toString(unkToken);
    continuingPrefix = model.value(QLatin1String("continuing_subword_prefix")).toString(continuingPrefix);
    maxInputCharsPerWord = model.value(QLatin1String("max_input_chars_per_word")).toInt(maxInputCharsPerWord);
    if (!vocabulary.ids.contains(unkToken)) {
        *error = QStringLiteral("the unknown token \"%1\" is not in the vocabulary").arg(unkToken);
        return false;
    }
    return true;
}

bool Tokenizer::Private::loadPostProcessor(const QJsonValue &value, QString *error)
{
    if (value.isNull() || value.isUndefined())
        return true;
    const QJsonObject object = value.toObject();
    const QString type = object.value(QLatin1String("type")).toString();
    const auto special = [this](const QJsonArray &tokenAndId) {
        const QString token = tokenAndId.at(0).toString();
        specialTokens.insert(token, {{tokenAndId.at(1).toInteger()}, {token}});
        return token;
    };
    if (type == QLatin1String("BertProcessing")) {
        const QString cls = special(object.value(QLatin1String("cls")).toArray());
        const QString sep = special(object.value(QLatin1String("sep")).toArray());
        single = {{false, 0, cls, 0}, {true, 0, {}, 0}, {false, 0, sep, 0}};
        pair = single + QList<TemplatePiece>{{true, 1, {}, 1}, {false, 0, sep, 1}};
        hasTemplate = true;
        return true;
    }
    if (type == QLatin1String("TemplateProcessing")) {
        const auto pieces = [](const QJsonArray &array, QList<TemplatePiece> *out) {
            for (const QJsonValue &entry : array) {
                const QJsonObject piece = entry.toObject();
                if (piece.contains(QLatin1String("Sequence"))) {
                    const QJsonObject sequence = piece.value(QLatin1String("Sequence")).toObject();
                    out->append({true, sequence.value(QLatin1String("id")).toString() == QLatin1String("B") ? 1 : 0, {},
                                 sequence.value(QLatin1String("type_id")).toInteger()});
                } else {
                    const QJsonObject token = piece.value(QLatin1String("SpecialToken")).toObject();
                    out->append({false, 0, token.value(QLatin1String("id")).toString(), token.value(QLatin1String("type_id")).toInteger()});
                }
            }
        };
        pieces(object.value(QLatin1String("single")).toArray(), &single);
        pieces(object.value(QLatin1String("pair")).toArray(), &pair);
        const QJsonObject tokens = object.value(QLatin1String("special_tokens")).toObject();
        for (auto it = tokens.begin(); it != tokens.end(); ++it) {
            SpecialTokenIds ids;
            for (const QJsonValue &id : it.value().toObject().value(QLatin1String("ids")).toArray())
                ids.ids.append(id.toInteger());
            for (const QJsonValue &token : it.value().toObject().value(QLatin1String("tokens")).toArray())
                ids.tokens.append(token.toString());
            if (ids.ids.size() != ids.tokens.size()) {
                *error = QStringLiteral("special token \"%1\" has %2 ids and %3 tokens").arg(it.key()).arg(ids.ids.size()).arg(ids.tokens.size());
                return false;
            }
            specialTokens.insert(it.key(), ids);
        }
        for (const TemplatePiece &piece : single + pair) {
            if (!piece.isSequence && !specialTokens.contains(piece.specialToken)) {
                *error = QStringLiteral("the template names special token \"%1\" but does not define it").arg(piece.specialToken);
                return false;
            }
        }
        hasTemplate = true;
        return true;
    }
    if (type == QLatin1String("RobertaProcessing")) {
        const QString cls = special(object.value(QLatin1String("cls")).toArray());
        const QString sep = special(object.value(QLatin1String("sep")).toArray());
        single = {{false, 0, cls, 0}, {true, 0, {}, 0}, {false, 0, sep, 0}};
        pair = single + QList<TemplatePiece>{{false, 0, sep, 0}, {true, 1, {}, 0}, {false, 0, sep, 0}};
        hasTemplate = true;
        typeIdsAllZero = true;  // RoBERTa has one token type
        trimOffsets = object.value(QLatin1String("trim_offsets")).toBool(true);
        trimAddsPrefixSpace = object.value(QLatin1String("add_prefix_space")).toBool(true);
        return true;
    }
    if (type == QLatin1String("ByteLevel")) {
        trimOffsets = object.value(QLatin1String("trim_offsets")).toBool(true);
        trimAddsPrefixSpace = object.value(QLatin1String("add_prefix_space")).toBool(true);
        return true;
    }
    if (type == QLatin1String("Sequence")) {
        for (const QJsonValue &step : object.value(QLatin1String("processors")).toArray()) {
            if (!loadPostProcessor(step, error))
                return false;
        }
        return true;
    }
    *error = QStringLiteral("post-processor \"%1\" is not supported yet").arg(type);
    return false;
}

bool Tokenizer::Private::loadDecoder(const QJsonValue &value, QString *error)
{
    if (value.isNull() || value.isUndefined())
        return true;
    hasDecoder = true;
    const QJsonObject object = value.toObject();
    const QString type = object.value(QLatin1String("type")).toString();
    if (type == QLatin1String("Sequence")) {
        for (const QJsonValue &step : object.value(QLatin1String("decoders")).toArray()) {
            if (!loadDecoder(step, error))
                return false;
        }
        return true;
    }
    if (type == QLatin1String("WordPiece")) {
        const QString prefix = object.value(QLatin1String("prefix")).toString(QStringLiteral("##"));
        const bool cleanup = object.value(QLatin1String("cleanup")).toBool(true);
        decoders.push_back([prefix, cleanup](QStringList tokens) {
            // Each token glued or spaced, then cleaned up on its own (so
            // "don ' t" keeps its spaces, "word ." loses one).
            static const QList<QPair<QString, QString>> replacements = {
                {QStringLiteral(" ."), QStringLiteral(".")},   {QStringLiteral(" ?"), QStringLiteral("?")},
                {QStringLiteral(" !"), QStringLiteral("!")},   {QStringLiteral(" ,"), QStringLiteral(",")},
                {QStringLiteral(" ' "), QStringLiteral("'")},  {QStringLiteral(" n't"), QStringLiteral("n't")},
                {QStringLiteral(" 'm"), QStringLiteral("'m")}, {QStringLiteral(" do not"), QStringLiteral(" don't")},
                {QStringLiteral(" 's"), QStringLiteral("'s")}, {QStringLiteral(" 've"), QStringLiteral("'ve")},
                {QStringLiteral(" 're"), QStringLiteral("'re")},
            };
            for (int i = 0; i < tokens.size(); ++i) {
                QString &token = tokens[i];
                if (i > 0 && token.startsWith(prefix))
                    token = token.mid(prefix.size());
                else if (i > 0)
                    token.prepend(QLatin1Char(' '));
                if (cleanup) {
                    for (const auto &[from, to] : replacements)
                        token.replace(from, to);
                }
            }
            return tokens;
        });
        return true;
    }
    if (type == QLatin1String("ByteLevel")) {
        decoders.push_back([](const QStringList &tokens) {
            static const QHash<char32_t, char> bytes = [] {
                QHash<char32_t, char> map;
                for (int b = 0; b < 256; ++b)
                    map.insert(byteCharacters()[size_t(b)], char(b));
                return map;
            }();
            QByteArray utf8;
            for (const QString &token : tokens) {
                for (const uint c : token.toUcs4()) {
                    const auto byte = bytes.constFind(c);
                    if (byte != bytes.cend())
                        utf8.append(byte.value());
                    else
                        utf8.append(QString::fromUcs4(reinterpret_cast<const char32_t *>(&c), 1).toUtf8());
                }
            }
            return QStringList{QString::fromUtf8(utf8)};
        });
        return true;
    }
    if (type == QLatin1String("Metaspace")) {
        const QString replacement = object.value(QLatin1String("replacement")).toString(QStringLiteral("\u2581"));
        QString scheme = object.value(QLatin1String("prepend_scheme")).toString();
        if (scheme.isEmpty())
            scheme = object.value(QLatin1String("add_prefix_space")).toBool(true) ? QStringLiteral("always") : QStringLiteral("never");
        const bool stripFirst = scheme != QLatin1String("never");
        decoders.push_back([replacement, stripFirst](QStringList tokens) {
            for (int i = 0; i < tokens.size(); ++i) {
                tokens[i].replace(replacement, QStringLiteral(" "));
                if (i == 0 && stripFirst && tokens[i].startsWith(QLatin1Char(' ')))
                    tokens[i].remove(0, 1);
            }
            return tokens;
        });
        return true;
    }
    if (type == QLatin1String("BPEDecoder")) {
        const QString suffix = object.value(QLatin1String("suffix")).toString(QStringLiteral("</w>"));
        decoders.push_back([suffix](QStringList tokens) {
            for (int i = 0; i < tokens.size(); ++i)
                tokens[i].replace(suffix, i + 1 == tokens.size() ? QString() : QStringLiteral(" "));
            return tokens;
        });
        return true;
    }
    if (type == QLatin1String("ByteFallback")) {
        decoders.push_back([](const QStringList &tokens) {
            // Runs of <0xNN> tokens become the text their bytes spell, or one
            // replacement character a byte when they spell no valid UTF-8.
            static const QRegularExpression byteToken(QStringLiteral("^<0x([0-9A-F]{2})>$"));
            QStringList out;
            QByteArray pending;
            const auto flush = [&] {
                if (pending.isEmpty())
                    return;
                QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
                const QString text = utf8(pending);
                if (utf8.hasError()) {
                    for (qsizetype i = 0; i < pending.size(); ++i)
                        out.append(QStringLiteral("\uFFFD"));
                } else {
                    out.append(text);
                }
                pending.clear();
            };
            for (const QString &token : tokens) {
                const QRegularExpressionMatch match = byteToken.match(token);
                if (match.hasMatch()) {
                    pending.append(char(match.captured(1).toInt(nullptr, 16)));
                } else {
                    flush();
                    out.append(token);
                }
            }
            flush();
            return out;
        });
        return true;
    }
    if (type == QLatin1String("Fuse")) {
        decoders.push_back([](const QStringList &tokens) { return QStringList{tokens.join(QString())}; });
        return true;
    }
    if (type == QLatin1String("Strip")) {
        const QString content = object.value(QLatin1String("content")).toString(QStringLiteral(" "));
        const int start = object.value(QLatin1String("start")).toInt(), stop = object.value(QLatin1String("stop")).toInt();
        decoders.push_back([content, start, stop](QStringList tokens) {
            for (QString &token : tokens) {
                for (int i = 0; i < start && token.startsWith(content); ++i)
                    token.remove(0, content.size());
                for (int i = 0; i < stop && token.endsWith(content); ++i)
                    token.chop(content.size());
            }
            return tokens;
        });
        return true;
    }
    if (type == QLatin1String("Replace")) {
        const Matcher matcher = makeMatcher(object.value(QLatin1String("pattern")), error);
        if (!matcher) {
            *error = QStringLiteral("the Replace decoder has %1").arg(*error);
            return false;
        }
        const std::u32string content = toU32(object.value(QLatin1String("content")).toString());
        decoders.push_back([matcher, content](QStringList tokens) {
            for (QString &token : tokens) {
                Normalized n = Normalized::fromString(toU32(token));
                replaceMatches(n, matcher(n.text), content);
                token = toQString(n.text);
            }
            return tokens;
        });
        return true;
    }
    *error = QStringLiteral("decoder \"%1\" is not supported yet").arg(type);
    return false;
}

// WordPiece: the longest piece of the vocabulary at each point, the rest
// continuing with "##"; a word with any gap is the unknown token.
std::vector<Token> Tokenizer::Private::tokenizeWord(const Normalized &word) const
{
    if (modelKind != ModelKind::WordPiece) {
        const std::vector<tokenizers::Piece> pieces = modelKind == ModelKind::Bpe ? bpe.tokenize(word.text) : unigram.tokenize(word.text);
        std::vector<Token> tokens;
        tokens.reserve(pieces.size());
        for (const tokenizers::Piece &piece : pieces) {
            // Unigram names an unknown piece by its text, BPE by the unknown token, as tokenizers does.
            const bool unknownText = modelKind == ModelKind::Unigram && piece.id == unigram.unknownId();
            tokens.push_back({piece.id,
                              unknownText ? toQString(word.text.substr(size_t(piece.start), size_t(piece.end - piece.start)))
                                          : vocabulary.tokens.value(piece.id),
                              word.span(size_t(piece.start), size_t(piece.end))});
        }
        return tokens;
    }
    const size_t length = word.text.size();
    if (int(length) > maxInputCharsPerWord)
        return {{vocabulary.ids.value(unkToken), unkToken, word.span(0, length)}};
    std::vector<Token> tokens;
    size_t start = 0;
    while (start < length) {
        size_t end = length;
        bool found = false;
        while (start < end) {
            QString piece = toQString(word.text.substr(start, end - start));
            if (start > 0)
                piece.prepend(continuingPrefix);
            const auto it = vocabulary.ids.constFind(piece);
            if (it != vocabulary.ids.cend()) {
                tokens.push_back({it.value(), piece, word.span(start, end)});
                found = true;
                break;
            }
            --end;
        }
        if (!found)
            return {{vocabulary.ids.value(unkToken), unkToken, word.span(0, length)}};
        start = end;
    }
    return tokens;
}

// One text: split around added tokens, each other part normalized,
// pre-tokenized and tokenized.
Encoding Tokenizer::Private::encodeSequence(const QString &text, int sequence) const
{
    Encoding encoding;
    const auto append = [&](qint64 id, const QString &token, std::pair<int, int> span, bool isSpecial) {
        encoding.ids.append(id);
        encoding.tokens.append(token);
        encoding.offsets.append({span.first, span.second});
        encoding.typeIds.append(0);
        encoding.attentionMask.append(1);
        encoding.specialTokensMask.append(isSpecial ? 1 : 0);
        encoding.sequenceIds.append(sequence);
    };
    if (sentencePiece) {
        for (const tokenizers::SentencePieceModel::Piece &piece : sentencePiece->encode(text))
            append(piece.id, piece.piece, {piece.start, piece.end}, false);
        return encoding;
    }
    const std::u32string input = toU32(text);
    const auto encodePart = [&](size_t from, size_t to) {
        if (from >= to)
            return;
        Normalized normalized = Normalized::fromString(input.substr(from, to - from), int(from));
        for (const Normalizer &normalize : normalizers)
            normalize(normalized);
        std::vector<Normalized> words{normalized};
        for (const PreTokenizer &split : preTokenizers) {
            std::vector<Normalized> next;
            for (const Normalized &word : words) {
                for (Normalized &piece : split(word))
                    next.push_back(std::move(piece));
            }
            words = std::move(next);
        }
        for (const Normalized &word : words) {
            if (word.text.empty())
                continue;
            for (const Token &token : tokenizeWord(word))
                append(token.id, token.value, token.offsets, false);
        }
    };

    // Added tokens are found in the raw text, longest first.
    std::vector<std::pair<std::u32string, int>> candidates;
    for (int i = 0; i < added.size(); ++i)
        candidates.emplace_back(toU32(added.at(i).content), i);
    std::sort(candidates.begin(), candidates.end(), [](const auto &a, const auto &b) { return a.first.size() > b.first.size(); });
    size_t partStart = 0;
    size_t i = 0;
    while (i < input.size()) {
        int match = -1;
        size_t matchLength = 0;
        for (const auto &[content, index] : candidates) {
            if (!content.empty() && input.compare(i, content.size(), content) == 0) {
                const AddedToken &token = added.at(index);
                if (token.singleWord) {
                    const bool before = i == 0 || !QChar::isLetterOrNumber(input[i - 1]);
                    const bool after = i + content.size() >= input.size() || !QChar::isLetterOrNumber(input[i + content.size()]);
                    if (!before || !after)
                        continue;
                }
                match = index;
                matchLength = content.size();
                break;
            }
        }
        if (match < 0) {
            ++i;
            continue;
        }
        const AddedToken &token = added.at(match);
        size_t partEnd = i;
        if (token.lstrip) {
            while (partEnd > partStart && isWhitespace(input[partEnd - 1]))
                --partEnd;
        }
        encodePart(partStart, partEnd);
        // Written in the text, so not "special" in the mask (as in tokenizers),
        // even when decode() leaves it out.
        append(token.id, token.content, {int(i), int(i + matchLength)}, false);
        i += matchLength;
        if (token.rstrip) {
            while (i < input.size() && isWhitespace(input[i]))
                ++i;
        }
        partStart = i;
    }
    encodePart(partStart, input.size());
    return encoding;
}

int Tokenizer::Private::specialTokensToAdd(bool isPair) const
{
    if (!hasTemplate)
        return 0;
    int count = 0;
    for (const TemplatePiece &piece : isPair ? pair : single) {
        if (!piece.isSequence)
            count += int(specialTokens.value(piece.specialToken).ids.size());
    }
    return count;
}

void Tokenizer::Private::truncate(Encoding *first, Encoding *second, bool addSpecialTokens) const
{
    if (truncateTo <= 0)
        return;
    const int room = std::max(0, truncateTo - (addSpecialTokens ? specialTokensToAdd(second != nullptr) : 0));
    const auto cut = [](Encoding *encoding, int keep) {
        if (encoding->size() <= keep)
            return;
        encoding->ids.resize(keep);
        encoding->typeIds.resize(keep);
        encoding->tokens.resize(keep);
        encoding->offsets.resize(keep);
        encoding->attentionMask.resize(keep);
        encoding->specialTokensMask.resize(keep);
        encoding->sequenceIds.resize(keep);
    };
    if (!second) {
        cut(first, room);
        return;
    }
    if (truncation == Truncation::OnlyFirst) {
        cut(first, std::max(0, room - second->size()));
        return;
    }
    if (truncation == Truncation::OnlySecond) {
        cut(second, std::max(0, room - first->size()));
        return;
    }
    // Longest first, as tokenizers does it: the shorter keeps what it can.
    int n1 = first->size(), n2 = second->size();
    if (n1 + n2 <= room)
        return;
    const bool swapped = n1 > n2;
    if (swapped)
        std::swap(n1, n2);
    n2 = n1 > room ? n1 : std::max(n1, room - n1);
    if (n1 + n2 > room) {
        n1 = room / 2;
        n2 = n1 + room % 2;
    }
    if (swapped)
        std::swap(n1, n2);
    cut(first, n1);
    cut(second, n2);
}

// As tokenizers' byte-level post-processing: offsets leave out the spaces a
// token starts or ends with, but not the one added in front of the text.
void Tokenizer::Private::trimByteLevelOffsets(Encoding *encoding) const
{
    const char32_t space = byteCharacters()[' '];
    const auto isSpace = [space](uint c) { return c == space || QChar::isSpace(c); };
    for (int i = 0; i < encoding->size(); ++i) {
        const QList<uint> token = encoding->tokens.at(i).toUcs4();
        int leading = 0, trailing = 0;
        while (leading < token.size() && isSpace(token.at(leading)))
            ++leading;
        while (trailing < token.size() && isSpace(token.at(token.size() - 1 - trailing)))
            ++trailing;
        QPair<int, int> &offsets = encoding->offsets[i];
        if (leading > 0) {
            const bool first = i == 0 || offsets.first == 0;
            if (first && trimAddsPrefixSpace && leading == 1)
                leading = 0;
            offsets.first = std::min(offsets.first + leading, offsets.second);
        }
        if (trailing > 0 && offsets.second >= trailing)
            offsets.second = std::max(offsets.second - trailing, offsets.first);
    }
}

Encoding Tokenizer::Private::postProcess(Encoding first, Encoding *second, bool addSpecialTokens) const
{
    if (trimOffsets) {
        trimByteLevelOffsets(&first);
        if (second)
            trimByteLevelOffsets(second);
    }
    if (!addSpecialTokens || !hasTemplate) {
        if (second) {
            for (qint64 &type : second->typeIds)
                type = typeIdsAllZero ? 0 : 1;
            first.ids += second->ids;
            first.typeIds += second->typeIds;
            first.tokens += second->tokens;
            first.offsets += second->offsets;
            first.attentionMask += second->attentionMask;
            first.specialTokensMask += second->specialTokensMask;
            first.sequenceIds += second->sequenceIds;
        }
        return first;
    }
    Encoding out;
    for (const TemplatePiece &piece : second ? pair : single) {
        if (piece.isSequence) {
            const Encoding &part = piece.sequence == 0 ? first : *second;
            out.ids += part.ids;
            for (int i = 0; i < part.size(); ++i)
                out.typeIds.append(piece.typeId);
            out.tokens += part.tokens;
            out.offsets += part.offsets;
            out.attentionMask += part.attentionMask;
            out.specialTokensMask += part.specialTokensMask;
            out.sequenceIds += part.sequenceIds;
        } else {
            const SpecialTokenIds special = specialTokens.value(piece.specialToken);
            for (int i = 0; i < special.ids.size(); ++i) {
                out.ids.append(special.ids.at(i));
                out.typeIds.append(piece.typeId);
                out.tokens.append(special.tokens.at(i));
                out.offsets.append({0, 0});
                out.attentionMask.append(1);
                out.specialTokensMask.append(1);
                out.sequenceIds.append(-1);
            }
        }
    }
    return out;
}

void Tokenizer::Private::pad(Encoding *encoding, int length) const
{
    if (padToMultipleOf > 0 && length % padToMultipleOf != 0)
        length += padToMultipleOf - length % padToMultipleOf;
    while (encoding->size() < length) {
        encoding->ids.append(padId);
        encoding->typeIds.append(padTypeId);
        encoding->tokens.append(padToken);
        encoding->offsets.append({0, 0});
        encoding->attentionMask.append(0);
        encoding->specialTokensMask.append(1);
        encoding->sequenceIds.append(-1);
    }
}

Encoding Tokenizer::Private::finish(Encoding first, Encoding *second, bool addSpecialTokens) const
{
    truncate(&first, second, addSpecialTokens);
    Encoding out = postProcess(std::move(first), second, addSpecialTokens);
    if (padding == Padding::Fixed)
        pad(&out, padLength);
    return out;
}

Encoding Tokenizer::encode(const QString &text, bool addSpecialTokens) const
{
    return d->finish(d->encodeSequence(text, 0), nullptr, addSpecialTokens);
}

Encoding Tokenizer::encodePair(const QString &text, const QString &pair, bool addSpecialTokens) const
{
    Encoding second = d->encodeSequence(pair, 1);
    return d->finish(d->encodeSequence(text, 0), &second, addSpecialTokens);
}

QList<Encoding> Tokenizer::encodeBatch(const QStringList &texts, bool addSpecialTokens) const
{
    QList<Encoding> encodings;
    encodings.reserve(texts.size());
    int longest = 0;
    for (const QString &text : texts) {
        encodings.append(d->finish(d->encodeSequence(text, 0), nullptr, addSpecialTokens));
        longest = std::max(longest, encodings.constLast().size());
    }
    if (d->padding == Padding::Longest) {
        for (Encoding &encoding : encodings)
            d->pad(&encoding, longest);
    }
    return encodings;
}

QString Tokenizer::decode(const QList<qint64> &ids, bool skipSpecialTokens) const
{
    // sentencepiece leaves its control pieces (<s>, </s>) out of the text; kept,
    // they are written where they stand between the decoded runs.
    if (d->sentencePiece) {
        if (skipSpecialTokens)
            return d->sentencePiece->decode(ids);
        QString text;
        QList<qint64> run;
        for (const qint64 id : ids) {
            if (!d->sentencePiece->isControl(id)) {
                run.append(id);
                continue;
            }
            text += d->sentencePiece->decode(run) + d->sentencePiece->idToPiece(id);
            run.clear();
        }
        return text + d->sentencePiece->decode(run);
    }
    QStringList tokens;
    for (const qint64 id : ids) {
        const auto added = d->addedById.constFind(id);
        if (added != d->addedById.cend()) {
            if (!(skipSpecialTokens && d->added.at(added.value()).special))
                tokens.append(d->added.at(added.value()).content);
            continue;
        }
        const QString token = d->vocabulary.tokens.value(id);
        if (!token.isEmpty())
            tokens.append(token);
    }
    if (!d->hasDecoder)
        return tokens.join(QLatin1Char(' '));
    for (const auto &step : d->decoders)
        tokens = step(std::move(tokens));
    return tokens.join(QString());
}

qint64 Tokenizer::tokenToId(const QString &token) const
{
    if (d->sentencePiece)
        return d->sentencePiece->pieceToId(token);
    const auto added = d->addedIds.constFind(token);
    if (added != d->addedIds.cend())
        return added.value();
    return d->vocabulary.ids.value(token, -1);
}

QString Tokenizer::idToToken(qint64 id) const
{
    if (d->sentencePiece)
        return d->sentencePiece->idToPiece(id);
    const auto added = d->addedById.constFind(id);
    if (added != d->addedById.cend())
        return d->added.at(added.value()).content;
    return d->vocabulary.tokens.value(id);
}

int Tokenizer::vocabSize() const
{
    if (d->sentencePiece)
        return d->sentencePiece->size();
    QSet<qint64> ids(d->vocabulary.tokens.keyBegin(), d->vocabulary.tokens.keyEnd());
    for (const AddedToken &token : std::as_const(d->added))
        ids.insert(token.id);
    return int(ids.size());
}

void Tokenizer::setTruncation(int maxLength, Truncation strategy)
{
    d->truncateTo = std::max(0, maxLength);
    d->truncation = strategy;
}

int Tokenizer::truncationLength() const
{
    return d->truncateTo;
}

void Tokenizer::setPadding(Padding padding, int length)
{
    d->padding = padding;
    d->padLength = length;
}

Tokenizer::Padding Tokenizer::padding() const
{
    return d->padding;
}

int Tokenizer::paddingLength() const
{
    return d->padLength;
}

} // namespace kiln
