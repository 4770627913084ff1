#pragma once

#include <QScrollArea>
#include <QStringList>

class QVBoxLayout;

namespace kiln {

// What `kiln` with no file shows: start a notebook, open one, the bundled
// examples, the recent files, and the panels, one line each, so that a newcomer
// finds them.
class WelcomePage : public QScrollArea
{
    Q_OBJECT

public:
    // The bundled examples: resource path, title and one line on each.
    struct Example
    {
        QString path;
        QString title;
        QString summary;
    };
    static QList<Example> examples();

    explicit WelcomePage(QWidget *parent = nullptr);

    // Lists these files under "Recent".
    void setRecentFiles(const QStringList &paths);

Q_SIGNALS:
    void newRequested();
    void openRequested();
    void fileRequested(const QString &path);
    void exampleRequested(const QString &resourcePath);
    // "models", "training", "inference" or "variables"
    void panelRequested(const QString &panel);

private:
    QVBoxLayout *mRecent = nullptr;
};

} // namespace kiln
