"""Independent figures for `hashiya agreement`, from the reference implementations:
scikit-learn's cohen_kappa_score, statsmodels' fleiss_kappa (via aggregate_raters), the
`krippendorff` package (nominal), scipy's maximum bipartite matching for the overlap F1, and a
port of DKPro's unitizing alpha (dkpro_alpha_u.py) over the documents laid end to end.

Reads the corpus folder itself (articles and sidecars, with Python's own str offsets) and prints
one JSON object: {"path.in.hashiya.json": value or null, ...}; tests/agreement_reference.rs
checks every entry against the binary's --json output.

Usage: agreement_reference.py CORPUS [ANNOTATOR ...]

The token rules are docs/formats.md's tokenizer, re-written here for the characters that the
generated corpora use (no format characters other than ZWJ; no white space other than space and
line feed)."""
import json
import math
import os
import sys
import unicodedata
import warnings

import numpy as np
import krippendorff
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dkpro_alpha_u import Study, disjoint  # noqa: E402

SUFFIX = ".hashiya.json"


# ---- the corpus ----

def read_corpus(root):
    """[(relative path, text, {annotator: sidecar})], sorted by relative path."""
    docs = []
    for folder, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".txt") or name.startswith("."):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8", newline="") as f:
                text = f.read()
            sidecars = {}
            for other in files:
                if other.startswith(name + ".") and other.endswith(SUFFIX):
                    annotator = other[len(name) + 1:-len(SUFFIX)]
                    with open(os.path.join(folder, other), encoding="utf-8") as f:
                        sidecars[annotator] = json.load(f)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            docs.append((rel, text, sidecars))
    docs.sort(key=lambda d: d[0])
    return docs


def counted(side):
    """Counted spans: neither suggested nor rejected, not empty."""
    out = []
    for s in side["spans"]:
        if s.get("review", "accepted") in ("suggested", "rejected") or s["start"] >= s["end"]:
            continue
        frags = [tuple(f) for f in s.get("fragments", [])]
        out.append({
            "start": s["start"], "end": s["end"], "label": s["label"], "text": s["text"],
            "pieces": frags or [(s["start"], s["end"])], "fragments": tuple(frags),
        })
    return out


# ---- span F1 ----

def shared(a, b):
    return sum(max(0, min(x[1], y[1]) - max(x[0], y[0])) for x in a["pieces"] for y in b["pieces"])


def exact_matches(sa, sb):
    """Size of the multiset intersection of (start, end, label, fragments)."""
    from collections import Counter
    key = lambda s: (s["start"], s["end"], s["label"], s["fragments"])
    ca, cb = Counter(map(key, sa)), Counter(map(key, sb))
    return sum((ca & cb).values())


def overlap_matches(sa, sb):
    """The exact pairs, plus the largest one-to-one pairing (scipy) of the spans left that share
    a char and have the same label."""
    from collections import Counter
    key = lambda s: (s["start"], s["end"], s["label"], s["fragments"])
    left_b = Counter(map(key, sb))
    rest_a, exact = [], 0
    for s in sa:
        if left_b[key(s)] > 0:
            left_b[key(s)] -= 1
            exact += 1
        else:
            rest_a.append(s)
    rest_b = []
    for s in sb:
        if left_b[key(s)] > 0:
            left_b[key(s)] -= 1
            rest_b.append(s)
    rows, cols = [], []
    for i, a in enumerate(rest_a):
        for k, b in enumerate(rest_b):
            if a["label"] == b["label"] and shared(a, b) > 0:
                rows.append(i)
                cols.append(k)
    if not rows:
        return exact
    m = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(rest_a), len(rest_b)))
    return exact + int((maximum_bipartite_matching(m, perm_type="column") >= 0).sum())


def f1(matches, total):
    return None if total == 0 else 2 * matches / total


# ---- tokens ----

MARKS = [(0x0300, 0x036F), (0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670),
         (0x06D6, 0x06ED), (0x08D3, 0x08FF), (0xFE20, 0xFE2F)]


def is_format(c):
    o = ord(c)
    return 0x200B <= o <= 0x200F or o == 0x061C or 0x2066 <= o <= 0x2069 or o == 0xFEFF


def char_class(c):
    if is_format(c):
        return "F"
    o = ord(c)
    if c.isalnum() or any(a <= o <= b for a, b in MARKS) or c == "\u0640":
        return "W"
    return "O"


def tokens(text):
    out = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        s = i
        while i < n and not text[i].isspace():
            i += 1
        chunk = text[s:i]
        cl = [char_class(c) for c in chunk]
        nxt = None
        for k in range(len(cl) - 1, -1, -1):
            if cl[k] == "F":
                if nxt is not None:
                    cl[k] = nxt
            else:
                nxt = cl[k]
        prev = "W"
        for k in range(len(cl)):
            if cl[k] == "F":
                cl[k] = prev
            else:
                prev = cl[k]
        for k in range(1, len(chunk) - 1):
            if chunk[k] in ".,٫٬/:-" and chunk[k - 1].isnumeric() and chunk[k + 1].isnumeric():
                cl[k] = "W"
        start = 0
        for k in range(1, len(chunk) + 1):
            if k == len(chunk) or cl[k] != cl[k - 1]:
                out.append((s + start, s + k))
                start = k
    return out


