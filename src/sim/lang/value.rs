//! The handler's values at run time and Python's operators on them: arithmetic with Python's
//! floor and sign rules, comparisons, identity with the singletons.

use super::exc::Exc;
use super::logging;
use super::parser::{BinOp, Pos};
use crate::sim::lang::{boxed, Fail};
use crate::sim::store::Table;
use crate::sim::{decimal, text};

/// A value at run time (functions exist only as the checker's knowledge). Strings, lists and
/// dicts are indexes into the request's texts (a list or dict as its `repr`, all a handler
/// does with one being to return or print it), with whether they are non-empty.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Student,
    Message,
    /// A coroutine: an index into the request's coroutines.
    Coro(u32),
    Str(u32, bool),
    /// A list or dict: its repr's index, and how many items it has.
    List(u32, u32),
    Dict(u32, u32),
    /// A row of `course` from `db.fetchrow`: its `seats_left` and `version`.
    Row(u32, u32),
}

impl Value {
    #[inline(always)]
    pub(super) fn truthy(self) -> bool {
        match self {
            Value::None => false,
            Value::Bool(b) => b,
            Value::Int(i) => i != 0,
            Value::Float(x) => x != 0.0,
            Value::Student | Value::Message | Value::Coro(_) | Value::Row(..) => true,
            Value::Str(_, full) => full,
            Value::List(_, n) | Value::Dict(_, n) => n > 0,
        }
    }

    #[inline(always)]
    pub(super) fn number(self) -> Option<f64> {
        match self {
            Value::Bool(b) => Some(f64::from(u8::from(b))),
            Value::Int(i) => Some(i as f64),
            Value::Float(x) => Some(x),
            _ => None,
        }
    }

    #[inline(always)]
    pub(super) fn int(self) -> Option<i64> {
        match self {
            Value::Bool(b) => Some(i64::from(b)),
            Value::Int(i) => Some(i),
            _ => None,
        }
    }
}

fn error<T>(pos: Pos, message: impl Into<String>) -> Result<T, Fail> {
    Err(boxed(pos.line, pos.col, message))
}

pub(super) fn binary(op: BinOp, l: Value, r: Value, pos: Pos) -> Result<Value, Fail> {
    match op {
        // Identity: the checker lets only None, True and False through, whose identity is
        // their value (and `True is 1` is False, as the variants differ).
        BinOp::Is => return Ok(Value::Bool(l == r)),
        BinOp::IsNot => return Ok(Value::Bool(l != r)),
        _ => {}
    }
    let zero = |words: &str| error(pos, format!("ZeroDivisionError: {words}"));
    if let (Some(a), Some(b)) = (l.int(), r.int()) {
        let v = match op {
            BinOp::Add => a.checked_add(b),
            BinOp::Sub => a.checked_sub(b),
            BinOp::Mul => a.checked_mul(b),
            BinOp::Div if b == 0 => return zero("division by zero"),
            BinOp::FloorDiv if b == 0 => return zero("integer division or modulo by zero"),
            BinOp::Mod if b == 0 => return zero("integer modulo by zero"),
            // Python's `/` of two ints is the float nearest the exact quotient; through f64
            // it is exact for the magnitudes a handler holds (below 2^53).
            BinOp::Div => return Ok(Value::Float(a as f64 / b as f64)),
            BinOp::FloorDiv => a.checked_div(b).map(|q| {
                if a % b != 0 && (a < 0) != (b < 0) {
                    q - 1
                } else {
                    q
                }
            }),
            BinOp::Mod => a.checked_rem(b).map(|m| {
                if m != 0 && (m < 0) != (b < 0) {
                    m + b
                } else {
                    m
                }
            }),
            _ => return Ok(Value::Bool(compare(op, a.cmp(&b)))),
        };
        return v
            .map(Value::Int)
            .ok_or_else(|| boxed(pos.line, pos.col, "integer overflow"));
    }
    if let (Some(a), Some(b)) = (l.number(), r.number()) {
        return Ok(match op {
            BinOp::Add => Value::Float(a + b),
            BinOp::Sub => Value::Float(a - b),
            BinOp::Mul => Value::Float(a * b),
            BinOp::Div if b == 0.0 => return zero("float division by zero"),
            BinOp::FloorDiv if b == 0.0 => return zero("float floor division by zero"),
            BinOp::Mod if b == 0.0 => return zero("float modulo"),
            BinOp::Div => Value::Float(a / b),
            BinOp::FloorDiv => Value::Float(float_divmod(a, b).0),
            BinOp::Mod => Value::Float(float_divmod(a, b).1),
            _ => Value::Bool(match a.partial_cmp(&b) {
                Some(o) => compare(op, o),
                None => op == BinOp::Ne,
            }),
        });
    }
    match op {
        BinOp::Eq => Ok(Value::Bool(l == r)),
        BinOp::Ne => Ok(Value::Bool(l != r)),
        _ => error(pos, format!("unsupported operands for {}", op.symbol())),
    }
}

