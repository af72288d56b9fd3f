#!/usr/bin/env python3
"""Write the sample annotation sidecars (*.hashiya.json) beside the articles in samples/.

Every offset is computed here from Python `str` indices (code points) by locating the chosen words in
the decoded article; each lookup asserts that the surface form is found exactly where intended. The
output follows docs/sidecar-format.md: keys in the documented order, spans sorted by
(start, end, label, id), optional keys omitted when empty, `relations` and `document_labels` always
present, and `json.dumps(obj, ensure_ascii=False, indent=2) + "\\n"`. Running it twice writes the same
bytes.

Usage: python3 tests/python/make_sample_sidecars.py [--check]
  --check  only verify that the sidecars on disk are identical to what would be written.
"""

import hashlib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.normpath(os.path.join(HERE, "..", "..", "samples"))
SCHEMA_PATH = os.path.join(SAMPLES, "hashiya-schema.json")
CONTEXT = 16
ANNOTATOR_RE = re.compile(r"^[\w-]{1,64}$")


def load_schema():
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        return json.load(f)


SCHEMA = load_schema()
SPAN_LABELS = {l["name"]: l for l in SCHEMA["span_labels"]}
RELATION_TYPES = {r["name"]: r for r in SCHEMA["relation_types"]}
DOC_LABELS = {d["name"]: d for d in SCHEMA["document_labels"]}


class Article:
    """An article file, decoded exactly as Hashiya does (UTF-8, CRLF kept, no BOM expected here)."""

    def __init__(self, relpath):
        self.relpath = relpath
        self.path = os.path.join(SAMPLES, relpath)
        with open(self.path, "rb") as f:
            self.data = f.read()
        assert not self.data.startswith(b"\xef\xbb\xbf"), f"{relpath}: unexpected BOM"
        self.text = self.data.decode("utf-8")      # bytes.decode keeps CRLF as two characters
        self.sha256 = hashlib.sha256(self.data).hexdigest()

    @staticmethod
    def _all(hay, needle):
        out, i = [], hay.find(needle)
        while i >= 0:
            out.append(i)
            i = hay.find(needle, i + 1)
        return out

    def find(self, surface, ctx=None, n=1, of=None):
        """(start, end) of `surface`.

        Without `ctx`: the n-th occurrence of `surface` in the text; `of` is the number of
        occurrences expected in the whole text (default: exactly one when n == 1).
        With `ctx`: the n-th occurrence of the context string `ctx` (`of` as above, for `ctx`),
        inside which `surface` must occur exactly once.
        """
        key = ctx if ctx is not None else surface
        hits = self._all(self.text, key)
        expected = of if of is not None else (1 if n == 1 else None)
        if expected is not None:
            assert len(hits) == expected, f"{self.relpath}: {key!r} occurs {len(hits)} times, expected {expected}"
        assert 1 <= n <= len(hits), f"{self.relpath}: no occurrence {n} of {key!r} ({len(hits)} found)"
        base = hits[n - 1]
        if ctx is None:
            start = base
        else:
            inner = self._all(ctx, surface)
            assert len(inner) == 1, f"{self.relpath}: {surface!r} occurs {len(inner)} times in context {ctx!r}"
            start = base + inner[0]
        end = start + len(surface)
        assert self.text[start:end] == surface
        return start, end


