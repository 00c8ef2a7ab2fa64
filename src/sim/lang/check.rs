//! The checker: resolves every name against the handler's variables and the world's functions,
//! checks arities, types and Python's rules about `await` before the run (as Python's compiler or
//! a type checker would), collects the warnings, and emits the flat instructions `interp` runs.

use super::builtins::Builtin;
use super::code::{Info, Instr, PoolKind};
use super::interp::Value;
use super::logging::LogConfig;
use super::parser::{Expr, Handler, Pos, Stmt, StmtKind};
use super::world::{FuncInfo, Ty};
use super::{boxed, CodeError, Fail, Warning};
use crate::sim::handler::Step;
use crate::sim::order;
use crate::sim::store::Table;

mod calls;
mod errors;
pub(crate) use errors::HTTP_EXCEPTION;
mod background;
mod exits;
mod helpers;
mod locks;
mod logs;
mod loops;
mod names;
mod values;

use calls::arith;
use names::Slots;

pub(crate) struct Checked {
    pub code: Vec<Instr>,
    pub slots: u16,
    pub info: Info,
    pub texts: Vec<String>,
    pub log_config: LogConfig,
    pub success: u16,
    pub warnings: Vec<Warning>,
    /// The permits of each of the module's locks and semaphores, by number.
    pub lock_sizes: Vec<u32>,
}

