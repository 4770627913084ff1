#pragma once

#include <memory>

struct lua_State;

namespace kiln::lua {

// While alive, warnings libtorch raises on this thread (TORCH_WARN, and Kiln's
// own, such as F.mse_loss's broadcasting warning) appear in the running cell's
// output as "Warning: ..." lines, each message once per cell, as Python shows
// them once per place, instead of on the kernel's stderr where no one sees them.
class TorchWarningsToOutput
{
public:
    explicit TorchWarningsToOutput(lua_State *L);
    ~TorchWarningsToOutput();

    TorchWarningsToOutput(const TorchWarningsToOutput &) = delete;
    TorchWarningsToOutput &operator=(const TorchWarningsToOutput &) = delete;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace kiln::lua
