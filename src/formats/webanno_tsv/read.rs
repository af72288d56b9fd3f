//! Reading WebAnno TSV 3.3 as INCEpTION's `Tsv3XDeserializer` does, into the model (see the
//! module's mapping). A malformed line is reported with its number and the rest is read.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use super::escape::{split_suffix, split_unescaped, unescape_text, unescape_value};
use super::{
    LayerDecl, DEFAULT_RELATION_LAYER, DEFAULT_SPAN_LAYER, DEPENDENCY_TYPE, LAYER_ATTRIBUTE,
    TOKEN_LABEL, TOKEN_TYPE,
};
use crate::formats::source::SourceFile;
use crate::formats::{make_span, ImportOptions, Imported, ImportedDoc, Report};
use crate::model::annotation::{Annotations, Relation, ReviewState, Source, Span};
use crate::model::Document;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LayerKind {
    Span,
    Relation,
    Chain,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ColKind {
    Primitive(String),
    /// A layer declared without features.
    Placeholder,
    /// A relation's governor (`BT_TYPE`).
    RelationRef,
    SlotRole,
    SlotTarget,
    Chain,
}

#[derive(Debug, Clone)]
struct Layer {
    kind: LayerKind,
    decl: LayerDecl,
    /// For relations: the type of the annotations they join.
    base: Option<String>,
}

#[derive(Debug, Clone)]
struct Column {
    layer: usize,
    kind: ColKind,
}

/// A token or sub-token line.
#[derive(Debug, Default)]
struct Unit {
    /// `1-2`, `1-2.1`.
    id: String,
    begin: usize,
    end: usize,
    /// Index in the token list (tokens only).
    token: Option<usize>,
    /// Annotations per layer, in stacking order.
    anns: HashMap<usize, Vec<usize>>,
}

/// An annotation being read (offsets in UTF-16 units).
#[derive(Debug)]
struct Ann {
    layer: usize,
    begin: usize,
    end: usize,
    features: BTreeMap<String, String>,
    line: usize,
    /// Relations: (governor unit id, governor id, dependent id) of `1-1[2_3]`; the dependent is
    /// `unit`.
    source: Option<(String, usize, usize)>,
    unit: usize,
}

/// What a relation end resolved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Ann(usize),
    Token(usize),
}

struct Reader<'a> {
    file: &'a str,
    layers: Vec<Layer>,
    columns: Vec<Column>,
    units: Vec<Unit>,
    unit_ids: HashMap<String, usize>,
    anns: Vec<Ann>,
    /// Disambiguation id -> annotation.
    ids: HashMap<usize, usize>,
    /// Token offsets (UTF-16).
    tokens: Vec<Range<usize>>,
    /// Things reported once per document, counted.
    slots: usize,
    chains: usize,
    sentence_ids: usize,
}

