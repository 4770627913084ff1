#pragma once

#include <QCborMap>
#include <QString>
#include <QStringList>

namespace kiln {

// The folders a notebook's kernel process may write to; everything else stays
// readable but not writable.
struct SandboxPolicy
{
    // Absolute folders; files and folders beneath them may be created, written,
    // truncated, renamed and removed. Folders that do not exist when the sandbox
    // is applied are left out (and reported in SandboxStatus::missingFolders).
    QStringList writableFolders;
    // Also refuse new stream and datagram Unix sockets (socket(AF_UNIX,
    // SOCK_STREAM or SOCK_DGRAM) fails with EPERM; socketpair and SOCK_SEQPACKET,
    // which CUDA's driver needs, stay). Only for a kernel whose channel to the
    // window is already open (an inherited or already connected descriptor): it
    // closes the door to the user's local services (the D-Bus session bus and
    // with it systemd-run, X11, Wayland, ssh-agent), which Landlock ABI 7 leaves open.
    bool denyNewLocalSockets = false;
};

// What the sandbox gives (probeSandbox) or gave (applySandbox).
struct SandboxStatus
{
    int landlockAbi = 0;            // 0: writes are not limited
    QString landlockUnavailable;    // why not, when landlockAbi is 0
    bool seccomp = false;           // execve, ptrace, ... are refused
    QString seccompUnavailable;     // why not, when seccomp is false
    bool applied = false;           // false for probeSandbox()
    QStringList folders;            // the writable folders
    QStringList missingFolders;     // policy folders that did not exist, so are not writable
    QString warning;                // e.g. threads that were running before applySandbox

    bool limitsWrites() const { return landlockAbi > 0; }
    // One line for `kiln --version` and the status bar:
    // "Sandbox: writes limited to ... (Landlock ABI 7, seccomp)" or
    // "No sandbox: this Linux kernel has no Landlock (...); notebook code can write wherever you can".
    // Translated where a translator is installed (the window); English in the CLI.
    QString describe() const;

    // What the kernel tells the window in its hello, so the window can describe
    // it in the user's language.
    QCborMap toCbor() const;
    static SandboxStatus fromCbor(const QCborMap &map);
};

// Kiln's standard writable folders for a notebook in `notebookFolder` (empty for
// a notebook never saved): that folder, Kiln's data and cache folders, the
// Hugging Face Hub cache, the temp folder (QDir::tempPath()) and the folders the
// user granted in Preferences. Kiln's folders and the Hub cache are created when
// missing. Respects QStandardPaths' test mode.
SandboxPolicy standardPolicy(const QString &notebookFolder, const QStringList &grantedFolders = {});

// Kiln's data and cache folders: the window's (organization and application
// "Kiln": ~/.local/share/Kiln/Kiln, ~/.cache/Kiln/Kiln) and the command line's
// (application "kiln": ~/.local/share/kiln, ~/.cache/kiln), whatever this
// process's application name is.
QStringList kilnFolders();

// HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub.
QString huggingFaceHubCache();

// What this system would give a kernel, without applying anything.
SandboxStatus probeSandbox();

// Restricts this process for good: Landlock (the best ABI the kernel has) so that
// only the policy's folders and the devices libtorch and CUDA use (/dev/null,
// /dev/zero, /dev/full, /dev/random, /dev/urandom, /dev/shm, /dev/nvidia*,
// /dev/dri) can be written and nothing can be executed; then no_new_privs and a
// seccomp-bpf filter on all threads that refuses execve, execveat, ptrace,
// process_vm_readv/writev, pidfd_getfd, namespaces (unshare, setns, clone with
// CLONE_NEW*), bpf, userfaultfd and io_uring. Reading stays open everywhere.
//
// Where /dev/nvidiactl exists, /proc/self/task stays writable too: NVIDIA's
// driver names its threads through /proc/self/task/<tid>/comm and CUDA fails to
// start without it. That includes each thread's mem file; LuaSession refuses it
// by path, /proc/self/mem stays closed.
//
// Call it first thing in main(), before any thread exists (no QThread, no thread
// pool, no libtorch or CUDA initialisation): landlock_restrict_self restricts the
// calling thread and the threads it creates later, never the threads already
// running. (The seccomp filter is synchronised to all threads.) The status's
// warning says when other threads were already running.
//
// Files already open stay usable as opened (stdout, the channel to the window).
// Landlock ABI 6 and later also keeps this process from signalling processes
// outside the sandbox and from connecting to abstract-namespace Unix sockets
// outside it: the window must listen on a pathname socket (QLocalServer's
// default), not with QLocalServer::AbstractNamespaceOption.
SandboxStatus applySandbox(const SandboxPolicy &policy);

} // namespace kiln
