#include "versioninfo.h"

#include <QStandardPaths>
#include <QTest>

using namespace kiln;

class TestVersionInfo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void classifiesBlas_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("config");
        QTest::addColumn<bool>("reference");
        QTest::addColumn<QString>("description");
        QTest::newRow("openblas openmp") << "/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3"
                                         << "OpenBLAS 0.3.21 USE_OPENMP" << false << "OpenBLAS 0.3.21 USE_OPENMP";
        QTest::newRow("openblas without config") << "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3" << ""
                                                 << false << "OpenBLAS";
        QTest::newRow("reference") << "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0" << "" << true
                                   << "reference BLAS (netlib)";
        QTest::newRow("blis") << "/usr/lib/x86_64-linux-gnu/blis-openmp/libblas.so.3" << "" << false << "BLIS";
        QTest::newRow("none") << "" << "" << false << "none found";
    }

    void classifiesBlas()
    {
        QFETCH(QString, path);
        QFETCH(QString, config);
        QFETCH(bool, reference);
        QFETCH(QString, description);
        const BlasInfo blas = describeBlas(path, config);
        QCOMPARE(blas.isReference, reference);
        QCOMPARE(blas.description, description);
        QCOMPARE(blasAdvice(blas).contains(QStringLiteral("libopenblas0-openmp")), reference);
    }

    void reportNamesEveryComponent()
    {
        const VersionInfo info = versionInfo();
        QVERIFY(info.torch.startsWith(QStringLiteral("1.13")));
        QVERIFY(info.lua.startsWith(QStringLiteral("5.4")));
        QVERIFY(info.torchThreads >= 1);
        // libtorch links libblas.so.3, so one is always loaded here.
        QVERIFY(info.blas.found);
        const QString report = versionReport();
        QVERIFY(report.contains(QStringLiteral("Kiln ") + info.kiln));
        QVERIFY(report.contains(info.blas.description));
    }
};

QTEST_GUILESS_MAIN(TestVersionInfo)
#include "tst_versioninfo.moc"
