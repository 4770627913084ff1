// Devices in the torch Lua API, spelled as PyTorch spells them: torch.device,
// torch.cuda.*, the default device, torch.autocast, CUDA graphs and the natives
// of torch.amp.GradScaler (resources/lua/kiln/amp.lua).
#include "luaapi/cudaplugin_p.h"
#include "luaapi/luatensor_p.h"
#include "luaapi/torchruntime.h"

#include <ATen/DeviceAccelerator.h>
#include <ATen/autocast_mode.h>
#include <c10/core/Event.h>
#include <c10/core/impl/DeviceGuardImplInterface.h>

#include <QString>

#include <cstring>

namespace kiln::lua {

namespace {

char kDeviceMetatable;
char kDefaultDeviceKey;
char kStreamMetatable;
char kCaptureStreamKey;

struct DeviceBox
{
    c10::Device device;
};

// A CUDA graph; `handle` belongs to the CUDA plugin.
struct GraphBox
{
    void *handle = nullptr;
    bool capturing = false;
};

[[noreturn]] void raise(lua_State *L, const QString &message)
{
    const QByteArray text = message.toUtf8();
    luaL_error(L, "%s", text.constData());
    std::abort();  // not reached: luaL_error does not return
}

DeviceBox *testDeviceBox(lua_State *L, int index)
{
    if (lua_type(L, index) != LUA_TUSERDATA || !lua_getmetatable(L, index))
        return nullptr;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kDeviceMetatable);
    const bool isDevice = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return isDevice ? static_cast<DeviceBox *>(lua_touserdata(L, index)) : nullptr;
}

DeviceBox *checkDeviceBox(lua_State *L, int index)
{
    DeviceBox *box = testDeviceBox(L, index);
    if (!box)
        luaL_typeerror(L, index, "torch.device");
    return box;
}

bool looksLikeDeviceName(const char *name)
{
    return std::strcmp(name, "cpu") == 0 || std::strncmp(name, "cuda", 4) == 0 || std::strcmp(name, "mps") == 0
        || std::strcmp(name, "xpu") == 0;
}

void requireCuda(lua_State *L)
{
    if (!torchruntime::cudaAvailable())
        raise(L, torchruntime::noCudaMessage());
}

const CudaPluginApi &plugin(lua_State *L)
{
    requireCuda(L);
    return *cudaPlugin();
}

int deviceIndexArg(lua_State *L, int index)
{
    requireCuda(L);
    if (lua_isnoneornil(L, index))
        return 0;
    if (DeviceBox *box = testDeviceBox(L, index))
        return box->device.has_index() ? box->device.index() : 0;
    if (lua_type(L, index) == LUA_TSTRING) {
        const c10::Device device = checkDevice(L, index);
        return device.has_index() ? device.index() : 0;
    }
    const lua_Integer device = luaL_checkinteger(L, index);
    luaL_argcheck(L, device >= 0 && device < torchruntime::gpuCount(), index, "no such CUDA device");
    return int(device);
}

// ------------------------------------------------------------ torch.device

int deviceNew(lua_State *L)
{
    if (testDeviceBox(L, 1)) {
        lua_settop(L, 1);
        return 1;
    }
    std::string name = luaL_checkstring(L, 1);
    if (!lua_isnoneornil(L, 2))
        name += ":" + std::to_string(luaL_checkinteger(L, 2));
    lua_pushstring(L, name.c_str());
    pushDevice(L, checkDevice(L, lua_gettop(L)));
    return 1;
}

int deviceToString(lua_State *L)
{
    DeviceBox *box = checkDeviceBox(L, 1);
    lua_pushstring(L, box->device.str().c_str());
    return 1;
}

int deviceEquals(lua_State *L)
{
    DeviceBox *a = testDeviceBox(L, 1), *b = testDeviceBox(L, 2);
    lua_pushboolean(L, a && b && a->device == b->device);
    return 1;
}

int deviceIndex(lua_State *L)
{
    DeviceBox *box = checkDeviceBox(L, 1);
    const char *key = luaL_checkstring(L, 2);
    if (std::strcmp(key, "type") == 0) {
        lua_pushstring(L, c10::DeviceTypeName(box->device.type(), true).c_str());
        return 1;
    }
    if (std::strcmp(key, "index") == 0) {
        if (box->device.has_index())
            lua_pushinteger(L, box->device.index());
        else
            lua_pushnil(L);
        return 1;
    }
    return 0;
}

int torchSetDefaultDevice(lua_State *L)
{
    const c10::Device device = lua_isnil(L, 1) ? c10::Device(c10::kCPU) : checkDevice(L, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kDefaultDeviceKey);
    static_cast<DeviceBox *>(lua_touserdata(L, -1))->device = device;
    return 0;
}

int torchGetDefaultDevice(lua_State *L)
{
    pushDevice(L, defaultDevice(L));
    return 1;
}

// ------------------------------------------------------------ torch.cuda

int cudaIsAvailable(lua_State *L)
{
    lua_pushboolean(L, torchruntime::cudaAvailable());
    return 1;
}

int cudaDeviceCount(lua_State *L)
{
    lua_pushinteger(L, torchruntime::gpuCount());
    return 1;
}

int cudaGetDeviceName(lua_State *L)
{
    const int index = deviceIndexArg(L, 1);
    const QList<torchruntime::Gpu> gpus = torchruntime::gpus();
    lua_pushstring(L, gpus.value(index).name.toUtf8().constData());
    return 1;
}

int cudaCurrentDevice(lua_State *L)
{
    requireCuda(L);
    return guarded(L, [&] {
        lua_pushinteger(L, at::accelerator::getDeviceIndex());
        return 1;
    });
}

int cudaSynchronize(lua_State *L)
{
    const int index = deviceIndexArg(L, 1);
    return guarded(L, [&] {
        at::accelerator::synchronizeDevice(c10::DeviceIndex(index));
        return 0;
    });
}

int cudaManualSeedAll(lua_State *L)
{
    const lua_Integer seed = luaL_checkinteger(L, 1);
    // As in PyTorch, seeding CUDA where there is none is a quiet no-op.
    if (!torchruntime::cudaAvailable())
        return 0;
    return guarded(L, [&] {
        for (int i = 0; i < torchruntime::gpuCount(); ++i) {
            auto generator = at::globalContext().defaultGenerator(c10::Device(c10::kCUDA, c10::DeviceIndex(i)));
            const std::lock_guard<std::mutex> lock(generator.mutex());
            generator.set_current_seed(uint64_t(seed));
        }
        return 0;
    });
}

int cudaMemoryAllocated(lua_State *L)
{
    const int index = deviceIndexArg(L, 1);
    return guarded(L, [&] {
        lua_pushinteger(L, torchruntime::gpuMemoryAllocated(index));
        return 1;
    });
}

int cudaMaxMemoryAllocated(lua_State *L)
{
    const int index = deviceIndexArg(L, 1);
    return guarded(L, [&] {
        lua_pushinteger(L, torchruntime::gpuMaxMemoryAllocated(index));
        return 1;
    });
}

int cudaResetPeakMemoryStats(lua_State *L)
{
    const int index = deviceIndexArg(L, 1);
    return guarded(L, [&] {
        at::accelerator::resetPeakStats(c10::DeviceIndex(index));
        return 0;
    });
}

int cudaEmptyCache(lua_State *L)
{
    if (!torchruntime::cudaAvailable())
        return 0;
    return guarded(L, [&] {
        at::accelerator::emptyCache();
        return 0;
    });
}

// ------------------------------------------------------------ CUDA streams

// Streams go through libtorch_cpu's device-generic interface; only graphs need the plugin.
struct StreamBox
{
    c10::Stream stream;
};

void pushStream(lua_State *L, c10::Stream stream)
{
    auto *box = static_cast<StreamBox *>(lua_newuserdatauv(L, sizeof(StreamBox), 0));
    new (box) StreamBox{stream};
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kStreamMetatable);
    lua_setmetatable(L, -2);
}

