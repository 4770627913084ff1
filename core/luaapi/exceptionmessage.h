#pragma once

#include <exception>
#include <string>

namespace kiln {

// What went wrong, as one message for the user, from any exception: libtorch's
// without its C++ backtrace, "not enough memory" for std::bad_alloc, what() for
// the standard library's, and a fixed line for anything else; never empty.
// Call it in `catch (const std::exception &)` (c10::Error and std::bad_alloc are
// std::exceptions), never in `catch (...)`: Lua's own errors unwind as C++
// exceptions of another type here, and must pass on to Lua's pcall.
std::string exceptionMessage(std::exception_ptr error = std::current_exception());

// The same message, up to its first line break (libtorch's can run on with
// C++ frames and hints).
std::string exceptionFirstLine(std::exception_ptr error = std::current_exception());

} // namespace kiln
