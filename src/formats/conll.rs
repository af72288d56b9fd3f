//! The CoNLL / BIO family: one token per line, its tags in the following columns.
//!
//! Import accepts IOB1, IOB2 (BIO), BIOES/IOBES and BILOU in any mix (one decoder handles them
//! all), one or more tag columns (nested entities, outer first, the Wojood layout), space- or
//! tab-separated columns, blank or white-space-only lines as sentence breaks, `-DOCSTART-` as a
//! document break, a BOM and CR LF line ends. The text is rebuilt from the tokens: tokens joined by
//! one space, each sentence ended by a line feed (see docs/formats.md). Tokens are kept exactly,
//! invisible marks (U+200E) included.
//!
//! The tokens are recorded with the document (`Annotations::tokens`), so that an export gives the
//! same tokens back by default. An `I-` (or `E-`/`L-`) that continues nothing (IOB1, or ill-formed
//! IOB2) starts an entity: it is written back as `B-` and counted as repaired.
//!
//! Export takes the recorded tokens, or tokenizes with [`super::tokenize`], splits tokens at span
//! edges inside them, and writes the tags of the chosen scheme.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use smallvec::SmallVec;

use super::source::SourceFile;
use super::tokenize::{sentences_of, split_at_edges, tokenize, Tokenizer};
use super::{
    make_span, ExportDoc, ExportOptions, Exporter, ImportOptions, Imported, ImportedDoc, Output,
    Report, TagScheme,
};
use crate::model::annotation::{id_number, Annotations, ReviewState, Source};
use crate::model::{Document, Schema};

/// What an `I-` that continues nothing is counted as when read.
pub const ORPHAN_REPAIR: &str =
    "entity starting with I-/E-/L- (IOB1, or ill-formed IOB2) read as an entity start, written back as B-";

/// File name endings taken as CoNLL files when importing a folder.
pub const EXTENSIONS: &[&str] = &[".txt", ".conll", ".bio", ".iob", ".tsv", ".tags"];

/// A parsed tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tag {
    Outside,
    /// (prefix letter, entity type)
    Entity(char, String),
}

/// Parses `O`, `B-X`, `I-X`, `E-X`, `S-X`, `L-X`, `U-X` (also with `_`); the type may contain
/// hyphens (`B-Population-Center`).
pub fn parse_tag(s: &str) -> Option<Tag> {
    if s == "O" {
        return Some(Tag::Outside);
    }
    let mut chars = s.chars();
    let p = chars.next()?;
    let sep = chars.next()?;
    let rest = chars.as_str();
    if matches!(p, 'B' | 'I' | 'E' | 'S' | 'L' | 'U')
        && (sep == '-' || sep == '_')
        && !rest.is_empty()
    {
        Some(Tag::Entity(p, rest.to_owned()))
    } else {
        None
    }
}

pub(crate) struct Token {
    pub(crate) text: String,
    pub(crate) tags: Vec<Tag>,
    /// 1-based line in the source file (0: unknown).
    pub(crate) line: usize,
}

/// One document's worth of sentences.
pub(crate) type Sentences = Vec<Vec<Token>>;

/// Reads one CoNLL file (`in_folder`: it was found in a folder given as the source, where a file
/// that is not CoNLL, such as a README, is only noted).
pub fn parse_source(
    file: &SourceFile,
    in_folder: bool,
    opts: &ImportOptions,
    report: &mut Report,
    out: &mut Imported,
) {
    if !looks_like_conll(&file.text) {
        let msg =
            "does not look like CoNLL (most lines are not a token followed by tags); file skipped";
        if in_folder {
            report.note(&file.name, None, msg);
        } else {
            report.error(&file.name, None, msg);
        }
        return;
    }
    out.docs
        .extend(parse(&file.name, &file.stem, &file.text, opts, report));
}

