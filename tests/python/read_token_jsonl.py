#!/usr/bin/env python3
"""Independent token JSONL reader used by the Rust tests (no third-party packages), reading the
file the way a Hugging Face `datasets` loader with a ClassLabel feature would.

usage: read_token_jsonl.py FILE LABELS_JSON
  checks every line: `tokens` is a list of non-empty strings, `ner_tags` a list of ints of the same
  length, each a valid index into the label list, and the tags form well-formed IOB2/BIOES/BILOU
  sequences; prints {"sentences": n, "tokens": n, "entities": n}
"""
import json
import sys


def main(path, labels_path):
    with open(labels_path, encoding="utf-8") as f:
        names = json.load(f)
    assert names[0] == "O", "the first label must be O"
    sentences = tokens = entities = 0
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            r = json.loads(line)
            toks, tags = r["tokens"], r["ner_tags"]
            if len(toks) != len(tags):
                raise SystemExit(f"{path}:{n}: {len(toks)} tokens, {len(tags)} tags")
            prev = "O"
            for t, g in zip(toks, tags):
                if not isinstance(t, str) or not t or any(c.isspace() for c in t):
                    raise SystemExit(f"{path}:{n}: bad token {t!r}")
                if not isinstance(g, int) or not 0 <= g < len(names):
                    raise SystemExit(f"{path}:{n}: bad tag id {g!r}")
                name = names[g]
                if name[:1] in ("I", "E", "L") and (prev == "O" or prev[2:] != name[2:]):
                    raise SystemExit(f"{path}:{n}: {name} after {prev}")
                if name[:1] in ("B", "S", "U"):
                    entities += 1
                prev = name
            sentences += 1
            tokens += len(toks)
    print(json.dumps({"sentences": sentences, "tokens": tokens, "entities": entities}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
