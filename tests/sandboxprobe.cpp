// Applies Kiln's kernel sandbox to itself, then tries what notebook code might,
// one line per attempt: "<name> ok" or "<name> failed <errno> <text>".
// tst_sandbox runs it and checks each line.
//
//   sandboxprobe [--test-mode] [--deny-local-sockets] NOTEBOOK_FOLDER OUTSIDE_FOLDER GRANTED_FOLDER [LUA_CODE]
//
// With LUA_CODE it ends by running that cell in a LuaSession, as a kernel would
// (libtorch, its threads, CUDA where there is a GPU): "lua ok <value>" or
// "lua failed <message>".
// OUTSIDE_FOLDER must hold existing.txt and readable.txt and lie outside every
// folder the sandbox allows; GRANTED_FOLDER is passed as granted in Preferences.
#include "kernel/luasession.h"
#include "kernel/sandbox.h"

#include <QCoreApplication>

#include <QDir>
#include <QStandardPaths>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <sched.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

QByteArray path(const QString &folder, const char *name)
{
    return QFile::encodeName(folder) + '/' + name;
}

void report(const char *name, bool ok, int error)
{
    if (ok)
        std::printf("%s ok\n", name);
    else
        std::printf("%s failed %d %s\n", name, error, std::strerror(error));
    std::fflush(stdout);
}

void result(const char *name, long value)
{
    report(name, value >= 0, errno);
}

void writeFile(const char *name, const QByteArray &file, int flags = O_WRONLY | O_CREAT | O_TRUNC)
{
    const int fd = open(file.constData(), flags | O_CLOEXEC, 0644);
    const int error = errno;
    if (fd >= 0) {
        const bool written = write(fd, "kiln\n", 5) == 5;
        const int writeError = errno;
        close(fd);
        report(name, written, writeError);
        return;
    }
    report(name, false, error);
}

} // namespace

#ifdef KILN_SANITIZE
// LeakSanitizer checks at exit by ptrace-ing the process, which the sandbox's
// seccomp filter refuses; leaks are checked in the unsandboxed tests instead.
extern "C" const char *__lsan_default_options()
{
    return "detect_leaks=0";
}
#endif

