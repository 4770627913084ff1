#include "kernel/luasession.h"

#include <QStandardPaths>
#include <QTest>

using namespace kiln;

// The first tensor bindings, through the session as notebook code uses them.
class TestLuaTorch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void tensors_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("expected");
        QTest::newRow("shape") << "local a = torch.tensor({{1, 2, 3}, {4, 5, 6}})\nreturn a:size(0), a:size(-1), a:dim(), a:numel(), #a" << "2\n3\n2\n6\n2";
        QTest::newRow("integer dtype") << "torch.tensor({1, 2}).dtype" << "\"torch.int64\"";
        QTest::newRow("float dtype") << "torch.tensor({1.5, 2}).dtype" << "\"torch.float32\"";
        QTest::newRow("arithmetic") << "((torch.ones(2, 2) * 3 - 1) / 2):sum():item()" << "4.0";
        QTest::newRow("number on the left") << "(10 - torch.tensor({1, 2})):sum():item()" << "17";
        QTest::newRow("unary minus and pow") << "((-torch.tensor({2.0})) ^ 2):item()" << "4.0";
        QTest::newRow("matmul") << "torch.matmul(torch.tensor({{1.0, 2.0}}), torch.tensor({{3.0}, {4.0}})):item()" << "11.0";
        QTest::newRow("arange") << "torch.arange(5):sum():item()" << "10";
        QTest::newRow("seeded randn") << "torch.manual_seed(1)\nlocal a = torch.randn(3):sum():item()\ntorch.manual_seed(1)\nreturn a == torch.randn(3):sum():item()" << "true";
    }

    void tensors()
    {
        QFETCH(QString, code);
        QFETCH(QString, expected);
        auto interrupt = std::make_shared<std::atomic<bool>>(false);
        QString value;
        LuaSession session(interrupt, [&](const OutputItem &item) {
            if (item.kind == OutputItem::Kind::Value)
                value = item.text;
        });
        const EvalResult result = session.evaluate(code);
        QVERIFY2(result.ok(), qPrintable(result.error.message));
        QCOMPARE(value, expected);
    }

    void libtorchErrorsBecomeLuaErrors_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("shape mismatch") << "x = 1\nlocal c = torch.ones(2, 3) + torch.ones(4, 5)"
                                        << "The size of tensor a (3) must match the size of tensor b (5)";
        QTest::newRow("ragged table") << "torch.tensor({{1, 2}, {3}})" << "torch.tensor: ragged nested table";
        QTest::newRow("not a tensor") << "torch.matmul(1, 'x')" << "bad argument #2";
        QTest::newRow("bad dim") << "torch.ones(2):size(3)" << "Dimension out of range";
    }

    void libtorchErrorsBecomeLuaErrors()
    {
        QFETCH(QString, code);
        QFETCH(QString, message);
        auto interrupt = std::make_shared<std::atomic<bool>>(false);
        LuaSession session(interrupt, [](const OutputItem &) {});
        const EvalResult result = session.evaluate(code);
        QCOMPARE(result.status, EvalResult::Status::Error);
        QVERIFY2(result.error.message.contains(message), qPrintable(result.error.message));
        QVERIFY(result.error.line >= 1);
        QVERIFY(session.evaluate(QStringLiteral("torch.ones(1):item()")).ok());
    }
};

QTEST_GUILESS_MAIN(TestLuaTorch)
#include "tst_luatorch.moc"
