//! The tokenizer of the token formats (CoNLL, token JSONL). It is pure and lives in
//! [`crate::model::tokenize`], so that the agreement measures (which count tokens) can use it
//! without depending on `formats/`; this module re-exports it under its old name.

pub use crate::model::tokenize::*;
