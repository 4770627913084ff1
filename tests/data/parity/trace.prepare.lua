-- A Lua-defined network traced to TorchScript; trace.py runs the file in PyTorch.
torch.manual_seed(5)
local Net = class("Net", nn.Module)
function Net:init()
  self.conv = nn.Conv2d(1, 4, 3, {padding = 1})
  self.bn = nn.BatchNorm2d(4)
  self.head = nn.Sequential(nn.Flatten(), nn.Linear(4 * 4 * 4, 10))
end
function Net:forward(x)
  return F.log_softmax(self.head(F.max_pool2d(F.relu(self.bn(self.conv(x))), 2)), 1)
end
local net = Net()
net(torch.randn(8, 1, 8, 8))  -- moves the running statistics away from their start
net:eval()
local x = torch.randn(3, 1, 8, 8)
local traced = torch.jit.trace(net, x)
traced:save(DIR .. "net.ts.pt")
torch.save(net:state_dict(), DIR .. "net.weights.pt")
torch.save({x = x, y = net(x)}, DIR .. "net.io.pt")
