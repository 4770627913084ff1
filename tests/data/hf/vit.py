"""A tiny random ViT image classifier saved with transformers' save_pretrained,
with the preprocessor_config.json of its ViTImageProcessor, a small PNG, and the
references for Kiln's ViT: logits on given pixel_values, the processor's
pixel_values for the PNG (bilinear, shrinking), and the image-classification
pipeline's answer on it.
Usage: vit.py OUT_DIR"""
import os
import sys

import numpy as np
import torch
from PIL import Image
from transformers import ViTConfig, ViTForImageClassification, ViTImageProcessor, pipeline

out = sys.argv[1]
torch.manual_seed(0)
labels = ["tabby", "tiger", "lynx", "puma", "ocelot", "serval", "caracal"]
config = ViTConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=37, image_size=32,
                   patch_size=8, num_channels=3, id2label=dict(enumerate(labels)),
                   label2id={name: i for i, name in enumerate(labels)})
model = ViTForImageClassification(config).eval()
with torch.no_grad():
    # Spread the scores, so that the ranking does not hinge on the last digit.
    model.classifier.weight.mul_(20)
model.save_pretrained(out)
processor = ViTImageProcessor(size={"height": 32, "width": 32}, image_mean=[0.5, 0.4, 0.3], image_std=[0.2, 0.25, 0.3])
processor.save_pretrained(out)

# A 50x37 gradient with noise: resized down on both axes.
rng = np.random.default_rng(0)
y, x = np.mgrid[0:37, 0:50]
pixels = np.stack([x * 5, y * 6, (x + y) * 3], axis=-1) + rng.integers(-40, 40, size=(37, 50, 3))
png = os.path.join(out, "image.png")
Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB").save(png)

pixel_values = torch.randn(2, 3, 32, 32)
with torch.no_grad():
    logits = model(pixel_values=pixel_values).logits
    processed = processor(Image.open(png), return_tensors="pt").pixel_values
    base = model.vit(pixel_values=pixel_values).last_hidden_state
answer = pipeline("image-classification", model=out, device="cpu")(png)
torch.save({"pixel_values": pixel_values, "logits": logits, "last_hidden_state": base, "processed": processed,
            "labels": [a["label"] for a in answer], "scores": torch.tensor([a["score"] for a in answer])},
           os.path.join(out, "reference.pt"))
print("ok", [(a["label"], round(a["score"], 4)) for a in answer])
