#include "textoutputview.h"

#include <QEvent>
#include <QFontDatabase>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextCursor>
#include <QAbstractTextDocumentLayout>
#include <QTextDocument>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace kiln {

namespace {

QColor blend(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

} // namespace

TextOutputView::TextOutputView(Role role, QWidget *parent)
    : QWidget(parent)
    , mRole(role)
{
    setObjectName(role == Role::Value ? QStringLiteral("valueOutput") : QStringLiteral("textOutput"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    mDropped = new QLabel(this);
    mDropped->setObjectName(QStringLiteral("droppedLines"));
    mDropped->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    mDropped->setEnabled(false); // drawn greyed: it is a note, not output
    mDropped->hide();
    layout->addWidget(mDropped);

    mEditor = new QPlainTextEdit(this);
    mEditor->setReadOnly(true);
    mEditor->setUndoRedoEnabled(false); // undo history would double a flood's memory
    mEditor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    mEditor->setFrameShape(QFrame::NoFrame);
    // Wrapping a flood would lay out every line; long lines scroll sideways instead.
    mEditor->setLineWrapMode(QPlainTextEdit::NoWrap);
    mEditor->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    mEditor->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    mEditor->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    // Selectable, but without a blinking text cursor in output.
    mEditor->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mEditor->document()->setMaximumBlockCount(kMaxLines);
    // The sideways scroll bar comes when a long line is laid out, and takes room from the last line.
    // Queued: resizing the editor while it adjusts its scroll bars leaves them stale.
    connect(mEditor->horizontalScrollBar(), &QScrollBar::rangeChanged, this, &TextOutputView::updateHeight,
            Qt::QueuedConnection);
    // Keep showing the newest lines unless the reader scrolled up. The range
    // changes late (layout is lazy, and the height follows the text), so the
    // end is followed there rather than at each insertion.
    QScrollBar *bar = mEditor->verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, [this, bar](int value) { mFollowEnd = value >= bar->maximum(); });
    connect(bar, &QScrollBar::rangeChanged, this, [this, bar](int, int maximum) {
        if (mFollowEnd)
            bar->setValue(maximum);
    });
    layout->addWidget(mEditor);

    mFoldButton = new QToolButton(this);
    mFoldButton->setObjectName(QStringLiteral("foldButton"));
    mFoldButton->setAutoRaise(true);
    mFoldButton->setCursor(Qt::PointingHandCursor);
    mFoldButton->hide();
    connect(mFoldButton, &QToolButton::clicked, this, [this] { setFolded(!mFolded); });
    layout->addWidget(mFoldButton, 0, Qt::AlignLeft);

    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    applyColors();
    updateHeight();
}

void TextOutputView::appendText(const QString &text)
{
    if (text.isEmpty())
        return;
    QString piece = text;
    if (mPendingNewline)
        piece.prepend(QLatin1Char('\n'));
    mPendingNewline = piece.endsWith(QLatin1Char('\n'));
    if (mPendingNewline)
        piece.chop(1);
    if (piece.isEmpty())
        return;
    insertText(piece);
    updateChrome();
}

void TextOutputView::insertText(const QString &piece)
{
    const bool empty = mEditor->document()->isEmpty() && mLinesInserted == 0;
    if (empty)
        mLinesInserted = 1;
    mLinesInserted += piece.count(QLatin1Char('\n'));

    QTextCursor cursor(mEditor->document());
    cursor.movePosition(QTextCursor::End);
    if (piece.size() > kMaxChars) {
        // One piece larger than all we keep: only its end survives.
        mEditor->document()->clear();
        cursor = QTextCursor(mEditor->document());
        insertWithReturns(cursor, piece.right(kMaxChars));
    } else {
        insertWithReturns(cursor, piece);
    }
    trimToCap();
    mDroppedLines = qMax<qint64>(0, mLinesInserted - mEditor->document()->blockCount());
}

void TextOutputView::insertWithReturns(QTextCursor &cursor, const QString &text)
{
    if (!text.contains(QLatin1Char('\r'))) {
        cursor.insertText(text);
        return;
    }
    // A carriage return starts its line over, as progress reports expect.
    QString normalized = text;
    normalized.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    const QStringList parts = normalized.split(QLatin1Char('\r'));
    cursor.beginEditBlock();
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (i > 0) {
            cursor.movePosition(QTextCursor::StartOfBlock, QTextCursor::KeepAnchor);
            cursor.removeSelectedText();
        }
        cursor.insertText(parts.at(i));
    }
    cursor.endEditBlock();
}

void TextOutputView::trimToCap()
{
    QTextDocument *document = mEditor->document();
    const qsizetype count = document->characterCount();
    if (count <= kMaxChars)
        return;
    // Drop a tenth more than needed so a flood trims once per many pieces.
    const int excess = int(count - kMaxChars + kMaxChars / 10);
    QTextBlock block = document->findBlock(qMin(excess, int(count - 1)));
    if (block.next().isValid())
        block = block.next();
    QTextCursor cursor(document);
    cursor.setPosition(block.position(), QTextCursor::KeepAnchor);
    cursor.removeSelectedText();
}

QString TextOutputView::text() const
{
    QString all = mEditor->toPlainText();
    if (mPendingNewline)
        all += QLatin1Char('\n');
    return all;
}

int TextOutputView::lineCount() const
{
    return mEditor->document()->isEmpty() ? 0 : mEditor->document()->blockCount();
}

void TextOutputView::setFolded(bool folded)
{
    mFolded = folded;
    updateChrome();
    if (mFolded) {
        mFollowEnd = true;
        mEditor->verticalScrollBar()->setValue(mEditor->verticalScrollBar()->maximum());
    }
}

void TextOutputView::updateChrome()
{
    if (mDroppedLines > 0) {
        mDropped->setText(mDroppedLines == 1 ? tr("[… 1 line dropped …]")
                                               : tr("[… %n lines dropped …]", nullptr, int(qMin<qint64>(mDroppedLines, INT_MAX))));
        mDropped->show();
    } else {
        mDropped->hide();
    }
    const int lines = lineCount();
    if (lines > kFoldLines) {
        // The true count: lines dropped from the start of a flood still count.
        const qint64 total = lines + mDroppedLines;
        mFoldButton->setText(!mFolded ? tr("Show less")
                             : mDroppedLines > 0
                                 ? tr("Show the last %1 of %2 lines").arg(QLocale().toString(lines), QLocale().toString(total))
                                 : tr("Show all (%n lines)", nullptr, lines));
        mFoldButton->show();
    } else {
        mFoldButton->hide();
    }
    updateHeight();
}

void TextOutputView::updateHeight()
{
    const int lines = qMax(1, lineCount());
    const int shown = qMin(lines, mFolded ? kFoldLines : kMaxExpandedLines);
    const Qt::ScrollBarPolicy policy = shown < lines ? Qt::ScrollBarAsNeeded : Qt::ScrollBarAlwaysOff;
    if (mEditor->verticalScrollBarPolicy() != policy)
        mEditor->setVerticalScrollBarPolicy(policy);
    // Laid-out lines take whole pixels; the editor wants one spare pixel below
    // the last line before it counts it as visible.
    QTextDocument *document = mEditor->document();
    const qreal laidOut = document->documentLayout()->blockBoundingRect(document->firstBlock()).height();
    const qreal lineHeight = qMax<qreal>(QFontMetrics(mEditor->font()).lineSpacing(), laidOut);
    const qreal margin = document->documentMargin();
    int height = int(std::ceil(shown * lineHeight + 2 * margin)) + 2 * mEditor->frameWidth() + 2;
    if (mEditor->horizontalScrollBar()->maximum() > 0)
        height += mEditor->horizontalScrollBar()->sizeHint().height();
    if (mEditor->height() != height || mEditor->minimumHeight() != height)
        mEditor->setFixedHeight(height);
}

void TextOutputView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    // The sideways scroll bar comes and goes with the width.
    updateHeight();
}

void TextOutputView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyColors();
}

void TextOutputView::applyColors()
{
    // Printed text sits on the cell; a value gets a faint tint so the result stands out.
    QPalette palette = mEditor->palette();
    const QColor window = this->palette().color(QPalette::Window);
    palette.setColor(QPalette::Base,
                     mRole == Role::Value ? blend(window, this->palette().color(QPalette::Highlight), 0.10) : window);
    mEditor->setPalette(palette);
}

} // namespace kiln
