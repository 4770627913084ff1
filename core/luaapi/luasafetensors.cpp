#include "luaapi/luaserialize_p.h"
#include "readers/modelfiles_p.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <string>
#include <vector>

// safetensors.save/load: the published format (a JSON header of names, dtypes,
// shapes and offsets, then the raw bytes), validated before any byte is used.

namespace kiln::lua {

namespace {

using modelfiles::kSafetensorsTypes;
using modelfiles::SafetensorsType;

int safetensorsSave(lua_State *L)
{
    const std::string path = luaL_checkstring(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    if (!lua_isnoneornil(L, 3))
        luaL_checktype(L, 3, LUA_TTABLE);
    return guarded(L, [&] {
        withPath("safetensors.save", path, [&] {
            std::vector<std::string> names;
            if (tableKeys(L, 2, names) != TableShape::Dict)
                fail("tensors must be a table of name = tensor");
            QJsonObject header;
            std::vector<at::Tensor> tensors;
            uint64_t offset = 0;
            for (const std::string &name : names) {
                lua_pushlstring(L, name.data(), name.size());
                lua_rawget(L, 2);
                std::optional<at::Tensor> tensor = testTensor(L, -1);
                lua_pop(L, 1);
                if (!tensor)
                    fail("'" + name + "' is not a tensor");
                if (name == "__metadata__")
                    fail("'__metadata__' is reserved");
                const char *dtype = nullptr;
                for (const SafetensorsType &entry : kSafetensorsTypes) {
                    if (entry.type == tensor->scalar_type())
                        dtype = entry.name;
                }
                if (!dtype)
                    fail("'" + name + "' has dtype " + c10::toString(tensor->scalar_type())
                         + ", which safetensors cannot store here");
                at::Tensor dense = tensor->detach().cpu().contiguous();
                QJsonArray shape;
                for (int64_t size : dense.sizes())
                    shape.append(qint64(size));
                const uint64_t nbytes = dense.nbytes();
                QJsonObject info;
                info.insert(QStringLiteral("dtype"), QString::fromLatin1(dtype));
                info.insert(QStringLiteral("shape"), shape);
                info.insert(QStringLiteral("data_offsets"), QJsonArray{qint64(offset), qint64(offset + nbytes)});
                header.insert(QString::fromStdString(name), info);
                offset += nbytes;
                tensors.push_back(std::move(dense));
            }
            if (lua_istable(L, 3)) {
                QJsonObject metadata;
                lua_pushnil(L);
                while (lua_next(L, 3)) {
                    if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING) {
                        lua_pop(L, 2);
                        fail("metadata must map strings to strings");
                    }
                    metadata.insert(QString::fromUtf8(lua_tostring(L, -2)), QString::fromUtf8(lua_tostring(L, -1)));
                    lua_pop(L, 1);
                }
                if (!metadata.isEmpty())
                    header.insert(QStringLiteral("__metadata__"), metadata);
            }
            QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
            // The data that follows starts 8-byte aligned, as the reference writer does.
            while (json.size() % 8 != 0)
                json.append(' ');
            std::string bytes(8, '\0');
            const uint64_t length = uint64_t(json.size());
            for (int i = 0; i < 8; ++i)
                bytes[size_t(i)] = char((length >> (8 * i)) & 0xFF);
            bytes.append(json.constData(), size_t(json.size()));
            bytes.reserve(bytes.size() + offset);
            for (const at::Tensor &tensor : tensors)
                bytes.append(static_cast<const char *>(tensor.data_ptr()), tensor.nbytes());
            writeAtomically(path, bytes);
        });
        return 0;
    });
}

int safetensorsLoad(lua_State *L)
{
    const std::string path = luaL_checkstring(L, 1);
    return guarded(L, [&] {
        std::vector<modelfiles::SafetensorsEntry> entries;
        std::vector<std::pair<std::string, std::string>> metadata;
        std::vector<at::Tensor> tensors = withPath("safetensors.load", path, [&] {
            QFile file(QString::fromStdString(path));
            if (!file.open(QIODevice::ReadOnly))
                fail("cannot open: " + file.errorString().toStdString());
            const modelfiles::SafetensorsHeader header = modelfiles::readSafetensorsHeader(file);
            const uint64_t headerSize = header.headerSize;
            entries = header.entries;
            metadata = header.metadata;
            std::vector<at::Tensor> result;
            for (const modelfiles::SafetensorsEntry &entry : entries) {
                at::Tensor tensor = at::empty(entry.shape, at::TensorOptions().dtype(entry.type));
                const qint64 nbytes = qint64(entry.end - entry.begin);
                if (!file.seek(qint64(8 + headerSize + entry.begin))
                    || file.read(static_cast<char *>(tensor.data_ptr()), nbytes) != nbytes)
                    fail("cannot read tensor '" + entry.name + "'");
                result.push_back(std::move(tensor));
            }
            return result;
        });
        pushOrderedTable(L);
        for (size_t i = 0; i < entries.size(); ++i) {
            lua_pushlstring(L, entries[i].name.data(), entries[i].name.size());
            pushTensor(L, tensors[i]);
            lua_settable(L, -3);
        }
        lua_createtable(L, 0, int(metadata.size()));
        for (const auto &entry : metadata) {
            lua_pushlstring(L, entry.first.data(), entry.first.size());
            lua_pushlstring(L, entry.second.data(), entry.second.size());
            lua_rawset(L, -3);
        }
        return 2;
    });
}

const luaL_Reg kSafetensorsFunctions[] = {
    {"save", safetensorsSave},
    {"load", safetensorsLoad},
    {nullptr, nullptr}};

} // namespace

void registerSafetensors(lua_State *L)
{
    lua_newtable(L);
    luaL_setfuncs(L, kSafetensorsFunctions, 0);
    lua_setglobal(L, "safetensors");
}

} // namespace kiln::lua
