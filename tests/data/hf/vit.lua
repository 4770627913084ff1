-- ViT against transformers' (tests/data/hf/vit.py): the classifier's logits and
-- the base model's hidden states on the same pixel_values, the image processor
-- on a PNG, and the image-classification pipeline on it.
local ref = torch.load(folder .. "/reference.pt")
local model = hf.from_pretrained(folder)
assert(model.__name == "ViTForImageClassification", "config.json's architecture was not followed")
local base = hf.from_pretrained(folder, { architecture = "ViTModel" })
local logits, hidden = torch.no_grad(function()
  return model(ref.pixel_values).logits, base(ref.pixel_values)
end)
assert(hidden.pooler_output == nil, "a classifier's checkpoint gave ViTModel a pooler")
local dLogits = (logits - ref.logits):abs():max():item()
local dHidden = (hidden.last_hidden_state - ref.last_hidden_state):abs():max():item()
if dLogits > 1e-4 or dHidden > 1e-4 then
  error(string.format("ViT differs from transformers: logits by %.3g, hidden states by %.3g", dLogits, dHidden))
end

local png = folder .. "/image.png"
local pixels = hf.image_processor(folder)(png).pixel_values
if not (pixels.shape == ref.processed.shape) then
  error("the image processor gave " .. tostring(pixels.shape) .. ", transformers " .. tostring(ref.processed.shape))
end
-- One 8-bit step is 1/255 / std (0.2 here) = 0.0196 after normalizing.
local dPixels = (pixels - ref.processed):abs():max():item()
if dPixels > 1e-4 then error(string.format("the image processor differs from transformers' by %.3g", dPixels)) end

local answer = pipeline("image-classification", folder)(png)
local labels, dScore = {}, 0
for i, entry in ipairs(answer) do
  labels[i] = entry.label
  dScore = math.max(dScore, math.abs(entry.score - ref.scores[i - 1]:item()))
end
if table.concat(labels, ",") ~= table.concat(ref.labels, ",") or dScore > 1e-4 then
  error(string.format("image-classification gave %s, transformers %s (scores %.3g apart)", table.concat(labels, ","),
    table.concat(ref.labels, ","), dScore))
end
local ok, message = pcall(pipeline, "image-classification", folder, { top_k = 0 })
assert(not ok and not tostring(message):find("\n"), "top_k = 0 was not refused in one line")
return string.format("ok: logits %.3g, hidden %.3g, processor %.3g, pipeline %s (scores %.3g)", dLogits, dHidden,
  dPixels, table.concat(labels, " "), dScore)
