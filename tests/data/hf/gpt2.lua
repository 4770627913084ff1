-- GPT-2 against transformers' (tests/data/hf/gpt2.py): logits and hidden states
-- on a left-padded batch, the key-value cache, greedy generation (with an eos that
-- stops one row), seeded sampling, sampling's properties, the text-generation
-- task's texts and stream, and the argument checks.
local ref = torch.load(folder .. "/reference.pt")
local model = hf.from_pretrained(folder)
assert(model.__name == "GPT2LMHeadModel", "from_pretrained built " .. tostring(model.__name))
assert(not model.training, "from_pretrained left the model in training mode")
assert(model.lm_head.weight == model.transformer.wte.weight, "lm_head is not tied to wte")
local ids, mask = ref.input_ids, ref.attention_mask
local keep = mask:unsqueeze(-1):to(torch.float32)
local function maxDiff(a, b, m) return ((a - b) * (m or 1)):abs():max():item() end
local function check(name, diff, limit)
  if diff > limit then error(string.format("GPT-2 differs from transformers: %s by %.3g", name, diff)) end
  return diff
end

local _ <close> = torch.no_grad()
-- Logits on the padded batch (padded places are not compared).
local out = model(ids, { attention_mask = mask })
local logits = check("logits", maxDiff(out.logits, ref.logits, keep), 1e-4)
assert(#out.past_key_values == 2 and tostring(out.past_key_values[1][1].shape) == "torch.Size([2, 4, 8, 8])",
  "past_key_values are not one {key, value} [2, 4, 8, 8] per layer")

-- The base model, from the same checkpoint.
local base = hf.from_pretrained(folder, { architecture = "GPT2Model" })
local baseHidden = base(ids, { attention_mask = mask }).last_hidden_state
local hidden = check("hidden states", maxDiff(baseHidden, ref.hidden, keep), 1e-4)

-- A base checkpoint named as openai-community/gpt2's loads into the LM, tied.
local fromBase = hf.from_pretrained(folder .. "/base")
check("logits from a base checkpoint", maxDiff(fromBase(ids, { attention_mask = mask }).logits, ref.logits, keep), 1e-4)

