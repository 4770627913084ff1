-- Text tasks on the heads of kiln/hf/*.lua, answering as transformers' pipelines
-- do: text-classification, token-classification, fill-mask and
-- zero-shot-classification. Each is pipeline(task, source, options) -> a
-- callable; the options given there are the defaults of every call's. Texts go
-- through the model in batches, under no_grad, cut to the model's length.
local hf = require("kiln.hf")
local tasks = hf.tasks

local kFiles = { "config.json", "model.safetensors", "tokenizer.json", "*.json" }

-- ---------------------------------------------------------------------------
-- Options

local function wholeFrom1(v) return math.type(v) == "integer" and v >= 1 end
local function oneOf(...)
  local allowed = {}
  for _, name in ipairs({ ... }) do allowed[name] = true end
  return function(v) return allowed[v] == true end
end
local function strings(v, allowEmpty)
  if type(v) ~= "table" or (#v == 0 and not allowEmpty) then return false end
  for key, item in pairs(v) do
    if math.type(key) ~= "integer" or type(item) ~= "string" then return false end
  end
  return true
end

local kOptions = {
  device = { function(v) return type(v) == "string" or type(v) == "userdata" end, "a device (\"cpu\", \"cuda\", ...)" },
  batch_size = { wholeFrom1, "a whole number from 1" },
  max_length = { wholeFrom1, "a whole number from 1" },
  top_k = { function(v) return wholeFrom1(v) or v == "all" end, "a whole number from 1, or \"all\"" },
  function_to_apply = { oneOf("softmax", "sigmoid", "none"), "\"softmax\", \"sigmoid\" or \"none\"" },
  aggregation = { oneOf("simple", "none", "first", "average", "max"),
    "\"simple\", \"none\", \"first\", \"average\" or \"max\"" },
  ignore_labels = { function(v) return strings(v, true) end, "an array of labels" },
  targets = { function(v) return type(v) == "string" or strings(v) end, "a token or an array of tokens" },
  hypothesis_template = { function(v) return type(v) == "string" and v:find("{}", 1, true) ~= nil end,
    "a string with {} where the label goes" },
  multi_label = { function(v) return type(v) == "boolean" end, "true or false" },
  candidate_labels = { function(v) return type(v) == "string" or strings(v) end,
    "a label, comma-separated labels or an array of labels" },
}
local kTaskOptions = {
  ["text-classification"] = { "device", "batch_size", "max_length", "top_k", "function_to_apply" },
  ["token-classification"] = { "device", "batch_size", "max_length", "aggregation", "ignore_labels" },
  ["fill-mask"] = { "device", "batch_size", "max_length", "top_k", "targets" },
  ["zero-shot-classification"] = { "device", "batch_size", "max_length", "top_k", "hypothesis_template", "multi_label",
    "candidate_labels" },
}

-- Error levels: `level` is the caller's (nil: none, as when a pipeline is made).
local function above(level) return level and level + 1 or 0 end

-- `options` checked against the task's, over `defaults`; the device is chosen
-- once, when the pipeline is made.
local function settings(task, options, defaults, level)
  local merged = {}
  for key, value in pairs(defaults or {}) do merged[key] = value end
  if options == nil then return merged end
  if type(options) ~= "table" then
    error(string.format("pipeline %s: options must be a table, got a %s", task, type(options)), above(level))
  end
  local accepted = {}
  for _, name in ipairs(kTaskOptions[task]) do
    if not (defaults and name == "device") then accepted[name] = true end
  end
  for key, value in pairs(options) do
    if not accepted[key] then
      local names = {}
      for _, name in ipairs(kTaskOptions[task]) do
        if accepted[name] then names[#names + 1] = name end
      end
      error(string.format("pipeline %s: unknown option '%s'%s; it takes %s", task, tostring(key),
        key == "device" and defaults and " in a call (the device is chosen when the pipeline is made)" or "",
        table.concat(names, ", ")), above(level))
    end
    local check, expected = kOptions[key][1], kOptions[key][2]
    if not check(value) then
      error(string.format("pipeline %s: %s must be %s, got %s", task, key, expected,
        type(value) == "string" and string.format("%q", value) or tostring(value)), above(level))
    end
    merged[key] = value
  end
  return merged
end

-- The texts of a call: one text (or {text, text_pair}) or an array of them;
-- each non-empty UTF-8.
local function textsOf(task, inputs, allowPairs, level)
  local list, single = inputs, false
  if type(inputs) == "string" or (allowPairs and type(inputs) == "table" and inputs.text ~= nil) then
    list, single = { inputs }, true
  elseif type(inputs) ~= "table" then
    error(string.format("pipeline %s: a text or an array of texts expected, got a %s", task, type(inputs)), above(level))
  end
  if #list == 0 then error(string.format("pipeline %s: no texts", task), above(level)) end
  local items = {}
  for i = 1, #list do
    local item = list[i]
    local text, pair = item, nil
    if allowPairs and type(item) == "table" then text, pair = item.text, item.text_pair end
    for _, part in ipairs({ { text }, pair ~= nil and { pair } or nil }) do
      local value = part[1]
      if type(value) ~= "string" then
        error(string.format("pipeline %s: text %d is a %s, not a string%s", task, i, type(value),
          allowPairs and " (or {text = , text_pair = })" or ""), above(level))
      end
      if value == "" then error(string.format("pipeline %s: text %d is empty", task, i), above(level)) end
      if not utf8.len(value) then error(string.format("pipeline %s: text %d is not valid UTF-8", task, i), above(level)) end
    end
    items[i] = { text = text, pair = pair }
  end
  return items, single
end

-- ---------------------------------------------------------------------------
-- Model and tokenizer

-- The folder's model with the task's head: the class config.json names when it
-- has that head, else the family's class with it. A checkpoint config.json says
-- has another head (a base model has no classifier) is refused here.
local function loadModel(task, folder, head, device)
  local config = hf.config(folder)
  local chosen, other
  if type(config.architectures) == "table" then
    for _, name in ipairs(config.architectures) do
      local class = hf.architectures[name]
      if class and class.model_type == config.model_type then
        if class.head == head then chosen = class break end
        other = other or name
      end
    end
  end
  if not chosen and other then
    error(string.format("pipeline %s: %s holds a %s, which has no %s head", task, folder, other, head), 0)
  end
  if not chosen then
    local names = {}
    for name, class in pairs(hf.architectures) do
      if class.model_type == config.model_type and class.head == head then names[#names + 1] = name end
    end
    table.sort(names)
    chosen = hf.architectures[names[1]]
    if not chosen then
      error(string.format("pipeline %s: Kiln has no %s head for model_type '%s'", task, head, config.model_type), 0)
    end
  end
  local model = torch.no_grad(function()
    local m = chosen(config)
    hf.load_weights(m, folder)
    return m
  end)
  model:eval()
  if device then model:to(device) end
  return model
end

local function readJson(path)
  local ok, value = pcall(json.load, path)
  if ok and type(value) == "table" then return value end
end

local function given(value)
  if value ~= nil and value ~= json.null then return value end
end

-- A special token as tokenizer_config.json gives it: a string or {content = }.
local function tokenText(value)
  if type(value) == "string" then return value end
  if type(value) == "table" and type(value.content) == "string" then return value.content end
end

-- transformers' pipelines override the truncation a tokenizer.json sets (all-MiniLM's
-- cuts at 128 tokens) and cut at the model's length; tok:encode keeps the file's,
-- so Kiln reads a copy of the file without it.
local function untruncated(path, spec)
  if not given(spec.truncation) then return tokenizers.from_file(path) end
  local file = assert(io.open(path, "rb"))
  local raw = file:read("a")
  file:close()
  local patched, count = raw:gsub('"truncation"%s*:%s*%b{}', '"truncation": null', 1)
  local ok, check = pcall(json.decode, patched)
  if count ~= 1 or not ok or given(check.truncation) then return tokenizers.from_file(path) end
  local copy = os.tmpname()
  file = assert(io.open(copy, "wb"))
  file:write(patched)
  file:close()
  local loaded, tokenizer = pcall(tokenizers.from_file, copy)
  os.remove(copy)
  if not loaded then error(tokenizer, 0) end
  return tokenizer
end

-- The tokenizer and what the tasks need to know of it, from the folder's files.
local function readTokenizer(task, folder)
  local path = folder .. "/tokenizer.json"
  local spec = readJson(path)
  if not spec then error(string.format("pipeline %s: %s has no readable tokenizer.json", task, folder), 0) end
  local tokenizer = untruncated(path, spec)
  local config = readJson(folder .. "/tokenizer_config.json") or {}
  local specialMap = readJson(folder .. "/special_tokens_map.json") or {}
  local model = type(spec.model) == "table" and spec.model or {}
  local decoder = type(spec.decoder) == "table" and spec.decoder or nil
  local info = {
    tokenizer = tokenizer,
    unk_id = type(model.unk_token) == "string" and tokenizer:token_to_id(model.unk_token) or nil,
    subword_prefix = type(given(model.continuing_subword_prefix)) == "string" and model.continuing_subword_prefix or nil,
    decoder = decoder,
    cleanup = config.clean_up_tokenization_spaces == true and model.type ~= "BPE",
  }
  local length = config.model_max_length
  if math.type(length) == "integer" and length >= 1 and length < 1 << 24 then info.max_length = length end
  local mask = tokenText(config.mask_token) or tokenText(specialMap.mask_token)
  if not mask then
    for _, candidate in ipairs({ "[MASK]", "<mask>" }) do
      if tokenizer:token_to_id(candidate) then mask = candidate break end
    end
  end
  info.mask_token = mask
  info.mask_id = mask and tokenizer:token_to_id(mask) or nil
  return info
end

-- What every text task starts with: its checked options, the model's folder
-- (fetched when a Hub name), the model with the task's head, and its tokenizer.
local function prepare(task, source, options, head)
  local defaults = settings(task, options)
  local folder = hf.resolve(source, kFiles)
  return defaults, folder, loadModel(task, folder, head, defaults.device), readTokenizer(task, folder)
end

-- Decoding as transformers' convert_tokens_to_string: the WordPiece decoder over
-- token strings (an unknown word keeps its text), else the tokenizer's decoder.
local kCleanups = { { " .", "." }, { " ?", "?" }, { " !", "!" }, { " ,", "," }, { " ' ", "'" }, { " n't", "n't" },
  { " 'm", "'m" }, { " do not", " don't" }, { " 's", "'s" }, { " 've", "'ve" }, { " 're", "'re" } }
local function replacePlain(s, from, to)
  return (s:gsub(from:gsub("%p", "%%%0"), (to:gsub("%%", "%%%%"))))
end
local function tokensToString(tk, tokens, ids)
  local decoder = tk.decoder
  if decoder and decoder.type == "WordPiece" then
    local prefix = type(decoder.prefix) == "string" and decoder.prefix or "##"
    local parts = {}
    for i, token in ipairs(tokens) do
      if i > 1 then
        if token:sub(1, #prefix) == prefix then token = token:sub(#prefix + 1) else token = " " .. token end
      end
      if decoder.cleanup ~= false then
        for _, rule in ipairs(kCleanups) do token = replacePlain(token, rule[1], rule[2]) end
      end
      parts[i] = token
    end
    return table.concat(parts)
  end
  if not decoder then return table.concat(tokens, " ") end
  return tk.tokenizer:decode(ids, { skip_special_tokens = false })
end

-- transformers' decode: the tokenizer's, then its clean-up of spaces when
-- tokenizer_config.json asks for it (never for BPE).
local function decode(tk, ids, skipSpecial)
  local text = tk.tokenizer:decode(ids, { skip_special_tokens = skipSpecial })
  if tk.cleanup then
    for i, rule in ipairs(kCleanups) do
      if i ~= 8 then text = replacePlain(text, rule[1], rule[2]) end  -- not "do not"
    end
  end
  return text
end

-- ---------------------------------------------------------------------------
-- Encoding and batches

local kFields = { "ids", "type_ids", "attention_mask", "special_tokens_mask", "offsets", "tokens" }

-- The encoding's positions for which keep(i) holds (decided before any field changes).
local function keepOnly(encoding, keep)
  local kept = {}
  for i = 1, #encoding.ids do kept[i] = keep(i) end
  for _, field in ipairs(kFields) do
    local old, new = encoding[field], {}
    for i = 1, #old do
      if kept[i] then new[#new + 1] = old[i] end
    end
    encoding[field] = new
  end
end

-- One text (or pair) as the model sees it: the file's padding dropped, and at
-- most `limit` tokens, cut from the end of the first text as transformers'
-- "only_first" truncation cuts.
local function encode(task, tk, item, limit, index, level)
  local tokenizer = tk.tokenizer
  local e = item.pair and tokenizer:encode(item.text, item.pair) or tokenizer:encode(item.text)
  keepOnly(e, function(i) return e.attention_mask[i] == 1 end)
  local excess = #e.ids - limit
  if excess <= 0 then return e end
  -- The first text's tokens sit after the template's leading special tokens.
  local plain = tokenizer:encode(item.text, { add_special_tokens = false })
  keepOnly(plain, function(i) return plain.attention_mask[i] == 1 end)
  local n, start = #plain.ids, nil
  for s = 0, #e.ids - n do
    local same = true
    for i = 1, n do
      if e.ids[s + i] ~= plain.ids[i] then same = false break end
    end
    if same then start = s break end
  end
  if not start or excess >= n then
    error(string.format("pipeline %s: input %d does not fit in %d tokens even with its text cut", task, index, limit),
      above(level))
  end
  local from, to = start + n - excess + 1, start + n
  keepOnly(e, function(i) return i < from or i > to end)
  e.cut = true
  return e
end

local function tokenLimit(model, tk, options)
  local limit = model.max_tokens or model.config.max_position_embeddings or 512
  if tk.max_length then limit = math.min(limit, tk.max_length) end
  if options.max_length then limit = math.min(limit, options.max_length) end
  return limit
end

-- The id padding gets: the model's pad_token_id (RoBERTa's positions skip it).
local function padId(model)
  local pad = given(model.config.pad_token_id)
  return math.type(pad) == "integer" and pad or 0
end

-- Runs the model over the encodings in batches; `pick(logits, encoding, i)` keeps
-- what the task needs of each row's logits (float32, on the CPU).
local function runBatches(model, encodings, options, pick)
  local results, size = {}, options.batch_size or 32
  local pad, device = padId(model), options.device
  torch.no_grad(function()
    for first = 1, #encodings, size do
      local last = math.min(#encodings, first + size - 1)
      local width = 0
      for i = first, last do width = math.max(width, #encodings[i].ids) end
      local ids, mask, types = {}, {}, {}
      for i = first, last do
        local e, idRow, maskRow, typeRow = encodings[i], {}, {}, {}
        for j = 1, width do
          idRow[j], maskRow[j], typeRow[j] = e.ids[j] or pad, e.ids[j] and 1 or 0, e.type_ids[j] or 0
        end
        ids[#ids + 1], mask[#mask + 1], types[#types + 1] = idRow, maskRow, typeRow
      end
      local inputs = { attention_mask = torch.tensor(mask, { dtype = torch.int64 }) }
      ids = torch.tensor(ids, { dtype = torch.int64 })
      if model.uses_token_types then inputs.token_type_ids = torch.tensor(types, { dtype = torch.int64 }) end
      if device then
        ids = ids:to(device)
        for key, tensor in pairs(inputs) do inputs[key] = tensor:to(device) end
      end
      local logits = model(ids, inputs).logits:float():cpu()
      for i = first, last do results[i] = pick(logits[i - first], encodings[i], i) end
    end
  end)
  return results
end

-- Index of the largest value, the first of equals (numpy's argmax).
local function argmax(values)
  local best = 1
  for i = 2, #values do
    if values[i] > values[best] then best = i end
  end
  return best
end

local function labelsOf(config, count)
  local names = {}
  for i = 1, count do names[i] = hf.label(config, i - 1) end
  return names
end

-- ---------------------------------------------------------------------------
-- text-classification: text(s) -> {label, score}; with top_k above 1 or "all",
-- the best labels first.

tasks["text-classification"] = function(source, options)
  local task = "text-classification"
  local defaults, folder, model, tk = prepare(task, source, options, "sequence-classification")
  local config = model.config
  local labels = labelsOf(config, model.num_labels)
  -- transformers' choice: none for regression, sigmoid for multi-label or one
  -- label, else softmax.
  local problem = given(config.problem_type)
  local default = "softmax"
  if problem == "regression" then
    default = "none"
  elseif problem == "multi_label_classification" or model.num_labels == 1 then
    default = "sigmoid"
  end
  return function(inputs, callOptions)
    local o = settings(task, callOptions, defaults, 2)
    local items, single = textsOf(task, inputs, true, 2)
    local limit = tokenLimit(model, tk, o)
    local encodings = {}
    for i, item in ipairs(items) do encodings[i] = encode(task, tk, item, limit, i, 2) end
    local apply = o.function_to_apply or default
    local rows = runBatches(model, encodings, o, function(logits)
      if apply == "softmax" then return F.softmax(logits, -1):tolist() end
      if apply == "sigmoid" then return logits:sigmoid():tolist() end
      return logits:tolist()
    end)
    local k = o.top_k or 1
    local results = {}
    for i, scores in ipairs(rows) do
      if k == 1 then
        local best = argmax(scores)
        results[i] = { label = labels[best], score = scores[best] }
      else
        local order = {}
        for j = 1, #scores do order[j] = j end
        table.sort(order, function(a, b)
          if scores[a] ~= scores[b] then return scores[a] > scores[b] end
          return a < b
        end)
        local records = {}
        for j = 1, (k == "all" and #order or math.min(k, #order)) do
          records[j] = { label = labels[order[j]], score = scores[order[j]] }
        end
        results[i] = records
      end
    end
    return single and results[1] or results
  end
end

-- ---------------------------------------------------------------------------
-- token-classification: text(s) -> entities. start and stop are byte offsets
-- into the UTF-8 text, from 0, so that text:sub(start + 1, stop) is the entity's
-- text as Python's text[start:end] is: transformers counts characters, and Lua's
-- strings index bytes.

-- Byte offset of each code point of `text`, from 0; [count] is #text.
local function bytePositions(text)
  local positions, count = {}, 0
  for position in utf8.codes(text) do
    positions[count] = position - 1
    count = count + 1
  end
  positions[count] = #text
  return positions, count
end

-- "B-PER" -> "B", "PER"; a label without B-/I- is an inside tag of its own.
local function tagOf(label)
  local bi, tag = label:match("^([BI])%-(.*)$")
  if bi then return bi, tag end
  return "I", label
end

tasks["token-classification"] = function(source, options)
  local task = "token-classification"
  local defaults, folder, model, tk = prepare(task, source, options, "token-classification")
  local labels = labelsOf(model.config, model.num_labels)

  -- Tokens and words carry their token strings and ids, for decoding a group.
  local function wordOf(parts)
    local tokens, ids = {}, {}
    for _, part in ipairs(parts) do
      tokens[#tokens + 1] = part.word
      for _, id in ipairs(part.ids) do ids[#ids + 1] = id end
    end
    return tokensToString(tk, tokens, ids)
  end
  -- transformers' aggregate_word: one label for a word's tokens.
  local function aggregateWord(group, strategy)
    local scores
    if strategy == "first" then
      scores = group[1].scores
    elseif strategy == "max" then
      local best, bestScore = group[1], -math.huge
      for _, token in ipairs(group) do
        local top = token.scores[argmax(token.scores)]
        if top > bestScore then best, bestScore = token, top end
      end
      scores = best.scores
    else
      scores = {}
      for j = 1, #group[1].scores do
        local sum = 0
        for _, token in ipairs(group) do sum = sum + token.scores[j] end
        scores[j] = sum / #group
      end
    end
    local best = argmax(scores)
    local ids = {}
    for _, token in ipairs(group) do ids[#ids + 1] = token.ids[1] end
    return { entity = labels[best], score = scores[best], word = wordOf(group), ids = ids, start = group[1].start,
      stop = group[#group].stop }
  end
  -- transformers' group_sub_entities: adjacent tokens of one entity as one.
  local function groupOf(entities)
    local sum = 0
    for _, entity in ipairs(entities) do sum = sum + entity.score end
    local first = entities[1].entity
    return { entity_group = first:match("^[^-]*%-(.*)$") or first, score = sum / #entities, word = wordOf(entities),
      start = entities[1].start, stop = entities[#entities].stop }
  end
  -- transformers' group_entities: a B- tag, or a change of tag, starts an entity.
  local function grouped(entities, ignored)
    local found, pending = {}, {}
    local function flush()
      if #pending == 0 then return end
      local group = groupOf(pending)
      if not ignored[group.entity_group] then found[#found + 1] = group end
    end
    for _, entity in ipairs(entities) do
      local bi, tag = tagOf(entity.entity)
      if #pending > 0 and tag == select(2, tagOf(pending[#pending].entity)) and bi ~= "B" then
        pending[#pending + 1] = entity
      else
        flush()
        pending = { entity }
      end
    end
    flush()
    return found
  end

  return function(inputs, callOptions)
    local o = settings(task, callOptions, defaults, 2)
    local items, single = textsOf(task, inputs, false, 2)
    local strategy = o.aggregation or "simple"
    local ignored = {}
    for _, label in ipairs(o.ignore_labels or { "O" }) do ignored[label] = true end
    local limit = tokenLimit(model, tk, o)
    local encodings = {}
    for i, item in ipairs(items) do encodings[i] = encode(task, tk, item, limit, i, 2) end
    local rows = runBatches(model, encodings, o, function(logits, e)
      return F.softmax(logits:narrow(0, 0, #e.ids), -1):tolist()
    end)
    local results = {}
    for i, e in ipairs(encodings) do
      local text = items[i].text
      local positions, count = bytePositions(text)
      -- transformers' gather_pre_entities: the tokens that are not special, and
      -- whether each continues a word.
      local tokens = {}
      for index = 1, #e.ids do
        if e.special_tokens_mask[index] == 0 then
          local s, t = e.offsets[index][1], e.offsets[index][2]
          local start, stop = positions[s] or #text, positions[t] or #text
          local word, subword = e.tokens[index], false
          if tk.subword_prefix then
            subword = utf8.len(word) ~= t - s
          elseif s > 0 then
            subword = not text:sub(positions[s - 1] + 1, positions[math.min(s + 1, count)]):find(" ", 1, true)
          end
          if e.ids[index] == tk.unk_id then word, subword = text:sub(start + 1, stop), false end
          tokens[#tokens + 1] = { word = word, ids = { e.ids[index] }, scores = rows[i][index], start = start,
            stop = stop, index = index - 1, subword = subword }
        end
      end
      local entities = {}
      if strategy == "none" or strategy == "simple" then
        for _, token in ipairs(tokens) do
          local best = argmax(token.scores)
          entities[#entities + 1] = { entity = labels[best], score = token.scores[best], index = token.index,
            word = token.word, ids = token.ids, start = token.start, stop = token.stop }
        end
      else
        local group
        for _, token in ipairs(tokens) do
          if group and token.subword then
            group[#group + 1] = token
          else
            if group then entities[#entities + 1] = aggregateWord(group, strategy) end
            group = { token }
          end
        end
        if group then entities[#entities + 1] = aggregateWord(group, strategy) end
      end
      if strategy == "none" then
        local found = {}
        for _, entity in ipairs(entities) do
          if not ignored[entity.entity] then
            found[#found + 1] = { entity = entity.entity, score = entity.score, index = entity.index, word = entity.word,
              start = entity.start, stop = entity.stop }
          end
        end
        results[i] = found
      else
        results[i] = grouped(entities, ignored)
      end
    end
    return single and results[1] or results
  end
end

-- ---------------------------------------------------------------------------
-- fill-mask: text(s) with the tokenizer's mask token -> the top_k (5) fillings
-- {score, token, token_str, sequence}; a text with several masks gives a list
-- per mask.

tasks["fill-mask"] = function(source, options)
  local task = "fill-mask"
  local defaults, folder, model, tk = prepare(task, source, options, "fill-mask")
  if not tk.mask_id then error(string.format("pipeline fill-mask: %s's tokenizer has no mask token", folder), 0) end
  local pad = padId(model)

  -- transformers' get_target_ids: a token of the vocabulary, else the first token of the word.
  local function targetIds(targets)
    if type(targets) == "string" then targets = { targets } end
    local ids, seen = {}, {}
    for _, target in ipairs(targets) do
      local id = tk.tokenizer:token_to_id(target)
      if not id then
        local e = tk.tokenizer:encode(target, { add_special_tokens = false })
        id = e.attention_mask[1] == 1 and e.ids[1] or nil
      end
      if id and not seen[id] then ids[#ids + 1], seen[id] = id, true end
    end
    if #ids == 0 then error("pipeline fill-mask: none of the targets is in the vocabulary", 3) end
    return ids
  end

  return function(inputs, callOptions)
    local o = settings(task, callOptions, defaults, 2)
    local items, single = textsOf(task, inputs, false, 2)
    local limit = tokenLimit(model, tk, o)
    local targets = o.targets and targetIds(o.targets)
    local targetTensor = targets and torch.tensor(targets, { dtype = torch.int64 })
    local k = o.top_k or 5
    if k == "all" then error("pipeline fill-mask: top_k must be a whole number from 1, got \"all\"", 2) end
    if targets then k = math.min(k, #targets) end
    local encodings, masks = {}, {}
    for i, item in ipairs(items) do
      encodings[i] = encode(task, tk, item, limit, i, 2)
      local positions = {}
      for j, id in ipairs(encodings[i].ids) do
        if id == tk.mask_id then positions[#positions + 1] = j - 1 end
      end
      if #positions == 0 then
        error(string.format(encodings[i].cut and "pipeline fill-mask: text %d's mask token (%s) lies past the %d tokens "
          .. "the model takes" or "pipeline fill-mask: text %d has no mask token (%s)", i, tk.mask_token, limit), 2)
      end
      masks[i] = positions
    end
    local picked = runBatches(model, encodings, o, function(logits, _, index)
      local probs = F.softmax(logits:index_select(0, torch.tensor(masks[index], { dtype = torch.int64 })), -1)
      if targetTensor then probs = probs:index_select(1, targetTensor) end
      local values, ids = probs:topk(k, -1)
      return { values:tolist(), ids:tolist() }
    end)
    local results = {}
    for i, e in ipairs(encodings) do
      local values, predictions = picked[i][1], picked[i][2]
      local oneMask = #masks[i] == 1
      local perMask = {}
      for m, position in ipairs(masks[i]) do
        local row = {}
        for r = 1, #values[m] do
          local token = predictions[m][r]
          if targets then token = targets[token + 1] end
          local tokens = {}
          for j, id in ipairs(e.ids) do
            if j - 1 == position then id = token end
            if id ~= pad then tokens[#tokens + 1] = id end
          end
          row[r] = { score = values[m][r], token = token, token_str = decode(tk, { token }, false),
            sequence = decode(tk, tokens, oneMask) }
        end
        perMask[m] = row
      end
      results[i] = oneMask and perMask[1] or perMask
    end
    return single and results[1] or results
  end
end

-- ---------------------------------------------------------------------------
-- zero-shot-classification: (text(s), candidate_labels, {hypothesis_template,
-- multi_label}) -> {sequence, labels, scores}, the likeliest label first, with an
-- NLI model: each label becomes a hypothesis, and its entailment logit its score.

-- The entailment class: the first label (by id) that starts with "entail", any case.
local function entailmentIndex(config, count)
  for i = 0, count - 1 do
    if hf.label(config, i):lower():find("^entail") then return i end
  end
  if type(config.label2id) == "table" then
    for label, id in pairs(config.label2id) do
      if type(label) == "string" and label:lower():find("^entail") and math.type(id) == "integer" then return id end
    end
  end
end

tasks["zero-shot-classification"] = function(source, options)
  local task = "zero-shot-classification"
  local defaults, folder, model, tk = prepare(task, source, options, "sequence-classification")
  local count = model.num_labels
  local entail = entailmentIndex(model.config, count)
  if not entail or entail >= count then
    error(string.format("pipeline zero-shot-classification: %s has no entailment label in config.json's id2label "
      .. "(an NLI model is needed)", folder), 0)
  end
  local contradiction = entail == 0 and count - 1 or 0

  return function(inputs, candidates, callOptions)
    -- (texts, {options}) with candidate_labels among them, as transformers allows.
    if callOptions == nil and type(candidates) == "table" and #candidates == 0 and next(candidates) ~= nil then
      candidates, callOptions = nil, candidates
    end
    local o = settings(task, callOptions, defaults, 2)
    local items, single = textsOf(task, inputs, false, 2)
    candidates = candidates or o.candidate_labels
    if candidates == nil or (type(candidates) == "table" and next(candidates) == nil) then
      error("pipeline zero-shot-classification: no candidate labels", 2)
    end
    if not kOptions.candidate_labels[1](candidates) then
      error("pipeline zero-shot-classification: candidate_labels must be " .. kOptions.candidate_labels[2], 2)
    end
    local labels = {}
    if type(candidates) == "string" then
      for part in candidates:gmatch("[^,]+") do
        local label = part:match("^%s*(.-)%s*$")
        if label ~= "" then labels[#labels + 1] = label end
      end
    elseif candidates then
      labels = candidates
    end
    if #labels == 0 then error("pipeline zero-shot-classification: no candidate labels", 2) end
    local template = o.hypothesis_template or "This example is {}."
    local limit = tokenLimit(model, tk, o)
    local encodings = {}
    for i, item in ipairs(items) do
      for j, label in ipairs(labels) do
        local hypothesis = replacePlain(template, "{}", label)
        encodings[#encodings + 1] = encode(task, tk, { text = item.text, pair = hypothesis }, limit, i, 2)
      end
    end
    local rows = runBatches(model, encodings, o, function(logits) return logits:tolist() end)
    local independent = o.multi_label or #labels == 1
    local results = {}
    for i, item in ipairs(items) do
      local scores = {}
      local base = (i - 1) * #labels
      if independent then
        -- each label alone: softmax over its [contradiction, entailment] logits
        for j = 1, #labels do
          local row = rows[base + j]
          local pair = F.softmax(torch.tensor({ row[contradiction + 1], row[entail + 1] }), -1):tolist()
          scores[j] = pair[2]
        end
      else
        local logits = {}
        for j = 1, #labels do logits[j] = rows[base + j][entail + 1] end
        scores = F.softmax(torch.tensor(logits), -1):tolist()
      end
      -- numpy's reversed argsort: the later of equal scores first
      local order = {}
      for j = 1, #labels do order[j] = j end
      table.sort(order, function(a, b)
        if scores[a] ~= scores[b] then return scores[a] > scores[b] end
        return a > b
      end)
      local k = (o.top_k == nil or o.top_k == "all") and #order or math.min(o.top_k, #order)
      local result = { sequence = item.text, labels = {}, scores = {} }
      for r = 1, k do
        result.labels[r], result.scores[r] = labels[order[r]], scores[order[r]]
      end
      results[i] = result
    end
    return single and results[1] or results
  end
end

return tasks
