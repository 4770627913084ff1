#include "engines/builtinmodels.h"
#include "kernel/luasession.h"

#include <QStandardPaths>
#include <QTest>

using namespace kiln;

// Every built-in architecture's code builds a model that runs forward on its
// input shape and gives the expected output shape, with defaults and with
// edited hyperparameters.
class TestBuiltinModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void forward_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QVariantMap>("values");
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("mlp") << "mlp" << QVariantMap() << "torch.zeros(4, 1, 28, 28)" << "torch.Size([4, 10])";
        QTest::newRow("mlp edited") << "mlp" << QVariantMap{{"inputs", 8}, {"hidden", "16,16,4"}, {"outputs", 1}, {"dropout", 0.2}}
                                    << "torch.zeros(4, 8)" << "torch.Size([4, 1])";
        QTest::newRow("lenet") << "lenet" << QVariantMap() << "torch.zeros(2, 1, 28, 28)" << "torch.Size([2, 10])";
        QTest::newRow("lenet rgb 32") << "lenet" << QVariantMap{{"channels", 3}, {"size", 32}, {"classes", 5}}
                                      << "torch.zeros(2, 3, 32, 32)" << "torch.Size([2, 5])";
        QTest::newRow("resnet") << "resnet" << QVariantMap{{"blocks", 2}, {"width", 8}} << "torch.zeros(2, 1, 16, 16)" << "torch.Size([2, 10])";
        QTest::newRow("lstm") << "rnn" << QVariantMap() << "torch.zeros(3, 7, 16)" << "torch.Size([3, 2])";
        QTest::newRow("gru") << "rnn" << QVariantMap{{"cell", "GRU"}, {"layers", 2}} << "torch.zeros(3, 7, 16)" << "torch.Size([3, 2])";
        QTest::newRow("transformer") << "transformer" << QVariantMap{{"d_model", 30}, {"heads", 4}}
                                     << "torch.zeros(2, 5, 16)" << "torch.Size([2, 2])";
        QTest::newRow("autoencoder") << "autoencoder" << QVariantMap() << "torch.rand(4, 784)" << "torch.Size([4, 784])";
    }

    void forward()
    {
        QFETCH(QString, id);
        QFETCH(QVariantMap, values);
        QFETCH(QString, input);
        QFETCH(QString, expected);
        BuiltinModels::Architecture architecture = BuiltinModels::architecture(id);
        QCOMPARE(architecture.id, id);
        for (BuiltinModels::Hyperparameter &parameter : architecture.hyperparameters) {
            if (values.contains(parameter.name))
                parameter.value = values.value(parameter.name);
        }
        const QString code = BuiltinModels::code(architecture, QStringLiteral("net"));
        QString value;
        LuaSession session(std::make_shared<std::atomic<bool>>(false), [&value](const OutputItem &item) {
            if (item.kind == OutputItem::Kind::Value)
                value = item.text;
        });
        const EvalResult built = session.evaluate(code);
        QVERIFY2(built.ok(), qPrintable(built.error.message + QLatin1Char('\n') + code));
        QVERIFY2(value.contains(QStringLiteral("parameters")), qPrintable(value));
        const EvalResult ran = session.evaluate(QStringLiteral("net:eval()\nnet(%1).shape").arg(input));
        QVERIFY2(ran.ok(), qPrintable(ran.error.message + QLatin1Char('\n') + code));
        QCOMPARE(value, expected);
    }

    void everyArchitectureHasCode()
    {
        const QList<BuiltinModels::Architecture> all = BuiltinModels::architectures();
        QCOMPARE(all.size(), 7);
        for (const BuiltinModels::Architecture &architecture : all)
            QVERIFY2(!BuiltinModels::code(architecture).isEmpty(), qPrintable(architecture.id));
        QVERIFY(BuiltinModels::architecture(QStringLiteral("nope")).id.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestBuiltinModels)
#include "tst_builtinmodels.moc"
