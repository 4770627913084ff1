"""Tiny random RoBERTa and XLM-RoBERTa models saved with transformers'
save_pretrained, and their outputs on a batch padded with the padding id (whose
positions count from it): the reference for Kiln's RoBERTa family, on ids only.
Usage: roberta.py OUT_DIR
Writes OUT_DIR/{base,seq,token,mlm,xlmr_seq,xlmr_mlm}/ and OUT_DIR/reference.pt."""
import os
import sys

import torch
from transformers import (RobertaConfig, RobertaForMaskedLM, RobertaForSequenceClassification,
                          RobertaForTokenClassification, RobertaModel, XLMRobertaConfig, XLMRobertaForMaskedLM,
                          XLMRobertaForSequenceClassification)

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
# 40 positions with padding id 1: at most 38 tokens.
sizes = dict(vocab_size=99, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=37,
             max_position_embeddings=40, type_vocab_size=1, pad_token_id=1, bos_token_id=0, eos_token_id=2,
             hidden_act="gelu")


def randomized(model):
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.1)
    return model.eval()


labels = {0: "contradiction", 1: "neutral", 2: "entailment"}
tags = ["O", "B-ORG", "I-ORG"]
models = {
    "base": RobertaModel(RobertaConfig(**sizes)),
    "seq": RobertaForSequenceClassification(RobertaConfig(**sizes, id2label=labels)),
    "token": RobertaForTokenClassification(RobertaConfig(**sizes, id2label=dict(enumerate(tags)))),
    "mlm": RobertaForMaskedLM(RobertaConfig(**sizes)),
    "xlmr_seq": XLMRobertaForSequenceClassification(XLMRobertaConfig(**sizes, id2label=labels)),
    "xlmr_mlm": XLMRobertaForMaskedLM(XLMRobertaConfig(**sizes)),
}
ids = torch.tensor([[0, 17, 33, 5, 9, 2, 1, 1], [0, 44, 45, 46, 2, 2, 61, 2]])
mask = (ids != 1).long()
long_ids = torch.randint(3, 99, (1, 38))
long_ids[0, 0], long_ids[0, -1] = 0, 2
reference = {"input_ids": ids, "attention_mask": mask, "long_ids": long_ids}
for name, model in models.items():
    randomized(model).save_pretrained(os.path.join(out, name))
    with torch.no_grad():
        result = model(input_ids=ids, attention_mask=mask)
        if name == "base":
            reference["last_hidden_state"] = result.last_hidden_state
            reference["pooler_output"] = result.pooler_output
            reference["long_hidden_state"] = model(input_ids=long_ids).last_hidden_state
        else:
            reference[name] = result.logits
torch.save(reference, os.path.join(out, "reference.pt"))
print("ok")