fn parse_header(
    file: &str,
    lines: &[(usize, &str)],
    report: &mut Report,
) -> Option<(Vec<Layer>, Vec<Column>, usize)> {
    let mut k = 0;
    while lines.get(k).is_some_and(|(_, l)| l.trim().is_empty()) {
        k += 1;
    }
    let Some(&(n, first)) = lines.get(k) else {
        report.error(file, None, "empty file");
        return None;
    };
    let version = first
        .strip_prefix("#FORMAT=WebAnno TSV ")
        .map(str::trim)
        .unwrap_or("");
    if !version.starts_with("3.") {
        report.error(
            file,
            Some(n),
            format!(
                "`{first}`: not WebAnno TSV 3 (expected `#FORMAT=WebAnno TSV 3.3`); file skipped"
            ),
        );
        return None;
    }
    k += 1;
    let mut layers = Vec::new();
    let mut columns = Vec::new();
    while let Some(&(n, line)) = lines.get(k) {
        let kind = if let Some(rest) = line.strip_prefix("#T_SP=") {
            Some((LayerKind::Span, rest))
        } else if let Some(rest) = line.strip_prefix("#T_RL=") {
            Some((LayerKind::Relation, rest))
        } else {
            line.strip_prefix("#T_CH=")
                .map(|rest| (LayerKind::Chain, rest))
        };
        let Some((kind, rest)) = kind else { break };
        k += 1;
        let fields: Vec<&str> = rest.split('|').filter(|f| !f.is_empty()).collect();
        let Some((&type_name, decls)) = fields.split_first() else {
            report.error(file, Some(n), format!("`{line}`: a layer without a type"));
            continue;
        };
        let index = layers.len();
        let mut layer = Layer {
            kind,
            decl: LayerDecl {
                type_name: type_name.to_owned(),
                features: Vec::new(),
            },
            base: None,
        };
        let mut prev_slot_role = false;
        for d in decls {
            let ck = match kind {
                LayerKind::Span if d.starts_with("ROLE_") => ColKind::SlotRole,
                LayerKind::Span if prev_slot_role => ColKind::SlotTarget,
                LayerKind::Relation if d.starts_with("BT_") => {
                    layer.base = Some(d["BT_".len()..].to_owned());
                    ColKind::RelationRef
                }
                LayerKind::Chain => ColKind::Chain,
                _ => {
                    layer.decl.features.push((*d).to_owned());
                    ColKind::Primitive((*d).to_owned())
                }
            };
            prev_slot_role = ck == ColKind::SlotRole;
            columns.push(Column {
                layer: index,
                kind: ck,
            });
        }
        if decls.is_empty() {
            columns.push(Column {
                layer: index,
                kind: ColKind::Placeholder,
            });
        }
        if kind == LayerKind::Relation && layer.base.is_none() {
            report.error(
                file,
                Some(n),
                format!("relation layer `{type_name}` has no BT_ column"),
            );
        }
        layers.push(layer);
    }
    Some((layers, columns, k))
}

impl Reader<'_> {
    /// The annotation of `layer` at stacking position `index` in `unit`: already there, found by
    /// its disambiguation id (a multi-unit annotation, extended to this unit), or new.
    fn get_or_create(
        &mut self,
        unit: usize,
        layer: usize,
        index: usize,
        id: Option<usize>,
        line: usize,
    ) -> usize {
        if let Some(&a) = self.units[unit].anns.get(&layer).and_then(|v| v.get(index)) {
            return a;
        }
        let (begin, end) = (self.units[unit].begin, self.units[unit].end);
        if let Some(a) = id.and_then(|i| self.ids.get(&i).copied()) {
            if let Some(ann) = self.anns.get_mut(a) {
                ann.end = end;
            }
            self.units[unit].anns.entry(layer).or_default().push(a);
            return a;
        }
        let a = self.anns.len();
        self.anns.push(Ann {
            layer,
            begin,
            end,
            features: BTreeMap::new(),
            line,
            source: None,
            unit,
        });
        self.units[unit].anns.entry(layer).or_default().push(a);
        if let Some(i) = id {
            self.ids.insert(i, a);
        }
        a
    }

    /// The columns of one token or sub-token line.
    fn annotations(&mut self, unit: usize, fields: &[&str], line: usize, report: &mut Report) {
        let file = self.file;
        for c in 0..self.columns.len() {
            let raw = fields.get(c + 3).copied().unwrap_or("_");
            if raw == "_" {
                continue;
            }
            let Column { layer, kind } = self.columns[c].clone();
            if kind == ColKind::Chain {
                self.chains += 1;
                continue;
            }
            for (index, value) in split_unescaped(raw, '|').into_iter().enumerate() {
                // Slot targets carry ids per slot; everything else after the value.
                let (value, info) = if kind == ColKind::SlotTarget {
                    (value, None)
                } else {
                    split_suffix(value)
                };
                let (id, rel_ids) = match (&kind, info) {
                    (ColKind::RelationRef, Some(i)) => {
                        let mut it = i.split('_').map(|x| x.parse::<usize>().ok());
                        match (it.next().flatten(), it.next().flatten()) {
                            (Some(a), Some(b)) => (None, Some((a, b))),
                            _ => {
                                report.error(
                                    file,
                                    Some(line),
                                    format!("`{raw}`: bad relation ids `[{i}]`; read without them"),
                                );
                                (None, None)
                            }
                        }
                    }
                    (_, Some(i)) => match i.parse::<usize>() {
                        Ok(n) => (Some(n), None),
                        Err(_) => {
                            report.error(
                                file,
                                Some(line),
                                format!("`{raw}`: bad id `[{i}]`; read without it"),
                            );
                            (None, None)
                        }
                    },
                    (_, None) => (None, None),
                };
                let a = if self.layers[layer].kind == LayerKind::Relation {
                    self.get_or_create(unit, layer, index, None, line)
                } else {
                    self.get_or_create(unit, layer, index, id, line)
                };
                match &kind {
                    ColKind::Primitive(feature) => {
                        if value != "*" {
                            self.anns[a]
                                .features
                                .insert(feature.clone(), unescape_value(value));
                        }
                    }
                    ColKind::RelationRef => {
                        let (s, t) = rel_ids.unwrap_or((0, 0));
                        self.anns[a].source = Some((value.to_owned(), s, t));
                    }
                    ColKind::SlotRole => {
                        if value != "*" {
                            self.slots += split_unescaped(value, ';').len();
                        }
                    }
                    ColKind::SlotTarget | ColKind::Placeholder | ColKind::Chain => {}
                }
            }
        }
    }

    /// Resolves a relation end: by disambiguation id, else the first annotation of `base` in the
    /// unit (the token itself for token-attached relations).
    fn resolve(&self, base: &str, token_attached: bool, unit_id: &str, id: usize) -> Option<End> {
        if id > 0 {
            return self.ids.get(&id).map(|&a| End::Ann(a));
        }
        let unit = self.units.get(*self.unit_ids.get(unit_id)?)?;
        if token_attached {
            return unit.token.map(End::Token);
        }
        let layer = self
            .layers
            .iter()
            .position(|l| l.kind == LayerKind::Span && l.decl.type_name == base)?;
        unit.anns.get(&layer)?.first().map(|&a| End::Ann(a))
    }
}

