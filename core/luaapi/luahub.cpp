#include "luaapi/luatensor_p.h"

#include "document/outputitem.h"
#include "hub/hubcache.h"
#include "hub/hubclient.h"


// hub: models from the Hugging Face Hub, in its own cache layout.

namespace kiln::lua {

namespace {

QString text(lua_State *L, int index)
{
    return QString::fromUtf8(lua_tostring(L, index));
}

// hub.download(repo, {revision, files, token}) -> the snapshot folder
int hubDownload(lua_State *L)
{
    const QString repo = QString::fromUtf8(luaL_checkstring(L, 1));
    HubClient::Options options;
    if (lua_istable(L, 2)) {
        if (lua_getfield(L, 2, "revision") != LUA_TNIL)
            options.revision = QString::fromUtf8(luaL_checkstring(L, -1));
        lua_pop(L, 1);
        if (lua_getfield(L, 2, "token") != LUA_TNIL)
            options.token = QString::fromUtf8(luaL_checkstring(L, -1));
        lua_pop(L, 1);
        const int type = lua_getfield(L, 2, "files");
        if (type == LUA_TSTRING) {
            options.files.append(text(L, -1));
        } else if (type == LUA_TTABLE) {
            for (lua_Integer i = 1, n = luaL_len(L, -1); i <= n; ++i) {
                lua_rawgeti(L, -1, i);
                if (!lua_isstring(L, -1))
                    return luaL_error(L, "hub.download: option 'files' must be names or patterns");
                options.files.append(text(L, -1));
                lua_pop(L, 1);
            }
        } else if (type != LUA_TNIL) {
            return luaL_error(L, "hub.download: option 'files' must be a name, a pattern or an array of them");
        }
        lua_pop(L, 1);
    }

    // Progress straight into the cell's output (the sink never raises, so
    // nothing unwinds through the client's event loop).
    HubClient client;
    client.setProgress(HubClient::progressLines([L](const QString &line) { emitOutput(L, OutputItem::makeText(line)); }));
    client.setCancelled([L] { return isInterrupted(L); });
    QString error;
    const QString snapshot = client.download(repo, options, &error);
    if (client.wasCancelled())
        checkInterrupted(L);
    if (snapshot.isEmpty())
        return luaL_error(L, "hub.download: %s", error.toUtf8().constData());
    lua_pushstring(L, snapshot.toUtf8().constData());
    return 1;
}

// hub.cached() -> {{repo, path, bytes, refs, snapshots}, ...}
int hubCached(lua_State *L)
{
    const QList<HubCache::CachedRepo> repos = HubCache::list();
    lua_createtable(L, int(repos.size()), 0);
    for (int i = 0; i < repos.size(); ++i) {
        const HubCache::CachedRepo &repo = repos.at(i);
        lua_createtable(L, 0, 5);
        lua_pushstring(L, repo.repo.toUtf8().constData());
        lua_setfield(L, -2, "repo");
        lua_pushstring(L, repo.path.toUtf8().constData());
        lua_setfield(L, -2, "path");
        lua_pushinteger(L, repo.bytes);
        lua_setfield(L, -2, "bytes");
        lua_createtable(L, int(repo.refs.size()), 0);
        for (int r = 0; r < repo.refs.size(); ++r) {
            lua_pushstring(L, repo.refs.at(r).toUtf8().constData());
            lua_rawseti(L, -2, r + 1);
        }
        lua_setfield(L, -2, "refs");
        lua_pushinteger(L, repo.snapshots);
        lua_setfield(L, -2, "snapshots");
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

// hub.cache_dir() -> the cache folder
int hubCacheDir(lua_State *L)
{
    lua_pushstring(L, HubCache::directory().toUtf8().constData());
    return 1;
}

const luaL_Reg kHubFunctions[] = {
    {"download", hubDownload},
    {"cached", hubCached},
    {"cache_dir", hubCacheDir},
    {nullptr, nullptr}};

} // namespace

void openHub(lua_State *L)
{
    luaL_newlib(L, kHubFunctions);
    lua_setglobal(L, "hub");
}

} // namespace kiln::lua
