-- Image models with transformers' parameter names, so Hub checkpoints load as
-- they are: ViT (vit.embeddings.*, vit.encoder.layer.N.*, classifier) and ResNet
-- (resnet.embedder.*, resnet.encoder.stages.N.layers.M.*, classifier.1); the
-- image processor that preprocessor_config.json describes; and the
-- image-classification task.
local hf = require("kiln.hf")

local vision = {}

-- Activations by the names config.json gives them.
local kActivations = {
  gelu = function(x) return F.gelu(x) end,
  gelu_new = function(x) return F.gelu(x, { approximate = "tanh" }) end,
  gelu_pytorch_tanh = function(x) return F.gelu(x, { approximate = "tanh" }) end,
  quick_gelu = function(x) return x * F.sigmoid(1.702 * x) end,
  relu = function(x) return F.relu(x) end,
  silu = function(x) return F.silu(x) end,
  swish = function(x) return F.silu(x) end,
}

function vision.activation(name)
  local act = kActivations[name]
  if not act then
    local known = {}
    for key in pairs(kActivations) do known[#known + 1] = key end
    table.sort(known)
    error(string.format("hf: hidden_act '%s' is not supported (%s are)", tostring(name), table.concat(known, ", ")), 0)
  end
  return act
end

-- Fills the keys config.json leaves out with transformers' defaults, in place,
-- as transformers' config classes do.
function vision.defaults(config, defaults)
  for key, value in pairs(defaults) do
    if config[key] == nil or config[key] == json.null then config[key] = value end
  end
  return config
end

-- The number of classes: id2label's entries, else num_labels, else 2 as transformers.
function vision.num_labels(config)
  if type(config.id2label) == "table" then
    local n = 0
    for _ in pairs(config.id2label) do n = n + 1 end
    if n > 0 then return n end
  end
  return config.num_labels or 2
end

-- Pipeline options: only those a task knows, each of the right kind.
function vision.check_options(task, options, allowed)
  if options == nil then return {} end
  if type(options) ~= "table" then
    error(string.format("%s: options must be a table, got a %s", task, type(options)), 0)
  end
  for key, value in pairs(options) do
    if not allowed[key] then
      local names = {}
      for name in pairs(allowed) do names[#names + 1] = name end
      table.sort(names)
      error(string.format("%s: unknown option '%s' (known: %s)", task, tostring(key), table.concat(names, ", ")), 0)
    end
    if key == "top_k" or key == "batch_size" then
      if math.type(value) ~= "integer" or value < 1 then
        error(string.format("%s: %s must be a whole number from 1, got %s", task, key, tostring(value)), 0)
      end
    elseif key == "device" and type(value) ~= "string" and type(value) ~= "userdata" then
      error(string.format("%s: device must be a name such as \"cuda\" or a torch.device, got a %s", task,
        type(value)), 0)
    end
  end
  return options
end

-- Position embeddings for every patch: image_size and patch_size must not ask
-- for more than max_position_embeddings' bound.
function vision.check_patches(config)
  if config.image_size < config.patch_size then
    error(string.format("hf: config.json's image_size %d is smaller than its patch_size %d", config.image_size,
      config.patch_size), 0)
  end
  local side = config.image_size // config.patch_size
  if side * side > 1 << 20 then
    error(string.format("hf: config.json's image_size %d and patch_size %d make %d patches; at most %d expected",
      config.image_size, config.patch_size, side * side, 1 << 20), 0)
  end
end

-- [N, C, H, W] pixel values of the size `expected` ({h, w}); one line otherwise.
local function checkPixels(who, pixel_values, channels, expected)
  if not torch.is_tensor(pixel_values) or pixel_values:dim() ~= 4 then
    error(who .. ": pixel_values [batch, channels, height, width] expected, got "
      .. (torch.is_tensor(pixel_values) and tostring(pixel_values.shape) or type(pixel_values)), 0)
  end
  if pixel_values:size(1) ~= channels then
    error(string.format("%s: the model takes %d channels, got %d", who, channels, pixel_values:size(1)), 0)
  end
  if expected and (pixel_values:size(2) ~= expected[1] or pixel_values:size(3) ~= expected[2]) then
    error(string.format("%s: the model takes %dx%d images, got %dx%d (position embeddings are not interpolated)",
      who, expected[1], expected[2], pixel_values:size(2), pixel_values:size(3)), 0)
  end
end
vision.check_pixels = checkPixels

-- ---------------------------------------------------------------------------
-- ViT

local kViTDefaults = { hidden_size = 768, num_hidden_layers = 12, num_attention_heads = 12, intermediate_size = 3072,
  hidden_act = "gelu", layer_norm_eps = 1e-12, image_size = 224, patch_size = 16, num_channels = 3, qkv_bias = true,
  pooler_act = "tanh" }

local ViTPatchEmbeddings = nn.Module:extend("ViTPatchEmbeddings")
function ViTPatchEmbeddings:init(c)
  self.projection = nn.Conv2d(c.num_channels, c.hidden_size, c.patch_size, c.patch_size)
end
function ViTPatchEmbeddings:forward(pixel_values)
  return self.projection(pixel_values):flatten(2):transpose(1, 2)
end

local ViTEmbeddings = nn.Module:extend("ViTEmbeddings")
function ViTEmbeddings:init(c)
  local side = c.image_size // c.patch_size
  self.cls_token = nn.Parameter(torch.zeros(1, 1, c.hidden_size))
  self.patch_embeddings = ViTPatchEmbeddings(c)
  self.position_embeddings = nn.Parameter(torch.zeros(1, side * side + 1, c.hidden_size))
end
function ViTEmbeddings:forward(pixel_values)
  local patches = self.patch_embeddings(pixel_values)
  local cls = self.cls_token:expand(patches:size(0), -1, -1)
  return torch.cat({ cls, patches }, 1) + self.position_embeddings
end

local ViTSelfAttention = nn.Module:extend("ViTSelfAttention")
function ViTSelfAttention:init(c)
  self.heads = c.num_attention_heads
  local bias = { bias = c.qkv_bias ~= false }
  self.query = nn.Linear(c.hidden_size, c.hidden_size, bias)
  self.key = nn.Linear(c.hidden_size, c.hidden_size, bias)
  self.value = nn.Linear(c.hidden_size, c.hidden_size, bias)
end
function ViTSelfAttention:forward(x)
  local function split(t) return t:unflatten(-1, { self.heads, -1 }):transpose(1, 2) end
  local attended = F.scaled_dot_product_attention(split(self.query(x)), split(self.key(x)), split(self.value(x)))
  return attended:transpose(1, 2):flatten(-2)
end

local ViTSelfOutput = nn.Module:extend("ViTSelfOutput")
function ViTSelfOutput:init(c)
  self.dense = nn.Linear(c.hidden_size, c.hidden_size)
end
function ViTSelfOutput:forward(x)
  return self.dense(x)
end

local ViTAttention = nn.Module:extend("ViTAttention")
function ViTAttention:init(c)
  self.attention = ViTSelfAttention(c)
  self.output = ViTSelfOutput(c)
end
function ViTAttention:forward(x)
  return self.output(self.attention(x))
end

local ViTIntermediate = nn.Module:extend("ViTIntermediate")
function ViTIntermediate:init(c)
  self.dense = nn.Linear(c.hidden_size, c.intermediate_size)
  self.act = vision.activation(c.hidden_act)
end
function ViTIntermediate:forward(x)
  return self.act(self.dense(x))
end

local ViTOutput = nn.Module:extend("ViTOutput")
function ViTOutput:init(c)
  self.dense = nn.Linear(c.intermediate_size, c.hidden_size)
end
function ViTOutput:forward(x, residual)
  return self.dense(x) + residual
end

-- Pre-norm: layernorm_before feeds the attention, layernorm_after the MLP.
local ViTLayer = nn.Module:extend("ViTLayer")
function ViTLayer:init(c)
  self.attention = ViTAttention(c)
  self.intermediate = ViTIntermediate(c)
  self.output = ViTOutput(c)
  self.layernorm_before = nn.LayerNorm(c.hidden_size, { eps = c.layer_norm_eps })
  self.layernorm_after = nn.LayerNorm(c.hidden_size, { eps = c.layer_norm_eps })
end
function ViTLayer:forward(x)
  x = self.attention(self.layernorm_before(x)) + x
  return self.output(self.intermediate(self.layernorm_after(x)), x)
end

local ViTEncoder = hf.layer_stack("ViTEncoder", "layer", ViTLayer, "num_hidden_layers")

local ViTPooler = nn.Module:extend("ViTPooler")
function ViTPooler:init(c)
  self.dense = nn.Linear(c.hidden_size, c.pooler_output_size or c.hidden_size)
  self.act = c.pooler_act == "tanh" and torch.tanh or vision.activation(c.pooler_act)
end
function ViTPooler:forward(hidden)
  return self.act(self.dense(hidden:select(1, 0)))
end

local ViTModel = nn.Module:extend("ViTModel")
ViTModel.base_prefix = "vit."
hf.ViTModel = ViTModel
function ViTModel:init(config, options)
  vision.defaults(config, kViTDefaults)
  vision.check_patches(config)
  if config.hidden_size % config.num_attention_heads ~= 0 then
    error(string.format("hf: config.json's hidden_size %d is not a multiple of num_attention_heads %d",
      config.hidden_size, config.num_attention_heads), 0)
  end
  self.config = config
  self.embeddings = ViTEmbeddings(config)
  self.encoder = ViTEncoder(config)
  self.layernorm = nn.LayerNorm(config.hidden_size, { eps = config.layer_norm_eps })
  if not (options and options.pooler == false) then self.pooler = ViTPooler(config) end
end
-- A classifier's checkpoint has no pooler: the model then goes without one
-- (pooler_output nil) rather than pool with random weights.
function ViTModel:load_state_dict(state, strict)
  if rawget(self, "pooler") and state["pooler.dense.weight"] == nil and state["pooler.dense.bias"] == nil then
    self.pooler = nil
  end
  return nn.Module.load_state_dict(self, state, strict)
end
-- model(pixel_values) -> {last_hidden_state, pooler_output}
function ViTModel:forward(pixel_values)
  local c = self.config
  checkPixels("ViTModel", pixel_values, c.num_channels, { c.image_size, c.image_size })
  local hidden = self.layernorm(self.encoder(self.embeddings(pixel_values)))
  return { last_hidden_state = hidden, pooler_output = rawget(self, "pooler") and self.pooler(hidden) or nil }
end

local ViTForImageClassification = nn.Module:extend("ViTForImageClassification")
ViTForImageClassification.base_prefix = "vit."
hf.ViTForImageClassification = ViTForImageClassification
function ViTForImageClassification:init(config)
  self.config = config
  self.vit = ViTModel(config, { pooler = false })
  self.classifier = nn.Linear(config.hidden_size, vision.num_labels(config))
end
-- model(pixel_values) -> {logits}: the classifier reads the [CLS] token.
function ViTForImageClassification:forward(pixel_values)
  local hidden = self.vit(pixel_values).last_hidden_state
  return { logits = self.classifier(hidden:select(1, 0)) }
end

hf.register("vit", { ViTModel = ViTModel, ViTForImageClassification = ViTForImageClassification }, "ViTModel")

-- ---------------------------------------------------------------------------
-- ResNet

local kResNetDefaults = { num_channels = 3, embedding_size = 64, hidden_sizes = { 256, 512, 1024, 2048 },
  depths = { 3, 4, 6, 3 }, layer_type = "bottleneck", hidden_act = "relu", downsample_in_first_stage = false,
  downsample_in_bottleneck = false }

-- convolution (no bias), batch norm, then the activation unless `act` is false.
local ResNetConvLayer = nn.Module:extend("ResNetConvLayer")
function ResNetConvLayer:init(inChannels, outChannels, kernel, stride, act)
  self.convolution = nn.Conv2d(inChannels, outChannels, kernel,
    { stride = stride, padding = kernel // 2, bias = false })
  self.normalization = nn.BatchNorm2d(outChannels)
  self.act = act
end
function ResNetConvLayer:forward(x)
  x = self.normalization(self.convolution(x))
  if self.act then x = self.act(x) end
  return x
end

local ResNetShortCut = nn.Module:extend("ResNetShortCut")
function ResNetShortCut:init(inChannels, outChannels, stride)
  self.convolution = nn.Conv2d(inChannels, outChannels, 1, { stride = stride, bias = false })
  self.normalization = nn.BatchNorm2d(outChannels)
end
function ResNetShortCut:forward(x)
  return self.normalization(self.convolution(x))
end

-- Two 3x3 convolutions (basic) or 1x1, 3x3, 1x1 at a quarter of the width
-- (bottleneck), plus the input, projected when its shape changes.
local ResNetLayer = nn.Module:extend("ResNetLayer")
function ResNetLayer:init(c, inChannels, outChannels, stride)
  local act = vision.activation(c.hidden_act)
  if inChannels ~= outChannels or stride ~= 1 then
    self.shortcut = ResNetShortCut(inChannels, outChannels, stride)
  end
  if c.layer_type == "bottleneck" then
    local reduced = outChannels // 4
    local first, middle = 1, stride
    if c.downsample_in_bottleneck then first, middle = stride, 1 end
    self.layer = nn.Sequential(ResNetConvLayer(inChannels, reduced, 1, first, act),
      ResNetConvLayer(reduced, reduced, 3, middle, act), ResNetConvLayer(reduced, outChannels, 1, 1, false))
  else
    self.layer = nn.Sequential(ResNetConvLayer(inChannels, outChannels, 3, stride, act),
      ResNetConvLayer(outChannels, outChannels, 3, 1, false))
  end
  self.act = act
end
function ResNetLayer:forward(x)
  local residual = rawget(self, "shortcut") and self.shortcut(x) or x
  return self.act(self.layer(x) + residual)
end

local ResNetStage = nn.Module:extend("ResNetStage")
function ResNetStage:init(c, inChannels, outChannels, stride, depth)
  local layers = { ResNetLayer(c, inChannels, outChannels, stride) }
  for i = 2, depth do layers[i] = ResNetLayer(c, outChannels, outChannels, 1) end
  self.layers = nn.Sequential(layers)
end
function ResNetStage:forward(x)
  return self.layers(x)
end

local ResNetEmbeddings = nn.Module:extend("ResNetEmbeddings")
function ResNetEmbeddings:init(c)
  self.embedder = ResNetConvLayer(c.num_channels, c.embedding_size, 7, 2, vision.activation(c.hidden_act))
  self.pooler = nn.MaxPool2d(3, 2, { padding = 1 })
end
function ResNetEmbeddings:forward(x)
  return self.pooler(self.embedder(x))
end

local ResNetEncoder = nn.Module:extend("ResNetEncoder")
function ResNetEncoder:init(c)
  local stages, inChannels = {}, c.embedding_size
  for i, width in ipairs(c.hidden_sizes) do
    local stride = (i > 1 or c.downsample_in_first_stage) and 2 or 1
    stages[i] = ResNetStage(c, inChannels, width, stride, c.depths[i])
    inChannels = width
  end
  self.stages = nn.ModuleList(stages)
end
function ResNetEncoder:forward(x)
  for i = 0, #self.stages - 1 do x = self.stages[i](x) end
  return x
end

-- hidden_sizes and depths: arrays of whole numbers in range, one per stage.
local function checkStages(config)
  local sizes, depths = config.hidden_sizes, config.depths
  local function check(list, key, limit)
    if type(list) ~= "table" or #list == 0 then
      error("hf: config.json's " .. key .. " is not an array of numbers", 0)
    end
    for _, value in ipairs(list) do
      if math.type(value) ~= "integer" or value < 1 or value > limit then
        error(string.format("hf: config.json's %s holds %s; whole numbers from 1 to %d expected", key, tostring(value),
          limit), 0)
      end
    end
  end
  check(sizes, "hidden_sizes", 1 << 16)
  check(depths, "depths", 1024)
  if #sizes ~= #depths then
    error(string.format("hf: config.json has %d hidden_sizes but %d depths", #sizes, #depths), 0)
  end
  if config.layer_type ~= "basic" and config.layer_type ~= "bottleneck" then
    error(string.format("hf: config.json's layer_type '%s' is not 'basic' or 'bottleneck'",
      tostring(config.layer_type)), 0)
  end
end

-- Checkpoints may leave out num_batches_tracked, which only training reads.
local function loadCountingBatches(self, state, strict)
  for name, buffer in pairs(self:state_dict()) do
    if state[name] == nil and name:match("num_batches_tracked$") then state[name] = buffer end
  end
  return nn.Module.load_state_dict(self, state, strict)
end

local ResNetModel = nn.Module:extend("ResNetModel")
ResNetModel.base_prefix = "resnet."
ResNetModel.load_state_dict = loadCountingBatches
hf.ResNetModel = ResNetModel
function ResNetModel:init(config)
  vision.defaults(config, kResNetDefaults)
  checkStages(config)
  self.config = config
  self.embedder = ResNetEmbeddings(config)
  self.encoder = ResNetEncoder(config)
  self.pooler = nn.AdaptiveAvgPool2d({ 1, 1 })
end
-- model(pixel_values) -> {last_hidden_state [N, C, h, w], pooler_output [N, C, 1, 1]}
function ResNetModel:forward(pixel_values)
  checkPixels("ResNetModel", pixel_values, self.config.num_channels)
  local hidden = self.encoder(self.embedder(pixel_values))
  return { last_hidden_state = hidden, pooler_output = self.pooler(hidden) }
end

local ResNetForImageClassification = nn.Module:extend("ResNetForImageClassification")
ResNetForImageClassification.base_prefix = "resnet."
ResNetForImageClassification.load_state_dict = loadCountingBatches
hf.ResNetForImageClassification = ResNetForImageClassification
function ResNetForImageClassification:init(config)
  self.config = config
  self.resnet = ResNetModel(config)
  self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(config.hidden_sizes[#config.hidden_sizes],
    vision.num_labels(config)))
end
-- model(pixel_values) -> {logits}
function ResNetForImageClassification:forward(pixel_values)
  return { logits = self.classifier(self.resnet(pixel_values).pooler_output) }
end

hf.register("resnet", { ResNetModel = ResNetModel, ResNetForImageClassification = ResNetForImageClassification },
  "ResNetModel")

-- ---------------------------------------------------------------------------
-- The image processor of preprocessor_config.json, as transformers' does it:
-- resize, center crop, rescale, normalize. Kiln's images are float [C, H, W] in
-- [0, 1], which is what transformers' 8-bit pixels times rescale_factor 1/255
-- give. A file's or a uint8 tensor's pixels resize in 8 bits, as transformers
-- resizes them, so the two give the same pixel_values.

local kMaxSide = 1 << 14

-- Settings absent from the file, or null, take transformers' defaults.
local function setting(config, key, default)
  local value = config[key]
  if value == nil or value == json.null then return default end
  return value
end

local function checkSide(value, what)
  if math.type(value) ~= "integer" or value < 1 or value > kMaxSide then
    error(string.format("hf: preprocessor_config.json's %s is %s; a whole number from 1 to %d expected", what,
      tostring(value), kMaxSide), 0)
  end
  return value
end

-- {height, width} or {shortest_edge}. A plain number (older files) is a square,
-- or the shortest edge for the processors that keep the aspect ratio.
local kKeepsAspect = { CLIPImageProcessor = true, ConvNextImageProcessor = true, BitImageProcessor = true,
  ChineseCLIPImageProcessor = true }

local function parseSize(value, key, keepsAspect)
  if math.type(value) == "integer" then
    checkSide(value, key)
    if keepsAspect then return { shortest_edge = value } end
    return { height = value, width = value }
  end
  if type(value) ~= "table" then
    error(string.format("hf: preprocessor_config.json's %s is not a size", key), 0)
  end
  if value.height ~= nil or value.width ~= nil then
    return { height = checkSide(value.height, key .. ".height"), width = checkSide(value.width, key .. ".width") }
  end
  if value.shortest_edge ~= nil and (value.longest_edge == nil or value.longest_edge == json.null) then
    return { shortest_edge = checkSide(value.shortest_edge, key .. ".shortest_edge") }
  end
  error(string.format("hf: preprocessor_config.json's %s is neither {height, width} nor {shortest_edge}", key), 0)
end

-- A number or one number per channel.
local function parseStats(value, key)
  if type(value) == "number" then return { value } end
  local ok = type(value) == "table" and #value > 0
  for _, v in ipairs(ok and value or {}) do ok = ok and type(v) == "number" end
  if not ok then error("hf: preprocessor_config.json's " .. key .. " is not a number or an array of numbers", 0) end
  return value
end

-- Resizing as torch's antialiased interpolate does it, which transformers uses:
-- along each axis a [out, in] matrix whose filter widens by the shrinking
-- factor, so every input pixel counts; bicubic is PIL's (a = -0.5).
local kFilters = {
  bilinear = function(x) return (1 - x):clamp_min(0) end,
  bicubic = function(x)
    local a = -0.5
    local near = ((a + 2) * x - (a + 3)) * x * x + 1
    local far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return torch.where(x:lt(1), near, torch.where(x:lt(2), far, 0.0))
  end,
}

local function resampleWeights(mode, inSize, outSize)
  local scale = inSize / outSize
  local centers = (torch.arange(outSize, { dtype = torch.float64 }) + 0.5) * scale
  local x = ((torch.arange(inSize, { dtype = torch.float64 }) + 0.5):unsqueeze(0) - centers:unsqueeze(1)):abs()
  local w = kFilters[mode](x / math.max(scale, 1))
  return w / w:sum(1, true)
end

-- An 8-bit image resizes in fixed point, as torch (and PIL) resize uint8 pixels:
-- weights with as many fractional bits as int16 holds, the width first, each
-- pass rounded and clamped to 8 bits. Float64 keeps every sum exact.
local function fixedPoint(w)
  local top, bits = w:max():item(), 0
  while bits < 22 and math.floor(0.5 + top * (1 << (bits + 1))) < (1 << 15) do bits = bits + 1 end
  local scaled = w * (1 << bits)
  return torch.where(scaled:lt(0), (scaled - 0.5):ceil(), (scaled + 0.5):floor()) / (1 << bits)
end

local function resize8(t, h, w, mode)
  local x = (t:double() * 255):round()
  if w ~= x:size(2) then
    x = (x:matmul(fixedPoint(resampleWeights(mode, x:size(2), w)):to(x.device):t()) + 0.5):floor():clamp(0, 255)
  end
  if h ~= x:size(1) then
    x = (fixedPoint(resampleWeights(mode, x:size(1), h)):to(x.device):matmul(x) + 0.5):floor():clamp(0, 255)
  end
  return (x / 255):float()
end

-- PIL's resample codes: 0 nearest, 1 Lanczos, 2 bilinear, 3 bicubic. transformers
-- itself runs Lanczos as bicubic with the torchvision it installs.
local kResamples = { [0] = "nearest", [1] = "bicubic", [2] = "bilinear", [3] = "bicubic" }

local function resize(t, h, w, mode, eightBit)
  if t:size(1) == h and t:size(2) == w then return t end
  if mode == "nearest" then
    return F.interpolate(t:unsqueeze(0), { size = { h, w }, mode = "nearest" }):squeeze(0)
  end
  if eightBit then return resize8(t, h, w, mode) end
  if mode == "bilinear" then return image.resize(t, { h, w }) end
  local rows = resampleWeights(mode, t:size(1), h):to(t.dtype):to(t.device)
  local columns = resampleWeights(mode, t:size(2), w):to(t.dtype):to(t.device)
  return rows:matmul(t):matmul(columns:t())
end

-- (height, width) with the shortest edge made `edge`, as transformers rounds it.
local function shortestEdge(height, width, edge)
  if width <= height then return math.floor(edge * height / width), edge end
  return edge, math.floor(edge * width / height)
end

-- The centered window, padded with zeros where the image is smaller.
local function centerCrop(t, h, w)
  local height, width = t:size(1), t:size(2)
  if h > height or w > width then
    local padH, padW = math.max(h - height, 0), math.max(w - width, 0)
    t = F.pad(t, { padW // 2, (padW + 1) // 2, padH // 2, (padH + 1) // 2 })
    height, width = t:size(1), t:size(2)
  end
  local top, left = (height - h) // 2, (width - w) // 2
  return t[{ {}, { top, top + h }, { left, left + w } }]
end

local ImageProcessor = {}
ImageProcessor.__index = ImageProcessor
ImageProcessor.__name = "ImageProcessor"

-- An image processor from a preprocessor_config.json table.
function vision.ImageProcessor(config)
  if type(config) ~= "table" then error("hf: preprocessor_config.json is not an object", 0) end
  local kind = tostring(setting(config, "image_processor_type", "")):gsub("Fast$", "")
  local p = setmetatable({ config = config, type = kind }, ImageProcessor)
  p.do_resize = setting(config, "do_resize", true)
  if p.do_resize then
    p.size = parseSize(setting(config, "size", { height = 224, width = 224 }), "size", kKeepsAspect[kind])
    local resample = setting(config, "resample", 2)
    p.resample = kResamples[resample]
    if not p.resample then
      error(string.format("hf: preprocessor_config.json's resample %s is not supported (0 nearest, 1 Lanczos, "
        .. "2 bilinear, 3 bicubic are)", tostring(resample)), 0)
    end
    local cropPct = setting(config, "crop_pct", nil)
    if cropPct ~= nil and p.size.shortest_edge then
      if type(cropPct) ~= "number" or cropPct <= 0 or cropPct > 1 then
        error("hf: preprocessor_config.json's crop_pct " .. tostring(cropPct) .. " is not in (0, 1]", 0)
      end
      p.crop_pct = cropPct
    end
  end
  p.do_center_crop = setting(config, "do_center_crop", false)
  if p.do_center_crop then
    p.crop_size = parseSize(setting(config, "crop_size", { height = 224, width = 224 }), "crop_size", false)
    if not p.crop_size.height then error("hf: preprocessor_config.json's crop_size is not {height, width}", 0) end
  end
  p.do_rescale = setting(config, "do_rescale", true)
  p.rescale_factor = setting(config, "rescale_factor", 1 / 255)
  if type(p.rescale_factor) ~= "number" then
    error("hf: preprocessor_config.json's rescale_factor is not a number", 0)
  end
  p.do_normalize = setting(config, "do_normalize", true)
  if p.do_normalize then
    p.image_mean = parseStats(setting(config, "image_mean", { 0.5, 0.5, 0.5 }), "image_mean")
    p.image_std = parseStats(setting(config, "image_std", { 0.5, 0.5, 0.5 }), "image_std")
  end
  p.do_convert_rgb = setting(config, "do_convert_rgb", false)
  return p
end

-- Composited over white, as transformers makes RGBA images RGB; gray is repeated.
local function toRGB(t)
  if t:size(0) == 1 then return t:expand(3, -1, -1) end
  if t:size(0) == 4 then
    local alpha = t[{ { 3, 4 } }]
    return t[{ { 0, 3 } }] * alpha + (1 - alpha)
  end
  return t
end

-- One image as a float [C, H, W] tensor in [0, 1], and whether its pixels are 8-bit.
function ImageProcessor:load(input)
  if type(input) == "string" then
    return image.load(input, self.do_convert_rgb and { mode = "RGBA" } or nil), true
  end
  if not torch.is_tensor(input) then
    error("image processor: an image path, a [C, H, W] tensor or an array of them expected, got a " .. type(input), 0)
  end
  local t = input
  if t:dim() == 2 then t = t:unsqueeze(0) end
  if t:dim() ~= 3 then error("image processor: a [C, H, W] image expected, got " .. tostring(input.shape), 0) end
  if t.dtype == torch.uint8 then return t:float() / 255, true end
  if not t:is_floating_point() then error("image processor: a float or uint8 image expected, got " .. t.dtype, 0) end
  if t:numel() > 0 and (t:min():item() < 0 or t:max():item() > 1) then
    error("image processor: a float image's values must lie in [0, 1] (Kiln's images do), got values from "
      .. string.format("%.4g to %.4g", t:min():item(), t:max():item()), 0)
  end
  -- Values all on the 8-bit grid (as image.load gives) are the 8-bit image they
  -- came from: it resizes as its file would.
  t = t:float()
  local steps = t * 255
  return t, t:numel() > 0 and (steps - steps:round()):abs():max():item() < 1e-3
end

-- One image through resize, crop, rescale and normalize.
function ImageProcessor:process(input)
  local t, eightBit = self:load(input)
  if self.do_convert_rgb then
    local channels = t:size(0)
    t = toRGB(t)
    -- transformers composites an 8-bit image's transparency in 8 bits (PIL's).
    if eightBit and channels == 4 then t = (t * 255):round() / 255 end
  end
  if self.do_resize then
    local size, height, width = self.size, t:size(1), t:size(2)
    if size.height then
      t = resize(t, size.height, size.width, self.resample, eightBit)
    elseif self.crop_pct and size.shortest_edge < 384 then
      -- ConvNext: the shortest edge to edge / crop_pct, then the centered square.
      local h, w = shortestEdge(height, width, math.floor(size.shortest_edge / self.crop_pct))
      t = centerCrop(resize(t, h, w, self.resample, eightBit), size.shortest_edge, size.shortest_edge)
    elseif self.crop_pct then
      t = resize(t, size.shortest_edge, size.shortest_edge, self.resample, eightBit)
    else
      local h, w = shortestEdge(height, width, size.shortest_edge)
      t = resize(t, h, w, self.resample, eightBit)
    end
  end
  if self.do_center_crop then t = centerCrop(t, self.crop_size.height, self.crop_size.width) end
  -- transformers multiplies 0..255 pixels by rescale_factor; Kiln's are pixel / 255.
  local scale = self.do_rescale and 255 * self.rescale_factor or 255
  if math.abs(scale - 1) > 1e-12 then t = t * scale end
  if self.do_normalize then
    local mean, std = self.image_mean, self.image_std
    if (#mean ~= 1 and #mean ~= t:size(0)) or (#std ~= 1 and #std ~= t:size(0)) then
      error(string.format("image processor: the image has %d channels, image_mean and image_std %d and %d", t:size(0),
        #mean, #std), 0)
    end
    t = image.normalize(t, mean, std)
  end
  return t
end

-- processor(images) -> {pixel_values = [N, C, H, W]}: an image path, a [C, H, W]
-- tensor (float in [0, 1] or uint8), an [N, C, H, W] batch or an array of these.
function ImageProcessor:__call(images)
  local list = {}
  local function add(item)
    if torch.is_tensor(item) and item:dim() == 4 then
      for _, one in ipairs(item:unbind(0)) do list[#list + 1] = one end
    else
      list[#list + 1] = item
    end
  end
  if type(images) == "table" and not torch.is_tensor(images) then
    for _, item in ipairs(images) do add(item) end
    if #list == 0 then error("image processor: no images given", 0) end
  else
    add(images)
  end
  local out = {}
  for i, item in ipairs(list) do
    out[i] = self:process(item)
    if i > 1 and not (out[i].shape == out[1].shape) then
      error(string.format("image processor: image %d came out %s and image 1 %s; this processor does not bring them "
        .. "to one size", i, tostring(out[i].shape), tostring(out[1].shape)), 0)
    end
  end
  return { pixel_values = torch.stack(out, 0) }
end

function ImageProcessor:__tostring()
  local size = self.size and (self.size.height and (self.size.height .. "x" .. self.size.width)
    or ("shortest edge " .. self.size.shortest_edge)) or "no resize"
  return string.format("%s(%s%s)", self.type ~= "" and self.type or "ImageProcessor", size,
    self.crop_size and (", crop " .. self.crop_size.height .. "x" .. self.crop_size.width) or "")
end

local function fileExists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

-- hf.image_processor(source) -> the processor of the folder's preprocessor_config.json.
function hf.image_processor(source)
  local folder = hf.resolve(source, { "preprocessor_config.json", "config.json" })
  local path = folder .. "/preprocessor_config.json"
  if not fileExists(path) then error("hf: " .. folder .. " has no preprocessor_config.json", 0) end
  local ok, config = pcall(json.load, path)
  if not ok then error("hf: " .. tostring(config), 0) end
  return vision.ImageProcessor(config)
end

-- ---------------------------------------------------------------------------
-- The image-classification task.

-- The family's image classifier for a config: the one its architectures name,
-- else the registered ...ForImageClassification of its model type.
local function classifierFor(config)
  if type(config.architectures) == "table" then
    for _, name in ipairs(config.architectures) do
      local class = hf.architectures[name]
      if class and class.model_type == config.model_type and name:match("ForImageClassification$") then return name end
    end
  end
  local names = {}
  for name, class in pairs(hf.architectures) do
    if class.model_type == config.model_type and name:match("ForImageClassification$") then names[#names + 1] = name end
  end
  table.sort(names)
  return names[1]
end

-- Probabilities as transformers' pipeline gives them: sigmoid for one label or
-- several at once, softmax otherwise, the raw outputs for regression.
function vision.scores(config, logits)
  if config.problem_type == "regression" then return logits end
  if config.problem_type == "multi_label_classification" or logits:size(-1) == 1 then return logits:sigmoid() end
  return F.softmax(logits, -1)
end

-- The best `k` of one row of scores as {label, score} records, best first.
function vision.top(scores, k, labelOf)
  local values, indices = scores:topk(math.min(k, scores:size(0)))
  values, indices = values:tolist(), indices:tolist()
  local result = {}
  for i = 1, #values do result[i] = { label = labelOf(indices[i]), score = values[i] } end
  return result
end

-- Whether `images` is one image (a path or a [C, H, W] tensor) rather than several.
function vision.single(images)
  return type(images) == "string" or (torch.is_tensor(images) and images:dim() <= 3)
end

-- A call's images as an array (an [N, C, H, W] batch stays one entry), and
-- whether it was one image, whose answer is then not wrapped in an array.
function vision.image_list(task, images)
  local single = vision.single(images)
  local list = single and { images } or images
  if torch.is_tensor(list) then list = { list } end
  if type(list) ~= "table" then
    error(task .. ": an image path, a [C, H, W] tensor or an array of them expected, got a " .. type(images), 0)
  end
  return list, single
end

-- The processor's pixel_values for `list` in batches of `size`, on `device`, each
-- handed to `fn`.
function vision.each_batch(list, size, processor, device, fn)
  for start = 1, #list, size do
    local pixels = processor({ table.unpack(list, start, math.min(#list, start + size - 1)) }).pixel_values
    if device then pixels = pixels:to(device) end
    fn(pixels)
  end
end

-- pipeline("image-classification", source, {device, top_k, batch_size}) ->
-- classify(images, {top_k}): an image gives an array of {label, score}, best
-- first; an array of images (or an [N, C, H, W] batch) one such array each.
hf.tasks["image-classification"] = function(source, options)
  local task = "image-classification"
  options = vision.check_options(task, options, { device = true, top_k = true, batch_size = true })
  local config, folder = hf.config(hf.resolve(source, { "*.json", "model.safetensors" }))
  local name = classifierFor(config)
  if not name then
    error(string.format("%s: Kiln has no image classifier for model_type '%s'", task, tostring(config.model_type)), 0)
  end
  local model = hf.from_pretrained(folder, { architecture = name, device = options.device })
  local processor = hf.image_processor(folder)
  local topK, batchSize, device = options.top_k or 5, options.batch_size or 8, options.device
  return function(images, callOptions)
    callOptions = vision.check_options(task, callOptions, { top_k = true })
    local k = callOptions.top_k or topK
    local list, single = vision.image_list(task, images)
    local results = {}
    torch.no_grad(function()
      vision.each_batch(list, batchSize, processor, device, function(pixels)
        local scores = vision.scores(model.config, model(pixels).logits):float():cpu()
        for i = 0, scores:size(0) - 1 do
          results[#results + 1] = vision.top(scores[i], k, function(index) return hf.label(model.config, index) end)
        end
      end)
    end)
    if single then return results[1] end
    return results
  end
end

return vision
