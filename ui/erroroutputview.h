#pragma once

#include <QFrame>

class QLabel;
class QPlainTextEdit;
class QToolButton;

namespace kiln {

struct OutputItem;

// An error output: a red-tinted frame with the message, the line as a link
// and the traceback folded under a toggle.
class ErrorOutputView : public QFrame
{
    Q_OBJECT

public:
    explicit ErrorOutputView(const OutputItem &error, QWidget *parent = nullptr);

    int line() const { return mLine; }
    bool isTracebackShown() const;
    void setTracebackShown(bool shown);

Q_SIGNALS:
    void lineActivated(int line);

protected:
    void changeEvent(QEvent *event) override;

private:
    void onLinkActivated(const QString &link);
    void applyColors();

    int mLine = 0;
    QLabel *mLineLabel = nullptr;
    QLabel *mMessage = nullptr;
    QToolButton *mTracebackButton = nullptr;
    QLabel *mTraceback = nullptr;
};

} // namespace kiln
