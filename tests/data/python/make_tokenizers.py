"""Tokenizers of every family Kiln reads, trained with Python's `tokenizers` on a
small corpus and assembled as the real models' files are (GPT-2, RoBERTa, CLIP,
a SentencePiece Unigram, a Llama-style BPE with byte fallback, and XLM-R's
converted SentencePiece model with its Precompiled normalizer), each written
to OUT_DIR/NAME.json. Usage: make_tokenizers.py CORPUS_JSON OUT_DIR"""
import json
import os
import sys

from tokenizers import (AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors,
                        trainers)

corpus = json.load(open(sys.argv[1], encoding="utf-8"))
out = sys.argv[2]
os.makedirs(out, exist_ok=True)
# More text than the parity corpus, so that merges and pieces are varied; the
# alphabet stays small on purpose so that unknown characters happen.
training = corpus * 3 + [
    "The quick brown fox jumps over the lazy dog. " * 3,
    "It's what they'll say: we've seen it, I'm sure, and you'd agree they're right.",
    "Numbers 12345 and 3.14159, dates 2026-11-28, prices $9.99 and 100%.",
    "def tokenize(text): return [t for t in text.split() if t]",
]


def save(tokenizer, name):
    tokenizer.save(os.path.join(out, name + ".json"))


# GPT-2: byte-level BPE, no prefix space, offsets trimmed.
gpt2 = Tokenizer(models.BPE())
gpt2.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
gpt2.decoder = decoders.ByteLevel()
gpt2.post_processor = processors.ByteLevel(trim_offsets=True)
gpt2.train_from_iterator(training, trainers.BpeTrainer(vocab_size=600, special_tokens=["<|endoftext|>"],
                                                       initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
save(gpt2, "gpt2")

# RoBERTa: byte-level BPE with a prefix space, <s> A </s></s> B </s>, a <mask> that takes the space before it.
roberta = Tokenizer(models.BPE(unk_token=None))
roberta.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
roberta.decoder = decoders.ByteLevel()
roberta.train_from_iterator(training, trainers.BpeTrainer(vocab_size=700, special_tokens=["<s>", "<pad>", "</s>", "<unk>"],
                                                          initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
roberta.add_special_tokens([AddedToken("<mask>", lstrip=True, normalized=False)])
roberta.post_processor = processors.RobertaProcessing(("</s>", roberta.token_to_id("</s>")),
                                                      ("<s>", roberta.token_to_id("<s>")), trim_offsets=True,
                                                      add_prefix_space=True)
save(roberta, "roberta")

# CLIP: lower-cased, whitespace collapsed, split by its own pattern, BPE with an end-of-word suffix.
clip = Tokenizer(models.BPE(unk_token="<|endoftext|>", end_of_word_suffix="</w>"))
clip.normalizer = normalizers.Sequence([normalizers.NFC(), normalizers.Replace(Regex(r"\s+"), " "), normalizers.Lowercase()])
clip.pre_tokenizer = pre_tokenizers.Sequence([
    pre_tokenizers.Split(Regex(r"""'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"""), behavior="removed",
                         invert=True),
    pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
])
clip.decoder = decoders.ByteLevel()
clip.train_from_iterator(training, trainers.BpeTrainer(vocab_size=700, special_tokens=["<|startoftext|>", "<|endoftext|>"],
                                                       end_of_word_suffix="</w>",
                                                       initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
clip.post_processor = processors.RobertaProcessing(("<|endoftext|>", clip.token_to_id("<|endoftext|>")),
                                                   ("<|startoftext|>", clip.token_to_id("<|startoftext|>")),
                                                   trim_offsets=False, add_prefix_space=False)
save(clip, "clip")

# SentencePiece Unigram (T5, ALBERT, XLM-R style): NFKC, spaces collapsed, Metaspace, "$A </s>".
unigram = Tokenizer(models.Unigram())
unigram.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")])
unigram.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
unigram.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
unigram.train_from_iterator(training, trainers.UnigramTrainer(vocab_size=400, special_tokens=["<pad>", "</s>", "<unk>"],
                                                              unk_token="<unk>", max_piece_length=8))
unigram.post_processor = processors.TemplateProcessing(single="$A </s>", pair="$A </s> $B </s>",
                                                       special_tokens=[("</s>", unigram.token_to_id("</s>"))])
save(unigram, "unigram")

# Llama-style BPE: "▁" for spaces in the normalizer, no pre-tokenizer, byte fallback for what the
# vocabulary lacks, "<s> $A"; decoded by replacing, falling back to bytes, fusing and stripping.
llama = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True, fuse_unk=True))
llama.normalizer = normalizers.Sequence([normalizers.Prepend("\u2581"), normalizers.Replace(" ", "\u2581")])
llama.decoder = decoders.Sequence([decoders.Replace("\u2581", " "), decoders.ByteFallback(), decoders.Fuse(),
                                   decoders.Strip(content=" ", left=1, right=0)])
llama.train_from_iterator(training, trainers.BpeTrainer(vocab_size=500, special_tokens=["<unk>", "<s>", "</s>"],
                                                        limit_alphabet=60))
spec = json.loads(llama.to_str())
# Byte tokens in the model's own vocabulary, as Llama has them, but only for
# some bytes: characters whose bytes are all there fall back, the others are <unk>.
vocab = spec["model"]["vocab"]
for byte in list(range(0x00, 0x80)) + list(range(0xC0, 0xF0)) + list(range(0x80, 0xA0)):
    vocab.setdefault("<0x%02X>" % byte, len(vocab))
llama = Tokenizer.from_str(json.dumps(spec))
llama.post_processor = processors.TemplateProcessing(single="<s> $A", pair="<s> $A <s> $B",
                                                     special_tokens=[("<s>", llama.token_to_id("<s>"))])
save(llama, "llama")

# XLM-R as the Hub has it: a SentencePiece Unigram trained with NFKC rules by
# Python's sentencepiece, converted by transformers (the Precompiled normalizer
# carries the compiled rules; fairseq's ids for <s>, <pad>, </s>, <unk>).
import io
import shutil
import tempfile

import sentencepiece
from transformers import XLMRobertaTokenizer

with tempfile.TemporaryDirectory() as folder:
    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(sentence_iterator=iter(training + corpus[-1:] * 3), model_writer=model,
                                             vocab_size=300, model_type="unigram", normalization_rule_name="nmt_nfkc",
                                             character_coverage=0.995, minloglevel=2)
    with open(os.path.join(folder, "sentencepiece.bpe.model"), "wb") as file:
        file.write(model.getvalue())
    XLMRobertaTokenizer.from_pretrained(folder).save_pretrained(os.path.join(folder, "out"))
    shutil.copy(os.path.join(folder, "out", "tokenizer.json"), os.path.join(out, "xlmr.json"))
print("ok")
