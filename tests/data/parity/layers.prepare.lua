-- Layers and losses run in Kiln on fixed inputs; layers.py loads the same
-- weights into PyTorch's modules and computes the same outputs.
torch.manual_seed(3)
local results = require("kiln.ordered").new()
local inputs = require("kiln.ordered").new()
local function record(name, module, input, output)
  torch.save(module:state_dict(), DIR .. name .. ".weights.pt")
  inputs[name] = input
  results[name] = output
end

local lstm = nn.LSTM(4, 6, {num_layers = 2, batch_first = true, bidirectional = true})
local x = torch.randn(3, 5, 4)
local out, state = lstm(x)
record("lstm", lstm, x, torch.cat({out:flatten(), state[1]:flatten(), state[2]:flatten()}))

local gru = nn.GRU(4, 5)
local xg = torch.randn(7, 2, 4)
local outg, hg = gru(xg)
record("gru", gru, xg, torch.cat({outg:flatten(), hg:flatten()}))

local encoder = nn.TransformerEncoderLayer(8, 2, {dim_feedforward = 16, dropout = 0, batch_first = true})
local xe = torch.randn(2, 5, 8)
record("encoder", encoder, xe, encoder(xe))

local conv = nn.Sequential(nn.Conv2d(2, 4, 3, {padding = 1, stride = 2}), nn.BatchNorm2d(4), nn.ReLU(),
  nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 2 * 2, 3))
local xc = torch.randn(5, 2, 8, 8)
local yc = conv(xc)  -- training mode: batch statistics, running stats updated
record("conv", conv, xc, yc)

local embedding = nn.Embedding(10, 3, {padding_idx = 0})
local ids = torch.tensor({{0, 4, 9}, {2, 2, 0}})
record("embedding", embedding, ids, embedding(ids))

local norm = nn.LayerNorm({3, 4})
local xn = torch.randn(2, 3, 4)
record("layernorm", norm, xn, norm(xn))

local logits = torch.randn(6, 4)
local target = torch.tensor({0, 3, 1, 1, 2, 0})
local probabilities = torch.rand(6, 4)
local binary = torch.rand(6, 4):gt(0.5):float()
inputs.logits, inputs.target, inputs.probabilities, inputs.binary = logits, target, probabilities, binary
results.cross_entropy = F.cross_entropy(logits, target, {label_smoothing = 0.1})
results.cross_entropy_sum = F.cross_entropy(logits, target, {reduction = "sum", weight = torch.tensor({1, 2, 0.5, 1})})
results.nll = F.nll_loss(F.log_softmax(logits, 1), target)
results.mse = F.mse_loss(logits, probabilities)
results.l1 = F.l1_loss(logits, probabilities)
results.smooth_l1 = F.smooth_l1_loss(logits, probabilities, {beta = 0.5})
results.bce = F.binary_cross_entropy(probabilities, binary)
results.bce_logits = F.binary_cross_entropy_with_logits(logits, binary, {pos_weight = torch.tensor({1, 2, 3, 4})})
results.gelu = F.gelu(logits)
results.normalize = F.normalize(logits, {dim = 1})
results.pad = F.pad(logits, {1, 2}, {value = -1})
results.one_hot = F.one_hot(target, 5)
results.softmax = F.softmax(logits, 0)
results.avg_pool = F.avg_pool2d(xc, 2)
results.adaptive = F.adaptive_avg_pool2d(xc, {3, 3})
results.interpolate = F.interpolate(xc, {size = {5, 5}, mode = "bilinear"})
torch.save(inputs, DIR .. "inputs.pt")
torch.save(results, DIR .. "kiln_layers.pt")
