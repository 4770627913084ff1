#include "notebookview.h"

#include "cellwidget.h"
#include "document/evaluationtracker.h"
#include "modelbrowser.h"
#include "document/notebook.h"

#include <QKeyEvent>
#include <QMimeData>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QScrollBar>
#include <QTimer>
#include <QVBoxLayout>

namespace kiln {

NotebookView::NotebookView(Notebook *notebook, EvaluationTracker *tracker, QWidget *parent)
    : QScrollArea(parent)
    , mNotebook(notebook)
    , mTracker(tracker)
{
    setWidgetResizable(true);
    setFocusPolicy(Qt::StrongFocus);
    setAcceptDrops(true);
    mHost = new QWidget(this);
    mLayout = new QVBoxLayout(mHost);
    mLayout->setContentsMargins(24, 16, 24, 16);
    mLayout->setSpacing(8);
    mTitle = new QLineEdit(mHost);
    mTitle->setObjectName(QStringLiteral("notebookTitle"));
    mTitle->setFrame(false);
    mTitle->setPlaceholderText(tr("Untitled notebook"));
    mTitle->setToolTip(tr("The notebook's title: click to edit"));
    QFont titleFont = mTitle->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.8);
    titleFont.setBold(true);
    mTitle->setFont(titleFont);
    QPalette titlePalette = mTitle->palette();
    titlePalette.setColor(QPalette::Base, Qt::transparent);
    mTitle->setPalette(titlePalette);
    connect(mTitle, &QLineEdit::editingFinished, this, [this] {
        const QString title = mTitle->text().trimmed();
        if (title != mNotebook->title())
            mNotebook->setTitle(title);
    });
    setWidget(mHost);
    verticalScrollBar()->setSingleStep(24);
    // A scroll the user makes ends following the current cell.
    connect(verticalScrollBar(), &QScrollBar::actionTriggered, this, [this] { mFollowCurrent = false; });
    mHost->installEventFilter(this);

    connect(notebook, &Notebook::reloaded, this, &NotebookView::rebuild);
    connect(notebook, &Notebook::cellInserted, this, &NotebookView::onInserted);
    connect(notebook, &Notebook::cellRemoved, this, &NotebookView::onRemoved);
    connect(notebook, &Notebook::cellMoved, this, &NotebookView::onMoved);
    connect(notebook, &Notebook::cellChanged, this, &NotebookView::onCellChanged);
    connect(notebook, &Notebook::titleChanged, this, &NotebookView::updateTitle);
    connect(notebook, &Notebook::outputsChanged, this, [this](int index) {
        if (CellWidget *widget = mWidgets.value(mNotebook->cell(index).id))
            widget->refreshOutputs();
    });
    connect(tracker, &EvaluationTracker::cellStateChanged, this, &NotebookView::onStateChanged);
    rebuild();
}

int NotebookView::currentIndex() const
{
    return mNotebook->indexOf(mCurrent);
}

void NotebookView::rebuild()
{
    // Filled while hidden: a cell added to a host on screen is shown on its own
    // later, and each such show lays out every cell again (quadratic in the
    // cell count). Shown again at the end, the host lays its cells out once.
    const bool hostShown = !mHost->isHidden();
    mHost->hide();
    for (CellWidget *widget : std::as_const(mWidgets))
        delete widget;
    mWidgets.clear();
    while (QLayoutItem *item = mLayout->takeAt(0))
        delete item;
    mLayout->addWidget(mTitle);
    updateTitle();
    for (int i = 0; i < mNotebook->cellCount(); ++i)
        mLayout->addWidget(createCellWidget(i));
    mLayout->addStretch(1);
    if (hostShown)
        mHost->show();
    mCurrent.clear();
    if (mNotebook->cellCount() > 0)
        setCurrentCell(mNotebook->cell(0).id);
}

