-- torch.autograd.Function: a differentiable operation written in Lua, as in
-- PyTorch's custom-function tutorial:
--   local Exp = class("Exp", torch.autograd.Function)
--   function Exp.forward(ctx, x) local y = x:exp(); ctx:save_for_backward(y); return y end
--   function Exp.backward(ctx, grad) local y = ctx.saved_tensors[1]; return grad * y end
--   local y = Exp.apply(x)
-- forward runs without recording a graph; its tensor outputs get one graph node
-- whose backward is the class's backward (luaautogradfunction.cpp).
local class = require("kiln.class")
local apply = torch.autograd._function_apply

local Function = class("Function")
torch.autograd.Function = Function

-- Each subclass gets its own apply, bound to it, so Exp.apply(x) needs no self.
function Function.__init_subclass(cls)
  cls.apply = function(...) return apply(cls, ...) end
end

function Function.apply()
  error("torch.autograd.Function.apply: call apply on a subclass (class(\"Name\", torch.autograd.Function))", 2)
end
