//! Inter-annotator agreement. docs/agreement.md is the contract: every definition there is what
//! these functions compute, and the measures match the reference implementations
//! (scikit-learn, statsmodels, the `krippendorff` package, DKPro Agreement).
//!
//! - [`compare`]: the difference of two layers item by item (agreed, boundary_only, clitic_only,
//!   label_only, only_a, only_b), with the pairing rule of [`pairing`] and [`clitics`];
//! - the measures, each over counts that add up across documents: [`span_scores`] (exact and
//!   overlap F1), [`unitizing`] (α_u), [`cohen`], [`fleiss`], [`krippendorff`] (nominal, with
//!   missing values), [`confusion`];
//! - the units: [`counted`] (counted spans), [`tokens`], [`doc_labels`]; labels as numbers in
//!   [`label_ranks`];
//! - one document: [`analysis`]; the corpus: [`run`] (reading, threads) and [`tally`] (adding
//!   up) into a [`report::AgreementReport`].

pub mod analysis;
pub mod clitics;
pub mod cohen;
pub mod compare;
pub mod confusion;
pub mod counted;
pub mod doc_labels;
pub mod figure;
pub mod fleiss;
pub mod interner;
pub mod krippendorff;
pub mod label_ranks;
pub mod pairing;
pub mod report;
pub mod run;
pub mod span_scores;
pub mod tally;
pub mod tokens;
pub mod unitizing;

pub use counted::SpanFilter;
pub use figure::Figure;
pub use report::AgreementReport;
pub use run::{corpus_agreement, AgreementError, AgreementOptions};
