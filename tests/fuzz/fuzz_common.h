#pragma once

// Helpers shared by Kiln's libFuzzer targets (docs/fuzzing.md).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

namespace kiln::fuzz {

// A file that holds the current input, for readers that take a path. One per
// process (libFuzzer's -fork/-jobs workers are processes), removed at exit.
inline const std::string &scratchPath()
{
    static const std::string path = [] {
        const char *dir = std::getenv("TMPDIR");
        std::string p = std::string(dir && *dir ? dir : "/tmp") + "/kiln-fuzz-" + std::to_string(getpid());
        std::atexit([] { std::remove(scratchPath().c_str()); });
        return p;
    }();
    return path;
}

inline const std::string &writeScratch(const uint8_t *data, size_t size)
{
    const std::string &path = scratchPath();
    std::FILE *file = std::fopen(path.c_str(), "wb");
    if (!file)
        std::abort();
    if (size && std::fwrite(data, 1, size, file) != size)
        std::abort();
    std::fclose(file);
    return path;
}

} // namespace kiln::fuzz