/// Do at least half of the non-blank lines (of the first 2,000) read as a token followed by tags?
pub fn looks_like_conll(content: &str) -> bool {
    let mut total = 0;
    let mut good = 0;
    for line in content.lines().filter(|l| !l.trim().is_empty()).take(2000) {
        total += 1;
        let fields: Vec<&str> = if line.contains('\t') {
            line.split('\t')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .collect()
        } else {
            line.split_whitespace().collect()
        };
        if fields.first() == Some(&"-DOCSTART-")
            || (fields.len() >= 2 && fields[1..].iter().all(|t| parse_tag(t).is_some()))
        {
            good += 1;
        }
    }
    total > 0 && good * 2 >= total
}

/// Parses CoNLL text (`file` names it in messages; documents are named after `stem`).
pub fn parse(
    file: &str,
    stem: &str,
    content: &str,
    opts: &ImportOptions,
    report: &mut Report,
) -> Vec<ImportedDoc> {
    let content = content.strip_prefix('\u{FEFF}').unwrap_or(content);
    let mut docs: Vec<Sentences> = Vec::new();
    let mut doc: Sentences = Vec::new();
    let mut sentence: Vec<Token> = Vec::new();
    for (n, raw) in content.split('\n').enumerate() {
        let line_no = n + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            if !sentence.is_empty() {
                doc.push(std::mem::take(&mut sentence));
            }
            continue;
        }
        let fields: Vec<&str> = if line.contains('\t') {
            let mut f: Vec<&str> = line.split('\t').collect();
            while f.len() > 1 && f.last().is_some_and(|l| l.trim().is_empty()) {
                f.pop();
            }
            f
        } else {
            line.split_whitespace().collect()
        };
        let Some((&token, tag_fields)) = fields.split_first() else {
            continue;
        };
        if token == "-DOCSTART-" {
            if !sentence.is_empty() {
                doc.push(std::mem::take(&mut sentence));
            }
            if !doc.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            continue;
        }
        if token.is_empty() {
            report.error(file, Some(line_no), "empty token; line skipped");
            continue;
        }
        if tag_fields.is_empty() {
            report.error(
                file,
                Some(line_no),
                format!("token `{token}` has no tag column; read as O"),
            );
        }
        let mut tags = Vec::with_capacity(tag_fields.len());
        for t in tag_fields {
            match parse_tag(t.trim()) {
                Some(tag) => tags.push(tag),
                None => report.error(
                    file,
                    Some(line_no),
                    format!("unknown column value `{t}` (not O or a B/I/E/S/L/U tag); ignored"),
                ),
            }
        }
        sentence.push(Token {
            text: token.to_owned(),
            tags,
            line: line_no,
        });
    }
    if !sentence.is_empty() {
        doc.push(sentence);
    }
    if !doc.is_empty() {
        docs.push(doc);
    }
    let many = docs.len() > 1;
    docs.into_iter()
        .enumerate()
        .map(|(k, sentences)| {
            let name = if many {
                format!("{stem}-{:04}.txt", k + 1)
            } else {
                format!("{stem}.txt")
            };
            build_doc(file, name, sentences, opts, report)
        })
        .collect()
}

/// An entity being read: type, first token index, order of its start tag.
struct Open {
    label: String,
    start_token: usize,
    seq: usize,
}

/// Decodes the tags of a sentence into (first token, end token exclusive, type), whatever the
/// scheme. Per type, entities open in order; `I`/`E`/`L` continue the outermost open ones, `B`/`S`/
/// `U` start new ones, `E`/`L`/`S`/`U` close after the token, an `I` with nothing open starts one.
pub fn decode_sentence(tags: &[Vec<Tag>]) -> Vec<(usize, usize, String)> {
    decode_sentence_with_orphans(tags).0
}

