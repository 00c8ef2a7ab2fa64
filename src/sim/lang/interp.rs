//! The interpreter: one `async fn` per request that runs a checked program's instructions and
//! turns each world call into the `Io` operations the executor already knows (CPU work, calls,
//! connections, queries on `seats_left`, threads), so a program makes exactly the effects a
//! hand-written handler would. A mistake only the run can find ends the run with its line.

use std::cell::RefCell;
use std::rc::Rc;

use super::check::HTTP_EXCEPTION;
use super::code::{Call, Instr, PoolKind};
use super::logging;
use super::parser::Pos;
pub(crate) use super::value::Value;
use super::value::{binary, Texts};
use super::world::Func;
use super::{CodeError, Program, MAX_OPS, MAX_RANGE};
use crate::sim::handler::{Io, Job, Step, TaskFuture};
use crate::sim::rng::{Rng, SplitMix64};
use crate::sim::scenario::{IoDist, Mode, Scenario, MAX_STEP_MS};
use crate::sim::time::SimTime;

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
    spare: RefCell<Vec<Vec<Value>>>,
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
            spare: RefCell::new(Vec::new()),
        }
    }
}

/// Starts one request of `loaded`.
pub(crate) fn start(loaded: &Rc<Loaded>, io: Io, job: Job) -> TaskFuture {
    let loaded = Rc::clone(loaded);
    Box::pin(async move {
        if let Err(e) = run(&loaded, &io, job).await {
            // Python's own exceptions end the request with a 500; the language's limits end
            // the run.
            if PYTHON_EXCEPTIONS.iter().any(|c| e.message.starts_with(c)) {
                unhandled(
                    &io,
                    &e.message,
                    Pos {
                        line: e.line,
                        col: e.column,
                    },
                );
            } else {
                io.fail(e);
            }
        }
    })
}

/// One world call with everything decided: ready to run, needing nothing else.
#[derive(Clone, Copy, Debug)]
struct Op {
    func: Func,
    step: Step,
    pool: Option<PoolKind>,
    /// Whether it yields the loop (an awaited call in async mode).
    yields: bool,
    duration: SimTime,
    /// `has_room`'s argument, or the value `db.execute` writes.
    value: i64,
    /// The line of the handler's source the request is on while the call runs.
    line: u16,
}

/// A coroutine made and not awaited yet.
#[derive(Clone, Copy, Debug)]
struct Coro {
    call: Call,
    args: [Value; 2],
    awaited: bool,
}

/// The I/O durations of one request: the two drawn up front first, then its own generator's.
struct Draws {
    job: Job,
    used: [bool; 2],
    rng: Option<Rng>,
}

impl Draws {
    fn next(&mut self, step: Step, config: &Config) -> SimTime {
        for (i, (s, d)) in self.job.io.iter().enumerate() {
            if *s == step && !self.used[i] {
                self.used[i] = true;
                return *d;
            }
        }
        let mean = if step == Step::SendEmail {
            config.email_ms
        } else {
            config.db_ms
        };
        match config.io_dist {
            IoDist::Fixed => SimTime::from_millis_f64(mean),
            IoDist::Exp => {
                let student = u64::from(self.job.student);
                let rng = self.rng.get_or_insert_with(|| {
                    let mut mix = SplitMix64::new(config.seed ^ student.rotate_left(32));
                    Rng::seed_from_u64(mix.next_u64())
                });
                SimTime::from_millis_f64(rng.exp(mean))
            }
        }
    }
}

/// The exceptions a run meets that are Python's: a request that raises one gets a 500.
const PYTHON_EXCEPTIONS: &[&str] = &[
    "ZeroDivisionError:",
    "TypeError:",
    "RuntimeError:",
    "ValueError:",
];

/// An exception the handler let through: uvicorn logs it, and the client gets a 500.
fn unhandled(io: &Io, words: &str, pos: Pos) {
    io.print(format!(
        "ERROR:    Exception in ASGI application: {words} (line {})",
        pos.line
    ));
    io.respond(500);
}

fn error<T>(pos: Pos, message: impl Into<String>) -> Result<T, CodeError> {
    Err(CodeError::new(pos.line, pos.col, message))
}

