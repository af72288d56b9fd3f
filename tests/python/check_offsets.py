#!/usr/bin/env python3
"""Independent offset checks used by the Rust tests (no third-party packages).

usage:
  check_offsets.py doccano FILE utf16|char -> prints a JSON list, per line, of
      [[start, end, label, covered text], ...] where the covered text is cut by Python itself:
      code points index `str` directly; UTF-16 offsets index the UTF-16-LE encoding.
  check_offsets.py label-studio FILE       -> the same for each task's annotation and prediction
      regions (code points).
  check_offsets.py webanno FILE.tsv TEXT.txt -> checks that every token and sub-token line's
      UTF-16 offsets cut its own text out of TEXT.txt; prints [[begin, end, text, the columns]...]
  check_offsets.py prodigy FILE            -> for each task, [[start, end, label, covered text]...]
      of its spans (code points).
"""
import json
import sys


def cut(text, s, e, unit):
    if unit == "char":
        return text[s:e]
    b = text.encode("utf-16-le")
    return b[2 * s : 2 * e].decode("utf-16-le")


def doccano(path, unit):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            text = r["text"]
            spans = []
            items = r.get("label", []) if "entities" not in r else [
                [e["start_offset"], e["end_offset"], e["label"]] for e in r["entities"]
            ]
            for item in items:
                if isinstance(item, list):
                    s, e, label = item
                    spans.append([s, e, label, cut(text, s, e, unit)])
            out.append(spans)
    print(json.dumps(out, ensure_ascii=False))


def label_studio(path):
    with open(path, encoding="utf-8") as f:
        tasks = json.load(f)
    out = []
    for t in tasks:
        text = t["data"]["text"]
        spans = []
        for group in t.get("annotations", []) + t.get("predictions", []):
            for r in group["result"]:
                if r.get("type") == "labels":
                    v = r["value"]
                    got = text[v["start"] : v["end"]]
                    if got != v["text"]:
                        raise SystemExit(f"{path}: {v!r} but text[{v['start']}:{v['end']}] = {got!r}")
                    spans.append([v["start"], v["end"], v["labels"][0], got])
        out.append(spans)
    print(json.dumps(out, ensure_ascii=False))


def webanno(tsv, txt):
    with open(txt, encoding="utf-8-sig", newline="") as f:
        text = f.read()
    out = []
    with open(tsv, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            b, e = map(int, fields[1].split("-"))
            got = cut(text, b, e, "utf16")
            if got != fields[2]:
                raise SystemExit(f"{tsv}:{n}: {fields[2]!r} != text[{b}:{e}] = {got!r}")
            out.append([b, e, got, "\t".join(fields[3:])])
    print(json.dumps(out, ensure_ascii=False))


def prodigy(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            task = json.loads(line)
            text = task["text"]
            out.append([[s["start"], s["end"], s["label"], text[s["start"]:s["end"]]] for s in task["spans"]])
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    if sys.argv[1] == "doccano":
        doccano(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "label-studio":
        label_studio(sys.argv[2])
    elif sys.argv[1] == "webanno":
        webanno(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "prodigy":
        prodigy(sys.argv[2])
    else:
        raise SystemExit(__doc__)
