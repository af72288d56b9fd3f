//! Writing WebAnno TSV 3.3 the way INCEpTION's `Tsv3XCasDocumentBuilder` and `Tsv3XSerializer`
//! do, so that INCEpTION reads it back: layers sorted by type name (spans, then relations), the
//! features of each layer in the order declared (sorted when new ones are added, as INCEpTION
//! sorts them), one line per token and per sub-token (made where an annotation starts or ends
//! inside a token, in the order INCEpTION makes them), disambiguation ids where INCEpTION puts
//! them (stacked and multi-token spans, ambiguous relation ends), a tab after every column.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::ops::Range;
use std::path::PathBuf;

use super::escape::{escape_text, escape_value};
use super::{
    label_feature, short_name, LayerDecl, DEFAULT_RELATION_FEATURES, DEFAULT_RELATION_LAYER,
    DEFAULT_SPAN_FEATURES, DEFAULT_SPAN_LAYER, DEPENDENCY_TYPE, LAYER_ATTRIBUTE, POS_TYPE,
    TOKEN_TYPE,
};
use crate::formats::conll::sentences_for;
use crate::formats::{ExportDoc, ExportOptions, Exporter, Output, Report};
use crate::model::annotation::{id_number, Span};
use crate::model::Schema;

/// Writes one `.tsv` per article.
pub struct TsvExporter {
    opts: ExportOptions,
}

impl TsvExporter {
    pub fn new(opts: &ExportOptions) -> Self {
        Self { opts: opts.clone() }
    }
}

impl Exporter for TsvExporter {
    /// (path of the `.tsv`, its content)
    type Doc = (PathBuf, String);
    type State = ();

    fn convert(&self, doc: &ExportDoc, report: &mut Report) -> Self::Doc {
        let stem = doc.relative.strip_suffix(".txt").unwrap_or(&doc.relative);
        report.documents += 1;
        (
            PathBuf::from(format!("{stem}.tsv")),
            write_document(doc, &self.opts, report),
        )
    }

    fn write(
        &self,
        _state: &mut (),
        (path, content): Self::Doc,
        out: &mut dyn Output,
        _report: &mut Report,
    ) -> std::io::Result<()> {
        out.file(&path, content.as_bytes())
    }

    fn finish(
        &self,
        _state: (),
        _schema: &Schema,
        _out: &mut dyn Output,
        _report: &mut Report,
    ) -> std::io::Result<()> {
        Ok(())
    }
}

/// A layer being written.
#[derive(Debug)]
struct Layer {
    decl: LayerDecl,
    relation: bool,
    /// Relations: the type they join (`BT_`).
    base: Option<String>,
    anns: Vec<Ann>,
}

/// An annotation being written (offsets in UTF-16 units).
#[derive(Debug, Clone)]
struct Ann {
    begin: usize,
    end: usize,
    /// Feature values (`None`: unset), in the layer's feature order once the layer is complete.
    values: BTreeMap<String, String>,
    /// Creation order, for ties.
    seq: usize,
    /// Relations: the source and target annotations.
    ends: Option<(AnnRef, AnnRef)>,
}

/// An annotation, by layer and index, or a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum AnnRef {
    Ann(usize, usize),
    Token(usize),
}

/// A token or sub-token line.
#[derive(Debug, Default)]
struct Unit {
    begin: usize,
    end: usize,
    /// Annotations per layer, in the order added (their stacking order).
    anns: BTreeMap<usize, Vec<usize>>,
    subtokens: Vec<Unit>,
}

impl Unit {
    fn new(begin: usize, end: usize) -> Self {
        Self {
            begin,
            end,
            ..Self::default()
        }
    }
}

/// Where a unit is: token index, and sub-token index within it.
type UnitAt = (usize, Option<usize>);

struct Builder {
    tokens: Vec<Unit>,
    /// Token begin -> index, token end -> index.
    by_begin: BTreeMap<usize, usize>,
    by_end: BTreeMap<usize, usize>,
    /// The unit that defines each annotation's id.
    id_unit: HashMap<AnnRef, UnitAt>,
    /// Disambiguation ids, given in order.
    ids: HashMap<AnnRef, usize>,
}

impl Builder {
    fn add_id(&mut self, a: AnnRef) {
        let n = self.ids.len() + 1;
        self.ids.entry(a).or_insert(n);
    }