async fn run(loaded: &Loaded, io: &Io, job: Job) -> Result<(), CodeError> {
    let program = &loaded.program;
    let slots = usize::from(program.slots);
    // Variables first, then the expression stack.
    let mut mem = loaded.spare.borrow_mut().pop().unwrap_or_default();
    mem.clear();
    mem.resize(slots, Value::None);
    mem[0] = Value::Student;
    let result = interpret(loaded, io, job, &mut mem).await;
    loaded.spare.borrow_mut().push(mem);
    result
}

async fn interpret(
    loaded: &Loaded,
    io: &Io,
    job: Job,
    mem: &mut Vec<Value>,
) -> Result<(), CodeError> {
    let program = &loaded.program;
    let config = &loaded.config;
    let mut coros: Vec<Coro> = Vec::new();
    let mut texts = Texts::new(job.student);
    let mut draws = Draws {
        job,
        used: [false; 2],
        rng: None,
    };
    // Only loops can make a request long: straight code has at most `MAX_LINES` statements.
    let (mut pc, mut ops) = (0usize, 0u32);
    loop {
        let instr = program.code[pc];
        pc += 1;
        match instr {
            Instr::Const(v) => mem.push(v),
            Instr::Load(s) => mem.push(mem[usize::from(s)]),
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
            Instr::Jump(t) => pc = t as usize,
            Instr::JumpIfFalse(t) => {
                if !pop(mem).truthy() {
                    pc = t as usize;
                }
            }
            Instr::AndJump(t) | Instr::OrJump(t) => {
                let jump_if = matches!(instr, Instr::OrJump(_));
                if mem.last().is_some_and(|v| v.truthy() == jump_if) {
                    pc = t as usize;
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
                let op = plan(call, args, awaited, &mut draws, config, pos)?;
                // Most calls need no thread: one state machine fewer to go through.
                let v = if op.pool.is_none() {
                    perform(io, op, op.step).await
                } else {
                    execute(io, op).await
                };
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
                });
                mem.push(Value::Coro(coros.len() as u32 - 1));
            }
            Instr::AwaitCoro(pos) => {
                let coro = take_coro(&mut coros, pop(mem), pos)?;
                // A coroutine runs where it is awaited (`pos`), not where it was made.
                let op = plan(coro.call, coro.args, true, &mut draws, config, pos)?;
                let v = execute(io, op).await;
                mem.push(v);
            }
            Instr::Gather(n, pos) => {
                let base = mem.len() - n as usize;
                let mut children: Vec<TaskFuture> = Vec::with_capacity(n as usize);
                for &v in &mem[base..] {
                    let coro = take_coro(&mut coros, v, pos)?;
                    // Its calls run on the `gather`'s line, wherever they were made.
                    let op = plan(coro.call, coro.args, true, &mut draws, config, pos)?;
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
                ops += u32::from(weight);
                if ops > MAX_OPS {
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
                    pc = exit as usize;
                }
            }
            Instr::Return => {
                if program.success != 200 {
                    io.respond(program.success);
                }
                return Ok(());
            }
            Instr::Raise { class, pos } => {
                if class == HTTP_EXCEPTION {
                    pop(mem);
                    // Starlette looks the status up; one HTTP lacks is Python's ValueError.
                    let status = pop(mem).int().unwrap_or(0);
                    if !(100..600).contains(&status) {
                        return error(
                            pos,
                            format!("ValueError: {status} is not a valid HTTPStatus"),
                        );
                    }
                    io.respond(status as u16);
                } else {
                    let message = pop(mem);
                    let class = &program.texts[usize::from(class)];
                    let words = texts.exception(class, message);
                    unhandled(io, &words, pos);
                }
                return Ok(());
            }
        }
    }
}

/// A position's line as the trace records it (a program has at most `MAX_LINES` lines).
#[inline(always)]
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

fn take_coro(coros: &mut [Coro], v: Value, pos: Pos) -> Result<Coro, CodeError> {
    let Value::Coro(i) = v else {
        return error(
            pos,
            "TypeError: this value can't be used in 'await' expression",
        );
    };
    let coro = &mut coros[i as usize];
    if coro.awaited {
        return error(pos, "RuntimeError: cannot reuse already awaited coroutine");
    }
    coro.awaited = true;
    Ok(*coro)
}