class Sidecar:
    def __init__(self, article, annotator, status):
        assert ANNOTATOR_RE.match(annotator), annotator
        assert status in ("new", "in_progress", "finished", "reviewed")
        self.a = article
        self.annotator = annotator
        self.status = status
        self.spans = []
        self.relations = []
        self.doc_labels = []

    # -- building ---------------------------------------------------------------------------

    def span(self, sid, where, label, review="accepted", source="human", attributes=None, note=None):
        """`where` is (start, end) or a list of (start, end) fragments in text order."""
        assert re.fullmatch(r"s[0-9]+", sid), sid
        assert label in SPAN_LABELS, label
        t = self.a.text
        if isinstance(where, list):
            frags = [list(f) for f in where]
            assert len(frags) >= 2
            for (s0, e0), (s1, e1) in zip(frags, frags[1:]):
                assert e0 <= s1, "fragments must be in text order and not overlap"
            start, end = frags[0][0], frags[-1][1]
            text = " ".join(t[s:e] for s, e in frags)
        else:
            frags = None
            start, end = where
            text = t[start:end]
        assert 0 <= start < end <= len(t)
        obj = {
            "id": sid,
            "start": start,
            "end": end,
            "label": label,
            "text": text,
            "prefix": t[max(0, start - CONTEXT):start],
            "suffix": t[end:end + CONTEXT],
        }
        if frags:
            obj["fragments"] = frags
        if attributes:
            allowed = {x["name"]: x["values"] for x in SPAN_LABELS[label].get("attributes", [])}
            for k, v in attributes.items():
                assert k in allowed and v in allowed[k], (label, k, v)
            obj["attributes"] = {k: attributes[k] for k in sorted(attributes)}
        if note:
            obj["note"] = note
        assert source in ("human", "imported", "model")
        assert review in ("suggested", "accepted", "rejected")
        obj["source"] = source
        obj["review"] = review
        self.spans.append(obj)
        return sid

    def relation(self, rid, rtype, frm, to):
        assert rtype in RELATION_TYPES, rtype
        self.relations.append({"id": rid, "type": rtype, "from": frm, "to": to})

    def doc_label(self, did, name, value, target=None, evidence=None):
        assert name in DOC_LABELS and value in DOC_LABELS[name]["values"], (name, value)
        obj = {"id": did, "name": name, "value": value}
        if target is not None:
            assert DOC_LABELS[name]["targeted"], name
            assert list(target) in (["span"], ["text"]), target
            obj["target"] = target
        if evidence:
            obj["evidence"] = list(evidence)
        self.doc_labels.append(obj)

    # -- output -----------------------------------------------------------------------------

    def validate(self):
        t = self.a.text
        ids = [s["id"] for s in self.spans]
        assert len(set(ids)) == len(ids), "duplicate span id"
        by_id = {s["id"]: s for s in self.spans}
        for s in self.spans:
            if "fragments" in s:
                assert s["text"] == " ".join(t[a:b] for a, b in s["fragments"])
                assert s["start"] == s["fragments"][0][0] and s["end"] == s["fragments"][-1][1]
            else:
                assert s["text"] == t[s["start"]:s["end"]]
            assert s["prefix"] == t[max(0, s["start"] - CONTEXT):s["start"]]
            assert s["suffix"] == t[s["end"]:s["end"] + CONTEXT]
        rids = [r["id"] for r in self.relations]
        assert len(set(rids)) == len(rids), "duplicate relation id"
        for r in self.relations:
            rt = RELATION_TYPES[r["type"]]
            assert r["from"] in by_id and r["to"] in by_id, r
            assert not rt["from"] or by_id[r["from"]]["label"] in rt["from"], r
            assert not rt["to"] or by_id[r["to"]]["label"] in rt["to"], r
        dids = [d["id"] for d in self.doc_labels]
        assert len(set(dids)) == len(dids), "duplicate document label id"
        for name, spec in DOC_LABELS.items():
            if not spec["multiple"]:
                assert sum(d["name"] == name for d in self.doc_labels) <= 1, name
        for d in self.doc_labels:
            if "target" in d and "span" in d["target"]:
                assert d["target"]["span"] in by_id, d
            for e in d.get("evidence", []):
                assert e in by_id, d

    def to_json(self):
        self.validate()

        def id_key(x):
            return (x["id"][0], int(x["id"][1:]))

        spans = sorted(self.spans, key=lambda s: (s["start"], s["end"], s["label"], s["id"]))
        relations = sorted(self.relations, key=lambda r: r["id"])
        doc_labels = sorted(self.doc_labels, key=lambda d: d["id"])
        # "sorted by id": keep string order and numeric order identical by construction
        assert relations == sorted(self.relations, key=id_key)
        assert doc_labels == sorted(self.doc_labels, key=id_key)
        obj = {
            "format": "hashiya-sidecar",
            "version": 1,
            "annotator": self.annotator,
            "text": {
                "path": os.path.basename(self.a.relpath),
                "sha256": self.a.sha256,
                "length_chars": len(self.a.text),
                "offset_unit": "char",
                "encoding": "utf-8",
            },
            "status": self.status,
            "spans": spans,
            "relations": relations,
            "document_labels": doc_labels,
        }
        return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"

    def out_path(self):
        return f"{self.a.path}.{self.annotator}.hashiya.json"


# ------------------------------------------------------------------------------------------------
# politics/sahel_summit.txt: two annotators, mostly agreeing
# ------------------------------------------------------------------------------------------------

