//! Layout tests on the bundled fonts: hit-testing (point → char) and highlight rectangles
//! (range → rectangles) in right-to-left, left-to-right, mixed, wrapped, lam-alef, diacritics and
//! emoji text. Expectations are written as marked-up text: `|` is a caret (a char offset) and
//! `#[…|]#` a selected range, as helix writes selections.

use std::ops::Range;

use hashiya::model::segment::grapheme_boundaries;
use hashiya::text::direction::{paragraph_direction, Direction};
use hashiya::text::fonts::{bundled_font_system, EMOJI_FAMILY};
use hashiya::text::{ChunkLayout, GlyphAtlas, LayoutParams};

const WIDE: LayoutParams = LayoutParams {
    font_size: 20.0,
    line_height: 36.0,
    width: 2000.0,
};

/// Text without markers, and the marked range (`#[` … `]#`; a lone `|` is an empty range).
fn parse(marked: &str) -> (String, Range<usize>) {
    let mut text = String::new();
    let (mut start, mut end, mut caret) = (None, None, None);
    let mut rest = marked;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("#[") {
            start = Some(text.chars().count());
            rest = r;
        } else if let Some(r) = rest.strip_prefix("]#") {
            end = Some(text.chars().count());
            rest = r;
        } else if let Some(r) = rest.strip_prefix('|') {
            caret = Some(text.chars().count());
            rest = r;
        } else {
            let c = rest.chars().next().unwrap();
            text.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    let range = match (start, end) {
        (Some(s), Some(e)) => s..e,
        _ => {
            let c = caret.expect("a marker");
            c..c
        }
    };
    (text, range)
}

fn caret(text: &str, pos: usize) -> String {
    let mut s: String = text.chars().take(pos).collect();
    s.push('|');
    s.extend(text.chars().skip(pos));
    s
}

fn selection(text: &str, r: Range<usize>) -> String {
    let mut s = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == r.start {
            s.push_str("#[");
        }
        s.push(c);
        if i + 1 == r.end {
            s.push_str("|]#");
        }
    }
    s
}

fn lay(text: &str, params: &LayoutParams) -> ChunkLayout {
    let mut fs = bundled_font_system();
    let n = text.chars().count();
    ChunkLayout::new(&mut fs, text, 0..n, paragraph_direction(text), params)
}

/// The middle of line `li`.
fn line_y(l: &ChunkLayout, li: usize) -> f32 {
    l.lines[li].top + l.lines[li].height / 2.0
}

/// Rectangles of the marked range, and what hit-testing just inside each rectangle's edges gives:
/// the range again (start at the leading edge, end at the trailing edge).
fn check_range_roundtrip(
    marked: &str,
    expected_rects: usize,
) -> (ChunkLayout, Vec<(usize, f32, f32)>) {
    let (text, range) = parse(marked);
    let l = lay(&text, &WIDE);
    let rects = l.range_rects(range.clone());
    assert_eq!(rects.len(), expected_rects, "{marked}: {rects:?}");
    let mut hits = Vec::new();
    for &(li, x0, x1) in &rects {
        hits.push(l.hit(x0 + 0.5, line_y(&l, li)));
        hits.push(l.hit(x1 - 0.5, line_y(&l, li)));
    }
    let lo = *hits.iter().min().unwrap();
    let hi = *hits.iter().max().unwrap();
    assert_eq!(
        selection(&text, lo..hi),
        selection(&text, range),
        "{marked}"
    );
    (l, rects)
}

