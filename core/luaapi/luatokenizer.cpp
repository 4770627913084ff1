#include "luaapi/luatensor_p.h"

#include "tokenizers/tokenizer.h"

// tokenizers: Hugging Face tokenizers from tokenizer.json, as Python's
// `tokenizers` spells them, and a call that returns a batch as tensors, as
// transformers' tokenizers do.

namespace kiln::lua {

namespace {

constexpr const char *kTokenizerType = "kiln.Tokenizer";

Tokenizer *checkTokenizer(lua_State *L, int index)
{
    auto *slot = static_cast<Tokenizer **>(luaL_checkudata(L, index, kTokenizerType));
    if (!*slot)
        luaL_error(L, "the tokenizer was freed");
    return *slot;
}

QString text(lua_State *L, int index)
{
    size_t length = 0;
    const char *data = luaL_checklstring(L, index, &length);
    return QString::fromUtf8(data, qsizetype(length));
}

bool optionBool(lua_State *L, int options, const char *name, bool fallback)
{
    if (options == 0)
        return fallback;
    lua_getfield(L, options, name);
    const bool value = lua_isnil(L, -1) ? fallback : lua_toboolean(L, -1);
    lua_pop(L, 1);
    return value;
}

void pushIntegers(lua_State *L, const QList<qint64> &values)
{
    lua_createtable(L, int(values.size()), 0);
    for (int i = 0; i < values.size(); ++i) {
        lua_pushinteger(L, values.at(i));
        lua_rawseti(L, -2, i + 1);
    }
}

void pushEncoding(lua_State *L, const Encoding &encoding)
{
    lua_createtable(L, 0, 6);
    pushIntegers(L, encoding.ids);
    lua_setfield(L, -2, "ids");
    pushIntegers(L, encoding.typeIds);
    lua_setfield(L, -2, "type_ids");
    pushIntegers(L, encoding.attentionMask);
    lua_setfield(L, -2, "attention_mask");
    pushIntegers(L, encoding.specialTokensMask);
    lua_setfield(L, -2, "special_tokens_mask");
    lua_createtable(L, int(encoding.tokens.size()), 0);
    for (int i = 0; i < encoding.tokens.size(); ++i) {
        lua_pushstring(L, encoding.tokens.at(i).toUtf8().constData());
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "tokens");
    // Offsets as Python gives them: [start, end) in code points, from 0.
    lua_createtable(L, int(encoding.offsets.size()), 0);
    for (int i = 0; i < encoding.offsets.size(); ++i) {
        lua_createtable(L, 2, 0);
        lua_pushinteger(L, encoding.offsets.at(i).first);
        lua_rawseti(L, -2, 1);
        lua_pushinteger(L, encoding.offsets.at(i).second);
        lua_rawseti(L, -2, 2);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "offsets");
}

// tokenizers.from_file(path) -> a tokenizer
int fromFile(lua_State *L)
{
    const QString path = text(L, 1);
    QString error;
    std::unique_ptr<Tokenizer> tokenizer = Tokenizer::fromFile(path, &error);
    if (!tokenizer)
        return luaL_error(L, "tokenizers.from_file: %s", error.toUtf8().constData());
    auto *slot = static_cast<Tokenizer **>(lua_newuserdatauv(L, sizeof(Tokenizer *), 0));
    *slot = tokenizer.release();
    luaL_setmetatable(L, kTokenizerType);
    return 1;
}

int release(lua_State *L)
{
    auto *slot = static_cast<Tokenizer **>(luaL_checkudata(L, 1, kTokenizerType));
    delete *slot;
    *slot = nullptr;
    return 0;
}

// tok:encode(text, pair?, {add_special_tokens})
int encode(lua_State *L)
{
    Tokenizer *tokenizer = checkTokenizer(L, 1);
    const QString first = text(L, 2);
    const bool hasPair = lua_type(L, 3) == LUA_TSTRING;
    const int options = lua_istable(L, hasPair ? 4 : 3) ? (hasPair ? 4 : 3) : 0;
    const bool special = optionBool(L, options, "add_special_tokens", true);
    pushEncoding(L, hasPair ? tokenizer->encodePair(first, text(L, 3), special) : tokenizer->encode(first, special));
    return 1;
}

QStringList texts(lua_State *L, int index)
{
    QStringList list;
    if (lua_type(L, index) == LUA_TSTRING)
        return {text(L, index)};
    luaL_checktype(L, index, LUA_TTABLE);
    const lua_Integer n = luaL_len(L, index);
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_rawgeti(L, index, i);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "texts must be strings (item %d is a %s)", int(i), luaL_typename(L, -1));
        list.append(text(L, -1));
        lua_pop(L, 1);
    }
    return list;
}

