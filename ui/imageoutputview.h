#pragma once

#include <QImage>
#include <QJsonObject>
#include <QWidget>

class QLabel;

namespace kiln {

// An image output: the decoded PNG under its title. Tiny images (a 28×28 digit)
// grow by whole pixels to at least kMinHeight so they stay crisp; none grows
// wider than the cell, shrinking smoothly instead.
class ImageOutputView : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kMinHeight = 112;

    explicit ImageOutputView(const QJsonObject &image, QWidget *parent = nullptr);

    QImage image() const { return mImage; }
    // Writes the image as decoded (native size) as PNG.
    bool save(const QString &path) const;
    // The size drawn at when the cell is wide enough.
    QSize naturalSize() const;

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    QSize drawnSize(int width) const;
    int captionHeight() const;

    QImage mImage;
    QString mTitle;
};

} // namespace kiln
