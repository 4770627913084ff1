-- The BERT family with transformers' class and parameter names: BERT (and
-- MiniLM, whose checkpoints are BERT's), RoBERTa and XLM-RoBERTa (BERT whose
-- positions count from the padding id), DistilBERT; each with its base model and
-- the sequence-classification, token-classification and masked-LM heads.
-- Heads return {logits, last_hidden_state}; dropout acts in training mode only,
-- as in transformers, so the models fine-tune as they do there.
local hf = require("kiln.hf")

-- A config.json value, JSON null read as absent.
local function setting(c, key, default)
  local value = c[key]
  if value == nil or value == json.null then return default end
  return value
end

local function dropout(c, key, default)
  local p = setting(c, key, default)
  if type(p) ~= "number" or p < 0 or p >= 1 then
    error(string.format("hf: config.json's %s is %s; a probability from 0 to 1 expected", key, tostring(p)), 0)
  end
  return nn.Dropout(p)
end

-- transformers' activations (ACT2FN) by the names these configs use.
local kActivations = {
  gelu = function(x) return F.gelu(x) end,
  gelu_new = function(x) return F.gelu(x, { approximate = "tanh" }) end,
  gelu_pytorch_tanh = function(x) return F.gelu(x, { approximate = "tanh" }) end,
  relu = function(x) return F.relu(x) end,
  silu = function(x) return F.silu(x) end,
  swish = function(x) return F.silu(x) end,
  tanh = function(x) return torch.tanh(x) end,
}

local function activation(c, key, default)
  local name = setting(c, key, default)
  if not kActivations[name] then
    error(string.format("hf: config.json's %s '%s' is not supported (gelu, gelu_new, gelu_pytorch_tanh, relu, silu, tanh are)",
      key, tostring(name)), 0)
  end
  return name
end

local function require_keys(c, keys)
  for _, key in ipairs(keys) do
    if setting(c, key) == nil then error("hf: config.json lacks " .. key, 0) end
  end
end

-- The padding id, which RoBERTa's positions count from: a token id or absent.
local function padding_id(c, vocab)
  local pad = setting(c, "pad_token_id")
  if pad ~= nil and (math.type(pad) ~= "integer" or pad < 0 or pad >= vocab) then
    error(string.format("hf: config.json's pad_token_id %s is not a token id (0 to %d)", tostring(pad), vocab - 1), 0)
  end
  return pad
end

-- The number of classes a head has: config.json's id2label, else num_labels, else 2.
local function label_count(c)
  local labels = setting(c, "id2label")
  if type(labels) == "table" and next(labels) ~= nil then
    local n = 0
    for _ in pairs(labels) do n = n + 1 end
    return n
  end
  return setting(c, "num_labels", 2)
end

-- Masked keys get the dtype's lowest value before the softmax, as transformers does.
local function attention_bias(mask, dtype)
  return (1 - mask:to(dtype)):unsqueeze(1):unsqueeze(1) * hf.lowest(dtype)
end

local function check_ids(who, input_ids, limit)
  if not torch.is_tensor(input_ids) or input_ids:dim() ~= 2 then
    error(who .. ": input_ids [batch, length] expected, got " .. (torch.is_tensor(input_ids) and tostring(input_ids.shape)
      or type(input_ids)), 0)
  end
  if input_ids:size(1) > limit then
    error(string.format("%s: %d tokens, more than the %d its positions allow", who, input_ids:size(1), limit), 0)
  end
end

-- ---------------------------------------------------------------------------
-- BERT

local BertEmbeddings = nn.Module:extend("BertEmbeddings")
function BertEmbeddings:init(c)
  self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size, { padding_idx = padding_id(c, c.vocab_size) })
  self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
  self.token_type_embeddings = nn.Embedding(setting(c, "type_vocab_size", 2), c.hidden_size)
  self.LayerNorm = nn.LayerNorm(c.hidden_size, { eps = setting(c, "layer_norm_eps", 1e-12) })
  self.dropout = dropout(c, "hidden_dropout_prob", 0.1)
