#!/usr/bin/env python3
"""What a WebAnno TSV import must give, read from INCEpTION's reference XMI (no third-party
packages).

usage: webanno_xmi.py CASE_FOLDER  -> prints JSON on stdout:
  {"text": the document text (the CAS sofa),
   "spans": [[start, end, label, {attributes}]...],   code points, whitespace-trimmed
   "relations": [[type, SPAN, SPAN, {attributes}]...],   SPAN = [start, end, label]
   "zero_width": number of zero-width span annotations (the model has none: reported)}

The XMI is the truth; the TSV header is read only for its layer declarations (which feature of a
layer is its label, which layers are chains). The mapping is the one docs/formats.md documents:
- label = the value of the layer's label feature (`value`, else the first feature ending in
  `Value`, else the first feature), or the layer's short name when unset; every other feature
  with a value is an attribute; a layer other than DKPro's NamedEntity adds `webanno:layer` = its
  declaration `TYPE|f1|f2`; relations likewise, webanno.custom.Relation being theirs;
- relations attached to tokens (BT_ Token, and DKPro's Dependency) join `Token` spans of the
  layer `...segmentation.type.Token`;
- a span is trimmed of white space at both ends: WebAnno TSV cannot address the space between
  tokens (INCEpTION's writer truncates such spans, docs/webannotsv.adoc);
- chain layers and slot links are not converted (left out here).

Facts of this test suite (its XMI files were written by an older INCEpTION and name some types
and features differently from its TSV files): the XMI type NamedEntity is the TSV layer
webanno.custom.Span when the TSV has no NamedEntity layer; POS_NOUN is a POS (a subtype); the
XMI feature intValue is the TSV feature integerValue.
"""
import json
import os
import sys
import xml.etree.ElementTree as ET

XMI_NS = "{http://www.omg.org/XMI}"
SKIP_TYPES = {"Sentence", "DocumentMetaData", "Sofa", "View", "NULL", "TagsetDescription"}
NOT_FEATURES = {XMI_NS + "id", "sofa", "begin", "end", "Governor", "Dependent", "links",
                "referenceType", "referenceRelation", "next", "first", "lemma", "stem", "pos",
                "morph", "id"}
TYPE_ALIAS = {"NamedEntity": "Span", "POS_NOUN": "POS"}
FEATURE_ALIAS = {"intValue": "integerValue"}
TOKEN_TYPE = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token"
DEPENDENCY = "de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.Dependency"


def header(tsv):
    layers = {}
    with open(tsv, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.startswith("#T_"):
                if line.startswith("#FORMAT"):
                    continue
                break
            kind, rest = line[3:5], line[6:]
            fields = [x for x in rest.split("|") if x]
            typ, decls = fields[0], fields[1:]
            feats, base, slots = [], None, False
            prev_role = False
            for d in decls:
                if kind == "SP" and d.startswith("ROLE_"):
                    slots, prev_role = True, True
                    continue
                if kind == "SP" and prev_role:
                    prev_role = False
                    continue
                if kind == "RL" and d.startswith("BT_"):
                    base = d[3:]
                    continue
                feats.append(d)
            layers[typ.rsplit(".", 1)[-1]] = {"type": typ, "kind": kind, "features": feats, "base": base}
    return layers


def label_feature(features):
    if "value" in features:
        return "value"
    for f in features:
        if f.endswith("Value"):
            return f
    return features[0] if features else None


def is_default(layer):
    if layer["kind"] == "SP":
        return layer["type"] == "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
    return layer["type"] == "webanno.custom.Relation"


def decl(layer):
    return layer["type"] + "|" + "|".join(layer["features"])


def main():
    case = sys.argv[1]
    layers = header(os.path.join(case, "reference.tsv"))
    root = ET.parse(os.path.join(case, "reference.xmi")).getroot()
    sofa = next(el for el in root if el.tag.endswith("}Sofa")).get("sofaString", "")
    # UTF-16 offsets -> code points.
    to_cp = {}
    u = 0
    for i, ch in enumerate(sofa):
        to_cp[u] = i
        u += 2 if ord(ch) > 0xFFFF else 1
    to_cp[u] = len(sofa)
    elements = {}
    tokens = {}
    for el in root:
        name = el.tag.split("}")[1]
        ident = el.get(XMI_NS + "id")
        elements[ident] = (name, el)
        if name == "Token":
            tokens[ident] = (to_cp[int(el.get("begin"))], to_cp[int(el.get("end"))])

    def layer_of(name):
        if name in layers:
            return layers[name]
        alias = TYPE_ALIAS.get(name)
        return layers.get(alias) if alias else None

    def features(el, layer):
        out = {}
        for k, v in el.attrib.items():
            k = FEATURE_ALIAS.get(k, k)
            if k in NOT_FEATURES or k not in layer["features"]:
                continue
            out[k] = v
        return out

    def mapped(layer, feats):
        lf = label_feature(layer["features"])
        label = feats.get(lf) if lf else None
        if label is None:
            label = layer["type"].rsplit(".", 1)[-1]
        attrs = {k: v for k, v in feats.items() if k != lf}
        if not is_default(layer):
            attrs["webanno:layer"] = decl(layer)
        return label, attrs

    spans, span_key, zero = [], {}, 0
    for ident, (name, el) in elements.items():
        layer = layer_of(name)
        if name in SKIP_TYPES or name == "Token" or layer is None or layer["kind"] != "SP":
            continue
        if el.get("begin") is None:
            continue
        a, b = to_cp[int(el.get("begin"))], to_cp[int(el.get("end"))]
        while a < b and sofa[a].isspace():
            a += 1
        while b > a and sofa[b - 1].isspace():
            b -= 1
        if a == b:
            zero += 1
            continue
        label, attrs = mapped(layer, features(el, layer))
        spans.append([a, b, label, attrs])
        span_key[ident] = [a, b, label]
    token_spans = {}
    relations = []
    for ident, (name, el) in elements.items():
        layer = layer_of(name)
        if layer is None or layer["kind"] != "RL" or el.get("Governor") is None:
            continue
        on_tokens = layer["base"] == TOKEN_TYPE or layer["type"] == DEPENDENCY

        def end(x):
            if on_tokens:
                a, b = tokens[x]
                key = [a, b, "Token"]
                if x not in token_spans:
                    token_spans[x] = key
                    spans.append([a, b, "Token", {"webanno:layer": TOKEN_TYPE + "|"}])
                return key
            return span_key.get(x)

        gov, dep = end(el.get("Governor")), end(el.get("Dependent"))
        if gov is None or dep is None:
            continue
        kind, attrs = mapped(layer, features(el, layer))
        relations.append([kind, gov, dep, attrs])
    print(json.dumps({"text": sofa, "spans": spans, "relations": relations, "zero_width": zero},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
