//! The lexer's tests: Python's lexical rules, each case as CPython 3.11 reads it.

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
fn a_backslash_goes_on_to_the_next_line() {
    // CPython 3.11 prints 3 for each of these.
    assert_eq!(kinds("x = 1 + \\\n    2\n"), kinds("x = 1 + 2\n"));
    assert_eq!(
        kinds("if x:\n    y = 1 + \\\n2\n    z = y\n"),
        kinds("if x:\n    y = 1 + 2\n    z = y\n")
    );
    assert_eq!(kinds("x = (1 + \\\n 2)\n"), kinds("x = (1 + 2)\n"));
    // "unexpected character after line continuation character", at the character after it.
    for text in ["x = 1 \\ 2", "x = 1 \\# c"] {
        let e = tokenize(text).unwrap_err();
        let want = "unexpected character after line continuation character";
        assert_eq!((e.message.as_str(), e.column), (want, 8), "{text}");
    }
    // A blank line or a comment after it ends the statement there (Python: invalid syntax).
    let k = kinds("x = 1 + \\\n\ny = 2\n");
    assert_eq!(k[4], Tok::Newline);
}

#[test]
fn a_string_goes_on_past_a_backslash_at_the_end_of_its_line() {
    // The backslash and the newline stay in the token; the parser drops them (`unescape`) or,
    // in a raw string, keeps them, as CPython 3.11 does: len('ab\<newline>c') is 3,
    // len(r'ab\<newline>c') 5.
    let k = kinds("x = 'ab\\\nc' + 'd'\n");
    assert_eq!(k[2], Tok::Str("ab\\\nc".into()));
    assert_eq!(k[3..5], [Tok::Op("+"), Tok::Str("d".into())]);
    assert_eq!(unescape("ab\\\nc"), "abc");
    // CPython's words and places: the string's start, the line where it was found open.
    for (text, line, col, detected) in [
        ("y = 1\nx = 'abc\n", 2, 5, 2),
        ("x = 'abc\\\ndef\nprint(x)\n", 1, 5, 2),
        ("x = 'abc\\\n", 1, 5, 1),
        ("x = 'a\\\nb\\\n", 1, 5, 2),
        ("x = 'a\\\nb\\\n\n\n", 1, 5, 3),
    ] {
        let e = tokenize(text).unwrap_err();
        let want = format!("unterminated string literal (detected at line {detected})");
        assert_eq!((e.message, e.line, e.column), (want, line, col), "{text}");
    }
}

