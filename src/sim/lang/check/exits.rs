//! Leaving blocks early: what `return`, `break` and `continue` undo on their way out of the
//! `try` statements and `async with` blocks they are in, innermost first, as Python runs them
//! (a `finally` runs, a lock is given back, an outer deadline comes back).

use super::super::ast::Stmt;
use super::super::code::Instr;
use super::super::parser::Pos;
use super::{err, Checker};
use crate::sim::lang::Fail;

/// The most instructions a program may have: a `finally` is compiled once per way out of its
/// `try`, so nested ones with early exits multiply.
const MAX_CODE: usize = 50_000;

/// A block that an early exit must leave properly.
#[derive(Clone)]
pub(super) enum Exit<'a> {
    /// A `try` body whose `except` clauses are set to catch.
    Try,
    /// An `except` clause: its exception is no longer being handled once left.
    Except,
    /// A `try` with this `finally`, which runs on every way out.
    Finally(&'a [Stmt]),
    /// `async with lock:`: the permit goes back.
    Lock,
    /// `async with asyncio.timeout(S):`: the outer deadline comes back.
    Deadline,
    /// `async with db.transaction():`: it ends, its row lock and connection go back.
    Transaction,
}

impl<'a> Checker<'a> {
    /// Runs `body` inside `exit`.
    pub(super) fn within(&mut self, exit: Exit<'a>, body: &'a [Stmt]) -> Result<(), Fail> {
        self.exits.push(exit);
        let result = self.block(body);
        self.exits.pop();
        result
    }

    /// Emits the way out of every block entered since there were `to` of them, innermost
    /// first. A `finally` is compiled outside its own `try`, so an exit inside it leaves only
    /// what is around that `try`.
    pub(super) fn unwind(&mut self, to: usize, pos: Pos) -> Result<(), Fail> {
        let mut left = Vec::new();
        let mut result = Ok(());
        while self.exits.len() > to {
            let Some(exit) = self.exits.pop() else { break };
            match &exit {
                Exit::Try => self.code.push(Instr::TryEnd),
                Exit::Except => self.code.push(Instr::ExceptEnd),
                Exit::Finally(body) => {
                    self.code.push(Instr::TryEnd);
                    result = self.block(body);
                }
                Exit::Lock => {
                    self.code.push(Instr::TryEnd);
                    self.code.push(Instr::LockRelease);
                }
                Exit::Deadline => {
                    self.code.push(Instr::TryEnd);
                    self.code.push(Instr::DeadlineEnd);
                }
                Exit::Transaction => {
                    self.code.push(Instr::TryEnd);
                    self.code.push(Instr::TxEnd);
                }
            }
            left.push(exit);
            if result.is_err() {
                break;
            }
        }
        self.exits.extend(left.into_iter().rev());
        result?;
        if self.code.len() > MAX_CODE {
            return err(
                pos,
                "this handler's try statements with finally are nested too deeply for a handler \
                 here to compile (each way out copies its finally)",
            );
        }
        Ok(())
    }
}
