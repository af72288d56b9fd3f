#!/usr/bin/env python3
"""Speed of `hashiya import` and `hashiya export` on 10,000 documents, measured as whole processes
(docs/formats.md, "Speed"). Prints:

1. the CoNLL export of a corpus of 10,000 documents (one annotator, 8.9 MB of text) against the
   plain Python script conll_export.py doing the same job, in 5 paired runs (hashiya, python,
   hashiya, python...): the median of the ratios of wall times;
2. the doccano import of 10,000 documents (12.6 MB of text) with durable writes: documents per
   second, median of 3 runs into fresh folders;
3. the peak memory (largest resident set) of the export of that corpus to every format, against
   its text size.

usage: run.py [--hashiya PATH] [--work DIR] [--runs N]
  (build first: cargo build --release; the default binary is target/release/hashiya)
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def run(cmd):
    """Runs `cmd`; returns (wall seconds, peak resident set in bytes)."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{cmd}: exit status {code}")
    return wall, usage.ru_maxrss * 1024


def text_bytes(corpus):
    return sum(
        os.path.getsize(os.path.join(d, f))
        for d, _, files in os.walk(corpus)
        for f in files
        if f.endswith(".txt")
    )


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--hashiya", default=os.path.join(ROOT, "target/release/hashiya"))
    a.add_argument("--work", default=None)
    a.add_argument("--runs", type=int, default=5)
    args = a.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="hashiya-bench-")
    os.makedirs(work, exist_ok=True)
    hashiya = args.hashiya
    print(f"working in {work}")
    small = os.path.join(work, "small.jsonl")
    large = os.path.join(work, "large.jsonl")
    subprocess.run([sys.executable, os.path.join(HERE, "make_doccano.py"), small, "--mb", "8.9"], check=True)
    subprocess.run([sys.executable, os.path.join(HERE, "make_doccano.py"), large, "--mb", "12.6"], check=True)

    # 1. CoNLL export against the plain Python script.
    corpus_a = os.path.join(work, "corpus-a")
    shutil.rmtree(corpus_a, ignore_errors=True)
    subprocess.run([hashiya, "import", "--format", "doccano", small, corpus_a, "--annotator", "bench"],
                   check=False, stdout=subprocess.DEVNULL)
    ours = [hashiya, "export", "--format", "conll", corpus_a, os.path.join(work, "a.conll"), "--annotator", "bench"]
    theirs = [sys.executable, os.path.join(HERE, "conll_export.py"), corpus_a, os.path.join(work, "p.conll"), "bench"]
    run(ours)
    run(theirs)  # warm-up
    ratios, ours_t, theirs_t = [], [], []
    for _ in range(args.runs):
        x, _ = run(ours)
        y, _ = run(theirs)
        ours_t.append(x)
        theirs_t.append(y)
        ratios.append(x / y)
    print(f"conll export, {text_bytes(corpus_a) / 1e6:.1f} MB of text: hashiya {statistics.median(ours_t):.3f} s, "
          f"python {statistics.median(theirs_t):.3f} s, ratio (median of {args.runs} pairs) "
          f"{statistics.median(ratios):.3f}")

    # 2. doccano import, durable writes.
    rates = []
    for k in range(3):
        corpus_b = os.path.join(work, f"corpus-b{k}")
        shutil.rmtree(corpus_b, ignore_errors=True)
        t, _ = run([hashiya, "import", "--format", "doccano", large, corpus_b, "--annotator", "bench"])
        rates.append(10_000 / t)
    print(f"doccano import of 10,000 documents: {statistics.median(rates):,.0f} documents/s (median of 3)")

    # 3. Peak memory of every export of the large corpus.
    corpus_b = os.path.join(work, "corpus-b0")
    size = text_bytes(corpus_b)
    print(f"peak memory of exports ({size / 1e6:.1f} MB of text):")
    formats = ["brat", "conll", "doccano", "label-studio", "webanno-tsv", "prodigy", "token-jsonl"]
    for f in formats:
        out = os.path.join(work, f"out-{f}")
        shutil.rmtree(out, ignore_errors=True)
        if os.path.isfile(out):
            os.remove(out)
        _, peak = run([hashiya, "export", "--format", f, corpus_b, out, "--annotator", "bench"])
        print(f"  {f:<14} {peak / 1e6:7.1f} MB  ({peak / size:.2f} × the text)")


if __name__ == "__main__":
    main()
