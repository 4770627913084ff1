"""Tiny random DistilBERT models saved with transformers' save_pretrained, and
their outputs on a padded batch: the reference for Kiln's DistilBERT.
Usage: distilbert.py OUT_DIR
Writes OUT_DIR/{base,seq,token,mlm,sinusoidal}/ and OUT_DIR/reference.pt."""
import os
import sys

import torch
from transformers import (DistilBertConfig, DistilBertForMaskedLM, DistilBertForSequenceClassification,
                          DistilBertForTokenClassification, DistilBertModel)

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
sizes = dict(vocab_size=97, dim=32, n_layers=2, n_heads=4, hidden_dim=37, max_position_embeddings=24)


def randomized(model):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "position_embeddings" not in name:  # sinusoidal ones stay as they are
                p.add_(torch.randn_like(p) * 0.1)
    return model.eval()


tags = ["O", "B-MISC", "I-MISC", "B-PER"]
models = {
    "base": DistilBertModel(DistilBertConfig(**sizes)),
    "seq": DistilBertForSequenceClassification(DistilBertConfig(**sizes, id2label={0: "no", 1: "yes"})),
    "token": DistilBertForTokenClassification(DistilBertConfig(**sizes, id2label=dict(enumerate(tags)))),
    "mlm": DistilBertForMaskedLM(DistilBertConfig(**sizes, activation="relu")),
    "sinusoidal": DistilBertModel(DistilBertConfig(**sizes, sinusoidal_pos_embds=True)),
}
ids = torch.tensor([[2, 17, 33, 5, 9, 3, 0, 0], [2, 44, 45, 46, 3, 60, 61, 3]])
mask = torch.tensor([[1, 1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1]])
reference = {"input_ids": ids, "attention_mask": mask}
for name, model in models.items():
    randomized(model).save_pretrained(os.path.join(out, name))
    with torch.no_grad():
        result = model(input_ids=ids, attention_mask=mask)
    reference[name] = result.logits if hasattr(result, "logits") else result.last_hidden_state
torch.save(reference, os.path.join(out, "reference.pt"))
print("ok")
