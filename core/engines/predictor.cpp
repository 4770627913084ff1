#include <torch/script.h>
#include <torch/torch.h>

#include "readers/checkpoint_p.h"
#include "readers/csvreader.h"
#include "engines/predictor.h"

#include "luaapi/exceptionmessage.h"
#include "readers/pt2archive_p.h"

#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/inductor/aoti_package/model_package_loader.h>

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>

#include <cstring>
#include <optional>
#include <stdexcept>
#include <vector>

namespace kiln {

namespace {

// Failures inside predict() carry their one-line message up to the caller.
[[noreturn]] void fail(const QString &message)
{
    throw std::runtime_error(message.toStdString());
}

// libtorch's messages run over many lines; TorchScript's start with a
// traceback whose useful part is the last "RuntimeError: ..." line.
QString torchMessage(const char *what)
{
    QString text = QString::fromUtf8(what);
    const qsizetype error = text.lastIndexOf(QLatin1String("RuntimeError: "));
    if (error >= 0)
        text = text.mid(error + 14);
    const qsizetype newline = text.indexOf(QLatin1Char('\n'));
    if (newline >= 0)
        text.truncate(newline);
    return text.trimmed();
}

// "[N,3,32,32]": the batch dimension is always N.
QString shapeText(c10::IntArrayRef sizes)
{
    QStringList parts{QStringLiteral("N")};
    for (size_t i = 1; i < sizes.size(); ++i)
        parts.append(QString::number(sizes[i]));
    return QLatin1Char('[') + parts.join(QLatin1Char(',')) + QLatin1Char(']');
}

QString sampleShapeText(c10::IntArrayRef sizes)
{
    QStringList parts;
    for (const int64_t size : sizes)
        parts.append(QString::number(size));
    return QLatin1Char('[') + parts.join(QLatin1Char(',')) + QLatin1Char(']');
}

enum class InputKind { Image, Csv, Tensor };

InputKind inputKind(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("csv") || suffix == QLatin1String("tsv") || suffix == QLatin1String("txt"))
        return InputKind::Csv;
    if (suffix == QLatin1String("pt") || suffix == QLatin1String("pth"))
        return InputKind::Tensor;
    return InputKind::Image;
}

bool isImageFile(const QFileInfo &info)
{
    static const QList<QByteArray> formats = QImageReader::supportedImageFormats();
    return formats.contains(info.suffix().toLower().toLatin1());
}

// One sample: an image file decoded when its batch comes, or a row of a tensor
// loaded up front from a CSV or .pt file.
struct Sample
{
    QString name;
    QString imagePath;
    int source = -1;
    int64_t index = 0;
};

// Bilinear with antialiasing on the 8-bit pixels: what torchvision's Resize
// gives (PIL images and uint8 tensors alike), so a model trained on torchvision
// inputs sees the same numbers here.
torch::Tensor resized(const torch::Tensor &pixels, const QSize &size)
{
    if (!size.isValid() || (pixels.size(1) == size.height() && pixels.size(2) == size.width()))
        return pixels;
    namespace F = torch::nn::functional;
    return F::interpolate(pixels.unsqueeze(0).contiguous(),
                          F::InterpolateFuncOptions()
                              .size(std::vector<int64_t>{size.height(), size.width()})
                              .mode(torch::kBilinear)
                              .align_corners(false)
                              .antialias(true))
        .squeeze(0);
}

// [C,H,W] uint8: the image resized and in the colour the options ask for.
torch::Tensor decodeImage(const QString &path, const PredictOptions &options)
{
    QImageReader reader(path);
    QImage image;
    if (!reader.read(&image))
        fail(QStringLiteral("cannot read image %1: %2").arg(path, reader.errorString()));
    const bool gray = options.color == PredictOptions::Color::Grayscale
        || (options.color == PredictOptions::Color::Auto && image.isGrayscale());
    const int width = image.width();
    const int height = image.height();
    if (gray) {
        image = image.convertToFormat(QImage::Format_Grayscale8);
        torch::Tensor pixels = torch::empty({1, height, width}, torch::kUInt8);
        uint8_t *out = pixels.data_ptr<uint8_t>();
        for (int y = 0; y < height; ++y)
            std::memcpy(out + int64_t(y) * width, image.constScanLine(y), size_t(width));
        return resized(pixels, options.size);
    }
    image = image.convertToFormat(QImage::Format_RGB888);
    torch::Tensor pixels = torch::empty({height, width, 3}, torch::kUInt8);
    uint8_t *out = pixels.data_ptr<uint8_t>();
    for (int y = 0; y < height; ++y)
        std::memcpy(out + int64_t(y) * width * 3, image.constScanLine(y), size_t(width) * 3);
    return resized(pixels.permute({2, 0, 1}), options.size);
}

// A CSV file's numeric rows as [N,F] float32.
// `columns` picks and orders the columns used (by header name); empty: all.
torch::Tensor readCsv(const QString &path, const QStringList &columns = {})
{
    CsvReader reader;
    if (!reader.open(path))
        fail(QStringLiteral("cannot read %1: %2").arg(path, reader.errorString()));
    std::vector<float> values;
    int64_t rows = 0;
    qsizetype width = -1;
    QList<qsizetype> picked;
    for (const QString &name : columns) {
        const qsizetype index = reader.columns().indexOf(name.trimmed());
        if (index < 0)
            fail(QStringLiteral("%1 has no column '%2' (it has %3)").arg(path, name.trimmed(), reader.columns().join(QStringLiteral(", "))));
        picked.append(index);
    }
    CsvReader::Row row;
    while (reader.next(row)) {
        if (width >= 0 && row.fields.size() != width)
            fail(QStringLiteral("%1:%2: %3 fields, the first row has %4").arg(path).arg(row.line).arg(row.fields.size()).arg(width));
        width = row.fields.size();
        QList<qsizetype> order = picked;
        if (order.isEmpty()) {
            for (qsizetype column = 0; column < row.fields.size(); ++column)
                order.append(column);
        }
        for (const qsizetype column : std::as_const(order)) {
            double value = 0;
            if (!CsvReader::toNumber(row.fields.at(column), &value))
                fail(QStringLiteral("%1:%2: column %3 is not a number: '%4'")
                         .arg(path).arg(row.line).arg(reader.columns().value(column)).arg(row.fields.at(column)));
            values.push_back(float(value));
        }
        ++rows;
    }
    if (!reader.errorString().isEmpty())
        fail(QStringLiteral("cannot read %1: %2").arg(path, reader.errorString()));
    if (rows == 0)
        fail(QStringLiteral("%1 has no data rows").arg(path));
    const int64_t used = picked.isEmpty() ? int64_t(width) : int64_t(picked.size());
    return torch::from_blob(values.data(), {rows, used}, torch::kFloat).clone();
}

// A tensor saved with torch.save: [F] is one sample, and so is [C,H,W] for a
// model that takes images (imageModel); anything else, [N,T,F] sequences
// included, has the samples along its first dimension.
torch::Tensor readTensor(const QString &path, bool imageModel, bool *single)
{
    c10::IValue value;
    try {
        value = lua::loadCheckpoint(path.toStdString());
    } catch (const std::exception &) {
        fail(QStringLiteral("cannot read %1: %2").arg(path, torchMessage(exceptionMessage().c_str())));
    }
    if (!value.isTensor())
        fail(QStringLiteral("%1 holds a %2, not a tensor").arg(path, QString::fromStdString(value.tagKind())));
    torch::Tensor tensor = value.toTensor();
    if (tensor.dim() == 0)
        fail(QStringLiteral("%1 holds a single number, not samples").arg(path));
    *single = tensor.dim() == 1 || (imageModel && tensor.dim() == 3);
    if (*single)
        tensor = tensor.unsqueeze(0);
    return tensor.to(torch::kFloat);
}

// The model's outputs as tensors, each with the dict key that leads to it
// ("logits", "boxes.scores" in nested dicts; empty outside dicts).
struct Output
{
    QString name;
    torch::Tensor tensor;
};

void collectTensors(const c10::IValue &value, std::vector<Output> &out, const QString &name = {})
{
    if (value.isTensor()) {
        out.push_back({name, value.toTensor()});
    } else if (value.isTuple()) {
        for (const c10::IValue &item : value.toTupleRef().elements())
            collectTensors(item, out, name);
    } else if (value.isList()) {
        for (const c10::IValue &item : value.toListRef())
            collectTensors(item, out, name);
    } else if (value.isGenericDict()) {
        for (const auto &entry : value.toGenericDict()) {
            const QString key = entry.key().isString() ? QString::fromStdString(entry.key().toStringRef())
                                                       : QString::fromStdString(entry.key().tagKind());
            collectTensors(entry.value(), out, name.isEmpty() ? key : name + QLatin1Char('.') + key);
        }
    } else {
        fail(QStringLiteral("the model returned a %1, not tensors").arg(QString::fromStdString(value.tagKind())));
    }
}

QString number(double value)
{
    return QString::number(value, 'g', 6);
}

} // namespace