/// [`decode_sentence`], also returning the tokens where an `I`/`E`/`L` tag continued nothing and so
/// started an entity (normal in IOB1, ill-formed in IOB2/BIOES/BILOU).
pub fn decode_sentence_with_orphans(
    tags: &[Vec<Tag>],
) -> (Vec<(usize, usize, String)>, Vec<usize>) {
    let mut open: BTreeMap<String, Vec<Open>> = BTreeMap::new();
    let mut done = Vec::new();
    let mut orphans = Vec::new();
    let mut seq = 0usize;
    for (k, token_tags) in tags.iter().enumerate() {
        // Per type: how many continue, how many start, how many end here.
        let mut cont: BTreeMap<&str, (usize, usize)> = BTreeMap::new(); // (continuing, of which closing)
        let mut starts: Vec<(&str, bool)> = Vec::new(); // (type, closes at once)
        for t in token_tags {
            if let Tag::Entity(p, ty) = t {
                match p {
                    'B' => starts.push((ty, false)),
                    'S' | 'U' => starts.push((ty, true)),
                    'I' => cont.entry(ty).or_default().0 += 1,
                    _ => {
                        let e = cont.entry(ty).or_default();
                        e.0 += 1;
                        e.1 += 1;
                    }
                }
            }
        }
        // Close open entities that do not continue.
        let types: Vec<String> = open.keys().cloned().collect();
        for ty in types {
            let keep = cont.get(ty.as_str()).map_or(0, |c| c.0);
            if let Some(list) = open.get_mut(&ty) {
                while list.len() > keep {
                    if let Some(o) = list.pop() {
                        done.push((o.start_token, k, o.label, o.seq));
                    }
                }
            }
        }
        // Continuations with nothing open start new entities.
        let mut closing_now: Vec<(String, usize)> = Vec::new();
        for (ty, (n, closing)) in &cont {
            let list = open.entry((*ty).to_owned()).or_default();
            while list.len() < *n {
                orphans.push(k);
                seq += 1;
                list.push(Open {
                    label: (*ty).to_owned(),
                    start_token: k,
                    seq,
                });
            }
            if *closing > 0 {
                closing_now.push(((*ty).to_owned(), *closing));
            }
        }
        // E/L close the innermost continuing ones after this token.
        for (ty, n) in closing_now {
            if let Some(list) = open.get_mut(&ty) {
                for _ in 0..n {
                    if let Some(o) = list.pop() {
                        done.push((o.start_token, k + 1, o.label, o.seq));
                    }
                }
            }
        }
        for (ty, closes) in starts {
            if closes {
                seq += 1;
                done.push((k, k + 1, ty.to_owned(), seq));
            } else {
                seq += 1;
                open.entry(ty.to_owned()).or_default().push(Open {
                    label: ty.to_owned(),
                    start_token: k,
                    seq,
                });
            }
        }
        open.retain(|_, v| !v.is_empty());
    }
    let n = tags.len();
    for (_, list) in open {
        for o in list {
            done.push((o.start_token, n, o.label, o.seq));
        }
    }
    // Outer first; entities of the same extent in the order their tags came (column order).
    done.sort_by_key(|d| (d.0, std::cmp::Reverse(d.1), d.3));
    (
        done.into_iter().map(|(a, b, l, _)| (a, b, l)).collect(),
        orphans,
    )
}

