#include "trainingpanel.h"
#include "trainingpanel_p.h"

#include "kernel/modelvetting.h"

#include "devicepicker.h"
#include "modelbrowser.h"
#include "engines/pausegate.h"
#include "plotview.h"
#include "settings.h"
#include "tableoutputview.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHeaderView>
#include <QImage>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <cmath>

// The training panel's inputs: the dataset (analysed off the GUI thread, with
// its report), the models that fit it, the options a run takes, and what can
// be dropped on the panel.

namespace kiln {

void TrainingPanel::setDataset(const QString &data)
{
    mData = data;
    mReport = DatasetReport();
    mStartWhenRead = false;
    const bool csv = Trainer::isCsvData(data);
    const QSignalBlocker blockTarget(mTarget);
    mTarget->clear();
    mFeatures->clear();
    // Only the rows that apply to this kind of data.
    for (QWidget *row : {static_cast<QWidget *>(mTarget), static_cast<QWidget *>(mTask), static_cast<QWidget *>(mFeatures),
                         static_cast<QWidget *>(mStandardize)})
        mDataRows->setRowVisible(row, csv);
    mDataRows->setRowVisible(mImageSize, Trainer::isImageFolder(data));
    mDataRows->setRowVisible(mValSplit, data != kFashionMnist && !data.isEmpty());
    if (data.isEmpty()) {
        mDataLabel->setText(tr("Drop a CSV file or a folder of class subfolders here, or train on Fashion-MNIST."));
        mReportLabel->clear();
    } else if (data == kFashionMnist) {
        mDataLabel->setText(tr("Fashion-MNIST: 60,000 training images of 10 classes; the 10,000 test images validate."));
    } else if (csv) {
        // The columns (and so the target list) come with the report, read on a worker.
        mDataLabel->setText(QFileInfo(data).fileName());
    } else {
        mDataLabel->setText(tr("Images in %1, one subfolder per class").arg(QFileInfo(data).fileName()));
    }
    // New data: its default model (the first entry) unless one was asked for.
    mModel->setCurrentIndex(-1);
    fillModels();
    if (!data.isEmpty())
        analyze();
    updateButtons();
}

void TrainingPanel::analyze()
{
    mReportLabel->setText(tr("Reading the data…"));
    mAnalyzing = true;
    const QString data = mData;
    const QString target = mTarget->currentText();
    mReportWatcher.setFuture(QtConcurrent::run([data, target] {
        if (data == kFashionMnist)
            return DatasetReports::fashionMnist();
        if (Trainer::isImageFolder(data))
            return DatasetReports::analyzeImageFolder(data);
        DatasetReport report = DatasetReports::analyzeCsv(data, target);
        // A new CSV: the last column that holds numbers or a few labels.
        if (target.isEmpty() && report.error.isEmpty() && !report.columns.isEmpty())
            report = DatasetReports::analyzeCsv(data, DatasetReports::suggestedTarget(report.columns));
        return report;
    }));
    updateButtons();
}

// Rows, class balance as bars, and the problems, in the panel's report label.
void TrainingPanel::showReport()
{
    if (!mReport.error.isEmpty()) {
        mReportLabel->setText(QStringLiteral("<b>%1</b>").arg(mReport.error.toHtmlEscaped()));
        updateButtons();
        return;
    }
    if (mReport.kind == QLatin1String("csv") && mTarget->count() == 0) {
        const QSignalBlocker block(mTarget);
        for (const ColumnSummary &column : std::as_const(mReport.columns))
            mTarget->addItem(column.name);
        mTarget->setCurrentText(mReport.target);
    }
    if (mReport.kind == QLatin1String("csv") && mReport.target == mTarget->currentText()) {
        const QSignalBlocker block(mFeatures);
        mFeatures->clear();
        for (const ColumnSummary &column : std::as_const(mReport.columns)) {
            if (column.name == mReport.target)
                continue;
            auto *item = new QListWidgetItem(column.numeric() ? column.name : tr("%1 (text)").arg(column.name), mFeatures);
            item->setData(Qt::UserRole, column.name);
            item->setFlags(column.numeric() ? item->flags() | Qt::ItemIsUserCheckable : Qt::NoItemFlags);
            item->setCheckState(mReport.features.contains(column.name) ? Qt::Checked : Qt::Unchecked);
        }
    }
    mReportLabel->setText(reportText());
    fillModels();
    updateButtons();
}

QString TrainingPanel::reportText() const
{
    if (!mReport.error.isEmpty())
        return mReport.error;
    QString html = mReport.kind == QLatin1String("csv")
        ? tr("%n rows", nullptr, int(qMin<qint64>(mReport.rows, INT_MAX))) + QStringLiteral(", ")
            + tr("%n columns", nullptr, int(mReport.columns.size()))
        : tr("%n images", nullptr, int(qMin<qint64>(mReport.rows, INT_MAX)));
    if (!mReport.task.isEmpty())
        html += QStringLiteral("; ") + (mReport.task == QLatin1String("classification") ? tr("classification") : tr("regression"));
    if (!mReport.classes.isEmpty()) {
        qint64 largest = 1;
        for (const auto &entry : mReport.classes)
            largest = qMax(largest, entry.second);
        html += QStringLiteral("<table cellspacing=\"1\">");
        const int shown = qMin(int(mReport.classes.size()), 20);
        for (int i = 0; i < shown; ++i) {
            const auto &entry = mReport.classes.at(i);
            const int width = int(80 * entry.second / largest);  // narrow enough for a docked panel
            html += QStringLiteral("<tr><td>%1</td><td><table cellspacing=\"0\" cellpadding=\"0\"><tr>"
                                   "<td bgcolor=\"#4c78a8\" width=\"%2\" height=\"8\"></td></tr></table></td><td align=\"right\">%3</td></tr>")
                        .arg(entry.first.toHtmlEscaped())
                        .arg(qMax(1, width))
                        .arg(entry.second);
        }
        html += QStringLiteral("</table>");
        if (mReport.classes.size() > shown)
            html += tr("… and %n more classes", nullptr, int(mReport.classes.size() - shown));
    }
    if (!mReport.problems.isEmpty()) {
        html += QStringLiteral("<ul style=\"margin-left: -20px\">");
        for (const QString &problem : mReport.problems)
            html += QStringLiteral("<li>%1</li>").arg(problem.toHtmlEscaped());
        html += QStringLiteral("</ul>");
    }
    return html;
}

// The models that fit the data: built-in architectures, the notebook's models
// and a TorchScript file.
void TrainingPanel::fillModels()
{
    const QString current = mModel->currentData().toString();
    const QSignalBlocker block(mModel);
    mModel->clear();
    const bool images = mData == kFashionMnist || Trainer::isImageFolder(mData);
    const QStringList builtins = images ? QStringList{QStringLiteral("cnn"), QStringLiteral("lenet"), QStringLiteral("resnet"), QStringLiteral("mlp")}
                                        : QStringList{QStringLiteral("mlp")};
    for (const QString &id : builtins)
        mModel->addItem(id, id);
    for (const QString &name : std::as_const(mNotebookModels))
        mModel->addItem(tr("%1 (notebook)").arg(name), QString(kNotebookPrefix + name));
    mModel->addItem(mModelFile.isEmpty() ? tr("TorchScript file…") : QFileInfo(mModelFile).fileName(), QString(kFilePrefix));
    int index = mModel->findData(current);
    if (!mPreferredModel.isEmpty() && mModel->findData(mPreferredModel) >= 0)
        index = mModel->findData(mPreferredModel);
    mModel->setCurrentIndex(qMax(0, index));
}

void TrainingPanel::chooseModel(const QString &id)
{
    mPreferredModel = id;
    const int index = mModel->findData(id);
    if (index >= 0)
        mModel->setCurrentIndex(index);
    mStatus->setText(index >= 0 || mData.isEmpty()
                         ? tr("Model: %1").arg(id)
                         : tr("%1 does not fit this dataset; the panel trains %2").arg(id, mModel->currentText()));
}

void TrainingPanel::setModelFile(const QString &path)
{
    // A file this process has not seen read safely is read by a child first:
    // training loads it in this process.
    if (!ModelVetting::isVetted(path)) {
        if (!mVetting) {
            mVetting = new ModelVetting(this);
            connect(mVetting, &ModelVetting::finished, this, [this](const QString &file, bool ok, const QString &error) {
                if (ok)
                    setModelFile(file);
                else
                    mStatus->setText(tr("Not loaded: %1").arg(error));
            });
        }
        mStatus->setText(tr("Reading %1 in a separate process first...").arg(QFileInfo(path).fileName()));
        mVetting->vet(path);
        return;
    }
    mModelFile = path;
    mPreferredModel = QString(kFilePrefix);
    fillModels();
    mStatus->setText(tr("Training the parameters of %1").arg(QFileInfo(path).fileName()));
}

void TrainingPanel::setNotebookModels(const QStringList &names)
{
    mNotebookModels = names;
    fillModels();
}

TrainOptions TrainingPanel::options() const
{
    TrainOptions options;
    options.data = mData;
    if (Trainer::isCsvData(mData)) {
        options.target = mTarget->currentText();
        for (int i = 0; i < mFeatures->count(); ++i) {
            const QListWidgetItem *item = mFeatures->item(i);
            if (item->checkState() == Qt::Checked)
                options.features.append(item->data(Qt::UserRole).toString());
        }
        options.task = mTask->currentData().toString();
        options.standardize = mStandardize->isChecked();
    }
    const QString model = mModel->currentData().toString();
    options.model = model == kFilePrefix ? mModelFile : model;
    options.imageSize = mImageSize->value();
    options.loss = mLoss->currentData().toString();
    options.epochs = mEpochs->value();
    options.lr = mLr->value();
    options.batchSize = mBatch->value();
    options.valSplit = mValSplit->value();
    options.seed = mSeed->value();
    options.optimizer = mOptimizer->currentData().toString();
    options.weightDecay = mWeightDecay->value();
    options.schedule = mSchedule->currentData().toString();
    options.patience = mPatience->value();
    // Only devices present now are listed, so the name is already a checked one.
    options.device = mDevice->currentDevice();
    return options;
}

void TrainingPanel::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasFormat(QStringLiteral(KILN_ARCHITECTURE_MIME))) {
        event->acceptProposedAction();
        return;
    }
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile() && QFileInfo::exists(url.toLocalFile())) {
            event->acceptProposedAction();
            return;
        }
    }
}

