#!/usr/bin/env python3
"""Independent brat standoff reader used by the Rust tests (no third-party packages).

usage:
  brat.py check TXT ANN       -> checks every T line's covered text against TXT[start:end] (code
                                 points, as Python indexes str); prints the number of T lines
  brat.py compare A.ann B.ann -> exit 0 if both hold the same text-bound annotations (type,
                                 offsets, attributes, notes, normalizations) and relations between
                                 them; ids, line order and lines about events/relations are ignored
"""
import sys


def lines(path):
    with open(path, encoding="utf-8-sig") as f:
        for n, line in enumerate(f.read().split("\n"), 1):
            if line.strip():
                yield n, line.rstrip("\r")


def check(txt, ann):
    with open(txt, encoding="utf-8-sig", newline="") as f:
        text = f.read()
    count = 0
    for n, line in lines(ann):
        if not line.startswith("T"):
            continue
        _id, mid, covered = line.split("\t", 2)
        _type, offs = mid.split(" ", 1)
        pieces = [tuple(map(int, p.split())) for p in offs.split(";")]
        got = " ".join(text[a:b] for a, b in pieces)
        if got != covered:
            raise SystemExit(f"{ann}:{n}: {covered!r} != text[{offs}] = {got!r}")
        count += 1
    print(count)


def read(path):
    t = {}
    rest = []
    for n, line in lines(path):
        f = line.split("\t")
        if f[0].startswith("T"):
            typ, offs = f[1].split(" ", 1)
            t[f[0]] = (typ, offs)
        else:
            rest.append(f)
    items = set()
    for k in t.values():
        items.add(("T",) + k)
    for f in rest:
        ident, words = f[0], f[1].split()
        if ident.startswith("R"):
            args = [a.split(":", 1)[1] for a in words[1:]]
            if all(a in t for a in args):
                items.add(("R", words[0]) + tuple(t[a] for a in args))
        elif ident[0] in "AM":
            if words[1] in t:
                items.add(("A", words[0], t[words[1]], words[2] if len(words) > 2 else None))
        elif ident.startswith("N"):
            if words[1] in t:
                items.add(("N", words[0], t[words[1]], words[2], f[2] if len(f) > 2 else ""))
        elif ident.startswith("#"):
            if words[1] in t:
                items.add(("#", words[0], t[words[1]], f[2] if len(f) > 2 else ""))
    return items


def compare(a, b):
    x, y = read(a), read(b)
    if x != y:
        raise SystemExit(f"only in {a}: {sorted(x - y)[:5]}\nonly in {b}: {sorted(y - x)[:5]}")
    print(len(x))


if __name__ == "__main__":
    if sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(__doc__)
