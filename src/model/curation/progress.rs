//! Curation progress across a corpus, for the document list: per article, how many units are
//! open and how many there are, as the curation view counts them (on first opening, when the article
//! has no gold sidecar yet, agreed units are merged first). Reads sidecars only; writes nothing.

use std::sync::atomic::AtomicBool;

use super::units;
use crate::model::annotation::Annotations;
use crate::model::corpus::ArticleFiles;
use crate::model::document::Document;
use crate::model::merge::{merge_into, Layer, MergeRule};
use crate::model::parallel::for_each_parallel;
use crate::model::schema::Schema;
use crate::model::sidecar;

/// One article's curation progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub open: usize,
    pub units: usize,
}

/// The progress of each article (by relative path) that at least one of `annotators` annotated;
/// an article whose files cannot be read gets the reason.
pub fn corpus_progress(
    articles: &[ArticleFiles],
    annotators: &[String],
    into: &str,
    schema: &Schema,
    cancel: &AtomicBool,
) -> Vec<(String, Result<Progress, String>)> {
    let mut out = Vec::new();
    for_each_parallel(
        articles,
        |_, a| article_progress(a, annotators, into, schema),
        |_, r| {
            if let Some(r) = r {
                out.push(r);
            }
        },
        cancel,
    );
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn article_progress(
    article: &ArticleFiles,
    annotators: &[String],
    into: &str,
    schema: &Schema,
) -> Option<(String, Result<Progress, String>)> {
    let names: Vec<&str> = article
        .sidecars
        .iter()
        .map(|(a, _)| a.as_str())
        .filter(|a| annotators.iter().any(|n| n == a))
        .collect();
    if names.is_empty() {
        return None;
    }
    let relative = article.relative.clone();
    let result = (|| {
        let doc = Document::load(&article.path, None).map_err(|e| e.to_string())?;
        let mut loaded: Vec<Annotations> = Vec::with_capacity(names.len());
        for a in &names {
            let l = sidecar::load_read_only(&doc, a).map_err(|e| e.to_string())?;
            loaded.push(l.annotations);
        }
        let existing = article.sidecars.iter().any(|(a, _)| a == into);
        let mut gold = if existing {
            sidecar::load_read_only(&doc, into)
                .map_err(|e| e.to_string())?
                .annotations
        } else {
            Annotations::default()
        };
        let layers: Vec<Layer<'_>> = names
            .iter()
            .zip(&loaded)
            .map(|(a, l)| Layer {
                annotator: a,
                annotations: l,
            })
            .collect();
        let rule = MergeRule::default();
        if !existing {
            // As the curation view does on first opening.
            merge_into(&mut gold, &layers, &rule, schema);
        }
        let c = units(&gold, &layers, &rule, schema);
        Ok(Progress {
            open: c.open(),
            units: c.units.len(),
        })
    })();
    Some((relative, result))
}
