#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>

namespace kiln {

// Where and why a cell failed. `line` is within the cell (1-based), 0 if unknown.
struct ErrorInfo
{
    QString message;
    int line = 0;
    QString traceback;
};

// The outcome of evaluating one cell.
struct EvalResult
{
    enum class Status { Ok, Error, Interrupted, Cancelled };

    Status status = Status::Ok;
    ErrorInfo error;          // set when status is Error or Interrupted
    qint64 durationMs = 0;
    int evaluationNumber = 0; // counts evaluations since the runtime (re)started
    // Globals the cell's code reads and assigns (found in its compiled code, so
    // loops cost nothing extra). Sorted, without duplicates.
    QStringList reads;
    QStringList writes;

    bool ok() const { return status == Status::Ok; }
};

QString statusName(EvalResult::Status status);

} // namespace kiln

Q_DECLARE_METATYPE(kiln::ErrorInfo)
Q_DECLARE_METATYPE(kiln::EvalResult)
