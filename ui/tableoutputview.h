#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QTableView;

namespace kiln {

class TableOutputModel;

// A table output: a caption (title, row count) over a sortable table at most
// kMaxVisibleRows high, with Copy (as TSV) and Export CSV in its context menu.
class TableOutputView : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kMaxVisibleRows = 15;

    explicit TableOutputView(const QJsonObject &table, QWidget *parent = nullptr);

    QTableView *tableView() const { return mView; }
    // The selected cells as tab-separated lines, in the order shown.
    QString selectionTsv() const;
    void copySelection() const;
    // Writes the whole table as CSV with a header row; false when the file cannot be written.
    bool exportCsv(const QString &path) const;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    int contentWidth() const;
    void showContextMenu(const QPoint &pos);
    void exportWithDialog();
    void updateHeight();

    QJsonObject mTable;
    QLabel *mCaption = nullptr;
    QTableView *mView = nullptr;
    TableOutputModel *mModel = nullptr;
};

} // namespace kiln
