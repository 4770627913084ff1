#pragma once

#include "document/evalresult.h"
#include "document/outputitem.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>

namespace kiln {

class PauseGate;

// One Lua 5.4 state and everything a notebook's code sees: the sandboxed standard
// library, print into the cell's output, final-expression display, errors with the
// cell's line, interruption that pcall cannot swallow. Not thread-safe: it lives on
// one thread (the runtime's worker); only the interrupt flag is shared.
class LuaSession
{
public:
    using OutputSink = std::function<void(const OutputItem &)>;

    // `interrupt` is set from any thread to stop the running evaluation.
    LuaSession(std::shared_ptr<std::atomic<bool>> interrupt, OutputSink sink);
    ~LuaSession();
    LuaSession(const LuaSession &) = delete;
    LuaSession &operator=(const LuaSession &) = delete;

    // Where `require` looks first; Kiln's own Lua library comes after it.
    void setNotebookDirectory(const QString &directory);

    // The folders notebook code may write to (SandboxPolicy::writableFolders):
    // io.open, io.output, os.remove and os.rename refuse anything outside them with
    // a clear Lua error, before the OS is asked. The kernel process calls it with
    // the policy it gave applySandbox; Landlock is the real barrier, this is for
    // the message. Never called (in-process use: tests, the training engine),
    // Lua's writes are not limited.
    void setWritableFolders(const QStringList &folders);

    // Runs one cell. The chunk is named after the cell so that errors and
    // tracebacks give lines within it. Labels starting with "__kiln:" are Kiln's
    // own queries (the model browser's list of notebook models): they take no
    // evaluation number.
    EvalResult evaluate(const QString &code, const QString &label = QString());

    // While `gate` is paused the running evaluation waits at its next
    // interrupt check; Stop (the interrupt flag) still ends it.
    void setPauseGate(std::shared_ptr<PauseGate> gate);

    // How many instructions run between checks of the interrupt flag.
    static constexpr int kInterruptCheckInterval = 1000;

    // Opaque; public only so that Lua's C callbacks in luasession.cpp can reach it.
    struct Private;

private:
    std::unique_ptr<Private> d;
};

} // namespace kiln