pub(crate) fn build_doc(
    file: &str,
    name: String,
    sentences: Sentences,
    opts: &ImportOptions,
    report: &mut Report,
) -> ImportedDoc {
    let mut text = String::new();
    let mut pos = 0usize; // chars
    let mut tokens: Vec<Range<usize>> = Vec::new();
    let mut found: Vec<(Range<usize>, String, usize)> = Vec::new(); // (chars, label, column order)
    let mut orphan_lines: Vec<usize> = Vec::new();
    for sentence in &sentences {
        let mut ranges = Vec::with_capacity(sentence.len());
        for (k, tok) in sentence.iter().enumerate() {
            if k > 0 {
                text.push(' ');
                pos += 1;
            }
            let len = tok.text.chars().count();
            ranges.push(pos..pos + len);
            text.push_str(&tok.text);
            pos += len;
        }
        text.push('\n');
        pos += 1;
        tokens.extend(ranges.iter().cloned());
        let tags: Vec<Vec<Tag>> = sentence.iter().map(|t| t.tags.clone()).collect();
        let (entities, orphans) = decode_sentence_with_orphans(&tags);
        orphan_lines.extend(
            orphans
                .iter()
                .filter_map(|&k| sentence.get(k))
                .map(|t| t.line),
        );
        for (order, (a, b, label)) in entities.into_iter().enumerate() {
            if let (Some(s), Some(e)) = (ranges.get(a), ranges.get(b.saturating_sub(1))) {
                found.push((s.start..e.end, label, order));
            }
        }
    }
    report.repaired_n(ORPHAN_REPAIR, orphan_lines.len());
    if let Some(first) = orphan_lines.first() {
        report.note(
            file,
            Some(*first),
            format!(
                "{} entit{} start with I-/E-/L- (IOB1, or ill-formed IOB2): read as entity starts; \
                 an IOB2 export writes B- there (lines {})",
                orphan_lines.len(),
                if orphan_lines.len() == 1 { "y" } else { "ies" },
                orphan_lines
                    .iter()
                    .take(20)
                    .map(|l| l.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    let doc = Document::from_text(name.clone(), text);
    let mut spans = Vec::with_capacity(found.len());
    for (k, (range, label, _)) in found.into_iter().enumerate() {
        match make_span(
            &doc,
            format!("s{}", k + 1),
            vec![range],
            &label,
            Source::Imported,
            ReviewState::Accepted,
        ) {
            Some(s) => spans.push(s),
            None => report.error(file, None, format!("entity `{label}` could not be placed")),
        }
    }
    report.documents += 1;
    report.spans += spans.len();
    report.tokens += tokens.len();
    let mut annotations =
        Annotations::from_parts(opts.status, spans, Vec::new(), Vec::new(), Vec::new());
    annotations.tokens = Some(tokens);
    ImportedDoc {
        name,
        annotator: None,
        doc,
        annotations,
    }
}

// ---- Export ----

/// A token with its tags (outer entity first) as (prefix letter, label); no tag is `O`.
pub struct TaggedToken<'a> {
    pub range: Range<usize>,
    /// Most tokens have no tag or one: those take no allocation of their own.
    pub tags: SmallVec<[(char, &'a str); 2]>,
}

/// What tagging has seen of one piece of a span so far.
#[derive(Clone, Copy)]
struct PieceSeen {
    /// Some token got its tag.
    covered: bool,
    /// Some token could not get its tag (no tag column left).
    dropped: bool,
    /// The sentence it was first written in, to notice pieces that cross a line end.
    first_sentence: Option<usize>,
    /// The last sentence it was tagged in: its first token in a sentence gets `B-`.
    last_sentence: usize,
}

impl TaggedToken<'_> {
    /// Appends tag `k` (`O` past the last) to `out`.
    pub fn push_tag(&self, k: usize, out: &mut String) {
        match self.tags.get(k) {
            Some((p, label)) => {
                out.push(*p);
                out.push('-');
                out.push_str(label);
            }
            None => out.push('O'),
        }
    }

    /// Tag `k` as a string (`O` past the last).
    pub fn tag(&self, k: usize) -> String {
        let mut s = String::new();
        self.push_tag(k, &mut s);
        s
    }
}

/// Tokenizes a document and tags every token; returns sentences. Spans are counted into
/// `report.spans`, split tokens into `report.tokens_split`, and anything that cannot be written is
/// reported.
pub fn tag_document<'a>(
    doc: &'a ExportDoc,
    opts: &ExportOptions,
    columns: Option<usize>,
    report: &mut Report,
) -> Vec<Vec<TaggedToken<'a>>> {
    let spans = doc.annotations.spans();
    // Pieces: (range, label, span index)
    let mut pieces: Vec<(Range<usize>, &str, usize)> = Vec::new();
    for (k, s) in spans.iter().enumerate() {
        if s.is_discontinuous() {
            report.note(
                &doc.relative,
                None,
                format!(
                    "discontinuous span `{}` ({}) written as {} separate entities",
                    s.text,
                    s.label,
                    s.fragments.len()
                ),
            );
        }
        for p in s.pieces() {
            pieces.push((p, &s.label, k));
        }
    }
    let mut edges: Vec<usize> = pieces
        .iter()
        .flat_map(|(r, _, _)| [r.start, r.end])
        .collect();
    edges.sort_unstable();
    edges.dedup();
    let mut sentences = sentences_for(doc, opts);
    let split = split_at_edges(&mut sentences, &edges);
    if split > 0 {
        report.tokens_split += split;
        report.note(
            &doc.relative,
            None,
            format!("{split} token(s) split at a span edge inside them"),
        );
    }
    // Outer first: start ascending, end descending, then span order.
    let id_numbers: Vec<u64> = spans.iter().map(|s| id_number(&s.id)).collect();
    let mut order: Vec<usize> = (0..pieces.len()).collect();
    order.sort_unstable_by_key(|&k| {
        let (range, _, span) = &pieces[k];
        let id = id_numbers.get(*span).copied().unwrap_or_default();
        (range.start, std::cmp::Reverse(range.end), id, k)
    });
    let unseen = PieceSeen {
        covered: false,
        dropped: false,
        first_sentence: None,
        last_sentence: usize::MAX,
    };
    let mut seen = vec![unseen; pieces.len()];
    let mut crossing: BTreeSet<usize> = BTreeSet::new();
    let mut out = Vec::with_capacity(sentences.len());
    let mut next_piece = 0usize;
    let mut active: Vec<usize> = Vec::new();
    let mut here: Vec<usize> = Vec::new();
    let mut prev: Vec<usize> = Vec::new();
    for (si, sentence) in sentences.into_iter().enumerate() {
        let mut tagged: Vec<TaggedToken> = Vec::with_capacity(sentence.len());
        prev.clear();
        for (ti, tok) in sentence.iter().enumerate() {
            while next_piece < order.len() && pieces[order[next_piece]].0.start <= tok.start {
                active.push(order[next_piece]);
                next_piece += 1;
            }
            active.retain(|&p| pieces[p].0.end > tok.start);
            here.clear();
            here.extend(
                active
                    .iter()
                    .copied()
                    .filter(|&p| pieces[p].0.end >= tok.end),
            );
            let mut tags = SmallVec::new();
            for (col, &p) in here.iter().enumerate() {
                let Some(piece) = seen.get_mut(p) else {
                    continue;
                };
                if columns.is_some_and(|n| col >= n) {
                    piece.dropped = true;
                    continue;
                }
                piece.covered = true;
                match piece.first_sentence {
                    None => piece.first_sentence = Some(si),
                    Some(f) if f != si => {
                        crossing.insert(p);
                    }
                    _ => {}
                }
                let (range, label, _) = &pieces[p];
                let first = piece.last_sentence != si;
                piece.last_sentence = si;
                let last = tok.end >= range.end
                    || sentence
                        .get(ti + 1)
                        .is_none_or(|n| n.end > range.end || n.start >= range.end);
                let prefix = match opts.scheme {
                    TagScheme::Iob2 => {
                        if first {
                            'B'
                        } else {
                            'I'
                        }
                    }
                    TagScheme::Iob1 => {
                        let after_same = prev.iter().any(|&q| {
                            q != p && pieces[q].1 == *label && pieces[q].0.end <= tok.start
                        });
                        if first && after_same {
                            'B'
                        } else {
                            'I'
                        }
                    }
                    TagScheme::Bioes | TagScheme::Bilou => {
                        let (s, e) = if opts.scheme == TagScheme::Bioes {
                            ('S', 'E')
                        } else {
                            ('U', 'L')
                        };
                        match (first, last) {
                            (true, true) => s,
                            (true, false) => 'B',
                            (false, true) => e,
                            (false, false) => 'I',
                        }
                    }
                };
                tags.push((prefix, *label));
            }
            std::mem::swap(&mut prev, &mut here);
            tagged.push(TaggedToken {
                range: tok.clone(),
                tags,
            });
        }
        out.push(tagged);
    }
    for &p in &crossing {
        let (range, label, span) = &pieces[p];
        report.note(
            &doc.relative,
            None,
            format!(
                "span `{}` ({label}) at {}..{} crosses a sentence end: written as one entity per sentence",
                spans[*span].text, range.start, range.end
            ),
        );
    }
    // Spans with a piece written (a span of several pieces counts once).
    let mut exported = vec![false; spans.len()];
    for ((range, label, span), piece) in pieces.iter().zip(&seen) {
        let s = &spans[*span];
        let (covered, dropped) = (piece.covered, piece.dropped);
        if dropped && !covered {
            report.skip(
                "span nested deeper than the tag columns",
                &doc.relative,
                None,
                format!(
                    "span `{}` ({label}) at {}..{}",
                    s.text, range.start, range.end
                ),
            );
        } else if !covered && !dropped {
            report.skip(
                "span covering no token",
                &doc.relative,
                None,
                format!(
                    "span `{}` ({label}) at {}..{}",
                    s.text, range.start, range.end
                ),
            );
        } else if covered {
            if let Some(e) = exported.get_mut(*span) {
                *e = true;
            }
        }
    }
    report.spans += exported.iter().filter(|&&e| e).count();
    report_what_tokens_cannot_hold(doc, report);
    out
}

/// The sentences of tokens of a document: its recorded tokens (unless another tokenizer is asked
/// for), else the chosen tokenizer's.
pub fn sentences_for(doc: &ExportDoc, opts: &ExportOptions) -> Vec<Vec<Range<usize>>> {
    let text = doc.doc.text();
    match (&doc.annotations.tokens, opts.tokenizer) {
        (Some(tokens), Tokenizer::Recorded) => sentences_of(text, tokens, opts.split_sentences),
        _ => tokenize(text, opts.tokenizer, opts.split_sentences),
    }
}

/// Token formats (CoNLL, token JSONL, Prodigy) hold tokens and tags only: relations, events,
/// groups, attributes, notes and document labels are counted as not converted (summary, no
/// `--verbose` needed).
pub fn report_what_tokens_cannot_hold(doc: &ExportDoc, report: &mut Report) {
    let a = &doc.annotations;
    let attributes: usize = a.spans().iter().map(|s| s.attributes.len()).sum::<usize>()
        + a.relations
            .iter()
            .map(|r| r.attributes.len())
            .sum::<usize>()
        + a.events.iter().map(|e| e.attributes.len()).sum::<usize>();
    let notes = a.spans().iter().filter(|s| s.note.is_some()).count()
        + a.relations.iter().filter(|r| r.note.is_some()).count()
        + a.events.iter().filter(|e| e.note.is_some()).count();
    let f = &doc.relative;
    let counts = [
        (
            "relations (a token format cannot hold them)",
            a.relations.len(),
            "relation",
        ),
        (
            "events (a token format cannot hold them)",
            a.events.len(),
            "event",
        ),
        (
            "equivalence groups (a token format cannot hold them)",
            a.groups.len(),
            "group",
        ),
        (
            "attributes (a token format cannot hold them)",
            attributes,
            "attribute",
        ),
        ("notes (a token format cannot hold them)", notes, "note"),
        (
            "document labels (a token format cannot hold them)",
            a.doc_labels.len(),
            "document label",
        ),
    ];
    for (reason, n, what) in counts.into_iter().filter(|(_, n, _)| *n > 0) {
        report.skip_n(reason, n, f, None, format!("{n} {what}(s) not written"));
    }
}

/// Writes CoNLL: one document after the other, each after a `-DOCSTART-` line when there is more
/// than one (the first document's `-DOCSTART-` is written when the second one comes).
pub struct ConllExporter {
    opts: ExportOptions,
}

impl ConllExporter {
    pub fn new(opts: &ExportOptions) -> Self {
        Self { opts: opts.clone() }
    }

    fn separator(&self) -> char {
        if self.opts.tab_separated {
            '\t'
        } else {
            ' '
        }
    }
}

/// What the CoNLL writer keeps between documents.
#[derive(Debug, Default)]
pub struct ConllState {
    /// The first document, held until a second one says whether `-DOCSTART-` lines are needed.
    first: Option<String>,
    written: usize,
}

/// Appends the tokens and tags of `sentences` as CoNLL lines to `out`: exactly `columns` tag
/// columns (padded with `O`), or as many as each token has (at least one).
pub fn write_sentences(
    text: &str,
    sentences: &[Vec<TaggedToken>],
    sep: char,
    columns: Option<usize>,
    out: &mut String,
) {
    let mut cursor = CharCursor::new(text);
    for sentence in sentences {
        for tok in sentence {
            out.push_str(cursor.slice(tok.range.clone()));
            let n = columns.unwrap_or_else(|| tok.tags.len().max(1));
            for k in 0..n {
                out.push(sep);
                tok.push_tag(k, out);
            }
            out.push('\n');
        }
        out.push('\n');
    }
}

/// Slices a text by char ranges that come in increasing order, walking it once.
pub struct CharCursor<'a> {
    text: &'a str,
    /// A char position and its byte offset.
    chars: usize,
    bytes: usize,
}

impl<'a> CharCursor<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            chars: 0,
            bytes: 0,
        }
    }

    /// Byte offset of char `pos` (the end of the text past it), walking forward from the last
    /// position asked (from the start if `pos` is before it).
    pub fn byte_of(&mut self, pos: usize) -> usize {
        if pos < self.chars {
            self.chars = 0;
            self.bytes = 0;
        }
        // A char starts at every byte that is not a continuation byte (10xxxxxx).
        let b = self.text.as_bytes();
        while self.chars < pos && self.bytes < b.len() {
            self.bytes += 1;
            while b.get(self.bytes).is_some_and(|x| x & 0xC0 == 0x80) {
                self.bytes += 1;
            }
            self.chars += 1;
        }
        self.bytes
    }

    pub fn slice(&mut self, range: Range<usize>) -> &'a str {
        let a = self.byte_of(range.start);
        let b = self.byte_of(range.end);
        self.text.get(a..b).unwrap_or("")
    }
}