    fn unit_mut(&mut self, at: UnitAt) -> &mut Unit {
        let t = &mut self.tokens[at.0];
        match at.1 {
            Some(s) => &mut t.subtokens[s],
            None => t,
        }
    }

    /// A sub-token of token `t` (the existing one with the same offsets, or a new one).
    fn subtoken(&mut self, t: usize, begin: usize, end: usize) -> UnitAt {
        let subs = &mut self.tokens[t].subtokens;
        match subs.iter().position(|u| u.begin == begin && u.end == end) {
            Some(k) => (t, Some(k)),
            None => {
                subs.push(Unit::new(begin, end));
                (t, Some(subs.len() - 1))
            }
        }
    }

    /// Adds annotation `k` of `layer` to a unit; a second annotation of the layer there makes
    /// both need ids (spans).
    fn add(&mut self, at: UnitAt, layer: usize, k: usize, stacked_ids: bool) {
        let list = self.unit_mut(at).anns.entry(layer).or_default();
        let already = !list.is_empty();
        if list.contains(&k) {
            return;
        }
        list.push(k);
        if stacked_ids && already {
            let all: Vec<usize> = list.clone();
            for a in all {
                self.add_id(AnnRef::Ann(layer, a));
            }
        }
    }

    /// The first and last token of an annotation at `begin..end`, as INCEpTION finds them (an
    /// edge in the space between tokens moves to the next or previous token).
    fn locate(&self, begin: usize, end: usize) -> Option<(usize, usize)> {
        let mut begin_tok = self.by_begin.range(..=begin).next_back().map(|(_, &t)| t);
        let higher = self.by_end.range(begin + 1..).next().map(|(_, &t)| t);
        if begin_tok.is_none_or(|t| self.tokens[t].end < begin && higher.is_some()) {
            begin_tok = higher;
        }
        let mut end_tok = self.by_end.range(end..).next().map(|(_, &t)| t);
        let lower = self.by_end.range(..end).next_back().map(|(_, &t)| t);
        if end_tok.is_none_or(|t| self.tokens[t].begin > end && lower.is_some()) {
            end_tok = lower;
        }
        Some((begin_tok?, end_tok?))
    }

    /// Places annotation `k` of `layer` on the units it covers, as INCEpTION does.
    fn place(&mut self, layer: usize, k: usize, begin: usize, end: usize, span: bool) -> bool {
        let aref = AnnRef::Ann(layer, k);
        let Some((bt, et)) = self.locate(begin, end) else {
            return false;
        };
        let single = bt == et;
        let (bt_begin, bt_end) = (self.tokens[bt].begin, self.tokens[bt].end);
        let (et_begin, et_end) = (self.tokens[et].begin, self.tokens[et].end);
        if bt_begin == begin && et_end == end {
            self.id_unit.insert(aref, (bt, None));
            self.add((bt, None), layer, k, span);
            if span {
                self.add((et, None), layer, k, span);
            }
        } else {
            if bt_begin < begin {
                let at = self.subtoken(bt, begin, bt_end.min(end));
                self.id_unit.insert(aref, at);
                self.add(at, layer, k, span);
            }
            if begin <= bt_begin && bt_end <= end {
                self.add((bt, None), layer, k, span);
                self.id_unit.insert(aref, (bt, None));
            }
            if et_end > end {
                let at = self.subtoken(et, et_begin.max(begin), end);
                self.add(at, layer, k, span);
                if single {
                    self.id_unit.insert(aref, at);
                }
            } else if !single && span {
                self.add((et, None), layer, k, span);
            }
        }
        if span && !single {
            for t in bt + 1..et {
                self.add((t, None), layer, k, span);
            }
            self.add_id(aref);
        }
        true
    }
}

/// The sentences of the document as UTF-16 token offsets.
fn sentences16(doc: &ExportDoc, opts: &ExportOptions) -> Vec<Vec<Range<usize>>> {
    let d = &doc.doc;
    sentences_for(doc, opts)
        .into_iter()
        .map(|s| {
            s.into_iter()
                .map(|t| d.char_to_utf16(t.start)..d.char_to_utf16(t.end))
                .collect()
        })
        .collect()
}

