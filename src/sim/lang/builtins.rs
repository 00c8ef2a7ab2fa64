//! Python's built-in functions a handler uses on its values: `len`, `str`, `int`, `float`,
//! `bool`, `abs`, `min`, `max` and `round`, with CPython's results and error words.

use super::parser::Pos;
use super::value::{Texts, Value};
use super::world::Ty;
use crate::sim::lang::{boxed, Fail};
use crate::sim::text;

/// A built-in function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Builtin {
    Len,
    Str,
    Int,
    Float,
    Bool,
    Abs,
    Min,
    Max,
    Round,
}

impl Builtin {
    pub fn named(name: &str) -> Option<Builtin> {
        Some(match name {
            "len" => Builtin::Len,
            "str" => Builtin::Str,
            "int" => Builtin::Int,
            "float" => Builtin::Float,
            "bool" => Builtin::Bool,
            "abs" => Builtin::Abs,
            "min" => Builtin::Min,
            "max" => Builtin::Max,
            "round" => Builtin::Round,
            _ => return None,
        })
    }

    /// What the call gives for arguments of `args` types, or Python's TypeError words (`Ok(None)`
    /// where the call is valid Python that a handler here does not run).
    pub fn returns(self, name: &str, args: &[Ty]) -> Result<Option<Ty>, String> {
        let one = |ok: bool, ty: Ty| -> Result<Option<Ty>, String> {
            match args {
                [_] if ok => Ok(Some(ty)),
                [_] => Err(format!(
                    "bad operand type for {name}(): '{}'",
                    args[0].name()
                )),
                _ => Err(format!(
                    "{name}() takes exactly one argument ({} given)",
                    args.len()
                )),
            }
        };
        let a = args.first().copied().unwrap_or(Ty::None);
        match self {
            Builtin::Len => match a {
                Ty::Str | Ty::List | Ty::Dict => one(true, Ty::Int),
                other => Err(format!("object of type '{}' has no len()", other.name())),
            },
            Builtin::Str => one(true, Ty::Str),
            Builtin::Bool => one(true, Ty::Bool),
            Builtin::Int => one(a.is_number() || a == Ty::Str, Ty::Int),
            Builtin::Float => one(a.is_number() || a == Ty::Str, Ty::Float),
            Builtin::Abs => one(
                a.is_number(),
                if a == Ty::Float { Ty::Float } else { Ty::Int },
            ),
            Builtin::Round if args.len() == 2 => Ok(None),
            Builtin::Round => one(a.is_number(), Ty::Int),
            Builtin::Min | Builtin::Max => {
                if args.len() < 2 {
                    return Ok(None);
                }
                // Python gives back one of the arguments as it is: a handler here needs them of
                // one type to know which.
                if !args.iter().all(|t| *t == a) {
                    return Ok(None);
                }
                if !(a.is_number() || a == Ty::Str) {
                    return Err(format!(
                        "'<' not supported between instances of '{}' and '{}'",
                        a.name(),
                        a.name()
                    ));
                }
                Ok(Some(a))
            }
        }
    }

