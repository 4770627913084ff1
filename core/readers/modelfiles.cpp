#include "readers/modelfiles_p.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace kiln::modelfiles {

namespace {

[[noreturn]] void fail(const std::string &message)
{
    throw std::runtime_error(message);
}

// ---------------------------------------------------------------------------
// Reading PyTorch's checkpoint pickle: a restricted unpickler

const char *const kWeightsOnlyHint =
    " (Kiln loads only tensors, numbers, strings, lists, tuples and dicts, like PyTorch's weights_only=True;"
    " save a state_dict instead of a whole object)";

// A stack entry: a value, or an allow-listed global ("module.name") waiting
// for REDUCE. A storage is a 1-D tensor over it until _rebuild_tensor_v2 views it.
struct PickleItem
{
    enum class Kind { Value, Global };
    Kind kind = Kind::Value;
    c10::IValue value;
    std::string global;
};

at::ScalarType storageDtype(const std::string &name)
{
    static const std::map<std::string, at::ScalarType> kTypes = {
        {"torch.FloatStorage", at::kFloat},       {"torch.DoubleStorage", at::kDouble},
        {"torch.HalfStorage", at::kHalf},         {"torch.BFloat16Storage", at::kBFloat16},
        {"torch.LongStorage", at::kLong},         {"torch.IntStorage", at::kInt},
        {"torch.ShortStorage", at::kShort},       {"torch.CharStorage", at::kChar},
        {"torch.ByteStorage", at::kByte},         {"torch.BoolStorage", at::kBool},
        {"torch.ComplexFloatStorage", at::kComplexFloat}, {"torch.ComplexDoubleStorage", at::kComplexDouble},
    };
    const auto found = kTypes.find(name);
    return found == kTypes.end() ? at::ScalarType::Undefined : found->second;
}

// Where a checkpoint's storages come from: the archive's data/<key> records, or
// (the legacy format) storages filled in after the pickle from the bytes that follow it.
using StorageSource = std::function<at::Tensor(const std::string &key, at::ScalarType type, int64_t numel)>;

class CheckpointReader
{
public:
    explicit CheckpointReader(StorageSource source) : source(std::move(source)) {}

    // Unpickles the pickle that starts at `start` of `bytes`; consumed() then
    // tells where it ended (the legacy format is several pickles in a row).
    c10::IValue read(const std::string &bytes, size_t start = 0)
    {
        try {
            return unpickle(bytes, start);
        } catch (...) {
            dismantle();
            throw;
        }
    }

