#include <QTest>
class TestLuaData : public QObject { Q_OBJECT };
QTEST_GUILESS_MAIN(TestLuaData)
#include "tst_luadata.moc"
