//! The code's own functions: each call of a helper is compiled where it is made, its body in a
//! scope of its own (its parameters and locals, and the module's names, as in Python), its
//! `return` leaving through the blocks it is in with the value. An `async def` helper runs when
//! it is awaited, as a coroutine awaited in place does.

use super::super::ast::{Dependency, Expr, Stmt};
use super::super::code::Instr;
use super::super::interp::Value;
use super::super::parser::Pos;
use super::super::unsupported::construct;
use super::super::world::Ty;
use super::calls::bind;
use super::{err, never_awaited, Checker};
use crate::sim::lang::Fail;
use crate::sim::order;

/// How many helper calls may be open inside each other.
const MAX_NESTING: usize = 16;

/// The helper being compiled: where its result goes and the jumps of its `return`s.
pub(super) struct Frame {
    result: u16,
    returns: Vec<u32>,
    /// The type its `return`s gave so far (`None`: none yet).
    ty: Option<Ty>,
}

impl<'a> Checker<'a> {
    /// The helper called `name`, if the code defines one.
    pub(super) fn helper_named(&self, name: &str) -> Option<usize> {
        self.helpers.iter().position(|h| h.name == name)
    }

    /// A call statement of an `async def` helper, not awaited: its coroutine is made and never
    /// runs (Python's warning). `false`: `func` is something else.
    pub(super) fn async_helper_statement(
        &mut self,
        func: &Expr,
        args: &[Expr],
        kwargs: &[(String, Expr, Pos)],
        pos: Pos,
    ) -> Result<bool, Fail> {
        let Expr::Name(name, _) = func else {
            return Ok(false);
        };
        let index = match self.helper_named(name) {
            Some(i) if self.var(name).is_none() && self.helpers[i].is_async => i,
            _ => return Ok(false),
        };
        // Its arguments are made, then the coroutine is dropped unawaited.
        for e in args.iter().chain(kwargs.iter().map(|(_, e, _)| e)) {
            self.expr(e)?;
            self.code.push(Instr::Pop);
        }
        let name = self.helpers[index].name.clone();
        self.warnings.push(never_awaited(pos.line, &name));
        Ok(true)
    }

    /// `helper(...)` (`awaited`: `await helper(...)`): runs its body here with the arguments
    /// bound to its parameters, leaving its result on the stack.
    pub(super) fn call_helper(
        &mut self,
        index: usize,
        args: &[Expr],
        kwargs: &[(String, Expr, Pos)],
        awaited: bool,
        pos: Pos,
    ) -> Result<Ty, Fail> {
        let helper = &self.helpers[index];
        let name = &helper.name;
        if helper.is_async && !awaited {
            return err(
                pos,
                construct(
                    &format!("a coroutine of '{name}' kept to await later"),
                    &format!("await it where it is called: await {name}(...)"),
                ),
            );
        }
        if self.inlining.contains(&index) {
            return err(
                pos,
                construct(
                    &format!("'{name}' calling itself"),
                    &format!("a function here may call others, {MAX_NESTING} deep, but not itself"),
                ),
            );
        }
        if self.inlining.len() >= MAX_NESTING {
            return err(
                pos,
                format!(
                    "functions calling functions more than {MAX_NESTING} deep: call fewer in a row"
                ),
            );
        }
        let slots = self.bind_args(&helper.params, name, args, kwargs, pos)?;
        self.inlining.push(index);
        let result = self.hidden();
        // The helper's scope: its parameters, its result and its locals.
        let scope_start = self.vars.len() - helper.params.len() - 1;
        let saved = (
            std::mem::replace(&mut self.scope, scope_start),
            std::mem::replace(&mut self.is_async, helper.is_async),
            std::mem::take(&mut self.loops),
            std::mem::take(&mut self.exits),
            self.frame.replace(Frame {
                result,
                returns: Vec::new(),
                ty: None,
            }),
            self.defined.clone(),
        );
        let body = self.helper_body(&helper.body, &slots);
        // Whether its end can be reached, before the caller's knowledge comes back.
        let falls_off = self.defined.is_some();
        let frame = self.frame.take();
        (
            self.scope,
            self.is_async,
            self.loops,
            self.exits,
            self.frame,
            self.defined,
        ) = saved;
        self.inlining.pop();
        // Its names are its own: the caller cannot see them.
        for var in &mut self.vars[scope_start..] {
            var.name.clear();
        }
        body?;
        let ty = match frame {
            Some(f) => self.end_helper(f, falls_off, name, pos)?,
            None => Ty::None,
        };
        self.code.push(Instr::Load(result));
        Ok(ty)
    }

