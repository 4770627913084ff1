-- Sequence layers traced at one shape run at any batch size and length, as in
-- PyTorch (trace_reference.py); nn.Transformer and packed sequences match PyTorch.
local cases = torch.load(DIR .. "trace.pt")
local function close(a, b, what)
  assert(tostring(a.shape) == tostring(b.shape), what .. ": shape " .. tostring(a.shape) .. " vs " .. tostring(b.shape))
  local difference = (a - b):abs():max():item()
  assert(difference < 1e-5, what .. " differs from PyTorch by " .. difference)
end
local makers = {
  lstm = function() return nn.LSTM(4, 5, 2) end,
  gru = function() return nn.GRU(4, 5, {batch_first = true, bidirectional = true}) end,
  mha = function() return nn.MultiheadAttention(8, 2) end,
  encoder_layer = function() return nn.TransformerEncoderLayer(8, 2, {dim_feedforward = 16}) end,
}
local function first(out) if type(out) == "table" then return out[1] end return out end
for name, make in pairs(makers) do
  local case = cases[name]
  local layer = make()
  layer:load_state_dict(case.state)
  layer:eval()
  local forward = layer
  if name == "mha" then
    -- one input, one output: trace what the inference panel would
    local Wrapper = nn.Module:extend("SelfAttention")
    function Wrapper:init(attention) self.attention = attention end
    function Wrapper:forward(x) return (self.attention(x, x, x, {need_weights = false})) end
    forward = Wrapper(layer)
  end
  local traced = torch.jit.trace(forward, case.inputs[1])
  for i = 1, 3 do
    local x = case.inputs[i]
    close(first(forward(x)), case.outputs[i], name .. " at " .. tostring(x.shape))
    close(first(traced(x)), case.outputs[i], name .. " traced, at " .. tostring(x.shape))
  end
  torch.jit.save(traced, DIR .. "traced_" .. name .. ".pt")
end

local t = cases.transformer
local transformer = nn.Transformer({d_model = 8, nhead = 2, num_encoder_layers = 2, num_decoder_layers = 1,
  dim_feedforward = 16, batch_first = true})
assert(transformer:num_parameters() == t.parameters, "nn.Transformer has " .. transformer:num_parameters() .. " parameters")
transformer:load_state_dict(t.state)
transformer:eval()
assert(nn.Transformer.generate_square_subsequent_mask(4):eq(t.mask):all():item(), "generate_square_subsequent_mask")
close(transformer(t.src, t.tgt, {tgt_mask = t.mask}), t.out, "nn.Transformer")

local p = cases.packed
local lstm = nn.LSTM(3, 4, {batch_first = true})
lstm:load_state_dict(p.state)
local packed = nn.utils.rnn.pack_padded_sequence(p.x, p.lengths, {batch_first = true, enforce_sorted = false})
close(packed.data, p.data, "packed data")
close(packed.batch_sizes, p.batch_sizes, "batch_sizes")
local out, hc = lstm(packed)
local unpacked, lengths = nn.utils.rnn.pad_packed_sequence(out, {batch_first = true})
close(unpacked, p.out, "LSTM over a packed sequence")
close(lengths, p.out_lengths, "lengths")
close(hc[1], p.h, "h_n")
close(hc[2], p.c, "c_n")
local ok, err = pcall(nn.utils.rnn.pack_padded_sequence, p.x, p.lengths, {batch_first = true})
assert(not ok and tostring(err):find("enforce_sorted"), tostring(err))
