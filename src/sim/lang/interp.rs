//! The interpreter: one `async fn` per request that runs a checked program's instructions and
//! turns each world call into the `Io` operations the executor already knows (CPU work, calls,
//! connections, queries on `seats_left`, threads), so a program makes exactly the effects a
//! hand-written handler would. A mistake only the run can find ends the run with its line.

use std::rc::Rc;

use super::check::HTTP_EXCEPTION;
use super::code::{Call, Instr, PoolKind};
use super::exc::{catches, Exc, Stop};
use super::logging;
use super::parser::Pos;
pub(crate) use super::value::Value;
use super::value::{binary, Texts};
use super::world::Func;
use super::{CodeError, Program, MAX_OPS, MAX_RANGE};
use crate::sim::handler::{Connection, Io, Job, Spawned, Step, TaskFuture};
use crate::sim::rng::{Rng, SplitMix64};
use crate::sim::scenario::{IoDist, Mode, Scenario, MAX_STEP_MS};
use crate::sim::store::{Shared, Table};
use crate::sim::time::SimTime;
use limits::{nearer, time_limit};

mod calls;
mod limits;
mod tasks;
mod tx;
use calls::{execute, perform, plan, Draws};
use tasks::{started, take_coro, Coro};

/// What a run's scenario tells every request of a program.
#[derive(Clone, Copy, Debug)]
struct Config {
    /// Whether `await` yields the loop (async mode).
    awaits: bool,
    seed: u64,
    io_dist: IoDist,
    db_ms: f64,
    email_ms: f64,
}

/// A program ready to serve the requests of one run.
pub(crate) struct Loaded {
    program: Program,
    config: Config,
    /// Value stacks of finished requests, reused so that a request allocates none.
    spare: Shared<Vec<Table<Value>>>,
    /// Whether the root logger has a handler by now (the first module-level logging call of
    /// the run gives it one, as Python's does).
    root_handler: std::cell::Cell<bool>,
}

impl Loaded {
    pub(crate) fn new(program: Program, scenario: &Scenario) -> Loaded {
        let configured = program.log_config.configured;
        Loaded {
            program,
            config: Config {
                awaits: scenario.mode == Mode::Async,
                seed: scenario.seed,
                io_dist: scenario.io_dist,
                db_ms: scenario.db_ms,
                email_ms: scenario.email_ms,
            },
            root_handler: std::cell::Cell::new(configured),
            spare: Shared::default(),
        }
    }
}

/// Starts one request of `loaded`.
pub(crate) fn start(loaded: &Rc<Loaded>, io: Io, job: Job) -> TaskFuture {
    let loaded = Rc::clone(loaded);
    // A program that starts tasks runs beside them; one that does not, alone.
    let spawned = loaded.program.info.spawns.then(Spawned::default);
    let handler: TaskFuture = {
        let (io, spawned) = (io.clone(), spawned.clone());
        Box::pin(async move {
            if let Err(e) = run(&loaded, &io, job, spawned).await {
                io.fail(e);
            }
        })
    };
    match spawned {
        Some(spawned) => Box::pin(io.join(handler, spawned)),
        None => handler,
    }
}

fn error<T, E: From<super::Fail>>(pos: Pos, message: impl Into<String>) -> Result<T, E> {
    Err(super::boxed(pos.line, pos.col, message).into())
}

async fn run(
    loaded: &Loaded,
    io: &Io,
    job: Job,
    spawned: Option<Spawned>,
) -> Result<(), CodeError> {
    let program = &loaded.program;
    let slots = usize::from(program.slots);
    // Variables first, then the expression stack.
    let mut mem = loaded.spare.borrow_mut().pop().unwrap_or_default();
    mem.clear();
    mem.resize(slots, Value::None);
    mem[0] = Value::Student;
    let result = interpret(loaded, io, job, &mut mem, spawned).await;
    loaded.spare.borrow_mut().push(mem);
    result
}

/// A request's state between instructions.
struct State {
    coros: Table<Coro>,
    texts: Texts,
    draws: Draws,
    pc: usize,
    /// Operations counted so far (only loops can make a request long: straight code has at
    /// most `MAX_LINES` statements).
    ops: u32,
    /// Where each enclosing `try` catches: its handler's instruction and the stack's depth.
    handlers: Vec<(usize, usize)>,
    /// The exception being handled, which `except` tests and a bare `raise` raises again.
    current: Option<Exc>,
    /// `asyncio.wait_for`'s limit for the awaited call that comes next.
    limit: Option<SimTime>,
    /// `asyncio.timeout`'s deadline for the awaited calls, and the outer ones it hides.
    deadline: Option<SimTime>,
    outer_deadlines: Vec<Option<SimTime>>,
    /// The permits of the locks the request is inside (`async with lock:`), innermost last.
    held: Vec<Connection>,
    /// The calls `BackgroundTasks.add_task` keeps for after the response, in order.
    background: Vec<(Call, [Value; 2], Pos)>,
    /// The tasks the request started, where they go, and their results.
    spawned: Option<Spawned>,
    tasks: Table<tasks::Outcome>,
    /// The transactions the request is in, innermost last.
    txs: Vec<tx::Tx>,
}