StreamBox *testStream(lua_State *L, int index)
{
    if (lua_type(L, index) != LUA_TUSERDATA || !lua_getmetatable(L, index))
        return nullptr;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kStreamMetatable);
    const bool isStream = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return isStream ? static_cast<StreamBox *>(lua_touserdata(L, index)) : nullptr;
}

c10::Stream checkStream(lua_State *L, int index)
{
    StreamBox *box = testStream(L, index);
    if (!box)
        luaL_typeerror(L, index, "torch.cuda.Stream");
    return box->stream;
}

c10::Stream guardedStream(lua_State *L, c10::DeviceIndex index)
{
    std::optional<c10::Stream> stream;
    guarded(L, [&] {
        stream = at::accelerator::getCurrentStream(index);
        return 0;
    });
    return *stream;
}

// torch.cuda.Stream(device?) -> a new stream from libtorch's pool
int streamNew(lua_State *L)
{
    const int index = deviceIndexArg(L, 1);
    return guarded(L, [&] {
        const auto *impl = c10::impl::getDeviceGuardImpl(c10::kCUDA);
        pushStream(L, impl->getStreamFromGlobalPool(c10::Device(c10::kCUDA, c10::DeviceIndex(index)), false));
        return 1;
    });
}

int cudaCurrentStream(lua_State *L)
{
    const int index = deviceIndexArg(L, 1);
    return guarded(L, [&] {
        pushStream(L, at::accelerator::getCurrentStream(c10::DeviceIndex(index)));
        return 1;
    });
}

