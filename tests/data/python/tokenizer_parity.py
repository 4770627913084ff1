"""Python tokenizers' encodings of a corpus, the reference for Kiln's tokenizer.
Usage: tokenizer_parity.py TOKENIZER_JSON CORPUS_JSON OUT_JSON"""
import json
import sys

from tokenizers import Tokenizer

tokenizer = Tokenizer.from_file(sys.argv[1])
corpus = json.load(open(sys.argv[2], encoding="utf-8"))


def record(encoding):
    return {"ids": encoding.ids, "type_ids": encoding.type_ids, "tokens": encoding.tokens,
            "offsets": [list(o) for o in encoding.offsets], "attention_mask": encoding.attention_mask,
            "special_tokens_mask": encoding.special_tokens_mask}


out = {"single": [], "pair": [], "plain": [], "decoded": []}
for i, text in enumerate(corpus):
    encoding = tokenizer.encode(text)
    out["single"].append(record(encoding))
    out["pair"].append(record(tokenizer.encode(text, corpus[(i + 1) % len(corpus)])))
    out["plain"].append(record(tokenizer.encode(text, add_special_tokens=False)))
    out["decoded"].append(tokenizer.decode(encoding.ids))
json.dump(out, open(sys.argv[3], "w", encoding="utf-8"), ensure_ascii=False)
