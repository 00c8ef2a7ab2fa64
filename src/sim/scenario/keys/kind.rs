//! What a key's value may be ([`KeyKind`]): whether a text is accepted, and how the error, the
//! help's syntax and range, and the select box's options describe it. No key is named here.

use super::super::{MAX_DB_POOL, MAX_EXTRA_ARRIVAL, MAX_EXTRA_ARRIVALS, MAX_STEP_MS};
use super::{parse_bool, parse_times};
use crate::sim::decimal;
use crate::sim::lang;

/// What a key's value may be. The kind alone decides whether a text is accepted and what the error
/// says, so a key's range is written once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// An integer from `lo` to `hi`, both included.
    Int {
        /// Smallest accepted value.
        lo: u32,
        /// Largest accepted value.
        hi: u32,
    },
    /// Milliseconds, a finite number from 0 to [`MAX_STEP_MS`].
    Ms,
    /// Students per second, a finite number above 0.
    Rate,
    /// Any 64-bit unsigned integer.
    Seed,
    /// `true`, `false`, `1` or `0`.
    Bool,
    /// One of these keywords.
    Choice(&'static [&'static str]),
    /// `unlimited` or an integer from 1 to [`MAX_DB_POOL`].
    Pool,
    /// Up to [`MAX_EXTRA_ARRIVALS`] comma-separated seconds from 0 to [`MAX_EXTRA_ARRIVAL`].
    Times,
    /// A handler in the handler language (`sim::lang`), or nothing for the preset.
    Code,
}

/// The words a boolean is offered as in a select box (the parser also takes `1` and `0`).
const BOOL_WORDS: &[&str] = &["true", "false"];

impl KeyKind {
    /// What the kind accepts, phrased to follow "expected" in a [`super::ParamError`].
    pub fn allowed(self) -> String {
        match self {
            KeyKind::Int { lo, hi } => format!("an integer from {lo} to {hi}"),
            KeyKind::Ms => format!(
                "a number of milliseconds from 0 to {}",
                decimal::shortest(MAX_STEP_MS)
            ),
            KeyKind::Rate => "a number of students per second greater than 0".to_string(),
            KeyKind::Seed => format!("an integer from 0 to {}", u64::MAX),
            KeyKind::Bool => "true, false, 1 or 0".to_string(),
            KeyKind::Choice(names) => format!("one of {}", crate::sim::text::join(names, ", ")),
            KeyKind::Pool => format!("unlimited or {}", POOL_SIZE.allowed()),
            KeyKind::Times => format!(
                "up to {MAX_EXTRA_ARRIVALS} comma-separated times in seconds from 0 to {}",
                MAX_EXTRA_ARRIVAL.secs_text()
            ),
            KeyKind::Code => format!(
                "a handler of at most {} characters and {} lines",
                lang::MAX_CHARS,
                lang::MAX_LINES
            ),
        }
    }

    /// The value's shape in the command line's help: `N`, `X`, `true|false`, `a|b|c`.
    pub fn syntax(self) -> String {
        match self {
            KeyKind::Int { .. } | KeyKind::Seed => "N".to_string(),
            KeyKind::Ms | KeyKind::Rate => "X".to_string(),
            KeyKind::Bool => crate::sim::text::join(BOOL_WORDS, "|"),
            KeyKind::Choice(names) => crate::sim::text::join(names, "|"),
            KeyKind::Pool => "N|unlimited".to_string(),
            KeyKind::Times => "S,S,...".to_string(),
            KeyKind::Code => "TEXT".to_string(),
        }
    }

    /// The range in the command line's help (`1..64`, `> 0`), if the syntax does not already say
    /// it all.
    pub fn range(self) -> Option<String> {
        match self {
            KeyKind::Int { lo, hi } => Some(format!("{lo}..{hi}")),
            KeyKind::Ms => Some(format!("0..{}", decimal::shortest(MAX_STEP_MS))),
            KeyKind::Rate => Some("> 0".to_string()),
            KeyKind::Seed => Some("0..2^64-1".to_string()),
            KeyKind::Pool => POOL_SIZE.range(),
            KeyKind::Times => Some(format!(
                "up to {MAX_EXTRA_ARRIVALS}, 0..{}",
                MAX_EXTRA_ARRIVAL.secs_text()
            )),
            KeyKind::Bool | KeyKind::Choice(_) | KeyKind::Code => None,
        }
    }

    /// The options of a select box, for the keys that have a closed set of values.
    pub fn choices(self) -> Option<&'static [&'static str]> {
        match self {
            KeyKind::Choice(names) => Some(names),
            KeyKind::Bool => Some(BOOL_WORDS),
            _ => None,
        }
    }

    /// Whether `value` (already trimmed) is acceptable.
    pub fn accepts(self, value: &str) -> bool {
        match self {
            KeyKind::Int { lo, hi } => {
                decimal::whole_u32(value).is_some_and(|n| (lo..=hi).contains(&n))
            }
            KeyKind::Ms => decimal::parse(value)
                .is_some_and(|x| x.is_finite() && (0.0..=MAX_STEP_MS).contains(&x)),
            KeyKind::Rate => decimal::parse(value).is_some_and(|x| x.is_finite() && x > 0.0),
            KeyKind::Seed => decimal::whole(value).is_some(),
            KeyKind::Bool => parse_bool(value).is_some(),
            KeyKind::Choice(names) => names.contains(&value),
            KeyKind::Pool => value == "unlimited" || POOL_SIZE.accepts(value),
            KeyKind::Times => parse_times(value).is_some(),
            KeyKind::Code => value.is_empty() || lang::compile(value).is_ok(),
        }
    }
}

/// The sizes `db_pool` accepts besides `unlimited`.
const POOL_SIZE: KeyKind = KeyKind::Int {
    lo: 1,
    hi: MAX_DB_POOL,
};
