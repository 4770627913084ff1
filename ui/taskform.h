#pragma once

#include <QJsonObject>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;

namespace kiln {

class DevicePicker;

// The form of a Task cell (document/taskcell.h): the task, a model (a curated
// list or any Hub name or folder), the input and the task's options. Each
// change, once typing pauses, is a new set of settings for the cell, which
// writes its code from them.
class TaskForm : public QWidget
{
    Q_OBJECT

public:
    explicit TaskForm(QWidget *parent = nullptr);

    QJsonObject settings() const;
    // Shows `settings` without emitting settingsChanged.
    void setSettings(const QJsonObject &settings);

Q_SIGNALS:
    void settingsChanged(const QJsonObject &settings);
    void convertToCodeRequested();

private:
    void onTaskChosen();
    void updateRows();
    void changed();

    QFormLayout *mForm = nullptr;
    QComboBox *mTask = nullptr;
    QComboBox *mModel = nullptr;
    QPlainTextEdit *mText = nullptr;
    QWidget *mImageRow = nullptr;
    QLineEdit *mImage = nullptr;
    QSpinBox *mTopK = nullptr;
    QLineEdit *mLabels = nullptr;
    QSpinBox *mMaxNewTokens = nullptr;
    QCheckBox *mSample = nullptr;
    QDoubleSpinBox *mTemperature = nullptr;
    DevicePicker *mDevice = nullptr;
    QTimer *mCommit = nullptr;
    bool mUpdating = false;
};

} // namespace kiln
