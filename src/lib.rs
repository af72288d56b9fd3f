//! Hashiya (حاشية): annotate corpora of Arabic news articles.
//!
//! Layers, arrows pointing down only: `cli` → `ui` → `text` → `formats` → `model` (see
//! DESIGN.md).

pub mod cli;
pub mod formats;
pub mod model;
pub mod text;
pub mod ui;