def categories(toks, spans):
    """IOB2 tag of the outermost span covering each token's first char."""
    seen = set()
    order = sorted(range(len(spans)), key=lambda k: (spans[k]["start"], spans[k]["end"], spans[k]["label"]))
    out = []
    for t in toks:
        c = t[0]
        covering = [k for k in order if any(p[0] <= c < p[1] for p in spans[k]["pieces"])]
        best = None
        for k in covering:
            first = k not in seen
            seen.add(k)
            s = spans[k]
            rank = (-(s["end"] - s["start"]), s["start"], order.index(k))
            if best is None or rank < best[0]:
                best = (rank, k, first)
        if best is None:
            out.append("O")
        else:
            out.append(("B-" if best[2] else "I-") + spans[best[1]]["label"])
    return out


# ---- document labels ----

def label_values(side, spans_by_id):
    vals = {}
    for d in side.get("document_labels", []):
        if d.get("review", "accepted") in ("suggested", "rejected"):
            continue
        t = d.get("target")
        if t is None:
            key = (d["name"], None)
        elif "text" in t:
            key = (d["name"], t["text"].strip())
        else:
            s = spans_by_id.get(t["span"])
            if s is None:
                continue
            key = (d["name"], s["text"].strip())
        vals.setdefault(key, set()).add(d["value"])
    return {k: "|".join(sorted(v)) for k, v in vals.items()}


# ---- the measures ----

