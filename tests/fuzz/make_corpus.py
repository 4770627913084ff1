#!/usr/bin/env python3
"""Writes the seed corpora of Kiln's fuzz targets under tests/fuzz/corpus/.

Run it with the venv's PyTorch (the one Kiln builds against):

    .venv/bin/python tests/fuzz/make_corpus.py

Text seeds (notebooks, CSVs) are copied from tests/data and resources/examples or
written here; binary seeds (IDX, safetensors, torch.save files and their pickles)
are made by PyTorch itself, so they are what users' files look like. The output is
deterministic and every file stays well under 64 KiB; the results are committed.
"""

import gzip
import io
import json
import os
import shutil
import struct
import sys
import zipfile
from collections import OrderedDict

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(HERE, "corpus")
LIMIT = 64 * 1024


def out(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) >= LIMIT:
        sys.exit(f"{target}/{name} is {len(data)} bytes, over the corpus limit")
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def copy(target, path, name=None):
    with open(path, "rb") as f:
        out(target, name or os.path.basename(path), f.read())


# --- notebooks -----------------------------------------------------------------

def notebooks():
    for folder in ("tests/data/notebooks", "resources/examples"):
        for name in sorted(os.listdir(os.path.join(ROOT, folder))):
            if name.endswith(".kiln.md"):
                copy("notebookformat", os.path.join(ROOT, folder, name))
    out("notebookformat", "sections_breaks.kiln.md",
        "# Sections\n\n## One\n\nText\n\n<!-- kiln:break -->\n\nMore text\n\n## Two\n\n"
        "<!-- kiln:cell {\"collapsed\":true} -->\n````lua\nprint(\"```\")\n````\n\n"
        "~~~python\nnot a cell\n~~~\n\n   ```lua\nindented: markdown\n```\n\n```lua\nunclosed\n")
    out("notebookformat", "outputs_crlf.kiln.md",
        "\ufeff<!-- kiln:notebook {\"persist_outputs\":true} -->\r\n\r\n# T\r\n\r\n```lua\r\nx = 1\r\n```\r\n\r\n"
        "<!-- kiln:output {\"type\":\"plot\",\"series\":[{\"name\":\"loss\",\"x\":[1,2],\"y\":[0.5,0.25]}]} -->\r\n"
        "<!-- kiln:output {\"type\":\"table\",\"columns\":[\"a\"],\"rows\":[[1],[2]]} -->\r\n"
        "<!-- kiln:output {\"type\":\"image\",\"png\":\"iVBORw0KGgo=\"} -->\r\n")


# --- CSV (the first byte picks the reader's options, see fuzz_csvreader.cpp) ------

def csvs():
    folder = os.path.join(ROOT, "tests/data/csv")
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as f:
            out("csvreader", name, b"\x00" + f.read())
    out("csvreader", "quoted_header_present.csv",
        b"\x04" + b'"a,b";c\r\n"x ""y""",1\r\n"open\nquote,2\n')
    out("csvreader", "bad_rows_semicolon.csv",
        b"\x02" + b"a;b;c\n1;2\n3;4;5;6\n;;\n\n\n7;NA;n/a\n\"8\"x;9;1e400\n")
    out("csvreader", "tabs_absent.tsv", b"\x0b" + b"1\t2\t3\n4\t\t+5.5e-3\n-.5\tnan\tNone\n")


# --- IDX -----------------------------------------------------------------------

def idx(tensor, code):
    header = struct.pack(">BBBB", 0, 0, code, tensor.dim())
    header += b"".join(struct.pack(">I", n) for n in tensor.shape)
    fmt = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}[code]
    return header + tensor.numpy().astype(fmt).tobytes()


def idxs():
    g = torch.Generator().manual_seed(7)
    images = torch.randint(0, 256, (3, 4, 4), generator=g, dtype=torch.uint8)
    labels = torch.tensor([3, 1, 9], dtype=torch.uint8)
    out("idxreader", "images-idx3-ubyte", idx(images, 0x08))
    out("idxreader", "labels-idx1-ubyte", idx(labels, 0x08))
    out("idxreader", "int8-idx1", idx(torch.tensor([-1, 0, 1], dtype=torch.int8), 0x09))
    out("idxreader", "int16-idx2", idx(torch.arange(6, dtype=torch.int16).reshape(2, 3) - 3, 0x0B))
    out("idxreader", "int32-idx1", idx(torch.tensor([1 << 20, -5], dtype=torch.int32), 0x0C))
    out("idxreader", "float32-idx2", idx(torch.randn(2, 2, generator=g), 0x0D))
    out("idxreader", "float64-idx1", idx(torch.randn(3, generator=g, dtype=torch.float64), 0x0E))
    out("idxreader", "empty-idx2", idx(torch.zeros(0, 5, dtype=torch.uint8), 0x08))
    # gzip with a fixed mtime, so the file is the same every run.
    for name in ("images-idx3-ubyte", "labels-idx1-ubyte"):
        raw = idx(images, 0x08) if name.startswith("images") else idx(labels, 0x08)
        buf = io.BytesIO()
        with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as f:
            f.write(raw)
        out("idxreader", name + ".gz", buf.getvalue())


