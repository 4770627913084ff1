-- hf: Hugging Face models in Lua, driven by their own config.json and loading
-- their safetensors by their own parameter names; tokenizers from
-- tokenizer.json; pipelines that name a task, take a model and are called.
-- A source is a local folder or a Hub repository ("ORG/NAME"), fetched into the
-- Hub's cache by hub.download.
local hf = {}

-- Sizes a config.json may give, and their bounds: a hostile file must not make
-- Kiln allocate terabytes or loop for hours before the weights disagree.
local kLimits = { hidden_size = 1 << 16, num_hidden_layers = 1024, num_attention_heads = 1024,
  intermediate_size = 1 << 18, vocab_size = 1 << 24, max_position_embeddings = 1 << 20, type_vocab_size = 1 << 10,
  n_embd = 1 << 16, n_layer = 1024, n_head = 1024, n_inner = 1 << 18, n_positions = 1 << 20, n_ctx = 1 << 20,
  dim = 1 << 16, n_layers = 1024, n_heads = 1024, hidden_dim = 1 << 18,
  image_size = 1 << 14, patch_size = 1 << 12, num_channels = 64, embedding_size = 1 << 16,
  projection_dim = 1 << 16, num_labels = 1 << 20, pooler_output_size = 1 << 16 }

local kMaxConfigBytes = 16 << 20

local function fileExists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

-- The folder that holds `source`'s files, fetching `files` when it is a Hub name.
function hf.resolve(source, files)
  if type(source) ~= "string" then error("hf: a folder or a Hub name (ORG/NAME) expected, got a " .. type(source), 3) end
  if fileExists(source .. "/config.json") or fileExists(source .. "/tokenizer.json") then return source end
  return hub.download(source, { files = files })
end

-- config.json, checked: sizes that are numbers in range, heads that divide the width.
function hf.config(source)
  local folder = hf.resolve(source, { "config.json" })
  -- Real configs are a few kilobytes; a huge one is refused before it is read.
  local file = io.open(folder .. "/config.json", "rb")
  local size = file and file:seek("end") or 0
  if file then file:close() end
  if size > kMaxConfigBytes then
    error(string.format("hf: %s/config.json is %d MB; a config.json over %d MB is refused", folder, size >> 20,
      kMaxConfigBytes >> 20), 2)
  end
  local ok, config = pcall(json.load, folder .. "/config.json")
  if not ok then error("hf: " .. tostring(config), 2) end
  hf.check_config(config, folder)
  return config, folder
end

