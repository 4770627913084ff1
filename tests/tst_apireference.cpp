#include "kernel/luasession.h"

#include <QDir>
#include <QProcess>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace kiln;

// Keeps docs/lua-api.md true to the live Lua API, in both directions.
//
// The convention (also stated at the top of the page): a name is documented when
// the page has it in inline code, qualified exactly as called and opened by a
// backtick:
//   - functions and callable tables: "`" + name + "(", e.g. `F.relu(`, `nn.Linear(`,
//     `class(`;
//   - other values (dtype strings, namespaces, plain tables): "`" + name followed by a
//     character that cannot continue a Lua name, e.g. `torch.float32`, `data.Dataset`;
//   - methods, with a fixed receiver per kind of object: `t:sum(` (torch.Tensor),
//     `m:parameters(` (nn.Module), `seq:append(` (nn.Sequential), `mlist:append(`
//     (nn.ModuleList), `mdict:keys(` (nn.ModuleDict), `rnn:flat_weights(` (nn.LSTM and
//     nn.GRU), `opt:zero_grad(` (optimizers), `sched:step(` (lr schedulers),
//     `sm:forward(` (ScriptModule); a plain field of such an object: `m.training`.
// Names starting with "_" are internal and not enumerated.
//
// Forward: every public name of the live API is on the page. Backward: every
// `global.path(` and `receiver:method(` the page shows exists in the live API.
// Finally every ```lua block of the page runs without error, each in a fresh session
// in a temporary working directory.
class TestApiReference : public QObject
{
    Q_OBJECT

private:
    QString mDoc;

    struct Run
    {
        EvalResult result;
        QString text;
    };

    static Run run(const QString &code)
    {
        Run run;
        LuaSession session(std::make_shared<std::atomic<bool>>(false), [&run](const OutputItem &item) {
            if (item.kind == OutputItem::Kind::Text)
                run.text += item.text;
        });
        run.result = session.evaluate(code);
        return run;
    }

    static QString docPath() { return QStringLiteral(KILN_DOCS "/lua-api.md"); }

    // Globals whose dotted paths the page may show; receivers and the Lua value that
    // holds their methods (classes inherit through __index).
    static QStringList globals()
    {
        return {QStringLiteral("torch"),    QStringLiteral("F"),     QStringLiteral("nn"),
                QStringLiteral("optim"),    QStringLiteral("data"),  QStringLiteral("datasets"),
                QStringLiteral("image"),    QStringLiteral("safetensors"), QStringLiteral("plot"),
                QStringLiteral("show"),     QStringLiteral("metrics"), QStringLiteral("class"),
                QStringLiteral("time")};
    }