/// Python's float `//` and `%` (CPython's `float_divmod`): the remainder takes the divisor's
/// sign, and the quotient is rounded so that `a == q * b + r` as nearly as floats allow.
fn float_divmod(a: f64, b: f64) -> (f64, f64) {
    let mut m = fmod(a, b);
    let mut div = (a - m) / b;
    if m == 0.0 {
        m = 0.0_f64.copysign(b);
    } else if (b < 0.0) != (m < 0.0) {
        m += b;
        div -= 1.0;
    }
    let q = if div == 0.0 {
        0.0_f64.copysign(a / b)
    } else {
        let f = div.floor();
        if div - f > 0.5 {
            f + 1.0
        } else {
            f
        }
    };
    (q, m)
}

/// C's `fmod`, exact, by binary long division: `y` doubled up to `|x|`, then taken off while
/// halved back. Each subtraction is of two floats within a factor of two of each other, so
/// it is exact (Sterbenz). Ours rather than `%`'s, which brings 128-bit division into the wasm
/// (about 2,000 bytes) for the one float remainder the page takes.
pub(crate) fn fmod(x: f64, y: f64) -> f64 {
    let (mut r, y) = (x.abs(), y.abs());
    if !r.is_finite() || y.is_nan() || y == 0.0 {
        return f64::NAN;
    }
    // Below `y` (an infinite `y` too) `x` is its own remainder.
    if r >= y {
        let mut d = y;
        while d * 2.0 <= r {
            d *= 2.0;
        }
        while d >= y {
            if r >= d {
                r -= d;
            }
            d *= 0.5;
        }
    }
    r.copysign(x)
}

fn compare(op: BinOp, o: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    match op {
        BinOp::Lt => o == Less,
        BinOp::Le => o != Greater,
        BinOp::Gt => o == Greater,
        BinOp::Ge => o != Less,
        BinOp::Eq => o == Equal,
        _ => o != Equal,
    }
}

/// The request model's fields a handler reads, in `Instr::Field`'s order.
pub(crate) const FIELDS: &[&str] = &["name", "email", "course"];

/// Longest string a request may make (`"x" * 10**9` stops here, with words).
const MAX_TEXT: usize = 10_000;

/// The strings, lists and dicts one request makes.
#[derive(Default)]
pub(crate) struct Texts {
    items: Table<String>,
    /// The student's number as the page shows it (`#7`).
    pub student: u32,
}

impl Texts {
    pub(crate) fn new(student: u32) -> Texts {
        Texts {
            items: Table::default(),
            student: student + 1,
        }
    }

    /// Keeps `text` and gives the value that names it.
    pub(crate) fn str(&mut self, text: String, pos: Pos) -> Result<Value, Fail> {
        if text.chars().count() > MAX_TEXT {
            return error(
                pos,
                format!("a string here holds at most {MAX_TEXT} characters"),
            );
        }
        let full = !text.is_empty();
        self.items.push(text);
        Ok(Value::Str(self.items.len() as u32 - 1, full))
    }

