// Lua code that autograd calls back: t:register_hook(fn) and
// torch.autograd.Function subclasses with a Lua forward and backward.
//
// Autograd calls these during backward(), from inside libtorch's engine, so:
//   - the Lua code runs on a thread of its own (lua_newthread), under
//     lua_pcall: a Lua error becomes a C++ exception that leaves the engine
//     the normal way and reaches the cell as the error of backward();
//   - a graph node may outlive the Lua state or die on another thread, so the
//     registry references it holds are handed back through a queue that the
//     Lua side empties, never released from the node's destructor itself;
//   - tensors a Function saves are kept as SavedVariables in the node, not in
//     the Lua ctx table: an output saved in Lua would hold its own grad_fn
//     through the registry, a cycle neither collector can see.
#include "luaapi/luatensor_p.h"
#include "luaapi/luatensorops_p.h"

#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/functions/utils.h>
#include <torch/csrc/autograd/saved_variable.h>

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace kiln::lua {

namespace {

char kCallbackContextKey;
const char *const kFunctionCtxMetatable = "kiln.FunctionCtx";

struct CallbackContext
{
    lua_State *thread = nullptr;  // runs every callback; anchored in the registry
    std::mutex mutex;
    std::vector<int> released;    // references whose owners died, to unref on the Lua side
    bool open = true;             // false once the Lua state is closing
};

struct ContextBox
{
    std::shared_ptr<CallbackContext> context;
};

int contextGc(lua_State *L)
{
    auto *box = static_cast<ContextBox *>(lua_touserdata(L, 1));
    if (box->context) {
        const std::lock_guard<std::mutex> lock(box->context->mutex);
        box->context->open = false;
    }
    box->~ContextBox();
    return 0;
}

// The session's callback context, made on first use; also releases the
// references of nodes and hooks that died since the last call.
std::shared_ptr<CallbackContext> callbackContext(lua_State *L)
{
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &kCallbackContextKey) == LUA_TNIL) {
        lua_pop(L, 1);
        auto *box = new (lua_newuserdatauv(L, sizeof(ContextBox), 1)) ContextBox{std::make_shared<CallbackContext>()};
        lua_createtable(L, 0, 1);
        lua_pushcfunction(L, contextGc);
        lua_setfield(L, -2, "__gc");
        lua_setmetatable(L, -2);
        box->context->thread = lua_newthread(L);
        lua_setiuservalue(L, -2, 1);  // the box keeps the thread alive
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &kCallbackContextKey);
    }
    auto context = static_cast<ContextBox *>(lua_touserdata(L, -1))->context;
    lua_pop(L, 1);
    std::vector<int> released;
    {
        const std::lock_guard<std::mutex> lock(context->mutex);
        released.swap(context->released);
    }
    for (const int ref : released)
        luaL_unref(L, LUA_REGISTRYINDEX, ref);
    return context;
}

// A registry reference that a C++ object owns.
class LuaRef
{
public:
    LuaRef(std::shared_ptr<CallbackContext> context, int ref) : mContext(std::move(context)), mRef(ref) {}
    LuaRef(const LuaRef &) = delete;
    LuaRef &operator=(const LuaRef &) = delete;
    ~LuaRef()
    {
        const std::lock_guard<std::mutex> lock(mContext->mutex);
        if (mContext->open)
            mContext->released.push_back(mRef);
    }
    lua_State *thread() const { return mContext->thread; }
    void push() const { lua_rawgeti(mContext->thread, LUA_REGISTRYINDEX, mRef); }

private:
    std::shared_ptr<CallbackContext> mContext;
    int mRef;
};

std::shared_ptr<LuaRef> referenceTo(lua_State *L, int index)
{
    auto context = callbackContext(L);
    lua_pushvalue(L, index);
    return std::make_shared<LuaRef>(std::move(context), luaL_ref(L, LUA_REGISTRYINDEX));
}

// Calls the function and arguments on top of `thread`; a Lua error becomes an
// exception carrying `what` and the message.
void protectedCall(lua_State *thread, int arguments, const std::string &what)
{
    if (lua_pcall(thread, arguments, LUA_MULTRET, 0) != LUA_OK) {
        std::string message = lua_type(thread, -1) == LUA_TSTRING ? lua_tostring(thread, -1) : luaL_typename(thread, -1);
        lua_pop(thread, 1);
        throw std::runtime_error(what + ": " + message);
    }
}

