#pragma once

#include "document/evalresult.h"
#include "document/outputitem.h"

#include <QByteArray>
#include <QCborArray>
#include <QCborMap>
#include <QString>

namespace kiln::kernel {

// The window (or `kiln run`) and a notebook's kernel process talk over a local
// socket in frames: a 4-byte big-endian length, then one CBOR map whose "type"
// names the message. The kernel speaks first ("hello", with its protocol version
// and process id); every message about a cell carries the request's "id", so
// output that arrives late can never land on the wrong cell.
//
//   window -> kernel   configure {notebookDirectory, maxBufferedText}
//                      evaluate {id, cell, code}
//                      interrupt {}
//   kernel -> window   hello {protocol, pid, sandbox: {landlock_abi, seccomp, folders, ...}}
//                      started {id}
//                      output {id, items: [OutputItem as CBOR]}
//                      finished {id, result: EvalResult as CBOR}
//
// Version 1. A peer that sends a frame it cannot read is cut off: the window
// ends that kernel and reports "the runtime sent a malformed message".
constexpr int kProtocolVersion = 1;
// A frame longer than this is a broken or hostile peer, not a big output (image
// outputs are capped far below it).
constexpr qint64 kMaxFrameBytes = qint64(256) << 20;

namespace type {
inline const QString hello = QStringLiteral("hello");
inline const QString configure = QStringLiteral("configure");
inline const QString evaluate = QStringLiteral("evaluate");
inline const QString interrupt = QStringLiteral("interrupt");
inline const QString started = QStringLiteral("started");
inline const QString output = QStringLiteral("output");
inline const QString finished = QStringLiteral("finished");
} // namespace type

// One message as it goes on the wire.
QByteArray encodeFrame(const QCborMap &message);

// Cuts a byte stream into messages. Feed it what the socket read; take messages
// until next() returns false. Once it reports an error it stays broken.
class FrameReader
{
public:
    void append(const QByteArray &bytes) { mBuffer.append(bytes); }
    // True with a message in *message; false when more bytes are needed or the
    // stream is broken (then *error says why and stays set).
    bool next(QCborMap *message);
    bool failed() const { return !mError.isEmpty(); }
    QString error() const { return mError; }

private:
    QByteArray mBuffer;
    QString mError;
};

QString messageType(const QCborMap &message);

QCborMap encodeResult(const EvalResult &result);
// False (and *error set) when `value` is not a result this protocol sends.
bool decodeResult(const QCborValue &value, EvalResult *result, QString *error);

QCborArray encodeOutputs(const OutputList &items);
bool decodeOutputs(const QCborValue &value, OutputList *items, QString *error);

} // namespace kiln::kernel
