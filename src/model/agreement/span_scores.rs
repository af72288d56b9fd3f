//! Span F1 from comparison counts: exact F1 = 2·agreed / (|A| + |B|), overlap F1 =
//! 2·(agreed + boundary_only) / (|A| + |B|) (same label, overlapping, one-to-one).

use super::compare::Summary;
use super::figure::Figure;

const NO_SPANS: &str = "neither annotator has a span";

pub fn exact_f1(s: &Summary) -> Figure {
    Figure::ratio(
        2.0 * s.agreed as f64,
        (s.a_spans + s.b_spans) as f64,
        NO_SPANS,
    )
}

pub fn overlap_f1(s: &Summary) -> Figure {
    Figure::ratio(
        2.0 * (s.agreed + s.boundary_only) as f64,
        (s.a_spans + s.b_spans) as f64,
        NO_SPANS,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f1() {
        let s = Summary {
            a_spans: 3,
            b_spans: 5,
            agreed: 2,
            boundary_only: 1,
            ..Summary::default()
        };
        assert_eq!(exact_f1(&s).value, Some(0.5));
        assert_eq!(overlap_f1(&s).value, Some(0.75));
        assert!(exact_f1(&Summary::default()).reason.is_some());
    }
}
