//! Work that outlives the handler's line: FastAPI's `BackgroundTasks` (a handler parameter
//! whose `add_task(func, *args)` runs `func` after the response is sent, on the same worker, a
//! `def` function on the thread pool, as Starlette does) and `asyncio.create_task` (a coroutine
//! started now as a task of its own on the loop).

use super::super::ast::{Expr, Handler};
use super::super::code::{step_of, Call, Instr, PoolKind};
use super::super::parser::Pos;
use super::super::unsupported::construct;
use super::super::world::Ty;
use super::{err, Callee, Checker};
use crate::sim::handler::Step;
use crate::sim::lang::Fail;

impl<'a> Checker<'a> {
    /// Declares the handler's `BackgroundTasks` parameter, if it has one. In a file with import
    /// lines, the annotation needs its import: Python evaluates it when it defines the handler.
    pub(super) fn background_param(&mut self, handler: &Handler) -> Result<(), Fail> {
        let Some((name, pos)) = &handler.background else {
            return Ok(());
        };
        self.import_fails("BackgroundTasks", *pos)?;
        let slot = self.declare(name, Ty::Tasks);
        self.assigned(slot);
        Ok(())
    }

    /// `background_tasks.add_task(func, *args, **kwargs)`: checks the call as if made now and
    /// keeps it for after the response.
    pub(super) fn add_task(
        &mut self,
        args: &[Expr],
        kwargs: &[(String, Expr, Pos)],
        pos: Pos,
    ) -> Result<Ty, Fail> {
        let Some(first) = args.first() else {
            return err(
                pos,
                "add_task() missing 1 required positional argument: 'func'",
            );
        };
        let info = match (first, self.callee(first)) {
            (Expr::Name(..) | Expr::Attr(..), Ok(Callee::World(info))) => {
                self.unimported(first);
                info
            }
            (Expr::Name(..) | Expr::Attr(..), Err(e)) => return Err(e),
            (_, Ok(Callee::Helper(_))) => {
                return err(
                    first.pos(),
                    construct(
                        "passing a function of your own to add_task",
                        "pass one of the world's, such as send_email, with its arguments",
                    ),
                )
            }
            _ => {
                return err(
                    first.pos(),
                    "add_task() takes the function itself and its arguments: \
                     add_task(send_email, student)",
                )
            }
        };
        self.args(info, &args[1..], kwargs, pos)?;
        let step = step_of(info.func);
        if let Some(step) = step {
            self.steps.push(step);
            self.first_line.get_or_insert(first.pos().line);
        }
        let call = Call {
            func: info.func,
            pool: (!info.is_async).then_some(PoolKind::Threadpool),
            argc: info.runtime_arity(std::mem::take(&mut self.sql)),
            step: step.unwrap_or(Step::Validate),
            sql: Default::default(),
        };
        self.code.push(Instr::AddTask {
            call,
            pos: first.pos(),
        });
        Ok(Ty::None)
    }

    /// `asyncio.create_task(coro)`: starts a coroutine of the world as a task; gives the
    /// task, which `await` waits for. What awaiting it gives: the coroutine's result.
    pub(super) fn create_task(
        &mut self,
        func: &Expr,
        args: &[Expr],
        kwargs: &[(String, Expr, Pos)],
        pos: Pos,
    ) -> Result<Ty, Fail> {
        if !self.is_async {
            // A `def` handler runs on a pool thread, where asyncio has no running loop.
            return err(pos, "RuntimeError: no running event loop");
        }
        let ([coro], []) = (args, kwargs) else {
            return err(
                pos,
                "create_task() takes the coroutine: asyncio.create_task(send_email(student))",
            );
        };
        self.unimported(func);
        let ty = self.expr(coro)?;
        if ty != Ty::Coro {
            let got = if ty == Ty::None {
                "None".to_string()
            } else {
                format!("a {}", ty.name())
            };
            return err(
                coro.pos(),
                format!("TypeError: a coroutine was expected, got {got}"),
            );
        }
        self.code.push(Instr::CreateTask(pos));
        Ok(self.coro_returns(coro))
    }
}
