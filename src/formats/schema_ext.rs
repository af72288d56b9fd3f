//! Growing a corpus schema so that imported labels are never lost: every span label, attribute,
//! relation type and document label value seen in imported data is added if the schema lacks it.
//! New span labels get a color from a fixed palette not yet used by the schema (then generated hues)
//! and the first free hotkey among the letters of their name, then any free letter or digit; when
//! all 36 keys are taken the label gets no hotkey (an empty `hotkey`).

use std::collections::{BTreeMap, BTreeSet};

use super::ImportedDoc;
use crate::model::schema::{
    AttributeDef, DocLabelDef, EventRoleDef, EventTypeDef, RelationTypeDef, Schema, SpanLabelDef,
};

const PALETTE: &[&str] = &[
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45",
    "#469990", "#9a6324", "#800000", "#808000", "#a9a9a9", "#ffe119", "#dcbeff", "#fabed4",
    "#aaffc3", "#000075", "#ffd8b1", "#e6beff", "#008080", "#aa6e28", "#fffac8", "#7f7f7f",
];

/// An empty schema (for sources that declare their own, like brat's annotation.conf).
pub fn empty_schema(name: &str) -> Schema {
    let mut s = Schema::builtin();
    s.name = name.to_owned();
    s.span_labels.clear();
    s.relation_types.clear();
    s.document_labels.clear();
    s.event_types.clear();
    s
}

fn color_for(schema: &Schema, n: usize) -> String {
    let used: BTreeSet<String> = schema
        .span_labels
        .iter()
        .map(|l| l.color.to_ascii_lowercase())
        .collect();
    if let Some(c) = PALETTE.iter().find(|c| !used.contains(**c)) {
        return (*c).to_owned();
    }
    // Golden-angle hues, alternating lightness.
    let mut k = n;
    loop {
        let h = (k as f64 * 137.507_764) % 360.0;
        let l = if k.is_multiple_of(2) { 0.45 } else { 0.65 };
        let c = hsl(h, 0.65, l);
        if !used.contains(&c) {
            return c;
        }
        k += 1;
    }
}

fn hsl(h: f64, s: f64, l: f64) -> String {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let x = c * (1.0 - ((h / 60.0) % 2.0 - 1.0).abs());
    let m = l - c / 2.0;
    let (r, g, b) = match (h / 60.0) as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let to = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    format!("#{:02x}{:02x}{:02x}", to(r), to(g), to(b))
}

fn hotkey_for(schema: &Schema, name: &str) -> String {
    // Label and relation hotkeys share the keyboard.
    let used: BTreeSet<char> = schema
        .span_labels
        .iter()
        .map(|l| &l.hotkey)
        .chain(schema.relation_types.iter().map(|r| &r.hotkey))
        .filter_map(|k| k.chars().next())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    name.chars()
        .map(|c| c.to_ascii_lowercase())
        .filter(|c| c.is_ascii_alphanumeric())
        .chain("abcdefghijklmnopqrstuvwxyz0123456789".chars())
        .find(|c| !used.contains(c))
        .map(String::from)
        .unwrap_or_default()
}

/// Adds a span label if missing; returns whether the schema changed.
pub fn ensure_label(schema: &mut Schema, name: &str) -> bool {
    if schema.span_labels.iter().any(|l| l.name == name) {
        return false;
    }
    let color = color_for(schema, schema.span_labels.len());
    let hotkey = hotkey_for(schema, name);
    schema.span_labels.push(SpanLabelDef {
        name: name.to_owned(),
        description: String::new(),
        color,
        hotkey,
        attributes: Vec::new(),
        original_name: String::new(),
    });
    true
}

/// Adds an attribute (and value, unless the attribute is free text) to a label if missing.
pub fn ensure_attribute(schema: &mut Schema, label: &str, attr: &str, value: &str) -> bool {
    let mut changed = ensure_label(schema, label);
    if let Some(def) = schema.span_labels.iter_mut().find(|l| l.name == label) {
        match def.attributes.iter_mut().find(|a| a.name == attr) {
            Some(a) => {
                if !a.values.is_empty() && !a.values.iter().any(|v| v == value) {
                    a.values.push(value.to_owned());
                    changed = true;
                }
            }
            None => {
                def.attributes.push(AttributeDef {
                    name: attr.to_owned(),
                    values: Vec::new(),
                });
                changed = true;
            }
        }
    }
    changed
}