struct Predictor::Private
{
    std::optional<torch::jit::Module> model;
    // An AOTInductor package (.pt2) instead of TorchScript: compiled for one device.
    std::unique_ptr<torch::inductor::AOTIModelPackageLoader> package;
    c10::Device device = c10::kCPU;  // where the model is now; batches follow it
    // The forward's later tensor arguments, loaded whole (CSV rows or tensors);
    // each batch takes the same rows of each as of the first argument.
    std::vector<torch::Tensor> extraInputs;
    int64_t batchStart = 0;
    enum class FirstLayer { Unknown, Conv, Linear } firstLayer = FirstLayer::Unknown;
    int64_t inFeatures = 0;  // Conv: input channels; Linear: input features

    // The spatial size a Conv-first model accepts, found by trying a few common
    // ones (the first parameter does not tell); only asked when input is wrong.
    QString probeExpected(int64_t height, int64_t width)
    {
        std::vector<std::pair<int64_t, int64_t>> sizes{{height, width}};
        for (const int64_t side : {28, 32, 64, 96, 128, 224, 256, 299, 384, 512})
            sizes.emplace_back(side, side);
        for (const auto &[h, w] : sizes) {
            try {
                c10::InferenceMode guard;
                model->forward({torch::zeros({1, inFeatures, h, w})});
                return QStringLiteral("[N,%1,%2,%3]").arg(inFeatures).arg(h).arg(w);
            } catch (const std::exception &) {
            }
        }
        return QStringLiteral("[N,%1,H,W]").arg(inFeatures);
    }

