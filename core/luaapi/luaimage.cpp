#include "luaapi/luadata_p.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QImageWriter>
#include <QSaveFile>

#include <cstring>
#include <vector>

// image.* (load, save, resize, normalize, to_grayscale) and
// datasets.image_folder: images as float32 [C, H, W] in [0, 1], decoded and
// encoded by Qt, resized like torchvision.

namespace kiln::lua {

namespace {

enum class ImageMode { Auto, Gray, RGB, RGBA };

ImageMode checkImageMode(lua_State *L, int options, const char *function)
{
    const int index = pushOption(L, options, "mode", LUA_TSTRING, "\"L\", \"RGB\" or \"RGBA\"");
    const char *mode = lua_tostring(L, index);
    lua_pop(L, 1);
    if (!mode)
        return ImageMode::Auto;
    if (std::strcmp(mode, "L") == 0)
        return ImageMode::Gray;
    if (std::strcmp(mode, "RGB") == 0)
        return ImageMode::RGB;
    if (std::strcmp(mode, "RGBA") == 0)
        return ImageMode::RGBA;
    luaL_error(L, "%s: mode must be \"L\", \"RGB\" or \"RGBA\", got '%s'", function, mode);
    return ImageMode::Auto;
}

bool isGrayImage(const QImage &image)
{
    switch (image.format()) {
    case QImage::Format_Grayscale8:
    case QImage::Format_Grayscale16:
        return true;
    case QImage::Format_Indexed8:
    case QImage::Format_Mono:
    case QImage::Format_MonoLSB:
        return image.isGrayscale();
    default:
        return false;
    }
}

QImage readImage(const QString &path, const char *function)
{
    if (!QFileInfo(path).isFile())
        fail(QStringLiteral("%1: %2 not found").arg(QLatin1String(function), path));
    QImageReader reader(path);
    reader.setAutoTransform(true);
    QImage image = reader.read();
    if (image.isNull())
        fail(QStringLiteral("%1: cannot read %2 as an image (%3)").arg(QLatin1String(function), path, reader.errorString()));
    return image;
}

// float32 [C, H, W] in [0, 1]; `mode` Auto keeps gray images gray and makes the rest RGB.
at::Tensor imageToTensor(const QImage &source, ImageMode mode)
{
    if (mode == ImageMode::Auto)
        mode = isGrayImage(source) ? ImageMode::Gray : ImageMode::RGB;
    QImage image;
    int channels = 1;
    switch (mode) {
    case ImageMode::Gray:
        image = source.convertToFormat(QImage::Format_Grayscale8);
        break;
    case ImageMode::RGBA:
        image = source.convertToFormat(QImage::Format_RGBA8888);
        channels = 4;
        break;
    default:
        image = source.convertToFormat(QImage::Format_RGB888);
        channels = 3;
        break;
    }
    const int64_t h = image.height();
    const int64_t w = image.width();
    at::Tensor pixels = at::empty({h, w, channels}, at::kByte);
    auto *out = pixels.data_ptr<uint8_t>();
    for (int64_t r = 0; r < h; ++r)
        std::memcpy(out + r * w * channels, image.constScanLine(int(r)), size_t(w * channels));
    return pixels.permute({2, 0, 1}).to(at::kFloat).div_(255.0);
}

} // namespace

// image.load(path, {mode = "L"|"RGB"|"RGBA"}) -> float32 [C, H, W] in [0, 1]
int imageLoad(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    const ImageMode mode = checkImageMode(L, optionsIndex(L, 2), "image.load");
    return protect(L, [&] {
        pushTensor(L, imageToTensor(readImage(QString::fromUtf8(path), "image.load"), mode));
        return 1;
    });
}

// image.save(path, t): [C, H, W] (C = 1, 3, 4) or [H, W]; float in [0, 1] (clamped) or uint8.
int imageSave(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    const at::Tensor &tensor = checkTensor(L, 2);
    return protect(L, [&] {
        at::Tensor t = tensor.detach().to(at::kCPU);
        if (t.dim() == 2)
            t = t.unsqueeze(0);
        if (t.dim() != 3 || (t.size(0) != 1 && t.size(0) != 3 && t.size(0) != 4))
            fail(QStringLiteral("image.save: expected [C, H, W] with C = 1, 3 or 4, or [H, W], got shape %1").arg(shapeText(tensor)));
        if (t.is_floating_point())
            t = t.clamp(0, 1).mul(255).round().to(at::kByte);
        else if (t.scalar_type() != at::kByte)
            fail(QStringLiteral("image.save: expected a float tensor in [0, 1] or uint8, got %1").arg(QLatin1String(dtypeName(t.scalar_type()))));
        const int channels = int(t.size(0));
        const int h = int(t.size(1));
        const int w = int(t.size(2));
        t = t.permute({1, 2, 0}).cpu().contiguous();
        const QImage::Format format = channels == 1 ? QImage::Format_Grayscale8
            : channels == 3                         ? QImage::Format_RGB888
                                                    : QImage::Format_RGBA8888;
        QImage image(w, h, format);
        if (image.isNull())
            fail(QStringLiteral("image.save: the image is too large"));
        const auto *in = t.data_ptr<uint8_t>();
        for (int r = 0; r < h; ++r)
            std::memcpy(image.scanLine(r), in + int64_t(r) * w * channels, size_t(w) * channels);

        const QString filePath = QString::fromUtf8(path);
        const QByteArray suffix = QFileInfo(filePath).suffix().toLower().toLatin1();
        if (!QImageWriter::supportedImageFormats().contains(suffix)) {
            QStringList formats;
            for (const QByteArray &known : QImageWriter::supportedImageFormats())
                formats.append(QString::fromLatin1(known));
            fail(QStringLiteral("image.save: cannot tell the format of %1 from its name (supported: %2)")
                     .arg(filePath, formats.join(QLatin1String(", "))));
        }
        QSaveFile file(filePath);
        if (!file.open(QIODevice::WriteOnly))
            fail(QStringLiteral("image.save: cannot write %1: %2").arg(filePath, file.errorString()));
        QImageWriter writer(&file, suffix);
        if (suffix == "jpg" || suffix == "jpeg")
            writer.setQuality(95);
        if (!writer.write(image))
            fail(QStringLiteral("image.save: cannot write %1: %2").arg(filePath, writer.errorString()));
        if (!file.commit())
            fail(QStringLiteral("image.save: cannot write %1: %2").arg(filePath, file.errorString()));
        return 0;
    });
}

namespace {

// {h, w} or one number for a square.
void checkImageSize(lua_State *L, int index, const char *function, int64_t *h, int64_t *w)
{
    if (lua_isinteger(L, index)) {
        *h = *w = lua_tointeger(L, index);
    } else if (lua_istable(L, index) && luaL_len(L, index) == 2) {
        lua_rawgeti(L, index, 1);
        lua_rawgeti(L, index, 2);
        if (!lua_isinteger(L, -2) || !lua_isinteger(L, -1))
            luaL_error(L, "%s: size must be {h, w} with integers", function);
        *h = lua_tointeger(L, -2);
        *w = lua_tointeger(L, -1);
        lua_pop(L, 2);
    } else {
        luaL_error(L, "%s: size must be {h, w} or one integer, got %s", function, luaL_typename(L, index));
    }
    if (*h <= 0 || *w <= 0 || *h > 65536 || *w > 65536)
        luaL_error(L, "%s: size must be positive (got %d x %d)", function, int(*h), int(*w));
}

// Bilinear like torchvision's resize: antialiased when shrinking, so small
// targets do not alias. Keeps the input's rank and, for uint8, its dtype.
at::Tensor resizeImage(const at::Tensor &input, int64_t h, int64_t w)
{
    if (input.dim() != 3 && input.dim() != 4)
        fail(QStringLiteral("image.resize: expected [C, H, W] or [N, C, H, W], got shape %1").arg(shapeText(input)));
    const bool bytes = input.scalar_type() == at::kByte;
    at::Tensor t = input.dim() == 3 ? input.unsqueeze(0) : input;
    t = t.is_floating_point() ? t : t.to(at::kFloat);
    if (t.size(2) == h && t.size(3) == w) {
        t = t.clone();
    } else {
        const bool shrink = h < t.size(2) || w < t.size(3);
        t = shrink ? at::_upsample_bilinear2d_aa(t, {h, w}, false) : at::upsample_bilinear2d(t, {h, w}, false);
    }
    if (bytes)
        t = t.round().clamp(0, 255).to(at::kByte);
    return input.dim() == 3 ? t.squeeze(0) : t;
}

} // namespace

// image.resize(t, {h, w}) for [C, H, W] or [N, C, H, W]
int imageResize(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    int64_t h = 0;
    int64_t w = 0;
    checkImageSize(L, 2, "image.resize", &h, &w);
    return protect(L, [&] {
        pushTensor(L, resizeImage(tensor, h, w));
        return 1;
    });
}

namespace {

// A number or an array of numbers, checked before any C++ object exists.
void checkNumbers(lua_State *L, int index, const char *name)
{
    if (lua_type(L, index) == LUA_TNUMBER)
        return;
    if (!lua_istable(L, index))
        luaL_error(L, "image.normalize: %s must be a number or an array of numbers, got %s", name, luaL_typename(L, index));
    const lua_Integer n = luaL_len(L, index);
    for (lua_Integer i = 1; i <= n; ++i) {
        if (lua_rawgeti(L, index, i) != LUA_TNUMBER)
            luaL_error(L, "image.normalize: %s[%d] must be a number", name, int(i));
        lua_pop(L, 1);
    }
}

std::vector<double> toNumbers(lua_State *L, int index)
{
    if (lua_type(L, index) == LUA_TNUMBER)
        return {lua_tonumber(L, index)};
    std::vector<double> numbers;
    const lua_Integer n = luaL_len(L, index);
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_rawgeti(L, index, i);
        numbers.push_back(lua_tonumber(L, -1));
        lua_pop(L, 1);
    }
    return numbers;
}

int64_t channelDim(const at::Tensor &t, const char *function)
{
    if (t.dim() != 3 && t.dim() != 4)
        fail(QStringLiteral("%1: expected [C, H, W] or [N, C, H, W], got shape %2").arg(QLatin1String(function), shapeText(t)));
    return t.dim() - 3;
}

} // namespace