end
-- In transformers' order of additions, so the sums round as theirs do.
function BertEmbeddings:forward(input_ids, token_type_ids, position_ids)
  position_ids = position_ids or torch.arange(input_ids:size(1), { device = input_ids.device }):unsqueeze(0)
  local x = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
  x = x + self.position_embeddings(position_ids)
  return self.dropout(self.LayerNorm(x))
end

-- Multi-head attention over [B, T, width] projections with an additive mask,
-- for BERT's and DistilBERT's attention modules (`heads`, `dropout`, `training`).
local function attend(module, query, key, value, bias)
  local function split(t) return t:unflatten(-1, { module.heads, -1 }):transpose(1, 2) end
  local q, k, v = split(query), split(key), split(value)
  if not module.training then
    -- libtorch's fused attention, as transformers' "sdpa" attention uses it.
    return F.scaled_dot_product_attention(q, k, v, { attn_mask = bias }):transpose(1, 2):flatten(-2)
  end
  local scores = q:matmul(k:transpose(-1, -2)) / math.sqrt(q:size(-1)) + bias
  return module.dropout(F.softmax(scores, -1)):matmul(v):transpose(1, 2):flatten(-2)
end

local BertSelfAttention = nn.Module:extend("BertSelfAttention")
function BertSelfAttention:init(c)
  self.heads = c.num_attention_heads
  self.query = nn.Linear(c.hidden_size, c.hidden_size)
  self.key = nn.Linear(c.hidden_size, c.hidden_size)
  self.value = nn.Linear(c.hidden_size, c.hidden_size)
  self.dropout = dropout(c, "attention_probs_dropout_prob", 0.1)
end
function BertSelfAttention:forward(x, bias)
  return attend(self, self.query(x), self.key(x), self.value(x), bias)
end

local BertSelfOutput = nn.Module:extend("BertSelfOutput")
function BertSelfOutput:init(c, width)
  self.dense = nn.Linear(width, c.hidden_size)
  self.LayerNorm = nn.LayerNorm(c.hidden_size, { eps = setting(c, "layer_norm_eps", 1e-12) })
  self.dropout = dropout(c, "hidden_dropout_prob", 0.1)
end
function BertSelfOutput:forward(x, residual)
  return self.LayerNorm(self.dropout(self.dense(x)) + residual)
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
  self.act = activation(c, "hidden_act", "gelu")
end
function BertIntermediate:forward(x)
  return kActivations[self.act](self.dense(x))
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

local BertEncoder = hf.layer_stack("BertEncoder", "layer", BertLayer, "num_hidden_layers")

local BertPooler = nn.Module:extend("BertPooler")
function BertPooler:init(c)
  self.dense = nn.Linear(c.hidden_size, c.hidden_size)
end
function BertPooler:forward(hidden)
  return torch.tanh(self.dense(hidden:select(1, 0)))
end

-- BertModel(config, {add_pooling_layer}): the heads that read tokens build it
-- without the pooler, as transformers does, so their checkpoints need none.
local BertModel = nn.Module:extend("BertModel")
BertModel.uses_token_types = true
local function init_base(self, config, options, Embeddings)
  require_keys(config, { "vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
    "max_position_embeddings" })
  if options ~= nil and type(options) ~= "table" then error("hf: the base model's options must be a table", 0) end
  self.config = config
  self.embeddings = Embeddings(config)
  self.encoder = BertEncoder(config)
  if not options or options.add_pooling_layer ~= false then self.pooler = BertPooler(config) end
end
function BertModel:init(config, options)
  init_base(self, config, options, BertEmbeddings)
  self.max_tokens = config.max_position_embeddings
end
-- model(input_ids, {attention_mask, token_type_ids}) -> {last_hidden_state, pooler_output}
function BertModel:forward(input_ids, options)
  options = options or {}
  check_ids(self.__name, input_ids, self.max_tokens)
  local mask = options.attention_mask or torch.ones_like(input_ids)
  local types = options.token_type_ids or torch.zeros_like(input_ids)
  local hidden = self.embeddings(input_ids, types)
  hidden = self.encoder(hidden, attention_bias(mask, hidden.dtype))
  return { last_hidden_state = hidden, pooler_output = self.pooler and self.pooler(hidden) or nil }
