#pragma once

#include <Qsci/qsciabstractapis.h>

#include <QHash>
#include <QStringList>

#include <functional>

class QsciScintilla;

namespace kiln {

// Completion and call tips for notebook code: the torch API as the reference
// page (docs/lua-api.md) lists it, Lua's own globals, and the notebook's globals
// with their fields. QsciAPIs cannot serve Lua: it splits names on the lexer's
// first word separator only (':'), so `torch.zer` never matched `torch.zeros`,
// and it knows nothing of receivers (`model:` wants a module's methods).
class LuaCompletion : public QsciAbstractAPIs
{
public:
    // The notebook's globals, each with the kind of value it holds as the
    // reference names receivers ("t" a tensor, "m" a module, "opt", "sched", "sm",
    // ...; empty when not known).
    using Globals = std::function<QHash<QString, QString>()>;

    LuaCompletion(QsciLexer *lexer, QsciScintilla *editor, Globals globals);

    // Reads the reference page once per process; every editor shares the result.
    static void setReference(const QString &markdown);

    // Guesses the kind of each global assigned at the top level of `sources`
    // from what it is assigned (`model = nn.Sequential(...)` is a module).
    static QHash<QString, QString> guessGlobals(const QStringList &sources);

    // What completing `context` (words split at '.' or ':'; `colon`: the last
    // separator was ':') offers, sorted; public for tests.
    QStringList completions(const QStringList &context, bool colon) const;
    // The signatures that fit a call of `context` (e.g. {"torch", "zeros"}).
    QStringList signatures(const QStringList &context, bool colon) const;

    void updateAutoCompletionList(const QStringList &context, QStringList &list) override;
    QStringList callTips(const QStringList &context, int commas, QsciScintilla::CallTipsStyle style,
                         QList<int> &shifts) override;

private:
    // Whether the separator before the word that ends `back` characters before the
    // cursor is ':' (a method call) rather than '.'.
    bool colonBefore(int back) const;

    QsciScintilla *mEditor;
    Globals mGlobals;
};

} // namespace kiln
