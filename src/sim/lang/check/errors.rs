//! The checker's exceptions: `raise HTTPException(status_code=..., detail=...)`, which FastAPI
//! turns into a response with that status, and Python's own exceptions, which it turns into a
//! 500 while uvicorn logs them.

use super::super::code::Instr;
use super::super::parser::{Expr, Pos};
use super::super::unsupported::{self, construct};
use super::super::value::Value;
use super::super::world::Ty;
use super::super::CodeError;
use super::{err, Checker};

/// `Instr::Raise`'s class for `HTTPException`.
pub(crate) const HTTP_EXCEPTION: u16 = u16::MAX;

impl Checker {
    /// `raise HTTPException(409, "full")` or `raise ValueError("...")`.
    pub(super) fn raise(&mut self, exception: &Expr, pos: Pos) -> Result<(), CodeError> {
        let (class, class_pos, args, kwargs) = match exception {
            Expr::Call {
                func, args, kwargs, ..
            } => match func.as_ref() {
                Expr::Name(name, at) => (name.as_str(), *at, args.as_slice(), kwargs.as_slice()),
                other => return err(other.pos(), "raise an exception by its class's name"),
            },
            Expr::Name(name, at) => (name.as_str(), *at, &[][..], &[][..]),
            other => return err(other.pos(), "raise an exception by its class's name"),
        };
        if self.var(class).is_some() {
            return err(class_pos, "exceptions must derive from BaseException");
        }
        if class == "HTTPException" {
            self.http_exception(args, kwargs, class_pos)?;
            self.code.push(Instr::Raise {
                class: HTTP_EXCEPTION,
                pos,
            });
        } else if is_builtin_exception(class) {
            if let Some((name, _, at)) = kwargs.first() {
                return err(
                    *at,
                    format!("{class}() takes no keyword arguments ('{name}')"),
                );
            }
            match args {
                [] => {
                    self.constant(Value::None, Ty::None);
                }
                [message] => {
                    self.item(message)?;
                }
                [_, extra, ..] => {
                    return err(
                        extra.pos(),
                        construct("an exception with several arguments", "give it one message"),
                    )
                }
            }
            let text = self.texts.len() as u16;
            self.texts.push(class.to_string());
            self.code.push(Instr::Raise { class: text, pos });
        } else if unsupported::python_has(class) {
            return err(class_pos, format!("'{class}' is not an exception: raise HTTPException(...) or one of Python's exceptions"));
        } else {
            return err(class_pos, format!("name '{class}' is not defined"));
        }
        self.defined = None;
        Ok(())
    }

    /// HTTPException's status and detail, as its signature binds them.
    fn http_exception(
        &mut self,
        args: &[Expr],
        kwargs: &[(String, Expr, Pos)],
        pos: Pos,
    ) -> Result<(), CodeError> {
        let mut status = args.first();
        let mut detail = args.get(1);
        if let Some(extra) = args.get(2) {
            return err(
                extra.pos(),
                construct(
                    "HTTPException's headers",
                    "give it a status_code and a detail",
                ),
            );
        }
        for (name, value, at) in kwargs {
            let slot = match name.as_str() {
                "status_code" => &mut status,
                "detail" => &mut detail,
                _ => {
                    return err(
                        *at,
                        construct(
                            &format!("HTTPException's '{name}='"),
                            "give it a status_code and a detail",
                        ),
                    )
                }
            };
            if slot.is_some() {
                return err(
                    *at,
                    format!("HTTPException() got multiple values for argument '{name}'"),
                );
            }
            *slot = Some(value);
        }
        let Some(status) = status else {
            return err(
                pos,
                "HTTPException() missing 1 required positional argument: 'status_code'",
            );
        };
        let ty = self.expr(status)?;
        if !matches!(ty, Ty::Int | Ty::Bool) {
            return err(
                status.pos(),
                format!("status_code must be an int, not {}", ty.name()),
            );
        }
        match detail {
            Some(d) => {
                self.item(d)?;
            }
            None => {
                self.constant(Value::None, Ty::None);
            }
        }
        Ok(())
    }
}

/// Python's built-in exception classes a handler raises.
fn is_builtin_exception(name: &str) -> bool {
    matches!(
        name,
        "Exception"
            | "ValueError"
            | "TypeError"
            | "KeyError"
            | "IndexError"
            | "RuntimeError"
            | "TimeoutError"
            | "ZeroDivisionError"
            | "NotImplementedError"
            | "AssertionError"
            | "ConnectionError"
            | "OSError"
            | "PermissionError"
            | "LookupError"
    )
}
