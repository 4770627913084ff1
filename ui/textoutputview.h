#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTextCursor;
class QToolButton;

namespace kiln {

// Printed text or a displayed value in monospace. Text streams in pieces; long
// output folds to its last lines, and a flood keeps only its most recent
// kMaxChars characters so memory stays bounded.
class TextOutputView : public QWidget
{
    Q_OBJECT

public:
    enum class Role { Text, Value };

    static constexpr int kFoldLines = 30;
    // What "Show all" grows to; longer output scrolls inside the view.
    static constexpr int kMaxExpandedLines = 1000;
    static constexpr qsizetype kMaxChars = 2 * 1000 * 1000;
    static constexpr int kMaxLines = 100 * 1000;

    explicit TextOutputView(Role role, QWidget *parent = nullptr);

    Role role() const { return mRole; }
    void appendText(const QString &text);
    // The text kept (without what was dropped).
    QString text() const;
    int lineCount() const;
    qint64 droppedLines() const { return mDroppedLines; }
    bool isFolded() const { return mFolded; }
    void setFolded(bool folded);
    QPlainTextEdit *editor() const { return mEditor; }

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void insertText(const QString &text);
    static void insertWithReturns(QTextCursor &cursor, const QString &text);
    void trimToCap();
    void applyColors();
    void updateChrome();
    void updateHeight();

    Role mRole;
    QLabel *mDropped = nullptr;
    QPlainTextEdit *mEditor = nullptr;
    QToolButton *mFoldButton = nullptr;
    bool mFolded = true;
    bool mFollowEnd = true;
    // A trailing newline is held back so output ending in "\n" shows no empty last line.
    bool mPendingNewline = false;
    qint64 mLinesInserted = 0; // lines ever added, to count those dropped
    qint64 mDroppedLines = 0;
};

} // namespace kiln
