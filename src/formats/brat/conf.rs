//! brat's `annotation.conf`, read into a schema and written from one.

use std::collections::{BTreeMap, BTreeSet};

use super::BINARY_VALUE;
use crate::formats::schema_ext::ensure_label;
use crate::formats::Report;
use crate::model::schema::{AttributeDef, EventRoleDef, EventTypeDef, RelationTypeDef};
use crate::model::Schema;

/// Reads an `annotation.conf` into `schema`: entities and event types become span labels (`!`
/// types are only hierarchy and are left out), event types also become event types with their
/// roles, relations become relation types, attributes are added to the labels their `Arg:` names
/// (`<ENTITY>`, `<EVENT>`, types, macros).
pub fn read_conf(file: &str, text: &str, schema: &mut Schema, report: &mut Report) {
    let mut section = String::new();
    let mut macros: BTreeMap<String, String> = BTreeMap::new();
    let mut entities: Vec<String> = Vec::new();
    // (name, arguments text)
    let mut events: Vec<(String, String)> = Vec::new();
    let mut relations: Vec<(usize, String, String)> = Vec::new();
    let mut attributes: Vec<(usize, String, String)> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("---") {
            continue;
        }
        if line.starts_with('[') && line.ends_with(']') {
            section = line.trim_matches(|c| c == '[' || c == ']').to_owned();
            continue;
        }
        if line.starts_with('<') {
            if let Some((k, v)) = line.split_once('=') {
                macros.insert(k.trim().to_owned(), v.trim().to_owned());
            }
            continue;
        }
        let (name, rest) = match line.split_once(|c: char| c.is_whitespace()) {
            Some((a, b)) => (a, b.trim()),
            None => (line, ""),
        };
        if name.starts_with('!') {
            continue;
        }
        match section.as_str() {
            "entities" | "spans" => entities.push(name.to_owned()),
            "events" => events.push((name.to_owned(), rest.to_owned())),
            "relations" if name != "<OVERLAP>" => {
                relations.push((n + 1, name.to_owned(), rest.to_owned()))
            }
            "attributes" => attributes.push((n + 1, name.to_owned(), rest.to_owned())),
            _ => {}
        }
    }
    let event_names: Vec<String> = events.iter().map(|(n, _)| n.clone()).collect();
    for e in entities.iter().chain(&event_names) {
        ensure_label(schema, e);
    }
    // `None`: any type.
    let expand = |types: &str| -> Option<Vec<String>> {
        let mut out = Vec::new();
        for t in types.split('|') {
            let t = t.trim();
            let t = macros.get(t).map(String::as_str).unwrap_or(t);
            for t in t.split('|') {
                match t.trim() {
                    "<ENTITY>" | "<ANY>" => return None,
                    "<EVENT>" => out.extend(event_names.iter().cloned()),
                    t => {
                        if entities.iter().chain(&event_names).any(|x| x == t) {
                            out.push(t.to_owned());
                        }
                    }
                }
            }
        }
        Some(out)
    };
    for (name, rest) in &events {
        let mut roles: Vec<EventRoleDef> = Vec::new();
        for arg in rest.split(',') {
            let Some((role, types)) = arg.trim().split_once(':') else {
                continue;
            };
            let (role, optional, repeated) = role_flags(role);
            if roles.iter().any(|r| r.name == role) {
                continue;
            }
            roles.push(EventRoleDef {
                name: role,
                targets: expand(types).unwrap_or_default(),
                optional,
                repeated,
            });
        }
        if !schema.event_types.iter().any(|e| e.name == *name) {
            schema.event_types.push(EventTypeDef {
                name: name.clone(),
                roles,
                original_name: String::new(),
            });
        }
    }
    for (_, name, rest) in relations {
        let mut from = Vec::new();
        let mut to = Vec::new();
        for (k, arg) in rest.split(',').enumerate() {
            let Some((role, types)) = arg.trim().split_once(':') else {
                continue;
            };
            if role.starts_with('<') {
                continue;
            }
            let list = expand(types).unwrap_or_default();
            if k == 0 {
                from = list;
            } else if k == 1 {
                to = list;
            }
        }
        if !schema.relation_types.iter().any(|r| r.name == name) {
            schema.relation_types.push(RelationTypeDef {
                name,
                description: String::new(),
                from,
                to,
                hotkey: String::new(),
                original_name: String::new(),
            });
        }
    }
    for (n, name, rest) in attributes {
        let mut targets: Option<Vec<String>> = None;
        let mut values: Vec<String> = Vec::new();
        for part in rest.split(',') {
            let Some((k, v)) = part.trim().split_once(':') else {
                continue;
            };
            match k {
                "Arg" => {
                    let mut t = Vec::new();
                    for x in v.split('|') {
                        match x.trim() {
                            "<ENTITY>" => t.extend(entities.iter().cloned()),
                            "<EVENT>" => t.extend(event_names.iter().cloned()),
                            other => t.extend(expand(other).unwrap_or_else(|| entities.clone())),
                        }
                    }
                    targets = Some(t);
                }
                "Value" => values = v.split('|').map(|s| s.trim().to_owned()).collect(),
                _ => {}
            }
        }
        let Some(targets) = targets else {
            report.error(file, Some(n), format!("attribute `{name}` has no `Arg:`"));
            continue;
        };
        if values.is_empty() {
            values.push(BINARY_VALUE.to_owned());
        }
        for t in targets {
            if let Some(def) = schema.span_labels.iter_mut().find(|l| l.name == t) {
                if !def.attributes.iter().any(|a| a.name == name) {
                    def.attributes.push(AttributeDef {
                        name: name.clone(),
                        values: values.clone(),
                    });
                }
            }
        }
    }
}

