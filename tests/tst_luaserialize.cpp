#include "kilnprocess.h"
#include "kernel/luasession.h"
#include "pythontorch.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace kiln;

// Models in and out: torch.save/load, safetensors and torch.jit, checked against
// files PyTorch writes and reads at test time (python3 with torch is required).
class TestLuaSerialize : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir mDir;
    QString mPython;
    QString mExpected;

    // Runs a script from tests/data/python with the temporary folder as its argument.
    bool runPython(const QString &script, QString *output)
    {
        return kilntest::runPython(mPython, {QStringLiteral(KILN_TEST_DATA "/python/") + script, mDir.path()}, output);
    }

    // Test code sees DIR (the folder with the Python-made files, ending in '/'),
    // E (the numbers PyTorch computed) and near(tensor, nested table).
    QString withPrelude(const QString &code) const
    {
        return QStringLiteral("local DIR = \"%1/\"\nlocal E = (function()\n%2\nend)()\n"
                              "local function near(a, b) return ((a - torch.tensor(b)) ^ 2):sum():item() < 1e-8 end\n%3")
            .arg(mDir.path(), mExpected, code);
    }

    EvalResult evaluate(LuaSession &session, const QString &code)
    {
        return session.evaluate(withPrelude(code));
    }

    static std::unique_ptr<LuaSession> newSession()
    {
        return std::make_unique<LuaSession>(std::make_shared<std::atomic<bool>>(false), [](const OutputItem &) {});
    }

    // Runs tests/data/lua/<file>, which asserts what it expects.
    void checkScript(const QString &file)
    {
        QFile script(QStringLiteral(KILN_TEST_DATA "/lua/") + file);
        QVERIFY2(script.open(QIODevice::ReadOnly), qPrintable(file));
        check(QString::fromUtf8(script.readAll()));
    }

    void check(const QString &code)
    {
        auto session = newSession();
        const EvalResult result = evaluate(*session, code);
        QVERIFY2(result.ok(), qPrintable(result.error.message));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(mDir.isValid());
        mPython = kilntest::findPythonWithTorch();
        QVERIFY2(!mPython.isEmpty(), "no python with torch (scripts/install-deps.sh makes .venv) found");
        QString output;
        QVERIFY2(runPython(QStringLiteral("make_models.py"), &output), qPrintable(output));
        QFile expected(mDir.filePath(QStringLiteral("expected.lua")));
        QVERIFY(expected.open(QIODevice::ReadOnly));
        mExpected = QString::fromUtf8(expected.readAll());
    }

    void loadsPyTorchStateDict()
    {
        checkScript(QStringLiteral("serialize_loads_pytorch_state_dict.lua"));
    }

    void loadsTensorsAndContainers()
    {
        checkScript(QStringLiteral("serialize_loads_tensors_and_containers.lua"));
    }

    void kilnRoundTrip()
    {
        checkScript(QStringLiteral("serialize_kiln_round_trip.lua"));
    }

    void scriptedModel()
    {
        checkScript(QStringLiteral("serialize_scripted_model.lua"));
    }

    void tracedDictModel()
    {
        checkScript(QStringLiteral("serialize_traced_dict_model.lua"));
    }

    void safetensorsFromPython()
    {
        checkScript(QStringLiteral("serialize_safetensors_from_python.lua"));
    }

    void safetensorsRoundTrip()
    {
        checkScript(QStringLiteral("serialize_safetensors_round_trip.lua"));
    }

    void traceLuaFunction()
    {
        checkScript(QStringLiteral("serialize_trace_lua_function.lua"));
    }

    // Kiln writes a state dict, plain values, a traced Lua model and a safetensors
    // file; PyTorch reads them (check_kiln.py) and gets the same numbers.
    void pythonReadsKilnFiles()
    {
        checkScript(QStringLiteral("serialize_python_reads_kiln_files.lua"));
        QString output;
        QVERIFY2(runPython(QStringLiteral("check_kiln.py"), &output), qPrintable(output));
    }

    // An optimizer's state crosses over both ways: 3 steps on one side, saved with
    // torch.save, 3 on the other equal 6 in PyTorch alone (SGD, Adam, AdamW, RMSprop,
    // Adagrad, Adadelta, Adamax): the steps and the state both match PyTorch's.
    void optimizerStateRoundTrips()
    {
        QString output;
        QVERIFY2(kilntest::runPython(mPython, {QStringLiteral(KILN_TEST_DATA "/python/optimizer_roundtrip.py"), mDir.path(),
                                               QStringLiteral("pytorch-first")}, &output),
                 qPrintable(output));
        checkScript(QStringLiteral("serialize_optimizer_round_trip.lua"));
        QVERIFY2(kilntest::runPython(mPython, {QStringLiteral(KILN_TEST_DATA "/python/optimizer_roundtrip.py"), mDir.path(),
                                               QStringLiteral("kiln-first")}, &output),
                 qPrintable(output));
    }

    // LBFGS with the strong Wolfe line search: PyTorch's losses, weights and counts.
    void lbfgsLineSearchMatchesPyTorch()
    {
        QString output;
        QVERIFY2(runPython(QStringLiteral("lbfgs_reference.py"), &output), qPrintable(output));
        checkScript(QStringLiteral("optim_lbfgs_line_search.lua"));
    }

    // StepLR, MultiStepLR, LinearLR, ExponentialLR, CosineAnnealingLR, CyclicLR and
    // ReduceLROnPlateau give PyTorch's rates, with settings given positionally or by name.
    void schedulersMatchPyTorch()
    {
        QString output;
        QVERIFY2(runPython(QStringLiteral("scheduler_reference.py"), &output), qPrintable(output));
        checkScript(QStringLiteral("optim_schedulers_match_pytorch.lua"));
    }

    // RNN/LSTM/GRU cells, GroupNorm, PReLU, Softplus, Upsample and Unflatten
    // loaded with PyTorch's weights give PyTorch's outputs.
    void layersMatchPyTorch()
    {
        QString output;
        QVERIFY2(runPython(QStringLiteral("layers_reference.py"), &output), qPrintable(output));
        checkScript(QStringLiteral("nn_layers_match_pytorch.lua"));
    }

    // LSTM, GRU, MultiheadAttention and TransformerEncoderLayer traced by Kiln at one
    // shape run at two others, in Kiln and in PyTorch; nn.Transformer and packed
    // sequences give PyTorch's outputs.
    void tracedSequenceLayersGeneralize()
    {
        QString output;
        QVERIFY2(kilntest::runPython(mPython, {QStringLiteral(KILN_TEST_DATA "/python/trace_reference.py"), mDir.path(),
                                               QStringLiteral("make")}, &output),
                 qPrintable(output));
        checkScript(QStringLiteral("trace_sequence_layers.lua"));
        QVERIFY2(kilntest::runPython(mPython, {QStringLiteral(KILN_TEST_DATA "/python/trace_reference.py"), mDir.path(),
                                               QStringLiteral("check")}, &output),
                 qPrintable(output));
    }

    // NumPy's .npy and .npz files, written by NumPy, load as the same tensors.
    void numpyFiles()
    {
        QString output;
        QVERIFY2(runPython(QStringLiteral("make_npy.py"), &output), qPrintable(output));
        checkScript(QStringLiteral("npy_files_load.lua"));
    }

    // Files PyTorch wrote before 1.6 (or with _use_new_zipfile_serialization=False).
    void legacyFormat()
    {
        QString output;
        QVERIFY2(runPython(QStringLiteral("make_legacy.py"), &output), qPrintable(output));
        checkScript(QStringLiteral("serialize_legacy_format.lua"));
        const kilntest::ProcessResult inspected = kilntest::runKiln({QStringLiteral("inspect"), mDir.filePath(QStringLiteral("legacy/state.pt"))});
        QVERIFY2(inspected.exitCode == 0 && inspected.out.contains(QStringLiteral("legacy")), qPrintable(inspected.out + inspected.err));
    }

    void mutatedFiles()
    {
        checkScript(QStringLiteral("serialize_mutated_files.lua"));
    }

    void badInputsGiveClearErrors_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        const auto load = [](const char *file) { return QStringLiteral("torch.load(DIR .. \"%1\")").arg(QLatin1String(file)); };
        const auto jit = [](const char *file) { return QStringLiteral("torch.jit.load(DIR .. \"%1\")").arg(QLatin1String(file)); };
        const auto st = [](const char *file) { return QStringLiteral("safetensors.load(DIR .. \"%1\")").arg(QLatin1String(file)); };
        QTest::newRow("empty") << load("empty.pt") << "empty.pt: empty file";
        QTest::newRow("truncated") << load("truncated.pt") << "truncated.pt: PytorchStreamReader failed";
        QTest::newRow("random bytes") << load("random.pt") << "random.pt: not a PyTorch checkpoint";
        QTest::newRow("garbage in zip") << load("garbage_in_zip.pt") << "garbage_in_zip.pt: ";
        QTest::newRow("python object") << load("evil.pt") << "refusing to load the Python object 'os.system'";
        QTest::newRow("torchscript as checkpoint") << load("scripted.pt") << "load it with torch.jit.load";
        QTest::newRow("missing") << load("missing.pt") << "missing.pt: cannot open";
        QTest::newRow("jit empty") << jit("empty.pt") << "torch.jit.load: ";
        QTest::newRow("jit random") << jit("random.pt") << "random.pt: not a TorchScript archive";
        QTest::newRow("jit truncated") << jit("truncated.pt") << "truncated.pt: PytorchStreamReader failed";
        QTest::newRow("jit state dict") << jit("state_dict.pt") << "state_dict.pt: not a TorchScript archive but a torch.save checkpoint";
        QTest::newRow("st beyond") << st("st_beyond.safetensors") << "header length 1099511627776 is beyond the file size";
        QTest::newRow("st json") << st("st_json.safetensors") << "bad JSON header";
        QTest::newRow("st dtype") << st("st_dtype.safetensors") << "unknown dtype 'F8_E9'";
        QTest::newRow("st range") << st("st_range.safetensors") << "data_offsets [0, 800] out of range";
        QTest::newRow("st size") << st("st_size.safetensors") << "shape and dtype need 12 bytes but data_offsets span 8";
        QTest::newRow("st overlap") << st("st_overlap.safetensors") << "overlap another tensor";
        QTest::newRow("st gap") << st("st_gap.safetensors") << "leave a gap";
        QTest::newRow("st metadata") << st("st_metadata.safetensors") << "__metadata__ value 'n' is not a string";
        QTest::newRow("st negative") << st("st_negative.safetensors") << "shape entries must be non-negative integers";
        QTest::newRow("st short") << st("st_short.safetensors") << "too short for a safetensors file";
        QTest::newRow("st not tensor") << "safetensors.save(DIR .. \"x.safetensors\", {a = 1})" << "'a' is not a tensor";
        QTest::newRow("save function") << "torch.save(print, DIR .. \"x.pt\")" << "cannot save a function";
        QTest::newRow("save cycle") << "local t = {}\nt[1] = t\ntorch.save(t, DIR .. \"x.pt\")" << "nested too deeply";
        QTest::newRow("save mixed keys") << "torch.save({1, a = 2}, DIR .. \"x.pt\")" << "must be an array";
        QTest::newRow("save path arg") << "torch.save(1)" << "bad argument #2 to 'save'";
        QTest::newRow("forward shapes") << "local m = torch.jit.load(DIR .. \"scripted.pt\")\nm(torch.ones(2, 5), torch.ones(2, 2))"
                                        << "cannot be multiplied";
        QTest::newRow("forward argument type") << "local m = torch.jit.load(DIR .. \"scripted.pt\")\nm('x', torch.ones(2, 2))"
                                               << "Expected a value of type 'Tensor' for argument 'x'";
        QTest::newRow("no such method") << "local m = torch.jit.load(DIR .. \"scripted.pt\")\nm:call_method('nope')"
                                        << "the module has no method 'nope'";
        QTest::newRow("trace error") << "torch.jit.trace(function(x) error('boom') end, torch.ones(1))" << "boom";
        QTest::newRow("trace output") << "torch.jit.trace(function(x) return 'text' end, torch.ones(1))" << "traced";
        QTest::newRow("trace inputs") << "torch.jit.trace(function(x) return x end, {1})" << "example inputs must be tensors";
        QTest::newRow("trace model") << "torch.jit.trace(42, torch.ones(1))" << "bad argument #1 to 'torch.jit.trace'";
    }

    void badInputsGiveClearErrors()
    {
        QFETCH(QString, code);
        QFETCH(QString, message);
        auto session = newSession();
        const EvalResult result = evaluate(*session, code);
        QCOMPARE(result.status, EvalResult::Status::Error);
        QVERIFY2(result.error.message.contains(message), qPrintable(result.error.message));
        // The session goes on, and no tracer state is left behind.
        const EvalResult after = session->evaluate(QStringLiteral(
            "assert(torch.ones(2):sum():item() == 2)\n"
            "assert(torch.jit.trace(function(x) return x * 3 end, torch.ones(1))(torch.ones(1)):item() == 3)"));
        QVERIFY2(after.ok(), qPrintable(after.error.message));
    }
};

QTEST_GUILESS_MAIN(TestLuaSerialize)
#include "tst_luaserialize.moc"