#[test]
fn rtl_word_rect_and_hits() {
    let (l, rects) = check_range_roundtrip("قال الرئيس في #[واشنطن|]# اليوم", 1);
    let (text, _) = parse("قال الرئيس في #[واشنطن|]# اليوم");
    let (_, x0, x1) = rects[0];
    let y = line_y(&l, 0);
    // Right-to-left: the word's start is at its right edge.
    assert_eq!(
        caret(&text, l.hit(x1 - 1.0, y)),
        "قال الرئيس في |واشنطن اليوم"
    );
    assert_eq!(
        caret(&text, l.hit(x0 + 1.0, y)),
        "قال الرئيس في واشنطن| اليوم"
    );
    // Far right of the line is the paragraph's start; far left its end.
    let right = l.lines[0]
        .clusters
        .iter()
        .map(|c| c.x_right)
        .fold(0.0, f32::max);
    assert_eq!(
        caret(&text, l.hit(right + 50.0, y)),
        "|قال الرئيس في واشنطن اليوم"
    );
    let left = l.lines[0]
        .clusters
        .iter()
        .map(|c| c.x_left)
        .fold(f32::MAX, f32::min);
    assert_eq!(
        caret(&text, l.hit(left - 50.0, y)),
        "قال الرئيس في واشنطن اليوم|"
    );
    assert_eq!(l.direction, Direction::Rtl);
}

#[test]
fn ltr_word_rect_and_hits() {
    let (l, rects) = check_range_roundtrip("The summit opened in #[Nouakchott|]# today.", 1);
    let (text, _) = parse("The summit opened in #[Nouakchott|]# today.");
    let (_, x0, x1) = rects[0];
    let y = line_y(&l, 0);
    assert_eq!(
        caret(&text, l.hit(x0 + 1.0, y)),
        "The summit opened in |Nouakchott today."
    );
    assert_eq!(
        caret(&text, l.hit(x1 - 1.0, y)),
        "The summit opened in Nouakchott| today."
    );
    assert_eq!(l.direction, Direction::Ltr);
}

#[test]
fn mixed_line_logical_range_is_two_rects() {
    // "NASA rocks" is a left-to-right run inside right-to-left text: the logical range
    // "عليكم NASA" is عليكم at the right and NASA at the far left of the Latin run.
    let (l, rects) = check_range_roundtrip("السلام #[عليكم NASA|]# rocks اليوم", 2);
    let (text, _) = parse("السلام #[عليكم NASA|]# rocks اليوم");
    // The unselected "rocks" lies between the two rectangles.
    let rocks = l.range_rects(18..23);
    assert_eq!(rocks.len(), 1);
    let (left, right) = if rects[0].1 < rects[1].1 {
        (rects[0], rects[1])
    } else {
        (rects[1], rects[0])
    };
    assert!(
        left.2 <= rocks[0].1 + 0.5 && rocks[0].2 <= right.1 + 0.5,
        "{rects:?} {rocks:?}"
    );
    let y = line_y(&l, 0);
    // Inside NASA, hits are left-to-right; inside عليكم right-to-left.
    assert_eq!(
        caret(&text, l.hit(left.1 + 0.5, y)),
        "السلام عليكم |NASA rocks اليوم"
    );
    assert_eq!(
        caret(&text, l.hit(right.2 - 0.5, y)),
        "السلام |عليكم NASA rocks اليوم"
    );
}

#[test]
fn latin_source_name_paragraph_is_rtl() {
    let text = "Financial Times: قالت الصحيفة إن المحادثات ستستأنف";
    let l = lay(text, &WIDE);
    assert_eq!(l.direction, Direction::Rtl);
    // The paragraph starts at the right: the Latin name is the rightmost run.
    let y = line_y(&l, 0);
    let right_end = l.lines[0]
        .clusters
        .iter()
        .map(|c| c.x_right)
        .fold(0.0, f32::max);
    assert_eq!(
        caret(text, l.hit(right_end + 5.0, y)),
        "|Financial Times: قالت الصحيفة إن المحادثات ستستأنف"
    );
}

#[test]
fn clitic_boundary_inside_a_word_draws_at_the_letter() {
    // The span واشنطن inside وبواشنطن: its rectangle starts two letters into the word.
    let (l, rects) = check_range_roundtrip("أعلنت وب#[واشنطن|]# أمس", 1);
    let (text, _) = parse("أعلنت وب#[واشنطن|]# أمس");
    let word = l.range_rects(6..14);
    assert_eq!(word.len(), 1);
    let (_, x0, x1) = rects[0];
    assert!((x0 - word[0].1).abs() < 0.01, "same left (end) edge");
    assert!(x1 < word[0].2 - 5.0, "right edge short of the clitics");
    assert_eq!(
        caret(&text, l.hit(x1 - 0.5, line_y(&l, 0))),
        "أعلنت وب|واشنطن أمس"
    );
}

