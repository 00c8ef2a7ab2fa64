//! The handler language's tokens: Python's lexical rules for the subset it covers (names,
//! numbers, strings, operators, `#` comments, and indentation turned into `Indent`/`Dedent`
//! tokens, newlines inside brackets ignored). It only splits text; it never decides meaning.

use super::{boxed, CodeError, Fail};
use crate::sim::decimal;
use crate::sim::store::Table;
use crate::sim::text::{lines, split};

mod number;
use number::number;

/// One token and where it starts (1-based line and column, in characters).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Token {
    pub kind: Tok,
    pub line: u32,
    pub col: u32,
}

/// What a token is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    Name(String),
    Int(i64),
    Float(f64),
    Str(String),
    /// An operator or punctuation: `( ) , : = . @ + - * < <= > >= == != += -= *= -> /`.
    Op(&'static str),
    Newline,
    Indent,
    Dedent,
    Eof,
}

impl Tok {
    /// The token as an error message names it.
    pub fn describe(&self) -> String {
        match self {
            Tok::Name(n) => format!("'{n}'"),
            Tok::Int(i) => format!("'{i}'"),
            Tok::Float(x) => format!("'{}'", decimal::shortest(*x)),
            Tok::Str(_) => "a string".to_string(),
            Tok::Op(op) => format!("'{op}'"),
            Tok::Newline => "the end of the line".to_string(),
            Tok::Indent => "an indented block".to_string(),
            Tok::Dedent => "the end of the block".to_string(),
            Tok::Eof => "the end of the code".to_string(),
        }
    }
}

/// Longest first, so `<=` is not read as `<` then `=`.
/// The bitwise operators, `:=` and `...` are read so that the parser can say they are valid
/// Python it does not run.
const OPS: &[&str] = &[
    "//=", "...", "**", "//", "->", "/=", "%=", "<=", ">=", "==", "!=", "+=", "-=", "*=", "<<",
    ">>", ":=", "(", ")", "[", "]", "{", "}", ",", ":", "=", ".", "@", "+", "-", "*", "/", "%",
    "<", ">", ";", "|", "&", "^", "~",
];

/// Most brackets open at once: CPython's tokenizer stops at 200 (`MAXLEVEL`), with its words.
pub(crate) const MAX_BRACKETS: usize = 200;
/// Most indentation levels, the first one included: CPython's `MAXINDENT`.
pub(crate) const MAX_INDENTS: usize = 100;

/// Splits `text` into tokens.
///
/// # Errors
/// The first character or indentation Python's tokenizer would reject, with its position.
#[cfg(test)]
pub(crate) fn tokenize(text: &str) -> Result<Vec<Token>, CodeError> {
    match tokens_until_error(text) {
        (tokens, None) => Ok(tokens),
        (_, Some(e)) => Err(e),
    }
}

/// The tokens of `text` up to its first lexical error, ended by `Eof` where the error is, and
/// that error. The parser reads them even so: a syntax error before the lexical one is the one
/// to report, as CPython's parser, which pulls tokens one at a time, reports it.
pub(crate) fn tokens_until_error(text: &str) -> (Vec<Token>, Option<CodeError>) {
    let mut out = Vec::new();
    match lex(text, &mut out) {
        Ok(()) => (out, None),
        Err(e) => {
            out.push(tok(Tok::Eof, e.line, e.column));
            (out, Some(*e))
        }
    }
}

