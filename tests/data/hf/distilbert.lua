-- DistilBERT against transformers' (tests/data/hf/distilbert.py): hidden states
-- (learned and sinusoidal positions) and the heads' logits on a padded batch.
local ref = torch.load(folder .. "/reference.pt")
local keep = ref.attention_mask:unsqueeze(-1):to(torch.float32)
local figures = {}
for _, case in ipairs({ { "base", "DistilBertModel" }, { "sinusoidal", "DistilBertModel" },
  { "seq", "DistilBertForSequenceClassification" }, { "token", "DistilBertForTokenClassification" },
  { "mlm", "DistilBertForMaskedLM" } }) do
  local name, class = case[1], case[2]
  local model = hf.from_pretrained(folder .. "/" .. name)
  if model.__name ~= class then error(string.format("%s: built a %s, not a %s", name, model.__name, class)) end
  local out = torch.no_grad(function() return model(ref.input_ids, { attention_mask = ref.attention_mask }) end)
  local difference = (out.logits or out.last_hidden_state) - ref[name]
  if difference:dim() == 3 then difference = difference * keep end
  local worst = difference:abs():max():item()
  if worst > 1e-4 then error(string.format("%s (%s) differs from transformers by %.3g", name, class, worst)) end
  figures[#figures + 1] = string.format("%s %.2g", name, worst)
end

local mlm = hf.from_pretrained(folder .. "/mlm")
torch.no_grad(function() mlm.distilbert.embeddings.word_embeddings.weight[{ 5, 2 }] = 9 end)
assert(mlm.vocab_projector.weight[{ 5, 2 }]:item() == 9, "vocab_projector is not tied to the word embeddings")
local config = hf.config(folder .. "/base")
for class, tensor in pairs({ DistilBertForSequenceClassification = "classifier",
  DistilBertForTokenClassification = "classifier.", DistilBertForMaskedLM = "vocab_" }) do
  local ok, message = pcall(function() hf.load_weights(hf[class](config), folder .. "/base") end)
  if ok or not tostring(message):find(tensor, 1, true) or tostring(message):find("\n") then
    error(class .. " loaded a base checkpoint without a one-line error naming its head: " .. tostring(message))
  end
end
return "ok: " .. table.concat(figures, ", ")