// s:wait_stream(other): work queued on s from now on waits for other's queued work.
int streamWaitStream(lua_State *L)
{
    const c10::Stream self = checkStream(L, 1), other = checkStream(L, 2);
    return guarded(L, [&] {
        c10::Event event(c10::kCUDA);
        event.record(other);
        event.block(self);
        return 0;
    });
}

int streamSynchronize(lua_State *L)
{
    const c10::Stream self = checkStream(L, 1);
    return guarded(L, [&] {
        self.synchronize();
        return 0;
    });
}

int streamQuery(lua_State *L)
{
    const c10::Stream self = checkStream(L, 1);
    return guarded(L, [&] {
        lua_pushboolean(L, self.query());
        return 1;
    });
}

int streamToString(lua_State *L)
{
    const c10::Stream self = checkStream(L, 1);
    lua_pushfstring(L, "<torch.cuda.Stream device=%s id=%d>", self.device().str().c_str(), int(self.id()));
    return 1;
}

int streamEquals(lua_State *L)
{
    StreamBox *a = testStream(L, 1), *b = testStream(L, 2);
    lua_pushboolean(L, a && b && a->stream == b->stream);
    return 1;
}

int streamGuardClose(lua_State *L)
{
    auto *previous = static_cast<StreamBox *>(luaL_checkudata(L, 1, "kiln.StreamGuard"));
    lua_getiuservalue(L, 1, 1);
    if (lua_toboolean(L, -1)) {
        at::accelerator::setCurrentStream(previous->stream);
        lua_pushboolean(L, 0);
        lua_setiuservalue(L, 1, 1);
    }
    return 0;
}

// torch.cuda.stream(s, fn?, ...): fn runs with s as the current stream; without fn a
// to-be-closed guard (`local _ <close> = torch.cuda.stream(s)`).
int cudaStream(lua_State *L)
{
    const c10::Stream stream = checkStream(L, 1);
    const c10::Stream previous = guardedStream(L, stream.device_index());
    at::accelerator::setCurrentStream(stream);
    if (lua_isfunction(L, 2)) {
        const int status = lua_pcall(L, lua_gettop(L) - 2, LUA_MULTRET, 0);
        at::accelerator::setCurrentStream(previous);
        if (status != LUA_OK)
            return lua_error(L);
        return lua_gettop(L) - 1;
    }
    auto *box = static_cast<StreamBox *>(lua_newuserdatauv(L, sizeof(StreamBox), 1));
    new (box) StreamBox{previous};
    lua_pushboolean(L, 1);
    lua_setiuservalue(L, -2, 1);
    luaL_setmetatable(L, "kiln.StreamGuard");
    return 1;
}

// ------------------------------------------------------------ CUDA graphs