int main(int argc, char **argv)
{
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    if (args.value(0) == QLatin1String("--test-mode")) {
        QStandardPaths::setTestModeEnabled(true);
        args.removeFirst();
    }
    const bool denyLocalSockets = args.value(0) == QLatin1String("--deny-local-sockets");
    if (denyLocalSockets)
        args.removeFirst();
    if (args.size() != 3 && args.size() != 4) {
        std::fprintf(stderr, "usage: sandboxprobe [--test-mode] [--deny-local-sockets] NOTEBOOK_FOLDER OUTSIDE_FOLDER GRANTED_FOLDER [LUA_CODE]\n");
        return 2;
    }
    const QString notebook = args.at(0);
    const QString outside = args.at(1);
    const QString granted = args.at(2);

    kiln::SandboxPolicy policy = kiln::standardPolicy(notebook, {granted});
    policy.denyNewLocalSockets = denyLocalSockets;
    const kiln::SandboxStatus status = kiln::applySandbox(policy);
    QCoreApplication app(argc, argv);  // after the sandbox, as in the kernel
    std::printf("landlock %d\nseccomp %d\n", status.landlockAbi, int(status.seccomp));
    std::printf("describe %s\n", qPrintable(status.describe()));
    std::printf("folders %s\n", qPrintable(status.folders.join(QLatin1Char(':'))));

    writeFile("write_inside", path(notebook, "inside.txt"));
    writeFile("write_temp", path(QDir::tempPath(), "kiln-sandboxprobe.txt"));
    unlink(path(QDir::tempPath(), "kiln-sandboxprobe.txt").constData());
    writeFile("write_granted", path(granted, "granted.txt"));
    writeFile("write_kiln_data", path(kiln::kilnFolders().value(0), "sandboxprobe.txt"));
    unlink(path(kiln::kilnFolders().value(0), "sandboxprobe.txt").constData());
    writeFile("write_hub_cache", path(kiln::huggingFaceHubCache(), "sandboxprobe.txt"));
    writeFile("write_dev_null", "/dev/null");
    result("mkdir_inside", mkdir(path(notebook, "made").constData(), 0755));
    result("rename_inside", rename(path(notebook, "inside.txt").constData(), path(notebook, "made/moved.txt").constData()));
    result("remove_inside", unlink(path(notebook, "made/moved.txt").constData()));

    writeFile("write_outside", path(outside, "new.txt"));
    writeFile("modify_outside", path(outside, "existing.txt"), O_WRONLY | O_APPEND);
    result("truncate_outside", truncate(path(outside, "existing.txt").constData(), 0));
    result("rename_outside", rename(path(outside, "existing.txt").constData(), path(outside, "renamed.txt").constData()));
    writeFile("for_move", path(notebook, "move-me.txt"));
    result("move_out_of_notebook",
           rename(path(notebook, "move-me.txt").constData(), path(outside, "moved.txt").constData()));
    result("remove_outside", unlink(path(outside, "existing.txt").constData()));
    result("mkdir_outside", mkdir(path(outside, "made").constData(), 0755));
    result("symlink_outside", symlink("/etc/passwd", path(outside, "link").constData()));
    writeFile("write_proc_self_mem", "/proc/self/mem", O_RDWR);
    // Open where there is an NVIDIA GPU (its driver names threads through it), closed elsewhere.
    writeFile("write_thread_comm", "/proc/thread-self/comm", O_WRONLY | O_TRUNC);  // as fopen "wb"

    {
        const int fd = open(path(outside, "readable.txt").constData(), O_RDONLY | O_CLOEXEC);
        const int error = errno;
        char buffer[16];
        const bool ok = fd >= 0 && read(fd, buffer, sizeof buffer) > 0;
        report("read_outside", ok, fd >= 0 ? errno : error);
        if (fd >= 0)
            close(fd);
    }

    // A thread started after the sandbox is bound by it, and starting one still works.
    std::thread([&] {
        writeFile("thread_write_inside", path(notebook, "thread.txt"));
        writeFile("thread_write_outside", path(outside, "thread.txt"));
    }).join();

    {
        char *const arguments[] = {const_cast<char *>("/bin/true"), nullptr};
        const pid_t child = fork();
        if (child == 0) {
            execv("/bin/true", arguments);
            _exit(100 + errno);  // execve's errno, shifted away from /bin/true's 0
        }
        int waitStatus = 0;
        waitpid(child, &waitStatus, 0);
        const int code = WIFEXITED(waitStatus) ? WEXITSTATUS(waitStatus) : -1;
        report("execve", code == 0, code >= 100 ? code - 100 : EINVAL);
    }
    // Without the filter this would really stop the test that runs the probe.
    if (status.seccomp)
        result("ptrace_parent", ptrace(PTRACE_ATTACH, getppid(), nullptr, nullptr));
    else
        std::printf("ptrace_parent skipped\n");
    result("unshare_user", unshare(CLONE_NEWUSER));
    struct Kind { const char *name; int domain; int type; };
    for (const Kind kind : {Kind{"unix_socket", AF_UNIX, SOCK_STREAM}, Kind{"unix_datagram_socket", AF_UNIX, SOCK_DGRAM},
                            Kind{"unix_seqpacket_socket", AF_UNIX, SOCK_SEQPACKET}, Kind{"inet_socket", AF_INET, SOCK_STREAM}}) {
        const auto name = kind.name;
        const int fd = socket(kind.domain, kind.type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        result(name, fd);
        if (fd >= 0)
            close(fd);
    }
    {
        int pair[2];
        const int made = socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair);
        result("unix_socketpair", made);
        if (made == 0) {
            close(pair[0]);
            close(pair[1]);
        }
    }
    if (args.size() == 4) {
        QString value;
        kiln::LuaSession session(std::make_shared<std::atomic<bool>>(false), [&value](const kiln::OutputItem &item) {
            if (item.kind != kiln::OutputItem::Kind::Error)
                value += item.text;
        });
        session.setWritableFolders(policy.writableFolders);
        const kiln::EvalResult cell = session.evaluate(args.at(3));
        const QString text = (cell.ok() ? value : cell.error.message).simplified();
        std::printf("lua %s %s\n", cell.ok() ? "ok" : "failed", qPrintable(text));
    }
    std::printf("done\n");
    return 0;
}
