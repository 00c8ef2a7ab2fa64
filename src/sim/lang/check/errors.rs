//! The checker's exceptions: `raise HTTPException(status_code=..., detail=...)`, which FastAPI
//! turns into a response with that status, and Python's own exceptions, which it turns into a
//! 500 while uvicorn logs them.

use super::super::code::Instr;

use super::super::exc;
use super::super::parser::{Except, Expr, Pos, Stmt, StmtKind};
use super::super::unsupported::{self, construct};
use super::super::value::Value;
use super::super::world::Func;
use super::super::world::Ty;
use super::super::Warning;
use super::exits::Exit;
use super::names::Slots;
use super::{err, Callee, Checker};
use crate::sim::lang::Fail;

/// `Instr::Raise`'s class for `HTTPException`.
pub(crate) const HTTP_EXCEPTION: u16 = u16::MAX;

impl<'a> Checker<'a> {
    /// `raise HTTPException(409, "full")` or `raise ValueError("...")`.
    pub(super) fn raise(&mut self, exception: &Expr, pos: Pos) -> Result<(), Fail> {
        match exception {
            Expr::Call { func, .. } => self.unimported(func),
            name => self.unimported(name),
        }
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
        } else if exc::is_class(class) && class != "BaseException" {
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
    ) -> Result<(), Fail> {
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

    /// `try` / `except` / `else` / `finally`. The body runs under a handler that goes to the
    /// `except` clauses, tested in order; one that matches runs and the code goes on after the
    /// statement; with none, the exception goes on up. A `finally` is checked twice: on the
    /// way out after the rest, and in a handler of its own that raises the exception again.
    pub(super) fn try_stmt(
        &mut self,
        body: &'a [Stmt],
        handlers: &'a [Except],
        orelse: &'a [Stmt],
        finally: &'a [Stmt],
        pos: Pos,
    ) -> Result<(), Fail> {
        self.try_inner(body, handlers, orelse, finally, pos)
    }

    fn try_inner(
        &mut self,
        body: &'a [Stmt],
        handlers: &'a [Except],
        orelse: &'a [Stmt],
        finally: &'a [Stmt],
        pos: Pos,
    ) -> Result<(), Fail> {
        let before = self.defined.clone();
        let outer = (!finally.is_empty()).then(|| {
            let at = self.here();
            self.code.push(Instr::TryStart(0));
            self.exits.push(Exit::Finally(finally));
            at
        });
        let result = self.try_clauses(body, handlers, orelse, pos, &before);
        if outer.is_some() {
            self.exits.pop();
        }
        result?;
        if let Some(outer) = outer {
            self.code.push(Instr::TryEnd);
            self.block(finally)?;
            let exit = self.here();
            self.code.push(Instr::Jump(0));
            let handler = self.here();
            self.patch(outer, handler);
            let out = self.defined.take();
            self.defined = before;
            self.block(finally)?;
            self.code.push(Instr::Reraise(pos));
            self.defined = out;
            let end = self.here();
            self.patch(exit, end);
        }
        Ok(())
    }

    /// The body, its `except` clauses and its `else`, inside any `finally`.
    fn try_clauses(
        &mut self,
        body: &'a [Stmt],
        handlers: &'a [Except],
        orelse: &'a [Stmt],
        pos: Pos,
        before: &Option<Slots>,
    ) -> Result<(), Fail> {
        if handlers.is_empty() {
            self.block(body)?;
        } else {
            let inner = self.here();
            self.code.push(Instr::TryStart(0));
            self.within(Exit::Try, body)?;
            self.code.push(Instr::TryEnd);
            self.block(orelse)?;
            let mut after = self.defined.take();
            let mut exits = vec![self.here()];
            self.code.push(Instr::Jump(0));
            let handler = self.here();
            self.patch(inner, handler);
            for clause in handlers {
                // The exception may come at any point of the body: only what was surely
                // assigned before it is.
                self.defined = before.clone();
                let mut classes = Vec::with_capacity(clause.classes.len());
                for (name, at) in &clause.classes {
                    classes.push(self.exception_class(name, *at)?);
                }
                // `except (A, B):` tests each class in turn; one that matches goes to the body.
                let last = classes.pop().unwrap_or(u16::MAX);
                let mut to_body = Vec::new();
                for class in classes {
                    let test = self.here();
                    self.code.push(Instr::ExceptMatch { class, next: 0 });
                    to_body.push(self.here());
                    self.code.push(Instr::Jump(0));
                    self.patch(test, self.here());
                }
                let test = self.here();
                self.code.push(Instr::ExceptMatch {
                    class: last,
                    next: 0,
                });
                for at in to_body {
                    self.patch(at, self.here());
                }
                let bound = match &clause.name {
                    Some(name) => {
                        self.code.push(Instr::LoadExc);
                        let slot = self.bind(clause.pos, name, Ty::Exc)?;
                        self.code.push(Instr::Store(slot));
                        self.assigned(slot);
                        Some(slot)
                    }
                    None => None,
                };
                self.within(Exit::Except, &clause.body)?;
                self.code.push(Instr::ExceptEnd);
                // Python deletes the name when the clause ends.
                if let (Some(slot), Some(d)) = (bound, self.defined.as_mut()) {
                    d.remove(slot);
                }
                merge(&mut after, self.defined.take());
                exits.push(self.here());
                self.code.push(Instr::Jump(0));
                let next = self.here();
                self.patch(test, next);
            }
            self.code.push(Instr::Reraise(pos));
            let end = self.here();
            for at in exits {
                self.patch(at, end);
            }
            self.defined = after;
        }
        Ok(())
    }

    /// The text index of an `except` clause's class. Python looks the name up only when an
    /// exception reaches the clause: an unknown one is a warning, and the clause catches
    /// nothing (Python would raise NameError there instead: a 500 all the same).
    fn exception_class(&mut self, name: &str, at: Pos) -> Result<u16, Fail> {
        if unsupported::python_has(name) && !exc::is_class(name) {
            return err(
                at,
                format!("catching classes that do not inherit from BaseException is not allowed ('{name}')"),
            );
        }
        if !exc::is_class(name) {
            self.warnings.push(Warning {
                line: at.line,
                message: format!(
                    "name '{name}' is not defined: an exception that reaches this clause raises \
                     NameError here"
                ),
            });
        }
        let text = self.texts.len() as u16;
        self.texts.push(name.to_string());
        Ok(text)
    }

    /// A statement that names something undefined compiles, as in Python, and raises NameError
    /// when it runs, after the lines before it have had their effects; the editor warns of it.
    /// (The statement's calls before the name, on the same line, do not run: a statement is
    /// replaced whole.)
    pub(super) fn statement_or_name_error(&mut self, stmt: &'a Stmt) -> Result<(), Fail> {
        let mark = (
            self.code.len(),
            self.steps.len(),
            self.warnings.len(),
            self.first_line,
            self.defined.clone(),
        );
        match self.statement(stmt) {
            Err(e)
                if e.message.starts_with("name '") && e.message.ends_with("' is not defined") =>
            {
                self.code.truncate(mark.0);
                self.steps.truncate(mark.1);
                self.warnings.truncate(mark.2);
                self.first_line = mark.3;
                self.defined = mark.4;
                self.warnings.push(Warning {
                    line: e.line,
                    message: format!("{}: this line raises NameError when it runs", e.message),
                });
                let pos = Pos {
                    line: e.line,
                    col: e.column,
                };
                self.raise_name_error(e.message, pos);
                self.defined = None;
                Ok(())
            }
            result => result,
        }
    }

    /// Raises Python's NameError with `message` here.
    fn raise_name_error(&mut self, message: String, pos: Pos) {
        let text = self.texts.len() as u16;
        self.texts.push(message);
        self.code.push(Instr::Text(text));
        let class = self.texts.len() as u16;
        self.texts.push("NameError".to_string());
        self.code.push(Instr::Raise { class, pos });
    }

    /// In a file with import lines, a name used where the module is imported (above the
    /// handler, or in its signature) without its own import: Python stops at it, so uvicorn
    /// cannot start the app.
    pub(super) fn import_fails(&self, name: &str, pos: Pos) -> Result<(), Fail> {
        if self
            .imports
            .as_ref()
            .is_some_and(|i| !i.iter().any(|n| n == name))
        {
            return err(
                pos,
                format!(
                    "name '{name}' is not defined (the module fails to import: uvicorn cannot \
                     start it)"
                ),
            );
        }
        Ok(())
    }

    /// In code with import lines, a module or name used without its import: the line raises
    /// Python's NameError when it runs (emitted before the use, which then never runs).
    pub(super) fn unimported(&mut self, func: &Expr) {
        let name = match func {
            Expr::Name(name, _)
                if matches!(name.as_str(), "run_in_threadpool" | "HTTPException") =>
            {
                name
            }
            Expr::Attr(base, _, _) => match base.as_ref() {
                Expr::Name(m, _) if matches!(m.as_str(), "asyncio" | "time" | "logging") => m,
                _ => return,
            },
            _ => return,
        };
        let Some(imports) = &self.imports else {
            return;
        };
        if imports.contains(name) || self.var(name).is_some() {
            return;
        }
        self.raise_name_error(format!("name '{name}' is not defined"), func.pos());
    }

    /// `app = FastAPI()` above the handler: the app the route belongs to. In code with import
    /// lines, FastAPI must be imported (else the module fails to import and uvicorn stops).
    pub(super) fn app_setup(&mut self, stmt: &'a Stmt) -> Option<Result<(), Fail>> {
        let StmtKind::Assign {
            name,
            op: None,
            value,
        } = &stmt.kind
        else {
            return None;
        };
        let Expr::Call { func, .. } = value else {
            return None;
        };
        match (name.as_str(), func.as_ref()) {
            ("app", Expr::Name(f, pos)) if f == "FastAPI" => {
                Some(self.import_fails("FastAPI", *pos))
            }
            _ => None,
        }
    }

    /// `await asyncio.wait_for(send_email(student), timeout=1)`: the call, with a time limit
    /// after which asyncio cancels it and raises TimeoutError. A call on a thread (which runs on
    /// after the cancel) or a query on `seats_left` (whose effect a cancel may or may not undo)
    /// is owned up to.
    pub(super) fn wait_for(
        &mut self,
        args: &[Expr],
        kwargs: &[(String, Expr, Pos)],
        pos: Pos,
    ) -> Result<Ty, Fail> {
        let mut timeout = args.get(1);
        for (name, value, at) in kwargs {
            if name != "timeout" || timeout.is_some() {
                return err(
                    *at,
                    format!("wait_for() got an unexpected keyword argument '{name}'"),
                );
            }
            timeout = Some(value);
        }
        let (Some(inner), Some(timeout)) = (args.first(), timeout) else {
            return err(pos, "wait_for() needs the awaitable and timeout=");
        };
        let Expr::Call {
            func,
            args: inner_args,
            kwargs: inner_kwargs,
            pos: inner_pos,
        } = inner
        else {
            return err(
                inner.pos(),
                construct(
                    "wait_for of a value kept in a name",
                    "give it the call itself: wait_for(send_email(student), timeout=1)",
                ),
            );
        };
        let info = match self.callee(func)? {
            Callee::World(info)
                if info.is_async && !matches!(info.func, Func::DbFetch | Func::DbExecute) =>
            {
                info
            }
            _ => return err(
                inner.pos(),
                construct(
                    "wait_for around this call",
                    "it limits an awaited call of save_to_database, send_email or asyncio.sleep",
                ),
            ),
        };
        let ty = self.expr(timeout)?;
        if !matches!(ty, Ty::Int | Ty::Float | Ty::None) {
            return err(
                timeout.pos(),
                format!("timeout must be a number or None, not {}", ty.name()),
            );
        }
        self.code.push(Instr::TimeLimit(pos));
        self.unimported(func);
        self.args(info, inner_args, inner_kwargs, *inner_pos)?;
        self.emit_call(info, None, true, func.pos());
        Ok(info.returns)
    }

    /// `async with asyncio.timeout(S):`: the awaited calls inside share a deadline S from now;
    /// one still running at it is cancelled and TimeoutError leaves the block. Compiled as a
    /// try / finally that puts the outer deadline back on every way out.
    pub(super) fn async_with(
        &mut self,
        context: &Expr,
        body: &'a [Stmt],
        pos: Pos,
    ) -> Result<(), Fail> {
        if !self.is_async {
            return err(pos, "'async with' outside async function");
        }
        if let Some(id) = self.lock_of(context) {
            return self.lock_block(id, body, pos);
        }
        if is_transaction(context) {
            return self.guarded(
                Instr::TxStart(pos),
                Exit::Transaction,
                Instr::TxEnd,
                body,
                pos,
            );
        }
        let Expr::Call {
            func, args, kwargs, ..
        } = context
        else {
            return err(
                context.pos(),
                construct(
                    "this context manager",
                    "async with asyncio.timeout(S): and async with a lock made above the handler \
                     (lock = asyncio.Lock()) run",
                ),
            );
        };
        let is_timeout = matches!(func.as_ref(), Expr::Attr(base, attr, _)
            if attr == "timeout" && matches!(base.as_ref(), Expr::Name(m, _) if m == "asyncio"));
        if !is_timeout {
            return err(
                context.pos(),
                construct(
                    "this context manager",
                    "async with asyncio.timeout(S): and async with a lock made above the handler \
                     (lock = asyncio.Lock() or asyncio.Semaphore(N)) run",
                ),
            );
        }
        let delay = match (args.as_slice(), kwargs.as_slice()) {
            ([delay], []) => delay,
            ([], [(name, delay, _)]) if name == "delay" => delay,
            _ => {
                return err(
                    context.pos(),
                    "timeout() takes one argument: the delay in seconds",
                )
            }
        };
        self.unimported(func);
        let ty = self.expr(delay)?;
        if !matches!(ty, Ty::Int | Ty::Float | Ty::None) {
            return err(
                delay.pos(),
                format!("the delay must be a number or None, not {}", ty.name()),
            );
        }
        self.code.push(Instr::DeadlineStart);
        let at = self.here();
        self.code.push(Instr::TryStart(0));
        self.within(Exit::Deadline, body)?;
        self.code.push(Instr::TryEnd);
        self.code.push(Instr::DeadlineEnd);
        let exit = self.here();
        self.code.push(Instr::Jump(0));
        let handler = self.here();
        self.patch(at, handler);
        self.code.push(Instr::DeadlineEnd);
        self.code.push(Instr::Reraise(pos));
        let end = self.here();
        self.patch(exit, end);
        Ok(())
    }
}

/// What is surely assigned after two ways join: what both assigned (`None`: a way that never
/// gets there).
pub(super) fn merge(after: &mut Option<Slots>, other: Option<Slots>) {
    if let Some(other) = other {
        *after = Some(match after.take() {
            Some(a) => a.intersection(&other),
            None => other,
        });
    }
}

/// `db.transaction()`.
fn is_transaction(context: &Expr) -> bool {
    matches!(context, Expr::Call { func, args, kwargs, .. }
        if args.is_empty() && kwargs.is_empty()
            && matches!(func.as_ref(), Expr::Attr(base, attr, _)
                if attr == "transaction" && matches!(base.as_ref(), Expr::Name(m, _) if m == "db")))
}
