#pragma once

// The subword models of tokenizer.json beside WordPiece: BPE (with merges,
// byte fallback, a continuing prefix and an end-of-word suffix) and Unigram
// (SentencePiece's Viterbi segmentation). Both compute exactly what Python's
// `tokenizers` computes, quirks included, because a model sees ids, not text.

#include <QHash>
#include <QJsonObject>
#include <QString>

#include <string>
#include <utility>
#include <vector>

namespace kiln::tokenizers {

// One token of a word: its id and the code points [start, end) of the word it covers.
struct Piece
{
    qint64 id;
    int start;
    int end;
};

class Vocabulary
{
public:
    QHash<QString, qint64> ids;
    QHash<qint64, QString> tokens;

    // False with *error set for an id that is negative or absurdly large.
    bool insert(const QString &token, qint64 id, QString *error);
    qint64 id(const QString &token) const { return ids.value(token, -1); }
    // "<0x41>" for each UTF-8 byte of `text`, when the vocabulary has them all.
    bool byteFallback(const std::u32string &text, std::vector<qint64> *out) const;
};

class BpeModel
{
public:
    bool load(const QJsonObject &model, Vocabulary *vocabulary, QString *error);
    std::vector<Piece> tokenize(const std::u32string &word) const;

    QString unkToken;

private:
    struct Merge
    {
        int rank;
        qint64 newId;
    };
    const Vocabulary *mVocabulary = nullptr;
    QHash<QPair<qint64, qint64>, Merge> mMerges;
    QString mPrefix;
    QString mSuffix;
    bool mByteFallback = false;
    bool mFuseUnknown = false;
    bool mIgnoreMerges = false;
};

class UnigramModel
{
public:
    bool load(const QJsonObject &model, Vocabulary *vocabulary, QString *error);
    std::vector<Piece> tokenize(const std::u32string &word) const;
    qint64 unknownId() const { return mUnknownId; }

private:
    const Vocabulary *mVocabulary = nullptr;
    QHash<QString, int> mIndex;  // piece -> position in the vocabulary list
    std::vector<double> mScores;
    std::vector<qint64> mIds;
    qint64 mUnknownId = -1;
    double mMinScore = 0.0;
    int mLongestPiece = 0;  // in code points
    bool mByteFallback = false;
};

} // namespace kiln::tokenizers
