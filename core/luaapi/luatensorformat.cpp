#include "luaapi/luatensorops_p.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

// Tensors print as PyTorch prints them (torch/_tensor_str.py): four decimals, a
// shared column width, "1." for whole floats, scientific notation for wide
// ranges, "..." past 1000 elements, and dtype/requires_grad/grad_fn suffixes.
// A PyTorch user reads Kiln's output without translating.

namespace kiln::lua {

namespace {

constexpr int kPrecision = 4;
constexpr int64_t kThreshold = 1000;
constexpr int64_t kEdgeItems = 3;
constexpr int kLineWidth = 80;

std::string printfString(const char *format, double value)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, value);
    return buffer;
}

std::string pythonFloat(double value, const char *format)
{
    if (std::isnan(value))
        return "nan";
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    return printfString(format, value);
}

class Formatter
{
public:
    explicit Formatter(const at::Tensor &values)
        : mFloating(at::isFloatingType(values.scalar_type())), mBool(values.scalar_type() == at::kBool)
    {
        const at::Tensor flat = values.reshape({-1});
        if (!mFloating) {
            const at::Tensor asLong = flat.to(at::kLong).contiguous();
            const int64_t *data = asLong.data_ptr<int64_t>();
            for (int64_t i = 0; i < asLong.numel(); ++i)
                mWidth = std::max(mWidth, int(formatInteger(data[i]).size()));
            return;
        }
        const at::Tensor asDouble = flat.to(at::kDouble).contiguous();
        const double *data = asDouble.data_ptr<double>();
        std::vector<double> finite;
        for (int64_t i = 0; i < asDouble.numel(); ++i) {
            if (std::isfinite(data[i]) && data[i] != 0)
                finite.push_back(data[i]);
            else if (!std::isfinite(data[i]))
                mWidth = std::max(mWidth, int(pythonFloat(data[i], "%f").size()));
        }
        if (finite.empty())
            return;
        double lowest = std::abs(finite.front()), highest = lowest;
        for (double value : finite) {
            lowest = std::min(lowest, std::abs(value));
            highest = std::max(highest, std::abs(value));
            if (value != std::ceil(value))
                mIntMode = false;
        }
        if (mIntMode) {
            mSciMode = highest / lowest > 1000.0 || highest > 1e8;
            for (double value : finite) {
                mWidth = std::max(mWidth, int(mSciMode ? printfString("%.4e", value).size()
                                                        : printfString("%.0f", value).size() + 1));
            }
        } else {
            mSciMode = highest / lowest > 1000.0 || highest > 1e8 || lowest < 1e-4;
            for (double value : finite)
                mWidth = std::max(mWidth, int(printfString(mSciMode ? "%.4e" : "%.4f", value).size()));
        }
    }

    int width() const { return mWidth; }

    std::string format(const at::Tensor &scalar) const
    {
        std::string text;
        if (mBool) {
            text = scalar.item<bool>() ? "True" : "False";
        } else if (!mFloating) {
            text = formatInteger(scalar.item<int64_t>());
        } else {
            const double value = scalar.item<double>();
            if (mSciMode) {
                text = pythonFloat(value, "%.4e");
            } else if (mIntMode) {
                text = pythonFloat(value, "%.0f");
                if (std::isfinite(value))
                    text += '.';
            } else {
                text = pythonFloat(value, "%.4f");
            }
        }
        if (int(text.size()) < mWidth)
            text.insert(0, size_t(mWidth) - text.size(), ' ');
        return text;
    }

private:
    std::string formatInteger(int64_t value) const
    {
        if (mBool)
            return value ? "True" : "False";
        return std::to_string(value);
    }

    bool mFloating;
    bool mBool;
    bool mIntMode = true;
    bool mSciMode = false;
    int mWidth = 1;
};

// The values that will be shown: the first and last edge items of each dim.
at::Tensor summarized(const at::Tensor &tensor)
{
    if (tensor.dim() == 0)
        return tensor;
    if (tensor.dim() == 1) {
        if (tensor.size(0) > 2 * kEdgeItems)
            return at::cat({tensor.narrow(0, 0, kEdgeItems), tensor.narrow(0, tensor.size(0) - kEdgeItems, kEdgeItems)});
        return tensor;
    }
    std::vector<at::Tensor> parts;
    const int64_t n = tensor.size(0);
    auto add = [&](int64_t i) { parts.push_back(summarized(tensor.select(0, i)).unsqueeze(0)); };
    if (n > 2 * kEdgeItems) {
        for (int64_t i = 0; i < kEdgeItems; ++i)
            add(i);
        for (int64_t i = n - kEdgeItems; i < n; ++i)
            add(i);
    } else {
        for (int64_t i = 0; i < n; ++i)
            add(i);
    }
    return at::cat(parts);
}

