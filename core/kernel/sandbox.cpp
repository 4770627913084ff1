#include "kernel/sandbox.h"

#include "hub/hubcache.h"

#include <QCborArray>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#ifdef Q_OS_LINUX
#include <cerrno>
#include <cstddef>
#include <cstring>

#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace kiln {

namespace {

QString cleanAbsolute(const QString &path)
{
    return QDir::cleanPath(QDir(path).absolutePath());
}

void appendFolder(QStringList *folders, const QString &path, bool create)
{
    if (path.isEmpty())
        return;
    const QString folder = cleanAbsolute(path);
    if (create)
        QDir().mkpath(folder);
    if (!folders->contains(folder))
        folders->append(folder);
}

} // namespace

QStringList kilnFolders()
{
    // What QStandardPaths' AppDataLocation, AppLocalDataLocation and CacheLocation
    // are on Linux (Generic<...>/<organization>/<application>), for the window's
    // names and the command line's, independent of this process's names.
    const QString data = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    const QString cache = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation);
    QStringList folders;
    for (const QLatin1StringView suffix : {QLatin1StringView("/Kiln/Kiln"), QLatin1StringView("/kiln")}) {
        if (!data.isEmpty())
            folders << data + suffix;
        if (!cache.isEmpty())
            folders << cache + suffix;
    }
    return folders;
}

QString huggingFaceHubCache()
{
    return HubCache::directory();
}

SandboxPolicy standardPolicy(const QString &notebookFolder, const QStringList &grantedFolders)
{
    SandboxPolicy policy;
    appendFolder(&policy.writableFolders, notebookFolder, false);
    for (const QString &folder : kilnFolders())
        appendFolder(&policy.writableFolders, folder, true);
    appendFolder(&policy.writableFolders, huggingFaceHubCache(), true);
    appendFolder(&policy.writableFolders, QDir::tempPath(), false);
    for (const QString &folder : grantedFolders)
        appendFolder(&policy.writableFolders, folder, false);
    return policy;
}

QString SandboxStatus::describe() const
{
    if (landlockAbi > 0) {
        QString line = seccomp
            ? QCoreApplication::translate("kiln::SandboxStatus",
                                          "Sandbox: writes limited to the notebook's folder, Kiln's folders, "
                                          "the Hub cache, the temp folder and the folders granted in Preferences "
                                          "(Landlock ABI %1, seccomp)")
                  .arg(landlockAbi)
            : QCoreApplication::translate("kiln::SandboxStatus",
                                          "Sandbox: writes limited to the notebook's folder, Kiln's folders, "
                                          "the Hub cache, the temp folder and the folders granted in Preferences "
                                          "(Landlock ABI %1; no seccomp: %2)")
                  .arg(landlockAbi)
                  .arg(seccompUnavailable);
        if (!warning.isEmpty())
            line += QStringLiteral("; ") + warning;
        return line;
    }
    QString line = QCoreApplication::translate("kiln::SandboxStatus",
                                               "No sandbox: %1; notebook code can write wherever you can")
                       .arg(landlockUnavailable);
    if (seccomp)
        line += QCoreApplication::translate("kiln::SandboxStatus", " (seccomp still refuses running programs)");
    return line;
}

QCborMap SandboxStatus::toCbor() const
{
    QCborMap map;
    map.insert(QStringLiteral("landlock_abi"), landlockAbi);
    map.insert(QStringLiteral("landlock_unavailable"), landlockUnavailable);
    map.insert(QStringLiteral("seccomp"), seccomp);
    map.insert(QStringLiteral("seccomp_unavailable"), seccompUnavailable);
    map.insert(QStringLiteral("applied"), applied);
    map.insert(QStringLiteral("folders"), QCborArray::fromStringList(folders));
    map.insert(QStringLiteral("missing_folders"), QCborArray::fromStringList(missingFolders));
    map.insert(QStringLiteral("warning"), warning);
    return map;
}

SandboxStatus SandboxStatus::fromCbor(const QCborMap &map)
{
    const auto strings = [&map](const char *key) {
        QStringList list;
        for (const QCborValue &value : map.value(QLatin1String(key)).toArray())
            list.append(value.toString());
        return list;
    };
    SandboxStatus status;
    status.landlockAbi = int(map.value(QStringLiteral("landlock_abi")).toInteger());
    status.landlockUnavailable = map.value(QStringLiteral("landlock_unavailable")).toString();
    status.seccomp = map.value(QStringLiteral("seccomp")).toBool();
    status.seccompUnavailable = map.value(QStringLiteral("seccomp_unavailable")).toString();
    status.applied = map.value(QStringLiteral("applied")).toBool();
    status.folders = strings("folders");
    status.missingFolders = strings("missing_folders");
    status.warning = map.value(QStringLiteral("warning")).toString();
    return status;
}

