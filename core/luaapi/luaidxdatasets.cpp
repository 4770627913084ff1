#include "luaapi/luadata_p.h"
#include "readers/idxreader.h"

#include <QDir>
#include <QFileInfo>

#include <cstring>

// datasets.fashion_mnist and datasets.mnist: the IDX files of the installed
// dataset packages (or a folder given) as uint8 images and int64 labels.

namespace kiln::lua {

namespace {

struct IdxDataset
{
    const char *function;
    const char *defaultDir;
    const char *package;
    const char *const *classes;
    int classCount;
};

const char *const kFashionClasses[] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                       "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
const char *const kDigitClasses[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

const IdxDataset kFashionMnist = {"datasets.fashion_mnist", "/usr/share/datasets/fashion-mnist",
                                  "dataset-fashion-mnist", kFashionClasses, 10};
const IdxDataset kMnist = {"datasets.mnist", "/usr/share/datasets/mnist", "an MNIST package", kDigitClasses, 10};

QString findIdxFile(const QDir &dir, const QString &base, const IdxDataset &set)
{
    for (const QString &candidate : QStringList{base, base + QLatin1String(".gz")}) {
        if (QFileInfo::exists(dir.filePath(candidate)))
            return dir.filePath(candidate);
    }
    fail(QStringLiteral("%1: %2 has neither %3 nor %3.gz").arg(QLatin1String(set.function), dir.path(), base));
}

IdxArray readIdx(lua_State *L, const QString &path, const IdxDataset &set)
{
    IdxReader reader;
    IdxArray array;
    if (!reader.read(path, &array, [L] { return interruptRequested(L); })) {
        if (reader.wasCancelled())
            throw Interrupted();
        fail(QStringLiteral("%1: %2").arg(QLatin1String(set.function), reader.errorString()));
    }
    return array;
}

int loadIdxDataset(lua_State *L, const IdxDataset &set)
{
    const char *split = luaL_checkstring(L, 1);
    if (std::strcmp(split, "train") != 0 && std::strcmp(split, "test") != 0)
        return luaL_error(L, "%s: split must be \"train\" or \"test\", got '%s'", set.function, split);
    // KILN_DATASETS stands in for /usr/share/datasets: data sets kept elsewhere
    // (a cluster's shared disk, a machine without Debian's packages).
    QString folder = QString::fromUtf8(set.defaultDir);
    if (qEnvironmentVariableIsSet("KILN_DATASETS"))
        folder.replace(QLatin1String("/usr/share/datasets"), qEnvironmentVariable("KILN_DATASETS"));
    const QByteArray defaultDir = folder.toUtf8();
    const char *dirArgument = luaL_optstring(L, 2, defaultDir.constData());

    return protect(L, [&] {
        const QDir dir(QString::fromUtf8(dirArgument));
        if (!dir.exists())
            fail(QStringLiteral("%1: folder %2 not found (install %3, or pass the folder that holds the IDX files)")
                     .arg(QLatin1String(set.function), dir.path(), QLatin1String(set.package)));
        const QString prefix = std::strcmp(split, "train") == 0 ? QStringLiteral("train") : QStringLiteral("t10k");
        const QString imagesPath = findIdxFile(dir, prefix + QLatin1String("-images-idx3-ubyte"), set);
        const QString labelsPath = findIdxFile(dir, prefix + QLatin1String("-labels-idx1-ubyte"), set);
        const QString function = QLatin1String(set.function);

        IdxArray images = readIdx(L, imagesPath, set);
        if (images.type != IdxArray::Type::UInt8 || images.sizes.size() != 3)
            fail(QStringLiteral("%1: %2 should hold uint8 images [N, H, W], not %3 with %4 dimensions")
                     .arg(function, QFileInfo(imagesPath).fileName(), IdxArray::typeName(images.type))
                     .arg(images.sizes.size()));
        IdxArray labels = readIdx(L, labelsPath, set);
        if (labels.type != IdxArray::Type::UInt8 || labels.sizes.size() != 1)
            fail(QStringLiteral("%1: %2 should hold uint8 labels [N], not %3 with %4 dimensions")
                     .arg(function, QFileInfo(labelsPath).fileName(), IdxArray::typeName(labels.type))
                     .arg(labels.sizes.size()));
        const int64_t n = images.sizes[0];
        if (labels.sizes[0] != n)
            fail(QStringLiteral("%1: %2 has %3 images but %4 has %5 labels")
                     .arg(function, QFileInfo(imagesPath).fileName()).arg(n)
                     .arg(QFileInfo(labelsPath).fileName()).arg(labels.sizes[0]));
        const auto *labelBytes = reinterpret_cast<const uchar *>(labels.data.constData());
        for (int64_t i = 0; i < n; ++i) {
            if (labelBytes[i] >= set.classCount)
                fail(QStringLiteral("%1: label %2 of image %3 in %4 is not a class id (0 to %5)")
                         .arg(function).arg(labelBytes[i]).arg(i).arg(QFileInfo(labelsPath).fileName())
                         .arg(set.classCount - 1));
        }
        pollInterrupt(L);

        const int64_t h = images.sizes[1];
        const int64_t w = images.sizes[2];
        at::Tensor x = at::from_blob(images.data.data(), {n, 1, h, w}, at::kByte).to(at::kFloat).div_(255.0);
        images.data.clear();
        at::Tensor y = at::from_blob(labels.data.data(), {n}, at::kByte).to(at::kLong);

        lua_createtable(L, 0, 3);
        pushTensor(L, std::move(x));
        lua_setfield(L, -2, "x");
        pushTensor(L, std::move(y));
        lua_setfield(L, -2, "y");
        lua_createtable(L, set.classCount, 0);
        for (int i = 0; i < set.classCount; ++i) {
            lua_pushstring(L, set.classes[i]);
            lua_rawseti(L, -2, i + 1);
        }
        lua_setfield(L, -2, "classes");
        return 1;
    });
}

} // namespace

int datasetsFashionMnist(lua_State *L)
{
    return loadIdxDataset(L, kFashionMnist);
}

int datasetsMnist(lua_State *L)
{
    return loadIdxDataset(L, kMnist);
}

} // namespace kiln::lua
