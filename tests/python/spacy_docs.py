#!/usr/bin/env python3
"""Builds spaCy Doc objects from a Prodigy/spaCy JSONL export and checks that every span lies on
token boundaries (spaCy's own char_span in strict mode). Needs spaCy (no model: spacy.blank).

usage: spacy_docs.py FILE.jsonl -> prints JSON: [[[start, end, label, text]...] per task]
"""
import json
import sys

import spacy
from spacy.tokens import Doc

nlp = spacy.blank("xx")
out = []
with open(sys.argv[1], encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        task = json.loads(line)
        words = [t["text"] for t in task["tokens"]]
        spaces = [bool(t["ws"]) for t in task["tokens"]]
        doc = Doc(nlp.vocab, words=words, spaces=spaces)
        if doc.text != task["text"]:
            raise SystemExit(f"line {n}: the tokens do not give the text back: {doc.text!r}")
        for t, tok in zip(task["tokens"], doc):
            if (tok.idx, tok.idx + len(tok.text)) != (t["start"], t["end"]):
                raise SystemExit(f"line {n}: token {t} is at {tok.idx} in spaCy")
        spans = []
        for s in task["spans"]:
            span = doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="strict")
            if span is None:
                raise SystemExit(f"line {n}: span {s} is not on token boundaries")
            if (span.start, span.end - 1) != (s["token_start"], s["token_end"]):
                raise SystemExit(f"line {n}: span {s} is tokens {span.start}..{span.end - 1}")
            spans.append([s["start"], s["end"], s["label"], span.text])
        # spaCy accepts them as entities when they do not overlap.
        doc.spans["sc"] = [doc.char_span(s[0], s[1], label=s[2]) for s in spans]
        out.append(spans)
print(json.dumps(out, ensure_ascii=False))
