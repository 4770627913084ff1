#pragma once

// Internal to core's data sources (data.*, datasets.*, image.*): interruption
// of long C++ work, option reading and the Lua functions each file defines,
// which openData (luadata.cpp) registers. Includes torch; never include this
// from ui/.
#include "luaapi/luatensor_p.h"

#include <QString>
#include <QStringList>

#include <stdexcept>
#include <string>

namespace kiln::lua {

// Thrown by pollInterrupt inside protect(): unwinds the C++ frames of a long
// job before the session's interrupt error is raised.
struct Interrupted
{
};

// Errors raised inside protect() blocks; the message ends up as the Lua error.
[[noreturn]] void fail(const QString &message);

// guarded() plus interruption: Interrupted thrown from inside becomes the
// session's interrupt error once no C++ object is left alive.
template<typename Function>
int protect(lua_State *L, Function &&function)
{
    bool interrupted = false;
    {
        std::string message;
        try {
            return function();
        } catch (const Interrupted &) {
            interrupted = true;
        } catch (const std::exception &) {
            message = exceptionMessage();
        }
        if (!interrupted)
            lua_pushlstring(L, message.data(), message.size());
    }
    if (interrupted) {
        checkInterrupted(L);
        lua_pushliteral(L, "interrupted");
    }
    return lua_error(L);
}

// True when the user asked to stop; the check's error is caught here so that
// C++ callers can unwind normally.
bool interruptRequested(lua_State *L);
// Throws Interrupted when the user asked to stop.
void pollInterrupt(lua_State *L);

void pushString(lua_State *L, const QString &text);
void pushStringArray(lua_State *L, const QStringList &list);
// "[2, 3]"
QString shapeText(const at::Tensor &tensor);

// The options table at `index`, or 0 when absent; anything else is an argument error.
int optionsIndex(lua_State *L, int index);
// Pushes option `name` (nil when absent) and returns its stack index; it stays
// on the stack for the rest of the call, so strings read from it stay valid
// and no C++ object is needed to hold them.
int pushOption(lua_State *L, int options, const char *name, int type, const char *expected);
// An array of strings at `index` (already known to be a table): each entry checked.
void checkStringArray(lua_State *L, int index, const char *what);
QStringList toStringList(lua_State *L, int index);
// 'a', 'b', 'c'
QString columnList(const QStringList &columns);

// data.read_csv, data.write_csv (luadatacsv.cpp)
int dataReadCsv(lua_State *L);
int dataWriteCsv(lua_State *L);
int dataCsvReport(lua_State *L);
// data.load_npy, data.load_npz (luanpy.cpp)
int dataLoadNpy(lua_State *L);
int dataLoadNpz(lua_State *L);
// datasets.fashion_mnist, datasets.mnist (luaidxdatasets.cpp)
int datasetsFashionMnist(lua_State *L);
int datasetsMnist(lua_State *L);
// image.*, datasets.image_folder (luaimage.cpp)
int imageLoad(lua_State *L);
int imageSave(lua_State *L);
int imageResize(lua_State *L);
int imageNormalize(lua_State *L);
int imageToGrayscale(lua_State *L);
int datasetsImageFolder(lua_State *L);
// The natives of data.batches and data.split (luabatches.cpp), and the
// metatable of the iterator state data._batches returns.
int dataBatches(lua_State *L);
int dataPermutation(lua_State *L);
int dataTake(lua_State *L);
void registerBatchState(lua_State *L);

} // namespace kiln::lua