/// The layer a span or relation belongs to (its `webanno:layer`, or the default).
fn decl_of(attributes: &BTreeMap<String, String>, relation: bool) -> LayerDecl {
    match attributes.get(LAYER_ATTRIBUTE) {
        Some(d) => LayerDecl::parse(d),
        None => {
            let (name, features) = if relation {
                (DEFAULT_RELATION_LAYER, DEFAULT_RELATION_FEATURES)
            } else {
                (DEFAULT_SPAN_LAYER, DEFAULT_SPAN_FEATURES)
            };
            LayerDecl {
                type_name: name.to_owned(),
                features: features.iter().map(|f| (*f).to_owned()).collect(),
            }
        }
    }
}

/// Adds to `layers` (keyed by type) the annotation of a label and attributes; returns (layer
/// index, annotation index).
fn add_ann(
    layers: &mut Vec<Layer>,
    relation: bool,
    label: &str,
    attributes: &BTreeMap<String, String>,
    range: (usize, usize),
    seq: usize,
) -> (usize, usize) {
    let decl = decl_of(attributes, relation);
    let li = match layers
        .iter()
        .position(|l| l.relation == relation && l.decl.type_name == decl.type_name)
    {
        Some(i) => i,
        None => {
            layers.push(Layer {
                decl: LayerDecl {
                    type_name: decl.type_name.clone(),
                    features: decl.features.clone(),
                },
                relation,
                base: None,
                anns: Vec::new(),
            });
            layers.len() - 1
        }
    };
    let layer = &mut layers[li];
    let mut extra = false;
    if layer.anns.is_empty() && layer.decl.features.is_empty() {
        // The first annotation of the layer brings its declaration as it is.
        layer.decl.features = decl.features.clone();
    }
    for f in &decl.features {
        if !layer.decl.features.contains(f) {
            layer.decl.features.push(f.clone());
            extra = true;
        }
    }
    let mut values = BTreeMap::new();
    for (k, v) in attributes {
        if k == LAYER_ATTRIBUTE {
            continue;
        }
        if !layer.decl.features.contains(k) {
            layer.decl.features.push(k.clone());
            extra = true;
        }
        values.insert(k.clone(), v.clone());
    }
    if label != short_name(&layer.decl.type_name) {
        if layer.decl.label_feature().is_none() {
            layer.decl.features.push("value".to_owned());
            extra = true;
        }
        if let Some(f) = label_feature(&layer.decl.features) {
            values.insert(f.to_owned(), label.to_owned());
        }
    }
    if extra {
        // INCEpTION lists a layer's features sorted by name.
        layer.decl.features.sort();
    }
    layer.anns.push(Ann {
        begin: range.0,
        end: range.1,
        values,
        seq,
        ends: None,
    });
    (li, layer.anns.len() - 1)
}

