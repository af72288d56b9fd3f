#!/usr/bin/env python3
"""A stand-in for a real model, for the tests of `hashiya suggest --command`.

usage: test_model.py MODE [PIDFILE]
Reads {"id", "text"} lines on stdin. For every occurrence of موسكو it answers a GPE span with
score 0.9, its offsets found by Python's own str.find (code points). Writes its pid to PIDFILE.
MODE:
  good         only those spans
  bad          also one bad span of every kind, a log line and an answer for another id first
  crash        exits with status 3 (and a message on stderr) when the second document comes
  hang         never answers the second document
  silent-exit  exits at once, reading and answering nothing
"""
import json
import os
import sys
import time

mode = sys.argv[1]
if len(sys.argv) > 2:
    with open(sys.argv[2], "w") as f:
        f.write(str(os.getpid()))
if mode == "silent-exit":
    sys.exit(0)
n = 0
for line in sys.stdin:
    request = json.loads(line)
    text = request["text"]
    n += 1
    if mode == "crash" and n == 2:
        print("model: out of memory on " + request["id"], file=sys.stderr, flush=True)
        sys.exit(3)
    if mode == "hang" and n == 2:
        time.sleep(3600)
    spans = []
    i = text.find("موسكو")
    while i >= 0:
        spans.append({"start": i, "end": i + len("موسكو"), "label": "GPE", "score": 0.9})
        i = text.find("موسكو", i + 1)
    if mode == "bad":
        end = len(text)
        thumb = text.find("👍🏽")  # two code points: cutting after the first cuts the emoji
        spans += [
            {"start": end - 2, "end": end + 5, "label": "GPE", "score": 0.5},
            {"start": 0, "end": 3, "label": "SPACESHIP", "score": 0.5},
            {"start": thumb, "end": thumb + 1, "label": "MISC", "score": 0.5},
            {"start": -1, "end": 3, "label": "GPE"},
            {"start": 1.5, "end": 3, "label": "GPE"},
            {"start": 5, "end": 2, "label": "GPE"},
            {"start": 0, "end": 3, "label": "GPE", "score": 7},
            {"start": 0, "end": 3, "label": ["GPE"]},
            "not an object",
            {"start": 0, "end": 10**30, "label": "GPE"},
        ]
        print("loading weights...", flush=True)
        print(json.dumps({"id": "someone-else.txt", "spans": []}), flush=True)
    print(json.dumps({"id": request["id"], "spans": spans}, ensure_ascii=False), flush=True)
