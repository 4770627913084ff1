#include "kernel/luasession.h"
#include "luaapi/torchruntime.h"

#include <QStandardPaths>
#include <QTest>

using namespace kiln;

// Devices in the Lua API as PyTorch spells them. Runs on every machine: the CPU
// paths are checked for their results, CUDA for one clear line when it is absent
// (the GPU check in bench/gpu/ runs the CUDA paths on a GPU).
class TestDevices : public QObject
{
    Q_OBJECT

private:
    static QString valueOf(const QString &code)
    {
        QString value;
        LuaSession session(std::make_shared<std::atomic<bool>>(false), [&value](const OutputItem &item) {
            if (item.kind == OutputItem::Kind::Value || item.kind == OutputItem::Kind::Text)
                value += item.text;
        });
        const EvalResult result = session.evaluate(code);
        if (!result.ok())
            return QStringLiteral("error: ") + result.error.message;
        // Strings are displayed quoted, as Lua values.
        value = value.trimmed();
        if (value.size() >= 2 && value.startsWith(QLatin1Char('"')) && value.endsWith(QLatin1Char('"')))
            value = value.mid(1, value.size() - 2);
        return value;
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void values_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("expected");
        QTest::newRow("device object") << "local d = torch.device('cpu')\nreturn tostring(d) .. ' ' .. d.type .. ' ' .. tostring(d.index)" << "cpu cpu nil";
        QTest::newRow("tensor device") << "return tostring(torch.zeros(2).device)" << "cpu";
        QTest::newRow("devices compare") << "return torch.zeros(1).device == torch.device('cpu')" << "true";
        QTest::newRow("factory device option") << "return tostring(torch.ones(2, {device = 'cpu'}).device)" << "cpu";
        QTest::newRow("factory device object") << "return tostring(torch.randn(2, {device = torch.device('cpu')}).device)" << "cpu";
        QTest::newRow("to device and dtype") << "return torch.ones(2):to('cpu', torch.float64).dtype" << "torch.float64";
        QTest::newRow("to options") << "return torch.ones(2):to({device = 'cpu', dtype = torch.int64, non_blocking = true}).dtype" << "torch.int64";
        QTest::newRow("to like other") << "return torch.ones(2):to(torch.zeros(1, {dtype = torch.float16})).dtype" << "torch.float16";
        QTest::newRow("to copy") << "local a = torch.ones(2)\nlocal b = a:to('cpu', {copy = true})\nb:fill_(5)\nreturn a:sum():item()" << "2.0";
        QTest::newRow("cpu") << "return torch.ones(2):cpu():sum():item()" << "2.0";
        QTest::newRow("is_cuda") << "return torch.ones(2).is_cuda" << "false";
        QTest::newRow("default device") << "return tostring(torch.get_default_device())" << "cpu";
        QTest::newRow("cuda queries without a GPU are quiet")
            << "torch.cuda.manual_seed_all(3)\ntorch.cuda.empty_cache()\nreturn type(torch.cuda.is_available())" << "boolean";
        QTest::newRow("module to cpu") << "local m = nn.Linear(3, 2):to('cpu')\nreturn tostring(m.weight.device)" << "cpu";
        QTest::newRow("module to dtype keeps ints")
            << "local m = nn.BatchNorm1d(3):to(torch.float64)\nreturn m.weight.dtype .. ' ' .. m.num_batches_tracked.dtype"
            << "torch.float64 torch.int64";
        QTest::newRow("autocast cpu bf16 fn")
            << "local m = nn.Linear(4, 2)\nreturn torch.autocast('cpu', {dtype = torch.bfloat16}, function() return m(torch.ones(3, 4)) end).dtype"
            << "torch.bfloat16";
        QTest::newRow("autocast close restores")
            << "local m = nn.Linear(4, 2)\ndo local _ <close> = torch.autocast('cpu')\nassert(m(torch.ones(1, 4)).dtype == torch.bfloat16) end\nreturn m(torch.ones(1, 4)).dtype"
            << "torch.float32";
        QTest::newRow("autocast restores after error")
            << "pcall(torch.autocast, 'cpu', {}, function() error('boom') end)\nreturn torch.is_autocast_enabled('cpu')" << "false";
        QTest::newRow("autocast disabled") << "return torch.autocast('cpu', {enabled = false}, function() return nn.Linear(2, 2)(torch.ones(1, 2)).dtype end)" << "torch.float32";
    }

