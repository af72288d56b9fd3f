#!/usr/bin/env python3
"""Independent check of Hashiya sidecars with Python's own str indexing (code points).

Usage: check_sidecars.py CORPUS_DIR
For every *.hashiya.json under CORPUS_DIR: the text hash and length match the article, and every
span's covered text equals text[start:end] (fragments joined by one space). Prints one line per
problem and the number of spans checked; exits 1 on any problem.
"""
import hashlib
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1])
problems = 0
checked = 0
for sc in sorted(root.rglob("*.hashiya.json")):
    data = json.loads(sc.read_text(encoding="utf-8"))
    article = sc.parent / data["text"]["path"]
    raw = article.read_bytes()
    text = raw.decode("utf-8-sig") if data["text"]["encoding"].startswith("utf-8") else None
    if text is None:
        continue
    if hashlib.sha256(raw).hexdigest() != data["text"]["sha256"]:
        print(f"{sc}: sha256 differs"); problems += 1
    if len(text) != data["text"]["length_chars"]:
        print(f"{sc}: length {len(text)} != {data['text']['length_chars']}"); problems += 1
    for s in data["spans"]:
        pieces = s.get("fragments") or [[s["start"], s["end"]]]
        covered = " ".join(text[a:b] for a, b in pieces)
        if covered != s["text"]:
            print(f"{sc}: span {s['id']}: text[{s['start']}:{s['end']}] = {covered!r} != {s['text']!r}")
            problems += 1
        if not text[:s["start"]].endswith(s.get("prefix", "")) or not text[s["end"]:].startswith(s.get("suffix", "")):
            print(f"{sc}: span {s['id']}: prefix/suffix do not match"); problems += 1
        checked += 1
print(f"checked {checked} spans, {problems} problems")
sys.exit(1 if problems else 0)
