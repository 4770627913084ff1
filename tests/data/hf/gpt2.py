"""A tiny random GPT-2 (GPT2LMHeadModel) saved with transformers' save_pretrained
(safetensors, lm_head tied and left out), and its outputs, the reference for
Kiln's GPT-2: logits on a left-padded batch, the base model's hidden states,
greedy generation (with and without an eos that stops one row), seeded
sampling, and the text-generation pipeline's texts with a small WordPiece
tokenizer of the model's 97 ids. A second folder, base/, holds the same weights
as a GPT2Model checkpoint named as openai-community/gpt2's (wte.weight, h.0...,
attn.bias); a third, bpe/, a tiny GPT-2 with a byte-level BPE tokenizer as
GPT-2's (300 ids), whose text cuts characters between tokens.
Usage: gpt2.py OUT_DIR"""
import os
import sys

import torch
from safetensors.torch import save_file
from tokenizers import ByteLevelBPETokenizer, Tokenizer, decoders, models, normalizers, pre_tokenizers
from transformers import GPT2Config, GPT2LMHeadModel, GPT2TokenizerFast, PreTrainedTokenizerFast, pipeline

out = sys.argv[1]
torch.manual_seed(0)
config = GPT2Config(vocab_size=97, n_embd=32, n_layer=2, n_head=4, n_positions=64, n_inner=None,
                    activation_function="gelu_new", bos_token_id=96, eos_token_id=96, initializer_range=0.3)
model = GPT2LMHeadModel(config).eval()
model.save_pretrained(out)

# The base model's weights as older checkpoints name them, with their causal-mask buffers.
base = {name: tensor.contiguous() for name, tensor in model.transformer.state_dict().items()}
for i in range(config.n_layer):
    base[f"h.{i}.attn.bias"] = torch.tril(torch.ones(64, 64, dtype=torch.bool)).view(1, 1, 64, 64)
os.makedirs(os.path.join(out, "base"), exist_ok=True)
save_file(base, os.path.join(out, "base", "model.safetensors"), metadata={"format": "pt"})
config.save_pretrained(os.path.join(out, "base"))


def positions(mask):
    # As generate computes them from the mask.
    return (mask.long().cumsum(-1) - 1).masked_fill(mask == 0, 0)


ids = torch.tensor([[5, 17, 33, 8, 9, 41, 12, 60], [0, 0, 0, 44, 45, 46, 3, 61]])
mask = torch.tensor([[1, 1, 1, 1, 1, 1, 1, 1], [0, 0, 0, 1, 1, 1, 1, 1]])
ref = {"input_ids": ids, "attention_mask": mask}
with torch.no_grad():
    ref["logits"] = model(input_ids=ids, attention_mask=mask, position_ids=positions(mask)).logits
    ref["hidden"] = model.transformer(input_ids=ids, attention_mask=mask,
                                      position_ids=positions(mask)).last_hidden_state
    # Greedy, 12 new tokens, on the padded batch and on one unpadded prompt.
    ref["greedy"] = model.generate(ids, attention_mask=mask, max_new_tokens=12, do_sample=False, eos_token_id=None,
                                   pad_token_id=0)
    prompt = torch.tensor([[7, 3, 22, 90, 14, 2]])
    ref["prompt"] = prompt
    ref["greedy_single"] = model.generate(prompt, max_new_tokens=12, do_sample=False, eos_token_id=None,
                                          pad_token_id=0)
    # An eos that row 0 generates a few tokens in and row 1 never: row 0 stops there
    # and is padded after, row 1 runs on.
    new0, new1 = ref["greedy"][0, 8:].tolist(), ref["greedy"][1, 8:].tolist()
    eos = next(t for i, t in enumerate(new0) if i >= 2 and t not in new0[:i] and t not in new1)
    ref["eos"] = torch.tensor(eos)
    ref["greedy_eos"] = model.generate(ids, attention_mask=mask, max_new_tokens=12, do_sample=False,
                                       eos_token_id=eos, pad_token_id=1)
    # Seeded sampling: temperature, top-k and top-p together.
    torch.manual_seed(1234)
    ref["sampled"] = model.generate(ids, attention_mask=mask, max_new_tokens=12, do_sample=True, temperature=0.8,
                                    top_k=20, top_p=0.9, eos_token_id=None, pad_token_id=0)
    torch.manual_seed(99)
    ref["sampled_default"] = model.generate(prompt, max_new_tokens=12, do_sample=True, eos_token_id=None,
                                            pad_token_id=0)

# A WordPiece tokenizer with one token per id, and transformers' pipeline on it, greedy.
words = ["the", "a", "cat", "dog", "sat", "on", "mat", "and", "ran", "to", "house", "big", "small", "red", "blue",
         "is", "was", "it", "he", "she", "they", "saw", "bird", "tree", "in", "of", "with", "day", "night", "sun",
         "sky", "sea", "home", "cold", "warm", "green"]
vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + list("abcdefghijklmnopqrstuvwxyz.,!") + words
vocab += ["##" + c for c in "abcdefghijklmnopqrstuvwxyz"] + ["[EOS]"]
assert len(vocab) == config.vocab_size
tokenizer = Tokenizer(models.WordPiece({w: i for i, w in enumerate(vocab)}, unk_token="[UNK]"))
tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
tokenizer.decoder = decoders.WordPiece()
PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="[UNK]", pad_token="[PAD]",
                        eos_token="[EOS]").save_pretrained(out)
generator = pipeline("text-generation", model=out, tokenizer=out, device="cpu")
texts = ["the cat sat on the mat", "a big red dog ran home to the sea and"]
ref["texts"] = [generator(text, do_sample=False, max_new_tokens=8)[0]["generated_text"] for text in texts]

# Byte-level BPE, as GPT-2's tokenizer.json, on a prompt with accents and an emoji.
bpe = os.path.join(out, "bpe")
corpus = ["the café is on the corner of the street", "naïve cats sit on mats", "emoji 🙂 and 🎉 are fun",
          "über straße façade"] * 20
trained = ByteLevelBPETokenizer()
trained.train_from_iterator(corpus, vocab_size=300, min_frequency=1, special_tokens=["<|endoftext|>"])
GPT2TokenizerFast(tokenizer_object=trained._tokenizer, bos_token="<|endoftext|>", eos_token="<|endoftext|>",
                  unk_token="<|endoftext|>").save_pretrained(bpe)
torch.manual_seed(0)
GPT2LMHeadModel(GPT2Config(vocab_size=300, n_embd=32, n_layer=2, n_head=4, n_positions=64, bos_token_id=0,
                           eos_token_id=0, initializer_range=0.3)).eval().save_pretrained(bpe)
ref["bpe_text"] = pipeline("text-generation", model=bpe, tokenizer=bpe, device="cpu")(
    "the café 🙂", do_sample=False, max_new_tokens=10)[0]["generated_text"]
torch.save(ref, os.path.join(out, "reference.pt"))
print("ok")
