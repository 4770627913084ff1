"""torch.save files in the legacy format (before PyTorch 1.6), for torch.load.

Usage: make_legacy.py DIR -> DIR/legacy/state.pt (a Linear's state dict),
DIR/legacy/checkpoint.pt ({model, step, views sharing one storage, ints}),
DIR/legacy/expected.pt (the same objects in the zip format) and
DIR/legacy/truncated.pt.
"""
import sys
from pathlib import Path

import torch

out = Path(sys.argv[1]) / "legacy"
out.mkdir(parents=True, exist_ok=True)
torch.manual_seed(3)
model = torch.nn.Linear(3, 2)
base = torch.arange(10, dtype=torch.float64)
checkpoint = {"model": model.state_dict(), "step": 7, "window": base[2:5], "all": base,
              "labels": torch.tensor([1, 2, 3]), "mask": torch.tensor([True, False])}
torch.save(model.state_dict(), out / "state.pt", _use_new_zipfile_serialization=False)
torch.save(checkpoint, out / "checkpoint.pt", _use_new_zipfile_serialization=False)
torch.save({"state": model.state_dict(), "checkpoint": checkpoint}, out / "expected.pt")
data = (out / "checkpoint.pt").read_bytes()
(out / "truncated.pt").write_bytes(data[: len(data) - 20])
print("ok")
