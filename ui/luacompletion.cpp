#include "luacompletion.h"

#include <Qsci/qsciscintilla.h>

#include <QMap>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace kiln {

namespace {

// The API as the reference page shows it.
struct ApiIndex
{
    QHash<QString, QSet<QString>> children;      // "torch" -> {"zeros", ...}; "" -> the top level
    QHash<QString, QStringList> signaturesOf;    // "torch.zeros", "t:view" -> their signatures
    QHash<QString, QSet<QString>> methods;       // receiver ("t", "m", ...) -> method names
    QHash<QString, QSet<QString>> fields;        // receiver -> field names (t.shape)
};

ApiIndex &apiIndex()
{
    static ApiIndex index;
    return index;
}

const QStringList &luaGlobals()
{
    static const QStringList names{
        QStringLiteral("assert"),   QStringLiteral("collectgarbage"), QStringLiteral("coroutine"),
        QStringLiteral("error"),    QStringLiteral("getmetatable"),   QStringLiteral("ipairs"),
        QStringLiteral("math"),     QStringLiteral("next"),           QStringLiteral("os"),
        QStringLiteral("pairs"),    QStringLiteral("pcall"),          QStringLiteral("print"),
        QStringLiteral("rawget"),   QStringLiteral("rawset"),         QStringLiteral("require"),
        QStringLiteral("select"),   QStringLiteral("setmetatable"),   QStringLiteral("string"),
        QStringLiteral("table"),    QStringLiteral("tonumber"),       QStringLiteral("tostring"),
        QStringLiteral("type"),     QStringLiteral("utf8"),           QStringLiteral("xpcall"),
    };
    return names;
}

// Module kinds that also have every nn.Module method.
bool isModuleKind(const QString &kind)
{
    return kind == QLatin1String("m") || kind == QLatin1String("seq") || kind == QLatin1String("mlist")
        || kind == QLatin1String("mdict") || kind == QLatin1String("rnn");
}

QStringList kindsFor(const QString &kind)
{
    if (kind.isEmpty())
        return apiIndex().methods.keys();
    if (isModuleKind(kind) && kind != QLatin1String("m"))
        return {kind, QStringLiteral("m")};
    return {kind};
}

} // namespace

void LuaCompletion::setReference(const QString &markdown)
{
    ApiIndex index;
    QString text = markdown;
    // Fenced examples and the Python side of the translation table are not API.
    static const QRegularExpression fences(QStringLiteral("```.*?```"), QRegularExpression::DotMatchesEverythingOption);
    text.remove(fences);
    const qsizetype translating = text.indexOf(QLatin1String("## Translating PyTorch"));
    if (translating >= 0) {
        const qsizetype next = text.indexOf(QLatin1String("\n## "), translating + 1);
        text.remove(translating, (next < 0 ? text.size() : next) - translating);
    }
    static const QRegularExpression span(QStringLiteral("`([A-Za-z_][\\w.:]*)(\\([^`]*\\))?`"));
    QList<QPair<QString, bool>> names;  // name, has a signature
    for (auto it = span.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        const QString name = match.captured(1);
        const bool call = match.capturedLength(2) > 0;
        if (name.endsWith(QLatin1Char('.')) || name.endsWith(QLatin1Char(':')))
            continue;
        names.append({name, call});
        if (call)
            index.signaturesOf[name].append(name + match.captured(2));
        const qsizetype colon = name.indexOf(QLatin1Char(':'));
        if (colon > 0 && name.indexOf(QLatin1Char(':'), colon + 1) < 0 && !name.left(colon).contains(QLatin1Char('.')))
            index.methods[name.left(colon)].insert(name.mid(colon + 1));
    }
    // Receivers read as fields (t.shape); every other dotted name is a table path.
    for (const auto &[name, call] : std::as_const(names)) {
        if (name.contains(QLatin1Char(':')))
            continue;
        const QStringList parts = name.split(QLatin1Char('.'));
        if (parts.size() == 2 && index.methods.contains(parts.first()) && !call) {
            index.fields[parts.first()].insert(parts.at(1));
            continue;
        }
        if (index.methods.contains(parts.first()))
            continue;
        index.children[QString()].insert(parts.first());
        for (qsizetype i = 1; i < parts.size(); ++i)
            index.children[parts.mid(0, i).join(QLatin1Char('.'))].insert(parts.at(i));
    }
    for (auto &list : index.signaturesOf)
        list.removeDuplicates();
    apiIndex() = std::move(index);
}

