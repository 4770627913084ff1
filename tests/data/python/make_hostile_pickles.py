"""Writes torch.save-shaped archives whose pickles attack the reader's walks.

Usage: make_hostile_pickles.py OUT_DIR

Each file is a zip as torch.save lays it out (archive/data.pkl, archive/version)
around a hand-written pickle, since PyTorch's own pickler never writes these:
  self-containing-list.pt  a list appended to itself through the memo
  shared-tuples.pt         40 tuples each holding the previous twice: 2^40 leaves as a tree
  deep-tuples.pt           tuples nested 100,000 deep, built from the inside out
  deep-lists.pt            lists nested 100,000 deep, built from the outside in
  benign-shared.pt         a dict holding the same small list twice: must load
"""
import struct
import sys
import zipfile
from pathlib import Path


def binput(i):
    return b"q" + bytes([i]) if i < 256 else b"r" + struct.pack("<I", i)


def binget(i):
    return b"h" + bytes([i]) if i < 256 else b"j" + struct.pack("<I", i)


def short_string(s):
    data = s.encode()
    return b"\x8c" + bytes([len(data)]) + data


def pickles():
    yield "self-containing-list", b"\x80\x02]" + binput(0) + binget(0) + b"a."

    shared = b"\x80\x02)" + binput(0)
    for i in range(40):
        shared += binget(i) + binget(i) + b"\x86" + binput(i + 1)
    yield "shared-tuples", shared + b"."

    yield "deep-tuples", b"\x80\x02)" + b"\x85" * 100000 + b"."

    deep = b"\x80\x02]" + binput(0)
    for i in range(1, 100001):
        # parent on the stack, a new empty list memoized, appended to it, parent popped
        deep += binget(i - 1) + b"]" + binput(i) + b"a0"
    yield "deep-lists", deep + b"."

    # {"a": L, "b": L} with L = [1, 2]: sharing that is fine
    yield "benign-shared", (b"\x80\x02}" + binput(0) + b"(" + short_string("a") + b"](K\x01K\x02e" + binput(1)
                            + short_string("b") + binget(1) + b"u.")


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, pickle in pickles():
        with zipfile.ZipFile(out / f"{name}.pt", "w", zipfile.ZIP_STORED) as archive:
            archive.writestr(f"{name}/data.pkl", pickle)
            archive.writestr(f"{name}/byteorder", "little")
            archive.writestr(f"{name}/version", "3\n")
    print("wrote", ", ".join(name for name, _ in pickles()))


if __name__ == "__main__":
    main()
