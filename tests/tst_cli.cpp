#include "document/notebookformat.h"

#include <QColor>
#include "kilnprocess.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <csignal>

using namespace kiln;

// Runs the real kiln binary, as a user or a CI script would.
class TestCli : public QObject
{
    Q_OBJECT

private:
    using Result = kilntest::ProcessResult;

    QTemporaryDir mDir;

    static Result kiln(const QStringList &arguments, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
    {
        return kilntest::runKiln(arguments, env);
    }

    QString write(const QString &name, const QByteArray &content)
    {
        const QString path = mDir.filePath(name);
        QFile file(path);
        file.open(QIODevice::WriteOnly);
        file.write(content);
        return path;
    }

    bool hasGpu() { return kiln({QStringLiteral("--version")}).out.contains(QStringLiteral("\nGPU cuda:0 ")); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(mDir.isValid());
    }

    void version()
    {
        const Result r = kiln({QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith(QStringLiteral("Kiln ")));
        QVERIFY2(r.out.contains(QStringLiteral("libtorch 2.11.0")), qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("Lua 5.4")));
        QVERIFY(r.out.contains(QStringLiteral("Qt 6.")));
        QVERIFY(r.out.contains(QStringLiteral("\nBLAS ")));
        QVERIFY(r.out.contains(QStringLiteral("\nthreads ")));
        // Either the GPUs, or one line saying why there is none.
        QVERIFY2(r.out.contains(QStringLiteral("\nCUDA not available: ")) || r.out.contains(QStringLiteral("\nGPU cuda:0 ")),
                 qPrintable(r.out));
    }

    // --device and --threads, as every command that runs libtorch takes them.
    void engineOptions_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("run: unknown device") << QStringList{"run", "--device", "gpu", "x.kiln.md"} << 2
                                             << "kiln run: --device: unknown device 'gpu': expected cpu, cuda or cuda:N";
        QTest::newRow("run: threads zero") << QStringList{"run", "--threads", "0", "x.kiln.md"} << 2
                                           << "kiln run: --threads: thread count 0 is out of range";
        QTest::newRow("run: threads word") << QStringList{"run", "--threads", "many", "x.kiln.md"} << 2
                                           << "kiln run: --threads wants a whole number, got 'many'";
        QTest::newRow("train: bad device") << QStringList{"train", "--device", "cuda:x", "--data", "fashion-mnist"} << 2
                                           << "kiln train: --device: unknown device 'cuda:x'";
        QTest::newRow("predict: bad device") << QStringList{"predict", "--device", "tpu", "m.pt", "a.png"} << 2
                                             << "kiln predict: --device: unknown device 'tpu'";
        QTest::newRow("window: bad threads") << QStringList{"--threads", "lots"} << 2
                                             << "kiln: --threads wants a whole number from 1 to 4096, got 'lots'";
        QTest::newRow("inspect: bad threads") << QStringList{"inspect", "--threads", "-3", "m.pt"} << 2
                                              << "kiln inspect: --threads: thread count -3 is out of range";
        if (!hasGpu()) {
            // Without a GPU, asking for one is one clear line and exit 1, before any work.
            QTest::newRow("run: no cuda") << QStringList{"run", "--device", "cuda", "x.kiln.md"} << 1
                                          << "kiln run: no CUDA device: ";
            QTest::newRow("train: no cuda") << QStringList{"train", "--device", "cuda:0", "--data", "fashion-mnist"} << 1
                                            << "kiln train: no CUDA device: ";
        }
    }

