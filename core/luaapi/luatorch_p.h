#pragma once

// Internal to core: opening the torch Lua API in a session. Includes Lua only;
// torch stays in the .cpp files.
#include <lua.hpp>

#include <QJsonObject>

namespace kiln {

struct OutputItem;

// What the torch API needs from the session that hosts it.
struct TorchHooks
{
    // Raises the session's interrupt error when the user asked to stop; returns otherwise.
    void (*checkInterrupt)(lua_State *L) = nullptr;
    // Whether the user asked to stop, without raising: for native work that must
    // wind down first (a download closes its file).
    bool (*isInterrupted)(lua_State *L) = nullptr;
    // Appends an item (plot, table, image) to the running cell's output.
    void (*emit)(lua_State *L, const OutputItem &item) = nullptr;
};

// Registers the native parts of the torch API (torch, F, safetensors, data,
// datasets, image, and the natives of plot/show) as globals in L. The Lua parts
// (nn, optim, data.batches, ...) come from require("kiln.prelude") afterwards.
void openTorch(lua_State *L, const TorchHooks &hooks);

namespace lua {
// json.decode/encode/load (luajson.cpp): torch-free, opened by openTorch.
void openJson(lua_State *L);
} // namespace lua

// Around each evaluation: live plots start afresh, and points still pending
// when the cell ends are delivered before its result.
void beginTorchEvaluation(lua_State *L);
void endTorchEvaluation(lua_State *L);

// What the window can show about a displayed value besides its text: for a
// tensor {"tensor": {shape, dtype, requires_grad, values (small 1-D/2-D),
// png (image-shaped)}}; empty for anything else.
QJsonObject describeTorchValue(lua_State *L, int index);

} // namespace kiln
