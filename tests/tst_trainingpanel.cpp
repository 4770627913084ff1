#include "devicepicker.h"
#include "kernel/luasession.h"
#include "plotview.h"
#include "settings.h"
#include "kernel/modelvetting.h"
#include "luaapi/torchruntime.h"
#include "trainingpanel.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QMimeData>
#include <QLabel>
#include <QPushButton>
#include <QFileInfo>
#include <QTableView>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace kiln;

// The training panel: a CSV dropped on it (QDropEvent with a file URL), a run
// on the worker thread with the `kiln train` engine, the kept run with its
// TorchScript checkpoint, the runs' CSV, and Stop.
class TestTrainingPanel : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir mDir;
    std::unique_ptr<QTemporaryDir> mStore;
    QString mCsv;

private Q_SLOTS:
    // Each test starts with no runs kept from an earlier one.
    void init()
    {
        mStore = std::make_unique<QTemporaryDir>();
        TrainingPanel::setRunStore(mStore->path());
    }

    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        ModelVetting::setInspector(QStringLiteral(KILN_BINARY));
        QVERIFY(mDir.isValid());
        // A known rule on two features at very different scales, and a text target.
        mCsv = mDir.filePath(QStringLiteral("rule.csv"));
        QFile file(mCsv);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("income,age,noise,unit,label\n");
        QRandomGenerator random(7);
        for (int i = 0; i < 600; ++i) {
            const double income = random.bounded(100000.0);
            const double age = random.bounded(80.0);
            const double noise = random.bounded(1.0);
            const bool yes = income / 100000.0 + age / 80.0 > 1.0;
            file.write(QStringLiteral("%1,%2,%3,1,%4\n").arg(income).arg(age).arg(noise).arg(yes ? "yes" : "no").toUtf8());
        }
    }

    void dropTrainKeepExport()
    {
        TrainingPanel panel;
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(mCsv)});
        QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&panel, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(5, 5), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&panel, &drop);
        QCOMPARE(panel.dataset(), mCsv);
        // The report, read on a worker: the columns (the last is the target), rows,
        // the class balance and the problems found.
        QTRY_VERIFY(!panel.analyzing());
        QCOMPARE(panel.findChild<QComboBox *>(QStringLiteral("target"))->currentText(), QStringLiteral("label"));
        QCOMPARE(panel.report().rows, qint64(600));
        QCOMPARE(panel.report().task, QStringLiteral("classification"));
        QCOMPARE(panel.report().classes.size(), 2);
        QVERIFY2(panel.reportText().contains(QStringLiteral("600 rows")), qPrintable(panel.reportText()));
        QVERIFY2(panel.reportText().contains(QStringLiteral("Column 'unit'")), qPrintable(panel.reportText()));
        panel.findChild<QSpinBox *>(QStringLiteral("epochs"))->setValue(15);
        panel.findChild<DevicePicker *>(QStringLiteral("device"))->setCurrentDevice(QStringLiteral("cpu"));

        QSignalSpy finished(&panel, &TrainingPanel::finished);
        panel.start();
        QVERIFY(panel.isRunning());
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QCOMPARE(panel.runs().size(), 1);
        const TrainingPanel::Run &run = panel.runs().constFirst();
        // The options the engine was given name the chosen device, as the run's record does.
        QCOMPARE(run.options.device, QStringLiteral("cpu"));
        QCOMPARE(panel.findChild<QTableWidget *>(QStringLiteral("runs"))->item(0, 12)->text(), QStringLiteral("cpu"));
        QCOMPARE(run.result.epochs.size(), 15);
        QVERIFY2(run.result.best.value(QStringLiteral("val_accuracy")) >= 0.9,
                 qPrintable(QString::number(run.result.best.value(QStringLiteral("val_accuracy")))));
        QVERIFY(QFile::exists(run.model));
        QVERIFY(QFile::exists(Trainer::stateDictPath(run.model)));
        // "Copy as notebook code" reproduces the run in a notebook: its cells run.
        panel.findChild<QPushButton *>(QStringLiteral("copyCode"))->click();
        const QString code = QGuiApplication::clipboard()->text();
        QVERIFY(code.count(QStringLiteral("```lua")) == 3);
        LuaSession session(std::make_shared<std::atomic<bool>>(false), [](const OutputItem &) {});
        for (const QString &part : code.split(QStringLiteral("```lua\n")).mid(1)) {
            const EvalResult ran = session.evaluate(part.section(QStringLiteral("\n```"), 0, 0));
            QVERIFY2(ran.ok(), qPrintable(ran.error.message));
        }
        // The per-step loss streamed into its plot, and the confusion matrix of
        // the kept checkpoint covers the validation rows (20% of 600).
        QTRY_VERIFY(panel.findChild<PlotView *>(QStringLiteral("stepPlot"))->pointCount(0) > 0);
        qint64 counted = 0;
        for (const QList<qint64> &row : run.result.confusion)
            for (qint64 count : row)
                counted += count;
        QCOMPARE(counted, qint64(120));
        QWidget *confusion = panel.findChild<QWidget *>(QStringLiteral("confusion"));
        QVERIFY(confusion);
        // Class names on both sides, starting with the first class; no duplicate column.
        auto *matrix = confusion->findChild<QTableView *>();
        QVERIFY(matrix);
        QCOMPARE(matrix->model()->columnCount(), 2);
        QCOMPARE(matrix->model()->headerData(0, Qt::Vertical).toString(), matrix->model()->headerData(0, Qt::Horizontal).toString());
        QVERIFY(QStringList({QStringLiteral("no"), QStringLiteral("yes")}).contains(matrix->model()->headerData(0, Qt::Vertical).toString()));
        if (qEnvironmentVariableIsSet("KILN_SCREENSHOT_DIR")) {
            panel.resize(560, 900);
            for (QTabWidget *tabs : panel.findChildren<QTabWidget *>())
                tabs->setCurrentIndex(tabs->count() - 1);
            panel.show();
            QVERIFY(QTest::qWaitForWindowExposed(&panel));
            QTest::qWait(100);
            panel.grab().save(qEnvironmentVariable("KILN_SCREENSHOT_DIR") + QStringLiteral("/training-confusion.png"));
        }

        // The run is kept across restarts: a new panel (a new start of Kiln) lists
        // it with its records, per-step loss and checkpoint.
        {
            TrainingPanel restarted;
            QCOMPARE(restarted.runs().size(), 1);
            const TrainingPanel::Run &kept = restarted.runs().constFirst();
            QCOMPARE(kept.name, run.name);
            QCOMPARE(kept.result.epochs.size(), run.result.epochs.size());
            QCOMPARE(kept.result.confusion, run.result.confusion);
            QCOMPARE(kept.result.classNames, run.result.classNames);
            QCOMPARE(kept.stepLosses.size(), run.stepLosses.size());
            QCOMPARE(kept.options.lr, run.options.lr);
            QVERIFY(!kept.model.isEmpty() && QFileInfo::exists(kept.model));
            QCOMPARE(restarted.findChild<QTableWidget *>(QStringLiteral("runs"))->rowCount(), 1);
        }

        const QString exported = mDir.filePath(QStringLiteral("runs.csv"));
        QVERIFY(panel.exportRuns(exported));
        QFile csv(exported);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.constFirst(), QStringLiteral("run,model,data,optimizer,lr,batch_size,epochs,weight_decay,schedule,seed,"
                                                    "device,epoch,step,metric,value"));
        // Train and validation loss and accuracy per epoch, then the loss of every step.
        const qsizetype steps = panel.runs().constFirst().stepLosses.size();
        QVERIFY(steps > 0);
        QCOMPARE(lines.size(), 1 + 15 * 4 + steps);
        QVERIFY2(lines.at(1).startsWith(QStringLiteral("run 1,mlp,rule.csv,adam,0.001,64,15,0,none,1,cpu,1,")), qPrintable(lines.at(1)));
        QVERIFY2(lines.constLast().contains(QStringLiteral(",step_train_loss,")), qPrintable(lines.constLast()));

        QSignalSpy sent(&panel, &TrainingPanel::sendToInferenceRequested);
        const QList<QPushButton *> buttons = panel.findChildren<QPushButton *>();
        for (QPushButton *button : buttons) {
            if (button->text() == QLatin1String("Send to inference"))
                button->click();
        }
        QCOMPARE(sent.size(), 1);
        QCOMPARE(sent.at(0).at(0).toString(), run.model);
    }

    // Pause holds the run where it is, and the resumed run ends with the same
    // numbers as one that never paused; runs overlay on the plots and compare
    // in the table.
    // The target guessed is the last column of numbers or a few labels, not free
    // text after it; three rows are too few and Start says why.
    void targetGuessAndTooFewRows()
    {
        const QString notes = mDir.filePath(QStringLiteral("notes.csv"));
        QFile file(notes);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("x,price,comment\n");
        for (int i = 0; i < 40; ++i)
            file.write(QStringLiteral("%1,%2,note number %1\n").arg(i).arg(i * 2.5).toUtf8());
        file.close();
        TrainingPanel panel;
        panel.setDataset(notes);
        QTRY_VERIFY(!panel.analyzing());
        QCOMPARE(panel.findChild<QComboBox *>(QStringLiteral("target"))->currentText(), QStringLiteral("price"));
        auto *start = panel.findChild<QPushButton *>(QStringLiteral("start"));
        QVERIFY(start);
        QVERIFY(start->isEnabled());

        const QString tiny = mDir.filePath(QStringLiteral("tiny.csv"));
        QFile small(tiny);
        QVERIFY(small.open(QIODevice::WriteOnly));
        small.write("a,b\n1,2\n2,3\n3,5\n");
        small.close();
        panel.setDataset(tiny);
        QTRY_VERIFY(!panel.analyzing());
        QVERIFY(!start->isEnabled());
        QVERIFY2(start->toolTip().contains(QStringLiteral("10")), qPrintable(start->toolTip()));
        QVERIFY2(panel.findChild<QLabel *>(QStringLiteral("report"))->text().contains(QStringLiteral("too few")),
                 qPrintable(panel.findChild<QLabel *>(QStringLiteral("report"))->text()));
    }

    void pauseResumeOverlayCompare()
    {
        TrainingPanel panel;
        panel.setDataset(mCsv);
        QTRY_VERIFY(!panel.analyzing());
        panel.findChild<QSpinBox *>(QStringLiteral("epochs"))->setValue(6);
        panel.findChild<QSpinBox *>(QStringLiteral("batchSize"))->setValue(4);  // 720 steps: time to pause
        QSignalSpy finished(&panel, &TrainingPanel::finished);
        panel.start();
        QVERIFY(finished.wait(120000));

        panel.start();
        auto *pause = panel.findChild<QPushButton *>(QStringLiteral("pause"));
        QTRY_VERIFY(panel.progressText().contains(QStringLiteral("samples/s")));
        pause->click();
        QVERIFY(panel.isPaused());
        QCOMPARE(pause->text(), QStringLiteral("Resume"));
        QTest::qWait(200);
        const QString held = panel.progressText();
        QTest::qWait(500);
        QCOMPARE(panel.progressText(), held);
        QVERIFY(panel.isRunning());
        pause->click();
        QVERIFY(!panel.isPaused());
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.at(1).at(0).toBool(), true);
        QCOMPARE(panel.runs().size(), 2);
        const QList<EpochReport> &first = panel.runs().at(0).result.epochs;
        const QList<EpochReport> &second = panel.runs().at(1).result.epochs;
        QCOMPARE(second.size(), first.size());
        for (int i = 0; i < first.size(); ++i)
            QCOMPARE(second.at(i).metrics, first.at(i).metrics);

        // The run record, and the overlay of run 1 beside the selected run 2.
        const TrainResult &record = panel.runs().at(1).result;
        QVERIFY(record.seconds > 0);
        QVERIFY(record.versions.contains(QStringLiteral("libtorch")));
        QVERIFY(record.started.isValid());
        auto *lossPlot = panel.findChild<PlotView *>(QStringLiteral("lossPlot"));
        QCOMPARE(lossPlot->seriesCount(), 2);  // run 2's train and validation loss
        panel.setOverlaid(0, true);
        QCOMPARE(lossPlot->seriesCount(), 4);
        QVERIFY(lossPlot->seriesName(0).startsWith(QStringLiteral("run 1")));
        auto *table = panel.findChild<QTableWidget *>(QStringLiteral("runs"));
        QCOMPARE(table->rowCount(), 2);
        QCOMPARE(table->item(1, 0)->text(), QStringLiteral("run 2"));
        QCOMPARE(table->item(1, 9)->text(), QStringLiteral("1"));  // the seed
        QCOMPARE(table->item(1, 12)->text(), QStringLiteral("cpu"));  // the device

        if (qEnvironmentVariableIsSet("KILN_SCREENSHOT")) {
            // The README's picture: a third run with other settings, and the first
            // overlaid on it.
            panel.findChild<QSpinBox *>(QStringLiteral("batchSize"))->setValue(32);
            panel.findChild<QSpinBox *>(QStringLiteral("epochs"))->setValue(12);
            panel.start();
            QVERIFY(finished.wait(120000));
            panel.findChild<QTabWidget *>()->setCurrentIndex(2);
            panel.resize(1280, 820);
            panel.show();
            QTest::qWait(300);
            panel.grab().save(qEnvironmentVariable("KILN_SCREENSHOT"));
        }

        // One run exported on its own.
        const QString one = mDir.filePath(QStringLiteral("one.csv"));
        QVERIFY(panel.exportRuns(one, {1}));
        QFile csv(one);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 6 * 4 + panel.runs().at(1).stepLosses.size());
        QVERIFY2(lines.at(1).startsWith(QStringLiteral("run 2,")) && lines.at(1).section(QLatin1Char(','), 11, 11) == QLatin1String("1"),
                 qPrintable(lines.at(1)));  // the run, its settings, then epoch 1
    }

    // A folder of class subfolders dropped on the panel is an image dataset; a
    // TorchScript file dropped on it is the model to train further.
    void imageFolderAndModelFileDrops()
    {
        const QDir root(mDir.filePath(QStringLiteral("shades")));
        for (const QString &kind : {QStringLiteral("dark"), QStringLiteral("light")}) {
            QVERIFY(root.mkpath(kind));
            for (int i = 0; i < 30; ++i) {
                QImage image(12, 12, QImage::Format_Grayscale8);
                image.fill(kind == QLatin1String("dark") ? 20 + i : 200 + i);
                QVERIFY(image.save(root.filePath(QStringLiteral("%1/%2.png").arg(kind).arg(i))));
            }
        }
        TrainingPanel panel;
        const auto drop = [&panel](const QString &path) {
            QMimeData mime;
            mime.setUrls({QUrl::fromLocalFile(path)});
            QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(&panel, &enter);
            QDropEvent event(QPointF(5, 5), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(&panel, &event);
        };
        drop(root.path());
        QCOMPARE(panel.dataset(), root.path());
        QTRY_VERIFY(!panel.analyzing());
        QCOMPARE(panel.report().kind, QStringLiteral("images"));
        QCOMPARE(panel.report().rows, qint64(60));
        QCOMPARE(panel.options().model, QStringLiteral("cnn"));
        panel.findChild<QSpinBox *>(QStringLiteral("epochs"))->setValue(3);
        QSignalSpy finished(&panel, &TrainingPanel::finished);
        panel.start();
        QVERIFY(finished.wait(60000));
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(panel.statusText()));
        const QString model = panel.runs().constFirst().model;
        QCOMPARE(panel.runs().constFirst().result.classNames, QStringList({QStringLiteral("dark"), QStringLiteral("light")}));

        // An architecture dragged from the model browser.
        QMimeData architecture;
        architecture.setData(QStringLiteral("application/x-kiln-architecture"), "lenet");
        QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction, &architecture, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&panel, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent dropped(QPointF(5, 5), Qt::CopyAction, &architecture, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&panel, &dropped);
        QCOMPARE(panel.options().model, QStringLiteral("lenet"));

        drop(model);
        QCOMPARE(panel.dataset(), root.path());  // the data stays
        // Read by `kiln inspect` in a child process first, then taken.
        QTRY_COMPARE_WITH_TIMEOUT(panel.options().model, model, 30000);
        panel.start();
        QVERIFY(finished.wait(60000));
        QVERIFY2(finished.at(1).at(0).toBool(), qPrintable(panel.statusText()));
        QCOMPARE(panel.runs().at(1).result.model, model);
        QVERIFY(panel.runs().at(1).result.best.value(QStringLiteral("val_accuracy")) >= 0.9);
    }

    // The device picker: the CPU first, then each GPU; without CUDA the CPU alone,
    // with the reason as its tooltip. The panel's choice is kept in its own setting;
    // a remembered GPU that is not here shows as the CPU and stays remembered.
    void devicePicker()
    {
        prefs::trainingDevice.reset();
        prefs::inferenceDevice.reset();
        {
            TrainingPanel panel;
            auto *picker = panel.findChild<DevicePicker *>(QStringLiteral("device"));
            QVERIFY(picker);
            QCOMPARE(picker->itemText(0), QStringLiteral("CPU"));
            QCOMPARE(picker->itemData(0).toString(), QStringLiteral("cpu"));
            QCOMPARE(picker->count(), 1 + torchruntime::gpuCount());
            for (int i = 1; i < picker->count(); ++i) {
                QCOMPARE(picker->itemData(i).toString(), QStringLiteral("cuda:%1").arg(i - 1));
                QVERIFY2(picker->itemText(i).startsWith(QStringLiteral("GPU %1: ").arg(i - 1)), qPrintable(picker->itemText(i)));
            }
            if (!torchruntime::cudaAvailable()) {
                QCOMPARE(picker->count(), 1);
                QVERIFY(!torchruntime::cudaUnavailableReason().isEmpty());
                QVERIFY2(picker->toolTip().contains(torchruntime::cudaUnavailableReason()), qPrintable(picker->toolTip()));
            }
            QCOMPARE(panel.options().device, QStringLiteral("cpu"));

            // The last device listed (the CPU here without a GPU), chosen and kept.
            const QString last = picker->itemData(picker->count() - 1).toString();
            prefs::trainingDevice.set(QStringLiteral("cuda:99"));
            picker->setCurrentDevice(last);
            QCOMPARE(prefs::trainingDevice.get(), last);
            QCOMPARE(prefs::inferenceDevice.get(), QStringLiteral("cpu"));  // each panel has its own
        }
        {
            TrainingPanel panel;
            QCOMPARE(panel.findChild<DevicePicker *>(QStringLiteral("device"))->currentDevice(), prefs::trainingDevice.get());
            QCOMPARE(panel.options().device, prefs::trainingDevice.get());
        }

        // A GPU this machine does not have: the CPU, and the setting keeps the GPU.
        const QString missing = QStringLiteral("cuda:%1").arg(torchruntime::gpuCount());
        prefs::trainingDevice.set(missing);
        {
            TrainingPanel panel;
            auto *picker = panel.findChild<DevicePicker *>(QStringLiteral("device"));
            QCOMPARE(picker->currentDevice(), QStringLiteral("cpu"));
            QCOMPARE(panel.options().device, QStringLiteral("cpu"));
            QCOMPARE(prefs::trainingDevice.get(), missing);
            picker->setCurrentDevice(missing);
            QCOMPARE(picker->currentDevice(), QStringLiteral("cpu"));
        }
        prefs::trainingDevice.reset();
    }

    void stopKeepsWhatWasTrained()
    {
        TrainingPanel panel;
        panel.setDataset(mCsv);
        panel.findChild<QSpinBox *>(QStringLiteral("epochs"))->setValue(1000);
        QSignalSpy finished(&panel, &TrainingPanel::finished);
        panel.start();
        QTest::qWait(1500);
        panel.stop();
        QVERIFY(finished.wait(60000));
        QVERIFY(!panel.isRunning());
        // Stop keeps the best epoch so far, saved like a finished run's.
        QCOMPARE(panel.runs().size(), 1);
        const TrainingPanel::Run &run = panel.runs().constFirst();
        QVERIFY(run.result.stopped);
        QVERIFY(run.result.epochs.size() < 1000);
        QVERIFY(QFile::exists(run.model));
        QVERIFY2(panel.statusText().startsWith(QStringLiteral("Stopped")), qPrintable(panel.statusText()));
    }
};

QTEST_MAIN(TestTrainingPanel)
#include "tst_trainingpanel.moc"