end

-- The heads share one shape: a base model under `prefix` and a head after it.
-- A base checkpoint loads into their base, and hf.load_weights names the head's
-- first missing tensor when the checkpoint has none.
local function head_class(name, Base, prefix, head)
  local Class = nn.Module:extend(name)
  Class.base_prefix = prefix .. "."
  Class.head = head
  Class.uses_token_types = Base.uses_token_types
  return Class
end

local function base_of(self)
  return self[self.base_prefix:sub(1, -2)]
end

local function sequence_head(name, Base, prefix, build, classify)
  local Class = head_class(name, Base, prefix, "sequence-classification")
  function Class:init(config)
    self.config = config
    self.num_labels = label_count(config)
    if math.type(self.num_labels) ~= "integer" or self.num_labels < 1 then
      error("hf: config.json's num_labels must be a whole number from 1", 0)
    end
    self[prefix] = Base(config, { add_pooling_layer = build.pooler })
    self.max_tokens = self[prefix].max_tokens
    build.head(self, config)
  end
  -- model(input_ids, {attention_mask, token_type_ids}) -> {logits [B, labels], last_hidden_state}
  function Class:forward(input_ids, options)
    local out = base_of(self)(input_ids, options)
    return { logits = classify(self, out), last_hidden_state = out.last_hidden_state }
  end
  return Class
end

local function token_head(name, Base, prefix, dropoutKey)
  local Class = head_class(name, Base, prefix, "token-classification")
  function Class:init(config)
    self.config = config
    self.num_labels = label_count(config)
    if math.type(self.num_labels) ~= "integer" or self.num_labels < 1 then
      error("hf: config.json's num_labels must be a whole number from 1", 0)
    end
    self[prefix] = Base(config, { add_pooling_layer = false })
    self.max_tokens = self[prefix].max_tokens
    local width = config.hidden_size or config.dim
    self.dropout = dropout(config, "classifier_dropout", setting(config, dropoutKey, 0.1))
    self.classifier = nn.Linear(width, self.num_labels)
  end
  -- model(input_ids, {attention_mask, token_type_ids}) -> {logits [B, T, labels], last_hidden_state}
  function Class:forward(input_ids, options)
    local hidden = base_of(self)(input_ids, options).last_hidden_state
    return { logits = self.classifier(self.dropout(hidden)), last_hidden_state = hidden }
  end
  return Class
end

-- A masked-LM head: `lm` builds the head and names its decoder; the decoder's
-- weight is the word embeddings (unless config.json unties them) and its bias
-- the head's `bias`, as transformers ties them.
local function masked_lm(name, Base, prefix, build)
  local Class = head_class(name, Base, prefix, "fill-mask")
  function Class:init(config)
    self.config = config
    self[prefix] = Base(config, { add_pooling_layer = false })
    self.max_tokens = self[prefix].max_tokens
    build.head(self, config)
    local tied = {}
    if setting(config, "tie_word_embeddings", true) then
      tied[build.decoder .. ".weight"] = prefix .. ".embeddings.word_embeddings.weight"
    end
    if build.bias then tied[build.decoder .. ".bias"] = build.bias end
    self.tied_weights = tied
    self:tie_weights()
  end
  function Class:tie_weights()
    local decoder, owner = build.find(self)
    if self.tied_weights[build.decoder .. ".weight"] then
      decoder.weight = base_of(self).embeddings.word_embeddings.weight
    end
    if build.bias then decoder.bias = owner.bias end
  end
  -- model(input_ids, {attention_mask, token_type_ids}) -> {logits [B, T, vocab], last_hidden_state}
  function Class:forward(input_ids, options)
    local hidden = base_of(self)(input_ids, options).last_hidden_state
    return { logits = build.forward(self, hidden), last_hidden_state = hidden }
  end
  return Class
end

local BertPredictionHeadTransform = nn.Module:extend("BertPredictionHeadTransform")
function BertPredictionHeadTransform:init(c)
  self.dense = nn.Linear(c.hidden_size, c.hidden_size)
  self.act = activation(c, "hidden_act", "gelu")
  self.LayerNorm = nn.LayerNorm(c.hidden_size, { eps = setting(c, "layer_norm_eps", 1e-12) })