    size_t consumed() const { return position; }

private:
    c10::IValue unpickle(const std::string &pickle, size_t start)
    {
        data = reinterpret_cast<const unsigned char *>(pickle.data());
        size = pickle.size();
        position = start;
        stack.clear();
        marks.clear();
        memo.clear();
        for (;;) {
            const unsigned char code = byte();
            switch (code) {
            case 0x80: byte(); break;                       // PROTO
            case 0x95: bytes(8); break;                     // FRAME
            case '}': push(c10::impl::GenericDict(c10::AnyType::get(), c10::AnyType::get())); break;
            case ']': push(c10::impl::GenericList(c10::AnyType::get())); break;
            case ')': push(c10::ivalue::Tuple::create(std::vector<c10::IValue>())); break;
            case '(': marks.push_back(stack.size()); break;
            case '0': pop(); break;                          // POP
            case '1': popMarked(true); break;                // POP_MARK
            case 'N': push(c10::IValue()); break;
            case 0x88: push(true); break;
            case 0x89: push(false); break;
            case 'K': push(int64_t(byte())); break;
            case 'M': push(int64_t(little(2))); break;
            case 'J': push(int64_t(int32_t(uint32_t(little(4))))); break;
            case 0x8a: push(longValue(byte())); break;      // LONG1
            case 0x8b: push(longValue(size_t(little(4)))); break;  // LONG4
            case 'G': {
                uint64_t bits = 0;
                for (int i = 0; i < 8; ++i)
                    bits = (bits << 8) | byte();
                double v;
                std::memcpy(&v, &bits, 8);
                push(v);
                break;
            }
            case 'X': push(text(size_t(little(4)))); break;  // BINUNICODE
            case 0x8c: push(text(byte())); break;            // SHORT_BINUNICODE
            case 0x8d: push(text(size_t(little(8)))); break; // BINUNICODE8
            case 'C': push(text(byte(), false)); break;      // SHORT_BINBYTES
            case 'B': push(text(size_t(little(4)), false)); break;  // BINBYTES
            case 'q': memo[byte()] = top(); break;           // BINPUT
            case 'r': memo[little(4)] = top(); break;        // LONG_BINPUT
            case 0x94: memo[memo.size()] = top(); break;     // MEMOIZE
            case 'h': stack.push_back(recall(byte())); break;
            case 'j': stack.push_back(recall(little(4))); break;
            case 'c': {
                std::string module = line();
                std::string name = line();
                pushGlobal(module + "." + name);
                break;
            }
            case 0x93: {                                     // STACK_GLOBAL
                const std::string name = popString();
                const std::string module = popString();
                pushGlobal(module + "." + name);
                break;
            }
            // Tuples may hold a storage type (in a persistent id): kept as its name.
            case 't': pushTuple(popMarked(true)); break;
            case 0x85: pushTuple(popValues(1, true)); break;
            case 0x86: pushTuple(popValues(2, true)); break;
            case 0x87: pushTuple(popValues(3, true)); break;
            case 'a': {                                      // APPEND
                std::vector<c10::IValue> items = popValues(1);
                appendTo(items);
                break;
            }
            case 'e': {                                      // APPENDS
                std::vector<c10::IValue> items = popMarked();
                appendTo(items);
                break;
            }
            case 's': {                                      // SETITEM
                std::vector<c10::IValue> items = popValues(2);
                setItems(items);
                break;
            }
            case 'u': {                                      // SETITEMS
                std::vector<c10::IValue> items = popMarked();
                setItems(items);
                break;
            }
            case 'Q': {                                      // BINPERSID
                const c10::IValue id = popValue();
                push(persistentLoad(id));
                break;
            }
            case 'R': {                                      // REDUCE
                const c10::IValue args = popValue();
                const PickleItem callable = pop();
                push(reduce(callable, args));
                break;
            }
            case 'b': {                                      // BUILD: only a dict's attributes (OrderedDict._metadata)
                popValue();
                if (stack.empty() || stack.back().kind != PickleItem::Kind::Value || !stack.back().value.isGenericDict())
                    fail("unsupported object state in the pickle");
                break;
            }
            case '.':                                        // STOP
                if (stack.size() != 1 || stack.back().kind != PickleItem::Kind::Value)
                    fail("malformed pickle (stack at STOP)");
                refuseHugeTree(stack.back().value);
                return stack.back().value;
            default: {
                char hex[8];
                std::snprintf(hex, sizeof hex, "0x%02x", code);
                fail(std::string("unsupported pickle opcode ") + hex + " at byte " + std::to_string(position - 1));
            }
            }
        }
    }

    void pushTuple(std::vector<c10::IValue> items)
    {
        c10::IValue tuple(c10::ivalue::Tuple::create(std::move(items)));
        refuseHugeTree(tuple);
        push(std::move(tuple));
    }

    unsigned char byte()
    {
        if (position >= size)
            fail("truncated pickle");
        return data[position++];
    }

    const unsigned char *bytes(size_t n)
    {
        if (n > size - position)
            fail("truncated pickle");
        const unsigned char *start = data + position;
        position += n;
        return start;
    }

    uint64_t little(int n)
    {
        const unsigned char *p = bytes(size_t(n));
        uint64_t v = 0;
        for (int i = n - 1; i >= 0; --i)
            v = (v << 8) | p[i];
        return v;
    }

    std::string line()
    {
        const size_t start = position;
        while (byte() != '\n') {
        }
        return std::string(reinterpret_cast<const char *>(data) + start, position - start - 1);
    }

    c10::IValue text(size_t n, bool unicode = true)
    {
        const unsigned char *p = bytes(n);
        std::string s(reinterpret_cast<const char *>(p), n);
        if (unicode && !isUtf8(s))
            fail("invalid UTF-8 string in the pickle");
        return c10::IValue(std::move(s));
    }

    c10::IValue longValue(size_t n)
    {
        const unsigned char *p = bytes(n);
        if (n == 0)
            return int64_t(0);
        if (n <= 8) {
            uint64_t v = 0;
            for (size_t i = n; i-- > 0;)
                v = (v << 8) | p[i];
            if (n < 8 && (p[n - 1] & 0x80))
                v |= ~uint64_t(0) << (8 * n);  // sign-extend
            return int64_t(v);
        }
        // Python ints beyond 64 bits: the nearest double, as a Lua number.
        const bool negative = p[n - 1] & 0x80;
        double v = 0;
        for (size_t i = n; i-- > 0;)
            v = v * 256.0 + double(negative ? (0xFF ^ p[i]) : p[i]);
        return negative ? -(v + 1) : v;
    }

