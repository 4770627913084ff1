// The baseline for `kiln predict` on an image folder: a plain C++ loop that only
// decodes the images with QImage and runs the model's forward in the same
// batches. Also writes the benchmark's images and model.
// Usage: predict_images prepare DIR COUNT      (DIR/images/*.png and DIR/model.pt)
//        predict_images loop MODEL IMAGE_DIR BATCH   (prints "images_per_second X")
#include <torch/script.h>
#include <torch/torch.h>

#include "readers/idxreader.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>

#include <cstdio>
#include <cstring>
#include <vector>

namespace {

// A small CNN as TorchScript: conv(1->16) relu pool, conv(16->32) relu pool, linear(1568->10).
void writeModel(const QString &path)
{
    torch::manual_seed(0);
    torch::jit::Module model("PredictBenchCnn");
    model.register_parameter("w1", torch::randn({16, 1, 3, 3}) * 0.3, false);
    model.register_parameter("b1", torch::zeros({16}), false);
    model.register_parameter("w2", torch::randn({32, 16, 3, 3}) * 0.1, false);
    model.register_parameter("b2", torch::zeros({32}), false);
    model.register_parameter("w3", torch::randn({10, 32 * 7 * 7}) * 0.02, false);
    model.register_parameter("b3", torch::zeros({10}), false);
    model.define(R"(
def forward(self, x):
    x = torch.max_pool2d(torch.relu(torch.conv2d(x, self.w1, self.b1, [1, 1], [1, 1])), [2, 2])
    x = torch.max_pool2d(torch.relu(torch.conv2d(x, self.w2, self.b2, [1, 1], [1, 1])), [2, 2])
    return torch.linear(torch.flatten(x, 1), self.w3, self.b3)
)");
    model.save(path.toStdString());
}

int prepare(const QString &dir, int count)
{
    QDir().mkpath(dir + QStringLiteral("/images"));
    writeModel(dir + QStringLiteral("/model.pt"));
    kiln::IdxArray array;
    kiln::IdxReader reader;
    const bool fashion = reader.read(QStringLiteral("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"), &array)
        && array.count() >= qint64(count) * 784;
    std::fprintf(stderr, "images from %s\n", fashion ? "Fashion-MNIST t10k" : "random pixels");
    torch::manual_seed(1);
    const torch::Tensor random = torch::randint(0, 256, {count, 28, 28}, torch::kUInt8);
    for (int i = 0; i < count; ++i) {
        QImage image(28, 28, QImage::Format_Grayscale8);
        const uchar *pixels = fashion ? reinterpret_cast<const uchar *>(array.data.constData()) + qint64(i) * 784
                                      : random[i].data_ptr<uint8_t>();
        for (int y = 0; y < 28; ++y)
            std::memcpy(image.scanLine(y), pixels + y * 28, 28);
        image.save(QStringLiteral("%1/images/%2.png").arg(dir).arg(i, 5, 10, QLatin1Char('0')));
    }
    return 0;
}

int loop(const QString &modelPath, const QString &imageDir, int batchSize)
{
    QElapsedTimer timer;
    timer.start();
    torch::jit::Module model = torch::jit::load(modelPath.toStdString());
    model.eval();
    const QStringList files = QDir(imageDir).entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name);
    double checksum = 0;
    c10::InferenceMode guard;
    for (qsizetype start = 0; start < files.size(); start += batchSize) {
        const qsizetype n = std::min<qsizetype>(batchSize, files.size() - start);
        torch::Tensor batch = torch::empty({int64_t(n), 1, 28, 28}, torch::kUInt8);
        for (qsizetype i = 0; i < n; ++i) {
            const QImage image = QImage(QDir(imageDir).filePath(files.at(start + i))).convertToFormat(QImage::Format_Grayscale8);
            uint8_t *out = batch[i].data_ptr<uint8_t>();
            for (int y = 0; y < 28; ++y)
                std::memcpy(out + y * 28, image.constScanLine(y), 28);
        }
        const torch::Tensor scores = model.forward({batch.to(torch::kFloat).div_(255)}).toTensor();
        checksum += scores.softmax(1).max().item<double>();
    }
    const double seconds = timer.elapsed() / 1000.0;
    std::printf("images %lld\nseconds %.4f\nimages_per_second %.1f\nchecksum %.4f\n", (long long)files.size(), seconds,
                files.size() / seconds, checksum);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() >= 3 && args.at(1) == QLatin1String("prepare"))
        return prepare(args.at(2), args.size() > 3 ? args.at(3).toInt() : 2000);
    if (args.size() >= 4 && args.at(1) == QLatin1String("loop"))
        return loop(args.at(2), args.at(3), args.size() > 4 ? args.at(4).toInt() : 64);
    std::fprintf(stderr, "usage: %s prepare DIR [COUNT] | loop MODEL IMAGE_DIR [BATCH]\n", argv[0]);
    return 2;
}
