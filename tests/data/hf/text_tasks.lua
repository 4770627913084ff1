-- Kiln's text tasks against transformers' pipelines (tests/data/hf/text_tasks.py)
-- on the same texts: the same labels, entity spans (in bytes here) and fill-mask
-- tokens, scores within 1e-4; then the one-line refusals. Options that only some
-- tasks take are given in calls, or to hf.tasks[task] directly, since pipeline()
-- checks its options against the API page's list before the task does.
local ref = json.load(folder .. "/reference.json")
local texts = ref.texts
local worst, compared = 0, 0

local function fail(what, message) error(what .. ": " .. message, 0) end
local function score(what, got, want)
  if type(got) ~= "number" then fail(what, "no score") end
  local difference = math.abs(got - want)
  if difference > 1e-4 then fail(what, string.format("score %.6f, transformers %.6f", got, want)) end
  worst, compared = math.max(worst, difference), compared + 1
end
local function same(what, got, want)
  if got ~= want then fail(what, string.format("%s, transformers %s", tostring(got), tostring(want))) end
end
local function count(what, got, want)
  if type(got) ~= "table" then fail(what, "a " .. type(got) .. ", not a list") end
  same(what .. " count", #got, #want)
end

-- {label, score} records, in transformers' order.
local function labels(what, got, want)
  count(what, got, want)
  for i = 1, #want do
    same(what .. " label " .. i, got[i].label, want[i].label)
    score(what .. " " .. i, got[i].score, want[i].score)
  end
end

-- text-classification -------------------------------------------------------
local clf = pipeline("text-classification", folder .. "/sentiment")
local one = clf(texts[1])
labels("one text", { one }, ref.classify_one)
labels("texts", clf(texts), ref.classify_many)
labels("batches of 2", pipeline("text-classification", folder .. "/sentiment", { batch_size = 2 })(texts),
  ref.classify_many)
local top2 = clf(texts, { top_k = 2 })
for i = 1, #texts do labels("top_k 2, text " .. i, top2[i], ref.classify_top2[i]) end
labels("top_k all", clf(texts[2], { top_k = "all" }), ref.classify_all)
labels("sigmoid", clf(texts, { function_to_apply = "sigmoid" }), ref.classify_sigmoid)
labels("text pair", clf({ text = texts[1], text_pair = texts[2] }, { top_k = "all" }), ref.classify_pair)
local multi = hf.tasks["text-classification"](folder .. "/multilabel", { top_k = "all" })(texts)
for i = 1, #texts do labels("multi-label (sigmoid), text " .. i, multi[i], ref.multilabel[i]) end

-- token-classification ------------------------------------------------------
local ner = pipeline("token-classification", folder .. "/ner")
local nerTexts = { table.unpack(texts) }
nerTexts[#nerTexts + 1] = ref.long_text
nerTexts[#nerTexts + 1] = ref.longer_text
local function entities(what, got, want, grouped)
  count(what, got, want)
  for i = 1, #want do
    local g, w = got[i], want[i]
    local where = what .. " entity " .. i
    same(where .. (grouped and " entity_group" or " entity"), g[grouped and "entity_group" or "entity"],
      w[grouped and "entity_group" or "entity"])
    same(where .. " word", g.word, w.word)
    same(where .. " start", g.start, w.start)
    same(where .. " stop", g.stop, w["end"])
    if not grouped then same(where .. " index", g.index, w.index) end
    score(where, g.score, w.score)
  end
end
local default = ner(nerTexts)
for _, strategy in ipairs({ "simple", "none", "first", "average", "max" }) do
  local got = ner(nerTexts, { aggregation = strategy })
  for i = 1, #nerTexts do
    entities(strategy .. ", text " .. i, got[i], ref["ner_" .. strategy][i], strategy ~= "none")
  end
end
for i = 1, #nerTexts do entities("default (simple), text " .. i, default[i], ref.ner_simple[i], true) end
local spans = ner(texts[3], { ignore_labels = {} })
entities("ignore_labels {}", spans, ref.ner_all_labels, true)
-- Byte offsets slice the text: "Kraków" is 7 bytes.
local found = false
for _, entity in ipairs(spans) do
  if entity.word == "krakow" then found = texts[3]:sub(entity.start + 1, entity.stop) == "Kraków" end
end
assert(found, "the span of 'krakow' does not slice 'Kraków' out of the text")

-- fill-mask -----------------------------------------------------------------
local function fillings(what, got, want)
  count(what, got, want)
  for i = 1, #want do
    same(what .. " " .. i .. " token", got[i].token, want[i].token)
    same(what .. " " .. i .. " token_str", got[i].token_str, want[i].token_str)
    same(what .. " " .. i .. " sequence", got[i].sequence, want[i].sequence)
    score(what .. " " .. i, got[i].score, want[i].score)
  end
end
local fill = pipeline("fill-mask", folder .. "/mlm")
local filled = fill(ref.masked)
fillings("fill-mask 1", filled[1], ref.fill[1])
fillings("fill-mask 2", filled[2], ref.fill[2])
count("two masks", filled[3], ref.fill[3])
fillings("two masks, first", filled[3][1], ref.fill[3][1])
fillings("two masks, second", filled[3][2], ref.fill[3][2])
fillings("top_k 3", fill(ref.masked[2], { top_k = 3 }), ref.fill_one)
fillings("targets", fill(ref.masked[1], { targets = { "good", "fast", "kilnish" } }), ref.fill_targets)
fillings("DistilBERT", pipeline("fill-mask", folder .. "/distil_mlm")(ref.masked[2]), ref.fill_distil)

-- zero-shot-classification ----------------------------------------------------
local function ranked(what, got, want)
  same(what .. " sequence", got.sequence, want.sequence)
  count(what, got.labels, want.labels)
  for i = 1, #want.labels do
    same(what .. " label " .. i, got.labels[i], want.labels[i])
    score(what .. " " .. i, got.scores[i], want.scores[i])
  end
end
local zs = pipeline("zero-shot-classification", folder .. "/nli")
local shots = zs(texts, ref.candidates)
for i = 1, #texts do ranked("zero-shot, text " .. i, shots[i], ref.zero_shot[i]) end
ranked("multi_label", zs(texts[3], ref.candidates, { multi_label = true }), ref.zero_shot_multi)
ranked("one label", zs(texts[1], "travel"), ref.zero_shot_one)
ranked("a premise cut to 64 tokens", zs(ref.long_text, ref.candidates), ref.zero_shot_long)
local zs0 = hf.tasks["zero-shot-classification"](folder .. "/nli0", { hypothesis_template = "It is about {}!" })
ranked("template, entailment first",
  zs0(texts[5], { candidate_labels = "science, cooking,travel" }), ref.zero_shot_template)
ranked("multi_label, entailment first", zs0(texts[2], ref.candidates, { multi_label = true,
  hypothesis_template = "This example is {}." }), ref.zero_shot_multi0)

-- Refusals: one line each ---------------------------------------------------------
local refusals = {
  { function() pipeline("text-classification", folder .. "/mlm") end, "holds a BertForMaskedLM, which has no sequence-classification head" },
  { function() pipeline("fill-mask", folder .. "/mlm", { topk = 3 }) end, "unknown option 'topk'" },
  { function() hf.tasks["fill-mask"](folder .. "/mlm", { topk = 3 }) end, "pipeline fill-mask: unknown option 'topk'; it takes" },
  { function() hf.tasks["token-classification"](folder .. "/ner", { aggregation = "longest" }) end, "aggregation must be" },
  { function() ner(texts[1], { aggregation = "longest" }) end, "aggregation must be" },
  { function() clf(texts, { top_k = 0 }) end, "top_k must be a whole number from 1" },
  { function() clf(texts, { device = "cpu" }) end, "unknown option 'device' in a call" },
  { function() clf({}) end, "no texts" },
  { function() clf("") end, "text 1 is empty" },
  { function() clf({ "fine", 3 }) end, "text 2 is a number" },
  { function() clf("\xff\xfe") end, "not valid UTF-8" },
  { function() fill("No mask here.") end, "text 1 has no mask token ([MASK])" },
  { function() fill("[MASK]", { targets = {} }) end, "targets must be" },
  { function() pipeline("zero-shot-classification", folder .. "/sentiment") end, "no entailment label" },
  { function() zs("Some text.", {}) end, "no candidate labels" },
  { function() zs("Some text.", { "a" }, { hypothesis_template = "no place" }) end, "hypothesis_template must be" },
  { function() zs("Some text.", { "a" }, { multi_label = "yes" }) end, "multi_label must be true or false" },
}
for i, case in ipairs(refusals) do
  local ok, message = pcall(case[1])
  message = tostring(message)
  if ok or not message:find(case[2], 1, true) or message:find("\n") then
    error(string.format("refusal %d: expected one line with '%s', got %s", i, case[2], ok and "no error" or message), 0)
  end
end
return string.format("ok: %d scores within %.2g of transformers', labels, spans and tokens the same; %d refusals",
  compared, worst, #refusals)
