#!/usr/bin/env python3
"""Writes a synthetic doccano JSONL file of Arabic news-like documents with entity spans.

usage: make_doccano.py OUT.jsonl [--docs N] [--mb MB]

Each document is a few sentences drawn from a fixed list (Arabic with Latin names, digits and an
emoji, so that UTF-16 offsets differ from code points), with every entity mention labeled.
Offsets are UTF-16 code units, as doccano writes them. Deterministic: the same arguments give the
same bytes.
"""
import argparse
import json

SENTENCES = [
    "أعلن الرئيس عمرو موسى في القاهرة أن وفد واشنطن سيشارك في القمة المقبلة.",
    "وقال المتحدث باسم وزارة الخارجية إن المحادثات مع NASA ستستمر حتى عام 2026.",
    "ارتفع معدل التضخم إلى 5.3% في مصر خلال الربع الأول 😀 بحسب البنك المركزي.",
    "واستقبلت مدينة الإسكندرية وفداً من منظمة الصحة العالمية يوم الاثنين الماضي.",
    "وأكدت مصادر في الأمم المتحدة أن الاجتماع سيعقد في جنيف الشهر المقبل.",
    "وشارك في المؤتمر ممثلون عن جامعة الدول العربية والاتحاد الأفريقي.",
]
ENTITIES = [
    ("عمرو موسى", "PER"), ("القاهرة", "GPE"), ("واشنطن", "GPE"), ("وزارة الخارجية", "ORG"),
    ("NASA", "ORG"), ("مصر", "GPE"), ("البنك المركزي", "ORG"), ("الإسكندرية", "GPE"),
    ("منظمة الصحة العالمية", "ORG"), ("الأمم المتحدة", "ORG"), ("جنيف", "GPE"),
    ("جامعة الدول العربية", "ORG"), ("الاتحاد الأفريقي", "ORG"),
]


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


def document(k, target_bytes):
    parts = []
    size = 0
    i = k
    while size < target_bytes:
        s = SENTENCES[i % len(SENTENCES)]
        parts.append(s)
        size += len(s.encode("utf-8")) + 1
        i += 1
        if len(parts) % 3 == 0:
            parts.append("\n")
    text = " ".join(parts).replace(" \n ", "\n")
    labels = []
    for word, label in ENTITIES:
        start = text.find(word)
        while start >= 0:
            a = utf16_len(text[:start])
            labels.append([a, a + utf16_len(word), label])
            start = text.find(word, start + len(word))
    labels.sort()
    return {"id": k + 1, "text": text, "label": labels}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--docs", type=int, default=10_000)
    p.add_argument("--mb", type=float, default=12.6, help="total text size in MB (10^6 bytes)")
    a = p.parse_args()
    per_doc = int(a.mb * 1_000_000 / a.docs)
    total = 0
    with open(a.out, "w", encoding="utf-8") as f:
        for k in range(a.docs):
            d = document(k, per_doc)
            total += len(d["text"].encode("utf-8"))
            f.write(json.dumps(d, ensure_ascii=False))
            f.write("\n")
    print(f"{a.docs} documents, {total / 1e6:.1f} MB of text")


if __name__ == "__main__":
    main()