fn lex(text: &str, out: &mut Vec<Token>) -> Result<(), Fail> {
    let mut indents: Vec<u32> = vec![0];
    // Where each open bracket is, for "never closed" and the nesting limit.
    let mut open: Vec<(u32, u32, &'static str)> = Vec::new();
    // A string that runs past its first line: its quote, where it started, its text, and
    // whether it is triple-quoted (else a backslash ended its line).
    let mut open_str: Option<(char, u32, u32, String, bool)> = None;
    // The line before ended with a backslash: this one goes on with it.
    let mut joined = false;
    for (i, raw) in split(text, "\n").into_iter().enumerate() {
        let line = i as u32 + 1;
        let continued = std::mem::take(&mut joined);
        let chars: Table<char> = raw.trim_end_matches('\r').chars().collect();
        let mut pos = 0usize;
        if let Some((quote, start_line, start_col, mut body, triple)) = open_str.take() {
            body.push('\n');
            let end = if triple {
                find_triple(&chars, 0, quote).ok_or(true)
            } else {
                closing(&chars, 0, quote)
            };
            match end {
                Ok(end) => {
                    body.extend(&chars[..end]);
                    out.push(tok(Tok::Str(body), start_line, start_col));
                    pos = end + if triple { 3 } else { 1 };
                }
                Err(true) => {
                    body.extend(&chars);
                    open_str = Some((quote, start_line, start_col, body, triple));
                    continue;
                }
                // The empty line after a final newline is the end of the code, not a line.
                Err(false) => {
                    let detected = line.min(lines(text).len() as u32);
                    return Err(unterminated(start_line, start_col, detected));
                }
            }
        } else if open.is_empty() && !continued {
            let mut width = 0u32;
            while pos < chars.len() && (chars[pos] == ' ' || chars[pos] == '\t') {
                if chars[pos] == '\t' {
                    return Err(boxed(line, pos as u32 + 1, "indent with spaces, not tabs"));
                }
                width += 1;
                pos += 1;
            }
            // Blank and comment-only lines do not count for indentation.
            if pos == chars.len() || chars[pos] == '#' {
                continue;
            }
            let current = *indents.last().unwrap_or(&0);
            if width > current {
                if indents.len() >= MAX_INDENTS {
                    return Err(boxed(line, 1, "too many levels of indentation"));
                }
                indents.push(width);
                out.push(tok(Tok::Indent, line, 1));
            } else if width < current {
                while indents.last().is_some_and(|&w| w > width) {
                    indents.pop();
                    out.push(tok(Tok::Dedent, line, width + 1));
                }
                if indents.last() != Some(&width) {
                    return Err(boxed(
                        line,
                        width + 1,
                        "unindent does not match any outer indentation level",
                    ));
                }
            }
        }
        while pos < chars.len() {
            let c = chars[pos];
            let col = pos as u32 + 1;
            // A form feed is whitespace inside a line too, as in Python.
            if c == ' ' || c == '\t' || c == '\x0c' {
                pos += 1;
            } else if c == '#' {
                break;
            } else if c == '\\' {
                // A line continuation, as in Python: nothing may follow it.
                if pos + 1 < chars.len() {
                    let message = "unexpected character after line continuation character";
                    return Err(boxed(line, col + 1, message));
                }
                joined = true;
                break;
            } else if name_char(c) && !c.is_ascii_digit() {
                let start = pos;
                while pos < chars.len() && name_char(chars[pos]) {
                    pos += 1;
                }
                let name: String = chars[start..pos].iter().collect();
                out.push(tok(Tok::Name(name), line, col));
            } else if c.is_ascii_digit()
                || (c == '.' && chars.get(pos + 1).is_some_and(char::is_ascii_digit))
            {
                let (kind, end) = number(&chars, pos, line)?;
                pos = end;
                out.push(tok(kind, line, col));
            } else if (c == '"' || c == '\'')
                && starts_with(&chars[pos..], &c.to_string().repeat(3))
            {
                let body = pos + 3;
                if let Some(end) = find_triple(&chars, body, c) {
                    out.push(tok(Tok::Str(chars[body..end].iter().collect()), line, col));
                    pos = end + 3;
                } else {
                    open_str = Some((c, line, col, chars[body..].iter().collect(), true));
                    break;
                }
            } else if c == '"' || c == '\'' {
                // Its escapes are decoded by the parser, which knows whether the string is raw.
                match closing(&chars, pos + 1, c) {
                    Ok(end) => {
                        out.push(tok(
                            Tok::Str(chars[pos + 1..end].iter().collect()),
                            line,
                            col,
                        ));
                        pos = end + 1;
                    }
                    Err(true) => {
                        open_str = Some((c, line, col, chars[pos + 1..].iter().collect(), false));
                        break;
                    }
                    Err(false) => return Err(unterminated(line, col, line)),
                }
            } else if let Some(op) = OPS.iter().find(|op| starts_with(&chars[pos..], op)) {
                match *op {
                    "(" | "[" | "{" => {
                        if open.len() >= MAX_BRACKETS {
                            return Err(boxed(line, col, "too many nested parentheses"));
                        }
                        open.push((line, col, op));
                    }
                    ")" | "]" | "}" => {
                        let Some((_, _, opener)) = open.pop() else {
                            return Err(boxed(line, col, format!("unmatched '{op}'")));
                        };
                        let wanted = match opener {
                            "(" => ")",
                            "[" => "]",
                            _ => "}",
                        };
                        if *op != wanted {
                            return Err(boxed(
                                line,
                                col,
                                format!(
                                    "closing parenthesis '{op}' does not match opening \
                                     parenthesis '{opener}'"
                                ),
                            ));
                        }
                    }
                    _ => {}
                }
                pos += op.len();
                out.push(tok(Tok::Op(op), line, col));
            } else {
                return Err(boxed(line, col, invalid_character(c)));
            }
        }
        let ends = open_str.is_none() && open.is_empty() && !joined;
        if ends && out.last().is_some_and(|t| t.kind != Tok::Newline) {
            out.push(tok(Tok::Newline, line, chars.len() as u32 + 1));
        }
    }
    let last_line = split(text, "\n").len() as u32;
    if let Some((_, line, col, _, triple)) = open_str {
        // CPython counts the lines without the empty one after a final newline.
        let detected = lines(text).len().max(1) as u32;
        if !triple {
            return Err(unterminated(line, col, detected));
        }
        let message =
            format!("unterminated triple-quoted string literal (detected at line {detected})");
        return Err(boxed(line, col, message));
    }
    if let Some(&(line, col, opener)) = open.last() {
        return Err(boxed(line, col, format!("'{opener}' was never closed")));
    }
    if out.last().is_some_and(|t| t.kind != Tok::Newline) {
        out.push(tok(Tok::Newline, last_line, 1));
    }
    // CPython places the end of the code after the last character of its last line that has
    // any, whitespace included (where "expected an indented block" points when the code ends),
    // and the blocks the end closes there too.
    let (eof_line, eof_col) = split(text, "\n")
        .into_iter()
        .enumerate()
        .rfind(|(_, l)| !l.trim_end_matches('\r').is_empty())
        .map_or((1, 1), |(i, l)| {
            (
                i as u32 + 1,
                l.trim_end_matches('\r').chars().count() as u32 + 1,
            )
        });
    while indents.len() > 1 {
        indents.pop();
        out.push(tok(Tok::Dedent, eof_line.max(1), eof_col));
    }
    out.push(tok(Tok::Eof, eof_line.max(1), eof_col));
    Ok(())
}

fn tok(kind: Tok, line: u32, col: u32) -> Token {
    Token { kind, line, col }
}

/// Whether `c` may be part of a name (a digit only after the first character). Python's rule is
/// Unicode's identifier classes; the standard library's letter tables would cost the page about
/// 2 kB, so outside ASCII a character counts unless it lies in a block of punctuation and symbols.
/// What a reader pastes by mistake (curly quotes, dashes, a no-break space, `×`, arrows, emoji,
/// full-width commas) is refused as Python refuses it. The 209 characters of those blocks that
/// Python takes in a name (`ℕ`, `Ⅻ`, `々`, as Python 3.11 and Unicode 14 have them) are listed
/// back, so no valid name is refused; 4,293 marks of other scripts that Python refuses (`।`, `،`)
/// are taken.
fn name_char(c: char) -> bool {
    const NOT_LETTERS: [(u32, u32); 15] = [
        (0x80, 0xA9), // Latin-1 punctuation and signs, but `ª µ · º`
        (0xAB, 0xB4),
        (0xB6, 0xB6),
        (0xB8, 0xB9),
        (0xBB, 0xBF),
        (0xD7, 0xD7),     // ×
        (0xF7, 0xF7),     // ÷
        (0x2000, 0x2BFF), // spaces, dashes, quotes, arrows, mathematical and other symbols
        (0x3000, 0x303F), // CJK spaces and punctuation
        (0xE000, 0xF8FF), // private use
        (0xFE00, 0xFE6F), // variation selectors, vertical and small forms
        (0xFEFF, 0xFEFF), // the byte-order mark
        (0xFF00, 0xFF20), // full-width punctuation
        (0xFF3B, 0xFF40),
        (0x1F000, 0x1FAFF), // emoji and pictographs
    ];
    // The runs of `('a' + c).isidentifier()` inside NOT_LETTERS.
    const LETTERS_AMONG_THEM: [(u32, u32); 31] = [
        (0x203F, 0x2040),
        (0x2054, 0x2054),
        (0x2071, 0x2071),
        (0x207F, 0x207F),
        (0x2090, 0x209C),
        (0x20D0, 0x20DC),
        (0x20E1, 0x20E1),
        (0x20E5, 0x20F0),
        (0x2102, 0x2102),
        (0x2107, 0x2107),
        (0x210A, 0x2113),
        (0x2115, 0x2115),
        (0x2118, 0x211D),
        (0x2124, 0x2124),
        (0x2126, 0x2126),
        (0x2128, 0x2128),
        (0x212A, 0x2139),
        (0x213C, 0x213F),
        (0x2145, 0x2149),
        (0x214E, 0x214E),
        (0x2160, 0x2188),
        (0x3005, 0x3007),
        (0x3021, 0x302F),
        (0x3031, 0x3035),
        (0x3038, 0x303C),
        (0xFE00, 0xFE0F),
        (0xFE20, 0xFE2F),
        (0xFE33, 0xFE34),
        (0xFE4D, 0xFE4F),
        (0xFF10, 0xFF19),
        (0xFF3F, 0xFF3F),
    ];
    let n = c as u32;
    let among = |runs: &[(u32, u32)]| runs.iter().any(|&(lo, hi)| (lo..=hi).contains(&n));
    c.is_ascii_alphanumeric()
        || c == '_'
        || (n > 0x7F && (!among(&NOT_LETTERS) || among(&LETTERS_AMONG_THEM)))
}

/// Python's words for a character no token starts with: a non-ASCII one with its code point, and
/// one that cannot be seen by its code point alone. Python's "cannot be seen" is Unicode's spaces,
/// separators and format characters; these are the ones text picks up when it is pasted (no-break
/// and zero-width spaces, direction marks, the byte-order mark, a soft hyphen).
fn invalid_character(c: char) -> String {
    let n = c as u32;
    let mut hex = String::new();
    let mut rest = n;
    while rest > 0 || hex.len() < 4 {
        hex.insert(0, b"0123456789ABCDEF"[(rest % 16) as usize].into());
        rest /= 16;
    }
    let unseen = c.is_whitespace()
        || matches!(n, 0x80..=0x9F | 0xAD | 0x200B..=0x200F | 0x202A..=0x202E)
        || matches!(n, 0x2060..=0x206F | 0xFEFF);
    if c.is_ascii_graphic() {
        // `$`, `?`, `!`, a backquote: Python has no token that starts so.
        "invalid syntax".to_string()
    } else if unseen || c.is_ascii_control() {
        format!("invalid non-printable character U+{hex}")
    } else {
        format!("invalid character '{c}' (U+{hex})")
    }
}

/// A string literal's text with Python's common escapes decoded (`\\n`, `\\t`, `\\'` ...);
/// any other backslash stays, as Python keeps an unknown escape.
pub(crate) fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some(e @ ('\\' | '\'' | '"')) => out.push(e),
            Some('\n') => {}
            Some(e) => {
                out.push('\\');
                out.push(e);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Where a string of one `quote` closes on its line, from `from` on, past backslash escapes; else
/// whether a backslash ends the line, so that the string goes on to the next (`Err(true)`).
fn closing(chars: &[char], from: usize, quote: char) -> Result<usize, bool> {
    let mut end = from;
    while end < chars.len() && chars[end] != quote {
        end += if chars[end] == '\\' { 2 } else { 1 };
    }
    if end < chars.len() {
        Ok(end)
    } else {
        Err(end > chars.len())
    }
}

/// CPython's words for a string of one quote that never closes.
fn unterminated(line: u32, col: u32, detected: u32) -> Fail {
    let message = format!("unterminated string literal (detected at line {detected})");
    boxed(line, col, message)
}

/// Where the closing triple quote of `quote` is, from `from` on.
fn find_triple(chars: &[char], from: usize, quote: char) -> Option<usize> {
    (from..chars.len().saturating_sub(2)).find(|&i| chars[i..i + 3].iter().all(|&d| d == quote))
}

fn starts_with(chars: &[char], op: &str) -> bool {
    op.chars()
        .enumerate()
        .all(|(i, c)| chars.get(i) == Some(&c))
}

/// Python's keywords (soft ones excluded), which cannot be names.
pub(crate) fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "and"
            | "as"
            | "assert"
            | "async"
            | "await"
            | "break"
            | "class"
            | "continue"
            | "def"
            | "del"
            | "elif"
            | "else"
            | "except"
            | "finally"
            | "for"
            | "from"
            | "global"
            | "if"
            | "import"
            | "in"
            | "is"
            | "lambda"
            | "nonlocal"
            | "not"
            | "or"
            | "pass"
            | "raise"
            | "return"
            | "try"
            | "while"
            | "with"
            | "yield"
            | "True"
            | "False"
            | "None"
    )
}

#[cfg(test)]
mod tests;
