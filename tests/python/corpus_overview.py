#!/usr/bin/env python3
"""Independent figures of a corpus for tests/cli_stats.rs: per annotator the documents by the
status of their sidecar (new without one), span extents (end - start) and article lengths in code
points (Python's str), each binned 1, 2-3, 4-7, ... Prints one JSON object."""
import json
import os
import sys

root = sys.argv[1]
articles = []
sidecars = {}  # article -> {annotator: sidecar}
for d, dirs, files in os.walk(root):
    for f in files:
        p = os.path.join(d, f)
        if f.endswith(".hashiya.json"):
            base, annotator = f[: -len(".hashiya.json")].rsplit(".", 1)
            sidecars.setdefault(os.path.join(d, base), {})[annotator] = json.load(open(p, encoding="utf-8"))
        elif f.endswith(".txt") and f != "README.txt":
            articles.append(p)

def hist(values):
    values = sorted(values)
    if not values:
        return {"counts": [], "values": 0}
    def bin_of(x):
        return 0 if x <= 1 else x.bit_length() - 1
    counts = [0] * (bin_of(values[-1]) + 1)
    for v in values:
        counts[bin_of(v)] += 1
    return {"counts": counts, "values": len(values), "min": values[0], "max": values[-1],
            "median": values[len(values) // 2]}

annotators = sorted({a for s in sidecars.values() for a in s})
by_annotator = {}
for a in annotators:
    counts = {"new": 0, "in_progress": 0, "finished": 0, "reviewed": 0}
    for art in articles:
        s = sidecars.get(art, {}).get(a)
        counts[s.get("status", "new") if s else "new"] += 1
    by_annotator[a] = counts
spans = [sp["end"] - sp["start"] for s in sidecars.values() for sc in s.values() for sp in sc.get("spans", [])]
docs = []
for art in articles:
    # newline="": the text as stored (CRLF is two code points, as in the sidecars' offsets).
    with open(art, encoding="utf-8-sig", newline="") as fh:
        docs.append(len(fh.read()))
print(json.dumps({"documents_by_annotator": by_annotator, "span_lengths": hist(spans),
                  "document_lengths": hist(docs)}))
