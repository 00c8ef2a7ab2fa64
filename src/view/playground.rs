//! The playground (`scene=playground`, "Try it"): the reader's handler as numbered lines, what
//! Python would warn about and where a problem points (the line, a caret under the column, the
//! words the command line gives), and which preset the text is. Reads the code, a run's error
//! and its trace; draws nothing.

use crate::sim::lang::presets::{Preset, PRESETS};
use crate::sim::lang::{compile, Warning};
use crate::sim::order;
use crate::sim::scenario::Mode;
use crate::sim::time::SimTime;
use crate::sim::trace::Trace;
use crate::sim::SimError;
use crate::view::handler_code::LineState;
use crate::view::phase::Phase;

/// How long the page waits after the last keystroke before it runs the code again, in
/// milliseconds: long enough that a word typed at speed runs once, short enough to feel live.
pub const DEBOUNCE_MS: u32 = 250;

/// Spaces a Tab inserts (Python's customary indent).
pub const INDENT: &str = "    ";

/// The lines of `code` as the editor numbers them (a final newline starts no line of its own).
pub fn lines(code: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = code.split('\n').collect();
    if lines.len() > 1 && lines.last() == Some(&"") {
        lines.pop();
    }
    lines
}

/// Who is on each line of `code` at `t` in `trace` (indexed like [`lines`]), and how many
/// requests are done. A request not taken yet counts on the route's decorator (or on the `def`
/// line without one), as in the `await` scene; each other one on the line its span records.
pub fn lines_at(trace: &Trace, t: SimTime, code: &str) -> (Vec<LineState>, u32) {
    let source = lines(code);
    let mut states = vec![LineState::default(); source.len()];
    let def_line = source.iter().position(|l| {
        l.trim_start().starts_with("def ") || l.trim_start().starts_with("async def ")
    });
    let route_line = source.iter().position(|l| l.trim_start().starts_with('@'));
    let waiting_line = route_line.or(def_line);
    let holds_worker = trace.scenario.mode != Mode::Threadpool;
    let mut done = 0;
    for s in &trace.students {
        let phase = Phase::at(trace, s.id, t);
        let line = match phase {
            Phase::NotArrived | Phase::Rejected => None,
            Phase::Done => {
                done += 1;
                None
            }
            Phase::Queued => waiting_line,
            _ => trace
                .line_at(s.id, t)
                .map(|l| usize::from(l).saturating_sub(1))
                .or(def_line),
        };
        let Some(state) = line.and_then(|i| states.get_mut(i)) else {
            continue;
        };
        state.count(phase);
        match phase {
            Phase::Running(_) => state.running += 1,
            Phase::Blocked(_) if holds_worker => state.blocked += 1,
            _ => {}
        }
    }
    for state in &mut states {
        order::short(&mut state.counts, |c| *c);
    }
    (states, done)
}

/// Why the reader's code has no run of its own, pointed at where it can be: the line and column
/// when the problem has them, and the words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The line, from 1, when the problem is at one.
    pub line: Option<u32>,
    /// The line's text, and a caret under the column (`    ^`), when there is a column.
    pub pointer: Option<(String, String)>,
    /// The words, as the command line says them: `line 2, column 5: ...`.
    pub words: String,
}

impl Problem {
    /// The problem `error` is, in `code`: the compiler's own error where the code does not
    /// compile (the run may have been refused as an invalid setup before it got that far).
    pub fn of(error: &SimError, code: &str) -> Problem {
        let compiled = compile(code).err().map(SimError::Code);
        match compiled.as_ref().unwrap_or(error) {
            SimError::Code(e) => {
                let text = lines(code)
                    .get(e.line.saturating_sub(1) as usize)
                    .map(|l| l.to_string());
                // Columns count characters; the caret is placed under the character itself.
                let pointer = text.map(|text| {
                    let before = e.column.saturating_sub(1) as usize;
                    (text, format!("{}^", " ".repeat(before)))
                });
                Problem {
                    line: Some(e.line),
                    pointer,
                    words: e.to_string(),
                }
            }
            // Requests stuck for good name the line one of them is on, with no column.
            other => Problem {
                line: other.line(),
                pointer: None,
                words: other.to_string(),
            },
        }
    }
}

/// What Python would warn about in `code` (`coroutine 'send_email' was never awaited`), by
/// line; none for code that does not compile (its error says more).
pub fn warnings(code: &str) -> Vec<Warning> {
    compile(code)
        .map(|p| p.warnings().to_vec())
        .unwrap_or_default()
}

/// The warning as a reader sees it beside its line: `line 5: coroutine ... was never awaited`.
pub fn warning_words(w: &Warning) -> String {
    format!("line {}: {}", w.line, w.message)
}

/// The playground's starting points, in the order it offers them.
pub fn presets() -> &'static [Preset] {
    PRESETS
}

/// The preset `code` is, if it is one unchanged (its button shows as pressed).
pub fn preset_of(code: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.code == code)
}

