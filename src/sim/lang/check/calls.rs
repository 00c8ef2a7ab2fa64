//! The checker's calls: which world function a call names, its arguments bound and typed as
//! Python binds them, `await` and `asyncio.gather` and the thread pools, and operators' types.
//! Errors use Python's own words where it has some.

use super::super::builtins::Builtin;
use super::super::code::{Call, Instr, PoolKind};
use super::super::parser::{BinOp, Expr, Pos};
use super::super::unsupported::{self, construct};
use super::super::world::{FuncInfo, Param, Ty, MODULES, SPECIAL};
use super::{err, Callee, Checker};
use crate::sim::handler::Step;
use crate::sim::lang::code::step_of;
use crate::sim::lang::sql::{self, Sql};
use crate::sim::lang::{boxed, Fail};
use crate::sim::text;

impl<'a> Checker<'a> {
    /// What awaiting the coroutine `e` makes gives (a copy of a variable's: its own).
    pub(super) fn coro_returns(&self, e: &Expr) -> Ty {
        match e {
            Expr::Name(name, _) => self
                .var(name)
                .map_or(Ty::None, |s| self.vars[s as usize].returns),
            Expr::Call { func, args, .. } => match self.callee(func) {
                Ok(Callee::World(info)) => info.returns,
                Ok(Callee::Pool(_)) => args
                    .first()
                    .and_then(|f| match self.callee(f) {
                        Ok(Callee::World(info)) => Some(info.returns),
                        _ => None,
                    })
                    .unwrap_or(Ty::None),
                Ok(Callee::CreateTask) => args.first().map_or(Ty::None, |a| self.coro_returns(a)),
                _ => Ty::None,
            },
            _ => Ty::None,
        }
    }

