-- hf: Hugging Face models in Lua, driven by their own config.json and loading
-- their safetensors by their own parameter names; tokenizers from
-- tokenizer.json; pipelines that name a task, take a model and are called.
-- A source is a local folder or a Hub repository ("ORG/NAME"), fetched into the
-- Hub's cache by hub.download.
local hf = {}

local kLimits = { hidden_size = 1 << 16, num_hidden_layers = 1024, num_attention_heads = 1024,
  intermediate_size = 1 << 18, vocab_size = 1 << 24, max_position_embeddings = 1 << 20, type_vocab_size = 1 << 10 }

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
  local ok, config = pcall(json.load, folder .. "/config.json")
  if not ok then error("hf: " .. tostring(config), 2) end
  if type(config) ~= "table" or type(config.model_type) ~= "string" then
    error("hf: " .. folder .. "/config.json has no model_type", 2)
  end
  for key, limit in pairs(kLimits) do
    local value = config[key]
    if value ~= nil and (math.type(value) ~= "integer" or value < 1 or value > limit) then
      error(string.format("hf: config.json's %s is %s; a whole number from 1 to %d expected", key, tostring(value), limit), 2)
    end
  end
  if config.hidden_size and config.num_attention_heads and config.hidden_size % config.num_attention_heads ~= 0 then
    error(string.format("hf: config.json's hidden_size %d is not a multiple of num_attention_heads %d",
      config.hidden_size, config.num_attention_heads), 2)
  end
  return config, folder
end

-- The tokenizer of `source`, from its tokenizer.json.
function hf.tokenizer(source)
  local folder = hf.resolve(source, { "tokenizer.json", "tokenizer_config.json", "config.json" })
  return tokenizers.from_file(folder .. "/tokenizer.json")
end

-- BERT (and MiniLM, whose checkpoints are BERT's), with transformers' names:
-- embeddings.*, encoder.layer.N.*, pooler.dense.
local BertEmbeddings = nn.Module:extend("BertEmbeddings")
function BertEmbeddings:init(c)
  self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size, { padding_idx = c.pad_token_id })
  self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
  self.token_type_embeddings = nn.Embedding(c.type_vocab_size or 2, c.hidden_size)
  self.LayerNorm = nn.LayerNorm(c.hidden_size, { eps = c.layer_norm_eps or 1e-12 })
end
function BertEmbeddings:forward(input_ids, token_type_ids)
  local length = input_ids:size(1)
  local positions = torch.arange(length, { device = input_ids.device }):unsqueeze(0)
  local x = self.word_embeddings(input_ids) + self.position_embeddings(positions) + self.token_type_embeddings(token_type_ids)
  return self.LayerNorm(x)
end

local BertSelfAttention = nn.Module:extend("BertSelfAttention")
function BertSelfAttention:init(c)
  self.heads = c.num_attention_heads
  self.query = nn.Linear(c.hidden_size, c.hidden_size)
  self.key = nn.Linear(c.hidden_size, c.hidden_size)
  self.value = nn.Linear(c.hidden_size, c.hidden_size)
end
function BertSelfAttention:forward(x, bias)
  local function split(t) return t:unflatten(-1, { self.heads, -1 }):transpose(1, 2) end
  local q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
  local scores = q:matmul(k:transpose(-1, -2)) / math.sqrt(q:size(-1)) + bias
  return F.softmax(scores, -1):matmul(v):transpose(1, 2):flatten(-2)
end

local BertSelfOutput = nn.Module:extend("BertSelfOutput")
function BertSelfOutput:init(c, width)
  self.dense = nn.Linear(width, c.hidden_size)
  self.LayerNorm = nn.LayerNorm(c.hidden_size, { eps = c.layer_norm_eps or 1e-12 })
end
function BertSelfOutput:forward(x, residual)
  return self.LayerNorm(self.dense(x) + residual)
end

local BertAttention = nn.Module:extend("BertAttention")
function BertAttention:init(c)
  self.self = BertSelfAttention(c)
  self.output = BertSelfOutput(c, c.hidden_size)
end
function BertAttention:forward(x, bias)
  return self.output(self.self(x, bias), x)
end

local BertIntermediate = nn.Module:extend("BertIntermediate")
function BertIntermediate:init(c)
  self.dense = nn.Linear(c.hidden_size, c.intermediate_size)
  local act = c.hidden_act or "gelu"
  if act ~= "gelu" and act ~= "gelu_new" and act ~= "gelu_pytorch_tanh" and act ~= "relu" then
    error("hf: hidden_act '" .. tostring(act) .. "' is not supported (gelu, gelu_new, relu are)", 4)
  end
  self.act = act
end
function BertIntermediate:forward(x)
  x = self.dense(x)
  if self.act == "relu" then return F.relu(x) end
  return F.gelu(x, { approximate = self.act == "gelu" and "none" or "tanh" })
end

