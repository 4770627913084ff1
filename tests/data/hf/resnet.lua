-- ResNet against transformers' (tests/data/hf/resnet.py): a bottleneck
-- classifier's logits and a basic-block model's features (from a checkpoint
-- without num_batches_tracked) on the same pixel_values, the ConvNext-style image
-- processor on a PNG, and the image-classification pipeline on it.
local ref = torch.load(folder .. "/reference.pt")
local model = hf.from_pretrained(folder)
local basic = hf.from_pretrained(folder .. "/basic")
assert(model.__name == "ResNetForImageClassification" and basic.__name == "ResNetModel", "the wrong architectures")
local logits, features = torch.no_grad(function()
  return model(ref.pixel_values).logits, basic(ref.pixel_values)
end)
local dLogits = (logits - ref.logits):abs():max():item()
local dHidden = (features.last_hidden_state - ref.basic_hidden):abs():max():item()
local dPooled = (features.pooler_output - ref.basic_pooled):abs():max():item()
if dLogits > 1e-4 or dHidden > 1e-4 or dPooled > 1e-4 then
  error(string.format("ResNet differs from transformers: logits by %.3g, features by %.3g, pooled by %.3g", dLogits,
    dHidden, dPooled))
end

local png = folder .. "/image.png"
local pixels = hf.image_processor(folder)(png).pixel_values
if not (pixels.shape == ref.processed.shape) then
  error("the image processor gave " .. tostring(pixels.shape) .. ", transformers " .. tostring(ref.processed.shape))
end
local dPixels = (pixels - ref.processed):abs():max():item()
if dPixels > 1e-4 then error(string.format("the image processor differs from transformers' by %.3g", dPixels)) end

local answer = pipeline("image-classification", folder, { top_k = 3 })({ png, image.load(png) })
local labels, dScore = {}, 0
for i, entry in ipairs(answer[1]) do
  labels[i] = entry.label
  dScore = math.max(dScore, math.abs(entry.score - ref.scores[i - 1]:item()))
end
if #answer ~= 2 or table.concat(labels, ",") ~= table.concat(ref.labels, ",", 1, 3) or dScore > 1e-4 then
  error(string.format("image-classification gave %s, transformers %s (scores %.3g apart)", table.concat(labels, ","),
    table.concat(ref.labels, ","), dScore))
end
-- The same image as a float tensor gives the same answer.
for i, entry in ipairs(answer[2]) do
  assert(entry.label == labels[i] and math.abs(entry.score - answer[1][i].score) < 1e-6, "a tensor image differs")
end
return string.format("ok: logits %.3g, basic features %.3g, pooled %.3g, processor %.3g, pipeline %s (scores %.3g)",
  dLogits, dHidden, dPooled, dPixels, table.concat(labels, " "), dScore)