    /// Evaluates the arguments in the caller's scope and binds them to new slots, one per
    /// parameter, with Python's errors for a call that does not fit.
    fn bind_args(
        &mut self,
        params: &[(String, Pos)],
        name: &str,
        args: &[Expr],
        kwargs: &[(String, Expr, Pos)],
        pos: Pos,
    ) -> Result<Vec<u16>, Fail> {
        let n = params.len();
        let names: Vec<&str> = params.iter().map(|(p, _)| p.as_str()).collect();
        let bound: Vec<Option<(&Expr, Pos)>> = bind(name, &names, args, kwargs)?
            .into_iter()
            .map(|b| b.map(|e| (e, e.pos())))
            .collect();
        let missing: Vec<String> = params
            .iter()
            .zip(&bound)
            .filter(|(_, b)| b.is_none())
            .map(|((p, _), _)| format!("'{p}'"))
            .collect();
        if !missing.is_empty() {
            let s = if missing.len() == 1 { "" } else { "s" };
            return err(
                pos,
                format!(
                    "{name}() missing {} required positional argument{s}: {}",
                    missing.len(),
                    missing.join(" and ")
                ),
            );
        }
        // Python evaluates the arguments in the order they are written.
        let mut order: Vec<(usize, &Expr, Pos)> = bound
            .iter()
            .enumerate()
            .filter_map(|(i, b)| b.map(|(e, p)| (i, e, p)))
            .collect();
        order::short(&mut order, |(_, _, p)| (p.line, p.col));
        let mut types = vec![Ty::None; n];
        for (i, e, _) in &order {
            types[*i] = self.expr(e)?;
        }
        // The values are on the stack in that order; the slots come after the caller's.
        let slots: Vec<u16> = params
            .iter()
            .zip(&types)
            .map(|((p, _), ty)| self.declare(p, *ty))
            .collect();
        for (i, _, _) in order.iter().rev() {
            self.code.push(Instr::Store(slots[*i]));
        }
        Ok(slots)
    }

    fn helper_body(&mut self, body: &'a [Stmt], params: &[u16]) -> Result<(), Fail> {
        let mut defined = self.defined.clone().unwrap_or_default();
        for slot in params {
            defined.insert(*slot);
        }
        self.defined = Some(defined);
        self.block(body)
    }

    /// After the body: falling off its end returns None; every `return` lands here.
    fn end_helper(
        &mut self,
        mut frame: Frame,
        falls_off: bool,
        name: &str,
        pos: Pos,
    ) -> Result<Ty, Fail> {
        if falls_off {
            self.code.push(Instr::Const(Value::None));
            self.code.push(Instr::Store(frame.result));
            unify(&mut frame, Ty::None, name, pos)?;
        }
        let end = self.here();
        for at in frame.returns {
            self.patch(at, end);
        }
        let ty = frame.ty.unwrap_or(Ty::None);
        self.vars[frame.result as usize].ty = ty;
        Ok(ty)
    }

    /// `return` inside a helper: the value into its result, out of its blocks, to its end.
    pub(super) fn helper_return(&mut self, value: Option<&Expr>, pos: Pos) -> Result<(), Fail> {
        let ty = match value {
            Some(e) => self.expr(e)?,
            None => {
                self.code.push(Instr::Const(Value::None));
                Ty::None
            }
        };
        let Some(mut frame) = self.frame.take() else {
            return Ok(());
        };
        let name = self.helpers[*self.inlining.last().unwrap_or(&0)]
            .name
            .clone();
        let unified = unify(&mut frame, ty, &name, pos);
        self.code.push(Instr::Store(frame.result));
        self.frame = Some(frame);
        unified?;
        self.unwind(0, pos)?;
        let at = self.here();
        self.code.push(Instr::Jump(0));
        if let Some(frame) = &mut self.frame {
            frame.returns.push(at);
        }
        self.defined = None;
        Ok(())
    }
}

/// The helper's result type with one more `return` of `ty`: numbers join; others must agree.
fn unify(frame: &mut Frame, ty: Ty, name: &str, pos: Pos) -> Result<(), Fail> {
    match frame.ty {
        None => frame.ty = Some(ty),
        Some(t) if t == ty => {}
        Some(t) if t.is_number() && ty.is_number() => {
            if ty == Ty::Float {
                frame.ty = Some(Ty::Float);
            }
        }
        Some(t) => {
            return err(
                pos,
                construct(
                    &format!(
                        "'{name}' returning a {} here and a {} elsewhere",
                        ty.name(),
                        t.name()
                    ),
                    "a helper here returns values of one type (None included)",
                ),
            )
        }
    }
    Ok(())
}

impl<'a> Checker<'a> {
    /// The handler's `NAME = Depends(function)` parameters: FastAPI calls each function before
    /// the handler and passes what it returns. An `async def` one is awaited on the loop; a
    /// `def` one FastAPI runs on the thread pool, which a handler here does only for one that
    /// takes no time.
    pub(super) fn dependencies(&mut self, depends: &[Dependency]) -> Result<(), Fail> {
        for dep in depends {
            let name = &dep.helper;
            self.import_fails("Depends", dep.pos)?;
            let Some(index) = self.helper_named(name) else {
                return err(dep.pos, format!("name '{name}' is not defined"));
            };
            let helper = &self.helpers[index];
            if !helper.params.is_empty() {
                return err(
                    dep.pos,
                    construct(
                        "a dependency with parameters",
                        "a dependency here takes none: def get_settings():",
                    ),
                );
            }
            let is_async = helper.is_async;
            let timed = self.steps.len();
            let ty = self.call_helper(index, &[], &[], is_async, dep.pos)?;
            if !is_async && self.steps.len() > timed {
                return err(
                    dep.pos,
                    construct(
                        &format!(
                            "a def dependency that takes time ('{name}' runs on the thread pool)"
                        ),
                        "make it async def, or keep its blocking calls in the handler",
                    ),
                );
            }
            let slot = self.declare(&dep.name, ty);
            self.code.push(Instr::Store(slot));
            self.assigned(slot);
        }
        Ok(())
    }
}
