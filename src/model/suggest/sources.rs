//! The sources of one suggestion run, built from a plan: matchers learned from annotators'
//! counted spans, matchers read from gazetteers, and an external model command. `hashiya suggest`
//! and the app's Document ▸ Suggest… both build theirs here.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use super::external::{ExternalModel, ExternalOptions};
use super::gazetteer::read_gazetteer;
use super::learn::{learn_from_corpus, LearnOptions};
use super::matcher::{Matcher, MatcherOptions};
use super::Suggester;
use crate::model::corpus::Corpus;
use crate::model::search::SearchOptions;

/// What to suggest from.
#[derive(Debug, Clone, Default)]
pub struct SourcePlan {
    /// One learned matcher per entry (e.g. my finished documents; colleagues' documents).
    pub learn: Vec<LearnOptions>,
    pub gazetteers: Vec<PathBuf>,
    /// A model command (run through the shell) and how long to wait for each answer. It comes
    /// from the command line or the user's settings only, never from the corpus.
    pub command: Option<(String, Duration)>,
    pub search: SearchOptions,
    pub matcher: MatcherOptions,
}

/// Why the sources could not be built (a gazetteer that cannot be read, a command that does not
/// start).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SourceError(pub String);

/// The built sources, with what building them found.
pub struct Sources {
    pub matchers: Vec<Matcher>,
    pub model: Option<ExternalModel>,
    /// One line per source ("learned from layla: 120 spans in 4 documents, ...").
    pub notes: Vec<String>,
    /// `file: why` for what was left out (unreadable sidecars, bad gazetteer lines).
    pub problems: Vec<String>,
}

impl Sources {
    pub fn as_suggesters(&self) -> Vec<&dyn Suggester> {
        let mut v: Vec<&dyn Suggester> =
            self.matchers.iter().map(|m| m as &dyn Suggester).collect();
        if let Some(m) = &self.model {
            v.push(m);
        }
        v
    }

    /// An external command sees documents one at a time, in corpus order.
    pub fn in_order(&self) -> bool {
        self.model.is_some()
    }

    /// Ends the model command, if any; why it failed, if it did.
    pub fn finish(&self) -> Option<String> {
        let m = self.model.as_ref()?;
        m.finish();
        m.failure()
    }
}

/// Builds the sources of `plan` over `corpus`. `progress` gets (documents done, in all) while
/// learning.
pub fn build_sources(
    corpus: &Corpus,
    plan: &SourcePlan,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Result<Sources, SourceError> {
    let mut out = Sources {
        matchers: Vec::new(),
        model: None,
        notes: Vec::new(),
        problems: Vec::new(),
    };
    for opts in plan.learn.iter().filter(|o| !o.annotators.is_empty()) {
        let (lexicon, summary) = learn_from_corpus(corpus, opts, progress, cancel);
        let m = Matcher::new("learned", &lexicon, &plan.matcher);
        out.notes.push(format!(
            "learned from {}: {} spans in {} documents, {} texts ({} kept as suggestions)",
            opts.annotators.join(", "),
            summary.spans,
            summary.documents,
            lexicon.len(),
            m.len()
        ));
        for (why, n) in &summary.left_out {
            out.notes.push(format!("  not learned: {n} × {why}"));
        }
        out.problems.extend(summary.problems);
        out.matchers.push(m);
    }
    for path in &plan.gazetteers {
        let g = read_gazetteer(path, plan.search, &corpus.schema)
            .map_err(|e| SourceError(e.to_string()))?;
        let m = Matcher::new("gazetteer", &g.lexicon, &plan.matcher);
        out.notes.push(format!(
            "gazetteer {}: {} lines, {} texts ({} kept as suggestions), {} lines left out",
            path.display(),
            g.entries,
            g.lexicon.len(),
            m.len(),
            g.problems.len()
        ));
        out.problems.extend(g.problems);
        out.matchers.push(m);
    }
    if let Some((command, timeout)) = &plan.command {
        let known: BTreeSet<String> = corpus
            .schema
            .span_labels
            .iter()
            .map(|l| l.name.clone())
            .collect();
        let opts = ExternalOptions {
            timeout: *timeout,
            known_labels: known,
            labels: plan.matcher.labels.clone(),
        };
        let model = ExternalModel::start(command, opts).map_err(|e| SourceError(e.to_string()))?;
        out.model = Some(model);
    }
    Ok(out)
}