    // Before running: does the batch fit the first layer?
    void checkShape(const torch::Tensor &batch)
    {
        const QString got = shapeText(batch.sizes());
        if (firstLayer == FirstLayer::Conv) {
            if (batch.dim() != 4)
                fail(QStringLiteral("model expects [N,%1,H,W], got %2").arg(inFeatures).arg(got));
            if (batch.size(1) != inFeatures)
                fail(QStringLiteral("model expects %1, got %2").arg(probeExpected(batch.size(2), batch.size(3)), got));
        } else if (firstLayer == FirstLayer::Linear) {
            const int64_t features = batch.dim() > 1 ? batch.numel() / std::max<int64_t>(1, batch.size(0)) : 1;
            if (batch.size(-1) != inFeatures && features != inFeatures)
                fail(QStringLiteral("model expects [N,%1], got %2").arg(inFeatures).arg(got));
        }
    }

    // Results come back to the CPU, where the CSV is written.
    static c10::IValue toCpu(const c10::IValue &value)
    {
        if (value.isTensor())
            return value.toTensor().cpu();
        if (value.isTuple()) {
            std::vector<c10::IValue> items;
            for (const c10::IValue &item : value.toTupleRef().elements())
                items.push_back(toCpu(item));
            return c10::ivalue::Tuple::create(std::move(items));
        }
        if (value.isList()) {
            c10::impl::GenericList list(value.toList().elementType());
            for (const c10::IValue &item : value.toList())
                list.push_back(toCpu(item));
            return list;
        }
        if (value.isGenericDict()) {
            c10::impl::GenericDict dict(value.toGenericDict().keyType(), value.toGenericDict().valueType());
            for (const auto &entry : value.toGenericDict())
                dict.insert(entry.key(), toCpu(entry.value()));
            return dict;
        }
        return value;
    }