GraphBox *checkGraph(lua_State *L, int index)
{
    return static_cast<GraphBox *>(luaL_checkudata(L, index, "torch.cuda.CUDAGraph"));
}

int graphNew(lua_State *L)
{
    const CudaPluginApi &api = plugin(L);
    auto *box = static_cast<GraphBox *>(lua_newuserdatauv(L, sizeof(GraphBox), 0));
    new (box) GraphBox;
    luaL_setmetatable(L, "torch.cuda.CUDAGraph");
    return guarded(L, [&] {
        box->handle = api.graphCreate();
        return 1;
    });
}

int graphGc(lua_State *L)
{
    GraphBox *box = checkGraph(L, 1);
    if (box->handle) {
        const CudaPluginApi *api = cudaPlugin();
        try {
            if (box->capturing)
                api->graphCaptureEnd(box->handle);
        } catch (const std::exception &) {
            // A capture abandoned by an error: its graph is discarded below.
        }
        api->graphDestroy(box->handle);
        box->handle = nullptr;
    }
    return 0;
}

// The stream torch.cuda.graph captures on when it is given none: one per session,
// like PyTorch's default capture stream.
c10::Stream defaultCaptureStream(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kCaptureStreamKey);
    if (StreamBox *box = testStream(L, -1)) {
        const c10::Stream stream = box->stream;
        lua_pop(L, 1);
        return stream;
    }
    lua_pop(L, 1);
    lua_pushcfunction(L, streamNew);
    lua_call(L, 0, 1);
    const c10::Stream stream = checkStream(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kCaptureStreamKey);
    return stream;
}

// g:capture_begin(stream?)
int graphCaptureBegin(lua_State *L)
{
    GraphBox *box = checkGraph(L, 1);
    luaL_argcheck(L, box->handle, 1, "this CUDAGraph was freed");
    const c10::Stream stream = lua_isnoneornil(L, 2) ? defaultCaptureStream(L) : checkStream(L, 2);
    // As PyTorch's torch.cuda.graph: garbage first, so autograd graphs left over
    // from eager steps (and their nodes' streams) are gone before the capture.
    // The collection runs finalizers (Lua code): check the graph again after it.
    lua_gc(L, LUA_GCCOLLECT);
    luaL_argcheck(L, box->handle && !box->capturing, 1, "this CUDAGraph was freed or is already capturing");
    return guarded(L, [&] {
        at::accelerator::synchronizeDevice(stream.device_index());
        at::accelerator::emptyCache();
        cudaPlugin()->graphCaptureBegin(box->handle, stream);
        box->capturing = true;
        return 0;
    });
}

int graphCaptureEnd(lua_State *L)
{
    GraphBox *box = checkGraph(L, 1);
    luaL_argcheck(L, box->handle && box->capturing, 1, "this CUDAGraph is not capturing");
    box->capturing = false;
    return guarded(L, [&] {
        cudaPlugin()->graphCaptureEnd(box->handle);
        return 0;
    });
}

int graphReplay(lua_State *L)
{
    GraphBox *box = checkGraph(L, 1);
    luaL_argcheck(L, box->handle && !box->capturing, 1, "replay needs a captured CUDAGraph");
    return guarded(L, [&] {
        cudaPlugin()->graphReplay(box->handle);
        return 0;
    });
}

int graphReset(lua_State *L)
{
    GraphBox *box = checkGraph(L, 1);
    luaL_argcheck(L, box->handle && !box->capturing, 1, "reset needs a CUDAGraph that is not capturing");
    return guarded(L, [&] {
        cudaPlugin()->graphReset(box->handle);
        return 0;
    });
}

