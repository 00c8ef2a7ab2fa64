//! Methods of a handler's values: the string methods a handler uses (`lower`, `upper`, `strip`,
//! `startswith`, `endswith`, `replace`, `split`), and the names of the other methods Python's
//! types have, so that a handler here owns up to them instead of denying they exist.

use super::parser::Pos;
use super::value::{Texts, Value};
use super::world::Ty;
use crate::sim::lang::{boxed, Fail};
use crate::sim::text;

/// A string method a handler here runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StrMethod {
    Lower,
    Upper,
    Strip,
    Startswith,
    Endswith,
    Replace,
    Split,
}

impl StrMethod {
    pub fn named(name: &str) -> Option<StrMethod> {
        Some(match name {
            "lower" => StrMethod::Lower,
            "upper" => StrMethod::Upper,
            "strip" => StrMethod::Strip,
            "startswith" => StrMethod::Startswith,
            "endswith" => StrMethod::Endswith,
            "replace" => StrMethod::Replace,
            "split" => StrMethod::Split,
            _ => return None,
        })
    }

    /// The arguments it takes (all strings) and what it gives.
    pub fn signature(self) -> (usize, Ty) {
        match self {
            StrMethod::Lower | StrMethod::Upper | StrMethod::Strip => (0, Ty::Str),
            StrMethod::Startswith | StrMethod::Endswith => (1, Ty::Bool),
            StrMethod::Replace => (2, Ty::Str),
            StrMethod::Split => (0, Ty::List),
        }
    }

    /// The call on `this`, with `args` (strings, as the checker made sure).
    pub fn call(
        self,
        texts: &mut Texts,
        this: Value,
        args: &[Value],
        pos: Pos,
    ) -> Result<Value, Fail> {
        let text = |v: Value| match v {
            Value::Str(i, _) => i,
            _ => 0,
        };
        let s = texts.text(text(this)).to_string();
        let arg = |n: usize| args.get(n).map(|v| text(*v));
        Ok(match self {
            StrMethod::Lower => texts.str(s.chars().map(lower).collect(), pos)?,
            StrMethod::Upper => texts.str(upper(&s), pos)?,
            StrMethod::Strip => texts.str(s.trim().to_string(), pos)?,
            StrMethod::Startswith | StrMethod::Endswith => {
                let p = arg(0)
                    .map(|i| texts.text(i).to_string())
                    .unwrap_or_default();
                Value::Bool(if self == StrMethod::Startswith {
                    s.starts_with(&p)
                } else {
                    s.ends_with(&p)
                })
            }
            StrMethod::Replace => {
                let old = arg(0)
                    .map(|i| texts.text(i).to_string())
                    .unwrap_or_default();
                let new = arg(1)
                    .map(|i| texts.text(i).to_string())
                    .unwrap_or_default();
                // Python's "".replace("", "x") is "x": Rust's replace agrees.
                texts.str(text::replace(&s, &old, &new), pos)?
            }
            StrMethod::Split => {
                let words: Vec<String> = match arg(0).map(|i| texts.text(i).to_string()) {
                    Some(sep) if sep.is_empty() => {
                        return Err(boxed(pos.line, pos.col, "ValueError: empty separator"))
                    }
                    Some(sep) => text::split(&s, &sep)
                        .into_iter()
                        .map(str::to_string)
                        .collect(),
                    None => s.split_whitespace().map(str::to_string).collect(),
                };
                let mut parts = Vec::new();
                for word in words {
                    parts.push(texts.str(word, pos)?);
                }
                texts.build(false, &parts, pos)?
            }
        })
    }
}

