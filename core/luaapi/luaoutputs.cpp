#include "luaapi/luatensor_p.h"
#include "luaapi/luatorch_p.h"
#include "document/outputitem.h"

#include <QBuffer>
#include <QImage>
#include <QJsonArray>
#include <QJsonObject>

#include <chrono>
#include <cmath>
#include <map>
#include <string>
#include <thread>

// The natives behind plot, show and the rich outputs of a cell. Live plots are
// fed point by point from the training loop: points collect here and leave as
// one plot update at most every kFlushInterval, so plot.push costs a map lookup
// and a vector append, and the window redraws at its own pace.

namespace kiln {
namespace lua {

namespace {

constexpr auto kFlushInterval = std::chrono::milliseconds(50);
char kPlotStateKey;

struct Series
{
    int64_t count = 0;  // points pushed this evaluation: the default x
    std::vector<double> x, y;
};

struct PlotState
{
    // plot id -> series name -> pending points; std::map keeps series order stable.
    std::map<std::string, std::map<std::string, Series>> plots;
    std::vector<std::string> plotOrder;
    std::chrono::steady_clock::time_point lastFlush;
    int staticPlots = 0;
};

PlotState *plotState(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kPlotStateKey);
    auto *state = static_cast<PlotState *>(lua_touserdata(L, -1));
    lua_pop(L, 1);
    return state;
}

// Runs once, when the session closes: the state leaves the registry as it is
// destroyed, so a later call (or a finalizer that plots after it) finds none.
int plotStateGc(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kPlotStateKey);
    const bool current = lua_type(L, 1) == LUA_TUSERDATA && lua_rawequal(L, -1, 1);
    lua_pop(L, 1);
    if (!current)
        return 0;
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kPlotStateKey);
    static_cast<PlotState *>(lua_touserdata(L, 1))->~PlotState();
    return 0;
}

PlotState *checkPlotState(lua_State *L)
{
    PlotState *state = plotState(L);
    if (!state)
        luaL_error(L, "plots are not available while the session closes");
    return state;
}

QJsonArray numbers(const std::vector<double> &values)
{
    QJsonArray array;
    for (double value : values)
        array.append(std::isfinite(value) ? QJsonValue(value) : QJsonValue());
    return array;
}

void flushPlots(lua_State *L, PlotState &state)
{
    for (const std::string &id : state.plotOrder) {
        QJsonArray series;
        for (auto &[name, points] : state.plots[id]) {
            if (points.y.empty())
                continue;
            QJsonObject entry;
            entry.insert(QStringLiteral("name"), QString::fromStdString(name));
            entry.insert(QStringLiteral("x"), numbers(points.x));
            entry.insert(QStringLiteral("y"), numbers(points.y));
            series.append(entry);
            points.x.clear();
            points.y.clear();
        }
        if (series.isEmpty())
            continue;
        QJsonObject data;
        data.insert(QStringLiteral("plot"), QString::fromStdString(id));
        data.insert(QStringLiteral("chart"), QStringLiteral("line"));
        data.insert(QStringLiteral("live"), true);
        data.insert(QStringLiteral("series"), series);
        emitOutput(L, OutputItem::make(OutputItem::Kind::Plot, data));
    }
    state.lastFlush = std::chrono::steady_clock::now();
}

double checkPoint(lua_State *L, int index)
{
    if (std::optional<at::Tensor> tensor = testTensor(L, index)) {
        if (tensor->numel() != 1)
            luaL_argerror(L, index, "a number or a one-element tensor expected");
        return tensor->item<double>();
    }
    return luaL_checknumber(L, index);
}