#[test]
fn a_form_feed_inside_a_line_is_whitespace() {
    // CPython 3.11 runs `x = 1 \f+ 2` and prints 3.
    assert_eq!(kinds("x = 1 \u{c}+ 2"), kinds("x = 1 + 2"));
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
    for name in [
        "élève", "größe", "имя", "名前", "αβ", "µs", "x·y", "ｘ", "ℕ", "Ⅻ", "々", "x‿y", "x１",
    ] {
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
        ("x = \u{feff}b", "invalid non-printable character U+FEFF"),
        ("x = \u{ad}b", "invalid non-printable character U+00AD"),
        ("x = \u{3000}b", "invalid non-printable character U+3000"),
        ("x = 1 \u{1f600}", "invalid character '\u{1f600}' (U+1F600)"),
        // ASCII: no token starts with these, and control characters cannot be seen.
        ("x = a $b", "invalid syntax"),
        ("x = a ?b", "invalid syntax"),
        ("x = a `b", "invalid syntax"),
        ("x = a !b", "invalid syntax"),
        ("x = 1 \u{1}+ 2", "invalid non-printable character U+0001"),
        ("x = a \u{7f}b", "invalid non-printable character U+007F"),
        ("x = a \u{b}b", "invalid non-printable character U+000B"),
    ] {
        assert_eq!(tokenize(text).unwrap_err().message, message, "{text}");
    }
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

#[test]
fn numbers_as_cpython_reads_them() {
    // Each value as Python 3.11 evaluates the literal.
    for (text, want) in [
        ("0x1F", Tok::Int(31)),
        ("0X_f_F", Tok::Int(255)),
        ("0o17", Tok::Int(15)),
        ("0b101", Tok::Int(5)),
        ("1_000", Tok::Int(1000)),
        ("00", Tok::Int(0)),
        ("0_0", Tok::Int(0)),
        ("9223372036854775807", Tok::Int(i64::MAX)),
        ("1.", Tok::Float(1.0)),
        (".5", Tok::Float(0.5)),
        ("1.e5", Tok::Float(1e5)),
        ("1e5_5", Tok::Float(1e55)),
        ("09.5", Tok::Float(9.5)),
        ("1e400", Tok::Float(f64::INFINITY)),
    ] {
        assert_eq!(kinds(&format!("x = {text}"))[2], want, "{text}");
    }
    // A number may run into these keywords: `1if 1 else 2` compiles.
    assert_eq!(
        kinds("x = 1if 1 else 2")[2..4],
        [Tok::Int(1), Tok::Name("if".into())]
    );
    assert_eq!(
        kinds("x = 0b1in y")[2..4],
        [Tok::Int(1), Tok::Name("in".into())]
    );
    // CPython's errors and columns: `compile(text, "s", "exec")` raises SyntaxError with this
    // message and `offset`.
    let decimal = "invalid decimal literal";
    let leading = "leading zeros in decimal integer literals are not permitted; use an 0o prefix \
                   for octal integers";
    for (text, message, column) in [
        ("x = 1abc", decimal, 5),
        ("x = 1.5abc", decimal, 7),
        ("x = 1_", decimal, 6),
        ("x = 1__0", decimal, 6),
        ("x = 0_", decimal, 6),
        ("x = 1._5", decimal, 6),
        ("x = 1e", decimal, 5),
        ("x = 1e_5", decimal, 5),
        ("x = 1e+", decimal, 7),
        ("x = 1e-_5", decimal, 7),
        ("x = 1e5_", decimal, 8),
        ("x = 1ifx", "", 0),
        ("x = 1\u{e9}", "", 0),
        ("x = 0x1\u{e9}", "", 0),
        ("x = 1_\u{e9}", decimal, 6),
        ("x = 0x\u{e9}", "invalid hexadecimal literal", 6),
        ("x = 007", leading, 5),
        ("x = 0_7", leading, 5),
        ("x = 0x", "invalid hexadecimal literal", 6),
        ("x = 0xg", "invalid hexadecimal literal", 6),
        ("x = 0x1g", "invalid hexadecimal literal", 7),
        ("x = 0x1__2", "invalid hexadecimal literal", 8),
        ("x = 0x1j", "invalid hexadecimal literal", 7),
        ("x = 0x1fand 1", "invalid hexadecimal literal", 9),
        ("x = 0b_", "invalid binary literal", 7),
        ("x=0b1e", "invalid binary literal", 5),
        ("x = 0o1a", "invalid octal literal", 7),
        ("x = 0b12", "invalid digit '2' in binary literal", 8),
        ("x = 0b1_2", "invalid digit '2' in binary literal", 9),
        ("x = 0o8", "invalid digit '8' in octal literal", 7),
    ] {
        // `1ifx` and `1é` are a number and a name, which the parser refuses (Python: invalid
        // syntax, under the name).
        if message.is_empty() {
            assert!(tokenize(text).is_ok(), "{text}");
            continue;
        }
        let e = tokenize(text).unwrap_err();
        assert_eq!((e.message.as_str(), e.column), (message, column), "{text}");
    }
    // What Python takes and the language cannot hold, in its own voice.
    for text in ["x = 1.5J", "x = 2j", "x = 1_000j"] {
        let e = tokenize(text).unwrap_err();
        assert!(
            e.message
                .starts_with("complex numbers (2j) are valid Python"),
            "{text}"
        );
        assert_eq!(e.column, 5, "{text}");
    }
    assert_eq!(
        kinds("x = 0b111111111111111111111111111111111111111111111111111111111111111")[2],
        Tok::Int(i64::MAX)
    );
    assert_eq!(kinds("x = 0x7fff_ffff_ffff_ffff")[2], Tok::Int(i64::MAX));
    for text in [
        "x = 9223372036854775808",
        "x = 0xffffffffffffffffff",
        "x = 0x8000000000000000",
        "x = 92233720368547758070",
    ] {
        let e = tokenize(text).unwrap_err();
        assert!(
            e.message
                .starts_with("a whole number this large is valid Python"),
            "{text}"
        );
    }
    assert_eq!(
        tokenize("x = 1_j").unwrap_err().message,
        "invalid decimal literal"
    );
}
