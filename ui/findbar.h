#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace kiln {

class Notebook;
class NotebookView;

// Find and replace across the whole notebook, below the cells (Ctrl+F). Next
// walks matches cell by cell from the current one; Replace All is one undo step.
class FindBar : public QWidget
{
    Q_OBJECT

public:
    FindBar(Notebook *notebook, NotebookView *view, QWidget *parent = nullptr);

    void activate();
    void setFindText(const QString &text);
    void setReplaceText(const QString &text);
    // Returns false when nothing matches anywhere.
    bool findNext();
    void replaceCurrent();
    int replaceAll();

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    Qt::CaseSensitivity caseSensitivity() const;

    Notebook *mNotebook;
    NotebookView *mView;
    QLineEdit *mFind;
    QLineEdit *mReplace;
    QCheckBox *mCase;
    QLabel *mStatus;
    QString mMatchCell;  // the cell whose editor holds the current match
};

} // namespace kiln