    /// The student's field `i` of [`FIELDS`]: strings made from its number.
    pub(crate) fn field(&mut self, i: u8, pos: Pos) -> Result<Value, Fail> {
        let n = self.student;
        let text = match i {
            0 => format!("Student {n}"),
            1 => format!("student{n}@example.org"),
            _ => format!("Course {}", (n - 1) % 4 + 1),
        };
        self.str(text, pos)
    }

    /// An f-string's pieces joined, each as `str()` writes it.
    pub(crate) fn format(&mut self, values: &[Value], pos: Pos) -> Result<Value, Fail> {
        let mut text = String::new();
        for &v in values {
            self.write(&mut text, v, false);
        }
        self.str(text, pos)
    }

    /// A line of `print`: the values' `str()`s joined by a space.
    pub(crate) fn line(&self, values: &[Value]) -> String {
        let mut text = String::new();
        for (i, &v) in values.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            self.write(&mut text, v, false);
        }
        text
    }

    /// A Python exception of `class` raised with `message` (None: no argument).
    pub(crate) fn exception(&self, class: &str, message: Value, pos: Pos) -> Exc {
        let mut words = String::new();
        if message != Value::None {
            // A KeyError's str() is its key's repr.
            self.write(&mut words, message, class == "KeyError");
        }
        Exc {
            class: class.to_string(),
            words,
            status: 500,
            pos,
        }
    }

    /// An HTTPException: `str(e)` is `"409: course full"`; with no detail, Starlette gives
    /// the status's phrase.
    pub(crate) fn http_exception(&self, status: u16, detail: Value, pos: Pos) -> Exc {
        let mut words = format!("{status}: ");
        if detail == Value::None {
            words.push_str(phrase(status));
        } else {
            self.write(&mut words, detail, false);
        }
        Exc {
            class: "HTTPException".to_string(),
            words,
            status,
            pos,
        }
    }

    /// A logging call's message: `str(msg) % args` when there are args, as logging formats a
    /// record, or the error logging prints in its place.
    pub(crate) fn log_message(&self, values: &[Value]) -> String {
        let Some((&msg, args)) = values.split_first() else {
            return String::new();
        };
        let mut text = String::new();
        self.write(&mut text, msg, false);
        if args.is_empty() {
            return text;
        }
        let args: Vec<logging::Arg> = args
            .iter()
            .map(|&v| {
                let (mut str, mut repr) = (String::new(), String::new());
                self.write(&mut str, v, false);
                self.write(&mut repr, v, true);
                logging::Arg {
                    str,
                    repr,
                    number: v.number(),
                }
            })
            .collect();
        logging::percent(&text, &args)
            .unwrap_or_else(|e| format!("--- Logging error --- TypeError: {e}"))
    }

    /// A list or dict display: its `repr`, and whether it has items.
    pub(crate) fn build(&mut self, dict: bool, items: &[Value], pos: Pos) -> Result<Value, Fail> {
        let mut text = String::from(if dict { "{" } else { "[" });
        for (i, &v) in items.iter().enumerate() {
            if i > 0 {
                text.push_str(if dict && i % 2 == 1 { ": " } else { ", " });
            }
            self.write(&mut text, v, true);
        }
        text.push(if dict { '}' } else { ']' });
        let n = if dict { items.len() / 2 } else { items.len() } as u32;
        let Value::Str(i, _) = self.str(text, pos)? else {
            unreachable!("str() makes a string")
        };
        Ok(if dict {
            Value::Dict(i, n)
        } else {
            Value::List(i, n)
        })
    }

    /// The text a string value names.
    pub(crate) fn text(&self, i: u32) -> &str {
        &self.items[i as usize]
    }

    /// `str(v)`, or `repr(v)`, onto `out`.
    pub(crate) fn write(&self, out: &mut String, v: Value, repr: bool) {
        match v {
            Value::None => out.push_str("None"),
            Value::Bool(b) => out.push_str(if b { "True" } else { "False" }),
            Value::Int(i) => out.push_str(&i.to_string()),
            Value::Float(x) => out.push_str(&float_repr(x)),
            Value::Str(i, _) if repr => quote(out, &self.items[i as usize]),
            Value::Str(i, _) | Value::List(i, _) | Value::Dict(i, _) => {
                out.push_str(&self.items[i as usize]);
            }
            Value::Student => {
                // Pydantic's str() of a model: its fields, repr'd.
                let n = self.student;
                out.push_str(&format!(
                    "name='Student {n}' email='student{n}@example.org' course='Course {}'",
                    (n - 1) % 4 + 1
                ));
            }
            Value::Message => out.push_str("<email.message.EmailMessage object>"),
            Value::Coro(_) => out.push_str("<coroutine object>"),
            // asyncpg's Record.
            Value::Row(seats, version) => {
                out.push_str(&format!("<Record seats_left={seats} version={version}>"));
            }
        }
    }

    /// `+`, `*` and the comparisons with a string on one side (the checker let them through).
    pub(crate) fn binary(
        &mut self,
        op: BinOp,
        l: Value,
        r: Value,
        pos: Pos,
    ) -> Result<Value, Fail> {
        let text = |v: Value| match v {
            Value::Str(i, _) => Some(i as usize),
            _ => None,
        };
        match (op, text(l), text(r)) {
            (BinOp::Add, Some(a), Some(b)) => {
                let joined = format!("{}{}", self.items[a], self.items[b]);
                self.str(joined, pos)
            }
            (BinOp::Mul, Some(a), None) | (BinOp::Mul, None, Some(a)) => {
                let times = if text(l).is_some() { r.int() } else { l.int() };
                let times = usize::try_from(times.unwrap_or(0).max(0)).unwrap_or(usize::MAX);
                let one = self.items[a].chars().count();
                if one.saturating_mul(times) > MAX_TEXT {
                    return error(
                        pos,
                        format!("a string here holds at most {MAX_TEXT} characters"),
                    );
                }
                let repeated = self.items[a].repeat(times);
                self.str(repeated, pos)
            }
            (BinOp::In, Some(a), Some(b)) => {
                Ok(Value::Bool(text::contains(&self.items[b], &self.items[a])))
            }
            (BinOp::NotIn, Some(a), Some(b)) => {
                Ok(Value::Bool(!text::contains(&self.items[b], &self.items[a])))
            }
            (_, Some(a), Some(b)) => {
                // Python orders strings by code point, as UTF-8 bytes order them.
                let o = self.items[a].as_str().cmp(self.items[b].as_str());
                Ok(Value::Bool(compare(op, o)))
            }
            (BinOp::Eq, _, _) => Ok(Value::Bool(false)),
            (BinOp::Ne, _, _) => Ok(Value::Bool(true)),
            _ => binary(op, l, r, pos),
        }
    }
}

