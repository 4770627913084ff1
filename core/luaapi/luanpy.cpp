// data.load_npy and data.load_npz: NumPy's files as tensors. The reading and
// every check is in readers/npyreader.cpp; here the bytes become a tensor of
// the matching dtype (swapped to this host's byte order, Fortran order undone).
#include "luaapi/luadata_p.h"
#include "luaapi/luaserialize_p.h"
#include "readers/npyreader.h"

#include <algorithm>

namespace kiln::lua {

namespace {

at::ScalarType scalarType(const NpyArray &array)
{
    switch (array.kind) {
    case 'f': return array.itemSize == 2 ? at::kHalf : array.itemSize == 4 ? at::kFloat : at::kDouble;
    case 'i':
        return array.itemSize == 1 ? at::kChar : array.itemSize == 2 ? at::kShort : array.itemSize == 4 ? at::kInt : at::kLong;
    case 'u': return at::kByte;
    case 'b': return at::kBool;
    default: return array.itemSize == 8 ? at::kComplexFloat : at::kComplexDouble;
    }
}

at::Tensor toTensor(NpyArray &array)
{
    if (array.bigEndian) {
        // Complex numbers swap each half on its own.
        const int unit = array.kind == 'c' ? array.itemSize / 2 : array.itemSize;
        char *data = array.data.data();
        for (qsizetype i = 0; i + unit <= array.data.size(); i += unit)
            std::reverse(data + i, data + i + unit);
    }
    std::vector<int64_t> shape(array.shape.begin(), array.shape.end());
    if (array.fortranOrder)
        std::reverse(shape.begin(), shape.end());
    at::Tensor tensor = at::empty(shape, at::TensorOptions().dtype(scalarType(array)));
    if (tensor.nbytes() > 0)
        std::memcpy(tensor.data_ptr(), array.data.constData(), tensor.nbytes());
    if (array.fortranOrder && shape.size() > 1) {
        std::vector<int64_t> order(shape.size());
        for (size_t i = 0; i < order.size(); ++i)
            order[i] = int64_t(order.size() - 1 - i);
        tensor = tensor.permute(order).contiguous();
    }
    return tensor;
}

} // namespace

// data.load_npy(path) -> tensor
int dataLoadNpy(lua_State *L)
{
    const QString path = QString::fromUtf8(luaL_checkstring(L, 1));
    return protect(L, [&] {
        NpyArray array;
        QString error;
        if (!NpyReader::readNpy(path, &array, &error))
            fail(QStringLiteral("data.load_npy: ") + error);
        pushTensor(L, toTensor(array));
        return 1;
    });
}

// data.load_npz(path) -> {name = tensor, ...} in the archive's order
int dataLoadNpz(lua_State *L)
{
    const QString path = QString::fromUtf8(luaL_checkstring(L, 1));
    std::vector<std::pair<QString, NpyArray>> arrays;
    QString error;
    if (!NpyReader::readNpz(path, &arrays, &error)) {
        const QByteArray message = (QStringLiteral("data.load_npz: ") + error).toUtf8();
        return luaL_error(L, "%s", message.constData());
    }
    pushOrderedTable(L);
    const int table = lua_gettop(L);
    for (auto &entry : arrays) {
        const QByteArray key = entry.first.toUtf8();
        NpyArray &array = entry.second;
        protect(L, [&] {
            pushTensor(L, toTensor(array));
            return 1;
        });
        lua_setfield(L, table, key.constData());
    }
    return 1;
}

} // namespace kiln::lua