pub(super) struct Var {
    name: String,
    ty: Ty,
    /// A coroutine stored here and not read yet: where, and its name for the warning.
    unread_coro: Option<(u32, &'static str)>,
    /// For a coroutine: what awaiting it gives.
    returns: Ty,
}

pub(super) enum Callee {
    World(&'static FuncInfo),
    Gather,
    Pool(PoolKind),
    Print,
    /// A logging function at its level, of a named logger (its slot) or of the module.
    Log(u8, Option<u16>),
    /// `asyncio.wait_for(call, timeout=S)`.
    WaitFor,
    /// `len`, `str`, `int` and Python's other built-in functions on values.
    Builtin(Builtin),
    /// A method of a value (`email.lower()`), whose type the call's code finds.
    Method,
    /// `background_tasks.add_task(func, ...)`.
    AddTask,
    /// A function of the code (its index among the helpers).
    Helper(usize),
    /// `asyncio.create_task(coro)`.
    CreateTask,
}

pub(super) struct Checker<'a> {
    is_async: bool,
    code: Vec<Instr>,
    vars: Table<Var>,
    slots: u16,
    /// Slots surely assigned here; `None` after a `return` (unreachable).
    defined: Option<Slots>,
    warnings: Vec<Warning>,
    steps: Vec<Step>,
    /// The line of the first of `steps`.
    first_line: Option<u32>,
    /// String constants, for `Instr::Text`.
    texts: Vec<String>,
    /// Slots below this one (after the student's) hold the module's constants.
    constants: usize,
    log_config: LogConfig,
    /// The named loggers: their slots and their names' indexes in `texts`.
    loggers: Vec<(u16, u16)>,
    /// The module's locks and semaphores: their slots and permits; a lock's number is its index.
    locks: Vec<(u16, u32)>,
    /// The `try` statements and `async with` blocks the code being checked is in, innermost
    /// last: what an early exit must leave.
    exits: Vec<exits::Exit<'a>>,
    /// The loops the code being checked is in, innermost last.
    loops: Vec<loops::Loop>,
    /// The names the code imports, when it has import lines: then a module or name it uses
    /// without importing it is Python's NameError where that line runs.
    imports: Option<Vec<String>>,
    /// The functions of the code other than the handler, and those being compiled now, the
    /// innermost last.
    helpers: &'a [super::ast::Helper],
    inlining: Vec<usize>,
    /// The names visible here: those from this index on, and the module's (`globals`).
    scope: usize,
    globals: (usize, usize),
    /// The helper being compiled, if any.
    frame: Option<helpers::Frame>,
    /// What the query of the database call being checked does.
    sql: super::sql::Sql,
    /// The request model the code defines, whose fields are all the student has.
    model: Option<&'a super::ast::Model>,
}

#[inline(always)]
pub(super) fn err<T>(pos: Pos, message: impl Into<String>) -> Result<T, Fail> {
    Err(boxed(pos.line, pos.col, message))
}

/// Checks `handler` and emits its instructions.
///
/// # Errors
/// The first problem, in the order of the code.
pub(crate) fn check(handler: &Handler) -> Result<Checked, CodeError> {
    check_boxed(handler).map_err(|e| *e)
}

fn check_boxed(handler: &Handler) -> Result<Checked, Fail> {
    let mut c = Checker {
        is_async: handler.is_async,
        code: Vec::new(),
        vars: Table::default(),
        slots: 0,
        defined: Some(Slots::default()),
        warnings: Vec::new(),
        steps: Vec::new(),
        first_line: None,
        texts: Vec::new(),
        constants: 0,
        log_config: LogConfig::default(),
        loggers: Vec::new(),
        locks: Vec::new(),
        exits: Vec::new(),
        loops: Vec::new(),
        imports: (!handler.imports.is_empty()).then(|| handler.imports.clone()),
        helpers: &handler.helpers,
        inlining: Vec::new(),
        scope: 0,
        globals: (0, 0),
        frame: None,
        sql: Default::default(),
        model: handler.model.as_ref(),
    };
    let student = c.declare(&handler.param, Ty::Student);
    c.assigned(student);
    c.background_param(handler)?;
    // The module's constants are made at the start of each request: without calls they are
    // the same values Python makes once, at import.
    let globals = c.vars.len();
    for constant in &handler.constants {
        c.module_constant(constant)?;
    }
    c.constants = c.vars.len();
    c.globals = (globals, c.constants);
    c.dependencies(&handler.depends)?;
    c.block(&handler.body)?;
    c.code.push(Instr::Return);
    for var in &c.vars {
        if let Some((line, name)) = var.unread_coro {
            c.warnings.push(never_awaited(line, name));
        }
    }
    order::short(&mut c.warnings, |w| w.line);
    // A `finally` block is checked once per way out of its `try`: its warnings once.
    c.warnings.dedup();
    let mut io_steps = Vec::new();
    for step in c
        .steps
        .iter()
        .chain(&[Step::SaveToDatabase, Step::SendEmail])
    {
        let drawn = step.is_database() || *step == Step::SendEmail;
        if drawn && !io_steps.contains(step) && io_steps.len() < 2 {
            io_steps.push(*step);
        }
    }
    let info = Info {
        first_step: c.steps.first().copied().unwrap_or(Step::Validate),
        first_line: c.first_line.and_then(|l| u16::try_from(l).ok()),
        io_steps: [io_steps[0], io_steps[1]],
        uses_seats: c
            .steps
            .iter()
            .any(|s| matches!(s, Step::ReadSeats | Step::WriteSeats | Step::Decide)),
        loops: c
            .code
            .iter()
            .any(|i| matches!(i, Instr::ForNext { .. } | Instr::LoopTick { .. })),
        prints: c
            .code
            .iter()
            .any(|i| matches!(i, Instr::Print(..) | Instr::Log { .. })),
        spawns: c.code.iter().any(|i| matches!(i, Instr::CreateTask(_))),
    };
    Ok(Checked {
        code: c.code,
        slots: c.slots,
        info,
        texts: c.texts,
        log_config: c.log_config,
        lock_sizes: c.locks.iter().map(|(_, permits)| *permits).collect(),
        success: handler.success,
        warnings: c.warnings,
    })
}

/// The operations one pass through `body` counts: its statements, those of its branches too;
/// a loop inside counts its own iterations.
fn weight(body: &[Stmt]) -> u16 {
    body.iter()
        .map(|s| match &s.kind {
            StmtKind::If { branches, orelse } => branches
                .iter()
                .map(|(_, b)| weight(b))
                .fold(weight(orelse), u16::saturating_add)
                .saturating_add(1),
            _ => 1,
        })
        .fold(0, u16::saturating_add)
}

fn never_awaited(line: u32, name: &str) -> Warning {
    Warning {
        line,
        message: format!("coroutine '{name}' was never awaited"),
    }
}

impl<'a> Checker<'a> {
    fn here(&self) -> u32 {
        self.code.len() as u32
    }