QHash<QString, QString> LuaCompletion::guessGlobals(const QStringList &sources)
{
    QHash<QString, QString> kinds;
    QSet<QString> moduleClasses;
    static const QRegularExpression assignment(
        QStringLiteral("^[ \\t]*(?:local[ \\t]+)?([A-Za-z_]\\w*)[ \\t]*=[ \\t]*([A-Za-z_][\\w.]*)(.?)"),
        QRegularExpression::MultilineOption);
    static const QRegularExpression function(QStringLiteral("^[ \\t]*(?:local[ \\t]+)?function[ \\t]+([A-Za-z_]\\w*)[ \\t]*\\("),
                                             QRegularExpression::MultilineOption);
    static const QRegularExpression moduleClass(QStringLiteral("^class\\b.*nn\\.Module|nn\\.Module:extend"));
    for (const QString &source : sources) {
        for (auto it = function.globalMatch(source); it.hasNext();)
            kinds.insert(it.next().captured(1), QString());
        for (auto it = assignment.globalMatch(source); it.hasNext();) {
            const QRegularExpressionMatch match = it.next();
            const QString name = match.captured(1);
            QString value = match.captured(2);
            if (value.startsWith(QLatin1String("torch.nn.")) || value.startsWith(QLatin1String("torch.optim.")))
                value = value.mid(6);
            const QString line = source.mid(match.capturedStart(2)).section(QLatin1Char('\n'), 0, 0);
            QString kind;
            if (value == QLatin1String("class") || line.contains(moduleClass)) {
                if (line.contains(QLatin1String("nn.Module")))
                    moduleClasses.insert(name);
            } else if (value == QLatin1String("nn.Sequential")) {
                kind = QStringLiteral("seq");
            } else if (value == QLatin1String("nn.ModuleList")) {
                kind = QStringLiteral("mlist");
            } else if (value == QLatin1String("nn.ModuleDict")) {
                kind = QStringLiteral("mdict");
            } else if (value == QLatin1String("nn.LSTM") || value == QLatin1String("nn.GRU") || value == QLatin1String("nn.RNN")) {
                kind = QStringLiteral("rnn");
            } else if (value.startsWith(QLatin1String("nn.")) && value.size() > 3 && value.at(3).isUpper()) {
                kind = QStringLiteral("m");
            } else if (value == QLatin1String("torch.jit.load") || value == QLatin1String("torch.jit.trace")) {
                kind = QStringLiteral("sm");
            } else if (value.startsWith(QLatin1String("optim.lr_scheduler."))) {
                kind = QStringLiteral("sched");
            } else if (value.startsWith(QLatin1String("optim.")) && value.size() > 6 && value.at(6).isUpper()) {
                kind = QStringLiteral("opt");
            } else if (value.startsWith(QLatin1String("torch.")) || value.startsWith(QLatin1String("F."))) {
                kind = QStringLiteral("t");
            } else if (moduleClasses.contains(value)) {
                kind = QStringLiteral("m");
            } else if (kinds.value(value) == QLatin1String("t") && match.captured(3) != QLatin1String("(")) {
                kind = QStringLiteral("t");  // y = x:view(...), y = x * 2
            }
            if (!kinds.contains(name) || !kind.isEmpty())
                kinds.insert(name, kind);
        }
    }
    for (const QString &name : std::as_const(moduleClasses))
        kinds.insert(name, QString());
    return kinds;
}

