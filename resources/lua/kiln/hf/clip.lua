-- CLIP with transformers' parameter names (text_model.*, vision_model.*,
-- visual_projection, text_projection, logit_scale): text and images in one
-- embedding space, and the zero-shot-image-classification task.
local hf = require("kiln.hf")
local vision = require("kiln.hf.vision")

-- transformers' CLIPTextConfig and CLIPVisionConfig defaults, for keys a
-- config.json leaves out.
local kTextDefaults = { vocab_size = 49408, hidden_size = 512, intermediate_size = 2048, num_hidden_layers = 12,
  num_attention_heads = 8, max_position_embeddings = 77, hidden_act = "quick_gelu", layer_norm_eps = 1e-5,
  pad_token_id = 1, bos_token_id = 49406, eos_token_id = 49407 }
local kVisionDefaults = { hidden_size = 768, intermediate_size = 3072, num_hidden_layers = 12, num_attention_heads = 12,
  num_channels = 3, image_size = 224, patch_size = 32, hidden_act = "quick_gelu", layer_norm_eps = 1e-5 }

local CLIPAttention = nn.Module:extend("CLIPAttention")
function CLIPAttention:init(c)
  self.heads = c.num_attention_heads
  self.q_proj = nn.Linear(c.hidden_size, c.hidden_size)
  self.k_proj = nn.Linear(c.hidden_size, c.hidden_size)
  self.v_proj = nn.Linear(c.hidden_size, c.hidden_size)
  self.out_proj = nn.Linear(c.hidden_size, c.hidden_size)
end
function CLIPAttention:forward(x, bias)
  local function split(t) return t:unflatten(-1, { self.heads, -1 }):transpose(1, 2) end
  local attended = F.scaled_dot_product_attention(split(self.q_proj(x)), split(self.k_proj(x)), split(self.v_proj(x)),
    { attn_mask = bias })
  return self.out_proj(attended:transpose(1, 2):flatten(-2))
end

local CLIPMLP = nn.Module:extend("CLIPMLP")
function CLIPMLP:init(c)
  self.fc1 = nn.Linear(c.hidden_size, c.intermediate_size)
  self.fc2 = nn.Linear(c.intermediate_size, c.hidden_size)
  self.act = vision.activation(c.hidden_act)
end
function CLIPMLP:forward(x)
  return self.fc2(self.act(self.fc1(x)))
end

local CLIPEncoderLayer = nn.Module:extend("CLIPEncoderLayer")
function CLIPEncoderLayer:init(c)
  self.self_attn = CLIPAttention(c)
  self.layer_norm1 = nn.LayerNorm(c.hidden_size, { eps = c.layer_norm_eps })
  self.mlp = CLIPMLP(c)
  self.layer_norm2 = nn.LayerNorm(c.hidden_size, { eps = c.layer_norm_eps })
end
function CLIPEncoderLayer:forward(x, bias)
  x = x + self.self_attn(self.layer_norm1(x), bias)
  return x + self.mlp(self.layer_norm2(x))
end

local CLIPEncoder = hf.layer_stack("CLIPEncoder", "layers", CLIPEncoderLayer, "num_hidden_layers")

local CLIPTextEmbeddings = nn.Module:extend("CLIPTextEmbeddings")
function CLIPTextEmbeddings:init(c)
  self.token_embedding = nn.Embedding(c.vocab_size, c.hidden_size)
  self.position_embedding = nn.Embedding(c.max_position_embeddings, c.hidden_size)
end
function CLIPTextEmbeddings:forward(input_ids)
  local positions = torch.arange(input_ids:size(1), { device = input_ids.device }):unsqueeze(0)
  return self.token_embedding(input_ids) + self.position_embedding(positions)
end

-- The text tower: causal attention, then the state at each text's end token.
local CLIPTextTransformer = nn.Module:extend("CLIPTextTransformer")
function CLIPTextTransformer:init(c)
  self.config = c
  self.eos_token_id = c.eos_token_id
  self.embeddings = CLIPTextEmbeddings(c)
  self.encoder = CLIPEncoder(c)
  self.final_layer_norm = nn.LayerNorm(c.hidden_size, { eps = c.layer_norm_eps })
