# libtorch from PyTorch's own `torch` wheel, imported as the target kiln::torch.
#
# Kiln links libtorch_cpu and libc10 only. The wheel's libtorch_cuda is loaded at
# start when it and a driver are there (core/luaapi/torchruntime.cpp), so one binary runs
# with or without a GPU and the build never needs the CUDA toolkit, which the
# wheel's own TorchConfig.cmake insists on.
#
# Where the wheel is: KILN_TORCH_PREFIX (torch.utils.cmake_prefix_path), else asked
# from KILN_PYTHON (default: the project's .venv that scripts/install-deps.sh makes).

set(KILN_PYTHON "${PROJECT_SOURCE_DIR}/.venv/bin/python" CACHE FILEPATH
    "A Python whose torch Kiln builds against; also the baseline of parity tests and benchmarks")
set(KILN_TORCH_PREFIX "" CACHE PATH "torch.utils.cmake_prefix_path of the PyTorch to build against")

if(NOT KILN_TORCH_PREFIX)
    if(NOT EXISTS "${KILN_PYTHON}")
        message(FATAL_ERROR "No PyTorch to build against: ${KILN_PYTHON} does not exist. "
            "Run scripts/install-deps.sh, or pass -DKILN_PYTHON=<python with torch> "
            "or -DKILN_TORCH_PREFIX=<torch.utils.cmake_prefix_path>.")
    endif()
    execute_process(
        COMMAND "${KILN_PYTHON}" -c "import torch.utils; print(torch.utils.cmake_prefix_path)"
        OUTPUT_VARIABLE _kiln_prefix OUTPUT_STRIP_TRAILING_WHITESPACE
        ERROR_VARIABLE _kiln_error RESULT_VARIABLE _kiln_result)
    if(NOT _kiln_result EQUAL 0)
        message(FATAL_ERROR "${KILN_PYTHON} cannot import torch: ${_kiln_error}")
    endif()
    set(KILN_TORCH_PREFIX "${_kiln_prefix}" CACHE PATH
        "torch.utils.cmake_prefix_path of the PyTorch to build against" FORCE)
endif()

get_filename_component(KILN_TORCH_ROOT "${KILN_TORCH_PREFIX}/../.." ABSOLUTE)
set(KILN_TORCH_LIBDIR "${KILN_TORCH_ROOT}/lib")
if(NOT EXISTS "${KILN_TORCH_PREFIX}/Torch/TorchConfigVersion.cmake"
   OR NOT EXISTS "${KILN_TORCH_LIBDIR}/libtorch_cpu.so")
    message(FATAL_ERROR "${KILN_TORCH_PREFIX} is not the CMake prefix of a PyTorch wheel with libtorch")
endif()

file(STRINGS "${KILN_TORCH_PREFIX}/Torch/TorchConfigVersion.cmake" _kiln_version_line
    REGEX "set\\(PACKAGE_VERSION \"[^\"]+\"\\)")
string(REGEX REPLACE ".*\"([^\"]+)\".*" "\\1" KILN_TORCH_VERSION "${_kiln_version_line}")
file(STRINGS "${PROJECT_SOURCE_DIR}/scripts/torch-requirements.txt" _kiln_pin REGEX "^torch==")
string(REPLACE "torch==" "" KILN_TORCH_PINNED "${_kiln_pin}")
if(NOT KILN_TORCH_VERSION VERSION_EQUAL KILN_TORCH_PINNED)
    message(WARNING "Building against PyTorch ${KILN_TORCH_VERSION}; Kiln pins ${KILN_TORCH_PINNED} "
        "(scripts/torch-requirements.txt). Parity tests and benchmarks assume the pinned one.")
endif()
message(STATUS "libtorch ${KILN_TORCH_VERSION} from ${KILN_TORCH_ROOT}")

add_library(kiln_torch INTERFACE)
add_library(kiln::torch ALIAS kiln_torch)
target_include_directories(kiln_torch SYSTEM INTERFACE
    "${KILN_TORCH_ROOT}/include"
    "${KILN_TORCH_ROOT}/include/torch/csrc/api/include")
target_link_libraries(kiln_torch INTERFACE
    "${KILN_TORCH_LIBDIR}/libtorch_cpu.so"
    "${KILN_TORCH_LIBDIR}/libc10.so"
    ${CMAKE_DL_LIBS})
# Binaries in the build tree find the wheel's libraries where they are; installed
# ones find the copies beside them (packaging/CMakeLists.txt).
set(CMAKE_BUILD_RPATH "${KILN_TORCH_LIBDIR}")
set(CMAKE_INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}/kiln")