LuaCompletion::LuaCompletion(QsciLexer *lexer, QsciScintilla *editor, Globals globals)
    : QsciAbstractAPIs(lexer)
    , mEditor(editor)
    , mGlobals(std::move(globals))
{
}

QStringList LuaCompletion::completions(const QStringList &context, bool colon) const
{
    if (context.isEmpty())
        return {};
    const ApiIndex &index = apiIndex();
    const QString prefix = context.last();
    const QStringList path = context.mid(0, context.size() - 1);
    const QHash<QString, QString> globals = mGlobals ? mGlobals() : QHash<QString, QString>();
    QSet<QString> candidates;
    const QString table = path.join(QLatin1Char('.'));
    if (path.isEmpty()) {
        candidates = index.children.value(QString());
        for (const QString &name : luaGlobals())
            candidates.insert(name);
        for (auto it = globals.cbegin(); it != globals.cend(); ++it)
            candidates.insert(it.key());
    } else if (!colon && index.children.contains(table) && !globals.contains(path.first())) {
        candidates = index.children.value(table);
    } else {
        const QString kind = path.size() == 1 ? globals.value(path.first()) : QString();
        for (const QString &receiver : kindsFor(kind))
            candidates.unite(colon ? index.methods.value(receiver) : index.fields.value(receiver));
    }
    QStringList result;
    for (const QString &candidate : std::as_const(candidates)) {
        if (candidate.startsWith(prefix) && candidate != prefix)
            result.append(candidate);
    }
    std::sort(result.begin(), result.end());
    return result;
}

QStringList LuaCompletion::signatures(const QStringList &context, bool colon) const
{
    if (context.isEmpty() || context.last().isEmpty())
        return {};
    const ApiIndex &index = apiIndex();
    const QString name = context.last();
    const QStringList path = context.mid(0, context.size() - 1);
    if (path.isEmpty())
        return index.signaturesOf.value(name);
    const QString table = path.join(QLatin1Char('.'));
    const QHash<QString, QString> globals = mGlobals ? mGlobals() : QHash<QString, QString>();
    if (!colon && index.children.contains(table) && !globals.contains(path.first()))
        return index.signaturesOf.value(table + QLatin1Char('.') + name);
    QStringList result;
    const QString kind = path.size() == 1 ? globals.value(path.first()) : QString();
    for (const QString &receiver : kindsFor(kind))
        result += index.signaturesOf.value(receiver + QLatin1Char(':') + name);
    result.removeDuplicates();
    return result;
}

bool LuaCompletion::colonBefore(int back) const
{
    if (!mEditor)
        return false;
    int line = 0, column = 0;
    mEditor->getCursorPosition(&line, &column);
    const QString text = mEditor->text(line);
    const int at = column - back - 1;
    return at >= 0 && at < text.size() && text.at(at) == QLatin1Char(':');
}

void LuaCompletion::updateAutoCompletionList(const QStringList &context, QStringList &list)
{
    if (context.isEmpty())
        return;
    list += completions(context, colonBefore(int(context.last().size())));
}

QStringList LuaCompletion::callTips(const QStringList &words, int, QsciScintilla::CallTipsStyle, QList<int> &shifts)
{
    // QScintilla passes the words before the '(' and then an empty one.
    QStringList context = words;
    while (!context.isEmpty() && context.last().isEmpty())
        context.removeLast();
    // The cursor is somewhere in the call's arguments: find the name before its '('.
    bool colon = false;
    if (mEditor && !context.isEmpty()) {
        int line = 0, column = 0;
        mEditor->getCursorPosition(&line, &column);
        const QString before = mEditor->text(line).left(column);
        const qsizetype at = before.lastIndexOf(context.last() + QLatin1Char('('));
        colon = at > 0 && before.at(at - 1) == QLatin1Char(':');
    }
    const QStringList tips = signatures(context, colon);
    for (qsizetype i = 0; i < tips.size(); ++i)
        shifts.append(0);
    return tips;
}

} // namespace kiln
