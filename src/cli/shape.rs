//! `hashiya shape FILE`: one line per paragraph, `DIR [gid=cluster+adv|…]` (hb-shape notation).

use std::path::Path;
use std::process::ExitCode;

use crate::model::Document;
use crate::text::fonts::bundled_font_system;
use crate::text::shape_dump::shape_paragraph;

pub fn run(file: &Path) -> ExitCode {
    let doc = match Document::load(file, None) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("hashiya: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut fs = bundled_font_system();
    let mut out = String::new();
    for p in doc.paragraphs().iter() {
        let shaped = shape_paragraph(&mut fs, doc.paragraph_text(p));
        out.push_str(shaped.direction.name());
        out.push(' ');
        out.push_str(&shaped.hb_notation());
        out.push('\n');
    }
    print!("{out}");
    ExitCode::SUCCESS
}
