//! The playground (`scene=playground`, "Try it"): the reader's handler as numbered lines, what
//! Python would warn about and where a problem points (the line, a caret under the column, the
//! words the command line gives), which preset the text is, and what Tab, Enter and Backspace
//! do to the text (an [`Edit`]). Reads the code, a run's error and its trace; draws nothing.

use crate::sim::lang::presets::{Preset, PRESETS};
use crate::sim::lang::{compile, Warning};
use crate::sim::order;
use crate::sim::scenario::Mode;
use crate::sim::time::SimTime;
use crate::sim::trace::Trace;
use crate::sim::SimError;
use crate::view::format;
use crate::view::handler_code::LineState;
use crate::view::phase::Phase;
use crate::view::run::SharedTrace;

/// How long the page waits after the last keystroke before it runs the code again, in
/// milliseconds: long enough that a word typed at speed runs once, short enough to feel live.
pub const DEBOUNCE_MS: u32 = 250;

/// Spaces a Tab inserts (Python's customary indent).
pub const INDENT: &str = "    ";

/// The lines of `code` as the editor numbers them (a final newline starts no line of its own).
pub fn lines(code: &str) -> Vec<&str> {
    let mut lines = crate::sim::text::split(code, "\n");
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
        Problem::in_code(compiled.as_ref().unwrap_or(error), code)
    }

    /// The problem `error` is, placed in `code`.
    fn in_code(error: &SimError, code: &str) -> Problem {
        match error {
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

/// What the editor shows under `code`: its problem (`failure`, the reason the setup has no run,
/// or the compiler's own error) and its warnings. The code is compiled once for both, so the
/// playground does it once per change of the code, not once per frame.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    pub problem: Option<Problem>,
    pub warnings: Vec<Warning>,
}

impl Checked {
    /// `code` checked, with `failure` the reason its setup has no run, if it has none.
    pub fn of(code: &str, failure: Option<&SimError>) -> Checked {
        match compile(code) {
            Err(e) => Checked {
                problem: failure.map(|_| Problem::in_code(&SimError::Code(e), code)),
                warnings: Vec::new(),
            },
            Ok(program) => Checked {
                problem: failure.map(|f| Problem::in_code(f, code)),
                warnings: program.warnings().to_vec(),
            },
        }
    }
}

/// One number in the editor's gutter, marked where the problem or a warning is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GutterLine {
    /// The line, from 1.
    pub n: u32,
    pub error: bool,
    pub warned: bool,
}

/// What the editor shows beside `text`, the text as typed, when the setup's code is `code`
/// (the two differ until the run follows the typing).
#[derive(Clone, Debug, PartialEq)]
pub struct Editor {
    pub gutter: Vec<GutterLine>,
    /// Who is on each line now, and how many are done: counts only for the code that ran, and
    /// only while the text is that code (while it differs, the lines may not match).
    pub states: Vec<LineState>,
    pub done: u32,
    /// The text area's height in lines: the text's, and at least six.
    pub rows: usize,
}

