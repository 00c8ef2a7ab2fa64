//! What Python and FastAPI have and a handler here does not run, and the words that say so. A
//! name Python knows is never reported as undefined, and valid code never as invalid syntax: the
//! message names the construct, says it is valid, and lists what runs nearby.

/// Python's built-in functions, types and exceptions: names Python always has.
const BUILTINS: &[&str] = &[
    "abs",
    "all",
    "any",
    "ascii",
    "bin",
    "bool",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "compile",
    "complex",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "help",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "locals",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
    "aiter",
    "anext",
    "Exception",
    "BaseException",
    "ValueError",
    "TypeError",
    "KeyError",
    "IndexError",
    "RuntimeError",
    "TimeoutError",
    "ZeroDivisionError",
    "NameError",
    "AttributeError",
    "NotImplementedError",
    "AssertionError",
    "ConnectionError",
    "OSError",
    "StopIteration",
    "__name__",
];

/// Names a FastAPI module commonly imports and uses (FastAPI's, Starlette's, Pydantic's and the
/// standard library's), which a handler here does not run yet.
const FRAMEWORK: &[&str] = &[
    "HTTPException",
    "BackgroundTasks",
    "background_tasks",
    "Depends",
    "FastAPI",
    "APIRouter",
    "Request",
    "Response",
    "JSONResponse",
    "BaseModel",
    "status",
    "app",
    "logger",
    "logging",
    "json",
    "random",
    "math",
    "os",
    "datetime",
    "uuid",
    "httpx",
    "requests",
    "aiosmtplib",
    "smtplib",
    "asyncpg",
    "sqlalchemy",
];

/// Attributes the standard modules have, beyond those a handler here calls.
const MODULE_ATTRS: &[(&str, &[&str])] = &[
    (
        "asyncio",
        &[
            "wait_for",
            "wait",
            "timeout",
            "Lock",
            "Semaphore",
            "BoundedSemaphore",
            "Event",
            "Condition",
            "Queue",
            "shield",
            "run",
            "get_event_loop",
            "get_running_loop",
            "as_completed",
            "TaskGroup",
            "ensure_future",
            "current_task",
            "all_tasks",
            "iscoroutine",
            "CancelledError",
            "TimeoutError",
            "Future",
            "Task",
            "run_coroutine_threadsafe",
        ],
    ),
    (
        "time",
        &[
            "time",
            "monotonic",
            "perf_counter",
            "process_time",
            "time_ns",
            "monotonic_ns",
            "perf_counter_ns",
            "strftime",
            "localtime",
            "gmtime",
            "ctime",
        ],
    ),
];

/// What a handler here can call, for the messages.
pub(crate) const CALLS_HINT: &str = "it calls validate, save_to_database, send_email, cpu_work, \
    has_room, welcome, the db and smtp clients, asyncio.sleep, asyncio.gather, asyncio.to_thread, \
    time.sleep, run_in_threadpool, print and Python's len, str, int, float, bool, abs, min, max and round";

/// Whether Python (or a FastAPI module's usual imports) has `name` although a handler here
/// does not run it.
pub(crate) fn python_has(name: &str) -> bool {
    BUILTINS.contains(&name) || FRAMEWORK.contains(&name)
}

/// Whether the standard `module` has `attr` although a handler here does not call it.
pub(crate) fn module_has(module: &str, attr: &str) -> bool {
    MODULE_ATTRS
        .iter()
        .any(|(m, attrs)| *m == module && attrs.contains(&attr))
}

/// `'print' is valid Python, but a handler here cannot use it: it calls ...`.
pub(crate) fn name(name: &str) -> String {
    if name == "logger" {
        return "name 'logger' is not defined: make it above the handler, with \
                logger = logging.getLogger(__name__)"
            .to_string();
    }
    if name == "background_tasks" {
        return "name 'background_tasks' is not defined: take it as the handler's second \
                parameter, background_tasks: BackgroundTasks"
            .to_string();
    }
    format!("'{name}' is valid Python, but a handler here cannot use it: {CALLS_HINT}")
}

/// `asyncio.shield is valid Python, but a handler here cannot call it: from asyncio it calls
/// sleep, ...`.
pub(crate) fn attribute(module: &str, attr: &str) -> String {
    if module == "asyncio" && matches!(attr, "Lock" | "Semaphore" | "BoundedSemaphore") {
        return format!(
            "'asyncio.{attr}' is valid Python, but a handler here makes its locks above the \
             handler (lock = asyncio.{attr}(...)), where every request of a worker shares one, \
             and holds them with async with lock:"
        );
    }
    let runs = match module {
        "asyncio" => {
            "from asyncio it calls sleep, gather, to_thread, wait_for, timeout and create_task, \
             and makes Lock and Semaphore"
        }
        "time" => "from time it calls sleep",
        _ => CALLS_HINT,
    };
    format!("'{module}.{attr}' is valid Python, but a handler here cannot call it: {runs}")
}