// plot.push(series, y) or plot.push(series, x, y), then optionally {plot = "name", title = ...}.
int plotPush(lua_State *L)
{
    const char *series = luaL_checkstring(L, 1);
    int options = 0;
    for (int i = 3; i <= lua_gettop(L); ++i) {
        if (lua_istable(L, i))
            options = i;
    }
    const bool hasX = !lua_isnoneornil(L, 3) && !lua_istable(L, 3);
    const double y = checkPoint(L, hasX ? 3 : 2);
    const double x = hasX ? checkPoint(L, 2) : 0;
    std::string id = "live";
    if (options) {
        lua_getfield(L, options, "plot");
        if (lua_type(L, -1) == LUA_TSTRING)
            id = std::string("live:") + lua_tostring(L, -1);
        lua_pop(L, 1);
    }
    PlotState *state = checkPlotState(L);
    auto plot = state->plots.find(id);
    if (plot == state->plots.end()) {
        plot = state->plots.emplace(id, std::map<std::string, Series>()).first;
        state->plotOrder.push_back(id);
    }
    Series &points = plot->second[series];
    points.x.push_back(hasX ? x : double(points.count));
    points.y.push_back(y);
    ++points.count;
    if (std::chrono::steady_clock::now() - state->lastFlush >= kFlushInterval)
        flushPlots(L, *state);
    return 0;
}

// Lua values to JSON for plot and table specs: tensors become (nested) arrays.
QJsonValue toJson(lua_State *L, int index, int depth = 0)
{
    index = lua_absindex(L, index);
    if (depth > 32)
        luaL_error(L, "output: value nested too deeply");
    if (std::optional<at::Tensor> tensor = testTensor(L, index)) {
        const at::Tensor values = tensor->detach().to(at::kCPU, at::kDouble).contiguous();
        if (values.dim() == 0)
            return values.item<double>();
        if (values.dim() == 1) {
            const double *data = values.data_ptr<double>();
            return numbers(std::vector<double>(data, data + values.numel()));
        }
        QJsonArray rows;
        for (int64_t i = 0; i < values.size(0); ++i) {
            const at::Tensor row = values[i].reshape({-1}).contiguous();
            const double *data = row.data_ptr<double>();
            rows.append(numbers(std::vector<double>(data, data + row.numel())));
        }
        return rows;
    }
    switch (lua_type(L, index)) {
    case LUA_TNIL:
        return QJsonValue();
    case LUA_TBOOLEAN:
        return bool(lua_toboolean(L, index));
    case LUA_TNUMBER:
        if (lua_isinteger(L, index))
            return qint64(lua_tointeger(L, index));
        return std::isfinite(lua_tonumber(L, index)) ? QJsonValue(lua_tonumber(L, index)) : QJsonValue();
    case LUA_TSTRING: {
        size_t length = 0;
        const char *text = lua_tolstring(L, index, &length);
        return QString::fromUtf8(text, qsizetype(length));
    }
    case LUA_TTABLE: {
        luaL_checkstack(L, 4, "output: value nested too deeply");
        const lua_Integer n = lua_Integer(lua_rawlen(L, index));
        if (n > 0) {
            QJsonArray array;
            for (lua_Integer i = 1; i <= n; ++i) {
                lua_rawgeti(L, index, i);
                array.append(toJson(L, -1, depth + 1));
                lua_pop(L, 1);
            }
            return array;
        }
        QJsonObject object;
        lua_pushnil(L);
        while (lua_next(L, index)) {
            if (lua_type(L, -2) == LUA_TSTRING)
                object.insert(QString::fromUtf8(lua_tostring(L, -2)), toJson(L, -1, depth + 1));
            lua_pop(L, 1);
        }
        return object;
    }
    default: {
        const char *text = luaL_tolstring(L, index, nullptr);
        const QString result = QString::fromUtf8(text);
        lua_pop(L, 1);
        return result;
    }
    }
}

