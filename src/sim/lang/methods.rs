//! Methods of a handler's values: the string methods a handler uses (`lower`, `upper`, `strip`,
//! `startswith`, `endswith`, `replace`, `split`), and the names of the other methods Python's
//! types have, so that a handler here owns up to them instead of denying they exist.

use super::parser::Pos;
use super::value::{Texts, Value};
use super::world::Ty;
use super::CodeError;

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
    ) -> Result<Value, CodeError> {
        let text = |v: Value| match v {
            Value::Str(i, _) => i,
            _ => 0,
        };
        let s = texts.text(text(this)).to_string();
        let arg = |n: usize| args.get(n).map(|v| text(*v));
        Ok(match self {
            StrMethod::Lower => texts.str(s.to_lowercase(), pos)?,
            StrMethod::Upper => texts.str(s.to_uppercase(), pos)?,
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
                texts.str(s.replace(&old, &new), pos)?
            }
            StrMethod::Split => {
                let words: Vec<String> = match arg(0).map(|i| texts.text(i).to_string()) {
                    Some(sep) if sep.is_empty() => {
                        return Err(CodeError::new(
                            pos.line,
                            pos.col,
                            "ValueError: empty separator",
                        ))
                    }
                    Some(sep) => s.split(sep.as_str()).map(str::to_string).collect(),
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
