//! Names from other tools that are not valid names here (a label `Job Title`, a tag
//! `B-New York/City`, an INCEpTION feature value with a tab in it) are given a valid name by one
//! rule, and the original is kept in the schema entry so that exports can write it back.
//!
//! The rule (docs/formats.md, "Names from other tools"): a span label, relation type or event
//! type is valid when it is not empty and holds no white space and no control character. Each run
//! of white space and control characters in a name becomes one `_`; an empty name becomes
//! `unnamed`. If the result is already another name of the same kind (a valid name used as it is,
//! or the result for another original), `_2`, `_3`... is added, originals taken in sorted order.

use std::collections::{BTreeMap, BTreeSet};

use super::ImportedDoc;
use crate::model::annotation::Annotations;
use crate::model::Schema;

/// Is `name` usable as a span label, relation type or event type?
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// `name` with each run of white space or control characters replaced by one `_`.
pub fn fitted(name: &str) -> String {
    if name.is_empty() {
        return "unnamed".to_owned();
    }
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if c.is_whitespace() || c.is_control() {
            if !in_run {
                out.push('_');
            }
            in_run = true;
        } else {
            out.push(c);
            in_run = false;
        }
    }
    out
}

/// One kind of name (span labels, relation types or event types) being mapped.
#[derive(Debug, Default)]
struct Kind {
    /// Every name in use: valid ones from the data and the schema, and new names given.
    taken: BTreeSet<String>,
    /// Invalid originals seen.
    invalid: BTreeSet<String>,
    /// original -> new name.
    map: BTreeMap<String, String>,
}

impl Kind {
    fn see(&mut self, name: &str) {
        if is_valid_name(name) {
            self.taken.insert(name.to_owned());
        } else {
            self.invalid.insert(name.to_owned());
        }
    }

    fn resolve(&mut self, known: impl Iterator<Item = (String, String)>) {
        // Names the schema already gave to these originals (an earlier import) stay the same.
        for (original, name) in known {
            if self.invalid.remove(&original) {
                self.taken.insert(name.clone());
                self.map.insert(original, name);
            }
        }
        for original in std::mem::take(&mut self.invalid) {
            let base = fitted(&original);
            let mut name = base.clone();
            let mut k = 2;
            while self.taken.contains(&name) {
                name = format!("{base}_{k}");
                k += 1;
            }
            self.taken.insert(name.clone());
            self.map.insert(original, name);
        }
    }

    fn get(&self, name: &str) -> Option<&String> {
        self.map.get(name)
    }
}

/// What [`fit_names`] renamed, by kind: original -> new name.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Renamed {
    pub span_labels: BTreeMap<String, String>,
    pub relation_types: BTreeMap<String, String>,
    pub event_types: BTreeMap<String, String>,
}

impl Renamed {
    pub fn is_empty(&self) -> bool {
        self.span_labels.is_empty() && self.relation_types.is_empty() && self.event_types.is_empty()
    }

    /// Writes the original names into the schema entries of the new names (after the schema was
    /// extended with them).
    pub fn record_originals(&self, schema: &mut Schema) {
        for (orig, new) in &self.span_labels {
            if let Some(l) = schema.span_labels.iter_mut().find(|l| l.name == *new) {
                if l.original_name.is_empty() {
                    l.original_name = orig.clone();
                }
            }
        }
        for (orig, new) in &self.relation_types {
            if let Some(r) = schema.relation_types.iter_mut().find(|r| r.name == *new) {
                if r.original_name.is_empty() {
                    r.original_name = orig.clone();
                }
            }
        }
        for (orig, new) in &self.event_types {
            if let Some(e) = schema.event_types.iter_mut().find(|e| e.name == *new) {
                if e.original_name.is_empty() {
                    e.original_name = orig.clone();
                }
            }
        }
    }

    /// Every renaming, for the report.
    pub fn all(&self) -> impl Iterator<Item = (&String, &String)> {
        self.span_labels
            .iter()
            .chain(&self.relation_types)
            .chain(&self.event_types)
    }
}

