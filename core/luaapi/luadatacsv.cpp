#include "luaapi/luadata_p.h"
#include "readers/csvreader.h"
#include "readers/datasetreport.h"

#include <QFileInfo>
#include <QSaveFile>

#include <charconv>
#include <cstring>
#include <limits>
#include <map>
#include <string>
#include <vector>

// data.read_csv and data.write_csv: a CSV file as float32 features (plus a
// target column as labels or values) and a report of what was read, and
// tensors or rows written back with PyTorch-like number formatting; and the
// report the training panel shows, for data.describe.

namespace kiln::lua {

// data.read_csv(path, {target =, columns =, header =, delimiter =, drop_invalid =, missing =})
//   -> x float32 [N, F], y (only with target), info
int dataReadCsv(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    const int options = optionsIndex(L, 2);
    const int targetIndex = pushOption(L, options, "target", LUA_TSTRING, "a column name");
    const int columnsIndex = pushOption(L, options, "columns", LUA_TTABLE, "an array of column names");
    const int headerIndex = pushOption(L, options, "header", LUA_TBOOLEAN, "a boolean");
    const int delimiterIndex = pushOption(L, options, "delimiter", LUA_TSTRING, "a string");
    const bool dropInvalid = optBool(L, options, "drop_invalid", false);
    // missing = "nan": a missing feature value reads as NaN (to be filled in
    // later) instead of making its row invalid; a missing target still does.
    const int missingIndex = pushOption(L, options, "missing", LUA_TSTRING, "\"error\" or \"nan\"");
    const char *missing = lua_tostring(L, missingIndex);
    if (missing && std::strcmp(missing, "nan") != 0 && std::strcmp(missing, "error") != 0)
        return luaL_error(L, "data.read_csv: option 'missing' must be \"error\" or \"nan\", got \"%s\"", missing);
    const bool missingAsNan = missing && std::strcmp(missing, "nan") == 0;
    if (!lua_isnil(L, columnsIndex))
        checkStringArray(L, columnsIndex, "data.read_csv: option 'columns'");
    const char *delimiter = lua_tostring(L, delimiterIndex);
    if (delimiter && (std::strlen(delimiter) != 1 || uchar(delimiter[0]) >= 0x80 || delimiter[0] == '"'))
        return luaL_error(L, "data.read_csv: option 'delimiter' must be one character such as \",\", \";\" or \"\\t\"");

    return protect(L, [&] {
        const QString filePath = QString::fromUtf8(path);
        const QString name = QFileInfo(filePath).fileName();
        CsvReader reader;
        if (delimiter)
            reader.setDelimiter(QLatin1Char(delimiter[0]));
        if (!lua_isnil(L, headerIndex))
            reader.setHeader(lua_toboolean(L, headerIndex) ? CsvReader::Header::Present : CsvReader::Header::Absent);
        if (!QFileInfo::exists(filePath))
            fail(QStringLiteral("data.read_csv: %1 not found").arg(filePath));
        if (!reader.open(filePath))
            fail(QStringLiteral("data.read_csv: ") + reader.errorString());

        const QStringList columns = reader.columns();
        if (columns.isEmpty())
            fail(QStringLiteral("data.read_csv: %1 is empty").arg(name));
        auto find = [&](const QString &column) {
            const qsizetype at = columns.indexOf(column);
            if (at < 0)
                fail(QStringLiteral("data.read_csv: %1 has no column '%2' (columns: %3)")
                         .arg(name, column, columnList(columns)));
            return at;
        };

        const bool hasTarget = !lua_isnil(L, targetIndex);
        const QString targetName = hasTarget ? QString::fromUtf8(lua_tostring(L, targetIndex)) : QString();
        const qsizetype target = hasTarget ? find(targetName) : -1;
        std::vector<qsizetype> features;
        QStringList featureNames;
        if (!lua_isnil(L, columnsIndex)) {
            for (const QString &column : toStringList(L, columnsIndex)) {
                features.push_back(find(column));
                featureNames.append(column);
            }
        } else {
            for (qsizetype c = 0; c < columns.size(); ++c) {
                if (c != target) {
                    features.push_back(c);
                    featureNames.append(columns.at(c));
                }
            }
        }

        std::vector<float> values;
        QStringList targets;
        int64_t rows = 0;
        int64_t dropped = 0;
        CsvReader::Row row;
        QString problem;
        while (reader.next(row)) {
            if (((rows + dropped) & 4095) == 4095)
                pollInterrupt(L);
            problem.clear();
            const size_t mark = values.size();
            if (row.fields.size() != columns.size()) {
                problem = QStringLiteral("line %1 has %2 fields, expected %3")
                              .arg(row.line).arg(row.fields.size()).arg(columns.size());
            } else {
                for (size_t f = 0; f < features.size() && problem.isEmpty(); ++f) {
                    const QString &field = row.fields.at(features[f]);
                    double value = 0;
                    if (CsvReader::toNumber(field, &value)) {
                        values.push_back(float(value));
                    } else if (CsvReader::isMissing(field) && missingAsNan) {
                        values.push_back(std::numeric_limits<float>::quiet_NaN());
                    } else if (CsvReader::isMissing(field)) {
                        problem = QStringLiteral("line %1, column '%2': missing value").arg(row.line).arg(featureNames.at(qsizetype(f)));
                    } else {
                        problem = QStringLiteral("line %1, column '%2': '%3' is not a number")
                                      .arg(row.line).arg(featureNames.at(qsizetype(f)), field);
                    }
                }
                if (problem.isEmpty() && hasTarget && CsvReader::isMissing(row.fields.at(target)))
                    problem = QStringLiteral("line %1, column '%2': missing value").arg(row.line).arg(targetName);
            }
            if (!problem.isEmpty()) {
                if (!dropInvalid)
                    fail(QStringLiteral("data.read_csv: %1 %2").arg(name, problem));
                values.resize(mark);
                ++dropped;
                continue;
            }
            if (hasTarget)
                targets.append(row.fields.at(target).trimmed());
            ++rows;
        }
        if (!reader.errorString().isEmpty())
            fail(QStringLiteral("data.read_csv: %1 %2").arg(name, reader.errorString()));
        if (rows == 0) {
            if (dropped > 0)
                fail(QStringLiteral("data.read_csv: %1: all %2 rows were invalid and dropped").arg(name).arg(dropped));
            fail(QStringLiteral("data.read_csv: %1 has a header but no data rows").arg(name));
        }

        at::Tensor x = at::from_blob(values.data(), {rows, int64_t(features.size())}, at::kFloat).clone();
        std::vector<float>().swap(values);

        // The target: integers stay integers (int64), other numbers are float32,
        // and anything with text becomes class ids in sorted name order.
        at::Tensor y;
        QStringList classes;
        if (hasTarget) {
            bool numeric = true;
            bool integral = true;
            for (const QString &text : targets) {
                if (!CsvReader::toNumber(text, nullptr)) {
                    numeric = false;
                    break;
                }
                bool ok = false;
                text.toLongLong(&ok);
                integral = integral && ok;
            }
            if (numeric && integral) {
                y = at::empty({rows}, at::kLong);
                auto *out = y.data_ptr<int64_t>();
                for (int64_t i = 0; i < rows; ++i)
                    out[i] = targets.at(i).toLongLong();
            } else if (numeric) {
                y = at::empty({rows}, at::kFloat);
                auto *out = y.data_ptr<float>();
                for (int64_t i = 0; i < rows; ++i) {
                    double value = 0;
                    CsvReader::toNumber(targets.at(i), &value);
                    out[i] = float(value);
                }
            } else {
                std::map<QString, int64_t> ids;
                for (const QString &text : targets)
                    ids.emplace(text, 0);
                for (auto &[className, id] : ids) {
                    id = classes.size();
                    classes.append(className);
                }
                y = at::empty({rows}, at::kLong);
                auto *out = y.data_ptr<int64_t>();
                for (int64_t i = 0; i < rows; ++i)
                    out[i] = ids[targets.at(i)];
            }
        }

        pushTensor(L, std::move(x));
        if (hasTarget)
            pushTensor(L, std::move(y));
        lua_createtable(L, 0, 7);
        pushStringArray(L, featureNames);
        lua_setfield(L, -2, "columns");
        if (hasTarget) {
            pushString(L, targetName);
            lua_setfield(L, -2, "target");
        }
        if (!classes.isEmpty()) {
            pushStringArray(L, classes);
            lua_setfield(L, -2, "classes");
        }
        lua_pushinteger(L, rows);
        lua_setfield(L, -2, "rows");
        lua_pushinteger(L, dropped);
        lua_setfield(L, -2, "dropped");
        lua_pushboolean(L, reader.hasHeader());
        lua_setfield(L, -2, "header");
        const char delimiterText[2] = {char(reader.delimiter().unicode()), 0};
        lua_pushstring(L, delimiterText);
        lua_setfield(L, -2, "delimiter");
        return hasTarget ? 3 : 2;
    });
}

namespace {

void appendField(QByteArray &out, const QByteArray &field, char delimiter)
{
    const bool quote = field.contains(delimiter) || field.contains('"') || field.contains('\n') || field.contains('\r')
        || (!field.isEmpty() && (field.front() == ' ' || field.back() == ' '));
    if (!quote) {
        out.append(field);
        return;
    }
    out.append('"');
    for (char c : field) {
        if (c == '"')
            out.append('"');
        out.append(c);
    }
    out.append('"');
}

template<typename Number>
void appendNumber(QByteArray &out, Number value)
{
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr - buffer);
}

} // namespace

