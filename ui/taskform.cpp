#include "taskform.h"

#include "devicepicker.h"
#include "document/taskcell.h"
#include "narrowlayout.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

namespace kiln {

namespace {

QString taskTitle(const TaskCell::Task &task)
{
    return QCoreApplication::translate("kiln::TaskCell", task.title.toUtf8().constData());
}

} // namespace

TaskForm::TaskForm(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("taskForm"));
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 2, 0, 4);
    mForm = new QFormLayout;
    mForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    outer->addLayout(mForm);

    mTask = new QComboBox(this);
    mTask->setObjectName(QStringLiteral("taskKind"));
    for (const TaskCell::Task &task : TaskCell::tasks())
        mTask->addItem(taskTitle(task), task.name);
    mForm->addRow(tr("&Task:"), mTask);

    mModel = new QComboBox(this);
    mModel->setObjectName(QStringLiteral("taskModel"));
    mModel->setEditable(true);
    mModel->setInsertPolicy(QComboBox::NoInsert);
    mModel->setToolTip(tr("A model on the Hugging Face Hub (ORG/NAME) or a folder with its files"));
    mForm->addRow(tr("&Model:"), mModel);

    mText = new QPlainTextEdit(this);
    mText->setObjectName(QStringLiteral("taskText"));
    mText->setTabChangesFocus(true);
    mText->setFixedHeight(mText->fontMetrics().lineSpacing() * 3 + 12);
    mForm->addRow(tr("&Input:"), mText);

    mImageRow = new QWidget(this);
    auto *imageLayout = new QHBoxLayout(mImageRow);
    imageLayout->setContentsMargins(0, 0, 0, 0);
    mImage = new QLineEdit(mImageRow);
    mImage->setObjectName(QStringLiteral("taskImage"));
    mImage->setPlaceholderText(tr("an image file"));
    auto *browse = new QPushButton(tr("&Browse…"), mImageRow);
    imageLayout->addWidget(mImage, 1);
    imageLayout->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Choose an Image"), mImage->text(),
                                                          tr("Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp)"));
        if (!path.isEmpty())
            mImage->setText(path);
    });
    mForm->addRow(tr("I&mage:"), mImageRow);

    mLabels = new QLineEdit(this);
    mLabels->setObjectName(QStringLiteral("taskLabels"));
    mLabels->setToolTip(tr("The labels to choose from, separated by commas"));
    mForm->addRow(tr("&Labels:"), mLabels);

    mTopK = new QSpinBox(this);
    mTopK->setObjectName(QStringLiteral("taskTopK"));
    mTopK->setRange(1, 100);
    mForm->addRow(tr("Top &k:"), mTopK);

    mMaxNewTokens = new QSpinBox(this);
    mMaxNewTokens->setObjectName(QStringLiteral("taskMaxNewTokens"));
    mMaxNewTokens->setRange(1, 4096);
    mForm->addRow(tr("New &tokens:"), mMaxNewTokens);
    mSample = new QCheckBox(tr("&Sample (otherwise the likeliest token each time)"), this);
    mSample->setObjectName(QStringLiteral("taskSample"));
    mForm->addRow(QString(), mSample);
    mTemperature = new QDoubleSpinBox(this);
    mTemperature->setObjectName(QStringLiteral("taskTemperature"));
    mTemperature->setRange(0.05, 5.0);
    mTemperature->setSingleStep(0.1);
    mForm->addRow(tr("Tem&perature:"), mTemperature);

    mDevice = new DevicePicker(this);
    mDevice->setObjectName(QStringLiteral("taskDevice"));
    mForm->addRow(tr("&Device:"), mDevice);

    auto *convert = new QPushButton(tr("Convert to &Code Cell"), this);
    convert->setObjectName(QStringLiteral("taskConvert"));
    convert->setToolTip(tr("Keep the code and edit it by hand; the form goes away"));
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(convert);
    outer->addLayout(buttons);
    connect(convert, &QPushButton::clicked, this, &TaskForm::convertToCodeRequested);

    letCombosShrink(this);

    // Typing waits for a pause before the code is rewritten.
    mCommit = new QTimer(this);
    mCommit->setSingleShot(true);
    mCommit->setInterval(400);
    connect(mCommit, &QTimer::timeout, this, [this] { Q_EMIT settingsChanged(settings()); });

    connect(mTask, &QComboBox::currentIndexChanged, this, &TaskForm::onTaskChosen);
    connect(mModel, &QComboBox::currentTextChanged, this, &TaskForm::changed);
    connect(mText, &QPlainTextEdit::textChanged, this, &TaskForm::changed);
    connect(mImage, &QLineEdit::textChanged, this, &TaskForm::changed);
    connect(mLabels, &QLineEdit::textChanged, this, &TaskForm::changed);
    connect(mTopK, &QSpinBox::valueChanged, this, &TaskForm::changed);
    connect(mMaxNewTokens, &QSpinBox::valueChanged, this, &TaskForm::changed);
    connect(mSample, &QCheckBox::toggled, this, [this] {
        mTemperature->setEnabled(mSample->isChecked());
        changed();
    });
    connect(mTemperature, &QDoubleSpinBox::valueChanged, this, &TaskForm::changed);
    connect(mDevice, &QComboBox::currentIndexChanged, this, &TaskForm::changed);
    setSettings(TaskCell::defaults(QString()));
}

