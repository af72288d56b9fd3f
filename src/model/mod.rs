//! The annotation model: documents, annotations, schema, sidecars, corpus. Plain Rust: nothing here
//! knows about egui or cosmic-text. Offsets are chars (Unicode scalar values), end exclusive.

pub mod agreement;
pub mod anchor;
pub mod annotation;
pub mod assign;
pub mod atomic_write;
pub mod concordance;
pub mod corpus;
pub mod curation;
pub mod decode;
pub mod document;
pub mod edit;
pub mod histogram;
pub mod layers;
pub mod merge;
pub mod offsets;
pub mod paragraphs;
pub mod parallel;
pub mod recovery;
pub mod safe_read;
pub mod schema;
pub mod search;
pub mod segment;
pub mod session;
pub mod sidecar;
pub mod sidecar_queue;
pub mod stats;
pub mod suggest;
pub mod tokenize;
pub mod utf8;
pub mod validate;

pub use annotation::{
    Annotations, DocLabel, DocStatus, Relation, ReviewState, Source, Span, Target,
};
pub use corpus::{Corpus, CorpusEntry};
pub use decode::TextEncoding;
pub use document::Document;
pub use edit::{Edit, EditError, Editor};
pub use schema::Schema;