// tok:encode_batch(texts, {add_special_tokens}) -> encodings, padded as set
int encodeBatch(lua_State *L)
{
    Tokenizer *tokenizer = checkTokenizer(L, 1);
    const QStringList list = texts(L, 2);
    const bool special = optionBool(L, lua_istable(L, 3) ? 3 : 0, "add_special_tokens", true);
    const QList<Encoding> encodings = tokenizer->encodeBatch(list, special);
    lua_createtable(L, int(encodings.size()), 0);
    for (int i = 0; i < encodings.size(); ++i) {
        pushEncoding(L, encodings.at(i));
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

// tok(texts, {padding = true|"max_length"|false, truncation = true|false,
// max_length, add_special_tokens}) -> {input_ids, attention_mask,
// token_type_ids} as int64 [B, T] tensors, as transformers' tokenizers return.
int call(lua_State *L)
{
    Tokenizer *tokenizer = checkTokenizer(L, 1);
    const QStringList list = texts(L, 2);
    if (list.isEmpty())
        return luaL_error(L, "tokenizer: no texts");
    const int options = lua_istable(L, 3) ? 3 : 0;
    const bool special = optionBool(L, options, "add_special_tokens", true);
    int maxLength = tokenizer->truncationLength() > 0 ? tokenizer->truncationLength() : 512;
    bool truncation = true;
    Tokenizer::Padding padding = Tokenizer::Padding::Longest;
    if (options) {
        if (lua_getfield(L, options, "max_length") != LUA_TNIL)
            maxLength = int(luaL_checkinteger(L, -1));
        lua_pop(L, 1);
        if (lua_getfield(L, options, "truncation") != LUA_TNIL)
            truncation = lua_toboolean(L, -1);
        lua_pop(L, 1);
        const int type = lua_getfield(L, options, "padding");
        if (type == LUA_TBOOLEAN && !lua_toboolean(L, -1))
            padding = Tokenizer::Padding::None;
        else if (type == LUA_TSTRING && QLatin1String(lua_tostring(L, -1)) == QLatin1String("max_length"))
            padding = Tokenizer::Padding::Fixed;
        lua_pop(L, 1);
    }
    if (maxLength < 1)
        return luaL_error(L, "tokenizer: max_length must be at least 1");
    // This call's settings, then the file's again.
    const int savedLength = tokenizer->truncationLength();
    const Tokenizer::Padding savedPadding = tokenizer->padding();
    const int savedPadLength = tokenizer->paddingLength();
    tokenizer->setTruncation(truncation ? maxLength : 0);
    tokenizer->setPadding(padding, maxLength);
    const QList<Encoding> encodings = tokenizer->encodeBatch(list, special);
    tokenizer->setTruncation(savedLength);
    tokenizer->setPadding(savedPadding, savedPadLength);
    const int64_t rows = encodings.size();
    const int64_t columns = encodings.constFirst().size();
    for (const Encoding &encoding : encodings) {
        if (encoding.size() != columns)
            return luaL_error(L, "tokenizer: the texts have different lengths; pad them (padding = true) to make one tensor");
    }
    at::Tensor ids = at::empty({rows, columns}, at::kLong);
    at::Tensor mask = at::empty({rows, columns}, at::kLong);
    at::Tensor types = at::empty({rows, columns}, at::kLong);
    for (int64_t r = 0; r < rows; ++r) {
        const Encoding &encoding = encodings.at(r);
        std::copy(encoding.ids.cbegin(), encoding.ids.cend(), ids[r].data_ptr<int64_t>());
        std::copy(encoding.attentionMask.cbegin(), encoding.attentionMask.cend(), mask[r].data_ptr<int64_t>());
        std::copy(encoding.typeIds.cbegin(), encoding.typeIds.cend(), types[r].data_ptr<int64_t>());
    }
    lua_createtable(L, 0, 3);
    pushTensor(L, ids);
    lua_setfield(L, -2, "input_ids");
    pushTensor(L, mask);
    lua_setfield(L, -2, "attention_mask");
    pushTensor(L, types);
    lua_setfield(L, -2, "token_type_ids");
    return 1;
}

QList<qint64> idList(lua_State *L, int index)
{
    QList<qint64> ids;
    if (lua_isuserdata(L, index)) {
        const at::Tensor tensor = checkTensor(L, index).to(at::kLong).reshape(-1).contiguous().cpu();
        ids = QList<qint64>(tensor.data_ptr<int64_t>(), tensor.data_ptr<int64_t>() + tensor.numel());
        return ids;
    }
    luaL_checktype(L, index, LUA_TTABLE);
    for (lua_Integer i = 1, n = luaL_len(L, index); i <= n; ++i) {
        lua_rawgeti(L, index, i);
        ids.append(luaL_checkinteger(L, -1));
        lua_pop(L, 1);
    }
    return ids;
}

// tok:decode(ids, {skip_special_tokens})
int decode(lua_State *L)
{
    Tokenizer *tokenizer = checkTokenizer(L, 1);
    const QList<qint64> ids = idList(L, 2);
    const bool skip = optionBool(L, lua_istable(L, 3) ? 3 : 0, "skip_special_tokens", true);
    const QByteArray decoded = tokenizer->decode(ids, skip).toUtf8();
    lua_pushlstring(L, decoded.constData(), size_t(decoded.size()));
    return 1;
}

int tokenToId(lua_State *L)
{
    const qint64 id = checkTokenizer(L, 1)->tokenToId(text(L, 2));
    if (id < 0)
        lua_pushnil(L);
    else
        lua_pushinteger(L, id);
    return 1;
}

int idToToken(lua_State *L)
{
    const QString token = checkTokenizer(L, 1)->idToToken(luaL_checkinteger(L, 2));
    if (token.isEmpty())
        lua_pushnil(L);
    else
        lua_pushstring(L, token.toUtf8().constData());
    return 1;
}

int vocabSize(lua_State *L)
{
    lua_pushinteger(L, checkTokenizer(L, 1)->vocabSize());
    return 1;
}

int toString(lua_State *L)
{
    lua_pushfstring(L, "Tokenizer(vocab_size=%d)", checkTokenizer(L, 1)->vocabSize());
    return 1;
}

const luaL_Reg kMethods[] = {
    {"encode", encode},
    {"encode_batch", encodeBatch},
    {"decode", decode},
    {"token_to_id", tokenToId},
    {"id_to_token", idToToken},
    {"vocab_size", vocabSize},
    {nullptr, nullptr}};

const luaL_Reg kFunctions[] = {{"from_file", fromFile}, {nullptr, nullptr}};

} // namespace

void openTokenizers(lua_State *L)
{
    luaL_newmetatable(L, kTokenizerType);
    luaL_newlib(L, kMethods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, release);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, call);
    lua_setfield(L, -2, "__call");
    lua_pushcfunction(L, toString);
    lua_setfield(L, -2, "__tostring");
    lua_pushstring(L, "Tokenizer");
    lua_setfield(L, -2, "__name");
    lua_pop(L, 1);
    luaL_newlib(L, kFunctions);
    lua_setglobal(L, "tokenizers");
}

} // namespace kiln::lua