/// A construct in general: `'try' is valid Python, but a handler here cannot use it: ...`.
pub(crate) fn construct(what: &str, nearby: &str) -> String {
    format!("{what} is valid Python, but a handler here cannot use it: {nearby}")
}

/// What a handler's body can hold.
pub(crate) const STATEMENTS_HINT: &str = "a handler holds calls, assignments, if/elif/else, \
    for NAME in range(N), while, break, continue, try, async with, raise, return and pass";

/// What values a handler has, for the messages about literals and operators.
pub(crate) const VALUES_HINT: &str =
    "its values are numbers, strings and f-strings, True, False and \
    None, with + - * / // % and comparisons, and lists and dicts to return";

/// The names a handler imports from each module it may import from.
pub(crate) fn importable(module: &str) -> Option<&'static [&'static str]> {
    Some(match module {
        "fastapi.concurrency" | "starlette.concurrency" => &["run_in_threadpool"],
        "fastapi" => &["FastAPI", "HTTPException", "BackgroundTasks", "Depends"],
        "starlette.exceptions" => &["HTTPException"],
        "pydantic" => &["BaseModel"],
        _ => return None,
    })
}

/// What a handler imports.
/// What a class other than the request model gets, or a model with more than fields.
pub(crate) const ONE_CLASS: &str = "this is valid Python, but the one class here is the request \
    model, class Student(BaseModel):, with fields only (name: str)";

pub(crate) const IMPORTS_HINT: &str = "a handler here imports asyncio, time and logging, \
    run_in_threadpool from fastapi.concurrency or starlette.concurrency, FastAPI, \
    HTTPException, BackgroundTasks and Depends from fastapi, and BaseModel from pydantic";

/// The message for a statement keyword that starts a statement in a handler's body, or `None`
/// when the word may also be a name there (`match` is a soft keyword). `next_is_op`: whether an
/// operator follows, as in `match = 3`.
pub(crate) fn statement(word: &str, next_is_op: bool) -> Option<String> {
    let nearby = STATEMENTS_HINT;
    Some(match word {
        "match" if next_is_op => return None,
        "class" => {
            format!("'class' is valid Python, but a handler here cannot define classes: {nearby}")
        }
        "def" | "async" => format!(
            "a function or an 'async for' inside the handler is valid Python, but a \
             handler here cannot use it: {nearby}"
        ),
        "import" | "from" => format!(
            "an import inside the handler is valid Python, but a handler here takes its imports \
             at the top of the code: {IMPORTS_HINT}"
        ),
        "except" | "finally" | "elif" | "else" | "in" | "is" => {
            // Python rejects these where a statement starts too.
            "invalid syntax".to_string()
        }
        w if KEYWORD_STATEMENTS.contains(&w) => construct(&format!("'{w}'"), nearby),
        _ => return None,
    })
}

/// Statement keywords Python has that a handler here does not run.
const KEYWORD_STATEMENTS: &[&str] = &[
    "with", "del", "global", "nonlocal", "assert", "yield", "lambda", "match",
];

/// A name that starts a string with a prefix (`f"..."`, `rb'...'`), for the message.
pub(crate) fn is_string_prefix(name: &str) -> bool {
    name.len() <= 2
        && name
            .chars()
            .all(|c| matches!(c.to_ascii_lowercase(), 'f' | 'r' | 'b' | 'u'))
}

/// A bytes literal: valid Python, which a handler here has no use for.
pub(crate) fn bytes_literal() -> String {
    construct(
        "a bytes literal (b'...')",
        "its strings are text: write '...'",
    )
}

/// An attribute that one of the handler's values lacks: Python's AttributeError, with what the
/// student has (the request model's fields run; see `value::FIELDS`). A student of the code's
/// own model is named by its class, as Pydantic's error does.
pub(crate) fn field(ty: super::world::Ty, attr: &str, model: Option<&super::ast::Model>) -> String {
    let student = ty == super::world::Ty::Student;
    let (name, has) = match model {
        Some(m) if student => (m.name.as_str(), ""),
        _ if student => ("Student", " (the student here has name, email and course)"),
        _ => (ty.name(), ""),
    };
    format!("'{name}' object has no attribute '{attr}'{has}")
}
