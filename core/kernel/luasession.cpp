#include "kernel/luasession.h"

#include "document/globalscan.h"
#include "engines/pausegate.h"
#include "luaapi/luaarguments.h"
#include "luaapi/luatorch_p.h"
#include "luaapi/luawarnings.h"
#include "kernel/luavalueformat_p.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStringList>

#include <cstdlib>
#include <cstring>
#include <optional>

#include <sys/stat.h>

namespace kiln {

namespace {

// The error value that interruption raises: a light userdata no script can forge.
char kInterruptTag;
// Where Kiln's own Lua modules live (compiled into the binary).
const QLatin1String kLibraryDirectory(":/kiln/lua");
// The identity function that carries a cell's final expression (see compile()).
#define KILN_VALUE_FUNCTION "__kiln_value"
// A candidate final expression is looked for this many lines up from the end.
constexpr int kExpressionSearchLines = 50;

constexpr size_t kDefaultMemoryLimit = size_t(2) << 30;

} // namespace

struct LuaSession::Private
{
    lua_State *L = nullptr;
    std::shared_ptr<std::atomic<bool>> interrupt;
    std::shared_ptr<PauseGate> pauseGate;
    OutputSink sink;
    QJsonObject valueData;  // the displayed value's description, set by runCell
    QString notebookDirectory;
    int evaluationCount = 0;
    // Canonical; unset: writes are not limited (see setWritableFolders).
    std::optional<QStringList> writableFolders;

    // Bytes Lua's own heap holds; tensors live outside it. A runaway string or
    // table hits the limit as a clean "not enough memory" error.
    size_t memoryUsed = 0;
    size_t memoryLimit = kDefaultMemoryLimit;

    // Filled by the message handler while the failing stack still exists.
    QByteArray chunkSource;  // "=<label>" of the evaluation in progress
    int errorLine = 0;
    QString traceback;

    static Private *from(lua_State *L) { return *static_cast<Private **>(lua_getextraspace(L)); }

    bool interrupted() const { return interrupt->load(std::memory_order_relaxed); }