// torch.cuda.graph(g, fn, ...) captures what fn launches; without fn it returns a
// to-be-closed guard: `local _ <close> = torch.cuda.graph(g)`.
int cudaGraph(lua_State *L)
{
    checkGraph(L, 1);
    // torch.cuda.graph(g, {stream = s}, fn?, ...): the options come before fn.
    if (lua_istable(L, 2)) {
        lua_getfield(L, 2, "stream");
        lua_replace(L, 2);
    } else {
        lua_pushnil(L);
        lua_insert(L, 2);
    }
    if (!lua_isfunction(L, 3)) {
        lua_settop(L, 2);
        lua_pushcfunction(L, graphCaptureBegin);
        lua_pushvalue(L, 1);
        lua_pushvalue(L, 2);
        lua_call(L, 2, 0);
        lua_settop(L, 1);
        lua_newtable(L);  // the guard: its __close ends the capture
        lua_pushvalue(L, 1);
        lua_setfield(L, -2, "graph");
        luaL_setmetatable(L, "kiln.GraphCapture");
        return 1;
    }
    lua_pushcfunction(L, graphCaptureBegin);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_call(L, 2, 0);
    lua_remove(L, 2);  // the stream: fn is now at 2, its arguments after it
    const int base = lua_gettop(L);
    const int status = lua_pcall(L, base - 2, LUA_MULTRET, 0);
    lua_pushcfunction(L, graphCaptureEnd);
    lua_pushvalue(L, 1);
    if (status != LUA_OK) {
        if (lua_pcall(L, 1, 0, 0) != LUA_OK)
            lua_pop(L, 1);  // the capture's own error would hide fn's
        return lua_error(L);
    }
    lua_call(L, 1, 0);
    return lua_gettop(L) - 1;  // fn's results, after the graph
}

int graphCaptureClose(lua_State *L)
{
    lua_getfield(L, 1, "graph");
    GraphBox *box = checkGraph(L, -1);
    if (!box->capturing)
        return 0;
    lua_pushcfunction(L, graphCaptureEnd);
    lua_rotate(L, -2, 1);
    lua_call(L, 1, 0);
    return 0;
}

// ------------------------------------------------------------ autocast

struct AutocastState
{
    c10::DeviceType device;
    bool enabled;
    at::ScalarType dtype;
};

AutocastState enterAutocast(c10::DeviceType device, bool enabled, at::ScalarType dtype)
{
    AutocastState previous{device, at::autocast::is_autocast_enabled(device), at::autocast::get_autocast_dtype(device)};
    at::autocast::set_autocast_enabled(device, enabled);
    at::autocast::set_autocast_dtype(device, dtype);
    at::autocast::increment_nesting();
    return previous;
}

void leaveAutocast(const AutocastState &previous)
{
    // Leaving the outermost region drops the casts it cached, as PyTorch does.
    if (at::autocast::decrement_nesting() == 0)
        at::autocast::clear_cache();
    at::autocast::set_autocast_enabled(previous.device, previous.enabled);
    at::autocast::set_autocast_dtype(previous.device, previous.dtype);
}

int autocastClose(lua_State *L)
{
    auto *state = static_cast<AutocastState *>(luaL_checkudata(L, 1, "kiln.AutocastGuard"));
    lua_getiuservalue(L, 1, 1);
    const bool open = lua_toboolean(L, -1);
    if (open) {
        leaveAutocast(*state);
        lua_pushboolean(L, 0);
        lua_setiuservalue(L, 1, 1);
    }
    return 0;
}

// torch.autocast(device_type, {dtype = , enabled = true}, fn?, ...)
int torchAutocast(lua_State *L)
{
    const char *type = luaL_checkstring(L, 1);
    c10::DeviceType device;
    if (std::strcmp(type, "cuda") == 0)
        device = c10::kCUDA;
    else if (std::strcmp(type, "cpu") == 0)
        device = c10::kCPU;
    else
        return luaL_error(L, "torch.autocast: device_type must be \"cuda\" or \"cpu\", got \"%s\"", type);
    if (device == c10::kCUDA)
        requireCuda(L);
    const int options = lua_istable(L, 2) ? 2 : 0;
    at::ScalarType dtype = device == c10::kCUDA ? at::kHalf : at::kBFloat16;
    if (options) {
        lua_getfield(L, options, "dtype");
        if (!lua_isnil(L, -1))
            dtype = checkDtype(L, lua_gettop(L));
        lua_pop(L, 1);
    }
    if (dtype != at::kHalf && dtype != at::kBFloat16)
        return luaL_error(L, "torch.autocast: dtype must be torch.float16 or torch.bfloat16");
    const bool enabled = optBool(L, options, "enabled", true);
    const int function = options ? 3 : 2;
    if (lua_isfunction(L, function)) {
        const AutocastState previous = enterAutocast(device, enabled, dtype);
        const int status = lua_pcall(L, lua_gettop(L) - function, LUA_MULTRET, 0);
        leaveAutocast(previous);
        if (status != LUA_OK)
            return lua_error(L);
        return lua_gettop(L) - function + 1;
    }
    auto *state = static_cast<AutocastState *>(lua_newuserdatauv(L, sizeof(AutocastState), 1));
    *state = enterAutocast(device, enabled, dtype);
    lua_pushboolean(L, 1);
    lua_setiuservalue(L, -2, 1);
    luaL_setmetatable(L, "kiln.AutocastGuard");
    return 1;
}

