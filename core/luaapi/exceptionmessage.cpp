#include "luaapi/exceptionmessage.h"

#include <c10/util/Exception.h>

#include <new>

namespace kiln {

std::string exceptionMessage(std::exception_ptr error)
{
    std::string message;
    try {
        if (error)
            std::rethrow_exception(error);
    } catch (const c10::Error &e) {
        message = e.what_without_backtrace();
    } catch (const std::bad_alloc &) {
        message = "not enough memory";
    } catch (const std::exception &e) {
        message = e.what();
    } catch (...) {
        message = "an error that gave no message";
    }
    if (message.empty())
        message = "libtorch failed without saying why";
    return message;
}

std::string exceptionFirstLine(std::exception_ptr error)
{
    std::string message = exceptionMessage(error);
    const size_t newline = message.find('\n');
    if (newline != std::string::npos && newline > 0)
        message.resize(newline);
    return message;
}

} // namespace kiln
