#include "tokenizers/models_p.h"
#include "tokenizers/text_p.h"

#include <QJsonArray>

#include <algorithm>
#include <limits>
#include <queue>

namespace kiln::tokenizers {

namespace {

// The largest vocabulary Kiln reads: real ones stop near 260,000 entries.
constexpr qint64 kMaxId = qint64(1) << 24;

} // namespace

bool Vocabulary::insert(const QString &token, qint64 id, QString *error)
{
    if (id < 0 || id > kMaxId) {
        *error = QStringLiteral("the vocabulary gives \"%1\" the id %2 (0 to %3 expected)").arg(token.left(50)).arg(id).arg(kMaxId);
        return false;
    }
    ids.insert(token, id);
    tokens.insert(id, token);
    return true;
}

bool Vocabulary::byteFallback(const std::u32string &text, std::vector<qint64> *out) const
{
    const QByteArray bytes = toQString(text).toUtf8();
    std::vector<qint64> found;
    for (const char byte : bytes) {
        const qint64 id = this->id(QStringLiteral("<0x%1>").arg(QString::number(uchar(byte), 16).toUpper().rightJustified(2, QLatin1Char('0'))));
        if (id < 0)
            return false;
        found.push_back(id);
    }
    out->insert(out->end(), found.begin(), found.end());
    return true;
}

// ---------------------------------------------------------------------------
// BPE

bool BpeModel::load(const QJsonObject &model, Vocabulary *vocabulary, QString *error)
{
    mVocabulary = vocabulary;
    const QJsonObject vocab = model.value(QLatin1String("vocab")).toObject();
    if (vocab.isEmpty()) {
        *error = QStringLiteral("the BPE model has no vocabulary");
        return false;
    }
    for (auto it = vocab.begin(); it != vocab.end(); ++it) {
        if (!vocabulary->insert(it.key(), it.value().toInteger(-1), error))
            return false;
    }
    if (!model.value(QLatin1String("dropout")).isNull() && !model.value(QLatin1String("dropout")).isUndefined()
        && model.value(QLatin1String("dropout")).toDouble() != 0.0) {
        // Dropout makes encoding random: a training aid, never what a model expects.
        *error = QStringLiteral("the BPE model sets dropout, which makes its ids random; Kiln encodes without it only when it is null");
        return false;
    }
    unkToken = model.value(QLatin1String("unk_token")).toString();
    mPrefix = model.value(QLatin1String("continuing_subword_prefix")).toString();
    mSuffix = model.value(QLatin1String("end_of_word_suffix")).toString();
    mByteFallback = model.value(QLatin1String("byte_fallback")).toBool();
    mFuseUnknown = model.value(QLatin1String("fuse_unk")).toBool();
    mIgnoreMerges = model.value(QLatin1String("ignore_merges")).toBool();
    if (!unkToken.isEmpty() && vocabulary->id(unkToken) < 0) {
        *error = QStringLiteral("the unknown token \"%1\" is not in the vocabulary").arg(unkToken.left(50));
        return false;
    }

    const QJsonArray merges = model.value(QLatin1String("merges")).toArray();
    mMerges.reserve(merges.size());
    for (int rank = 0; rank < merges.size(); ++rank) {
        // "a b" in older files, ["a", "b"] in newer ones.
        QString a, b;
        const QJsonValue merge = merges.at(rank);
        if (merge.isArray() && merge.toArray().size() == 2) {
            a = merge.toArray().at(0).toString();
            b = merge.toArray().at(1).toString();
        } else {
            const QString text = merge.toString();
            const qsizetype space = text.indexOf(QLatin1Char(' '), 1);
            if (space < 0) {
                *error = QStringLiteral("merge %1 (\"%2\") is not two tokens").arg(rank).arg(text.left(50));
                return false;
            }
            a = text.left(space);
            b = text.mid(space + 1);
        }
        const qint64 aId = vocabulary->id(a), bId = vocabulary->id(b);
        // As tokenizers builds it: b loses as many characters as the prefix has.
        const QString merged = a + b.mid(mPrefix.size());
        const qint64 newId = vocabulary->id(merged);
        if (aId < 0 || bId < 0 || newId < 0) {
            *error = QStringLiteral("merge %1 (\"%2 %3\") names a token that is not in the vocabulary").arg(rank).arg(a.left(30), b.left(30));
            return false;
        }
        mMerges.insert({aId, bId}, {rank, newId});
    }
    return true;
}

std::vector<Piece> BpeModel::tokenize(const std::u32string &word) const
{
    const int n = int(word.size());
    if (n == 0)
        return {};
    if (mIgnoreMerges) {
        const qint64 whole = mVocabulary->id(toQString(word));
        if (whole >= 0)
            return {{whole, 0, n}};
    }

    struct Symbol
    {
        qint64 id;
        int start;
        int length;  // in characters; 0 once merged into its left neighbour
        int bytes;   // in UTF-8, as tokenizers counts
        int prev;
        int next;
    };
    std::vector<Symbol> symbols;
    symbols.reserve(size_t(n));
    const auto utf8Length = [&word](int start, int length) {
        int bytes = 0;
        for (int i = start; i < start + length; ++i) {
            const char32_t c = word[size_t(i)];
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        }
        return bytes;
    };
    const auto add = [&symbols](qint64 id, int start, int length, int bytes) {
        const int index = int(symbols.size());
        symbols.push_back({id, start, length, bytes, index - 1, -1});
        if (index > 0)
            symbols[size_t(index - 1)].next = index;
    };

    const qint64 unkId = unkToken.isEmpty() ? -1 : mVocabulary->id(unkToken);
    // A run of unknown characters waiting to be added: tokenizers adds it only
    // when the next known character comes, after any byte-fallback tokens.
    int pendingUnkStart = -1, pendingUnkLength = 0, pendingUnkBytes = 0;
    for (int i = 0; i < n; ++i) {
        QString piece = QString::fromUcs4(&word[size_t(i)], 1);
        if (i > 0)
            piece.prepend(mPrefix);
        if (i == n - 1)
            piece.append(mSuffix);
        const qint64 id = mVocabulary->id(piece);
        if (id >= 0) {
            if (pendingUnkStart >= 0) {
                add(unkId, pendingUnkStart, pendingUnkLength, pendingUnkBytes);
                pendingUnkStart = -1;
            }
            add(id, i, 1, utf8Length(i, 1));
            continue;
        }
        if (mByteFallback) {
            std::vector<qint64> bytes;
            if (mVocabulary->byteFallback(toU32(piece), &bytes)) {
                for (const qint64 byte : bytes)
                    add(byte, i, 1, 1);
                continue;
            }
        }
        if (unkId < 0)
            continue;  // no unknown token: the character is dropped, as in tokenizers
        // The run's bytes, not its span: byte-fallback tokens may sit inside it.
        if (pendingUnkStart >= 0 && mFuseUnknown) {
            pendingUnkLength += 1;
            pendingUnkBytes += utf8Length(i, 1);
        } else {
            if (pendingUnkStart >= 0)
                add(unkId, pendingUnkStart, pendingUnkLength, pendingUnkBytes);
            pendingUnkStart = i;
            pendingUnkLength = 1;
            pendingUnkBytes = utf8Length(i, 1);
        }
    }
    if (pendingUnkStart >= 0)
        add(unkId, pendingUnkStart, pendingUnkLength, pendingUnkBytes);

    // The lowest-ranked pair first, leftmost among equals.
    struct Candidate
    {
        int rank;
        int position;
        qint64 newId;
        bool operator<(const Candidate &other) const
        {
            return rank != other.rank ? rank > other.rank : position > other.position;
        }
    };
    std::priority_queue<Candidate> queue;
    const auto consider = [&](int left) {
        if (left < 0 || symbols[size_t(left)].next < 0)
            return;
        const auto merge = mMerges.constFind({symbols[size_t(left)].id, symbols[size_t(symbols[size_t(left)].next)].id});
        if (merge != mMerges.cend())
            queue.push({merge->rank, left, merge->newId});
    };
    for (int i = 0; i + 1 < int(symbols.size()); ++i)
        consider(i);
    while (!queue.empty()) {
        const Candidate top = queue.top();
        queue.pop();
        Symbol &left = symbols[size_t(top.position)];
        if (left.length == 0 || left.next < 0)
            continue;
        Symbol &right = symbols[size_t(left.next)];
        const auto merge = mMerges.constFind({left.id, right.id});
        if (merge == mMerges.cend() || merge->newId != top.newId)
            continue;  // the pair changed since it was queued
        left.id = top.newId;
        left.length += right.length;
        left.bytes += right.bytes;
        right.length = 0;
        left.next = right.next;
        if (right.next >= 0)
            symbols[size_t(right.next)].prev = top.position;
        consider(left.prev);
        consider(top.position);
    }

    // Offsets as tokenizers computes them: the tokens' UTF-8 lengths added up in
    // order (a byte-fallback token is one byte), then mapped to characters. So a
    // run of unknown characters that waited behind byte tokens lends them its place.
    std::vector<int> characterAtByte;
    for (int i = 0; i < n; ++i) {
        const int bytes = word[size_t(i)] < 0x80 ? 1 : word[size_t(i)] < 0x800 ? 2 : word[size_t(i)] < 0x10000 ? 3 : 4;
        characterAtByte.insert(characterAtByte.end(), size_t(bytes), i);
    }
    const int totalBytes = int(characterAtByte.size());
    std::vector<Piece> pieces;
    int at = 0;
    for (const Symbol &symbol : symbols) {
        if (symbol.length == 0)
            continue;
        const int start = std::min(at, totalBytes - 1);
        const int end = std::min(at + symbol.bytes, totalBytes);
        pieces.push_back({symbol.id, characterAtByte[size_t(start)], characterAtByte[size_t(std::max(start, end - 1))] + 1});
        at += symbol.bytes;
    }
    return pieces;
}

// ---------------------------------------------------------------------------
// Unigram

bool UnigramModel::load(const QJsonObject &model, Vocabulary *vocabulary, QString *error)
{
    mVocabulary = vocabulary;
    const QJsonArray vocab = model.value(QLatin1String("vocab")).toArray();
    if (vocab.isEmpty()) {
        *error = QStringLiteral("the Unigram model has no vocabulary");
        return false;
    }
    if (vocab.size() > kMaxId) {
        *error = QStringLiteral("the Unigram vocabulary has %1 pieces, more than %2").arg(vocab.size()).arg(kMaxId);
        return false;
    }
    mScores.reserve(size_t(vocab.size()));
    mMinScore = std::numeric_limits<double>::max();
    for (int id = 0; id < vocab.size(); ++id) {
        const QJsonArray entry = vocab.at(id).toArray();
        if (entry.size() != 2 || !entry.at(0).isString() || !entry.at(1).isDouble()) {
            *error = QStringLiteral("Unigram piece %1 is not [text, score]").arg(id);
            return false;
        }
        const QString piece = entry.at(0).toString();
        if (!vocabulary->insert(piece, id, error))
            return false;
        mIndex.insert(piece, id);
        mScores.push_back(entry.at(1).toDouble());
        mMinScore = std::min(mMinScore, mScores.back());
        mLongestPiece = std::max(mLongestPiece, int(piece.toUcs4().size()));
    }
    mUnknownId = model.value(QLatin1String("unk_id")).toInteger(-1);
    if (!model.value(QLatin1String("unk_id")).isNull() && (mUnknownId < 0 || mUnknownId >= vocab.size())) {
        *error = QStringLiteral("the Unigram model's unk_id %1 is not in its vocabulary").arg(mUnknownId);
        return false;
    }
    mByteFallback = model.value(QLatin1String("byte_fallback")).toBool();
    return true;
}

std::vector<Piece> UnigramModel::tokenize(const std::u32string &word) const
{
    const int n = int(word.size());
    if (n == 0)
        return {};
    // SentencePiece's penalty for a character no piece covers.
    constexpr double kUnknownPenalty = 10.0;
    const double unknownScore = mMinScore - kUnknownPenalty;

    struct Node
    {
        qint64 id = -1;
        double score = 0.0;
        int start = -1;  // -1: not reached yet
    };
    std::vector<Node> best(size_t(n) + 1);
    for (int start = 0; start < n; ++start) {
        const double here = best[size_t(start)].score;
        bool singleCharacter = false;
        QString piece;
        for (int length = 1; length <= mLongestPiece && start + length <= n; ++length) {
            piece += QString::fromUcs4(&word[size_t(start + length - 1)], 1);
            const auto found = mIndex.constFind(piece);
            if (found == mIndex.cend())
                continue;
            Node &target = best[size_t(start + length)];
            const double candidate = here + mScores[size_t(found.value())];
            if (target.start < 0 || candidate > target.score)
                target = {found.value(), candidate, start};
            if (length == 1)
                singleCharacter = true;
        }
        if (!singleCharacter) {
            Node &target = best[size_t(start + 1)];
            const double candidate = here + unknownScore;
            if (target.start < 0 || candidate > target.score)
                target = {mUnknownId, candidate, start};
        }
    }
    if (mUnknownId < 0) {
        for (int end = n; end > 0; end = best[size_t(end)].start) {
            if (best[size_t(end)].id < 0)
                return {};  // a character no piece covers and no unknown token: nothing sensible to give
        }
    }

    // Back from the end; neighbouring unknown pieces become one, as tokenizers fuses them.
    std::vector<Piece> reversed;
    for (int end = n; end > 0;) {
        const Node &node = best[size_t(end)];
        if (node.id == mUnknownId && !reversed.empty() && reversed.back().id == mUnknownId && reversed.back().start == end)
            reversed.back().start = node.start;
        else
            reversed.push_back({node.id, node.start, end});
        end = node.start;
    }
    std::vector<Piece> pieces(reversed.rbegin(), reversed.rend());
    if (!mByteFallback)
        return pieces;
    std::vector<Piece> withBytes;
    for (const Piece &piece : pieces) {
        std::vector<qint64> bytes;
        if (piece.id == mUnknownId && mVocabulary->byteFallback(word.substr(size_t(piece.start), size_t(piece.end - piece.start)), &bytes)) {
            for (const qint64 byte : bytes)
                withBytes.push_back({byte, piece.start, piece.end});
        } else {
            withBytes.push_back(piece);
        }
    }
    return withBytes;
}

} // namespace kiln::tokenizers
