//! Architecture invariant: the simulation core is pure. No file under `src/sim/` names a browser
//! crate, reads the wall clock, draws OS randomness or iterates a hash map.

use std::fs;
use std::path::{Path, PathBuf};

/// Crates of the browser shell; the core must not use any of them.
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

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src/sim is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The identifiers of a line of code, comments removed.
fn identifiers(line: &str) -> Vec<&str> {
    let code = line.split("//").next().unwrap_or("");
    code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Every `file:line: word` where a banned identifier appears in code.
fn offences(banned: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sim");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(
        files.len() >= 5,
        "expected the core's modules under {root:?}"
    );
    let mut found = Vec::new();
    for file in files {
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

#[test]
fn the_core_imports_nothing_from_the_browser() {
    let found = offences(WEB);
    assert!(
        found.is_empty(),
        "browser crates in the core:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_core_has_no_clock_no_os_randomness_no_hash_maps() {
    let found = offences(IMPURE);
    assert!(
        found.is_empty(),
        "impure code in the core:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_checker_catches_an_import() {
    assert_eq!(
        identifiers("use web_sys::Window; // gloo"),
        ["use", "web_sys", "Window"]
    );
    assert!(identifiers("    yew::html! {}").contains(&"yew"));
}
