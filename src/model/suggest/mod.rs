//! Suggestions: spans proposed to an annotator (`source: model`, `review: suggested`, a score),
//! written into that annotator's layer without ever undoing one of their decisions.
//!
//! Where suggestions come from, each in its own file:
//! - [`matcher`]: a [`Lexicon`] of covered text → label counts, matched Arabic-aware (diacritics and
//!   tatweel ignored, proclitics left outside the span, never inside a longer word, longest match
//!   wins); [`learn`] fills it from the counted spans of chosen annotators, [`gazetteer`] from a TSV
//!   file;
//! - [`external`]: any program speaking JSON lines on stdin/stdout (docs/suggestions.md).
//!
//! [`place`] turns candidates into spans of a layer (the rules that protect a person's work);
//! [`corpus`] runs sources over a whole corpus on every core, with progress and cancel;
//! [`evaluate`] measures precision and recall on a gold corpus.
//!
//! The app calls the same functions: [`place::suggestion_edit`] for one document (one undo step),
//! [`corpus::suggest_corpus`] on a background thread for the corpus, and
//! [`matcher::Matcher::for_span`] for "the other occurrences of the span I just tagged".

pub mod corpus;
pub mod evaluate;
pub mod external;
pub mod gazetteer;
pub mod learn;
pub mod matcher;
pub mod place;
pub mod sources;

use std::ops::Range;

use super::document::Document;

pub use matcher::{Lexicon, Matcher};
pub use place::{place_suggestions, suggestion_edit, Placement, SkipReason};

/// One proposed span, in chars of the document (end exclusive).
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub range: Range<usize>,
    pub label: String,
    /// Confidence in 0..=1 (for the matcher: the label's share of the counts of this text);
    /// `None` when an external model gave none.
    pub score: Option<f64>,
}

/// What a source says about one document: its suggestions, and the problems it had (one line
/// each, e.g. a bad span of an external model). Problems are reported, never written.
#[derive(Debug, Clone, Default)]
pub struct SourceReply {
    pub suggestions: Vec<Suggestion>,
    pub problems: Vec<String>,
    /// Spans left out, by reason (e.g. "label not asked for").
    pub skipped: Vec<&'static str>,
}

/// A source of suggestions for one document at a time. `relative` is the article's path relative
/// to the corpus root (`/` separators), which an external model receives as `id`.
pub trait Suggester: Send + Sync {
    /// A short name for summaries ("learned", "gazetteer", "command").
    fn name(&self) -> &str;
    fn suggest(&self, relative: &str, doc: &Document) -> SourceReply;
}