    void values()
    {
        QFETCH(QString, code);
        QFETCH(QString, expected);
        QCOMPARE(valueOf(code), expected);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown device") << "torch.zeros(2, {device = 'tpu'})" << "unknown device 'tpu': expected cpu, cuda or cuda:N";
        QTest::newRow("bad device object") << "torch.device('gpu', 1)" << "unknown device 'gpu:1'";
        QTest::newRow("to needs something") << "torch.zeros(2):to(42)" << "expected a device, a dtype, a Tensor or an options table";
        QTest::newRow("autocast bad dtype") << "torch.autocast('cpu', {dtype = torch.float64})" << "dtype must be torch.float16 or torch.bfloat16";
        QTest::newRow("autocast bad device") << "torch.autocast('tpu')" << "device_type must be";
        if (!torchruntime::cudaAvailable()) {
            const QString none = QStringLiteral("no CUDA device: ");
            QTest::newRow("cuda()") << "torch.zeros(2):cuda()" << none;
            QTest::newRow("to cuda") << "torch.zeros(2):to('cuda:0')" << none;
            QTest::newRow("factory cuda") << "torch.zeros(2, {device = 'cuda'})" << none;
            QTest::newRow("module cuda") << "nn.Linear(2, 2):cuda()" << none;
            QTest::newRow("pin_memory") << "torch.zeros(2):pin_memory()" << none;
            QTest::newRow("name") << "torch.cuda.get_device_name(0)" << none;
            QTest::newRow("synchronize") << "torch.cuda.synchronize()" << none;
            QTest::newRow("memory") << "torch.cuda.memory_allocated()" << none;
            QTest::newRow("graph") << "torch.cuda.CUDAGraph()" << none;
            QTest::newRow("autocast cuda") << "torch.autocast('cuda')" << none;
            QTest::newRow("default device") << "torch.set_default_device('cuda')" << none;
        }
    }

    void errors()
    {
        QFETCH(QString, code);
        QFETCH(QString, message);
        LuaSession session(std::make_shared<std::atomic<bool>>(false), [](const OutputItem &) {});
        const EvalResult result = session.evaluate(code);
        QCOMPARE(result.status, EvalResult::Status::Error);
        QVERIFY2(result.error.message.contains(message), qPrintable(result.error.message));
        QVERIFY(!result.error.message.trimmed().isEmpty());
        QVERIFY(session.evaluate(QStringLiteral("torch.ones(1):item()")).ok());
    }

    // The fused update (used on GPUs, and whenever fused or capturable is asked)
    // must give what the per-parameter one gives, for Adam, AdamW and amsgrad.
    void fusedAdamMatchesPerParameter_data()
    {
        QTest::addColumn<QString>("optimizer");
        QTest::newRow("Adam") << "optim.Adam(m:parameters(), {lr = 0.01%1})";
        QTest::newRow("AdamW") << "optim.AdamW(m:parameters(), {lr = 0.01, weight_decay = 0.1%1})";
        QTest::newRow("Adam amsgrad, decay") << "optim.Adam(m:parameters(), {lr = 0.01, amsgrad = true, weight_decay = 0.01%1})";
        QTest::newRow("capturable") << "optim.Adam(m:parameters(), {lr = 0.01%1, capturable = true})";
    }

    void fusedAdamMatchesPerParameter()
    {
        QFETCH(QString, optimizer);
        const QString program = QStringLiteral(
            "torch.manual_seed(0)\n"
            "local m = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 3))\n"
            "local opt = %1\n"
            "local x, y = torch.randn(16, 5), torch.randint(0, 3, {16})\n"
            "for _ = 1, 25 do opt:zero_grad(); F.cross_entropy(m(x), y):backward(); opt:step() end\n"
            "local parts = {}\n"
            "for _, p in ipairs(m:parameters()) do parts[#parts + 1] = p:flatten() end\n"
            "return torch.cat(parts)\n");
        const QString plain = program.arg(optimizer.arg(QString()));
        const QString fused = program.arg(optimizer.arg(QStringLiteral(", fused = true")));
        const QString difference = valueOf(QStringLiteral("local plain = (function() ") + plain
                                           + QStringLiteral(" end)()\nlocal fused = (function() ") + fused
                                           + QStringLiteral(" end)()\nreturn (plain - fused):abs():max():item()"));
        bool number = false;
        QVERIFY2(difference.toDouble(&number) < 1e-5 && number, qPrintable(difference));
    }

    // GradScaler on the CPU: the scale multiplies the loss, unscale_ divides the
    // gradients back, an inf gradient skips the step and halves the scale.
    void gradScaler()
    {
        const QString value = valueOf(QStringLiteral(
            "torch.manual_seed(1)\n"
            "local m = nn.Linear(3, 1)\n"
            "local opt = optim.SGD(m:parameters(), {lr = 0.1})\n"
            "local scaler = torch.amp.GradScaler('cpu', {init_scale = 1024, growth_interval = 2})\n"
            "local x = torch.ones(2, 3)\n"
            "local reference = torch.autograd.grad(m(x):sum(), {m.weight})[1]\n"
            "local scaled = scaler:scale(m(x):sum())\n"
            "assert(math.abs(scaled:item() - m(x):sum():item() * 1024) < 1e-2, 'scale')\n"
            "scaled:backward()\n"
            "scaler:unscale_(opt)\n"
            "assert((m.weight.grad - reference):abs():max():item() < 1e-6, 'unscale')\n"
            "local before = m.weight:clone()\n"
            "scaler:step(opt); scaler:update()\n"
            "assert((m.weight - before):abs():max():item() > 0, 'a clean step updates')\n"
            "opt:zero_grad()\n"
            "scaler:scale(m(x):sum() * math.huge):backward()\n"
            "local frozen = m.weight:clone()\n"
            "scaler:step(opt); scaler:update()\n"
            "assert((m.weight - frozen):abs():max():item() == 0, 'an inf gradient skips the step')\n"
            "return scaler:get_scale()\n"));
        QCOMPARE(value, QStringLiteral("512.0"));
    }
};

QTEST_GUILESS_MAIN(TestDevices)
#include "tst_devices.moc"
