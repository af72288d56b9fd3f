//! The JSON object `hashiya agreement --json` prints (docs/agreement.md, "Output"): the corpus
//! figures built as a JSON value, the per-document list written straight from the report.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Map, Value};

use crate::model::agreement::compare::Summary;
use crate::model::agreement::report::{AgreementReport, DocumentAgreement, PairFigure, SpanCounts};
use crate::model::agreement::Figure;

/// Puts a figure under `key`: its value, or `null` and a reason beside it (`KEY_reason`, or
/// `reason` for the key `value`).
fn put(map: &mut Map<String, Value>, key: &str, figure: &Figure) {
    map.insert(
        key.to_owned(),
        figure.value.map_or(Value::Null, Value::from),
    );
    if let Some(reason) = &figure.reason {
        map.insert(reason_key(key), Value::from(reason.as_str()));
    }
}

/// The key of the reason beside the figure under `key`.
fn reason_key(key: &str) -> String {
    if key == "value" {
        "reason".to_owned()
    } else {
        format!("{key}_reason")
    }
}

fn summary_json(map: &mut Map<String, Value>, s: &Summary) {
    for (k, v) in [
        ("a_spans", s.a_spans),
        ("b_spans", s.b_spans),
        ("agreed", s.agreed),
        ("only_a", s.only_a),
        ("only_b", s.only_b),
        ("label_only", s.label_only),
        ("boundary_only", s.boundary_only),
        ("clitic_only", s.clitic_only),
    ] {
        map.insert(k.to_owned(), Value::from(v));
    }
}

fn counts_json(map: &mut Map<String, Value>, c: &SpanCounts) {
    put(map, "exact_f1", &c.exact_f1);
    put(map, "overlap_f1", &c.overlap_f1);
    summary_json(map, &c.summary);
}

fn object(fill: impl FnOnce(&mut Map<String, Value>)) -> Value {
    let mut m = Map::new();
    fill(&mut m);
    Value::Object(m)
}

fn pair_figures_json(list: &[PairFigure], units: &str) -> Value {
    Value::Array(
        list.iter()
            .map(|p| {
                object(|m| {
                    m.insert("a".into(), json!(p.a));
                    m.insert("b".into(), json!(p.b));
                    put(m, "value", &p.value);
                    m.insert(units.into(), json!(p.units));
                })
            })
            .collect(),
    )
}

/// One document's entry, written straight from the report (a large corpus's output is mostly
/// these): the same members, in the same order, as [`put`] and `json!` would give.
struct DocumentJson<'r>(&'r DocumentAgreement);

impl Serialize for DocumentJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (d, f) = (self.0, &self.0.figures);
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("path", &d.path)?;
        m.serialize_entry("annotators", &d.annotators)?;
        m.serialize_entry("tokens", &d.tokens)?;
        put_entry(&mut m, "exact_f1", &f.exact_f1)?;
        put_entry(&mut m, "overlap_f1", &f.overlap_f1)?;
        m.serialize_entry("disagreements", &f.disagreements)?;
        m.serialize_entry("clitic_only", &f.clitic_only)?;
        put_entry(&mut m, "token_alpha", &f.token_alpha)?;
        m.end()
    }
}

/// [`put`] for a map being serialized (a value that is not finite is `null`, as in a `Value`).
fn put_entry<M: SerializeMap>(m: &mut M, key: &str, figure: &Figure) -> Result<(), M::Error> {
    m.serialize_entry(key, &figure.value.filter(|v| v.is_finite()))?;
    if let Some(reason) = &figure.reason {
        m.serialize_entry(&reason_key(key), reason)?;
    }
    Ok(())
}

/// The report as the JSON object of docs/agreement.md: the figures as a JSON value, then the
/// documents and the problems written straight from the report.
pub struct ReportJson<'r> {
    figures: Map<String, Value>,
    report: &'r AgreementReport,
}

impl Serialize for ReportJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(None)?;
        for (k, v) in &self.figures {
            m.serialize_entry(k, v)?;
        }
        let documents = &self.report.documents;
        m.serialize_entry("documents", &Documents(documents))?;
        m.serialize_entry("problems", &self.report.problems)?;
        m.end()
    }
}

struct Documents<'r>(&'r [DocumentAgreement]);

impl Serialize for Documents<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(DocumentJson))
    }
}

/// The report as the JSON object of docs/agreement.md.
pub fn report_json(r: &AgreementReport) -> ReportJson<'_> {
    let spans = &r.spans;
    let pairs: Vec<Value> = spans
        .pairs
        .iter()
        .map(|p| {
            object(|m| {
                m.insert("a".into(), json!(p.a));
                m.insert("b".into(), json!(p.b));
                m.insert("documents".into(), json!(p.documents));
                counts_json(m, &p.counts);
                let per_label: Map<String, Value> = p
                    .per_label
                    .iter()
                    .map(|(l, c)| (l.clone(), object(|m| counts_json(m, c))))
                    .collect();
                m.insert("per_label".into(), Value::Object(per_label));
                let confusion: Vec<Value> = p
                    .confusion
                    .iter()
                    .map(|c| json!({"a": c.a, "b": c.b, "count": c.count}))
                    .collect();
                m.insert("confusion".into(), Value::Array(confusion));
            })
        })
        .collect();
    let per_label: Map<String, Value> = spans
        .per_label
        .iter()
        .map(|(l, s)| {
            (
                l.clone(),
                object(|m| {
                    put(m, "alpha_u", &s.alpha_u);
                    counts_json(m, &s.counts);
                }),
            )
        })
        .collect();
    let spans_json = object(|m| {
        m.insert("pairs".into(), Value::Array(pairs));
        counts_json(m, &spans.counts);
        put(m, "alpha_u", &spans.alpha_u);
        m.insert("alpha_u_documents".into(), json!(spans.alpha_u_documents));
        m.insert("alpha_u_chars".into(), json!(spans.alpha_u_chars));
        m.insert("per_label".into(), Value::Object(per_label));
    });
    let t = &r.tokens;
    let tokens_json = object(|m| {
        m.insert("tokens".into(), json!(t.tokens));
        m.insert(
            "cohen_kappa".into(),
            pair_figures_json(&t.cohen_kappa, "tokens"),
        );
        put(m, "fleiss_kappa", &t.fleiss_kappa);
        m.insert("fleiss_tokens".into(), json!(t.fleiss_tokens));
        put(m, "krippendorff_alpha", &t.krippendorff_alpha);
        m.insert("krippendorff_tokens".into(), json!(t.krippendorff_tokens));
    });
    let doc_labels: Map<String, Value> = r
        .document_labels
        .iter()
        .map(|(name, d)| {
            (
                name.clone(),
                object(|m| {
                    m.insert("units".into(), json!(d.units));
                    put(m, "krippendorff_alpha", &d.krippendorff_alpha);
                    m.insert("krippendorff_units".into(), json!(d.krippendorff_units));
                    m.insert(
                        "cohen_kappa".into(),
                        pair_figures_json(&d.cohen_kappa, "units"),
                    );
                }),
            )
        })
        .collect();
    let mut figures = Map::new();
    figures.insert("annotators".into(), json!(r.annotators));
    figures.insert("documents_listed".into(), json!(r.documents_listed));
    figures.insert("documents_annotated".into(), json!(r.documents_annotated));
    figures.insert("spans".into(), spans_json);
    figures.insert("tokens".into(), tokens_json);
    figures.insert("document_labels".into(), Value::Object(doc_labels));
    ReportJson { figures, report: r }
}
