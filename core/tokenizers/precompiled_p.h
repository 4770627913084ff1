#pragma once

// SentencePiece's compiled normalization rules (`precompiled_charsmap`, in a
// .model file's normalizer spec and in the "Precompiled" normalizer of the
// tokenizer.json of XLM-R, T5, ALBERT, mBART and their kin): a double-array trie
// from UTF-8 byte strings to offsets into a blob of NUL-terminated replacements.
// Applied the way Python's `tokenizers` applies them, quirks included, so that the
// model sees the ids it was trained with.

#include <QByteArray>
#include <QString>

#include <string>
#include <utility>
#include <vector>

namespace kiln::tokenizers {

class PrecompiledCharsmap
{
public:
    // False with *error set when the blob is cut short or its replacements are
    // not UTF-8.
    bool load(const QByteArray &blob, QString *error);

    // One output code point and how it lines up with the input, as `tokenizers`
    // records it: 0 takes the place of the next input code point, 1 is inserted
    // after the previous one, -k takes the next one's place and drops k more.
    // False when no rule applied anywhere (the text stays as it is).
    bool normalize(const std::u32string &text, std::vector<std::pair<char32_t, int>> *changes) const;

private:
    // The replacement for the shortest rule that is a prefix of `bytes`, or null.
    const char *firstMatch(const std::string &bytes) const;

    std::vector<quint32> mUnits;
    QByteArray mReplacements;
};

} // namespace kiln::tokenizers