/// The TSV text of one document.
pub fn write_document(doc: &ExportDoc, opts: &ExportOptions, report: &mut Report) -> String {
    let d = &doc.doc;
    let a = &doc.annotations;
    let rel = &doc.relative;
    let sentences = sentences16(doc, opts);
    let mut b = Builder {
        tokens: Vec::new(),
        by_begin: BTreeMap::new(),
        by_end: BTreeMap::new(),
        id_unit: HashMap::new(),
        ids: HashMap::new(),
    };
    // (sentence, first token index)
    let mut sentence_starts = Vec::new();
    for s in &sentences {
        sentence_starts.push(b.tokens.len());
        for t in s {
            b.by_begin.insert(t.start, b.tokens.len());
            b.by_end.insert(t.end, b.tokens.len());
            b.tokens.push(Unit::new(t.start, t.end));
        }
    }
    let token_at: HashMap<(usize, usize), usize> = b
        .tokens
        .iter()
        .enumerate()
        .map(|(k, u)| ((u.begin, u.end), k))
        .collect();
    // Spans, by layer; token spans are tokens. Span layers are made in type-name order first,
    // so that their indices stay as they are.
    let is_token_span = |s: &Span| {
        s.attributes
            .get(LAYER_ATTRIBUTE)
            .is_some_and(|l| LayerDecl::parse(l).type_name == TOKEN_TYPE)
    };
    let mut span_types: Vec<String> = a
        .spans()
        .iter()
        .filter(|s| !is_token_span(s))
        .map(|s| decl_of(&s.attributes, false).type_name)
        .collect();
    span_types.sort();
    span_types.dedup();
    let mut layers: Vec<Layer> = span_types
        .into_iter()
        .map(|t| Layer {
            decl: LayerDecl {
                type_name: t,
                features: Vec::new(),
            },
            relation: false,
            base: None,
            anns: Vec::new(),
        })
        .collect();
    let mut ref_of: HashMap<&str, AnnRef> = HashMap::new();
    for s in a.spans() {
        if is_token_span(s) {
            let range = (d.char_to_utf16(s.start), d.char_to_utf16(s.end));
            if let Some(&t) = token_at.get(&range) {
                ref_of.insert(&s.id, AnnRef::Token(t));
            }
            continue;
        }
        if s.is_discontinuous() {
            report.note(
                rel,
                None,
                format!(
                    "discontinuous span `{}` written as {} annotations",
                    s.text,
                    s.fragments.len()
                ),
            );
        }
        // Creation order (the number in the id), as UIMA orders annotations at the same place.
        let base = id_number(&s.id).saturating_mul(64);
        for (k, p) in s.pieces().into_iter().enumerate() {
            let range = (d.char_to_utf16(p.start), d.char_to_utf16(p.end));
            let seq = base.saturating_add(k as u64) as usize;
            let (li, ai) = add_ann(&mut layers, false, &s.label, &s.attributes, range, seq);
            if k == 0 {
                ref_of.insert(&s.id, AnnRef::Ann(li, ai));
            }
        }
    }
    let span_layers = layers.len();
    // Relations, by layer (after the span layers).
    for r in &a.relations {
        let (Some(&from), Some(&to)) = (ref_of.get(r.from.as_str()), ref_of.get(r.to.as_str()))
        else {
            report.skip(
                "relation to a span that cannot be written (a token span not on a token)",
                rel,
                None,
                format!("relation {} ({})", r.id, r.kind),
            );
            continue;
        };
        let target = match to {
            AnnRef::Ann(l, k) => (layers[l].anns[k].begin, layers[l].anns[k].end),
            AnnRef::Token(t) => (b.tokens[t].begin, b.tokens[t].end),
        };
        let seq = id_number(&r.id) as usize;
        let (li, ai) = add_ann(&mut layers, true, &r.kind, &r.attributes, target, seq);
        layers[li].anns[ai].ends = Some((from, to));
    }
    // Each relation layer joins one type (its first relation's source's, as INCEpTION takes it):
    // a relation joining others could not be read back.
    let type_of = |x: AnnRef, layers: &[Layer]| match x {
        AnnRef::Ann(l, _) => layers[l].decl.type_name.clone(),
        AnnRef::Token(_) => TOKEN_TYPE.to_owned(),
    };
    for li in span_layers..layers.len() {
        let Some(first) = layers[li].anns.first().and_then(|x| x.ends) else {
            continue;
        };
        let base = type_of(first.0, &layers);
        let anns = std::mem::take(&mut layers[li].anns);
        let mut kept = Vec::new();
        for x in anns {
            let Some((f, t)) = x.ends else { continue };
            if type_of(f, &layers) == base && type_of(t, &layers) == base {
                kept.push(x);
            } else {
                report.skip(
                    "relation joining spans of another layer than the first relation of its layer",
                    rel,
                    None,
                    format!("a `{}` relation", layers[li].decl.short_name()),
                );
            }
        }
        layers[li].anns = kept;
        layers[li].base = Some(if layers[li].decl.type_name == DEPENDENCY_TYPE {
            POS_TYPE.to_owned()
        } else {
            base
        });
    }
    let mut relation_layers = layers.split_off(span_layers);
    relation_layers.retain(|l| !l.anns.is_empty());
    relation_layers.sort_by(|x, y| x.decl.type_name.cmp(&y.decl.type_name));
    layers.extend(relation_layers);
    place_all(&mut b, &mut layers, report, rel);
    report_what_tsv_cannot_hold(doc, report);
    let token_ids: Vec<String> = sentences
        .iter()
        .enumerate()
        .flat_map(|(si, s)| (0..s.len()).map(move |ti| format!("{}-{}", si + 1, ti + 1)))
        .collect();
    serialize(doc, &sentences, &token_ids, &b, &layers)
}

/// Notes, document labels, events and groups have no place in WebAnno TSV: counted as not
/// converted.
fn report_what_tsv_cannot_hold(doc: &ExportDoc, report: &mut Report) {
    let a = &doc.annotations;
    let notes = a.spans().iter().filter(|s| s.note.is_some()).count()
        + a.relations.iter().filter(|r| r.note.is_some()).count();
    for (what, n) in [
        ("notes", notes),
        ("document labels", a.doc_labels.len()),
        ("events", a.events.len()),
        ("equivalence groups", a.groups.len()),
    ] {
        report.skip_n(
            &format!("{what} (WebAnno TSV has no place for them)"),
            n,
            &doc.relative,
            None,
            format!("{n} {what} not written"),
        );
    }
    report.spans += a.spans().len();
    report.relations += a.relations.len();
}

