#include "kernel/outputbuffer.h"

#include <QMutexLocker>

namespace kiln {

void OutputBuffer::setMaxText(qsizetype characters)
{
    QMutexLocker locker(&mMutex);
    mMaxText = characters;
}

void OutputBuffer::append(const OutputItem &item)
{
    QMutexLocker locker(&mMutex);
    appendOutput(mItems, item);
    if (item.kind != OutputItem::Kind::Text)
        return;
    mTextSize += item.text.size();
    if (mMaxText > 0 && mTextSize > mMaxText)
        dropOldestText(mTextSize - mMaxText / 2);
}

OutputList OutputBuffer::take()
{
    QMutexLocker locker(&mMutex);
    OutputList items;
    items.swap(mItems);
    if (mDropped > 0) {
        items.prepend(OutputItem::makeText(
            QStringLiteral("[... %1 characters of output dropped ...]\n").arg(mDropped)));
    }
    mTextSize = 0;
    mDropped = 0;
    return items;
}

void OutputBuffer::dropOldestText(qsizetype excess)
{
    for (int i = 0; i < mItems.size() && excess > 0; ++i) {
        OutputItem &item = mItems[i];
        if (item.kind != OutputItem::Kind::Text)
            continue;
        qsizetype cut = qMin(excess, item.text.size());
        const qsizetype lineEnd = item.text.indexOf(QLatin1Char('\n'), cut - 1);
        if (lineEnd >= 0)
            cut = lineEnd + 1;  // keep whole lines
        item.text.remove(0, cut);
        mTextSize -= cut;
        mDropped += cut;
        excess -= cut;
    }
    mItems.removeIf([](const OutputItem &item) {
        return item.kind == OutputItem::Kind::Text && item.text.isEmpty();
    });
}

} // namespace kiln