async fn interpret(
    loaded: &Loaded,
    io: &Io,
    job: Job,
    mem: &mut Table<Value>,
    spawned: Option<Spawned>,
) -> Result<(), CodeError> {
    let mut st = State {
        coros: Table::default(),
        texts: Texts::new(job.student),
        draws: Draws {
            job,
            used: [false; 2],
            rng: None,
        },
        pc: 0,
        ops: 0,
        handlers: Vec::new(),
        current: None,
        limit: None,
        deadline: None,
        outer_deadlines: Vec::new(),
        held: Vec::new(),
        background: Vec::new(),
        spawned,
        tasks: Table::default(),
        txs: Vec::new(),
    };
    loop {
        match steps(loaded, io, mem, &mut st).await {
            Ok(()) => return Ok(()),
            Err(Stop::Limit(e)) => return Err(e),
            // The innermost `try` takes it, with the stack as the `try` found it; with none,
            // the request ends with it.
            Err(Stop::Raised(exc)) => match st.handlers.pop() {
                Some((pc, depth)) => {
                    mem.truncate(depth);
                    st.current = Some(exc);
                    st.pc = pc;
                }
                None => {
                    exc.end(io);
                    // The error response goes now; the tasks it started go on.
                    if tasks::any_running(&st.tasks) {
                        io.answer().await;
                    }
                    return Ok(());
                }
            },
        }
    }
}

