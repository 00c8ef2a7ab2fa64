//! Code can never crash the simulation: the worst case of every recursive rule of the language,
//! as long as the limits allow (4,000 characters), gets an error in words, or runs. Each case is
//! run through the command line on a thread with the stack of the command line's main thread
//! (8 MiB: this debug build spends several times the stack per level that a release build does).
//! The page, whose release build has a 1 MiB stack, is fed the same cases by
//! `e2e/tests/playground.spec.js`.
//!
//! CPython 3.11's figures, measured: 200 nested brackets compile and 201 are "too many nested
//! parentheses"; 100 levels of indentation are "too many levels of indentation"; 3,000 unary
//! minus signs are a RecursionError during compilation; 900 `not`s and a 2,000-term `+` chain
//! compile.

use async_lanes::sim::cli;
use async_lanes::sim::lang::MAX_CHARS;

const HEAD: &str = "async def register(student):\n    x = ";

/// `HEAD` + `open` repeated, `middle`, `close` repeated: as many times as fit in the limit.
fn deepest(open: &str, middle: &str, close: &str) -> String {
    let room = MAX_CHARS as usize - HEAD.len() - middle.len();
    let n = room / (open.len() + close.len());
    format!("{HEAD}{}{middle}{}", open.repeat(n), close.repeat(n))
}

/// What the command line says about `code`, run on a stack the size of the browser's.
fn outcome(code: &str) -> String {
    assert!(
        code.chars().count() <= MAX_CHARS as usize,
        "within the limit"
    );
    let arg = format!("code={code}");
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let out = cli::run(&["students=2", arg.as_str()]);
            format!("{} {}", out.code, out.stderr.trim())
        })
        .unwrap()
        .join()
        .expect("the command line did not crash")
}

#[track_caller]
fn check(code: &str, expect: &str) {
    let got = outcome(code);
    assert!(got.contains(expect), "expected {expect:?}, got {got:?}");
}

#[test]
fn the_deepest_code_of_each_kind_gets_words_not_a_crash() {
    // 1,960 parentheses: the tokenizer stops at the 201st, as CPython's does.
    check(
        &deepest("(", "1", ")"),
        "line 2, column 209: too many nested parentheses",
    );
    check(
        &deepest("[", "1", "]"),
        "line 2, column 209: too many nested parentheses",
    );
    check(&deepest("{1: ", "1", "}"), "too many nested parentheses");
    check(&deepest("f'{", "1", "}'"), "f-string: expecting '}'");
    check(&deepest("f(", "1", ")"), "too many nested parentheses");
    check(&deepest("-", "1", ""), "nests more than 200 levels deep");
    check(
        &deepest("not ", "True", ""),
        "nests more than 200 levels deep",
    );
    check(&deepest("-(", "1", ")"), "nests more than 200 levels deep");
    check(&deepest("", "1", "+1"), "nests more than 200 levels deep");
    check(
        &deepest("", "x", " or x"),
        "nests more than 200 levels deep",
    );
    check(
        &deepest("", "x", " and x"),
        "nests more than 200 levels deep",
    );
    check(&deepest("", "x", ".y"), "nests more than 200 levels deep");
    check(&deepest("", "f", "()"), "nests more than 200 levels deep");
    check(&deepest("", "1", "*1"), "nests more than 200 levels deep");
    check(
        &deepest("await ", "f()", ""),
        "expected an expression, found 'await'",
    );
}

#[test]
fn nesting_within_the_limits_runs() {
    // 200 brackets, Python's most, around a number: the handler runs.
    let code = format!(
        "async def register(student):\n    x = {}1{}\n    await send_email(student)",
        "(".repeat(200),
        ")".repeat(200)
    );
    check(&code, "0 ");
    // 150 levels of `1 + 1 + ...` and of `- - ... 1`.
    let sum = vec!["1"; 150].join(" + ");
    check(
        &format!("async def register(student):\n    x = {sum}\n    await send_email(student)"),
        "0 ",
    );
}

#[test]
fn the_deepest_blocks_that_fit_run() {
    // One space per level: about 80 levels fit in 4,000 characters, short of CPython's 100.
    let mut code = String::from("async def register(student):\n");
    let mut level = 1;
    loop {
        let line = format!("{}if True:\n", " ".repeat(level));
        let last = format!("{}await send_email(student)", " ".repeat(level + 1));
        if code.len() + line.len() + last.len() > MAX_CHARS as usize {
            code.push_str(&format!("{}await send_email(student)", " ".repeat(level)));
            break;
        }
        code.push_str(&line);
        level += 1;
    }
    assert!(level > 75, "{level} levels");
    check(&code, "0 ");
}

#[test]
fn the_first_error_in_the_text_is_reported() {
    // CPython: "invalid syntax" on line 1, column 11, not the '?' on line 2.
    check("async def (:\n  ???", "line 1, column 11: expected a name");
    check(
        "async def register(student):\n    x = (1]",
        "closing parenthesis ']' does not match opening parenthesis '('",
    );
    check("async def register(student):\n    x = 1)", "unmatched ')'");
    check(
        "async def register(student):\n    x = (1,\n",
        "line 2, column 9: '(' was never closed",
    );
}