#ifdef Q_OS_LINUX

namespace {

// Landlock rights newer than /usr/include/linux/landlock.h may know (the values
// are the kernel's ABI, include/uapi/linux/landlock.h).
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)  // ABI 2
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)  // ABI 3
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)  // ABI 6
#endif
#ifndef LANDLOCK_SCOPE_SIGNAL
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)  // ABI 6
#endif
#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#endif

// struct landlock_ruleset_attr as of ABI 6. An older kernel takes the larger
// struct as long as the fields it does not know are zero.
struct RulesetAttr
{
    quint64 handledAccessFs = 0;
    quint64 handledAccessNet = 0;  // ABI 4; left 0: the network stays open
    quint64 scoped = 0;            // ABI 6
};

struct __attribute__((packed)) PathBeneathAttr
{
    quint64 allowedAccess;
    qint32 parentFd;
};

constexpr quint64 kFileWriteRights = LANDLOCK_ACCESS_FS_WRITE_FILE;
constexpr quint64 kFolderWriteRights = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR
    | LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR
    | LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO
    | LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM;

int landlockVersion(QString *whyNot)
{
    const long abi = syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
    if (abi > 0)
        return int(abi);
    if (errno == ENOSYS)
        *whyNot = QStringLiteral("this Linux kernel has no Landlock (it needs Linux 5.13 or later built with it)");
    else if (errno == EOPNOTSUPP)
        *whyNot = QStringLiteral("this Linux kernel has Landlock but it is off (add landlock to the lsm= boot parameter)");
    else
        *whyNot = QStringLiteral("this Linux kernel refuses Landlock (%1)").arg(QString::fromLocal8Bit(strerror(errno)));
    return 0;
}

bool seccompAvailable(QString *whyNot)
{
    unsigned int action = SECCOMP_RET_ERRNO;
    if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0)
        return true;
    *whyNot = errno == ENOSYS || errno == EINVAL
        ? QStringLiteral("this Linux kernel has no seccomp filters")
        : QStringLiteral("seccomp refused (%1)").arg(QString::fromLocal8Bit(strerror(errno)));
    return false;
}

int threadCount()
{
    DIR *dir = opendir("/proc/self/task");
    if (!dir)
        return 1;
    int count = 0;
    while (const dirent *entry = readdir(dir)) {
        if (entry->d_name[0] != '.')
            ++count;
    }
    closedir(dir);
    return count;
}

QString errnoText(const char *what)
{
    return QStringLiteral("%1 failed: %2").arg(QLatin1StringView(what), QString::fromLocal8Bit(strerror(errno)));
}

bool addRule(int ruleset, const QString &path, quint64 rights, QString *error)
{
    const int fd = open(QFile::encodeName(path).constData(), O_PATH | O_CLOEXEC);
    if (fd < 0)
        return true;  // absent: nothing to grant
    PathBeneathAttr rule{rights, fd};
    const long result = syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
    const int savedErrno = errno;
    close(fd);
    if (result != 0) {
        errno = savedErrno;
        *error = errnoText("landlock_add_rule") + QStringLiteral(" for ") + path;
        return false;
    }
    return true;
}

// Device files libtorch, CUDA and ordinary C code write to. Files get file
// rights only (Landlock refuses directory rights on a file).
QStringList deviceFiles()
{
    QStringList files{QStringLiteral("/dev/null"), QStringLiteral("/dev/zero"), QStringLiteral("/dev/full"),
                      QStringLiteral("/dev/random"), QStringLiteral("/dev/urandom"),
                      QStringLiteral("/dev/nvidia-caps"), QStringLiteral("/dev/dri")};
    const QStringList nvidia = QDir(QStringLiteral("/dev")).entryList({QStringLiteral("nvidia*")}, QDir::System | QDir::Files);
    for (const QString &name : nvidia)
        files << QStringLiteral("/dev/") + name;
    return files;
}