// ---------------------------------------------------------------------------
// t:register_hook(fn)

at::Tensor runHook(const LuaRef &hook, const at::Tensor &grad)
{
    lua_State *T = hook.thread();
    const int base = lua_gettop(T);
    hook.push();
    pushTensor(T, grad);
    protectedCall(T, 1, "tensor hook");
    at::Tensor replacement;
    const bool bad = lua_gettop(T) > base && !lua_isnil(T, base + 1) && !isTensor(T, base + 1);
    if (lua_gettop(T) > base && isTensor(T, base + 1))
        replacement = checkTensor(T, base + 1);
    lua_settop(T, base);
    if (bad)
        throw std::runtime_error("tensor hook: must return a tensor (the new gradient) or nothing");
    return replacement;  // undefined: the gradient stays as it is
}

int hookHandleRemove(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, lua_upvalueindex(1));
    const auto position = unsigned(lua_tointeger(L, lua_upvalueindex(2)));
    if (lua_toboolean(L, lua_upvalueindex(3)))
        return 0;
    lua_pushboolean(L, 1);
    lua_replace(L, lua_upvalueindex(3));
    return guarded(L, [&] {
        tensor.remove_hook(position);
        return 0;
    });
}

// t:register_hook(fn) -> handle; fn(grad) runs when t's gradient is computed and
// may return a replacement. handle:remove() takes it off again.
int tensorRegisterHook(lua_State *L)
{
    const at::Tensor &tensor = checkTensor(L, 1);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    if (!tensor.requires_grad())
        return luaL_error(L, "register_hook: the tensor does not require grad, so no gradient reaches a hook");
    lua_Integer position = 0;
    guarded(L, [&] {
        std::shared_ptr<LuaRef> hook = referenceTo(L, 2);
        position = lua_Integer(tensor.register_hook([hook](const at::Tensor &grad) { return runHook(*hook, grad); }));
        return 0;
    });
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, 1);
    lua_pushinteger(L, position);
    lua_pushboolean(L, 0);
    lua_pushcclosure(L, hookHandleRemove, 3);
    lua_setfield(L, -2, "remove");
    return 1;
}

// ---------------------------------------------------------------------------
// torch.autograd.Function

struct FunctionNode : torch::autograd::Node
{
    std::string className;
    std::shared_ptr<LuaRef> cls;   // the Function subclass (its backward)
    std::shared_ptr<LuaRef> ctx;   // the ctx table forward filled
    int argumentCount = 0;         // forward's arguments, ctx excluded
    std::vector<int> edgeOfArgument;  // per argument: its next edge, or -1
    std::vector<torch::autograd::SavedVariable> saved;
    bool materializeGrads = true;

    torch::autograd::variable_list apply(torch::autograd::variable_list &&grads) override
    {
        lua_State *T = cls->thread();
        const int base = lua_gettop(T);
        cls->push();
        lua_getfield(T, -1, "backward");
        lua_remove(T, -2);
        ctx->push();
        lua_createtable(T, int(saved.size()), 0);
        const auto self = shared_from_this();
        for (size_t i = 0; i < saved.size(); ++i) {
            pushTensor(T, saved[i].unpack(self));
            lua_rawseti(T, -2, lua_Integer(i + 1));
        }
        lua_setfield(T, -2, "saved_tensors");
        for (size_t i = 0; i < grads.size(); ++i) {
            at::Tensor grad = grads[i];
            if (!grad.defined() && materializeGrads)
                grad = input_metadata(i).zeros_like();
            if (grad.defined())
                pushTensor(T, grad);
            else
                lua_pushnil(T);
        }
        try {
            protectedCall(T, int(grads.size()) + 1, className + ".backward");
        } catch (...) {
            lua_settop(T, base);
            clearSavedTensors();
            throw;
        }
        const int returned = lua_gettop(T) - base;
        std::string problem;
        torch::autograd::variable_list inputGrads(num_outputs());
        if (returned != argumentCount) {
            problem = className + ".backward returned " + std::to_string(returned) + " gradients; forward took "
                + std::to_string(argumentCount) + " arguments, and each needs one (nil for none)";
        }
        for (int i = 0; problem.empty() && i < argumentCount; ++i) {
            const int index = base + 1 + i;
            if (lua_isnil(T, index))
                continue;
            if (!isTensor(T, index)) {
                problem = className + ".backward: gradient " + std::to_string(i + 1) + " must be a tensor or nil, got "
                    + luaL_typename(T, index);
            } else if (edgeOfArgument[size_t(i)] >= 0) {
                inputGrads[size_t(edgeOfArgument[size_t(i)])] = checkTensor(T, index);
            }
        }
        lua_settop(T, base);
        clearSavedTensors();
        if (!problem.empty())
            throw std::runtime_error(problem);
        return inputGrads;
    }