/// Is this layer the default one (no `webanno:layer` attribute needed: on export its features
/// are its default ones and the attributes)?
fn is_default(decl: &LayerDecl, kind: LayerKind) -> bool {
    match kind {
        LayerKind::Span => decl.type_name == DEFAULT_SPAN_LAYER,
        _ => decl.type_name == DEFAULT_RELATION_LAYER,
    }
}

/// Label and attributes of an annotation of `decl`.
fn label_and_attributes(
    decl: &LayerDecl,
    features: &BTreeMap<String, String>,
    kind: LayerKind,
) -> (String, BTreeMap<String, String>) {
    let label_feature = decl.label_feature();
    let label = label_feature
        .and_then(|f| features.get(f))
        .cloned()
        .unwrap_or_else(|| decl.short_name().to_owned());
    let mut attributes: BTreeMap<String, String> = features
        .iter()
        .filter(|(k, _)| Some(k.as_str()) != label_feature)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if !is_default(decl, kind) {
        attributes.insert(LAYER_ATTRIBUTE.to_owned(), decl.to_attribute());
    }
    (label, attributes)
}

/// Parses one WebAnno TSV document (`file` names it in messages).
pub fn parse(
    file: &str,
    name: String,
    content: &str,
    opts: &ImportOptions,
    report: &mut Report,
) -> Option<ImportedDoc> {
    let content = content.strip_prefix('\u{FEFF}').unwrap_or(content);
    let lines: Vec<(usize, &str)> = content
        .split('\n')
        .enumerate()
        .map(|(n, l)| (n + 1, l.strip_suffix('\r').unwrap_or(l)))
        .collect();
    let (layers, columns, body) = parse_header(file, &lines, report)?;
    let mut r = Reader {
        file,
        layers,
        columns,
        units: Vec::new(),
        unit_ids: HashMap::new(),
        anns: Vec::new(),
        ids: HashMap::new(),
        tokens: Vec::new(),
        slots: 0,
        chains: 0,
        sentence_ids: 0,
    };
    // The text, built as INCEpTION builds it, with its length in UTF-16 units.
    let mut text = String::new();
    let mut len16 = 0usize;
    let mut sentence_text = String::new();
    let mut in_header = false;
    let mut last_token: Option<usize> = None;
    let expected = r.columns.len() + 3;
    for &(n, line) in lines.iter().skip(body) {
        if line.is_empty() {
            in_header = false;
            continue;
        }
        if line.starts_with('#') {
            if !in_header {
                sentence_text.clear();
                in_header = true;
            }
            if let Some(t) = line.strip_prefix("#Text=") {
                sentence_text.push_str(&unescape_text(t));
                sentence_text.push('\n');
            } else if line.starts_with("#Sentence.id=") {
                r.sentence_ids += 1;
            }
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < expected {
            report.error(
                file,
                Some(n),
                format!(
                    "{} fields, the header needs {expected}; line skipped",
                    fields.len()
                ),
            );
            continue;
        }
        let id = fields[0];
        let offsets = fields[1]
            .split_once('-')
            .and_then(|(a, b)| Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?)));
        let Some((begin, end)) = offsets.filter(|(a, b)| a <= b) else {
            report.error(
                file,
                Some(n),
                format!("bad offsets `{}`; line skipped", fields[1]),
            );
            continue;
        };
        let is_sub = id.contains('.');
        if in_header {
            // The first token of a sentence: the sentence's text goes in at its offset.
            in_header = false;
            if is_sub {
                report.error(
                    file,
                    Some(n),
                    "a sentence starts with a sub-token; line skipped",
                );
                continue;
            }
            if len16 > begin {
                if len16 == begin + 1 && text.ends_with('\n') {
                    text.pop();
                    len16 -= 1;
                } else {
                    report.error(file, Some(n), format!("sentence starts at {begin}, before the end of the previous one ({len16}); its offsets are wrong"));
                }
            }
            // The gap before a sentence is white space INCEpTION did not write: never more than
            // the file could have held (a wrong offset must not make a text of gigabytes).
            if begin > len16 + content.len() {
                report.error(
                    file,
                    Some(n),
                    format!("sentence starts at {begin}, far past the text so far ({len16}); line skipped"),
                );
                continue;
            }
            while len16 < begin {
                text.push(' ');
                len16 += 1;
            }
            text.push_str(&sentence_text);
            len16 += sentence_text.encode_utf16().count();
            sentence_text.clear();
        }
        if end > len16 {
            report.error(
                file,
                Some(n),
                format!("offsets {begin}-{end} are past the sentence's text; line skipped"),
            );
            continue;
        }
        if is_sub && last_token.is_none() {
            report.error(file, Some(n), "a sub-token before any token; line skipped");
            continue;
        }
        let unit = r.units.len();
        let token = if is_sub {
            None
        } else {
            r.tokens.push(begin..end);
            Some(r.tokens.len() - 1)
        };
        r.units.push(Unit {
            id: id.to_owned(),
            begin,
            end,
            token,
            anns: HashMap::new(),
        });
        if r.unit_ids.insert(id.to_owned(), unit).is_some() {
            report.error(
                file,
                Some(n),
                format!("unit {id} appears twice; the later one is referred to"),
            );
        }
        if !is_sub {
            last_token = Some(unit);
        }
        r.annotations(unit, &fields, n, report);
    }
    // The last sentence's line end is not part of the text.
    if text.ends_with('\n') {
        text.pop();
    }
    let doc = Document::from_text(name.clone(), text);
    build(r, doc, name, opts, report)
}

