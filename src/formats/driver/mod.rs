//! Import into and export out of a corpus folder: the format modules' conversions tied to
//! articles, sidecars and the schema, with the safety rules of docs/formats.md (an import never
//! replaces a person's sidecar unasked and never writes through a link out of the corpus; an
//! export never writes into the corpus; both write atomically).

mod background_sync;
mod export;
mod head_start;
mod import;
mod safety;
mod stream;

pub use export::{export_corpus, out_path};
pub use import::{backup_path, import_into_corpus, safe_article_name};
pub use safety::check_output;

/// What a conversion is doing, for progress reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Reading,
    Writing,
    Exporting,
}