    void clearSavedTensors()
    {
        lua_State *T = ctx->thread();
        ctx->push();
        lua_pushnil(T);
        lua_setfield(T, -2, "saved_tensors");
        lua_pop(T, 1);
    }

    void release_variables() override
    {
        for (auto &variable : saved)
            variable.reset_data();
    }

    std::string name() const override { return className + "Backward"; }
};

// ctx:save_for_backward(...), ctx:mark_non_differentiable(...): the tensors go to
// a hidden list that apply() reads after forward.
int ctxKeep(lua_State *L, const char *field)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    const int count = lua_gettop(L) - 1;
    lua_createtable(L, count, 0);
    for (int i = 1; i <= count; ++i) {
        if (!lua_isnil(L, i + 1))
            checkTensor(L, i + 1);
        lua_pushvalue(L, i + 1);
        lua_rawseti(L, -2, i);
    }
    lua_setfield(L, 1, field);
    return 0;
}

int ctxSaveForBackward(lua_State *L) { return ctxKeep(L, "__saved"); }
int ctxMarkNonDifferentiable(lua_State *L) { return ctxKeep(L, "__non_differentiable"); }

int ctxSetMaterializeGrads(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_pushboolean(L, lua_toboolean(L, 2));
    lua_setfield(L, 1, "__materialize_grads");
    return 0;
}

