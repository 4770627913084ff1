// libkiln_cuda.so: the CUDA half of Kiln, loaded at start by torchruntime where
// PyTorch's CUDA libraries are present. Loading it loads libtorch_cuda, whose
// static initializers register PyTorch's CUDA kernels and hooks; the rest of
// Kiln then reaches the GPU through libtorch_cpu's device-generic API.
#include "luaapi/cudaplugin_p.h"

#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime_api.h>

#include <cstring>
#include <memory>
#include <optional>

namespace {

// A graph and the side stream its capture runs on, as torch.cuda.graph does:
// capturing on the default (legacy) stream is not allowed.
struct Graph
{
    at::cuda::CUDAGraph graph;
    std::optional<c10::cuda::CUDAStreamGuard> captureStream;
};

bool deviceProperties(int device, char *name, size_t capacity, int *major, int *minor, size_t *totalBytes)
{
    cudaDeviceProp properties;
    if (cudaGetDeviceProperties(&properties, device) != cudaSuccess)
        return false;
    std::strncpy(name, properties.name, capacity - 1);
    name[capacity - 1] = '\0';
    *major = properties.major;
    *minor = properties.minor;
    *totalBytes = properties.totalGlobalMem;
    return true;
}

void *graphCreate() { return new Graph; }
void graphDestroy(void *graph) { delete static_cast<Graph *>(graph); }

void graphCaptureBegin(void *handle, c10::Stream stream)
{
    auto *graph = static_cast<Graph *>(handle);
    TORCH_CHECK(!graph->captureStream, "this CUDAGraph is already capturing");
    // Work queued before the capture must not leak into it.
    c10::cuda::device_synchronize();
    graph->captureStream.emplace(c10::cuda::CUDAStream(c10::cuda::CUDAStream::UNCHECKED, stream));
    try {
        graph->graph.capture_begin();
    } catch (...) {
        graph->captureStream.reset();
        throw;
    }
}

void graphCaptureEnd(void *handle)
{
    auto *graph = static_cast<Graph *>(handle);
    TORCH_CHECK(graph->captureStream, "this CUDAGraph is not capturing");
    struct RestoreStream
    {
        Graph *graph;
        ~RestoreStream() { graph->captureStream.reset(); }
    } restore{graph};
    graph->graph.capture_end();
}

void graphReplay(void *graph) { static_cast<Graph *>(graph)->graph.replay(); }
void graphReset(void *graph) { static_cast<Graph *>(graph)->graph.reset(); }

const kiln::CudaPluginApi kApi = {
    kiln::kCudaPluginAbi, deviceProperties, graphCreate, graphDestroy,
    graphCaptureBegin, graphCaptureEnd, graphReplay, graphReset,
};

} // namespace

extern "C" __attribute__((visibility("default"))) const kiln::CudaPluginApi *kiln_cuda_plugin()
{
    return &kApi;
}
