//! `asyncio.Lock()` and `asyncio.Semaphore(n)` made above the handler, and `async with` one of
//! them inside it (the block runs holding a permit, given back on every way out); and
//! `async with db.transaction():`, compiled the same way around the transaction.

use super::super::ast::{Expr, Stmt, StmtKind};
use super::super::code::Instr;
use super::super::parser::Pos;
use super::super::unsupported::construct;
use super::super::world::Ty;
use super::exits::Exit;
use super::{err, Checker};
use crate::sim::handler::Step;
use crate::sim::lang::Fail;

/// The most permits a semaphore here may have (a handler holds at most a worker's requests).
pub(crate) const MAX_PERMITS: i64 = 10_000;

impl<'a> Checker<'a> {
    /// `lock = asyncio.Lock()` or `asyncio.Semaphore(n)` (`BoundedSemaphore` too) above the
    /// handler: one lock per worker process, made when the module is imported. `None`: the
    /// statement is something else.
    pub(super) fn lock_setup(&mut self, stmt: &'a Stmt) -> Option<Result<(), Fail>> {
        let StmtKind::Assign {
            name,
            op: None,
            value: Expr::Call {
                func, args, kwargs, ..
            },
        } = &stmt.kind
        else {
            return None;
        };
        let Expr::Attr(base, class, pos) = func.as_ref() else {
            return None;
        };
        if !matches!(base.as_ref(), Expr::Name(m, _) if m == "asyncio")
            || !matches!(class.as_str(), "Lock" | "Semaphore" | "BoundedSemaphore")
        {
            return None;
        }
        Some(self.make_lock(name, class, args, kwargs, *pos))
    }

    fn make_lock(
        &mut self,
        name: &str,
        class: &str,
        args: &[Expr],
        kwargs: &[(String, Expr, Pos)],
        pos: Pos,
    ) -> Result<(), Fail> {
        self.import_fails("asyncio", pos)?;
        let value = match (class, args, kwargs) {
            ("Lock", [], []) => None,
            ("Lock", ..) => return err(pos, "Lock() takes no arguments here"),
            (_, [], []) => None,
            (_, [value], []) => Some(value),
            (_, [], [(key, value, _)]) if key == "value" => Some(value),
            _ => return err(pos, format!("{class}() takes one argument: its count")),
        };
        let permits = match value {
            None => 1,
            Some(Expr::Neg(n, _)) if matches!(n.as_ref(), Expr::Int(n, _) if *n > 0) => {
                return err(pos, "ValueError: Semaphore initial value must be >= 0")
            }
            Some(Expr::Int(0, p)) => {
                return err(
                    *p,
                    construct(
                        "a semaphore of 0",
                        "every request would wait for it forever; give it 1 or more",
                    ),
                )
            }
            Some(Expr::Int(n, p)) if *n > MAX_PERMITS => {
                return err(
                    *p,
                    format!("a semaphore here has at most {MAX_PERMITS} permits"),
                )
            }
            Some(Expr::Int(n, _)) => *n as u32,
            Some(e) => {
                return err(
                    e.pos(),
                    construct(
                        "a count that is not a number written out",
                        "write it as a number, as in asyncio.Semaphore(5)",
                    ),
                )
            }
        };
        let slot = self.bind(pos, name, Ty::Lock)?;
        self.assigned(slot);
        self.locks.push((slot, permits));
        Ok(())
    }

    /// The lock `context` names, if it is one of the module's.
    pub(super) fn lock_of(&self, context: &Expr) -> Option<u16> {
        let Expr::Name(name, _) = context else {
            return None;
        };
        let slot = self.var(name)?;
        self.locks
            .iter()
            .position(|(s, _)| *s == slot)
            .map(|id| id as u16)
    }

    /// `async with lock:`: waits for a permit (the loop is free meanwhile), runs the body, and
    /// gives the permit back however the body ends. The wait shows as before the block's first
    /// call that takes time.
    pub(super) fn lock_block(&mut self, id: u16, body: &'a [Stmt], pos: Pos) -> Result<(), Fail> {
        let acquire = self.here();
        let steps_before = self.steps.len();
        let enter = Instr::LockAcquire {
            id,
            step: Step::Validate,
            pos,
        };
        self.guarded(enter, Exit::Lock, Instr::LockRelease, body, pos)?;
        if let Some(&step) = self.steps.get(steps_before) {
            self.code[acquire as usize] = Instr::LockAcquire { id, step, pos };
        }
        Ok(())
    }

    /// A block between `enter` and `leave`, which runs however the body ends: compiled as a
    /// try / finally.
    pub(super) fn guarded(
        &mut self,
        enter: Instr,
        exit: Exit<'a>,
        leave: Instr,
        body: &'a [Stmt],
        pos: Pos,
    ) -> Result<(), Fail> {
        self.code.push(enter);
        let at = self.here();
        self.code.push(Instr::TryStart(0));
        self.within(exit, body)?;
        self.code.push(Instr::TryEnd);
        self.code.push(leave);
        let out = self.here();
        self.code.push(Instr::Jump(0));
        let handler = self.here();
        self.patch(at, handler);
        self.code.push(leave);
        self.code.push(Instr::Reraise(pos));
        let end = self.here();
        self.patch(out, end);
        Ok(())
    }
}