    void push(c10::IValue value)
    {
        PickleItem item;
        item.value = std::move(value);
        stack.push_back(std::move(item));
    }

    PickleItem &top()
    {
        if (stack.empty())
            fail("malformed pickle (empty stack)");
        return stack.back();
    }

    PickleItem pop()
    {
        if (stack.empty() || (!marks.empty() && stack.size() <= marks.back()))
            fail("malformed pickle (empty stack)");
        PickleItem item = std::move(stack.back());
        stack.pop_back();
        return item;
    }

    c10::IValue popValue(bool allowGlobal = false)
    {
        PickleItem item = pop();
        if (item.kind == PickleItem::Kind::Global && allowGlobal)
            return c10::IValue(item.global);
        if (item.kind != PickleItem::Kind::Value)
            fail("malformed pickle (unexpected global)");
        return std::move(item.value);
    }

    std::string popString()
    {
        const c10::IValue v = popValue();
        if (!v.isString())
            fail("malformed pickle (expected a string)");
        return v.toStringRef();
    }

    std::vector<c10::IValue> popValues(size_t n, bool allowGlobals = false)
    {
        std::vector<c10::IValue> values(n);
        for (size_t i = n; i-- > 0;)
            values[i] = popValue(allowGlobals);
        return values;
    }

    std::vector<c10::IValue> popMarked(bool allowGlobals = false)
    {
        if (marks.empty())
            fail("malformed pickle (no MARK)");
        const size_t mark = marks.back();
        marks.pop_back();
        std::vector<c10::IValue> values;
        for (size_t i = mark; i < stack.size(); ++i) {
            if (stack[i].kind == PickleItem::Kind::Global && allowGlobals)
                values.emplace_back(stack[i].global);
            else if (stack[i].kind != PickleItem::Kind::Value)
                fail("malformed pickle (unexpected global)");
            else
                values.push_back(std::move(stack[i].value));
        }
        stack.resize(mark);
        return values;
    }

    const PickleItem &recall(uint64_t key)
    {
        const auto found = memo.find(key);
        if (found == memo.end())
            fail("malformed pickle (unknown memo " + std::to_string(key) + ")");
        return found->second;
    }

    void appendTo(std::vector<c10::IValue> &items)
    {
        c10::IValue &target = top().value;
        if (top().kind != PickleItem::Kind::Value || !target.isList())
            fail("malformed pickle (APPEND to a non-list)");
        c10::List<c10::IValue> list = target.toList();
        for (c10::IValue &item : items) {
            refuseCycle(item, target);
            refuseHugeTree(item);
            list.push_back(std::move(item));
        }
    }

    static bool isContainer(const c10::IValue &value)
    {
        return value.isList() || value.isGenericDict() || value.isTuple();
    }

    static std::vector<c10::IValue> children(const c10::IValue &value)
    {
        if (value.isList())
            return value.toListRef().vec();
        if (value.isTuple())
            return value.toTupleRef().elements().vec();
        std::vector<c10::IValue> values;
        if (value.isGenericDict())
            for (const auto &entry : value.toGenericDict())
                values.push_back(entry.value());
        return values;
    }

    // The memo lets a pickle put a list or dict inside itself. Such a value owns
    // a reference to itself and is never freed, and every walk over it recurses
    // forever: refused before the cycle exists.
    void refuseCycle(const c10::IValue &item, const c10::IValue &container)
    {
        if (!isContainer(item))
            return;
        const void *target = container.internalToPointer();
        std::unordered_set<const void *> seen;
        std::vector<c10::IValue> pending{item};
        while (!pending.empty()) {
            const c10::IValue value = std::move(pending.back());
            pending.pop_back();
            if (!isContainer(value))
                continue;
            const void *pointer = value.internalToPointer();
            if (pointer == target)
                fail("malformed pickle (a list or dict that contains itself)");
            if (!seen.insert(pointer).second)
                continue;
            for (c10::IValue &child : children(value))
                pending.push_back(std::move(child));
        }
    }

