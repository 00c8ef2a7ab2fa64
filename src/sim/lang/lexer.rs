//! The handler language's tokens: Python's lexical rules for the subset it covers (names,
//! numbers, strings, operators, `#` comments, and indentation turned into `Indent`/`Dedent`
//! tokens, newlines inside brackets ignored). It only splits text; it never decides meaning.

use super::{boxed, CodeError, Fail};
use crate::sim::decimal;
use crate::sim::store::Table;

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
const OPS: &[&str] = &[
    "//=", "**", "//", "->", "/=", "%=", "<=", ">=", "==", "!=", "+=", "-=", "*=", "(", ")", "[",
    "]", "{", "}", ",", ":", "=", ".", "@", "+", "-", "*", "/", "%", "<", ">", ";",
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
    // A triple-quoted string that runs past its first line: where it started and its text.
    let mut triple: Option<(char, u32, u32, String)> = None;
    for (i, raw) in text.split('\n').enumerate() {
        let line = i as u32 + 1;
        let chars: Table<char> = raw.trim_end_matches('\r').chars().collect();
        let mut pos = 0usize;
        if let Some((quote, start_line, start_col, mut text)) = triple.take() {
            text.push('\n');
            let Some(end) = find_triple(&chars, 0, quote) else {
                text.extend(&chars);
                triple = Some((quote, start_line, start_col, text));
                continue;
            };
            text.extend(&chars[..end]);
            out.push(tok(Tok::Str(text), start_line, start_col));
            pos = end + 3;
        } else if open.is_empty() {
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
            if c == ' ' || c == '\t' {
                pos += 1;
            } else if c == '#' {
                break;
            } else if c == '\\' {
                return Err(boxed(
                    line,
                    col,
                    "a backslash line continuation is not supported: use parentheses",
                ));
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
                    triple = Some((c, line, col, chars[body..].iter().collect()));
                    break;
                }
            } else if c == '"' || c == '\'' {
                // The closing quote, past backslash escapes (decoded by the parser, which knows
                // whether the string is raw).
                let mut end = pos + 1;
                while end < chars.len() && chars[end] != c {
                    end += if chars[end] == '\\' { 2 } else { 1 };
                }
                if end >= chars.len() {
                    return Err(boxed(line, col, "unterminated string literal"));
                }
                let text: String = chars[pos + 1..end].iter().collect();
                pos = end + 1;
                out.push(tok(Tok::Str(text), line, col));
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
        if triple.is_none() && open.is_empty() && out.last().is_some_and(|t| t.kind != Tok::Newline)
        {
            out.push(tok(Tok::Newline, line, chars.len() as u32 + 1));
        }
    }
    let last_line = text.split('\n').count() as u32;
    if let Some((_, line, col, _)) = triple {
        // CPython counts the lines without the empty one after a final newline.
        let detected = text.lines().count().max(1);
        return Err(boxed(
            line,
            col,
            format!("unterminated triple-quoted string literal (detected at line {detected})"),
        ));
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
    let (eof_line, eof_col) = text
        .split('\n')
        .enumerate()
        .filter(|(_, l)| !l.trim_end_matches('\r').is_empty())
        .last()
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
/// full-width commas) is refused as Python refuses it. Measured against Python 3.11 (Unicode 14)
/// over the assigned characters: 209 that Python takes in a name fall in these blocks (`ℕ`, `Ⅻ`,
/// `々`) and are refused; 4,294 marks of other scripts that Python refuses (`।`, `،`) are taken.
fn name_char(c: char) -> bool {
    const NOT_LETTERS: [(u32, u32); 14] = [
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
        (0xFF00, 0xFF20), // full-width punctuation
        (0xFF3B, 0xFF40),
        (0x1F000, 0x1FAFF), // emoji and pictographs
    ];
    let n = c as u32;
    c.is_ascii_alphanumeric()
        || c == '_'
        || (n > 0x7F && !NOT_LETTERS.iter().any(|&(lo, hi)| (lo..=hi).contains(&n)))
}

/// Python's words for a character no token starts with: a non-ASCII one with its code point, and
/// one that cannot be seen (a no-break or zero-width space) by its code point alone. What cannot be
/// seen is what the standard library writes escaped.
fn invalid_character(c: char) -> String {
    let n = c as u32;
    if c.is_ascii() {
        format!("invalid character '{c}'")
    } else if c.escape_debug().next() == Some('\\') || c.is_whitespace() {
        format!("invalid non-printable character U+{n:04X}")
    } else {
        format!("invalid character '{c}' (U+{n:04X})")
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

/// Where the closing triple quote of `quote` is, from `from` on.
fn find_triple(chars: &[char], from: usize, quote: char) -> Option<usize> {
    (from..chars.len().saturating_sub(2)).find(|&i| chars[i..i + 3].iter().all(|&d| d == quote))
}

fn starts_with(chars: &[char], op: &str) -> bool {
    op.chars()
        .enumerate()
        .all(|(i, c)| chars.get(i) == Some(&c))
}

/// A number from `start`: digits (with `_` separators), an optional fraction and exponent.
fn number(chars: &[char], start: usize, line: u32) -> Result<(Tok, usize), Fail> {
    let mut pos = start;
    let mut float = false;
    let digits = |pos: &mut usize| {
        while *pos < chars.len() && (chars[*pos].is_ascii_digit() || chars[*pos] == '_') {
            *pos += 1;
        }
    };
    digits(&mut pos);
    if chars.get(pos) == Some(&'.') {
        float = true;
        pos += 1;
        digits(&mut pos);
    }
    if matches!(chars.get(pos), Some('e' | 'E')) {
        float = true;
        pos += 1;
        if matches!(chars.get(pos), Some('+' | '-')) {
            pos += 1;
        }
        digits(&mut pos);
    }
    let col = start as u32 + 1;
    if chars.get(pos).is_some_and(|c| name_char(*c)) {
        return Err(boxed(line, col, "invalid number"));
    }
    let text: String = chars[start..pos].iter().filter(|c| **c != '_').collect();
    let kind = if float {
        decimal::parse(&text)
            .filter(|x| x.is_finite())
            .map(Tok::Float)
    } else {
        decimal::whole(&text)
            .and_then(|n| i64::try_from(n).ok())
            .map(Tok::Int)
    };
    let kind = kind.ok_or_else(|| boxed(line, col, "invalid or too large number"))?;
    Ok((kind, pos))
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
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Tok> {
        tokenize(text)
            .unwrap()
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    #[test]
    fn indentation_becomes_tokens() {
        let k = kinds("def f(x):\n    pass\n");
        assert!(k.contains(&Tok::Indent));
        assert_eq!(k[k.len() - 2], Tok::Dedent);
        assert_eq!(k.last(), Some(&Tok::Eof));
    }

    #[test]
    fn newlines_inside_brackets_are_joined() {
        let k = kinds("f(1,\n  2)\n");
        assert_eq!(k.iter().filter(|t| **t == Tok::Newline).count(), 1);
        assert!(!k.contains(&Tok::Indent));
    }

    #[test]
    fn errors_have_positions() {
        let e = tokenize("x = 1\n  y = $\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 7));
        let e = tokenize("if x:\n        a\n    b\n").unwrap_err();
        assert_eq!(
            e.message,
            "unindent does not match any outer indentation level"
        );
        assert_eq!(kinds("x = 1.5e3")[2], Tok::Float(1500.0));
    }

    #[test]
    fn names_in_any_script_and_pasted_punctuation_as_python_names_it() {
        // Python 3.11 compiles each of these names.
        for name in ["élève", "größe", "имя", "名前", "αβ", "µs", "x·y", "ｘ"] {
            assert_eq!(
                kinds(&format!("{name} = 1"))[0],
                Tok::Name(name.into()),
                "{name}"
            );
        }
        // And refuses these characters with these words (`compile(text, "s", "exec")`).
        for (text, message) in [
            ("x = a\u{2013}b", "invalid character '\u{2013}' (U+2013)"),
            (
                "x = \u{201c}y\u{201d}",
                "invalid character '\u{201c}' (U+201C)",
            ),
            ("x = a \u{d7} b", "invalid character '\u{d7}' (U+00D7)"),
            ("x²", "invalid character '\u{b2}' (U+00B2)"),
            ("f(1\u{ff0c} 2)", "invalid character '\u{ff0c}' (U+FF0C)"),
            ("a\u{a0}b", "invalid non-printable character U+00A0"),
            ("x = \u{200b}b", "invalid non-printable character U+200B"),
        ] {
            assert_eq!(tokenize(text).unwrap_err().message, message, "{text}");
        }
        // A name cannot start with a digit, and a digit cannot run into a letter.
        assert_eq!(tokenize("x = 1é").unwrap_err().message, "invalid number");
    }

    #[test]
    fn nesting_stops_where_cpython_stops() {
        // CPython 3.11: 99 nested blocks compile, the 100th level is refused on its line.
        let blocks = |n: usize| {
            let mut text: String = (0..n)
                .map(|i| format!("{}if x:\n", " ".repeat(i)))
                .collect();
            text.push_str(&" ".repeat(n));
            text.push_str("pass\n");
            text
        };
        assert!(tokenize(&blocks(99)).is_ok());
        let e = tokenize(&blocks(100)).unwrap_err();
        assert_eq!(
            (e.line, e.message.as_str()),
            (101, "too many levels of indentation")
        );
        // 200 brackets compile, the 201st is refused where it is.
        let brackets = |n: usize| format!("x = {}1{}", "(".repeat(n), ")".repeat(n));
        assert!(tokenize(&brackets(200)).is_ok());
        let e = tokenize(&brackets(201)).unwrap_err();
        assert_eq!(
            (e.column, e.message.as_str()),
            (205, "too many nested parentheses")
        );
    }
}
