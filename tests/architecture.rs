//! Architecture invariants that a test can hold (ARCHITECTURE.md lists them all): the simulation
//! core is pure; the page model has no web imports; the app computes nothing of its own (it never
//! reads a trace's spans, statuses or metrics, nor handles raw time); the executor knows no
//! handler; numbers are read (and floats written) by `sim::decimal`, not core; and the code keeps its
//! shape (no file over 600 lines, `src/app/` at most two fifths of `src/view/`).
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app

use std::fs;
use std::path::{Path, PathBuf};

/// Crates of the browser shell; the core and the page model must not use any of them.
const WEB: &[&str] = &["yew", "web_sys", "js_sys", "gloo", "wasm_bindgen"];

/// Non-deterministic or platform-dependent things the core must not touch.
const IMPURE: &[&str] = &[
    "Instant",
    "SystemTime",
    "HashMap",
    "HashSet",
    "RandomState",
    "thread_rng",
    "getrandom",
];

/// What only a model may do: read a trace's spans, statuses, metrics, changes or seats record,
/// and work with raw time. The app asks `view` instead.
const COMPUTING: &[&str] = &[
    "spans_of",
    "status_at",
    "metrics_at",
    "in_flight_by_worker",
    "change_times",
    "next_change_after",
    "prev_change_before",
    "lost_updates",
    "value_at",
    "registered_at",
    "writes",
    "partition_point",
    "as_micros",
    "from_micros",
    "saturating_sub",
];

