#include "imageoutputview.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QPaintEvent>

#include <cmath>

namespace kiln {

namespace {
constexpr int kCaptionGap = 2;
}

ImageOutputView::ImageOutputView(const QJsonObject &image, QWidget *parent)
    : QWidget(parent)
    , mTitle(image.value(QStringLiteral("title")).toString())
{
    setObjectName(QStringLiteral("imageOutput"));
    const QByteArray png = QByteArray::fromBase64(image.value(QStringLiteral("png")).toString().toLatin1());
    if (!mImage.loadFromData(png, "PNG"))
        mImage = QImage();
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    setToolTip(mImage.isNull() ? tr("The image could not be decoded.")
                               : tr("%1 × %2 pixels").arg(mImage.width()).arg(mImage.height()));
}

bool ImageOutputView::save(const QString &path) const
{
    return !mImage.isNull() && mImage.save(path, "PNG");
}

void ImageOutputView::contextMenuEvent(QContextMenuEvent *event)
{
    if (mImage.isNull())
        return;
    QMenu menu(this);
    menu.addAction(tr("&Copy Image"), this, [this] { QApplication::clipboard()->setImage(mImage); });
    menu.addAction(tr("&Save Image…"), this, [this] {
        const QString name = mTitle.trimmed().isEmpty() ? tr("image") : mTitle.trimmed().replace(QLatin1Char('/'), QLatin1Char('_'));
        const QString path = QFileDialog::getSaveFileName(this, tr("Save Image"), name + QStringLiteral(".png"),
                                                          tr("PNG images (*.png)"));
        if (!path.isEmpty() && !save(path))
            QMessageBox::warning(this, tr("Save Image"), tr("Could not write %1.").arg(path));
    });
    menu.exec(event->globalPos());
}

QSize ImageOutputView::naturalSize() const
{
    if (mImage.isNull())
        return QSize(0, 0);
    const int scale = mImage.height() < kMinHeight ? int(std::ceil(double(kMinHeight) / mImage.height())) : 1;
    return mImage.size() * scale;
}

QSize ImageOutputView::drawnSize(int width) const
{
    const QSize natural = naturalSize();
    if (natural.isEmpty() || natural.width() <= width)
        return natural;
    return natural.scaled(qMax(1, width), natural.height(), Qt::KeepAspectRatio);
}

int ImageOutputView::captionHeight() const
{
    return mTitle.isEmpty() ? 0 : fontMetrics().height() + kCaptionGap;
}

int ImageOutputView::heightForWidth(int width) const
{
    if (mImage.isNull())
        return fontMetrics().height() + captionHeight();
    return captionHeight() + drawnSize(width).height();
}

QSize ImageOutputView::sizeHint() const
{
    const QSize natural = naturalSize();
    const int captionWidth = mTitle.isEmpty() ? 0 : fontMetrics().horizontalAdvance(mTitle);
    return QSize(qMax(natural.width(), captionWidth), heightForWidth(natural.width()));
}

QSize ImageOutputView::minimumSizeHint() const
{
    return QSize(16, heightForWidth(16));
}

void ImageOutputView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    int top = 0;
    if (!mTitle.isEmpty()) {
        QFont font = painter.font();
        font.setBold(true);
        painter.setFont(font);
        const QString title = QFontMetrics(font).elidedText(mTitle, Qt::ElideRight, width());
        painter.drawText(QRect(0, 0, width(), fontMetrics().height()), Qt::AlignLeft | Qt::AlignVCenter, title);
        top = captionHeight();
    }
    if (mImage.isNull()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(QRect(0, top, width(), height() - top), Qt::AlignLeft | Qt::AlignTop,
                         tr("[image could not be decoded]"));
        return;
    }
    const QSize size = drawnSize(width());
    // Whole-pixel growth stays sharp; shrinking a large image wants smoothing.
    painter.setRenderHint(QPainter::SmoothPixmapTransform, size.width() < mImage.width());
    painter.drawImage(QRect(QPoint(0, top), size), mImage);
}

} // namespace kiln
