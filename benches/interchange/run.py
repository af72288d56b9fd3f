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


# ext4 without a journal (as on these machines: see dmesg, "mounted filesystem ... without
# journal") passes over inodes freed in the last 60 s, or 360 s while their inode table block is
# dirty (`recently_deleted` in fs/ext4/ialloc.c), when it allocates new ones, and the import's own
# new inodes keep those blocks dirty: an import made a few minutes after a corpus of 20,000 files
# was deleted near it measured 850-1,600 documents/s here instead of 6,300-7,500. So everything
# this script deletes is deleted at the start, and the import figure is marked when it may be low.
def remove(paths):
    """Removes the files and folders `paths`; True if a folder was removed."""
    removed = False
    for p in paths:
        if os.path.isdir(p):
            shutil.rmtree(p, ignore_errors=True)
            removed = True
        elif os.path.isfile(p):
            os.remove(p)
    if removed:
        os.sync()
    return removed


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

    corpus_a = os.path.join(work, "corpus-a")
    corpora_b = [os.path.join(work, f"corpus-b{k}") for k in range(3)]
    formats = ["brat", "conll", "doccano", "label-studio", "webanno-tsv", "prodigy", "token-jsonl"]
    outs = {f: os.path.join(work, f"out-{f}") for f in formats}
    removed = remove([corpus_a] + corpora_b + list(outs.values()))

    # 1. CoNLL export against the plain Python script.
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
    for corpus_b in corpora_b:
        t, _ = run([hashiya, "import", "--format", "doccano", large, corpus_b, "--annotator", "bench"])
        rates.append(10_000 / t)
    print(f"doccano import of 10,000 documents: {statistics.median(rates):,.0f} documents/s (median of 3)")
    if removed:
        print("  (this run first deleted the corpora of an earlier one: on ext4 without a journal that "
              "slows the creation of files for minutes; for a fair import figure give a new --work "
              "folder)")

    # 3. Peak memory of every export of the large corpus.
    corpus_b = corpora_b[0]
    size = text_bytes(corpus_b)
    print(f"peak memory of exports ({size / 1e6:.1f} MB of text):")
    for f in formats:
        _, peak = run([hashiya, "export", "--format", f, corpus_b, outs[f], "--annotator", "bench"])
        print(f"  {f:<14} {peak / 1e6:7.1f} MB  ({peak / size:.2f} × the text)")


if __name__ == "__main__":
    main()
