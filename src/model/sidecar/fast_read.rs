//! A quick reader for sidecars shaped as this program writes them, tried before serde_json.
//!
//! Reading a corpus is mostly parsing its sidecars, and most of a sidecar is its spans. This
//! reader takes the top level and the spans itself (strings found with `memchr`, keys compared as
//! bytes, no intermediate values) and hands every other part (the `text` header, relations,
//! document labels, events, groups, and any span with a field beyond the usual ones) to
//! serde_json, on that part's own bytes. It gives up (`None`) on anything it does not expect:
//! a syntax error, an unknown, duplicate or missing field, a number that is not a plain
//! unsigned integer. The caller then parses the whole file with serde_json, which gives the same
//! result, or the error message, as it always did: this reader only ever answers what serde_json
//! would (`tests::agrees_with_serde_json_*` check it), just sooner.

use std::borrow::Cow;

use super::{SidecarFile, SpanWire};
use crate::model::annotation::{DocStatus, ReviewState, Source};

/// The sidecar in `json`, or `None` when serde_json must read it.
pub(super) fn read(json: &str) -> Option<SidecarFile<'_>> {
    let mut c = Cursor { s: json, pos: 0 };
    let file = top_level(&mut c)?;
    c.skip_ws();
    (c.pos == json.len()).then_some(file)
}

