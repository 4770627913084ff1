// libtorch.so for AOTInductor packages: their compiled model links libtorch.so by
// name. This library, linked to libtorch_cpu, answers to that name, so packages run
// where PyTorch's real libtorch.so (which also needs libtorch_cuda) is not there.
