"""A SentencePiece model trained by Python's sentencepiece on the parity corpus,
and what sentencepiece makes of each corpus text: ids, pieces, code-point spans
and the decoded text. Usage: spm_parity.py unigram|bpe MODEL_OUT CORPUS_JSON REFERENCE_OUT"""
import io
import json
import sys

import sentencepiece

kind, model_path, corpus_path, reference_path = sys.argv[1:5]
corpus = json.load(open(corpus_path, encoding="utf-8"))
training = corpus * 3 + ["The quick brown fox jumps over the lazy dog. " * 3,
                         "Numbers 12345 and 3.14159, dates 2026-11-28, prices $9.99 and 100%."]
model = io.BytesIO()
# BPE with byte fallback as Llama's; Unigram with NFKC rules as T5's and XLM-R's.
options = dict(byte_fallback=True, normalization_rule_name="identity", vocab_size=700) if kind == "bpe" else \
    dict(normalization_rule_name="nmt_nfkc", vocab_size=300)
sentencepiece.SentencePieceTrainer.train(sentence_iterator=iter(training), model_writer=model, model_type=kind,
                                         character_coverage=0.995, minloglevel=2, **options)
with open(model_path, "wb") as file:
    file.write(model.getvalue())
processor = sentencepiece.SentencePieceProcessor(model_proto=model.getvalue())
encodings = []
for text in corpus:
    proto = processor.encode(text, out_type="immutable_proto")
    ids = [piece.id for piece in proto.pieces]
    encodings.append({"ids": ids, "tokens": [piece.piece for piece in proto.pieces],
                      "offsets": [[piece.begin, piece.end] for piece in proto.pieces], "decoded": processor.decode(ids)})
json.dump({"vocab_size": processor.get_piece_size(), "encodings": encodings}, open(reference_path, "w", encoding="utf-8"),
          ensure_ascii=False)