/// Runs instructions from `st.pc` until the handler ends or an exception stops it.
async fn steps(
    loaded: &Loaded,
    io: &Io,
    mem: &mut Table<Value>,
    st: &mut State,
) -> Result<(), Stop> {
    let program = &loaded.program;
    let config = &loaded.config;
    let State {
        coros,
        texts,
        draws,
        pc,
        ops,
        handlers,
        current,
        limit,
        deadline,
        outer_deadlines,
        held,
        background,
        spawned,
        tasks,
        txs,
    } = st;
    loop {
        let instr = program.code[*pc];
        *pc += 1;
        match instr {
            Instr::Const(v) => mem.push(v),
            Instr::Load(s) => {
                let v = mem[usize::from(s)];
                mem.push(v);
            }
            Instr::Store(s) => {
                let v = pop(mem);
                mem[usize::from(s)] = v;
            }
            Instr::Pop => {
                pop(mem);
            }
            Instr::Neg(pos) => {
                let v = match pop(mem) {
                    Value::Float(x) => Value::Float(-x),
                    v => match v.int().and_then(i64::checked_neg) {
                        Some(i) => Value::Int(i),
                        None => return error(pos, "integer overflow"),
                    },
                };
                mem.push(v);
            }
            Instr::Not => {
                let v = pop(mem);
                mem.push(Value::Bool(!v.truthy()));
            }
            Instr::Bin(op, pos) => {
                let r = pop(mem);
                let l = pop(mem);
                let v = if matches!(l, Value::Str(..)) || matches!(r, Value::Str(..)) {
                    texts.binary(op, l, r, pos)?
                } else {
                    binary(op, l, r, pos)?
                };
                mem.push(v);
            }
            Instr::Text(i) => {
                let text = program.texts[usize::from(i)].clone();
                mem.push(texts.str(text, Pos::default())?);
            }
            Instr::Format(n, pos) => {
                let base = mem.len() - usize::from(n);
                let v = texts.format(&mem[base..], pos)?;
                mem.truncate(base);
                mem.push(v);
            }
            Instr::Build { dict, n, pos } => {
                let base = mem.len() - usize::from(n) * if dict { 2 } else { 1 };
                let v = texts.build(dict, &mem[base..], pos)?;
                mem.truncate(base);
                mem.push(v);
            }
            Instr::Print(n, _) => {
                let base = mem.len() - usize::from(n);
                io.print(texts.line(&mem[base..]));
                mem.truncate(base);
                mem.push(Value::None);
            }
            Instr::Log {
                level,
                argc,
                logger,
                ..
            } => {
                let base = mem.len() - usize::from(argc);
                let text = texts.log_message(&mem[base..]);
                mem.truncate(base);
                let name =
                    (logger != u16::MAX).then(|| program.texts[usize::from(logger)].as_str());
                let mut root = loaded.root_handler.get();
                match logging::record(program.log_config, &mut root, name, level, &text) {
                    Some(line) => io.print(line),
                    None => io.hide_log(),
                }
                loaded.root_handler.set(root);
                mem.push(Value::None);
            }
            Instr::Field(i) => {
                pop(mem);
                mem.push(texts.field(i, Pos::default())?);
            }
            Instr::Column(i) => {
                if let Value::Row(seats, version) = pop(mem) {
                    mem.push(Value::Int(i64::from(if i == 0 { seats } else { version })));
                }
            }
            Instr::Jump(t) => *pc = t as usize,
            Instr::JumpIfFalse(t) => {
                if !pop(mem).truthy() {
                    *pc = t as usize;
                }
            }
            Instr::AndJump(t) | Instr::OrJump(t) => {
                let jump_if = matches!(instr, Instr::OrJump(_));
                if mem.last().is_some_and(|v| v.truthy() == jump_if) {
                    *pc = t as usize;
                } else {
                    pop(mem);
                }
            }
            Instr::Call {
                call,
                awaited,
                pos,
                discard,
            } => {
                let args = args(mem, call);
                let mut op = plan(call, args, awaited, draws, config, pos)?;
                if let Some(tx) = txs.last_mut() {
                    tx::prepare(io, tx, call, &mut op).await;
                }
                // asyncio.wait_for and asyncio.timeout: an awaited call longer than its limit
                // (or than what is left before the deadline) is cancelled at the limit.
                let left = deadline
                    .filter(|_| awaited)
                    .map(|d| d.saturating_sub(io.now()));
                let bound = nearer(limit.take(), left);
                let cut = bound.filter(|l| op.duration > *l);
                if let Some(l) = cut {
                    op.duration = l;
                }
                // Most calls need no thread: one state machine fewer to go through.
                let v = if op.pool.is_none() {
                    perform(io, op, op.step).await
                } else {
                    execute(io, op).await
                };
                if cut.is_some() {
                    return error(pos, "TimeoutError: ");
                }
                if !discard {
                    mem.push(v);
                }
            }
            Instr::MakeCoro { call, .. } => {
                let args = args(mem, call);
                coros.push(Coro {
                    call,
                    args,
                    awaited: false,
                    task: None,
                });
                mem.push(Value::Coro(coros.len() as u32 - 1));
            }
            Instr::AwaitCoro(pos) => {
                let v = pop(mem);
                if let Some(t) = started(coros, v) {
                    let result = tasks::Done(std::rc::Rc::clone(&tasks[t])).await;
                    mem.push(result);
                    continue;
                }
                let coro = take_coro(coros, v, pos)?;
                // A coroutine runs where it is awaited (`pos`), not where it was made.
                let op = plan(coro.call, coro.args, true, draws, config, pos)?;
                let v = execute(io, op).await;
                mem.push(v);
            }
            Instr::Gather(n, pos) => {
                let base = mem.len() - n as usize;
                let mut children: Vec<TaskFuture> = Vec::with_capacity(n as usize);
                for &v in &mem[base..] {
                    if let Some(t) = started(coros, v) {
                        let done = tasks::Done(std::rc::Rc::clone(&tasks[t]));
                        children.push(Box::pin(async move {
                            done.await;
                        }));
                        continue;
                    }
                    let coro = take_coro(coros, v, pos)?;
                    // Its calls run on the `gather`'s line, wherever they were made.
                    let op = plan(coro.call, coro.args, true, draws, config, pos)?;
                    let io = io.clone();
                    children.push(Box::pin(async move {
                        execute(&io, op).await;
                    }));
                }
                mem.truncate(base);
                io.gather(children).on_line(line(pos)).await;
                mem.push(Value::None);
            }
            Instr::ForStart { counter, end, pos } => {
                let (e, s) = (pop(mem), pop(mem));
                let (Some(s), Some(e)) = (s.int(), e.int()) else {
                    return error(pos, "range() needs integers");
                };
                if e.saturating_sub(s) > MAX_RANGE {
                    return error(
                        pos,
                        format!(
                            "range() of {} iterations: at most {MAX_RANGE} are allowed",
                            e.saturating_sub(s)
                        ),
                    );
                }
                mem[usize::from(counter)] = Value::Int(s);
                mem[usize::from(end)] = Value::Int(e);
            }
            Instr::ForNext {
                var,
                counter,
                end,
                exit,
                ops: weight,
                pos,
            } => {
                *ops += u32::from(weight);
                if *ops > MAX_OPS {
                    return error(
                        pos,
                        format!("the request ran more than {MAX_OPS} operations"),
                    );
                }
                let c = mem[usize::from(counter)].int().unwrap_or(0);
                if c < mem[usize::from(end)].int().unwrap_or(0) {
                    mem[usize::from(var)] = Value::Int(c);
                    mem[usize::from(counter)] = Value::Int(c + 1);
                } else {
                    *pc = exit as usize;
                }
            }
            Instr::Return => {
                if program.success != 200 {
                    io.respond(program.success);
                }
                // Starlette sends the response, then runs the tasks in order, awaiting each;
                // tasks the handler started go on after it.
                if !background.is_empty() || tasks::any_running(tasks) {
                    io.answer().await;
                    for (call, args, pos) in std::mem::take(background) {
                        let op = plan(call, args, true, draws, config, pos)?;
                        execute(io, op).await;
                    }
                }
                return Ok(());
            }
            Instr::CreateTask(pos) => {
                let v = pop(mem);
                let Some(spawned) = spawned else {
                    return error(pos, "a task was started by code that starts none");
                };
                if started(coros, v).is_none() {
                    let coro = take_coro(coros, v, pos)?;
                    let op = plan(coro.call, coro.args, true, draws, config, pos)?;
                    tasks.push(tasks::spawn(io, spawned, op));
                    if let Value::Coro(i) = v {
                        coros[i as usize].task = Some(tasks.len() as u32 - 1);
                    }
                }
                mem.push(v);
            }
            Instr::AddTask { call, pos } => {
                let args = args(mem, call);
                background.push((call, args, pos));
                mem.push(Value::None);
            }
            Instr::Raise { class, pos } => {
                let exc = if class == HTTP_EXCEPTION {
                    let detail = pop(mem);
                    // Starlette looks the status up; one HTTP lacks is Python's ValueError.
                    let status = pop(mem).int().unwrap_or(0);
                    if !(100..600).contains(&status) {
                        return error(
                            pos,
                            format!("ValueError: {status} is not a valid HTTPStatus"),
                        );
                    }
                    texts.http_exception(status as u16, detail, pos)
                } else {
                    let message = pop(mem);
                    texts.exception(&program.texts[usize::from(class)], message, pos)
                };
                return Err(Stop::Raised(exc));
            }
            Instr::TryStart(at) => handlers.push((at as usize, mem.len())),
            Instr::TryEnd => {
                handlers.pop();
            }
            Instr::ExceptMatch { class, next } => {
                let caught = current.as_ref().is_some_and(|e| {
                    class == u16::MAX || catches(&program.texts[usize::from(class)], &e.class)
                });
                if !caught {
                    *pc = next as usize;
                }
            }
            Instr::LoadExc => {
                let words = current
                    .as_ref()
                    .map(|e| e.words.clone())
                    .unwrap_or_default();
                mem.push(texts.str(words, Pos::default())?);
            }
            Instr::ExceptEnd => *current = None,
            Instr::Method(m, argc, pos) => {
                let base = mem.len() - usize::from(argc) - 1;
                let v = m.call(texts, mem[base], &mem[base + 1..], pos)?;
                mem.truncate(base);
                mem.push(v);
            }
            Instr::LoopTick { ops: weight, pos } => {
                *ops += u32::from(weight);
                if *ops > MAX_OPS {
                    return error(
                        pos,
                        format!("the request ran more than {MAX_OPS} operations"),
                    );
                }
            }
            Instr::Builtin(b, argc, pos) => {
                let base = mem.len() - usize::from(argc);
                let v = b.call(texts, &mem[base..], pos)?;
                mem.truncate(base);
                mem.push(v);
            }
            Instr::DeadlineStart => {
                let new = time_limit(pop(mem)).map(|d| io.now() + d);
                outer_deadlines.push(*deadline);
                *deadline = nearer(*deadline, new);
            }
            Instr::DeadlineEnd => *deadline = outer_deadlines.pop().flatten(),
            Instr::LockAcquire { id, step, pos } => {
                let permit = io
                    .lock(id, &program.lock_sizes, step, config.awaits)
                    .on_line(pos.line as u16)
                    .await;
                held.push(permit);
            }
            Instr::LockRelease => drop(held.pop()),
            Instr::TxStart(pos) => txs.push(tx::begin(io, pos, config.awaits).await),
            Instr::TxEnd => drop(txs.pop()),
            Instr::TimeLimit(_) => *limit = time_limit(pop(mem)),
            Instr::Reraise(pos) => {
                return match current.clone() {
                    Some(e) => Err(Stop::Raised(e)),
                    None => error(pos, "RuntimeError: No active exception to reraise"),
                };
            }
        }
    }
}

/// A position's line as the trace records it (a program has at most `MAX_LINES` lines).
fn line(pos: Pos) -> u16 {
    u16::try_from(pos.line).unwrap_or(u16::MAX)
}

#[inline(always)]
fn pop(mem: &mut Vec<Value>) -> Value {
    mem.pop().unwrap_or(Value::None)
}

/// The call's runtime arguments, in parameter order.
#[inline(always)]
fn args(mem: &mut Vec<Value>, call: Call) -> [Value; 2] {
    let mut out = [Value::None; 2];
    for i in (0..usize::from(call.argc)).rev() {
        out[i] = pop(mem);
    }
    out
}