/// What the app must not name at all: the trace's types and the core's entry point. It holds a
/// run only as `view::run::SharedTrace`, which gives the trace to nobody outside `src/view/` (the
/// compiler holds that); this test holds that the app does not get one some other way.
const TRACE: &[&str] = &[
    "Trace",
    "StudentTrace",
    "SeatsTrace",
    "Metrics",
    "simulate",
    "Deref",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("a readable source directory") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The Rust files of a directory and its subdirectories, or the one file `DIR.rs` beside it too
/// (a module and its children).
fn files_under(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let module = root.with_extension("rs");
    if module.is_file() {
        files.push(module);
    }
    assert!(files.len() >= 2, "expected modules under {root:?}");
    files
}

/// A `#[cfg(test)]` module in a file of its own (`tests.rs`, `*_tests.rs`): not the page's code.
fn is_test_module(file: &Path) -> bool {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name == "tests.rs" || name.ends_with("_tests.rs")
}

/// The identifiers of a line of code, comments removed.
fn identifiers(line: &str) -> Vec<&str> {
    let code = line.split("//").next().unwrap_or("");
    // Words inside string literals are text, not code (a list of Python's method names).
    code.split('"')
        .step_by(2)
        .flat_map(|part| part.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Every `file:line: word` under `dir` where a banned identifier appears in code.
fn offences(dir: &str, banned: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for file in files_under(dir) {
        let text = fs::read_to_string(&file).expect("a readable source file");
        for (n, line) in text.lines().enumerate() {
            for word in identifiers(line) {
                if banned.contains(&word) {
                    found.push(format!("{}:{}: {word}", file.display(), n + 1));
                }
            }
        }
    }
    found
}

#[track_caller]
fn assert_none(found: Vec<String>, what: &str) {
    assert!(found.is_empty(), "{what}:\n{}", found.join("\n"));
}

#[test]
fn the_core_imports_nothing_from_the_browser() {
    assert_none(offences("src/sim", WEB), "browser crates in the core");
}

#[test]
fn the_core_has_no_clock_no_os_randomness_no_hash_maps() {
    assert_none(offences("src/sim", IMPURE), "impure code in the core");
}

#[test]
fn the_page_model_imports_nothing_from_the_browser() {
    assert_none(
        offences("src/view", WEB),
        "browser crates in the page model",
    );
}

#[test]
fn the_app_computes_nothing() {
    assert_none(
        offences("src/app", COMPUTING),
        "the app reads the trace or raw time itself (ask a model in src/view)",
    );
}

#[test]
fn the_app_never_holds_a_trace() {
    assert_none(
        offences("src/app", TRACE),
        "the app names the trace or runs the core itself (hold a view::run::SharedTrace)",
    );
}

#[test]
fn the_executor_knows_no_handler() {
    assert_none(
        offences("src/sim/executor", &["HandlerKind"]),
        "the executor names a handler kind (ask sim::handler)",
    );
}

fn lines(dir: &str) -> Vec<(PathBuf, usize)> {
    files_under(dir)
        .into_iter()
        .map(|f| {
            let n = fs::read_to_string(&f)
                .expect("a readable source file")
                .lines()
                .count();
            (f, n)
        })
        .collect()
}

#[test]
fn no_source_file_is_over_600_lines() {
    let long: Vec<String> = lines("src")
        .into_iter()
        .filter(|(_, n)| *n > 600)
        .map(|(f, n)| format!("{}: {n} lines", f.display()))
        .collect();
    assert_none(long, "files over 600 lines");
}

/// The app draws and the model decides, so the app stays small beside the model: at most 40 %
/// of its lines (issue 22).
#[test]
fn the_app_is_at_most_two_fifths_of_the_page_model() {
    let total = |dir| lines(dir).iter().map(|(_, n)| n).sum::<usize>();
    let (app, view) = (total("src/app"), total("src/view"));
    assert!(
        app * 5 <= view * 2,
        "src/app has {app} lines, src/view {view}: the shell outgrew two fifths of the model"
    );
}

/// The standard sorts: each element type given to one adds about 3.5 kB to the wasm, so the code
/// the page runs sorts through `sim::order` (tests may sort as they like).
const SORTS: &[&str] = &[
    "sort",
    "sort_unstable",
    "sort_by",
    "sort_by_key",
    "sort_by_cached_key",
    "sort_unstable_by",
    "sort_unstable_by_key",
];

#[test]
fn every_sort_goes_through_sim_order() {
    let mut found = Vec::new();
    for dir in ["src/sim", "src/view", "src/app"] {
        for file in files_under(dir) {
            if file.ends_with("sim/order.rs") {
                continue;
            }
            let text = fs::read_to_string(&file).expect("a readable source file");
            let code = text.lines().take_while(|l| l.trim() != "#[cfg(test)]");
            for (n, line) in code.enumerate() {
                if identifiers(line).iter().any(|w| SORTS.contains(w)) {
                    found.push(format!("{}:{}", file.display(), n + 1));
                }
            }
        }
    }
    assert_none(
        found,
        "a standard sort outside sim::order (use order::times, events, micros or short)",
    );
}

/// Whether a line of code (comments removed) reads or writes a float with core's own parser or
/// formatter: `parse::<f64>`, a float typed from `.parse()`, or a `{:.N}` / `{:e}` format spec.
fn core_float_text(line: &str) -> bool {
    let code = line
        .split("//")
        .next()
        .unwrap_or("")
        .replace("{{", "")
        .replace("}}", "");
    let spec = code.match_indices('{').any(|(i, _)| {
        let inner = code[i + 1..].split('}').next().unwrap_or("");
        let spec = inner.split_once(':').map_or("", |(_, s)| s);
        !inner.contains('{')
            && (spec.ends_with('e')
                || spec.ends_with(".*")
                || spec
                    .rsplit_once('.')
                    .is_some_and(|(_, p)| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())))
    });
    spec || code.contains("parse::<f64>")
        || code.contains("parse::<f32>")
        || (code.contains(": f64 =") && code.contains(".parse()"))
}

/// Core's float parser and formatter weigh about 20,000 bytes gzip in the wasm; `sim::decimal`
/// gives the same results for a fraction of that, but only if nothing else brings them back.
/// (A `{}` of an `f64` is invisible to this test; the size test in `scripts/test` sees it.)
#[test]
fn floats_are_read_and_written_by_sim_decimal() {
    let mut found = Vec::new();
    for dir in ["src/sim", "src/view", "src/app"] {
        for file in files_under(dir).into_iter().filter(|f| !is_test_module(f)) {
            let text = fs::read_to_string(&file).expect("a readable source file");
            let code = text.lines().take_while(|l| l.trim() != "#[cfg(test)]");
            for (n, line) in code.enumerate() {
                if core_float_text(line) {
                    found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert_none(
        found,
        "a float parsed or formatted by core (use sim::decimal)",
    );
}

/// `str::parse` is a copy of core's parser per integer type; the page reads every whole number
/// with `sim::decimal::whole` (the command line, which the page never runs, may use core's).
#[test]
fn whole_numbers_are_read_by_sim_decimal() {
    let found = page_code_holding(&[".parse()", ".parse::<"]);
    assert_none(found, "a number parsed by core (use sim::decimal)");
}

/// Every `file:line: code` of the page's own code (`src/sim`, `src/view`, `src/app`, outside
/// tests and the command line, which the page never runs) whose code holds one of `banned`.
fn page_code_holding(banned: &[&str]) -> Vec<String> {
    page_code_where(|code| banned.iter().any(|b| code.contains(b)))
}

/// Every `file:line: code` of the page's own code (as [`page_code_holding`]) whose code, with
/// its comment cut off, `is_banned`.
fn page_code_where(is_banned: impl Fn(&str) -> bool) -> Vec<String> {
    let mut found = Vec::new();
    for dir in ["src/sim", "src/view", "src/app"] {
        for file in files_under(dir) {
            if is_test_module(&file) || file.ends_with("cli.rs") {
                continue;
            }
            let text = fs::read_to_string(&file).expect("a readable source file");
            let code = text.lines().take_while(|l| l.trim() != "#[cfg(test)]");
            for (n, line) in code.enumerate() {
                let code = line.split("//").next().unwrap_or("");
                if is_banned(code) {
                    found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    found
}

#[test]
fn the_checker_catches_an_import() {
    assert_eq!(
        identifiers("use web_sys::Window; // gloo"),
        ["use", "web_sys", "Window"]
    );
    assert!(identifiers("    yew::html! {}").contains(&"yew"));
    assert!(identifiers("let x = trace.metrics_at(t);").contains(&"metrics_at"));
    for line in [
        r#"format!("{x:.1}")"#,
        r#"format!("{:.3} s", t)"#,
        r#"format!("{x:e}")"#,
        r#"format!("{x:.*}", p)"#,
        "let s: f64 = value.parse().ok()?;",
        "value.parse::<f64>()",
    ] {
        assert!(core_float_text(line), "{line}");
    }
    for line in [
        r#"format!("{} s", fixed(x, 3))"#,
        r#"format!("{name:<15} {value:>14}")"#,
        r#"format!("{{x:.1}}")"#,
        "// format!(\"{x:.1}\")",
    ] {
        assert!(!core_float_text(line), "{line}");
    }
}

/// A text cut at or searched for a character with core's methods brings core's character
/// searcher and `memchr` into the wasm (about 800 bytes gzip); `sim::text` does the same work
/// with the code the page already has for texts.
#[test]
fn texts_are_cut_by_sim_text() {
    let found = page_code_holding(&[".split('", ".split_once('", ".lines()", ".replace('"]);
    assert_none(
        found,
        "a text cut by core's character searcher (use sim::text)",
    );
}

/// Whether a line of code ends a struct literal with the rest of another value's fields
/// (`..base`, `..s.clone()`, `..Scenario::default()`).
fn takes_the_rest(code: &str) -> bool {
    let rest = code.trim_start();
    rest.starts_with("..") && rest[2..].starts_with(|c: char| c.is_alphabetic() || c == '_')
}

/// A value that differs from another in a few fields is made by setting them on a clone (or on
/// the defaults): a struct literal ending in `..base` copies every field in the wasm, and the
/// nine such places that made scenarios and page states cost 1,281 bytes gzip.
#[test]
fn values_are_set_field_by_field_on_a_clone() {
    assert!(takes_the_rest("        ..setup.clone()"));
    assert!(takes_the_rest("        ..base"));
    assert!(takes_the_rest("    ..Scenario::default()"));
    assert!(!takes_the_rest("    for i in 0..n {"));
    assert!(!takes_the_rest("        ..=9 => x,"));
    let found = page_code_where(takes_the_rest);
    assert_none(
        found,
        "a struct literal taking the rest of its fields from another value (set them on a clone)",
    );
}
