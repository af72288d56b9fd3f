//! Reading a `.ann` file against its text.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use super::{BINARY_VALUE, NOTE_TYPE};
use crate::formats::{make_span, ImportOptions, ImportedDoc, Report};
use crate::model::annotation::{
    Annotations, Event, EventArgument, Group, Relation, ReviewState, Source, Span,
};
use crate::model::Document;

fn parse_offsets(s: &str) -> Option<Vec<Range<usize>>> {
    s.split(';')
        .map(|piece| {
            let mut it = piece.split_whitespace();
            let a: usize = it.next()?.parse().ok()?;
            let b: usize = it.next()?.parse().ok()?;
            it.next().is_none().then_some(a..b)
        })
        .collect()
}

/// What a brat id names, once read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Span(usize),
    Event(usize),
    Relation(usize),
}

/// One `.ann` being read.
struct Reader<'a> {
    file: &'a str,
    doc: &'a Document,
    spans: Vec<Span>,
    events: Vec<Event>,
    relations: Vec<Relation>,
    groups: Vec<Group>,
    ids: HashMap<String, Target>,
}

impl Reader<'_> {
    /// A `T` line.
    fn text_bound(
        &mut self,
        n: usize,
        line: &str,
        id: &str,
        mid: &str,
        covered: Option<&str>,
        report: &mut Report,
    ) {
        let file = self.file;
        let Some((label, offs)) = mid.split_once(' ') else {
            report.error(
                file,
                Some(n),
                format!("`{line}`: expected `T<TAB>TYPE START END<TAB>TEXT`"),
            );
            return;
        };
        let Some(mut pieces) = parse_offsets(offs) else {
            report.error(file, Some(n), format!("{id}: bad offsets `{offs}`"));
            return;
        };
        let len = self.doc.len_chars();
        if let Some(p) = pieces.iter().find(|p| p.end > len || p.start >= p.end) {
            report.error(
                file,
                Some(n),
                format!(
                    "{id}: offsets {}..{} are empty, reversed or past the end of the text ({len} chars)",
                    p.start, p.end
                ),
            );
            return;
        }
        pieces.sort_by_key(|p| p.start);
        let sid = format!("s{}", self.spans.len() + 1);
        let Some(span) = make_span(
            self.doc,
            sid,
            pieces,
            label,
            Source::Imported,
            ReviewState::Accepted,
        ) else {
            report.error(
                file,
                Some(n),
                format!("{id}: overlapping fragments `{offs}`"),
            );
            return;
        };
        if let Some(c) = covered {
            // A .ann line cannot hold a line end: brat writes it as a space.
            if c != span.text && c != span.text.replace(['\n', '\r'], " ") {
                report.error(
                    file,
                    Some(n),
                    format!(
                        "{id}: covered text `{c}` does not match the text at {offs}: `{}`; span skipped",
                        span.text
                    ),
                );
                return;
            }
        }
        if self
            .ids
            .insert(id.to_owned(), Target::Span(self.spans.len()))
            .is_some()
        {
            report.error(
                file,
                Some(n),
                format!("{id} is defined twice; the later one is kept"),
            );
        }
        self.spans.push(span);
    }

    fn span_id(&self, brat_id: &str) -> Option<String> {
        match self.ids.get(brat_id) {
            Some(Target::Span(k)) => self.spans.get(*k).map(|s| s.id.clone()),
            _ => None,
        }
    }

    /// The model id of a span or an event.
    fn span_or_event_id(&self, brat_id: &str) -> Option<String> {
        match self.ids.get(brat_id) {
            Some(Target::Span(k)) => self.spans.get(*k).map(|s| s.id.clone()),
            Some(Target::Event(k)) => self.events.get(*k).map(|e| e.id.clone()),
            _ => None,
        }
    }

    /// An `E` line: `TYPE:TRIGGER ROLE:ARG ROLE:ARG...`. Arguments may name later events, so
    /// events are made in a first pass ([`Reader::declare_event`]) and filled here.
    fn event(&mut self, n: usize, line: &str, id: &str, mid: &str, report: &mut Report) {
        let file = self.file;
        let Some(&Target::Event(k)) = self.ids.get(id) else {
            return;
        };
        let mut words = mid.split_whitespace();
        let head = words.next().and_then(|w| w.split_once(':'));
        let Some((kind, trigger)) = head else {
            report.error(
                file,
                Some(n),
                format!("`{line}`: expected `E<TAB>TYPE:TRIGGER ROLE:ARG...`"),
            );
            return;
        };
        let Some(trigger_id) = self.span_id(trigger) else {
            report.error(
                file,
                Some(n),
                format!("{id}: trigger {trigger} is not a text-bound annotation; event skipped"),
            );
            return;
        };
        let mut arguments = Vec::new();
        for w in words {
            let Some((role, target)) = w.split_once(':') else {
                report.error(
                    file,
                    Some(n),
                    format!("{id}: argument `{w}` is not ROLE:ID; left out"),
                );
                continue;
            };
            match self.span_or_event_id(target) {
                Some(t) => arguments.push(EventArgument {
                    role: role.to_owned(),
                    target: t,
                }),
                None => report.error(
                    file,
                    Some(n),
                    format!("{id}: argument {role}:{target} names no span or event; left out"),
                ),
            }
        }
        if let Some(e) = self.events.get_mut(k) {
            e.kind = kind.to_owned();
            e.trigger = trigger_id;
            e.arguments = arguments;
        }
    }

    fn declare_event(&mut self, id: &str) {
        let eid = format!("e{}", self.events.len() + 1);
        self.ids
            .insert(id.to_owned(), Target::Event(self.events.len()));
        self.events.push(Event {
            id: eid,
            ..Event::default()
        });
    }

    /// An `R` line: `TYPE Arg1:T Arg2:T`.
    fn relation(&mut self, n: usize, line: &str, id: &str, words: &[&str], report: &mut Report) {
        let file = self.file;
        let args: Vec<(&str, &str)> = words
            .iter()
            .skip(1)
            .filter_map(|a| a.split_once(':'))
            .collect();
        let (Some(kind), [(r1, a), (r2, b)]) = (words.first(), args.as_slice()) else {
            report.error(
                file,
                Some(n),
                format!("`{line}`: expected `R<TAB>TYPE Arg1:T Arg2:T`"),
            );
            return;
        };
        if (*r1, *r2) != ("Arg1", "Arg2") {
            report.note(
                file,
                Some(n),
                format!("{id}: roles {r1}, {r2} read as Arg1, Arg2 (from, to)"),
            );
        }
        let (Some(from), Some(to)) = (self.span_id(a), self.span_id(b)) else {
            let what = |t: &str| match self.ids.get(t) {
                Some(Target::Event(_)) => "an event",
                Some(Target::Relation(_)) => "a relation",
                Some(Target::Span(_)) => "a span",
                None => "an unknown id",
            };
            report.skip(
                "brat relation with an event or unknown id as argument (relations join spans)",
                file,
                Some(n),
                format!("{id}: {a} is {}, {b} is {}", what(a), what(b)),
            );
            return;
        };
        self.ids
            .insert(id.to_owned(), Target::Relation(self.relations.len()));
        self.relations.push(Relation {
            id: format!("r{}", self.relations.len() + 1),
            kind: (*kind).to_owned(),
            from,
            to,
            ..Relation::default()
        });
    }

    /// A `*` line: `TYPE ID ID...`.
    fn group(&mut self, n: usize, words: &[&str], report: &mut Report) {
        let Some((kind, ids)) = words.split_first() else {
            report.error(self.file, Some(n), "`*` line without a type");
            return;
        };
        let mut members = Vec::new();
        for i in ids {
            match self.span_or_event_id(i) {
                Some(m) => members.push(m),
                None => report.error(
                    self.file,
                    Some(n),
                    format!("equivalence member {i} names no span or event; left out"),
                ),
            }
        }
        self.groups.push(Group {
            id: format!("g{}", self.groups.len() + 1),
            kind: (*kind).to_owned(),
            members,
        });
    }

    /// The attribute map and note of what a brat id names.
    fn parts_of(
        &mut self,
        target: &str,
    ) -> Option<(&mut BTreeMap<String, String>, &mut Option<String>)> {
        match *self.ids.get(target)? {
            Target::Span(k) => self
                .spans
                .get_mut(k)
                .map(|s| (&mut s.attributes, &mut s.note)),
            Target::Event(k) => self
                .events
                .get_mut(k)
                .map(|e| (&mut e.attributes, &mut e.note)),
            Target::Relation(k) => self
                .relations
                .get_mut(k)
                .map(|r| (&mut r.attributes, &mut r.note)),
        }
    }

    /// `A`, `M`, `N` and `#` lines, about any kind of annotation.
    fn about(
        &mut self,
        n: usize,
        line: &str,
        id: &str,
        words: &[&str],
        rest: Option<&str>,
        report: &mut Report,
    ) {
        let file = self.file;
        let kind = id.chars().next().unwrap_or(' ');
        let (Some(name), Some(target)) = (words.first().copied(), words.get(1).copied()) else {
            let expected = match kind {
                'N' => "N<TAB>TYPE TARGET DB:ID<TAB>TEXT",
                '#' => "#<TAB>TYPE TARGET<TAB>TEXT",
                _ => "A<TAB>NAME TARGET [VALUE]",
            };
            report.error(file, Some(n), format!("`{line}`: expected `{expected}`"));
            return;
        };
        let (key, value, joined) = match kind {
            'A' | 'M' => {
                if words.len() > 3 {
                    report.error(
                        file,
                        Some(n),
                        format!("{id}: unexpected fields after the value"),
                    );
                }
                let v = words.get(2).copied().unwrap_or(BINARY_VALUE);
                (name.to_owned(), v.to_owned(), false)
            }
            'N' => {
                let Some(refid) = words.get(2) else {
                    report.error(
                        file,
                        Some(n),
                        format!("`{line}`: expected `N<TAB>TYPE TARGET DB:ID<TAB>TEXT`"),
                    );
                    return;
                };
                (
                    format!("N:{name}"),
                    format!("{refid}\t{}", rest.unwrap_or("")),
                    false,
                )
            }
            _ => {
                let body = rest.unwrap_or("").to_owned();
                if name == NOTE_TYPE {
                    (String::new(), body, true)
                } else {
                    (format!("#{name}"), body, true)
                }
            }
        };
        let Some((attributes, note)) = self.parts_of(target) else {
            report.error(
                file,
                Some(n),
                format!("{id}: target {target} names no annotation; line skipped"),
            );
            return;
        };
        if key.is_empty() {
            // Several notes on one annotation: one per line.
            *note = Some(match note.take() {
                Some(prev) => format!("{prev}\n{value}"),
                None => value,
            });
            return;
        }
        if joined {
            let v = attributes.entry(key).or_default();
            if !v.is_empty() {
                v.push('\n');
            }
            v.push_str(&value);
            return;
        }
        let mut key = key;
        if key.starts_with("N:") && attributes.contains_key(&key) {
            let base = key.clone();
            let mut i = 2;
            while attributes.contains_key(&format!("{base}:{i}")) {
                i += 1;
            }
            key = format!("{base}:{i}");
        }
        attributes.insert(key, value);
    }
}

