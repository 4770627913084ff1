// kiln: parses the command line, then starts the window or a headless command.
#include "cli/cli.h"
#include "settings.h"
#include "luaapi/torchruntime.h"
#include "versioninfo.h"

#ifdef KILN_WITH_GUI
#include "mainwindow.h"
#include "translations.h"
#include <QApplication>
#endif
#include <QDir>
#include <QGuiApplication>

#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>
#include <QFile>

#include <cstdio>

namespace {

#ifdef KILN_WITH_GUI
constexpr bool hasWindow = true;
#else
constexpr bool hasWindow = false;
#endif

void print(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
}

bool hasDisplay()
{
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY")
        || qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
}


} // namespace

// Headless runs are GUI applications without windows: plots are drawn to PNG
// files, and fonts need a QGuiApplication. The offscreen platform needs no
// display; a private runtime folder keeps Qt from warning about a missing one.
void useOffscreenPlatform()
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
        const QByteArray runtime = QDir::tempPath().toLocal8Bit() + "/kiln-runtime-" + QByteArray::number(getuid());
        if (::mkdir(runtime.constData(), 0700) == 0 || errno == EEXIST)
            qputenv("XDG_RUNTIME_DIR", runtime);
    }
}

int main(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    const kiln::cli::Command command = kiln::cli::parse(arguments);
    if (command.kind != kiln::cli::Command::Kind::Error && command.kind != kiln::cli::Command::Kind::Help)
        kiln::torchruntime::initialize();
    QString threadsError;
    if (command.threads > 0)
        kiln::torchruntime::setThreads(command.threads, &threadsError);

    switch (command.kind) {
    case kiln::cli::Command::Kind::Error:
        print(stderr, QStringLiteral("kiln: %1\nTry 'kiln --help'.\n").arg(command.error));
        return kiln::cli::ExitUsage;
    case kiln::cli::Command::Kind::Help:
        print(stdout, kiln::cli::usage());
        return kiln::cli::ExitOk;
    case kiln::cli::Command::Kind::Version: {
        QCoreApplication app(argc, argv);
        print(stdout, kiln::versionReport());
        return kiln::cli::ExitOk;
    }
    case kiln::cli::Command::Kind::Run: {
        useOffscreenPlatform();
        QGuiApplication app(argc, argv);
        return kiln::cli::run(command.arguments);
    }
    case kiln::cli::Command::Kind::Inspect: {
        QCoreApplication app(argc, argv);
        return kiln::cli::inspect(command.arguments);
    }
    case kiln::cli::Command::Kind::Predict: {
        QCoreApplication app(argc, argv);
        return kiln::cli::predict(command.arguments);
    }
    case kiln::cli::Command::Kind::Train: {
        QCoreApplication app(argc, argv);
        return kiln::cli::train(command.arguments);
    }
    case kiln::cli::Command::Kind::Hub: {
        QCoreApplication app(argc, argv);
        return kiln::cli::hub(command.arguments);
    }
    case kiln::cli::Command::Kind::Gui:
        break;
    }

    if (!hasDisplay() || !hasWindow) {
        if (command.notebook.isEmpty()) {
            print(stderr, QStringLiteral("kiln: no display found; to run a notebook without one: kiln run NOTEBOOK\n"));
            return kiln::cli::ExitUsage;
        }
        if (hasWindow)
            print(stderr, QStringLiteral("kiln: no display found; running %1 headless\n").arg(command.notebook));
        useOffscreenPlatform();
        QGuiApplication app(argc, argv);
        return kiln::cli::run({command.notebook});
    }

#ifdef KILN_WITH_GUI
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Kiln"));
    QApplication::setOrganizationName(QStringLiteral("Kiln"));
    QApplication::setApplicationVersion(QStringLiteral(KILN_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.kiln.Kiln"));
    // The language chosen in View > Language, else the system's.
    kiln::installTranslations(kiln::prefs::language.get());

    kiln::MainWindow window;
    window.show();
    const int recovered = kiln::MainWindow::offerRecovery(&window);
    if (!command.notebook.isEmpty() && recovered == 0)
        window.openFile(command.notebook);
    else if (recovered == 0)
        window.showWelcome();
    return QApplication::exec();
#else
    print(stderr, QStringLiteral("kiln: this kiln is built without the window (KILN_GUI=OFF); "
                                 "to run a notebook: kiln run NOTEBOOK\n"));
    return kiln::cli::ExitUsage;
#endif
}