#[test]
fn lam_alef_ligature_is_split_between_its_letters() {
    let text = "قال لا أحد";
    let l = lay(text, &WIDE);
    let y = line_y(&l, 0);
    let lig = l.lines[0]
        .clusters
        .iter()
        .find(|c| c.chars == (4..6))
        .expect("lam-alef is one cluster of two chars");
    let w = lig.x_right - lig.x_left;
    // Right to left: lam is the right half, alef the left half (not mirrored).
    assert_eq!(caret(text, l.hit(lig.x_left + 0.9 * w, y)), "قال |لا أحد");
    assert_eq!(caret(text, l.hit(lig.x_left + 0.6 * w, y)), "قال ل|ا أحد");
    assert_eq!(caret(text, l.hit(lig.x_left + 0.1 * w, y)), "قال لا| أحد");
    let lam = l.range_rects(4..5);
    assert_eq!(lam.len(), 1);
    assert!(
        (lam[0].1 - (lig.x_left + w / 2.0)).abs() < 0.01,
        "{lam:?} {lig:?}"
    );
    assert!((lam[0].2 - lig.x_right).abs() < 0.01);
    check_range_roundtrip("قال #[ل|]#ا أحد", 1);
    check_range_roundtrip("قال ل#[ا|]# أحد", 1);
}

#[test]
fn diacritics_never_split_from_their_letter() {
    let text = "مُحَمَّدُ عَبْدِ الرَّحْمٰنِ";
    let l = lay(text, &WIDE);
    let bounds = grapheme_boundaries(text);
    let y = line_y(&l, 0);
    let (lo, hi) = l.lines[0]
        .clusters
        .iter()
        .fold((f32::MAX, f32::MIN), |(a, b), c| {
            (a.min(c.x_left), b.max(c.x_right))
        });
    let mut x = lo - 3.0;
    while x < hi + 3.0 {
        let pos = l.hit(x, y);
        assert!(bounds.contains(&pos), "{}", caret(text, pos));
        x += 0.7;
    }
    check_range_roundtrip("#[مُحَمَّدُ|]# عَبْدِ الرَّحْمٰنِ", 1);
    check_range_roundtrip("مُحَمَّدُ #[عَ|]#بْدِ الرَّحْمٰنِ", 1);
}

#[test]
fn emoji_take_space_and_stay_whole() {
    for marked in [
        "قال #[💔|]# ثم مضى",
        "قال #[👍🏽|]# ثم مضى",
        "العائلة #[👨\u{200d}👩\u{200d}👧\u{200d}👦|]# هنا",
        "تحيا #[🇪🇬|]# دائما",
    ] {
        let (text, range) = parse(marked);
        let l = lay(&text, &WIDE);
        let rects = l.range_rects(range.clone());
        assert!(!rects.is_empty(), "{marked}");
        let width: f32 = rects.iter().map(|r| r.2 - r.1).sum();
        assert!(width > 5.0, "{marked}: {rects:?}");
        let bounds = grapheme_boundaries(&text);
        for &(li, x0, x1) in &rects {
            let mut x = x0;
            while x <= x1 {
                let pos = l.hit(x, line_y(&l, li));
                assert!(bounds.contains(&pos), "{}", caret(&text, pos));
                x += 0.5;
            }
        }
        check_range_roundtrip(marked, rects.len());
    }
}

