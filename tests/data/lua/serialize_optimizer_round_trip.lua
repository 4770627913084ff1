-- Optimizer state both ways (tests/data/python/optimizer_roundtrip.py): Kiln
-- resumes PyTorch's 3 steps and matches 6 PyTorch steps; Kiln's own 3 steps are
-- saved for PyTorch to resume.
local makers = {
  sgd = function(p) return optim.SGD(p, {lr = 0.1, momentum = 0.9}) end,
  adam = function(p) return optim.Adam(p, {lr = 0.05}) end,
  adamw = function(p) return optim.AdamW(p, {lr = 0.05, weight_decay = 0.1}) end,
  rmsprop = function(p) return optim.RMSprop(p, {lr = 0.01, momentum = 0.5}) end,
  adagrad = function(p) return optim.Adagrad(p, {lr = 0.1, lr_decay = 0.01, weight_decay = 0.05}) end,
  adadelta = function(p) return optim.Adadelta(p, {lr = 1.0, weight_decay = 0.01}) end,
  adamax = function(p) return optim.Adamax(p, {lr = 0.02, weight_decay = 0.01}) end,
  nadam = function(p) return optim.NAdam(p, {lr = 0.02, weight_decay = 0.01}) end,
  nadamw = function(p) return optim.NAdam(p, {lr = 0.02, weight_decay = 0.01, decoupled_weight_decay = true}) end,
  radam = function(p) return optim.RAdam(p, {lr = 0.02, weight_decay = 0.01}) end,
  rprop = function(p) return optim.Rprop(p, {lr = 0.01}) end,
}
local function start()
  local model = nn.Linear(3, 2)
  torch.no_grad(function()
    model.weight:copy_(torch.arange(6, {dtype = torch.float32}):view(2, 3) / 10 - 0.2)
    model.bias:copy_(torch.tensor({0.1, -0.1}))
  end)
  return model
end
local x = torch.arange(12, {dtype = torch.float32}):view(4, 3) / 5 - 1
local y = torch.tensor({{1.0, 0.0}, {0.0, 1.0}, {1.0, 1.0}, {0.5, -0.5}})
local function steps(model, opt, n)
  for _ = 1, n do
    opt:zero_grad()
    local loss = ((model(x) - y) ^ 2):mean()
    loss:backward()
    opt:step()
  end
end
for name, make in pairs(makers) do
  -- PyTorch first, then Kiln
  local saved = torch.load(DIR .. "opt-" .. name .. "-from-pytorch.pt")
  local model = start()
  model:load_state_dict(saved.model)
  local opt = make(model:parameters())
  opt:load_state_dict(saved.optimizer)
  steps(model, opt, 3)
  local six = torch.load(DIR .. "opt-" .. name .. "-six.pt")
  for key, value in pairs(model:state_dict()) do
    local difference = (value - six[key]):abs():max():item()
    assert(difference < 1e-6, name .. ": " .. key .. " differs from 6 PyTorch steps by " .. difference)
  end
  -- Kiln first, for PyTorch
  local own = start()
  local ownOpt = make(own:parameters())
  steps(own, ownOpt, 3)
  torch.save({model = own:state_dict(), optimizer = ownOpt:state_dict()}, DIR .. "opt-" .. name .. "-from-kiln.pt")
end