// image.normalize(t, mean, std): (t - mean) / std per channel.
int imageNormalize(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    checkNumbers(L, 2, "mean");
    checkNumbers(L, 3, "std");
    return protect(L, [&] {
        const int64_t dim = channelDim(tensor, "image.normalize");
        const int64_t channels = tensor.size(dim);
        auto perChannel = [&](int index, const char *name) {
            const std::vector<double> numbers = toNumbers(L, index);
            if (numbers.size() != 1 && int64_t(numbers.size()) != channels)
                fail(QStringLiteral("image.normalize: %1 has %2 values but the image has %3 channels")
                         .arg(QLatin1String(name)).arg(numbers.size()).arg(channels));
            return at::tensor(numbers, at::kFloat).view({-1, 1, 1});
        };
        const at::Tensor mean = perChannel(2, "mean");
        const at::Tensor std = perChannel(3, "std");
        if ((std == 0).any().item<bool>())
            fail(QStringLiteral("image.normalize: std must not be 0"));
        at::Tensor t = tensor.is_floating_point() ? tensor : tensor.to(at::kFloat);
        pushTensor(L, (t - mean) / std);
        return 1;
    });
}

// image.to_grayscale(t): ITU-R 601 luma (as torchvision), [3|4, H, W] -> [1, H, W], batched too.
int imageToGrayscale(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    return protect(L, [&] {
        const int64_t dim = channelDim(tensor, "image.to_grayscale");
        const int64_t channels = tensor.size(dim);
        if (channels == 1) {
            pushTensor(L, tensor);
            return 1;
        }
        if (channels != 3 && channels != 4)
            fail(QStringLiteral("image.to_grayscale: expected 1, 3 or 4 channels, got %1").arg(channels));
        const at::Tensor t = tensor.is_floating_point() ? tensor : tensor.to(at::kFloat);
        at::Tensor gray = t.select(dim, 0) * 0.299 + t.select(dim, 1) * 0.587 + t.select(dim, 2) * 0.114;
        gray = gray.unsqueeze(dim);
        if (tensor.scalar_type() == at::kByte)
            gray = gray.round().clamp(0, 255).to(at::kByte);
        pushTensor(L, gray);
        return 1;
    });
}

