//! Why a `key=value` pair was rejected: the key, the value, what was expected, and a kind callers
//! match on instead of reading the text. Only data; the checks live with the keys.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a `key=value` pair was rejected, so callers can react without reading the text.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ParamErrorKind {
    /// A key nobody knows; `allowed` lists the known ones.
    UnknownKey,
    /// A key given a second time.
    Repeated,
    /// A known key with a value out of range or of the wrong kind.
    #[default]
    BadValue,
    /// An argument that is not a `key=value` pair at all.
    Malformed,
    /// Code that does not compile; `allowed` holds the compiler's `line N, column M: ...`.
    BadCode,
}

/// One rejected `key=value` pair: which key, the value given, and what would have been accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamError {
    /// The key as given.
    pub key: String,
    /// The value as given.
    pub value: String,
    /// What the key accepts, phrased to follow "expected"; for [`ParamErrorKind::BadCode`], the
    /// compiler's error (`line N, column M: ...`).
    pub allowed: String,
    /// What went wrong.
    #[serde(default)]
    pub kind: ParamErrorKind,
}

impl ParamError {
    fn new(kind: ParamErrorKind, key: &str, value: &str, allowed: String) -> ParamError {
        ParamError {
            key: key.to_string(),
            value: value.to_string(),
            allowed,
            kind,
        }
    }

    /// `key=value` where `value` is not one `key` accepts, described by `allowed`.
    pub fn bad_value(key: &str, value: &str, allowed: impl Into<String>) -> ParamError {
        ParamError::new(ParamErrorKind::BadValue, key, value, allowed.into())
    }

    /// The code given as `key` does not compile: `error` says where and why.
    pub fn bad_code(key: &str, value: &str, error: impl Into<String>) -> ParamError {
        ParamError::new(ParamErrorKind::BadCode, key, value, error.into())
    }

    /// `key` is none of the `known` keys.
    pub fn unknown_key<'a>(
        key: &str,
        value: &str,
        known: impl IntoIterator<Item = &'a str>,
    ) -> ParamError {
        let known: Vec<&str> = known.into_iter().collect();
        let allowed = format!("one of the keys {}", crate::sim::text::join(&known, ", "));
        ParamError::new(ParamErrorKind::UnknownKey, key, value, allowed)
    }

    /// `key` was given before.
    pub fn repeated(key: &str, value: &str) -> ParamError {
        let allowed = "each key at most once".to_string();
        ParamError::new(ParamErrorKind::Repeated, key, value, allowed)
    }

    /// `arg` has no `=`.
    pub fn malformed(arg: &str) -> ParamError {
        let allowed = "a key=value pair".to_string();
        ParamError::new(ParamErrorKind::Malformed, arg, "", allowed)
    }
}

impl fmt::Display for ParamError {
    /// `students=abc: expected an integer from 1 to 1000000`; for code, which may be long,
    /// `code: line 3, column 5: name 'x' is not defined`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kind == ParamErrorKind::BadCode {
            return write!(f, "{}: {}", self.key, self.allowed);
        }
        write!(f, "{}={}: expected {}", self.key, self.value, self.allowed)
    }
}

impl std::error::Error for ParamError {}
