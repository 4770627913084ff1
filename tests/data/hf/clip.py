"""A tiny random CLIP saved with transformers' save_pretrained, with the
preprocessor_config.json of its CLIPImageProcessor, a small PNG, and the
references for Kiln's CLIP on token ids (Kiln's CLIP tokenizer is not there
yet): the outputs and features on a padded batch (one text padded with its end
token, as openai's checkpoints pad), the legacy end-token pooling of configs
whose eos_token_id is 2, the processor's pixel_values for the PNG (bicubic,
shrinking, center crop) and for gray and transparent copies (made RGB), and
zero-shot scores for three labels, computed as transformers'
zero-shot-image-classification pipeline computes them.
Usage: clip.py OUT_DIR"""
import os
import sys

import numpy as np
import torch
from PIL import Image
from transformers import CLIPConfig, CLIPImageProcessor, CLIPModel

out = sys.argv[1]
torch.manual_seed(0)
text_config = dict(vocab_size=100, hidden_size=32, intermediate_size=37, num_hidden_layers=2, num_attention_heads=4,
                   max_position_embeddings=16, pad_token_id=1, bos_token_id=98, eos_token_id=99)
vision_config = dict(hidden_size=32, intermediate_size=37, num_hidden_layers=2, num_attention_heads=4, image_size=24,
                     patch_size=8)
config = CLIPConfig(text_config=text_config, vision_config=vision_config, projection_dim=12)
model = CLIPModel(config).eval()
with torch.no_grad():
    # A smaller temperature than CLIP's 1/14.3, so that no zero-shot score is 0 or 1.
    model.logit_scale.fill_(1.0)
model.save_pretrained(out)
processor = CLIPImageProcessor(size={"shortest_edge": 24}, crop_size={"height": 24, "width": 24})
processor.save_pretrained(out)

rng = np.random.default_rng(0)
y, x = np.mgrid[0:37, 0:50]
pixels = np.stack([x * 5, y * 6, (x + y) * 3], axis=-1) + rng.integers(-40, 40, size=(37, 50, 3))
png = os.path.join(out, "image.png")
Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB").save(png)
# The same as gray, and with a varying transparency, for do_convert_rgb.
gray, rgba = os.path.join(out, "gray.png"), os.path.join(out, "rgba.png")
Image.open(png).convert("L").save(gray)
alpha = np.clip(x * 5 + y * 2, 0, 255).astype(np.uint8)[..., None]
Image.fromarray(np.concatenate([np.clip(pixels, 0, 255).astype(np.uint8), alpha], axis=-1), "RGBA").save(rgba)

ids = torch.tensor([[98, 5, 17, 33, 99, 1, 1], [98, 44, 45, 46, 47, 48, 99], [98, 7, 8, 99, 99, 99, 99]])
mask = torch.tensor([[1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0, 0]])
pixel_values = torch.randn(2, 3, 24, 24)

# Zero-shot: "This is a photo of {}." for each label, as ids of different lengths.
labels = ["cat", "dog", "car"]
texts = [f"This is a photo of {label}." for label in labels]
text_ids = [[98, 11, 21, 99], [98, 12, 22, 32, 42, 99], [98, 13, 99]]
width = max(len(t) for t in text_ids)
zs_ids = torch.tensor([t + [1] * (width - len(t)) for t in text_ids])
zs_mask = torch.tensor([[1] * len(t) + [0] * (width - len(t)) for t in text_ids])

with torch.no_grad():
    result = model(input_ids=ids, pixel_values=pixel_values, attention_mask=mask)
    text_features = model.get_text_features(input_ids=ids, attention_mask=mask).pooler_output
    image_features = model.get_image_features(pixel_values=pixel_values).pooler_output
    processed = processor(Image.open(png), return_tensors="pt").pixel_values
    processed_gray = processor(Image.open(gray), return_tensors="pt").pixel_values
    processed_rgba = processor(Image.open(rgba), return_tensors="pt").pixel_values
    probs = model(input_ids=zs_ids, pixel_values=processed, attention_mask=zs_mask).logits_per_image[0].softmax(-1)
    model.text_model.eos_token_id = 2
    legacy_features = model.get_text_features(input_ids=ids, attention_mask=mask).pooler_output
ranked = sorted(zip(probs.tolist(), labels), key=lambda pair: -pair[0])
torch.save({"input_ids": ids, "attention_mask": mask, "pixel_values": pixel_values,
            "logits_per_image": result.logits_per_image, "logits_per_text": result.logits_per_text,
            "text_embeds": result.text_embeds, "image_embeds": result.image_embeds,
            "text_features": text_features, "image_features": image_features, "legacy_features": legacy_features,
            "processed": processed, "processed_gray": processed_gray, "processed_rgba": processed_rgba,
            "texts": texts, "text_ids": text_ids,
            "labels": [label for _, label in ranked], "scores": torch.tensor([score for score, _ in ranked])},
           os.path.join(out, "reference.pt"))
print("ok", [(label, round(score, 4)) for score, label in ranked])