/// One in every byte of a word, and the high bit of every byte (to look at eight bytes at once).
const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Where reading is in the text.
struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.s.as_bytes()
    }

    fn skip_ws(&mut self) {
        let b = self.bytes();
        // The usual cases first: no white space, or the one space after a colon.
        let not_ws = |at: usize| b.get(at).is_some_and(|&x| x > b' ');
        if not_ws(self.pos) {
            return;
        }
        if b.get(self.pos) == Some(&b' ') && not_ws(self.pos + 1) {
            self.pos += 1;
            return;
        }
        loop {
            // Spaces eight at a time: the indentation of a pretty-printed file.
            while let Some(Ok(chunk)) = b.get(self.pos..self.pos + 8).map(<[u8; 8]>::try_from) {
                let not_space = u64::from_le_bytes(chunk) ^ (ONES * u64::from(b' '));
                if not_space != 0 {
                    self.pos += (not_space.trailing_zeros() / 8) as usize;
                    break;
                }
                self.pos += 8;
            }
            match b.get(self.pos) {
                Some(b' ' | b'\n' | b'\r' | b'\t') => self.pos += 1,
                _ => return,
            }
        }
    }

    /// The next byte after white space (not consumed).
    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.bytes().get(self.pos).copied()
    }

    /// Consumes `byte` after white space.
    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.pos += 1)
    }

    /// After a member or element: `true` if a `,` follows, `false` at `close`.
    fn more(&mut self, close: u8) -> Option<bool> {
        match self.peek()? {
            b',' => {
                self.pos += 1;
                Some(true)
            }
            x if x == close => {
                self.pos += 1;
                Some(false)
            }
            _ => None,
        }
    }

    /// The end of the string whose opening quote is at `self.pos` (just past its closing quote),
    /// and whether it holds an escape.
    fn string_end(&self) -> Option<(usize, bool)> {
        let b = self.bytes();
        let mut i = self.pos + 1;
        let mut escaped = false;
        loop {
            let k = memchr::memchr2(b'"', b'\\', b.get(i..)?)?;
            i += k;
            if b.get(i) == Some(&b'"') {
                return Some((i + 1, escaped));
            }
            // A backslash: the next byte is escaped (`\"` does not end the string).
            escaped = true;
            i += 2;
        }
    }

    /// A string value.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        if self.peek()? != b'"' {
            return None;
        }
        let inner_start = self.pos + 1;
        let stop = first_special(self.bytes(), inner_start);
        match self.bytes().get(stop)? {
            b'"' => {
                self.pos = stop + 1;
                self.s.get(inner_start..stop).map(Cow::Borrowed)
            }
            b'\\' => {
                // Escapes are rare: serde_json decodes them, exactly as it would have.
                let (end, _) = self.string_end()?;
                let quoted = self.s.get(self.pos..end)?;
                self.pos = end;
                serde_json::from_str::<String>(quoted).ok().map(Cow::Owned)
            }
            // A raw control character, which JSON does not allow in a string.
            _ => None,
        }
    }

    /// An object key and its colon; a key with an escape is left to serde_json.
    fn key(&mut self) -> Option<&'a str> {
        match self.string()? {
            Cow::Borrowed(k) => {
                self.eat(b':')?;
                Some(k)
            }
            Cow::Owned(_) => None,
        }
    }

    /// Consumes the key `name` and its colon if the next member's key is written exactly
    /// `"name"` (`Some(false)`, and nothing consumed, if it is not).
    fn eat_key(&mut self, name: &str) -> Option<bool> {
        self.skip_ws();
        let b = self.bytes();
        let at = self.pos;
        let name = name.as_bytes();
        let end = at + name.len() + 1;
        let quoted = b.get(at) == Some(&b'"')
            && b.get(at + 1..end).is_some_and(|k| same_short(k, name))
            && b.get(end) == Some(&b'"');
        if !quoted {
            return Some(false);
        }
        self.pos = end + 1;
        self.eat(b':')?;
        Some(true)
    }

    /// A plain unsigned integer (no sign, fraction, exponent or leading zero).
    fn uint(&mut self) -> Option<u64> {
        self.skip_ws();
        let b = self.bytes();
        let start = self.pos;
        let mut value: u64 = 0;
        while let Some(&d) = b.get(self.pos).filter(|d| d.is_ascii_digit()) {
            value = value.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
            self.pos += 1;
        }
        let digits = self.pos - start;
        let leading_zero = digits > 1 && b.get(start) == Some(&b'0');
        let float_follows = matches!(b.get(self.pos), Some(b'.' | b'e' | b'E'));
        (digits > 0 && !leading_zero && !float_follows).then_some(value)
    }

    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.uint()?).ok()
    }

    /// Skips one value of any kind and gives its text (checked by whoever parses it).
    fn value_text(&mut self) -> Option<&'a str> {
        self.skip_ws();
        let start = self.pos;
        let b = self.bytes();
        let mut depth = 0usize;
        loop {
            match *b.get(self.pos)? {
                b'"' => self.pos = self.string_end()?.0,
                b'{' | b'[' => {
                    depth += 1;
                    self.pos += 1;
                }
                b'}' | b']' if depth > 0 => {
                    depth -= 1;
                    self.pos += 1;
                }
                b',' | b'}' | b']' if depth == 0 => break,
                _ => self.pos += 1,
            }
            if depth == 0 && matches!(b.get(start), Some(b'"' | b'{' | b'[')) {
                break;
            }
        }
        self.s.get(start..self.pos)
    }

    /// One value of type `T`, parsed by serde_json from its own text.
    fn by_serde<T: serde::Deserialize<'a>>(&mut self) -> Option<T> {
        let text = self.value_text()?;
        serde_json::from_str(text).ok()
    }

    /// A list parsed by serde_json, with the empty list (the usual case) taken at once.
    fn list_by_serde<T: serde::Deserialize<'a>>(&mut self) -> Option<Vec<T>> {
        let text = self.value_text()?;
        if text == "[]" {
            return Some(Vec::new());
        }
        serde_json::from_str(text).ok()
    }
}