    // Through the memo, a few hundred bytes can describe a tree with 2^40
    // leaves (each tuple holding the previous one twice), or nest lists a
    // hundred thousand deep. Everything that walks a checkpoint (inspection, the
    // conversion to Lua, even freeing it) walks it as a tree, recursively, so a
    // value's size as a tree and its depth are bounded, counting a shared value
    // once per use. The walk itself is iterative.
    static constexpr uint64_t kMaxTreeSize = uint64_t(1) << 21;
    static constexpr uint64_t kMaxNesting = 1000;

    static void refuseHugeTree(const c10::IValue &root)
    {
        if (!isContainer(root))
            return;
        struct Shape { uint64_t size = 1; uint64_t height = 1; };
        std::unordered_map<const void *, Shape> shapes;
        struct Frame { c10::IValue value; std::vector<c10::IValue> children; size_t next = 0; Shape shape; };
        std::vector<Frame> frames;
        frames.push_back({root, children(root), 0, {}});
        Shape done;
        while (!frames.empty()) {
            Frame &frame = frames.back();
            if (frame.next < frame.children.size()) {
                const c10::IValue &child = frame.children[frame.next++];
                if (!isContainer(child)) {
                    frame.shape.size = std::min(kMaxTreeSize + 1, frame.shape.size + 1);
                    continue;
                }
                const auto known = shapes.find(child.internalToPointer());
                if (known != shapes.end()) {
                    frame.shape.size = std::min(kMaxTreeSize + 1, frame.shape.size + known->second.size);
                    frame.shape.height = std::max(frame.shape.height, known->second.height + 1);
                    continue;
                }
                if (frames.size() >= kMaxNesting)
                    fail("the checkpoint nests lists, tuples or dicts more than " + std::to_string(kMaxNesting)
                         + " deep; refusing it");
                frames.push_back({child, children(child), 0, {}});
                continue;
            }
            done = frame.shape;
            shapes.emplace(frame.value.internalToPointer(), done);
            frames.pop_back();
            if (!frames.empty()) {
                Shape &parent = frames.back().shape;
                parent.size = std::min(kMaxTreeSize + 1, parent.size + done.size);
                parent.height = std::max(parent.height, done.height + 1);
            }
            if (done.size > kMaxTreeSize)
                fail("the checkpoint's shared entries expand to more than " + std::to_string(kMaxTreeSize)
                     + " values; refusing it");
        }
    }

    // After a failure, the half-built values are emptied one by one, so that
    // freeing a deeply nested one cannot recurse off the stack.
    void dismantle()
    {
        std::unordered_set<const void *> seen;
        std::vector<c10::IValue> pending;
        for (const PickleItem &item : stack)
            pending.push_back(item.value);
        for (const auto &entry : memo)
            pending.push_back(entry.second.value);
        std::vector<c10::IValue> containers;
        while (!pending.empty()) {
            c10::IValue value = std::move(pending.back());
            pending.pop_back();
            if (!isContainer(value) || !seen.insert(value.internalToPointer()).second)
                continue;
            for (c10::IValue &child : children(value))
                pending.push_back(std::move(child));
            containers.push_back(std::move(value));
        }
        for (c10::IValue &value : containers) {
            if (value.isList())
                value.toList().clear();
            else if (value.isGenericDict())
                value.toGenericDict().clear();
        }
        stack.clear();
        memo.clear();
    }

    void setItems(std::vector<c10::IValue> &items)
    {
        c10::IValue &target = top().value;
        if (top().kind != PickleItem::Kind::Value || !target.isGenericDict() || items.size() % 2 != 0)
            fail("malformed pickle (SETITEM on a non-dict)");
        c10::Dict<c10::IValue, c10::IValue> dict = target.toGenericDict();
        for (size_t i = 0; i < items.size(); i += 2) {
            const c10::IValue &key = items[i];
            if (!key.isString() && !key.isInt() && !key.isDouble() && !key.isBool() && !key.isNone())
                fail("dict keys must be strings or numbers");
            refuseCycle(items[i + 1], target);
            refuseHugeTree(items[i + 1]);
            dict.insert_or_assign(key, items[i + 1]);
        }
    }

    void pushGlobal(const std::string &name)
    {
        static const char *const kAllowed[] = {
            "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
            "torch._utils._rebuild_parameter_with_state",
        };
        bool allowed = storageDtype(name) != at::ScalarType::Undefined;
        for (const char *entry : kAllowed)
            allowed = allowed || name == entry;
        if (!allowed) {
            if (name.rfind("__torch__.", 0) == 0)
                fail("this is a TorchScript archive; load it with torch.jit.load");
            fail("refusing to load the Python object '" + name + "'" + kWeightsOnlyHint);
        }
        PickleItem item;
        item.kind = PickleItem::Kind::Global;
        item.global = name;
        stack.push_back(std::move(item));
    }

