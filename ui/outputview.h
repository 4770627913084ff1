#pragma once

#include <QWidget>

#include "document/outputitem.h"

namespace kiln {

// A code cell's outputs, one view per item: printed text (folded when long),
// values, tables, images, plots and errors. Items arrive while the cell runs.
class OutputView : public QWidget
{
    Q_OBJECT

public:
    explicit OutputView(QWidget *parent = nullptr);
    ~OutputView() override;

    // Replaces everything shown. Items already shown that the new list only
    // extends (more text, more points of a plot) are updated in place, so a
    // cell may pass its whole output list on every change.
    void setOutputs(const OutputList &outputs);
    // Adds items that arrived later: text continues the last text, a piece of a
    // plot already shown extends it.
    void appendOutputs(const OutputList &items);
    void clear();
    bool isEmpty() const;

    // How many items are shown (after merging), and the view showing one.
    int count() const;
    QWidget *itemView(int index) const;
    // Writes the table output at `index` as CSV; false when it is not a table
    // or the file cannot be written.
    bool exportTableCsv(int index, const QString &path) const;

Q_SIGNALS:
    // The user clicked an error's line (1-based, within the cell).
    void errorLineActivated(int line);

private:
    struct Private;
    Private *d;
};

} // namespace kiln
