// kiln inspect: models made by `kiln run` at test time, described as text and
// JSON; every kind of bad file gives exit 1 and one line on stderr, quickly,
// including a reader that hangs or grows without bound.
#include <QElapsedTimer>
#include "kilnprocess.h"
#include "pythontorch.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

class TestInspect : public QObject
{
    Q_OBJECT

    using Result = kilntest::ProcessResult;

    QTemporaryDir mDir;

    static Result kiln(const QStringList &arguments, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
    {
        return kilntest::runKiln(arguments, env);
    }

    QString path(const QString &name) const { return mDir.filePath(name); }

    QString write(const QString &name, const QByteArray &content)
    {
        QFile file(path(name));
        if (!file.open(QIODevice::WriteOnly))
            return QString();
        file.write(content);
        return file.fileName();
    }

    QByteArray read(const QString &name)
    {
        QFile file(path(name));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

    QJsonObject inspectJson(const QString &name)
    {
        const Result result = kiln({"inspect", path(name), "--json"});
        if (result.exitCode != 0)
            qWarning() << result.err;
        return QJsonDocument::fromJson(result.out.toUtf8()).object();
    }

    static QJsonObject find(const QJsonArray &array, const QString &name)
    {
        for (const QJsonValue &value : array) {
            if (value.toObject().value("name").toString() == name)
                return value.toObject();
        }
        return {};
    }

    static void expectOneLineFailure(const Result &result, const QString &file, const QString &reason)
    {
        QVERIFY2(result.exitCode == 1, qPrintable(result.err));
        QVERIFY(result.out.isEmpty());
        QCOMPARE(result.err.count('\n'), 1);
        QVERIFY2(result.err.startsWith("kiln inspect: " + file + ": "), qPrintable(result.err));
        QVERIFY2(result.err.contains(reason), qPrintable(result.err));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(mDir.isValid());
        // Two inputs, a tuple output, submodules, parameters and buffers.
        const QString dir = mDir.path();
        const QString notebook = QStringLiteral(
            "# models\n\n```lua\n"
            "local Net = nn.Module:extend('Net')\n"
            "function Net:init()\n"
            "  self.fc1 = nn.Linear(4, 3)\n"
            "  self.fc2 = nn.Linear(3, 2)\n"
            "  self.bn = nn.BatchNorm1d(3)\n"
            "  self:register_buffer('steps', torch.zeros(1))\n"
            "end\n"
            "function Net:forward(x, y)\n"
            "  local h = F.relu(self.bn(self.fc1(x)))\n"
            "  return {self.fc2(h), h + y}\n"
            "end\n"
            "local net = Net()\n"
            "net:eval()\n"
            "local traced = torch.jit.trace(net, {torch.randn(2, 4), torch.randn(2, 3)})\n"
            "traced:save('%1/model.pt')\n"
            "torch.save(net:state_dict(), '%1/state.pt')\n"
            "safetensors.save('%1/model.safetensors', net:state_dict(), {format = 'pt', producer = 'kiln test'})\n"
            "```\n").arg(dir);
        write("make.kiln.md", notebook.toUtf8());
        const Result made = kiln({"run", path("make.kiln.md")});
        QVERIFY2(made.exitCode == 0, qPrintable(made.err + made.out));
        QVERIFY(QFile::exists(path("model.pt")));
        QVERIFY(QFile::exists(path("state.pt")));
        QVERIFY(QFile::exists(path("model.safetensors")));
    }

    void torchScriptJson()
    {
        const QJsonObject json = inspectJson("model.pt");
        QCOMPARE(json.value("format").toString(), QString("torchscript"));
        QCOMPARE(json.value("path").toString(), path("model.pt"));
        QCOMPARE(json.value("file_size").toInteger(), QFileInfo(path("model.pt")).size());
        QVERIFY(json.value("producer").toString().contains("version"));
        const QJsonArray modules = json.value("modules").toArray();
        QVERIFY(!find(modules, "").isEmpty());
        QVERIFY2(find(modules, "fc1").value("type").toString().contains("Linear")
                     || !find(modules, "fc1").isEmpty(), qPrintable(QJsonDocument(modules).toJson()));
        const QJsonArray parameters = json.value("parameters").toArray();
        const QJsonObject weight = find(parameters, "fc1.weight");
        QCOMPARE(weight.value("shape").toArray(), QJsonArray({3, 4}));
        QCOMPARE(weight.value("dtype").toString(), QString("float32"));
        QCOMPARE(weight.value("numel").toInt(), 12);
        QCOMPARE(weight.value("kind").toString(), QString("parameter"));
        QCOMPARE(find(parameters, "bn.running_mean").value("kind").toString(), QString("buffer"));
        qint64 total = 0, bytes = 0;
        for (const QJsonValue &p : parameters) {
            total += p.toObject().value("numel").toInteger();
            bytes += p.toObject().value("numel").toInteger() * (p.toObject().value("dtype").toString() == "int64" ? 8 : 4);
        }
        QCOMPARE(json.value("total_parameters").toInteger(), total);
        QCOMPARE(json.value("total_bytes").toInteger(), bytes);
        const QString forward = json.value("forward").toString();
        QVERIFY2(forward.startsWith("forward("), qPrintable(forward));
        QVERIFY2(forward.count("Tensor") >= 4, qPrintable(forward));  // two inputs, a tuple of two
        QVERIFY2(forward.contains("(Tensor, Tensor)"), qPrintable(forward));
        QVERIFY(!find(json.value("methods").toArray(), "forward").isEmpty());
        QVERIFY(json.value("metadata").isObject());
    }

    void stateDictJson()
    {
        const QJsonObject json = inspectJson("state.pt");
        QCOMPARE(json.value("format").toString(), QString("state_dict"));
        const QJsonArray parameters = json.value("parameters").toArray();
        QCOMPARE(find(parameters, "fc2.weight").value("shape").toArray(), QJsonArray({2, 3}));
        QCOMPARE(find(parameters, "bn.num_batches_tracked").value("dtype").toString(), QString("int64"));
        QCOMPARE(find(parameters, "bn.running_var").value("kind").toString(), QString("buffer"));
        // fc1 12+3, fc2 6+2, bn 3+3 and 3+3+1, steps 1
        QCOMPARE(json.value("total_parameters").toInt(), 37);
        QCOMPARE(json.value("total_bytes").toInt(), 36 * 4 + 8);
        const QJsonArray modules = json.value("modules").toArray();
        QCOMPARE(find(modules, "fc1").value("type").toString(), QString("Linear"));
        QCOMPARE(find(modules, "bn").value("type").toString(), QString("BatchNorm"));
        QVERIFY(json.value("methods").toArray().isEmpty());
        QVERIFY(json.value("forward").isNull());
    }

    void safetensorsJson()
    {
        const QJsonObject json = inspectJson("model.safetensors");
        QCOMPARE(json.value("format").toString(), QString("safetensors"));
        QCOMPARE(json.value("metadata").toObject().value("format").toString(), QString("pt"));
        QCOMPARE(json.value("producer").toString(), QString("kiln test"));
        QCOMPARE(json.value("total_parameters").toInt(), 37);
        QCOMPARE(find(json.value("parameters").toArray(), "fc1.bias").value("shape").toArray(), QJsonArray({3}));
        QCOMPARE(find(json.value("modules").toArray(), "fc2").value("type").toString(), QString("Linear"));
    }

    void textSummary()
    {
        const Result result = kiln({"inspect", path("model.pt")});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(result.out.startsWith(path("model.pt") + ": TorchScript module, "), qPrintable(result.out));
        QVERIFY(result.out.contains("\nModules\n"));
        QVERIFY(result.out.contains("(root)"));
        QVERIFY(result.out.contains("\nParameters and buffers\n"));
        QVERIFY(result.out.contains(QRegularExpression("fc1\\.weight +\\[3, 4\\] +float32 +12")));
        QVERIFY(result.out.contains("forward: forward("));
        const Result state = kiln({"inspect", path("state.pt")});
        QCOMPARE(state.exitCode, 0);
        QVERIFY2(state.out.contains("Total: 37 elements in 10 tensors"), qPrintable(state.out));
    }

    void badFiles_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");
        QByteArray random(4096, '\0');
        QRandomGenerator generator(7);
        for (char &c : random)
            c = char(generator.bounded(256));
        random[0] = 'x';
        const QByteArray model = read("model.pt");
        const QByteArray state = read("state.pt");
        QByteArray garbageInZip = model;
        for (qsizetype i = 200; i < garbageInZip.size() - 200; i += 7)
            garbageInZip[i] = char(garbageInZip[i] ^ 0x5a);
        // The header promises 4,000,000 bytes of data; 16 follow.
        const QByteArray header = QByteArray(R"({"w":{"dtype":"F32","shape":[1000,1000],"data_offsets":[0,4000000]}})").leftJustified(80, ' ');
        QByteArray lying(8, '\0');
        lying[0] = char(header.size());
        lying += header + QByteArray(16, '\0');
        QByteArray tooLong("\xff\xff\xff\x7f\0\0\0\0{", 9);
        tooLong += QByteArray(100, ' ');
        QTest::newRow("empty") << QByteArray() << "empty file";
        QTest::newRow("truncated torchscript") << model.left(model.size() / 2) << "";
        QTest::newRow("truncated state dict") << state.left(state.size() - 30) << "";
        QTest::newRow("random bytes") << random << "not a model file Kiln can read";
        QTest::newRow("text") << QByteArray("hello\n") << "not a model file Kiln can read";
        QTest::newRow("garbage in zip") << garbageInZip << "";
        QTest::newRow("safetensors lying header") << lying << "data_offsets";
        QTest::newRow("safetensors header beyond file") << tooLong << "beyond the file size";
    }

    void badFiles()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        const QString file = write(QString("bad-%1.bin").arg(QTest::currentDataTag()).replace(' ', '-'), content);
        for (const char *format : {"--json", "--timeout=20"}) {
            const Result result = kiln({"inspect", file, format});
            expectOneLineFailure(result, file, reason);
            QVERIFY2(result.ms < 15000, qPrintable(QString::number(result.ms)));
        }
    }

