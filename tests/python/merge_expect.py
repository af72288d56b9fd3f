#!/usr/bin/env python3
"""What `hashiya merge` must add, computed independently from the sidecars (rules: docs/team.md).

usage: merge_expect.py CORPUS INTO MIN_AGREE ANNOTATOR...
MIN_AGREE is a number or `all`. Reads every article's sidecars of the annotators and of INTO (as
they are before the merge) and prints one JSON object:
{"documents": {relative path: {"layers": [...], "spans": [...], "relations": [...],
 "doc_labels": [...], "open": {"spans": n, "relations": n, "doc_labels": n}}}}
where spans are [start, end, fragments, label, text, attributes, annotators, source],
relations [kind, from span, to span, attributes, annotators] and document labels
[name, target, value, evidence, annotators], span references written as [start, end, fragments,
label] and targets as null, ["text", t] or ["span", span]. Lists are sorted by their JSON text.
"""
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1])
into = sys.argv[2]
min_agree = None if sys.argv[3] == "all" else int(sys.argv[3])
annotators = sorted(set(sys.argv[4:]))

schema_file = root / "hashiya-schema.json"
if not schema_file.exists():
    schema_file = pathlib.Path(__file__).resolve().parents[2] / "assets/default-schema.json"
schema = json.loads(schema_file.read_text(encoding="utf-8"))
several_values = {
    d["name"]
    for d in schema.get("document_labels", [])
    if d.get("multiple") and not d.get("targeted")
}


def load(article, who):
    path = article.with_name(f"{article.name}.{who}.hashiya.json")
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def counted_span(s):
    return s.get("review", "accepted") not in ("suggested", "rejected")


def accepted(x):
    return x.get("review", "accepted") == "accepted"


def extent(s):
    return (s["start"], s["end"], tuple(tuple(f) for f in s.get("fragments", [])))


def key(s):
    return extent(s) + (s["label"],)


def ref(k):
    return [k[0], k[1], [list(f) for f in k[2]], k[3]]


def agreed_attributes(sets, need):
    counts = {}
    for attrs in sets:
        for name, value in attrs.items():
            counts[(name, value)] = counts.get((name, value), 0) + 1
    out, twice = {}, set()
    for (name, value), n in sorted(counts.items()):
        if n >= need:
            if name in out:
                twice.add(name)
            out[name] = value
    return {k: v for k, v in out.items() if k not in twice}


def sorted_json(items):
    return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))