/// Places every annotation on units, layer by layer in type-name order (spans and relations
/// alike: INCEpTION's type system order), each layer's annotations in UIMA's index order (begin,
/// longer first, then creation). Relations whose ends cannot be placed, and annotations outside
/// every token, are left out (reported).
fn place_all(b: &mut Builder, layers: &mut [Layer], report: &mut Report, rel: &str) {
    let located = |x: AnnRef, layers: &[Layer], b: &Builder| match x {
        AnnRef::Token(_) => true,
        AnnRef::Ann(l, k) => {
            let a = &layers[l].anns[k];
            b.locate(a.begin, a.end).is_some()
        }
    };
    for li in 0..layers.len() {
        if !layers[li].relation {
            continue;
        }
        let anns = std::mem::take(&mut layers[li].anns);
        let before = anns.len();
        let kept: Vec<Ann> = anns
            .into_iter()
            .filter(|x| {
                x.ends
                    .is_some_and(|(f, t)| located(f, layers, b) && located(t, layers, b))
            })
            .collect();
        let lost = before - kept.len();
        layers[li].anns = kept;
        report.skip_n(
            "relation to a span outside every token",
            lost,
            rel,
            None,
            format!("{lost} `{}` relation(s)", layers[li].decl.short_name()),
        );
    }
    let mut by_type: Vec<usize> = (0..layers.len()).collect();
    by_type.sort_by(|&x, &y| layers[x].decl.type_name.cmp(&layers[y].decl.type_name));
    for li in by_type {
        let relation = layers[li].relation;
        let mut order: Vec<usize> = (0..layers[li].anns.len()).collect();
        order.sort_by_key(|&k| {
            let x = &layers[li].anns[k];
            (x.begin, std::cmp::Reverse(x.end), x.seq)
        });
        for k in order {
            let (begin, end) = (layers[li].anns[k].begin, layers[li].anns[k].end);
            if !b.place(li, k, begin, end, !relation) {
                report.skip(
                    "annotation outside every token",
                    rel,
                    None,
                    format!(
                        "`{}` at {begin}-{end} (UTF-16)",
                        layers[li].decl.short_name()
                    ),
                );
            }
        }
    }
}

/// The id of a unit.
fn unit_id(token_ids: &[String], at: UnitAt) -> String {
    let t = token_ids.get(at.0).map(String::as_str).unwrap_or("?");
    match at.1 {
        Some(s) => format!("{t}.{}", s + 1),
        None => t.to_owned(),
    }
}

/// The value of one column for the annotations of `layer` in `unit`.
fn column_value(
    b: &Builder,
    token_ids: &[String],
    layers: &[Layer],
    li: usize,
    column: Option<&str>,
    unit: &Unit,
) -> String {
    let Some(list) = unit.anns.get(&li).filter(|l| !l.is_empty()) else {
        return "_".to_owned();
    };
    let layer = &layers[li];
    let mut out = String::new();
    for (n, &k) in list.iter().enumerate() {
        if n > 0 {
            out.push('|');
        }
        let ann = &layer.anns[k];
        let id = b.ids.get(&AnnRef::Ann(li, k));
        match column {
            Some(feature) => {
                match ann.values.get(feature) {
                    Some(v) => out.push_str(&escape_value(v)),
                    None => out.push('*'),
                }
                if let Some(id) = id {
                    let _ = write!(out, "[{id}]");
                }
            }
            None if layer.relation => {
                // The governor's unit, and the ids of ambiguous ends.
                if let Some((from, to)) = ann.ends {
                    let at = match from {
                        AnnRef::Token(t) => Some((t, None)),
                        a => b.id_unit.get(&a).copied(),
                    };
                    out.push_str(&at.map_or_else(|| "_".to_owned(), |at| unit_id(token_ids, at)));
                    let (fi, ti) = (b.ids.get(&from), b.ids.get(&to));
                    if fi.is_some() || ti.is_some() {
                        let _ = write!(
                            out,
                            "[{}_{}]",
                            fi.copied().unwrap_or(0),
                            ti.copied().unwrap_or(0)
                        );
                    }
                }
            }
            None => {
                out.push('*');
                if let Some(id) = id {
                    let _ = write!(out, "[{id}]");
                }
            }
        }
    }
    out
}

