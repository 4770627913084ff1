#include "document/globalscan.h"
#include "kernel/luasession.h"

#include <QFile>
#include <QRandomGenerator>

#include <lua.hpp>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <thread>

using namespace kiln;

// A session with its outputs collected, evaluated synchronously on the test thread.
struct Harness
{
    std::shared_ptr<std::atomic<bool>> interrupt = std::make_shared<std::atomic<bool>>(false);
    OutputList outputs;
    LuaSession session{interrupt, [this](const OutputItem &item) { outputs.append(item); }};

    EvalResult run(const QString &code)
    {
        outputs.clear();
        interrupt->store(false);
        return session.evaluate(code, QStringLiteral("c1"));
    }

    // Text printed plus the displayed value, as one string.
    QString shown() const
    {
        QString text;
        for (const OutputItem &item : outputs) {
            if (item.kind != OutputItem::Kind::Error)
                text += item.text;
        }
        return text;
    }

    QString value() const
    {
        for (const OutputItem &item : outputs) {
            if (item.kind == OutputItem::Kind::Value)
                return item.text;
        }
        return QString();
    }

    // Runs code and sets the interrupt flag from another thread after `delayMs`.
    EvalResult runInterrupted(const QString &code, int delayMs = 150)
    {
        outputs.clear();
        interrupt->store(false);
        std::thread stopper([flag = interrupt, delayMs] {
            std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));
            flag->store(true);
        });
        const EvalResult result = session.evaluate(code, QStringLiteral("c1"));
        stopper.join();
        return result;
    }
};

class TestLuaSession : public QObject
{
    Q_OBJECT

private:
    // Runs the row's `code` in a fresh session and compares the displayed value.
    void checkDisplayedValue()
    {
        QFETCH(QString, code);
        QFETCH(QString, expected);
        Harness h;
        const EvalResult result = h.run(code);
        QVERIFY2(result.ok(), qPrintable(result.error.message));
        QCOMPARE(h.value(), expected);
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void globalsPersistLocalsDoNot()
    {
        Harness h;
        QVERIFY(h.run(QStringLiteral("answer = 42\nlocal hidden = 7")).ok());
        QVERIFY(h.run(QStringLiteral("print(answer, hidden)")).ok());
        QCOMPARE(h.shown(), QStringLiteral("42\tnil\n"));
    }

    void finalExpression_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("expected");
        QTest::newRow("single expression") << "1 + 2 * 3" << "7";
        QTest::newRow("float") << "7 / 2" << "3.5";
        QTest::newRow("last line of several") << "x = 5\ny = x * 2\ny + 1" << "11";
        QTest::newRow("comment after it") << "x = 5\nx\n-- done\n\n" << "5";
        QTest::newRow("multi-line table") << "{\n  a = 1,\n  b = {1, 2},\n}" << "{a = 1, b = {1, 2}}";
        QTest::newRow("string quoted") << "\"tab\\there\"" << "\"tab\\there\"";
        QTest::newRow("several values") << "1, \"two\"" << "1\n\"two\"";
        QTest::newRow("nil shown") << "nothing_here" << "nil";
        QTest::newRow("statement only") << "z = 3" << "";
        QTest::newRow("call with no results") << "print()" << "";
        QTest::newRow("loop is not cut short") << "n = 0\nfor i = 1, 3 do\n  n = n + i\nend" << "";
        QTest::newRow("if block") << "if true then\n  v = 1\nend\nv" << "1";
        QTest::newRow("explicit return") << "return 10" << "10";
    }

    void finalExpression() { checkDisplayedValue(); }

    void loopBodyRunsFully()
    {
        Harness h;
        QVERIFY(h.run(QStringLiteral("for i = 1, 3 do\n  print(i)\nend")).ok());
        QCOMPARE(h.shown(), QStringLiteral("1\n2\n3\n"));
    }

