// The Fashion-MNIST MLP epoch of bench/mlp_epoch.kiln.md written directly
// against libtorch's C++ API: the baseline Kiln's Lua loop is measured against.
// Usage: mlp_epoch BATCH_SIZE EPOCHS [DATA_DIR]; prints one "seconds" line per epoch.
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>
#include <zlib.h>

namespace {

std::vector<uint8_t> readGzip(const std::string &path)
{
    gzFile file = gzopen(path.c_str(), "rb");
    if (!file)
        throw std::runtime_error("cannot open " + path);
    std::vector<uint8_t> bytes;
    uint8_t buffer[1 << 16];
    int got;
    while ((got = gzread(file, buffer, sizeof buffer)) > 0)
        bytes.insert(bytes.end(), buffer, buffer + got);
    gzclose(file);
    return bytes;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s BATCH_SIZE EPOCHS [DATA_DIR]\n", argv[0]);
        return 2;
    }
    const int64_t batchSize = std::stoll(argv[1]);
    const int epochs = std::stoi(argv[2]);
    const std::string dir = argc > 3 ? argv[3] : "/usr/share/datasets/fashion-mnist";

    const std::vector<uint8_t> images = readGzip(dir + "/train-images-idx3-ubyte.gz");
    const std::vector<uint8_t> labels = readGzip(dir + "/train-labels-idx1-ubyte.gz");
    const int64_t n = 60000;
    torch::Tensor x = torch::from_blob(const_cast<uint8_t *>(images.data()) + 16, {n, 784}, torch::kUInt8)
                          .to(torch::kFloat) / 255.0;
    torch::Tensor y = torch::from_blob(const_cast<uint8_t *>(labels.data()) + 8, {n}, torch::kUInt8).to(torch::kLong);

    torch::manual_seed(0);
    torch::nn::Sequential model(torch::nn::Linear(784, 128), torch::nn::ReLU(), torch::nn::Linear(128, 10));
    torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));

    for (int epoch = 0; epoch < epochs; ++epoch) {
        const auto start = std::chrono::steady_clock::now();
        const torch::Tensor permutation = torch::randperm(n, torch::kLong);
        for (int64_t i = 0; i + batchSize <= n; i += batchSize) {
            const torch::Tensor index = permutation.narrow(0, i, batchSize);
            const torch::Tensor xb = x.index_select(0, index);
            const torch::Tensor yb = y.index_select(0, index);
            const torch::Tensor loss = torch::nn::functional::cross_entropy(model->forward(xb), yb);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("seconds %.4f\n", seconds);
        std::fflush(stdout);
    }
    return 0;
}