fn serialize(
    doc: &ExportDoc,
    sentences: &[Vec<Range<usize>>],
    token_ids: &[String],
    b: &Builder,
    layers: &[Layer],
) -> String {
    let d = &doc.doc;
    let mut s = String::with_capacity(d.text().len() * 4 + 256);
    s.push_str("#FORMAT=WebAnno TSV 3.3\n");
    // The columns: (layer, feature or None for the placeholder / the governor column).
    let mut columns: Vec<(usize, Option<&str>)> = Vec::new();
    for (li, l) in layers.iter().enumerate() {
        s.push_str(if l.relation { "#T_RL=" } else { "#T_SP=" });
        s.push_str(&l.decl.type_name);
        for f in &l.decl.features {
            s.push('|');
            s.push_str(f);
            columns.push((li, Some(f)));
        }
        if l.relation {
            s.push_str("|BT_");
            s.push_str(l.base.as_deref().unwrap_or(DEFAULT_SPAN_LAYER));
            columns.push((li, None));
        } else if l.decl.features.is_empty() {
            s.push('|');
            columns.push((li, None));
        }
        s.push('\n');
    }
    s.push('\n');
    let slice16 = |begin: usize, end: usize| -> String {
        match (d.utf16_to_char(begin), d.utf16_to_char(end)) {
            (Some(a), Some(b)) => d.slice(a..b).unwrap_or("").to_owned(),
            _ => String::new(),
        }
    };
    let mut next_token = 0;
    for sentence in sentences {
        let (Some(first), Some(last)) = (sentence.first(), sentence.last()) else {
            continue;
        };
        s.push('\n');
        for line in slice16(first.start, last.end).split('\n') {
            s.push_str("#Text=");
            s.push_str(&escape_text(line));
            s.push('\n');
        }
        for _ in sentence {
            let t = next_token;
            next_token += 1;
            let Some(token) = b.tokens.get(t) else {
                continue;
            };
            let write_unit = |s: &mut String, unit: &Unit, at: UnitAt| {
                let text = slice16(unit.begin, unit.end);
                let text = if text.contains(['\t', '\n', '\r']) {
                    escape_text(&text)
                } else {
                    text
                };
                let _ = write!(
                    s,
                    "{}\t{}-{}\t{}\t",
                    unit_id(token_ids, at),
                    unit.begin,
                    unit.end,
                    text
                );
                for &(li, col) in &columns {
                    s.push_str(&column_value(b, token_ids, layers, li, col, unit));
                    s.push('\t');
                }
                s.push('\n');
            };
            write_unit(&mut s, token, (t, None));
            for (k, sub) in token.subtokens.iter().enumerate() {
                write_unit(&mut s, sub, (t, Some(k)));
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::webanno_tsv::parse;
    use crate::formats::ImportOptions;

    /// Reads a TSV and writes it back.
    fn again(tsv: &str) -> String {
        let mut r = Report::new();
        let d = parse(
            "t.tsv",
            "t.txt".into(),
            tsv,
            &ImportOptions::default(),
            &mut r,
        )
        .unwrap();
        let e = ExportDoc {
            relative: "t.txt".into(),
            doc: d.doc,
            annotations: d.annotations,
        };
        write_document(&e, &ExportOptions::default(), &mut Report::new())
    }

    #[test]
    fn sub_tokens_and_ids_are_written_as_inception_writes_them() {
        let tsv = "#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Span|value\n\n\n\
                   #Text=aaaaaa bbbbbb cccccc\n\
                   1-1\t0-6\taaaaaa\t2[1]|7[2]|1[3]\t\n\
                   1-1.1\t3-6\taaa\t9[4]|6[5]|8[6]\t\n\
                   1-2\t7-13\tbbbbbb\t2[1]|9[4]|6[5]\t\n\
                   1-2.1\t7-10\tbbb\t7[2]|8[6]\t\n\
                   1-2.2\t7-11\tbbbb\t4\t\n\
                   1-2.3\t9-13\tbbbb\t5\t\n\
                   1-2.4\t9-11\tbb\t3\t\n\
                   1-3\t14-20\tcccccc\t_\t\n\
                   1-3.1\t14-17\tccc\t9[4]\t\n";
        assert_eq!(again(tsv), tsv);
    }
}