// _kiln_output.emit(kind, spec): "plot" | "table" | "image"; Lua shapes the spec.
int outputEmit(lua_State *L)
{
    const std::string kind = luaL_checkstring(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    QJsonObject data = toJson(L, 2).toObject();
    OutputItem::Kind outputKind = OutputItem::Kind::Table;
    if (kind == "plot") {
        outputKind = OutputItem::Kind::Plot;
        PlotState *state = checkPlotState(L);
        data.insert(QStringLiteral("plot"), QStringLiteral("plot-%1").arg(++state->staticPlots));
    } else if (kind != "table") {
        return luaL_argerror(L, 1, "'plot' or 'table' expected");
    }
    emitOutput(L, OutputItem::make(outputKind, data));
    return 0;
}

// A [H,W], [C,H,W] or [N,C,H,W] tensor as an 8-bit image; a batch becomes a
// grid (8 per row, 2-pixel gaps, as torchvision's make_grid). Float values are
// taken as [0,1] and, when they leave that range, scaled from min..max.
QImage tensorImage(const at::Tensor &input)
{
    at::Tensor t = input.detach();
    if (t.dim() == 2)
        t = t.unsqueeze(0);
    if (t.dim() == 4) {
        const int64_t n = t.size(0), c = t.size(1), h = t.size(2), w = t.size(3);
        const int64_t perRow = std::min<int64_t>(8, n), rows = (n + perRow - 1) / perRow, gap = 2;
        at::Tensor grid = at::zeros({c, rows * (h + gap) + gap, perRow * (w + gap) + gap}, t.options());
        for (int64_t i = 0; i < n; ++i) {
            const int64_t r = i / perRow, col = i % perRow;
            grid.narrow(1, gap + r * (h + gap), h).narrow(2, gap + col * (w + gap), w).copy_(t[i]);
        }
        t = grid;
    }
    if (t.dim() != 3 || (t.size(0) != 1 && t.size(0) != 3 && t.size(0) != 4))
        throw std::invalid_argument("show.image: expected [H,W], [C,H,W] or [N,C,H,W] with 1, 3 or 4 channels, got "
                                    + c10::str(t.sizes()));
    at::Tensor bytes;
    if (t.scalar_type() == at::kByte) {
        bytes = t;
    } else {
        t = t.to(at::kFloat);
        const double low = t.min().item<double>(), high = t.max().item<double>();
        if (low < 0 || high > 1)
            t = high > low ? (t - low) / (high - low) : at::zeros_like(t);
        bytes = (t.clamp(0, 1) * 255).round().to(at::kByte);
    }
    const int64_t channels = bytes.size(0), height = bytes.size(1), width = bytes.size(2);
    const at::Tensor hwc = bytes.permute({1, 2, 0}).cpu().contiguous();
    const uint8_t *data = hwc.data_ptr<uint8_t>();
    QImage image(int(width), int(height), channels == 1 ? QImage::Format_Grayscale8
                                          : channels == 3 ? QImage::Format_RGB888
                                                          : QImage::Format_RGBA8888);
    for (int64_t y = 0; y < height; ++y)
        std::memcpy(image.scanLine(int(y)), data + y * width * channels, size_t(width * channels));
    return image;
}

// show.image(t, {title = ..., scale = n}): an image output (PNG) in the cell.
int showImage(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    std::string title = optString(L, 2, "title", "");
    return guarded(L, [&] {
        const QImage image = tensorImage(tensor);
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "PNG");
        QJsonObject data;
        data.insert(QStringLiteral("png"), QString::fromLatin1(png.toBase64()));
        data.insert(QStringLiteral("width"), image.width());
        data.insert(QStringLiteral("height"), image.height());
        if (!title.empty())
            data.insert(QStringLiteral("title"), QString::fromStdString(title));
        emitOutput(L, OutputItem::make(OutputItem::Kind::Image, data));
        return 0;
    });
}

// time.perf_counter(): wall-clock seconds for timing code, as in Python
// (os.clock counts CPU time of all threads, which BLAS may multiply).
int timePerfCounter(lua_State *L)
{
    using namespace std::chrono;
    lua_pushnumber(L, duration<double>(steady_clock::now().time_since_epoch()).count());
    return 1;
}

// time.sleep(seconds): waits in short slices so that Interrupt still works.
int timeSleep(lua_State *L)
{
    const double seconds = luaL_checknumber(L, 1);
    using namespace std::chrono;
    const auto end = steady_clock::now() + duration_cast<steady_clock::duration>(duration<double>(std::max(0.0, seconds)));
    while (steady_clock::now() < end) {
        checkInterrupted(L);
        const steady_clock::duration left = end - steady_clock::now();
        std::this_thread::sleep_for(std::min<steady_clock::duration>(left, milliseconds(20)));
    }
    checkInterrupted(L);
    return 0;
}

} // namespace