/// Turns what was read into spans and relations.
fn build(
    r: Reader<'_>,
    doc: Document,
    name: String,
    opts: &ImportOptions,
    report: &mut Report,
) -> Option<ImportedDoc> {
    let file = r.file;
    let to_char = |u: usize| doc.utf16_to_char(u);
    let mut spans: Vec<Span> = Vec::new();
    // Annotation index -> span id (spans only).
    let mut span_of: HashMap<usize, String> = HashMap::new();
    for (k, a) in r.anns.iter().enumerate() {
        let layer = &r.layers[a.layer];
        if layer.kind != LayerKind::Span {
            continue;
        }
        if a.begin == a.end {
            report.skip(
                "zero-width annotation (the model has no empty spans)",
                file,
                Some(a.line),
                format!("{} at {} (UTF-16)", layer.decl.short_name(), a.begin),
            );
            continue;
        }
        let (Some(s), Some(e)) = (to_char(a.begin), to_char(a.end)) else {
            report.error(
                file,
                Some(a.line),
                format!(
                    "offsets {}-{} split a character; annotation skipped",
                    a.begin, a.end
                ),
            );
            continue;
        };
        let (label, attributes) = label_and_attributes(&layer.decl, &a.features, LayerKind::Span);
        let id = format!("s{}", spans.len() + 1);
        if let Some(mut sp) = make_span(
            &doc,
            id.clone(),
            std::iter::once(s..e).collect(),
            &label,
            Source::Imported,
            ReviewState::Accepted,
        ) {
            sp.attributes = attributes;
            span_of.insert(k, id);
            spans.push(sp);
        }
    }
    // Token spans made for token-attached relations, by token index.
    let mut token_spans: HashMap<usize, String> = HashMap::new();
    let mut relations: Vec<Relation> = Vec::new();
    for a in r.anns.iter() {
        let layer = &r.layers[a.layer];
        if layer.kind != LayerKind::Relation {
            continue;
        }
        let base = layer.base.clone().unwrap_or_default();
        let token_attached = base == TOKEN_TYPE || layer.decl.type_name == DEPENDENCY_TYPE;
        let Some((src_unit, src_id, tgt_id)) = &a.source else {
            report.error(
                file,
                Some(a.line),
                format!(
                    "relation `{}` without its governor column; skipped",
                    layer.decl.short_name()
                ),
            );
            continue;
        };
        let target_unit = r
            .units
            .get(a.unit)
            .map(|u| u.id.clone())
            .unwrap_or_default();
        let from = r.resolve(&base, token_attached, src_unit, *src_id);
        let to = r.resolve(&base, token_attached, &target_unit, *tgt_id);
        let mut end_id = |e: Option<End>, spans: &mut Vec<Span>| -> Option<String> {
            match e? {
                End::Ann(x) => span_of.get(&x).cloned(),
                End::Token(t) => {
                    if let Some(id) = token_spans.get(&t) {
                        return Some(id.clone());
                    }
                    let range = r.tokens.get(t)?;
                    let (s, e) = (to_char(range.start)?, to_char(range.end)?);
                    let id = format!("s{}", spans.len() + 1);
                    let mut sp = make_span(
                        &doc,
                        id.clone(),
                        std::iter::once(s..e).collect(),
                        TOKEN_LABEL,
                        Source::Imported,
                        ReviewState::Accepted,
                    )?;
                    sp.attributes
                        .insert(LAYER_ATTRIBUTE.to_owned(), format!("{TOKEN_TYPE}|"));
                    spans.push(sp);
                    token_spans.insert(t, id.clone());
                    Some(id)
                }
            }
        };
        let (Some(from), Some(to)) = (end_id(from, &mut spans), end_id(to, &mut spans)) else {
            report.skip(
                "relation whose governor or dependent is not a span here (zero-width, or not found)",
                file,
                Some(a.line),
                format!("`{}` from {src_unit}", layer.decl.short_name()),
            );
            continue;
        };
        let (kind, attributes) =
            label_and_attributes(&layer.decl, &a.features, LayerKind::Relation);
        relations.push(Relation {
            id: format!("r{}", relations.len() + 1),
            kind,
            from,
            to,
            attributes,
            ..Relation::default()
        });
    }
    let f = file;
    report.skip_n(
        "slot feature links (WebAnno TSV slot features are not converted)",
        r.slots,
        f,
        None,
        format!(
            "{} slot link(s) not imported (their host spans are)",
            r.slots
        ),
    );
    report.skip_n(
        "chain layer values (WebAnno TSV chains are not converted)",
        r.chains,
        f,
        None,
        format!("{} chain value(s) not imported", r.chains),
    );
    report.skip_n(
        "sentence ids (the model does not keep sentences)",
        r.sentence_ids,
        f,
        None,
        format!("{} `#Sentence.id` line(s) not imported", r.sentence_ids),
    );
    let tokens: Vec<Range<usize>> = r
        .tokens
        .iter()
        .filter(|t| t.start < t.end)
        .filter_map(|t| Some(to_char(t.start)?..to_char(t.end)?))
        .collect();
    report.documents += 1;
    report.spans += spans.len();
    report.relations += relations.len();
    report.tokens += tokens.len();
    let mut annotations =
        Annotations::from_parts(opts.status, spans, relations, Vec::new(), Vec::new());
    let ordered = tokens.windows(2).all(|w| w[0].end <= w[1].start);
    if ordered && !tokens.is_empty() {
        annotations.tokens = Some(tokens);
    }
    Some(ImportedDoc {
        name,
        annotator: None,
        doc,
        annotations,
    })
}