bool listHolds(lua_State *L, int ctx, const char *field, const at::Tensor &tensor)
{
    bool found = false;
    if (lua_getfield(L, ctx, field) == LUA_TTABLE) {
        for (lua_Integer i = 1; !found && lua_rawgeti(L, -1, i) != LUA_TNIL; ++i) {
            found = checkTensor(L, -1).unsafeGetTensorImpl() == tensor.unsafeGetTensorImpl();
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return found;
}

// torch.autograd._function_apply(cls, ...): runs cls.forward(ctx, ...) without
// recording a graph, then makes its tensor outputs the outputs of one node
// whose backward is cls.backward.
int functionApply(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    const int argumentCount = lua_gettop(L) - 1;
    lua_getfield(L, 1, "__name");
    const std::string className = lua_isstring(L, -1) ? lua_tostring(L, -1) : "Function";
    lua_pop(L, 1);
    if (lua_getfield(L, 1, "forward") != LUA_TFUNCTION)
        return luaL_error(L, "%s.apply: the class has no forward(ctx, ...) function", className.c_str());
    if (lua_getfield(L, 1, "backward") != LUA_TFUNCTION)
        return luaL_error(L, "%s.apply: the class has no backward(ctx, ...) function", className.c_str());
    lua_pop(L, 1);

    // ctx, with needs_input_grad for each argument
    lua_newtable(L);
    const int ctx = lua_gettop(L);
    luaL_setmetatable(L, kFunctionCtxMetatable);
    bool anyNeedsGrad = false;
    const bool gradEnabled = at::GradMode::is_enabled();
    lua_createtable(L, argumentCount, 0);
    for (int i = 1; i <= argumentCount; ++i) {
        const bool needs = gradEnabled && isTensor(L, i + 1) && checkTensor(L, i + 1).requires_grad();
        anyNeedsGrad = anyNeedsGrad || needs;
        lua_pushboolean(L, needs);
        lua_rawseti(L, -2, i);
    }
    lua_setfield(L, ctx, "needs_input_grad");

    // forward(ctx, ...), with grad mode off as in PyTorch
    lua_pushvalue(L, ctx - 1);
    lua_pushvalue(L, ctx);
    for (int i = 1; i <= argumentCount; ++i)
        lua_pushvalue(L, i + 1);
    at::GradMode::set_enabled(false);
    const int status = lua_pcall(L, argumentCount + 1, LUA_MULTRET, 0);
    at::GradMode::set_enabled(gradEnabled);
    if (status != LUA_OK)
        return lua_error(L);
    const int firstOutput = ctx + 1;
    const int outputCount = lua_gettop(L) - ctx;
    if (!anyNeedsGrad)
        return outputCount;

    return guarded(L, [&] {
        auto node = std::shared_ptr<FunctionNode>(new FunctionNode(), torch::autograd::deleteNode);
        node->className = className;
        node->argumentCount = argumentCount;
        std::vector<at::Tensor> inputs;
        for (int i = 1; i <= argumentCount; ++i) {
            const bool tensor = isTensor(L, i + 1);
            node->edgeOfArgument.push_back(tensor ? int(inputs.size()) : -1);
            if (tensor)
                inputs.push_back(checkTensor(L, i + 1));
        }
        node->set_next_edges(torch::autograd::collect_next_edges(inputs));
        lua_getfield(L, ctx, "__materialize_grads");
        node->materializeGrads = lua_isnil(L, -1) || lua_toboolean(L, -1);
        lua_pop(L, 1);

        std::vector<std::pair<at::TensorImpl *, at::Tensor>> outputs;  // forward's tensor -> the one returned
        for (int index = firstOutput; index < firstOutput + outputCount; ++index) {
            if (!isTensor(L, index))
                continue;
            const at::Tensor &original = checkTensor(L, index);
            const bool differentiable = at::isFloatingType(original.scalar_type()) || at::isComplexType(original.scalar_type());
            if (!differentiable || listHolds(L, ctx, "__non_differentiable", original)) {
                node->add_input_metadata(torch::autograd::Node::undefined_input());
                continue;
            }
            bool isInput = false;
            for (const auto &input : inputs)
                isInput = isInput || input.unsafeGetTensorImpl() == original.unsafeGetTensorImpl();
            at::Tensor output = isInput || original.requires_grad() ? original.detach() : original;
            torch::autograd::set_history(output, node);
            outputs.emplace_back(original.unsafeGetTensorImpl(), output);
            pushTensor(L, output);
            lua_replace(L, index);
        }
        if (lua_getfield(L, ctx, "__saved") == LUA_TTABLE) {
            for (lua_Integer i = 1; lua_rawgeti(L, -1, i) != LUA_TNIL; ++i) {
                const at::Tensor &tensor = checkTensor(L, -1);
                at::Tensor toSave = tensor;
                bool isOutput = false;
                for (const auto &output : outputs) {
                    if (output.first == tensor.unsafeGetTensorImpl()) {
                        toSave = output.second;
                        isOutput = true;
                    }
                }
                node->saved.emplace_back(toSave, isOutput);
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        lua_pushnil(L);
        lua_setfield(L, ctx, "__saved");
        node->cls = referenceTo(L, 1);
        node->ctx = referenceTo(L, ctx);
        return outputCount;
    });
}

const luaL_Reg kCtxMethods[] = {
    {"save_for_backward", ctxSaveForBackward},
    {"mark_non_differentiable", ctxMarkNonDifferentiable},
    {"set_materialize_grads", ctxSetMaterializeGrads},
    {nullptr, nullptr}};

} // namespace

void registerAutogradCallbacks(lua_State *L, int methods, int autogradTable)
{
    methods = lua_absindex(L, methods);
    autogradTable = lua_absindex(L, autogradTable);
    lua_pushcfunction(L, tensorRegisterHook);
    lua_setfield(L, methods, "register_hook");
    lua_pushcfunction(L, functionApply);
    lua_setfield(L, autogradTable, "_function_apply");
    luaL_newmetatable(L, kFunctionCtxMetatable);
    lua_newtable(L);
    luaL_setfuncs(L, kCtxMethods, 0);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
}

} // namespace kiln::lua
