#pragma once

// Internal to core's torch sources (compiled with QT_NO_KEYWORDS and the torch
// precompiled header): how a Lua value holds an at::Tensor, shared by every file
// that binds part of the torch Lua API. Never include this from ui/.
#include "luaapi/exceptionmessage.h"

#include <torch/torch.h>

#include <lua.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kiln {

struct OutputItem;

namespace lua {

// A tensor userdata: one at::Tensor (a refcounted pointer) plus whether the
// value was made with nn.Parameter, which modules use to register it. Its
// __gc (and __close) only resets the handle and sets `freed`: Lua 5.4 can hand
// a finalized userdata back to Lua code (another object's finalizer may store
// it), so a freed box stays a valid object that raises "Tensor used after it
// was freed" when used, and finalizing it twice is harmless.
struct TensorBox
{
    at::Tensor tensor;
    bool isParameter = false;
    bool freed = false;
};

// The Tensor metatable's address in the registry (lua_rawgetp), never a name.
extern char kTensorMetatable;

// Whether the value at `index` is a tensor userdata (freed or not); copies nothing.
bool isTensor(lua_State *L, int index);
// The box itself, freed or not; nullptr when the value is not a tensor. The
// pointer is only good while the value stays on the stack, and its tensor may be
// reset by anything that runs Lua: copy the handle before such calls.
TensorBox *testTensorBox(lua_State *L, int index);
// A copy of the tensor's handle (it shares the TensorImpl, so in-place ops on the
// copy change the tensor Lua sees); nullopt when the value is not a tensor.
// Raises "Tensor used after it was freed" for a finalized one.
std::optional<at::Tensor> testTensor(lua_State *L, int index);
// Raises "bad argument #i (Tensor expected, got ...)". Returns the handle by value:
// a binding that then reads an options table (whose __index can run Lua that
// drops or finalizes the tensor) still holds a live reference.
at::Tensor checkTensor(lua_State *L, int index);
// Raises "Tensor used after it was freed" when the box was finalized.
const at::Tensor &liveTensor(lua_State *L, TensorBox *box);
// An undefined tensor is pushed as nil (e.g. a .grad not computed yet).
void pushTensor(lua_State *L, at::Tensor tensor);

// A tensor, or a Lua number/boolean/nested table turned into one.
at::Tensor toTensor(lua_State *L, int index);
// An array of tensors (or of values toTensor takes).
std::vector<at::Tensor> checkTensorList(lua_State *L, int index);

// dtypes travel as strings ("float32", "int64", ...); PyTorch's aliases
// ("float", "long", "double", "int", "bool", "uint8", "half") are accepted.
at::ScalarType checkDtype(lua_State *L, int index);
const char *dtypeName(at::ScalarType type);

// Sizes given either as separate integers from `first` on, or as one table.
std::vector<int64_t> checkSizes(lua_State *L, int first);
// A table of integers (or one integer) as an int64 list, e.g. kernel_size.
std::vector<int64_t> checkIntList(lua_State *L, int index, size_t expandTo = 0);

// Devices as PyTorch names them: "cpu", "cuda", "cuda:1" or a torch.device.
// checkDevice raises one clear line for a wrong name or a missing GPU
// ("no CUDA device: ..."); isDeviceName only looks (a string could be a dtype).
bool isDeviceName(lua_State *L, int index);
c10::Device checkDevice(lua_State *L, int index);
void pushDevice(lua_State *L, c10::Device device);
// Where factories put tensors when their options name no device (torch.set_default_device).
c10::Device defaultDevice(lua_State *L);

// Reading the trailing options table of a call (PyTorch's keyword arguments).
// Each returns the fallback when the table or the field is absent.
bool optBool(lua_State *L, int options, const char *name, bool fallback);
double optNumber(lua_State *L, int options, const char *name, double fallback);
int64_t optInteger(lua_State *L, int options, const char *name, int64_t fallback);
std::string optString(lua_State *L, int options, const char *name, const std::string &fallback);

// Hides the metatable at `index` from Lua code: getmetatable(u) on its userdata
// returns `name` (e.g. "Tensor") instead of the table, so notebook code cannot
// reach __gc or the other metamethods and call them on the wrong object or twice.
// C code (lua_getmetatable, luaL_checkudata) still sees the table.
void protectMetatable(lua_State *L, int index, const char *name);

// Tells Lua's collector about memory it cannot see (tensor storage), so that
// loops that make many large temporaries collect them in time.
void accountExternalMemory(lua_State *L, size_t bytes);

// Raises the session's interrupt if the user asked to stop; long bindings (data
// loading, big loops in C++) call this between pieces of work.
void checkInterrupted(lua_State *L);
bool isInterrupted(lua_State *L);

// Sends an output item (plot, table, image) to the running cell's output.
void emitOutput(lua_State *L, const OutputItem &item);

// Runs `function`, turning libtorch's and the standard library's exceptions
// into Lua errors with their message. The message is copied out first, so no
// C++ object with a destructor is live when Lua unwinds.
template<typename Function>
int guarded(lua_State *L, Function &&function)
{
    std::string message;
    try {
        return function();
    } catch (const std::exception &) {
        message = exceptionMessage();
    }
    return luaL_error(L, "%s", message.c_str());
}

// The parts of the torch API, each registering into the globals it owns.
void openTensor(lua_State *L);         // torch.*, Tensor methods (luatorch.cpp)
void openFunctional(lua_State *L);     // F.*, torch._C kernels for nn/optim (luafunctional.cpp)
void openSerialization(lua_State *L);  // torch.save/load, torch.jit, safetensors (luaserialize.cpp)
void openData(lua_State *L);           // data.read_csv/write_csv, datasets, image (luadata.cpp)
void openHub(lua_State *L);
void openTokenizers(lua_State *L);     // tokenizers.from_file (luatokenizer.cpp)            // hub.download, the Hugging Face cache (luahub.cpp)
void openOutputs(lua_State *L);        // plot, show, metrics natives (luaoutputs.cpp)
void openDevice(lua_State *L, int torchTable);  // torch.device, torch.cuda, autocast (luadevice.cpp)
void openExport(lua_State *L, int torchTable);  // torch.export: .pt2 weights, AOTInductor packages (luaexport.cpp)

} // namespace lua
} // namespace kiln