/// The phrase HTTP gives a status (Python's `http.HTTPStatus(...).phrase`), for the common ones.
fn phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Python's `repr` of a string: single quotes unless it holds one and no double quote.
fn quote(out: &mut String, s: &str) {
    let q = if text::has_byte(s, b'\'') && !text::has_byte(s, b'"') {
        '"'
    } else {
        '\''
    };
    out.push(q);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(q);
}

/// Python's `repr` of a float: the shortest digits that read back the same, positional from
/// 1e-4 up to 1e16 (with `.0` when whole), scientific outside (`1e+16`, `1.5e-05`).
pub(crate) fn float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.into();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    // The shortest digits that read back the same, as Python's repr finds them.
    let sign = if x < 0.0 { "-" } else { "" };
    let (digits, k) = decimal::shortest_digits(x.abs());
    let digits: String = digits.iter().map(|&d| char::from(b'0' + d)).collect();
    let exp = k - 1;
    if (-4..16).contains(&exp) {
        let point = exp + 1;
        let text = if point <= 0 {
            format!("0.{}{digits}", "0".repeat((-point) as usize))
        } else if point as usize >= digits.len() {
            format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
        } else {
            format!(
                "{}.{}",
                &digits[..point as usize],
                &digits[point as usize..]
            )
        };
        format!("{sign}{text}")
    } else {
        let mantissa = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{mantissa}e{esign}{:02}", exp.abs())
    }
}

#[cfg(test)]
mod tests;