/// Adds everything `docs` use that `schema` lacks; returns the names added, for the report.
pub fn extend_schema(schema: &mut Schema, docs: &[ImportedDoc]) -> Vec<String> {
    let mut added = Vec::new();
    let mut doc_values: BTreeMap<String, (BTreeSet<String>, bool, bool)> = BTreeMap::new();
    for d in docs {
        let a = &d.annotations;
        for s in a.spans().iter().chain(a.unanchored.iter().map(|u| &u.span)) {
            if ensure_label(schema, &s.label) {
                added.push(format!("span label {}", s.label));
            }
            for (k, v) in &s.attributes {
                if ensure_attribute(schema, &s.label, k, v) {
                    added.push(format!("attribute {}.{k}", s.label));
                }
            }
        }
        for r in &a.relations {
            if !schema.relation_types.iter().any(|t| t.name == r.kind) {
                schema.relation_types.push(RelationTypeDef {
                    name: r.kind.clone(),
                    description: String::new(),
                    from: Vec::new(),
                    to: Vec::new(),
                    hotkey: String::new(),
                    original_name: String::new(),
                });
                added.push(format!("relation type {}", r.kind));
            } else {
                let from = a.span(&r.from).map(|s| s.label.clone()).unwrap_or_default();
                let to = a.span(&r.to).map(|s| s.label.clone()).unwrap_or_default();
                if let Some(def) = schema.relation_types.iter_mut().find(|t| t.name == r.kind) {
                    if !def.from.is_empty() && !from.is_empty() && !def.from.contains(&from) {
                        def.from.push(from);
                    }
                    if !def.to.is_empty() && !to.is_empty() && !def.to.contains(&to) {
                        def.to.push(to);
                    }
                }
            }
        }
        for e in &a.events {
            let trigger_label = a.span(&e.trigger).map(|s| s.label.clone());
            if let Some(label) = &trigger_label {
                // Event attributes are declared on the label of the trigger.
                for (k, v) in &e.attributes {
                    if ensure_attribute(schema, label, k, v) {
                        added.push(format!("attribute {label}.{k}"));
                    }
                }
            }
            let def = match schema.event_types.iter_mut().position(|t| t.name == e.kind) {
                Some(i) => &mut schema.event_types[i],
                None => {
                    added.push(format!("event type {}", e.kind));
                    schema.event_types.push(EventTypeDef {
                        name: e.kind.clone(),
                        roles: Vec::new(),
                        original_name: String::new(),
                    });
                    let last = schema.event_types.len() - 1;
                    &mut schema.event_types[last]
                }
            };
            for arg in &e.arguments {
                if !def.roles.iter().any(|r| r.name == arg.role) {
                    // A role first seen in the data may take anything.
                    def.roles.push(EventRoleDef {
                        name: arg.role.clone(),
                        targets: Vec::new(),
                        optional: true,
                        repeated: false,
                    });
                    added.push(format!("role {} of event type {}", arg.role, e.kind));
                }
            }
        }
        let mut per_name: BTreeMap<&str, usize> = BTreeMap::new();
        for l in &a.doc_labels {
            *per_name.entry(&l.name).or_default() += 1;
            let e = doc_values.entry(l.name.clone()).or_default();
            e.0.insert(l.value.clone());
            e.1 |= l.target.is_some();
        }
        for (name, n) in per_name {
            if n > 1 {
                doc_values.entry(name.to_owned()).or_default().2 = true;
            }
        }
    }
    for (name, (values, targeted, multiple)) in doc_values {
        match schema.document_labels.iter_mut().find(|d| d.name == name) {
            Some(def) => {
                for v in values {
                    if !def.values.contains(&v) {
                        added.push(format!("value {v} of document label {name}"));
                        def.values.push(v);
                    }
                }
                def.targeted |= targeted;
                def.multiple |= multiple;
            }
            None => {
                added.push(format!("document label {name}"));
                schema.document_labels.push(DocLabelDef {
                    name,
                    description: String::new(),
                    values: values.into_iter().collect(),
                    targeted,
                    multiple,
                });
            }
        }
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn many_labels_get_distinct_colors_and_the_schema_stays_valid() {
        let mut s = empty_schema("t");
        for k in 0..60 {
            ensure_label(&mut s, &format!("Label-{k}"));
        }
        let colors: BTreeSet<&str> = s.span_labels.iter().map(|l| l.color.as_str()).collect();
        assert_eq!(colors.len(), 60);
        let json = s.to_json();
        assert!(Schema::parse(&json, Path::new("x")).is_ok(), "{json}");
    }
}
