#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <memory>

namespace kiln {

// One text (or pair of texts) as a model sees it.
struct Encoding
{
    QList<qint64> ids;
    QList<qint64> typeIds;
    QStringList tokens;
    // Each token's [start, end) in the input, in Unicode code points (as
    // Python's tokenizers gives them); (0, 0) for special tokens and padding.
    QList<QPair<int, int>> offsets;
    QList<qint64> attentionMask;      // 1 for tokens, 0 for padding
    QList<qint64> specialTokensMask;  // 1 for special tokens and padding
    QList<int> sequenceIds;           // 0 or 1 for the text each token came from; -1 for special tokens
    int size() const { return int(ids.size()); }
};

// A Hugging Face tokenizer read from its tokenizer.json, computing the same ids
// and offsets as Python's `tokenizers`: normalizers (BERT's, NFC/NFD/NFKC/NFKD,
// lowercase, strip accents, replace, prepend, strip), pre-tokenizers (BERT,
// byte-level, whitespace, Metaspace, split by pattern, digits, punctuation),
// models (WordPiece, BPE with merges and byte fallback, Unigram), post-processors
// (template, BERT, RoBERTa, byte-level) and decoders, added (special) tokens,
// truncation and padding. A file that needs anything else is refused with one
// line naming the component.
class Tokenizer
{
public:
    enum class Truncation { LongestFirst, OnlyFirst, OnlySecond };
    enum class Padding { None, Longest, Fixed };

    ~Tokenizer();
    Tokenizer(const Tokenizer &) = delete;
    Tokenizer &operator=(const Tokenizer &) = delete;

    // Null with *error set when the file is unreadable, malformed, or needs a
    // component Kiln lacks.
    static std::unique_ptr<Tokenizer> fromJson(const QByteArray &json, QString *error);
    static std::unique_ptr<Tokenizer> fromFile(const QString &path, QString *error);

    Encoding encode(const QString &text, bool addSpecialTokens = true) const;
    Encoding encodePair(const QString &text, const QString &pair, bool addSpecialTokens = true) const;
    // Each text encoded, then padded together as the padding setting says.
    QList<Encoding> encodeBatch(const QStringList &texts, bool addSpecialTokens = true) const;
    QString decode(const QList<qint64> &ids, bool skipSpecialTokens = true) const;

    qint64 tokenToId(const QString &token) const;  // -1 when not in the vocabulary
    QString idToToken(qint64 id) const;            // empty when out of range
    int vocabSize() const;                         // with the added tokens

    // As tokenizer.json sets them; maxLength 0 turns truncation off.
    void setTruncation(int maxLength, Truncation strategy = Truncation::LongestFirst);
    int truncationLength() const;
    // Fixed pads to `length`; Longest to the batch's longest.
    void setPadding(Padding padding, int length = 0);
    Padding padding() const;
    int paddingLength() const;

    struct Private;

private:
    Tokenizer();
    std::unique_ptr<Private> d;
};

} // namespace kiln
