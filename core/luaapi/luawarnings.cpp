#include "luaapi/luawarnings.h"

#include "document/outputitem.h"
#include "luaapi/luatensor_p.h"

#include <c10/util/Exception.h>

#include <set>
#include <string>

namespace kiln::lua {

namespace {

class OutputWarningHandler : public c10::WarningHandler
{
public:
    explicit OutputWarningHandler(lua_State *L) : mState(L) {}

    void process(const c10::Warning &warning) override
    {
        const std::string &message = warning.msg();
        if (!mSeen.insert(message).second)
            return;
        emitOutput(mState, OutputItem::makeText(QStringLiteral("Warning: %1\n").arg(QString::fromStdString(message))));
    }

private:
    lua_State *mState;
    std::set<std::string> mSeen;
};

} // namespace

struct TorchWarningsToOutput::Private
{
    explicit Private(lua_State *L) : handler(L), guard(&handler) {}

    OutputWarningHandler handler;
    c10::WarningUtils::WarningHandlerGuard guard;
};

TorchWarningsToOutput::TorchWarningsToOutput(lua_State *L) : d(std::make_unique<Private>(L)) {}

TorchWarningsToOutput::~TorchWarningsToOutput() = default;

} // namespace kiln::lua
