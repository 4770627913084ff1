-- plot, show and metrics: rich outputs of a cell. plot.push (native) streams
-- points into the cell's live plot; the functions here shape static plots and
-- tables and hand them to the native emitter.
local emit = _kiln_output.emit

local function toList(values, what)
  if torch.is_tensor(values) then
    if values:dim() ~= 1 then
      error(string.format("%s: expected a 1-D tensor, got shape %s", what, tostring(values.shape)), 3)
    end
    return values:detach():double():tolist()
  end
  if type(values) ~= "table" then error(what .. ": expected a tensor or an array of numbers", 3) end
  return values
end

local function range(n)
  local result = {}
  for i = 1, n do result[i] = i - 1 end
  return result
end

local function sortedKeys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  return keys
end

local function isArray(t)
  return torch.is_tensor(t) or (type(t) == "table" and (#t > 0 or next(t) == nil))
end

-- plot.line(y), plot.line(x, y), plot.line({loss = t1, acc = t2}), each with
-- a trailing {title, xlabel, ylabel, logy}.
local function seriesPlot(chart)
  return function(a, b, c)
    local options, series = {}, {}
    if not isArray(a) then
      -- named series: {name = y, ...}
      options = b or {}
      for _, name in ipairs(sortedKeys(a)) do
        local y = toList(a[name], "plot." .. chart)
        series[#series + 1] = { name = tostring(name), x = range(#y), y = y }
      end
    elseif b ~= nil and isArray(b) then
      options = c or {}
      local x, y = toList(a, "plot." .. chart), toList(b, "plot." .. chart)
      if #x ~= #y then
        error(string.format("plot.%s: x has %d values, y has %d", chart, #x, #y), 2)
      end
      series[1] = { name = options.label or "y", x = x, y = y }
    else
      options = b or {}
      local y = toList(a, "plot." .. chart)
      series[1] = { name = options.label or "y", x = range(#y), y = y }
    end
    emit("plot", { chart = chart, title = options.title, xlabel = options.xlabel, ylabel = options.ylabel,
      logy = options.logy, series = series })
  end
end

plot.line = seriesPlot("line")
plot.scatter = seriesPlot("scatter")

-- plot.hist(values, {bins = 30, title, xlabel}): a histogram of the values.
function plot.hist(values, options)
  options = options or {}
  local t = torch.is_tensor(values) and values:detach():double():flatten() or torch.tensor(values, { dtype = torch.float64 })
  if t:numel() == 0 then error("plot.hist: no values", 2) end
  local bins = options.bins or 30
  local low, high = t:min():item(), t:max():item()
  if high == low then high = low + 1 end
  local width = (high - low) / bins
  local index = ((t - low) / width):floor():clamp(0, bins - 1):long()
  local counts = torch.zeros(bins, { dtype = torch.int64 }):scatter_add(0, index, torch.ones_like(index))
  local centers = {}
  for i = 1, bins do centers[i] = low + (i - 0.5) * width end
  emit("plot", { chart = "hist", title = options.title, xlabel = options.xlabel, ylabel = options.ylabel or "count",
    bin_width = width, series = { { name = options.label or "count", x = centers, y = counts:tolist() } } })
end

-- show.table(data, {columns = {...}, title}): data is a 2-D tensor, an array of
-- rows, or an array of records (tables keyed by column name).
function show.table(data, options)
  options = options or {}
  local columns, rows = options.columns, {}
  local limit = options.max_rows or 10000
  if torch.is_tensor(data) then
    local t = data:detach()
    if t:dim() == 1 then t = t:unsqueeze(1) end
    if t:dim() ~= 2 then error("show.table: expected a 1-D or 2-D tensor, got shape " .. tostring(data.shape), 2) end
    rows = t:narrow(0, 0, math.min(t:size(0), limit)):tolist()
    if not columns then columns = range(t:size(1)) end
  elseif type(data) == "table" then
    local first = data[1]
    if type(first) == "table" and #first == 0 and next(first) ~= nil then
      columns = columns or sortedKeys(first)
      for i = 1, math.min(#data, limit) do
        local row = {}
        for j, name in ipairs(columns) do row[j] = data[i][name] end
        rows[i] = row
      end
    else
      for i = 1, math.min(#data, limit) do rows[i] = data[i] end
      if not columns then columns = range(type(first) == "table" and #first or 0) end
    end
  else
    error("show.table: expected a tensor or a table", 2)
  end
  local names = {}
  for i, c in ipairs(columns) do names[i] = tostring(c) end
  local total = torch.is_tensor(data) and data:size(0) or #data
  emit("table", { title = options.title, columns = names, rows = rows, total_rows = total })
end

-- show.confusion(matrix, {labels, title}): a [K, K] confusion matrix (rows the
-- true class) as a shaded table with the class names on both sides.
function show.confusion(matrix, options)
  options = options or {}
  if not torch.is_tensor(matrix) or matrix:dim() ~= 2 or matrix:size(0) ~= matrix:size(1) then
    error("show.confusion: a square 2-D tensor expected (metrics.confusion_matrix gives one)", 2)
  end
  local k = matrix:size(0)
  local labels = {}
  for i = 1, k do
    local name = options.labels and options.labels[i]
    labels[i] = name ~= nil and tostring(name) or tostring(i - 1)
  end
  if options.labels and #options.labels ~= k then
    error(string.format("show.confusion: %d labels for %d classes", #options.labels, k), 2)
  end
  emit("table", { title = options.title or "Confusion matrix (rows: true class, columns: predicted)",
    columns = labels, row_labels = labels, heatmap = true, rows = matrix:detach():tolist(), total_rows = k })
end

-- show.labels(results, {title}): a task's scored answers as a table with score
-- bars, best first. Takes what the pipelines return: an array of {label, score}
-- (or token_str / entity_group for fill-mask and entities), or zero-shot's
-- {labels = {...}, scores = {...}}.
function show.labels(results, options)
  options = options or {}
  if type(results) ~= "table" then error("show.labels: a task's results (a table) expected, got a " .. type(results), 2) end
  local rows = {}
  if type(results.labels) == "table" and type(results.scores) == "table" then
    for i, label in ipairs(results.labels) do rows[i] = { tostring(label), results.scores[i] } end
  else
    -- One text's results, or the first of several texts'.
    if type(results[1]) == "table" and results[1].score == nil and type(results[1][1]) == "table" then results = results[1] end
    for i, r in ipairs(results) do
      if type(r) ~= "table" or type(r.score) ~= "number" then
        error(string.format("show.labels: result %d has no numeric score", i), 2)
      end
      rows[i] = { tostring(r.label or r.token_str or r.entity_group or r.entity or r.word or i), r.score }
    end
  end
  table.sort(rows, function(a, b) return a[2] > b[2] end)
  emit("table", { title = options.title, columns = { "label", "score" }, rows = rows, total_rows = #rows, bars = { 1 } })
end

-- show.entities(text, entities, {title}): the entities a token-classification
-- pipeline found, each with its words, where it is in the text and a score bar.
function show.entities(text, entities, options)
  options = options or {}
  if type(text) ~= "string" or type(entities) ~= "table" then
    error("show.entities: the text and its entities (from a token-classification pipeline) expected", 2)
  end
  local rows = {}
  for i, e in ipairs(entities) do
    rows[i] = { tostring(e.entity_group or e.entity), tostring(e.word), e.score, e.start, e.stop }
  end
  emit("table", { title = options.title or text, columns = { "entity", "text", "score", "start", "stop" }, rows = rows,
    total_rows = #rows, bars = { 2 } })
end

-- show.similarity(embeddings, labels, {title}): the cosine similarity of every
-- pair of rows of [N, D] embeddings, shaded, the labels on both sides.
function show.similarity(embeddings, labels, options)
  options = options or {}
  if not torch.is_tensor(embeddings) or embeddings:dim() ~= 2 then
    error("show.similarity: [N, D] embeddings expected", 2)
  end
  local unit = F.normalize(embeddings:detach():double(), 2, 1)
  local names = {}
  for i = 1, unit:size(0) do names[i] = labels and labels[i] and tostring(labels[i]) or tostring(i - 1) end
  emit("table", { title = options.title or "Cosine similarity", columns = names, row_labels = names, heatmap = true,
    row_shares = false, rows = unit:matmul(unit:t()):tolist(), total_rows = #names })
end

-- metrics: what a training loop reports.
metrics = {}

local function predictions(output)
  if output:dim() >= 2 then return output:argmax(1) end
  if output:is_floating_point() then return output:gt(0.5):long() end
  return output
end

-- metrics.accuracy(logits_or_labels, target): the fraction predicted right.
function metrics.accuracy(output, target)
  local predicted = predictions(output:detach())
  if predicted:numel() ~= target:numel() then
    error(string.format("metrics.accuracy: %d predictions for %d targets", predicted:numel(), target:numel()), 2)
  end
  return predicted:eq(target:view_as(predicted)):float():mean():item()
end

-- metrics.confusion_matrix(logits_or_labels, target[, num_classes]): [K, K]
-- int64 counts, rows the true class and columns the predicted one.
function metrics.confusion_matrix(output, target, num_classes)
  local predicted = predictions(output:detach()):long():flatten()
  local truth = target:long():flatten()
  num_classes = num_classes or (math.max(predicted:max():item(), truth:max():item()) + 1)
  local index = truth * num_classes + predicted
  local counts = torch.zeros(num_classes * num_classes, { dtype = torch.int64 })
  counts = counts:scatter_add(0, index, torch.ones_like(index))
  return counts:view(num_classes, num_classes)
end

return { plot = plot, show = show, metrics = metrics }
