#!/usr/bin/env python3
"""Independent brat standoff reader used by the Rust tests (no third-party packages).

usage:
  brat.py check TXT ANN       -> checks every T line's covered text against TXT[start:end] (code
                                 points, as Python indexes str); prints the number of T lines
  brat.py compare A.ann B.ann -> exit 0 if both hold the same annotations: text-bound ones (type,
                                 offsets), relations, events (type, trigger, arguments in order),
                                 equivalences, and the attributes, notes and normalizations of each;
                                 ids and line order are ignored (annotations are compared by what
                                 they say, events and relations by their ends written out)
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
    rows = [(n, line.split("\t")) for n, line in lines(path)]
    t = {}
    for _, f in rows:
        if f[0].startswith("T"):
            typ, offs = f[1].split(" ", 1)
            t[f[0]] = ("T", typ, offs)
    events = {f[0]: f[1].split() for _, f in rows if f[0].startswith("E")}

    def key(ident, depth=0):
        """What an id names, written out (events with their trigger and arguments)."""
        if ident in t:
            return t[ident]
        if ident in events and depth < 8:
            words = events[ident]
            typ, trigger = words[0].split(":", 1)
            args = tuple((r, key(a, depth + 1)) for r, a in (w.split(":", 1) for w in words[1:]))
            return ("E", typ, key(trigger, depth + 1), args)
        if ident in relations:
            return relations[ident]
        return ("?", ident)

    relations = {}
    for _, f in rows:
        if f[0].startswith("R"):
            words = f[1].split()
            args = [a.split(":", 1)[1] for a in words[1:]]
            relations[f[0]] = ("R", words[0]) + tuple(key(a) for a in args)
    items = set()
    for v in t.values():
        items.add(v)
    for ident in events:
        items.add(key(ident))
    for v in relations.values():
        items.add(v)
    notes = {}
    for _, f in rows:
        ident, words = f[0], f[1].split()
        if ident.startswith("*"):
            items.add(("*", words[0], frozenset(key(m) for m in words[1:])))
        elif ident[0] in "AM":
            items.add(("A", words[0], key(words[1]), words[2] if len(words) > 2 else None))
        elif ident.startswith("N"):
            items.add(("N", words[0], key(words[1]), words[2], f[2] if len(f) > 2 else ""))
        elif ident.startswith("#"):
            # Several notes of one type on one annotation: the order of their lines is kept.
            notes.setdefault((words[0], key(words[1])), []).append(f[2] if len(f) > 2 else "")
    for (typ, target), texts in notes.items():
        items.add(("#", typ, target, tuple(texts)))
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
