#include "engines/builtinmodels.h"

#include <QCoreApplication>
#include <QStringList>

namespace kiln::BuiltinModels {

namespace {

Hyperparameter number(const QString &name, const QString &label, QVariant value, QVariant minimum, QVariant maximum)
{
    return Hyperparameter{name, label, value, minimum, maximum};
}

QVariant valueOf(const Architecture &architecture, const QString &name)
{
    for (const Hyperparameter &parameter : architecture.hyperparameters) {
        if (parameter.name == name) {
            if (parameter.minimum.isValid() && parameter.value.toDouble() < parameter.minimum.toDouble())
                return parameter.minimum;
            if (parameter.maximum.isValid() && parameter.value.toDouble() > parameter.maximum.toDouble())
                return parameter.maximum;
            return parameter.value;
        }
    }
    return QVariant();
}

int integer(const Architecture &a, const QString &name)
{
    return qMax(1, valueOf(a, name).toInt());
}

QString decimal(const Architecture &a, const QString &name)
{
    return QString::number(qBound(0.0, valueOf(a, name).toDouble(), 0.99), 'g', 4);
}

// "256, 128" -> {256, 128}; anything unparsable is skipped.
QList<int> sizes(const Architecture &a, const QString &name)
{
    QList<int> result;
    for (const QString &part : valueOf(a, name).toString().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int size = part.trimmed().toInt(&ok);
        if (ok && size > 0)
            result.append(size);
    }
    return result;
}

QString mlpCode(const Architecture &a, const QString &variable)
{
    QStringList layers{QStringLiteral("nn.Flatten()")};
    int previous = integer(a, QStringLiteral("inputs"));
    const QString dropout = decimal(a, QStringLiteral("dropout"));
    for (int hidden : sizes(a, QStringLiteral("hidden"))) {
        layers << QStringLiteral("nn.Linear(%1, %2)").arg(previous).arg(hidden) << QStringLiteral("nn.ReLU()");
        if (dropout.toDouble() > 0)
            layers << QStringLiteral("nn.Dropout(%1)").arg(dropout);
        previous = hidden;
    }
    layers << QStringLiteral("nn.Linear(%1, %2)").arg(previous).arg(integer(a, QStringLiteral("outputs")));
    return QStringLiteral("-- MLP: flattens its input, then fully connected layers with ReLU\n%1 = nn.Sequential(\n  %2)\n%1")
        .arg(variable, layers.join(QStringLiteral(",\n  ")));
}

QString lenetCode(const Architecture &a, const QString &variable)
{
    const int channels = integer(a, QStringLiteral("channels"));
    const int size = integer(a, QStringLiteral("size"));
    const int classes = integer(a, QStringLiteral("classes"));
    // Two 5x5 convolutions (the first padded) and two 2x2 poolings: size -> size/2 -> (size/2 - 4)/2.
    const int after = qMax(1, (size / 2 - 4) / 2);
    return QStringLiteral(
               "-- LeNet-style CNN for [N, %1, %2, %2] images\n"
               "%4 = nn.Sequential(\n"
               "  nn.Conv2d(%1, 6, 5, {padding = 2}), nn.ReLU(), nn.MaxPool2d(2),\n"
               "  nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),\n"
               "  nn.Flatten(),\n"
               "  nn.Linear(16 * %5 * %5, 120), nn.ReLU(),\n"
               "  nn.Linear(120, 84), nn.ReLU(),\n"
               "  nn.Linear(84, %3))\n"
               "%4")
        .arg(channels)
        .arg(size)
        .arg(classes)
        .arg(variable)
        .arg(after);
}

QString cnnCode(const Architecture &a, const QString &variable)
{
    const int channels = integer(a, QStringLiteral("channels"));
    const int size = integer(a, QStringLiteral("size"));
    const int width = integer(a, QStringLiteral("width"));
    const int classes = integer(a, QStringLiteral("classes"));
    // Two 3x3 convolution blocks (padded, so only the poolings shrink): size -> size/2 -> size/4.
    const int after = qMax(1, size / 4);
    return QStringLiteral(
               "-- CNN for [N, %1, %2, %2] images: two 3x3 convolution blocks with batch norm, then a classifier\n"
               "%5 = nn.Sequential(\n"
               "  nn.Conv2d(%1, %3, 3, {padding = 1}), nn.BatchNorm2d(%3), nn.ReLU(), nn.MaxPool2d(2),\n"
               "  nn.Conv2d(%3, %6, 3, {padding = 1}), nn.BatchNorm2d(%6), nn.ReLU(), nn.MaxPool2d(2),\n"
               "  nn.Flatten(), nn.Dropout(0.25),\n"
               "  nn.Linear(%6 * %7 * %7, 128), nn.ReLU(), nn.Dropout(0.25),\n"
               "  nn.Linear(128, %4))\n"
               "%5")
        .arg(channels)
        .arg(size)
        .arg(width)
        .arg(classes)
        .arg(variable)
        .arg(width * 2)
        .arg(after);
}

QString resnetCode(const Architecture &a, const QString &variable)
{
    const int channels = integer(a, QStringLiteral("channels"));
    const int width = integer(a, QStringLiteral("width"));
    const int blocks = integer(a, QStringLiteral("blocks"));
    const int classes = integer(a, QStringLiteral("classes"));
    return QStringLiteral(
               "-- A small ResNet-style CNN: residual blocks of two 3x3 convolutions with batch norm\n"
               "local ResidualBlock = class(\"ResidualBlock\", nn.Module)\n"
               "function ResidualBlock:init(channels)\n"
               "  self.conv1 = nn.Conv2d(channels, channels, 3, {padding = 1, bias = false})\n"
               "  self.bn1 = nn.BatchNorm2d(channels)\n"
               "  self.conv2 = nn.Conv2d(channels, channels, 3, {padding = 1, bias = false})\n"
               "  self.bn2 = nn.BatchNorm2d(channels)\n"
               "end\n"
               "function ResidualBlock:forward(x)\n"
               "  local y = F.relu(self.bn1(self.conv1(x)))\n"
               "  return F.relu(x + self.bn2(self.conv2(y)))\n"
               "end\n"
               "\n"
               "local blocks = {}\n"
               "for i = 1, %3 do blocks[i] = ResidualBlock(%2) end\n"
               "%5 = nn.Sequential(\n"
               "  nn.Conv2d(%1, %2, 3, {padding = 1, bias = false}), nn.BatchNorm2d(%2), nn.ReLU(),\n"
               "  nn.Sequential(blocks),\n"
               "  nn.AdaptiveAvgPool2d(1), nn.Flatten(),\n"
               "  nn.Linear(%2, %4))\n"
               "%5")
        .arg(channels)
        .arg(width)
        .arg(blocks)
        .arg(classes)
        .arg(variable);
}

QString recurrentCode(const Architecture &a, const QString &variable)
{
    const QString cell = valueOf(a, QStringLiteral("cell")).toString().toUpper() == QLatin1String("GRU")
        ? QStringLiteral("GRU")
        : QStringLiteral("LSTM");
    return QStringLiteral(
               "-- %1 sequence classifier: [N, steps, %2] in, class scores from the last step out\n"
               "local SequenceClassifier = class(\"SequenceClassifier\", nn.Module)\n"
               "function SequenceClassifier:init()\n"
               "  self.rnn = nn.%1(%2, %3, {num_layers = %4, batch_first = true})\n"
               "  self.head = nn.Linear(%3, %5)\n"
               "end\n"
               "function SequenceClassifier:forward(x)\n"
               "  local out = self.rnn(x)\n"
               "  return self.head(out:select(1, -1))\n"
               "end\n"
               "%6 = SequenceClassifier()\n"
               "%6")
        .arg(cell)
        .arg(integer(a, QStringLiteral("features")))
        .arg(integer(a, QStringLiteral("hidden")))
        .arg(integer(a, QStringLiteral("layers")))
        .arg(integer(a, QStringLiteral("classes")))
        .arg(variable);
}

QString transformerCode(const Architecture &a, const QString &variable)
{
    int model = integer(a, QStringLiteral("d_model"));
    const int heads = integer(a, QStringLiteral("heads"));
    model = qMax(heads, model / heads * heads);  // divisible by the number of heads
    return QStringLiteral(
               "-- Transformer-encoder classifier: [N, steps, %1] in, mean over steps, class scores out\n"
               "local TransformerClassifier = class(\"TransformerClassifier\", nn.Module)\n"
               "function TransformerClassifier:init()\n"
               "  self.embed = nn.Linear(%1, %2)\n"
               "  self.layers = nn.ModuleList()\n"
               "  for i = 1, %4 do\n"
               "    self.layers:append(nn.TransformerEncoderLayer(%2, %3, {dim_feedforward = %5, dropout = 0.1, batch_first = true}))\n"
               "  end\n"
               "  self.head = nn.Linear(%2, %6)\n"
               "end\n"
               "function TransformerClassifier:forward(x)\n"
               "  x = self.embed(x)\n"
               "  for _, layer in ipairs(self.layers:children()) do x = layer(x) end\n"
               "  return self.head(x:mean(1))\n"
               "end\n"
               "%7 = TransformerClassifier()\n"
               "%7")
        .arg(integer(a, QStringLiteral("features")))
        .arg(model)
        .arg(heads)
        .arg(integer(a, QStringLiteral("layers")))
        .arg(model * 4)
        .arg(integer(a, QStringLiteral("classes")))
        .arg(variable);
}

QString autoencoderCode(const Architecture &a, const QString &variable)
{
    const int inputs = integer(a, QStringLiteral("inputs"));
    const int hidden = integer(a, QStringLiteral("hidden"));
    const int code = integer(a, QStringLiteral("code"));
    return QStringLiteral(
               "-- Autoencoder: [N, %1] in, a %3-number code in the middle, [N, %1] reconstruction out\n"
               "local Autoencoder = class(\"Autoencoder\", nn.Module)\n"
               "function Autoencoder:init()\n"
               "  self.encoder = nn.Sequential(nn.Flatten(), nn.Linear(%1, %2), nn.ReLU(), nn.Linear(%2, %3))\n"
               "  self.decoder = nn.Sequential(nn.Linear(%3, %2), nn.ReLU(), nn.Linear(%2, %1), nn.Sigmoid())\n"
               "end\n"
               "function Autoencoder:forward(x)\n"
               "  return self.decoder(self.encoder(x))\n"
               "end\n"
               "%4 = Autoencoder()\n"
               "%4")
        .arg(inputs)
        .arg(hidden)
        .arg(code)
        .arg(variable);
}

} // namespace

QList<Architecture> architectures()
{
    return {
        {QStringLiteral("mlp"), QCoreApplication::translate("kiln::BuiltinModels", "MLP"), QCoreApplication::translate("kiln::BuiltinModels", "Fully connected layers with ReLU, for tabular data or flattened images"),
         QStringLiteral("[N, inputs] (or any shape that flattens to it)"),
         {number(QStringLiteral("inputs"), QCoreApplication::translate("kiln::BuiltinModels", "Inputs"), 784, 1, 1 << 20),
          {QStringLiteral("hidden"), QCoreApplication::translate("kiln::BuiltinModels", "Hidden layers (sizes, comma-separated)"), QStringLiteral("256, 128"), {}, {}},
          number(QStringLiteral("outputs"), QCoreApplication::translate("kiln::BuiltinModels", "Outputs"), 10, 1, 1 << 20),
          number(QStringLiteral("dropout"), QCoreApplication::translate("kiln::BuiltinModels", "Dropout"), 0.0, 0.0, 0.99)}},
        {QStringLiteral("cnn"), QCoreApplication::translate("kiln::BuiltinModels", "CNN"), QCoreApplication::translate("kiln::BuiltinModels", "Two convolution blocks with batch normalization and pooling, then two fully connected layers"),
         QStringLiteral("[N, channels, size, size]"),
         {number(QStringLiteral("channels"), QCoreApplication::translate("kiln::BuiltinModels", "Image channels"), 1, 1, 4),
          number(QStringLiteral("size"), QCoreApplication::translate("kiln::BuiltinModels", "Image size"), 28, 4, 512),
          number(QStringLiteral("width"), QCoreApplication::translate("kiln::BuiltinModels", "Width (channels of the first block)"), 32, 4, 512),
          number(QStringLiteral("classes"), QCoreApplication::translate("kiln::BuiltinModels", "Classes"), 10, 1, 100000)}},
        {QStringLiteral("lenet"), QCoreApplication::translate("kiln::BuiltinModels", "LeNet CNN"), QCoreApplication::translate("kiln::BuiltinModels", "Two convolutions with pooling and three fully connected layers"),
         QStringLiteral("[N, channels, size, size]"),
         {number(QStringLiteral("channels"), QCoreApplication::translate("kiln::BuiltinModels", "Image channels"), 1, 1, 4),
          number(QStringLiteral("size"), QCoreApplication::translate("kiln::BuiltinModels", "Image size"), 28, 12, 512),
          number(QStringLiteral("classes"), QCoreApplication::translate("kiln::BuiltinModels", "Classes"), 10, 1, 100000)}},
        {QStringLiteral("resnet"), QCoreApplication::translate("kiln::BuiltinModels", "Small ResNet"), QCoreApplication::translate("kiln::BuiltinModels", "Residual blocks with batch normalization and global pooling"),
         QStringLiteral("[N, channels, H, W]"),
         {number(QStringLiteral("channels"), QCoreApplication::translate("kiln::BuiltinModels", "Image channels"), 1, 1, 4),
          number(QStringLiteral("width"), QCoreApplication::translate("kiln::BuiltinModels", "Width (channels inside)"), 32, 4, 512),
          number(QStringLiteral("blocks"), QCoreApplication::translate("kiln::BuiltinModels", "Residual blocks"), 3, 1, 32),
          number(QStringLiteral("classes"), QCoreApplication::translate("kiln::BuiltinModels", "Classes"), 10, 1, 100000)}},
        {QStringLiteral("rnn"), QCoreApplication::translate("kiln::BuiltinModels", "LSTM/GRU classifier"), QCoreApplication::translate("kiln::BuiltinModels", "A recurrent network over sequences; the last step decides"),
         QStringLiteral("[N, steps, features]"),
         {{QStringLiteral("cell"), QCoreApplication::translate("kiln::BuiltinModels", "Cell (LSTM or GRU)"), QStringLiteral("LSTM"), {}, {}},
          number(QStringLiteral("features"), QCoreApplication::translate("kiln::BuiltinModels", "Features per step"), 16, 1, 1 << 16),
          number(QStringLiteral("hidden"), QCoreApplication::translate("kiln::BuiltinModels", "Hidden size"), 64, 1, 1 << 14),
          number(QStringLiteral("layers"), QCoreApplication::translate("kiln::BuiltinModels", "Layers"), 1, 1, 8),
          number(QStringLiteral("classes"), QCoreApplication::translate("kiln::BuiltinModels", "Classes"), 2, 1, 100000)}},
        {QStringLiteral("transformer"), QCoreApplication::translate("kiln::BuiltinModels", "Transformer classifier"),
         QCoreApplication::translate("kiln::BuiltinModels", "Transformer encoder layers over sequences, averaged, then a linear head"), QStringLiteral("[N, steps, features]"),
         {number(QStringLiteral("features"), QCoreApplication::translate("kiln::BuiltinModels", "Features per step"), 16, 1, 1 << 16),
          number(QStringLiteral("d_model"), QCoreApplication::translate("kiln::BuiltinModels", "Model width"), 64, 8, 4096),
          number(QStringLiteral("heads"), QCoreApplication::translate("kiln::BuiltinModels", "Attention heads"), 4, 1, 64),
          number(QStringLiteral("layers"), QCoreApplication::translate("kiln::BuiltinModels", "Layers"), 2, 1, 24),
          number(QStringLiteral("classes"), QCoreApplication::translate("kiln::BuiltinModels", "Classes"), 2, 1, 100000)}},
        {QStringLiteral("autoencoder"), QCoreApplication::translate("kiln::BuiltinModels", "Autoencoder"), QCoreApplication::translate("kiln::BuiltinModels", "Compresses its input to a small code and rebuilds it"),
         QStringLiteral("[N, inputs]"),
         {number(QStringLiteral("inputs"), QCoreApplication::translate("kiln::BuiltinModels", "Inputs"), 784, 1, 1 << 20),
          number(QStringLiteral("hidden"), QCoreApplication::translate("kiln::BuiltinModels", "Hidden size"), 256, 1, 1 << 16),
          number(QStringLiteral("code"), QCoreApplication::translate("kiln::BuiltinModels", "Code size"), 32, 1, 1 << 16)}},
    };
}

Architecture architecture(const QString &id)
{
    for (const Architecture &candidate : architectures()) {
        if (candidate.id == id)
            return candidate;
    }
    return Architecture();
}

QString code(const Architecture &architecture, const QString &variable)
{
    if (architecture.id == QLatin1String("mlp"))
        return mlpCode(architecture, variable);
    if (architecture.id == QLatin1String("cnn"))
        return cnnCode(architecture, variable);
    if (architecture.id == QLatin1String("lenet"))
        return lenetCode(architecture, variable);
    if (architecture.id == QLatin1String("resnet"))
        return resnetCode(architecture, variable);
    if (architecture.id == QLatin1String("rnn"))
        return recurrentCode(architecture, variable);
    if (architecture.id == QLatin1String("transformer"))
        return transformerCode(architecture, variable);
    if (architecture.id == QLatin1String("autoencoder"))
        return autoencoderCode(architecture, variable);
    return QString();
}

} // namespace kiln::BuiltinModels