int torchIsAutocastEnabled(lua_State *L)
{
    const char *type = luaL_optstring(L, 1, "cuda");
    lua_pushboolean(L, at::autocast::is_autocast_enabled(std::strcmp(type, "cpu") == 0 ? c10::kCPU : c10::kCUDA));
    return 1;
}

// ------------------------------------------------------------ GradScaler natives

// torch._C.amp_unscale_(grads, found_inf, inv_scale): grads *= inv_scale in
// place, found_inf set to 1 where any is inf or NaN.
int ampUnscale(lua_State *L)
{
    std::vector<at::Tensor> grads = checkTensorList(L, 1);
    at::Tensor foundInf = checkTensor(L, 2);
    at::Tensor invScale = checkTensor(L, 3);
    return guarded(L, [&] {
        if (!grads.empty())
            at::_amp_foreach_non_finite_check_and_unscale_(grads, foundInf, invScale);
        return 0;
    });
}

// torch._C.amp_update_scale_(scale, growth_tracker, found_inf, growth, backoff, interval)
int ampUpdateScale(lua_State *L)
{
    at::Tensor scale = checkTensor(L, 1);
    at::Tensor tracker = checkTensor(L, 2);
    at::Tensor foundInf = checkTensor(L, 3);
    const double growth = luaL_checknumber(L, 4), backoff = luaL_checknumber(L, 5);
    const lua_Integer interval = luaL_checkinteger(L, 6);
    return guarded(L, [&] {
        at::_amp_update_scale_(scale, tracker, foundInf, growth, backoff, interval);
        return 0;
    });
}

const luaL_Reg kCudaFunctions[] = {
    {"is_available", cudaIsAvailable}, {"device_count", cudaDeviceCount},
    {"get_device_name", cudaGetDeviceName}, {"current_device", cudaCurrentDevice},
    {"synchronize", cudaSynchronize}, {"manual_seed_all", cudaManualSeedAll}, {"manual_seed", cudaManualSeedAll},
    {"memory_allocated", cudaMemoryAllocated}, {"max_memory_allocated", cudaMaxMemoryAllocated},
    {"reset_peak_memory_stats", cudaResetPeakMemoryStats}, {"empty_cache", cudaEmptyCache},
    {"CUDAGraph", graphNew}, {"graph", cudaGraph},
    {"Stream", streamNew}, {"current_stream", cudaCurrentStream}, {"stream", cudaStream},
    {nullptr, nullptr}};

const luaL_Reg kStreamMethods[] = {
    {"wait_stream", streamWaitStream}, {"synchronize", streamSynchronize}, {"query", streamQuery},
    {nullptr, nullptr}};

const luaL_Reg kGraphMethods[] = {
    {"capture_begin", graphCaptureBegin}, {"capture_end", graphCaptureEnd},
    {"replay", graphReplay}, {"reset", graphReset},
    {nullptr, nullptr}};

} // namespace

bool isDeviceName(lua_State *L, int index)
{
    return testDeviceBox(L, index) || (lua_type(L, index) == LUA_TSTRING && looksLikeDeviceName(lua_tostring(L, index)));
}

c10::Device checkDevice(lua_State *L, int index)
{
    if (DeviceBox *box = testDeviceBox(L, index)) {
        if (box->device.is_cuda())
            requireCuda(L);
        return box->device;
    }
    const char *name = luaL_checkstring(L, index);
    QString error;
    const QString device = torchruntime::checkDevice(QString::fromUtf8(name), &error);
    if (device.isEmpty())
        raise(L, error);
    return c10::Device(device.toStdString());
}