end
-- text_model(input_ids, {attention_mask}) -> {last_hidden_state, pooler_output}
function CLIPTextTransformer:forward(input_ids, options)
  if not torch.is_tensor(input_ids) or input_ids:dim() ~= 2 then
    error("CLIPModel: input_ids [batch, length] expected, got "
      .. (torch.is_tensor(input_ids) and tostring(input_ids.shape) or type(input_ids)), 0)
  end
  local length = input_ids:size(1)
  if length > self.config.max_position_embeddings then
    error(string.format("CLIPModel: %d tokens, more than max_position_embeddings %d", length,
      self.config.max_position_embeddings), 0)
  end
  local hidden = self.embeddings(input_ids)
  -- A key is hidden from a query when it comes later or is padding; such scores
  -- get the dtype's lowest value, as transformers does.
  local positions = torch.arange(length, { device = input_ids.device })
  local blocked = positions:unsqueeze(0):gt(positions:unsqueeze(1)):unsqueeze(0)
  local mask = options and options.attention_mask
  if mask ~= nil then blocked = blocked:logical_or(mask:eq(0):unsqueeze(1)) end
  local bias = torch.zeros(blocked.shape, { dtype = hidden.dtype, device = hidden.device })
    :masked_fill(blocked, hf.lowest(hidden.dtype)):unsqueeze(1)
  hidden = self.final_layer_norm(self.encoder(hidden, bias))
  -- The end token's state: the first eos_token_id, or, for configs from before
  -- transformers fixed eos_token_id (it says 2 there), the highest id.
  local ends
  if self.eos_token_id == 2 then
    ends = input_ids:argmax(-1)
  else
    ends = input_ids:eq(self.eos_token_id):to(torch.int32):argmax(-1)
  end
  local rows = torch.arange(input_ids:size(0), { device = input_ids.device })
  return { last_hidden_state = hidden, pooler_output = hidden[{ rows, ends }] }
end

local CLIPVisionEmbeddings = nn.Module:extend("CLIPVisionEmbeddings")
function CLIPVisionEmbeddings:init(c)
  local side = c.image_size // c.patch_size
  self.class_embedding = nn.Parameter(torch.zeros(c.hidden_size))
  self.patch_embedding = nn.Conv2d(c.num_channels, c.hidden_size, c.patch_size, { stride = c.patch_size, bias = false })
  self.position_embedding = nn.Embedding(side * side + 1, c.hidden_size)
end
function CLIPVisionEmbeddings:forward(pixel_values)
  local patches = self.patch_embedding(pixel_values):flatten(2):transpose(1, 2)
  local class = self.class_embedding:expand(patches:size(0), 1, -1)
  return torch.cat({ class, patches }, 1) + self.position_embedding.weight
end