/// Reads one `.tsv` file: one document.
pub fn parse_source(
    file: &SourceFile,
    opts: &ImportOptions,
    report: &mut Report,
    out: &mut Imported,
) {
    let name = format!("{}.txt", file.stem);
    if let Some(d) = parse(&file.name, name, &file.text, opts, report) {
        out.docs.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(tsv: &str) -> (ImportedDoc, Report) {
        let mut r = Report::new();
        let d = parse(
            "t.tsv",
            "t.txt".into(),
            tsv,
            &ImportOptions::default(),
            &mut r,
        )
        .unwrap();
        (d, r)
    }

    #[test]
    fn multi_token_stacked_and_sub_token_spans() {
        let tsv = "#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Span|value\n\n\n\
                   #Text=aaaaaa bbbbbb cccccc\n\
                   1-1\t0-6\taaaaaa\t2[1]|7[2]|1[3]\t\n\
                   1-1.1\t3-6\taaa\t9[4]\t\n\
                   1-2\t7-13\tbbbbbb\t2[1]|9[4]\t\n\
                   1-2.1\t7-10\tbbb\t7[2]\t\n\
                   1-2.2\t7-7\t\t11\t\n\
                   1-3\t14-20\tcccccc\t_\t\n\
                   1-3.1\t14-17\tccc\t9[4]\t\n";
        let (d, r) = read(tsv);
        assert_eq!(d.doc.text(), "aaaaaa bbbbbb cccccc");
        let got: Vec<(usize, usize, &str)> = d
            .annotations
            .spans()
            .iter()
            .map(|s| (s.start, s.end, s.label.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![(0, 6, "1"), (0, 10, "7"), (0, 13, "2"), (3, 17, "9")]
        );
        assert_eq!(
            r.skipped
                .get("zero-width annotation (the model has no empty spans)"),
            Some(&1)
        );
        assert_eq!(
            d.annotations.tokens.as_deref(),
            Some(&[0..6, 7..13, 14..20][..])
        );
        assert_eq!(
            d.annotations.spans()[0].attributes[LAYER_ATTRIBUTE],
            "webanno.custom.Span|value"
        );
    }

    #[test]
    fn an_offset_far_past_the_text_is_an_error_not_a_huge_text() {
        let tsv = "#FORMAT=WebAnno TSV 3.3\n\n\n#Text=x\n1-1\t999999999999-1000000000000\tx\t\n";
        let mut r = Report::new();
        let d = parse(
            "t.tsv",
            "t.txt".into(),
            tsv,
            &ImportOptions::default(),
            &mut r,
        )
        .unwrap();
        assert!(d.doc.text().len() < 10);
        assert_eq!(r.errors().count(), 1, "{:?}", r.issues);
    }

    #[test]
    fn utf16_offsets_relations_and_sentences_without_a_gap() {
        let tsv = "#FORMAT=WebAnno TSV 3.3\n#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value\n\
                   #T_RL=webanno.custom.Relation|value|BT_de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity\n\n\n\
                   #Text=😊 قال\n1-1\t0-2\t😊\t_\t_\t_\t_\t\n1-2\t3-6\tقال\t*\tPER\tsays\t1-1\t\n\n\
                   #Text=x\n2-1\t6-7\tx\t_\t_\t_\t_\t\n";
        let (d, r) = read(tsv);
        assert!(
            r.issues
                .iter()
                .all(|i| i.severity != crate::formats::Severity::Error),
            "{:?}",
            r.issues
        );
        assert_eq!(d.doc.text(), "😊 قالx");
        let s = &d.annotations.spans();
        assert_eq!((s[0].start, s[0].end, s[0].label.as_str()), (2, 5, "PER"));
        assert!(
            s[0].attributes.is_empty(),
            "the default layer needs no attribute"
        );
        // The relation's governor column names a unit without a span: not a span here.
        assert_eq!(d.annotations.relations.len(), 0);
    }
}