impl Editor {
    /// The editor at `t`, with `run` the last run that worked (if any) and `checked` the code's
    /// problem and warnings.
    pub fn at(
        text: &str,
        code: &str,
        checked: &Checked,
        run: Option<&SharedTrace>,
        t: SimTime,
    ) -> Editor {
        let count = lines(text).len();
        let problem_line = checked.problem.as_ref().and_then(|p| p.line);
        let gutter = (1..=count as u32)
            .map(|n| GutterLine {
                n,
                error: problem_line == Some(n),
                warned: checked.warnings.iter().any(|w| w.line == n),
            })
            .collect();
        let (states, done) = match run {
            Some(run) if checked.problem.is_none() && text == code => run.code_lines_at(t, code),
            _ => (vec![LineState::default(); count], 0),
        };
        Editor {
            gutter,
            states,
            done,
            rows: count.max(6),
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

/// Where the timeline goes while the code has never run.
pub const NO_RUN_YET: &str =
    "Nothing has run yet: once the code above runs, its timeline appears here.";

/// Most printed lines the playground shows at once (the newest).
const LOG_ROWS: usize = 8;

/// What the run printed up to the moment shown: a title and the newest lines.
#[derive(Clone, Debug, PartialEq)]
pub struct PrintedLog {
    /// `printed: 3 lines so far`, `printed: the last 8 of 120 lines so far`.
    pub title: String,
    pub rows: Vec<LogRow>,
    /// Why some logging calls left no line, when some did.
    pub note: Option<String>,
}

/// One printed line: when, whose request, what.
#[derive(Clone, Debug, PartialEq)]
pub struct LogRow {
    pub time: String,
    pub student: String,
    pub text: String,
}

/// The responses sent by `t`, by status (`responses so far: 3 × 200, 1 × 409`), when any is
/// not a 200.
pub fn responses_at(trace: &Trace, t: SimTime) -> Option<String> {
    let mut counts: Vec<(u16, u64)> = Vec::new();
    for s in &trace.students {
        let sent = if s.rejected {
            Some(s.arrival)
        } else {
            s.answered()
        };
        if sent.is_some_and(|at| at <= t) {
            match counts.iter_mut().find(|(code, _)| *code == s.status) {
                Some((_, n)) => *n += 1,
                None => counts.push((s.status, 1)),
            }
        }
    }
    if counts.iter().all(|(code, _)| *code == 200) {
        return None;
    }
    order::short(&mut counts, |(code, _)| *code);
    let parts: Vec<String> = counts
        .iter()
        .map(|(code, n)| format!("{} × {code}", format::count(*n)))
        .collect();
    Some(format!("responses so far: {}", parts.join(", ")))
}

/// The lines the run printed by `t`, or `None` for a run that prints nothing.
pub fn printed_at(trace: &Trace, t: SimTime) -> Option<PrintedLog> {
    if trace.log.is_empty() && trace.log_hidden == 0 {
        return None;
    }
    let so_far = trace.log.partition_point(|l| l.at <= t);
    let first = so_far.saturating_sub(LOG_ROWS);
    let students = trace.students.len() as u32;
    let rows = trace.log[first..so_far]
        .iter()
        .map(|l| LogRow {
            time: format::secs(l.at.as_secs_f64()),
            student: format::student_name(l.student, students),
            text: l.text.clone(),
        })
        .collect();
    let lines = |n: usize| format::plural(n as u64, "line", "lines");
    let title = if first == 0 {
        format!("printed: {} so far", lines(so_far))
    } else {
        format!("printed: the last {LOG_ROWS} of {} so far", lines(so_far))
    };
    let note = (trace.log_hidden > 0).then(|| {
        format!(
            "{} of this run's logging calls fell below the logging level (WARNING unless \
             logging.basicConfig(level=...) sets another), so Python writes them nowhere.",
            format::count(trace.log_hidden.into())
        )
    });
    Some(PrintedLog { title, rows, note })
}

/// The playground's starting points, in the order it offers them: the handlers first, then,
/// in a group of their own that a phone keeps folded, the race and its fixes.
pub fn presets() -> (&'static [Preset], &'static [Preset]) {
    let race = PRESETS
        .iter()
        .position(|p| p.slug == "race")
        .unwrap_or(PRESETS.len());
    PRESETS.split_at(race)
}

/// The words that name the second group of [`presets`].
pub const RACE_PRESETS: &str = "The race and its fixes";

/// The preset `code` is, if it is one unchanged (its button shows as pressed).
pub fn preset_of(code: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.code == code)
}

/// One change a key makes to the editor's text, in UTF-16 units as the browser counts: replace
/// `start..end` with `insert`, then put the caret at `caret`. The page hands it to the browser's
/// own editing, so that undo takes it back as it takes back typing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// Where the replaced range starts.
    pub start: u32,
    /// Where it ends (equal to `start` when nothing is replaced).
    pub end: u32,
    /// What goes in its place (empty for a deletion).
    pub insert: String,
    /// Where the caret goes afterwards.
    pub caret: u32,
}

impl Edit {
    /// `start..end` replaced with `insert`, the caret after it (where typing leaves it).
    fn replace(start: u32, end: u32, insert: String) -> Edit {
        let caret = start + insert.encode_utf16().count() as u32;
        Edit {
            start,
            end,
            insert,
            caret,
        }
    }

    /// `text` with the edit made: what the page sets itself when the browser cannot make it.
    pub fn apply(&self, text: &str) -> String {
        let (from, to) = (byte_at(text, self.start), byte_at(text, self.end));
        format!("{}{}{}", &text[..from], self.insert, &text[to.max(from)..])
    }
}

/// Tab over the selection `start..end` of `text`: the selection becomes one indent.
pub fn indent(text: &str, start: u32, end: u32) -> Edit {
    let (first, last) = span(text, start, end);
    Edit::replace(first, last, INDENT.to_string())
}

/// Enter over the selection `start..end` of `text`: the new line keeps the indentation of the
/// line the selection starts on, and gains one level after a line that opens a block (ends in
/// `:`, a comment and trailing spaces aside). `None` where that adds nothing to a plain newline,
/// which the browser then types itself.
pub fn newline(text: &str, start: u32, end: u32) -> Option<Edit> {
    let (first, last) = span(text, start, end);
    let before = line_before(text, first);
    let kept = before.len() - before.trim_start_matches([' ', '\t']).len();
    let opens = code_part(before).trim_end().ends_with(':');
    let indent = format!("{}{}", &before[..kept], if opens { INDENT } else { "" });
    (!indent.is_empty()).then(|| Edit::replace(first, last, format!("\n{indent}")))
}

/// Backspace at `start..end` of `text`: with no selection and only spaces (at least one)
/// between the line's start and the caret, the spaces go back to the previous multiple of an
/// indent, so one key undoes one Tab. `None` elsewhere: the browser deletes as it always does.
pub fn backspace(text: &str, start: u32, end: u32) -> Option<Edit> {
    let (caret, last) = span(text, start, end);
    let before = line_before(text, caret);
    if caret != last || before.is_empty() || before.bytes().any(|b| b != b' ') {
        return None;
    }
    // Spaces are one UTF-16 unit each.
    let spaces = before.len() as u32;
    let width = INDENT.len() as u32;
    let from = caret - (spaces - (spaces - 1) / width * width);
    Some(Edit::replace(from, caret, String::new()))
}

/// The selection `start..end` in order (the browser may report it either way), within `text`.
fn span(text: &str, start: u32, end: u32) -> (u32, u32) {
    let len = text.encode_utf16().count() as u32;
    (start.min(end).min(len), start.max(end).min(len))
}

/// The text of the caret's line before the caret, `units` being the caret's UTF-16 offset.
fn line_before(text: &str, units: u32) -> &str {
    let at = byte_at(text, units);
    let line_start = crate::sim::text::last_byte(&text[..at], b'\n').map_or(0, |i| i + 1);
    &text[line_start..at]
}

/// `line` without its comment: what precedes the first `#` outside a string literal.
fn code_part(line: &str) -> &str {
    let mut quote = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '#' => return &line[..i],
            None if c == '"' || c == '\'' => quote = Some(c),
            None => {}
        }
    }
    line
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
mod tests;
