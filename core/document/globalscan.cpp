#include "document/globalscan.h"

#include <QSet>

#include <cstdint>
#include <cstring>

namespace kiln {

namespace {

// Lua 5.4 opcodes and instruction layout (lopcodes.h).
constexpr unsigned kOpGetTabUp = 11;
constexpr unsigned kOpSetTabUp = 15;
constexpr uint32_t opcodeOf(uint32_t i) { return i & 0x7f; }
constexpr uint32_t argA(uint32_t i) { return (i >> 7) & 0xff; }
constexpr uint32_t argB(uint32_t i) { return (i >> 16) & 0xff; }
constexpr uint32_t argC(uint32_t i) { return (i >> 24) & 0xff; }

// Constant type tags (lobject.h variants).
constexpr uint8_t kNil = 0x00, kFalse = 0x01, kTrue = 0x11, kInt = 0x03, kFloat = 0x13,
                  kShortString = 0x04, kLongString = 0x14;

class DumpReader
{
public:
    explicit DumpReader(const QByteArray &dump) : mData(dump) {}

    bool ok() const { return mOk; }

    uint8_t byte()
    {
        if (mPos >= mData.size()) {
            mOk = false;
            return 0;
        }
        return uint8_t(mData.at(mPos++));
    }

    void skip(qsizetype n)
    {
        if (n < 0 || mPos + n > mData.size()) {
            mOk = false;
            return;
        }
        mPos += n;
    }

    size_t size()
    {
        size_t x = 0;
        for (int i = 0; i < 10 && mOk; ++i) {
            const uint8_t b = byte();
            x = (x << 7) | (b & 0x7f);
            if (b & 0x80)
                return x;
        }
        mOk = false;
        return 0;
    }

    // Returns false for a NULL string (size 0).
    bool string(QByteArray *out)
    {
        const size_t n = size();
        if (n == 0)
            return false;
        if (qsizetype(n - 1) > mData.size() - mPos) {
            mOk = false;
            return false;
        }
        if (out)
            *out = mData.mid(mPos, qsizetype(n - 1));
        mPos += qsizetype(n - 1);
        return true;
    }

    uint32_t instruction()
    {
        if (mPos + 4 > mData.size()) {
            mOk = false;
            return 0;
        }
        uint32_t value;
        std::memcpy(&value, mData.constData() + mPos, 4);
        mPos += 4;
        return value;
    }

private:
    const QByteArray &mData;
    qsizetype mPos = 0;
    bool mOk = true;
};

struct Scan
{
    QSet<QString> reads;
    QSet<QString> writes;
};

bool readFunction(DumpReader &in, Scan &scan, int depth)
{
    if (depth > 200)
        return false;
    in.string(nullptr);  // source
    in.size();           // linedefined
    in.size();           // lastlinedefined
    in.skip(3);          // numparams, is_vararg, maxstacksize

    const size_t codeSize = in.size();
    if (!in.ok() || codeSize > (1u << 26))
        return false;
    std::vector<uint32_t> code(codeSize);
    for (size_t i = 0; i < codeSize && in.ok(); ++i)
        code[i] = in.instruction();

    const size_t constantCount = in.size();
    if (!in.ok() || constantCount > (1u << 26))
        return false;
    std::vector<QByteArray> stringConstants(constantCount);
    std::vector<bool> isString(constantCount, false);
    for (size_t i = 0; i < constantCount && in.ok(); ++i) {
        switch (in.byte()) {
        case kNil:
        case kFalse:
        case kTrue:
            break;
        case kInt:
        case kFloat:
            in.skip(8);
            break;
        case kShortString:
        case kLongString:
            isString[i] = in.string(&stringConstants[i]);
            break;
        default:
            return false;
        }
    }

    const size_t upvalueCount = in.size();
    if (!in.ok() || upvalueCount > 255)
        return false;
    in.skip(qsizetype(upvalueCount) * 3);

    const size_t protoCount = in.size();
    if (!in.ok() || protoCount > (1u << 20))
        return false;
    for (size_t i = 0; i < protoCount; ++i) {
        if (!readFunction(in, scan, depth + 1))
            return false;
    }

    // Debug information: line info, locals, then the upvalue names we need.
    in.skip(qsizetype(in.size()));
    const size_t absLineCount = in.size();
    for (size_t i = 0; i < absLineCount && in.ok(); ++i) {
        in.size();
        in.size();
    }
    const size_t localCount = in.size();
    for (size_t i = 0; i < localCount && in.ok(); ++i) {
        in.string(nullptr);
        in.size();
        in.size();
    }
    const size_t upvalueNameCount = in.size();
    if (!in.ok() || upvalueNameCount > 255)
        return false;
    std::vector<bool> isEnv(256, false);
    for (size_t i = 0; i < upvalueNameCount && in.ok(); ++i) {
        QByteArray name;
        if (in.string(&name))
            isEnv[i] = name == "_ENV";
    }
    if (!in.ok())
        return false;

    auto constantName = [&](uint32_t k) -> QString {
        if (k < constantCount && isString[k])
            return QString::fromUtf8(stringConstants[k]);
        return QString();
    };
    for (uint32_t instruction : code) {
        const uint32_t op = opcodeOf(instruction);
        if (op == kOpGetTabUp && isEnv[argB(instruction)]) {
            const QString name = constantName(argC(instruction));
            if (!name.isEmpty())
                scan.reads.insert(name);
        } else if (op == kOpSetTabUp && isEnv[argA(instruction)]) {
            const QString name = constantName(argB(instruction));
            if (!name.isEmpty())
                scan.writes.insert(name);
        }
    }
    return true;
}

QStringList sorted(const QSet<QString> &set)
{
    QStringList list(set.begin(), set.end());
    list.sort();
    return list;
}

} // namespace

GlobalAccess scanGlobalAccess(const QByteArray &dump)
{
    GlobalAccess result;
    DumpReader in(dump);
    // Header: signature, version, format, LUAC_DATA, three sizes, LUAC_INT, LUAC_NUM.
    static const char kSignature[] = "\x1bLua";
    if (!dump.startsWith(QByteArray::fromRawData(kSignature, 4)))
        return result;
    in.skip(4);
    if (in.byte() != 0x54 || in.byte() != 0)
        return result;
    in.skip(6);
    if (in.byte() != 4 || in.byte() != 8 || in.byte() != 8)
        return result;
    in.skip(16);
    in.byte();  // number of upvalues of the main closure

    Scan scan;
    if (!readFunction(in, scan, 0) || !in.ok())
        return result;
    result.reads = sorted(scan.reads);
    result.writes = sorted(scan.writes);
    result.valid = true;
    return result;
}

} // namespace kiln
