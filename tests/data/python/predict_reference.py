"""Models and expected numbers for `kiln predict` (tst_predict), from PyTorch.

Usage: predict_reference.py DIR. Reads DIR/photo.rgb (raw 8-bit RGB, 37 wide and
29 high, which the test also wrote as DIR/photo.png) and writes:
  dict.pt      forward(x) returns {"logits": [N,3], "score": [N]}
  pair.pt      forward(x, y) returns x.sum(1) + 10 * y.sum(1)
  sequence.pt  an LSTM over [N,T,F] sequences, its last step through a Linear
  sequences.pt [4,5,3] sequences; sequence_expected.txt what the model gives
  flat.pt      forward(x) returns x.flatten(1)
  photo_expected.txt the photo as torchvision's Resize((20, 20), antialias=True)
               on the uint8 tensor gives it, then scaled by 1/255
"""
import sys
from pathlib import Path
from typing import Dict

import torch
import torch.nn.functional as F

out = Path(sys.argv[1])
torch.manual_seed(5)


class Dict3(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(4, 3)

    def forward(self, x) -> Dict[str, torch.Tensor]:
        return {"logits": self.fc(x), "score": x.sum(1)}


class Pair(torch.nn.Module):
    def forward(self, x, y):
        return x.sum(1) + 10 * y.sum(1)


class Sequence(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(3, 6, batch_first=True)
        self.head = torch.nn.Linear(6, 2)

    def forward(self, x):
        output, _ = self.lstm(x)
        return self.head(output[:, -1])


class Flat(torch.nn.Module):
    def forward(self, x):
        return x.flatten(1)


torch.jit.script(Dict3()).save(str(out / "dict.pt"))
torch.jit.script(Pair()).save(str(out / "pair.pt"))
sequence = Sequence().eval()
torch.jit.trace(sequence, torch.zeros(1, 2, 3)).save(str(out / "sequence.pt"))
sequences = torch.randn(4, 5, 3)
torch.save(sequences, out / "sequences.pt")
with torch.no_grad():
    expected = sequence(sequences)
(out / "sequence_expected.txt").write_text(" ".join(repr(v) for v in expected.flatten().tolist()))
torch.jit.script(Flat()).save(str(out / "flat.pt"))
pixels = torch.frombuffer(bytearray((out / "photo.rgb").read_bytes()), dtype=torch.uint8).reshape(29, 37, 3)
pixels = pixels.permute(2, 0, 1).unsqueeze(0).contiguous()
resized = F.interpolate(pixels, size=(20, 20), mode="bilinear", align_corners=False, antialias=True)
(out / "photo_expected.txt").write_text(" ".join(repr(v) for v in (resized.float() / 255).flatten().tolist()))
print("ok")