    // ('storage', torch.XStorage, key, location, numel) -> a 1-D tensor over
    // the record's bytes; storages shared by several tensors are read once.
    // ('storage', type, key, location, numel), and in the legacy format a sixth
    // entry, the view metadata, which must be None.
    at::Tensor persistentLoad(const c10::IValue &id)
    {
        if (!id.isTuple())
            fail("malformed persistent id");
        const auto &parts = id.toTupleRef().elements();
        if ((parts.size() != 5 && parts.size() != 6) || !parts[0].isString() || parts[0].toStringRef() != "storage"
            || !parts[1].isString() || !parts[2].isString() || !parts[4].isInt())
            fail("malformed storage reference");
        if (parts.size() == 6 && !parts[5].isNone())
            fail("storage views of the legacy format are not supported");
        const at::ScalarType dtype = storageDtype(parts[1].toStringRef());
        if (dtype == at::ScalarType::Undefined)
            fail("malformed storage reference");
        const std::string &key = parts[2].toStringRef();
        const int64_t numel = parts[4].toInt();
        const size_t itemSize = c10::elementSize(dtype);
        if (numel < 0 || uint64_t(numel) > SIZE_MAX / itemSize)
            fail("malformed storage size");
        const auto cached = storages.find(key);
        if (cached != storages.end()) {
            if (cached->second.scalar_type() != dtype || cached->second.numel() != numel)
                fail("storage '" + key + "' is referenced with two different types or sizes");
            return cached->second;
        }
        at::Tensor flat = source(key, dtype, numel);
        storages.emplace(key, flat);
        return flat;
    }

    static std::vector<int64_t> intTuple(const c10::IValue &v, const char *what)
    {
        if (!v.isTuple())
            fail(std::string("malformed tensor ") + what);
        std::vector<int64_t> values;
        for (const c10::IValue &e : v.toTupleRef().elements()) {
            if (!e.isInt())
                fail(std::string("malformed tensor ") + what);
            values.push_back(e.toInt());
        }
        return values;
    }

    // _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])
    static c10::IValue rebuildTensor(const std::vector<c10::IValue> &args)
    {
        if (args.size() < 5 || !args[0].isTensor() || !args[1].isInt() || !args[4].isBool())
            fail("malformed tensor");
        const at::Tensor &source = args[0].toTensor();
        const c10::Storage storage = source.storage();
        const at::ScalarType dtype = source.scalar_type();
        const int64_t offset = args[1].toInt();
        const std::vector<int64_t> sizes = intTuple(args[2], "shape");
        const std::vector<int64_t> strides = intTuple(args[3], "strides");
        if (sizes.size() != strides.size())
            fail("malformed tensor (shape and strides differ in length)");
        const int64_t available = int64_t(storage.nbytes() / c10::elementSize(dtype));
        // Every number is checked before any arithmetic uses it: the offset and
        // strides come from the file, and a negative one must not reach the sums.
        if (offset < 0)
            fail("malformed tensor (negative storage offset " + std::to_string(offset) + ")");
        if (offset > available)
            fail("malformed tensor (storage offset " + std::to_string(offset) + " is beyond its storage of "
                 + std::to_string(available) + " elements)");
        for (size_t d = 0; d < sizes.size(); ++d) {
            if (sizes[d] < 0)
                fail("malformed tensor (negative size " + std::to_string(sizes[d]) + " in dimension " + std::to_string(d) + ")");
            if (strides[d] < 0)
                fail("malformed tensor (negative stride " + std::to_string(strides[d]) + " in dimension " + std::to_string(d) + ")");
        }
        // The largest element index the view touches must lie inside the storage.
        // 0 <= last <= INT64_MAX throughout: each step is checked before it is added.
        bool empty = false;
        int64_t last = offset;
        for (size_t d = 0; d < sizes.size(); ++d) {
            if (sizes[d] == 0)
                empty = true;
            else if (strides[d] > 0 && (sizes[d] - 1) > (INT64_MAX - last) / strides[d])
                fail("malformed tensor (view out of range)");
            else
                last += (sizes[d] - 1) * strides[d];
        }
        if (!empty && last >= available)
            fail("malformed tensor (view beyond its storage)");
        // Zero strides can make a small storage look huge; keep such views
        // (expanded tensors) to sizes a loop over them could finish.
        int64_t numel = 1;
        for (int64_t n : sizes) {
            if (n != 0 && numel > (int64_t(1) << 40) / n)
                fail("malformed tensor (too many elements)");
            numel *= n;
        }
        at::Tensor tensor = at::empty({0}, at::TensorOptions().dtype(dtype));
        tensor.set_(storage, offset, sizes, strides);
        if (args[4].toBool() && tensor.is_floating_point())
            tensor.requires_grad_(true);
        return tensor;
    }

