-- RoBERTa and XLM-RoBERTa against transformers' (tests/data/hf/roberta.py), on
-- ids: the base model (positions counted from the padding id, 38 tokens of 40
-- positions with padding id 1) and the heads' logits.
local ref = torch.load(folder .. "/reference.pt")
local keep = ref.attention_mask:unsqueeze(-1):to(torch.float32)
local figures = {}

local function run(model, ids, mask)
  return torch.no_grad(function() return model(ids, mask and { attention_mask = mask } or nil) end)
end
local function within(name, worst)
  if worst > 1e-4 then error(string.format("%s differs from transformers by %.3g", name, worst)) end
  figures[#figures + 1] = string.format("%s %.2g", name, worst)
end

local base = hf.from_pretrained(folder .. "/base")
assert(base.__name == "RobertaModel", "built a " .. tostring(base.__name))
local out = run(base, ref.input_ids, ref.attention_mask)
within("hidden", ((out.last_hidden_state - ref.last_hidden_state) * keep):abs():max():item())
within("pooler", (out.pooler_output - ref.pooler_output):abs():max():item())
within("38 tokens", (run(base, ref.long_ids).last_hidden_state - ref.long_hidden_state):abs():max():item())
local ok, message = pcall(run, base, torch.cat({ ref.long_ids, torch.tensor({ { 2 } }) }, 1))
assert(not ok and tostring(message):find("39 tokens, more than the 38", 1, true), tostring(message))

for name, class in pairs({ seq = "RobertaForSequenceClassification", token = "RobertaForTokenClassification",
  mlm = "RobertaForMaskedLM", xlmr_seq = "XLMRobertaForSequenceClassification", xlmr_mlm = "XLMRobertaForMaskedLM" }) do
  local model = hf.from_pretrained(folder .. "/" .. name)
  if model.__name ~= class then error(string.format("%s: built a %s, not a %s", name, model.__name, class)) end
  local difference = run(model, ref.input_ids, ref.attention_mask).logits - ref[name]
  if difference:dim() == 3 then difference = difference * keep end
  within(name, difference:abs():max():item())
end
table.sort(figures)

-- The masked LM's decoder is the word embeddings; a base checkpoint has no lm_head.
local mlm = hf.from_pretrained(folder .. "/mlm")
torch.no_grad(function() mlm.roberta.embeddings.word_embeddings.weight[{ 3, 1 }] = 7 end)
assert(mlm.lm_head.decoder.weight[{ 3, 1 }]:item() == 7, "lm_head.decoder is not tied to the word embeddings")
local failed, why = pcall(function() hf.load_weights(hf.RobertaForMaskedLM(base.config), folder .. "/base") end)
assert(not failed and tostring(why):find("lm_head", 1, true) and not tostring(why):find("\n"), tostring(why))
return "ok: " .. table.concat(figures, ", ")