/// The first byte at or after `from` that ends a plain run of string text: a quote, a backslash
/// or a control character (`b.len()` if none). Eight bytes at a time: strings here are short and
/// many, so a call into `memchr` per string costs more than it saves.
fn first_special(b: &[u8], from: usize) -> usize {
    // A high bit in each byte of `x` that is zero; the lowest one set is always exact.
    let zero_bytes = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut i = from;
    while let Some(Ok(chunk)) = b.get(i..i + 8).map(<[u8; 8]>::try_from) {
        let w = u64::from_le_bytes(chunk);
        let quote = zero_bytes(w ^ (ONES * u64::from(b'"')));
        let backslash = zero_bytes(w ^ (ONES * u64::from(b'\\')));
        let control = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
        let found = quote | backslash | control;
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&x) = b.get(i) {
        if x == b'"' || x == b'\\' || x < 0x20 {
            return i;
        }
        i += 1;
    }
    i
}

/// Are `a` and `b` the same bytes? For keys and names of a few bytes, compared for every span:
/// a loop here costs less than a call to `memcmp` (which `==` on slices makes).
fn same_short(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// Fields seen so far in an object, one bit each: a field twice is an error for serde.
#[derive(Default)]
struct Seen(u32);

impl Seen {
    /// Marks field `bit`; `None` if it was already seen.
    fn first(&mut self, bit: u32) -> Option<()> {
        let mask = 1 << bit;
        (self.0 & mask == 0).then(|| self.0 |= mask)
    }
}

fn top_level<'a>(c: &mut Cursor<'a>) -> Option<SidecarFile<'a>> {
    c.eat(b'{')?;
    let mut seen = Seen::default();
    let (mut format, mut version, mut annotator, mut text, mut status, mut spans) =
        (None, None, None, None, None, None);
    let mut file_rest = Rest::default();
    if c.peek()? != b'}' {
        loop {
            match c.key()? {
                "format" => {
                    seen.first(0)?;
                    format = Some(c.string()?.into_owned());
                }
                "version" => {
                    seen.first(1)?;
                    version = Some(u32::try_from(c.uint()?).ok()?);
                }
                "annotator" => {
                    seen.first(2)?;
                    annotator = Some(c.string()?.into_owned());
                }
                "text" => {
                    seen.first(3)?;
                    text = Some(c.by_serde()?);
                }
                "status" => {
                    seen.first(4)?;
                    status = Some(variant::<DocStatus>(&c.string()?)?);
                }
                "spans" => {
                    seen.first(5)?;
                    spans = Some(span_list(c)?);
                }
                "relations" => {
                    seen.first(6)?;
                    file_rest.relations = c.list_by_serde()?;
                }
                "document_labels" => {
                    seen.first(7)?;
                    file_rest.document_labels = c.list_by_serde()?;
                }
                "events" => {
                    seen.first(8)?;
                    file_rest.events = c.list_by_serde()?;
                }
                "groups" => {
                    seen.first(9)?;
                    file_rest.groups = c.list_by_serde()?;
                }
                "unanchored" => {
                    seen.first(10)?;
                    file_rest.unanchored = span_list(c)?;
                }
                _ => return None,
            }
            if !c.more(b'}')? {
                break;
            }
        }
    } else {
        c.pos += 1;
    }
    Some(SidecarFile {
        format: format?,
        version: version?,
        annotator: annotator?,
        text: text?,
        status: status?,
        spans: spans?,
        relations: file_rest.relations,
        document_labels: file_rest.document_labels,
        events: file_rest.events,
        groups: file_rest.groups,
        unanchored: file_rest.unanchored,
    })
}

/// The parts of a file that may be left out.
#[derive(Default)]
struct Rest<'a> {
    relations: Vec<super::RelationWire>,
    document_labels: Vec<super::DocLabelWire>,
    events: Vec<super::EventWire>,
    groups: Vec<super::GroupWire>,
    unanchored: Vec<SpanWire<'a>>,
}

fn span_list<'a>(c: &mut Cursor<'a>) -> Option<Vec<SpanWire<'a>>> {
    c.eat(b'[')?;
    let mut spans = Vec::with_capacity(64);
    if c.peek()? == b']' {
        c.pos += 1;
        return Some(spans);
    }
    let mut names = Names::default();
    loop {
        spans.push(span(c, &mut names)?);
        if !c.more(b']')? {
            return Some(spans);
        }
    }
}

