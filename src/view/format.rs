//! How numbers read on the page: seconds with a sensible precision, long waits also in minutes.
//! Formatting only; every value formatted here was computed by the core. Every float the page
//! writes goes through `sim::decimal` (here or through [`fixed`], [`plain`] and [`Fixed`]), so
//! the wasm carries no float formatter of core's.

pub use crate::sim::decimal::{fixed, shortest as plain, Fixed};

use crate::sim::text;
use crate::sim::trace::student_letter;

/// Seconds for a reader, with the digits a formula needs: `0.25 s`, `2.055 s`, `74 s`,
/// `205.5 s (3 min 26 s)`.
pub fn secs(s: f64) -> String {
    if !s.is_finite() {
        return "–".to_string();
    }
    let plain = if s == 0.0 {
        "0 s".to_string()
    } else if s < 10.0 {
        format!("{} s", trim(fixed(s, 3)))
    } else if s < 100.0 {
        format!("{} s", trim(fixed(s, 2)))
    } else {
        format!("{} s", trim(fixed(s, 1)))
    };
    if s >= 120.0 {
        let total = s.round() as u64;
        let (h, m, sec) = (total / 3600, total / 60 % 60, total % 60);
        let long = match (h, sec) {
            (0, 0) => format!("{m} min"),
            (0, _) => format!("{m} min {sec} s"),
            _ => format!("{h} h {m} min"),
        };
        format!("{plain} ({long})")
    } else {
        plain
    }
}

/// A clock reading that keeps its width as it runs: `12.35 s`.
pub fn clock(s: f64) -> String {
    format!("{} s", fixed(s, 2))
}

/// A count with thin-space thousands: `1 000 000`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// A share as a percentage: `0.5` -> `50 %`.
pub fn percent(share: f64) -> String {
    if share.is_finite() {
        format!("{} %", fixed(share * 100.0, 0))
    } else {
        "–".to_string()
    }
}

/// A rate per second: `50 /s`, `0.5 /s`.
pub fn per_sec(r: f64) -> String {
    if !r.is_finite() {
        "–".to_string()
    } else if r >= 100.0 {
        format!("{} /s", fixed(r, 0))
    } else {
        format!("{} /s", trim(fixed(r, 2)))
    }
}

/// Drops trailing zeros of a decimal: `2.50` -> `2.5`, `3.00` -> `3`.
pub(crate) fn trim(s: String) -> String {
    if text::has_byte(&s, b'.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A student's name on the page: `A`..`Z` for small runs (as in the article), `#1`.. otherwise
/// (`sim::trace::student_letter`, which the exports use too).
pub fn student_name(id: u32, students: u32) -> String {
    match student_letter(id, students) {
        Some(letter) => letter.to_string(),
        None => format!("#{}", id + 1),
    }
}

/// `1 student`, `3 students`: a count and its noun, singular or plural.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_read_naturally() {
        let cases = [
            (0.0, "0 s"),
            (0.25, "0.25 s"),
            (2.0, "2 s"),
            (1.984, "1.984 s"),
            (2.0554, "2.055 s"),
            (205.5, "205.5 s (3 min 26 s)"),
            (74.0, "74 s"),
            (101.0, "101 s"),
            (200.0, "200 s (3 min 20 s)"),
            (180.0, "180 s (3 min)"),
            (7260.0, "7260 s (2 h 1 min)"),
        ];
        for (s, want) in cases {
            assert_eq!(secs(s), want, "secs({s})");
        }
        assert_eq!(secs(f64::NAN), "–");
    }

    #[test]
    fn counts_rates_and_shares() {
        assert_eq!(count(1_000_000), "1\u{202f}000\u{202f}000");
        assert_eq!(count(999), "999");
        assert_eq!(per_sec(0.5), "0.5 /s");
        assert_eq!(per_sec(500.0), "500 /s");
        assert_eq!(percent(0.5), "50 %");
        assert_eq!(clock(3.0), "3.00 s");
    }
}
