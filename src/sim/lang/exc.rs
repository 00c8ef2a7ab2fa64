//! Exceptions at run time: what one is (its class, its words, the status FastAPI answers with),
//! Python's class tree for `except`, and how a request that lets one through ends.

use super::parser::Pos;
use super::CodeError;
use crate::sim::handler::Io;

/// An exception raised in a request.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Exc {
    pub class: String,
    /// `str(e)`: the message, or for an HTTPException `"409: course full"`.
    pub words: String,
    /// The response's status if nothing catches it: an HTTPException's, else 500.
    pub status: u16,
    pub pos: Pos,
}

/// Why a stretch of instructions stopped short of the handler's end.
pub(crate) enum Stop {
    /// An exception was raised; the request's current exception says which.
    Raised(Exc),
    /// A limit of the language: the run ends with it.
    Limit(CodeError),
}

/// Python's exceptions that the run itself can raise, by the prefix of their error's words.
const PYTHON: &[&str] = &[
    "ZeroDivisionError",
    "TypeError",
    "RuntimeError",
    "ValueError",
    "TimeoutError",
];

impl From<super::Fail> for Stop {
    fn from(e: super::Fail) -> Stop {
        Stop::from(*e)
    }
}

impl From<CodeError> for Stop {
    fn from(e: CodeError) -> Stop {
        let class = PYTHON.iter().find(|c| {
            e.message
                .strip_prefix(**c)
                .is_some_and(|rest| rest.starts_with(": "))
        });
        match class {
            Some(class) => Stop::Raised(Exc {
                class: class.to_string(),
                words: e.message[class.len() + 2..].to_string(),
                status: 500,
                pos: Pos {
                    line: e.line,
                    col: e.column,
                },
            }),
            None => Stop::Limit(e),
        }
    }
}

impl Exc {
    /// How uvicorn names it in its log: `ValueError: full`, or the class alone.
    pub fn logged(&self) -> String {
        if self.words.is_empty() || self.class == "HTTPException" {
            self.class.clone()
        } else {
            format!("{}: {}", self.class, self.words)
        }
    }

    /// The request lets it through: FastAPI answers with its status; uvicorn logs any but an
    /// HTTPException.
    pub fn end(&self, io: &Io) {
        if self.class != "HTTPException" {
            io.print(format!(
                "ERROR:    Exception in ASGI application: {} (line {})",
                self.logged(),
                self.pos.line
            ));
        }
        io.respond(self.status);
    }
}

/// Each exception class a handler names, and its parent (Python's tree, and Starlette's
/// HTTPException under Exception).
const TREE: &[(&str, &str)] = &[
    ("Exception", "BaseException"),
    ("HTTPException", "Exception"),
    ("ArithmeticError", "Exception"),
    ("ZeroDivisionError", "ArithmeticError"),
    ("OverflowError", "ArithmeticError"),
    ("LookupError", "Exception"),
    ("KeyError", "LookupError"),
    ("IndexError", "LookupError"),
    ("OSError", "Exception"),
    ("ConnectionError", "OSError"),
    ("TimeoutError", "OSError"),
    ("PermissionError", "OSError"),
    ("RuntimeError", "Exception"),
    ("NotImplementedError", "RuntimeError"),
    ("ValueError", "Exception"),
    ("TypeError", "Exception"),
    ("NameError", "Exception"),
    ("AssertionError", "Exception"),
];

/// Whether a handler can name `class` in `raise` or `except`.
pub(crate) fn is_class(class: &str) -> bool {
    class == "BaseException" || TREE.iter().any(|(c, _)| *c == class)
}

/// Whether `except wanted:` catches an exception of `class`.
pub(crate) fn catches(wanted: &str, class: &str) -> bool {
    let mut c = class;
    loop {
        if c == wanted {
            return true;
        }
        match TREE.iter().find(|(child, _)| *child == c) {
            Some((_, parent)) => c = parent,
            None => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::catches;

    #[test]
    fn except_follows_pythons_tree() {
        // CPython 3.11: issubclass(ZeroDivisionError, ArithmeticError) and the like.
        assert!(catches("Exception", "ZeroDivisionError"));
        assert!(catches("ArithmeticError", "ZeroDivisionError"));
        assert!(catches("OSError", "TimeoutError"));
        assert!(catches("Exception", "HTTPException"));
        assert!(!catches("ValueError", "TypeError"));
        assert!(!catches("HTTPException", "ValueError"));
        assert!(catches("BaseException", "KeyError"));
    }
}