bool applyLandlock(const SandboxPolicy &policy, int abi, SandboxStatus *status, QString *error)
{
    quint64 handled = LANDLOCK_ACCESS_FS_EXECUTE | kFolderWriteRights;
    quint64 folderRights = kFolderWriteRights;
    quint64 fileRights = kFileWriteRights;
    if (abi >= 2) {
        handled |= LANDLOCK_ACCESS_FS_REFER;
        folderRights |= LANDLOCK_ACCESS_FS_REFER;
    }
    if (abi >= 3) {
        handled |= LANDLOCK_ACCESS_FS_TRUNCATE;
        folderRights |= LANDLOCK_ACCESS_FS_TRUNCATE;
        fileRights |= LANDLOCK_ACCESS_FS_TRUNCATE;
    }
    // READ_FILE and READ_DIR are not handled, so reading stays open; nor is
    // IOCTL_DEV (ABI 5), so the devices CUDA opens keep their ioctls.
    RulesetAttr attr;
    attr.handledAccessFs = handled;
    if (abi >= 6)
        attr.scoped = LANDLOCK_SCOPE_SIGNAL | LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET;
    const int ruleset = int(syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0));
    if (ruleset < 0) {
        *error = errnoText("landlock_create_ruleset");
        return false;
    }
    bool ok = true;
    for (const QString &folder : policy.writableFolders) {
        if (!QFileInfo(folder).isDir()) {
            status->missingFolders << folder;
            continue;
        }
        if (!(ok = addRule(ruleset, folder, folderRights, error)))
            break;
        status->folders << folder;
    }
    if (ok)
        ok = addRule(ruleset, QStringLiteral("/dev/shm"), folderRights, error);
    for (const QString &device : deviceFiles()) {
        if (ok)
            ok = addRule(ruleset, device, fileRights, error);
    }
    // NVIDIA's driver names the threads it starts by writing
    // /proc/self/task/<tid>/comm from another thread, and cuInit fails when it
    // cannot (CUDA error 304). Threads started later have no file yet to grant, so
    // the whole task folder is writable where there is an NVIDIA GPU: that
    // includes each thread's mem file, which Lua's io.open refuses (see
    // LuaSession::setWritableFolders); /proc/self/mem itself stays closed.
    if (ok && QFileInfo::exists(QStringLiteral("/dev/nvidiactl")))
        ok = addRule(ruleset, QStringLiteral("/proc/self/task"), fileRights, error);  // fopen "wb": truncates
    if (ok && syscall(SYS_landlock_restrict_self, ruleset, 0) != 0) {
        *error = errnoText("landlock_restrict_self");
        ok = false;
    }
    close(ruleset);
    return ok;
}

#if defined(__x86_64__)
constexpr quint32 kNativeArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr quint32 kNativeArch = AUDIT_ARCH_AARCH64;
#endif