void pushDevice(lua_State *L, c10::Device device)
{
    auto *box = static_cast<DeviceBox *>(lua_newuserdatauv(L, sizeof(DeviceBox), 0));
    new (box) DeviceBox{device};
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kDeviceMetatable);
    lua_setmetatable(L, -2);
}

c10::Device defaultDevice(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kDefaultDeviceKey);
    auto *box = static_cast<DeviceBox *>(lua_touserdata(L, -1));
    lua_pop(L, 1);
    return box ? box->device : c10::Device(c10::kCPU);
}

void openDevice(lua_State *L, int torchTable)
{
    torchTable = lua_absindex(L, torchTable);
    lua_newtable(L);
    lua_pushcfunction(L, deviceToString);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, deviceEquals);
    lua_setfield(L, -2, "__eq");
    lua_pushcfunction(L, deviceIndex);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "torch.device");
    lua_setfield(L, -2, "__name");
    protectMetatable(L, -1, "torch.device");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kDeviceMetatable);

    // The notebook's default device starts as the process's (`kiln run --device`).
    QString error;
    const QString initial = torchruntime::checkDevice(torchruntime::defaultDevice(), &error);
    pushDevice(L, c10::Device(initial.isEmpty() ? std::string("cpu") : initial.toStdString()));
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kDefaultDeviceKey);

    lua_pushcfunction(L, deviceNew);
    lua_setfield(L, torchTable, "device");
    lua_pushcfunction(L, torchSetDefaultDevice);
    lua_setfield(L, torchTable, "set_default_device");
    lua_pushcfunction(L, torchGetDefaultDevice);
    lua_setfield(L, torchTable, "get_default_device");
    lua_pushcfunction(L, torchAutocast);
    lua_setfield(L, torchTable, "autocast");
    lua_pushcfunction(L, torchIsAutocastEnabled);
    lua_setfield(L, torchTable, "is_autocast_enabled");

    lua_newtable(L);
    luaL_setfuncs(L, kCudaFunctions, 0);
    lua_setfield(L, torchTable, "cuda");

    lua_getfield(L, torchTable, "_C");
    lua_pushcfunction(L, ampUnscale);
    lua_setfield(L, -2, "amp_unscale_");
    lua_pushcfunction(L, ampUpdateScale);
    lua_setfield(L, -2, "amp_update_scale_");
    lua_pop(L, 1);

    luaL_newmetatable(L, "torch.cuda.CUDAGraph");
    lua_newtable(L);
    luaL_setfuncs(L, kGraphMethods, 0);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, graphGc);
    lua_setfield(L, -2, "__gc");
    protectMetatable(L, -1, "torch.cuda.CUDAGraph");
    lua_pop(L, 1);

    lua_newtable(L);
    lua_newtable(L);
    luaL_setfuncs(L, kStreamMethods, 0);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, streamToString);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, streamEquals);
    lua_setfield(L, -2, "__eq");
    lua_pushliteral(L, "torch.cuda.Stream");
    lua_setfield(L, -2, "__name");
    protectMetatable(L, -1, "torch.cuda.Stream");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kStreamMetatable);

    luaL_newmetatable(L, "kiln.StreamGuard");
    lua_pushcfunction(L, streamGuardClose);
    lua_setfield(L, -2, "__close");
    protectMetatable(L, -1, "kiln.StreamGuard");
    lua_pop(L, 1);

    luaL_newmetatable(L, "kiln.GraphCapture");
    lua_pushcfunction(L, graphCaptureClose);
    lua_setfield(L, -2, "__close");
    protectMetatable(L, -1, "kiln.GraphCapture");
    lua_pop(L, 1);

    luaL_newmetatable(L, "kiln.AutocastGuard");
    lua_pushcfunction(L, autocastClose);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, autocastClose);
    lua_setfield(L, -2, "__gc");
    protectMetatable(L, -1, "kiln.AutocastGuard");
    lua_pop(L, 1);
}

} // namespace kiln::lua