/// Parses one `.ann` against its text.
pub fn parse_ann(
    file: &str,
    name: String,
    text: String,
    ann: &str,
    opts: &ImportOptions,
    report: &mut Report,
) -> ImportedDoc {
    let doc = Document::from_text(name.clone(), text);
    let mut r = Reader {
        file,
        doc: &doc,
        spans: Vec::new(),
        events: Vec::new(),
        relations: Vec::new(),
        groups: Vec::new(),
        ids: HashMap::new(),
    };
    let lines: Vec<(usize, &str)> = ann
        .lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l.strip_suffix('\r').unwrap_or(l)))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    // Pass 1: text-bound annotations; events are declared (arguments may name later ones).
    for &(n, line) in &lines {
        let mut f = line.splitn(3, '\t');
        let id = f.next().unwrap_or("");
        let mid = f.next().unwrap_or("");
        match id.chars().next() {
            Some('T') => r.text_bound(n, line, id, mid, f.next(), report),
            Some('E') => r.declare_event(id),
            _ => {}
        }
    }
    // Pass 2: events and relations; pass 3: what is said about them.
    for &(n, line) in &lines {
        let mut f = line.splitn(3, '\t');
        let id = f.next().unwrap_or("");
        let mid = f.next().unwrap_or("");
        let words: Vec<&str> = mid.split_whitespace().collect();
        match id.chars().next() {
            Some('E') => r.event(n, line, id, mid, report),
            Some('R') => r.relation(n, line, id, &words, report),
            Some('*') => r.group(n, &words, report),
            Some('T' | 'A' | 'M' | 'N' | '#') => {}
            _ => report.error(
                file,
                Some(n),
                format!("unknown annotation kind in `{line}`"),
            ),
        }
    }
    for &(n, line) in &lines {
        let mut f = line.splitn(3, '\t');
        let id = f.next().unwrap_or("");
        let mid = f.next().unwrap_or("");
        let words: Vec<&str> = mid.split_whitespace().collect();
        if matches!(id.chars().next(), Some('A' | 'M' | 'N' | '#')) {
            r.about(n, line, id, &words, f.next(), report);
        }
    }
    // An event whose line was bad has no trigger: it is not kept (its line was reported).
    let Reader {
        spans,
        mut events,
        relations,
        groups,
        ..
    } = r;

    let gone: Vec<String> = events
        .iter()
        .filter(|e| e.trigger.is_empty())
        .map(|e| e.id.clone())
        .collect();
    events.retain(|e| !e.trigger.is_empty());
    let mut groups = groups;
    if !gone.is_empty() {
        for e in &mut events {
            e.arguments.retain(|a| !gone.contains(&a.target));
        }
        for g in &mut groups {
            g.members.retain(|m| !gone.contains(m));
        }
    }
    report.documents += 1;
    report.spans += spans.len();
    report.relations += relations.len();
    report.events += events.len();
    report.groups += groups.len();
    let annotations =
        Annotations::from_parts(opts.status, spans, relations, Vec::new(), Vec::new())
            .with_events(events, groups);
    ImportedDoc {
        name,
        annotator: None,
        doc,
        annotations,
    }
}
