-- GPT-2 with transformers' parameter names (transformer.wte, wpe, h.N.ln_1,
-- attn.c_attn, attn.c_proj, ln_2, mlp.c_fc, mlp.c_proj, ln_f; lm_head tied to
-- wte), a key-value cache, generation (greedy and sampled) and the
-- text-generation task.
local hf = require("kiln.hf")

-- activation_function -> the function; transformers' ACT2FN names.
local kActivations = {
  gelu = function(x) return F.gelu(x) end,
  gelu_new = function(x) return F.gelu(x, { approximate = "tanh" }) end,
  gelu_pytorch_tanh = function(x) return F.gelu(x, { approximate = "tanh" }) end,
  gelu_fast = function(x) return F.gelu(x, { approximate = "tanh" }) end,
  quick_gelu = function(x) return x * torch.sigmoid(x * 1.702) end,
  relu = function(x) return F.relu(x) end,
  silu = function(x) return F.silu(x) end,
  swish = function(x) return F.silu(x) end,
  tanh = function(x) return torch.tanh(x) end,
}

local function knownActivations()
  local names = {}
  for name in pairs(kActivations) do names[#names + 1] = name end
  table.sort(names)
  return table.concat(names, ", ")
end

-- A config value; JSON's null (n_inner, pad_token_id) is the default, as in transformers.
local function setting(config, key, default)
  local value = config[key]
  if value == nil or value == json.null then return default end
  return value
end

-- GPT2Config's defaults, for config.json files (or Lua tables) that leave a size out.
local function settings(config)
  if type(config) ~= "table" then error("GPT2Model: a config table expected, got a " .. type(config), 4) end
  config.model_type = config.model_type or "gpt2"
  hf.check_config(config)
  local c = {
    vocab_size = setting(config, "vocab_size", 50257),
    n_positions = setting(config, "n_positions", 1024),
    n_embd = setting(config, "n_embd", 768),
    n_layer = setting(config, "n_layer", 12),
    n_head = setting(config, "n_head", 12),
    epsilon = setting(config, "layer_norm_epsilon", 1e-5),
    activation = setting(config, "activation_function", "gelu_new"),
    std = setting(config, "initializer_range", 0.02),
    embd_pdrop = setting(config, "embd_pdrop", 0.1),
    attn_pdrop = setting(config, "attn_pdrop", 0.1),
    resid_pdrop = setting(config, "resid_pdrop", 0.1),
    eos_token_id = setting(config, "eos_token_id"),
    pad_token_id = setting(config, "pad_token_id"),
    bos_token_id = setting(config, "bos_token_id"),
  }
  c.n_inner = setting(config, "n_inner", 4 * c.n_embd)
  if c.n_embd % c.n_head ~= 0 then
    error(string.format("hf: config.json's n_embd %d is not a multiple of n_head %d", c.n_embd, c.n_head), 4)
  end
  if not kActivations[c.activation] then
    error(string.format("hf: activation_function '%s' is not supported (%s are)", tostring(c.activation),
      knownActivations()), 4)
  end
  if setting(config, "add_cross_attention", false) then
    error("hf: GPT-2 with cross-attention (add_cross_attention) is not supported", 4)
  end
  -- Attention scores are scaled by 1/sqrt(head size) unless scale_attn_weights is false.
  c.scale = setting(config, "scale_attn_weights", true) == false and 1.0 or 1.0 / math.sqrt(c.n_embd // c.n_head)
  c.scale_by_layer = setting(config, "scale_attn_by_inverse_layer_idx", false) == true
  return c
end

-- Conv1D: transformers' linear layer with the weight stored [in, out].
local Conv1D = nn.Module:extend("Conv1D")
function Conv1D:init(nf, nx, std)
  self.nf, self.nx = nf, nx
  self.weight = nn.Parameter(torch.empty(nx, nf):normal_(0, std))
  self.bias = nn.Parameter(torch.zeros(nf))
end
function Conv1D:forward(x)
  -- addmm on the rows, as transformers computes it; GPT-2's own blocks pass rows.
  if x:dim() == 2 then return self.bias:addmm(x, self.weight) end
  local shape = x.shape
  shape[#shape] = self.nf
  return self.bias:addmm(x:reshape(-1, self.nx), self.weight):view(shape)
end
function Conv1D:extra_repr() return string.format("nf=%d, nx=%d", self.nf, self.nx) end

local GPT2Attention = nn.Module:extend("GPT2Attention")
function GPT2Attention:init(c, index)
  self.heads, self.width = c.n_head, c.n_embd
  self.scale = c.scale_by_layer and c.scale / (index + 1) or c.scale
  self.c_attn = Conv1D(3 * c.n_embd, c.n_embd, c.std)
  self.c_proj = Conv1D(c.n_embd, c.n_embd, c.std / math.sqrt(2 * c.n_layer))
  self.attn_dropout = nn.Dropout(c.attn_pdrop)
  self.resid_dropout = nn.Dropout(c.resid_pdrop)
end
-- x: the rows [B * T, E] of a batch of B sequences of T tokens; bias: additive
-- mask [B or 1, 1, T, P + T] or nil; past: {key, value} [B, H, P, D] or nil;
-- causal: SDPA's causal mask (T > 1, nothing past, no bias); room: {keys, values}
-- [B, H, capacity, D] that hold the past, where generate made room ahead. Returns
-- the output rows and this layer's {key, value} including x's.
function GPT2Attention:forward(x, bias, past, causal, b, t, room)
  local qkv = self.c_attn(x):view(b, t, 3, self.heads, -1):permute(2, 0, 3, 1, 4):unbind(0)
  local q, k, v = qkv[1], qkv[2], qkv[3]
  if room then
    -- Written in place: no copy of the whole past each step.
    local p = past and past[1]:size(2) or 0
    room[1]:narrow(2, p, t):copy_(k)
    room[2]:narrow(2, p, t):copy_(v)
    k, v = room[1]:narrow(2, 0, p + t), room[2]:narrow(2, 0, p + t)
  elseif past then
    k = torch.cat({ past[1], k }, 2)
    v = torch.cat({ past[2], v }, 2)
  end
  local out = F.scaled_dot_product_attention(q, k, v, { attn_mask = bias, is_causal = causal, scale = self.scale,
    dropout_p = self.training and self.attn_dropout.p or 0 })
  return self.resid_dropout(self.c_proj(out:transpose(1, 2):reshape(b * t, self.width))), { k, v }
end

local GPT2MLP = nn.Module:extend("GPT2MLP")
function GPT2MLP:init(c)
  self.c_fc = Conv1D(c.n_inner, c.n_embd, c.std)
  self.c_proj = Conv1D(c.n_embd, c.n_inner, c.std / math.sqrt(2 * c.n_layer))
  self.act = kActivations[c.activation]
  self.dropout = nn.Dropout(c.resid_pdrop)
end
function GPT2MLP:forward(x)
  return self.dropout(self.c_proj(self.act(self.c_fc(x))))
end

local GPT2Block = nn.Module:extend("GPT2Block")
function GPT2Block:init(c, index)
  self.ln_1 = nn.LayerNorm(c.n_embd, { eps = c.epsilon })
  self.attn = GPT2Attention(c, index)
  self.ln_2 = nn.LayerNorm(c.n_embd, { eps = c.epsilon })
  self.mlp = GPT2MLP(c)
end
function GPT2Block:forward(x, bias, past, causal, b, t, room)
  local attended, present = self.attn(self.ln_1(x), bias, past, causal, b, t, room)
  x = x + attended
  return x + self.mlp(self.ln_2(x)), present
end

local GPT2Model = nn.Module:extend("GPT2Model")
hf.GPT2Model = GPT2Model
-- A GPT2LMHeadModel checkpoint (transformer.*) loads into the base model, and a
-- base checkpoint (wte.weight, h.0..., as openai-community/gpt2's) into the LM's.
GPT2Model.base_prefix = "transformer."
function GPT2Model:init(config)
  local c = settings(config)
  self.config = config
  self.settings = c
  self.wte = nn.Embedding(c.vocab_size, c.n_embd)
  self.wpe = nn.Embedding(c.n_positions, c.n_embd)
  torch.no_grad(function()
    self.wte.weight:normal_(0, c.std)
    self.wpe.weight:normal_(0, c.std)
  end)
  self.drop = nn.Dropout(c.embd_pdrop)
  local blocks = {}
  for i = 1, c.n_layer do blocks[i] = GPT2Block(c, i - 1) end
  self.h = nn.ModuleList(blocks)
  self.ln_f = nn.LayerNorm(c.n_embd, { eps = c.epsilon })
end

local function pastLength(past)
  local first = past and past[1]
  return first and first[1]:size(2) or 0
end

-- Checks a forward's arguments; `who` names the class in the one-line errors.
local function checkInputs(model, input_ids, options, who)
  if not torch.is_tensor(input_ids) or input_ids:dim() ~= 2 then
    error(string.format("%s: input_ids [batch, length] expected, got %s", who,
      torch.is_tensor(input_ids) and tostring(input_ids.shape) or type(input_ids)), 3)
  end
  if input_ids:is_floating_point() or input_ids.dtype == torch.bool then
    error(string.format("%s: input_ids must be integer token ids, got %s", who, input_ids.dtype), 3)
  end
  local c = model.settings
  local b, t = input_ids:size(0), input_ids:size(1)
  if t == 0 then error(who .. ": input_ids has no tokens", 3) end
  local low, high = input_ids:min():item(), input_ids:max():item()
  if low < 0 or high >= c.vocab_size then
    error(string.format("%s: token id %d is outside the vocabulary (0 to %d)", who, low < 0 and low or high,
      c.vocab_size - 1), 3)
  end
  local past = options.past_key_values
  if past ~= nil then
    if type(past) ~= "table" or #past ~= c.n_layer or type(past[1]) ~= "table" or not torch.is_tensor(past[1][1]) then
      error(string.format("%s: past_key_values must be the array of %d {key, value} pairs a forward returned", who,
        c.n_layer), 3)
    end
    if past[1][1]:size(0) ~= b then
      error(string.format("%s: past_key_values hold a batch of %d, input_ids one of %d", who, past[1][1]:size(0), b), 3)
    end
  end
  local total = pastLength(past) + t
  if total > c.n_positions then
    error(string.format("%s: %d tokens, more than n_positions %d", who, total, c.n_positions), 3)
  end
  local mask = options.attention_mask
  if mask ~= nil and (not torch.is_tensor(mask) or mask:dim() ~= 2 or mask:size(0) ~= b or mask:size(1) ~= total) then
    error(string.format("%s: attention_mask [%d, %d] (past and new tokens) expected, got %s", who, b, total,
      torch.is_tensor(mask) and tostring(mask.shape) or type(mask)), 3)
  end
end

-- The forward without the checks; generate calls it once a step, with room for
-- the cache (an array of {keys, values} per layer).
local function runModel(model, input_ids, options, room)
  local c = model.settings
  local b, t = input_ids:size(0), input_ids:size(1)
  local past = options.past_key_values
  local p = pastLength(past)
  local device = input_ids.device
  local mask = options.attention_mask
  if mask ~= nil and mask:all():item() then mask = nil end
  local positions = options.position_ids
  if positions == nil then
    if mask ~= nil then
      -- As transformers' generate computes them: padding does not count, and
      -- padded places get position 0.
      local m = mask:to(torch.int64)
      positions = (m:cumsum(1) - 1):masked_fill(m:eq(0), 0):narrow(1, p, t)
    else
      positions = torch.arange(p, p + t, { device = device }):unsqueeze(0)
    end
  end
  -- The blocks work on rows [B * T, E]: a linear layer is then one addmm.
  local hidden = model.drop(model.wte(input_ids) + model.wpe(positions)):view(b * t, c.n_embd)
  -- The mask: none for one new token without padding, SDPA's own causal mask for
  -- a whole prompt, else an additive mask with the dtype's lowest value (finite,
  -- so padded rows that see nothing stay finite, as in transformers).
  local bias, causal = nil, false
  if mask ~= nil or (t > 1 and p > 0) then
    local allowed = torch.ones(t, p + t, { dtype = torch.bool, device = device }):tril(p)
    if mask ~= nil then allowed = allowed:logical_and(mask:ne(0):view(b, 1, 1, p + t)) end
    bias = torch.zeros(allowed.shape, { dtype = hidden.dtype, device = device })
      :masked_fill(allowed:logical_not(), hf.lowest(hidden.dtype))
    if bias:dim() == 2 then bias = bias:view(1, 1, t, p + t) end
  elseif t > 1 then
    causal = true
  end
  local useCache = options.use_cache
  if useCache == nil then useCache = setting(model.config, "use_cache", true) ~= false end
  local presents = useCache and {} or nil
  local blocks = model.h
  for i = 0, c.n_layer - 1 do
    local present
    hidden, present = blocks[i](hidden, bias, past and past[i + 1], causal, b, t, room and room[i + 1])
    if presents then presents[i + 1] = present end
  end
  return model.ln_f(hidden):view(b, t, c.n_embd), presents
end

-- model(input_ids, {attention_mask, past_key_values, position_ids, use_cache})
--   -> {last_hidden_state, past_key_values}
function GPT2Model:forward(input_ids, options)
  options = options or {}
  checkInputs(self, input_ids, options, "GPT2Model")
  local hidden, presents = runModel(self, input_ids, options)
  return { last_hidden_state = hidden, past_key_values = presents }
end

-- The LM head shares wte's weight: a Linear without a weight of its own.
local TiedLinear = nn.Linear:extend("Linear")
function TiedLinear:init(weight)
  self.in_features, self.out_features = weight:size(1), weight:size(0)
  self.weight = weight
  self:register_parameter("bias", nil)
end

local GPT2LMHeadModel = nn.Module:extend("GPT2LMHeadModel")
hf.GPT2LMHeadModel = GPT2LMHeadModel
GPT2LMHeadModel.base_prefix = "transformer."
function GPT2LMHeadModel:init(config)
  self.transformer = GPT2Model(config)
  self.config = config
  self.settings = self.transformer.settings
  if setting(config, "tie_word_embeddings", true) ~= false then
    self.lm_head = TiedLinear(self.transformer.wte.weight)
    -- Checkpoints usually leave the tied weight out.
    self.tied_weights = { ["lm_head.weight"] = "transformer.wte.weight" }
  else
    self.lm_head = nn.Linear(self.settings.n_embd, self.settings.vocab_size, { bias = false })
  end
end
function GPT2LMHeadModel:tie_weights()
  if self.tied_weights then self.lm_head.weight = self.transformer.wte.weight end
end

local function runLM(model, input_ids, options, room)
  local hidden, presents = runModel(model.transformer, input_ids, options, room)
  local keep = options.logits_to_keep
  if keep and keep > 0 and keep < hidden:size(1) then hidden = hidden:narrow(1, hidden:size(1) - keep, keep) end
  return { logits = model.lm_head(hidden), past_key_values = presents }
end

-- model(input_ids, {attention_mask, past_key_values, position_ids, use_cache, logits_to_keep})
--   -> {logits, past_key_values}
function GPT2LMHeadModel:forward(input_ids, options)
  options = options or {}
  checkInputs(self, input_ids, options, "GPT2LMHeadModel")
  local keep = options.logits_to_keep
  if keep ~= nil and (math.type(keep) ~= "integer" or keep < 0) then
    error("GPT2LMHeadModel: logits_to_keep must be a whole number from 0 (all), got " .. tostring(keep), 2)
  end
  return runLM(self, input_ids, options)
end

-- Generation --------------------------------------------------------------------

-- A generate option, when given, must be in range (`ok`); `what` says what it must be.
local function expect(value, ok, name, what)
  if value ~= nil and not ok then
    error(string.format("generate: %s must be %s, got %s", name, what, tostring(value)), 3)
  end
end
local function whole(value, low) return math.type(value) == "integer" and value >= low end

-- Temperature, then top-k, then top-p, as transformers' logits warpers do.
local function warp(scores, temperature, topK, topP)
  if temperature ~= 1 then scores = scores / temperature end
  if topK > 0 and topK < scores:size(-1) then
    local values = scores:topk(topK)
    scores = scores:masked_fill(scores:lt(values:narrow(-1, topK - 1, 1)), -math.huge)
  end
  if topP < 1 then
    local sorted, indices = scores:sort(-1, false)
    local remove = sorted:softmax(-1):cumsum(-1):le(1 - topP)
    remove[":, -1"] = false -- the likeliest token always stays
    scores = scores:masked_fill(remove:scatter(1, indices, remove), -math.huge)
  end
  return scores
end

-- model:generate(input_ids, {max_new_tokens, do_sample, temperature, top_k, top_p,
--   eos_token_id, pad_token_id, attention_mask, on_token}) -> ids [batch, prompt + new]
function GPT2LMHeadModel:generate(input_ids, options)
  options = options or {}
  if type(options) ~= "table" then error("generate: the options must be a table", 2) end
  local c = self.settings
  if torch.is_tensor(input_ids) and input_ids:dim() == 2 and not input_ids:is_floating_point() then
    input_ids = input_ids:to(torch.int64)
  end
  local mask = options.attention_mask
  checkInputs(self, input_ids, { attention_mask = mask }, "generate")
  local b, prompt = input_ids:size(0), input_ids:size(1)
  local maxNew = options.max_new_tokens or 20
  expect(maxNew, whole(maxNew, 1), "max_new_tokens", "a whole number from 1")
  if prompt + maxNew > c.n_positions then
    error(string.format("generate: %d prompt tokens and %d new ones are more than n_positions %d", prompt, maxNew,
      c.n_positions), 2)
  end
  local sample = options.do_sample
  expect(sample, type(sample) == "boolean", "do_sample", "true or false")
  local temperature, topK, topP = options.temperature or 1.0, options.top_k or 50, options.top_p or 1.0
  expect(options.temperature, type(temperature) == "number" and temperature > 0 and temperature < math.huge,
    "temperature", "a number above 0")
  -- top_k 50 is transformers' default when sampling; 0 turns it off.
  expect(options.top_k, whole(topK, 0), "top_k", "a whole number from 0 (0: off)")
  expect(options.top_p, type(topP) == "number" and topP >= 0 and topP <= 1, "top_p", "a number from 0 to 1")
  local eos = options.eos_token_id
  if eos == nil then eos = c.eos_token_id end
  -- false or {}: no eos, where the config names one.
  if math.type(eos) == "integer" then eos = { eos } end
  if eos == false or (type(eos) == "table" and next(eos) == nil) then eos = nil end
  expect(eos, type(eos) == "table", "eos_token_id", "a token id, an array of them or false")
  for _, id in ipairs(eos or {}) do expect(id, whole(id, 0), "eos_token_id", "a token id (a whole number from 0)") end
  local pad = options.pad_token_id
  if pad == nil then pad = c.pad_token_id end
  if pad == nil and eos then pad = eos[1] end
  expect(pad, whole(pad, 0), "pad_token_id", "a token id (a whole number from 0)")
  local onToken = options.on_token
  if onToken ~= nil and type(onToken) ~= "function" then error("generate: on_token must be a function", 2) end

  return torch.no_grad(function()
    local device = input_ids.device
    local positions, nextPosition
    if mask ~= nil and not mask:all():item() then
      mask = mask:to(torch.int64)
      positions = (mask:cumsum(1) - 1):masked_fill(mask:eq(0), 0)
      nextPosition = positions:narrow(1, prompt - 1, 1) + 1
    else
      mask = nil
    end
    local dtype, heads = self.transformer.wte.weight.dtype, c.n_head
    local room = {}
    for i = 1, c.n_layer do
      room[i] = {}
      for j = 1, 2 do
        room[i][j] = torch.empty(b, heads, prompt + maxNew, c.n_embd // heads, { dtype = dtype, device = device })
      end
    end
    local out = runLM(self, input_ids, { attention_mask = mask, position_ids = positions, use_cache = true,
      logits_to_keep = 1 }, room)
    local pieces = { input_ids }
    local unfinished = eos and torch.ones(b, { dtype = torch.bool, device = device })
    local ones = mask ~= nil and torch.ones(b, 1, { dtype = torch.int64, device = device })
    for step = 1, maxNew do
      local scores = out.logits:select(1, -1)
      if scores.dtype ~= torch.float32 then scores = scores:to(torch.float32) end
      local nextTokens
      if sample then
        nextTokens = F.softmax(warp(scores, temperature, topK, topP), -1):multinomial(1):squeeze(1)
      else
        nextTokens = scores:argmax(-1)
      end
      local done = false
      if eos then
        -- Finished sequences get padding; a sequence finishes at any eos id.
        nextTokens = torch.where(unfinished, nextTokens, pad)
        for _, id in ipairs(eos) do unfinished = unfinished:logical_and(nextTokens:ne(id)) end
        done = not unfinished:any():item()
      end
      local column = nextTokens:unsqueeze(1)
      pieces[#pieces + 1] = column
      if onToken and onToken(nextTokens) == false then break end
      if done or step == maxNew then break end
      if mask ~= nil then
        mask = torch.cat({ mask, ones }, 1)
        positions, nextPosition = nextPosition, nextPosition + 1
      end
      out = runLM(self, column, { past_key_values = out.past_key_values, attention_mask = mask,
        position_ids = positions, use_cache = true }, room)
    end
    return torch.cat(pieces, 1)
  end)
end

hf.register("gpt2", { GPT2Model = GPT2Model, GPT2LMHeadModel = GPT2LMHeadModel }, "GPT2LMHeadModel")

-- The text-generation task ------------------------------------------------------

-- Settings as transformers' text-generation pipeline takes them: its defaults
-- (sampling at temperature 0.7, 256 new tokens), then the folder's
-- generation_config.json, then the task's options, then each call's.
local kGenerationKeys = { "max_new_tokens", "do_sample", "temperature", "top_k", "top_p", "eos_token_id",
  "pad_token_id" }
local function generationDefaults(folder, model)
  local c = model.settings
  local defaults = { max_new_tokens = 256, do_sample = true, temperature = 0.7, eos_token_id = c.eos_token_id,
    pad_token_id = c.pad_token_id }
  local ok, file = pcall(json.load, folder .. "/generation_config.json")
  if ok and type(file) == "table" then
    for _, key in ipairs(kGenerationKeys) do
      if file[key] ~= nil and file[key] ~= json.null then defaults[key] = file[key] end
    end
  end
  return defaults
end

-- Streams one sequence's new text as it grows, held back while it ends inside a
-- character (a cut UTF-8 sequence decodes as U+FFFD); returns on_token and finish.
local function streamer(tokenizer, eos)
  local ids, written, stopped = {}, 0, {}
  for _, id in ipairs(eos or {}) do stopped[id] = true end
  local function flush(final)
    local text = tokenizer:decode(ids, { skip_special_tokens = true })
    if not final and text:sub(-3) == "\xEF\xBF\xBD" then return end
    if #text > written then
      io.write(text:sub(written + 1))
      written = #text
    end
  end
  local function onToken(nextTokens)
    local id = nextTokens[0]:item()
    if stopped[id] then return end
    ids[#ids + 1] = id
    flush(false)
  end
  local function finish()
    flush(true)
    io.write("\n")
  end
  return onToken, finish
end

-- The task's options, as the other tasks take theirs: unknown ones are refused
-- in one line (the values are generate's to check); the device only when the
-- pipeline is made.
local kTaskKeys = { "device", "stream", "seed" }
for _, key in ipairs(kGenerationKeys) do kTaskKeys[#kTaskKeys + 1] = key end
local function checkTaskOptions(options, inCall)
  if type(options) ~= "table" then
    error("pipeline text-generation: options must be a table, got a " .. type(options), 3)
  end
  for key, value in pairs(options) do
    local known = false
    for _, name in ipairs(kTaskKeys) do known = known or name == key end
    if not known or (inCall and key == "device") then
      error(string.format("pipeline text-generation: unknown option '%s'%s; it takes %s", tostring(key),
        inCall and key == "device" and " in a call (the device is chosen when the pipeline is made)" or "",
        table.concat(kTaskKeys, ", ", inCall and 2 or 1)), 3)
    end
    if key == "stream" and type(value) ~= "boolean" then
      error("pipeline text-generation: stream must be true or false, got " .. tostring(value), 3)
    end
    if key == "seed" and math.type(value) ~= "integer" then
      error("pipeline text-generation: seed must be a whole number, got " .. tostring(value), 3)
    end
  end
end

-- pipeline("text-generation", source, {device, stream, seed, max_new_tokens, do_sample,
--   temperature, top_k, top_p, eos_token_id, pad_token_id})
--   -> generate(text_or_texts, {stream, seed, max_new_tokens, ...})
hf.tasks["text-generation"] = function(source, options)
  checkTaskOptions(options, false)
  local folder = hf.resolve(source, { "*.json", "model.safetensors", "*.txt" })
  local model = hf.from_pretrained(folder, { device = options.device })
  if type(model.generate) ~= "function" then
    error(string.format("pipeline text-generation: %s cannot generate text", model.__name or "this model"), 3)
  end
  local tokenizer = hf.tokenizer(folder)
  local defaults = generationDefaults(folder, model)
  for _, key in ipairs(kGenerationKeys) do
    if options[key] ~= nil then defaults[key] = options[key] end
  end
  local streamDefault = options.stream ~= false
  local device = options.device
  local positions = model.settings.n_positions
  return function(texts, overrides)
    overrides = overrides or {}
    checkTaskOptions(overrides, true)
    local single = type(texts) == "string"
    if single then texts = { texts } end
    if type(texts) ~= "table" or #texts == 0 then
      error("pipeline text-generation: a text or an array of texts expected", 2)
    end
    local settings = {}
    for _, key in ipairs(kGenerationKeys) do
      if overrides[key] ~= nil then settings[key] = overrides[key] else settings[key] = defaults[key] end
    end
    local eos = settings.eos_token_id
    if math.type(eos) == "integer" then eos = { eos } end
    if type(eos) ~= "table" then eos = nil end
    local pad = settings.pad_token_id or (eos and eos[1]) or 0
    -- Left padding, so that every prompt ends where generation starts.
    local encoded, longest = {}, 0
    for i, text in ipairs(texts) do
      if type(text) ~= "string" then
        error(string.format("pipeline text-generation: text %d is a %s, not a string", i, type(text)), 2)
      end
      local ids = tokenizer:encode(text, nil, { add_special_tokens = false }).ids
      if #ids == 0 then
        local bos = model.settings.bos_token_id
        if math.type(bos) ~= "integer" then error("pipeline text-generation: text " .. i .. " has no tokens", 2) end
        ids = { bos }
      end
      encoded[i] = ids
      longest = math.max(longest, #ids)
    end
    -- A default length that would run past the model's positions is cut to fit.
    local chosen = overrides.max_new_tokens ~= nil or options.max_new_tokens ~= nil
    if not chosen and math.type(settings.max_new_tokens) == "integer" then
      settings.max_new_tokens = math.max(1, math.min(settings.max_new_tokens, positions - longest))
    end
    local rows, masks = {}, {}
    for i, ids in ipairs(encoded) do
      local row, m = {}, {}
      for j = 1, longest - #ids do row[j], m[j] = pad, 0 end
      for _, id in ipairs(ids) do row[#row + 1], m[#m + 1] = id, 1 end
      rows[i], masks[i] = row, m
    end
    local inputIds, mask = torch.tensor(rows), torch.tensor(masks)
    if device then inputIds, mask = inputIds:to(device), mask:to(device) end
    settings.attention_mask = mask
    local stream = overrides.stream
    if stream == nil then stream = streamDefault end
    local finish
    if stream and single then
      io.write(texts[1])
      settings.on_token, finish = streamer(tokenizer, eos)
    end
    local seed = overrides.seed or options.seed
    if seed then torch.manual_seed(seed) end
    local ids = model:generate(inputIds, settings)
    if finish then finish() end
    -- As transformers' pipeline: the prompt, then the new tokens decoded.
    local results = {}
    local new = ids:narrow(1, longest, ids:size(1) - longest):tolist()
    for i, text in ipairs(texts) do
      results[i] = { generated_text = text .. tokenizer:decode(new[i], { skip_special_tokens = true }) }
    end
    return single and results[1] or results
  end
end

return { GPT2Model = GPT2Model, GPT2LMHeadModel = GPT2LMHeadModel }
