#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <memory>
#include <utility>

class QSettings;

namespace kiln {

// The one store behind every Preference (QSettings, organization and
// application "Kiln"), and the signal that tells views a preference changed.
class Settings : public QObject
{
    Q_OBJECT

public:
    static Settings *instance();
    ~Settings() override;

    QVariant value(const QString &key, const QVariant &defaultValue) const;
    void setValue(const QString &key, const QVariant &value);
    void remove(const QString &key);
    // Where the values live; tests check it is not the user's real file.
    QString fileName() const;

Q_SIGNALS:
    void preferenceChanged(const QString &key);

private:
    Settings();
    std::unique_ptr<QSettings> mSettings;
};

// A typed setting: its key and default are declared once, next to the code
// that uses it, instead of QSettings strings scattered around.
template<typename T>
class Preference
{
public:
    Preference(const char *key, T defaultValue = T())
        : mKey(key), mDefault(std::move(defaultValue))
    {}

    QString key() const { return QString::fromLatin1(mKey); }
    T defaultValue() const { return mDefault; }

    T get() const
    {
        return Settings::instance()->value(key(), QVariant::fromValue(mDefault)).template value<T>();
    }
    void set(const T &value) const
    {
        if (get() != value)
            Settings::instance()->setValue(key(), QVariant::fromValue(value));
    }
    // Back to the default.
    void reset() const { Settings::instance()->remove(key()); }

private:
    const char *mKey;
    T mDefault;
};

// The preferences Kiln has, each noting who reads it.
namespace prefs {

// The UI language: "de", "ja", "en"; empty follows the system locale (app).
extern const Preference<QString> language;
// Most recent first, at most maxRecentFiles (File menu, welcome page).
extern const Preference<QStringList> recentFiles;
constexpr int maxRecentFiles = 10;
// Seconds from an edit to its recovery copy (Autosave).
extern const Preference<int> autosaveInterval;
// Folders of model files the model browser lists besides its own library.
extern const Preference<QStringList> modelFolders;
// QWidget::saveGeometry() and QMainWindow::saveState() of the main window.
extern const Preference<QByteArray> windowGeometry;
extern const Preference<QByteArray> windowState;
// Point size of cell editors; 0 keeps the system fixed-width font's size.
extern const Preference<int> editorFontSize;
// The device each panel last chose ("cpu", "cuda:0"); a GPU that is gone shows as
// the CPU but stays remembered for when it is back (training and inference panels).
extern const Preference<QString> trainingDevice;
extern const Preference<QString> inferenceDevice;
// Folders besides the standard ones that notebook code may write to (the
// kernel's sandbox, from its next start).
extern const Preference<QStringList> sandboxFolders;
// A kernel whose resident memory passes this many MiB is ended; 0: no limit.
extern const Preference<int> runtimeMemoryLimitMiB;
// Whether Restart Runtime asks first when cells have run (main window, Preferences).
extern const Preference<bool> askBeforeRestart;

// Puts `path` first in recentFiles, once, and keeps at most maxRecentFiles.
void addRecentFile(const QString &path);
// recentFiles without the files that no longer exist, which are dropped from
// the setting too.
QStringList existingRecentFiles();

} // namespace prefs

} // namespace kiln