    c10::IValue forward(const torch::Tensor &batch)
    {
        checkShape(batch);
        try {
            c10::InferenceMode guard;
            if (package) {
                std::vector<torch::Tensor> inputs{batch.to(device).contiguous()};
                for (const torch::Tensor &extra : extraInputs)
                    inputs.push_back(extra.narrow(0, batchStart, batch.size(0)).to(device).contiguous());
                std::vector<torch::Tensor> outputs = package->run(inputs);
                if (outputs.size() == 1)
                    return toCpu(outputs.front());
                return toCpu(c10::ivalue::Tuple::create(std::vector<c10::IValue>(outputs.begin(), outputs.end())));
            }
            std::vector<c10::IValue> arguments{batch.to(device)};
            for (const torch::Tensor &extra : extraInputs)
                arguments.emplace_back(extra.narrow(0, batchStart, batch.size(0)).to(device));
            return toCpu(model->forward(arguments));
        } catch (const std::exception &error) {
            // Right channels, wrong size: say which size works, when one does.
            if (firstLayer == FirstLayer::Conv && batch.dim() == 4) {
                const QString expected = probeExpected(batch.size(2), batch.size(3));
                const QString got = shapeText(batch.sizes());
                if (!expected.endsWith(QLatin1String("H,W]")) && expected != got)
                    fail(QStringLiteral("model expects %1, got %2").arg(expected, got));
            }
            fail(QStringLiteral("the model failed on %1: %2").arg(shapeText(batch.sizes()), torchMessage(error.what())));
        }
    }
};

Predictor::Predictor() : d(std::make_unique<Private>()) {}
Predictor::~Predictor() = default;

// A .pt2: a zip whose archive_format record says so (the file name does not decide).
static bool isPt2File(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.read(4) != QByteArrayLiteral("PK\x03\x04"))
        return false;
    file.close();
    caffe2::serialize::PyTorchStreamReader archive(QFile::encodeName(path).toStdString());
    return pt2::isPt2(archive);
}

bool Predictor::load(const QString &modelPath, QString *error)
{
    try {
        d->firstLayer = Private::FirstLayer::Unknown;
        if (isPt2File(modelPath)) {
            d->package = pt2::loadPackage(QFile::encodeName(modelPath).toStdString());
            d->model.reset();
            return true;
        }
        torch::jit::Module model = torch::jit::load(modelPath.toStdString());
        model.eval();
        for (const torch::Tensor &parameter : model.parameters(/*recurse=*/true)) {
            // A bias or norm scale first says nothing; the first weight matrix does.
            if (parameter.dim() == 4) {
                d->firstLayer = Private::FirstLayer::Conv;
                d->inFeatures = parameter.size(1);
                break;
            }
            if (parameter.dim() == 2) {
                d->firstLayer = Private::FirstLayer::Linear;
                d->inFeatures = parameter.size(1);
                break;
            }
        }
        d->model = std::move(model);
        return true;
    } catch (const std::exception &) {
        *error = QStringLiteral("cannot load model %1: %2").arg(modelPath, torchMessage(exceptionMessage().c_str()));
    }
    return false;
}

QString Predictor::expectedShape() const
{
    switch (d->firstLayer) {
    case Private::FirstLayer::Conv:
        return QStringLiteral("[N,%1,H,W]").arg(d->inFeatures);
    case Private::FirstLayer::Linear:
        return QStringLiteral("[N,%1]").arg(d->inFeatures);
    case Private::FirstLayer::Unknown:
        break;
    }
    return {};
}

