#pragma once

#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QString>



namespace kiln {

// The gate every model file passes before the window's own process loads it:
// `kiln inspect FILE --json` reads it first in a child process with time and
// memory limits, so a file that hangs libtorch's loader or asks it for all the
// memory there is ends that child, not the window. Files that passed are
// remembered (path, size and modification time) for the life of the process.
class ModelVetting : public QObject
{
    Q_OBJECT

public:
    explicit ModelVetting(QObject *parent = nullptr);
    ~ModelVetting() override;

    static bool isVetted(const QString &path);
    // For a file an inspection elsewhere (the model browser's) already read.
    static void markVetted(const QString &path);
    // The kiln program that inspects; by default the kiln beside this program.
    static void setInspector(const QString &program);
    static QString inspector();
    // What `kiln inspect` wrote on stderr about `path`, as the window says it: the
    // reason alone, without the command's prefix or the flags that raise its limits.
    static QString readerMessage(const QString &path, const QByteArray &stderrText);

    // Checks `path` (at once when it passed before); emits finished(). A new
    // call abandons the previous one.
    void vet(const QString &path);
    bool isBusy() const { return mProcess != nullptr; }

Q_SIGNALS:
    void finished(const QString &path, bool ok, const QString &error);

private:
    QPointer<QProcess> mProcess;
};

} // namespace kiln
