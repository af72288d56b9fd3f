//! What an import or export did: counts, and every problem with the file and line it came from.

use std::collections::BTreeMap;
use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something was changed to fit (e.g. a token split at a span edge); nothing lost.
    Note,
    /// Something could not be converted and was left out (counted in `skipped`).
    Skipped,
    /// Malformed input: a line or record that could not be read at all.
    Error,
}

/// One problem, naming where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub severity: Severity,
    /// The file (or document) concerned.
    pub file: String,
    /// 1-based line number, when there is one.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Note => "note",
            Severity::Skipped => "skipped",
            Severity::Error => "error",
        };
        match self.line {
            Some(l) => write!(f, "{}:{}: {kind}: {}", self.file, l, self.message),
            None => write!(f, "{}: {kind}: {}", self.file, self.message),
        }
    }
}

/// The summary of one conversion run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub documents: usize,
    pub spans: usize,
    pub relations: usize,
    pub doc_labels: usize,
    pub events: usize,
    /// Equivalence groups.
    pub groups: usize,
    /// Tokens read or written (token formats).
    pub tokens: usize,
    /// Tokens split because a span edge fell inside them.
    pub tokens_split: usize,
    /// Things left out, by reason.
    pub skipped: BTreeMap<String, usize>,
    /// Things changed to fit but kept (e.g. an IOB1 `I-` after `O` read as `B-`), by what was done.
    pub repaired: BTreeMap<String, usize>,
    /// Names from the other tool given another name here (original -> new), e.g. a label with a
    /// space (see docs/formats.md, "Names from other tools").
    pub renamed: BTreeMap<String, String>,
    pub issues: Vec<Issue>,
}

/// At most this many issues are kept one by one; the rest are only counted.
pub const MAX_ISSUES: usize = 10_000;

impl Report {
    pub fn new() -> Self {
        Self::default()
    }

    fn push(&mut self, severity: Severity, file: &str, line: Option<usize>, message: String) {
        if self.issues.len() < MAX_ISSUES {
            self.issues.push(Issue {
                severity,
                file: file.to_owned(),
                line,
                message,
            });
        }
    }

    /// Malformed input at a place.
    pub fn error(&mut self, file: &str, line: Option<usize>, message: impl Into<String>) {
        let message = message.into();
        *self.skipped.entry("malformed input".into()).or_default() += 1;
        self.push(Severity::Error, file, line, message);
    }

    /// Something left out, counted under `reason`.
    pub fn skip(
        &mut self,
        reason: &str,
        file: &str,
        line: Option<usize>,
        message: impl Into<String>,
    ) {
        *self.skipped.entry(reason.to_owned()).or_default() += 1;
        self.push(Severity::Skipped, file, line, message.into());
    }

    pub fn note(&mut self, file: &str, line: Option<usize>, message: impl Into<String>) {
        self.push(Severity::Note, file, line, message.into());
    }

    /// Something changed to fit and kept, counted under `what` (shown in the summary); the
    /// details are a note.
    pub fn repair(
        &mut self,
        what: &str,
        file: &str,
        line: Option<usize>,
        message: impl Into<String>,
    ) {
        *self.repaired.entry(what.to_owned()).or_default() += 1;
        self.push(Severity::Note, file, line, message.into());
    }

    /// Adds `n` to the count of `what` without an issue of its own (for many of one kind).
    pub fn repaired_n(&mut self, what: &str, n: usize) {
        if n > 0 {
            *self.repaired.entry(what.to_owned()).or_default() += n;
        }
    }

    /// Counts `n` things left out under `reason` with one issue for all of them.
    pub fn skip_n(
        &mut self,
        reason: &str,
        n: usize,
        file: &str,
        line: Option<usize>,
        message: impl Into<String>,
    ) {
        if n == 0 {
            return;
        }
        *self.skipped.entry(reason.to_owned()).or_default() += n;
        self.push(Severity::Skipped, file, line, message.into());
    }

    /// Did anything fail to convert (malformed input or something left out)?
    pub fn has_failures(&self) -> bool {
        !self.skipped.is_empty()
    }

    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.severity == Severity::Error)
    }

    /// Adds another report's counts and issues to this one.
    pub fn merge(&mut self, other: Report) {
        self.documents += other.documents;
        self.spans += other.spans;
        self.relations += other.relations;
        self.doc_labels += other.doc_labels;
        self.events += other.events;
        self.groups += other.groups;
        self.tokens += other.tokens;
        self.tokens_split += other.tokens_split;
        for (k, v) in other.skipped {
            *self.skipped.entry(k).or_default() += v;
        }
        for (k, v) in other.repaired {
            *self.repaired.entry(k).or_default() += v;
        }
        self.renamed.extend(other.renamed);
        for i in other.issues {
            if self.issues.len() < MAX_ISSUES {
                self.issues.push(i);
            }
        }
    }

    /// The closing summary, several lines.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "documents: {}, spans: {}, relations: {}, document labels: {}",
            self.documents, self.spans, self.relations, self.doc_labels
        );
        if self.events > 0 {
            s.push_str(&format!(", events: {}", self.events));
        }
        if self.groups > 0 {
            s.push_str(&format!(", equivalence groups: {}", self.groups));
        }
        if self.tokens > 0 {
            s.push_str(&format!(", tokens: {}", self.tokens));
        }
        if self.tokens_split > 0 {
            s.push_str(&format!(
                "\ntokens split at a span edge inside them: {}",
                self.tokens_split
            ));
        }
        for (what, n) in &self.repaired {
            s.push_str(&format!("\nrepaired: {n} × {what}"));
        }
        if !self.renamed.is_empty() {
            let shown: Vec<String> = self
                .renamed
                .iter()
                .take(20)
                .map(|(from, to)| format!("`{from}` → `{to}`"))
                .collect();
            let more = self.renamed.len().saturating_sub(shown.len());
            s.push_str(&format!(
                "\nrenamed to fit the schema's rules: {}{}",
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ));
        }
        for (reason, n) in &self.skipped {
            s.push_str(&format!("\nnot converted: {n} × {reason}"));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issues_name_file_and_line() {
        let mut r = Report::new();
        r.error("a.ann", Some(3), "bad offsets");
        assert_eq!(r.issues[0].to_string(), "a.ann:3: error: bad offsets");
        assert!(r.has_failures());
        assert!(r.summary().contains("1 × malformed input"));
    }
}
