-- BertModel against transformers' (tests/data/hf/bert.py): hidden states and
-- pooler output on a padded batch with two segments.
local model = hf.from_pretrained(folder)
local ref = torch.load(folder .. "/reference.pt")
assert(not model.training, "from_pretrained left the model in training mode")
local out = torch.no_grad(function()
  return model(ref.input_ids, { attention_mask = ref.attention_mask, token_type_ids = ref.token_type_ids })
end)
-- Padded positions are not compared: transformers leaves them as they come.
local keep = ref.attention_mask:unsqueeze(-1):to(torch.float32)
local hidden = ((out.last_hidden_state - ref.last_hidden_state) * keep):abs():max():item()
local pooled = (out.pooler_output - ref.pooler_output):abs():max():item()
if hidden > 1e-5 or pooled > 1e-5 then
  error(string.format("BertModel differs from transformers: hidden states by %.3g, pooler by %.3g", hidden, pooled))
end
return string.format("ok: hidden %.3g, pooler %.3g, %d parameters", hidden, pooled, model:num_parameters())
