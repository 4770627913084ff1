#include "kilnprocess.h"
#include "pythontorch.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

// Files current PyTorch writes, made in the test by the venv's PyTorch 2.11:
// TorchScript (scripted and traced: a Transformer encoder, an LSTM, two inputs,
// dict and tuple outputs), torch.export `.pt2` programs and an AOTInductor
// package. Each is inspected by `kiln inspect`, loaded in a notebook and checked
// against PyTorch's own outputs; `kiln predict` runs the ones it can.
class TestPyTorchFiles : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir mDir;
    QString mScripts;   // TorchScript files and their reference.json
    QString mExports;   // .pt2 files and their reference.json
    QJsonObject mScriptReference, mExportReference;

    static QJsonObject readJson(const QString &path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(file.readAll()).object();
    }

    QString write(const QString &name, const QString &text)
    {
        const QString path = mDir.filePath(name);
        QFile file(path);
        if (file.open(QIODevice::WriteOnly))
            file.write(text.toUtf8());
        return path;
    }

    // Lua that rebuilds a reference input: torch.tensor(values):reshape(shape).
    static QString inputCode(const QJsonObject &input)
    {
        QStringList values, shape;
        for (const QJsonValue &value : input.value(QStringLiteral("values")).toArray())
            values << QString::number(value.toDouble(), 'g', 17);
        for (const QJsonValue &size : input.value(QStringLiteral("shape")).toArray())
            shape << QString::number(size.toInteger());
        return QStringLiteral("torch.tensor({%1}):reshape(%2)").arg(values.join(QLatin1Char(',')), shape.join(QLatin1Char(',')));
    }

    static QString outputsCode(const QJsonArray &outputs)
    {
        QStringList list;
        for (const QJsonValue &output : outputs)
            list << inputCode(output.toObject());
        return QStringLiteral("{%1}").arg(list.join(QStringLiteral(", ")));
    }

    // A notebook that calls `call` (Lua returning the model's outputs) and
    // requires every expected output to be matched by one of them within 1e-4.
    QString comparisonNotebook(const QString &setup, const QString &call, const QJsonArray &expected)
    {
        return QStringLiteral(
                   "# compare\n\n```lua\n%1\n"
                   "local got = table.pack(%2)\n"
                   "local flat = {}\n"
                   "local function collect(v)\n"
                   "  if torch.is_tensor(v) then flat[#flat + 1] = v\n"
                   "  elseif type(v) == 'table' then for _, item in pairs(v) do collect(item) end end\n"
                   "end\n"
                   "for i = 1, got.n do collect(got[i]) end\n"
                   "for i, want in ipairs(%3) do\n"
                   "  local best = math.huge\n"
                   "  for _, t in ipairs(flat) do\n"
                   "    if t:numel() == want:numel() then best = math.min(best, (t:reshape(-1) - want:reshape(-1)):abs():max():item()) end\n"
                   "  end\n"
                   "  assert(best < 1e-4, 'output ' .. i .. ' differs from PyTorch by ' .. best)\n"
                   "end\n"
                   "print('matched ' .. #flat .. ' outputs')\n```\n")
            .arg(setup, call, outputsCode(expected));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(mDir.isValid());
        const QString python = kilntest::findPythonWithTorch();
        QVERIFY2(!python.isEmpty(), "a python with torch is needed; scripts/install-deps.sh makes one (.venv)");
        mScripts = mDir.filePath(QStringLiteral("torchscript"));
        mExports = mDir.filePath(QStringLiteral("export"));
        QString output;
        QVERIFY2(kilntest::runPython(python, {QStringLiteral(KILN_TEST_DATA "/python/make_torchscript_211.py"), mScripts}, &output),
                 qPrintable(output));
        // --aoti compiles a package with a C++ compiler: about half a minute here.
        QVERIFY2(kilntest::runPython(python, {QStringLiteral(KILN_TEST_DATA "/python/make_pt2.py"), mExports, QStringLiteral("--aoti")},
                                     &output, 400000),
                 qPrintable(output));
        mScriptReference = readJson(mScripts + QStringLiteral("/reference.json"));
        mExportReference = readJson(mExports + QStringLiteral("/reference.json"));
        QVERIFY(!mScriptReference.isEmpty());
        QVERIFY(!mExportReference.isEmpty());
    }

    void torchScriptFiles_data()
    {
        QTest::addColumn<QString>("file");
        for (const QString &file : {"transformer_encoder.pt", "mlp_traced.pt", "lstm_classifier.pt", "two_inputs.pt",
                                    "dict_output.pt", "tuple_output.pt"})
            QTest::newRow(qPrintable(file)) << file;
    }

    // Inspected (never an empty reason), loaded and run with PyTorch's results.
    void torchScriptFiles()
    {
        QFETCH(QString, file);
        const QString path = mScripts + QLatin1Char('/') + file;
        const QJsonObject reference = mScriptReference.value(file).toObject();
        const kilntest::ProcessResult inspected = kilntest::runKiln({QStringLiteral("inspect"), QStringLiteral("--json"), path});
        QVERIFY2(inspected.exitCode == 0, qPrintable(inspected.err));
        const QJsonObject summary = QJsonDocument::fromJson(inspected.out.toUtf8()).object();
        QCOMPARE(summary.value(QStringLiteral("format")).toString(), QStringLiteral("torchscript"));
        QVERIFY(summary.value(QStringLiteral("forward")).toString().startsWith(QStringLiteral("forward(")));

        QStringList inputs;
        for (const QJsonValue &input : reference.value(QStringLiteral("inputs")).toArray())
            inputs << inputCode(input.toObject());
        const QString notebook = write(file + QStringLiteral(".kiln.md"),
                                       comparisonNotebook(QStringLiteral("local m = torch.jit.load('%1')").arg(path),
                                                          QStringLiteral("m(%1)").arg(inputs.join(QStringLiteral(", "))),
                                                          reference.value(QStringLiteral("outputs")).toArray()));
        const kilntest::ProcessResult run = kilntest::runKiln({QStringLiteral("run"), notebook});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        QVERIFY(run.out.contains(QStringLiteral("matched")));
    }

    // kiln predict runs a traced PyTorch 2.11 MLP on CSV rows and gives PyTorch's numbers.
    void predictTorchScript()
    {
        const QString csv = write(QStringLiteral("rows.csv"), QStringLiteral("a,b,c,d\n-0.4,-0.3,-0.2,-0.1\n0,0.1,0.2,0.3\n"));
        const kilntest::ProcessResult r = kilntest::runKiln(
            {QStringLiteral("predict"), mScripts + QStringLiteral("/mlp_traced.pt"), csv, QStringLiteral("--raw")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const double first = mScriptReference.value(QStringLiteral("mlp_traced.pt")).toObject().value(QStringLiteral("outputs"))
                                 .toArray().at(0).toObject().value(QStringLiteral("values")).toArray().at(0).toDouble();
        const QStringList row = r.out.split(QLatin1Char('\n')).value(1).split(QLatin1Char(','));
        QVERIFY2(qAbs(row.value(1).toDouble() - first) < 1e-4, qPrintable(r.out));
    }

    void exportedPrograms_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("op");
        QTest::newRow("mlp") << "mlp.pt2" << "aten.linear.default";
        QTest::newRow("two inputs, dynamic batch") << "two_inputs.pt2" << "aten.matmul.default";
        QTest::newRow("conv, batch norm, constant") << "conv.pt2" << "aten.conv2d.default";
        QTest::newRow("tied weights, offset view") << "tied.pt2" << "aten.linear.default";
    }

    // kiln inspect describes the program; torch.export.load_weights gives
    // PyTorch's tensors (tied weights and views into a shared file included).
    void exportedPrograms()
    {
        QFETCH(QString, file);
        QFETCH(QString, op);
        const QString path = mExports + QLatin1Char('/') + file;
        const kilntest::ProcessResult inspected = kilntest::runKiln({QStringLiteral("inspect"), QStringLiteral("--json"), path});
        QVERIFY2(inspected.exitCode == 0, qPrintable(inspected.err));
        const QJsonObject summary = QJsonDocument::fromJson(inspected.out.toUtf8()).object();
        QCOMPARE(summary.value(QStringLiteral("format")).toString(), QStringLiteral("exported_program"));
        QVERIFY(summary.value(QStringLiteral("producer")).toString().contains(QStringLiteral("2.11")));
        bool hasOp = false;
        for (const QJsonValue &entry : summary.value(QStringLiteral("ops")).toArray())
            hasOp = hasOp || entry.toObject().value(QStringLiteral("op")).toString() == op;
        QVERIFY2(hasOp, qPrintable(inspected.out));

        const QJsonObject reference = mExportReference.value(file).toObject();
        QStringList checks;
        for (const char *kind : {"parameters", "buffers", "constants"}) {
            for (const QJsonValue &entry : reference.value(QLatin1String(kind)).toArray()) {
                const QJsonObject tensor = entry.toObject();
                if (!tensor.contains(QStringLiteral("values")))
                    continue;
                checks << QStringLiteral("assert((w['%1']:double() - %2:double()):abs():max():item() < 1e-6, '%1')")
                              .arg(tensor.value(QStringLiteral("name")).toString(), inputCode(tensor));
            }
        }
        QVERIFY(!checks.isEmpty());
        const QString notebook = write(file + QStringLiteral(".kiln.md"),
                                       QStringLiteral("# w\n\n```lua\nlocal w = torch.export.load_weights('%1')\n%2\nprint('weights ok')\n```\n")
                                           .arg(path, checks.join(QLatin1Char('\n'))));
        const kilntest::ProcessResult run = kilntest::runKiln({QStringLiteral("run"), notebook});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    }

    // An AOTInductor package runs in a notebook and in kiln predict with PyTorch's numbers.
    void aotiPackage()
    {
        const QString path = mExports + QStringLiteral("/mlp_aoti.pt2");
        const QJsonObject reference = mExportReference.value(QStringLiteral("mlp_aoti.pt2")).toObject();
        const kilntest::ProcessResult inspected = kilntest::runKiln({QStringLiteral("inspect"), QStringLiteral("--json"), path});
        QVERIFY2(inspected.exitCode == 0, qPrintable(inspected.err));
        const QJsonObject summary = QJsonDocument::fromJson(inspected.out.toUtf8()).object();
        QCOMPARE(summary.value(QStringLiteral("format")).toString(), QStringLiteral("aoti_package"));
        QCOMPARE(summary.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("device_key")).toString(), QStringLiteral("cpu"));

        const QJsonObject input = reference.value(QStringLiteral("inputs")).toArray().at(0).toObject();
        const QString notebook = write(QStringLiteral("aoti.kiln.md"),
                                       comparisonNotebook(QStringLiteral("local package = torch.export.load('%1')").arg(path),
                                                          QStringLiteral("package(%1)").arg(inputCode(input)),
                                                          reference.value(QStringLiteral("outputs")).toArray()));
        const kilntest::ProcessResult run = kilntest::runKiln({QStringLiteral("run"), notebook});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));

        QStringList header, row;
        const QJsonArray values = input.value(QStringLiteral("values")).toArray();
        for (int i = 0; i < 4; ++i) {
            header << QStringLiteral("f%1").arg(i);
            row << QString::number(values.at(i).toDouble(), 'g', 9);
        }
        const QString csv = write(QStringLiteral("aoti.csv"), header.join(QLatin1Char(',')) + QLatin1Char('\n') + row.join(QLatin1Char(','))
                                                                  + QLatin1Char('\n') + row.join(QLatin1Char(',')) + QLatin1Char('\n'));
        const kilntest::ProcessResult predicted = kilntest::runKiln({QStringLiteral("predict"), path, csv, QStringLiteral("--raw")});
        QVERIFY2(predicted.exitCode == 0, qPrintable(predicted.err));
        const double first = reference.value(QStringLiteral("outputs")).toArray().at(0).toObject().value(QStringLiteral("values")).toArray().at(0).toDouble();
        QVERIFY2(qAbs(predicted.out.split(QLatin1Char('\n')).value(1).section(QLatin1Char(','), 1, 1).toDouble() - first) < 1e-4,
                 qPrintable(predicted.out));
    }

    // What Kiln cannot run says what it is and how to make a runnable file; a
    // damaged archive names what is wrong. Never an empty reason.
    void clearMessages()
    {
        const QString plain = mExports + QStringLiteral("/mlp.pt2");
        const QString csv = write(QStringLiteral("one.csv"), QStringLiteral("a,b,c,d\n1,2,3,4\n"));
        const kilntest::ProcessResult predicted = kilntest::runKiln({QStringLiteral("predict"), plain, csv});
        QCOMPARE(predicted.exitCode, 1);
        QVERIFY2(predicted.err.contains(QStringLiteral("aoti_compile_and_package")), qPrintable(predicted.err));

        const QString notebook = write(QStringLiteral("plain.kiln.md"),
                                       QStringLiteral("# p\n\n```lua\ntorch.export.load('%1')\n```\n").arg(plain));
        const kilntest::ProcessResult run = kilntest::runKiln({QStringLiteral("run"), notebook});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("torch.export.load_weights")), qPrintable(run.err));

        // A weights config that claims more than its file holds, and a truncated archive.
        QFile source(plain);
        QVERIFY(source.open(QIODevice::ReadOnly));
        QByteArray bytes = source.readAll();
        const QByteArray claim = "{\"as_int\": 8}, {\"as_int\": 4}";
        const qsizetype at = bytes.indexOf(claim);
        QVERIFY(at > 0);
        bytes.replace(at, claim.size(), QByteArray("{\"as_int\": 9}, {\"as_int\": 4}"));
        const QString lying = write(QStringLiteral("lying.pt2"), QString());
        QFile out(lying);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(bytes);
        out.close();
        const kilntest::ProcessResult inspectedLying = kilntest::runKiln({QStringLiteral("inspect"), lying});
        QCOMPARE(inspectedLying.exitCode, 1);
        QVERIFY2(inspectedLying.err.contains(QStringLiteral("net.0.weight")) && inspectedLying.err.contains(QStringLiteral("bytes")),
                 qPrintable(inspectedLying.err));

        const QString truncated = write(QStringLiteral("truncated.pt2"), QString());
        QFile cut(truncated);
        QVERIFY(cut.open(QIODevice::WriteOnly));
        cut.write(bytes.left(bytes.size() / 2));
        cut.close();
        const kilntest::ProcessResult inspectedCut = kilntest::runKiln({QStringLiteral("inspect"), truncated});
        QCOMPARE(inspectedCut.exitCode, 1);
        QVERIFY(!inspectedCut.err.section(QStringLiteral(": "), 2).trimmed().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPyTorchFiles)
#include "tst_pytorchfiles.moc"