    void createState();
    void installSandbox();
    bool compile(const QString &code, const QByteArray &chunkName, QString *error);
};

namespace {

void *limitedAlloc(void *userData, void *block, size_t oldSize, size_t newSize)
{
    auto *d = static_cast<LuaSession::Private *>(userData);
    const size_t previous = block ? oldSize : 0;
    if (newSize == 0) {
        std::free(block);
        d->memoryUsed -= previous;
        return nullptr;
    }
    if (newSize > previous && d->memoryUsed - previous + newSize > d->memoryLimit)
        return nullptr;
    void *grown = std::realloc(block, newSize);
    if (grown)
        d->memoryUsed = d->memoryUsed - previous + newSize;
    return grown;
}

// Errors outside any protected call; Kiln runs everything protected, so this
// means a bug, and a message beats a silent abort.
int onPanic(lua_State *L)
{
    qCritical("kiln: unprotected Lua error: %s", lua_tostring(L, -1));
    return 0;
}

[[noreturn]] void raiseInterrupt(lua_State *L)
{
    lua_pushlightuserdata(L, &kInterruptTag);
    lua_error(L);
    Q_UNREACHABLE();
}

bool isInterruptValue(lua_State *L, int index)
{
    return lua_islightuserdata(L, index) && lua_touserdata(L, index) == &kInterruptTag;
}

// Fires every kInterruptCheckInterval instructions in every coroutine (new
// threads inherit the hook), so even `while true do end` stops.
void interruptHook(lua_State *L, lua_Debug *)
{
    LuaSession::Private *d = LuaSession::Private::from(L);
    if (d->pauseGate)
        d->pauseGate->wait(*d->interrupt);
    if (d->interrupted())
        raiseInterrupt(L);
}

// pcall, xpcall and coroutine.resume catch errors, interruption included; these
// wrappers raise it again so that a script cannot swallow a stop.
int afterProtectedCall(lua_State *L, int, lua_KContext)
{
    if (LuaSession::Private::from(L)->interrupted())
        raiseInterrupt(L);
    return lua_gettop(L);
}

int protectedCallGuard(lua_State *L)
{
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 0, afterProtectedCall);
    return afterProtectedCall(L, LUA_OK, 0);
}

void guardProtectedCall(lua_State *L, int table, const char *name)
{
    lua_getfield(L, table, name);
    lua_pushcclosure(L, protectedCallGuard, 1);
    lua_setfield(L, table, name);
}

QString joinedArguments(lua_State *L, const char *separator)
{
    QByteArray text;
    const int n = lua_gettop(L);
    for (int i = 1; i <= n; ++i) {
        size_t len = 0;
        const char *s = luaL_tolstring(L, i, &len);
        if (i > 1)
            text += separator;
        text.append(s, qsizetype(len));
        lua_pop(L, 1);
    }
    return QString::fromUtf8(text);
}

int identity(lua_State *L)
{
    return lua_gettop(L);
}

// xpcall's message handler runs with hooks off when the error came from the
// interrupt hook, so a looping handler could never be stopped: skip it then.
int guardedMessageHandler(lua_State *L)
{
    if (LuaSession::Private::from(L)->interrupted())
        return 1;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

int guardedXpcall(lua_State *L)
{
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, guardedMessageHandler, 1);
    lua_replace(L, 2);
    return protectedCallGuard(L);
}

int luaPrint(lua_State *L)
{
    const QString line = joinedArguments(L, "\t") + QLatin1Char('\n');
    LuaSession::Private::from(L)->sink(OutputItem::makeText(line));
    return 0;
}

int luaIoWrite(lua_State *L)
{
    const int n = lua_gettop(L);
    for (int i = 1; i <= n; ++i)
        luaL_checkany(L, i);
    for (int i = 1; i <= n; ++i) {
        if (!lua_isstring(L, i))
            return luaL_argerror(L, i, "string or number expected");
    }
    LuaSession::Private::from(L)->sink(OutputItem::makeText(joinedArguments(L, "")));
    return 0;
}


// Lua-level write limits (LuaSession::setWritableFolders) and the guard against
// opening what would block forever. The kernel's Landlock sandbox is the real
// barrier; these give a message that names the rule.

// The path a file operation on `path` would reach: absolute against the working
// folder, its folder canonical (symbolic links and ".." resolved as the OS
// would), and with `followLast` the final symbolic link followed too, dangling
// or not (opening for writing creates a dangling link's target).
QString resolvedPath(QString path, bool followLast)
{
    for (int depth = 0; depth < 40; ++depth) {
        if (!QDir::isAbsolutePath(path))
            path = QDir::currentPath() + QLatin1Char('/') + path;
        const QFileInfo info(path);
        if (followLast && info.isSymLink()) {
            const QString canonical = info.canonicalFilePath();
            if (!canonical.isEmpty())
                return canonical;
            path = info.symLinkTarget();
            continue;
        }
        const int slash = int(path.lastIndexOf(QLatin1Char('/')));
        const QString name = path.mid(slash + 1);
        if (name.isEmpty() || name == QLatin1String(".") || name == QLatin1String("..")) {
            const QString canonical = info.canonicalFilePath();
            return canonical.isEmpty() ? QDir::cleanPath(path) : canonical;
        }
        const QString parent = slash <= 0 ? QStringLiteral("/") : path.left(slash);
        const QString canonicalParent = QFileInfo(parent).canonicalFilePath();
        if (canonicalParent.isEmpty())
            return QDir::cleanPath(path);  // the OS will say the folder does not exist
        if (canonicalParent == QLatin1String("/"))
            return QLatin1Char('/') + name;
        return canonicalParent + QLatin1Char('/') + name;
    }
    return QDir::cleanPath(path);
}

// Devices any code may open, for reading and (as the sandbox allows) writing.
constexpr const char *kHarmlessDevices[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"};

bool isHarmlessDevice(const QString &path)
{
    for (const char *device : kHarmlessDevices) {
        if (path == QLatin1String(device))
            return true;
    }
    return false;
}

bool isBeneath(const QString &path, const QString &folder)
{
    if (folder == QLatin1String("/"))
        return true;
    return path == folder || (path.startsWith(folder) && path.at(folder.size()) == QLatin1Char('/'));
}

// Raises the Lua error when writing to (or removing, renaming) `name` is outside the writable folders.
void checkWritable(lua_State *L, const char *function, const char *verb, const char *name, bool followLast)
{
    const std::optional<QStringList> &folders = LuaSession::Private::from(L)->writableFolders;
    if (!folders)
        return;
    const QString given = QFile::decodeName(name);
    const QString path = resolvedPath(given, followLast);
    if (followLast && isHarmlessDevice(path))
        return;
    for (const QString &folder : *folders) {
        if (isBeneath(path, folder))
            return;
    }
    const QString shown = path == given ? given : QStringLiteral("%1 (%2)").arg(given, path);
    const QString message = QStringLiteral("%1: %2 %3 is outside the folders notebook code may write to (%4)")
                                .arg(QLatin1String(function), QLatin1String(verb), shown,
                                     folders->isEmpty() ? QStringLiteral("none") : folders->join(QStringLiteral(", ")));
    luaL_error(L, "%s", message.toUtf8().constData());
}

// Opening a named pipe, a socket or most devices can wait forever, where no
// interrupt reaches: refuse them, before the open. The usual devices stay.
void checkOpenable(lua_State *L, const char *function, const char *name)
{
    struct stat st;
    if (::stat(name, &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
        return;  // missing files and folders: the OS's own message
    const char *kind = S_ISFIFO(st.st_mode) ? "a named pipe (FIFO)"
        : S_ISSOCK(st.st_mode)              ? "a socket"
                                            : "a device";
    if (S_ISCHR(st.st_mode) && isHarmlessDevice(QFileInfo(QFile::decodeName(name)).canonicalFilePath()))
        return;
    luaL_error(L, "%s: %s is %s; notebook code opens regular files only (and /dev/null, /dev/zero, "
                  "/dev/urandom), so that a cell cannot wait forever",
               function, name, kind);
}

// Calls the wrapped function (upvalue 1) with this call's arguments.
int callOriginal(lua_State *L)
{
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

bool hasFileName(lua_State *L, int index)
{
    return lua_type(L, index) == LUA_TSTRING || lua_type(L, index) == LUA_TNUMBER;
}

int guardedIoOpen(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    const char *mode = luaL_optstring(L, 2, "r");
    if (std::strpbrk(mode, "wa+"))
        checkWritable(L, "io.open", "writing to", name, true);
    checkOpenable(L, "io.open", name);
    return callOriginal(L);
}

int guardedIoOutput(lua_State *L)
{
    if (hasFileName(L, 1)) {
        const char *name = lua_tostring(L, 1);
        checkWritable(L, "io.output", "writing to", name, true);
        checkOpenable(L, "io.output", name);
    }
    return callOriginal(L);
}

int guardedIoInput(lua_State *L)
{
    if (hasFileName(L, 1))
        checkOpenable(L, "io.input", lua_tostring(L, 1));
    return callOriginal(L);
}

int guardedIoLines(lua_State *L)
{
    if (hasFileName(L, 1))
        checkOpenable(L, "io.lines", lua_tostring(L, 1));
    return callOriginal(L);
}

int guardedOsRemove(lua_State *L)
{
    checkWritable(L, "os.remove", "removing", luaL_checkstring(L, 1), false);
    return callOriginal(L);
}

int guardedOsRename(lua_State *L)
{
    const char *from = luaL_checkstring(L, 1);
    const char *to = luaL_checkstring(L, 2);
    checkWritable(L, "os.rename", "renaming", from, false);
    checkWritable(L, "os.rename", "renaming to", to, false);
    return callOriginal(L);
}

void wrapFunction(lua_State *L, int table, const char *name, lua_CFunction guard)
{
    lua_getfield(L, table, name);
    lua_pushcclosure(L, guard, 1);
    lua_setfield(L, table, name);
}

// load/loadfile with the mode forced to text: binary chunks can crash the VM.
int textOnlyLoad(lua_State *L, int modeArgument)
{
    if (lua_gettop(L) < modeArgument)
        lua_settop(L, modeArgument);
    lua_pushliteral(L, "t");
    lua_replace(L, modeArgument);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

int luaLoad(lua_State *L)
{
    return textOnlyLoad(L, 3);
}

int luaLoadFile(lua_State *L)
{
    if (hasFileName(L, 1))
        checkOpenable(L, "loadfile", lua_tostring(L, 1));
    return textOnlyLoad(L, 2);
}

int luaDoFile(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    checkOpenable(L, "dofile", name);
    lua_settop(L, 1);
    if (luaL_loadfilex(L, name, "t") != LUA_OK)
        return lua_error(L);
    lua_call(L, 0, LUA_MULTRET);
    return lua_gettop(L) - 1;
}

// package.searchers entry: Lua source modules from the notebook's folder, then
// from Kiln's own library. No C modules, no binary chunks, no path escapes.
int kilnSearcher(lua_State *L)
{
    const QString name = QString::fromUtf8(luaL_checkstring(L, 1));
    static const QRegularExpression validName(QStringLiteral("^[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*$"));
    if (!validName.match(name).hasMatch()) {
        lua_pushfstring(L, "\n\tinvalid module name '%s'", name.toUtf8().constData());
        return 1;
    }
    const QString relative = QString(name).replace(QLatin1Char('.'), QLatin1Char('/'));
    QStringList directories;
    const QString notebookDirectory = LuaSession::Private::from(L)->notebookDirectory;
    if (!notebookDirectory.isEmpty())
        directories.append(notebookDirectory);
    directories.append(kLibraryDirectory);

    QString tried;
    for (const QString &directory : std::as_const(directories)) {
        const QStringList candidates{relative + QLatin1String(".lua"), relative + QLatin1String("/init.lua")};
        for (const QString &candidate : candidates) {
            const QString path = directory + QLatin1Char('/') + candidate;
            QFile file(path);
            if (!QFileInfo(path).isFile() || !file.open(QIODevice::ReadOnly)) {
                tried += QLatin1String("\n\tno file '") + path + QLatin1Char('\'');
                continue;
            }
            const QByteArray source = file.readAll();
            const QByteArray chunkName = '@' + path.toUtf8();
            if (luaL_loadbufferx(L, source.constData(), size_t(source.size()), chunkName.constData(), "t") != LUA_OK) {
                return luaL_error(L, "error loading module '%s' from file '%s':\n\t%s",
                                  name.toUtf8().constData(), path.toUtf8().constData(), lua_tostring(L, -1));
            }
            lua_pushstring(L, path.toUtf8().constData());
            return 2;
        }
    }
    lua_pushstring(L, tried.toUtf8().constData());
    return 1;
}

// Message handler: remembers the line within the evaluated cell and a traceback
// while the stack that failed still exists.
int messageHandler(lua_State *L)
{
    LuaSession::Private *d = LuaSession::Private::from(L);
    const bool interrupt = isInterruptValue(L, 1);
    if (!interrupt && lua_type(L, 1) != LUA_TSTRING) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            lua_replace(L, 1);
        else {
            lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
            lua_replace(L, 1);
        }
    }

    d->errorLine = 0;
    lua_Debug ar;
    for (int level = 1; lua_getstack(L, level, &ar); ++level) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.currentline > 0 && d->chunkSource == ar.source) {
            d->errorLine = ar.currentline;
            break;
        }
    }

    luaL_traceback(L, L, nullptr, 1);
    QString traceback = QString::fromUtf8(lua_tostring(L, -1));
    lua_pop(L, 1);
    // Drop the frames below the cell's main chunk: they are Kiln's, not the user's.
    const QStringList lines = traceback.split(QLatin1Char('\n'));
    QStringList kept;
    for (const QString &line : lines) {
        kept.append(line);
        if (line.contains(QLatin1String("in main chunk")))
            break;
    }
    d->traceback = kept.join(QLatin1Char('\n'));
    lua_settop(L, 1);
    return 1;
}

// Runs the compiled cell (argument 1) and returns what it returned, formatted for display.
int runCell(lua_State *L)
{
    lua_settop(L, 1);
    lua_call(L, 0, LUA_MULTRET);
    const int count = lua_gettop(L);
    // A final expression, or an explicit top-level return, is displayed.
    if (count == 0)
        return 0;
    QStringList values;
    for (int i = 1; i <= count; ++i)
        values.append(formatLuaValue(L, i));
    // One tensor: the window also gets its shape, a grid or a picture.
    LuaSession::Private::from(L)->valueData = count == 1 ? describeTorchValue(L, 1) : QJsonObject();
    const QByteArray text = values.join(QLatin1Char('\n')).toUtf8();
    lua_pushlstring(L, text.constData(), size_t(text.size()));
    return 1;
}

int dumpWriter(lua_State *, const void *data, size_t size, void *userData)
{
    static_cast<QByteArray *>(userData)->append(static_cast<const char *>(data), qsizetype(size));
    return 0;
}

bool isMeaningfulLine(const QString &line)
{
    const QString trimmed = line.trimmed();
    if (trimmed.isEmpty())
        return false;
    return !(trimmed.startsWith(QLatin1String("--")) && !trimmed.startsWith(QLatin1String("--[")));
}

// "label:12: message" -> 12 and "message", for errors raised in the cell itself.
int takeLocation(QString *message, const QByteArray &label)
{
    const QString prefix = QString::fromUtf8(label) + QLatin1Char(':');
    if (!message->startsWith(prefix))
        return 0;
    int i = int(prefix.size());
    int line = 0;
    while (i < message->size() && message->at(i).isDigit())
        line = line * 10 + message->at(i++).digitValue();
    if (i == prefix.size() || i >= message->size() || message->at(i) != QLatin1Char(':'))
        return 0;
    ++i;
    if (i < message->size() && message->at(i) == QLatin1Char(' '))
        ++i;
    *message = message->mid(i);
    return line;
}

} // namespace

void LuaSession::Private::createState()
{
    L = lua_newstate(limitedAlloc, this);
    if (L)
        lua_atpanic(L, onPanic);
    if (!L)
        qFatal("kiln: cannot create a Lua state (out of memory)");
    *static_cast<Private **>(lua_getextraspace(L)) = this;
    luaL_openlibs(L);
    installSandbox();
    TorchHooks hooks;
    hooks.checkInterrupt = [](lua_State *state) {
        if (Private::from(state)->interrupted())
            raiseInterrupt(state);
    };
    hooks.isInterrupted = [](lua_State *state) { return Private::from(state)->interrupted(); };
    hooks.emit = [](lua_State *state, const OutputItem &item) { Private::from(state)->sink(item); };
    openTorch(L, hooks);
    // The Lua half of the API (nn, optim, data.batches, plot, ...). It is part
    // of Kiln, so a failure here is a bug in Kiln, not in the notebook.
    lua_getglobal(L, "require");
    lua_pushliteral(L, "kiln.prelude");
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
        qWarning("kiln: the Lua prelude failed: %s", lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    // Every entry that takes options checks its arguments (luaapi/luaarguments.cpp).
    const QStringList unchecked = lua::installArgumentChecks(L);
    if (!unchecked.isEmpty())
        qWarning("kiln: API entries without argument checks: %s", qPrintable(unchecked.join(QStringLiteral(", "))));
    // Everything global by now is Kiln's: the window's variables view lists the rest.
    const int top = lua_gettop(L);
    lua_getglobal(L, "require");
    lua_pushliteral(L, "kiln.variables");
    if (lua_pcall(L, 1, 1, 0) != LUA_OK || lua_getfield(L, -1, "mark_builtins") != LUA_TFUNCTION
        || lua_pcall(L, 0, 0, 0) != LUA_OK)
        qWarning("kiln: the variables view's baseline failed: %s", lua_tostring(L, -1));
    lua_settop(L, top);
    lua_sethook(L, interruptHook, LUA_MASKCOUNT, kInterruptCheckInterval);
}

void LuaSession::Private::installSandbox()
{
    lua_pushglobaltable(L);
    const int globals = lua_gettop(L);

    lua_pushcfunction(L, luaPrint);
    lua_setfield(L, globals, "print");
    guardProtectedCall(L, globals, "pcall");
    lua_getfield(L, globals, "xpcall");
    lua_pushcclosure(L, guardedXpcall, 1);
    lua_setfield(L, globals, "xpcall");
    lua_pushcfunction(L, identity);
    lua_setfield(L, globals, KILN_VALUE_FUNCTION);
    lua_getfield(L, globals, "load");
    lua_pushcclosure(L, luaLoad, 1);
    lua_setfield(L, globals, "load");
    lua_getfield(L, globals, "loadfile");
    lua_pushcclosure(L, luaLoadFile, 1);
    lua_setfield(L, globals, "loadfile");
    lua_pushcfunction(L, luaDoFile);
    lua_setfield(L, globals, "dofile");

    lua_getfield(L, globals, "coroutine");
    guardProtectedCall(L, lua_gettop(L), "resume");
    lua_pop(L, 1);

    lua_getfield(L, globals, "os");
    for (const char *name : {"execute", "exit"}) {
        lua_pushnil(L);
        lua_setfield(L, -2, name);
    }
    wrapFunction(L, lua_gettop(L), "remove", guardedOsRemove);
    wrapFunction(L, lua_gettop(L), "rename", guardedOsRename);
    lua_pop(L, 1);

    lua_getfield(L, globals, "io");
    lua_pushnil(L);
    lua_setfield(L, -2, "popen");
    lua_pushcfunction(L, luaIoWrite);
    lua_setfield(L, -2, "write");
    wrapFunction(L, lua_gettop(L), "open", guardedIoOpen);
    wrapFunction(L, lua_gettop(L), "output", guardedIoOutput);
    wrapFunction(L, lua_gettop(L), "input", guardedIoInput);
    wrapFunction(L, lua_gettop(L), "lines", guardedIoLines);
    lua_pop(L, 1);

    // debug: traceback only; the rest can break the sandbox and the interrupt hook.
    lua_getfield(L, globals, "debug");
    lua_getfield(L, -1, "traceback");
    lua_newtable(L);
    lua_insert(L, -2);
    lua_setfield(L, -2, "traceback");
    lua_pushvalue(L, -1);
    lua_setfield(L, globals, "debug");
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_insert(L, -2);
    lua_setfield(L, -2, "debug");
    lua_pop(L, 2);

    lua_getfield(L, globals, "package");
    const int package = lua_gettop(L);
    lua_pushnil(L);
    lua_setfield(L, package, "loadlib");
    lua_pushliteral(L, "");
    lua_setfield(L, package, "cpath");
    lua_pushliteral(L, "");
    lua_setfield(L, package, "path");
    lua_getfield(L, package, "searchers");
    lua_rawgeti(L, -1, 1);  // the preload searcher stays
    lua_createtable(L, 2, 0);
    lua_insert(L, -2);
    lua_rawseti(L, -2, 1);
    lua_pushcfunction(L, kilnSearcher);
    lua_rawseti(L, -2, 2);
    lua_setfield(L, package, "searchers");
    lua_pop(L, 2);

    lua_settop(L, globals - 1);
}

bool LuaSession::Private::compile(const QString &code, const QByteArray &chunkName, QString *error)
{
    // The final expression is displayed, as a REPL does: find the last line from
    // which "return <rest>" compiles. Line numbers stay those of the cell.
    const QStringList lines = code.split(QLatin1Char('\n'));
    int last = int(lines.size()) - 1;
    while (last >= 0 && !isMeaningfulLine(lines.at(last)))
        --last;
    auto compiles = [this, &chunkName](const QByteArray &source) {
        const bool ok = luaL_loadbufferx(L, source.constData(), size_t(source.size()), chunkName.constData(), "t") == LUA_OK;
        lua_pop(L, 1);
        return ok;
    };
    for (int start = last; start >= 0 && start > last - kExpressionSearchLines; --start) {
        if (!isMeaningfulLine(lines.at(start)))
            continue;
        // The lines before must be whole statements and the rest a whole
        // expression: this keeps "return" out of a loop body or an if branch.
        const QString prefix = QStringList(lines.mid(0, start)).join(QLatin1Char('\n'));
        const QString suffix = QStringList(lines.mid(start)).join(QLatin1Char('\n'));
        if (!compiles(QByteArray("return ") + suffix.toUtf8()) || !compiles(prefix.toUtf8()))
            continue;
        // Through an identity function, so a final call is not a tail call: its
        // errors keep the cell's frame (and line) in the traceback.
        const QByteArray candidate = (prefix + (start > 0 ? QLatin1String("\n") : QLatin1String(""))
                                      + QLatin1String("return " KILN_VALUE_FUNCTION "(") + suffix + QLatin1String("\n)"))
                                         .toUtf8();
        if (luaL_loadbufferx(L, candidate.constData(), size_t(candidate.size()), chunkName.constData(), "t") == LUA_OK) {
            return true;
        }
        lua_pop(L, 1);
    }
    const QByteArray source = code.toUtf8();
    if (luaL_loadbufferx(L, source.constData(), size_t(source.size()), chunkName.constData(), "t") == LUA_OK)
        return true;
    *error = QString::fromUtf8(lua_tostring(L, -1));
    lua_pop(L, 1);
    return false;
}

LuaSession::LuaSession(std::shared_ptr<std::atomic<bool>> interrupt, OutputSink sink)
    : d(std::make_unique<Private>())
{
    d->interrupt = std::move(interrupt);
    d->sink = std::move(sink);
    d->createState();
}

LuaSession::~LuaSession()
{
    lua_close(d->L);
}

void LuaSession::setPauseGate(std::shared_ptr<PauseGate> gate)
{
    d->pauseGate = std::move(gate);
}

void LuaSession::setNotebookDirectory(const QString &directory)
{
    d->notebookDirectory = directory;
}

void LuaSession::setWritableFolders(const QStringList &folders)
{
    QStringList canonical;
    for (const QString &folder : folders) {
        const QString path = QFileInfo(folder).canonicalFilePath();
        canonical << (path.isEmpty() ? QDir::cleanPath(QDir(folder).absolutePath()) : path);
    }
    d->writableFolders = canonical;
}

EvalResult LuaSession::evaluate(const QString &code, const QString &label)
{
    QElapsedTimer timer;
    timer.start();
    lua_State *L = d->L;
    lua_settop(L, 0);

    EvalResult result;
    // Kiln's own queries (labels "__kiln:...") do not count as evaluations.
    if (!label.startsWith(QLatin1String("__kiln:")))
        result.evaluationNumber = ++d->evaluationCount;
    const QByteArray chunkLabel = (label.isEmpty() ? QStringLiteral("cell") : label).toUtf8();
    d->chunkSource = '=' + chunkLabel;

    QString compileError;
    if (!d->compile(code, d->chunkSource, &compileError)) {
        result.status = EvalResult::Status::Error;
        result.error.message = compileError;
        result.error.line = takeLocation(&result.error.message, chunkLabel);
        d->sink(OutputItem::makeError(result.error.message, result.error.line, QString()));
        result.durationMs = timer.elapsed();
        return result;
    }

    QByteArray dump;
    lua_dump(L, dumpWriter, &dump, 0);
    const GlobalAccess access = scanGlobalAccess(dump);
    result.reads = access.reads;
    result.reads.removeOne(QStringLiteral(KILN_VALUE_FUNCTION));
    result.writes = access.writes;

    const int chunk = lua_gettop(L);
    lua_pushcfunction(L, messageHandler);
    lua_insert(L, chunk);
    lua_pushcfunction(L, runCell);
    lua_insert(L, chunk + 1);
    d->errorLine = 0;
    d->traceback.clear();
    d->valueData = QJsonObject();
    beginTorchEvaluation(L);
    std::optional<lua::TorchWarningsToOutput> warnings(std::in_place, L);
    const int status = lua_pcall(L, 1, LUA_MULTRET, chunk);
    warnings.reset();
    // Live-plot points still pending arrive before the result, protected so
    // that an out-of-memory here cannot escape.
    lua_pushcfunction(L, [](lua_State *state) {
        endTorchEvaluation(state);
        return 0;
    });
    if (lua_pcall(L, 0, 0, 0) != LUA_OK)
        lua_pop(L, 1);

    if (status == LUA_OK) {
        if (lua_gettop(L) > chunk) {
            size_t len = 0;
            const char *text = lua_tolstring(L, -1, &len);
            OutputItem value = OutputItem::makeValue(QString::fromUtf8(text, qsizetype(len)));
            value.data = d->valueData;
            d->sink(value);
        }
    } else if (isInterruptValue(L, -1) || d->interrupted()) {
        result.status = EvalResult::Status::Interrupted;
        result.error.message = QStringLiteral("interrupted");
        result.error.line = d->errorLine;
        result.error.traceback = d->traceback;
        d->sink(OutputItem::makeError(result.error.message, result.error.line, result.error.traceback));
    } else {
        result.status = EvalResult::Status::Error;
        result.error.message = QString::fromUtf8(lua_tostring(L, -1));
        const int messageLine = takeLocation(&result.error.message, chunkLabel);
        // The message names the line a level-2 error() blames; otherwise the innermost frame in this cell.
        result.error.line = messageLine > 0 ? messageLine : d->errorLine;
        result.error.traceback = d->traceback;
        d->sink(OutputItem::makeError(result.error.message, result.error.line, result.error.traceback));
    }
    lua_settop(L, 0);
    result.durationMs = timer.elapsed();
    return result;
}

} // namespace kiln