std::string vectorString(const at::Tensor &tensor, int indent, bool summarize, const Formatter &formatter)
{
    const int elementLength = formatter.width() + 2;
    const int perLine = std::max(1, (kLineWidth - indent) / elementLength);
    std::vector<std::string> data;
    const int64_t n = tensor.size(0);
    if (summarize && n > 2 * kEdgeItems) {
        for (int64_t i = 0; i < kEdgeItems; ++i)
            data.push_back(formatter.format(tensor[i]));
        data.push_back(" ...");
        for (int64_t i = n - kEdgeItems; i < n; ++i)
            data.push_back(formatter.format(tensor[i]));
    } else {
        for (int64_t i = 0; i < n; ++i)
            data.push_back(formatter.format(tensor[i]));
    }
    std::string out = "[";
    for (size_t i = 0; i < data.size(); ++i) {
        if (i > 0)
            out += (i % size_t(perLine) == 0) ? ",\n" + std::string(size_t(indent + 1), ' ') : std::string(", ");
        out += data[i];
    }
    return out + "]";
}

std::string tensorString(const at::Tensor &tensor, int indent, bool summarize, const Formatter &formatter)
{
    if (tensor.dim() == 0)
        return formatter.format(tensor);
    if (tensor.dim() == 1)
        return vectorString(tensor, indent, summarize, formatter);
    std::vector<std::string> slices;
    const int64_t n = tensor.size(0);
    if (summarize && n > 2 * kEdgeItems) {
        for (int64_t i = 0; i < kEdgeItems; ++i)
            slices.push_back(tensorString(tensor[i], indent + 1, summarize, formatter));
        slices.push_back("...");
        for (int64_t i = n - kEdgeItems; i < n; ++i)
            slices.push_back(tensorString(tensor[i], indent + 1, summarize, formatter));
    } else {
        for (int64_t i = 0; i < n; ++i)
            slices.push_back(tensorString(tensor[i], indent + 1, summarize, formatter));
    }
    const std::string separator = "," + std::string(size_t(tensor.dim() - 1), '\n') + std::string(size_t(indent + 1), ' ');
    std::string out = "[";
    for (size_t i = 0; i < slices.size(); ++i) {
        if (i > 0)
            out += separator;
        out += slices[i];
    }
    return out + "]";
}

std::string shapeTuple(const at::Tensor &tensor)
{
    std::string out = "(";
    for (int64_t d = 0; d < tensor.dim(); ++d) {
        if (d > 0)
            out += ", ";
        out += std::to_string(tensor.size(d));
    }
    if (tensor.dim() == 1)
        out += ",";
    return out + ")";
}

} // namespace

std::string formatTensor(const at::Tensor &input)
{
    if (!input.defined())
        return "None";
    // Values are read on the CPU; the device is named as PyTorch names it.
    const at::Tensor tensor = input.detach().cpu();
    const std::string prefix = "tensor(";
    const int indent = int(prefix.size());
    std::vector<std::string> suffixes;
    std::string body;
    if (tensor.numel() == 0) {
        if (tensor.dim() != 1)
            suffixes.push_back("size=" + shapeTuple(tensor));
        body = "[]";
    } else {
        const bool summarize = tensor.numel() > kThreshold;
        const Formatter formatter(summarize ? summarized(tensor) : tensor);
        body = tensorString(tensor, indent, summarize, formatter);
    }
    if (!input.is_cpu())
        suffixes.push_back("device='" + input.device().str() + "'");
    const at::ScalarType type = tensor.scalar_type();
    if (type != at::kFloat && type != at::kLong && type != at::kBool)
        suffixes.push_back(std::string("dtype=torch.") + dtypeName(type));
    if (input.grad_fn()) {
        // libtorch names nodes with their C++ namespace; PyTorch shows the class only.
        std::string name = input.grad_fn()->name();
        const size_t colon = name.rfind("::");
        if (colon != std::string::npos)
            name.erase(0, colon + 2);
        suffixes.push_back("grad_fn=<" + name + ">");
    }
    else if (input.requires_grad())
        suffixes.push_back("requires_grad=True");

    std::string out = prefix + body;
    const size_t lastNewline = out.rfind('\n');
    // PyTorch counts two more than the last line's length (len - rfind('\n') + 1);
    // matching it keeps line breaks where PyTorch puts them.
    int lastLineLength = int(lastNewline == std::string::npos ? out.size() + 2 : out.size() - lastNewline + 1);
    for (const std::string &suffix : suffixes) {
        if (int(suffix.size()) + lastLineLength + 2 > kLineWidth) {
            out += ",\n" + std::string(size_t(indent), ' ') + suffix;
            lastLineLength = indent + int(suffix.size());
        } else {
            out += ", " + suffix;
            lastLineLength += int(suffix.size()) + 2;
        }
    }
    return out + ")";
}

} // namespace kiln::lua
