-- BERT's task heads against transformers' (tests/data/hf/bert_heads.py): logits of
-- sequence and token classification and the masked LM (tied, untied, and stored
-- as bert-base-uncased is), and a base checkpoint refused by a head.
local ref = torch.load(folder .. "/reference.pt")
local inputs = { attention_mask = ref.attention_mask, token_type_ids = ref.token_type_ids }
local keep = ref.attention_mask:unsqueeze(-1):to(torch.float32)
local figures = {}

local function check(name, class, perToken)
  local model = hf.from_pretrained(folder .. "/" .. name)
  if model.__name ~= class then error(string.format("%s: built a %s, not a %s", name, model.__name, class)) end
  local out = torch.no_grad(function() return model(ref.input_ids, inputs) end)
  local difference = out.logits - ref[name:gsub("legacy", "mlm")]
  if perToken then difference = difference * keep end
  local worst = difference:abs():max():item()
  if worst > 1e-4 then error(string.format("%s (%s) differs from transformers by %.3g", name, class, worst)) end
  figures[#figures + 1] = string.format("%s %.2g", name, worst)
  return model
end

check("seq", "BertForSequenceClassification")
check("token", "BertForTokenClassification", true)
local mlm = check("mlm", "BertForMaskedLM", true)
check("untied", "BertForMaskedLM", true)
check("legacy", "BertForMaskedLM", true)

-- The decoder is the embedding, not a copy, and follows it.
local decoder = mlm.cls.predictions.decoder
torch.no_grad(function() mlm.bert.embeddings.word_embeddings.weight[{ 0, 0 }] = 42 end)
assert(decoder.weight[{ 0, 0 }]:item() == 42, "the masked LM's decoder is not tied to the word embeddings")
assert(decoder.bias[0]:item() == mlm.cls.predictions.bias[0]:item(), "the decoder's bias is not cls.predictions.bias")

-- A base checkpoint has no head: one line that names the head's tensor.
local config = hf.config(folder .. "/base")
for class, tensor in pairs({ BertForSequenceClassification = "classifier.",
  BertForTokenClassification = "classifier.", BertForMaskedLM = "cls.predictions" }) do
  local ok, message = pcall(function() hf.load_weights(hf[class](config), folder .. "/base") end)
  message = tostring(message)
  if ok or not message:find(tensor, 1, true) or message:find("\n") then
    error(class .. " loaded a base checkpoint without a one-line error naming " .. tensor .. ": " .. message)
  end
end
-- And the base model still loads from a task checkpoint (its `bert.` prefix dropped).
local base = hf.load_weights(hf.BertModel((hf.config(folder .. "/seq"))), folder .. "/seq")
assert(base.pooler ~= nil, "BertModel built no pooler")
return "ok: " .. table.concat(figures, ", ")