def nan_to_none(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def kappa(a, b):
    if not a:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return nan_to_none(cohen_kappa_score(a, b))


def alpha_nominal(rows):
    """rows: one list per annotator, values or None; None where undefined."""
    values = sorted({v for r in rows for v in r if v is not None})
    code = {v: i for i, v in enumerate(values)}
    data = np.array([[np.nan if v is None else code[v] for v in r] for r in rows], dtype=float)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return nan_to_none(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    except ValueError:
        return None


def main():
    root = sys.argv[1]
    docs = read_corpus(root)
    annotators = sys.argv[2:] or sorted({a for _, _, s in docs for a in s})
    R = len(annotators)
    out = {"annotators": annotators}
    layers = []  # per doc: {annotator: counted spans}
    for rel, text, sides in docs:
        layers.append({a: counted(sides[a]) for a in annotators if a in sides})

    # Spans, per pair and per label (micro over pairs).
    label_total, label_exact = {}, {}
    all_exact = all_overlap = all_total = 0
    for x in range(R):
        for y in range(x + 1, R):
            a, b = annotators[x], annotators[y]
            ex = ov = tot = docs_both = 0
            per = {}
            for doc in layers:
                if a not in doc or b not in doc:
                    continue
                docs_both += 1
                sa, sb = doc[a], doc[b]
                ex += exact_matches(sa, sb)
                ov += overlap_matches(sa, sb)
                tot += len(sa) + len(sb)
                for lab in {s["label"] for s in sa + sb}:
                    la = [s for s in sa if s["label"] == lab]
                    lb = [s for s in sb if s["label"] == lab]
                    e, t = exact_matches(la, lb), len(la) + len(lb)
                    p = per.setdefault(lab, [0, 0, 0])
                    p[0] += e
                    p[1] += overlap_matches(la, lb)
                    p[2] += t
            i = len([1 for xx in range(x) for _ in range(xx + 1, R)]) + (y - x - 1)
            out[f"spans.pairs.{i}.a"] = a
            out[f"spans.pairs.{i}.b"] = b
            out[f"spans.pairs.{i}.documents"] = docs_both
            out[f"spans.pairs.{i}.exact_f1"] = f1(ex, tot)
            out[f"spans.pairs.{i}.overlap_f1"] = f1(ov, tot)
            for lab, (e, o, t) in per.items():
                out[f"spans.pairs.{i}.per_label.{lab}.exact_f1"] = f1(e, t)
                out[f"spans.pairs.{i}.per_label.{lab}.overlap_f1"] = f1(o, t)
                label_exact[lab] = label_exact.get(lab, 0) + e
                label_total[lab] = label_total.get(lab, 0) + t
            all_exact += ex
            all_overlap += ov
            all_total += tot
    out["spans.exact_f1"] = f1(all_exact, all_total)
    out["spans.overlap_f1"] = f1(all_overlap, all_total)
    for lab in label_total:
        out[f"spans.per_label.{lab}.exact_f1"] = f1(label_exact[lab], label_total[lab])

    # Unitizing alpha: documents all annotated, end to end.
    offset = 0
    raw = {}  # (rater, label) -> [(offset, length)]
    for (rel, text, _), doc in zip(docs, layers):
        if len(doc) != R:
            continue
        for r, a in enumerate(annotators):
            for s in doc[a]:
                for p in s["pieces"]:
                    raw.setdefault((r, s["label"]), []).append((offset + p[0], p[1] - p[0]))
        offset += len(text)
    study = Study(R, 0, offset)
    for (r, lab), units in raw.items():
        for off, ln in disjoint(units):
            study.add(off, ln, r, lab)
    out["spans.alpha_u"] = study.alpha() if R >= 2 and offset > 0 else None
    out["spans.alpha_u_chars"] = offset
    for lab in study.categories():
        out[f"spans.per_label.{lab}.alpha_u"] = study.category_alpha(lab)

    # Tokens.
    cats = []  # per doc: (n tokens, {annotator: [category]})
    for (rel, text, _), doc in zip(docs, layers):
        toks = tokens(text)
        cats.append((len(toks), {a: categories(toks, doc[a]) for a in doc}))
    for x in range(R):
        for y in range(x + 1, R):
            a, b = annotators[x], annotators[y]
            ca, cb = [], []
            for n, c in cats:
                if a in c and b in c:
                    ca += c[a]
                    cb += c[b]
            i = len([1 for xx in range(x) for _ in range(xx + 1, R)]) + (y - x - 1)
            out[f"tokens.cohen_kappa.{i}.a"] = a
            out[f"tokens.cohen_kappa.{i}.b"] = b
            out[f"tokens.cohen_kappa.{i}.value"] = kappa(ca, cb)
            out[f"tokens.cohen_kappa.{i}.tokens"] = len(ca)
    rows = []
    for n, c in cats:
        if len(c) == R:
            rows += [[c[a][t] for a in annotators] for t in range(n)]
    if rows and R >= 2:
        values = sorted({v for r in rows for v in r})
        code = {v: i for i, v in enumerate(values)}
        table, _ = aggregate_raters(np.array([[code[v] for v in r] for r in rows]))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out["tokens.fleiss_kappa"] = nan_to_none(fleiss_kappa(table, method="fleiss"))
    else:
        out["tokens.fleiss_kappa"] = None
    out["tokens.fleiss_tokens"] = len(rows)
    reliability = [[] for _ in annotators]
    for n, c in cats:
        for r, a in enumerate(annotators):
            reliability[r] += c[a] if a in c else [None] * n
    out["tokens.krippendorff_alpha"] = alpha_nominal(reliability) if reliability and reliability[0] else None

    # Document labels.
    per_doc = []
    for (rel, text, sides), doc in zip(docs, layers):
        vals = {}
        for a in doc:
            by_id = {s["id"]: s for s in sides[a]["spans"]}
            vals[a] = label_values(sides[a], by_id)
        per_doc.append(vals)
    names = sorted({k[0] for vals in per_doc for v in vals.values() for k in v})
    for name in names:
        rows = [[] for _ in annotators]
        pairs = {}
        for vals in per_doc:
            keys = sorted({k for v in vals.values() for k in v if k[0] == name}, key=lambda k: (k[1] is not None, k[1] or ""))
            for key in keys:
                for r, a in enumerate(annotators):
                    rows[r].append(vals.get(a, {}).get(key))
        out[f"document_labels.{name}.krippendorff_alpha"] = alpha_nominal(rows)
        for x in range(R):
            for y in range(x + 1, R):
                pa = [v for v, w in zip(rows[x], rows[y]) if v is not None and w is not None]
                pb = [w for v, w in zip(rows[x], rows[y]) if v is not None and w is not None]
                i = len([1 for xx in range(x) for _ in range(xx + 1, R)]) + (y - x - 1)
                out[f"document_labels.{name}.cohen_kappa.{i}.value"] = kappa(pa, pb)

    # Per document: token alpha and exact F1 (micro over the pairs of its annotators).
    for d, ((rel, text, _), doc, (n, c)) in enumerate(zip(docs, layers, cats)):
        if not doc:
            continue
        present = [a for a in annotators if a in doc]
        out[f"documents.{len([1 for l in layers[:d] if l])}.path"] = rel
        k = len([1 for l in layers[:d] if l])
        if len(present) < 2:
            out[f"documents.{k}.exact_f1"] = None
            out[f"documents.{k}.token_alpha"] = None
            continue
        ex = tot = 0
        for x in range(len(present)):
            for y in range(x + 1, len(present)):
                ex += exact_matches(doc[present[x]], doc[present[y]])
                tot += len(doc[present[x]]) + len(doc[present[y]])
        out[f"documents.{k}.exact_f1"] = f1(ex, tot)
        out[f"documents.{k}.token_alpha"] = alpha_nominal([c[a] for a in present]) if n else None
    json.dump(out, sys.stdout, ensure_ascii=False, indent=0)


if __name__ == "__main__":
    main()
