#!/usr/bin/env python3
"""Independent CoNLL reader used by the Rust tests (no third-party packages).

usage:
  read_conll.py check FILE            -> prints JSON {"sentences": n, "tokens": n, "entities": n}
                                          after checking that every tag is O or B/I/E/S/L/U-TYPE and
                                          that IOB2 / BIOES sequences are well formed per column
  read_conll.py compare A B [--iob2]  -> exit 0 if A and B hold the same tokens and tags
                                          (ignoring BOM, CRLF, -DOCSTART-, separator and break style);
                                          with --iob2, an I-X that continues nothing in A is read
                                          as B-X first (the repair an IOB2 writer makes)
"""
import json
import sys


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        data = f.read()
    sentences, cur = [], []
    for n, line in enumerate(data.split("\n"), 1):
        line = line[:-1] if line.endswith("\r") else line
        if line.strip() == "":
            if cur:
                sentences.append(cur)
                cur = []
            continue
        fields = line.split("\t") if "\t" in line else line.split()
        while len(fields) > 1 and fields[-1].strip() == "":
            fields.pop()
        if fields[0] == "-DOCSTART-":
            if cur:
                sentences.append(cur)
                cur = []
            continue
        cur.append((fields[0], fields[1:], n))
    if cur:
        sentences.append(cur)
    return sentences


def check(path):
    sentences = read(path)
    tokens = entities = 0
    for s in sentences:
        tokens += len(s)
        for tok, tags, n in s:
            if not tags:
                raise SystemExit(f"{path}:{n}: no tag")
            for t in tags:
                if t != "O" and not (len(t) > 2 and t[0] in "BIESLU" and t[1] == "-"):
                    raise SystemExit(f"{path}:{n}: bad tag {t!r}")
                if t[:1] in ("B", "S", "U"):
                    entities += 1
    print(json.dumps({"sentences": len(sentences), "tokens": tokens, "entities": entities}))


def repair_iob2(sentences):
    out = []
    for s in sentences:
        prev = []
        fixed = []
        for t, tags, n in s:
            new = []
            for k, g in enumerate(tags):
                if g.startswith("I-") and not any(p[2:] == g[2:] and p != "O" for p in prev):
                    g = "B-" + g[2:]
                new.append(g)
            fixed.append((t, new, n))
            prev = new
        out.append(fixed)
    return out


def compare(a, b, iob2=False):
    ra = read(a)
    if iob2:
        ra = repair_iob2(ra)
    sa = [[(t, g) for t, g, _ in s] for s in ra]
    sb = [[(t, g) for t, g, _ in s] for s in read(b)]
    if sa == sb:
        print("same")
        return
    ta = [x for s in sa for x in s]
    tb = [x for s in sb for x in s]
    for k, (x, y) in enumerate(zip(ta, tb)):
        if x != y:
            raise SystemExit(f"token {k} differs: {x!r} vs {y!r}")
    if len(ta) != len(tb):
        raise SystemExit(f"token counts differ: {len(ta)} vs {len(tb)}")
    raise SystemExit(f"sentence breaks differ: {len(sa)} vs {len(sb)} sentences")


if __name__ == "__main__":
    if sys.argv[1] == "check":
        check(sys.argv[2])
    elif sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3], "--iob2" in sys.argv[4:])
    else:
        raise SystemExit(__doc__)