/// `text` with a Tab typed over the selection `start..end` (in UTF-16 units, as the browser
/// counts): the selection becomes one indent, and the caret goes after it. Returns the new text
/// and the caret's place.
pub fn indent(text: &str, start: u32, end: u32) -> (String, u32) {
    let len = text.encode_utf16().count() as u32;
    let (first, last) = (start.min(end).min(len), start.max(end).min(len));
    let (from, to) = (byte_at(text, first), byte_at(text, last));
    let next = format!("{}{INDENT}{}", &text[..from], &text[to..]);
    (next, first + INDENT.len() as u32)
}

/// The byte offset of the `units`-th UTF-16 unit of `text` (its end if past it).
fn byte_at(text: &str, units: u32) -> usize {
    let mut seen = 0u32;
    for (i, c) in text.char_indices() {
        if seen >= units {
            return i;
        }
        seen += c.len_utf16() as u32;
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::lang::{presets, CodeError};
    use crate::sim::time::SimTime;

    #[test]
    fn lines_are_numbered_as_an_editor_does() {
        assert_eq!(lines("a\nb\n"), vec!["a", "b"]);
        assert_eq!(lines("a\n\nb"), vec!["a", "", "b"]);
        assert_eq!(lines(""), vec![""]);
        assert_eq!(lines(PRESETS[0].code).len(), 5);
    }

    #[test]
    fn a_problem_points_at_its_line_and_column() {
        let code = "async def register(student):\n    validate(studnet)\n";
        let error = SimError::Code(CodeError {
            line: 2,
            column: 14,
            message: "name 'studnet' is not defined".into(),
        });
        let p = Problem::of(&error, code);
        assert_eq!(p.line, Some(2));
        assert_eq!(
            p.pointer,
            Some((
                "    validate(studnet)".into(),
                format!("{}^", " ".repeat(13))
            ))
        );
        assert_eq!(p.words, "line 2, column 14: name 'studnet' is not defined");
        // Requests that can never finish point at a line, with no column.
        let stuck = |line| {
            let error = SimError::Stuck {
                at: SimTime::ZERO,
                unfinished: 3,
                line,
            };
            Problem::of(&error, PRESETS[0].code)
        };
        assert_eq!(
            (stuck(Some(4)).line, stuck(Some(4)).pointer),
            (Some(4), None)
        );
        assert_eq!(stuck(None).line, None);
        assert!(stuck(None).words.contains("3 requests can never finish"));
    }

    #[test]
    fn the_playground_keeps_code_that_does_not_compile() {
        use crate::view::config::PageConfig;
        let (config, notices) = PageConfig::parse("scene=playground&code=def%20(");
        assert_eq!(config.scenario.code.as_deref(), Some("def ("));
        assert_eq!(notices, vec![]);
        // Elsewhere a bad `code` is a notice, and the scene's own handler runs.
        let (config, notices) = PageConfig::parse("scene=await&code=def%20(");
        assert_eq!(config.scenario.code, None);
        assert_eq!(notices.len(), 1);
    }

    #[test]
    fn the_playgrounds_own_waits_have_looks_of_their_own() {
        use crate::sim::{simulate, Scenario};
        use crate::view::phase::Look;
        let look_at = |code: &str, keys: Scenario, ms: u64| {
            let scenario = Scenario {
                code: Some(code.to_string()),
                ..keys
            };
            let trace = simulate(&scenario).unwrap();
            let t = SimTime::from_millis(ms);
            Phase::at(&trace, trace.students.len() as u32 - 1, t).look()
        };
        let one = Scenario {
            students: 1,
            mode: Mode::Async,
            ..Scenario::default()
        };
        let sleep = "async def register(student):\n    await asyncio.sleep(1)\n";
        assert_eq!(look_at(sleep, one.clone(), 500), Some(Look::Sleeping));
        let blocking_sleep = "async def register(student):\n    time.sleep(1)\n";
        assert_eq!(
            look_at(blocking_sleep, one.clone(), 500),
            Some(Look::BlockedSleep)
        );
        // asyncio.to_thread's pool has min(32, 1 + 4) = 5 threads: the sixth request waits.
        let to_thread =
            "async def register(student):\n    await asyncio.to_thread(time.sleep, 1)\n";
        let six = Scenario {
            students: 6,
            cores: 1,
            ..one
        };
        assert_eq!(look_at(to_thread, six, 500), Some(Look::ThreadSlot));
    }

    #[test]
    fn the_forgotten_await_is_warned_about_at_its_line() {
        let forgotten = presets::named("forgotten-await").unwrap();
        let w = warnings(forgotten.code);
        assert_eq!(w.len(), 1);
        assert_eq!(
            warning_words(&w[0]),
            "line 5: coroutine 'send_email' was never awaited"
        );
        assert!(warnings(PRESETS[0].code).is_empty());
        assert!(warnings("def (").is_empty());
    }

    #[test]
    fn presets_are_recognised_and_tab_indents() {
        assert_eq!(preset_of(PRESETS[2].code).map(|p| p.slug), Some("def"));
        assert_eq!(preset_of("pass"), None);
        assert_eq!(indent("ab", 1, 1), ("a    b".to_string(), 5));
        // A selection is replaced; UTF-16 units, not bytes ("é" is one unit, two bytes).
        assert_eq!(indent("éxyz", 1, 3), ("é    z".to_string(), 5));
        assert_eq!(indent("x", 9, 9), ("x    ".to_string(), 5));
    }
}
