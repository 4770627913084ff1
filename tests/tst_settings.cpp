#include "settings.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace kiln;

class TestSettings : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir mDir;

    QString touch(const QString &name)
    {
        const QString path = mDir.filePath(name);
        QFile file(path);
        file.open(QIODevice::WriteOnly);
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(mDir.isValid());
        QVERIFY2(Settings::instance()->fileName().contains(QLatin1String(".qttest")),
                 qPrintable(Settings::instance()->fileName()));
    }

    void init()
    {
        prefs::language.reset();
        prefs::recentFiles.reset();
        prefs::autosaveInterval.reset();
        prefs::editorFontSize.reset();
        prefs::windowGeometry.reset();
    }

    void defaults()
    {
        QCOMPARE(prefs::language.get(), QString());
        QVERIFY(prefs::recentFiles.get().isEmpty());
        QCOMPARE(prefs::autosaveInterval.get(), 5);
        QCOMPARE(prefs::editorFontSize.get(), 0);
        QVERIFY(prefs::windowGeometry.get().isEmpty());
    }

    void setGetAndNotify()
    {
        QSignalSpy spy(Settings::instance(), &Settings::preferenceChanged);
        prefs::language.set(QStringLiteral("ja"));
        QCOMPARE(prefs::language.get(), QStringLiteral("ja"));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("language"));
        prefs::language.set(QStringLiteral("ja"));  // unchanged: no signal
        QCOMPARE(spy.count(), 1);

        prefs::autosaveInterval.set(30);
        QCOMPARE(prefs::autosaveInterval.get(), 30);
        const QByteArray geometry("\x01\x00\xff geometry", 12);
        prefs::windowGeometry.set(geometry);
        QCOMPARE(prefs::windowGeometry.get(), geometry);
        QCOMPARE(spy.count(), 3);

        prefs::language.reset();
        QCOMPARE(prefs::language.get(), QString());
        QCOMPARE(spy.count(), 4);
    }

    void recentFilesOrderAndDedupe()
    {
        const QString a = touch(QStringLiteral("a.kiln.md"));
        const QString b = touch(QStringLiteral("b.kiln.md"));
        prefs::addRecentFile(a);
        prefs::addRecentFile(b);
        QCOMPARE(prefs::recentFiles.get(), QStringList({b, a}));
        // Another spelling of the same file moves it to the front, once.
        prefs::addRecentFile(mDir.path() + QStringLiteral("/./a.kiln.md"));
        QCOMPARE(prefs::recentFiles.get(), QStringList({a, b}));
    }

    void recentFilesTrim()
    {
        QStringList added;
        for (int i = 0; i < prefs::maxRecentFiles + 3; ++i) {
            added.prepend(touch(QStringLiteral("n%1.kiln.md").arg(i)));
            prefs::addRecentFile(added.first());
        }
        QCOMPARE(prefs::recentFiles.get(), added.mid(0, prefs::maxRecentFiles));
    }

    void recentFilesDropMissing()
    {
        const QString kept = touch(QStringLiteral("kept.kiln.md"));
        const QString gone = touch(QStringLiteral("gone.kiln.md"));
        prefs::addRecentFile(kept);
        prefs::addRecentFile(gone);
        QVERIFY(QFile::remove(gone));
        QCOMPARE(prefs::existingRecentFiles(), QStringList({kept}));
        QCOMPARE(prefs::recentFiles.get(), QStringList({kept}));
    }
};

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
