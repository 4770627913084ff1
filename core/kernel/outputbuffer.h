#pragma once

#include "document/outputitem.h"

#include <QMutex>

namespace kiln {

// Output on its way from the thread that runs a cell to the one that sends it on.
// Consecutive text merges into one item; with a limit set, the oldest text gives
// way (whole lines, with a note of how much) so memory stays bounded however fast
// a cell prints. Thread-safe.
class OutputBuffer
{
public:
    void setMaxText(qsizetype characters);
    void append(const OutputItem &item);
    OutputList take();

private:
    void dropOldestText(qsizetype excess);

    QMutex mMutex;
    OutputList mItems;
    qsizetype mTextSize = 0;
    qsizetype mMaxText = 0;
    qsizetype mDropped = 0;
};

} // namespace kiln