def merge_document(layers, target):
    """layers: {annotator: sidecar}; target: sidecar dict or None. Returns additions and opens."""
    need = min_agree if min_agree is not None else len(layers)
    need = max(need, 1)
    tspans = list(target["spans"]) if target else []
    trels = list(target["relations"]) if target else []
    tlabels = list(target["document_labels"]) if target else []

    # Spans.
    makers = {}
    for who, sc in sorted(layers.items()):
        for s in sc["spans"]:
            if counted_span(s):
                entry = makers.setdefault(key(s), {})
                entry.setdefault(who, s)
    added_spans = []
    for k in sorted(makers):
        m = makers[k]
        if len(m) < need:
            continue
        who = set(m)
        decided = False
        for t in tspans:
            overlap = k[0] < t["end"] and t["start"] < k[1]
            if not overlap:
                continue
            same_extent = extent(t) == k[:3]
            related = bool(who & set(t.get("annotators", [])))
            if (same_extent and t["label"] == k[3]) or (
                related and (same_extent or t["label"] == k[3])
            ):
                decided = True
        if decided:
            continue
        first = m[sorted(m)[0]]
        sources = {s.get("source", "human") for s in m.values()}
        span = {
            "start": k[0], "end": k[1], "fragments": [list(f) for f in k[2]], "label": k[3],
            "text": first["text"],
            "attributes": agreed_attributes([s.get("attributes", {}) for s in m.values()], need),
            "annotators": sorted(m), "source": sources.pop() if len(sources) == 1 else "human",
            "review": "accepted",
        }
        added_spans.append(span)
        tspans.append(span)

    def target_span(k):
        for t in tspans:
            if counted_span(t) and key(t) == k:
                return t
        return None

    # Open span groups: variants not agreed, chained by overlap in key order.
    variants = [k for k in sorted(makers) if len(makers[k]) < need]
    open_spans = 0
    i = 0
    while i < len(variants):
        end = variants[i][1]
        j = i + 1
        while j < len(variants) and variants[j][0] < end:
            end = max(end, variants[j][1])
            j += 1
        group = variants[i:j]
        if not any(extent(t) == v[:3] for v in group for t in tspans):
            open_spans += 1
        i = j

    # Relations. Target relations as (type, end span object, end span object, annotators).
    ids = {t["id"]: t for t in tspans if "id" in t}
    trel_ends = [
        (r["type"], ids.get(r["from"]), ids.get(r["to"]), r.get("annotators", []))
        for r in trels
    ]
    rmakers = {}
    for who, sc in sorted(layers.items()):
        by_id = {s["id"]: s for s in sc["spans"]}
        for r in sc["relations"]:
            if not accepted(r):
                continue
            a, b = by_id.get(r["from"]), by_id.get(r["to"])
            if a is None or b is None or not counted_span(a) or not counted_span(b):
                continue
            rmakers.setdefault((r["type"], key(a), key(b)), {}).setdefault(who, r)
    added_relations = []
    minority_pairs = []
    for rk in sorted(rmakers):
        m = rmakers[rk]
        a, b = target_span(rk[1]), target_span(rk[2])
        if a is None or b is None:
            continue
        if len(m) < need:
            minority_pairs.append((a, b))
            continue
        between = [t for t in trel_ends if t[1] is a and t[2] is b]
        if any(t[0] == rk[0] or set(m) & set(t[3]) for t in between):
            continue
        attrs = agreed_attributes([r.get("attributes", {}) for r in m.values()], need)
        added_relations.append([rk[0], ref(rk[1]), ref(rk[2]), attrs, sorted(m)])
        trel_ends.append((rk[0], a, b, sorted(m)))
    open_pairs = []
    for a, b in minority_pairs:
        if any(t[1] is a and t[2] is b for t in trel_ends):
            continue
        if not any(x is a and y is b for x, y in open_pairs):
            open_pairs.append((a, b))
    open_relations = len(open_pairs)

    # Document labels. A target as merge compares it in the target layer: ("none",),
    # ("text", t) or ("span", the target's span object).
    def layer_target(sc, t):
        if t is None:
            return ("none",)
        if "text" in t:
            return ("text", t["text"])
        s = next((x for x in sc["spans"] if x["id"] == t["span"]), None)
        if s is None or not counted_span(s):
            return None
        return ("span", key(s))

    def in_target(tk):
        if tk[0] != "span":
            return tk
        s = target_span(tk[1])
        return None if s is None else ("span", id(s))

    def existing_target(label):
        t = label.get("target")
        if t is None:
            return ("none",)
        if "text" in t:
            return ("text", t["text"])
        return ("span", id(ids.get(t["span"])))

    ids = {t["id"]: t for t in tspans if "id" in t}
    tgroups = [(d["name"], existing_target(d), d["value"]) for d in tlabels]

    def decided(name, where, value):
        return any(
            n == name and w == where and (name not in several_values or v == value)
            for n, w, v in tgroups
        )

    lmakers = {}
    for who, sc in sorted(layers.items()):
        for d in sc["document_labels"]:
            if not accepted(d):
                continue
            tk = layer_target(sc, d.get("target"))
            if tk is None:
                continue
            lmakers.setdefault((d["name"], tk, d["value"]), {}).setdefault(who, (d, sc))
    added_labels = []
    open_groups = set()
    for lk in sorted(lmakers):
        name, tk, value = lk
        m = lmakers[lk]
        where = in_target(tk)
        if where is None:
            continue
        if len(m) < need:
            if not decided(name, where, value):
                open_groups.add((name, where, value if name in several_values else None))
            continue
        if decided(name, where, value):
            continue
        counts = {}
        for d, sc in m.values():
            by_id = {s["id"]: s for s in sc["spans"]}
            keys = {
                key(by_id[e])
                for e in d.get("evidence", [])
                if e in by_id and counted_span(by_id[e])
            }
            for k in keys:
                counts[k] = counts.get(k, 0) + 1
        evidence = sorted(k for k, n in counts.items() if n >= need and target_span(k) is not None)
        added_labels.append({"name": name, "value": value, "_tk": tk, "evidence": evidence,
                             "annotators": sorted(m)})
        tgroups.append((name, where, value))
    open_labels = sum(1 for (n, w, v) in open_groups if not decided(n, w, v))

    def tk_json(tk):
        if tk[0] == "none":
            return None
        if tk[0] == "text":
            return ["text", tk[1]]
        return ["span", ref(tk[1])]

    return {
        "layers": sorted(layers),
        "spans": sorted_json(
            [s["start"], s["end"], s["fragments"], s["label"], s["text"], s["attributes"],
             s["annotators"], s["source"]] for s in added_spans
        ),
        "relations": sorted_json(added_relations),
        "doc_labels": sorted_json(
            [d["name"], tk_json(d["_tk"]), d["value"], [ref(k) for k in d["evidence"]],
             d["annotators"]] for d in added_labels
        ),
        "open": {"spans": open_spans, "relations": open_relations, "doc_labels": open_labels},
    }


documents = {}
for article in sorted(root.rglob("*.txt")):
    if any(part.startswith(".") for part in article.relative_to(root).parts):
        continue
    layers = {}
    for who in annotators:
        sc = load(article, who)
        if sc is not None:
            layers[who] = sc
    if not layers:
        continue
    rel = article.relative_to(root).as_posix()
    documents[rel] = merge_document(layers, load(article, into))
print(json.dumps({"documents": documents}, ensure_ascii=False, sort_keys=True))