/// Gives every invalid span label, relation type and event type in `docs` and `schema` a valid
/// name (see the module's rule), in the documents and in the schema; records the originals in the
/// schema entries ([`crate::model::schema::SpanLabelDef::original_name`]).
pub fn fit_names(docs: &mut [ImportedDoc], schema: &mut Schema) -> Renamed {
    let mut labels = Kind::default();
    let mut relations = Kind::default();
    let mut events = Kind::default();
    for l in &schema.span_labels {
        labels.see(&l.name);
    }
    for r in &schema.relation_types {
        relations.see(&r.name);
    }
    for e in &schema.event_types {
        events.see(&e.name);
    }
    for d in docs.iter() {
        let a = &d.annotations;
        for s in a.spans().iter().chain(a.unanchored.iter().map(|u| &u.span)) {
            labels.see(&s.label);
        }
        for r in &a.relations {
            relations.see(&r.kind);
        }
        for e in &a.events {
            events.see(&e.kind);
        }
    }
    let originals = |names: Vec<(String, String)>| names.into_iter();
    labels.resolve(originals(
        schema
            .span_labels
            .iter()
            .filter(|l| !l.original_name.is_empty())
            .map(|l| (l.original_name.clone(), l.name.clone()))
            .collect(),
    ));
    relations.resolve(originals(
        schema
            .relation_types
            .iter()
            .filter(|l| !l.original_name.is_empty())
            .map(|l| (l.original_name.clone(), l.name.clone()))
            .collect(),
    ));
    events.resolve(originals(
        schema
            .event_types
            .iter()
            .filter(|l| !l.original_name.is_empty())
            .map(|l| (l.original_name.clone(), l.name.clone()))
            .collect(),
    ));
    if labels.map.is_empty() && relations.map.is_empty() && events.map.is_empty() {
        return Renamed::default();
    }
    // The schema's own entries (a brat annotation.conf may declare `Job Title` too).
    for l in &mut schema.span_labels {
        if let Some(n) = labels.get(&l.name) {
            l.original_name = std::mem::replace(&mut l.name, n.clone());
        }
    }
    for r in &mut schema.relation_types {
        if let Some(n) = relations.get(&r.name) {
            r.original_name = std::mem::replace(&mut r.name, n.clone());
        }
        for l in r.from.iter_mut().chain(r.to.iter_mut()) {
            if let Some(n) = labels.get(l) {
                *l = n.clone();
            }
        }
    }
    for e in &mut schema.event_types {
        if let Some(n) = events.get(&e.name) {
            e.original_name = std::mem::replace(&mut e.name, n.clone());
        }
        for role in &mut e.roles {
            for t in &mut role.targets {
                if let Some(n) = labels.get(t).or_else(|| events.get(t)) {
                    *t = n.clone();
                }
            }
        }
    }
    for d in docs.iter_mut() {
        rename_in(&mut d.annotations, &labels.map, &relations.map, &events.map);
    }
    Renamed {
        span_labels: labels.map,
        relation_types: relations.map,
        event_types: events.map,
    }
}

fn rename_in(
    a: &mut Annotations,
    labels: &BTreeMap<String, String>,
    relations: &BTreeMap<String, String>,
    events: &BTreeMap<String, String>,
) {
    if !labels.is_empty() {
        super::map_spans(a, |s| {
            if let Some(n) = labels.get(&s.label) {
                s.label = n.clone();
            }
        });
        for u in &mut a.unanchored {
            if let Some(n) = labels.get(&u.span.label) {
                u.span.label = n.clone();
            }
        }
    }
    for r in &mut a.relations {
        if let Some(n) = relations.get(&r.kind) {
            r.kind = n.clone();
        }
    }
    for e in &mut a.events {
        if let Some(n) = events.get(&e.kind) {
            e.kind = n.clone();
        }
    }
}

/// The names to write back on export: schema name -> original name, for span labels, relation
/// types and event types that have one.
#[derive(Debug, Default, Clone)]
pub struct Originals {
    pub span_labels: BTreeMap<String, String>,
    pub relation_types: BTreeMap<String, String>,
    pub event_types: BTreeMap<String, String>,
}

impl Originals {
    pub fn of(schema: &Schema) -> Self {
        let pick = |pairs: Vec<(&String, &String)>| {
            pairs
                .into_iter()
                .filter(|(_, o)| !o.is_empty())
                .map(|(n, o)| (n.clone(), o.clone()))
                .collect()
        };
        Originals {
            span_labels: pick(
                schema
                    .span_labels
                    .iter()
                    .map(|l| (&l.name, &l.original_name))
                    .collect(),
            ),
            relation_types: pick(
                schema
                    .relation_types
                    .iter()
                    .map(|l| (&l.name, &l.original_name))
                    .collect(),
            ),
            event_types: pick(
                schema
                    .event_types
                    .iter()
                    .map(|l| (&l.name, &l.original_name))
                    .collect(),
            ),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.span_labels.is_empty() && self.relation_types.is_empty() && self.event_types.is_empty()
    }

    /// Writes the original names back into `a` (for formats that can hold any name).
    pub fn restore(&self, a: &mut Annotations) {
        rename_in(
            a,
            &self.span_labels,
            &self.relation_types,
            &self.event_types,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_and_controls_become_one_underscore() {
        assert_eq!(fitted("Job Title"), "Job_Title");
        assert_eq!(fitted("New York/City"), "New_York/City");
        assert_eq!(fitted("a \t\n b"), "a_b");
        assert_eq!(fitted(""), "unnamed");
        assert!(is_valid_name("Population-Center"));
        assert!(!is_valid_name("Job Title"));
        assert!(!is_valid_name("x\u{0}"));
    }

    #[test]
    fn collisions_get_a_number_and_schema_names_are_kept() {
        let mut k = Kind::default();
        for n in ["Job_Title", "Job Title", "Job  Title"] {
            k.see(n);
        }
        k.resolve(std::iter::empty());
        assert_eq!(k.map["Job  Title"], "Job_Title_2");
        assert_eq!(k.map["Job Title"], "Job_Title_3");
        let mut again = Kind::default();
        again.see("Job Title");
        again.resolve(std::iter::once((
            "Job Title".to_owned(),
            "Job_Title_3".to_owned(),
        )));
        assert_eq!(
            again.map["Job Title"], "Job_Title_3",
            "same name as last time"
        );
    }
}