    static QList<QPair<QString, QString>> receivers()
    {
        return {
            {QStringLiteral("t"), QStringLiteral("torch.Tensor")},
            {QStringLiteral("m"), QStringLiteral("nn.Module")},
            {QStringLiteral("seq"), QStringLiteral("nn.Sequential")},
            {QStringLiteral("mlist"), QStringLiteral("nn.ModuleList")},
            {QStringLiteral("mdict"), QStringLiteral("nn.ModuleDict")},
            {QStringLiteral("rnn"), QStringLiteral("nn.LSTM")},
            {QStringLiteral("opt"), QStringLiteral("optim.SGD")},
            {QStringLiteral("sched"), QStringLiteral("optim.lr_scheduler.StepLR")},
            {QStringLiteral("sm"), QStringLiteral("torch.jit.trace(function(x) return x * 2 end, torch.ones(1))")},
            {QStringLiteral("tok"), QStringLiteral("(function() local p = os.tmpname(); local f = io.open(p, 'w'); "
                                                   "f:write('{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"[UNK]\": 0}}}'); "
                                                   "f:close(); return tokenizers.from_file(p) end)()")},
        };
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QFile file(docPath());
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(docPath()));
        mDoc = QString::fromUtf8(file.readAll());
        QVERIFY(!mDoc.isEmpty());
    }

    // Every public name of the live API is on the page.
    void everyNameDocumented()
    {
        // Prints "token<TAB>callable" for each public name.
        const QString enumerate = QStringLiteral(R"lua(
local lines = {}
local function callable(v)
  if type(v) == "function" then return true end
  local mt = getmetatable(v)
  return type(mt) == "table" and mt.__call ~= nil
end
local function add(token, v) lines[#lines + 1] = token .. "\t" .. (callable(v) and "1" or "0") end
local function namespace(prefix, tbl)
  for k, v in pairs(tbl) do
    if type(k) == "string" and not k:find("^_") then add(prefix .. "." .. k, v) end
  end
end
-- own methods of a class table; fields that are not functions come as recv.field
-- (`super`, the link to the parent class, is skipped)
local function methods(recv, tbl, exclude)
  for k, v in pairs(tbl) do
    if type(k) == "string" and not k:find("^_") and k ~= "super" and not (exclude or {})[k] then
      if type(v) == "function" then add(recv .. ":" .. k, v) else add(recv .. "." .. k, v) end
    end
  end
end
for _, name in ipairs({ "torch", "F", "nn", "optim", "data", "datasets", "image", "safetensors", "plot",
                        "show", "metrics", "class", "time" }) do
  namespace(name, _G[name])
end
add("class", class)
namespace("torch.autograd", torch.autograd)
namespace("torch.jit", torch.jit)
namespace("torch.cuda", torch.cuda)
namespace("torch.amp", torch.amp)
namespace("torch.export", torch.export)
namespace("torch.linalg", torch.linalg)
namespace("image.transforms", image.transforms)
namespace("nn.init", nn.init)
namespace("nn.utils", nn.utils)
namespace("nn.utils.rnn", nn.utils.rnn)
namespace("optim.lr_scheduler", optim.lr_scheduler)
methods("t", torch.Tensor)
methods("m", nn.Module)
local ctor = { init = true, forward = true, extra_repr = true }
methods("seq", nn.Sequential, ctor)
methods("mlist", nn.ModuleList, ctor)
methods("mdict", nn.ModuleDict, ctor)
methods("rnn", nn.LSTM, ctor)
methods("opt", optim.Optimizer)
methods("sched", optim.lr_scheduler.LRScheduler)
table.sort(lines)
print(table.concat(lines, "\n"))
)lua");
        const Run names = run(enumerate);
        QVERIFY2(names.result.ok(), qPrintable(names.result.error.message));
        const QStringList lines = names.text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(lines.size() > 400, qPrintable(QStringLiteral("only %1 names enumerated").arg(lines.size())));

        QStringList missing;
        for (const QString &line : lines) {
            const QString token = line.section(QLatin1Char('\t'), 0, 0);
            const bool isCallable = line.section(QLatin1Char('\t'), 1, 1) == QLatin1String("1");
            const QString opening = QLatin1Char('`') + token;
            bool found = false;
            if (isCallable) {
                found = mDoc.contains(opening + QLatin1Char('('));
            } else {
                // followed by something that cannot continue a Lua name
                const QRegularExpression pattern(QRegularExpression::escape(opening) + QStringLiteral("(?![A-Za-z0-9_])"));
                found = mDoc.contains(pattern);
            }
            if (!found)
                missing << (isCallable ? opening + QLatin1Char('(') : opening);
        }
        QVERIFY2(missing.isEmpty(),
                 qPrintable(QStringLiteral("%1 of %2 public names are missing from docs/lua-api.md:\n  %3")
                                .arg(missing.size()).arg(lines.size()).arg(missing.join(QStringLiteral("\n  ")))));
    }

    // Everything the page calls exists in the live API.
    void everyDocumentedNameExists()
    {
        QSet<QString> paths;
        const QRegularExpression global(QStringLiteral("`((?:%1)(?:\\.[A-Za-z_][A-Za-z0-9_]*)*)\\(")
                                            .arg(globals().join(QLatin1Char('|'))));
        for (auto it = global.globalMatch(mDoc); it.hasNext();)
            paths.insert(it.next().captured(1));
        QStringList receiverNames;
        for (const auto &receiver : receivers())
            receiverNames << receiver.first;
        QSet<QString> methodCalls;
        const QRegularExpression method(QStringLiteral("`(%1):([A-Za-z_][A-Za-z0-9_]*)\\(").arg(receiverNames.join(QLatin1Char('|'))));
        for (auto it = method.globalMatch(mDoc); it.hasNext();) {
            const QRegularExpressionMatch match = it.next();
            methodCalls.insert(match.captured(1) + QLatin1Char(':') + match.captured(2));
        }
        QVERIFY2(paths.size() > 200, qPrintable(QStringLiteral("only %1 documented functions found").arg(paths.size())));
        QVERIFY2(methodCalls.size() > 150, qPrintable(QStringLiteral("only %1 documented methods found").arg(methodCalls.size())));

        QString code = QStringLiteral("local missing = {}\n"
                                      "local function callable(v)\n"
                                      "  if type(v) == 'function' then return true end\n"
                                      "  local mt = getmetatable(v)\n"
                                      "  return type(mt) == 'table' and mt.__call ~= nil\n"
                                      "end\n"
                                      "local function resolve(path)\n"
                                      "  local v = _G\n"
                                      "  for part in path:gmatch('[^.]+') do\n"
                                      "    if type(v) ~= 'table' then return nil end\n"
                                      "    v = v[part]\n"
                                      "  end\n"
                                      "  return v\n"
                                      "end\n");
        for (const QString &path : std::as_const(paths))
            code += QStringLiteral("if not callable(resolve('%1')) then missing[#missing + 1] = '`%1(' end\n").arg(path);
        code += QStringLiteral("local receivers = {}\n");
        for (const auto &receiver : receivers())
            code += QStringLiteral("receivers['%1'] = %2\n").arg(receiver.first, receiver.second);
        for (const QString &call : std::as_const(methodCalls)) {
            const QString receiver = call.section(QLatin1Char(':'), 0, 0);
            const QString name = call.section(QLatin1Char(':'), 1, 1);
            code += QStringLiteral("if not callable(receivers['%1']['%2']) then missing[#missing + 1] = '`%1:%2(' end\n")
                        .arg(receiver, name);
        }
        code += QStringLiteral("table.sort(missing)\nprint(table.concat(missing, '\\n'))\n");
        const Run check = run(code);
        QVERIFY2(check.result.ok(), qPrintable(check.result.error.message));
        const QString missing = check.text.trimmed();
        QVERIFY2(missing.isEmpty(),
                 qPrintable(QStringLiteral("docs/lua-api.md shows names the live API does not have:\n  ")
                            + QString(missing).replace(QLatin1Char('\n'), QStringLiteral("\n  "))));
    }

    // kiln/signatures.lua, which Kiln checks calls against, lists what the page shows.
    void signaturesMatchThePage()
    {
        QProcess script;
        script.start(QStringLiteral("python3"), {QStringLiteral(KILN_DOCS "/../scripts/update-signatures.py"), QStringLiteral("--check")});
        QVERIFY(script.waitForFinished(60000));
        QVERIFY2(script.exitStatus() == QProcess::NormalExit && script.exitCode() == 0,
                 script.readAllStandardError().constData());
    }

    // Every entry that takes an options table refuses a key it does not know,
    // naming itself and the key, before it runs (so with nothing else given).
    void everyEntryRefusesUnknownOptions()
    {
        const Run walk = run(QStringLiteral(R"lua(
local receivers = {t = torch.zeros(1), m = nn.Linear(1, 1)}
local failures, checked = {}, 0
for name, spec in pairs(require("kiln.signatures")) do
  local receiver, method = name:match("^(%a+):(.+)$")
  local args = {n = spec.required + 1}
  args[args.n] = {bogus_option = 1}
  local call
  if receiver then
    local object = receivers[receiver]
    call = function() return object[method](object, table.unpack(args, 1, args.n)) end
  else
    local value = _G
    for part in name:gmatch("[^.]+") do value = value[part] end
    call = function() return value(table.unpack(args, 1, args.n)) end
  end
  local ok, message = pcall(call)
  local expected = name .. ": unknown option 'bogus_option'"
  if ok or not tostring(message):find(expected, 1, true) then
    failures[#failures + 1] = name .. " -> " .. tostring(message)
  end
  checked = checked + 1
end
table.sort(failures)
print(checked, table.concat(failures, "\\n"))
)lua"));
        QVERIFY2(walk.result.ok(), qPrintable(walk.result.error.message));
        QVERIFY2(walk.text.trimmed().count(QLatin1Char('\n')) == 0, qPrintable(walk.text));
        QVERIFY2(walk.text.section(QLatin1Char('\t'), 0, 0).toInt() > 90, qPrintable(walk.text));
    }

    // The misspellings and slips that used to be read as defaults.
    void mistakesAreNamed_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("conv padding") << "nn.Conv2d(1, 2, 3, {paddng = 1})" << "nn.Conv2d: unknown option 'paddng' (did you mean 'padding'?)";
        QTest::newRow("conv padding_mode") << "nn.Conv2d(1, 2, 3, {padding_mode = 'reflect'})" << "nn.Conv2d: unknown option 'padding_mode'";
        QTest::newRow("batch size") << "data.batches({x = torch.zeros(4, 1)}, {batchsize = 4})" << "data.batches: unknown option 'batchsize' (did you mean 'batch_size'?)";
        QTest::newRow("reduction") << "F.cross_entropy(torch.zeros(2, 3), torch.tensor({0, 1}), {reductoin = 'sum'})"
                                   << "F.cross_entropy: unknown option 'reductoin' (did you mean 'reduction'?)";
        QTest::newRow("batch first") << "nn.LSTM(28, 64, {batchfirst = true})" << "nn.LSTM: unknown option 'batchfirst' (did you mean 'batch_first'?)";
        QTest::newRow("alpha typo") << "torch.zeros(2):add(torch.ones(2), {alpah = 5})" << "t:add: unknown option 'alpah' (did you mean 'alpha'?)";
        QTest::newRow("far from any") << "F.mse_loss(torch.zeros(2), torch.zeros(2), {colour = 1})"
                                      << "F.mse_loss: unknown option 'colour'; it takes reduction";
        QTest::newRow("extra positional") << "F.mse_loss(torch.zeros(2), torch.zeros(2), 'sum')"
                                          << "F.mse_loss: too many arguments (3); it takes input, target and then an options table";
        QTest::newRow("not a name") << "F.mse_loss(torch.zeros(2), torch.zeros(2), {[2] = 'sum'})"
                                    << "F.mse_loss: the options table has a number key";
        QTest::newRow("lstm size missing") << "nn.LSTM({input_size = 28})" << "nn.LSTM: hidden_size must be a positive integer, got nothing";
        QTest::newRow("dot for a colon") << "local m = nn.Linear(2, 2)\nreturn m.parameters()"
                                         << "m:parameters: call it on a module with a colon, m:parameters(...) (got nothing)";
        QTest::newRow("optimizer dot") << "local o = optim.SGD(nn.Linear(2, 2):parameters(), {lr = 0.1})\no.zero_grad()"
                                       << "opt:zero_grad: call it with a colon, opt:zero_grad(...) (got nothing)";
        QTest::newRow("scheduler without step_size") << "optim.lr_scheduler.StepLR(optim.SGD(nn.Linear(2, 2):parameters()))"
                                                     << "StepLR: step_size is required";
    }

    void mistakesAreNamed()
    {
        QFETCH(QString, code);
        QFETCH(QString, message);
        const Run result = run(code);
        QVERIFY2(!result.result.ok(), qPrintable(code));
        QVERIFY2(result.result.error.message.contains(message), qPrintable(result.result.error.message));
    }

    // PyTorch's signatures that take sizes positionally or by name.
    void lstmSizesPositionallyOrByName()
    {
        const Run result = run(QStringLiteral(
            "local a = nn.LSTM(4, 4, 2, {dropout = 0.2})\n"
            "local b = nn.GRU({input_size = 3, hidden_size = 5, num_layers = 3})\n"
            "local c = nn.LSTM(3, 5, {num_layers = 2, batch_first = true})\n"
            "assert(a.num_layers == 2 and a.dropout == 0.2)\n"
            "assert(b.num_layers == 3 and b.input_size == 3 and b.hidden_size == 5)\n"
            "assert(c.num_layers == 2 and c.batch_first)\n"
            "local out = a(torch.randn(7, 1, 4))\n"
            "assert(out.shape[1] == 7 and out.shape[3] == 4)"));
        QVERIFY2(result.result.ok(), qPrintable(result.result.error.message));
    }

    // What used to be silently wrong: alpha was dropped by add_/sub_; ipairs on a
    // tensor skipped element 0 and then failed; a loss broadcast without a word.
    void formerlySilentlyWrong()
    {
        const Run result = run(QStringLiteral(
            "local a = torch.zeros(2):add_(torch.ones(2), {alpha = 5})\n"
            "assert(a:equal(torch.tensor({5.0, 5.0})), tostring(a))\n"
            "local b = torch.ones(2):sub_(torch.ones(2), {alpha = 3})\n"
            "assert(b:equal(torch.tensor({-2.0, -2.0})), tostring(b))\n"
            "assert(not pcall(function() return torch.zeros(2):add_(torch.ones(2), 5) end))\n"
            "local seen = {}\n"
            "for i, x in ipairs(torch.tensor({10, 20, 30})) do seen[i] = x:item() end\n"
            "assert(#seen == 3 and seen[1] == 10 and seen[3] == 30, table.concat(seen, ','))\n"
            "F.mse_loss(torch.zeros(4, 1), torch.zeros(4))\n"
            "F.mse_loss(torch.zeros(4, 1), torch.zeros(4))\n"
            "assert(string.format('%.2f', torch.tensor(1.5)) == '1.50' and ('%d'):format(torch.tensor(3)) == '3')\n"
            "assert(torch.zeros(2):type() == 'torch.FloatTensor' and torch.zeros(2):type(torch.float64).dtype == torch.float64)\n"
            "assert(torch.zeros(2):type('torch.LongTensor').dtype == torch.int64)\n"));
        QVERIFY2(result.result.ok(), qPrintable(result.result.error.message));
        QCOMPARE(result.text.count(QStringLiteral("Warning: Using a target size (torch.Size([4])) that is different to the "
                                                  "input size (torch.Size([4, 1]))")), 1);
    }

    // Every ```lua example runs.
    void examplesRun_data()
    {
        QTest::addColumn<QString>("code");
        const QRegularExpression block(QStringLiteral("^```lua\\n(.*?)^```"),
                                       QRegularExpression::MultilineOption | QRegularExpression::DotMatchesEverythingOption);
        int count = 0;
        for (auto it = block.globalMatch(mDoc); it.hasNext();) {
            const QRegularExpressionMatch match = it.next();
            const int line = int(mDoc.left(match.capturedStart()).count(QLatin1Char('\n'))) + 1;
            QTest::addRow("line %d", line) << match.captured(1);
            ++count;
        }
        QVERIFY(count > 10);
    }

    void examplesRun()
    {
        QFETCH(QString, code);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString previous = QDir::currentPath();
        QDir::setCurrent(dir.path());
        const Run example = run(code);
        QDir::setCurrent(previous);
        QVERIFY2(example.result.ok(), qPrintable(QStringLiteral("line %1: %2\n%3")
                                                     .arg(example.result.error.line)
                                                     .arg(example.result.error.message, code)));
    }
};

QTEST_GUILESS_MAIN(TestApiReference)
#include "tst_apireference.moc"