// datasets.image_folder(dir, {size = {h, w}, mode = "L"|"RGB"|"RGBA"})
int datasetsImageFolder(lua_State *L)
{
    const char *dirArgument = luaL_checkstring(L, 1);
    const int options = optionsIndex(L, 2);
    const ImageMode requestedMode = checkImageMode(L, options, "datasets.image_folder");
    const int sizeIndex = options ? (lua_getfield(L, options, "size"), lua_gettop(L)) : 0;
    int64_t h = 0;
    int64_t w = 0;
    const bool resize = sizeIndex != 0 && !lua_isnil(L, sizeIndex);
    if (resize)
        checkImageSize(L, sizeIndex, "datasets.image_folder", &h, &w);

    return protect(L, [&] {
        const QDir dir(QString::fromUtf8(dirArgument));
        if (!dir.exists())
            fail(QStringLiteral("datasets.image_folder: folder %1 not found").arg(dir.path()));
        const QStringList classes = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
        if (classes.isEmpty())
            fail(QStringLiteral("datasets.image_folder: %1 has no class subfolders (expected one folder of images per class)").arg(dir.path()));
        QStringList filters;
        for (const QByteArray &format : QImageReader::supportedImageFormats())
            filters.append(QStringLiteral("*.") + QString::fromLatin1(format));

        ImageMode mode = requestedMode;
        std::vector<at::Tensor> images;
        std::vector<int64_t> labels;
        QStringList paths;
        QString firstName;
        int64_t firstH = 0;
        int64_t firstW = 0;
        for (qsizetype c = 0; c < classes.size(); ++c) {
            const QDir classDir(dir.filePath(classes.at(c)));
            for (const QString &file : classDir.entryList(filters, QDir::Files, QDir::Name)) {
                pollInterrupt(L);
                const QString path = classDir.filePath(file);
                const QImage image = readImage(path, "datasets.image_folder");
                // Without a mode every image gets the first one's channels.
                if (mode == ImageMode::Auto)
                    mode = isGrayImage(image) ? ImageMode::Gray : ImageMode::RGB;
                at::Tensor t = imageToTensor(image, mode);
                const QString shortName = classes.at(c) + QLatin1Char('/') + file;
                if (resize) {
                    t = resizeImage(t, h, w);
                } else if (images.empty()) {
                    firstH = t.size(1);
                    firstW = t.size(2);
                    firstName = shortName;
                } else if (t.size(1) != firstH || t.size(2) != firstW) {
                    fail(QStringLiteral("datasets.image_folder: %1 is %2x%3 but %4 is %5x%6 (height x width); "
                                        "pass size = {h, w} to resize every image")
                             .arg(shortName).arg(t.size(1)).arg(t.size(2)).arg(firstName).arg(firstH).arg(firstW));
                }
                images.push_back(std::move(t));
                labels.push_back(c);
                paths.append(QFileInfo(path).absoluteFilePath());
            }
        }
        if (images.empty())
            fail(QStringLiteral("datasets.image_folder: no images in the class folders of %1").arg(dir.path()));

        at::Tensor x = at::stack(images);
        std::vector<at::Tensor>().swap(images);
        at::Tensor y = at::tensor(labels, at::kLong);
        lua_createtable(L, 0, 4);
        pushTensor(L, std::move(x));
        lua_setfield(L, -2, "x");
        pushTensor(L, std::move(y));
        lua_setfield(L, -2, "y");
        pushStringArray(L, classes);
        lua_setfield(L, -2, "classes");
        pushStringArray(L, paths);
        lua_setfield(L, -2, "paths");
        return 1;
    });
}

} // namespace kiln::lua
