//! The label schema: which span labels, attributes, relation types and document labels a corpus
//! uses, with their colors and hotkeys. A default is built in; a corpus may override it with
//! `hashiya-schema.json` at its root.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// File name of a corpus schema, at the corpus root.
pub const SCHEMA_FILE_NAME: &str = "hashiya-schema.json";
/// The newest schema format version this program understands.
pub const SCHEMA_VERSION: u32 = 1;

const DEFAULT_SCHEMA_JSON: &str = include_str!("../../assets/default-schema.json");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    pub format: String,
    pub version: u32,
    #[serde(default)]
    pub name: String,
    /// May two spans cross (share text without one containing the other)?
    #[serde(default = "yes")]
    pub allow_overlap: bool,
    /// May a span contain another?
    #[serde(default = "yes")]
    pub allow_nesting: bool,
    pub span_labels: Vec<SpanLabelDef>,
    #[serde(default)]
    pub relation_types: Vec<RelationTypeDef>,
    #[serde(default)]
    pub document_labels: Vec<DocLabelDef>,
    /// Event types (brat's `[events]`): the span label of their trigger and the roles of their
    /// arguments. Omitted when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub event_types: Vec<EventTypeDef>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpanLabelDef {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// `#rrggbb`.
    pub color: String,
    /// A single key (letter or digit) that applies this label; empty: no hotkey (a schema can have
    /// more labels than there are keys, e.g. one imported from a 50-class corpus).
    #[serde(default)]
    pub hotkey: String,
    #[serde(default)]
    pub attributes: Vec<AttributeDef>,
    /// The name this label had in the tool it was imported from, when that name is not a valid
    /// label name here (e.g. `Job Title`); exports to formats that can hold it write it back.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub original_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeDef {
    pub name: String,
    /// Allowed values; empty means free text.
    #[serde(default)]
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationTypeDef {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Labels allowed at the source; empty means any.
    #[serde(default)]
    pub from: Vec<String>,
    /// Labels allowed at the target; empty means any.
    #[serde(default)]
    pub to: Vec<String>,
    #[serde(default)]
    pub hotkey: String,
    /// As [`SpanLabelDef::original_name`].
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub original_name: String,
}

/// An event type: events of this type have a trigger span of the label of the same name and
/// arguments in the given roles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventTypeDef {
    pub name: String,
    #[serde(default)]
    pub roles: Vec<EventRoleDef>,
    /// As [`SpanLabelDef::original_name`].
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub original_name: String,
}

/// A role of an event type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRoleDef {
    pub name: String,
    /// Span labels or event types that may fill it; empty means any.
    #[serde(default)]
    pub targets: Vec<String>,
    /// May an event have no argument in this role (brat's `?` and `*`)?
    #[serde(default)]
    pub optional: bool,
    /// May an event have several arguments in this role (brat's `+` and `*`)?
    #[serde(default)]
    pub repeated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocLabelDef {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub values: Vec<String>,
    /// Is the label taken toward a target (a span or free text), as a stance is?
    #[serde(default)]
    pub targeted: bool,
    /// May a document carry this label more than once (e.g. stances toward several targets)?
    #[serde(default)]
    pub multiple: bool,
}

/// A schema file that cannot be used, or an annotation the schema does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    #[error("{path}: cannot read: {message}")]
    Io { path: PathBuf, message: String },
    #[error("{path}: not a valid schema: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("unknown span label `{label}`; the schema knows: {known}")]
    UnknownLabel { label: String, known: String },
    #[error("label `{label}` has no attribute `{attribute}`; it has: {known}")]
    UnknownAttribute {
        label: String,
        attribute: String,
        known: String,
    },
    #[error("attribute `{attribute}` of `{label}` cannot be `{value}`; allowed: {known}")]
    BadAttributeValue {
        label: String,
        attribute: String,
        value: String,
        known: String,
    },
    #[error("unknown relation type `{kind}`; the schema knows: {known}")]
    UnknownRelation { kind: String, known: String },
    #[error("relation `{kind}` cannot go from `{from}` to `{to}` (from: {allowed_from}; to: {allowed_to})")]
    RelationNotAllowed {
        kind: String,
        from: String,
        to: String,
        allowed_from: String,
        allowed_to: String,
    },
    #[error("unknown document label `{name}`; the schema knows: {known}")]
    UnknownDocLabel { name: String, known: String },
    #[error("document label `{name}` cannot be `{value}`; allowed: {known}")]
    BadDocLabelValue {
        name: String,
        value: String,
        known: String,
    },
}