    c10::IValue reduce(const PickleItem &callable, const c10::IValue &argsValue)
    {
        if (callable.kind != PickleItem::Kind::Global || !argsValue.isTuple())
            fail("malformed pickle (REDUCE)");
        const std::string &name = callable.global;
        const auto &args = argsValue.toTupleRef().elements();
        if (name == "collections.OrderedDict") {
            if (!args.empty())
                fail("unsupported OrderedDict construction");
            return c10::impl::GenericDict(c10::AnyType::get(), c10::AnyType::get());
        }
        if (name == "torch._utils._rebuild_tensor_v2")
            return rebuildTensor(args);
        if (name == "torch._utils._rebuild_parameter" || name == "torch._utils._rebuild_parameter_with_state") {
            if (args.size() < 2 || !args[0].isTensor() || !args[1].isBool())
                fail("malformed parameter");
            at::Tensor tensor = args[0].toTensor();
            if (args[1].toBool() && tensor.is_floating_point())
                tensor.requires_grad_(true);
            return tensor;
        }
        fail("refusing to call '" + name + "'" + kWeightsOnlyHint);
    }

    StorageSource source;
    const unsigned char *data = nullptr;
    size_t size = 0;
    size_t position = 0;
    std::vector<PickleItem> stack;
    std::vector<size_t> marks;
    std::unordered_map<uint64_t, PickleItem> memo;
    std::unordered_map<std::string, at::Tensor> storages;
};

} // namespace

bool isUtf8(const std::string &text)
{
    const auto *p = reinterpret_cast<const unsigned char *>(text.data());
    const auto *end = p + text.size();
    while (p < end) {
        int extra = 0;
        if (*p < 0x80) extra = 0;
        else if ((*p & 0xE0) == 0xC0 && *p >= 0xC2) extra = 1;
        else if ((*p & 0xF0) == 0xE0) extra = 2;
        else if ((*p & 0xF8) == 0xF0 && *p <= 0xF4) extra = 3;
        else return false;
        if (end - p <= extra)
            return extra == 0;
        for (int i = 1; i <= extra; ++i) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
        }
        p += extra + 1;
    }
    return true;
}

namespace {

// A flat tensor over `numel` elements of `type` whose bytes are `data`, or, without
// data, over no memory at all (sizes only: nothing ever reads through it).
at::Tensor flatStorage(at::ScalarType type, int64_t numel, c10::DataPtr data)
{
    const size_t needed = size_t(numel) * c10::elementSize(type);
    c10::Storage storage(c10::Storage::use_byte_size_t(), needed, std::move(data), nullptr, false);
    at::Tensor flat = at::empty({0}, at::TensorOptions().dtype(type));
    flat.set_(storage, 0, {numel}, {1});
    return flat;
}

} // namespace

c10::IValue readCheckpoint(caffe2::serialize::PyTorchStreamReader &archive, bool withData)
{
    auto [bytes, size] = archive.getRecord("data.pkl");
    const std::string pickle(static_cast<const char *>(bytes.get()), size);
    CheckpointReader reader([&](const std::string &key, at::ScalarType type, int64_t numel) {
        const std::string record = "data/" + key;
        if (!archive.hasRecord(record))
            fail("missing tensor data record '" + record + "'");
        if (!withData)
            return flatStorage(type, numel, c10::DataPtr(nullptr, c10::Device(c10::kCPU)));
        const size_t needed = size_t(numel) * c10::elementSize(type);
        auto [data, nbytes] = archive.getRecord(record);
        if (nbytes < needed)
            fail("tensor data record '" + record + "' is shorter than its storage");
        return flatStorage(type, numel, std::move(data));
    });
    return reader.read(pickle);
}

bool isLegacyCheckpoint(const std::string &head)
{
    return head.size() >= 3 && static_cast<unsigned char>(head[0]) == 0x80 && static_cast<unsigned char>(head[2]) == 0x8a;
}