impl Exporter for ConllExporter {
    type Doc = String;
    type State = ConllState;

    fn convert(&self, doc: &ExportDoc, report: &mut Report) -> String {
        let sentences = tag_document(doc, &self.opts, self.opts.tag_columns, report);
        let mut out = String::with_capacity(doc.doc.text().len() * 2);
        write_sentences(
            doc.doc.text(),
            &sentences,
            self.separator(),
            self.opts.tag_columns,
            &mut out,
        );
        report.tokens += sentences.iter().map(Vec::len).sum::<usize>();
        report.documents += 1;
        out
    }

    fn write(
        &self,
        state: &mut ConllState,
        doc: String,
        out: &mut dyn Output,
        _report: &mut Report,
    ) -> std::io::Result<()> {
        let docstart: &[u8] = if self.opts.tab_separated {
            b"-DOCSTART-\tO\n\n"
        } else {
            b"-DOCSTART- O\n\n"
        };
        match state.written {
            0 => state.first = Some(doc),
            _ => {
                if let Some(first) = state.first.take() {
                    out.append(docstart)?;
                    out.append(first.as_bytes())?;
                }
                out.append(docstart)?;
                out.append(doc.as_bytes())?;
            }
        }
        state.written += 1;
        Ok(())
    }

    fn finish(
        &self,
        state: ConllState,
        _schema: &Schema,
        out: &mut dyn Output,
        _report: &mut Report,
    ) -> std::io::Result<()> {
        match state.first {
            Some(first) => out.append(first.as_bytes()),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(rows: &[&str]) -> Vec<Vec<Tag>> {
        rows.iter()
            .map(|r| r.split(' ').filter_map(parse_tag).collect())
            .collect()
    }

    #[test]
    fn decodes_every_scheme() {
        let iob2 = decode_sentence(&tags(&["B-PER", "I-PER", "O", "B-LOC", "B-LOC"]));
        assert_eq!(
            iob2,
            vec![
                (0, 2, "PER".into()),
                (3, 4, "LOC".into()),
                (4, 5, "LOC".into())
            ]
        );
        let iob1 = decode_sentence(&tags(&["I-PER", "I-PER", "B-PER", "O"]));
        assert_eq!(iob1, vec![(0, 2, "PER".into()), (2, 3, "PER".into())]);
        let bioes = decode_sentence(&tags(&["S-PER", "B-LOC", "I-LOC", "E-LOC", "S-LOC"]));
        assert_eq!(
            bioes,
            vec![
                (0, 1, "PER".into()),
                (1, 4, "LOC".into()),
                (4, 5, "LOC".into())
            ]
        );
        let bilou = decode_sentence(&tags(&["U-PER", "B-LOC", "L-LOC"]));
        assert_eq!(bilou, vec![(0, 1, "PER".into()), (1, 3, "LOC".into())]);
    }

    #[test]
    fn licence_files_do_not_look_like_conll() {
        assert!(looks_like_conll(
            "-DOCSTART- O\n\nعمرو B-PER\nموسى\tI-PER\t\n"
        ));
        assert!(!looks_like_conll(
            "The corpora are released under\nthe Creative Commons licence.\n"
        ));
        assert!(!looks_like_conll(""));
    }

    #[test]
    fn decodes_wojood_nesting() {
        // منظمة التعاون الإسلامي inside an OCC inside an OCC.
        let t = tags(&[
            "B-OCC",
            "I-OCC B-OCC",
            "I-OCC I-OCC",
            "I-OCC I-OCC B-ORG",
            "I-OCC I-OCC I-ORG",
            "O",
        ]);
        assert_eq!(
            decode_sentence(&t),
            vec![
                (0, 5, "OCC".into()),
                (1, 5, "OCC".into()),
                (3, 5, "ORG".into())
            ]
        );
    }

    #[test]
    fn char_cursor_slices_forward_and_back() {
        let text = "😀 قال عمرو";
        let mut c = CharCursor::new(text);
        assert_eq!(c.slice(2..5), "قال");
        assert_eq!(c.slice(6..10), "عمرو");
        assert_eq!(c.slice(0..1), "😀");
        assert_eq!(c.slice(9..20), "و");
    }

    #[test]
    fn rebuilds_text_and_reports_bad_lines() {
        let mut r = Report::new();
        let docs = parse(
            "x.conll",
            "x",
            "\u{FEFF}\u{200E}عمرو\tB-PER\r\nموسى\tI-PER\r\n\t\r\nفي\tO\r\nمصر\tB-LOC\tQQ\r\n",
            &ImportOptions::default(),
            &mut r,
        );
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].doc.text(), "\u{200E}عمرو موسى\nفي مصر\n");
        let spans = docs[0].annotations.spans();
        assert_eq!(spans.len(), 2);
        assert_eq!(spans[0].text, "\u{200E}عمرو موسى");
        assert_eq!(r.errors().count(), 1);
        assert_eq!(r.issues[0].line, Some(5));
    }
}
