#include "kernel/luasession.h"
#include "kernel/sandbox.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace kiln;

namespace {

bool beneath(const QString &path, const QString &folder)
{
    const QString p = QFileInfo(path).canonicalFilePath();
    const QString f = QFileInfo(folder).canonicalFilePath();
    return !f.isEmpty() && (p == f || p.startsWith(f + QLatin1Char('/')) || f == QLatin1String("/"));
}

} // namespace

// The kernel's sandbox (core/kernel/sandbox.cpp), tried for real in a child process
// (tests/sandboxprobe.cpp), and the Lua-level write limits of LuaSession.
class TestSandbox : public QObject
{
    Q_OBJECT

    // Folders beside this test's binary, outside the temp folder (which the
    // sandbox allows), so that "outside" really is outside; for a build inside
    // the temp folder, the outside folder goes in the home folder instead.
    static QString outsideBase()
    {
        const QString build = QDir(QCoreApplication::applicationDirPath()).canonicalPath();
        const QString temp = QDir(QDir::tempPath()).canonicalPath();
        const bool inTemp = build == temp || build.startsWith(temp + QLatin1Char('/'));
        return inTemp ? QDir::homePath() + QStringLiteral("/.kiln-sandbox-outside-XXXXXX")
                      : build + QStringLiteral("/sandbox-outside-XXXXXX");
    }

    QTemporaryDir mNotebook{QCoreApplication::applicationDirPath() + QStringLiteral("/sandbox-notebook-XXXXXX")};
    QTemporaryDir mOutside{outsideBase()};
    QTemporaryDir mGranted{QCoreApplication::applicationDirPath() + QStringLiteral("/sandbox-granted-XXXXXX")};
    QTemporaryDir mHfHome{QCoreApplication::applicationDirPath() + QStringLiteral("/sandbox-hf-XXXXXX")};
    SandboxStatus mProbe;
    QString mOutsideProblem;  // why the probe's "outside" folder cannot be used
    QMap<QString, QString> mLines;
    QString mProbeOutput;

