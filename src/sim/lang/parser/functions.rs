//! The functions of the code: the handler (the one under `@app.post(...)`, or the last one in
//! a snippet without a route) and the helper functions it calls, with their parameters.

use super::super::ast::{Dependency, Expr, Helper, Pos};
use super::super::unsupported::construct;
use super::{boxed, Fail};
use super::{Parser, Stmt, Tok};

/// Everything a handler may take besides the student, its `BackgroundTasks` and dependencies.
const OTHERS: &str = "this parameter is valid FastAPI, but a handler here takes the student, \
    then a background_tasks: BackgroundTasks and NAME = Depends(function) parameters";

/// One parameter: its name, place and annotation, and its default: `Depends(helper)` (the
/// helper's name) or another (its place).
pub(super) struct Param {
    pub name: String,
    pub pos: Pos,
    pub annotation: Option<String>,
    pub default: Option<Result<(String, Pos), Pos>>,
}

/// A function as written: its route's status (`None`: no route), whether it is `async def`,
/// its name, parameters and body.
pub(super) struct Function {
    pub route: Option<u16>,
    pub is_async: bool,
    pub name: String,
    pub params: Vec<Param>,
    pub body: Vec<Stmt>,
    pub pos: Pos,
}

impl Parser {
    /// At `@`, `def` or `async`: a function, with its route if it has one.
    pub(super) fn function(&mut self) -> Result<Function, Fail> {
        let route = if self.eat_op("@") {
            let status = self.decorator()?;
            self.skip_newlines();
            Some(status)
        } else {
            None
        };
        let pos = self.here();
        let is_async = self.is_name("async");
        if is_async {
            self.bump();
        }
        if !self.is_name("def") {
            return self.unexpected(if is_async {
                "'def'"
            } else {
                "imports, @app.post(\"/path\"), then async def or def"
            });
        }
        self.bump();
        let (name, _) = self.expect_name()?;
        self.expect_op("(")?;
        let mut params = Vec::new();
        while !self.is_op(")") {
            let (pname, ppos) = self.expect_name()?;
            let annotation = if self.eat_op(":") {
                Some(self.annotation()?)
            } else {
                None
            };
            let default = if self.eat_op("=") {
                Some(self.default_value()?)
            } else {
                None
            };
            params.push(Param {
                name: pname,
                pos: ppos,
                annotation,
                default,
            });
            if !self.eat_op(",") {
                break;
            }
        }
        self.expect_op(")")?;
        if self.eat_op("->") {
            self.annotation()?;
        }
        self.expect_op(":")?;
        let body = self.block(("function definition", pos.line))?;
        Ok(Function {
            route,
            is_async,
            name,
            params,
            body,
            pos,
        })
    }
}

impl Parser {
    /// A type annotation (`Student`, `int | None`, `list[str]`, `"Student"`): what FastAPI reads
    /// to validate, read and left aside but for its first name, which says which parameter is
    /// the `BackgroundTasks`.
    pub(super) fn annotation(&mut self) -> Result<String, Fail> {
        let first = match self.peek().clone() {
            Tok::Name(n) if n == "None" => {
                self.bump();
                n
            }
            Tok::Name(_) => self.dotted()?.0,
            Tok::Str(s) => {
                self.bump();
                s
            }
            _ => return self.unexpected("a type"),
        };
        // Its brackets (`list[str]`), whatever they hold, and the other types of a union.
        if self.is_op("[") {
            let mut depth = 0;
            loop {
                match self.take() {
                    Tok::Op("[") => depth += 1,
                    Tok::Op("]") => depth -= 1,
                    Tok::Newline | Tok::Eof => return self.unexpected("']'"),
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
            }
        }
        if self.eat_op("|") {
            self.annotation()?;
        }
        Ok(first)
    }

    /// After `=` in a parameter list: `Depends(helper)`, or another default (its place).
    fn default_value(&mut self) -> Result<Result<(String, Pos), Pos>, Fail> {
        let pos = self.here();
        let value = self.expr()?;
        Ok(match value {
            Expr::Call {
                func, args, kwargs, ..
            } if matches!(func.as_ref(), Expr::Name(n, _) if n == "Depends")
                && kwargs.is_empty() =>
            {
                match args.as_slice() {
                    [Expr::Name(helper, at)] => Ok((helper.clone(), *at)),
                    _ => Err(pos),
                }
            }
            _ => Err(pos),
        })
    }
}

/// What the handler takes besides the student.
pub(super) struct HandlerParams {
    pub student: String,
    pub background: Option<(String, Pos)>,
    pub depends: Vec<Dependency>,
}

impl Function {
    /// The handler's parameters: the student first, then in any order a
    /// `NAME: BackgroundTasks` and any `NAME = Depends(helper)`.
    pub(super) fn handler_params(&self) -> Result<HandlerParams, Fail> {
        let mut params = self.params.iter();
        let Some(student) = params.next().filter(|p| p.default.is_none()) else {
            return Err(boxed(
                self.pos.line,
                self.pos.col,
                "a handler here takes the student first: async def register(student: Student):",
            ));
        };
        let mut out = HandlerParams {
            student: student.name.clone(),
            background: None,
            depends: Vec::new(),
        };
        for p in params {
            match &p.default {
                Some(Ok((helper, at))) => out.depends.push(Dependency {
                    name: p.name.clone(),
                    helper: helper.clone(),
                    pos: *at,
                }),
                None if p.annotation.as_deref() == Some("BackgroundTasks")
                    && out.background.is_none() =>
                {
                    out.background = Some((p.name.clone(), p.pos));
                }
                Some(Err(at)) => return Err(boxed(at.line, at.col, OTHERS)),
                None => return Err(boxed(p.pos.line, p.pos.col, OTHERS)),
            }
        }
        Ok(out)
    }

    /// The function as a helper the handler calls.
    pub(super) fn helper(self) -> Result<Helper, Fail> {
        if let Some(p) = self.params.iter().find(|p| p.default.is_some()) {
            return Err(boxed(
                p.pos.line,
                p.pos.col,
                construct(
                    "a parameter's default value in a function other than the handler",
                    "a function here takes every argument it names",
                ),
            ));
        }
        Ok(Helper {
            is_async: self.is_async,
            name: self.name,
            params: self.params.into_iter().map(|p| (p.name, p.pos)).collect(),
            body: self.body,
            pos: self.pos,
        })
    }
}
