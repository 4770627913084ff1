#include "settings.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace kiln {

Settings::Settings()
    // Created on first use, so QStandardPaths' test mode (set before) applies.
    : mSettings(std::make_unique<QSettings>(QStringLiteral("Kiln"), QStringLiteral("Kiln")))
{}

Settings::~Settings() = default;

Settings *Settings::instance()
{
    static Settings settings;
    return &settings;
}

QVariant Settings::value(const QString &key, const QVariant &defaultValue) const
{
    return mSettings->value(key, defaultValue);
}

void Settings::setValue(const QString &key, const QVariant &value)
{
    mSettings->setValue(key, value);
    Q_EMIT preferenceChanged(key);
}

void Settings::remove(const QString &key)
{
    if (!mSettings->contains(key))
        return;
    mSettings->remove(key);
    Q_EMIT preferenceChanged(key);
}

QString Settings::fileName() const
{
    return mSettings->fileName();
}

namespace prefs {

const Preference<QString> language("language");
const Preference<QStringList> recentFiles("recentFiles");
const Preference<int> autosaveInterval("autosave/intervalSeconds", 5);
const Preference<QStringList> modelFolders("models/folders");
const Preference<QByteArray> windowGeometry("window/geometry");
const Preference<QByteArray> windowState("window/state");
const Preference<int> editorFontSize("editor/fontSize", 0);
const Preference<QString> trainingDevice("training/device", QStringLiteral("cpu"));
const Preference<QString> inferenceDevice("inference/device", QStringLiteral("cpu"));
const Preference<QStringList> sandboxFolders("runtime/writableFolders");
const Preference<int> runtimeMemoryLimitMiB("runtime/memoryLimitMiB", 0);
const Preference<bool> askBeforeRestart("ui/askBeforeRestart", true);

namespace {

// One spelling per file, so the same notebook is never listed twice.
QString normalized(const QString &path)
{
    const QFileInfo info(path);
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? QDir::cleanPath(info.absoluteFilePath()) : canonical;
}

} // namespace

void addRecentFile(const QString &path)
{
    if (path.isEmpty())
        return;
    const QString file = normalized(path);
    QStringList files = recentFiles.get();
    files.removeAll(file);
    files.prepend(file);
    if (files.size() > maxRecentFiles)
        files.resize(maxRecentFiles);
    recentFiles.set(files);
}

QStringList existingRecentFiles()
{
    const QStringList files = recentFiles.get();
    QStringList existing;
    for (const QString &file : files) {
        if (QFileInfo::exists(file))
            existing.append(file);
    }
    recentFiles.set(existing);
    return existing;
}

} // namespace prefs

} // namespace kiln
