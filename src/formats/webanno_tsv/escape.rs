//! WebAnno TSV 3.3's escaping, as INCEpTION's `Escaping` class does it: feature values escape
//! `\ [ ] | _ -> ; * TAB LF` with a backslash (`->` as one unit, TAB and LF as `\t`, `\n`);
//! `#Text=` lines escape the backslash, TAB, LF, FF, CR, BS (`\\`, `\t`, `\n`, `\f`, `\r`, `\b`)
//! and other control characters below U+0020 except U+000B (a backslash before the raw character).

/// Escapes a feature value.
pub fn escape_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len() + 4);
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '[' | ']' | '|' | '_' | ';' | '*' => {
                out.push('\\');
                out.push(c);
            }
            '-' if chars.peek() == Some(&'>') => {
                chars.next();
                out.push_str("\\->");
            }
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out
}

/// Undoes [`escape_value`]. A backslash before anything else stays as it is.
pub fn unescape_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some(n @ ('\\' | '[' | ']' | '|' | '_' | ';' | '*')) => {
                chars.next();
                out.push(n);
            }
            Some('t') => {
                chars.next();
                out.push('\t');
            }
            Some('n') => {
                chars.next();
                out.push('\n');
            }
            Some('-') => {
                let mut look = chars.clone();
                look.next();
                if look.peek() == Some(&'>') {
                    chars.next();
                    chars.next();
                    out.push_str("->");
                } else {
                    out.push('\\');
                }
            }
            _ => out.push('\\'),
        }
    }
    out
}

fn escaped_control(c: char) -> bool {
    (c as u32) < 32 && !(8..14).contains(&(c as u32))
}

/// Escapes one line of sentence text for `#Text=`.
pub fn escape_text(t: &str) -> String {
    let mut out = String::with_capacity(t.len() + 4);
    for c in t.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\\' => out.push_str("\\\\"),
            c if escaped_control(c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Undoes [`escape_text`].
pub fn unescape_text(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let n = chars.peek().copied();
        let replaced = match n {
            Some('t') => Some('\t'),
            Some('n') => Some('\n'),
            Some('f') => Some('\u{c}'),
            Some('r') => Some('\r'),
            Some('b') => Some('\u{8}'),
            Some('\\') => Some('\\'),
            Some(x) if escaped_control(x) => Some(x),
            _ => None,
        };
        match replaced {
            Some(r) => {
                chars.next();
                out.push(r);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Is the char before byte `i` of `s` an escaping backslash (an odd run of backslashes)?
fn escaped_at(s: &str, i: usize) -> bool {
    s[..i].bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1
}

/// Splits at every `sep` that is not escaped.
pub fn split_unescaped(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if c == sep && !escaped_at(s, i) {
            out.push(&s[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&s[start..]);
    out
}

/// Splits `value[INFO]` into (`value`, `INFO`) when the final `]` is not escaped.
pub fn split_suffix(s: &str) -> (&str, Option<&str>) {
    if s.ends_with(']') && !escaped_at(s, s.len() - 1) {
        if let Some(open) = s.rfind('[') {
            if !escaped_at(s, open) {
                return (&s[..open], Some(&s[open + 1..s.len() - 1]));
            }
        }
    }
    (s, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_and_match_inceptions_escaping() {
        // INCEpTION's own test value (testTokenBoundedSpanWithSpecialSymbolsValue).
        let raw = "#*'\"`´\t:;{}|[ ]()\\§$%?=&_\n";
        let escaped = "#\\*'\"`´\\t:\\;{}\\|\\[ \\]()\\\\§$%?=&\\_\\n";
        assert_eq!(escape_value(raw), escaped);
        assert_eq!(unescape_value(escaped), raw);
        assert_eq!(escape_value("a->b"), "a\\->b");
        assert_eq!(unescape_value("a\\->b"), "a->b");
        assert_eq!(unescape_value("\\x"), "\\x");
    }

    #[test]
    fn text_lines_round_trip() {
        let raw = "This is\ta test \\ \u{1}\r";
        assert_eq!(escape_text(raw), "This is\\ta test \\\\ \\\u{1}\\r");
        assert_eq!(unescape_text(&escape_text(raw)), raw);
    }

    #[test]
    fn stacks_split_only_at_unescaped_bars() {
        assert_eq!(
            split_unescaped("A[1]|B\\|C|D", '|'),
            vec!["A[1]", "B\\|C", "D"]
        );
        assert_eq!(split_unescaped("a\\\\|b", '|'), vec!["a\\\\", "b"]);
        assert_eq!(split_suffix("PER[12]"), ("PER", Some("12")));
        assert_eq!(split_suffix("x\\]"), ("x\\]", None));
        assert_eq!(split_suffix("1-1[0_2]"), ("1-1", Some("0_2")));
    }
}