-- The cache: 5 tokens, then one at a time, against the whole batch at once.
local first = model(ids:narrow(1, 0, 5), { attention_mask = mask:narrow(1, 0, 5) })
local parts, past = { first.logits }, first.past_key_values
for i = 5, 7 do
  local step = model(ids:narrow(1, i, 1), { attention_mask = mask:narrow(1, 0, i + 1), past_key_values = past })
  parts[#parts + 1], past = step.logits, step.past_key_values
end
local cached = check("logits with past_key_values", maxDiff(torch.cat(parts, 1), ref.logits, keep), 1e-4)
-- Several new tokens after a past (the causal mask offset), no padding.
local row = ids:narrow(0, 0, 1)
local head = model(row:narrow(1, 0, 3))
local tail = model(row:narrow(1, 3, 5), { past_key_values = head.past_key_values })
check("logits of 5 tokens after 3 cached", maxDiff(tail.logits, ref.logits:narrow(0, 0, 1):narrow(1, 3, 5)), 1e-4)
assert(model(row, { use_cache = false }).past_key_values == nil, "use_cache = false still returned a cache")

-- Greedy generation: the same ids.
local function same(name, got, want)
  if not (got.shape == want.shape and got:equal(want)) then
    error(string.format("GPT-2 %s differs from transformers': %s, expected %s", name, tostring(got), tostring(want)))
  end
end
same("greedy generation", model:generate(ids, { attention_mask = mask, max_new_tokens = 12, eos_token_id = {},
  pad_token_id = 0 }), ref.greedy)
same("greedy generation (one prompt)", model:generate(ref.prompt, { max_new_tokens = 12, eos_token_id = {} }),
  ref.greedy_single)
local eos = ref.eos:item()
local streamed = {}
same("greedy generation with eos", model:generate(ids, { attention_mask = mask, max_new_tokens = 12,
  eos_token_id = eos, pad_token_id = 1, on_token = function(t) streamed[#streamed + 1] = t end }), ref.greedy_eos)
assert(#streamed == 12, "on_token was called " .. #streamed .. " times for 12 new tokens")
for step, t in ipairs(streamed) do same("on_token's ids", t, ref.greedy_eos:select(1, 7 + step)) end
-- A batch whose rows have all finished stops before max_new_tokens.
local length = 8
repeat length = length + 1 until ref.greedy_eos[0][length - 1]:item() == eos
local stopped = model:generate(ids:narrow(0, 0, 1), { max_new_tokens = 12, eos_token_id = eos })
same("generation stopped at eos", stopped, ref.greedy_eos:narrow(0, 0, 1):narrow(1, 0, length))

-- Seeded sampling: libtorch draws as PyTorch does, so the same seed gives the same ids.
torch.manual_seed(1234)
same("sampling (seed 1234)", model:generate(ids, { attention_mask = mask, max_new_tokens = 12, do_sample = true,
  temperature = 0.8, top_k = 20, top_p = 0.9, eos_token_id = {}, pad_token_id = 0 }), ref.sampled)
torch.manual_seed(99)
same("sampling with transformers' defaults (top_k 50)", model:generate(ref.prompt, { max_new_tokens = 12,
  do_sample = true, eos_token_id = {} }), ref.sampled_default)

-- Sampling's properties: top_k = 1 is greedy; every sampled token is in the top k.
same("top_k = 1 sampling", model:generate(ids, { attention_mask = mask, max_new_tokens = 12, do_sample = true,
  top_k = 1, eos_token_id = {}, pad_token_id = 0 }), ref.greedy)
for _, seed in ipairs({ 1, 2, 3 }) do
  torch.manual_seed(seed)
  local sampled = model:generate(ids, { attention_mask = mask, max_new_tokens = 12, do_sample = true, top_k = 3,
    temperature = 2.0, eos_token_id = {} })
  local full = torch.cat({ mask, torch.ones(2, 12, { dtype = torch.int64 }) }, 1)
  local all = model(sampled, { attention_mask = full }).logits:narrow(1, 7, 12)
  local _, top = all:topk(3)
  local chosen = sampled:narrow(1, 8, 12):unsqueeze(-1)
  assert(top:eq(chosen):any(-1):all():item(), "a token sampled with top_k = 3 is not among the 3 likeliest")
end
local _, nucleus = model(ref.prompt).logits:select(1, -1):topk(1)
torch.manual_seed(5)
local tiny = model:generate(ref.prompt, { max_new_tokens = 1, do_sample = true, top_p = 1e-6, eos_token_id = {} })
assert(tiny[0][-1]:item() == nucleus:item(), "top_p near 0 did not keep only the likeliest token")

-- The text-generation task: transformers' pipeline texts, one text and a batch
-- (left-padded here, one at a time there), and the streamed text.
local generator = pipeline("text-generation", folder, { do_sample = false, max_new_tokens = 8 })
local write, written = io.write, {}
io.write = function(...) for _, s in ipairs({ ... }) do written[#written + 1] = s end end
local ok, one = pcall(generator, "the cat sat on the mat")
io.write = write
if not ok then error(one, 0) end
if one.generated_text ~= ref.texts[1] then
  error(string.format("text-generation gave '%s', transformers '%s'", one.generated_text, ref.texts[1]))
end
local shown = table.concat(written)
if shown ~= ref.texts[1] .. "\n" then error(string.format("text-generation streamed '%s'", shown)) end
local several = generator({ "the cat sat on the mat", "a big red dog ran home to the sea and" }, { stream = false })
for i, result in ipairs(several) do
  if result.generated_text ~= ref.texts[i] then
    error(string.format("text-generation gave '%s' for text %d, transformers '%s'", result.generated_text, i,
      ref.texts[i]))
  end
end

-- GPT-2's byte-level BPE: the same text, and the stream holds back cut characters.
local bpe = pipeline("text-generation", folder .. "/bpe", { do_sample = false, max_new_tokens = 10 })
written = {}
io.write = function(...) for _, s in ipairs({ ... }) do written[#written + 1] = s end end
ok, one = pcall(bpe, "the café 🙂")
io.write = write
if not ok then error(one, 0) end
if one.generated_text ~= ref.bpe_text then
  error(string.format("text-generation (byte-level BPE) gave '%s', transformers '%s'", one.generated_text,
    ref.bpe_text))
end
if table.concat(written) ~= ref.bpe_text .. "\n" then
  error(string.format("text-generation (byte-level BPE) streamed '%s'", table.concat(written)))
end

-- A seed makes sampling repeat; unknown options are refused.
local sampler = pipeline("text-generation", folder, { max_new_tokens = 8, stream = false, seed = 7 })
local first, again = sampler("the cat"), sampler("the cat")
assert(first.generated_text == again.generated_text, "the same seed sampled different texts")

-- One-line errors for arguments out of range.
local function refuses(pattern, fn)
  local ok, message = pcall(fn)
  if ok then error("accepted what it should refuse (" .. pattern .. ")") end
  message = tostring(message)
  if not message:find(pattern, 1, true) or message:find("\n") then
    error("unexpected error for " .. pattern .. ": " .. message)
  end
end
refuses("temperature", function() model:generate(ids, { do_sample = true, temperature = 0 }) end)
refuses("top_p", function() model:generate(ids, { do_sample = true, top_p = 1.5 }) end)
refuses("top_k", function() model:generate(ids, { do_sample = true, top_k = -1 }) end)
refuses("max_new_tokens", function() model:generate(ids, { max_new_tokens = 0 }) end)
refuses("n_positions", function() model:generate(ids, { max_new_tokens = 60 }) end)
refuses("attention_mask", function() model:generate(ids, { attention_mask = torch.ones(2, 3) }) end)
refuses("outside the vocabulary", function() model(torch.tensor({ { 1, 97 } })) end)
refuses("input_ids", function() model(torch.tensor({ 1, 2 })) end)
refuses("unknown option 'top_n'", function() pipeline("text-generation", folder, { top_n = 3 }) end)
refuses("the device is chosen", function() generator("the cat", { device = "cpu" }) end)
refuses("activation_function", function()
  hf.GPT2Model({ model_type = "gpt2", n_embd = 8, n_head = 2, n_layer = 1, vocab_size = 10, n_positions = 8,
    activation_function = "swiglu" })
end)

return string.format("ok: logits %.3g, hidden %.3g, cached %.3g; greedy, eos, seeded sampling and "
  .. "text-generation identical; %d parameters", logits, hidden, cached, model:num_parameters())