bool applySeccomp(const SandboxPolicy &policy, QString *error)
{
#if defined(__x86_64__) || defined(__aarch64__)
    constexpr quint32 deny = SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA);
    // The low 32 bits of the first argument (both architectures are little-endian here).
    constexpr quint32 firstArgument = offsetof(struct seccomp_data, args[0])
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        + 4
#endif
        ;
    std::vector<sock_filter> filter;
    auto statement = [&filter](quint16 code, quint32 k) { filter.push_back(BPF_STMT(code, k)); };
    auto jump = [&filter](quint16 code, quint32 k, quint8 jt, quint8 jf) { filter.push_back(BPF_JUMP(code, k, jt, jf)); };

    // A syscall made with another architecture's numbers (int 0x80 on x86_64)
    // would slip past the numbers below: end the process.
    statement(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    jump(BPF_JMP | BPF_JEQ | BPF_K, kNativeArch, 1, 0);
    statement(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
    statement(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
#ifdef __x86_64__
    // x32 numbers carry the same AUDIT_ARCH_X86_64.
    jump(BPF_JMP | BPF_JGE | BPF_K, 0x40000000U, 0, 1);
    statement(BPF_RET | BPF_K, deny);
#endif
    const long denied[] = {
        // Running programs: the way out of every other limit.
        SYS_execve,
#ifdef SYS_execveat
        SYS_execveat,
#endif
        // Reaching into other processes of the user (the window, a shell).
        SYS_ptrace, SYS_process_vm_readv, SYS_process_vm_writev,
#ifdef SYS_pidfd_getfd
        SYS_pidfd_getfd,
#endif
        // Namespaces: a user namespace opens kernel code (netfilter, mounts)
        // that local privilege escalations keep coming from.
        SYS_unshare, SYS_setns,
        // Kernel attack surface no notebook needs: eBPF programs, userfaultfd
        // (a classic exploit aid) and io_uring (its operations bypass seccomp).
        SYS_bpf,
#ifdef SYS_userfaultfd
        SYS_userfaultfd,
#endif
#ifdef SYS_io_uring_setup
        SYS_io_uring_setup, SYS_io_uring_enter, SYS_io_uring_register,
#endif
    };
    for (const long nr : denied) {
        jump(BPF_JMP | BPF_JEQ | BPF_K, quint32(nr), 0, 1);
        statement(BPF_RET | BPF_K, deny);
    }
    // clone with CLONE_NEW*; clone3 passes its flags in memory a filter cannot
    // read, so it answers ENOSYS and glibc falls back to clone.
    jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 4);
    statement(BPF_LD | BPF_W | BPF_ABS, firstArgument);
    jump(BPF_JMP | BPF_JSET | BPF_K,
         CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET, 0, 1);
    statement(BPF_RET | BPF_K, deny);
    statement(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
#ifdef SYS_clone3
    jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1);
    statement(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA));
#endif
    if (policy.denyNewLocalSockets) {
        // socket(AF_UNIX, SOCK_STREAM or SOCK_DGRAM): the kinds the user's
        // services listen on. SOCK_SEQPACKET stays: CUDA's driver makes two at
        // start (its MPS client) and fails without them.
        constexpr quint32 secondArgument = firstArgument + sizeof(quint64);
        jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_socket, 0, 7);
        statement(BPF_LD | BPF_W | BPF_ABS, firstArgument);
        jump(BPF_JMP | BPF_JEQ | BPF_K, AF_UNIX, 0, 4);
        statement(BPF_LD | BPF_W | BPF_ABS, secondArgument);
        statement(BPF_ALU | BPF_AND | BPF_K, 0xf);  // the type without SOCK_CLOEXEC, SOCK_NONBLOCK
        jump(BPF_JMP | BPF_JEQ | BPF_K, SOCK_SEQPACKET, 1, 0);
        statement(BPF_RET | BPF_K, deny);
        statement(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    }
    statement(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);

    sock_fprog program{static_cast<unsigned short>(filter.size()), filter.data()};
    const long result = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &program);
    if (result == 0)
        return true;
    *error = result > 0 ? QStringLiteral("seccomp could not reach thread %1").arg(result) : errnoText("seccomp");
    return false;
#else
    Q_UNUSED(policy);
    *error = QStringLiteral("Kiln's seccomp filter knows x86_64 and aarch64 only");
    return false;
#endif
}

} // namespace

SandboxStatus probeSandbox()
{
    SandboxStatus status;
    status.landlockAbi = landlockVersion(&status.landlockUnavailable);
    status.seccomp = seccompAvailable(&status.seccompUnavailable);
#if !defined(__x86_64__) && !defined(__aarch64__)
    if (status.seccomp) {
        status.seccomp = false;
        status.seccompUnavailable = QStringLiteral("Kiln's seccomp filter knows x86_64 and aarch64 only");
    }
#endif
    return status;
}

SandboxStatus applySandbox(const SandboxPolicy &policy)
{
    SandboxStatus status = probeSandbox();
    status.applied = true;
    const int threads = threadCount();
    if (threads > 1)
        status.warning = QStringLiteral("%1 other threads were already running and keep their rights").arg(threads - 1);

    // Both Landlock (without CAP_SYS_ADMIN) and seccomp need no_new_privs: no
    // set-user-ID program can then regain rights.
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        const QString why = errnoText("prctl(PR_SET_NO_NEW_PRIVS)");
        if (status.landlockAbi > 0) {
            status.landlockAbi = 0;
            status.landlockUnavailable = why;
        }
        if (status.seccomp) {
            status.seccomp = false;
            status.seccompUnavailable = why;
        }
        return status;
    }
    if (status.landlockAbi > 0) {
        QString error;
        if (!applyLandlock(policy, status.landlockAbi, &status, &error)) {
            status.landlockAbi = 0;
            status.landlockUnavailable = error;
            status.folders.clear();
        }
    }
    if (status.seccomp) {
        QString error;
        if (!applySeccomp(policy, &error)) {
            status.seccomp = false;
            status.seccompUnavailable = error;
        }
    }
    return status;
}

#else

SandboxStatus probeSandbox()
{
    SandboxStatus status;
    status.landlockUnavailable = QStringLiteral("sandboxing needs Linux (Landlock)");
    status.seccompUnavailable = status.landlockUnavailable;
    return status;
}

SandboxStatus applySandbox(const SandboxPolicy &)
{
    SandboxStatus status = probeSandbox();
    status.applied = true;
    return status;
}

#endif

} // namespace kiln