/// A duration argument in the unit `per_second` of a second (1 for seconds, 1000 for ms).
fn duration(v: Value, per_second: f64, what: &str, pos: Pos) -> Result<SimTime, CodeError> {
    let x = v.number().unwrap_or(f64::NAN);
    let max = MAX_STEP_MS / 1000.0 * per_second;
    if !(x.is_finite() && (0.0..=max).contains(&x)) {
        return error(pos, format!("{what} must be from 0 to {max}, not {x}"));
    }
    Ok(SimTime::from_secs_f64(x / per_second))
}

/// Decides everything about a call before it runs (durations drawn in program order); it runs
/// on `pos`'s line.
fn plan(
    call: Call,
    args: [Value; 2],
    awaited: bool,
    draws: &mut Draws,
    config: &Config,
    pos: Pos,
) -> Result<Op, CodeError> {
    // Outside async mode the request already has its thread: the pool's function runs in place.
    let pool = call.pool.filter(|_| config.awaits);
    let mut op = Op {
        func: call.func,
        step: call.step,
        pool,
        yields: awaited && config.awaits,
        duration: SimTime::ZERO,
        value: 0,
        line: line(pos),
    };
    match call.func {
        Func::Validate => op.duration = draws.job.cpu,
        Func::HasRoom => {
            op.duration = draws.job.cpu;
            op.value = args[0].int().unwrap_or(0);
        }
        Func::Welcome => {}
        Func::CpuWork => op.duration = duration(args[0], 1000.0, "cpu_work's ms", pos)?,
        Func::AsyncioSleep | Func::TimeSleep => {
            op.duration = duration(args[0], 1.0, "the sleep's seconds", pos)?;
        }
        Func::DbExecute | Func::DbExecuteBlocking => {
            let v = args[0].int().unwrap_or(-1);
            if !(0..=i64::from(u32::MAX)).contains(&v) {
                return error(pos, format!("seats_left cannot be set to {v}"));
            }
            op.value = v;
            op.duration = draws.next(Step::WriteSeats, config);
        }
        Func::SaveToDatabase
        | Func::DbSave
        | Func::SendEmail
        | Func::SmtpSend
        | Func::DbFetch
        | Func::DbFetchBlocking => {
            op.duration = draws.next(call.step, config);
        }
    }
    Ok(op)
}

/// Runs a planned call: on a pool thread if it has one, else on the request's own lane.
async fn execute(io: &Io, op: Op) -> Value {
    let step = op.step;
    match op.pool {
        Some(kind) => {
            let _thread = io
                .thread(kind == PoolKind::ToThread, step)
                .on_line(op.line)
                .await;
            // On a thread, waiting frees the loop; CPU work still takes the interpreter lock.
            perform(io, Op { yields: true, ..op }, step).await
        }
        None => perform(io, op, step).await,
    }
}

async fn perform(io: &Io, op: Op, step: Step) -> Value {
    let yields = op.yields;
    match op.func {
        Func::Validate | Func::CpuWork => {
            io.compute(step, op.duration).on_line(op.line).await;
            Value::None
        }
        Func::HasRoom => {
            io.compute(step, op.duration).on_line(op.line).await;
            let take = op.value > 0;
            io.decide(take);
            Value::Bool(take)
        }
        Func::Welcome => Value::Message,
        Func::SaveToDatabase | Func::DbSave => {
            let connection = io.connection(step, yields).on_line(op.line).await;
            io.call(step, op.duration, yields).on_line(op.line).await;
            // The connection goes back to the pool as soon as the query returns.
            drop(connection);
            Value::None
        }
        Func::SendEmail | Func::SmtpSend | Func::AsyncioSleep | Func::TimeSleep => {
            io.call(step, op.duration, yields).on_line(op.line).await;
            Value::None
        }
        Func::DbFetch | Func::DbFetchBlocking => {
            let connection = io.connection(step, yields).on_line(op.line).await;
            let v = io.read_seats(op.duration, yields).on_line(op.line).await;
            drop(connection);
            Value::Int(i64::from(v))
        }
        Func::DbExecute | Func::DbExecuteBlocking => {
            let _connection = io.connection(step, yields).on_line(op.line).await;
            let value = u32::try_from(op.value).unwrap_or(0);
            io.write_seats(value, op.duration, yields)
                .on_line(op.line)
                .await;
            Value::None
        }
    }
}
