#pragma once

#include <QWidget>

#include "outputitem.h"

namespace kiln {

// A code cell's outputs, one view per item: printed text (folded when long),
// values, tables, images, plots and errors. Items arrive while the cell runs.
class OutputView : public QWidget
{
    Q_OBJECT

public:
    explicit OutputView(QWidget *parent = nullptr);
    ~OutputView() override;

    // Replaces everything shown.
    void setOutputs(const OutputList &outputs);
    // Adds items that arrived later: text continues the last text, a piece of a
    // plot already shown extends it.
    void appendOutputs(const OutputList &items);
    void clear();
    bool isEmpty() const;

Q_SIGNALS:
    // The user clicked an error's line (1-based, within the cell).
    void errorLineActivated(int line);

private:
    struct Private;
    Private *d;
};

} // namespace kiln