    /// The coroutine's name for Python's warning, if `e` makes one.
    pub(super) fn coro_name(&self, e: &Expr) -> Option<&'static str> {
        let Expr::Call { func, .. } = e else {
            return None;
        };
        match self.callee(func).ok()? {
            Callee::World(info) => Some(info.qualname),
            Callee::Pool(PoolKind::Threadpool) => Some("run_in_threadpool"),
            Callee::Pool(PoolKind::ToThread) => Some("to_thread"),
            Callee::Gather
            | Callee::Print
            | Callee::Log(..)
            | Callee::WaitFor
            | Callee::Builtin(_)
            | Callee::Method
            | Callee::AddTask
            | Callee::Helper(_)
            | Callee::CreateTask => None,
        }
    }

    pub(super) fn callee(&self, func: &Expr) -> Result<Callee, Fail> {
        let path = match func {
            Expr::Name(name, pos) => {
                if let Some(slot) = self.var(name) {
                    let ty = self.vars[slot as usize].ty;
                    return err(*pos, format!("'{}' object is not callable", ty.name()));
                }
                if MODULES.contains(&name.as_str()) {
                    return err(*pos, "'module' object is not callable");
                }
                if let Some(index) = self.helper_named(name) {
                    return Ok(Callee::Helper(index));
                }
                name.clone()
            }
            Expr::Attr(base, attr, pos) => {
                let Expr::Name(module, mpos) = base.as_ref() else {
                    return Ok(Callee::Method);
                };
                if let Some(callee) = self.log_callee(module, attr, *pos)? {
                    return Ok(callee);
                }
                if let Some(slot) = self.var(module) {
                    let ty = self.vars[slot as usize].ty;
                    if ty == Ty::Tasks {
                        return if attr == "add_task" {
                            Ok(Callee::AddTask)
                        } else {
                            err(
                                *pos,
                                format!(
                                    "'BackgroundTasks.{attr}' is valid FastAPI, but a handler here \
                                     only adds tasks: {module}.add_task(func, ...)"
                                ),
                            )
                        };
                    }
                    if matches!(
                        ty,
                        Ty::Str | Ty::List | Ty::Dict | Ty::Int | Ty::Float | Ty::Bool
                    ) {
                        return Ok(Callee::Method);
                    }
                    return err(*pos, unsupported::field(ty, attr, self.model));
                }
                if !MODULES.contains(&module.as_str()) {
                    return err(*mpos, undefined(module));
                }
                let path = format!("{module}.{attr}");
                if FuncInfo::named(&path).is_none() && !SPECIAL.contains(&path.as_str()) {
                    return err(
                        *pos,
                        if unsupported::module_has(module, attr) {
                            unsupported::attribute(module, attr)
                        } else {
                            format!("module '{module}' has no attribute '{attr}'")
                        },
                    );
                }
                path
            }
            other => {
                return err(
                    other.pos(),
                    "only calls of the world's functions are supported",
                )
            }
        };
        match path.as_str() {
            "asyncio.gather" => Ok(Callee::Gather),
            "asyncio.create_task" => Ok(Callee::CreateTask),
            "asyncio.wait_for" => Ok(Callee::WaitFor),
            name if Builtin::named(name).is_some() => Ok(Callee::Builtin(
                Builtin::named(name).unwrap_or(Builtin::Len),
            )),
            "print" => Ok(Callee::Print),
            "asyncio.to_thread" => Ok(Callee::Pool(PoolKind::ToThread)),
            "run_in_threadpool" => Ok(Callee::Pool(PoolKind::Threadpool)),
            _ => FuncInfo::named(&path)
                .map(Callee::World)
                .ok_or_else(|| boxed(func.pos().line, func.pos().col, undefined(&path))),
        }
    }

    pub(super) fn await_call(
        &mut self,
        func: &Expr,
        args: &[Expr],
        kwargs: &[(String, Expr, Pos)],
        call_pos: Pos,
        await_pos: Pos,
    ) -> Result<Ty, Fail> {
        match self.callee(func)? {
            Callee::World(info) if !info.is_async => {
                self.args(info, args, kwargs, call_pos)?;
                err(
                    await_pos,
                    format!(
                        "object {} can't be used in 'await' expression",
                        info.returns.name()
                    ),
                )
            }
            Callee::World(info) => {
                self.args(info, args, kwargs, call_pos)?;
                self.emit_call(info, None, true, func.pos());
                Ok(info.returns)
            }
            Callee::Pool(kind) => {
                let info = self.pool_args(kind, args, kwargs, call_pos)?;
                self.emit_call(info, Some(kind), true, func.pos());
                Ok(info.returns)
            }
            Callee::WaitFor => self.wait_for(args, kwargs, call_pos),
            Callee::CreateTask => {
                let ty = self.create_task(func, args, kwargs, call_pos)?;
                self.code.push(Instr::AwaitCoro(await_pos));
                Ok(ty)
            }
            Callee::Helper(index) if self.helpers[index].is_async => {
                self.call_helper(index, args, kwargs, true, call_pos)
            }
            Callee::Helper(index) => {
                // Python runs it, then finds its result cannot be awaited.
                let ty = self.call_helper(index, args, kwargs, false, call_pos)?;
                err(
                    await_pos,
                    format!("object {} can't be used in 'await' expression", ty.name()),
                )
            }
            Callee::Method => err(await_pos, "a string method's result can't be used in 'await' expression"),
            Callee::Builtin(_) => err(
                await_pos,
                "object returned by a built-in function can't be used in 'await' expression",
            ),
            Callee::Print | Callee::Log(..) | Callee::AddTask => err(
                await_pos,
                "object NoneType can't be used in 'await' expression (print() and logging calls give None)",
            ),
            Callee::Gather => {
                if let Some((name, _, pos)) = kwargs.first() {
                    return err(
                        *pos,
                        format!("gather() got an unexpected keyword argument '{name}'"),
                    );
                }
                for arg in args {
                    let ty = self.expr(arg)?;
                    if ty != Ty::Coro {
                        return err(
                            arg.pos(),
                            format!(
                                "asyncio.gather() needs coroutines (calls of async functions \
                                 without await): got {}",
                                ty.name()
                            ),
                        );
                    }
                }
                self.code.push(Instr::Gather(args.len() as u32, func.pos()));
                Ok(Ty::List)
            }
        }
    }

    pub(super) fn call(
        &mut self,
        func: &Expr,
        args: &[Expr],
        kwargs: &[(String, Expr, Pos)],
        pos: Pos,
    ) -> Result<Ty, Fail> {
        match self.callee(func)? {
            Callee::World(info) => {
                self.args(info, args, kwargs, pos)?;
                self.emit_call(info, None, false, func.pos());
                Ok(if info.is_async {
                    Ty::Coro
                } else {
                    info.returns
                })
            }
            Callee::Pool(kind) => {
                let info = self.pool_args(kind, args, kwargs, pos)?;
                self.emit_call(info, Some(kind), false, func.pos());
                Ok(Ty::Coro)
            }
            Callee::Print => self.print(args, kwargs, pos),
            Callee::AddTask => self.add_task(args, kwargs, pos),
            Callee::CreateTask => {
                self.create_task(func, args, kwargs, pos)?;
                Ok(Ty::Coro)
            }
            Callee::Helper(index) => self.call_helper(index, args, kwargs, false, pos),
            Callee::Method => self.method(func, args, kwargs, pos),
            Callee::Builtin(b) => self.builtin(b, func, args, kwargs, pos),
            Callee::Log(level, logger) => self.log_call(level, logger, args, kwargs, pos),
            Callee::WaitFor => err(
                func.pos(),
                "asyncio.wait_for(...) must be awaited where it is called",
            ),
            Callee::Gather => err(
                func.pos(),
                "asyncio.gather(...) must be awaited where it is called (running its calls in \
                 the background is not supported yet)",
            ),
        }
    }

    pub(super) fn emit_call(
        &mut self,
        info: &FuncInfo,
        pool: Option<PoolKind>,
        awaited: bool,
        pos: Pos,
    ) {
        if let Some(step) = step_of(info.func) {
            self.steps.push(step);
            self.first_line.get_or_insert(pos.line);
        }
        let sql = std::mem::take(&mut self.sql);
        let call = Call {
            func: info.func,
            pool,
            argc: info.runtime_arity(sql),
            step: step_of(info.func).unwrap_or(Step::Validate),
            sql,
        };
        let is_coro = info.is_async || pool.is_some();
        self.code.push(if is_coro && !awaited {
            Instr::MakeCoro { call, pos }
        } else {
            Instr::Call {
                call,
                awaited,
                pos,
                discard: false,
            }
        });
    }

    /// `run_in_threadpool(F, args...)`: F must be a blocking world function; the rest are its
    /// arguments.
    fn pool_args(
        &mut self,
        kind: PoolKind,
        args: &[Expr],
        kwargs: &[(String, Expr, Pos)],
        pos: Pos,
    ) -> Result<&'static FuncInfo, Fail> {
        let name = match kind {
            PoolKind::Threadpool => "run_in_threadpool",
            PoolKind::ToThread => "to_thread",
        };
        let Some(first) = args.first() else {
            return err(
                pos,
                format!("{name}() missing 1 required positional argument: 'func'"),
            );
        };
        let info = match (first, self.callee(first)) {
            (Expr::Name(..) | Expr::Attr(..), Ok(Callee::World(info))) => {
                self.unimported(first);
                info
            }
            (Expr::Name(..) | Expr::Attr(..), Err(e)) => return Err(e),
            _ => {
                return err(
                    first.pos(),
                    format!("{name}() needs a blocking function of the world, such as db.save"),
                )
            }
        };
        if info.is_async {
            return err(
                first.pos(),
                format!(
                    "{name}() needs a blocking function: '{}' is async, await it directly",
                    info.path
                ),
            );
        }
        self.args(info, &args[1..], kwargs, pos)?;
        Ok(info)
    }

    /// Binds and checks the arguments of a call of `info`, leaving its runtime values on the
    /// stack in parameter order.
    pub(super) fn args(
        &mut self,
        info: &FuncInfo,
        args: &[Expr],
        kwargs: &[(String, Expr, Pos)],
        pos: Pos,
    ) -> Result<(), Fail> {
        let name = text::last_byte(info.path, b'.').map_or(info.path, |i| &info.path[i + 1..]);
        // A query's text decides what the database does, and how many values it takes.
        let query = args
            .first()
            .or(kwargs.iter().find(|k| k.0 == "query").map(|k| &k.1));
        self.sql = match (info.params.first(), query) {
            (Some((_, Param::Query)), Some(Expr::Str(text, _))) => sql::classify(text),
            _ => Sql::Plain,
        };
        let params = info.params_for(self.sql);
        let names: Vec<&str> = params.iter().map(|(p, _)| *p).collect();
        let bound = bind(name, &names, args, kwargs)?;
        for ((pname, param), arg) in params.iter().zip(bound) {
            let Some(arg) = arg else {
                return err(
                    pos,
                    format!("{name}() missing 1 required positional argument: '{pname}'"),
                );
            };
            if *param == Param::Query {
                if !matches!(arg, Expr::Str(..)) {
                    return err(
                        arg.pos(),
                        format!("{name}() takes the SQL as a string literal"),
                    );
                }
                continue;
            }
            let ty = self.expr(arg)?;
            let ok = match param {
                Param::Student => ty == Ty::Student,
                Param::Mail => matches!(ty, Ty::Student | Ty::Message),
                Param::Secs | Param::Ms => ty.is_number(),
                Param::Int => matches!(ty, Ty::Int | Ty::Bool),
                Param::Query => true,
            };
            if !ok {
                let wanted = match param {
                    Param::Student => "the student",
                    Param::Mail => "the student or welcome(student)",
                    Param::Secs => "a number of seconds",
                    Param::Ms => "a number of milliseconds",
                    Param::Int | Param::Query => "an integer",
                };
                return err(
                    arg.pos(),
                    format!("{name}() expects {wanted} for '{pname}', got {}", ty.name()),
                );
            }
        }
        Ok(())
    }
}

