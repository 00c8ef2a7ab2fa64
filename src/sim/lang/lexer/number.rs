//! Number literals, read as CPython's tokenizer (3.11) reads them, with its errors.

use super::{starts_with, Tok};
use crate::sim::decimal;
use crate::sim::lang::{boxed, Fail};
use crate::sim::text::replace;

/// A number from `start`, read as CPython's tokenizer (3.11) reads it: decimal integers (no
/// leading zeros), `0x`, `0o` and `0b` integers, floats, single `_` between digits; its errors in
/// its words and at its columns. A number may run straight into `and`, `else`, `for`, `if`, `in`,
/// `is`, `not` or `or` (`1if x else 2`), as CPython allows.
pub(super) fn number(chars: &[char], start: usize, line: u32) -> Result<(Tok, usize), Fail> {
    let at = |i: usize| chars.get(i).copied().unwrap_or('\n');
    let radix = match (at(start), at(start + 1).to_ascii_lowercase()) {
        ('0', 'x') => 16,
        ('0', 'o') => 8,
        ('0', 'b') => 2,
        _ => 10,
    };
    let (end, float) = match scan(chars, start, radix) {
        Ok(found) => found,
        Err(i) if radix == 10 && matches!(at(i), 'j' | 'J') && at(i - 1) != '_' => {
            let message = "complex numbers (2j) are valid Python, but the numbers here are \
                           integers and floats";
            return Err(boxed(line, start as u32 + 1, message));
        }
        // CPython names a decimal digit in a binary or octal literal at its own column, and
        // anything else at the column before the character it cannot take.
        Err(i) if radix < 10 && at(i).is_ascii_digit() => {
            let kind = if radix == 2 { "binary" } else { "octal" };
            let message = format!("invalid digit '{}' in {kind} literal", at(i));
            return Err(boxed(line, i as u32 + 1, message));
        }
        Err(i) => {
            let message = match radix {
                16 => "invalid hexadecimal literal",
                8 => "invalid octal literal",
                2 => "invalid binary literal",
                _ => "invalid decimal literal",
            };
            return Err(boxed(line, i as u32, message));
        }
    };
    if float {
        let text: String = chars[start..end].iter().collect();
        let x = decimal::parse(&replace(&text, "_", "")).unwrap_or_default();
        return Ok((Tok::Float(x), end));
    }
    // The digits after any prefix; `_` is no digit.
    let mut n: u64 = 0;
    for c in chars
        .get(start + 2 * usize::from(radix != 10)..end)
        .unwrap_or_default()
    {
        let d = digit_value(*c);
        if d < radix {
            // Past `i64::MAX` the number is too large for good (`u64::MAX` says so).
            let (radix, d) = (u64::from(radix), u64::from(d));
            n = if n <= (i64::MAX as u64 - d) / radix {
                n * radix + d
            } else {
                u64::MAX
            };
        }
    }
    let col = start as u32 + 1;
    if radix == 10 && at(start) == '0' && n != 0 {
        let message = "leading zeros in decimal integer literals are not permitted; use an 0o \
                       prefix for octal integers";
        return Err(boxed(line, col, message));
    }
    match i64::try_from(n) {
        Ok(n) => Ok((Tok::Int(n), end)),
        Err(_) => {
            let message = "a whole number this large is valid Python, but whole numbers here \
                           stop at 9223372036854775807";
            Err(boxed(line, col, message))
        }
    }
}

/// Where the number from `start` (in `radix`, its prefix included) ends and whether it is a
/// float, or where CPython stops reading it.
fn scan(chars: &[char], start: usize, radix: u32) -> Result<(usize, bool), usize> {
    let at = |i: usize| chars.get(i).copied().unwrap_or('\n');
    let mut float = false;
    let mut pos = match radix {
        10 if at(start) == '.' => start,
        10 => digit_run(chars, start, 10)?,
        _ => digit_run(chars, start + 2, radix)?,
    };
    if radix == 10 && at(pos) == '.' {
        float = true;
        pos += 1;
        if at(pos).is_ascii_digit() {
            pos = digit_run(chars, pos, 10)?;
        }
    }
    if radix == 10 && matches!(at(pos), 'e' | 'E') {
        let sign = usize::from(matches!(at(pos + 1), '+' | '-'));
        if at(pos + 1 + sign).is_ascii_digit() {
            float = true;
            pos = digit_run(chars, pos + 1 + sign, 10)?;
        } else if sign == 1 {
            return Err(pos + 2);
        }
    }
    let keyword = ["and", "else", "for", "if", "in", "is", "not", "or"]
        .iter()
        .any(|k| starts_with(chars.get(pos..).unwrap_or_default(), k));
    // Only an ASCII letter or `_` spoils a number: CPython 3.11 ends `1é` at the `1` and its
    // parser refuses the name after it ("invalid syntax"), as ours does.
    let letter = at(pos).is_ascii_alphabetic() || at(pos) == '_';
    if (letter && !keyword) || (radix < 10 && at(pos).is_ascii_digit()) {
        return Err(pos);
    }
    Ok((pos, float))
}

/// Digits of `radix` with single `_` between them, from `i` (a `_` first only after a prefix):
/// where they end, or where CPython stops.
fn digit_run(chars: &[char], mut i: usize, radix: u32) -> Result<usize, usize> {
    let digit = |i: usize| chars.get(i).is_some_and(|c| digit_value(*c) < radix);
    loop {
        if chars.get(i) == Some(&'_') {
            i += 1;
        }
        if !digit(i) {
            return Err(i);
        }
        while digit(i) {
            i += 1;
        }
        if chars.get(i) != Some(&'_') {
            return Ok(i);
        }
    }
}

/// What a digit is worth, up to hexadecimal (16 or more for any other character). Not
/// `char::to_digit`, whose check of a radix known only when it runs is a panic message in the page.
fn digit_value(c: char) -> u32 {
    match c {
        '0'..='9' => c as u32 - '0' as u32,
        'a'..='f' => c as u32 - 'a' as u32 + 10,
        'A'..='F' => c as u32 - 'A' as u32 + 10,
        _ => 16,
    }
}