CellWidget *NotebookView::createCellWidget(int index)
{
    const QString id = mNotebook->cell(index).id;
    auto *widget = new CellWidget(mNotebook, id, mHost);
    widget->installEventFilter(this);
    connect(widget, &CellWidget::runRequested, this, &NotebookView::runRequested);
    connect(widget, &CellWidget::runStaleRequested, this, &NotebookView::runStaleRequested);
    connect(widget, &CellWidget::focused, this, [this](const QString &cellId) { setCurrentCell(cellId); });
    connect(widget, &CellWidget::leaveEditing, this, [this](const QString &cellId) { setCurrentCell(cellId); });
    widget->showState(mTracker->cellState(id));
    mWidgets.insert(id, widget);
    return widget;
}

void NotebookView::onInserted(int index)
{
    CellWidget *widget = createCellWidget(index);
    mLayout->insertWidget(index + 1, widget);
    widget->show();
}

void NotebookView::onRemoved(int)
{
    // The document no longer has the cell: find the widget whose id is gone.
    for (auto it = mWidgets.begin(); it != mWidgets.end(); ++it) {
        if (mNotebook->indexOf(it.key()) < 0) {
            const QString id = it.key();
            CellWidget *widget = it.value();
            mWidgets.erase(it);
            const int position = mLayout->indexOf(widget);
            widget->deleteLater();
            mLayout->removeWidget(widget);
            widget->hide();
            if (id == mCurrent) {
                mCurrent.clear();
                const int next = qMin(qMax(position - 1, 0), mNotebook->cellCount() - 1);
                if (next >= 0)
                    setCurrentCell(mNotebook->cell(next).id);
            }
            return;
        }
    }
}

void NotebookView::onMoved(int, int to)
{
    CellWidget *widget = mWidgets.value(mNotebook->cell(to).id);
    if (!widget)
        return;
    mLayout->removeWidget(widget);
    mLayout->insertWidget(to + 1, widget);
    scrollToCell(widget->cellId());
}

void NotebookView::onCellChanged(int index)
{
    const Cell &cell = mNotebook->cell(index);
    CellWidget *widget = mWidgets.value(cell.id);
    if (!widget)
        return;
    if (widget->kind() != cell.kind) {
        // A new kind needs a new widget (an editor and outputs, or rendered Markdown).
        const bool wasCurrent = mCurrent == cell.id;
        mWidgets.remove(cell.id);
        mLayout->removeWidget(widget);
        widget->deleteLater();
        mLayout->insertWidget(index + 1, createCellWidget(index));
        if (wasCurrent) {
            mCurrent.clear();
            setCurrentCell(cell.id);
        }
        return;
    }
    widget->refreshFromNotebook();
}

void NotebookView::onStateChanged(const QString &cellId)
{
    if (CellWidget *widget = mWidgets.value(cellId))
        widget->showState(mTracker->cellState(cellId));
}

void NotebookView::updateTitle()
{
    if (!mTitle->hasFocus())
        mTitle->setText(mNotebook->title());
}

void NotebookView::appendOutputs(const QString &cellId, const OutputList &items)
{
    if (CellWidget *widget = mWidgets.value(cellId))
        widget->appendOutputs(items);
}

void NotebookView::setCurrentCell(const QString &cellId, bool edit)
{
    CellWidget *widget = mWidgets.value(cellId);
    if (!widget)
        return;
    if (mCurrent != cellId) {
        if (CellWidget *previous = mWidgets.value(mCurrent))
            previous->setSelected(false);
        mCurrent = cellId;
        widget->setSelected(true);
        Q_EMIT currentCellChanged(cellId);
    }
    if (edit)
        widget->startEditing();
    else if (!widget->isEditing())
        widget->setFocus();
    scrollToCell(cellId);
    mFollowCurrent = true;
}