SAHEL_TARGET_TEXT = "الوجود العسكري الأجنبي في الساحل"


def sahel_layla(a):
    f = a.find
    sc = Sidecar(a, "layla", "finished")
    S = sc.span
    S("s1", f("نواكشوط", ctx="قمة نواكشوط"), "GPE")
    S("s2", f("نواكشوط", ctx="نواكشوط – اختتم"), "GPE")
    S("s3", f("مساء الأربعاء"), "DATE")
    S("s4", f("The Sahel Observer"), "ORG")
    S("s5", f("أكرا"), "GPE")
    S("s6", f("صباح الخميس"), "DATE")
    S("s7", f("الخلاف لم يعد حول المبدأ، بل حول من يدفع الفاتورة"), "CLAIM",
      attributes={"check_worthy": "no", "kind": "quote"})
    S("s8", f("سيدي محمد ولد الشيخ"), "PER")
    S("s9", f("الموريتاني", ctx="الدبلوماسي الموريتاني"), "NORP")
    S("s10", f("لن تقبل بعد اليوم أن تكون ساحة لتصفية حسابات الآخرين"), "EVIDENCE")
    S("s11", f("موسكو", ctx="بموسكو وبواشنطن"), "GPE")
    S("s12", f("واشنطن", ctx="وبواشنطن"), "GPE")           # clitics left out
    S("s13", f("موسكو", ctx="لموسكو"), "GPE")
    S("s14", f("الرياض", ctx="بالرياض"), "GPE")
    S("s15", f("منتصف أكتوبر"), "DATE")
    S("s16", f("مجموعة دول الساحل"), "ORG")
    S("s17", f("إبراهيم سانغاري"), "PER")
    S("s18", f("تكلفة تأمين الحدود المشتركة تتجاوز 1.2 مليار دولار سنويا"), "CLAIM",
      attributes={"kind": "statistic", "check_worthy": "yes"})
    S("s19", f("1.2 مليار دولار"), "MONEY")
    S("s20", f("لا تستطيع تحمّل هذا العبء وحدها"), "EVIDENCE")
    S("s21", f("أبوجا", ctx="لأبوجا"), "GPE")
    S("s22", f("لقاهرة", ctx="وللقاهرة"), "GPE",           # ل + القاهرة: the article's alef is elided
      note="ل + القاهرة: سقطت ألف التعريف، فالكيان يبدأ بلام التعريف")
    S("s23", f("الأمم المتحدة", ctx="فالأمم المتحدة"), "ORG")
    S("s24", f("الأمم المتحدة لم تعد قادرة على سد العجز في موازنات بعثاتها"), "CLAIM",
      attributes={"check_worthy": "yes", "kind": "other"})
    S("s25", f("سانغاري", ctx="وأضاف سانغاري"), "PER")
    S("s26", f("البنك الدولي", ctx="كالبنك الدولي"), "ORG")
    S("s27", f("بنك التنمية الإفريقي"), "ORG")
    S("s28", f("لأن الفقر هو أفضل مجنِّد للجماعات المسلحة"), "EVIDENCE")
    S("s29", f("كامارا"), "ORG")
    S("s30", f("داكار"), "GPE")
    S("s31", f("عدد الهجمات المسلحة في المثلث الحدودي تراجع بنسبة 18% خلال النصف الأول من العام"), "CLAIM",
      attributes={"check_worthy": "yes", "kind": "statistic", "verdict": "unverifiable"},
      note="لم نجد قاعدة بيانات علنية تؤكد نسبة التراجع")
    S("s32", f("18%"), "PERCENT")
    S("s33", f("بروكسل"), "GPE")
    S("s34", f("حلف شمال الأطلسي"), "ORG")
    S("s35", f("NATO"), "ORG")
    S("s36", f("لا يعتزم إرسال قوات إلى المنطقة في المدى المنظور"), "CLAIM",
      attributes={"check_worthy": "no", "kind": "quote"})
    S("s37", f("نيامي"), "GPE")
    S("s38", f("مطلع العام المقبل"), "DATE")
    S("s39", f("السنغال"), "GPE")
    S("s40", f("غينيا"), "GPE")
    S("s41", f("في ظل تنافس متزايد بين القوى الكبرى على النفوذ فيها"), "EVIDENCE")
    sc.relation("r1", "attributed_to", "s7", "s4")
    sc.relation("r2", "attributed_to", "s18", "s17")
    sc.relation("r3", "attributed_to", "s24", "s25")
    sc.relation("r4", "attributed_to", "s31", "s29")
    sc.relation("r5", "attributed_to", "s36", "s34")
    sc.relation("r6", "supports", "s20", "s18")
    sc.relation("r7", "about", "s18", "s16")
    sc.doc_label("d1", "stance", "favor", target={"span": "s16"}, evidence=["s10", "s20", "s28"])
    sc.doc_label("d2", "stance", "neutral", target={"text": SAHEL_TARGET_TEXT}, evidence=["s41"])
    sc.doc_label("d3", "topic", "politics")
    return sc


