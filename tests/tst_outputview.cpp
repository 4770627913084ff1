#include "erroroutputview.h"
#include "imageoutputview.h"
#include "outputview.h"
#include "plotview.h"
#include "tableoutputview.h"
#include "textoutputview.h"

#include <QApplication>
#include <QBuffer>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QPainter>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QCheckBox>
#include <QColor>
#include <QLocale>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QToolButton>

using namespace kiln;

namespace {

OutputItem tableItem()
{
    QJsonObject table;
    table.insert("title", "training");
    table.insert("columns", QJsonArray{"epoch", "loss", "note"});
    table.insert("rows", QJsonArray{QJsonArray{10, 0.25, "ten"}, QJsonArray{9, 0.5, "nine"},
                                    QJsonArray{100, 0.125, "a, hundred"}, QJsonArray{2, 1.5, "two"}});
    table.insert("total_rows", 4);
    return OutputItem::make(OutputItem::Kind::Table, table);
}

OutputItem imageItem(int width = 28, int height = 28)
{
    QImage image(width, height, QImage::Format_Grayscale8);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x)
            image.scanLine(y)[x] = uchar((x * 255 / width) ^ (y * 255 / height));
    }
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    QJsonObject data;
    data.insert("png", QString::fromLatin1(png.toBase64()));
    data.insert("width", width);
    data.insert("height", height);
    data.insert("title", "a digit");
    return OutputItem::make(OutputItem::Kind::Image, data);
}

OutputItem plotItem(const QString &id, double from, int count)
{
    QJsonArray x, y;
    for (int i = 0; i < count; ++i) {
        x.append(from + i);
        y.append(1.0 / (1.0 + from + i));
    }
    QJsonObject series{{"name", "loss"}, {"x", x}, {"y", y}};
    QJsonObject data{{"plot", id}, {"chart", "line"}, {"title", "loss"}, {"series", QJsonArray{series}}};
    return OutputItem::make(OutputItem::Kind::Plot, data);
}

OutputItem errorItem()
{
    return OutputItem::makeError("attempt to index a nil value (global 'model')", 3,
                                 "stack traceback:\n  [cell]:3: in main chunk\n  [C]: in ?");
}

// Something was drawn: more than one colour in the widget's grab.
bool isBlank(QWidget *widget)
{
    const QImage image = widget->grab().toImage();
    if (image.isNull() || image.width() == 0 || image.height() == 0)
        return true;
    const QRgb first = image.pixel(0, 0);
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            if (image.pixel(x, y) != first)
                return false;
        }
    }
    return true;
}

} // namespace

