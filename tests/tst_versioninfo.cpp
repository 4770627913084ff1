#include "kernel/sandbox.h"
#include "luaapi/torchruntime.h"
#include "versioninfo.h"

#include "pythontorch.h"

#include <QStandardPaths>
#include <QTest>

using namespace kiln;

// What Kiln says it runs on, checked against the venv's PyTorch (the same wheel).
class TestVersionInfo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void reportNamesEveryComponent()
    {
        const VersionInfo info = versionInfo();
        QCOMPARE(info.torch, QStringLiteral("2.11.0"));
        QVERIFY(info.lua.startsWith(QStringLiteral("5.4")));
        QVERIFY(info.torchThreads >= 1);
        QVERIFY2(info.blas.contains(QStringLiteral("MKL")), qPrintable(info.blas));
        QVERIFY(!info.cpuCapability.isEmpty());
        // A GPU, or a reason why not: never silence.
        QVERIFY(!info.cuda.isEmpty() || !info.cudaUnavailable.isEmpty());
        QCOMPARE(info.gpus.size(), torchruntime::gpuCount());
        const QString report = versionReport();
        QVERIFY(report.contains(QStringLiteral("Kiln ") + info.kiln));
        QVERIFY(report.contains(QStringLiteral("BLAS ") + info.blas));
    }

    // What a notebook's kernel process gets, or why it gets no sandbox.
    void reportNamesTheSandbox()
    {
        const VersionInfo info = versionInfo();
        const SandboxStatus probe = probeSandbox();
        QCOMPARE(info.sandbox, probe.describe());
        const QStringList lines = versionReport().split(QLatin1Char('\n'));
        QVERIFY(lines.contains(info.sandbox));
        if (probe.landlockAbi > 0) {
            QVERIFY2(info.sandbox.startsWith(QStringLiteral("Sandbox: writes limited to the notebook's folder")),
                     qPrintable(info.sandbox));
            QVERIFY(info.sandbox.contains(QStringLiteral("(Landlock ABI %1").arg(probe.landlockAbi)));
        } else {
            QVERIFY2(info.sandbox.startsWith(QStringLiteral("No sandbox: ")), qPrintable(info.sandbox));
            QVERIFY(!probe.landlockUnavailable.isEmpty());
        }
    }

    // PyTorch's default: one intra-op thread per physical core. The same wheel in
    // Python must agree with Kiln.
    void threadsDefaultLikePyTorch()
    {
        const QString python = kilntest::findPythonWithTorch();
        QVERIFY2(!python.isEmpty(), "no python with torch (scripts/install-deps.sh makes .venv)");
        QString output;
        QVERIFY2(kilntest::runPython(python, {QStringLiteral("-c"),
                                               QStringLiteral("import torch; print(torch.get_num_threads())")},
                                     &output),
                 qPrintable(output));
        QCOMPARE(torchruntime::threads(), output.trimmed().section(QLatin1Char('\n'), -1).toInt());
        QString error;
        QVERIFY(torchruntime::setThreads(1, &error));
        QCOMPARE(torchruntime::threads(), 1);
        QVERIFY(!torchruntime::setThreads(0, &error));
        QVERIFY(error.contains(QStringLiteral("out of range")));
    }

    void checksDeviceNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("canonical");
        QTest::addColumn<QString>("error");
        QTest::newRow("cpu") << "cpu" << "cpu" << "";
        QTest::newRow("CPU, spaces") << " CPU " << "cpu" << "";
        QTest::newRow("gpu") << "gpu" << "" << "unknown device 'gpu': expected cpu, cuda or cuda:N";
        QTest::newRow("cuda:x") << "cuda:x" << "" << "unknown device 'cuda:x'";
        QTest::newRow("cpu:3") << "cpu:3" << "" << "unknown device 'cpu:3'";
        QTest::newRow("empty") << "" << "" << "unknown device ''";
        if (torchruntime::cudaAvailable()) {
            QTest::newRow("cuda") << "cuda" << "cuda" << "";
            QTest::newRow("cuda:0") << "cuda:0" << "cuda:0" << "";
            QTest::newRow("cuda:99") << "cuda:99" << "" << "no CUDA device cuda:99: this machine has";
        } else {
            QTest::newRow("cuda, none here") << "cuda" << "" << "no CUDA device: ";
            QTest::newRow("cuda:1, none here") << "cuda:1" << "" << "no CUDA device: ";
        }
    }

    void checksDeviceNames()
    {
        QFETCH(QString, name);
        QFETCH(QString, canonical);
        QFETCH(QString, error);
        QString message;
        QCOMPARE(torchruntime::checkDevice(name, &message), canonical);
        if (!error.isEmpty())
            QVERIFY2(message.startsWith(error), qPrintable(message));
    }

    void noCudaSaysWhy()
    {
        if (torchruntime::cudaAvailable())
            QSKIP("this machine has a GPU");
        QVERIFY(!torchruntime::cudaUnavailableReason().isEmpty());
        QVERIFY(torchruntime::gpus().isEmpty());
        QVERIFY(torchruntime::cudaVersion().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestVersionInfo)
#include "tst_versioninfo.moc"