    void tableFormattingLimits()
    {
        Harness h;
        QVERIFY(h.run(QStringLiteral("t = {name = 'x'}\nt.self = t\nt")).ok());
        QCOMPARE(h.value(), QStringLiteral("{name = \"x\", self = <cycle>}"));

        QVERIFY(h.run(QStringLiteral("deep = {{{{{{1}}}}}}\ndeep")).ok());
        QVERIFY(h.value().contains(QStringLiteral("{...}")));

        QVERIFY(h.run(QStringLiteral("big = {}\nfor i = 1, 1000 do big[i] = i end\nbig")).ok());
        QVERIFY(h.value().contains(QStringLiteral("... (950 more)")));
        QVERIFY(h.value().size() < 2000);

        QVERIFY(h.run(QStringLiteral("mixed = {10, 20, key = 'v', [5.5] = true}\nmixed")).ok());
        QCOMPARE(h.value(), QStringLiteral("{10, 20, key = \"v\", [5.5] = true}"));

        QVERIFY(h.run(QStringLiteral("wide = {}\nfor i = 1, 30 do wide['k' .. i] = i end\nwide")).ok());
        QVERIFY(h.value().contains(QStringLiteral("\n  k1 = 1,\n")));

        QVERIFY(h.run(QStringLiteral("setmetatable({}, {__tostring = function() return 'custom' end})")).ok());
        QCOMPARE(h.value(), QStringLiteral("custom"));

        // Ordered tables (a state dict) show their entries in insertion order, not "OrderedDict: 0x...".
        QVERIFY(h.run(QStringLiteral("o = require('kiln.ordered').new()\no.zeta = 1\no.alpha = 2\no.mid = {3}\no")).ok());
        QCOMPARE(h.value(), QStringLiteral("{zeta = 1, alpha = 2, mid = {3}}"));
        QVERIFY(h.run(QStringLiteral("nn.Linear(2, 1):state_dict()")).ok());
        QVERIFY2(h.value().startsWith(QStringLiteral("{weight = tensor(")) && h.value().contains(QStringLiteral("bias = tensor(")),
                 qPrintable(h.value()));
    }