    QString runLua(LuaSession &session, const QString &code, bool *ok)
    {
        const EvalResult result = session.evaluate(code, QStringLiteral("c1"));
        *ok = result.ok();
        return result.error.message;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(mNotebook.isValid() && mOutside.isValid() && mGranted.isValid() && mHfHome.isValid());
        mProbe = probeSandbox();
        qInfo("%s", qPrintable(mProbe.describe()));

        qputenv("HF_HOME", QFile::encodeName(mHfHome.path() + QStringLiteral("/home")));
        qunsetenv("HF_HUB_CACHE");
        const SandboxPolicy policy = standardPolicy(mNotebook.path(), {mGranted.path()});
        for (const QString &folder : policy.writableFolders) {
            if (folder != mNotebook.path() && folder != mGranted.path() && beneath(mOutside.path(), folder))
                mOutsideProblem = QStringLiteral("the build folder %1 lies in %2, which the sandbox allows")
                                      .arg(mOutside.path(), folder);
        }

        QFile existing(mOutside.filePath(QStringLiteral("existing.txt")));
        QVERIFY(existing.open(QIODevice::WriteOnly));
        existing.write("before\n");
        existing.close();
        QFile readable(mOutside.filePath(QStringLiteral("readable.txt")));
        QVERIFY(readable.open(QIODevice::WriteOnly));
        readable.write("read me\n");
        readable.close();

        QProcess probe;
        probe.setProcessChannelMode(QProcess::MergedChannels);
        // libtorch under the sandbox: its thread pool, its allocator, the CUDA
        // plugin (dlopen) and a GPU where there is one; and Lua's own limits.
        const QString cell = QStringLiteral(
            "torch.set_num_threads(4)\n"
            "local x = torch.randn({256, 256})\n"
            "local y = (x:matmul(x)):sum():item()\n"
            "local ok = pcall(io.open, '%1/lua.txt', 'w')\n"
            "local gpu = 'no gpu'\n"
            "if torch.cuda.is_available() then gpu = torch.ones({1024, 1024}, {device = 'cuda'}):sum():item() end\n"
            "return tostring(ok) .. ' ' .. tostring(gpu)")
                                 .arg(mOutside.path());
        probe.start(QStringLiteral(KILN_SANDBOXPROBE),
                    {QStringLiteral("--test-mode"), QStringLiteral("--deny-local-sockets"), mNotebook.path(), mOutside.path(), mGranted.path(), cell});
        QVERIFY(probe.waitForFinished(120000));
        mProbeOutput = QString::fromLocal8Bit(probe.readAll());
        QCOMPARE(probe.exitCode(), 0);
        for (const QString &line : mProbeOutput.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            mLines.insert(line.section(QLatin1Char(' '), 0, 0), line.section(QLatin1Char(' '), 1));
        QVERIFY2(mLines.contains(QStringLiteral("done")), qPrintable(mProbeOutput));
    }

    void probeReportsWhatApplied()
    {
        QCOMPARE(mLines.value(QStringLiteral("landlock")).toInt(), mProbe.landlockAbi);
        QCOMPARE(mLines.value(QStringLiteral("seccomp")).toInt(), int(mProbe.seccomp));
        const QString describe = mLines.value(QStringLiteral("describe"));
        if (mProbe.landlockAbi > 0) {
            QVERIFY2(describe.startsWith(QStringLiteral("Sandbox: writes limited to the notebook's folder")),
                     qPrintable(describe));
            QVERIFY(describe.contains(QStringLiteral("Landlock ABI %1").arg(mProbe.landlockAbi)));
            const QStringList folders = mLines.value(QStringLiteral("folders")).split(QLatin1Char(':'));
            QVERIFY(folders.contains(mNotebook.path()));
            QVERIFY(folders.contains(mGranted.path()));
            QVERIFY(folders.contains(QDir::cleanPath(QDir::tempPath())));
            QVERIFY(folders.contains(mHfHome.path() + QStringLiteral("/home/hub")));
        } else {
            QVERIFY2(describe.startsWith(QStringLiteral("No sandbox: ")), qPrintable(describe));
            QVERIFY(describe.endsWith(QStringLiteral("notebook code can write wherever you can"))
                    || describe.contains(QStringLiteral("seccomp")));
        }
    }

    void attempt_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("allowed");
        QTest::addColumn<QString>("needs");  // "landlock" or "seccomp": what refuses it
        auto allowed = [](const char *name) { QTest::newRow(name) << QString::fromLatin1(name) << true << QString(); };
        auto refused = [](const char *name, const char *by) {
            QTest::newRow(name) << QString::fromLatin1(name) << false << QString::fromLatin1(by);
        };
        allowed("write_inside");
        allowed("write_temp");
        allowed("write_granted");
        allowed("write_kiln_data");
        allowed("write_hub_cache");
        allowed("write_dev_null");
        allowed("mkdir_inside");
        allowed("rename_inside");
        allowed("remove_inside");
        allowed("read_outside");
        allowed("thread_write_inside");
        refused("write_outside", "landlock");
        refused("modify_outside", "landlock");
        refused("truncate_outside", "landlock");
        refused("rename_outside", "landlock");
        refused("move_out_of_notebook", "landlock");
        refused("remove_outside", "landlock");
        refused("mkdir_outside", "landlock");
        refused("symlink_outside", "landlock");
        refused("write_proc_self_mem", "landlock");
        if (QFileInfo::exists(QStringLiteral("/dev/nvidiactl")))
            allowed("write_thread_comm");
        else
            refused("write_thread_comm", "landlock");
        refused("thread_write_outside", "landlock");
        refused("execve", "seccomp");
        refused("ptrace_parent", "seccomp");
        refused("unshare_user", "seccomp");
        // The kernel's policy: its channel to the window is open before the sandbox.
        refused("unix_socket", "seccomp");
        refused("unix_datagram_socket", "seccomp");
        allowed("unix_seqpacket_socket");  // CUDA's driver needs it
        allowed("inet_socket");
        allowed("unix_socketpair");
    }

