#!/usr/bin/env python3
"""Span expectations written as text with markers, turned into offsets by Python's own str.

usage: marked_spans.py FILE
FILE (UTF-8) holds a text in which every expected span is written in brackets, [like this]
(brackets do not nest; the text itself has none). Prints one JSON object:
{"text": the text without the brackets, "spans": [[start, end, covered], ...]}, offsets in code
points (Python's str indices), end exclusive.
"""
import json
import sys

marked = open(sys.argv[1], encoding="utf-8", newline="").read()
text = marked.replace("[", "").replace("]", "")
spans = []
pos = 0  # position in the text without brackets
start = None
for c in marked:
    if c == "[":
        start = pos
    elif c == "]":
        spans.append([start, pos, text[start:pos]])
        start = None
    else:
        pos += 1
print(json.dumps({"text": text, "spans": spans}, ensure_ascii=False))
