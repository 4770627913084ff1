"""Tiny random BERT task models saved with transformers' save_pretrained, and their
logits on a padded batch with two segments: the reference for Kiln's BERT heads.
Usage: bert_heads.py OUT_DIR
Writes OUT_DIR/{seq,token,mlm,untied,legacy,base}/ and OUT_DIR/reference.pt."""
import os
import sys

import torch
from safetensors.torch import load_file, save_file
from transformers import BertConfig, BertForMaskedLM, BertForSequenceClassification, BertForTokenClassification, BertModel

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
sizes = dict(vocab_size=101, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=37,
             max_position_embeddings=64, type_vocab_size=2)


def randomized(model):
    # transformers initializes biases and LayerNorms to constants; random values
    # make a misplaced or unloaded tensor show in the logits.
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.1)
    return model.eval()


labels = {0: "NEG", 1: "NEU", 2: "POS"}
tags = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
models = {
    "seq": BertForSequenceClassification(BertConfig(**sizes, id2label=labels, label2id={v: k for k, v in labels.items()})),
    "token": BertForTokenClassification(BertConfig(**sizes, id2label=dict(enumerate(tags)),
                                                   label2id={t: i for i, t in enumerate(tags)})),
    "mlm": BertForMaskedLM(BertConfig(**sizes, hidden_act="gelu_new")),
    "untied": BertForMaskedLM(BertConfig(**sizes, tie_word_embeddings=False)),
    "base": BertModel(BertConfig(**sizes)),
}
ids = torch.tensor([[2, 17, 33, 5, 9, 3, 0, 0], [2, 44, 45, 46, 3, 60, 61, 3]])
mask = torch.tensor([[1, 1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1]])
types = torch.tensor([[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 1, 1, 1]])
reference = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
for name, model in models.items():
    randomized(model).save_pretrained(os.path.join(out, name))
    if name != "base":
        with torch.no_grad():
            reference[name] = model(input_ids=ids, attention_mask=mask, token_type_ids=types).logits
assert models["untied"].cls.predictions.decoder.weight is not models["untied"].bert.embeddings.word_embeddings.weight

# A checkpoint as bert-base-uncased's is stored: LayerNorm gamma/beta, the tied
# decoder weight written out, and the pretraining heads Kiln does not build.
tensors = load_file(os.path.join(out, "mlm", "model.safetensors"))
legacy = {}
for key, value in tensors.items():
    key = key.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta")
    legacy[key] = value
legacy["cls.predictions.decoder.weight"] = tensors["bert.embeddings.word_embeddings.weight"].clone()
legacy["cls.seq_relationship.weight"] = torch.randn(2, 32)
legacy["cls.seq_relationship.bias"] = torch.randn(2)
legacy["bert.pooler.dense.weight"] = torch.randn(32, 32)
legacy["bert.pooler.dense.bias"] = torch.randn(32)
os.makedirs(os.path.join(out, "legacy"), exist_ok=True)
save_file(legacy, os.path.join(out, "legacy", "model.safetensors"), metadata={"format": "pt"})
with open(os.path.join(out, "mlm", "config.json")) as source, open(os.path.join(out, "legacy", "config.json"), "w") as copy:
    copy.write(source.read())
torch.save(reference, os.path.join(out, "reference.pt"))
print("ok")