def sahel_omar(a):
    f = a.find
    sc = Sidecar(a, "omar", "in_progress")      # stopped before the NATO paragraph
    S = sc.span
    S("s1", f("نواكشوط", ctx="قمة نواكشوط"), "GPE")
    S("s2", f("نواكشوط", ctx="نواكشوط – اختتم"), "GPE")
    S("s3", f("The Sahel Observer"), "ORG")
    S("s4", f("أكرا"), "GPE")
    S("s5", f("الخلاف لم يعد حول المبدأ، بل حول من يدفع الفاتورة"), "CLAIM",
      attributes={"check_worthy": "no", "kind": "quote"})
    S("s6", f("سيدي محمد ولد الشيخ"), "PER")
    S("s7", f("موسكو", ctx="بموسكو وبواشنطن"), "GPE")
    S("s8", f("بواشنطن", ctx="وبواشنطن"), "GPE",       # keeps the preposition, unlike layla
      note="أبقيت حرف الجر ضمن الكيان")
    S("s9", f("موسكو", ctx="لموسكو"), "GPE")
    S("s10", f("الرياض", ctx="بالرياض"), "GPE")
    S("s11", f("مجموعة دول الساحل"), "ORG")
    S("s12", f("إبراهيم سانغاري"), "PER")
    S("s13", f("تكلفة تأمين الحدود المشتركة تتجاوز 1.2 مليار دولار سنويا"), "CLAIM",
      attributes={"check_worthy": "yes", "kind": "statistic"})
    S("s14", f("1.2 مليار دولار"), "MONEY")
    S("s15", f("أبوجا", ctx="لأبوجا"), "GPE")
    S("s16", f("للقاهرة", ctx="وللقاهرة"), "GPE")
    S("s17", f("الأمم المتحدة", ctx="فالأمم المتحدة"), "ORG")
    S("s18", f("البنك الدولي", ctx="كالبنك الدولي"), "ORG")
    S("s19", f("بنك التنمية الإفريقي"), "ORG")
    S("s20", f("كامارا"), "PER",                         # layla: ORG
      note="كامارا اسم عائلة شائع في غرب إفريقيا")
    S("s21", f("داكار"), "GPE")
    S("s22", f("عدد الهجمات المسلحة في المثلث الحدودي تراجع بنسبة 18% خلال النصف الأول من العام"), "CLAIM",
      attributes={"check_worthy": "yes", "kind": "statistic"})
    S("s23", f("18%"), "PERCENT")
    S("s24", f("لا تستطيع تحمّل هذا العبء وحدها"), "EVIDENCE")
    # s25 was created and deleted; ids are never reused
    S("s26", f("لن تقبل بعد اليوم أن تكون ساحة لتصفية حسابات الآخرين"), "EVIDENCE")
    sc.relation("r1", "attributed_to", "s5", "s3")
    sc.relation("r2", "attributed_to", "s13", "s12")
    sc.relation("r3", "attributed_to", "s22", "s20")
    sc.doc_label("d1", "stance", "favor", target={"span": "s11"}, evidence=["s24", "s26"])
    sc.doc_label("d2", "stance", "against", target={"text": SAHEL_TARGET_TEXT})
    sc.doc_label("d3", "topic", "security")
    return sc


# ------------------------------------------------------------------------------------------------
# society/poetry_festival.txt: model suggestions, nested and overlapping spans
# ------------------------------------------------------------------------------------------------


