//! Hashiya (حاشية): annotate corpora of Arabic news articles.
//!
//! Layers, arrows pointing down only: `cli` → `formats` → `model`. (`text` and `ui` come on top; see
//! DESIGN.md.)

pub mod cli;
pub mod formats;
pub mod model;