void openOutputs(lua_State *L)
{
    auto *state = static_cast<PlotState *>(lua_newuserdatauv(L, sizeof(PlotState), 0));
    new (state) PlotState();
    lua_newtable(L);
    lua_pushcfunction(L, plotStateGc);
    lua_setfield(L, -2, "__gc");
    protectMetatable(L, -1, "kiln.PlotState");
    lua_setmetatable(L, -2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kPlotStateKey);

    lua_newtable(L);
    lua_pushcfunction(L, plotPush);
    lua_setfield(L, -2, "push");
    lua_setglobal(L, "plot");

    lua_newtable(L);
    lua_pushcfunction(L, showImage);
    lua_setfield(L, -2, "image");
    lua_setglobal(L, "show");

    lua_newtable(L);
    lua_pushcfunction(L, timePerfCounter);
    lua_setfield(L, -2, "perf_counter");
    lua_pushcfunction(L, timeSleep);
    lua_setfield(L, -2, "sleep");
    lua_setglobal(L, "time");

    lua_newtable(L);
    lua_pushcfunction(L, outputEmit);
    lua_setfield(L, -2, "emit");
    lua_setglobal(L, "_kiln_output");
}

} // namespace lua

QJsonObject describeTorchValue(lua_State *L, int index)
{
    // Never raises (the session calls this outside a protected call): a freed
    // tensor is described as nothing.
    lua::TensorBox *box = lua::testTensorBox(L, index);
    if (!box || box->freed || !box->tensor.defined())
        return {};
    const at::Tensor found = box->tensor;
    const at::Tensor tensor = found.detach();
    try {
        QJsonObject description;
        QJsonArray shape;
        for (int64_t size : tensor.sizes())
            shape.append(qint64(size));
        description.insert(QStringLiteral("shape"), shape);
        description.insert(QStringLiteral("dtype"), QStringLiteral("torch.%1").arg(QLatin1String(lua::dtypeName(tensor.scalar_type()))));
        description.insert(QStringLiteral("requires_grad"), found.requires_grad());
        const bool small1d = tensor.dim() == 1 && tensor.numel() <= 1000;
        const bool small2d = tensor.dim() == 2 && tensor.size(0) <= 64 && tensor.size(1) <= 64;
        if (small1d || small2d) {
            const at::Tensor values = tensor.to(at::kCPU, at::kDouble).reshape({tensor.dim() == 1 ? 1 : tensor.size(0), -1}).contiguous();
            QJsonArray rows;
            for (int64_t r = 0; r < values.size(0); ++r) {
                const at::Tensor row = values[r];
                const double *data = row.data_ptr<double>();
                rows.append(lua::numbers(std::vector<double>(data, data + row.numel())));
            }
            description.insert(QStringLiteral("values"), rows);
        }
        const auto channelsOk = [](int64_t c) { return c == 1 || c == 3; };
        const bool image = (tensor.dim() == 2 && tensor.size(0) >= 8 && tensor.size(1) >= 8)
            || (tensor.dim() == 3 && channelsOk(tensor.size(0)) && tensor.size(1) >= 8 && tensor.size(2) >= 8)
            || (tensor.dim() == 4 && tensor.size(0) <= 64 && channelsOk(tensor.size(1)) && tensor.size(2) >= 8);
        if (image && tensor.numel() > 0 && tensor.scalar_type() != at::kBool) {
            const QImage picture = lua::tensorImage(tensor);
            QByteArray png;
            QBuffer buffer(&png);
            buffer.open(QIODevice::WriteOnly);
            picture.save(&buffer, "PNG");
            description.insert(QStringLiteral("png"), QString::fromLatin1(png.toBase64()));
        }
        return QJsonObject{{QStringLiteral("tensor"), description}};
    } catch (const std::exception &) {
        return {};
    }
}

void beginTorchEvaluation(lua_State *L)
{
    if (lua::PlotState *state = lua::plotState(L)) {
        state->plots.clear();
        state->plotOrder.clear();
        state->staticPlots = 0;
        state->lastFlush = std::chrono::steady_clock::now();
    }
}

void endTorchEvaluation(lua_State *L)
{
    if (lua::PlotState *state = lua::plotState(L))
        lua::flushPlots(L, *state);
}

} // namespace kiln
