#pragma once

// SentencePiece .model files are read by Debian's libsentencepiece, in a plugin
// (libkiln_sentencepiece.so, core/tokenizers/sentencepieceplugin.cpp) that Kiln
// loads only when a .model is opened. Linked into Kiln, the library's own copies
// of symbols libc10 also defines (FLAGS_minloglevel among them, of another type)
// bound across the two and hung every TorchScript call; loaded on its own with
// RTLD_DEEPBIND, it keeps to its own. Only C types cross this line.

#include <cstddef>

namespace kiln::tokenizers {

struct SentencePieceApi
{
    int abi;
    // A model from a .model file, or null with a NUL-terminated message in `error`.
    void *(*load)(const char *path, char *error, size_t errorCapacity);
    void (*release)(void *model);
    int (*pieceCount)(void *model);
    // The piece's UTF-8 text (valid until the model is released), its length in *size.
    const char *(*idToPiece)(void *model, int id, size_t *size);
    // The piece's id, or -1 when the vocabulary lacks it.
    int (*pieceToId)(void *model, const char *piece, size_t size);
    bool (*isControl)(void *model, int id);
    int (*unknownId)(void *model);
    // Each piece of `text` in turn, with its [begin, end) in code points of `text`.
    // False with a message in `error` when sentencepiece refuses the text.
    bool (*encode)(void *model, const char *text, size_t size, void *context,
                   void (*piece)(void *context, int id, const char *piece, size_t pieceSize, unsigned begin, unsigned end),
                   char *error, size_t errorCapacity);
    // The text of `ids`, handed to `text` once; false with a message in `error`.
    bool (*decode)(void *model, const int *ids, size_t count, void *context,
                   void (*text)(void *context, const char *text, size_t size), char *error, size_t errorCapacity);
};

constexpr int kSentencePieceAbi = 1;
using SentencePieceEntry = const SentencePieceApi *(*)();
constexpr const char *kSentencePieceEntryName = "kiln_sentencepiece_plugin";

} // namespace kiln::tokenizers
