-- LBFGS with line_search_fn = "strong_wolfe" takes PyTorch's steps (lbfgs_reference.py).
local ref = torch.load(DIR .. "lbfgs.pt")
local net = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1)):double()
local settings = {
  wolfe = {lr = 1, max_iter = 20, line_search_fn = "strong_wolfe"},
  wolfe_history = {lr = 0.5, max_iter = 7, history_size = 3, line_search_fn = "strong_wolfe"},
}
for name, options in pairs(settings) do
  net:load_state_dict(ref.start)
  local opt = optim.LBFGS(net:parameters(), options)
  local function closure()
    opt:zero_grad()
    local loss = F.mse_loss(net(ref.x), ref.y)
    loss:backward()
    return loss
  end
  local case = ref.cases[name]
  for i = 1, 4 do
    local loss = opt:step(closure):item()
    local want = case.losses[i - 1]:item()
    assert(math.abs(loss - want) <= 1e-9 * math.max(1, math.abs(want)),
      string.format("%s: step %d loss %.12g, PyTorch %.12g", name, i, loss, want))
  end
  for key, value in pairs(net:state_dict()) do
    local difference = (value - case["end"][key]):abs():max():item()
    assert(difference < 1e-8, name .. ": " .. key .. " differs from PyTorch by " .. difference)
  end
  local state = opt.state[net:parameters()[1]]
  assert(state.func_evals == case.func_evals and state.n_iter == case.n_iter,
    string.format("%s: %d evaluations and %d iterations, PyTorch %d and %d", name, state.func_evals, state.n_iter,
      case.func_evals, case.n_iter))
end
local ok, err = pcall(optim.LBFGS, net:parameters(), {line_search_fn = "backtracking"})
assert(not ok and err:find("strong_wolfe", 1, true), err)