    void hangingReaderTimesOut()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("KILN_INSPECT_TEST_HANG", "1");
        const Result result = kiln({"inspect", path("model.pt"), "--timeout", "2"}, env);
        expectOneLineFailure(result, path("model.pt"), "gave up after 2 s");
        QVERIFY2(result.ms < 6000, qPrintable(QString::number(result.ms)));
    }

    void growingReaderHitsTheMemoryLimit()
    {
#ifdef KILN_SANITIZE
        QSKIP("a sanitizer build reserves terabytes of shadow memory, so kiln inspect sets no address-space limit");
#endif
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("KILN_INSPECT_TEST_GROW", "1");
        const Result result = kiln({"inspect", path("model.pt"), "--memory", "2048", "--timeout", "20"}, env);
        expectOneLineFailure(result, path("model.pt"), "memory limit of 2048 MiB");
        QVERIFY2(result.ms < 15000, qPrintable(QString::number(result.ms)));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("no file") << QStringList{"inspect"};
        QTest::newRow("two files") << QStringList{"inspect", "a", "b"};
        QTest::newRow("bad timeout") << QStringList{"inspect", "a", "--timeout", "soon"};
        QTest::newRow("bad memory") << QStringList{"inspect", "a", "--memory", "12"};
        QTest::newRow("unknown option") << QStringList{"inspect", "a", "--frobnicate"};
    }

    void usageErrors()
    {
        QFETCH(QStringList, arguments);
        const Result result = kiln(arguments);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.startsWith("kiln inspect: "), qPrintable(result.err));
    }

    // Pickles PyTorch never writes but a hostile file can hold: a list that
    // contains itself, a few hundred bytes that expand to 2^40 values, nesting a
    // hundred thousand deep from either end. kiln inspect and torch.load refuse
    // each in one line, quickly; a dict that shares a list twice still loads.
    void hostilePickles()
    {
        const QString python = kilntest::findPythonWithTorch();
        QVERIFY2(!python.isEmpty(), "the venv's python is needed (scripts/install-deps.sh)");
        QString output;
        QVERIFY2(kilntest::runPython(python, {KILN_TEST_DATA "/python/make_hostile_pickles.py", path("hostile")}, &output),
                 qPrintable(output));
        const QList<QPair<QString, QString>> refused = {
            {"self-containing-list", "a list or dict that contains itself"},
            {"shared-tuples", "shared entries expand to more than"},
            {"deep-tuples", "more than 1000 deep"},
            {"deep-lists", "more than 1000 deep"},
        };
        QString lua = "local results = {}\n";
        for (const auto &[name, reason] : refused) {
            const QString file = path("hostile/" + name + ".pt");
            const Result result = kiln({"inspect", file});
            expectOneLineFailure(result, file, reason);
            QVERIFY2(result.ms < 15000, qPrintable(QString::number(result.ms)));
            lua += QString("do local ok, err = pcall(torch.load, '%1'); assert(not ok, '%2 loaded'); "
                           "assert(tostring(err):find('%3', 1, true), tostring(err)) end\n")
                       .arg(file, name, reason);
        }
        lua += QString("local shared = torch.load('%1')\nassert(shared.a[2] == 2 and shared.b[1] == 1)\nprint('refused all')\n")
                   .arg(path("hostile/benign-shared.pt"));
        write("hostile.kiln.md", ("# hostile\n\n```lua\n" + lua + "```\n").toUtf8());
        const Result run = kiln({"run", path("hostile.kiln.md")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
        QVERIFY2(run.out.contains("refused all"), qPrintable(run.out));
    }

    void missingFile()
    {
        const Result result = kiln({"inspect", path("nothing.pt")});
        expectOneLineFailure(result, path("nothing.pt"), "no such file");
    }
};

QTEST_GUILESS_MAIN(TestInspect)
#include "tst_inspect.moc"