-- The image tower: pre_layrnorm (transformers' spelling), the encoder, and
-- post_layernorm on the class token.
local CLIPVisionTransformer = nn.Module:extend("CLIPVisionTransformer")
function CLIPVisionTransformer:init(c)
  self.config = c
  self.embeddings = CLIPVisionEmbeddings(c)
  self.pre_layrnorm = nn.LayerNorm(c.hidden_size, { eps = c.layer_norm_eps })
  self.encoder = CLIPEncoder(c)
  self.post_layernorm = nn.LayerNorm(c.hidden_size, { eps = c.layer_norm_eps })
end
-- vision_model(pixel_values) -> {last_hidden_state, pooler_output}
function CLIPVisionTransformer:forward(pixel_values)
  local c = self.config
  vision.check_pixels("CLIPModel", pixel_values, c.num_channels, { c.image_size, c.image_size })
  local hidden = self.encoder(self.pre_layrnorm(self.embeddings(pixel_values)))
  return { last_hidden_state = hidden, pooler_output = self.post_layernorm(hidden:select(1, 0)) }
end

local CLIPModel = nn.Module:extend("CLIPModel")
-- CLIP checkpoints name their tensors from the model itself, without a prefix.
CLIPModel.base_prefixes = {}
hf.CLIPModel = CLIPModel
function CLIPModel:init(config)
  local text = vision.defaults(type(config.text_config) == "table" and config.text_config or {}, kTextDefaults)
  local image = vision.defaults(type(config.vision_config) == "table" and config.vision_config or {}, kVisionDefaults)
  config.text_config, config.vision_config = text, image
  vision.defaults(config, { projection_dim = 512, logit_scale_init_value = 2.6592 })
  for _, part in ipairs({ text, image }) do
    if part.hidden_size % part.num_attention_heads ~= 0 then
      error(string.format("hf: config.json's hidden_size %d is not a multiple of num_attention_heads %d",
        part.hidden_size, part.num_attention_heads), 0)
    end
  end
  vision.check_patches(image)
  self.config = config
  self.text_model = CLIPTextTransformer(text)
  self.vision_model = CLIPVisionTransformer(image)
  self.visual_projection = nn.Linear(image.hidden_size, config.projection_dim, { bias = false })
  self.text_projection = nn.Linear(text.hidden_size, config.projection_dim, { bias = false })
  self.logit_scale = nn.Parameter(torch.tensor(config.logit_scale_init_value))
end

-- model:get_text_features(input_ids, {attention_mask}) -> [N, projection_dim]
function CLIPModel:get_text_features(input_ids, options)
  return self.text_projection(self.text_model(input_ids, options).pooler_output)
end

-- model:get_image_features(pixel_values) -> [N, projection_dim]
function CLIPModel:get_image_features(pixel_values)
  return self.visual_projection(self.vision_model(pixel_values).pooler_output)
end

-- model(input_ids, pixel_values, {attention_mask}), or model({input_ids, pixel_values,
-- attention_mask}) -> {logits_per_image, logits_per_text, text_embeds, image_embeds}:
-- cosine similarities of the unit-length embeddings times exp(logit_scale).
function CLIPModel:forward(input_ids, pixel_values, options)
  if type(input_ids) == "table" and not torch.is_tensor(input_ids) then
    local inputs = input_ids
    input_ids, pixel_values, options = inputs.input_ids, inputs.pixel_values, { attention_mask = inputs.attention_mask }
  end
  local function unit(x) return x / (x * x):sum(-1, true):sqrt() end
  local image_embeds = unit(self:get_image_features(pixel_values))
  local text_embeds = unit(self:get_text_features(input_ids, options))
  local logits_per_text = text_embeds:matmul(image_embeds:t()) * self.logit_scale:exp()
  return { logits_per_image = logits_per_text:t(), logits_per_text = logits_per_text, text_embeds = text_embeds,
    image_embeds = image_embeds }
end

hf.register("clip", { CLIPModel = CLIPModel }, "CLIPModel")

-- pipeline("zero-shot-image-classification", source, {device, top_k,
-- hypothesis_template, tokenizer}) -> classify(images, candidate_labels,
-- {hypothesis_template, top_k}): each label is put in the template, and the
-- softmax over the image's similarities to them scores it; {label, score}
-- records, best first (an array of such arrays for several images).
hf.tasks["zero-shot-image-classification"] = function(source, options)
  local task = "zero-shot-image-classification"
  options = vision.check_options(task, options,
    { device = true, top_k = true, hypothesis_template = true, tokenizer = true, batch_size = true })
  local config, folder = hf.config(hf.resolve(source, { "*.json", "*.txt", "model.safetensors" }))
  if config.model_type ~= "clip" then
    error(string.format("%s: a CLIP model expected, got model_type '%s'", task, tostring(config.model_type)), 0)
  end
  local model = hf.from_pretrained(folder, { architecture = "CLIPModel", device = options.device })
  local processor = hf.image_processor(folder)
  -- A callable like Kiln's tokenizers: tok(texts, {padding, truncation, max_length}).
  local tokenizer = options.tokenizer
  if tokenizer == nil then
    local ok, result = pcall(hf.tokenizer, folder)
    if not ok then
      error(string.format("%s: no tokenizer for %s (%s); pass one as the tokenizer option", task, folder,
        tostring(result):gsub("^[^:]*:%d+: ", "")), 0)
    end
    tokenizer = result
  end
  local device, batchSize = options.device, options.batch_size or 8
  local maxLength = model.config.text_config.max_position_embeddings

  local function checkTemplate(template)
    if type(template) ~= "string" or not template:find("{}", 1, true) then
      error(task .. ": hypothesis_template must be a string with {} where the label goes, got "
        .. tostring(template), 0)
    end
    return template
  end
  local defaultTemplate = checkTemplate(options.hypothesis_template or "This is a photo of {}.")

  return function(images, candidate_labels, callOptions)
    -- classify(image, {candidate_labels = {...}, ...}), as Python's keyword call reads.
    if callOptions == nil and type(candidate_labels) == "table" and candidate_labels.candidate_labels ~= nil then
      callOptions = candidate_labels
      candidate_labels = callOptions.candidate_labels
    end
    callOptions = vision.check_options(task, callOptions,
      { top_k = true, hypothesis_template = true, candidate_labels = true })
    if type(candidate_labels) == "string" then candidate_labels = { candidate_labels } end
    if type(candidate_labels) ~= "table" or #candidate_labels == 0 then
      error(task .. ": candidate_labels must be a non-empty array of strings", 0)
    end
    local template = defaultTemplate
    if callOptions.hypothesis_template then template = checkTemplate(callOptions.hypothesis_template) end
    local texts = {}
    for i, label in ipairs(candidate_labels) do
      if type(label) ~= "string" then error(string.format("%s: candidate_labels[%d] is not a string", task, i), 0) end
      texts[i] = template:gsub("{}", function() return label end)
    end
    local k = callOptions.top_k or options.top_k or #texts
    local list, single = vision.image_list(task, images)
    local results = {}
    torch.no_grad(function()
      local inputs = tokenizer(texts, { padding = true, truncation = true, max_length = maxLength })
      local ids, mask = inputs.input_ids, inputs.attention_mask
      if device then ids, mask = ids:to(device), mask and mask:to(device) end
      local textEmbeds = model:get_text_features(ids, { attention_mask = mask })
      textEmbeds = textEmbeds / (textEmbeds * textEmbeds):sum(-1, true):sqrt()
      vision.each_batch(list, batchSize, processor, device, function(pixels)
        local imageEmbeds = model:get_image_features(pixels)
        imageEmbeds = imageEmbeds / (imageEmbeds * imageEmbeds):sum(-1, true):sqrt()
        local logits = imageEmbeds:matmul(textEmbeds:t()) * model.logit_scale:exp()
        local scores = F.softmax(logits, -1):float():cpu()
        for i = 0, scores:size(0) - 1 do
          results[#results + 1] = vision.top(scores[i], k, function(index) return candidate_labels[index + 1] end)
        end
      end)
    end)
    if single then return results[1] end
    return results
  end
end

return { CLIPModel = CLIPModel }