/// Python's binding of a call's arguments to the parameters `params`: the positional ones in
/// order, then the keywords by name, with Python's errors for too many, an unknown one or one
/// given twice. A parameter given nothing is `None`.
pub(super) fn bind<'e>(
    name: &str,
    params: &[&str],
    args: &'e [Expr],
    kwargs: &'e [(String, Expr, Pos)],
) -> Result<Vec<Option<&'e Expr>>, Fail> {
    let n = params.len();
    if args.len() > n {
        let s = if n == 1 { "" } else { "s" };
        return err(
            args[n].pos(),
            format!(
                "{name}() takes {n} positional argument{s} but {} were given",
                args.len()
            ),
        );
    }
    let mut bound: Vec<Option<&Expr>> = args.iter().map(Some).collect();
    bound.resize(n, None);
    for (key, value, kpos) in kwargs {
        let Some(i) = params.iter().position(|p| p == key) else {
            return err(
                *kpos,
                format!("{name}() got an unexpected keyword argument '{key}'"),
            );
        };
        if bound[i].is_some() {
            return err(
                *kpos,
                format!("{name}() got multiple values for argument '{key}'"),
            );
        }
        bound[i] = Some(value);
    }
    Ok(bound)
}

/// The type of `left op right`, or Python's `TypeError`.
pub(super) fn arith(op: BinOp, left: Ty, right: Ty, pos: Pos) -> Result<Ty, Fail> {
    if matches!(op, BinOp::In | BinOp::NotIn) {
        return match (left, right) {
            (Ty::Str, Ty::Str) => Ok(Ty::Bool),
            (_, Ty::Str) => err(
                pos,
                format!(
                    "'in <string>' requires string as left operand, not {}",
                    left.name()
                ),
            ),
            (_, Ty::List | Ty::Dict) => err(
                pos,
                construct(
                    &format!("'{}' with a list or a dict", op.symbol()),
                    "lists and dicts here are built to be returned or printed",
                ),
            ),
            _ => err(
                pos,
                format!("argument of type '{}' is not iterable", right.name()),
            ),
        };
    }
    let container = |t: Ty| matches!(t, Ty::List | Ty::Dict);
    if container(left) || container(right) {
        // Lists and dicts are made to be returned: Python compares and joins them, a handler
        // here does not (it does not keep their items).
        let valid = matches!(op, BinOp::Eq | BinOp::Ne)
            || (left == Ty::List && right == Ty::List && (op == BinOp::Add || op.is_comparison()))
            || (op == BinOp::Mul
                && ((left == Ty::List && matches!(right, Ty::Int | Ty::Bool))
                    || (right == Ty::List && matches!(left, Ty::Int | Ty::Bool))));
        if valid {
            return err(
                pos,
                construct(
                    &format!("'{}' with a list or a dict", op.symbol()),
                    "lists and dicts here are built to be returned or printed",
                ),
            );
        }
    }
    if matches!(op, BinOp::Eq | BinOp::Ne) {
        return Ok(Ty::Bool);
    }
    if left == Ty::Str || right == Ty::Str {
        let count = |t: Ty| matches!(t, Ty::Int | Ty::Bool);
        return match op {
            BinOp::Add if left == right => Ok(Ty::Str),
            // CPython's own words for `"a" + 1`.
            BinOp::Add if left == Ty::Str => err(
                pos,
                format!("can only concatenate str (not \"{}\") to str", right.name()),
            ),
            BinOp::Mul if count(left) || count(right) => Ok(Ty::Str),
            BinOp::Mod if left == Ty::Str => err(
                pos,
                construct(
                    "printf-style formatting ('%s' % x)",
                    "use an f-string: f\"{x}\"",
                ),
            ),
            BinOp::Mul => err(
                pos,
                format!(
                    "can't multiply sequence by non-int of type '{}'",
                    if left == Ty::Str {
                        right.name()
                    } else {
                        left.name()
                    }
                ),
            ),
            _ if op.is_comparison() && left == right && !matches!(op, BinOp::Is | BinOp::IsNot) => {
                Ok(Ty::Bool)
            }
            _ if matches!(op, BinOp::Is | BinOp::IsNot) => arith_identity(op, left, right, pos),
            _ => arith_numbers(op, left, right, pos),
        };
    }
    if matches!(op, BinOp::Is | BinOp::IsNot) {
        return arith_identity(op, left, right, pos);
    }
    arith_numbers(op, left, right, pos)
}