// The format torch.save wrote before PyTorch 1.6 (and still writes with
// _use_new_zipfile_serialization=False): pickles of the magic number, the
// protocol version and the system info, the object (its storages by key), the
// list of storage keys, then each storage's element count (8 bytes) and bytes.
c10::IValue readLegacyCheckpoint(const std::string &bytes, bool withData)
{
    std::unordered_map<std::string, at::Tensor> pending;
    CheckpointReader reader([&](const std::string &key, at::ScalarType type, int64_t numel) {
        if (numel > (int64_t(1) << 40) || (withData && uint64_t(numel) * c10::elementSize(type) > bytes.size()))
            fail("storage '" + key + "' is larger than the file");
        at::Tensor flat = withData ? at::empty({numel}, at::TensorOptions().dtype(type))
                                   : flatStorage(type, numel, c10::DataPtr(nullptr, c10::Device(c10::kCPU)));
        pending.emplace(key, flat);
        return flat;
    });
    // The magic number 0x1950a86a20f9469cfc6c, pickled: PROTO 2, LONG1 of 10 bytes, STOP.
    static const std::string kMagic("\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19\x2e", 15);
    if (bytes.compare(0, kMagic.size(), kMagic) != 0)
        fail("not a legacy torch.save file (wrong magic number)");
    const c10::IValue protocol = reader.read(bytes, kMagic.size());
    if (!protocol.isInt() || protocol.toInt() != 1001)
        fail("unsupported legacy protocol version");
    reader.read(bytes, reader.consumed());  // system info
    const c10::IValue result = reader.read(bytes, reader.consumed());
    const c10::IValue keys = reader.read(bytes, reader.consumed());
    if (!keys.isList())
        fail("malformed legacy file (no list of storage keys)");
    size_t at = reader.consumed();
    for (const c10::IValue &key : keys.toListRef()) {
        if (!key.isString())
            fail("malformed legacy file (a storage key is not a string)");
        const auto found = pending.find(key.toStringRef());
        if (found == pending.end())
            fail("legacy file lists storage '" + key.toStringRef() + "' that nothing uses");
        if (bytes.size() - at < 8)
            fail("truncated legacy file (storage '" + key.toStringRef() + "')");
        int64_t count = 0;
        std::memcpy(&count, bytes.data() + at, 8);
        at += 8;
        at::Tensor &flat = found->second;
        const size_t needed = size_t(flat.numel()) * flat.element_size();
        if (count != flat.numel() || bytes.size() - at < needed)
            fail("legacy storage '" + key.toStringRef() + "' is shorter than its tensors say");
        if (withData && needed > 0)
            std::memcpy(flat.data_ptr(), bytes.data() + at, needed);
        at += needed;
        pending.erase(found);
    }
    if (!pending.empty())
        fail("legacy file has no data for storage '" + pending.begin()->first + "'");
    return result;
}

const std::vector<SafetensorsType> kSafetensorsTypes = {
    {"F32", at::kFloat}, {"F64", at::kDouble}, {"F16", at::kHalf}, {"BF16", at::kBFloat16}, {"I64", at::kLong},
    {"I32", at::kInt},   {"I16", at::kShort},  {"I8", at::kChar},  {"U8", at::kByte},       {"BOOL", at::kBool},
};

