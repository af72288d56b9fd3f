//! Hashiya (حاشية): annotate corpora of Arabic news articles.
//!
//! Layers, arrows pointing down only: `cli` → `model`. (`text` and `ui` come on top; see
//! DESIGN.md.)

pub mod cli;
pub mod model;
