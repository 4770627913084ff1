#pragma once

#include <QList>
#include <QString>
#include <QVariant>

namespace kiln {

// The architectures Kiln offers ready-made (model browser, training panel,
// `kiln train --model`), each as Lua code for a notebook cell that builds it
// with the torch API. Hyperparameters are editable; the code is what runs.
namespace BuiltinModels {

struct Hyperparameter
{
    QString name;         // the Lua name, e.g. "hidden"
    QString label;        // shown to the user
    QVariant value;       // int, double or QString (e.g. "256,128")
    QVariant minimum;     // for numbers
    QVariant maximum;
};

struct Architecture
{
    QString id;           // "mlp", "lenet", ...
    QString name;         // "MLP"
    QString description;  // one line
    QString inputShape;   // what forward takes, e.g. "[N, 1, 28, 28]"
    QList<Hyperparameter> hyperparameters;
};

QList<Architecture> architectures();
// nullopt-like: an Architecture with an empty id when unknown.
Architecture architecture(const QString &id);

// Lua code that assigns the model to `variable`, with the given values (those
// missing take the defaults). Raises nothing: bad values are clamped.
QString code(const Architecture &architecture, const QString &variable = QStringLiteral("model"));

} // namespace BuiltinModels

} // namespace kiln
