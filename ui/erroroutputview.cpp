#include "erroroutputview.h"

#include "document/outputitem.h"

#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace kiln {

namespace {

const QString kLinePrefix = QStringLiteral("kiln-line:");

QColor blend(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

} // namespace

ErrorOutputView::ErrorOutputView(const OutputItem &error, QWidget *parent)
    : QFrame(parent)
    , mLine(error.data.value(QStringLiteral("line")).toInt())
{
    setObjectName(QStringLiteral("errorOutput"));
    setFrameShape(QFrame::Box);
    setAutoFillBackground(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(4);

    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    auto *header = new QHBoxLayout;
    header->setSpacing(6);
    auto *kind = new QLabel(tr("Error"), this);
    QFont bold = kind->font();
    bold.setBold(true);
    kind->setFont(bold);
    header->addWidget(kind);
    if (mLine > 0) {
        mLineLabel = new QLabel(this);
        mLineLabel->setObjectName(QStringLiteral("errorLine"));
        mLineLabel->setTextFormat(Qt::RichText);
        mLineLabel->setText(QStringLiteral("<a href=\"%1%2\">%3</a>")
                                .arg(kLinePrefix)
                                .arg(mLine)
                                .arg(tr("line %1").arg(mLine).toHtmlEscaped()));
        mLineLabel->setToolTip(tr("Go to line %1 of the cell").arg(mLine));
        mLineLabel->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
        connect(mLineLabel, &QLabel::linkActivated, this, &ErrorOutputView::onLinkActivated);
        header->addWidget(mLineLabel);
    }
    header->addStretch(1);
    layout->addLayout(header);

    mMessage = new QLabel(this);
    mMessage->setObjectName(QStringLiteral("errorMessage"));
    mMessage->setTextFormat(Qt::PlainText);
    mMessage->setText(error.text);
    mMessage->setFont(fixed);
    mMessage->setWordWrap(true);
    mMessage->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(mMessage);

    const QString traceback = error.data.value(QStringLiteral("traceback")).toString().trimmed();
    if (!traceback.isEmpty()) {
        mTracebackButton = new QToolButton(this);
        mTracebackButton->setObjectName(QStringLiteral("tracebackButton"));
        mTracebackButton->setText(tr("Traceback"));
        mTracebackButton->setCheckable(true);
        mTracebackButton->setAutoRaise(true);
        mTracebackButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        mTracebackButton->setArrowType(Qt::RightArrow);
        connect(mTracebackButton, &QToolButton::toggled, this, &ErrorOutputView::setTracebackShown);
        layout->addWidget(mTracebackButton, 0, Qt::AlignLeft);

        mTraceback = new QLabel(this);
        mTraceback->setObjectName(QStringLiteral("traceback"));
        mTraceback->setTextFormat(Qt::PlainText);
        mTraceback->setText(traceback);
        mTraceback->setFont(fixed);
        mTraceback->setTextInteractionFlags(Qt::TextSelectableByMouse);
        mTraceback->hide();
        layout->addWidget(mTraceback);
    }
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    applyColors();
}

bool ErrorOutputView::isTracebackShown() const
{
    return mTraceback && !mTraceback->isHidden();
}

void ErrorOutputView::setTracebackShown(bool shown)
{
    if (!mTraceback)
        return;
    mTraceback->setVisible(shown);
    mTracebackButton->setChecked(shown);
    mTracebackButton->setArrowType(shown ? Qt::DownArrow : Qt::RightArrow);
}

void ErrorOutputView::onLinkActivated(const QString &link)
{
    if (!link.startsWith(kLinePrefix))
        return;
    bool ok = false;
    const int line = link.mid(kLinePrefix.size()).toInt(&ok);
    if (ok && line > 0)
        Q_EMIT lineActivated(line);
}

void ErrorOutputView::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyColors();
}

void ErrorOutputView::applyColors()
{
    // A tint of red over the surrounding colours works in light and dark themes.
    // They come from the parent: this frame's own Window and WindowText are set here.
    const QColor red(0xd0, 0x30, 0x30);
    const QPalette around = parentWidget() ? parentWidget()->palette() : QPalette();
    const QColor window = blend(around.color(QPalette::Window), red, 0.12);
    const QColor text = blend(around.color(QPalette::WindowText), red, 0.35);
    QPalette palette = this->palette();
    if (palette.color(QPalette::Window) == window && palette.color(QPalette::WindowText) == text)
        return;
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    setPalette(palette);
}

} // namespace kiln
