#pragma once

// The few CUDA calls Kiln makes that are not reachable through libtorch_cpu's
// device-generic API: they live in libkiln_cuda.so (core/luaapi/cudaplugin.cpp), which
// links PyTorch's libtorch_cuda. The kiln binary never links it: it loads the
// plugin at start where PyTorch's CUDA libraries are present.
#include <c10/core/Stream.h>

#include <cstddef>

namespace kiln {

struct CudaPluginApi
{
    int abi;
    // The device's marketing name, compute capability and memory, without creating
    // a CUDA context on it; false when the driver refuses.
    bool (*deviceProperties)(int device, char *name, size_t capacity, int *major, int *minor, size_t *totalBytes);
    // CUDA graphs (at::cuda::CUDAGraph). Capture runs on `stream` (a CUDA stream,
    // not the legacy default one), which stays current on this thread from
    // captureBegin to captureEnd. All may throw c10::Error.
    void *(*graphCreate)();
    void (*graphDestroy)(void *graph);
    void (*graphCaptureBegin)(void *graph, c10::Stream stream);
    void (*graphCaptureEnd)(void *graph);
    void (*graphReplay)(void *graph);
    void (*graphReset)(void *graph);
};

constexpr int kCudaPluginAbi = 3;
using CudaPluginEntry = const CudaPluginApi *(*)();
constexpr const char *kCudaPluginEntryName = "kiln_cuda_plugin";

// The plugin's API, or null where CUDA did not load (torchruntime::initialize).
const CudaPluginApi *cudaPlugin();

} // namespace kiln