local BertLayer = nn.Module:extend("BertLayer")
function BertLayer:init(c)
  self.attention = BertAttention(c)
  self.intermediate = BertIntermediate(c)
  self.output = BertSelfOutput(c, c.intermediate_size)
end
function BertLayer:forward(x, bias)
  local attended = self.attention(x, bias)
  return self.output(self.intermediate(attended), attended)
end

local BertEncoder = nn.Module:extend("BertEncoder")
function BertEncoder:init(c)
  local layers = {}
  for i = 1, c.num_hidden_layers do layers[i] = BertLayer(c) end
  self.layer = nn.ModuleList(layers)
end
function BertEncoder:forward(x, bias)
  for i = 0, #self.layer - 1 do x = self.layer[i](x, bias) end
  return x
end

local BertPooler = nn.Module:extend("BertPooler")
function BertPooler:init(c)
  self.dense = nn.Linear(c.hidden_size, c.hidden_size)
end
function BertPooler:forward(hidden)
  return torch.tanh(self.dense(hidden:select(1, 0)))
end

local BertModel = nn.Module:extend("BertModel")
hf.BertModel = BertModel
function BertModel:init(config)
  for _, key in ipairs({ "vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
    "max_position_embeddings" }) do
    if config[key] == nil then error("hf: config.json lacks " .. key, 3) end
  end
  self.config = config
  self.embeddings = BertEmbeddings(config)
  self.encoder = BertEncoder(config)
  self.pooler = BertPooler(config)
end
-- model(input_ids, {attention_mask, token_type_ids}) -> {last_hidden_state, pooler_output}
function BertModel:forward(input_ids, options)
  options = options or {}
  if input_ids:dim() ~= 2 then error("BertModel: input_ids [batch, length] expected, got " .. tostring(input_ids.shape), 2) end
  if input_ids:size(1) > self.config.max_position_embeddings then
    error(string.format("BertModel: %d tokens, more than max_position_embeddings %d", input_ids:size(1),
      self.config.max_position_embeddings), 2)
  end
  local mask = options.attention_mask or torch.ones_like(input_ids)
  local types = options.token_type_ids or torch.zeros_like(input_ids)
  local hidden = self.embeddings(input_ids, types)
  -- Masked keys get the dtype's lowest value before the softmax, as transformers does.
  local lowest = hidden.dtype == "torch.float64" and -1.7976931348623157e308
    or (hidden.dtype == "torch.float16" and -65504.0 or -3.4028234663852886e38)
  local bias = (1 - mask:to(hidden.dtype)):unsqueeze(1):unsqueeze(1) * lowest
  hidden = self.encoder(hidden, bias)
  return { last_hidden_state = hidden, pooler_output = self.pooler(hidden) }
end

local kArchitectures = { bert = BertModel }

-- Loads a checkpoint's tensors into `model` by their names; a checkpoint saved
-- from a task model ("bert.embeddings...") loads into the base model too.
function hf.load_weights(model, folder)
  local path = folder .. "/model.safetensors"
  if not fileExists(path) then error("hf: " .. folder .. " has no model.safetensors", 3) end
  local tensors = safetensors.load(path)
  local own = model:state_dict()
  local state = {}
  for name, tensor in pairs(tensors) do
    local key = name
    if own[key] == nil and key:sub(1, 5) == "bert." then key = key:sub(6) end
    if own[key] ~= nil then state[key] = tensor end
  end
  local ok, result = pcall(model.load_state_dict, model, state, false)
  if not ok then
    -- One line: the first mismatches, not PyTorch's whole report.
    local message = tostring(result):gsub("^.-Error%(s%) in loading state_dict for [%w_]+:%s*", ""):gsub("%s*\n%s*", " ")
    error(string.format("hf: the weights in %s do not fit config.json: %s", path, message:sub(1, 300)), 3)
  end
  if #result.missing_keys > 0 then
    error(string.format("hf: %s lacks %d of the model's tensors (first: %s)", path, #result.missing_keys,
      result.missing_keys[1]), 3)
  end
  return model
end

-- The model of `source` built from its config.json, with its weights, in eval
-- mode on `device`.
function hf.from_pretrained(source, options)
  options = options or {}
  local config, folder = hf.config(source)
  local Architecture = kArchitectures[config.model_type]
  if not Architecture then
    error(string.format("hf: model_type '%s' is not supported yet (bert is)", config.model_type), 2)
  end
  folder = hf.resolve(folder, { "config.json", "model.safetensors", "tokenizer.json", "*.json" })
  local model = torch.no_grad(function()
    local m = Architecture(config)
    hf.load_weights(m, folder)
    return m
  end)
  model:eval()
  if options.device then model:to(options.device) end
  return model
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

local pipelines = {}

-- "text-embedding": texts -> [N, D] sentence embeddings (unit length unless the
-- model's folder says otherwise), in batches.
pipelines["text-embedding"] = function(source, options)
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
return hf
