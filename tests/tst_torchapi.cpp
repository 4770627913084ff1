#include "kernel/luasession.h"
#include "pythontorch.h"

#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace kiln;

// The torch Lua API as notebook code uses it: tensors, autograd, nn, F, optim
// and outputs against known values, and against PyTorch itself (Debian's
// the venv's PyTorch, the same libtorch) for printing, layers, losses, optimizers
// and traced models.
class TestTorchApi : public QObject
{
    Q_OBJECT

private:
    QString mPython;

    struct Run
    {
        EvalResult result;
        QString value;
        QString text;
        OutputList outputs;
    };

    static Run run(const QString &code, LuaSession *existing = nullptr)
    {
        Run run;
        auto collect = [&run](const OutputItem &item) {
            run.outputs.append(item);
            if (item.kind == OutputItem::Kind::Value)
                run.value = item.text;
            else if (item.kind == OutputItem::Kind::Text)
                run.text += item.text;
        };
        if (existing) {
            run.result = existing->evaluate(code);
            return run;
        }
        LuaSession session(std::make_shared<std::atomic<bool>>(false), collect);
        run.result = session.evaluate(code);
        return run;
    }

    static QString findPython() { return kilntest::findPythonWithTorch(); }

    static QString readFile(const QString &path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return QString();
        return QString::fromUtf8(file.readAll());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        mPython = findPython();
    }