# --- safetensors (written by hand: the format is a length, JSON, then the bytes) --

SAFETENSORS_DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16",
                      torch.bfloat16: "BF16", torch.int64: "I64", torch.int32: "I32",
                      torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL"}


def safetensors(tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        data = t.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b""
        header[name] = {"dtype": SAFETENSORS_DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # safetensors pads the header to 8 bytes
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def mlp(seed=0):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))


def cnn(seed=1):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2), torch.nn.Flatten(),
                               torch.nn.LayerNorm(8), torch.nn.Embedding(5, 2))


def safetensorss():
    out("safetensors", "mlp.safetensors", safetensors(mlp().state_dict(), {"format": "pt", "producer": "kiln"}))
    out("safetensors", "cnn.safetensors", safetensors(cnn().state_dict()))
    out("safetensors", "dtypes.safetensors", safetensors(OrderedDict(
        (str(dt).replace("torch.", ""), torch.ones(2, dtype=dt)) for dt in SAFETENSORS_DTYPES)))
    out("safetensors", "empty_and_scalar.safetensors",
        safetensors(OrderedDict([("scalar", torch.tensor(1.5)), ("empty", torch.zeros(0, 3))])))
    out("safetensors", "no_tensors.safetensors", safetensors({}, {"note": "nothing"}))


# --- torch.save state dicts and their pickles -----------------------------------

def saved(obj):
    buf = io.BytesIO()
    torch.save(obj, buf)
    return buf.getvalue()


def pickle_of(pt):
    with zipfile.ZipFile(io.BytesIO(pt)) as z:
        name = next(n for n in z.namelist() if n.endswith("/data.pkl"))
        return z.read(name)


def statedicts():
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    seeds = OrderedDict([
        ("mlp", mlp().state_dict()),
        ("cnn", cnn().state_dict()),
        ("checkpoint", {"model": mlp().state_dict(), "epoch": 3, "lr": 1e-3, "name": "run \u00e9",
                        "flags": [True, False, None], "big": 1 << 70, "neg": -(1 << 40), "pair": (1, 2.5)}),
        # Views share one storage: offsets, strides, a transposed and an expanded tensor.
        ("views", OrderedDict([("base", base), ("row", base[1]), ("col", base[:, 2]), ("t", base.t()),
                               ("expanded", torch.ones(1, 3).expand(4, 3)), ("scalar", torch.tensor(7))])),
        ("dtypes", OrderedDict((str(dt).replace("torch.", ""), torch.ones(2, dtype=dt)) for dt in
                               (torch.float64, torch.float16, torch.bfloat16, torch.int64, torch.int32,
                                torch.int16, torch.int8, torch.uint8, torch.bool, torch.complex64))),
        ("parameter", OrderedDict([("w", torch.nn.Parameter(torch.ones(2, 2)))])),
    ])
    for name, obj in seeds.items():
        pt = saved(obj)
        out("statedict", name + ".pt", pt)
        # fuzz_statedict packs a bare pickle into an archive with storages data/0..15
        # of 256 bytes each; these seeds all fit.
        out("statedict", name + ".pkl", pickle_of(pt))
    # The legacy format (torch.save before PyTorch 1.6). Its storage keys are
    # addresses, so these two seeds differ from run to run.
    for name, obj in (("legacy-state", mlp().state_dict()),
                      ("legacy-views", {"all": torch.arange(6.0), "window": torch.arange(6.0)[1:4], "n": 3})):
        buffer = io.BytesIO()
        torch.save(obj, buffer, _use_new_zipfile_serialization=False)
        out("statedict", name + ".pt", buffer.getvalue())


def npys():
    import io
    import numpy as np

    def npy(array):
        buffer = io.BytesIO()
        np.save(buffer, array)
        return buffer.getvalue()

    arrays = {
        "float32": np.arange(12, dtype=np.float32).reshape(3, 4),
        "int64": np.arange(5, dtype=np.int64),
        "bool": np.array([True, False]),
        "fortran": np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3)),
        "bigendian": np.arange(4, dtype=">i2"),
        "scalar": np.array(1.5, dtype=np.float16),
        "empty": np.zeros((0, 2), dtype=np.uint8),
    }
    for name, array in arrays.items():
        out("npyreader", name + ".npy", npy(array))
    for name, save in (("stored", np.savez), ("deflated", np.savez_compressed)):
        buffer = io.BytesIO()
        save(buffer, a=arrays["float32"], b=arrays["bool"])
        out("npyreader", name + ".npz", buffer.getvalue())


def main():
    if os.path.isdir(CORPUS):
        shutil.rmtree(CORPUS)
    notebooks()
    csvs()
    idxs()
    safetensorss()
    statedicts()
    npys()
    total = sum(len(files) for _, _, files in os.walk(CORPUS))
    print(f"wrote {total} seeds under {os.path.relpath(CORPUS, ROOT)}")


if __name__ == "__main__":
    main()
