#include "findbar.h"

#include "cellwidget.h"
#include "document/notebook.h"
#include "notebookview.h"

#include <Qsci/qsciscintilla.h>

#include <QCheckBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QUndoStack>

namespace kiln {

FindBar::FindBar(Notebook *notebook, NotebookView *view, QWidget *parent)
    : QWidget(parent)
    , mNotebook(notebook)
    , mView(view)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    mFind = new QLineEdit(this);
    mFind->setPlaceholderText(tr("Find"));
    mFind->setClearButtonEnabled(true);
    mReplace = new QLineEdit(this);
    mReplace->setPlaceholderText(tr("Replace with"));
    mCase = new QCheckBox(tr("Match case"), this);
    auto *next = new QPushButton(tr("Next"), this);
    auto *replace = new QPushButton(tr("Replace"), this);
    auto *replaceAllButton = new QPushButton(tr("Replace All"), this);
    auto *close = new QPushButton(tr("Close"), this);
    mStatus = new QLabel(this);
    layout->addWidget(mFind, 2);
    layout->addWidget(next);
    layout->addWidget(mReplace, 2);
    layout->addWidget(replace);
    layout->addWidget(replaceAllButton);
    layout->addWidget(mCase);
    layout->addWidget(mStatus, 1);
    layout->addWidget(close);
    connect(mFind, &QLineEdit::returnPressed, this, &FindBar::findNext);
    connect(next, &QPushButton::clicked, this, &FindBar::findNext);
    connect(replace, &QPushButton::clicked, this, &FindBar::replaceCurrent);
    connect(replaceAllButton, &QPushButton::clicked, this, &FindBar::replaceAll);
    connect(close, &QPushButton::clicked, this, &QWidget::hide);
}

void FindBar::activate()
{
    show();
    mFind->setFocus();
    mFind->selectAll();
}

void FindBar::setFindText(const QString &text)
{
    mFind->setText(text);
}

void FindBar::setReplaceText(const QString &text)
{
    mReplace->setText(text);
}

Qt::CaseSensitivity FindBar::caseSensitivity() const
{
    return mCase->isChecked() ? Qt::CaseSensitive : Qt::CaseInsensitive;
}

bool FindBar::findNext()
{
    const QString needle = mFind->text();
    const int count = mNotebook->cellCount();
    if (needle.isEmpty() || count == 0)
        return false;
    const int start = qMax(0, mView->currentIndex());
    // The current cell first (after its selection), then the others in order, wrapping.
    for (int step = 0; step <= count; ++step) {
        const int index = (start + step) % count;
        const Cell &cell = mNotebook->cell(index);
        if (!cell.source.contains(needle, caseSensitivity()))
            continue;
        mView->setCurrentCell(cell.id, true);
        CellWidget *widget = mView->cellWidget(cell.id);
        QsciScintilla *editor = widget ? widget->editor() : nullptr;
        if (!editor)
            continue;
        const bool fromStart = step > 0 || mMatchCell != cell.id;
        if (fromStart)
            editor->setCursorPosition(0, 0);
        if (editor->findFirst(needle, false, caseSensitivity() == Qt::CaseSensitive, false, false, true)) {
            mMatchCell = cell.id;
            mStatus->clear();
            return true;
        }
    }
    mMatchCell.clear();
    mStatus->setText(tr("Not found"));
    return false;
}

void FindBar::replaceCurrent()
{
    CellWidget *widget = mView->cellWidget(mMatchCell);
    if (widget && widget->editor() && widget->editor()->hasSelectedText())
        widget->editor()->replaceSelectedText(mReplace->text());
    findNext();
}

int FindBar::replaceAll()
{
    const QString needle = mFind->text();
    if (needle.isEmpty())
        return 0;
    int replaced = 0;
    mNotebook->undoStack()->beginMacro(tr("Replace all"));
    for (int i = 0; i < mNotebook->cellCount(); ++i) {
        QString source = mNotebook->cell(i).source;
        const int matches = int(source.count(needle, caseSensitivity()));
        if (matches == 0)
            continue;
        source.replace(needle, mReplace->text(), caseSensitivity());
        mNotebook->setCellSource(i, source);
        replaced += matches;
    }
    mNotebook->undoStack()->endMacro();
    mStatus->setText(tr("%n replaced", nullptr, replaced));
    return replaced;
}

void FindBar::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        hide();
        return;
    }
    QWidget::keyPressEvent(event);
}

} // namespace kiln
