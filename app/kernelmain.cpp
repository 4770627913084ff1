// kiln-kernel: one notebook's runtime, in a process of its own. The window (or
// `kiln run`) starts it with the name of a local socket to call back; see
// core/kernel/kernelprotocol.h for what travels over it and core/kernel/runtime.h for the
// other side. Not meant to be started by hand.
#include "kernel/kernelserver.h"
#include "kernel/sandbox.h"
#include "luaapi/torchruntime.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QStandardPaths>

#include <cstdio>
#include <cstring>
#include <csignal>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace {

struct Arguments
{
    QString connect;
    qint64 parent = 0;
    QString notebookDirectory;
    QStringList granted;
    QString device = QStringLiteral("cpu");
    int threads = 0;
    bool testMode = false;
};

bool parse(int argc, char *argv[], Arguments *arguments)
{
    for (int i = 1; i < argc; ++i) {
        const char *name = argv[i];
        auto value = [&]() -> QString {
            if (i + 1 >= argc)
                return QString();
            return QString::fromLocal8Bit(argv[++i]);
        };
        if (!std::strcmp(name, "--connect"))
            arguments->connect = value();
        else if (!std::strcmp(name, "--parent"))
            arguments->parent = value().toLongLong();
        else if (!std::strcmp(name, "--notebook-dir"))
            arguments->notebookDirectory = value();
        else if (!std::strcmp(name, "--grant"))
            arguments->granted.append(value());
        else if (!std::strcmp(name, "--device"))
            arguments->device = value();
        else if (!std::strcmp(name, "--threads"))
            arguments->threads = value().toInt();
        else if (!std::strcmp(name, "--test-mode"))
            arguments->testMode = true;
        else
            return false;
    }
    return !arguments->connect.isEmpty();
}

// The channel to the window, opened before the sandbox closes the door on new
// local sockets. -1 with errno set on failure.
int connectToWindow(const QString &path)
{
    const QByteArray name = QFile::encodeName(path);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (size_t(name.size()) >= sizeof(address.sun_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    std::memcpy(address.sun_path, name.constData(), size_t(name.size()));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof(address)) != 0) {
        const int saved = errno;
        ::close(fd);
        errno = saved;
        return -1;
    }
    return fd;
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

int main(int argc, char *argv[])
{
    Arguments arguments;
    if (!parse(argc, argv, &arguments)) {
        std::fprintf(stderr, "kiln-kernel: started by Kiln, not by hand "
                             "(kiln-kernel --connect SOCKET [--parent PID] [--notebook-dir DIR] [--grant DIR]... "
                             "[--device DEVICE] [--threads N] [--test-mode])\n");
        return 2;
    }
    // The kernel never outlives whoever started it, even when that one is
    // killed outright.
    if (arguments.parent > 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != pid_t(arguments.parent))
            return 1;
    }
    QCoreApplication::setApplicationName(QStringLiteral("Kiln"));
    QCoreApplication::setOrganizationName(QStringLiteral("Kiln"));
    QStandardPaths::setTestModeEnabled(arguments.testMode);

    const int channel = connectToWindow(arguments.connect);
    if (channel < 0) {
        std::fprintf(stderr, "kiln-kernel: cannot reach %s: %s\n", qPrintable(arguments.connect), std::strerror(errno));
        return 1;
    }

    // Before any thread exists: Landlock binds the calling thread and the
    // threads it starts later, not those already running.
    kiln::SandboxPolicy policy = kiln::standardPolicy(arguments.notebookDirectory, arguments.granted);
    policy.denyNewLocalSockets = true;
    const kiln::SandboxStatus sandbox = kiln::applySandbox(policy);
    if (!sandbox.warning.isEmpty())
        std::fprintf(stderr, "kiln-kernel: %s\n", qPrintable(sandbox.warning));

    kiln::KernelServer::Options options;
    options.socketDescriptor = channel;
    options.notebookDirectory = arguments.notebookDirectory;
    options.writableFolders = policy.writableFolders;
    options.sandbox = sandbox;

    QCoreApplication app(argc, argv);
    kiln::torchruntime::initialize();
    QString error;
    if (arguments.threads > 0 && !kiln::torchruntime::setThreads(arguments.threads, &error))
        std::fprintf(stderr, "kiln-kernel: --threads: %s\n", qPrintable(error));
    const QString device = kiln::torchruntime::checkDevice(arguments.device, &error);
    kiln::torchruntime::setDefaultDevice(device.isEmpty() ? QStringLiteral("cpu") : device);

    kiln::KernelServer server(options);
    if (!server.start(&error)) {
        std::fprintf(stderr, "kiln-kernel: %s\n", qPrintable(error));
        return 1;
    }
    return QCoreApplication::exec();
}