def poetry_model(a):
    f = a.find
    sc = Sidecar(a, "model", "in_progress")

    def S(sid, where, label, review="suggested", **kw):
        return sc.span(sid, where, label, review=review, source="model", **kw)

    S("s1", f("مهرجان النيل للشعر العربي", n=1, of=2), "EVENT")
    S("s2", f("النيل", ctx="مهرجان النيل للشعر العربي", n=1, of=2), "LOC")          # nested in s1
    S("s3", f("جامعة القاهرة", n=1, of=3), "ORG", review="accepted")
    S("s4", f("القاهرة", ctx="جامعة القاهرة", n=1, of=3), "GPE", review="accepted")  # nested in s3
    S("s5", f("القاهرة", ctx="القاهرة – أُسدل"), "GPE")
    S("s6", f("مساء السبت"), "DATE")
    S("s7", f("مهرجان النيل للشعر العربي", n=2, of=2), "EVENT")
    S("s8", f("قاعة الاحتفالات الكبرى"), "FAC")
    S("s9", f("جامعة القاهرة", n=2, of=3), "ORG", review="accepted")
    S("s10", f("السودانية"), "NORP")
    S("s11", f("نُورُ الهُدَى العَطَّار"), "PER", review="accepted")
    S("s12", f("نِيلٌ لَا يَنَامُ"), "MISC")
    S("s13", f("٥٠ ألف جنيه"), "MONEY", review="accepted")
    S("s14", f("مُحَمَّدُ عَبْدِ الرَّحْمٰنِ سَلِيم"), "PER", review="accepted")
    S("s15", f("ظِلٌّ عَلَى المَاءِ"), "MISC")
    S("s16", f("آمِنَة بِنْت الهَادِي"), "PER")
    S("s17", f("يُوسُف الدَّرَّاجِي"), "PER")
    S("s18", f("وزارة الثقافة المصرية"), "ORG", review="accepted")
    S("s19", f("المصرية سلمى فؤاد"), "PER", review="rejected")                       # overlaps s18
    S("s20", f("سلمى فؤاد"), "PER")
    S("s21", f("الأردني"), "NORP")
    S("s22", f("خَلِيل أَبُو عَوَّاد"), "PER")
    S("s23", f("٤٠٠ مخطوطة"), "QUANTITY")
    S("s24", f("القصيدة العمودية عادت بقوة"), "CLAIM",
      attributes={"check_worthy": "no", "kind": "other"})
    S("s25", f("الشعر والذاكرة"), "EVENT", review="rejected")
    S("s26", f("هالة السُّبْكِي"), "PER")
    S("s27", f("للمتنبي"), "PER")                   # ل + المتنبي, the model keeps the clitic
    S("s28", f("أحمد شوقي"), "PER")
    S("s29", f("حافظ إبراهيم"), "PER")
    S("s30", f("وَقُلْ رَبِّ زِدْنِي عِلْمًا"), "MISC", review="rejected")
    S("s31", f("جامعة القاهرة", n=3, of=3), "ORG")
    sc.relation("r1", "attributed_to", "s24", "s22")
    sc.doc_label("d1", "topic", "culture")
    return sc


# ------------------------------------------------------------------------------------------------
# society/flood_relief_campaign.txt: spans after emoji, a discontinuous span
# ------------------------------------------------------------------------------------------------


def flood_layla(a):
    f = a.find
    sc = Sidecar(a, "layla", "finished")
    S = sc.span
    S("s1", f("أسوان", ctx="السيول في أسوان تجمع"), "GPE")
    S("s2", f("أسوان", ctx="أسوان – انتشرت"), "GPE")
    S("s3", f("فجر الثلاثاء"), "DATE")
    S("s4", f("كريم الصاوي", n=1, of=2), "PER")
    S("s5", f("فيسبوك"), "MISC")
    S("s6", f("نجع الصبري"), "GPE")
    S("s7", f("مصر", ctx="تحيا مصر"), "GPE")              # after 💔, 👨‍👩‍👧‍👦 and 🙏
    S("s8", f("120 ألف مشاركة"), "QUANTITY")
    S("s9", f("هبة نور الدين"), "PER")
    # discontinuous claim: "جمعت الحملة ... أكثر من ٤٠٠ طن من المساعدات الغذائية والبطاطين"
    p1 = f("جمعت الحملة", ctx="وجمعت الحملة")
    p2 = f("أكثر من ٤٠٠ طن من المساعدات الغذائية والبطاطين")
    S("s10", [p1, p2], "CLAIM", attributes={"check_worthy": "yes", "kind": "statistic"},
      note="أسقطت جملة الإسناد من وسط الادعاء")
    S("s11", f("٤٠٠ طن"), "QUANTITY")
    S("s12", f("3.5 مليون جنيه"), "MONEY")
    S("s13", f("1,800 أسرة"), "QUANTITY")
    S("s14", f("جمعية الهلال الأحمر المصري"), "ORG")
    S("s15", f("مسجد الطابية"), "FAC")
    S("s16", f("نادي أسوان الرياضي"), "ORG")
    S("s17", f("محافظة أسوان"), "ORG")
    S("s18", f("أجلت 230 شخصا من المنازل المهددة بالانهيار"), "CLAIM",
      attributes={"check_worthy": "yes", "kind": "event"})
    S("s19", f("CNN"), "ORG")
    S("s20", f("منظمة الأمم المتحدة للطفولة"), "ORG")
    S("s21", f("UNICEF"), "ORG")
    S("s22", f("كشفت عن قدرة المجتمع المحلي على التحرك السريع"), "EVIDENCE")
    S("s23", f("كريم الصاوي", n=2, of=2), "PER")
    sc.relation("r1", "attributed_to", "s10", "s9")
    sc.relation("r2", "attributed_to", "s18", "s17")
    sc.doc_label("d1", "stance", "favor", target={"text": "الحملة الشعبية لإغاثة متضرري السيول"},
                 evidence=["s22"])
    sc.doc_label("d2", "topic", "society")
    return sc