fn list(names: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let v: Vec<String> = names.into_iter().map(|s| s.as_ref().to_owned()).collect();
    if v.is_empty() {
        "(none)".to_owned()
    } else {
        v.join(", ")
    }
}

fn list_or_any(names: &[String]) -> String {
    if names.is_empty() {
        "any".to_owned()
    } else {
        names.join(", ")
    }
}

impl Default for Schema {
    fn default() -> Self {
        Self::builtin()
    }
}

impl Schema {
    /// The schema built into the program (entities, stance, claims).
    pub fn builtin() -> Self {
        // The built-in JSON is checked by a test; fall back to an empty schema rather than panic.
        Self::parse(DEFAULT_SCHEMA_JSON, Path::new("<built-in schema>")).unwrap_or_else(|_| {
            Schema {
                format: "hashiya-schema".into(),
                version: SCHEMA_VERSION,
                name: String::new(),
                allow_overlap: true,
                allow_nesting: true,
                span_labels: Vec::new(),
                relation_types: Vec::new(),
                document_labels: Vec::new(),
                event_types: Vec::new(),
            }
        })
    }

    /// The schema of a corpus: its `hashiya-schema.json` if there is one, else the built-in one.
    pub fn for_corpus(root: &Path) -> Result<Self, SchemaError> {
        let path = root.join(SCHEMA_FILE_NAME);
        // Anything by that name is the schema: a FIFO or a folder there is reported, not ignored.
        if std::fs::symlink_metadata(&path).is_ok() {
            Self::load(&path)
        } else {
            Ok(Self::builtin())
        }
    }

    pub fn load(path: &Path) -> Result<Self, SchemaError> {
        let io = |message: String| SchemaError::Io {
            path: path.to_path_buf(),
            message,
        };
        let bytes = super::safe_read::read_capped(path, super::safe_read::MAX_SCHEMA_BYTES)
            .map_err(|e| io(e.to_string()))?;
        let text = String::from_utf8(bytes).map_err(|e| io(format!("not UTF-8 ({e})")))?;
        Self::parse(&text, path)
    }

    pub fn parse(json: &str, path: &Path) -> Result<Self, SchemaError> {
        let invalid = |message: String| SchemaError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let schema: Schema = serde_json::from_str(json).map_err(|e| invalid(e.to_string()))?;
        schema.check().map_err(invalid)?;
        Ok(schema)
    }