    void errorsCarryLineAndTraceback_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("message");
        QTest::newRow("error()") << "local a = 1\nerror('boom')" << 2 << "boom";
        QTest::newRow("arithmetic on nil") << "x = 1\n\nlocal y = nil + x" << 3 << "attempt to perform arithmetic on a nil value";
        QTest::newRow("syntax") << "x = 1\nif then" << 2 << "unexpected symbol near 'then'";
        QTest::newRow("in a function") << "local function f()\n  return undefined_fn()\nend\nf()" << 2
                                       << "attempt to call a nil value (global 'undefined_fn')";
        QTest::newRow("error with table") << "error({code = 1})" << 1 << "(error object is a table value)";
        QTest::newRow("error level 2") << "local function check(v)\n  error('bad value', 2)\nend\ncheck(1)" << 4 << "bad value";
    }

    void errorsCarryLineAndTraceback()
    {
        QFETCH(QString, code);
        QFETCH(int, line);
        QFETCH(QString, message);
        Harness h;
        QVERIFY(h.run(QStringLiteral("kept = 'still here'")).ok());
        const EvalResult result = h.run(code);
        QCOMPARE(result.status, EvalResult::Status::Error);
        QCOMPARE(result.error.line, line);
        QVERIFY2(result.error.message.startsWith(message), qPrintable(result.error.message));
        QVERIFY(!h.outputs.isEmpty());
        QCOMPARE(h.outputs.constLast().kind, OutputItem::Kind::Error);
        if (!QString::fromLatin1(QTest::currentDataTag()).startsWith(QLatin1String("syntax")))
            QVERIFY2(result.error.traceback.contains(QStringLiteral("stack traceback")), qPrintable(result.error.traceback));
        // The state survives the error.
        QVERIFY(h.run(QStringLiteral("kept")).ok());
        QCOMPARE(h.value(), QStringLiteral("\"still here\""));
    }

    void interruptRunawayLoops_data()
    {
        QTest::addColumn<QString>("code");
        QTest::newRow("empty loop") << "while true do end";
        QTest::newRow("pcall in the loop") << "while true do\n  pcall(function() while true do end end)\nend";
        QTest::newRow("xpcall in the loop") << "while true do\n  xpcall(function() while true do end end, function(e) return e end)\nend";
        QTest::newRow("short C calls") << "local floor = math.floor\nlocal i = 0\nwhile true do\n  i = floor(i + 1.5)\nend";
        QTest::newRow("coroutine") << "local co = coroutine.wrap(function() while true do end end)\nco()";
        QTest::newRow("coroutine.resume") << "while true do\n  coroutine.resume(coroutine.create(function() while true do end end))\nend";
        QTest::newRow("string functions") << "while true do\n  string.rep('x', 100):upper():find('y')\nend";
        QTest::newRow("error handler loops") << "xpcall(error, function() while true do end end)";
    }

    void interruptRunawayLoops()
    {
        QFETCH(QString, code);
        Harness h;
        QVERIFY(h.run(QStringLiteral("before = 'kept'")).ok());
        QElapsedTimer timer;
        timer.start();
        const EvalResult result = h.runInterrupted(code);
        QCOMPARE(result.status, EvalResult::Status::Interrupted);
        QVERIFY(timer.elapsed() < 5000);
        QCOMPARE(h.outputs.constLast().kind, OutputItem::Kind::Error);
        // Usable again, state intact.
        QVERIFY(h.run(QStringLiteral("before .. '!'")).ok());
        QCOMPARE(h.value(), QStringLiteral("\"kept!\""));
    }

    void sandbox_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("expected");
        QTest::newRow("os.execute") << "os.execute" << "nil";
        QTest::newRow("os.exit") << "os.exit" << "nil";
        QTest::newRow("io.popen") << "io.popen" << "nil";
        QTest::newRow("package.loadlib") << "package.loadlib" << "nil";
        QTest::newRow("debug.getinfo") << "debug.getinfo" << "nil";
        QTest::newRow("debug.sethook") << "debug.sethook" << "nil";
        QTest::newRow("require 'debug'") << "require('debug').sethook" << "nil";
        QTest::newRow("debug.traceback") << "type(debug.traceback)" << "\"function\"";
        QTest::newRow("text load") << "load('return 1 + 1')()" << "2";
        QTest::newRow("binary load") << "select(2, load(string.dump(function() end)))"
                                     << "\"attempt to load a binary chunk (mode is 't')\"";
        QTest::newRow("binary load with mode b") << "select(2, load(string.dump(function() end), 'x', 'b'))"
                                                 << "\"attempt to load a binary chunk (mode is 't')\"";
        QTest::newRow("C module") << "select(2, pcall(require, 'lfs')):match('not found') ~= nil" << "true";
        QTest::newRow("path escape") << "select(2, pcall(require, '../../etc/passwd')):match('invalid module name') ~= nil"
                                     << "true";
        QTest::newRow("os.time stays") << "type(os.time())" << "\"number\"";
        QTest::newRow("string.format stays") << "string.format('%05.1f', 3.14159)" << "\"003.1\"";
    }

    void sandbox() { checkDisplayedValue(); }

    void binaryDoFileRefused()
    {
        QTemporaryDir dir;
        Harness h;
        const QString path = dir.filePath(QStringLiteral("chunk.luac"));
        QVERIFY(h.run(QStringLiteral("local f = io.open(%1, 'wb')\nf:write(string.dump(function() return 1 end))\nf:close()")
                          .arg(QLatin1Char('"') + path + QLatin1Char('"')))
                    .ok());
        const EvalResult result = h.run(QStringLiteral("dofile(\"%1\")").arg(path));
        QCOMPARE(result.status, EvalResult::Status::Error);
        QVERIFY2(result.error.message.contains(QStringLiteral("binary chunk")), qPrintable(result.error.message));
    }

    void requireFromNotebookFolderAndLibrary()
    {
        QTemporaryDir dir;
        QFile module(dir.filePath(QStringLiteral("helpers.lua")));
        QVERIFY(module.open(QIODevice::WriteOnly));
        module.write("return { double = function(x) return 2 * x end }\n");
        module.close();
        QDir(dir.path()).mkdir(QStringLiteral("pkg"));
        QFile init(dir.filePath(QStringLiteral("pkg/init.lua")));
        QVERIFY(init.open(QIODevice::WriteOnly));
        init.write("return 'pkg loaded'\n");
        init.close();

        Harness h;
        h.session.setNotebookDirectory(dir.path());
        QVERIFY(h.run(QStringLiteral("require('helpers').double(21)")).ok());
        QCOMPARE(h.value(), QStringLiteral("42"));
        QVERIFY(h.run(QStringLiteral("(require('pkg'))")).ok());
        QCOMPARE(h.value(), QStringLiteral("\"pkg loaded\""));
        QVERIFY(h.run(QStringLiteral("local class = require('kiln.class')\nP = class('P')\nfunction P:init(v) self.v = v end\nP(3).v")).ok());
        QCOMPARE(h.value(), QStringLiteral("3"));
        const EvalResult missing = h.run(QStringLiteral("require('no_such_module')"));
        QCOMPARE(missing.status, EvalResult::Status::Error);
        QVERIFY(missing.error.message.contains(QStringLiteral("module 'no_such_module' not found")));
    }

    void printStreamsDuringEvaluation()
    {
        // The sink sees each print as it happens, not only at the end.
        auto interrupt = std::make_shared<std::atomic<bool>>(false);
        QList<qint64> times;
        QElapsedTimer timer;
        LuaSession session(interrupt, [&](const OutputItem &item) {
            if (item.kind == OutputItem::Kind::Text)
                times.append(timer.elapsed());
        });
        timer.start();
        QVERIFY(session.evaluate(QStringLiteral("print('first')\nlocal t = os.clock()\nwhile os.clock() - t < 0.3 do end\nprint('second')")).ok());
        QCOMPARE(times.size(), 2);
        QVERIFY(times.at(1) - times.at(0) >= 250);
    }

    void recordsReadsAndWrites_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QStringList>("reads");
        QTest::addColumn<QStringList>("writes");
        QTest::newRow("assign") << "y = x + 1" << QStringList{"x"} << QStringList{"y"};
        QTest::newRow("locals are not globals") << "local a = 1\nlocal b = a + 1" << QStringList{} << QStringList{};
        QTest::newRow("function bodies count") << "function f()\n  return z * w\nend"
                                               << QStringList{"w", "z"} << QStringList{"f"};
        QTest::newRow("update") << "counter = counter + 1" << QStringList{"counter"} << QStringList{"counter"};
        QTest::newRow("method definition") << "function M.run() end" << QStringList{"M"} << QStringList{};
        QTest::newRow("library calls") << "print(math.pi)" << QStringList{"math", "print"} << QStringList{};
        QTest::newRow("final expression") << "model" << QStringList{"model"} << QStringList{};
        QTest::newRow("many names") << "a1=1 a2=2 a3=3 a4=4 a5=5 a6=6 a7=7 a8=8\nb=a1+a8"
                                    << QStringList{"a1", "a8"}
                                    << QStringList{"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "b"};
    }

    void recordsReadsAndWrites()
    {
        QFETCH(QString, code);
        QFETCH(QStringList, reads);
        QFETCH(QStringList, writes);
        Harness h;
        h.run(QStringLiteral("M = {}"));
        const EvalResult result = h.run(code);
        QCOMPARE(result.reads, reads);
        QCOMPARE(result.writes, writes);
    }

    void globalScanRejectsGarbage()
    {
        QVERIFY(!scanGlobalAccess(QByteArray()).valid);
        QVERIFY(!scanGlobalAccess(QByteArray("\x1bLua\x54\x00garbage", 12)).valid);

        lua_State *L = luaL_newstate();
        QVERIFY(luaL_loadstring(L, "y = x + 1\nlocal function f() return z end\nreturn f") == LUA_OK);
        QByteArray dump;
        lua_dump(L, [](lua_State *, const void *p, size_t n, void *ud) {
            static_cast<QByteArray *>(ud)->append(static_cast<const char *>(p), qsizetype(n));
            return 0;
        }, &dump, 0);
        lua_close(L);

        const GlobalAccess full = scanGlobalAccess(dump);
        QVERIFY(full.valid);
        QCOMPARE(full.reads, (QStringList{QStringLiteral("x"), QStringLiteral("z")}));
        QCOMPARE(full.writes, QStringList{QStringLiteral("y")});
        // Every truncation is refused cleanly; random corruption never crashes.
        for (qsizetype n = 0; n < dump.size(); ++n)
            QVERIFY(!scanGlobalAccess(dump.left(n)).valid);
        QRandomGenerator random(7);
        for (int round = 0; round < 2000; ++round) {
            QByteArray corrupt = dump;
            for (int k = 0; k < 3; ++k)
                corrupt[qsizetype(random.bounded(quint32(corrupt.size())))] = char(random.bounded(256));
            (void)scanGlobalAccess(corrupt);
        }
    }

    void runawayMemoryIsACleanError()
    {
        Harness h;
        QVERIFY(h.run(QStringLiteral("kept = 1")).ok());
        const EvalResult result = h.run(QStringLiteral("local a = string.rep('x', 2^30)\nlocal b = string.rep('y', 2^30)"));
        QCOMPARE(result.status, EvalResult::Status::Error);
        QVERIFY2(result.error.message.contains(QStringLiteral("not enough memory")), qPrintable(result.error.message));
        const EvalResult tables = h.run(QStringLiteral("local t = {}\nfor i = 1, 1e9 do t[i] = string.rep(tostring(i), 200000) end"));
        QCOMPARE(tables.status, EvalResult::Status::Error);
        QVERIFY(h.run(QStringLiteral("kept + 1")).ok());
        QCOMPARE(h.value(), QStringLiteral("2"));
    }

    void evaluationNumbersCount()
    {
        Harness h;
        QCOMPARE(h.run(QStringLiteral("1")).evaluationNumber, 1);
        QCOMPARE(h.run(QStringLiteral("2")).evaluationNumber, 2);
        QCOMPARE(h.run(QStringLiteral("error('x')")).evaluationNumber, 3);
    }
};

QTEST_GUILESS_MAIN(TestLuaSession)
#include "tst_luasession.moc"