void NotebookView::scrollToCell(const QString &cellId, bool toTop)
{
    if (CellWidget *widget = mWidgets.value(cellId)) {
        // After layout, so a new cell has its geometry.
        QTimer::singleShot(0, this, [this, toTop, widget = QPointer<CellWidget>(widget)] {
            if (!widget)
                return;
            if (toTop)
                verticalScrollBar()->setValue(widget->y() - mLayout->spacing());
            else
                ensureWidgetVisible(widget, 0, 40);
        });
    }
}

bool NotebookView::eventFilter(QObject *watched, QEvent *event)
{
    // The cells grew or shrank: keep the current cell in view if it was.
    if (watched == mHost && (event->type() == QEvent::Resize || event->type() == QEvent::LayoutRequest)
        && mFollowCurrent && !mScrollingToCell) {
        if (CellWidget *widget = mWidgets.value(mCurrent)) {
            mScrollingToCell = true;
            QTimer::singleShot(0, this, [this, widget = QPointer<CellWidget>(widget)] {
                mScrollingToCell = false;
                if (widget && mFollowCurrent)
                    ensureWidgetVisible(widget, 0, 40);
            });
        }
    }
    if (event->type() == QEvent::KeyPress && qobject_cast<CellWidget *>(watched)) {
        if (handleNavigationKey(static_cast<QKeyEvent *>(event)))
            return true;
    }
    return QScrollArea::eventFilter(watched, event);
}

void NotebookView::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasFormat(QStringLiteral(KILN_MODEL_MIME)) || (event->mimeData()->hasText() && !event->mimeData()->hasUrls()))
        event->acceptProposedAction();
    else
        event->ignore();  // notebook files go on to the window
}

void NotebookView::dropEvent(QDropEvent *event)
{
    if (!event->mimeData()->hasText())
        return;
    event->acceptProposedAction();
    Q_EMIT codeDropped(event->mimeData()->text());
}

void NotebookView::keyPressEvent(QKeyEvent *event)
{
    if (!handleNavigationKey(event))
        QScrollArea::keyPressEvent(event);
}

bool NotebookView::handleNavigationKey(QKeyEvent *event)
{
    const int index = currentIndex();
    if (index < 0)
        return false;
    const Qt::KeyboardModifiers modifiers = event->modifiers() & ~Qt::KeypadModifier;
    const bool pendingDelete = mPendingDelete;
    mPendingDelete = false;
    auto move = [this, index](int delta) {
        const int target = index + delta;
        if (target >= 0 && target < mNotebook->cellCount())
            setCurrentCell(mNotebook->cell(target).id);
    };
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
        if (modifiers == (Qt::ControlModifier | Qt::ShiftModifier)) {
            Q_EMIT runStaleRequested();
            return true;
        }
        if (modifiers == Qt::ShiftModifier) {
            Q_EMIT runRequested(mCurrent, true);
            return true;
        }
        if (modifiers == Qt::ControlModifier) {
            Q_EMIT runRequested(mCurrent, false);
            return true;
        }
        if (modifiers == Qt::NoModifier) {
            setCurrentCell(mCurrent, true);
            return true;
        }
        return false;
    }
    if (modifiers != Qt::NoModifier && modifiers != Qt::ShiftModifier)
        return false;
    switch (event->key()) {
    case Qt::Key_J:
    case Qt::Key_Down:
        move(1);
        return true;
    case Qt::Key_K:
    case Qt::Key_Up:
        move(-1);
        return true;
    case Qt::Key_A:
        Q_EMIT insertRequested(true, false);
        return true;
    case Qt::Key_B:
        Q_EMIT insertRequested(false, false);
        return true;
    case Qt::Key_M:
        Q_EMIT convertRequested(true);
        return true;
    case Qt::Key_Y:
        Q_EMIT convertRequested(false);
        return true;
    case Qt::Key_D:
        if (pendingDelete)
            Q_EMIT deleteRequested();
        else
            mPendingDelete = true;
        return true;
    case Qt::Key_Z:
        if (modifiers == Qt::NoModifier) {
            Q_EMIT restoreRequested();
            return true;
        }
        return false;
    default:
        return false;
    }
}

} // namespace kiln