SafetensorsHeader readSafetensorsHeader(QFile &file)
{
    SafetensorsHeader result;
    std::vector<SafetensorsEntry> &entries = result.entries;
    const uint64_t fileSize = uint64_t(file.size());
    if (fileSize < 8)
        fail("too short for a safetensors file (" + std::to_string(fileSize) + " bytes)");
    unsigned char prefix[8];
    if (file.read(reinterpret_cast<char *>(prefix), 8) != 8)
        fail("cannot read the header length");
    uint64_t headerSize = 0;
    for (int i = 7; i >= 0; --i)
        headerSize = (headerSize << 8) | prefix[i];
    if (headerSize > fileSize - 8)
        fail("header length " + std::to_string(headerSize) + " is beyond the file size "
             + std::to_string(fileSize));
    constexpr uint64_t kMaxHeader = 100u << 20;
    if (headerSize > kMaxHeader)
        fail("header length " + std::to_string(headerSize) + " is larger than 100 MB");
    const QByteArray json = file.read(qint64(headerSize));
    if (uint64_t(json.size()) != headerSize)
        fail("cannot read the header");
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        fail("bad JSON header: " + error.errorString().toStdString() + " at offset "
             + std::to_string(error.offset));
    if (!document.isObject())
        fail("bad JSON header: not an object");
    const uint64_t dataSize = fileSize - 8 - headerSize;
    const QJsonObject header = document.object();
    for (auto it = header.begin(); it != header.end(); ++it) {
        const std::string name = it.key().toStdString();
        if (name == "__metadata__") {
            if (!it.value().isObject())
                fail("__metadata__ must be an object of strings");
            const QJsonObject object = it.value().toObject();
            for (auto m = object.begin(); m != object.end(); ++m) {
                if (!m.value().isString())
                    fail("__metadata__ value '" + m.key().toStdString() + "' is not a string");
                result.metadata.emplace_back(m.key().toStdString(), m.value().toString().toStdString());
            }
            continue;
        }
        const std::string where = "tensor '" + name + "'";
        if (!it.value().isObject())
            fail(where + ": not an object");
        const QJsonObject info = it.value().toObject();
        const std::string dtype = info.value(QStringLiteral("dtype")).toString().toStdString();
        SafetensorsEntry entry{name, at::ScalarType::Undefined, {}, 0, 0};
        for (const SafetensorsType &known : kSafetensorsTypes) {
            if (dtype == known.name)
                entry.type = known.type;
        }
        if (entry.type == at::ScalarType::Undefined)
            fail(where + ": unknown dtype '" + dtype + "'");
        // JSON numbers arrive as doubles: exact for every integer a file can index.
        const auto integer = [&](const QJsonValue &v, const char *what) -> uint64_t {
            const double d = v.toDouble(-1);
            if (!v.isDouble() || d < 0 || d != double(uint64_t(d)) || d > 9007199254740992.0)
                fail(where + ": " + what + " must be non-negative integers");
            return uint64_t(d);
        };
        if (!info.value(QStringLiteral("shape")).isArray())
            fail(where + ": missing shape");
        uint64_t count = 1;
        bool overflow = false, zero = false;
        for (const QJsonValue &size : info.value(QStringLiteral("shape")).toArray()) {
            const uint64_t n = integer(size, "shape entries");
            entry.shape.push_back(int64_t(n));
            // Bounded so that count * itemSize (at most 8) cannot wrap: data_offsets
            // never exceed 2^53 anyway.
            if (n != 0 && count > (uint64_t(1) << 53) / n)
                overflow = true;
            count = overflow ? 0 : count * n;
            zero = zero || n == 0;
        }
        if (zero) {  // no elements, however large the other sizes
            overflow = false;
            count = 0;
        }
        const QJsonArray offsets = info.value(QStringLiteral("data_offsets")).toArray();
        if (offsets.size() != 2)
            fail(where + ": data_offsets must be [begin, end]");
        entry.begin = integer(offsets[0], "data_offsets");
        entry.end = integer(offsets[1], "data_offsets");
        if (entry.begin > entry.end || entry.end > dataSize)
            fail(where + ": data_offsets [" + std::to_string(entry.begin) + ", " + std::to_string(entry.end)
                 + "] out of range (the data is " + std::to_string(dataSize) + " bytes)");
        const uint64_t itemSize = c10::elementSize(entry.type);
        if (overflow || count * itemSize != entry.end - entry.begin)
            fail(where + ": shape and dtype need " + (overflow ? std::string("too many") : std::to_string(count * itemSize))
                 + " bytes but data_offsets span " + std::to_string(entry.end - entry.begin));
        entries.push_back(std::move(entry));
    }
    // The file's order is its data order; the buffer must be covered
    // exactly, without overlaps or holes (as the format requires).
    std::sort(entries.begin(), entries.end(), [](const SafetensorsEntry &a, const SafetensorsEntry &b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    uint64_t expected = 0;
    for (const SafetensorsEntry &entry : entries) {
        if (entry.begin != expected)
            fail("tensor '" + entry.name + "': data_offsets [" + std::to_string(entry.begin) + ", "
                 + std::to_string(entry.end) + "] " + (entry.begin < expected ? "overlap another tensor" : "leave a gap"));
        expected = entry.end;
    }
    if (expected != dataSize)
        fail("the tensors cover " + std::to_string(expected) + " of " + std::to_string(dataSize) + " data bytes");

    result.headerSize = headerSize;
    return result;
}

} // namespace kiln::modelfiles
