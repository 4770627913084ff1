// libFuzzer target: the tokenizer (tokenizers/tokenizer.h). An input that starts
// with '{' is a tokenizer.json, read and then used on a few texts; anything else
// is text for a small BERT tokenizer. Either way every encoding must be
// consistent (one id, token and offset each, offsets inside the text) and
// decode must not fail.

#include "tokenizers/tokenizer.h"

#include <cstdint>
#include <cstdlib>
#include <memory>

using namespace kiln;

namespace {

const char *const kSmallBert = R"({
  "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true},
  "pre_tokenizer": {"type": "BertPreTokenizer"},
  "added_tokens": [{"id": 0, "content": "[PAD]", "special": true}, {"id": 1, "content": "[UNK]", "special": true},
                   {"id": 2, "content": "[CLS]", "special": true}, {"id": 3, "content": "[SEP]", "special": true},
                   {"id": 4, "content": "[MASK]", "special": true, "lstrip": true}],
  "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]},
  "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
  "truncation": {"max_length": 64, "strategy": "LongestFirst"},
  "padding": {"strategy": "BatchLongest", "pad_id": 0, "pad_type_id": 0, "pad_token": "[PAD]"},
  "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 20,
            "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "[MASK]": 4, "a": 5, "b": 6, "##a": 7, "##b": 8,
                      "ab": 9, "the": 10, "cat": 11, ",": 12, ".": 13, "東": 14, "##s": 15, "e": 16, "##e": 17}}
})";

void check(const Tokenizer &tokenizer, const Encoding &encoding, int textLength)
{
    const int n = encoding.size();
    if (encoding.tokens.size() != n || encoding.offsets.size() != n || encoding.typeIds.size() != n
        || encoding.attentionMask.size() != n || encoding.specialTokensMask.size() != n)
        std::abort();
    for (const auto &[start, end] : encoding.offsets) {
        if (start < 0 || end < start || end > textLength)
            std::abort();
    }
    (void)tokenizer.decode(encoding.ids);
    (void)tokenizer.decode(encoding.ids, false);
}

void exercise(const Tokenizer &tokenizer, const QString &text)
{
    const int length = int(text.toUcs4().size());
    check(tokenizer, tokenizer.encode(text), length);
    check(tokenizer, tokenizer.encode(text, false), length);
    const Encoding pair = tokenizer.encodePair(text, QStringLiteral("the cat"));
    if (pair.size() != pair.ids.size())
        std::abort();
    const QList<Encoding> batch = tokenizer.encodeBatch({text, QStringLiteral("ab")});
    if (batch.size() != 2)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const std::unique_ptr<Tokenizer> small = [] {
        QString error;
        std::unique_ptr<Tokenizer> tokenizer = Tokenizer::fromJson(kSmallBert, &error);
        if (!tokenizer)
            std::abort();
        return tokenizer;
    }();
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    if (bytes.startsWith('{')) {
        QString error;
        const std::unique_ptr<Tokenizer> tokenizer = Tokenizer::fromJson(bytes, &error);
        if (!tokenizer) {
            if (error.isEmpty())
                std::abort();  // every refusal says why
            return 0;
        }
        exercise(*tokenizer, QStringLiteral("The cat, 東京 ab [MASK] b."));
        return 0;
    }
    exercise(*small, QString::fromUtf8(bytes));
    return 0;
}
