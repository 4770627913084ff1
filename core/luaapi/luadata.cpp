#include "luaapi/luadata_p.h"

// The data part of the torch Lua API: data.read_csv/write_csv, datasets.*,
// image.*, and the natives behind data.batches/data.split (kiln/data.lua).
// Work that may be long (parsing, decompressing, decoding) runs in C++ and
// polls the session's interrupt through a protected call, so a stop request
// unwinds the C++ frames by exception before Lua raises the interrupt.
//
// This file holds what they share and openData; CSV, IDX datasets, images and
// batching have files of their own (luadata_p.h lists them).

namespace kiln::lua {

[[noreturn]] void fail(const QString &message)
{
    throw std::runtime_error(message.toStdString());
}

namespace {

int probeInterrupt(lua_State *L)
{
    checkInterrupted(L);
    return 0;
}

} // namespace

bool interruptRequested(lua_State *L)
{
    lua_pushcfunction(L, probeInterrupt);
    if (lua_pcall(L, 0, 0, 0) == LUA_OK)
        return false;
    lua_pop(L, 1);
    return true;
}

void pollInterrupt(lua_State *L)
{
    if (interruptRequested(L))
        throw Interrupted();
}

void pushString(lua_State *L, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    lua_pushlstring(L, utf8.constData(), size_t(utf8.size()));
}

void pushStringArray(lua_State *L, const QStringList &list)
{
    lua_createtable(L, int(list.size()), 0);
    for (qsizetype i = 0; i < list.size(); ++i) {
        pushString(L, list.at(i));
        lua_rawseti(L, -2, lua_Integer(i + 1));
    }
}

QString shapeText(const at::Tensor &tensor)
{
    QStringList sizes;
    for (int64_t size : tensor.sizes())
        sizes.append(QString::number(size));
    return QLatin1Char('[') + sizes.join(QLatin1String(", ")) + QLatin1Char(']');
}

int optionsIndex(lua_State *L, int index)
{
    if (lua_isnoneornil(L, index))
        return 0;
    luaL_checktype(L, index, LUA_TTABLE);
    return lua_absindex(L, index);
}

int pushOption(lua_State *L, int options, const char *name, int type, const char *expected)
{
    if (options == 0)
        lua_pushnil(L);
    else
        lua_getfield(L, options, name);
    if (!lua_isnil(L, -1) && lua_type(L, -1) != type)
        luaL_error(L, "option '%s' must be %s, got %s", name, expected, luaL_typename(L, -1));
    return lua_gettop(L);
}

void checkStringArray(lua_State *L, int index, const char *what)
{
    const lua_Integer n = luaL_len(L, index);
    for (lua_Integer i = 1; i <= n; ++i) {
        if (lua_rawgeti(L, index, i) != LUA_TSTRING)
            luaL_error(L, "%s: entry %d must be a string, got %s", what, int(i), luaL_typename(L, -1));
        lua_pop(L, 1);
    }
}

QStringList toStringList(lua_State *L, int index)
{
    QStringList list;
    const lua_Integer n = luaL_len(L, index);
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_rawgeti(L, index, i);
        list.append(QString::fromUtf8(lua_tostring(L, -1)));
        lua_pop(L, 1);
    }
    return list;
}

QString columnList(const QStringList &columns)
{
    QStringList quoted;
    for (const QString &column : columns)
        quoted.append(QLatin1Char('\'') + column + QLatin1Char('\''));
    return quoted.join(QLatin1String(", "));
}

namespace {

const luaL_Reg kDataFunctions[] = {
    {"read_csv", dataReadCsv},
    {"write_csv", dataWriteCsv},
    {"_csv_report", dataCsvReport},
    {"load_npy", dataLoadNpy},
    {"load_npz", dataLoadNpz},
    {"_batches", dataBatches},
    {"_permutation", dataPermutation},
    {"_take", dataTake},
    {nullptr, nullptr}};

const luaL_Reg kDatasetsFunctions[] = {
    {"fashion_mnist", datasetsFashionMnist},
    {"mnist", datasetsMnist},
    {"image_folder", datasetsImageFolder},
    {nullptr, nullptr}};

const luaL_Reg kImageFunctions[] = {
    {"load", imageLoad},
    {"save", imageSave},
    {"resize", imageResize},
    {"normalize", imageNormalize},
    {"to_grayscale", imageToGrayscale},
    {nullptr, nullptr}};

} // namespace

void openData(lua_State *L)
{
    registerBatchState(L);

    lua_newtable(L);
    luaL_setfuncs(L, kDataFunctions, 0);
    lua_setglobal(L, "data");
    lua_newtable(L);
    luaL_setfuncs(L, kDatasetsFunctions, 0);
    lua_setglobal(L, "datasets");
    lua_newtable(L);
    luaL_setfuncs(L, kImageFunctions, 0);
    lua_setglobal(L, "image");
}

} // namespace kiln::lua