    void values_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("expected");
        // creation and dtypes
        QTest::newRow("full") << "torch.full({2, 2}, 7):sum():item()" << "28";
        QTest::newRow("full dtype follows value") << "torch.full({2}, 1.5).dtype" << "\"torch.float32\"";
        QTest::newRow("eye") << "torch.eye(3):sum():item()" << "3.0";
        QTest::newRow("linspace") << "torch.linspace(0, 1, 5)[4]:item()" << "1.0";
        QTest::newRow("arange step") << "torch.arange(1, 10, 3):tolist()[3]" << "7";
        QTest::newRow("randint range") << "local t = torch.randint(3, 7, {1000})\nreturn t:min():item(), t:max():item(), t.dtype" << "3\n6\n\"torch.int64\"";
        QTest::newRow("randperm") << "torch.randperm(10):sort():equal(torch.arange(10))" << "true";
        QTest::newRow("like forms") << "local a = torch.ones(2, 3, {dtype = torch.float64})\nreturn torch.zeros_like(a).dtype, torch.full_like(a, 2):sum():item(), torch.rand_like(a).shape" << "\"torch.float64\"\n12.0\ntorch.Size([2, 3])";
        QTest::newRow("to and shortcuts") << "local a = torch.tensor({1.7, -2.2})\nreturn a:to(torch.int32):tolist()[1], a:long().dtype, a:to('float64').dtype, a:bool():tolist()[2]" << "1\n\"torch.int64\"\n\"torch.float64\"\ntrue";
        QTest::newRow("bool tensor from table") << "torch.tensor({true, false, true}):sum():item()" << "2";
        QTest::newRow("manual seed repeats") << "torch.manual_seed(7)\nlocal a = torch.rand(4)\ntorch.manual_seed(7)\nreturn a:equal(torch.rand(4))" << "true";
        // shape
        QTest::newRow("view and reshape") << "local a = torch.arange(12)\nreturn a:view(3, 4):size(1), a:reshape({2, -1}):size(1), a:view(2, 2, 3):flatten(1).shape" << "4\n6\ntorch.Size([2, 6])";
        QTest::newRow("unsqueeze squeeze") << "local a = torch.zeros(3)\nreturn a:unsqueeze(0).shape, a:unsqueeze(-1):squeeze().shape, torch.zeros(1, 3, 1):squeeze(0).shape" << "torch.Size([1, 3])\ntorch.Size([3])\ntorch.Size([3, 1])";
        QTest::newRow("permute transpose t") << "local a = torch.zeros(2, 3, 4)\nreturn a:permute(2, 0, 1).shape, a:transpose(0, 2).shape, torch.zeros(2, 3):t().shape, a.T.shape" << "torch.Size([4, 2, 3])\ntorch.Size([4, 3, 2])\ntorch.Size([3, 2])\ntorch.Size([4, 3, 2])";
        QTest::newRow("expand repeat contiguous") << "local a = torch.tensor({{1}, {2}})\nreturn a:expand(2, 3):sum():item(), a:tile(2, 2).shape, a:expand(2, 3):is_contiguous(), a:expand(2, 3):contiguous():is_contiguous()" << "9\ntorch.Size([4, 2])\nfalse\ntrue";
        QTest::newRow("cat stack") << "local a, b = torch.ones(2, 3), torch.zeros(2, 3)\nreturn torch.cat({a, b}, 1).shape, torch.stack({a, b}).shape, torch.stack({a, b}, -1).shape" << "torch.Size([2, 6])\ntorch.Size([2, 2, 3])\ntorch.Size([2, 3, 2])";
        QTest::newRow("split chunk") << "local a = torch.arange(10)\nlocal s = a:split(4)\nlocal c = a:chunk(3)\nreturn #s, s[3]:tolist()[2], #c, c[1]:numel(), #a:split({2, 8})" << "3\n9\n3\n4\n2";
        // indexing, 0-based
        QTest::newRow("index select row") << "local a = torch.arange(6):view(2, 3)\nreturn a[0]:tolist()[3], a[-1][0]:item(), a[1][2]:item()" << "2\n3\n5";
        QTest::newRow("slices") << "local a = torch.arange(20):view(4, 5)\nreturn a['1:3, ::2']:tolist()[2][3], a[{{1, 3}, 2}]:tolist()[1], a[':, -1']:sum():item(), a['...,0']:sum():item()" << "14\n7\n46\n30";
        QTest::newRow("none index") << "torch.zeros(3)['None, :'].shape" << "torch.Size([1, 3])";
        QTest::newRow("mask") << "local a = torch.tensor({1, -2, 3, -4})\nreturn a[a:lt(0)]:tolist()[2], a:masked_fill(a:gt(0), 0):sum():item()" << "-4\n-6";
        QTest::newRow("assignment") << "local a = torch.zeros(3, 3)\na[1] = 5\na[{0, 2}] = 1\na['2, :2'] = torch.tensor({7.0, 8.0})\na[a:eq(5)] = 2\nreturn a:sum():item()" << "22.0";
        QTest::newRow("tensor index") << "local a = torch.arange(10) * 10\nreturn a[torch.tensor({1, 3, -1})]:tolist()[3]" << "90";
        QTest::newRow("narrow select") << "local a = torch.arange(12):view(3, 4)\nreturn a:narrow(1, 1, 2):sum():item(), a:select(1, 3):sum():item()" << "33\n21";
        QTest::newRow("index_select gather scatter") << "local a = torch.arange(12):view(3, 4)\nlocal g = a:gather(1, torch.tensor({{0}, {3}, {1}}))\nlocal s = torch.zeros(3, 4):scatter(1, torch.tensor({{0}, {3}, {1}}), 1)\nreturn a:index_select(0, torch.tensor({2, 0})):tolist()[1][1], g:sum():item(), s:sum():item()" << "8\n16\n3.0";
        QTest::newRow("nonzero where") << "local a = torch.tensor({0, 3, 0, 4})\nreturn a:nonzero():view(-1):tolist()[2], torch.where(a:gt(0), a, torch.full({4}, -1)):sum():item()" << "3\n5";
        // math
        QTest::newRow("operators") << "local a = torch.tensor({7, -7})\nreturn (a % 3):tolist()[2], (a // 2):tolist()[2], (a / 2):tolist()[1], (2 ^ torch.tensor({3})):item(), (-a):tolist()[1]" << "2\n-4\n3.5\n8\n-7";
        QTest::newRow("number on the left") << "(1 - torch.tensor({0.25})):item(), (3 / torch.tensor({2.0})):item()" << "0.75\n1.5";
        QTest::newRow("wrapped scalar promotion") << "(torch.tensor({1, 2}) * 2.5).dtype, (torch.tensor({1, 2}) + 1).dtype" << "\"torch.float32\"\n\"torch.int64\"";
        QTest::newRow("comparisons") << "local a = torch.tensor({1, 2, 3})\nreturn a:eq(2):sum():item(), a:ne(2):sum():item(), a:le(2):sum():item(), a:gt(torch.tensor({0, 5, 1})):sum():item()" << "1\n2\n2\n2";
        QTest::newRow("elementwise") << "local a = torch.tensor({4.0})\nreturn a:sqrt():item(), a:log():exp():item(), a:neg():abs():item(), torch.tensor({-1.5}):clamp(-1, 1):item(), a:clamp({max = 2}):item()" << "2.0\n4.0\n4.0\n-1.0\n2.0";
        QTest::newRow("reductions with dims") << "local a = torch.arange(6):view(2, 3):float()\nreturn a:sum(0):tolist()[3], a:mean(1, true).shape, a:sum({0, 1}):item(), a:sum({dim = 1, keepdim = true}).shape, a:std():item() > 1.87" << "7.0\ntorch.Size([2, 1])\n15.0\ntorch.Size([2, 1])\ntrue";
        QTest::newRow("max min argmax") << "local a = torch.tensor({{1, 9, 3}, {7, 2, 8}})\nlocal v, i = a:max(1)\nreturn a:max():item(), v:tolist()[2], i:tolist()[1], a:argmax():item(), a:argmin(1):tolist()[2], a:min(0):tolist()[2]" << "9\n8\n1\n1\n1\n2";
        QTest::newRow("topk sort") << "local a = torch.tensor({3, 1, 4, 1, 5})\nlocal v, i = a:topk(2)\nlocal s, j = a:sort({descending = true})\nreturn v:tolist()[1], i:tolist()[2], s:tolist()[5], j:tolist()[1]" << "5\n2\n1\n4";
        QTest::newRow("matmul family") << "local a = torch.ones(2, 3)\nreturn a:matmul(torch.ones(3, 4)).shape, torch.mm(a, torch.ones(3, 1)):sum():item(), torch.bmm(torch.ones(5, 2, 3), torch.ones(5, 3, 2)).shape" << "torch.Size([2, 4])\n6.0\ntorch.Size([5, 2, 2])";
        QTest::newRow("softmax rows sum to one") << "torch.randn(4, 5):softmax(1):sum(1):sub(1):abs():max():item() < 1e-6" << "true";
        QTest::newRow("tolist and item") << "local l = torch.tensor({{1.5, 2}, {3, 4}}):tolist()\nreturn l[2][1], #l, torch.tensor({{7}}):item()" << "3.0\n2\n7";
        QTest::newRow("numel dim ndim #") << "local a = torch.zeros(2, 3, 4)\nreturn a:numel(), a:dim(), a.ndim, #a, a:size(-1)" << "24\n3\n3\n2\n4";
        QTest::newRow("shape equality") << "torch.zeros(2, 3).shape == torch.ones(2, 3).shape, torch.zeros(2, 3).shape == torch.ones(3, 2).shape" << "true\nfalse";
        // autograd
        QTest::newRow("backward and grad") << "local x = torch.tensor({1.0, 2.0, 3.0}, {requires_grad = true})\nlocal y = (x * x):sum()\ny:backward()\nreturn x.grad:tolist()[3], x.is_leaf, y.grad_fn" << "6.0\ntrue\n\"SumBackward0\"";
        QTest::newRow("grad accumulates then zero_") << "local x = torch.ones(2, {requires_grad = true});\n(x * 3):sum():backward();\n(x * 3):sum():backward()\nlocal before = x.grad:sum():item()\nx.grad:zero_()\nreturn before, x.grad:sum():item()" << "12.0\n0.0";
        QTest::newRow("no_grad function and guard") << "local x = torch.ones(2, {requires_grad = true})\nlocal a = torch.no_grad(function() return x * 2 end)\nlocal b\ndo\n  local _ <close> = torch.no_grad()\n  b = x * 2\nend\nreturn a.requires_grad, b.requires_grad, (x * 2).requires_grad" << "false\nfalse\ntrue";
        QTest::newRow("no_grad restores after an error") << "local x = torch.ones(1, {requires_grad = true})\npcall(torch.no_grad, function() error('boom') end)\nreturn torch.is_grad_enabled()" << "true";
        QTest::newRow("autograd.grad") << "local x = torch.tensor({2.0}, {requires_grad = true})\nlocal g = torch.autograd.grad((x ^ 3):sum(), x)\nreturn g:item()" << "12.0";
        QTest::newRow("second derivative") << "local x = torch.tensor({2.0}, {requires_grad = true})\nlocal g = torch.autograd.grad((x ^ 3):sum(), x, {create_graph = true})\nreturn torch.autograd.grad(g:sum(), x):item()" << "12.0";
        QTest::newRow("detach and requires_grad_") << "local x = torch.ones(2):requires_grad_()\nlocal d = (x * 2):detach()\nx.requires_grad = false\nreturn d.requires_grad, x.requires_grad" << "false\nfalse";
        // nn
        QTest::newRow("module registers fields") << "local M = class('M', nn.Module)\nfunction M:init()\n  self.a = nn.Linear(2, 3)\n  self.b = nn.Parameter(torch.zeros(4))\n  self.note = 'plain'\n  self:register_buffer('count', torch.zeros(1))\nend\nlocal m = M()\nlocal names = {}\nfor name in m:named_parameters() do names[#names + 1] = name end\nlocal keys = {}\nfor key in pairs(m:state_dict()) do keys[#keys + 1] = key end\nreturn table.concat(names, ','), table.concat(keys, ','), #m:parameters(), #m:buffers(), m:num_parameters()" << "\"b,a.weight,a.bias\"\n\"b,count,a.weight,a.bias\"\n3\n1\n13";
        QTest::newRow("module call and train/eval") << "local m = nn.Sequential(nn.Linear(3, 3), nn.Dropout(0.5))\nm:eval()\nlocal x = torch.ones(2, 3)\nlocal same = m(x):equal(m(x))\nm:train()\nreturn same, m[1].training, m[0].training, #m" << "true\ntrue\ntrue\n2";
        QTest::newRow("sequential negative index") << "local m = nn.Sequential(nn.ReLU(), nn.Tanh())\nreturn m[-1].__name" << "\"Tanh\"";
        QTest::newRow("module to float64") << "local m = nn.Linear(2, 2):to(torch.float64)\nreturn m.weight.dtype, m(torch.ones(1, 2, {dtype = torch.float64})).dtype, m.weight.requires_grad" << "\"torch.float64\"\n\"torch.float64\"\ntrue";
        QTest::newRow("zero_grad sets to nil") << "local m = nn.Linear(2, 1)\nm(torch.ones(1, 2)):sum():backward()\nlocal had = m.weight.grad ~= nil\nm:zero_grad()\nreturn had, m.weight.grad == nil" << "true\ntrue";
        QTest::newRow("load_state_dict round trip") << "local a, b = nn.Linear(3, 2), nn.Linear(3, 2)\nb:load_state_dict(a:state_dict())\nreturn a.weight:equal(b.weight), a.bias:equal(b.bias)" << "true\ntrue";
        QTest::newRow("non-strict load reports") << "local r = nn.Linear(3, 2):load_state_dict({weight = torch.zeros(2, 3), extra = torch.zeros(1)}, false)\nreturn r.missing_keys[1], r.unexpected_keys[1]" << "\"bias\"\n\"extra\"";
        QTest::newRow("module repr with count") << "nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))"
                                                << "Sequential(\n  (0): Linear(in_features=784, out_features=128, bias=True)\n  (1): ReLU()\n  (2): Linear(in_features=128, out_features=10, bias=True)\n)\n101,770 parameters";
        QTest::newRow("module list and dict") << "local l = nn.ModuleList({nn.Linear(1, 1), nn.Linear(1, 1)})\nlocal d = nn.ModuleDict({b = nn.ReLU(), a = nn.Linear(1, 2)})\nreturn #l, #l:parameters(), table.concat(d:keys(), ','), #d:parameters()" << "2\n4\n\"a,b\"\n2";
        QTest::newRow("conv output shape") << "nn.Conv2d(3, 8, 5, {stride = 2, padding = 2})(torch.zeros(1, 3, 32, 32)).shape" << "torch.Size([1, 8, 16, 16])";
        QTest::newRow("pooling shapes") << "local x = torch.zeros(2, 4, 9, 9)\nreturn nn.MaxPool2d(3)(x).shape, nn.AvgPool2d(2, 1)(x).shape, nn.AdaptiveAvgPool2d(1)(x).shape" << "torch.Size([2, 4, 3, 3])\ntorch.Size([2, 4, 8, 8])\ntorch.Size([2, 4, 1, 1])";
        QTest::newRow("batchnorm counts batches") << "local bn = nn.BatchNorm1d(3)\nbn(torch.randn(8, 3))\nbn(torch.randn(8, 3))\nreturn bn.num_batches_tracked:item()" << "2";
        QTest::newRow("lstm shapes") << "local out, state = nn.LSTM(3, 5, {num_layers = 2})(torch.zeros(7, 2, 3))\nreturn out.shape, state[1].shape, state[2].shape" << "torch.Size([7, 2, 5])\ntorch.Size([2, 2, 5])\ntorch.Size([2, 2, 5])";
        QTest::newRow("embedding padding row") << "local e = nn.Embedding(5, 2, {padding_idx = 0})\nreturn e.weight[0]:abs():sum():item(), e(torch.tensor({0, 4})).shape" << "0.0\ntorch.Size([2, 2])";
        QTest::newRow("clip_grad_norm_") << "local p = nn.Parameter(torch.zeros(2))\np.grad = torch.tensor({3.0, 4.0})\nlocal total = nn.utils.clip_grad_norm_({p}, 1)\nreturn total:item(), p.grad:norm():item() < 1.0001" << "5.0\ntrue";
        // optim
        QTest::newRow("sgd step") << "local p = nn.Parameter(torch.tensor({1.0}))\nlocal o = optim.SGD({p}, {lr = 0.1});\n(p * 2):sum():backward()\no:step()\nreturn math.abs(p:item() - 0.8) < 1e-6" << "true";
        QTest::newRow("optimizer state_dict round trip") << "local p = nn.Parameter(torch.ones(2))\nlocal o = optim.Adam({p}, {lr = 0.1});\n(p * p):sum():backward()\no:step()\nlocal o2 = optim.Adam({p}, {lr = 0.5})\no2:load_state_dict(o:state_dict())\nreturn o2.param_groups[1].lr, o2.state[p].step, o2.state[p].exp_avg:equal(o.state[p].exp_avg)" << "0.1\n1\ntrue";
        QTest::newRow("unknown optimizer option") << "local ok, e = pcall(optim.SGD, {nn.Parameter(torch.ones(1))}, {learning_rate = 1})\nreturn ok, e:find(\"SGD: unknown option 'learning_rate'\", 1, true) ~= nil" << "false\ntrue";
        // found while writing the reference page
        QTest::newRow("where with two floats") << "torch.where(torch.tensor({1, -1}):gt(0), 1.0, 0.0):tolist()[2], torch.where(torch.tensor({true}), 1, 0).dtype" << "0.0\n\"torch.int64\"";
        QTest::newRow("pooling with options only") << "F.avg_pool2d(torch.ones(1, 1, 4, 4), {kernel_size = 2}).shape" << "torch.Size([1, 1, 2, 2])";
        QTest::newRow("integer alpha") << "torch.tensor({1}):add(torch.tensor({2}), {alpha = 3}):item()" << "7";
        QTest::newRow("negative padding_idx") << "local e = nn.Embedding(4, 2, {padding_idx = -1})\ne(torch.tensor({3, 1})):sum():backward()\nreturn e.weight.grad[3]:abs():sum():item(), e.padding_idx" << "0.0\n3";
        QTest::newRow("mean with dtype") << "torch.arange(6):float():mean({dtype = torch.float64}).dtype" << "\"torch.float64\"";
        QTest::newRow("std positional unbiased") << "local t = torch.tensor({{1.0, 3.0}, {2.0, 6.0}})\nreturn t:std(1, false).shape, t:std(1, false):tolist()[1], t:std(1, true, true).shape" << "torch.Size([2])\n1.0\ntorch.Size([2, 1])";
        QTest::newRow("prod takes one dim") << "return pcall(function() return torch.ones(2, 3):prod({0, 1}) end)" << "false\n\"cell:1: prod: takes one dim, got 2\"";
        QTest::newRow("conv1d repr") << "nn.Conv1d(2, 4, 3):repr()" << "\"Conv1d(2, 4, kernel_size=(3,), stride=(1,))\"";
        QTest::newRow("initial seed is positive") << "torch.initial_seed() >= 0" << "true";
        // data + metrics
        QTest::newRow("accuracy") << "metrics.accuracy(torch.tensor({{0.1, 0.9}, {0.8, 0.2}, {0.3, 0.7}}), torch.tensor({1, 1, 1}))" << "0.66666668653488";
        QTest::newRow("confusion matrix") << "metrics.confusion_matrix(torch.tensor({0, 1, 1}), torch.tensor({0, 0, 1}), 2):tolist()[1][2]" << "1";
    }

    void values()
    {
        QFETCH(QString, code);
        QFETCH(QString, expected);
        const Run r = run(code);
        QVERIFY2(r.result.ok(), qPrintable(r.result.error.message));
        QCOMPARE(r.value, expected);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("shape mismatch in matmul") << "torch.ones(2, 3):matmul(torch.ones(2, 3))" << "cannot be multiplied";
        QTest::newRow("index out of range") << "torch.zeros(3)[3]" << "index 3 out of range";
        QTest::newRow("bad slice") << "torch.zeros(3)['1:2:3:4']" << "bad slice";
        QTest::newRow("unknown dtype") << "torch.zeros(2, {dtype = 'float7'})" << "unknown dtype 'float7'";
        QTest::newRow("gpu asked for") << "torch.zeros(2):to('cuda')" << "no CUDA device: ";
        QTest::newRow("lua comparison") << "return torch.zeros(1) < torch.ones(1)" << "t:lt(u)";
        QTest::newRow("item of many") << "torch.zeros(3):item()" << "a Tensor with 3 elements cannot be converted to Scalar";
        QTest::newRow("backward twice") << "local x = torch.ones(1, {requires_grad = true})\nlocal y = (x * x):sum()\ny:backward()\ny:backward()" << "Trying to backward through the graph a second time";
        QTest::newRow("strict load lists problems") << "nn.Linear(3, 2):load_state_dict({weight = torch.zeros(2, 4)})" << "Missing key(s): bias";
        QTest::newRow("linear with wrong input") << "nn.Linear(3, 2)(torch.zeros(4, 5))" << "mat1 and mat2 shapes cannot be multiplied (4x5 and 3x2)";
        QTest::newRow("forward missing") << "local M = class('M', nn.Module)\nM()(1)" << "M has no forward method";
        QTest::newRow("batchnorm wrong rank") << "nn.BatchNorm2d(3)(torch.zeros(2, 3))" << "expected 4-D input, got 2-D";
        QTest::newRow("ragged nested table") << "torch.tensor({{1, 2}, {3}})" << "ragged nested table";
        QTest::newRow("cross_entropy bad target") << "F.cross_entropy(torch.zeros(2, 3), torch.tensor({0, 5}))" << "out of bounds";
    }

    void errors()
    {
        QFETCH(QString, code);
        QFETCH(QString, message);
        LuaSession session(std::make_shared<std::atomic<bool>>(false), [](const OutputItem &) {});
        const EvalResult result = session.evaluate(code);
        QCOMPARE(result.status, EvalResult::Status::Error);
        QVERIFY2(result.error.message.contains(message), qPrintable(result.error.message));
        QVERIFY(result.error.line >= 1);
        QVERIFY(session.evaluate(QStringLiteral("torch.ones(1):item()")).ok());
    }

    // Gradients from backward against central finite differences in float64.
    void autogradMatchesFiniteDifferences()
    {
        const Run r = run(QStringLiteral(R"(
torch.manual_seed(2)
local functions = {
  function(x) return (x:sin() * x:exp()):sum() end,
  function(x) return (x:matmul(x:t())):tanh():mean() end,
  function(x) return F.log_softmax(x, 1):select(1, 0):sum() end,
  function(x) return F.cross_entropy(x, torch.tensor({0, 2, 1})) end,
  function(x) return (x:sigmoid() ^ 2):sum() + x:abs():max() end,
  function(x) return F.gelu(x):logsumexp(1):sum() end,
}
for index, f in ipairs(functions) do
  local x = torch.randn(3, 4, {dtype = torch.float64, requires_grad = true})
  f(x):backward()
  local analytic = x.grad
  local numeric = torch.zeros(3, 4, {dtype = torch.float64})
  local h = 1e-6
  torch.no_grad(function()
    for i = 0, 2 do
      for j = 0, 3 do
        local plus, minus = x:clone(), x:clone()
        plus[{i, j}] = x[{i, j}]:item() + h
        minus[{i, j}] = x[{i, j}]:item() - h
        numeric[{i, j}] = (f(plus):item() - f(minus):item()) / (2 * h)
      end
    end
  end)
  local difference = (analytic - numeric):abs():max():item()
  assert(difference < 1e-6, string.format("function %d: gradient differs by %g", index, difference))
end
return true
)"));
        QVERIFY2(r.result.ok(), qPrintable(r.result.error.message));
        QCOMPARE(r.value, QStringLiteral("true"));
    }

    // t:register_hook and torch.autograd.Function: Lua code that autograd calls
    // back during backward, its errors reported as backward's, and nothing kept
    // alive after the graph is gone.
    void autogradCallbacks()
    {
        const Run r = run(QStringLiteral(R"(
local Exp = class("Exp", torch.autograd.Function)
function Exp.forward(ctx, x) local y = x:exp(); ctx:save_for_backward(y); return y end
function Exp.backward(ctx, grad) return grad * ctx.saved_tensors[1] end
local x = torch.tensor({0.5, 1.0, 2.0}, {dtype = torch.float64, requires_grad = true})
local y = Exp.apply(x)
assert(tostring(y.grad_fn) == "ExpBackward", tostring(y.grad_fn))
y:sum():backward()
assert((x.grad - x:detach():exp()):abs():max():item() < 1e-12)
-- second order through a Function whose backward is differentiable
local z = torch.tensor({0.3}, {dtype = torch.float64, requires_grad = true})
local g = torch.autograd.grad(Exp.apply(z):sum(), z, {create_graph = true})
assert(math.abs(torch.autograd.grad(g:sum(), z):item() - math.exp(0.3)) < 1e-12)
-- non-tensor arguments take nil gradients; ctx keeps plain fields
local Scale = class("Scale", torch.autograd.Function)
function Scale.forward(ctx, x, k) ctx.k = k; return x * k end
function Scale.backward(ctx, g) return g * ctx.k, nil end
x.grad = nil
Scale.apply(x, 3):sum():backward()
assert(x.grad:eq(3):all():item())
-- no input needs grad: forward alone, no node
assert(Scale.apply(torch.ones(2), 2).grad_fn == nil)
-- hooks see and replace the gradient; remove() takes them off
local a = torch.ones(3, {requires_grad = true})
local seen
local handle = a:register_hook(function(grad) seen = grad:clone(); return grad * 10 end)
local _ = (a * 2):sum():backward()
assert(seen:eq(2):all():item() and a.grad:eq(20):all():item())
handle:remove()
a.grad = nil
_ = (a * 2):sum():backward()
assert(a.grad:eq(2):all():item())
-- a hook on an intermediate tensor, returning nothing
local h = a * 3
local count = 0
h:register_hook(function() count = count + 1 end)
h:sum():backward()
assert(count == 1)
-- errors
local function fails(f, text)
  local ok, err = pcall(f)
  assert(not ok and tostring(err):find(text, 1, true), tostring(err))
end
local Short = class("Short", torch.autograd.Function)
function Short.forward(ctx, x, k) return x * k end
function Short.backward(ctx, g) return g end
fails(function() Short.apply(x, 2):sum():backward() end, "Short.backward returned 1 gradients; forward took 2 arguments")
local Broken = class("Broken", torch.autograd.Function)
function Broken.forward(ctx, x) return x * 1 end
function Broken.backward(ctx, g) error("no backward today") end
fails(function() Broken.apply(x):sum():backward() end, "Broken.backward: ")
fails(function() Broken.apply(x):sum():backward() end, "no backward today")
local Wrong = class("Wrong", torch.autograd.Function)
function Wrong.forward(ctx, x) return x * 1 end
function Wrong.backward(ctx, g) return torch.ones(7, {dtype = torch.float64}) end
fails(function() Wrong.apply(x):sum():backward() end, "shape")
fails(function() local b = torch.ones(2, {requires_grad = true}); b:register_hook(function() error("boom") end); b:sum():backward() end, "tensor hook: ")
fails(function() torch.ones(2):register_hook(function() end) end, "does not require grad")
fails(function() local b = torch.ones(2, {requires_grad = true}); b:register_hook(function() return "x" end); b:sum():backward() end, "must return a tensor")
fails(function() torch.autograd.Function.apply(x) end, "call apply on a subclass")
-- graphs that are gone release their Lua references: each hook and Function
-- here holds 100 KB of its own; 300 kept alive would be 30 MB
for i = 1, 300 do
  local payload = string.rep("x", 100000) .. i
  local t = torch.ones(2, {requires_grad = true})
  t:register_hook(function(g) assert(#payload > 0) return g end)
  local Keep = class("Keep", torch.autograd.Function)
  function Keep.forward(ctx, v) ctx.payload = payload; return v * 1 end
  function Keep.backward(ctx, g) return g end
  Keep.apply(t):sum():backward()
end
collectgarbage(); collectgarbage()
Exp.apply(torch.ones(1, {requires_grad = true}))  -- hands released references back
collectgarbage(); collectgarbage()
return collectgarbage("count") < 10000
)"));
        QVERIFY2(r.result.ok(), qPrintable(r.result.error.message));
        QCOMPARE(r.value, QStringLiteral("true"));
    }

    // A training loop made of many large temporaries must not pile them up:
    // Lua's collector is told about tensor memory, small tensors byte for byte
    // and large ones up to a bound on the garbage (a few hundred MB; the check
    // leaves room for AddressSanitizer's quarantine).
    void temporariesAreCollected()
    {
        const Run r = run(QStringLiteral(R"(
local function resident()
  local f = io.open("/proc/self/statm")
  local _, pages = f:read("n", "n")
  f:close()
  return pages * 4096
end
local before = resident()
for i = 1, 400 do
  local big = torch.zeros(1024, 2048)   -- 8 MB each, 6.4 GB if none were freed
  big = big + 1
end
for i = 1, 20000 do
  local small = torch.zeros(64, 64) + 1  -- 16 KB each
end
return collectgarbage("count") < 100000 and resident() - before < (1200 << 20)
)"));
        QVERIFY2(r.result.ok(), qPrintable(r.result.error.message));
        QCOMPARE(r.value, QStringLiteral("true"));
    }

    void outputs()
    {
        const Run r = run(QStringLiteral(
            "for i = 1, 100 do plot.push('loss', 1 / i) end\n"
            "plot.push('acc', 0, 0.5, {plot = 'accuracy'})\n"
            "plot.line({1, 4, 9}, {title = 'squares'})\n"
            "show.table(torch.eye(2), {columns = {'a', 'b'}})\n"
            "show.image(torch.rand(3, 8, 8))\n"));
        QVERIFY2(r.result.ok(), qPrintable(r.result.error.message));
        OutputList merged;
        for (const OutputItem &item : r.outputs)
            appendOutput(merged, item);
        int plots = 0, tables = 0, images = 0;
        for (const OutputItem &item : merged) {
            if (item.kind == OutputItem::Kind::Plot) {
                ++plots;
                if (item.plotId() == QLatin1String("live")) {
                    const QJsonArray series = item.data.value(QStringLiteral("series")).toArray();
                    QCOMPARE(series.size(), 1);
                    QCOMPARE(series.at(0).toObject().value(QStringLiteral("y")).toArray().size(), 100);
                    QCOMPARE(series.at(0).toObject().value(QStringLiteral("x")).toArray().at(99).toDouble(), 99.0);
                }
            } else if (item.kind == OutputItem::Kind::Table) {
                ++tables;
                QCOMPARE(item.data.value(QStringLiteral("columns")).toArray().size(), 2);
            } else if (item.kind == OutputItem::Kind::Image) {
                ++images;
                QCOMPARE(item.data.value(QStringLiteral("width")).toInt(), 8);
                QVERIFY(!item.data.value(QStringLiteral("png")).toString().isEmpty());
            }
        }
        QCOMPARE(plots, 3);
        QCOMPARE(tables, 1);
        QCOMPARE(images, 1);
    }

    // A displayed tensor carries its shape and dtype, its values when small and a
    // picture when image-shaped, for the window to show as a grid or an image.
    void tensorValuesAreDescribed()
    {
        Run r = run(QStringLiteral("torch.eye(3)"));
        QVERIFY(r.result.ok());
        const QJsonObject grid = r.outputs.constLast().data.value(QStringLiteral("tensor")).toObject();
        QCOMPARE(grid.value(QStringLiteral("dtype")).toString(), QStringLiteral("torch.float32"));
        QCOMPARE(grid.value(QStringLiteral("shape")).toArray().size(), 2);
        QCOMPARE(grid.value(QStringLiteral("values")).toArray().at(1).toArray().at(1).toDouble(), 1.0);
        r = run(QStringLiteral("torch.rand(1, 28, 28)"));
        const QJsonObject picture = r.outputs.constLast().data.value(QStringLiteral("tensor")).toObject();
        QVERIFY(!picture.value(QStringLiteral("png")).toString().isEmpty());
        QVERIFY(!picture.contains(QStringLiteral("values")));
        r = run(QStringLiteral("{1, 2}"));
        QVERIFY(r.outputs.constLast().data.isEmpty());
    }

    // Each case: Kiln computes and saves (X.prepare.lua), PyTorch computes the
    // same from Kiln's files (X.py), Kiln compares (X.check.lua).
    void matchesPyTorch_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("printing") << "printing";
        QTest::newRow("layers and losses") << "layers";
        QTest::newRow("optimizers and schedules") << "optimizers";
        QTest::newRow("traced Lua module") << "trace";
    }

    void matchesPyTorch()
    {
        QFETCH(QString, name);
        QVERIFY2(!mPython.isEmpty(), "a python with torch is needed; scripts/install-deps.sh makes one (.venv)");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString parity = QStringLiteral(KILN_TEST_DATA "/parity/");
        const QString prelude = QStringLiteral("local DIR = \"%1/\"\n").arg(dir.path());
        LuaSession session(std::make_shared<std::atomic<bool>>(false), [](const OutputItem &) {});
        const EvalResult prepared = session.evaluate(prelude + readFile(parity + name + QStringLiteral(".prepare.lua")));
        QVERIFY2(prepared.ok(), qPrintable(prepared.error.message));

        QProcess python;
        python.setProcessChannelMode(QProcess::MergedChannels);
        python.start(mPython, {parity + name + QStringLiteral(".py"), dir.path()});
        QVERIFY(python.waitForFinished(240000));
        QVERIFY2(python.exitStatus() == QProcess::NormalExit && python.exitCode() == 0, python.readAll().constData());

        const EvalResult checked = session.evaluate(prelude + readFile(parity + name + QStringLiteral(".check.lua")));
        QVERIFY2(checked.ok(), qPrintable(checked.error.message));
    }
};

QTEST_GUILESS_MAIN(TestTorchApi)
#include "tst_torchapi.moc"
