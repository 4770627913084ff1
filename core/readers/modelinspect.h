#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVector>

namespace kiln {

// What `kiln inspect` and the model browser show about one model file, read
// without running it. The JSON form is documented in docs/inspect-json.md.
struct ModelSummary
{
    struct Module
    {
        QString name;  // dotted path, "" for the root
        QString type;
    };
    struct Tensor
    {
        QString name;
        QVector<qint64> shape;
        QString dtype;  // PyTorch's name: "float32", "int64", ...
        qint64 numel = 0;
        bool isBuffer = false;
    };
    struct Method
    {
        QString name;
        QString schema;
    };

    QString format;  // "torchscript", "state_dict" or "safetensors"
    QString path;
    qint64 fileSize = 0;
    QString producer;                            // empty when the file does not say
    QList<QPair<QString, QString>> metadata;     // in file order
    QList<Module> modules;
    QList<Tensor> tensors;
    qint64 totalParameters = 0;  // elements in parameters and buffers
    qint64 totalBytes = 0;
    QList<Method> methods;
    QString forward;  // the forward schema, empty when there is none
    QList<QPair<QString, int>> ops;  // .pt2 exported programs: each op of the graph and how often it is called
    QString note;     // one line on what can be done with the file, when that is not obvious

    QJsonObject toJson() const;
    QString toText() const;
};

// Reads `path` in this process. A malformed file can make libtorch's loader hang
// or exhaust memory, so call this only in a short-lived child process with
// limits (kiln inspect does). Returns a summary with an empty format on failure.
ModelSummary inspectModel(const QString &path, QString *error);

// "Try forward": runs a TorchScript model's forward on zeros of the given input
// shapes and returns {"inputs": [...], "outputs": [shapes...], "latency_ms": median
// of a few runs}. False with a one-line error when the model refuses them.
// `device` is a checked name ("cpu", "cuda:0"): the model and the zeros go there.
bool tryForward(const QString &path, const QList<QList<qint64>> &shapes, const QString &device, QJsonObject *result,
                QString *error);

} // namespace kiln