#[test]
fn wrapped_range_gives_one_rect_per_line() {
    let text = "قال وزير الخارجية إن المحادثات مع الوفود الأفريقية ستستمر حتى نهاية الأسبوع المقبل في العاصمة";
    let narrow = LayoutParams {
        width: 260.0,
        ..WIDE
    };
    let l = lay(text, &narrow);
    assert!(l.lines.len() >= 3, "{} lines", l.lines.len());
    // The end of line 0 is at its left; the start of line 1 at its right.
    let end0 = l.hit(-100.0, line_y(&l, 0));
    let start1 = l.hit(10_000.0, line_y(&l, 1));
    let between: String = text.chars().skip(end0).take(start1 - end0).collect();
    assert!(between.trim().is_empty(), "{}", caret(text, end0));
    // A range from the middle of line 0 to the middle of line 1: two rectangles.
    let range = (end0 - 4)..(start1 + 4);
    let rects = l.range_rects(range.clone());
    assert_eq!(
        rects.iter().map(|r| r.0).collect::<Vec<_>>(),
        vec![0, 1],
        "{}",
        selection(text, range)
    );
    let left0 = l.lines[0]
        .clusters
        .iter()
        .map(|c| c.x_left)
        .fold(f32::MAX, f32::min);
    let right1 = l.lines[1]
        .clusters
        .iter()
        .map(|c| c.x_right)
        .fold(0.0, f32::max);
    assert!(
        (rects[0].1 - left0).abs() < 1.0,
        "line 0 rect reaches the line's left end"
    );
    assert!(
        (rects[1].2 - right1).abs() < 1.0,
        "line 1 rect starts at the line's right end"
    );
}

#[test]
fn label_words_read_right_to_left() {
    let mut fs = bundled_font_system();
    let mut cache = hashiya::text::label::LabelCache::default();
    let text = "قال مدير NASA إن";
    let label = cache.get(&mut fs, text, 14.0, None);
    let x_of = |r: Range<usize>| {
        let rects = label.layout.range_rects(r);
        rects[0].1
    };
    // Logical order قال, مدير, NASA, إن is right to left on screen.
    assert!(x_of(0..3) > x_of(4..8));
    assert!(x_of(4..8) > x_of(9..13));
    assert!(x_of(9..13) > x_of(14..16));
    assert!(
        label.width() > 50.0 && label.width() < 300.0,
        "{}",
        label.width()
    );
}

mod robustness {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of text that have troubled bidi and shaping engines: isolates and overrides, lone
    /// marks, joiners, tatweel, lam-alef, emoji sequences, separators, digits of both systems.
    const PIECES: &[&str] = &[
        "قال",
        "لا",
        "الأمم",
        " ",
        "  ",
        "NASA",
        "2025",
        "٢٠٢٥",
        "٫",
        "%",
        "«",
        "»",
        "(",
        ")",
        "\u{064E}",
        "\u{0651}",
        "\u{0640}",
        "\u{200D}",
        "\u{200C}",
        "\u{200E}",
        "\u{200F}",
        "\u{202B}",
        "\u{202E}",
        "\u{202C}",
        "\u{2066}",
        "\u{2067}",
        "\u{2069}",
        "\u{2029}",
        "\u{0085}",
        "\u{001C}",
        "\t",
        "👨\u{200d}👩\u{200d}👧",
        "🇪🇬",
        "👍🏽",
        "é",
        "e\u{0301}",
        "\u{FDFD}",
        "ﷲ",
        "۱۲۳",
        "https://x.org/a?b=1",
        ".",
        "،",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]
        #[test]
        fn any_text_lays_out_and_hits_land_on_graphemes(
            parts in proptest::collection::vec(0..PIECES.len(), 0..40),
            width in 30.0f32..400.0,
            probes in proptest::collection::vec((-50.0f32..450.0, -10.0f32..300.0), 8),
        ) {
            let text: String = parts.iter().map(|&i| PIECES[i]).collect();
            let params = LayoutParams { width, ..WIDE };
            let l = lay(&text, &params);
            let bounds = grapheme_boundaries(&text);
            let n = text.chars().count();
            for (x, y) in probes {
                let pos = l.hit(x, y);
                prop_assert!(pos <= n);
                prop_assert!(bounds.contains(&pos), "{}", caret(&text, pos));
            }
            for a in (0..=n).step_by(3) {
                let _ = l.range_rects(a..(a + 4).min(n));
            }
            prop_assert!(l.height > 0.0);
        }
    }
}