/// One span: the usual fields here, a span with any other field by serde_json.
fn span<'a>(c: &mut Cursor<'a>, names: &mut Names<'a>) -> Option<SpanWire<'a>> {
    c.skip_ws();
    let start = c.pos;
    if let Some(span) = usual_span(c, names) {
        return Some(span);
    }
    c.pos = start;
    c.by_serde()
}

/// The fields of a usual span, in the order this program writes them.
const SPAN_FIELDS: [&str; 9] = [
    "id", "start", "end", "label", "text", "prefix", "suffix", "source", "review",
];

/// The source and review state last read in a list of spans, by their names in the file: most
/// spans of a file share them, and a name equal to the last one needs no look-up.
#[derive(Default)]
struct Names<'a> {
    source: Option<(Cow<'a, str>, Source)>,
    review: Option<(Cow<'a, str>, ReviewState)>,
}

/// The variant named `name`, from `last` when it has that name (else looked up, and kept there).
fn remembered<'a, T: serde::de::DeserializeOwned + Copy>(
    last: &mut Option<(Cow<'a, str>, T)>,
    name: Cow<'a, str>,
) -> Option<T> {
    if let Some((_, value)) = last
        .as_ref()
        .filter(|(n, _)| same_short(n.as_bytes(), name.as_bytes()))
    {
        return Some(*value);
    }
    let value = variant(&name)?;
    *last = Some((name, value));
    Some(value)
}

/// The field of the span member at the cursor, with its colon consumed: `guess` (the field
/// written next in a file of ours) is tried first with one comparison of the key's bytes.
fn span_field(c: &mut Cursor<'_>, guess: usize) -> Option<usize> {
    if let Some(name) = SPAN_FIELDS.get(guess) {
        if c.eat_key(name)? {
            return Some(guess);
        }
    }
    let key = c.key()?;
    SPAN_FIELDS.iter().position(|f| *f == key)
}

fn usual_span<'a>(c: &mut Cursor<'a>, names: &mut Names<'a>) -> Option<SpanWire<'a>> {
    c.eat(b'{')?;
    let mut seen = Seen::default();
    let (mut id, mut start, mut end, mut label, mut text) = (None, None, None, None, None);
    let (mut prefix, mut suffix) = (Cow::Borrowed(""), Cow::Borrowed(""));
    let (mut source, mut review) = (Source::default(), ReviewState::default());
    let mut field = 0;
    loop {
        field = span_field(c, field)?;
        seen.first(field as u32)?;
        match field {
            0 => id = Some(c.string()?),
            1 => start = Some(c.usize()?),
            2 => end = Some(c.usize()?),
            3 => label = Some(c.string()?),
            4 => text = Some(c.string()?),
            5 => prefix = c.string()?,
            6 => suffix = c.string()?,
            7 => source = remembered(&mut names.source, c.string()?)?,
            _ => review = remembered(&mut names.review, c.string()?)?,
        }
        field += 1;
        if !c.more(b'}')? {
            break;
        }
    }
    Some(SpanWire {
        id: id?,
        start: start?,
        end: end?,
        label: label?,
        text: text?,
        prefix,
        suffix,
        fragments: Vec::new(),
        attributes: Default::default(),
        note: None,
        source,
        review,
        score: None,
        annotators: Vec::new(),
    })
}

/// A unit variant by its name in the file, as its derived `Deserialize` names it (so that the
/// names are written in one place).
fn variant<T: serde::de::DeserializeOwned>(name: &str) -> Option<T> {
    use serde::de::IntoDeserializer;
    let name: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
        name.into_deserializer();
    T::deserialize(name).ok()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::super::{encode, SidecarFile};
    use super::read;
    use crate::model::anchor::StoredSpan;
    use crate::model::annotation::{
        Annotations, DocLabel, DocStatus, Event, EventArgument, Group, Relation, ReviewState,
        Source, Span, Target,
    };
    use crate::model::Document;

    const TEXT: &str = "قال \"الرئيس\" عمرو موسى\tفي القاهرة\nإن 👍🏽 وفد واشنطن\\سيشارك.";

    fn serde_read(json: &str) -> Option<SidecarFile<'_>> {
        serde_json::from_str(json).ok()
    }

    /// A sidecar with every kind of part, escapes and unusual span fields included.
    fn rich_sidecar() -> String {
        let doc = Document::from_text("news.txt", TEXT);
        let mut quoted = Span::new("s1", 4..12, "PER", "\"الرئيس\"");
        quoted.attributes = BTreeMap::from([("role".into(), "head \"of\" state".into())]);
        quoted.note = Some("line\nbreak".into());
        let mut model = Span::new("s2", 13..21, "PER", "عمرو موسى");
        model.source = Source::Model;
        model.review = ReviewState::Suggested;
        model.score = Some(0.875);
        model.annotators = vec!["layla".into(), "omar".into()];
        let mut split = Span::new("s3", 25..32, "GPE", "القاهرة");
        split.fragments = vec![25..28, 29..32];
        let rejected = Span {
            review: ReviewState::Rejected,
            source: Source::Imported,
            ..Span::new("s4", 33..35, "MISC", "إن")
        };
        let lost = StoredSpan {
            span: Span::new("s9", 0..3, "ORG", "gone"),
            prefix: "\t".into(),
            suffix: "\\".into(),
        };
        let relation = Relation {
            id: "r1".into(),
            kind: "said".into(),
            from: "s2".into(),
            to: "s3".into(),
            attributes: BTreeMap::new(),
            note: None,
            review: ReviewState::Accepted,
            annotators: Vec::new(),
        };
        let label = DocLabel {
            id: "d1".into(),
            name: "stance".into(),
            value: "pro".into(),
            target: Some(Target::Span("s2".into())),
            evidence: vec!["s1".into()],
            review: ReviewState::Accepted,
            annotators: Vec::new(),
        };
        let event = Event {
            id: "e1".into(),
            kind: "Meet".into(),
            trigger: "s4".into(),
            arguments: vec![EventArgument {
                role: "Place".into(),
                target: "s3".into(),
            }],
            ..Default::default()
        };
        let group = Group {
            id: "g1".into(),
            kind: "Equiv".into(),
            members: vec!["s2".into(), "s1".into()],
        };
        let set = Annotations::from_parts(
            DocStatus::Reviewed,
            vec![quoted, model, split, rejected],
            vec![relation],
            vec![label],
            vec![lost],
        )
        .with_events(vec![event], vec![group]);
        encode(&doc, "layla", &set).unwrap_or_default()
    }

    /// A sidecar of plain spans only, as most are.
    fn plain_sidecar() -> String {
        let doc = Document::from_text("news.txt", TEXT);
        let spans = vec![
            Span::new("s1", 13..21, "PER", "عمرو موسى"),
            Span::new("s2", 25..32, "GPE", "القاهرة"),
        ];
        let set = Annotations::from_parts(DocStatus::InProgress, spans, vec![], vec![], vec![]);
        encode(&doc, "omar", &set).unwrap_or_default()
    }

    #[test]
    fn agrees_with_serde_json_on_what_this_program_writes() {
        for json in [rich_sidecar(), plain_sidecar()] {
            assert!(json.contains("\"spans\""), "{json}");
            let fast = read(&json).map(|f| format!("{f:?}"));
            let reference = serde_read(&json).map(|f| format!("{f:?}"));
            assert!(fast.is_some(), "the quick reader gave up on {json}");
            assert_eq!(fast, reference);
        }
    }

    #[test]
    fn agrees_with_serde_json_on_compact_and_odd_layouts() {
        let plain = plain_sidecar();
        let value: serde_json::Value = serde_json::from_str(&plain).unwrap_or_default();
        let compact = value.to_string();
        let crlf = plain.replace('\n', "\r\n\t");
        // Span members in another order than ours (the guessed next key is then wrong), and
        // white space before the colons.
        let mut reordered = value.clone();
        if let Some(spans) = reordered.get_mut("spans").and_then(|s| s.as_array_mut()) {
            for span in spans.iter_mut() {
                if let Some(members) = span.as_object() {
                    let mut reversed: Vec<_> = members.clone().into_iter().collect();
                    reversed.reverse();
                    *span = serde_json::Value::Object(reversed.into_iter().collect());
                }
            }
        }
        let reordered = serde_json::to_string_pretty(&reordered).unwrap_or_default();
        assert!(!reordered.contains("\"id\": \"s1\",\n      \"start\""));
        let spaced = plain.replace("\": ", "\" :  ");
        for json in [compact, crlf, reordered, spaced] {
            assert_eq!(
                read(&json).map(|f| format!("{f:?}")),
                serde_read(&json).map(|f| format!("{f:?}"))
            );
            assert!(read(&json).is_some());
        }
    }

    #[test]
    fn gives_up_on_what_serde_json_refuses_or_on_escaped_keys() {
        let plain = plain_sidecar();
        let broken = [
            plain.replacen("\"start\": 13", "\"start\": 013", 1),
            plain.replacen("\"start\": 13", "\"start\": 13.0", 1),
            plain.replacen("\"start\": 13", "\"start\": -13", 1),
            plain.replacen("\"start\": 13", "\"start\": 99999999999999999999999", 1),
            plain.replacen("\"id\": \"s1\",", "\"id\": \"s1\", \"id\": \"s1\",", 1),
            plain.replacen("\"id\": \"s1\",", "\"colour\": \"red\",", 1),
            plain.replacen("\"id\": \"s1\",", "", 1),
            plain.replacen("\"review\": \"accepted\"", "\"review\": \"maybe\"", 1),
            plain.replacen("عمرو", "عم\u{1}رو", 1),
            plain.replacen("\"version\": 1", "\"version\": 4294967296", 1),
            plain.replacen("\"status\"", "\"stat\\u0075s\"", 1),
            format!("{plain} x"),
            plain.replacen('}', "},", 1),
            plain.get(..plain.len() / 2).unwrap_or("").to_owned(),
        ];
        for json in &broken {
            let reference = serde_read(json).map(|f| format!("{f:?}"));
            match read(json) {
                // An escaped key is fine JSON, left to serde_json.
                None => assert_eq!(reference.is_some(), json.contains("\\u0075"), "{json}"),
                Some(fast) => panic!("answered {fast:?} for {json}"),
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Whatever is done to a sidecar's bytes, the quick reader answers as serde_json does,
        /// or leaves the answer to it.
        #[test]
        fn never_answers_otherwise_than_serde_json(
            rich in any::<bool>(),
            at in any::<prop::sample::Index>(),
            cut in 0usize..4,
            insert in prop::sample::select(vec![
                "", "\"", "\\", ",", "}", "]", "{", "[", " ", "0", "-", ".", "e", "\\u0041",
                "\u{1}", "\"x\": 1,", "null", "true", "ي",
            ]),
        ) {
            let json = if rich { rich_sidecar() } else { plain_sidecar() };
            let mut at = at.index(json.len());
            while !json.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + cut).min(json.len());
            while !json.is_char_boundary(end) {
                end += 1;
            }
            let mutated = format!("{}{insert}{}", &json[..at], &json[end..]);
            if let Some(fast) = read(&mutated) {
                let reference = serde_read(&mutated).map(|f| format!("{f:?}"));
                prop_assert_eq!(Some(format!("{fast:?}")), reference, "{}", mutated);
            }
        }
    }
}