end
function BertPredictionHeadTransform:forward(x)
  return self.LayerNorm(kActivations[self.act](self.dense(x)))
end

local BertLMPredictionHead = nn.Module:extend("BertLMPredictionHead")
function BertLMPredictionHead:init(c)
  self.transform = BertPredictionHeadTransform(c)
  self.decoder = nn.Linear(c.hidden_size, c.vocab_size)
  self.bias = nn.Parameter(torch.zeros(c.vocab_size))
end
function BertLMPredictionHead:forward(x)
  return self.decoder(self.transform(x))
end

local BertOnlyMLMHead = nn.Module:extend("BertOnlyMLMHead")
function BertOnlyMLMHead:init(c)
  self.predictions = BertLMPredictionHead(c)
end
function BertOnlyMLMHead:forward(x)
  return self.predictions(x)
end

local BertForSequenceClassification = sequence_head("BertForSequenceClassification", BertModel, "bert", {
  pooler = true,
  head = function(self, c)
    self.dropout = dropout(c, "classifier_dropout", setting(c, "hidden_dropout_prob", 0.1))
    self.classifier = nn.Linear(c.hidden_size, self.num_labels)
  end,
}, function(self, out) return self.classifier(self.dropout(out.pooler_output)) end)

local BertForTokenClassification = token_head("BertForTokenClassification", BertModel, "bert", "hidden_dropout_prob")

local BertForMaskedLM = masked_lm("BertForMaskedLM", BertModel, "bert", {
  decoder = "cls.predictions.decoder",
  bias = "cls.predictions.bias",
  head = function(self, c) self.cls = BertOnlyMLMHead(c) end,
  find = function(self) return self.cls.predictions.decoder, self.cls.predictions end,
  forward = function(self, hidden) return self.cls(hidden) end,
})

-- ---------------------------------------------------------------------------
-- RoBERTa and XLM-RoBERTa: BERT's network; positions count from padding_idx + 1
-- over the tokens that are not padding, and padding keeps padding_idx.

local RobertaEmbeddings = BertEmbeddings:extend("RobertaEmbeddings")
function RobertaEmbeddings:init(c)
  BertEmbeddings.init(self, c)
  self.padding_idx = padding_id(c, c.vocab_size) or 1
  if self.padding_idx >= c.max_position_embeddings then
    error(string.format("hf: config.json's pad_token_id %d leaves no positions of max_position_embeddings %d",
      self.padding_idx, c.max_position_embeddings), 0)
  end
  self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size, { padding_idx = self.padding_idx })
end
function RobertaEmbeddings:forward(input_ids, token_type_ids)
  local mask = input_ids:ne(self.padding_idx):to(torch.int64)
  local positions = mask:cumsum(1) * mask + self.padding_idx
  return BertEmbeddings.forward(self, input_ids, token_type_ids, positions)
end

