// The SentencePiece plugin (see sentencepieceplugin_p.h): sentencepiece's
// processor behind a table of C functions. Plain C++, no Qt.
#include "tokenizers/sentencepieceplugin_p.h"

#include <sentencepiece_processor.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace {

using kiln::tokenizers::SentencePieceApi;

void copyMessage(const std::string &message, char *error, size_t capacity)
{
    if (!error || capacity == 0)
        return;
    const size_t size = std::min(message.size(), capacity - 1);
    std::memcpy(error, message.data(), size);
    error[size] = '\0';
}

sentencepiece::SentencePieceProcessor *processor(void *model)
{
    return static_cast<sentencepiece::SentencePieceProcessor *>(model);
}

void *load(const char *path, char *error, size_t errorCapacity)
{
    try {
        auto model = std::make_unique<sentencepiece::SentencePieceProcessor>();
        const sentencepiece::util::Status status = model->Load(path);
        if (!status.ok()) {
            copyMessage(status.ToString(), error, errorCapacity);
            return nullptr;
        }
        return model.release();
    } catch (const std::exception &e) {
        copyMessage(e.what(), error, errorCapacity);
        return nullptr;
    }
}

void release(void *model)
{
    delete processor(model);
}

int pieceCount(void *model)
{
    return processor(model)->GetPieceSize();
}

const char *idToPiece(void *model, int id, size_t *size)
{
    if (id < 0 || id >= processor(model)->GetPieceSize()) {
        *size = 0;
        return "";
    }
    const std::string &piece = processor(model)->IdToPiece(id);
    *size = piece.size();
    return piece.data();
}

int pieceToId(void *model, const char *piece, size_t size)
{
    const std::string text(piece, size);
    const int id = processor(model)->PieceToId(text);
    // sentencepiece answers the unknown piece's id for any piece it lacks.
    if (id == processor(model)->unk_id() && processor(model)->IdToPiece(id) != text)
        return -1;
    return id;
}

bool isControl(void *model, int id)
{
    return id >= 0 && id < processor(model)->GetPieceSize() && processor(model)->IsControl(id);
}

int unknownId(void *model)
{
    return processor(model)->unk_id();
}

bool encode(void *model, const char *text, size_t size, void *context,
            void (*piece)(void *context, int id, const char *piece, size_t pieceSize, unsigned begin, unsigned end),
            char *error, size_t errorCapacity)
{
    try {
        sentencepiece::ImmutableSentencePieceText pieces;
        const sentencepiece::util::Status status = processor(model)->Encode(std::string_view(text, size), pieces.mutable_proto());
        if (!status.ok()) {
            copyMessage(status.ToString(), error, errorCapacity);
            return false;
        }
        pieces.ConvertToUnicodeSpans();
        for (size_t i = 0; i < pieces.pieces_size(); ++i) {
            const auto one = pieces.pieces(int(i));
            piece(context, int(one.id()), one.piece().data(), one.piece().size(), one.begin(), one.end());
        }
        return true;
    } catch (const std::exception &e) {
        copyMessage(e.what(), error, errorCapacity);
        return false;
    }
}

bool decode(void *model, const int *ids, size_t count, void *context, void (*text)(void *context, const char *text, size_t size),
            char *error, size_t errorCapacity)
{
    try {
        const std::vector<int> list(ids, ids + count);
        const int size = processor(model)->GetPieceSize();
        for (const int id : list) {
            if (id < 0 || id >= size) {
                copyMessage("id " + std::to_string(id) + " is not in the vocabulary of " + std::to_string(size), error, errorCapacity);
                return false;
            }
        }
        std::string decoded;
        const sentencepiece::util::Status status = processor(model)->Decode(list, &decoded);
        if (!status.ok()) {
            copyMessage(status.ToString(), error, errorCapacity);
            return false;
        }
        text(context, decoded.data(), decoded.size());
        return true;
    } catch (const std::exception &e) {
        copyMessage(e.what(), error, errorCapacity);
        return false;
    }
}

const SentencePieceApi api{
    kiln::tokenizers::kSentencePieceAbi, load, release, pieceCount, idToPiece, pieceToId, isControl, unknownId, encode, decode,
};

} // namespace

extern "C" __attribute__((visibility("default"))) const SentencePieceApi *kiln_sentencepiece_plugin()
{
    return &api;
}
