//! The handler's names: declaring variables, finding a name in the scope the code is in,
//! assigning (a type may only widen from int to float) and reading them, with Python's errors.

use super::super::code::Instr;
use super::super::parser::{BinOp, Expr, Pos};
use super::super::unsupported::construct;
use super::super::world::{FuncInfo, Ty, MODULES, SPECIAL};
use super::calls::arith;
use super::{calls, err, Checker, Var};
use crate::sim::lang::Fail;

/// The slots surely assigned at a point of the code, as a sorted list: a `BTreeSet<u16>`
/// carried a copy of the standard B-tree's code for its element type into the wasm (2,370 bytes
/// gzip) for sets that hold a handful of slots.
#[derive(Clone, Default, Debug, PartialEq)]
pub(super) struct Slots(Vec<u16>);

impl Slots {
    pub(super) fn insert(&mut self, slot: u16) {
        if let Err(i) = self.0.binary_search(&slot) {
            self.0.insert(i, slot);
        }
    }

    pub(super) fn remove(&mut self, slot: u16) {
        if let Ok(i) = self.0.binary_search(&slot) {
            self.0.remove(i);
        }
    }

    pub(super) fn contains(&self, slot: u16) -> bool {
        self.0.binary_search(&slot).is_ok()
    }

    /// The slots in both, in order.
    pub(super) fn intersection(&self, other: &Slots) -> Slots {
        Slots(
            self.0
                .iter()
                .copied()
                .filter(|s| other.contains(*s))
                .collect(),
        )
    }
}

impl<'a> Checker<'a> {
    pub(super) fn declare(&mut self, name: &str, ty: Ty) -> u16 {
        self.vars.push(Var {
            name: name.to_string(),
            ty,
            unread_coro: None,
            returns: Ty::None,
        });
        self.slots += 1;
        self.slots - 1
    }

    pub(super) fn hidden(&mut self) -> u16 {
        self.declare("", Ty::Int)
    }

    /// The slot of `name` as seen here: a local (the latest, so a helper's parameter hides a
    /// module name), else the module's.
    pub(super) fn var(&self, name: &str) -> Option<u16> {
        let (from, to) = self.globals;
        self.vars
            .iter()
            .enumerate()
            .rev()
            .find(|(i, v)| v.name == name && (*i >= self.scope || (from..to).contains(i)))
            .map(|(i, _)| i as u16)
    }

    pub(super) fn assigned(&mut self, slot: u16) {
        if let Some(d) = &mut self.defined {
            d.insert(slot);
        }
    }

    /// The slot for `name`, declared on its first assignment; its type may only widen from int
    /// to float.
    pub(super) fn bind(&mut self, pos: Pos, name: &str, ty: Ty) -> Result<u16, Fail> {
        if MODULES.contains(&name) || FuncInfo::named(name).is_some() {
            return err(
                pos,
                format!("'{name}' is a name of the world: pick another name"),
            );
        }
        let Some(slot) = self.var(name) else {
            return Ok(self.declare(name, ty));
        };
        if (1..self.constants).contains(&usize::from(slot)) {
            return err(
                pos,
                format!(
                    "'{name}' is a module constant: assigning it in the handler makes it a \
                     local name for the whole handler in Python (an UnboundLocalError where it \
                     is read before): pick another name"
                ),
            );
        }
        let var = &mut self.vars[slot as usize];
        let fits = var.ty == ty || (var.ty.is_number() && ty.is_number());
        if !fits {
            return err(
                pos,
                format!(
                    "incompatible types in assignment (expression has type \"{}\", variable \
                     '{name}' has type \"{}\")",
                    ty.name(),
                    var.ty.name()
                ),
            );
        }
        if ty == Ty::Float {
            var.ty = Ty::Float;
        }
        Ok(slot)
    }

    pub(super) fn assign(
        &mut self,
        pos: Pos,
        name: &str,
        op: Option<BinOp>,
        value: &Expr,
    ) -> Result<(), Fail> {
        let ty = match op {
            Some(op) => {
                let left = self.load(pos, name)?;
                let right = self.expr(value)?;
                let ty = arith(op, left, right, pos)?;
                self.code.push(Instr::Bin(op, pos));
                ty
            }
            None => self.expr(value)?,
        };
        let slot = self.bind(pos, name, ty)?;
        if ty == Ty::Coro {
            let returns = self.coro_returns(value);
            let unread = self.coro_name(value).map(|n| (pos.line, n));
            let var = &mut self.vars[slot as usize];
            var.unread_coro = unread;
            var.returns = returns;
        }
        self.code.push(Instr::Store(slot));
        self.assigned(slot);
        Ok(())
    }

    pub(super) fn load(&mut self, pos: Pos, name: &str) -> Result<Ty, Fail> {
        let Some(slot) = self.var(name) else {
            if self.helper_named(name).is_some() {
                return err(
                    pos,
                    construct(
                        &format!("the function '{name}' as a value"),
                        &format!("a handler here calls its functions: {name}(...)"),
                    ),
                );
            }
            return if MODULES.contains(&name)
                || FuncInfo::named(name).is_some()
                || SPECIAL.contains(&name)
            {
                err(
                    pos,
                    format!(
                        "'{name}' can only be called here (a function is a value only as the \
                         first argument of run_in_threadpool or asyncio.to_thread)"
                    ),
                )
            } else {
                err(pos, calls::undefined(name))
            };
        };
        if self.vars[slot as usize].ty == Ty::Logger {
            return err(
                pos,
                format!("'{name}' is a logger: the handler logs with it, as in {name}.info(...)"),
            );
        }
        if self.vars[slot as usize].ty == Ty::Tasks {
            return err(
                pos,
                construct(
                    &format!("using '{name}' as a value"),
                    &format!("add work for after the response with {name}.add_task(func, ...)"),
                ),
            );
        }
        if self.vars[slot as usize].ty == Ty::Lock {
            return err(
                pos,
                construct(
                    &format!("using the lock '{name}' as a value"),
                    &format!("hold it with async with {name}:"),
                ),
            );
        }
        if self.defined.as_ref().is_some_and(|d| !d.contains(slot)) {
            return err(pos, format!("name '{name}' is possibly unbound here"));
        }
        let var = &mut self.vars[slot as usize];
        var.unread_coro = None;
        self.code.push(Instr::Load(slot));
        Ok(var.ty)
    }

    /// `base[key]`: a column of a row from `db.fetchrow` (`row["seats_left"]`,
    /// `row["version"]`), as asyncpg's records give them.
    pub(super) fn index(&mut self, base: &Expr, key: &Expr, pos: Pos) -> Result<Ty, Fail> {
        let ty = self.expr(base)?;
        if ty != Ty::Row {
            return err(
                pos,
                construct(
                    &format!("indexing a {}", ty.name()),
                    "a handler here indexes the row db.fetchrow gives: row[\"seats_left\"]",
                ),
            );
        }
        let column = match key {
            Expr::Str(name, _) if name == "seats_left" => 0,
            Expr::Str(name, _) if name == "version" => 1,
            Expr::Int(i, _) if (0..2).contains(i) => *i as u8,
            // asyncpg's words for a column the row does not have.
            Expr::Str(name, p) => return err(*p, format!("KeyError: '{name}'")),
            other => {
                return err(
                    other.pos(),
                    construct(
                        "this key",
                        "a row here has the columns \"seats_left\" and \"version\"",
                    ),
                )
            }
        };
        self.code.push(Instr::Column(column));
        Ok(Ty::Int)
    }
}
