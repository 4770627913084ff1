"""NumPy files for data.load_npy/load_npz, with the same arrays as torch tensors.

Usage: make_npy.py DIR -> DIR/npy/*.npy, DIR/npy/arrays.npz (stored),
DIR/npy/compressed.npz (deflated), DIR/npy/expected.pt ({name = tensor}) and
hostile files: truncated, a shape larger than the data, an object array.
"""
import sys
from pathlib import Path

import numpy as np
import torch

out = Path(sys.argv[1]) / "npy"
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(5)
arrays = {
    "float32": rng.standard_normal((3, 4)).astype(np.float32),
    "float64": rng.standard_normal((2, 3, 2)),
    "float16": rng.standard_normal(5).astype(np.float16),
    "int64": np.arange(-5, 7, dtype=np.int64).reshape(3, 4),
    "int32": np.arange(6, dtype=np.int32),
    "int16": np.arange(-3, 3, dtype=np.int16),
    "int8": np.arange(-4, 4, dtype=np.int8),
    "uint8": np.arange(0, 250, 10, dtype=np.uint8),
    "bool": np.array([True, False, True]),
    "fortran": np.asfortranarray(rng.standard_normal((3, 5)).astype(np.float32)),
    "bigendian": np.arange(12, dtype=">i4").reshape(3, 4),
    "bigendian_float": rng.standard_normal(4).astype(">f8"),
    "scalar": np.array(3.5, dtype=np.float32),
    "empty": np.zeros((0, 3), dtype=np.float32),
}
for name, array in arrays.items():
    np.save(out / f"{name}.npy", array)
np.savez(out / "arrays.npz", a=arrays["float32"], b=arrays["int64"])
np.savez_compressed(out / "compressed.npz", weights=arrays["float64"], mask=arrays["bool"])
torch.save({name: torch.from_numpy(array.astype(array.dtype.newbyteorder("="), order="C")) for name, array in arrays.items()},
           out / "expected.pt")
good = (out / "float32.npy").read_bytes()
(out / "truncated.npy").write_bytes(good[:-7])
(out / "lying.npy").write_bytes(good.replace(b"(3, 4)", b"(9, 4)"))
np.save(out / "object.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
(out / "notnumpy.npy").write_bytes(b"hello, world\n")
print("ok")