class TestOutputView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void rendersEachKind_data()
    {
        QTest::addColumn<OutputItem>("item");
        QTest::addColumn<QString>("viewClass");
        QTest::newRow("text") << OutputItem::makeText("hello\nworld\n") << "kiln::TextOutputView";
        QTest::newRow("value") << OutputItem::makeValue("tensor([[1., 2.],\n        [3., 4.]])")
                               << "kiln::TextOutputView";
        QTest::newRow("table") << tableItem() << "kiln::TableOutputView";
        QTest::newRow("image") << imageItem() << "kiln::ImageOutputView";
        QTest::newRow("plot") << plotItem("plot-1", 0, 20) << "kiln::PlotView";
        QTest::newRow("error") << errorItem() << "kiln::ErrorOutputView";
        // Odd payloads still show something.
        QTest::newRow("bare error") << OutputItem::makeError("boom", 0, QString()) << "kiln::ErrorOutputView";
        QTest::newRow("empty table") << OutputItem::make(OutputItem::Kind::Table, QJsonObject{{"columns", QJsonArray{"a"}}})
                                     << "kiln::TableOutputView";
        QTest::newRow("ragged table")
            << OutputItem::make(OutputItem::Kind::Table,
                                QJsonObject{{"columns", QJsonArray{"a"}},
                                            {"rows", QJsonArray{QJsonArray{1}, QJsonArray{2, "extra", true}}}})
            << "kiln::TableOutputView";
        QTest::newRow("undecodable image")
            << OutputItem::make(OutputItem::Kind::Image, QJsonObject{{"png", "bm90IGEgcG5n"}, {"title", "broken"}})
            << "kiln::ImageOutputView";
    }

    void rendersEachKind()
    {
        QFETCH(OutputItem, item);
        QFETCH(QString, viewClass);
        OutputView view;
        view.resize(600, 400);
        view.setOutputs({item});
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCOMPARE(view.count(), 1);
        QWidget *child = view.itemView(0);
        QVERIFY(child);
        QCOMPARE(QString::fromLatin1(child->metaObject()->className()), viewClass);
        QVERIFY(child->isVisible());
        QVERIFY(child->height() > 10);
        QVERIFY(!isBlank(child));
        QVERIFY(!view.isEmpty());
        // Short text shows whole, scrolled nowhere.
        if (auto *text = qobject_cast<TextOutputView *>(child))
            QCOMPARE(text->editor()->verticalScrollBar()->maximum(), 0);
        view.clear();
        QVERIFY(view.isEmpty());
        QCOMPARE(view.findChildren<QWidget *>(viewClass.mid(6)).size(), 0);
    }

    void textAppendsContinueOneView()
    {
        OutputView view;
        view.appendOutputs({OutputItem::makeText("one\n")});
        view.appendOutputs({OutputItem::makeText("two\n"), OutputItem::makeText("thr")});
        view.appendOutputs({OutputItem::makeText("ee\n")});
        QCOMPARE(view.count(), 1);
        const auto texts = view.findChildren<TextOutputView *>();
        QCOMPARE(texts.size(), 1);
        QCOMPARE(texts.constFirst()->text(), QStringLiteral("one\ntwo\nthree\n"));
        // The trailing newline shows no empty last line.
        QCOMPARE(texts.constFirst()->lineCount(), 3);

        // A value ends the text; text after it starts a new view.
        view.appendOutputs({OutputItem::makeValue("42"), OutputItem::makeText("more\n")});
        QCOMPARE(view.count(), 3);
        QCOMPARE(qobject_cast<TextOutputView *>(view.itemView(1))->role(), TextOutputView::Role::Value);
    }

    void carriageReturnRewritesTheLine()
    {
        OutputView view;
        view.appendOutputs({OutputItem::makeText("epoch 1: 10%")});
        view.appendOutputs({OutputItem::makeText("\repoch 1: 50%")});
        view.appendOutputs({OutputItem::makeText("\repoch 1: 100%\r\nepoch 2\n")});
        auto *output = view.findChild<TextOutputView *>();
        QCOMPARE(output->text(), QStringLiteral("epoch 1: 100%\nepoch 2\n"));
        QCOMPARE(output->lineCount(), 2);
    }

    void setOutputsUpdatesInPlace()
    {
        OutputView view;
        view.setOutputs({OutputItem::makeText("a\n"), plotItem("live", 0, 3)});
        QWidget *text = view.itemView(0);
        QWidget *plot = view.itemView(1);
        // The cell's whole list again, grown: the same views carry on.
        view.setOutputs({OutputItem::makeText("a\nb\n"), plotItem("live", 0, 6)});
        QCOMPARE(view.itemView(0), text);
        QCOMPARE(view.itemView(1), plot);
        QCOMPARE(qobject_cast<TextOutputView *>(text)->text(), QStringLiteral("a\nb\n"));
        // Different text replaces the view.
        view.setOutputs({OutputItem::makeText("other\n")});
        QCOMPARE(view.count(), 1);
        QCOMPARE(qobject_cast<TextOutputView *>(view.itemView(0))->text(), QStringLiteral("other\n"));
        QCOMPARE(view.findChildren<PlotView *>().size(), 0);
    }

    void plotPiecesExtendOnePlot()
    {
        OutputView view;
        view.appendOutputs({plotItem("live-1", 0, 5)});
        view.appendOutputs({OutputItem::makeText("epoch 1\n")});
        view.appendOutputs({plotItem("live-1", 5, 5)});
        view.appendOutputs({plotItem("live-1", 10, 5)});
        QCOMPARE(view.findChildren<PlotView *>().size(), 1);
        QCOMPARE(view.count(), 2);
        view.appendOutputs({plotItem("plot-2", 0, 5)});
        QCOMPARE(view.findChildren<PlotView *>().size(), 2);
    }

    void tableSortsNumerically()
    {
        OutputView view;
        view.resize(600, 400);
        view.setOutputs({tableItem()});
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        auto *table = view.findChild<QTableView *>();
        QVERIFY(table);
        QCOMPARE(table->model()->rowCount(), 4);
        auto column = [table](int c) {
            QStringList values;
            for (int row = 0; row < table->model()->rowCount(); ++row)
                values.append(table->model()->index(row, c).data().toString());
            return values;
        };
        // Shown in the order given until a header is clicked.
        QCOMPARE(column(0), QStringList({"10", "9", "100", "2"}));

        QHeaderView *header = table->horizontalHeader();
        const QPoint epoch(header->sectionViewportPosition(0) + header->sectionSize(0) / 2, header->height() / 2);
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, epoch);
        const QStringList ascending = column(0);
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, epoch);
        const QStringList descending = column(0);
        // Either click may be the ascending one, depending on the style.
        const QStringList up({"2", "9", "10", "100"});
        const QStringList down({"100", "10", "9", "2"});
        QVERIFY2((ascending == up && descending == down) || (ascending == down && descending == up),
                 qPrintable(ascending.join(",") + " / " + descending.join(",")));
        // Rows move whole.
        table->sortByColumn(0, Qt::AscendingOrder);
        QCOMPARE(column(1), QStringList({"1.5", "0.5", "0.25", "0.125"}));
        QCOMPARE(column(2), QStringList({"two", "nine", "ten", "a, hundred"}));

        table->sortByColumn(2, Qt::AscendingOrder);
        QCOMPARE(column(2), QStringList({"a, hundred", "nine", "ten", "two"}));

        // Copy: the selection as tab-separated lines.
        table->sortByColumn(0, Qt::AscendingOrder);
        table->selectionModel()->select(QItemSelection(table->model()->index(0, 0), table->model()->index(1, 1)),
                                        QItemSelectionModel::Select);
        auto *tableView = view.findChild<TableOutputView *>();
        QCOMPARE(tableView->selectionTsv(), QStringLiteral("2\t1.5\n9\t0.5\n"));

        // The caption: title and row count.
        bool sawCaption = false;
        for (QLabel *label : view.findChildren<QLabel *>())
            sawCaption = sawCaption || (label->text().contains("training") && label->text().contains("4 rows"));
        QVERIFY(sawCaption);
        // No more than 15 rows high, and taller than the 4 rows it has.
        QVERIFY(table->height() >= 4 * table->verticalHeader()->defaultSectionSize());
        QVERIFY(table->height() <= 18 * table->verticalHeader()->defaultSectionSize());
    }

    // A confusion matrix (show.confusion): class names on both sides, cells shaded
    // by their share of the row, a switch to show the shares, no sorting.
    void confusionHeatmap()
    {
        const QJsonArray labels{QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("fox")};
        OutputItem item = OutputItem::make(OutputItem::Kind::Table, QJsonObject{
            {QStringLiteral("title"), QStringLiteral("Confusion matrix")}, {QStringLiteral("columns"), labels},
            {QStringLiteral("row_labels"), labels}, {QStringLiteral("heatmap"), true},
            {QStringLiteral("rows"), QJsonArray{QJsonArray{8, 1, 1}, QJsonArray{0, 10, 0}, QJsonArray{5, 0, 5}}},
            {QStringLiteral("total_rows"), 3}});
        OutputView view;
        view.resize(600, 400);
        view.setOutputs({item});
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        auto *table = view.findChild<QTableView *>();
        QVERIFY(table);
        QAbstractItemModel *model = table->model();
        QCOMPARE(model->headerData(0, Qt::Vertical).toString(), QStringLiteral("cat"));
        QCOMPARE(model->headerData(2, Qt::Vertical).toString(), QStringLiteral("fox"));
        QCOMPARE(model->headerData(1, Qt::Horizontal).toString(), QStringLiteral("dog"));
        QVERIFY(!table->isSortingEnabled());
        const auto shade = [model](int row, int column) {
            return model->index(row, column).data(Qt::BackgroundRole).value<QColor>().alphaF();
        };
        QVERIFY(shade(1, 1) > shade(0, 0));  // 10 of 10 against 8 of 10
        QVERIFY(shade(0, 0) > shade(0, 1));
        QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("8"));
        auto *shares = view.findChild<QCheckBox *>(QStringLiteral("rowShares"));
        QVERIFY(shares);
        shares->setChecked(true);
        QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("80.0%"));
        QCOMPARE(model->index(2, 2).data().toString(), QStringLiteral("50.0%"));
    }

    void tableExportsCsv()
    {
        OutputView view;
        view.setOutputs({OutputItem::makeText("before\n"), tableItem()});
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath("table.csv");
        QVERIFY(!view.exportTableCsv(0, path)); // text, not a table
        QVERIFY(!view.exportTableCsv(5, path));
        QVERIFY(view.exportTableCsv(1, path));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(file.readAll()).split('\n');
        QCOMPARE(lines.value(0), QStringLiteral("epoch,loss,note"));
        QCOMPARE(lines.value(1), QStringLiteral("10,0.25,ten"));
        QCOMPARE(lines.value(3), QStringLiteral("100,0.125,\"a, hundred\""));
        QVERIFY(!view.exportTableCsv(1, dir.filePath("missing/dir/table.csv")));
    }

    void imageGrowsCrisplyWithinTheCell()
    {
        OutputView view;
        view.resize(500, 300);
        view.setOutputs({imageItem(28, 28)});
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        auto *image = view.findChild<ImageOutputView *>();
        QVERIFY(image);
        QCOMPARE(image->image().size(), QSize(28, 28));
        QCOMPARE(image->naturalSize(), QSize(112, 112));
        QVERIFY(image->height() >= 112);
        QTemporaryDir dir;
        QVERIFY(image->save(dir.filePath("digit.png")));
        QCOMPARE(QImage(dir.filePath("digit.png")).size(), QSize(28, 28));

        // A wide image never grows past the cell.
        view.setOutputs({imageItem(1200, 60)});
        QTest::qWait(20);
        image = view.findChild<ImageOutputView *>();
        QVERIFY(image->width() <= view.width());
        QVERIFY(image->heightForWidth(500) < image->heightForWidth(1200));
    }

    void errorLineIsALink()
    {
        OutputView view;
        view.resize(600, 200);
        view.setOutputs({errorItem()});
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy spy(&view, &OutputView::errorLineActivated);
        auto *line = view.findChild<QLabel *>("errorLine");
        QVERIFY(line);
        QVERIFY(line->text().contains("line 3"));
        QTest::mouseClick(line, Qt::LeftButton, {}, line->rect().center());
        QCOMPARE(spy.size(), 1);
        QCOMPARE(spy.constFirst().constFirst().toInt(), 3);

        auto *error = view.findChild<ErrorOutputView *>();
        QVERIFY(!error->isTracebackShown());
        auto *toggle = view.findChild<QToolButton *>("tracebackButton");
        QVERIFY(toggle);
        toggle->click();
        QVERIFY(error->isTracebackShown());
        QVERIFY(view.findChild<QLabel *>("traceback")->text().contains("in main chunk"));
        QCOMPARE(view.findChild<QLabel *>("errorMessage")->text(), errorItem().text);
    }

    void longTextFolds()
    {
        OutputView view;
        view.resize(600, 400);
        QString text;
        for (int i = 1; i <= 100; ++i)
            text += QStringLiteral("line %1\n").arg(i);
        view.setOutputs({OutputItem::makeText(text)});
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        auto *output = view.findChild<TextOutputView *>();
        auto *fold = output->findChild<QToolButton *>("foldButton");
        QVERIFY(fold->isVisible());
        QCOMPARE(fold->text(), QStringLiteral("Show all (100 lines)"));
        QVERIFY(output->isFolded());
        const int folded = output->editor()->height();
        // Folded shows exactly the last 30 lines.
        QCOMPARE(output->editor()->cursorForPosition(QPoint(5, 5)).block().text(), QStringLiteral("line 71"));
        QCOMPARE(output->editor()->cursorForPosition(QPoint(5, folded - 8)).block().text(), QStringLiteral("line 100"));
        fold->click();
        QVERIFY(!output->isFolded());
        QCOMPARE(fold->text(), QStringLiteral("Show less"));
        QVERIFY(output->editor()->height() > 3 * folded);

        // Short text has no toggle.
        view.setOutputs({OutputItem::makeText("short\n")});
        QVERIFY(!view.findChild<TextOutputView *>()->findChild<QToolButton *>("foldButton")->isVisible());
    }

    void longLinesScrollSideways()
    {
        OutputView view;
        view.resize(240, 300);
        view.setOutputs({OutputItem::makeText("short\n" + QString(400, 'x') + "\nshort\n"), tableItem()});
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTest::qWait(20);
        auto *output = view.findChild<TextOutputView *>();
        QPlainTextEdit *editor = output->editor();
        QVERIFY(editor->horizontalScrollBar()->isVisible());
        // The scroll bar covers none of the three lines.
        QVERIFY(editor->viewport()->height() >= 3 * editor->fontMetrics().lineSpacing());
        QVERIFY(output->width() <= view.width());
        auto *table = view.findChild<QTableView *>();
        QVERIFY(table->width() <= view.width());
        QVERIFY(table->viewport()->height() >= 4 * table->verticalHeader()->defaultSectionSize());
    }

    void streamingFollowsTheEndUnlessScrolledUp()
    {
        OutputView view;
        view.resize(600, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QString text;
        for (int i = 1; i <= 50; ++i)
            text += QStringLiteral("line %1\n").arg(i);
        view.appendOutputs({OutputItem::makeText(text)});
        auto *output = view.findChild<TextOutputView *>();
        QScrollBar *bar = output->editor()->verticalScrollBar();
        QCOMPARE(bar->value(), bar->maximum());
        view.appendOutputs({OutputItem::makeText("line 51\n")});
        QCOMPARE(bar->value(), bar->maximum());
        QCOMPARE(output->editor()->cursorForPosition(QPoint(5, output->editor()->height() - 8)).block().text(),
                 QStringLiteral("line 51"));
        // The reader scrolls up to read; more output does not pull the view away.
        bar->setValue(3);
        view.appendOutputs({OutputItem::makeText("line 52\n")});
        QCOMPARE(bar->value(), 3);
        // Back at the end, it follows again.
        bar->setValue(bar->maximum());
        view.appendOutputs({OutputItem::makeText("line 53\n")});
        QCOMPARE(bar->value(), bar->maximum());
    }

    void setOutputsWithTheWholeListStaysCheap()
    {
        // A cell may hand over its whole, growing output on every change.
        OutputView view;
        OutputList outputs{OutputItem::makeText(QString())};
        QElapsedTimer timer;
        timer.start();
        for (int chunk = 0; chunk < 300; ++chunk) {
            for (int i = 0; i < 1000; ++i)
                outputs.first().text += QStringLiteral("line %1\n").arg(chunk * 1000 + i);
            view.setOutputs(outputs);
        }
        QVERIFY2(timer.elapsed() < 30000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(view.count(), 1);
        auto *output = view.findChild<TextOutputView *>();
        QCOMPARE(output->droppedLines() + output->lineCount(), 300000);
        QCOMPARE(output->editor()->document()->lastBlock().text(), QStringLiteral("line 299999"));
    }

    void tableCaptionSaysWhatIsShown()
    {
        QJsonObject table{{"columns", QJsonArray{"x"}}, {"rows", QJsonArray{QJsonArray{1}, QJsonArray{2}}},
                          {"total_rows", 50000}};
        OutputView view;
        view.setOutputs({OutputItem::make(OutputItem::Kind::Table, table)});
        QCOMPARE(view.findChild<QLabel *>("tableCaption")->text(), QStringLiteral("first 2 of 50000 rows"));
        table.insert("rows", QJsonArray{QJsonArray{1}});
        table.insert("total_rows", 1);
        table.insert("title", "one");
        view.setOutputs({OutputItem::make(OutputItem::Kind::Table, table)});
        QCOMPARE(view.findChild<QLabel *>("tableCaption")->text(), QStringLiteral("one — 1 row"));
    }

    void floodStaysBounded()
    {
        OutputView view;
        view.resize(700, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QElapsedTimer timer;
        timer.start();
        int next = 0;
        for (int chunk = 0; chunk < 1000; ++chunk) {
            QString text;
            text.reserve(20 * 1000);
            for (int i = 0; i < 1000; ++i)
                text += QStringLiteral("line %1 of the flood\n").arg(next++);
            view.appendOutputs({OutputItem::makeText(text)});
            if (chunk % 50 == 0)
                QCoreApplication::processEvents();
        }
        QCoreApplication::processEvents();
        const qint64 elapsed = timer.elapsed();
        qInfo("1,000,000 lines in %lld ms", elapsed);
        QVERIFY2(elapsed < 60000, qPrintable(QString::number(elapsed)));
        QCOMPARE(view.count(), 1);
        auto *output = view.findChild<TextOutputView *>();
        QTextDocument *document = output->editor()->document();
        QVERIFY(document->characterCount() <= TextOutputView::kMaxChars);
        QVERIFY(output->droppedLines() > 900000);
        QCOMPARE(output->droppedLines() + output->lineCount(), 1000000);
        QCOMPARE(document->lastBlock().text(), QStringLiteral("line 999999 of the flood"));
        auto *dropped = output->findChild<QLabel *>("droppedLines");
        QVERIFY(dropped->isVisible());
        QVERIFY(dropped->text().contains(QString::number(output->droppedLines())));
        QVERIFY(output->height() < 1000);
        // The fold counts every line printed, not only the ones kept.
        const QString fold = output->findChild<QToolButton *>("foldButton")->text();
        QVERIFY2(fold.contains(QLocale().toString(1000000)) && fold.contains(QLocale().toString(output->lineCount())), qPrintable(fold));
    }

    void screenshot()
    {
        const QString shot = qEnvironmentVariable("KILN_SCREENSHOT");
        if (shot.isEmpty())
            QSKIP("set KILN_SCREENSHOT to a .png path to save one");
        QScrollArea area;
        area.setWidgetResizable(true);
        area.resize(760, 1500);
        auto *view = new OutputView;
        QString text;
        for (int i = 1; i <= 40; ++i)
            text += QStringLiteral("epoch %1  loss %2\n").arg(i).arg(1.0 / i, 0, 'f', 4);
        view->setOutputs({OutputItem::makeText(text), tableItem(), imageItem(), plotItem("live", 0, 30),
                          OutputItem::makeValue("tensor([[1., 2.],\n        [3., 4.]])"), errorItem()});
        area.setWidget(view);
        area.show();
        QVERIFY(QTest::qWaitForWindowExposed(&area));
        view->findChild<ErrorOutputView *>()->setTracebackShown(true);
        QTest::qWait(100);
        QVERIFY(view->grab().save(shot));

        // The same in a dark theme, next to it.
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::AlternateBase, QColor(0x33, 0x33, 0x33));
        dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3a));
        dark.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xd6));
        area.setPalette(dark);
        QTest::qWait(50);
        QString darkShot = shot;
        if (darkShot.endsWith(".png"))
            darkShot.chop(4);
        darkShot += "-dark.png";
        QVERIFY(view->grab().save(darkShot));
    }
};

QTEST_MAIN(TestOutputView)
#include "tst_outputview.moc"
