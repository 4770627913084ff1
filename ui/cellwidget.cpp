#include "cellwidget.h"

#include "notebook.h"

#include <Qsci/qscilexerlua.h>
#include <Qsci/qsciscintilla.h>

#include <QFontDatabase>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace kiln {

CellWidget::CellWidget(Notebook *notebook, const QString &cellId, QWidget *parent)
    : QFrame(parent), mNotebook(notebook), mCellId(cellId), mKind(notebook->cell(notebook->indexOf(cellId)).kind)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->setSpacing(2);

    if (mKind == CellKind::Code) {
        setFrameShape(QFrame::StyledPanel);
        mStateLabel = new QLabel(this);
        mStateLabel->setObjectName(QStringLiteral("cellState"));
        QPalette palette = mStateLabel->palette();
        palette.setColor(QPalette::WindowText, palette.color(QPalette::PlaceholderText));
        mStateLabel->setPalette(palette);
        layout->addWidget(mStateLabel);

        mEditor = new QsciScintilla(this);
        auto *lexer = new QsciLexerLua(mEditor);
        lexer->setDefaultFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        mEditor->setLexer(lexer);
        mEditor->setUtf8(true);
        mEditor->setMarginType(0, QsciScintilla::NumberMargin);
        mEditor->setMarginWidth(0, QStringLiteral("0000"));
        mEditor->setAutoIndent(true);
        mEditor->setIndentationWidth(2);
        mEditor->setIndentationsUseTabs(false);
        mEditor->setBraceMatching(QsciScintilla::SloppyBraceMatch);
        // The editor grows with its content, and long lines wrap, so it never scrolls.
        mEditor->SendScintilla(QsciScintilla::SCI_SETHSCROLLBAR, 0L);
        mEditor->SendScintilla(QsciScintilla::SCI_SETVSCROLLBAR, 0L);
        mEditor->setWrapMode(QsciScintilla::WrapWord);
        mEditor->setFrameShape(QFrame::NoFrame);
        mEditor->installEventFilter(this);
        connect(mEditor, &QsciScintilla::textChanged, this, &CellWidget::onEditorTextChanged);
        layout->addWidget(mEditor);

        mOutput = new QPlainTextEdit(this);
        mOutput->setReadOnly(true);
        mOutput->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        mOutput->setFrameShape(QFrame::NoFrame);
        mOutput->setMaximumBlockCount(10000);
        mOutput->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
        mOutput->hide();
        layout->addWidget(mOutput);
        mStateLabel->setText(tr("not run yet"));
    } else {
        mMarkdown = new QLabel(this);
        mMarkdown->setWordWrap(true);
        mMarkdown->setTextInteractionFlags(Qt::TextBrowserInteraction);
        mMarkdown->setOpenExternalLinks(true);
        layout->addWidget(mMarkdown);
    }
    refreshFromNotebook();
    refreshOutputs();
}

int CellWidget::index() const
{
    return mNotebook->indexOf(mCellId);
}

void CellWidget::refreshFromNotebook()
{
    const int i = index();
    if (i < 0)
        return;
    const Cell &cell = mNotebook->cell(i);
    mUpdating = true;
    if (mEditor) {
        if (mEditor->text() != cell.source)
            mEditor->setText(cell.source);
        updateEditorHeight();
    } else if (cell.kind == CellKind::Section) {
        mMarkdown->setTextFormat(Qt::MarkdownText);
        mMarkdown->setText(QLatin1String("## ") + cell.source);
    } else {
        mMarkdown->setTextFormat(Qt::MarkdownText);
        mMarkdown->setText(cell.source);
    }
    mUpdating = false;
}

void CellWidget::refreshOutputs()
{
    if (!mOutput)
        return;
    const int i = index();
    if (i < 0)
        return;
    QString text;
    for (const OutputItem &item : mNotebook->cell(i).outputs) {
        if (!text.isEmpty() && !text.endsWith(QLatin1Char('\n')))
            text += QLatin1Char('\n');
        if (item.kind == OutputItem::Kind::Error) {
            const int line = item.data.value(QStringLiteral("line")).toInt();
            text += line > 0 ? tr("Error (line %1): %2").arg(line).arg(item.text) : tr("Error: %1").arg(item.text);
        } else {
            text += item.text;
        }
    }
    while (text.endsWith(QLatin1Char('\n')))
        text.chop(1);
    mOutput->setPlainText(text);
    mOutput->setVisible(!text.isEmpty());
    const int lines = qMin(20, int(text.count(QLatin1Char('\n'))) + 1);
    mOutput->setFixedHeight(lines * mOutput->fontMetrics().lineSpacing() + 12);
}

void CellWidget::setQueued()
{
    if (mStateLabel)
        mStateLabel->setText(tr("queued"));
}

void CellWidget::setRunning()
{
    if (mStateLabel)
        mStateLabel->setText(tr("running…"));
}

void CellWidget::setFinished(const EvalResult &result)
{
    if (!mStateLabel)
        return;
    switch (result.status) {
    case EvalResult::Status::Ok:
        mStateLabel->setText(tr("[%1] done in %2 ms").arg(result.evaluationNumber).arg(result.durationMs));
        break;
    case EvalResult::Status::Error:
        mStateLabel->setText(tr("[%1] error").arg(result.evaluationNumber));
        break;
    case EvalResult::Status::Interrupted:
        mStateLabel->setText(tr("[%1] interrupted").arg(result.evaluationNumber));
        break;
    case EvalResult::Status::Cancelled:
        mStateLabel->setText(tr("cancelled"));
        break;
    }
}

void CellWidget::focusEditor()
{
    if (mEditor)
        mEditor->setFocus();
}

bool CellWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == mEditor && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            if (key->modifiers() == Qt::ShiftModifier) {
                Q_EMIT runRequested(mCellId, true);
                return true;
            }
            if (key->modifiers() == Qt::ControlModifier) {
                Q_EMIT runRequested(mCellId, false);
                return true;
            }
        }
    }
    return QFrame::eventFilter(watched, event);
}

void CellWidget::onEditorTextChanged()
{
    updateEditorHeight();
    if (mUpdating)
        return;
    const int i = index();
    if (i >= 0)
        mNotebook->setCellSource(i, mEditor->text());
}

void CellWidget::updateEditorHeight()
{
    // Wrapped lines take several display lines; Scintilla counts those for us.
    const long displayLines = mEditor->SendScintilla(QsciScintilla::SCI_VISIBLEFROMDOCLINE, long(mEditor->lines()));
    const int lines = int(qMax(1L, displayLines));
    mEditor->setFixedHeight(lines * mEditor->textHeight(0) + 6);
}

} // namespace kiln
