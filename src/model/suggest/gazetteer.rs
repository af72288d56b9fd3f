//! Gazetteers: a TSV file of `text<TAB>label` lines (`#` starts a comment line, blank lines are
//! skipped), matched like learned entries. A text listed under several labels suggests the one
//! listed most often, scored by its share.

use std::path::Path;

use crate::model::decode::decode;
use crate::model::safe_read::{read_capped, MAX_IMPORT_BYTES};
use crate::model::schema::Schema;
use crate::model::search::SearchOptions;

use super::Lexicon;

/// A gazetteer read from a file: its entries, and every line that could not be used.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    pub lexicon: Lexicon,
    /// Lines used.
    pub entries: usize,
    /// `file:line: why` for every line left out.
    pub problems: Vec<String>,
}

/// Why a gazetteer file could not be read at all.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct GazetteerError {
    pub path: String,
    pub message: String,
}

/// Reads a gazetteer file (UTF-8 with or without BOM, UTF-16 with BOM, or a legacy Arabic code
/// page, as articles are). Labels must be in `schema`.
pub fn read_gazetteer(
    path: &Path,
    options: SearchOptions,
    schema: &Schema,
) -> Result<Gazetteer, GazetteerError> {
    let fail = |message: String| GazetteerError {
        path: path.display().to_string(),
        message,
    };
    let bytes = read_capped(path, MAX_IMPORT_BYTES).map_err(|e| fail(e.to_string()))?;
    let (text, _) = decode(&bytes, None).map_err(|e| fail(e.to_string()))?;
    Ok(parse_gazetteer(
        &text,
        &path.display().to_string(),
        options,
        schema,
    ))
}

/// Parses gazetteer text; `file` names it in problems.
pub fn parse_gazetteer(
    text: &str,
    file: &str,
    options: SearchOptions,
    schema: &Schema,
) -> Gazetteer {
    let mut g = Gazetteer {
        lexicon: Lexicon::new(options),
        entries: 0,
        problems: Vec::new(),
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    for (k, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        match parse_line(line, schema) {
            Ok((entry, label)) => match g.lexicon.add(entry, label, 1) {
                Ok(()) => g.entries += 1,
                Err(e) => g
                    .problems
                    .push(format!("{file}:{}: `{entry}` {e}; left out", k + 1)),
            },
            Err(why) => g
                .problems
                .push(format!("{file}:{}: {why}; left out", k + 1)),
        }
    }
    g
}

fn parse_line<'a>(line: &'a str, schema: &Schema) -> Result<(&'a str, &'a str), String> {
    let mut cols = line.split('\t');
    let (Some(entry), Some(label)) = (cols.next(), cols.next()) else {
        return Err("no tab between the text and its label".into());
    };
    if cols.next().is_some() {
        return Err("more than two columns (text<TAB>label)".into());
    }
    let (entry, label) = (entry.trim(), label.trim());
    if entry.is_empty() {
        return Err("no text before the tab".into());
    }
    schema.span_label(label).map_err(|e| e.to_string())?;
    Ok((entry, label))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_comments_and_problems() {
        let text =
            "\u{FEFF}# places\r\nموسكو\tGPE\r\n\r\nالأمم المتحدة\tORG\nموسكو\tLOC\nموسكو\tGPE\n\
                    بلا تسمية\nنص\tNOPE\nثلاثة\tGPE\tزائد\n\tGPE\n";
        let g = parse_gazetteer(text, "g.tsv", SearchOptions::default(), &Schema::builtin());
        assert_eq!(g.entries, 4);
        assert_eq!(g.lexicon.counts("موسكو").map(|c| c["GPE"]), Some(2));
        assert_eq!(g.problems.len(), 4, "{:?}", g.problems);
        assert!(g.problems[0].starts_with("g.tsv:7: no tab"));
        assert!(g.problems[1].starts_with("g.tsv:8: ") && g.problems[1].contains("NOPE"));
        assert!(g.problems[2].contains("more than two columns"));
        assert!(g.problems[3].starts_with("g.tsv:10: no text"));
    }
}