local RobertaModel = BertModel:extend("RobertaModel")
-- Its tokenizers give no segment ids (transformers passes none, and the pair
-- template's ones would not fit type_vocab_size 1).
RobertaModel.uses_token_types = false
function RobertaModel:init(config, options)
  init_base(self, config, options, RobertaEmbeddings)
  self.max_tokens = config.max_position_embeddings - self.embeddings.padding_idx - 1
end

local RobertaClassificationHead = nn.Module:extend("RobertaClassificationHead")
function RobertaClassificationHead:init(c, labels)
  self.dense = nn.Linear(c.hidden_size, c.hidden_size)
  self.dropout = dropout(c, "classifier_dropout", setting(c, "hidden_dropout_prob", 0.1))
  self.out_proj = nn.Linear(c.hidden_size, labels)
end
function RobertaClassificationHead:forward(hidden)
  local x = self.dropout(hidden:select(1, 0))
  return self.out_proj(self.dropout(torch.tanh(self.dense(x))))
end

local RobertaLMHead = nn.Module:extend("RobertaLMHead")
function RobertaLMHead:init(c)
  self.dense = nn.Linear(c.hidden_size, c.hidden_size)
  self.layer_norm = nn.LayerNorm(c.hidden_size, { eps = setting(c, "layer_norm_eps", 1e-12) })
  self.decoder = nn.Linear(c.hidden_size, c.vocab_size)
  self.bias = nn.Parameter(torch.zeros(c.vocab_size))
end
-- Exact GELU whatever hidden_act says, as transformers' RobertaLMHead.
function RobertaLMHead:forward(x)
  return self.decoder(self.layer_norm(F.gelu(self.dense(x))))
end

local function roberta_family(prefix, Base)
  return {
    [prefix .. "Model"] = Base,
    [prefix .. "ForSequenceClassification"] = sequence_head(prefix .. "ForSequenceClassification", Base, "roberta", {
      pooler = false,
      head = function(self, c) self.classifier = RobertaClassificationHead(c, self.num_labels) end,
    }, function(self, out) return self.classifier(out.last_hidden_state) end),
    [prefix .. "ForTokenClassification"] = token_head(prefix .. "ForTokenClassification", Base, "roberta",
      "hidden_dropout_prob"),
    [prefix .. "ForMaskedLM"] = masked_lm(prefix .. "ForMaskedLM", Base, "roberta", {
      decoder = "lm_head.decoder",
      bias = "lm_head.bias",
      head = function(self, c) self.lm_head = RobertaLMHead(c) end,
      find = function(self) return self.lm_head.decoder, self.lm_head end,
      forward = function(self, hidden) return self.lm_head(hidden) end,
    }),
  }
end

-- XLM-RoBERTa is the same network; its own classes carry its model_type.
local XLMRobertaModel = RobertaModel:extend("XLMRobertaModel")
local roberta = roberta_family("Roberta", RobertaModel)
local xlmRoberta = roberta_family("XLMRoberta", XLMRobertaModel)

-- ---------------------------------------------------------------------------
-- DistilBERT: dim, n_layers, n_heads, hidden_dim; no segments, no pooler.

local function distil_config(c)
  require_keys(c, { "vocab_size", "dim", "n_layers", "n_heads", "hidden_dim", "max_position_embeddings" })
  if c.dim % c.n_heads ~= 0 then
    error(string.format("hf: config.json's dim %d is not a multiple of n_heads %d", c.dim, c.n_heads), 0)
  end
end

local DistilEmbeddings = nn.Module:extend("Embeddings")
function DistilEmbeddings:init(c)
  self.word_embeddings = nn.Embedding(c.vocab_size, c.dim, { padding_idx = padding_id(c, c.vocab_size) })
  -- Sinusoidal positions (sinusoidal_pos_embds) are stored in the checkpoint too.
  self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.dim)
  self.LayerNorm = nn.LayerNorm(c.dim, { eps = 1e-12 })
  self.dropout = dropout(c, "dropout", 0.1)
end
function DistilEmbeddings:forward(input_ids)
  local positions = torch.arange(input_ids:size(1), { device = input_ids.device }):unsqueeze(0)
  return self.dropout(self.LayerNorm(self.word_embeddings(input_ids) + self.position_embeddings(positions)))
end

local DistilBertSelfAttention = nn.Module:extend("DistilBertSelfAttention")
function DistilBertSelfAttention:init(c)
  self.heads = c.n_heads
  self.q_lin = nn.Linear(c.dim, c.dim)
  self.k_lin = nn.Linear(c.dim, c.dim)
  self.v_lin = nn.Linear(c.dim, c.dim)
  self.out_lin = nn.Linear(c.dim, c.dim)
  self.dropout = dropout(c, "attention_dropout", 0.1)
end
function DistilBertSelfAttention:forward(x, bias)
  return self.out_lin(attend(self, self.q_lin(x), self.k_lin(x), self.v_lin(x), bias))
end

local DistilFFN = nn.Module:extend("FFN")
function DistilFFN:init(c)
  self.lin1 = nn.Linear(c.dim, c.hidden_dim)
  self.lin2 = nn.Linear(c.hidden_dim, c.dim)
  self.act = activation(c, "activation", "gelu")
  self.dropout = dropout(c, "dropout", 0.1)