/// A role as brat writes it (`Theme`, `Site?`, `Theme+`, `Site*`, `Person-Arg{2}`): its name,
/// whether it may be missing, whether it may repeat.
fn role_flags(role: &str) -> (String, bool, bool) {
    let role = role.trim();
    if let Some(base) = role.strip_suffix('?') {
        return (base.to_owned(), true, false);
    }
    if let Some(base) = role.strip_suffix('+') {
        return (base.to_owned(), false, true);
    }
    if let Some(base) = role.strip_suffix('*') {
        return (base.to_owned(), true, true);
    }
    if let (Some(open), true) = (role.find('{'), role.ends_with('}')) {
        return (role[..open].to_owned(), false, true);
    }
    (role.to_owned(), false, false)
}

/// An `annotation.conf` for `schema` (plus attributes seen in the data: name -> (labels, values)).
pub fn write_conf(
    schema: &Schema,
    seen: &BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>,
) -> String {
    let event_names: BTreeSet<&str> = schema.event_types.iter().map(|e| e.name.as_str()).collect();
    let mut s = String::from("# Written by Hashiya from the corpus schema.\n\n[entities]\n\n");
    for l in schema
        .span_labels
        .iter()
        .filter(|l| !event_names.contains(l.name.as_str()))
    {
        s.push_str(&l.name);
        s.push('\n');
    }
    s.push_str("\n[relations]\n\n");
    let types = |v: &[String]| {
        if v.is_empty() {
            "<ENTITY>".to_owned()
        } else {
            v.join("|")
        }
    };
    for r in &schema.relation_types {
        s.push_str(&format!(
            "{}\tArg1:{}, Arg2:{}\n",
            r.name,
            types(&r.from),
            types(&r.to)
        ));
    }
    s.push_str("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n");
    s.push_str("\n[events]\n\n");
    for e in &schema.event_types {
        let roles: Vec<String> = e
            .roles
            .iter()
            .map(|r| {
                let flag = match (r.optional, r.repeated) {
                    (true, true) => "*",
                    (false, true) => "+",
                    (true, false) => "?",
                    (false, false) => "",
                };
                let targets = if r.targets.is_empty() {
                    "<ENTITY>|<EVENT>".to_owned()
                } else {
                    r.targets.join("|")
                };
                format!("{}{flag}:{targets}", r.name)
            })
            .collect();
        if roles.is_empty() {
            s.push_str(&format!("{}\n", e.name));
        } else {
            s.push_str(&format!("{}\t{}\n", e.name, roles.join(", ")));
        }
    }
    s.push_str("\n[attributes]\n\n");
    let mut attrs: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> = seen.clone();
    for l in &schema.span_labels {
        for a in &l.attributes {
            if a.name.starts_with('#') || a.name.starts_with("N:") {
                continue;
            }
            let e = attrs.entry(a.name.clone()).or_default();
            e.0.insert(l.name.clone());
            e.1.extend(a.values.iter().cloned());
        }
    }
    for (name, (labels, values)) in attrs {
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        let valued: Vec<&str> = values
            .iter()
            .map(String::as_str)
            .filter(|v| *v != BINARY_VALUE)
            .collect();
        if valued.is_empty() {
            s.push_str(&format!("{name}\tArg:{}\n", labels.join("|")));
        } else {
            let all: Vec<&str> = values.iter().map(String::as_str).collect();
            s.push_str(&format!(
                "{name}\tArg:{}, Value:{}\n",
                labels.join("|"),
                all.join("|")
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::schema_ext::empty_schema;

    #[test]
    fn events_and_their_roles_come_from_the_conf_and_go_back() {
        let conf = "[entities]\nProtein\nEntity\n[relations]\nEquiv\tArg1:Protein, Arg2:Protein, <REL-TYPE>:symmetric-transitive\n\
                    [events]\nBinding\tTheme+:Protein, Site*:Entity\n\tRegulation\tTheme:<EVENT>|Protein, Cause?:<EVENT>|Protein\n\
                    [attributes]\nNegation\tArg:<EVENT>\n";
        let mut s = empty_schema("t");
        read_conf("a.conf", conf, &mut s, &mut Report::new());
        let binding = s.event_types.iter().find(|e| e.name == "Binding").unwrap();
        assert_eq!(binding.roles[0].name, "Theme");
        assert!(binding.roles[0].repeated && !binding.roles[0].optional);
        assert!(binding.roles[1].repeated && binding.roles[1].optional);
        let reg = s
            .event_types
            .iter()
            .find(|e| e.name == "Regulation")
            .unwrap();
        assert_eq!(reg.roles[0].targets, ["Binding", "Regulation", "Protein"]);
        assert!(s.span_label("Binding").is_ok(), "the trigger label");
        let written = write_conf(&s, &BTreeMap::new());
        assert!(
            written.contains("Binding\tTheme+:Protein, Site*:Entity\n"),
            "{written}"
        );
        let mut again = empty_schema("t");
        read_conf("b.conf", &written, &mut again, &mut Report::new());
        assert_eq!(again.event_types, s.event_types);
    }
}
