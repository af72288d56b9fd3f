#!/usr/bin/env python3
"""The yardstick of `hashiya export --format conll`: a plain Python script doing the same job.

usage: conll_export.py CORPUS OUT.conll [ANNOTATOR]

For every sidecar of ANNOTATOR (default: every sidecar) under CORPUS: json.load it, read its
article, split the text on white space, tag each token IOB2 with the spans covering it (outermost
span first, one tag column), and write `token TAG` lines, a blank line after each line of text,
`-DOCSTART- O` before each document. No third-party packages.
"""
import json
import os
import re
import sys

SUFFIX = ".hashiya.json"


def sidecars(root, annotator):
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.endswith(SUFFIX):
                continue
            stem = name[: -len(SUFFIX)]
            article, _, who = stem.rpartition(".")
            if annotator is None or who == annotator:
                yield os.path.join(folder, article), os.path.join(folder, name)


def tag(text, spans, out):
    spans = sorted(spans, key=lambda s: (s["start"], -s["end"]))
    k = 0
    pos = 0
    for line in text.split("\n"):
        wrote = False
        for m in re.finditer(r"\S+", line):
            a, b = pos + m.start(), pos + m.end()
            while k < len(spans) and spans[k]["end"] <= a:
                k += 1
            label = "O"
            j = k
            while j < len(spans) and spans[j]["start"] < b:
                s = spans[j]
                if s["start"] <= a and b <= s["end"]:
                    label = ("B-" if s["start"] == a else "I-") + s["label"]
                    break
                j += 1
            out.append(f"{m.group()} {label}\n")
            wrote = True
        if wrote:
            out.append("\n")
        pos += len(line) + 1


def main():
    root, out_path = sys.argv[1], sys.argv[2]
    annotator = sys.argv[3] if len(sys.argv) > 3 else None
    out = []
    for article, sidecar in sidecars(root, annotator):
        with open(sidecar, encoding="utf-8") as f:
            data = json.load(f)
        with open(article, encoding="utf-8") as f:
            text = f.read()
        out.append("-DOCSTART- O\n\n")
        tag(text, data["spans"], out)
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("".join(out))


if __name__ == "__main__":
    main()
