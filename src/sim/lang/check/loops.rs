//! The checker's loops: `for NAME in range(...)`, `while`, and `break` / `continue`, which jump
//! to their loop's end or next turn. Every turn counts operations, so no loop runs forever.

use super::super::code::Instr;
use super::super::interp::Value;
use super::super::parser::{Expr, Pos, Stmt};
use super::super::world::Ty;
use super::{err, weight, Checker};
use crate::sim::lang::Fail;

/// A loop being checked: where `continue` goes, the `break`s to send to its end, and how deep in
/// `try` blocks it stands.
pub(super) struct Loop {
    next: u32,
    breaks: Vec<u32>,
    /// How many blocks an exit from this loop's body leaves nothing of.
    exits: usize,
}

impl<'a> Checker<'a> {
    pub(super) fn for_loop(
        &mut self,
        var: &str,
        start: Option<&Expr>,
        end: &Expr,
        body: &'a [Stmt],
        pos: Pos,
    ) -> Result<(), Fail> {
        if start.is_none() {
            self.code.push(Instr::Const(Value::Int(0)));
        }
        for bound in start.into_iter().chain([end]) {
            let ty = self.expr(bound)?;
            if !matches!(ty, Ty::Int | Ty::Bool) {
                return err(
                    bound.pos(),
                    format!("'{}' object cannot be interpreted as an integer", ty.name()),
                );
            }
        }
        let (counter, end) = (self.hidden(), self.hidden());
        let slot = self.bind(pos, var, Ty::Int)?;
        self.code.push(Instr::ForStart { counter, end, pos });
        let top = self.here();
        self.code.push(Instr::ForNext {
            var: slot,
            counter,
            end,
            exit: 0,
            ops: weight(body).saturating_add(1),
            pos,
        });
        let before = self.defined.clone();
        self.assigned(slot);
        self.body_of_loop(top, body)?;
        self.patch(top, self.here());
        self.defined = before;
        Ok(())
    }

    pub(super) fn while_loop(
        &mut self,
        cond: &Expr,
        body: &'a [Stmt],
        pos: Pos,
    ) -> Result<(), Fail> {
        let top = self.here();
        self.condition(cond)?;
        let test = self.here();
        self.code.push(Instr::JumpIfFalse(0));
        self.code.push(Instr::LoopTick {
            ops: weight(body).saturating_add(1),
            pos,
        });
        // The body may run no time at all.
        let before = self.defined.clone();
        self.body_of_loop(top, body)?;
        self.patch(test, self.here());
        self.defined = before;
        Ok(())
    }

    /// The body, then the jump back to `next`; the `break`s land after it.
    fn body_of_loop(&mut self, next: u32, body: &'a [Stmt]) -> Result<(), Fail> {
        self.loops.push(Loop {
            next,
            breaks: Vec::new(),
            exits: self.exits.len(),
        });
        let result = self.block(body);
        self.code.push(Instr::Jump(next));
        let done = self.loops.pop();
        result?;
        let exit = self.here();
        for at in done.map(|l| l.breaks).unwrap_or_default() {
            self.patch(at, exit);
        }
        Ok(())
    }

    /// `break` (`true`) or `continue`.
    pub(super) fn leave_loop(&mut self, is_break: bool, pos: Pos) -> Result<(), Fail> {
        let Some(lp) = self.loops.last() else {
            // CPython 3.11's words.
            return err(
                pos,
                if is_break {
                    "'break' outside loop"
                } else {
                    "'continue' not properly in loop"
                },
            );
        };
        let (next, exits) = (lp.next, lp.exits);
        self.unwind(exits, pos)?;
        let at = self.code.len() as u32;
        if is_break {
            if let Some(lp) = self.loops.last_mut() {
                lp.breaks.push(at);
            }
            self.code.push(Instr::Jump(0));
        } else {
            self.code.push(Instr::Jump(next));
        }
        self.defined = None;
        Ok(())
    }
}
