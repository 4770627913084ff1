#include "cellwidget.h"

#include "document/notebook.h"
#include "luacompletion.h"
#include "outputview.h"
#include "taskform.h"
#include "document/taskcell.h"

#include <Qsci/qscilexerlua.h>
#include <Qsci/qscilexermarkdown.h>
#include <Qsci/qsciscintilla.h>

#include <QLocale>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>

namespace kiln {

namespace {

constexpr int kErrorMarker = 1;

// Holds the code preview and then the editor, both filling it. No layout: a
// child swapped in here does not make the whole notebook column lay out again.
class EditorHost : public QWidget
{
public:
    using QWidget::QWidget;

protected:
    void resizeEvent(QResizeEvent *event) override
    {
        for (QObject *child : children()) {
            if (auto *widget = qobject_cast<QWidget *>(child))
                widget->setGeometry(rect());
        }
        QWidget::resizeEvent(event);
    }
};

// Scintilla's line height, learnt from the first editor, so previews have the
// editor's exact height and swapping one for the other moves nothing.
int gEditorLineHeight = 0;

QString formatDuration(qint64 ms)
{
    if (ms < 1000)
        return CellWidget::tr("%1 ms").arg(ms);
    if (ms < 60000)
        return CellWidget::tr("%1 s").arg(QLocale().toString(double(ms) / 1000.0, 'f', 1));
    return CellWidget::tr("%1 min %2 s").arg(ms / 60000).arg((ms / 1000) % 60);
}

} // namespace

CellWidget::CellWidget(Notebook *notebook, const QString &cellId, QWidget *parent)
    : QFrame(parent)
    , mNotebook(notebook)
    , mCellId(cellId)
    , mKind(notebook->cell(notebook->indexOf(cellId)).kind)
{
    setFocusPolicy(Qt::StrongFocus);
    setFrameShape(QFrame::StyledPanel);
    setLineWidth(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->setSpacing(2);

    if (mKind == CellKind::Code) {
        mHeader = new QLabel(this);
        mHeader->setObjectName(QStringLiteral("cellState"));
        QPalette palette = mHeader->palette();
        palette.setColor(QPalette::WindowText, palette.color(QPalette::PlaceholderText));
        mHeader->setPalette(palette);
        layout->addWidget(mHeader);
        mEditorHost = new EditorHost(this);
        layout->addWidget(mEditorHost);
        mPreview = new QLabel(mEditorHost);
        mPreview->setTextFormat(Qt::PlainText);
        mPreview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        mPreview->setContentsMargins(44, 3, 4, 3);
        mPreview->setAlignment(Qt::AlignLeft | Qt::AlignTop);
        mOutputs = new OutputView(this);
        mOutputs->hide();
        connect(mOutputs, &OutputView::errorLineActivated, this, &CellWidget::goToLine);
        layout->addWidget(mOutputs);
        showState(EvaluationTracker::CellState());
    } else {
        mMarkdown = new QLabel(this);
        mMarkdown->setWordWrap(true);
        mMarkdown->setTextInteractionFlags(Qt::LinksAccessibleByMouse);
        mMarkdown->setOpenExternalLinks(true);
        mMarkdown->setTextFormat(Qt::MarkdownText);
        mMarkdown->installEventFilter(this);
        layout->addWidget(mMarkdown);
    }
    refreshFromNotebook();
    refreshOutputs();
    updateFrame();
}

void CellWidget::createEditor(bool lua)
{
    mEditor = new QsciScintilla(lua && mEditorHost ? mEditorHost : static_cast<QWidget *>(this));
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (lua) {
        auto *lexer = new QsciLexerLua(mEditor);
        lexer->setDefaultFont(fixed);
        lexer->setFont(fixed);
        // The Lua lexer gives library names a coloured background; plain paper
        // reads better in a notebook.
        for (int style = 0; style < 32; ++style)
            lexer->setPaper(palette().color(QPalette::Base), style);
        mEditor->setLexer(lexer);
        // Completion and call tips for the torch API and the notebook's globals.
        Notebook *notebook = mNotebook;
        new LuaCompletion(lexer, mEditor, [notebook] {
            QStringList sources;
            for (int i = 0; i < notebook->cellCount(); ++i) {
                if (notebook->cell(i).kind == CellKind::Code)
                    sources.append(notebook->cell(i).source);
            }
            return LuaCompletion::guessGlobals(sources);
        });
        mEditor->setAutoCompletionSource(QsciScintilla::AcsAll);
        mEditor->setAutoCompletionThreshold(2);
        mEditor->setAutoCompletionCaseSensitivity(true);
        mEditor->setAutoCompletionReplaceWord(true);
        mEditor->setCallTipsStyle(QsciScintilla::CallTipsNoContext);
        mEditor->setCallTipsVisible(0);
        mEditor->setMarginType(0, QsciScintilla::NumberMargin);
        mEditor->setMarginWidth(0, QStringLiteral("000"));
        mEditor->setFolding(QsciScintilla::BoxedTreeFoldStyle, 2);
        mEditor->markerDefine(QsciScintilla::Background, kErrorMarker);
        mEditor->setMarkerBackgroundColor(QColor(255, 220, 220), kErrorMarker);
    } else {
        auto *lexer = new QsciLexerMarkdown(mEditor);
        lexer->setDefaultFont(fixed);
        mEditor->setLexer(lexer);
        mEditor->setMarginWidth(0, 0);
        mEditor->setMarginWidth(1, 0);
        mEditor->hide();
    }
    mEditor->setUtf8(true);
    mEditor->setAutoIndent(true);
    mEditor->setIndentationWidth(2);
    mEditor->setIndentationsUseTabs(false);
    mEditor->setBraceMatching(QsciScintilla::SloppyBraceMatch);
    // The editor grows with its content and long lines wrap, so it never scrolls;
    // the notebook scrolls instead.
    mEditor->SendScintilla(QsciScintilla::SCI_SETHSCROLLBAR, 0L);
    mEditor->SendScintilla(QsciScintilla::SCI_SETVSCROLLBAR, 0L);
    mEditor->setWrapMode(QsciScintilla::WrapWord);
    mEditor->setFrameShape(QFrame::NoFrame);
    mEditor->installEventFilter(this);
    connect(mEditor, &QsciScintilla::textChanged, this, &CellWidget::onEditorTextChanged);
    // Scintilla wraps lines when it paints, so a narrower notebook (a panel
    // opened beside it) changes the number of display lines only then: the
    // height follows after each paint, and stays when nothing changed.
    connect(mEditor, &QsciScintillaBase::SCN_PAINTED, this, &CellWidget::updateEditorHeight);
    if (mEditorHost && lua) {
        mEditor->setGeometry(mEditorHost->rect());
        mEditor->show();
    } else {
        layout()->addWidget(mEditor);
    }
}

void CellWidget::ensureEditor()
{
    if (mEditor || mKind != CellKind::Code)
        return;
    createEditor(true);
    mUpdating = true;
    mEditor->setText(mNotebook->cell(index()).source);
    mUpdating = false;
    updateEditorHeight();
    mPreview->hide();
    mPreview->deleteLater();
    mPreview = nullptr;
    mEditor->setReadOnly(mNotebook->cell(index()).options.value(QLatin1String("task")).isObject());
    setErrorLine(mErrorLine);
}

QsciScintilla *CellWidget::editor()
{
    if (mKind == CellKind::Code)
        ensureEditor();
    return mEditor;
}

void CellWidget::paintEvent(QPaintEvent *event)
{
    // Painted means on screen: time to become a real editor.
    if (!mEditor && mKind == CellKind::Code)
        QTimer::singleShot(0, this, &CellWidget::ensureEditor);
    QFrame::paintEvent(event);
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
    if (mEditor && mEditor->text() != cell.source) {
        int line = 0, column = 0;
        mEditor->getCursorPosition(&line, &column);
        // A Task cell's editor is read-only, and Scintilla ignores setText then.
        const bool readOnly = mEditor->isReadOnly();
        mEditor->setReadOnly(false);
        mEditor->setText(cell.source);
        mEditor->setReadOnly(readOnly);
        mEditor->setCursorPosition(line, column);
    }
    if (mEditor)
        updateEditorHeight();
    if (mPreview) {
        mPreview->setText(cell.source);
        // The editor's height for this text, so that the swap changes nothing.
        const int lines = int(cell.source.count(QLatin1Char('\n'))) + 1;
        if (gEditorLineHeight == 0) {
            // Measured once on a throwaway editor set up as the real ones are.
            QsciScintilla probe;
            auto *lexer = new QsciLexerLua(&probe);
            const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
            lexer->setDefaultFont(fixed);
            lexer->setFont(fixed);
            probe.setLexer(lexer);
            probe.setText(QStringLiteral("x"));
            gEditorLineHeight = probe.textHeight(0);
        }
        const int lineHeight = gEditorLineHeight;
        mEditorHost->setFixedHeight(lines * lineHeight + 6);
    }
    if (mMarkdown)
        renderMarkdown();
    if (mKind == CellKind::Code)
        refreshTaskForm(cell);
    mUpdating = false;
}

void CellWidget::refreshTaskForm(const Cell &cell)
{
    const QJsonValue task = cell.options.value(QLatin1String("task"));
    // Made for the first task settings only: a form in every code cell would
    // multiply a large notebook's widgets and its opening time.
    if (task.isObject() && !mTaskForm) {
        mTaskForm = new TaskForm(this);
        connect(mTaskForm, &TaskForm::settingsChanged, this, &CellWidget::applyTaskSettings);
        connect(mTaskForm, &TaskForm::convertToCodeRequested, this, [this] {
            const int i = index();
            QJsonObject options = mNotebook->cell(i).options;
            options.remove(QStringLiteral("task"));
            mNotebook->setCellOptions(i, options);
        });
        static_cast<QVBoxLayout *>(layout())->insertWidget(1, mTaskForm);  // under the state line
    }
    if (mTaskForm)
        mTaskForm->setVisible(task.isObject());
    if (task.isObject())
        mTaskForm->setSettings(task.toObject());
    // The form writes a Task cell's code; Convert to Code Cell makes it editable.
    if (mEditor)
        mEditor->setReadOnly(task.isObject());
}

// New settings from the form: kept in the cell's options, and the code rewritten.
void CellWidget::applyTaskSettings(const QJsonObject &settings)
{
    const int i = index();
    if (i < 0)
        return;
    QJsonObject options = mNotebook->cell(i).options;
    options.insert(QStringLiteral("task"), settings);
    mNotebook->setCellOptions(i, options);
    mNotebook->setCellSource(i, TaskCell::code(settings));
}

void CellWidget::renderMarkdown()
{
    const Cell &cell = mNotebook->cell(index());
    if (cell.source.trimmed().isEmpty()) {
        mMarkdown->setTextFormat(Qt::PlainText);
        mMarkdown->setText(tr("Empty Markdown cell: double-click or press Enter to write"));
        mMarkdown->setEnabled(false);
        return;
    }
    mMarkdown->setEnabled(true);
    mMarkdown->setTextFormat(Qt::MarkdownText);
    mMarkdown->setText(cell.kind == CellKind::Section ? QLatin1String("## ") + cell.source : cell.source);
}

void CellWidget::refreshOutputs()
{
    if (!mOutputs)
        return;
    const int i = index();
    if (i < 0)
        return;
    mOutputs->setOutputs(mNotebook->cell(i).outputs);
    mOutputs->setVisible(!mOutputs->isEmpty());
}

void CellWidget::appendOutputs(const OutputList &items)
{
    if (!mOutputs || items.isEmpty())
        return;
    mOutputs->appendOutputs(items);
    mOutputs->setVisible(true);
}

void CellWidget::showState(const EvaluationTracker::CellState &state)
{
    if (!mHeader)
        return;
    const QString number = state.evaluationNumber > 0 ? QStringLiteral("[%1] ").arg(state.evaluationNumber)
                                                      : QStringLiteral("[ ] ");
    QString text;
    switch (state.state) {
    case EvaluationTracker::State::NeverRun: text = tr("not run yet"); break;
    case EvaluationTracker::State::Queued: text = tr("queued"); break;
    case EvaluationTracker::State::Running: {
        const qint64 elapsed = state.startedAt.msecsTo(QDateTime::currentDateTimeUtc());
        text = tr("running %1").arg(formatDuration(elapsed));
        break;
    }
    case EvaluationTracker::State::Finished: text = tr("done in %1").arg(formatDuration(state.durationMs)); break;
    case EvaluationTracker::State::Failed: text = tr("error after %1").arg(formatDuration(state.durationMs)); break;
    case EvaluationTracker::State::Interrupted: text = tr("interrupted"); break;
    case EvaluationTracker::State::Cancelled: text = tr("cancelled"); break;
    }
    if (state.edited)
        text += tr(" · edited since it ran");
    else if (state.stale && state.lostInRestart)
        text += tr(" · stale: the runtime restarted since it ran");
    else if (state.stale)
        text += tr(" · stale: a cell it reads from changed");
    mHeader->setText(number + text);
    mHeader->setProperty("stale", state.stale || state.edited);
    if (state.state == EvaluationTracker::State::Running || state.state == EvaluationTracker::State::Queued)
        setErrorLine(0);
}

void CellWidget::setErrorLine(int line)
{
    mErrorLine = line;
    if (!mEditor || mKind != CellKind::Code)
        return;
    mEditor->markerDeleteAll(kErrorMarker);
    if (line > 0)
        mEditor->markerAdd(line - 1, kErrorMarker);
}

void CellWidget::setSelected(bool selected)
{
    mSelected = selected;
    updateFrame();
}

void CellWidget::updateFrame()
{
    // The selected cell gets a highlighted border, as in Jupyter's command mode.
    const QColor border = mSelected ? palette().color(QPalette::Highlight) : palette().color(QPalette::Mid);
    setStyleSheet(QStringLiteral("kiln--CellWidget { border: %1px solid %2; border-radius: 4px; }")
                      .arg(mSelected ? 2 : 1)
                      .arg(border.name()));
}

void CellWidget::startEditing()
{
    if (!mEditor && mKind != CellKind::Code)
        createEditor(false);
    ensureEditor();
    if (mMarkdown) {
        mUpdating = true;
        if (mEditor->text() != mNotebook->cell(index()).source)
            mEditor->setText(mNotebook->cell(index()).source);
        mUpdating = false;
        mMarkdown->hide();
        mEditor->show();
        updateEditorHeight();
    }
    mEditor->setFocus();
}

bool CellWidget::isEditing() const
{
    return mEditor && mEditor->isVisible() && mEditor->hasFocus();
}

void CellWidget::stopEditing()
{
    if (mMarkdown && mEditor) {
        mEditor->hide();
        mMarkdown->show();
        renderMarkdown();
    }
    setFocus();
}

int CellWidget::cursorOffset() const
{
    if (!mEditor)
        return 0;
    int line = 0, column = 0;
    mEditor->getCursorPosition(&line, &column);
    const QString text = mNotebook->cell(index()).source;
    int offset = 0;
    for (int l = 0; l < line; ++l) {
        const int newline = text.indexOf(QLatin1Char('\n'), offset);
        if (newline < 0)
            return int(text.size());
        offset = newline + 1;
    }
    // Scintilla columns count UTF-8 bytes; convert within the line.
    const QString lineText = text.mid(offset).section(QLatin1Char('\n'), 0, 0);
    return offset + int(QString::fromUtf8(lineText.toUtf8().left(column)).size());
}

void CellWidget::goToLine(int line)
{
    ensureEditor();
    if (!mEditor || line < 1)
        return;
    mEditor->setCursorPosition(line - 1, 0);
    mEditor->ensureLineVisible(line - 1);
    mEditor->setFocus();
}

bool CellWidget::afterName() const
{
    int line = 0, column = 0;
    mEditor->getCursorPosition(&line, &column);
    const QString text = mEditor->text(line);
    if (column <= 0 || column > text.size())
        return false;
    const QChar previous = text.at(column - 1);
    return previous.isLetterOrNumber() || previous == QLatin1Char('_') || previous == QLatin1Char('.')
        || previous == QLatin1Char(':');
}

bool CellWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == mEditor && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            if (key->modifiers() == (Qt::ControlModifier | Qt::ShiftModifier)) {
                Q_EMIT runStaleRequested();
                return true;
            }
            if (key->modifiers() == Qt::ShiftModifier) {
                Q_EMIT runRequested(mCellId, true);
                return true;
            }
            if (key->modifiers() == Qt::ControlModifier) {
                Q_EMIT runRequested(mCellId, false);
                return true;
            }
        }
        // Ctrl+Space, or Tab after a name (as in Jupyter), offers completions;
        // Tab elsewhere indents.
        if ((key->key() == Qt::Key_Space && key->modifiers() == Qt::ControlModifier)
            || (key->key() == Qt::Key_Tab && key->modifiers() == Qt::NoModifier && !mEditor->isListActive()
                && afterName())) {
            mEditor->autoCompleteFromAll();
            return true;
        }
        if (key->key() == Qt::Key_Escape && !mEditor->isListActive() && !mEditor->isCallTipActive()) {
            stopEditing();
            Q_EMIT leaveEditing(mCellId);
            return true;
        }
    }
    if (watched == mEditor && event->type() == QEvent::FocusIn)
        Q_EMIT focused(mCellId);
    if (watched == mMarkdown && event->type() == QEvent::MouseButtonDblClick) {
        startEditing();
        return true;
    }
    return QFrame::eventFilter(watched, event);
}

void CellWidget::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (mMarkdown)
        startEditing();
    QFrame::mouseDoubleClickEvent(event);
}

void CellWidget::mousePressEvent(QMouseEvent *event)
{
    setFocus();
    Q_EMIT focused(mCellId);
    QFrame::mousePressEvent(event);
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
    gEditorLineHeight = mEditor->textHeight(0);
    const int height = lines * gEditorLineHeight + 6;
    if (mEditorHost && mEditor->parentWidget() == mEditorHost) {
        if (mEditorHost->height() != height)
            mEditorHost->setFixedHeight(height);
        return;
    }
    if (mEditor->height() != height)
        mEditor->setFixedHeight(height);
}

} // namespace kiln
