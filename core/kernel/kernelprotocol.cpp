#include "kernel/kernelprotocol.h"

#include <QCborArray>
#include <QCborParserError>
#include <QCborValue>
#include <QJsonObject>
#include <QtEndian>

namespace kiln::kernel {

namespace {

QCborArray stringList(const QStringList &list)
{
    QCborArray array;
    for (const QString &item : list)
        array.append(item);
    return array;
}

bool toStringList(const QCborValue &value, QStringList *list)
{
    if (value.isUndefined())
        return true;
    if (!value.isArray())
        return false;
    for (const QCborValue &item : value.toArray()) {
        if (!item.isString())
            return false;
        list->append(item.toString());
    }
    return true;
}

struct StatusName
{
    EvalResult::Status status;
    const char *name;
};
constexpr StatusName kStatusNames[] = {
    {EvalResult::Status::Ok, "ok"},
    {EvalResult::Status::Error, "error"},
    {EvalResult::Status::Interrupted, "interrupted"},
    {EvalResult::Status::Cancelled, "cancelled"},
};

} // namespace

QByteArray encodeFrame(const QCborMap &message)
{
    const QByteArray body = message.toCborValue().toCbor();
    QByteArray frame(4, Qt::Uninitialized);
    qToBigEndian<quint32>(quint32(body.size()), frame.data());
    frame.append(body);
    return frame;
}

bool FrameReader::next(QCborMap *message)
{
    if (failed() || mBuffer.size() < 4)
        return false;
    const quint32 length = qFromBigEndian<quint32>(mBuffer.constData());
    if (length > kMaxFrameBytes) {
        mError = QStringLiteral("a frame of %1 bytes (the limit is %2)").arg(length).arg(kMaxFrameBytes);
        return false;
    }
    if (mBuffer.size() < qsizetype(4 + length))
        return false;
    QCborParserError parseError;
    const QCborValue value = QCborValue::fromCbor(mBuffer.constData() + 4, qsizetype(length), &parseError);
    mBuffer.remove(0, 4 + length);
    if (parseError.error != QCborError::NoError) {
        mError = QStringLiteral("unreadable CBOR (%1)").arg(parseError.errorString());
        return false;
    }
    if (!value.isMap() || !value.toMap().value(QStringLiteral("type")).isString()) {
        mError = QStringLiteral("a message without a type");
        return false;
    }
    *message = value.toMap();
    return true;
}

QString messageType(const QCborMap &message)
{
    return message.value(QStringLiteral("type")).toString();
}

QCborMap encodeResult(const EvalResult &result)
{
    QCborMap map;
    for (const StatusName &entry : kStatusNames) {
        if (entry.status == result.status)
            map.insert(QStringLiteral("status"), QString::fromLatin1(entry.name));
    }
    if (!result.error.message.isEmpty() || result.error.line > 0) {
        map.insert(QStringLiteral("message"), result.error.message);
        map.insert(QStringLiteral("line"), result.error.line);
        map.insert(QStringLiteral("traceback"), result.error.traceback);
    }
    map.insert(QStringLiteral("durationMs"), result.durationMs);
    map.insert(QStringLiteral("evaluationNumber"), result.evaluationNumber);
    map.insert(QStringLiteral("reads"), stringList(result.reads));
    map.insert(QStringLiteral("writes"), stringList(result.writes));
    return map;
}

bool decodeResult(const QCborValue &value, EvalResult *result, QString *error)
{
    if (!value.isMap()) {
        *error = QStringLiteral("a result that is not a map");
        return false;
    }
    const QCborMap map = value.toMap();
    const QString status = map.value(QStringLiteral("status")).toString();
    bool known = false;
    for (const StatusName &entry : kStatusNames) {
        if (status == QLatin1String(entry.name)) {
            result->status = entry.status;
            known = true;
        }
    }
    if (!known) {
        *error = QStringLiteral("a result with status '%1'").arg(status);
        return false;
    }
    result->error.message = map.value(QStringLiteral("message")).toString();
    result->error.line = int(map.value(QStringLiteral("line")).toInteger());
    result->error.traceback = map.value(QStringLiteral("traceback")).toString();
    result->durationMs = map.value(QStringLiteral("durationMs")).toInteger();
    result->evaluationNumber = int(map.value(QStringLiteral("evaluationNumber")).toInteger());
    if (!toStringList(map.value(QStringLiteral("reads")), &result->reads)
        || !toStringList(map.value(QStringLiteral("writes")), &result->writes)) {
        *error = QStringLiteral("a result whose reads or writes are not lists of names");
        return false;
    }
    return true;
}

QCborArray encodeOutputs(const OutputList &items)
{
    QCborArray array;
    for (const OutputItem &item : items)
        array.append(QCborValue::fromJsonValue(item.toJson()));
    return array;
}

bool decodeOutputs(const QCborValue &value, OutputList *items, QString *error)
{
    if (!value.isArray()) {
        *error = QStringLiteral("output that is not a list");
        return false;
    }
    for (const QCborValue &entry : value.toArray()) {
        OutputItem item;
        if (!entry.isMap() || !OutputItem::fromJson(entry.toMap().toJsonObject(), &item)) {
            *error = QStringLiteral("an output item Kiln does not know");
            return false;
        }
        items->append(item);
    }
    return true;
}

} // namespace kiln::kernel