QStringList Predictor::expandInputs(const QStringList &inputs, QString *error)
{
    QStringList files;
    for (const QString &input : inputs) {
        const QFileInfo info(input);
        if (info.isDir()) {
            QStringList images;
            const QFileInfoList entries = QDir(input).entryInfoList(QDir::Files | QDir::Readable, QDir::Name);
            for (const QFileInfo &entry : entries) {
                if (isImageFile(entry))
                    images.append(entry.filePath());
            }
            if (images.isEmpty()) {
                *error = QStringLiteral("no images in folder %1").arg(input);
                return {};
            }
            files += images;
        } else if (info.isFile()) {
            files.append(input);
        } else {
            *error = QStringLiteral("cannot read %1: no such file or folder").arg(input);
            return {};
        }
    }
    return files;
}

QStringList Predictor::inputNames() const
{
    QStringList names;
    if (!d->model)
        return names;
    try {
        const auto &arguments = d->model->get_method("forward").function().getSchema().arguments();
        for (size_t i = 1; i < arguments.size(); ++i)  // 0 is self
            names.append(QString::fromStdString(arguments[i].name()));
    } catch (const std::exception &) {
    }
    return names;
}

bool Predictor::setExtraInputs(const QStringList &files, QString *error)
{
    d->extraInputs.clear();
    try {
        for (const QString &file : files) {
            if (inputKind(file) == InputKind::Csv) {
                d->extraInputs.push_back(readCsv(file));
            } else if (inputKind(file) == InputKind::Tensor) {
                bool single = false;
                d->extraInputs.push_back(readTensor(file, false, &single));
            } else {
                fail(QStringLiteral("%1: a later model input takes a CSV file or a tensor saved with torch.save")
                         .arg(QFileInfo(file).fileName()));
            }
        }
        return true;
    } catch (const std::exception &e) {
        *error = QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0);
        d->extraInputs.clear();
        return false;
    }
}

