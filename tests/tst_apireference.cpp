#include "kernel/luasession.h"

#include <QDir>
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
namespace("nn.init", nn.init)
namespace("nn.utils", nn.utils)
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
