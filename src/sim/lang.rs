//! The handler language: a small subset of Python, enough for the FastAPI handlers the article
//! shows, parsed, checked and run in Rust by the simulation core. Every handler the executor runs
//! is a program in it, the built-in ones included ([`presets`]). It never runs Python, fetches
//! anything or reads a clock: a program's calls become the same `Io` operations as before.
//!
//! - `lexer` and `parser`: text to a syntax tree, errors with their line and column.
//! - `check`: names, arities, types and Python's rules about `await`, found before the run, as
//!   Python's compiler or a type checker would; it emits the program's instructions.
//! - `world`: the functions the code can call (`validate`, `save_to_database`, `asyncio.sleep`,
//!   ...), their signatures and what each does to the simulated world.
//! - `interp`: the `async fn` the executor polls for each request.
//! - [`presets`]: the article's handler and the race handler as programs.
//!
//! # Model decisions
//! - `await` of a call yields the loop only in async mode; otherwise (`mode=blocking` or
//!   `threadpool`, even for `async def`) every call blocks, as the handlers always did.
//! - The first database call and the first email call of a request take the durations drawn up
//!   front (as the built-in handlers always did); further calls draw from the request's own
//!   generator, seeded from the seed and the student, so they never shift anyone else's draws.
//! - `asyncio.gather` is awaited at once; while its calls are in flight the request is in one
//!   state: a child's CPU work or blocking call if one holds the lane, else the wait of the call
//!   that finishes last (unknown ends, such as a wait for a connection, count as last).
//! - `run_in_threadpool` and `asyncio.to_thread` take a thread from the worker's pool (`threads`,
//!   or `min(32, cores + 4)`), waiting for one if none is free; on it, I/O frees the loop, and
//!   CPU work takes turns for the worker's interpreter lock with the loop and the other threads
//!   (see `sim`'s model decisions). Outside async mode they call the function in place (the
//!   request already has its thread).
//! - A request is on the line of the call it is in (`Span::line`), as a Python frame's line
//!   would say: a coroutine's call on the line that awaits it, `gather`'s calls on the
//!   `gather`'s line; waiting for the loop or the interpreter lock, on the line of the call that
//!   just returned (it returns once it runs again), or before its first poll on its first call's.
//! - A coroutine that is created and never awaited is reported as Python's warning, found before
//!   the run (as a linter would), not when the run reaches it.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::sim::store::Table;

mod ast;
mod builtins;
mod check;
mod code;
mod exc;
mod interp;
mod lexer;
mod logging;
mod methods;
mod parser;
pub mod presets;
mod sql;
mod unsupported;
mod value;
mod world;

pub(crate) use interp::{start, Loaded};

/// Most characters a program may have.
pub const MAX_CHARS: u32 = 4_000;
/// Most lines a program may have.
pub const MAX_LINES: u32 = 200;
/// Most operations one request may run: each loop iteration counts one plus the statements of
/// its body (straight code, at most [`MAX_LINES`] statements, cannot reach it).
pub const MAX_OPS: u32 = 10_000;
/// Most iterations of one `for` loop.
pub const MAX_RANGE: i64 = 1_000;

/// An error in a program: where (1-based line and column, in characters) and what, in Python's
/// words where Python has some.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeError {
    /// The line, from 1.
    pub line: u32,
    /// The column, from 1.
    pub column: u32,
    /// What is wrong.
    pub message: String,
}

impl CodeError {
    pub(crate) fn new(line: u32, column: u32, message: impl Into<String>) -> CodeError {
        CodeError {
            line,
            column,
            message: message.into(),
        }
    }
}

/// An error as the parser and the checker hand it back, boxed: a step that can fail returns a
/// pointer, so each `?` and each caller moves one word instead of the error's fields (about
/// 1,900 bytes of the release's gzip for the parser alone).
pub(crate) type Fail = Box<CodeError>;

/// The error at `line` and `column`, boxed.
pub(crate) fn boxed(line: u32, column: u32, message: impl Into<String>) -> Fail {
    Box::new(CodeError::new(line, column, message))
}

impl fmt::Display for CodeError {
    /// `line 3, column 5: name 'x' is not defined`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for CodeError {}

/// Something Python would warn about but run anyway.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The line, from 1.
    pub line: u32,
    /// Python's words: `coroutine 'send_email' was never awaited`.
    pub message: String,
}

/// A checked program, ready to run.
#[derive(Clone, Debug)]
pub struct Program {
    pub(crate) is_async: bool,
    pub(crate) code: Table<code::Instr>,
    pub(crate) slots: u16,
    pub(crate) info: code::Info,
    /// The code's string constants, which `Instr::Text` names.
    pub(crate) texts: Table<String>,
    /// The logging set-up above the handler.
    pub(crate) log_config: logging::LogConfig,
    /// The status of a response that ends without an exception (the route's `status_code`).
    pub(crate) success: u16,
    /// The permits of each of the module's locks and semaphores, by number.
    pub(crate) lock_sizes: Vec<u32>,
    warnings: Vec<Warning>,
}

impl Program {
    /// Whether the handler is `async def` (it runs on the event loop) rather than `def` (on the
    /// thread pool).
    pub fn is_async(&self) -> bool {
        self.is_async
    }

    /// What Python would warn about, by line.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Whether the code touches the shared `seats_left` (its run records the cell).
    pub fn uses_seats(&self) -> bool {
        self.info.uses_seats
    }

    /// Whether the code prints (its run's trace carries the log).
    pub fn prints(&self) -> bool {
        self.info.prints
    }
}

/// Parses and checks a handler.
///
/// # Errors
/// The first problem found, with its line and column: a limit exceeded, a syntax error, or what
/// Python's compiler or a type checker would report (an unknown name, a wrong argument, `await`
/// of something that cannot be awaited or outside `async def`).
pub fn compile(text: &str) -> Result<Program, CodeError> {
    let chars = text.chars().count();
    if chars > MAX_CHARS as usize {
        return Err(CodeError::new(
            1,
            1,
            format!("the code has {chars} characters; at most {MAX_CHARS} are allowed"),
        ));
    }
    let lines = crate::sim::text::split(text, "\n").len();
    if lines > MAX_LINES as usize {
        return Err(CodeError::new(
            MAX_LINES + 1,
            1,
            format!("the code has {lines} lines; at most {MAX_LINES} are allowed"),
        ));
    }
    // The first error in the text wins, as in CPython, whose parser pulls tokens one at a time:
    // the tokens before a lexical error are parsed, and a syntax error among them comes first.
    let (tokens, lex_error) = lexer::tokens_until_error(text);
    let parsed = parser::parse(tokens, lex_error.is_some());
    let handler = match (parsed, lex_error) {
        (Err(syntax), Some(lexical)) => {
            let first = (syntax.line, syntax.column) < (lexical.line, lexical.column);
            return Err(if first { syntax } else { lexical });
        }
        (_, Some(lexical)) => return Err(lexical),
        (parsed, None) => parsed?,
    };
    let checked = check::check(&handler)?;
    Ok(Program {
        is_async: handler.is_async,
        code: Table(checked.code),
        slots: checked.slots,
        info: checked.info,
        texts: Table(checked.texts),
        log_config: checked.log_config,
        success: checked.success,
        warnings: checked.warnings,
        lock_sizes: checked.lock_sizes,
    })
}