    /// Checks the schema's own consistency: format, version, unique names and hotkeys, colors, and
    /// that relation types name labels that exist.
    fn check(&self) -> Result<(), String> {
        if self.format != "hashiya-schema" {
            return Err(format!(
                "`format` is `{}`, expected `hashiya-schema`",
                self.format
            ));
        }
        if self.version > SCHEMA_VERSION {
            return Err(format!(
                "schema version {} is newer than this program understands ({SCHEMA_VERSION})",
                self.version
            ));
        }
        let mut names = BTreeSet::new();
        let mut keys = BTreeSet::new();
        for l in &self.span_labels {
            if l.name.trim().is_empty() || l.name.chars().any(char::is_whitespace) {
                return Err(format!(
                    "span label name `{}` is empty or has spaces",
                    l.name
                ));
            }
            if !names.insert(l.name.as_str()) {
                return Err(format!("span label `{}` is declared twice", l.name));
            }
            if parse_color(&l.color).is_none() {
                return Err(format!(
                    "label `{}`: color `{}` is not #rrggbb",
                    l.name, l.color
                ));
            }
            if l.hotkey.is_empty() {
                continue;
            }
            if l.hotkey.chars().count() != 1 || !l.hotkey.chars().all(|c| c.is_ascii_alphanumeric())
            {
                return Err(format!(
                    "label `{}`: hotkey `{}` must be one letter or digit",
                    l.name, l.hotkey
                ));
            }
            if !keys.insert(l.hotkey.to_ascii_lowercase()) {
                return Err(format!("hotkey `{}` is used twice", l.hotkey));
            }
        }
        let mut rel_names = BTreeSet::new();
        for r in &self.relation_types {
            if !rel_names.insert(r.name.as_str()) {
                return Err(format!("relation type `{}` is declared twice", r.name));
            }
            if !r.hotkey.is_empty() {
                if r.hotkey.chars().count() != 1
                    || !r.hotkey.chars().all(|c| c.is_ascii_alphanumeric())
                {
                    return Err(format!(
                        "relation `{}`: hotkey `{}` must be one letter or digit",
                        r.name, r.hotkey
                    ));
                }
                if !keys.insert(r.hotkey.to_ascii_lowercase()) {
                    return Err(format!("hotkey `{}` is used twice", r.hotkey));
                }
            }
            for l in r.from.iter().chain(&r.to) {
                if !names.contains(l.as_str()) {
                    return Err(format!(
                        "relation type `{}` names unknown label `{l}`",
                        r.name
                    ));
                }
            }
        }
        let mut event_names = BTreeSet::new();
        for e in &self.event_types {
            if !event_names.insert(e.name.as_str()) {
                return Err(format!("event type `{}` is declared twice", e.name));
            }
        }
        let mut doc_names = BTreeSet::new();
        for d in &self.document_labels {
            if !doc_names.insert(d.name.as_str()) {
                return Err(format!("document label `{}` is declared twice", d.name));
            }
            if d.values.is_empty() {
                return Err(format!("document label `{}` has no values", d.name));
            }
        }
        Ok(())
    }

    pub fn span_label(&self, name: &str) -> Result<&SpanLabelDef, SchemaError> {
        self.span_labels
            .iter()
            .find(|l| l.name == name)
            .ok_or_else(|| SchemaError::UnknownLabel {
                label: name.to_owned(),
                known: list(self.span_labels.iter().map(|l| &l.name)),
            })
    }

    /// The label a hotkey applies (case-insensitive).
    pub fn label_for_hotkey(&self, key: char) -> Option<&SpanLabelDef> {
        self.span_labels.iter().find(|l| {
            l.hotkey
                .chars()
                .next()
                .is_some_and(|h| h.eq_ignore_ascii_case(&key))
        })
    }

    pub fn check_attribute(
        &self,
        label: &str,
        attribute: &str,
        value: &str,
    ) -> Result<(), SchemaError> {
        let def = self.span_label(label)?;
        let attr = def
            .attributes
            .iter()
            .find(|a| a.name == attribute)
            .ok_or_else(|| SchemaError::UnknownAttribute {
                label: label.to_owned(),
                attribute: attribute.to_owned(),
                known: list(def.attributes.iter().map(|a| &a.name)),
            })?;
        if attr.values.is_empty() || attr.values.iter().any(|v| v == value) {
            Ok(())
        } else {
            Err(SchemaError::BadAttributeValue {
                label: label.to_owned(),
                attribute: attribute.to_owned(),
                value: value.to_owned(),
                known: list(&attr.values),
            })
        }
    }

    pub fn relation_type(&self, kind: &str) -> Result<&RelationTypeDef, SchemaError> {
        self.relation_types
            .iter()
            .find(|r| r.name == kind)
            .ok_or_else(|| SchemaError::UnknownRelation {
                kind: kind.to_owned(),
                known: list(self.relation_types.iter().map(|r| &r.name)),
            })
    }