# ------------------------------------------------------------------------------------------------
# politics/imf_loan_talks.txt: CRLF line ends, all digit systems
# ------------------------------------------------------------------------------------------------


def imf_omar(a):
    f = a.find
    sc = Sidecar(a, "omar", "in_progress")
    S = sc.span
    S("s1", f("صندوق النقد الدولي", n=1, of=2), "ORG")
    S("s2", f("1.3 مليار دولار", n=1, of=2), "MONEY")
    S("s3", f("القاهرة", ctx="القاهرة – قالت"), "GPE")
    S("s4", f("صندوق النقد الدولي", n=2, of=2), "ORG")
    S("s5", f("IMF"), "ORG")
    S("s6", f("1.3 مليار دولار", n=2, of=2), "MONEY")
    S("s7", f("13.6%"), "PERCENT")
    S("s8", f("أغسطس 2025"), "DATE")
    S("s9", f("فبراير 2024"), "DATE")
    S("s10", f("٢٠٢٥/٢٠٢٦"), "DATE")
    S("s11", f("٤٫٢٪"), "PERCENT")
    S("s12", f("٤٩٫٥ مليار دولار"), "MONEY")
    S("s13", f("١٢ مليار دولار"), "MONEY")
    S("s14", f("هشام عبد الرؤوف"), "PER")
    S("s15", f("جامعة عين شمس"), "ORG")
    S("s16", f("$12 مليون"), "MONEY")
    S("s17", f("الاتحاد الأوروبي"), "ORG")
    S("s18", f("حجم التبادل التجاري غير النفطي بين البلدين خلال النصف الأول من العام بلغ «۱۲۳ میلیون دلار»"),
      "CLAIM", attributes={"check_worthy": "yes", "kind": "statistic", "verdict": "unverifiable"})
    S("s19", f("۱۲۳ میلیون دلار"), "MONEY")
    S("s20", f("واشنطن"), "GPE")
    sc.doc_label("d1", "topic", "economy")
    return sc


SIDECARS = [
    ("politics/sahel_summit.txt", [sahel_layla, sahel_omar]),
    ("politics/imf_loan_talks.txt", [imf_omar]),
    ("society/poetry_festival.txt", [poetry_model]),
    ("society/flood_relief_campaign.txt", [flood_layla]),
]


def main():
    check = "--check" in sys.argv[1:]
    bad = 0
    for relpath, makers in SIDECARS:
        a = Article(relpath)
        for make in makers:
            sc = make(a)
            out = sc.to_json()
            path = sc.out_path()
            rel = os.path.relpath(path, SAMPLES)
            if check:
                with open(path, "rb") as fh:
                    same = fh.read() == out.encode("utf-8")
                print(f"{'ok  ' if same else 'DIFF'} {rel}")
                bad += not same
            else:
                with open(path, "wb") as fh:
                    fh.write(out.encode("utf-8"))
                print(f"wrote {rel}: {len(sc.spans)} spans, {len(sc.relations)} relations, "
                      f"{len(sc.doc_labels)} document labels")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