    fn patch(&mut self, at: u32, target: u32) {
        match &mut self.code[at as usize] {
            Instr::Jump(t)
            | Instr::JumpIfFalse(t)
            | Instr::AndJump(t)
            | Instr::OrJump(t)
            | Instr::TryStart(t)
            | Instr::ExceptMatch { next: t, .. }
            | Instr::ForNext { exit: t, .. } => *t = target,
            _ => {}
        }
    }

    fn block(&mut self, body: &'a [Stmt]) -> Result<(), Fail> {
        body.iter()
            .try_for_each(|s| self.statement_or_name_error(s))
    }

    fn statement(&mut self, stmt: &'a Stmt) -> Result<(), Fail> {
        match &stmt.kind {
            // A docstring, or any bare string, is a value Python makes and drops.
            StmtKind::Pass | StmtKind::Expr(Expr::Str(..)) => {}
            StmtKind::Expr(Expr::Call {
                func,
                args,
                kwargs,
                pos,
            }) if self.async_helper_statement(func, args, kwargs, *pos)? => {}
            StmtKind::Expr(e) => {
                let ty = self.expr(e)?;
                // A call's unused result is never pushed.
                match self.code.last_mut() {
                    Some(Instr::Call { discard, .. }) => *discard = true,
                    _ => self.code.push(Instr::Pop),
                }
                if ty == Ty::Coro {
                    if let Some(name) = self.coro_name(e) {
                        self.warnings.push(never_awaited(stmt.pos.line, name));
                    }
                }
            }
            StmtKind::Assign { name, op, value } => self.assign(stmt.pos, name, *op, value)?,
            StmtKind::Raise(Some(exception)) => self.raise(exception, stmt.pos)?,
            StmtKind::Raise(None) => {
                self.code.push(Instr::Reraise(stmt.pos));
                self.defined = None;
            }
            StmtKind::AsyncWith { context, body } => self.async_with(context, body, stmt.pos)?,
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finally,
            } => self.try_stmt(body, handlers, orelse, finally, stmt.pos)?,
            StmtKind::Return(value) if self.frame.is_some() => {
                self.helper_return(value.as_ref(), stmt.pos)?
            }
            StmtKind::Return(value) => {
                // The value is made before any finally runs, as in Python.
                if let Some(value) = value {
                    self.expr(value)?;
                    self.code.push(Instr::Pop);
                }
                self.unwind(0, stmt.pos)?;
                self.code.push(Instr::Return);
                self.defined = None;
            }
            StmtKind::If { branches, orelse } => {
                let before = self.defined.clone();
                let mut after: Option<Slots> = None;
                let mut ends = Vec::new();
                for (cond, body) in branches {
                    self.defined = before.clone();
                    self.condition(cond)?;
                    let skip = self.here();
                    self.code.push(Instr::JumpIfFalse(0));
                    self.block(body)?;
                    errors::merge(&mut after, self.defined.take());
                    ends.push(self.here());
                    self.code.push(Instr::Jump(0));
                    let next = self.here();
                    self.patch(skip, next);
                }
                self.defined = before;
                self.block(orelse)?;
                errors::merge(&mut after, self.defined.take());
                self.defined = after;
                let end = self.here();
                for at in ends {
                    self.patch(at, end);
                }
            }
            StmtKind::For {
                var,
                start,
                end,
                body,
            } => self.for_loop(var, start.as_ref(), end, body, stmt.pos)?,
            StmtKind::While { cond, body } => self.while_loop(cond, body, stmt.pos)?,
            StmtKind::Break | StmtKind::Continue => {
                self.leave_loop(stmt.kind == StmtKind::Break, stmt.pos)?
            }
        }
        Ok(())
    }