/// `is` and `is not`: with the singletons only.
fn arith_identity(op: BinOp, left: Ty, right: Ty, pos: Pos) -> Result<Ty, Fail> {
    // Identity of numbers depends on CPython's caches (and warns on literals): a handler
    // here compares identity only with the singletons.
    let singleton = |t: Ty| matches!(t, Ty::None | Ty::Bool);
    if !(singleton(left) || singleton(right)) {
        return err(
            pos,
            format!(
                "'{}' between '{}' and '{}' is valid Python, but a handler here uses it only \
                 with None, True or False: compare values with == and !=",
                op.symbol(),
                left.name(),
                right.name()
            ),
        );
    }
    Ok(Ty::Bool)
}

/// Arithmetic and order between numbers, with Python's TypeError words for anything else.
fn arith_numbers(op: BinOp, left: Ty, right: Ty, pos: Pos) -> Result<Ty, Fail> {
    if !(left.is_number() && right.is_number()) {
        let message = if op.is_comparison() {
            format!(
                "'{}' not supported between instances of '{}' and '{}'",
                op.symbol(),
                left.name(),
                right.name()
            )
        } else {
            format!(
                "unsupported operand type(s) for {}: '{}' and '{}'",
                op.symbol(),
                left.name(),
                right.name()
            )
        };
        return err(pos, message);
    }
    Ok(if op.is_comparison() {
        Ty::Bool
    } else if op == BinOp::Div || left == Ty::Float || right == Ty::Float {
        Ty::Float
    } else {
        Ty::Int
    })
}

/// A name the handler has not bound and the world does not have: Python's NameError, unless
/// Python or a FastAPI module knows the name, which the language then owns up to not running.
pub(super) fn undefined(name: &str) -> String {
    if unsupported::python_has(name) {
        unsupported::name(name)
    } else {
        format!("name '{name}' is not defined")
    }
}
