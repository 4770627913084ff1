// A kernel that misbehaves on purpose, for tst_runtime: it connects the way
// kiln-kernel does, then does what KILN_FAKE_KERNEL says.
#include "kernel/kernelprotocol.h"

#include <QCborMap>
#include <QCoreApplication>
#include <QLocalSocket>

#include <csignal>
#include <cstring>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QString server;
    for (int i = 1; i + 1 < argc; ++i) {
        if (!std::strcmp(argv[i], "--connect"))
            server = QString::fromLocal8Bit(argv[i + 1]);
    }
    const QByteArray mode = qgetenv("KILN_FAKE_KERNEL");
    QLocalSocket socket;
    socket.connectToServer(server);
    if (!socket.waitForConnected(5000))
        return 1;
    auto send = [&](const QByteArray &bytes) {
        socket.write(bytes);
        socket.waitForBytesWritten(5000);
    };
    QCborMap hello;
    hello.insert(QStringLiteral("type"), kiln::kernel::type::hello);
    hello.insert(QStringLiteral("protocol"), mode == "old-protocol" ? 0 : kiln::kernel::kProtocolVersion);
    hello.insert(QStringLiteral("pid"), QCoreApplication::applicationPid());
    if (mode == "garbage-first") {
        send(QByteArray("\x00\x00\x00\x05" "\xff\xfe\xfd\xfc\xfb", 9));
    } else if (mode == "huge-frame") {
        send(QByteArray("\xff\xff\xff\xff", 4));
    } else if (mode == "no-hello") {
        QCborMap started;
        started.insert(QStringLiteral("type"), kiln::kernel::type::started);
        send(kiln::kernel::encodeFrame(started));
    } else {
        send(kiln::kernel::encodeFrame(hello));
    }
    // Then answer the first evaluation badly.
    kiln::kernel::FrameReader reader;
    while (socket.waitForReadyRead(30000)) {
        reader.append(socket.readAll());
        QCborMap message;
        while (reader.next(&message)) {
            if (kiln::kernel::messageType(message) != kiln::kernel::type::evaluate)
                continue;
            const qint64 id = message.value(QStringLiteral("id")).toInteger();
            if (mode == "garbage-output") {
                QCborMap output;
                output.insert(QStringLiteral("type"), kiln::kernel::type::output);
                output.insert(QStringLiteral("id"), id);
                output.insert(QStringLiteral("items"), QStringLiteral("not a list"));
                send(kiln::kernel::encodeFrame(output));
            } else if (mode == "bad-status") {
                QCborMap result;
                result.insert(QStringLiteral("status"), QStringLiteral("splendid"));
                QCborMap finished;
                finished.insert(QStringLiteral("type"), kiln::kernel::type::finished);
                finished.insert(QStringLiteral("id"), id);
                finished.insert(QStringLiteral("result"), result);
                send(kiln::kernel::encodeFrame(finished));
            } else if (mode == "garbage-later") {
                send(QByteArray("\x00\x00\x00\x03" "abc", 7));
            } else if (mode == "crash") {
                std::raise(SIGSEGV);
            } else if (mode == "exit") {
                return 7;
            }
        }
    }
    return 0;
}
