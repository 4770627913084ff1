#include "tokenizers/sentencepiece_p.h"

#include "pluginpath.h"
#include "tokenizers/sentencepieceplugin_p.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <dlfcn.h>

#include <vector>

// GCC says so with __SANITIZE_ADDRESS__, clang with __has_feature.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KILN_HAS_ADDRESS_SANITIZER 1
#endif
#endif
#ifndef KILN_HAS_ADDRESS_SANITIZER
#define KILN_HAS_ADDRESS_SANITIZER 0
#endif

namespace kiln::tokenizers {

namespace {

struct PluginLoad
{
    const SentencePieceApi *api = nullptr;
    QString error;
};

#ifndef KILN_SENTENCEPIECE_PLUGIN_BUILD_PATH
#define KILN_SENTENCEPIECE_PLUGIN_BUILD_PATH ""  // an installed Kiln looks beside itself only
#endif

PluginLoad loadPlugin()
{
    const QString path = findPlugin(QStringLiteral("libkiln_sentencepiece.so"), "KILN_SENTENCEPIECE_PLUGIN",
                                    QStringLiteral(KILN_SENTENCEPIECE_PLUGIN_BUILD_PATH));
    if (path.isEmpty())
        return {nullptr, QStringLiteral("this Kiln was built without SentencePiece (Debian's libsentencepiece-dev); "
                                        "use the model's tokenizer.json instead")};
    // RTLD_DEEPBIND: the library binds to its own symbols before libc10's (see
    // sentencepieceplugin_p.h). AddressSanitizer cannot have it: the library's
    // own operator new and the sanitizer's operator delete would meet. Without
    // it, the library's 32-byte FLAGS_minloglevel would land on libc10's 4-byte
    // one, so a sanitizer build goes without .model files rather than corrupt memory.
#if defined(__SANITIZE_ADDRESS__) || KILN_HAS_ADDRESS_SANITIZER
    return {nullptr, QStringLiteral("SentencePiece .model files are not read in sanitizer builds "
                                    "(AddressSanitizer cannot load a library with RTLD_DEEPBIND)")};
#endif
    void *handle = dlopen(QFile::encodeName(path).constData(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
    if (!handle) {
        const char *why = dlerror();
        return {nullptr, QStringLiteral("the SentencePiece plugin did not load: %1").arg(QString::fromLocal8Bit(why ? why : "unknown error"))};
    }
    auto entry = reinterpret_cast<SentencePieceEntry>(dlsym(handle, kSentencePieceEntryName));
    const SentencePieceApi *api = entry ? entry() : nullptr;
    if (!api || api->abi != kSentencePieceAbi)
        return {nullptr, QStringLiteral("%1 does not match this Kiln").arg(path)};
    return {api, QString()};
}

const PluginLoad &plugin()
{
    static const PluginLoad loaded = loadPlugin();
    return loaded;
}

} // namespace

SentencePieceModel::SentencePieceModel(const SentencePieceApi *api, void *model)
    : mApi(api)
    , mModel(model)
{
}

SentencePieceModel::~SentencePieceModel()
{
    mApi->release(mModel);
}

std::unique_ptr<SentencePieceModel> SentencePieceModel::load(const QString &path, QString *error)
{
    const PluginLoad &loaded = plugin();
    if (!loaded.api) {
        *error = loaded.error;
        return nullptr;
    }
    char message[512] = {};
    void *model = loaded.api->load(QFile::encodeName(path).constData(), message, sizeof message);
    if (!model) {
        // sentencepiece's messages lead with its source file and failed check.
        QString why = QString::fromUtf8(message);
        why.remove(QRegularExpression(QStringLiteral("^\\w+: \\S+\\(\\d+\\) \\[.*\\] ?")));
        *error = QStringLiteral("%1 is not a SentencePiece model (%2)")
                     .arg(QFileInfo(path).fileName(), why.trimmed().isEmpty() ? QStringLiteral("sentencepiece cannot parse it") : why.trimmed());
        return nullptr;
    }
    return std::unique_ptr<SentencePieceModel>(new SentencePieceModel(loaded.api, model));
}

QList<SentencePieceModel::Piece> SentencePieceModel::encode(const QString &text) const
{
    QList<Piece> pieces;
    const QByteArray utf8 = text.toUtf8();
    char message[512] = {};
    const auto collect = [](void *context, int id, const char *piece, size_t size, unsigned begin, unsigned end) {
        static_cast<QList<Piece> *>(context)->append({id, QString::fromUtf8(piece, qsizetype(size)), int(begin), int(end)});
    };
    // A QString is always valid UTF-8 once converted, which is all sentencepiece refuses.
    if (!mApi->encode(mModel, utf8.constData(), size_t(utf8.size()), &pieces, collect, message, sizeof message))
        pieces.clear();
    return pieces;
}

QString SentencePieceModel::decode(const QList<qint64> &ids) const
{
    std::vector<int> list;
    list.reserve(size_t(ids.size()));
    const int pieces = size();
    for (const qint64 id : ids) {
        if (id >= 0 && id < pieces)  // as decode() does for tokenizer.json: ids past the vocabulary are left out
            list.push_back(int(id));
    }
    QString text;
    char message[512] = {};
    const auto collect = [](void *context, const char *utf8, size_t size) { *static_cast<QString *>(context) = QString::fromUtf8(utf8, qsizetype(size)); };
    mApi->decode(mModel, list.data(), list.size(), &text, collect, message, sizeof message);
    return text;
}

int SentencePieceModel::size() const
{
    return mApi->pieceCount(mModel);
}

qint64 SentencePieceModel::pieceToId(const QString &piece) const
{
    const QByteArray utf8 = piece.toUtf8();
    return mApi->pieceToId(mModel, utf8.constData(), size_t(utf8.size()));
}

QString SentencePieceModel::idToPiece(qint64 id) const
{
    if (id < 0 || id >= size())
        return QString();
    size_t length = 0;
    const char *piece = mApi->idToPiece(mModel, int(id), &length);
    return QString::fromUtf8(piece, qsizetype(length));
}

bool SentencePieceModel::isControl(qint64 id) const
{
    return id >= 0 && id < size() && mApi->isControl(mModel, int(id));
}

} // namespace kiln::tokenizers
