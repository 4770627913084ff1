-- Kiln's cells and layers give PyTorch's outputs from PyTorch's weights (layers_reference.py).
local cases = torch.load(DIR .. "layers.pt")
local function close(a, b, what)
  assert(a.shape[1] == b.shape[1] and a:numel() == b:numel(), what .. ": shape " .. tostring(a.shape))
  local difference = (a - b):abs():max():item()
  assert(difference < 1e-5, what .. " differs from PyTorch by " .. difference)
end
local makers = {
  rnn_cell = function() return nn.RNNCell(5, 4) end,
  rnn_cell_relu = function() return nn.RNNCell(5, 4, false, {nonlinearity = "relu"}) end,
  lstm_cell = function() return nn.LSTMCell(5, 4) end,
  gru_cell = function() return nn.GRUCell(5, 4) end,
  gru_cell_unbatched = function() return nn.GRUCell(5, 4) end,
  group_norm = function() return nn.GroupNorm(3, 6) end,
  prelu = function() return nn.PReLU(6) end,
  softplus = function() return nn.Softplus({beta = 2, threshold = 3}) end,
  upsample = function() return nn.Upsample({scale_factor = 2, mode = "bilinear"}) end,
  unflatten = function() return nn.Unflatten(1, {1, 5}) end,
  conv_transpose = function() return nn.ConvTranspose2d(6, 4, 3, 2, 1, {output_padding = 1}) end,
  instance_norm = function() return nn.InstanceNorm2d(6, {affine = true}) end,
  rnn = function() return nn.RNN(5, 4, 2, {nonlinearity = "relu", batch_first = true}) end,
  decoder_layer = function()
    local layer = nn.TransformerDecoderLayer(8, 2, {dim_feedforward = 16, batch_first = true, norm_first = true})
    layer:eval()
    return layer
  end,
}
local f = cases.functional
local image, x = f.image, f.x
close(F.conv_transpose2d(image, f.w, f.b, {stride = 2, padding = 1, output_padding = 1}), f.conv_transpose2d, "conv_transpose2d")
close(F.dropout2d(image, 0.5, false), f.dropout2d_eval, "dropout2d")
close(F.pixel_shuffle(image[{{}, {0, 4}}], 2), f.pixel_shuffle, "pixel_shuffle")
close(F.pixel_unshuffle(image, 2), f.pixel_unshuffle, "pixel_unshuffle")
close(F.unfold(image, 2, {padding = 1, stride = 2}), f.unfold, "unfold")
close(F.fold(F.unfold(image, 2), {4, 4}, 2), f.fold, "fold")
close(F.grid_sample(image, f.grid, {align_corners = false}), f.grid_sample, "grid_sample")
close(F.pairwise_distance(x, x:flip(0), {p = 1.5}), f.pairwise_distance, "pairwise_distance")
close(F.triplet_margin_loss(x, x * 0.5, x:flip(0), {margin = 0.3, swap = true}), f.triplet_margin_loss, "triplet_margin_loss")
close(F.scaled_dot_product_attention(image[{{}, {0, 2}}], image[{{}, {2, 4}}], image[{{}, {4, 6}}], {is_causal = true}),
  f.sdpa, "scaled_dot_product_attention")
close(F.selu(x), f.selu, "selu")
close(F.glu(image, 1), f.glu, "glu")

for name, make in pairs(makers) do
  local case = cases[name]
  local layer = make()
  layer:load_state_dict(case.state)
  if name == "lstm_cell" then
    local h, c = layer(case.x, {case.h, case.c})
    close(h, case.out, name .. " h")
    close(c, case.out_c, name .. " c")
  elseif name == "decoder_layer" then
    close(layer(case.x, case.memory, {tgt_mask = case.mask}), case.out, name)
  elseif name == "rnn" then
    close((layer(case.x)), case.out, name)
  else
    close(layer(case.x, case.h), case.out, name)
  end
end
local padded = cases.pad_sequence
local seqs = {padded.a, padded.b, padded.c}
close(nn.utils.rnn.pad_sequence(seqs, {batch_first = true, padding_value = -1}), padded.out, "pad_sequence batch first")
close(nn.utils.rnn.pad_sequence(seqs), padded.out_time, "pad_sequence")

-- Embedding.from_pretrained and the normal initializers.
local weights = torch.randn(4, 3)
local frozen = nn.Embedding.from_pretrained(weights)
assert(not frozen.weight.requires_grad and frozen(torch.tensor({2})):equal(weights[{{2, 3}}]))
assert(nn.Embedding.from_pretrained(weights, {freeze = false}).weight.requires_grad)
local w = nn.init.kaiming_normal_(torch.empty(2000, 50), {mode = "fan_in", nonlinearity = "relu"})
assert(math.abs(w:std():item() - math.sqrt(2 / 50)) < 0.01)
assert(math.abs(nn.init.calculate_gain("leaky_relu", 0.2) - math.sqrt(2 / 1.04)) < 1e-12)
assert(nn.init.eye_(torch.empty(2, 3)):equal(torch.eye(2, 3)))

-- trunc_normal_ and sparse_ draw PyTorch's numbers from the same seed; dirac_ matches.
local init = cases.init
torch.manual_seed(21)
close(nn.init.trunc_normal_(torch.empty(50, 40), {mean = 0.1, std = 0.5, a = -0.4, b = 0.9}), init.trunc_normal, "trunc_normal_")
torch.manual_seed(22)
close(nn.init.sparse_(torch.empty(6, 5), 0.5, 0.1), init.sparse, "sparse_")
close(nn.init.dirac_(torch.empty(6, 3, 3, 3), 2), init.dirac, "dirac_")
local ops = cases.index_ops
close(ops.base:index_fill(1, ops.index, -1), ops.fill, "index_fill")
close(ops.base:index_add(1, ops.index, ops.source, {alpha = 0.5}), ops.add, "index_add")
close(ops.base:index_copy(1, ops.index, ops.source), ops.copy, "index_copy")
local copy = ops.base:clone()
assert(copy:index_add_(1, ops.index, ops.source, {alpha = 0.5}) == copy and copy:equal(ops.add), "index_add_ in place")
-- every in-place elementwise form equals its out-of-place twin and returns t
local x = torch.rand(5) * 0.8 + 0.1
for _, name in ipairs({"exp2", "log", "log2", "log10", "log1p", "expm1", "rsqrt", "square", "sin", "cos", "tan",
    "asin", "acos", "atan", "sinh", "cosh", "floor", "ceil", "round", "trunc", "frac", "sign", "reciprocal",
    "erf", "erfc", "erfinv"}) do
  local y = x:clone()
  assert(y[name .. "_"](y) == y, name .. "_ returns t")
  close(y, x[name](x), name .. "_")
end