/// A letter's lower case, for Latin (accented ones too), Greek and Cyrillic letters: the scripts
/// a name or an address is written in here. Unicode's whole case table would add about 15 kB
/// (gzip) to the page; other scripts' letters are left as they are (the README says so).
fn lower(c: char) -> char {
    let n = c as u32;
    let shift = match n {
        0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE | 0x391..=0x3A1 | 0x3A3..=0x3AB | 0x410..=0x42F => {
            0x20
        }
        0x400..=0x40F => 0x50,
        // Greek with tonos.
        0x386 => 0x26,
        0x388..=0x38A => 0x25,
        0x38C => 0x40,
        0x38E..=0x38F => 0x3F,
        // Latin Extended-A: upper and lower cases alternate.
        0x100..=0x137 | 0x14A..=0x177 if n.is_multiple_of(2) => 1,
        0x139..=0x148 | 0x179..=0x17E if !n.is_multiple_of(2) => 1,
        0x178 => return 'ÿ',
        _ => 0,
    };
    char::from_u32(n + shift).unwrap_or(c)
}

/// The upper case of `s`, as [`lower`] reads the scripts (and `ß` as `SS`, as Python does).
fn upper(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let n = c as u32;
        let shift = match n {
            0x61..=0x7A
            | 0xE0..=0xF6
            | 0xF8..=0xFE
            | 0x3B1..=0x3C1
            | 0x3C3..=0x3CB
            | 0x430..=0x44F => 0x20,
            0x450..=0x45F => 0x50,
            0x3AC => 0x26,
            0x3AD..=0x3AF => 0x25,
            0x3CC => 0x40,
            0x3CD..=0x3CE => 0x3F,
            0x101..=0x138 | 0x14B..=0x178 if !n.is_multiple_of(2) => 1,
            0x13A..=0x149 | 0x17A..=0x17F if n.is_multiple_of(2) => 1,
            0xDF => {
                out.push_str("SS");
                continue;
            }
            0xFF => {
                out.push('Ÿ');
                continue;
            }
            0x3C2 => {
                out.push('Σ');
                continue;
            }
            _ => 0,
        };
        out.push(char::from_u32(n - shift).unwrap_or(c));
    }
    out
}

/// Whether values of `ty` have a method `name` in Python (which a handler here may not run).
pub(crate) fn python_has_method(ty: Ty, name: &str) -> bool {
    let methods: &[&str] = match ty {
        Ty::Str => &[
            "capitalize",
            "casefold",
            "center",
            "count",
            "encode",
            "endswith",
            "expandtabs",
            "find",
            "format",
            "format_map",
            "index",
            "isalnum",
            "isalpha",
            "isascii",
            "isdecimal",
            "isdigit",
            "isidentifier",
            "islower",
            "isnumeric",
            "isprintable",
            "isspace",
            "istitle",
            "isupper",
            "join",
            "ljust",
            "lower",
            "lstrip",
            "partition",
            "removeprefix",
            "removesuffix",
            "replace",
            "rfind",
            "rindex",
            "rjust",
            "rpartition",
            "rsplit",
            "rstrip",
            "split",
            "splitlines",
            "startswith",
            "strip",
            "swapcase",
            "title",
            "translate",
            "upper",
            "zfill",
        ],
        Ty::List => &[
            "append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove",
            "reverse", "sort",
        ],
        Ty::Dict => &[
            "clear",
            "copy",
            "get",
            "items",
            "keys",
            "pop",
            "popitem",
            "setdefault",
            "update",
            "values",
        ],
        Ty::Int | Ty::Bool => &[
            "as_integer_ratio",
            "bit_count",
            "bit_length",
            "conjugate",
            "to_bytes",
        ],
        Ty::Float => &["as_integer_ratio", "conjugate", "hex", "is_integer"],
        _ => &[],
    };
    methods.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::{lower, upper};

    #[test]
    fn case_follows_python_for_the_scripts_names_are_written_in() {
        // CPython 3.11's str.lower() and str.upper() of the same text.
        let text = "Ünïcode ÀÉÎÕÜ Łódź Ωμέγα Άή Όώ Привет Ёлка ß ÿ";
        let lowered: String = text.chars().map(lower).collect();
        assert_eq!(lowered, "ünïcode àéîõü łódź ωμέγα άή όώ привет ёлка ß ÿ");
        assert_eq!(
            upper(text),
            "ÜNÏCODE ÀÉÎÕÜ ŁÓDŹ ΩΜΈΓΑ ΆΉ ΌΏ ПРИВЕТ ЁЛКА SS Ÿ"
        );
    }
}
