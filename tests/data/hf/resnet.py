"""Tiny random ResNets saved with transformers' save_pretrained: a bottleneck
classifier with the preprocessor_config.json of a ConvNextImageProcessor (what
microsoft/resnet-50 ships: shortest edge / crop_pct, bicubic, center crop), and
in basic/ a basic-block ResNetModel whose checkpoint lacks num_batches_tracked.
References for Kiln's ResNet: logits and features on given pixel_values, the
processor's pixel_values for a small PNG (bicubic, enlarging), and the
image-classification pipeline's answer on it.
Usage: resnet.py OUT_DIR"""
import os
import sys

import numpy as np
import torch
from PIL import Image
from safetensors.torch import load_file, save_file
from transformers import ConvNextImageProcessor, ResNetConfig, ResNetForImageClassification, ResNetModel, pipeline

out = sys.argv[1]
torch.manual_seed(0)


def randomize_batch_norms(model):
    # Running statistics and affine weights away from 0 and 1, so that they count.
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.running_mean.uniform_(-0.5, 0.5)
                module.running_var.uniform_(0.5, 2.0)
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.2, 0.2)


labels = ["oak", "elm", "ash", "yew", "fir", "larch"]
config = ResNetConfig(embedding_size=8, hidden_sizes=[16, 24, 32], depths=[1, 2, 1], layer_type="bottleneck",
                      downsample_in_bottleneck=True, id2label=dict(enumerate(labels)),
                      label2id={name: i for i, name in enumerate(labels)})
model = ResNetForImageClassification(config).eval()
randomize_batch_norms(model)
with torch.no_grad():
    model.classifier[1].weight.mul_(20)
model.save_pretrained(out)
processor = ConvNextImageProcessor(size={"shortest_edge": 64}, crop_pct=0.875)
processor.save_pretrained(out)

basic_config = ResNetConfig(embedding_size=8, hidden_sizes=[8, 16], depths=[2, 1], layer_type="basic",
                            downsample_in_first_stage=True)
basic = ResNetModel(basic_config).eval()
randomize_batch_norms(basic)
basic_dir = os.path.join(out, "basic")
basic.save_pretrained(basic_dir)
weights = os.path.join(basic_dir, "model.safetensors")
tensors = {k: v for k, v in load_file(weights).items() if not k.endswith("num_batches_tracked")}
save_file(tensors, weights, metadata={"format": "pt"})

# A 50x37 gradient with noise: enlarged by the processor.
rng = np.random.default_rng(0)
y, x = np.mgrid[0:37, 0:50]
pixels = np.stack([x * 5, y * 6, (x + y) * 3], axis=-1) + rng.integers(-40, 40, size=(37, 50, 3))
png = os.path.join(out, "image.png")
Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB").save(png)

pixel_values = torch.randn(2, 3, 64, 48)
with torch.no_grad():
    logits = model(pixel_values=pixel_values).logits
    features = basic(pixel_values=pixel_values)
    processed = processor(Image.open(png), return_tensors="pt").pixel_values
answer = pipeline("image-classification", model=out, device="cpu")(png)
torch.save({"pixel_values": pixel_values, "logits": logits, "basic_hidden": features.last_hidden_state,
            "basic_pooled": features.pooler_output, "processed": processed,
            "labels": [a["label"] for a in answer], "scores": torch.tensor([a["score"] for a in answer])},
           os.path.join(out, "reference.pt"))
print("ok", [(a["label"], round(a["score"], 4)) for a in answer])
