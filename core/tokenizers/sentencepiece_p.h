#pragma once

// A SentencePiece .model file, read by the SentencePiece plugin
// (sentencepieceplugin_p.h), which is loaded the first time one is opened.

#include <QList>
#include <QString>
#include <QtGlobal>

#include <memory>

namespace kiln::tokenizers {

struct SentencePieceApi;

class SentencePieceModel
{
public:
    struct Piece
    {
        qint64 id;
        QString piece;
        int start;  // [start, end) in code points of the text
        int end;
    };

    ~SentencePieceModel();
    // Null with *error set when the plugin is missing or sentencepiece refuses the file.
    static std::unique_ptr<SentencePieceModel> load(const QString &path, QString *error);

    QList<Piece> encode(const QString &text) const;
    QString decode(const QList<qint64> &ids) const;
    int size() const;
    qint64 pieceToId(const QString &piece) const;  // -1 when the vocabulary lacks it
    QString idToPiece(qint64 id) const;            // empty when out of range
    bool isControl(qint64 id) const;

private:
    SentencePieceModel(const SentencePieceApi *api, void *model);
    const SentencePieceApi *mApi;
    void *mModel;
};

} // namespace kiln::tokenizers
