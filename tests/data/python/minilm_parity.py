"""Sentence embeddings of all-MiniLM-L6-v2 as sentence-transformers computes them
(transformers' BertModel, mean pooling over the attention mask, L2 normalized,
at most 256 tokens), compared with Kiln's (a torch.save file).
Usage: minilm_parity.py MODEL_DIR SENTENCES_JSON KILN_EMBEDDINGS.pt
Prints the smallest cosine similarity and the largest absolute difference."""
import json
import sys

import torch
from transformers import AutoModel, AutoTokenizer

folder, sentences_path, kiln_path = sys.argv[1:4]
sentences = json.load(open(sentences_path, encoding="utf-8"))
tokenizer = AutoTokenizer.from_pretrained(folder)
model = AutoModel.from_pretrained(folder).eval()
parts = []
with torch.no_grad():
    for start in range(0, len(sentences), 32):
        batch = tokenizer(sentences[start:start + 32], padding=True, truncation=True, max_length=256, return_tensors="pt")
        hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        parts.append(torch.nn.functional.normalize(pooled, p=2, dim=1))
reference = torch.cat(parts)
kiln = torch.load(kiln_path)
assert kiln.shape == reference.shape, (kiln.shape, reference.shape)
cosine = torch.nn.functional.cosine_similarity(kiln.double(), reference.double(), dim=1)
print("min_cosine %.9f max_abs %.3g rows %d" % (cosine.min().item(), (kiln - reference).abs().max().item(), len(sentences)))