-- Checks a config table (also the text_config/vision_config parts of CLIP's).
function hf.check_config(config, folder)
  if type(config) ~= "table" or type(config.model_type) ~= "string" then
    error("hf: " .. (folder or "config.json") .. " has no model_type", 3)
  end
  for key, limit in pairs(kLimits) do
    local value = config[key]
    -- null (GPT-2's n_inner) means the default, as an absent key does.
    if value ~= nil and value ~= json.null and (math.type(value) ~= "integer" or value < 1 or value > limit) then
      error(string.format("hf: config.json's %s is %s; a whole number from 1 to %d expected", key, tostring(value), limit), 2)
    end
  end
  if config.hidden_size and config.num_attention_heads and config.hidden_size % config.num_attention_heads ~= 0 then
    error(string.format("hf: config.json's hidden_size %d is not a multiple of num_attention_heads %d",
      config.hidden_size, config.num_attention_heads), 3)
  end
  for _, part in ipairs({ "text_config", "vision_config" }) do
    if config[part] ~= nil then
      if type(config[part]) ~= "table" then error("hf: config.json's " .. part .. " is not an object", 3) end
      config[part].model_type = config[part].model_type or part
      hf.check_config(config[part], folder)
    end
  end
  if config.id2label ~= nil and type(config.id2label) ~= "table" then
    error("hf: config.json's id2label is not an object", 3)
  end
end

-- The tokenizer of `source`, from its tokenizer.json.
function hf.tokenizer(source)
  local folder = hf.resolve(source, { "tokenizer.json", "tokenizer_config.json", "config.json" })
  return tokenizers.from_file(folder .. "/tokenizer.json")
end

-- Architectures by model_type: each family module (kiln/hf/*.lua) registers its
-- classes under transformers' class names ("BertModel", "GPT2LMHeadModel", ...)
-- and names the one to build when config.json names none Kiln knows.
hf.architectures = {}
local kModelTypes = {}

-- hf.register(model_type, {ClassName = Class, ...}, default_class_name)
function hf.register(modelType, classes, default)
  for name, class in pairs(classes) do
    class.model_type = modelType
    hf.architectures[name] = class
  end
  kModelTypes[modelType] = default
end

-- The class for a config: the first of config.architectures that Kiln has,
-- else the model type's default; `wanted` (a class name) overrides both.
function hf.architecture(config, wanted)
  if wanted then
    local class = hf.architectures[wanted]
    if not class then error(string.format("hf: no architecture named '%s'", tostring(wanted)), 3) end
    return class, wanted
  end
  if type(config.architectures) == "table" then
    for _, name in ipairs(config.architectures) do
      if hf.architectures[name] and hf.architectures[name].model_type == config.model_type then
        return hf.architectures[name], name
      end
    end
  end
  local default = kModelTypes[config.model_type]
  if not default then
    local known = {}
    for modelType in pairs(kModelTypes) do known[#known + 1] = modelType end
    table.sort(known)
    error(string.format("hf: model_type '%s' is not supported yet (%s are)", config.model_type,
      table.concat(known, ", ")), 3)
  end
  return hf.architectures[default], default
end

-- The tensors of a folder's checkpoint: model.safetensors, else PyTorch's
-- pytorch_model.bin (read without running any pickled code).
function hf.checkpoint(folder)
  local path = folder .. "/model.safetensors"
  if fileExists(path) then return safetensors.load(path), path end
  local bin = folder .. "/pytorch_model.bin"
  if fileExists(bin) then return torch.load(bin), bin end
  error("hf: " .. folder .. " has no model.safetensors or pytorch_model.bin", 3)
end

-- Loads a checkpoint's tensors into `model` by their names. A task checkpoint
-- ("bert.embeddings...") loads into the base model, and a base checkpoint into
-- a task model's base: the class's `base_prefix` says which prefix that is.
-- Weights a class ties (`tied_weights`: name -> the name it shares) may be absent.
function hf.load_weights(model, folder)
  local tensors, path = hf.checkpoint(folder)
  local own = model:state_dict()
  local prefixes = model.base_prefixes or { model.base_prefix or "bert." }
  local state = {}
  for name, tensor in pairs(tensors) do
    -- Old BERT checkpoints (bert-base-uncased's) call LayerNorm's weight and bias gamma and beta.
    local key = name:gsub("LayerNorm%.gamma$", "LayerNorm.weight"):gsub("LayerNorm%.beta$", "LayerNorm.bias")
    if own[key] == nil then
      for _, prefix in ipairs(prefixes) do
        if key:sub(1, #prefix) == prefix and own[key:sub(#prefix + 1)] ~= nil then key = key:sub(#prefix + 1) break end
        if own[prefix .. key] ~= nil then key = prefix .. key break end
      end
    end
    if own[key] ~= nil then state[key] = tensor end
  end
  local ok, result = pcall(model.load_state_dict, model, state, false)
  if not ok then
    -- One line: the first mismatches, not PyTorch's whole report.
    local message = tostring(result):gsub("^.-Error%(s%) in loading state_dict for [%w_]+:%s*", ""):gsub("%s*\n%s*", " ")
    error(string.format("hf: the weights in %s do not fit config.json: %s", path, message:sub(1, 300)), 3)
  end
  local tied = model.tied_weights or {}
  local missing = {}
  for _, name in ipairs(result.missing_keys) do
    if not tied[name] then missing[#missing + 1] = name end
  end
  if #missing > 0 then
    error(string.format("hf: %s lacks %d of the model's tensors (first: %s)", path, #missing, missing[1]), 3)
  end
  if model.tie_weights then model:tie_weights() end
  return model
end

-- The model of `source` built from its config.json, with its weights, in eval
-- mode on `device`. `architecture` picks a class ("BertForMaskedLM", ...).
function hf.from_pretrained(source, options)
  options = options or {}
  -- Everything a model needs in one fetch: asking for config.json alone first
  -- would leave a Hub snapshot that then looks complete without its weights.
  local folder = hf.resolve(source, { "*.json", "model.safetensors", "*.txt", "*.model" })
  local config = hf.config(folder)
  local Architecture = hf.architecture(config, options.architecture)
  local model = torch.no_grad(function()
    local m = Architecture(config)
    hf.load_weights(m, folder)
    return m
  end)
  model:eval()
  if options.device then model:to(options.device) end
  return model
end

-- hf.layer_stack(class_name, field, Layer, count_key): a module holding
-- config[count_key] Layers in a ModuleList named `field`, each run on the
-- output of the one before (extra arguments go to every layer): the encoders of
-- every family, under transformers' class and field names.
function hf.layer_stack(className, field, Layer, countKey)
  local Stack = nn.Module:extend(className)
  function Stack:init(c)
    local layers = {}
    for i = 1, c[countKey] do layers[i] = Layer(c) end
    self[field] = nn.ModuleList(layers)
  end
  function Stack:forward(x, ...)
    local layers = self[field]
    for i = 0, #layers - 1 do x = layers[i](x, ...) end
    return x
  end
  return Stack
end

-- The lowest value of a floating dtype, which masked attention scores get
-- before the softmax, as transformers does.
function hf.lowest(dtype)
  if dtype == "torch.float64" then return -1.7976931348623157e308 end
  if dtype == "torch.float16" then return -65504.0 end
  if dtype == "torch.bfloat16" then return -3.3895313892515355e38 end
  return -3.4028234663852886e38
end

-- The label of class `index` (0-based) from config.json's id2label.
function hf.label(config, index)
  local labels = config.id2label
  local name = labels and (labels[tostring(index)] or labels[index])
  return name or ("LABEL_" .. index)
end

-- Mean of the token vectors a mask keeps, as sentence-transformers pools.
function hf.mean_pooling(hidden, attention_mask)
  local mask = attention_mask:unsqueeze(-1):to(hidden.dtype)
  return (hidden * mask):sum(1) / mask:sum(1):clamp_min(1e-9)
end

-- Pooling and normalization as a sentence-transformers folder says
-- (1_Pooling/config.json, modules.json); mean and normalized by default.
local function sentenceSettings(folder)
  local pooling, normalize = "mean", true
  local ok, modules = pcall(json.load, folder .. "/modules.json")
  if ok and type(modules) == "table" then
    normalize = false
    for _, m in ipairs(modules) do
      if m.type == "sentence_transformers.models.Normalize" then normalize = true end
      if m.type == "sentence_transformers.models.Pooling" then
        local okPool, p = pcall(json.load, folder .. "/" .. m.path .. "/config.json")
        if okPool and type(p) == "table" then
          if p.pooling_mode_cls_token then pooling = "cls" elseif p.pooling_mode_max_tokens then pooling = "max" end
        end
      end
    end
  end
  return pooling, normalize
end

-- Tasks by name: each is function(source, options) -> a callable.
hf.tasks = {}
local pipelines = hf.tasks

-- "text-embedding": texts -> [N, D] sentence embeddings (unit length unless the
-- model's folder says otherwise), in batches.
local kEmbeddingOptions = { device = true, batch_size = true, max_length = true, normalize = true }
pipelines["text-embedding"] = function(source, options)
  for key in pairs(options) do
    if not kEmbeddingOptions[key] then
      error(string.format("pipeline: text-embedding takes no option '%s' (device, batch_size, max_length, normalize)",
        tostring(key)), 3)
    end
  end
  local folder = hf.resolve(source, { "*.json", "model.safetensors", "1_Pooling/*" })
  local model = hf.from_pretrained(folder, { device = options.device })
  local tokenizer = hf.tokenizer(folder)
  local pooling, normalize = sentenceSettings(folder)
  if options.normalize ~= nil then normalize = options.normalize end
  local batchSize = options.batch_size or 32
  -- sentence-transformers' own limit when the folder names one (256 for MiniLM).
  local okSbert, sbert = pcall(json.load, folder .. "/sentence_bert_config.json")
  local maxLength = options.max_length or (okSbert and type(sbert) == "table" and math.type(sbert.max_seq_length) == "integer"
    and sbert.max_seq_length) or math.min(512, model.config.max_position_embeddings)
  local device = options.device
  return function(texts)
    if type(texts) == "string" then texts = { texts } end
    local parts = {}
    torch.no_grad(function()
      for start = 1, #texts, batchSize do
        local batch = {}
        for i = start, math.min(#texts, start + batchSize - 1) do batch[#batch + 1] = texts[i] end
        local inputs = tokenizer(batch, { padding = true, truncation = true, max_length = maxLength })
        local ids, mask, types = inputs.input_ids, inputs.attention_mask, inputs.token_type_ids
        if device then ids, mask, types = ids:to(device), mask:to(device), types:to(device) end
        local hidden = model(ids, { attention_mask = mask, token_type_ids = types }).last_hidden_state
        local pooled
        if pooling == "cls" then
          pooled = hidden:select(1, 0)
        elseif pooling == "max" then
          pooled = hidden:masked_fill(mask:unsqueeze(-1):eq(0), -1e9):amax(1)
        else
          pooled = hf.mean_pooling(hidden, mask)
        end
        if normalize then pooled = F.normalize(pooled, 2, 1) end
        parts[#parts + 1] = pooled
      end
    end)
    return torch.cat(parts, 0)
  end
end

-- pipeline(task, source, {device, batch_size, max_length, normalize}) -> a callable
function hf.pipeline(task, source, options)
  local make = pipelines[task]
  if not make then
    local known = {}
    for name in pairs(pipelines) do known[#known + 1] = name end
    table.sort(known)
    error(string.format("pipeline: unknown task '%s' (known: %s)", tostring(task), table.concat(known, ", ")), 2)
  end
  return make(source, options or {})
end

pipeline = hf.pipeline

-- The families register themselves; they require this module, which must be
-- known to require by then.
package.loaded["kiln.hf"] = hf
require("kiln.hf.bert")
require("kiln.hf.gpt2")
require("kiln.hf.vision")
require("kiln.hf.clip")
require("kiln.hf.text_tasks")
return hf