    /// The call, on values the checker typed.
    pub fn call(self, texts: &mut Texts, args: &[Value], pos: Pos) -> Result<Value, Fail> {
        let fail = |words: String| Err(boxed(pos.line, pos.col, words));
        let a = args.first().copied().unwrap_or(Value::None);
        Ok(match self {
            Builtin::Len => match a {
                Value::Str(i, _) => Value::Int(texts.text(i).chars().count() as i64),
                Value::List(_, n) | Value::Dict(_, n) => Value::Int(i64::from(n)),
                _ => return fail("TypeError: object has no len()".into()),
            },
            Builtin::Str => {
                let mut out = String::new();
                texts.write(&mut out, a, false);
                texts.str(out, pos)?
            }
            Builtin::Bool => Value::Bool(a.truthy()),
            Builtin::Int => match a {
                Value::Str(i, _) => {
                    let text = texts.text(i);
                    match parse_int(text) {
                        Some(n) => Value::Int(n),
                        None => {
                            return fail(format!(
                                "ValueError: invalid literal for int() with base 10: {}",
                                quoted(texts, a)
                            ))
                        }
                    }
                }
                Value::Float(x) if x.is_nan() => {
                    return fail("ValueError: cannot convert float NaN to integer".into())
                }
                Value::Float(x) if x.is_infinite() || x.abs() >= 9.2e18 => {
                    return fail(
                        "integer overflow: the integer is too large for a handler here".into(),
                    )
                }
                Value::Float(x) => Value::Int(x.trunc() as i64),
                v => Value::Int(v.int().unwrap_or(0)),
            },
            Builtin::Float => match a {
                Value::Str(i, _) => match parse_float(texts.text(i)) {
                    Some(x) => Value::Float(x),
                    None => {
                        return fail(format!(
                            "ValueError: could not convert string to float: {}",
                            quoted(texts, a)
                        ))
                    }
                },
                v => Value::Float(v.number().unwrap_or(0.0)),
            },
            Builtin::Abs => match a {
                Value::Float(x) => Value::Float(x.abs()),
                v => match v.int().and_then(i64::checked_abs) {
                    Some(n) => Value::Int(n),
                    None => return fail("integer overflow".into()),
                },
            },
            Builtin::Round => match a {
                Value::Float(x) if x.is_nan() => {
                    return fail("ValueError: cannot convert float NaN to integer".into())
                }
                Value::Float(x) if x.is_infinite() || x.abs() >= 9.2e18 => {
                    return fail(
                        "integer overflow: the integer is too large for a handler here".into(),
                    )
                }
                // Python rounds a tie to the even neighbour: round(2.5) == 2.
                Value::Float(x) => Value::Int(x.round_ties_even() as i64),
                v => Value::Int(v.int().unwrap_or(0)),
            },
            Builtin::Min | Builtin::Max => {
                let mut best = a;
                for &v in &args[1..] {
                    let less = match (v, best) {
                        (Value::Str(x, _), Value::Str(y, _)) => texts.text(x) < texts.text(y),
                        (x, y) => x.number().unwrap_or(0.0) < y.number().unwrap_or(0.0),
                    };
                    let greater = match (v, best) {
                        (Value::Str(x, _), Value::Str(y, _)) => texts.text(x) > texts.text(y),
                        (x, y) => x.number().unwrap_or(0.0) > y.number().unwrap_or(0.0),
                    };
                    // The first of equal ones stays, as in Python.
                    if (self == Builtin::Min && less) || (self == Builtin::Max && greater) {
                        best = v;
                    }
                }
                best
            }
        })
    }
}

/// `repr` of a string value, for the error words.
fn quoted(texts: &Texts, v: Value) -> String {
    let mut out = String::new();
    texts.write(&mut out, v, true);
    out
}

/// `int(text)` as Python reads it: spaces around, a sign, digits with single `_` between them.
fn parse_int(text: &str) -> Option<i64> {
    let t = text.trim();
    let (sign, digits) = match t.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, t.strip_prefix('+').unwrap_or(t)),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || text::contains(digits, "__")
        || !digits.chars().all(|c| c.is_ascii_digit() || c == '_')
    {
        return None;
    }
    let n = crate::sim::decimal::whole(&text::replace(digits, "_", ""))?;
    i64::try_from(n).ok().map(|n| sign * n)
}

/// `float(text)` as Python reads it: spaces around, `_` between digits, `inf` and `nan`.
fn parse_float(text: &str) -> Option<f64> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let bare = lower.trim_start_matches(['+', '-']);
    if matches!(bare, "inf" | "infinity" | "nan") {
        return crate::sim::decimal::parse(&lower);
    }
    let ok_underscores = text::split(t, "_").iter().all(|part| !part.is_empty());
    if t.is_empty()
        || !ok_underscores
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | '_' | 'e' | 'E'))
    {
        return None;
    }
    crate::sim::decimal::parse(&text::replace(t, "_", ""))
}
