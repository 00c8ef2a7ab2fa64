//! An f-string's text split into its pieces: literal text (with `{{` and `}}` as braces) and
//! the expressions between braces, each parsed where it stands, in CPython 3.11's words.

use super::super::unsupported::construct;
use super::{boxed, Fail};
use super::{Expr, Parser, Pos};

/// The pieces of `raw` (an f-string's text between its quotes, which starts at `start`).
pub(super) fn pieces(raw: &str, start: Pos, parser: &Parser) -> Result<Vec<Expr>, Fail> {
    let chars: Vec<char> = raw.chars().collect();
    let at = |i: usize| Pos {
        line: start.line,
        col: start.col + i as u32,
    };
    let fail = |i: usize, message: &str| Err(boxed(start.line, at(i).col, message));
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    while i < chars.len() {
        match (chars[i], chars.get(i + 1)) {
            ('{', Some('{')) | ('}', Some('}')) => {
                text.push(chars[i]);
                i += 2;
            }
            ('}', _) => return fail(i, "f-string: single '}' is not allowed"),
            ('{', _) => {
                let end = closing(&chars, i + 1)
                    .ok_or_else(|| boxed(start.line, at(i).col, "f-string: expecting '}'"))?;
                let inner: String = chars[i + 1..end].iter().collect();
                if inner.trim().is_empty() {
                    return fail(i, "f-string: empty expression not allowed");
                }
                if has_spec(&inner) {
                    return Err(boxed(
                        start.line,
                        at(i).col,
                        construct(
                            "a conversion or format spec in an f-string ({x!r}, {x:.2f}, {x=})",
                            "write {x}, which gives str(x)",
                        ),
                    ));
                }
                if !text.is_empty() {
                    pieces.push(Expr::Str(std::mem::take(&mut text), at(i)));
                }
                pieces.push(parser.inner(&inner, at(i + 1))?);
                i = end + 1;
            }
            (c, _) => {
                text.push(c);
                i += 1;
            }
        }
    }
    if !text.is_empty() || pieces.is_empty() {
        pieces.push(Expr::Str(text, start));
    }
    Ok(pieces)
}

/// The `}` that closes the brace opened before `from`, past brackets and strings inside.
fn closing(chars: &[char], from: usize) -> Option<usize> {
    let (mut depth, mut quote) = (0u32, None);
    for (j, &c) in chars.iter().enumerate().skip(from) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, '}') if depth == 0 => return Some(j),
            (None, ')' | ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Whether an expression's text ends in a conversion (`!r`), a format spec (`:...`) or `=`, at
/// its own level (a `:` inside brackets or a string belongs to the expression).
fn has_spec(inner: &str) -> bool {
    let chars: Vec<char> = inner.chars().collect();
    let (mut depth, mut quote) = (0u32, None);
    for (j, &c) in chars.iter().enumerate() {
        let next = chars.get(j + 1).copied();
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth = depth.saturating_sub(1),
            (None, ':') if depth == 0 => return true,
            (None, '!') if depth == 0 && next != Some('=') => return true,
            _ => {}
        }
    }
    let t = inner.trim_end();
    t.ends_with('=')
        && !t.ends_with("==")
        && !t.ends_with("!=")
        && !t.ends_with("<=")
        && !t.ends_with(">=")
}