// data.write_csv(path, tensor_or_rows, {header = {...}, delimiter = ","})
int dataWriteCsv(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    std::optional<at::Tensor> tensor = testTensor(L, 2);
    if (!tensor)
        luaL_argexpected(L, lua_istable(L, 2), 2, "Tensor or array of rows");
    const int options = optionsIndex(L, 3);
    const int headerIndex = pushOption(L, options, "header", LUA_TTABLE, "an array of column names");
    const int delimiterIndex = pushOption(L, options, "delimiter", LUA_TSTRING, "a string");
    if (!lua_isnil(L, headerIndex))
        checkStringArray(L, headerIndex, "data.write_csv: option 'header'");
    const char *delimiterText = lua_tostring(L, delimiterIndex);
    if (delimiterText && (std::strlen(delimiterText) != 1 || delimiterText[0] == '"'))
        return luaL_error(L, "data.write_csv: option 'delimiter' must be one character such as \",\", \";\" or \"\\t\"");
    const char delimiter = delimiterText ? delimiterText[0] : ',';

    // Rows from Lua are checked before any C++ object exists, so errors cannot leak.
    const lua_Integer rowCount = tensor ? 0 : luaL_len(L, 2);
    for (lua_Integer r = 1; r <= rowCount; ++r) {
        if (lua_rawgeti(L, 2, r) != LUA_TTABLE)
            return luaL_error(L, "data.write_csv: row %d must be an array, got %s", int(r), luaL_typename(L, -1));
        const lua_Integer fields = luaL_len(L, -1);
        for (lua_Integer f = 1; f <= fields; ++f) {
            const int type = lua_rawgeti(L, -1, f);
            if (type != LUA_TNUMBER && type != LUA_TSTRING && type != LUA_TBOOLEAN)
                return luaL_error(L, "data.write_csv: row %d, field %d is a %s (expected a number, string or boolean)",
                                  int(r), int(f), luaL_typename(L, -1));
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }

    return protect(L, [&] {
        QByteArray out;
        if (!lua_isnil(L, headerIndex)) {
            const QStringList header = toStringList(L, headerIndex);
            if (tensor && tensor->dim() == 2 && header.size() != tensor->size(1))
                fail(QStringLiteral("data.write_csv: the header has %1 names but the tensor has %2 columns")
                         .arg(header.size()).arg(tensor->size(1)));
            for (qsizetype i = 0; i < header.size(); ++i) {
                if (i > 0)
                    out.append(delimiter);
                appendField(out, header.at(i).toUtf8(), delimiter);
            }
            out.append('\n');
        }
        if (tensor) {
            if (tensor->dim() != 1 && tensor->dim() != 2)
                fail(QStringLiteral("data.write_csv: expected a 1-D or 2-D tensor, got shape %1").arg(shapeText(*tensor)));
            at::Tensor t = tensor->detach().to(at::kCPU);
            if (t.dim() == 1)
                t = t.unsqueeze(1);
            const int64_t rows = t.size(0);
            const int64_t cols = t.size(1);
            const bool floating = t.is_floating_point();
            const bool single = floating && t.scalar_type() != at::kDouble;
            t = (floating ? t.to(single ? at::kFloat : at::kDouble) : t.to(at::kLong)).contiguous();
            for (int64_t r = 0; r < rows; ++r) {
                if ((r & 65535) == 65535)
                    pollInterrupt(L);
                for (int64_t c = 0; c < cols; ++c) {
                    if (c > 0)
                        out.append(delimiter);
                    if (single)
                        appendNumber(out, t.data_ptr<float>()[r * cols + c]);
                    else if (floating)
                        appendNumber(out, t.data_ptr<double>()[r * cols + c]);
                    else
                        appendNumber(out, t.data_ptr<int64_t>()[r * cols + c]);
                }
                out.append('\n');
            }
        } else {
            for (lua_Integer r = 1; r <= rowCount; ++r) {
                lua_rawgeti(L, 2, r);
                const lua_Integer fields = luaL_len(L, -1);
                for (lua_Integer f = 1; f <= fields; ++f) {
                    if (f > 1)
                        out.append(delimiter);
                    lua_rawgeti(L, -1, f);
                    if (lua_isinteger(L, -1))
                        appendNumber(out, int64_t(lua_tointeger(L, -1)));
                    else if (lua_type(L, -1) == LUA_TNUMBER)
                        appendNumber(out, double(lua_tonumber(L, -1)));
                    else if (lua_type(L, -1) == LUA_TBOOLEAN)
                        out.append(lua_toboolean(L, -1) ? "true" : "false");
                    else
                        appendField(out, QByteArray(lua_tostring(L, -1)), delimiter);
                    lua_pop(L, 1);
                }
                lua_pop(L, 1);
                out.append('\n');
            }
        }

        const QString filePath = QString::fromUtf8(path);
        QSaveFile file(filePath);
        if (!file.open(QIODevice::WriteOnly))
            fail(QStringLiteral("data.write_csv: cannot write %1: %2").arg(filePath, file.errorString()));
        file.write(out);
        if (!file.commit())
            fail(QStringLiteral("data.write_csv: cannot write %1: %2").arg(filePath, file.errorString()));
        return 0;
    });
}

// data._csv_report(path, target?) -> the training panel's report of a CSV as a
// table: rows, bad_rows, target, task, columns (records), classes, problems.
// data.describe (data.lua) shows it.
int dataCsvReport(lua_State *L)
{
    const QString path = QString::fromUtf8(luaL_checkstring(L, 1));
    const QString target = QString::fromUtf8(luaL_optstring(L, 2, ""));
    const DatasetReport report = DatasetReports::analyzeCsv(path, target);
    if (!report.error.isEmpty()) {
        // No position: data.describe raises it at its caller's line.
        lua_pushstring(L, (QStringLiteral("data.describe: ") + report.error).toUtf8().constData());
        return lua_error(L);
    }
    const auto setString = [L](const char *key, const QString &value) {
        lua_pushstring(L, value.toUtf8().constData());
        lua_setfield(L, -2, key);
    };
    lua_newtable(L);
    lua_pushinteger(L, report.rows);
    lua_setfield(L, -2, "rows");
    lua_pushinteger(L, report.badRows);
    lua_setfield(L, -2, "bad_rows");
    setString("target", report.target);
    setString("task", report.task);
    lua_createtable(L, int(report.columns.size()), 0);
    for (int i = 0; i < report.columns.size(); ++i) {
        const ColumnSummary &column = report.columns.at(i);
        lua_newtable(L);
        setString("column", column.name);
        setString("kind", column.numeric() ? QStringLiteral("number") : column.present > 0 ? QStringLiteral("text") : QStringLiteral("empty"));
        lua_pushinteger(L, column.present);
        lua_setfield(L, -2, "present");
        lua_pushinteger(L, column.missing);
        lua_setfield(L, -2, "missing");
        lua_pushinteger(L, column.distinct);
        lua_setfield(L, -2, "distinct");
        if (column.numeric()) {
            lua_pushnumber(L, column.minimum);
            lua_setfield(L, -2, "min");
            lua_pushnumber(L, column.maximum);
            lua_setfield(L, -2, "max");
            lua_pushnumber(L, column.mean);
            lua_setfield(L, -2, "mean");
        }
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "columns");
    lua_createtable(L, int(report.classes.size()), 0);
    for (int i = 0; i < report.classes.size(); ++i) {
        lua_newtable(L);
        setString("class", report.classes.at(i).first);
        lua_pushinteger(L, report.classes.at(i).second);
        lua_setfield(L, -2, "count");
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "classes");
    lua_createtable(L, int(report.problems.size()), 0);
    for (int i = 0; i < report.problems.size(); ++i) {
        lua_pushstring(L, report.problems.at(i).toUtf8().constData());
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "problems");
    return 1;
}

} // namespace kiln::lua