    void attempt()
    {
        QFETCH(QString, name);
        QFETCH(bool, allowed);
        QFETCH(QString, needs);
        if (needs == QLatin1String("landlock") && mProbe.landlockAbi == 0)
            QSKIP(qPrintable(QStringLiteral("no Landlock here, so writes are not limited: ") + mProbe.landlockUnavailable));
        if (needs == QLatin1String("landlock") && !mOutsideProblem.isEmpty())
            QSKIP(qPrintable(mOutsideProblem));
        if (needs == QLatin1String("seccomp") && !mProbe.seccomp)
            QSKIP(qPrintable(QStringLiteral("no seccomp here: ") + mProbe.seccompUnavailable));
        QVERIFY2(mLines.contains(name), qPrintable(mProbeOutput));
        const QString line = mLines.value(name);
        if (allowed) {
            QVERIFY2(line == QLatin1String("ok"), qPrintable(name + QLatin1Char(' ') + line));
        } else {
            QVERIFY2(line.startsWith(QLatin1String("failed ")), qPrintable(name + QLatin1Char(' ') + line));
            const int error = line.section(QLatin1Char(' '), 1, 1).toInt();
            // Landlock answers EACCES (EXDEV for a move between folders); seccomp EPERM.
            if (needs == QLatin1String("seccomp"))
                QCOMPARE(error, EPERM);
            else
                QVERIFY2(error == EACCES || error == EXDEV, qPrintable(name + QLatin1Char(' ') + line));
        }
    }

    void torchRunsInTheSandbox()
    {
        const QString line = mLines.value(QStringLiteral("lua"));
        QVERIFY2(line.startsWith(QStringLiteral("ok ")), qPrintable(line));
        // Lua refuses the write outside whenever the kernel sets its folders.
        if (mOutsideProblem.isEmpty())
            QVERIFY2(line.contains(QStringLiteral("false")), qPrintable(line));
        if (!line.contains(QStringLiteral("no gpu")))
            QVERIFY2(line.endsWith(QStringLiteral(" 1048576.0")) || line.endsWith(QStringLiteral(" 1048576")), qPrintable(line));
    }

    void outsideFilesUntouched()
    {
        if (mProbe.landlockAbi == 0 || !mOutsideProblem.isEmpty())
            QSKIP("writes are not limited here");
        QFile existing(mOutside.filePath(QStringLiteral("existing.txt")));
        QVERIFY(existing.open(QIODevice::ReadOnly));
        QCOMPARE(existing.readAll(), QByteArray("before\n"));
        QVERIFY(!QFile::exists(mOutside.filePath(QStringLiteral("new.txt"))));
        QVERIFY(!QFile::exists(mOutside.filePath(QStringLiteral("moved.txt"))));
        QVERIFY(QFile::exists(mNotebook.filePath(QStringLiteral("move-me.txt"))));
    }

