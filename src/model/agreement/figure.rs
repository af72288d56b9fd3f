//! A figure of agreement, or why there is none.

use std::fmt;

/// A measure's value, or the reason it is undefined (one category only, no common unit, ...).
/// Never NaN or infinite: a computation that would give one is undefined instead.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub value: Option<f64>,
    /// Why there is no value (`None` when there is one).
    pub reason: Option<String>,
}

impl Figure {
    /// A value; a non-finite one becomes undefined.
    pub fn of(value: f64) -> Self {
        if value.is_finite() {
            Self {
                value: Some(value),
                reason: None,
            }
        } else {
            Self::undefined("the computation gave no finite number")
        }
    }

    pub fn undefined(reason: impl Into<String>) -> Self {
        Self {
            value: None,
            reason: Some(reason.into()),
        }
    }

    /// `numerator / denominator`, undefined with `reason` when the denominator is 0.
    pub fn ratio(numerator: f64, denominator: f64, reason: &str) -> Self {
        if denominator == 0.0 {
            Self::undefined(reason)
        } else {
            Self::of(numerator / denominator)
        }
    }

    pub fn is_defined(&self) -> bool {
        self.value.is_some()
    }
}

impl fmt::Display for Figure {
    /// Four decimals, or `-` when undefined.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.value {
            Some(v) => write!(f, "{v:.4}"),
            None => write!(f, "-"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_nan() {
        assert!(!Figure::of(f64::NAN).is_defined());
        assert!(!Figure::of(f64::INFINITY).is_defined());
        assert!(!Figure::ratio(1.0, 0.0, "x").is_defined());
        assert_eq!(Figure::ratio(1.0, 4.0, "x").value, Some(0.25));
        assert_eq!(
            Figure::ratio(0.0, 0.0, "why").reason.as_deref(),
            Some("why")
        );
        assert_eq!(Figure::of(0.85914).to_string(), "0.8591");
    }
}