    pub fn check_relation(
        &self,
        kind: &str,
        from_label: &str,
        to_label: &str,
    ) -> Result<(), SchemaError> {
        let def = self.relation_type(kind)?;
        let ok = |allowed: &[String], l: &str| allowed.is_empty() || allowed.iter().any(|a| a == l);
        if ok(&def.from, from_label) && ok(&def.to, to_label) {
            Ok(())
        } else {
            Err(SchemaError::RelationNotAllowed {
                kind: kind.to_owned(),
                from: from_label.to_owned(),
                to: to_label.to_owned(),
                allowed_from: list_or_any(&def.from),
                allowed_to: list_or_any(&def.to),
            })
        }
    }

    pub fn doc_label(&self, name: &str) -> Result<&DocLabelDef, SchemaError> {
        self.document_labels
            .iter()
            .find(|d| d.name == name)
            .ok_or_else(|| SchemaError::UnknownDocLabel {
                name: name.to_owned(),
                known: list(self.document_labels.iter().map(|d| &d.name)),
            })
    }

    pub fn check_doc_label(&self, name: &str, value: &str) -> Result<&DocLabelDef, SchemaError> {
        let def = self.doc_label(name)?;
        if def.values.iter().any(|v| v == value) {
            Ok(def)
        } else {
            Err(SchemaError::BadDocLabelValue {
                name: name.to_owned(),
                value: value.to_owned(),
                known: list(&def.values),
            })
        }
    }

    /// The color of a label as RGB, gray for a label the schema does not know.
    pub fn color_of(&self, label: &str) -> [u8; 3] {
        self.span_labels
            .iter()
            .find(|l| l.name == label)
            .and_then(|l| parse_color(&l.color))
            .unwrap_or([0x99, 0x99, 0x99])
    }

    /// Pretty JSON of this schema (what `hashiya-schema.json` holds).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// Parses `#rrggbb`.
pub fn parse_color(s: &str) -> Option<[u8; 3]> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_schema_is_valid_and_covers_the_three_tasks() {
        let s = Schema::parse(DEFAULT_SCHEMA_JSON, Path::new("default")).unwrap();
        for l in ["PER", "ORG", "LOC", "GPE", "DATE", "MONEY", "CLAIM"] {
            assert!(s.span_label(l).is_ok(), "{l}");
        }
        assert!(s.check_attribute("CLAIM", "check_worthy", "yes").is_ok());
        assert!(s.check_relation("attributed_to", "CLAIM", "PER").is_ok());
        assert!(s.check_doc_label("stance", "against").unwrap().targeted);
        assert_eq!(s.label_for_hotkey('P').unwrap().name, "PER");
    }

    #[test]
    fn unknown_names_list_what_is_known() {
        let s = Schema::builtin();
        let e = s.span_label("PERSON").unwrap_err().to_string();
        assert!(e.contains("`PERSON`") && e.contains("PER, ORG"), "{e}");
        let e = s
            .check_attribute("CLAIM", "check_worthy", "maybe")
            .unwrap_err()
            .to_string();
        assert!(e.contains("allowed: yes, no"), "{e}");
        let e = s
            .check_relation("attributed_to", "PER", "CLAIM")
            .unwrap_err()
            .to_string();
        assert!(e.contains("from: CLAIM"), "{e}");
    }

    #[test]
    fn bad_schema_files_are_refused() {
        let p = Path::new("x/hashiya-schema.json");
        let dup = r##"{"format":"hashiya-schema","version":1,"span_labels":[
            {"name":"A","color":"#000000","hotkey":"a"},{"name":"B","color":"#000000","hotkey":"A"}]}"##;
        assert!(Schema::parse(dup, p)
            .unwrap_err()
            .to_string()
            .contains("hotkey `A` is used twice"));
        let newer = r#"{"format":"hashiya-schema","version":9,"span_labels":[]}"#;
        assert!(Schema::parse(newer, p)
            .unwrap_err()
            .to_string()
            .contains("newer"));
        assert!(Schema::parse("{", p)
            .unwrap_err()
            .to_string()
            .starts_with("x/hashiya-schema.json"));
    }
}