QJsonObject TaskForm::settings() const
{
    const TaskCell::Task *task = TaskCell::find(mTask->currentData().toString());
    QJsonObject settings{{QStringLiteral("task"), mTask->currentData().toString()},
                         {QStringLiteral("model"), mModel->currentText().trimmed()},
                         {QStringLiteral("device"), mDevice->currentDevice()}};
    settings.insert(QStringLiteral("input"), task && task->imageInput ? mImage->text() : mText->toPlainText());
    if (task && task->topK)
        settings.insert(QStringLiteral("top_k"), mTopK->value());
    if (task && task->labels)
        settings.insert(QStringLiteral("labels"), mLabels->text());
    if (task && task->generation) {
        settings.insert(QStringLiteral("max_new_tokens"), mMaxNewTokens->value());
        settings.insert(QStringLiteral("do_sample"), mSample->isChecked());
        settings.insert(QStringLiteral("temperature"), mTemperature->value());
    }
    return settings;
}

void TaskForm::setSettings(const QJsonObject &settings)
{
    if (settings == this->settings())
        return;
    mUpdating = true;
    const QString name = settings.value(QLatin1String("task")).toString();
    const int taskIndex = mTask->findData(name);
    mTask->setCurrentIndex(taskIndex < 0 ? 0 : taskIndex);
    const TaskCell::Task *task = TaskCell::find(mTask->currentData().toString());
    mModel->clear();
    if (task)
        mModel->addItems(task->models);
    mModel->setCurrentText(settings.value(QLatin1String("model")).toString());
    const QString input = settings.value(QLatin1String("input")).toString();
    if (task && task->imageInput)
        mImage->setText(input);
    else if (mText->toPlainText() != input)
        mText->setPlainText(input);
    mTopK->setValue(settings.value(QLatin1String("top_k")).toInt(5));
    mLabels->setText(settings.value(QLatin1String("labels")).toString());
    mMaxNewTokens->setValue(settings.value(QLatin1String("max_new_tokens")).toInt(40));
    mSample->setChecked(settings.value(QLatin1String("do_sample")).toBool());
    mTemperature->setValue(settings.value(QLatin1String("temperature")).toDouble(1.0));
    mTemperature->setEnabled(mSample->isChecked());
    mDevice->setCurrentDevice(settings.value(QLatin1String("device")).toString(QStringLiteral("cpu")));
    updateRows();
    mUpdating = false;
}

void TaskForm::onTaskChosen()
{
    if (mUpdating)
        return;
    // A new task starts from its own defaults (its models and an example input),
    // keeping the device.
    QJsonObject fresh = TaskCell::defaults(mTask->currentData().toString());
    fresh.insert(QStringLiteral("device"), mDevice->currentDevice());
    setSettings(fresh);
    mCommit->stop();
    Q_EMIT settingsChanged(settings());
}

void TaskForm::updateRows()
{
    const TaskCell::Task *task = TaskCell::find(mTask->currentData().toString());
    const bool image = task && task->imageInput;
    mForm->setRowVisible(mText, !image);
    mForm->setRowVisible(mImageRow, image);
    mForm->setRowVisible(mLabels, task && task->labels);
    mForm->setRowVisible(mTopK, task && task->topK);
    const bool generation = task && task->generation;
    mForm->setRowVisible(mMaxNewTokens, generation);
    mForm->setRowVisible(mSample, generation);
    mForm->setRowVisible(mTemperature, generation);
}

void TaskForm::changed()
{
    if (!mUpdating)
        mCommit->start();
}

} // namespace kiln