    void engineOptions()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const Result r = kiln(arguments);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.startsWith(message), qPrintable(r.err));
    }

    // --threads reaches libtorch; --device cpu is the default and accepted.
    void threadsAndDeviceApply()
    {
        const QString path = write(QStringLiteral("threads.kiln.md"),
                                   "# T\n\n```lua\nprint(torch.get_num_threads(), torch.get_default_device())\n```\n");
        const Result r = kiln({QStringLiteral("run"), QStringLiteral("--threads"), QStringLiteral("1"),
                               QStringLiteral("--device"), QStringLiteral("cpu"), path});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("1\tcpu")), qPrintable(r.out));
    }

    void help()
    {
        const Result r = kiln({QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("kiln run NOTEBOOK.kiln.md")));
    }

    // Each command's --help lists its own options under its own synopsis.
    void commandHelp_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("synopsis");
        QTest::addColumn<QStringList>("options");
        QTest::newRow("run") << "run" << "Usage: kiln run NOTEBOOK.kiln.md" << QStringList{"--output", "--timeout", "--artifacts", "--device", "--threads"};
        QTest::newRow("inspect") << "inspect" << "Usage: kiln inspect MODEL" << QStringList{"--json", "--timeout", "--memory", "--try"};
        QTest::newRow("predict") << "predict" << "Usage: kiln predict MODEL INPUT..." << QStringList{"--labels", "--topk", "--csv", "--mean", "--std"};
        QTest::newRow("train") << "train" << "Usage: kiln train --data DATA" << QStringList{"--epochs", "--lr", "--patience"};
    }

    void commandHelp()
    {
        QFETCH(QString, command);
        QFETCH(QString, synopsis);
        QFETCH(QStringList, options);
        const Result r = kiln({command, QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(synopsis), qPrintable(r.out));
        for (const QString &option : options)
            QVERIFY2(r.out.contains(option), qPrintable(option));
        QVERIFY(!r.out.contains(QStringLiteral("in-process")));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown option") << QStringList{"--frobnicate"} << "kiln: unknown option '--frobnicate'";
        QTest::newRow("missing notebook") << QStringList{"/no/such/file.kiln.md"} << "kiln: no such notebook: /no/such/file.kiln.md";
        QTest::newRow("run: missing notebook") << QStringList{"run", "/no/such/file.kiln.md"} << "kiln run: no such notebook";
        QTest::newRow("run: no notebook") << QStringList{"run"} << "kiln run: which notebook?";
        QTest::newRow("run: two notebooks") << QStringList{"run", "a.kiln.md", "b.kiln.md"} << "kiln run: one notebook at a time";
        QTest::newRow("run: unknown option") << QStringList{"run", "--nope", "x.kiln.md"} << "kiln run: unknown option '--nope'";
        QTest::newRow("run: bad timeout") << QStringList{"run", "--timeout", "soon", "x.kiln.md"}
                                          << "kiln run: --timeout wants a positive whole number, got 'soon'";
        QTest::newRow("run: missing value") << QStringList{"run", "x.kiln.md", "--timeout"} << "kiln run: Missing value after '--timeout'";
        // One parser for every command: the same words for the same mistakes.
        QTest::newRow("inspect: small memory") << QStringList{"inspect", "m.pt", "--memory", "12"}
                                               << "kiln inspect: --memory wants a whole number >= 256, got '12'";
        QTest::newRow("inspect: unknown option") << QStringList{"inspect", "m.pt", "-frobnicate"} << "kiln inspect: unknown option '--frobnicate'";
        QTest::newRow("predict: zero topk") << QStringList{"predict", "m.pt", "a.png", "--topk", "0"}
                                            << "kiln predict: --topk wants a positive whole number, got '0'";
        QTest::newRow("predict: zero std") << QStringList{"predict", "m.pt", "a.png", "--std", "0.5,0"}
                                           << "kiln predict: --std wants non-zero numbers such as 0.25,0.25,0.25, got '0.5,0'";
        QTest::newRow("train: zero lr") << QStringList{"train", "--data", "fashion-mnist", "--lr", "0"}
                                        << "kiln train: --lr wants a number above 0, at most 10, got '0'";
        QTest::newRow("train: whole split") << QStringList{"train", "--data", "fashion-mnist", "--val-split", "1"}
                                            << "kiln train: --val-split wants a number between 0 and 1, got '1'";
        QTest::newRow("train: optimizer") << QStringList{"train", "--data", "fashion-mnist", "--optimizer", "lbfgs"}
                                          << "kiln train: --optimizer wants adam, adamw or sgd, got 'lbfgs'";
        QTest::newRow("train: positional") << QStringList{"train", "data.csv"} << "kiln train: unexpected argument 'data.csv'";
    }

    void usageErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const Result r = kiln(arguments);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(message), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void runSucceeds()
    {
        const QString path = write(QStringLiteral("ok.kiln.md"),
                                   "# OK\n\n```lua\nx = 20\nprint('hello')\n```\n\nText.\n\n```lua\nx + 1\n```\n");
        const Result r = kiln({QStringLiteral("run"), path});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.err.isEmpty());
        QVERIFY(r.out.contains(QStringLiteral("── cell 1 · ok.kiln.md:4 ──\nhello\n")));
        QVERIFY(r.out.contains(QStringLiteral("── cell 2 · ok.kiln.md:11 ──\n21\n")));
    }

    void runFailsWithFileLine_data()
    {
        QTest::addColumn<QByteArray>("notebook");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("message");
        QTest::newRow("runtime error") << QByteArray("# T\n\nSome text.\n\n```lua\nx = 1\n```\n\n```lua\nlocal a = 1\nlocal b = nil\nprint(a + b)\n```\n")
                                       << 12 << "attempt to perform arithmetic on a nil value (local 'b')";
        QTest::newRow("syntax error") << QByteArray("```lua\nprint('fine')\n```\n\n```lua\nx = = 2\n```\n") << 6
                                      << "unexpected symbol near '='";
        QTest::newRow("error()") << QByteArray("# E\n\n## S\n\n```lua\n\nerror('stop here')\n```\n") << 7 << "stop here";
    }

    void runFailsWithFileLine()
    {
        QFETCH(QByteArray, notebook);
        QFETCH(int, line);
        QFETCH(QString, message);
        const QString path = write(QStringLiteral("fail.kiln.md"), notebook + "\n```lua\nprint('not reached')\n```\n");
        const Result r = kiln({QStringLiteral("run"), path});
        QCOMPARE(r.exitCode, 1);
        const QString expected = QStringLiteral("%1:%2: %3").arg(path).arg(line).arg(message);
        QVERIFY2(r.err.startsWith(expected), qPrintable(r.err));
        QVERIFY(!r.out.contains(QStringLiteral("not reached")));
    }

    void outputRoundTrip()
    {
        const QString path = write(QStringLiteral("out.kiln.md"),
                                   "# Out\n\n```lua\nprint('a --> b')\n{1, 2}\n```\n\n```lua\nerror('late')\n```\n");
        const QString outPath = mDir.filePath(QStringLiteral("result.kiln.md"));
        const Result r = kiln({QStringLiteral("run"), path, QStringLiteral("--output"), outPath});
        QCOMPARE(r.exitCode, 1);
        NotebookContent out;
        QString error;
        QVERIFY(NotebookFormat::load(outPath, &out, &error));
        QVERIFY(out.persistOutputs());
        QCOMPARE(out.cells.size(), 2);
        QCOMPARE(out.cells.at(0).outputs.size(), 2);
        QCOMPARE(out.cells.at(0).outputs.at(0).text, QStringLiteral("a --> b\n"));
        QCOMPARE(out.cells.at(0).outputs.at(1).text, QStringLiteral("{1, 2}"));
        QCOMPARE(out.cells.at(1).outputs.at(0).kind, OutputItem::Kind::Error);
        QCOMPARE(out.cells.at(1).outputs.at(0).text, QStringLiteral("late"));
        // The written file reads back to the same notebook, and its code is unchanged.
        QVERIFY(NotebookFormat::parse(NotebookFormat::serialize(out)) == out);
        QCOMPARE(out.cells.at(0).source, QStringLiteral("print('a --> b')\n{1, 2}"));

        // Running the output again gives the same outputs.
        const QString again = mDir.filePath(QStringLiteral("again.kiln.md"));
        QCOMPARE(kiln({QStringLiteral("run"), outPath, QStringLiteral("-o"), again}).exitCode, 1);
        NotebookContent second;
        QVERIFY(NotebookFormat::load(again, &second, &error));
        QCOMPARE(second.cells.at(0).outputs, out.cells.at(0).outputs);
    }

    // Plots, images and tables become files: a live plot (many pieces) is one PNG
    // and one CSV, and the default folder sits beside --output.
    void artifacts()
    {
        const QString path = write(QStringLiteral("art.kiln.md"),
                                   "# Art\n\n```lua\nfor i = 1, 300 do plot.push('loss', 1 / i) end\n"
                                   "plot.hist(torch.randn(500))\nshow.table({{1, 'a,b'}, {2, 'c'}}, {columns = {'n', 's'}})\n"
                                   "show.image(torch.rand(1, 28, 28))\n```\n");
        const QString folder = mDir.filePath(QStringLiteral("art-files"));
        const Result r = kiln({QStringLiteral("run"), path, QStringLiteral("--artifacts"), folder});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("[plot loss (300 points) -> cell1-plot2.png, cell1-plot2.csv]")), qPrintable(r.out));
        for (const char *name : {"cell1-plot1.png", "cell1-plot1.csv", "cell1-plot2.png", "cell1-plot2.csv",
                                 "cell1-table1.csv", "cell1-image1.png"})
            QVERIFY2(QFile::exists(folder + QLatin1Char('/') + QLatin1String(name)), name);
        QFile csv(folder + QStringLiteral("/cell1-table1.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(csv.readAll()), QStringLiteral("n,s\n1,\"a,b\"\n2,c\n"));
        QFile points(folder + QStringLiteral("/cell1-plot2.csv"));
        QVERIFY(points.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(points.readAll()).count(QLatin1Char('\n')), 301);
        QImage plot(folder + QStringLiteral("/cell1-plot2.png"));
        QVERIFY(!plot.isNull());
        int coloured = 0;
        for (int y = 0; y < plot.height(); y += 2)
            for (int x = 0; x < plot.width(); x += 2)
                coloured += QColor(plot.pixel(x, y)).saturation() > 100;
        QVERIFY2(coloured > 50, "the plot image has no line drawn");

        const QString outPath = mDir.filePath(QStringLiteral("art-out.kiln.md"));
        QCOMPARE(kiln({QStringLiteral("run"), path, QStringLiteral("-o"), outPath}).exitCode, 0);
        QVERIFY(QFile::exists(mDir.filePath(QStringLiteral("art-out-artifacts/cell1-image1.png"))));
    }

    void timeout()
    {
        const QString path = write(QStringLiteral("slow.kiln.md"),
                                   "```lua\nstarted = true\n```\n\n```lua\nwhile true do end\n```\n");
        const Result r = kiln({QStringLiteral("run"), QStringLiteral("--timeout"), QStringLiteral("1"), path});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("timed out after 1 s")), qPrintable(r.err));
        QVERIFY(r.err.startsWith(path + QStringLiteral(":6: ")));
        QVERIFY(r.ms < 20000);
    }

    // Cells that never return to Lua, so that no interrupt reaches them: the
    // kernel is ended and kiln exits 2 within the timeout and its grace period.
    void timeoutIsAHardBound_data()
    {
        QTest::addColumn<QByteArray>("code");
        QTest::newRow("huge matmul") << QByteArray("local a = torch.randn(12000, 12000)\nprint(a:matmul(a):sum())");
        QTest::newRow("backtracking pattern")
            << QByteArray("return string.find(string.rep('a', 60), string.rep('.-', 30) .. 'b')");
        QTest::newRow("loop in a finalizer")
            << QByteArray("setmetatable({}, {__gc = function() while true do end end})\ncollectgarbage()\ncollectgarbage()");
        QTest::newRow("read_csv on a FIFO") << QByteArray("data.read_csv(FIFO)");
        QTest::newRow("torch.load on a FIFO") << QByteArray("torch.load(FIFO)");
    }
    void timeoutIsAHardBound()
    {
        QFETCH(QByteArray, code);
        const QString fifo = mDir.filePath(QStringLiteral("fifo"));
        if (!QFile::exists(fifo))
            QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        const QByteArray quoted = QByteArray("'") + QFile::encodeName(fifo) + QByteArray("'");
        code.replace(QByteArray("FIFO"), quoted);
        const QString path = write(QStringLiteral("stuck.kiln.md"), "```lua\n" + code + "\n```\n");
        const Result r = kiln({QStringLiteral("run"), QStringLiteral("--timeout"), QStringLiteral("2"), path});
        if (r.exitCode == 1) {
            // Refusing the FIFO outright is as good as stopping it.
            QVERIFY2(r.err.contains(QStringLiteral("FIFO")) || r.err.contains(QStringLiteral("not a regular file")),
                     qPrintable(r.err));
            return;
        }
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("timed out after 2 s")), qPrintable(r.err));
        // 2 s, the interrupt's grace period, the kernel's start and a loaded machine.
        QVERIFY2(r.ms < 2000 + 2000 + 8000, qPrintable(QString::number(r.ms)));
    }

    // Notebook code that tries to reach outside its sandbox gets a clear error
    // and exit 1, and nothing outside is touched.
    void hostileNotebooksFailCleanly_data()
    {
        QTest::addColumn<QByteArray>("code");
        QTest::addColumn<QString>("expected");
        QTest::newRow("patch /proc/self/mem")
            << QByteArray("local maps = io.open('/proc/self/maps'):read('a')\n"
                          "local start = maps:match('(%x+)%-%x+ r%-xp [^\\n]*libtorch_cpu')\n"
                          "local mem = assert(io.open('/proc/self/mem', 'r+b'))\n"
                          "mem:seek('set', tonumber(start, 16))\nmem:write(string.rep('\\xcc', 4096))")
            << "outside the folders notebook code may write to";
        QTest::newRow("write in the home folder")
            << QByteArray("local f = assert(io.open(os.getenv('HOME') .. '/PROBE', 'w'))\nf:write('x')\nf:close()")
            << "outside the folders notebook code may write to";
        QTest::newRow("remove outside") << QByteArray("assert(os.remove(os.getenv('HOME') .. '/PROBE'))")
                                        << "outside the folders notebook code may write to";
        QTest::newRow("tensor finalizer") << QByteArray("local x = torch.randn(10)\nlocal gc = getmetatable(x).__gc\ngc(x)")
                                          << "attempt to call a nil value";
    }
    void hostileNotebooksFailCleanly()
    {
        QFETCH(QByteArray, code);
        QFETCH(QString, expected);
        const QByteArray probe = "kiln-sandbox-probe-" + QByteArray::number(QCoreApplication::applicationPid());
        code.replace(QByteArray("PROBE"), probe);
        const QString outside = QDir::home().filePath(QString::fromLatin1(probe));
        const QString path = write(QStringLiteral("hostile.kiln.md"), "```lua\n" + code + "\n```\n");
        const Result r = kiln({QStringLiteral("run"), QStringLiteral("--timeout"), QStringLiteral("20"), path});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(expected), qPrintable(r.err));
        QVERIFY(!QFile::exists(outside));
    }

    // The notebook's own folder stays writable.
    void notebookFolderIsWritable()
    {
        const QString path = write(QStringLiteral("writes.kiln.md"),
            "```lua\nlocal f = assert(io.open('written.txt', 'w'))\nf:write('ok')\nf:close()\n"
            "assert(os.rename('written.txt', 'renamed.txt'))\nprint(io.open('renamed.txt'):read('a'))\n```\n");
        const Result r = kiln({QStringLiteral("run"), path});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("ok")), qPrintable(r.out + r.err));
        QVERIFY(QFile::exists(mDir.filePath(QStringLiteral("renamed.txt"))));
    }

    void ctrlCInterruptsAndExits()
    {
        const QString path = write(QStringLiteral("spin.kiln.md"), "```lua\nprint('spinning')\nwhile true do end\n```\n");
        QProcess process;
        process.start(QStringLiteral(KILN_BINARY), {QStringLiteral("run"), path});
        QVERIFY(process.waitForStarted());
        QVERIFY(QTest::qWaitFor([&] { return process.bytesAvailable() > 0 && process.peek(4096).contains("spinning"); }, 10000));
        ::kill(pid_t(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 130);
        QVERIFY(QString::fromUtf8(process.readAllStandardError()).contains(QStringLiteral(":3: interrupted")));
    }

    void tourExampleRuns()
    {
        const Result r = kiln({QStringLiteral("run"), QStringLiteral(KILN_EXAMPLES "/tour.kiln.md")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("\"all good\"")));
        QVERIFY(r.ms < 30000);  // a guard against a hang, loose enough for a loaded sanitizer build
    }

    // Where there is no display, `kiln NOTEBOOK` runs the notebook headless.
    void noDisplayFallsBackToHeadless()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        const QString path = write(QStringLiteral("headless.kiln.md"), "```lua\n6 * 7\n```\n");
        const Result r = kiln({path}, env);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.err.contains(QStringLiteral("no display found")));
        QVERIFY(r.out.contains(QStringLiteral("42")));
    }

    void unreadableNotebook()
    {
        const QString path = write(QStringLiteral("binary.kiln.md"), QByteArray("\xff\xfe\x00garbage", 10));
        const Result r = kiln({QStringLiteral("run"), path});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(QStringLiteral("not a UTF-8 text file")));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