    fn expr(&mut self, e: &Expr) -> Result<Ty, Fail> {
        Ok(match e {
            Expr::Int(i, _) => self.constant(Value::Int(*i), Ty::Int),
            Expr::Float(x, _) => self.constant(Value::Float(*x), Ty::Float),
            Expr::Bool(b, _) => self.constant(Value::Bool(*b), Ty::Bool),
            Expr::None(_) => self.constant(Value::None, Ty::None),
            Expr::Str(..) | Expr::FStr(..) | Expr::List(..) | Expr::Dict(..) => self.display(e)?,
            Expr::Name(name, pos) => self.load(*pos, name)?,
            Expr::Index(base, key, pos) => self.index(base, key, *pos)?,
            Expr::Attr(base, attr, pos) => {
                if let Some(ty) = self.field(base, attr)? {
                    return Ok(ty);
                }
                if let Some(ty) = self.log_level(base, attr) {
                    return Ok(ty);
                }
                self.callee(e)?;
                return err(*pos, "a function can only be called here");
            }
            Expr::Neg(inner, pos) => {
                let ty = self.expr(inner)?;
                if !ty.is_number() {
                    return err(
                        *pos,
                        format!("bad operand type for unary -: '{}'", ty.name()),
                    );
                }
                self.code.push(Instr::Neg(*pos));
                if ty == Ty::Float {
                    Ty::Float
                } else {
                    Ty::Int
                }
            }
            Expr::Not(inner, _) => {
                self.expr(inner)?;
                self.code.push(Instr::Not);
                Ty::Bool
            }
            Expr::Binary(op, left, right, pos) => {
                let l = self.expr(left)?;
                let r = self.expr(right)?;
                self.code.push(Instr::Bin(*op, *pos));
                arith(*op, l, r, *pos)?
            }
            Expr::Logic(and, left, right, pos) => {
                let l = self.expr(left)?;
                let at = self.here();
                self.code.push(if *and {
                    Instr::AndJump(0)
                } else {
                    Instr::OrJump(0)
                });
                let r = self.expr(right)?;
                let end = self.here();
                self.patch(at, end);
                match (l, r) {
                    (l, r) if l == r => l,
                    (l, r) if l.is_number() && r.is_number() => {
                        if l == Ty::Float || r == Ty::Float {
                            Ty::Float
                        } else {
                            Ty::Int
                        }
                    }
                    (l, r) => {
                        let word = if *and { "and" } else { "or" };
                        return err(
                            *pos,
                            format!(
                                "'{word}' between a {} and a {} is valid Python, but a handler \
                                 here cannot use it: its 'and' and 'or' join values of one \
                                 type, or numbers",
                                l.name(),
                                r.name()
                            ),
                        );
                    }
                }
            }
            Expr::Call {
                func,
                args,
                kwargs,
                pos,
            } => {
                self.unimported(func);
                self.call(func, args, kwargs, *pos)?
            }
            Expr::Await(inner, pos) => {
                if !self.is_async {
                    return err(*pos, "'await' outside async function");
                }
                if let Expr::Call {
                    func,
                    args,
                    kwargs,
                    pos: call_pos,
                } = inner.as_ref()
                {
                    self.unimported(func);
                    return self.await_call(func, args, kwargs, *call_pos, *pos);
                }
                let returns = self.coro_returns(inner);
                let ty = self.expr(inner)?;
                if ty != Ty::Coro {
                    return err(
                        *pos,
                        format!("object {} can't be used in 'await' expression", ty.name()),
                    );
                }
                self.code.push(Instr::AwaitCoro(*pos));
                returns
            }
        })
    }

    fn constant(&mut self, value: Value, ty: Ty) -> Ty {
        self.code.push(Instr::Const(value));
        ty
    }
}