end
function DistilFFN:forward(x)
  return self.dropout(self.lin2(kActivations[self.act](self.lin1(x))))
end

local TransformerBlock = nn.Module:extend("TransformerBlock")
function TransformerBlock:init(c)
  self.attention = DistilBertSelfAttention(c)
  self.sa_layer_norm = nn.LayerNorm(c.dim, { eps = 1e-12 })
  self.ffn = DistilFFN(c)
  self.output_layer_norm = nn.LayerNorm(c.dim, { eps = 1e-12 })
end
function TransformerBlock:forward(x, bias)
  local attended = self.sa_layer_norm(self.attention(x, bias) + x)
  return self.output_layer_norm(self.ffn(attended) + attended)
end

local DistilTransformer = hf.layer_stack("Transformer", "layer", TransformerBlock, "n_layers")

local DistilBertModel = nn.Module:extend("DistilBertModel")
DistilBertModel.uses_token_types = false
-- DistilBertModel(config): options (add_pooling_layer) are ignored; it has no pooler.
function DistilBertModel:init(config)
  distil_config(config)
  self.config = config
  self.embeddings = DistilEmbeddings(config)
  self.transformer = DistilTransformer(config)
  self.max_tokens = config.max_position_embeddings
end
-- model(input_ids, {attention_mask}) -> {last_hidden_state}
function DistilBertModel:forward(input_ids, options)
  options = options or {}
  check_ids("DistilBertModel", input_ids, self.max_tokens)
  local mask = options.attention_mask or torch.ones_like(input_ids)
  local hidden = self.embeddings(input_ids)
  return { last_hidden_state = self.transformer(hidden, attention_bias(mask, hidden.dtype)) }
end

local DistilBertForSequenceClassification = sequence_head("DistilBertForSequenceClassification", DistilBertModel,
  "distilbert", {
    pooler = false,
    head = function(self, c)
      self.pre_classifier = nn.Linear(c.dim, c.dim)
      self.classifier = nn.Linear(c.dim, self.num_labels)
      self.dropout = dropout(c, "seq_classif_dropout", 0.2)
    end,
  }, function(self, out)
    local pooled = F.relu(self.pre_classifier(out.last_hidden_state:select(1, 0)))
    return self.classifier(self.dropout(pooled))
  end)

local DistilBertForTokenClassification = token_head("DistilBertForTokenClassification", DistilBertModel, "distilbert",
  "dropout")

local DistilBertForMaskedLM = masked_lm("DistilBertForMaskedLM", DistilBertModel, "distilbert", {
  decoder = "vocab_projector",
  head = function(self, c)
    self.act = activation(c, "activation", "gelu")
    self.vocab_transform = nn.Linear(c.dim, c.dim)
    self.vocab_layer_norm = nn.LayerNorm(c.dim, { eps = 1e-12 })
    self.vocab_projector = nn.Linear(c.dim, c.vocab_size)
  end,
  find = function(self) return self.vocab_projector, self end,
  forward = function(self, hidden)
    return self.vocab_projector(self.vocab_layer_norm(kActivations[self.act](self.vocab_transform(hidden))))
  end,
})

-- ---------------------------------------------------------------------------

local bert = {
  BertModel = BertModel,
  BertForSequenceClassification = BertForSequenceClassification,
  BertForTokenClassification = BertForTokenClassification,
  BertForMaskedLM = BertForMaskedLM,
}
local distilbert = {
  DistilBertModel = DistilBertModel,
  DistilBertForSequenceClassification = DistilBertForSequenceClassification,
  DistilBertForTokenClassification = DistilBertForTokenClassification,
  DistilBertForMaskedLM = DistilBertForMaskedLM,
}
hf.register("bert", bert, "BertModel")
hf.register("roberta", roberta, "RobertaModel")
hf.register("xlm-roberta", xlmRoberta, "XLMRobertaModel")
hf.register("distilbert", distilbert, "DistilBertModel")

local classes = {}
for _, family in ipairs({ bert, roberta, xlmRoberta, distilbert }) do
  for name, class in pairs(family) do
    classes[name] = class
    hf[name] = class
  end
end
return classes