bool Predictor::predict(const QStringList &inputs, const PredictOptions &options, PredictTable *table,
                        QString *error, const Progress &progress)
{
    if (!d->model && !d->package) {
        *error = QStringLiteral("no model loaded");
        return false;
    }
    const QStringList files = expandInputs(inputs, error);
    if (files.isEmpty())
        return false;
    table->header.clear();
    table->rows.clear();
    try {
        torch::NoGradGuard noGrad;
        // CSV and tensor files are small enough to load whole; images wait for their batch.
        std::vector<torch::Tensor> sources;
        std::vector<Sample> samples;
        for (const QString &file : files) {
            const QString name = QFileInfo(file).fileName();
            switch (inputKind(file)) {
            case InputKind::Image:
                samples.push_back({name, file, -1, 0});
                break;
            case InputKind::Csv: {
                sources.push_back(readCsv(file, options.columns));
                const int64_t rows = sources.back().size(0);
                for (int64_t i = 0; i < rows; ++i) {
                    const QString row = QString::number(i + 1);
                    samples.push_back({files.size() == 1 ? row : name + QLatin1Char(':') + row, {}, int(sources.size() - 1), i});
                }
                break;
            }
            case InputKind::Tensor: {
                bool single = false;
                sources.push_back(readTensor(file, d->firstLayer == Private::FirstLayer::Conv, &single));
                const int64_t rows = sources.back().size(0);
                for (int64_t i = 0; i < rows; ++i)
                    samples.push_back({single ? name : QStringLiteral("%1[%2]").arg(name).arg(i), {}, int(sources.size() - 1), i});
                break;
            }
            }
        }

        const int64_t total = int64_t(samples.size());
        for (size_t a = 0; a < d->extraInputs.size(); ++a) {
            if (d->extraInputs[a].size(0) != total)
                fail(QStringLiteral("input %1 has %2 samples but input 1 has %3").arg(a + 2).arg(d->extraInputs[a].size(0)).arg(total));
        }
        const int64_t batchSize = std::max(1, options.batchSize);
        std::vector<int64_t> firstShape;
        QString firstName;
        torch::Tensor mean, deviation;
        int64_t normalizedChannels = -1;
        bool classification = false;
        bool alreadyProbabilities = false;
        int64_t columns = 0;
        QStringList classNames;

        for (int64_t start = 0; start < total; start += batchSize) {
            const int64_t end = std::min(total, start + batchSize);
            std::vector<torch::Tensor> items;
            items.reserve(size_t(end - start));
            bool allImages = true;
            for (int64_t i = start; i < end; ++i) {
                const Sample &sample = samples[size_t(i)];
                if (sample.source < 0) {
                    items.push_back(decodeImage(sample.imagePath, options));
                } else {
                    items.push_back(sources[size_t(sample.source)][sample.index]);
                    allImages = false;
                }
                const std::vector<int64_t> shape = items.back().sizes().vec();
                if (firstShape.empty()) {
                    firstShape = shape;
                    firstName = sample.name;
                } else if (shape != firstShape) {
                    fail(QStringLiteral("%1 is %2 but %3 is %4; give --size HxW or --grayscale/--rgb to make them alike")
                             .arg(sample.name, sampleShapeText(shape), firstName, sampleShapeText(firstShape)));
                }
            }

            // Images: scale, then (x - mean) / std per channel, once per batch.
            auto normalize = [&](torch::Tensor pixels) {
                pixels = pixels.to(torch::kFloat).mul_(options.scale);
                const int64_t channels = pixels.size(-3);
                if (channels != normalizedChannels) {
                    auto perChannel = [&](const QList<double> &values, double fallback, const char *option) {
                        if (values.isEmpty())
                            return torch::full({channels, 1, 1}, fallback);
                        if (values.size() != 1 && values.size() != channels)
                            fail(QStringLiteral("%1 has %2 values but the images have %3 channel(s)")
                                     .arg(QLatin1String(option)).arg(values.size()).arg(channels));
                        torch::Tensor t = torch::empty({channels, 1, 1});
                        for (int64_t c = 0; c < channels; ++c)
                            t[c] = values.size() == 1 ? values.first() : values.at(c);
                        return t;
                    };
                    mean = perChannel(options.mean, 0.0, "--mean");
                    deviation = perChannel(options.std, 1.0, "--std");
                    normalizedChannels = channels;
                }
                if (!options.mean.isEmpty())
                    pixels.sub_(mean);
                if (!options.std.isEmpty())
                    pixels.div_(deviation);
                return pixels;
            };
            torch::Tensor batch;
            if (allImages) {
                batch = normalize(torch::stack(items));
            } else {
                for (size_t i = 0; i < items.size(); ++i) {
                    if (samples[size_t(start) + i].source < 0)
                        items[i] = normalize(items[i]);
                }
                batch = torch::stack(items);
            }

            std::vector<Output> named;
            d->batchStart = start;
            if (start == 0 && d->device != c10::Device(options.device.toStdString())) {
                d->device = c10::Device(options.device.toStdString());
                if (d->model)
                    d->model->to(d->device);
                else
                    fail(QStringLiteral("an AOTInductor package runs on the device it was compiled for; "
                                        "leave the device on cpu for a CPU package"));
            }
            collectTensors(d->forward(batch), named);
            std::vector<torch::Tensor> outputs;
            for (const Output &output : named)
                outputs.push_back(output.tensor);
            const int64_t n = end - start;
            for (size_t o = 0; o < outputs.size(); ++o) {
                if (outputs[o].dim() == 0 || outputs[o].size(0) != n)
                    fail(QStringLiteral("the model's output %1 has shape %2, expected %3 rows for the batch")
                             .arg(o).arg(sampleShapeText(outputs[o].sizes())).arg(n));
            }

            if (start == 0) {
                // [N,K] floats with K >= 2: class scores. Anything else: columns.
                classification = !options.raw && outputs.size() == 1 && named[0].name.isEmpty() && outputs[0].dim() == 2
                    && outputs[0].size(1) >= 2 && outputs[0].is_floating_point();
                QStringList header{QStringLiteral("input")};
                if (classification) {
                    const int64_t classes = outputs[0].size(1);
                    if (!options.labels.isEmpty() && options.labels.size() != classes)
                        fail(QStringLiteral("the labels file has %1 labels but the model gives %2 classes")
                                 .arg(options.labels.size()).arg(classes));
                    for (int64_t k = 0; k < classes; ++k)
                        classNames.append(options.labels.isEmpty() ? QString::number(k) : options.labels.at(k));
                    // A model that ends in softmax already gives probabilities.
                    const torch::Tensor scores = outputs[0].to(torch::kDouble);
                    alreadyProbabilities = scores.min().item<double>() >= 0 && scores.max().item<double>() <= 1
                        && (scores.sum(1) - 1).abs().max().item<double>() < 1e-4;
                    const int64_t k = std::min<int64_t>(std::max(1, options.topk), classes);
                    for (int64_t i = 1; i <= k; ++i)
                        header << QStringLiteral("top%1_label").arg(i) << QStringLiteral("top%1_prob").arg(i);
                    for (const QString &name : std::as_const(classNames))
                        header << QStringLiteral("prob_") + name;
                    columns = classes;
                } else {
                    // Unnamed outputs number their columns out0, out1, ... across
                    // outputs; a dict's outputs are one column group per key.
                    int64_t unnamed = 0;
                    for (const Output &output : named) {
                        const int64_t width = output.tensor.numel() / n;
                        columns += width;
                        for (int64_t c = 0; c < width; ++c) {
                            if (output.name.isEmpty())
                                header << QStringLiteral("out%1").arg(unnamed++);
                            else
                                header << (width == 1 ? output.name : QStringLiteral("%1_%2").arg(output.name).arg(c));
                        }
                    }
                }
                table->header = header;
            }

            if (classification) {
                const torch::Tensor scores = outputs[0].to(torch::kFloat);
                const torch::Tensor probs = (alreadyProbabilities ? scores : torch::softmax(scores, 1)).to(torch::kDouble).contiguous();
                const int64_t classes = probs.size(1);
                if (classes != columns)
                    fail(QStringLiteral("the model gave %1 classes, earlier %2").arg(classes).arg(columns));
                const int64_t k = std::min<int64_t>(std::max(1, options.topk), classes);
                const auto [topValues, topIndices] = torch::topk(probs, k, 1);
                const auto p = probs.accessor<double, 2>();
                const auto tv = topValues.accessor<double, 2>();
                const auto ti = topIndices.accessor<int64_t, 2>();
                for (int64_t r = 0; r < n; ++r) {
                    QStringList row{samples[size_t(start + r)].name};
                    for (int64_t i = 0; i < k; ++i)
                        row << classNames.at(ti[r][i]) << number(tv[r][i]);
                    for (int64_t c = 0; c < classes; ++c)
                        row << number(p[r][c]);
                    table->rows.append(row);
                }
            } else {
                std::vector<torch::Tensor> flat;
                int64_t width = 0;
                for (const torch::Tensor &output : outputs) {
                    flat.push_back(output.reshape({n, -1}).to(torch::kDouble).contiguous());
                    width += flat.back().size(1);
                }
                if (width != columns)
                    fail(QStringLiteral("the model gave %1 values per sample, earlier %2").arg(width).arg(columns));
                for (int64_t r = 0; r < n; ++r) {
                    QStringList row{samples[size_t(start + r)].name};
                    for (const torch::Tensor &values : flat) {
                        const auto v = values.accessor<double, 2>();
                        for (int64_t c = 0; c < values.size(1); ++c)
                            row << number(v[r][c]);
                    }
                    table->rows.append(row);
                }
            }
            if (progress)
                progress(end, total);
        }
        return true;
    } catch (const std::exception &) {
        *error = torchMessage(exceptionMessage().c_str());
    }
    return false;
}

} // namespace kiln