// A CSV or a folder becomes the dataset; a TorchScript file, or an
// architecture from the model browser, the model.
void TrainingPanel::dropEvent(QDropEvent *event)
{
    const QByteArray architecture = event->mimeData()->data(QStringLiteral(KILN_ARCHITECTURE_MIME));
    if (!architecture.isEmpty()) {
        chooseModel(QString::fromUtf8(architecture));
        event->acceptProposedAction();
        return;
    }
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.constFirst().isLocalFile())
        return;
    const QString path = urls.constFirst().toLocalFile();
    if (Trainer::isModelFile(QFileInfo(path).fileName()) && QFileInfo(path).isFile())
        setModelFile(path);
    else
        setDataset(path);
    event->acceptProposedAction();
}

// The shape a notebook model is traced on: one sample of the data.
QString TrainingPanel::exampleShape() const
{
    if (mData == kFashionMnist)
        return QStringLiteral("1,1,28,28");
    if (Trainer::isImageFolder(mData)) {
        // Channels follow the first image, as datasets.image_folder decides: gray stays gray.
        int channels = 3;
        const QDir root(mData);
        for (const QString &folder : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            const QStringList files = QDir(root.filePath(folder)).entryList(QDir::Files, QDir::Name);
            if (!files.isEmpty()) {
                channels = QImage(QDir(root.filePath(folder)).filePath(files.constFirst())).isGrayscale() ? 1 : 3;
                break;
            }
        }
        return QStringLiteral("1,%1,%2,%2").arg(channels).arg(mImageSize->value());
    }
    return QStringLiteral("1,%1").arg(options().features.size());
}

} // namespace kiln