/// Every emoji grapheme (a flag, a skin-toned hand, a ZWJ family, a keycap) is drawn as one glyph
/// of the emoji face, rasterized in colour at about the text size; the text around it keeps the
/// Arabic face.
#[test]
fn an_emoji_grapheme_is_one_colour_glyph_at_the_text_size() {
    let mut fs = bundled_font_system();
    let mut atlas = GlyphAtlas::new();
    for emoji in [
        "👍🏽",
        "🇷🇺",
        "👨\u{200d}👩\u{200d}👧",
        "👨\u{200d}👩\u{200d}👧\u{200d}👦",
        "💔",
        "1\u{fe0f}\u{20e3}",
    ] {
        for text in [format!("قال {emoji} ثم"), format!("قال{emoji}ثم")] {
            let n = text.chars().count();
            let l = ChunkLayout::new(&mut fs, &text, 0..n, paragraph_direction(&text), &WIDE);
            assert_eq!(l.lines.len(), 1, "{text}");
            let face = |g: &cosmic_text::LayoutGlyph, fs: &cosmic_text::FontSystem| {
                fs.db()
                    .face(g.font_id)
                    .and_then(|f| f.families.first().map(|(n, _)| n.clone()))
                    .unwrap_or_default()
            };
            let emoji_glyphs: Vec<_> = l.lines[0]
                .glyphs
                .iter()
                .filter(|g| face(g, &fs) == EMOJI_FAMILY)
                .cloned()
                .collect();
            assert_eq!(emoji_glyphs.len(), 1, "{text}: one glyph for {emoji}");
            let g = &emoji_glyphs[0];
            // The glyph covers the whole grapheme (byte range in the text).
            let start = text.find(emoji).unwrap();
            assert_eq!(g.start..g.end, start..start + emoji.len(), "{text}");
            let key = g.physical((0.0, 0.0), 1.0).cache_key;
            let img = atlas.glyph(&mut fs, key).expect("the emoji has an image");
            assert!(img.is_color, "{text}: a colour glyph");
            let size = WIDE.font_size;
            assert!(
                (0.9 * size..=1.5 * size).contains(&(img.height_px as f32)),
                "{text}: {} px tall at {size} px text",
                img.height_px
            );
            for other in l.lines[0]
                .glyphs
                .iter()
                .filter(|g| face(g, &fs) != EMOJI_FAMILY)
            {
                assert_eq!(face(other, &fs), "Noto Naskh Arabic", "{text}");
            }
        }
    }
}

/// Hits and highlights around emoji glued to Arabic letters land on grapheme boundaries. (A flag
/// is made of regional indicators, which are left-to-right characters: in an Arabic line it is a
/// left-to-right island like a Latin name, so its left edge is its logical start.)
#[test]
fn highlights_around_glued_emoji_stay_on_graphemes() {
    for (marked, roundtrip) in [
        ("قال#[👍🏽|]#ثم مضى", true),
        ("#[قال👍🏽|]#ثم مضى", true),
        ("نقلت #[الخبر 👍🏽|]# من موسكو", true),
        ("العائلة#[👨\u{200d}👩\u{200d}👧|]# هنا", true),
        ("نقلت #[الخبر 🇷🇺|]# من موسكو", false),
        ("تحيا#[🇪🇬|]#مصر", true),
    ] {
        let (text, range) = parse(marked);
        let rects = if roundtrip {
            check_range_roundtrip(marked, 1).1
        } else {
            lay(&text, &WIDE).range_rects(range)
        };
        assert_eq!(rects.len(), 1, "{marked}");
        let l = lay(&text, &WIDE);
        let bounds = grapheme_boundaries(&text);
        let (li, x0, x1) = rects[0];
        let mut x = x0 - 10.0;
        while x <= x1 + 10.0 {
            let pos = l.hit(x, line_y(&l, li));
            assert!(bounds.contains(&pos), "{}", caret(&text, pos));
            x += 0.5;
        }
    }
}
