#pragma once

#include <QByteArray>
#include <QString>

#include <utility>
#include <vector>

namespace kiln {

// One array from a NumPy .npy file (format versions 1 to 3): its element type,
// shape and the elements as stored. Torch-free; luaapi turns it into a tensor.
struct NpyArray
{
    char kind = 'f';          // 'f' float, 'i' signed, 'u' unsigned, 'b' bool, 'c' complex
    int itemSize = 4;         // bytes per element
    bool bigEndian = false;   // '>' in the descr: bytes to swap on this host
    bool fortranOrder = false;
    std::vector<qint64> shape;
    QByteArray data;

    qint64 count() const;
};

// Reads .npy and .npz files: checks the magic, the header (descr, fortran_order,
// shape), that the element type is one Kiln has a tensor type for, and that the
// data is exactly as long as the shape says; .npz is a zip of .npy files, stored
// or deflated. Every problem is an error that names the file (and the member).
namespace NpyReader {

bool parse(const QByteArray &bytes, NpyArray *array, QString *error);
bool readNpy(const QString &path, NpyArray *array, QString *error);
// The members of an .npz file, in the archive's order, named without ".npy".
bool readNpz(const QString &path, std::vector<std::pair<QString, NpyArray>> *arrays, QString *error);
// The same from the bytes of an archive (the fuzz target's entry).
bool parseNpz(const QByteArray &bytes, std::vector<std::pair<QString, NpyArray>> *arrays, QString *error);

} // namespace NpyReader

} // namespace kiln