    void standardPolicyFolders()
    {
        qputenv("HF_HUB_CACHE", QFile::encodeName(mHfHome.path() + QStringLiteral("/explicit-hub")));
        const SandboxPolicy policy = standardPolicy(mNotebook.path(), {mGranted.path()});
        qunsetenv("HF_HUB_CACHE");
        const QStringList &folders = policy.writableFolders;
        QCOMPARE(folders.value(0), mNotebook.path());
        QVERIFY(folders.contains(mGranted.path()));
        QVERIFY(folders.contains(QDir::cleanPath(QDir::tempPath())));
        QVERIFY(folders.contains(mHfHome.path() + QStringLiteral("/explicit-hub")));
        QVERIFY(QFileInfo(mHfHome.path() + QStringLiteral("/explicit-hub")).isDir());  // created
        const QString data = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
        QVERIFY(data.contains(QStringLiteral("qttest")));  // test mode reaches the policy
        QVERIFY(folders.contains(data + QStringLiteral("/Kiln/Kiln")));
        QVERIFY(folders.contains(data + QStringLiteral("/kiln")));
        QVERIFY(folders.contains(QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation)
                                 + QStringLiteral("/Kiln/Kiln")));
        // A notebook never saved has no folder of its own.
        QVERIFY(!standardPolicy(QString()).writableFolders.contains(QString()));
    }

    void describeNamesTheReason()
    {
        SandboxStatus none;
        none.landlockUnavailable = QStringLiteral("this Linux kernel has no Landlock (it needs Linux 5.13 or later built with it)");
        QCOMPARE(none.describe(), QStringLiteral("No sandbox: this Linux kernel has no Landlock (it needs Linux 5.13 or "
                                                 "later built with it); notebook code can write wherever you can"));
        SandboxStatus full;
        full.landlockAbi = 7;
        full.seccomp = true;
        QCOMPARE(full.describe(), QStringLiteral("Sandbox: writes limited to the notebook's folder, Kiln's folders, "
                                                 "the Hub cache, the temp folder and the folders granted in Preferences (Landlock ABI 7, seccomp)"));
    }

    // The kernel reports its sandbox to the window field by field, so the window
    // can describe it in the user's language.
    void statusTravelsAsCbor()
    {
        SandboxStatus status;
        status.landlockAbi = 6;
        status.seccompUnavailable = QStringLiteral("no filter");
        status.applied = true;
        status.folders = {QStringLiteral("/tmp"), QStringLiteral("/home/u/nb")};
        status.missingFolders = {QStringLiteral("/gone")};
        status.warning = QStringLiteral("2 threads were running");
        const SandboxStatus back = SandboxStatus::fromCbor(status.toCbor());
        QCOMPARE(back.describe(), status.describe());
        QCOMPARE(back.folders, status.folders);
        QCOMPARE(back.missingFolders, status.missingFolders);
        QVERIFY(back.applied && !back.seccomp && back.limitsWrites());
        QVERIFY(!SandboxStatus::fromCbor(QCborMap()).applied);
    }

    void luaWritesOutsideAreRefused_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("io.open w") << "io.open(OUT .. '/x.txt', 'w')"
                                   << "io.open: writing to {OUT}/x.txt is outside the folders notebook code may write to ({NB})";
        QTest::newRow("io.open a") << "io.open(OUT .. '/readable.txt', 'a')" << "io.open: writing to {OUT}/readable.txt";
        QTest::newRow("io.open r+") << "io.open(OUT .. '/readable.txt', 'r+b')" << "io.open: writing to {OUT}/readable.txt";
        QTest::newRow("io.output") << "io.output(OUT .. '/x.txt')" << "io.output: writing to {OUT}/x.txt";
        QTest::newRow("os.remove") << "os.remove(OUT .. '/readable.txt')" << "os.remove: removing {OUT}/readable.txt";
        QTest::newRow("os.rename from") << "os.rename(OUT .. '/readable.txt', NB .. '/r.txt')"
                                        << "os.rename: renaming {OUT}/readable.txt";
        QTest::newRow("os.rename to") << "io.open(NB .. '/m.txt', 'w'):close(); os.rename(NB .. '/m.txt', OUT .. '/m.txt')"
                                      << "os.rename: renaming to {OUT}/m.txt";
        QTest::newRow("dot-dot") << "io.open(NB .. '/../x.txt', 'w')" << "io.open: writing to {NB}/../x.txt (";
        // Writable to Landlock where there is an NVIDIA GPU: Lua still refuses it.
        QTest::newRow("thread mem") << "io.open('/proc/thread-self/mem', 'r+b')"
                                    << "io.open: writing to /proc/thread-self/mem (/proc/";
        QTest::newRow("symlink") << "io.open(NB .. '/link', 'w')" << "io.open: writing to {NB}/link ({OUT}/linked.txt)";
    }

    void luaWritesOutsideAreRefused()
    {
        QFETCH(QString, code);
        QFETCH(QString, message);
        QTemporaryDir scratch;
        const QString nb = scratch.filePath(QStringLiteral("nb"));
        const QString out = scratch.filePath(QStringLiteral("out"));
        QVERIFY(QDir().mkpath(nb) && QDir().mkpath(out));
        QFile(out + QStringLiteral("/readable.txt")).open(QIODevice::WriteOnly);
        QVERIFY(QFile::link(out + QStringLiteral("/linked.txt"), nb + QStringLiteral("/link")));  // dangling

        LuaSession session(std::make_shared<std::atomic<bool>>(false), [](const OutputItem &) {});
        session.setWritableFolders({nb});
        bool ok = false;
        const QString prelude = QStringLiteral("local NB, OUT = '%1', '%2'\n").arg(nb, out);
        const QString error = runLua(session, prelude + code, &ok);
        QVERIFY(!ok);
        // Braced placeholders: a temporary folder's random name may itself contain "NB" or "OUT".
        const QString expected = QString(message).replace(QStringLiteral("{OUT}"), out).replace(QStringLiteral("{NB}"), nb);
        QVERIFY2(error.contains(expected), qPrintable(error + QStringLiteral("\nexpected: ") + expected));
        QVERIFY(QFile::exists(out + QStringLiteral("/readable.txt")));
        QVERIFY(!QFile::exists(out + QStringLiteral("/x.txt")));
        QVERIFY(!QFile::exists(out + QStringLiteral("/linked.txt")));
    }

    void luaWritesInsideWork()
    {
        QTemporaryDir scratch;
        const QString nb = scratch.filePath(QStringLiteral("nb"));
        const QString out = scratch.filePath(QStringLiteral("out"));
        QVERIFY(QDir().mkpath(nb + QStringLiteral("/sub")) && QDir().mkpath(out));
        QFile(out + QStringLiteral("/readable.txt")).open(QIODevice::WriteOnly);
        LuaSession session(std::make_shared<std::atomic<bool>>(false), [](const OutputItem &) {});
        session.setWritableFolders({nb});
        bool ok = false;
        const QString error = runLua(session, QStringLiteral(R"(
            local NB, OUT = '%1', '%2'
            local f = assert(io.open(NB .. '/a.txt', 'w')); f:write('hello'); f:close()
            assert(os.rename(NB .. '/a.txt', NB .. '/sub/b.txt'))
            assert(io.open(NB .. '/sub/b.txt'):read('a') == 'hello')
            for line in io.lines(NB .. '/sub/b.txt') do assert(line == 'hello') end
            assert(os.remove(NB .. '/sub/b.txt'))
            assert(io.open(OUT .. '/readable.txt', 'r')):close()   -- reading stays open
            assert(io.open('/dev/null', 'w')):close()
            io.output(NB .. '/out.txt'); io.output():close()
            local missing, why = io.open(NB .. '/no/such/folder/x.txt', 'w')
            assert(missing == nil and why:find('No such file'), why)
        )").arg(nb, out), &ok);
        QVERIFY2(ok, qPrintable(error));
    }

    void luaWritesUnlimitedByDefault()
    {
        QTemporaryDir scratch;
        LuaSession session(std::make_shared<std::atomic<bool>>(false), [](const OutputItem &) {});
        bool ok = false;
        const QString error = runLua(session, QStringLiteral("local f = assert(io.open('%1', 'w')); f:close(); assert(os.remove('%1'))")
                                                  .arg(scratch.filePath(QStringLiteral("free.txt"))),
                                     &ok);
        QVERIFY2(ok, qPrintable(error));
    }

    void luaRefusesFifos_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("function");
        QTest::newRow("io.open") << "io.open(P)" << "io.open";
        QTest::newRow("io.open w") << "io.open(P, 'w')" << "io.open";
        QTest::newRow("io.lines") << "for l in io.lines(P) do end" << "io.lines";
        QTest::newRow("io.input") << "io.input(P)" << "io.input";
        QTest::newRow("dofile") << "dofile(P)" << "dofile";
        QTest::newRow("loadfile") << "loadfile(P)" << "loadfile";
    }

    void luaRefusesFifos()
    {
        QFETCH(QString, code);
        QFETCH(QString, function);
        QTemporaryDir scratch;
        const QString fifo = scratch.filePath(QStringLiteral("pipe"));
        QCOMPARE(mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        LuaSession session(std::make_shared<std::atomic<bool>>(false), [](const OutputItem &) {});
        session.setWritableFolders({scratch.path()});
        QElapsedTimer timer;
        timer.start();
        bool ok = false;
        const QString error = runLua(session, QStringLiteral("local P = '%1'\n").arg(fifo) + code, &ok);
        QVERIFY(!ok);
        QVERIFY2(error.startsWith(function + QStringLiteral(": ") + fifo
                                  + QStringLiteral(" is a named pipe (FIFO); notebook code opens regular files only")),
                 qPrintable(error));
        QVERIFY(timer.elapsed() < 5000);
    }
};

QTEST_GUILESS_MAIN(TestSandbox)
#include "tst_sandbox.moc"
