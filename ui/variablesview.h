#pragma once

#include "document/outputitem.h"

#include <QWidget>

class QButtonGroup;
class QLabel;
class QLineEdit;
class QTreeWidget;
class QTreeWidgetItem;
class QWidget;

namespace kiln {

class OutputView;

// The notebook's globals, as Spyder's Variable Explorer lists them: name, type,
// shape, dtype, device, memory and a preview. A selected tensor shows as a grid,
// an image or a histogram; a module as its tree and parameters; anything else as
// a cell's value. The view runs no code: the window sends listQuery() and
// detailQuery() to the runtime between cells and hands back what they print.
class VariablesView : public QWidget
{
    Q_OBJECT

public:
    struct Variable
    {
        QString name;
        QString kind;     // tensor, module, number, string, table, function, ...
        QString type;     // Tensor, Sequential, integer, ...
        QString shape;
        QString dtype;
        QString device;
        qint64 bytes = -1;  // -1: not known
        QString preview;
        bool operator==(const Variable &other) const;
    };

    explicit VariablesView(QWidget *parent = nullptr);

    // Lua that prints the listing setListing() reads.
    static QString listQuery();
    // Lua that draws one variable: `view` is "grid", "image" or "histogram" for a
    // tensor, empty otherwise.
    static QString detailQuery(const QString &name, const QString &view);
    // The records listQuery() printed.
    static QList<Variable> parseListing(const QString &text);

    void setListing(const QString &text);
    void setVariables(const QList<Variable> &variables);
    QList<Variable> variables() const { return mVariables; }
    // The runtime's state is gone: nothing to list.
    void clear();

    // The detail query's outputs, as they arrive, and how it ended.
    void appendDetail(const OutputList &items);
    void detailFinished(const QString &error);

    QString selectedName() const;
    void selectVariable(const QString &name);
    // "grid", "image" or "histogram" while a tensor is selected, else empty.
    QString detailMode() const;
    void setDetailMode(const QString &mode);
    OutputView *detailView() const { return mDetail; }

Q_SIGNALS:
    // The window answers with appendDetail() and detailFinished().
    void detailRequested(const QString &name, const QString &view);

private:
    void applyFilter();
    void onSelectionChanged();
    void requestDetail();
    void updateEmptyState();

    QList<Variable> mVariables;
    QLineEdit *mFilter;
    QTreeWidget *mTree;
    QLabel *mEmpty;
    QWidget *mModes;
    QButtonGroup *mModeButtons;
    QLabel *mDetailTitle;
    OutputView *mDetail;
    QString mDetailName;  // whose detail is shown (or on its way)
};

} // namespace kiln
