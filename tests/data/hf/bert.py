"""A tiny random BERT saved with transformers' save_pretrained (safetensors), and
its outputs on a padded batch with two segments, the reference for Kiln's BERT.
Usage: bert.py OUT_DIR"""
import json
import os
import sys

import torch
from transformers import BertConfig, BertModel

out = sys.argv[1]
torch.manual_seed(0)
config = BertConfig(vocab_size=101, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=37,
                    max_position_embeddings=64, type_vocab_size=2, hidden_act="gelu")
model = BertModel(config).eval()
model.save_pretrained(out)
ids = torch.tensor([[2, 17, 33, 5, 9, 3, 0, 0], [2, 44, 45, 46, 3, 60, 61, 3]])
mask = torch.tensor([[1, 1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1]])
types = torch.tensor([[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 1, 1, 1]])
with torch.no_grad():
    result = model(input_ids=ids, attention_mask=mask, token_type_ids=types)
torch.save({"input_ids": ids, "attention_mask": mask, "token_type_ids": types,
            "last_hidden_state": result.last_hidden_state, "pooler_output": result.pooler_output},
           os.path.join(out, "reference.pt"))
print("ok")
