// torch.export in the Lua API: the weights of a torch.export.save file, and
// AOTInductor packages run as callables (torch._inductor.aoti_load_package in PyTorch).
#include "luaapi/luatensor_p.h"
#include "readers/pt2archive_p.h"

#include <torch/csrc/inductor/aoti_package/model_package_loader.h>

#include <QFile>

namespace kiln::lua {

namespace {

// The loader is shared: a call holds its own reference while it converts
// arguments (which can run Lua that closes the package), and __gc/__close only
// drop the box's reference, so closing twice is harmless.
using PackageLoader = std::shared_ptr<torch::inductor::AOTIModelPackageLoader>;

struct PackageBox
{
    PackageLoader loader;
};

PackageLoader checkPackage(lua_State *L, int index)
{
    auto *box = static_cast<PackageBox *>(luaL_checkudata(L, index, "torch.export.AOTIPackage"));
    luaL_argcheck(L, box->loader, index, "this package was closed");
    return box->loader;
}

std::string checkPath(lua_State *L, int index)
{
    return QFile::encodeName(QString::fromUtf8(luaL_checkstring(L, index))).toStdString();
}

// torch.export.load_weights(path) -> {name = tensor}: parameters, buffers and constants.
int exportLoadWeights(lua_State *L)
{
    const std::string path = checkPath(L, 1);
    std::vector<std::pair<std::string, at::Tensor>> weights;
    guarded(L, [&] {
        weights = pt2::loadWeights(path);
        return 0;
    });
    lua_createtable(L, 0, int(weights.size()));
    for (auto &[name, tensor] : weights) {
        pushTensor(L, std::move(tensor));
        lua_setfield(L, -2, name.c_str());
    }
    return 1;
}

// torch.export.load(path) -> a callable AOTInductor package: package(x, ...) or
// package:run({x, ...}) returns the outputs (one tensor, or several).
int exportLoad(lua_State *L)
{
    const std::string path = checkPath(L, 1);
    auto *box = static_cast<PackageBox *>(lua_newuserdatauv(L, sizeof(PackageBox), 0));
    new (box) PackageBox;
    luaL_setmetatable(L, "torch.export.AOTIPackage");
    return guarded(L, [&] {
        box->loader = PackageLoader(pt2::loadPackage(path));
        return 1;
    });
}

int packageRunTensors(lua_State *L, const PackageLoader &loader, std::vector<at::Tensor> inputs)
{
    std::vector<at::Tensor> outputs;
    guarded(L, [&] {
        for (at::Tensor &input : inputs)
            input = input.contiguous();
        outputs = loader->run(inputs);
        return 0;
    });
    luaL_checkstack(L, int(outputs.size()), "too many outputs");
    for (at::Tensor &output : outputs)
        pushTensor(L, std::move(output));
    return int(outputs.size());
}

int packageCall(lua_State *L)
{
    const PackageLoader loader = checkPackage(L, 1);
    std::vector<at::Tensor> inputs;
    for (int i = 2; i <= lua_gettop(L); ++i)
        inputs.push_back(checkTensor(L, i));
    return packageRunTensors(L, loader, std::move(inputs));
}

int packageRun(lua_State *L)
{
    const PackageLoader loader = checkPackage(L, 1);
    std::vector<at::Tensor> inputs = checkTensorList(L, 2);
    const int count = packageRunTensors(L, loader, std::move(inputs));
    lua_createtable(L, count, 0);
    lua_insert(L, -count - 1);
    for (int i = count; i >= 1; --i)
        lua_rawseti(L, -i - 1, i);
    return 1;
}

int packageMetadata(lua_State *L)
{
    const PackageLoader loader = checkPackage(L, 1);
    std::unordered_map<std::string, std::string> metadata;
    guarded(L, [&] {
        metadata = loader->get_metadata();
        return 0;
    });
    lua_createtable(L, 0, int(metadata.size()));
    for (const auto &[key, value] : metadata) {
        lua_pushlstring(L, value.data(), value.size());
        lua_setfield(L, -2, key.c_str());
    }
    return 1;
}

int packageGc(lua_State *L)
{
    auto *box = static_cast<PackageBox *>(luaL_checkudata(L, 1, "torch.export.AOTIPackage"));
    box->loader.reset();
    return 0;
}

int packageToString(lua_State *L)
{
    checkPackage(L, 1);
    lua_pushliteral(L, "AOTIPackage()");
    return 1;
}

const luaL_Reg kPackageMethods[] = {{"run", packageRun}, {"metadata", packageMetadata}, {nullptr, nullptr}};

} // namespace

void openExport(lua_State *L, int torchTable)
{
    torchTable = lua_absindex(L, torchTable);
    luaL_newmetatable(L, "torch.export.AOTIPackage");
    lua_newtable(L);
    luaL_setfuncs(L, kPackageMethods, 0);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, packageCall);
    lua_setfield(L, -2, "__call");
    lua_pushcfunction(L, packageGc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, packageGc);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, packageToString);
    lua_setfield(L, -2, "__tostring");
    protectMetatable(L, -1, "torch.export.AOTIPackage");
    lua_pop(L, 1);

    lua_newtable(L);
    lua_pushcfunction(L, exportLoadWeights);
    lua_setfield(L, -2, "load_weights");
    lua_pushcfunction(L, exportLoad);
    lua_setfield(L, -2, "load");
    lua_setfield(L, torchTable, "export");
    lua_newtable(L);
    lua_pushcfunction(L, exportLoad);
    lua_setfield(L, -2, "aoti_load_package");
    lua_setfield(L, torchTable, "_inductor");
}

} // namespace kiln::lua
