-- CLIPModel against transformers' (tests/data/hf/clip.py) on token ids: the
-- forward outputs and both features on a padded batch, the legacy end-token
-- pooling, the image processor on PNGs (RGB, gray, transparent), and zero-shot-image-classification with
-- a stand-in tokenizer that gives the reference's ids.
local ref = torch.load(folder .. "/reference.pt")
local model = hf.from_pretrained(folder)
assert(model.__name == "CLIPModel", "the wrong architecture")
local out, text, pictures = torch.no_grad(function()
  return model(ref.input_ids, ref.pixel_values, { attention_mask = ref.attention_mask }),
    model:get_text_features(ref.input_ids, { attention_mask = ref.attention_mask }),
    model:get_image_features(ref.pixel_values)
end)
local worst, where = 0, "none"
local function compare(name, a, b)
  local d = (a - b):abs():max():item()
  if d > worst then worst, where = d, name end
end
for _, name in ipairs({ "logits_per_image", "logits_per_text", "text_embeds", "image_embeds" }) do
  compare(name, out[name], ref[name])
end
compare("text features", text, ref.text_features)
compare("image features", pictures, ref.image_features)
model.text_model.eos_token_id = 2
compare("legacy end-token pooling", torch.no_grad(function()
  return model:get_text_features(ref.input_ids, { attention_mask = ref.attention_mask })
end), ref.legacy_features)
if worst > 1e-4 then error(string.format("CLIPModel differs from transformers: %s by %.3g", where, worst)) end

local png = folder .. "/image.png"
local pixels = hf.image_processor(folder)(png).pixel_values
if not (pixels.shape == ref.processed.shape) then
  error("the image processor gave " .. tostring(pixels.shape) .. ", transformers " .. tostring(ref.processed.shape))
end
local dPixels = (pixels - ref.processed):abs():max():item()
for _, kind in ipairs({ "gray", "rgba" }) do
  local d = (hf.image_processor(folder)(folder .. "/" .. kind .. ".png").pixel_values - ref["processed_" .. kind])
  dPixels = math.max(dPixels, d:abs():max():item())
end
if dPixels > 1e-4 then error(string.format("the image processor differs from transformers' by %.3g", dPixels)) end

-- The reference's ids for the reference's texts, padded as Kiln's tokenizers pad.
local idsOf = {}
for i, t in ipairs(ref.texts) do idsOf[t] = ref.text_ids[i] end
local function tokenizer(texts)
  local width, rows, masks = 0, {}, {}
  for _, t in ipairs(texts) do width = math.max(width, #assert(idsOf[t], "no ids for " .. t)) end
  for i, t in ipairs(texts) do
    rows[i], masks[i] = {}, {}
    for j = 1, width do
      rows[i][j], masks[i][j] = idsOf[t][j] or 1, idsOf[t][j] and 1 or 0
    end
  end
  return { input_ids = torch.tensor(rows), attention_mask = torch.tensor(masks) }
end
local classify = pipeline("zero-shot-image-classification", folder, { tokenizer = tokenizer })
local answer = classify(png, { "cat", "dog", "car" })
local labels, dScore = {}, 0
for i, entry in ipairs(answer) do
  labels[i] = entry.label
  dScore = math.max(dScore, math.abs(entry.score - ref.scores[i - 1]:item()))
end
if table.concat(labels, ",") ~= table.concat(ref.labels, ",") or dScore > 1e-4 then
  error(string.format("zero-shot-image-classification gave %s, transformers %s (scores %.3g apart)",
    table.concat(labels, ","), table.concat(ref.labels, ","), dScore))
end
local top = classify({ png, png }, { candidate_labels = { "cat", "dog", "car" }, top_k = 1 })
assert(#top == 2 and #top[2] == 1 and top[2][1].label == labels[1], "top_k or a batch of images went wrong")
local ok, message = pcall(classify, png, { "cat" }, { hypothesis_template = "no slot" })
assert(not ok and tostring(message):find("hypothesis_template"), "a template without {} was not refused")
return string.format("ok: outputs and features %.3g (worst: %s), processor %.3g, zero-shot %s (scores %.3g)", worst,
  where, dPixels, table.concat(labels, " "), dScore)
