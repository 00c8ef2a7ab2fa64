//! A request's world calls, decided and made: the durations it draws, the arguments checked,
//! and the `Io` operations each call becomes.

use super::*;
use crate::sim::decimal;
use crate::sim::lang::sql::Sql;
use crate::sim::lang::Fail;
use crate::sim::seats::Update;

/// One world call with everything decided: ready to run, needing nothing else.
#[derive(Clone, Copy, Debug)]
pub(super) struct Op {
    pub(super) func: Func,
    pub(super) step: Step,
    pub(super) pool: Option<PoolKind>,
    /// Whether it yields the loop (an awaited call in async mode).
    pub(super) yields: bool,
    pub(super) duration: SimTime,
    /// `has_room`'s argument, or the value `db.execute` writes.
    pub(super) value: i64,
    /// The version a versioned `db.execute` expects.
    pub(super) version: i64,
    /// What the query does ([`Sql`]).
    pub(super) sql: Sql,
    /// Whether the query runs in the request's transaction, on its connection.
    pub(super) in_tx: bool,
    /// The line of the handler's source the request is on while the call runs.
    pub(super) line: u16,
}

/// The I/O durations of one request: the two drawn up front first, then its own generator's.
pub(super) struct Draws {
    pub(super) job: Job,
    pub(super) used: [bool; 2],
    pub(super) rng: Option<Rng>,
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

/// A duration argument in the unit `per_second` of a second (1 for seconds, 1000 for ms).
fn duration(v: Value, per_second: f64, what: &str, pos: Pos) -> Result<SimTime, Fail> {
    let x = v.number().unwrap_or(f64::NAN);
    let max = MAX_STEP_MS / 1000.0 * per_second;
    if !(x.is_finite() && (0.0..=max).contains(&x)) {
        return error(
            pos,
            format!(
                "{what} must be from 0 to {}, not {}",
                decimal::shortest(max),
                decimal::shortest(x)
            ),
        );
    }
    Ok(SimTime::from_secs_f64(x / per_second))
}

/// Decides everything about a call before it runs (durations drawn in program order); it runs
/// on `pos`'s line.
pub(super) fn plan(
    call: Call,
    args: [Value; 2],
    awaited: bool,
    draws: &mut Draws,
    config: &Config,
    pos: Pos,
) -> Result<Op, Fail> {
    // Outside async mode the request already has its thread: the pool's function runs in place.
    let pool = call.pool.filter(|_| config.awaits);
    let mut op = Op {
        func: call.func,
        step: call.step,
        pool,
        yields: awaited && config.awaits,
        duration: SimTime::ZERO,
        value: 0,
        version: 0,
        sql: call.sql,
        in_tx: false,
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
            if call.sql != Sql::Decrement {
                let v = args[0].int().unwrap_or(-1);
                if !(0..=i64::from(u32::MAX)).contains(&v) {
                    return error(pos, format!("seats_left cannot be set to {v}"));
                }
                op.value = v;
                op.version = args[1].int().unwrap_or(-1);
            }
            op.duration = draws.next(Step::WriteSeats, config);
        }
        Func::SaveToDatabase
        | Func::DbSave
        | Func::SendEmail
        | Func::SmtpSend
        | Func::DbFetch
        | Func::DbFetchBlocking
        | Func::DbFetchRow => {
            op.duration = draws.next(call.step, config);
        }
    }
    Ok(op)
}

/// Runs a planned call: on a pool thread if it has one, else on the request's own lane.
pub(super) async fn execute(io: &Io, op: Op) -> Value {
    let step = op.step;
    match op.pool {
        Some(kind) => {
            if kind != PoolKind::ToThread {
                // anyio yields to the loop before it asks for a thread (its checkpoint), so
                // the requests ready run their lines first.
                io.call(step, SimTime::ZERO, true).on_line(op.line).await;
            }
            let mut thread = Some(
                io.thread(kind == PoolKind::ToThread, step)
                    .on_line(op.line)
                    .await,
            );
            // On a thread, waiting frees the loop; CPU work still takes the interpreter lock.
            let line = op.line;
            let value = perform(&io.on_thread(true), Op { yields: true, ..op }, step).await;
            // The result reaches the coroutine through the loop's queue
            // (`call_soon_threadsafe`), in the loop's turn. asyncio's executor (`to_thread`)
            // has the thread free as soon as the call returns; anyio's (`run_in_threadpool`)
            // gives its token back when the loop resumes the coroutine.
            if kind == PoolKind::ToThread {
                thread = None;
            }
            io.call(step, SimTime::ZERO, true).on_line(line).await;
            // The loop reads the byte the thread wrote to wake it, a system call.
            io.on_thread(false).wake_read(step).on_line(line).await;
            drop(thread);
            value
        }
        None => perform(io, op, step).await,
    }
}

pub(super) async fn perform(io: &Io, op: Op, step: Step) -> Value {
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
        Func::DbFetch | Func::DbFetchBlocking | Func::DbFetchRow => {
            // In a transaction the query runs on the transaction's connection.
            let connection = if op.in_tx {
                None
            } else {
                Some(io.connection(step, yields).on_line(op.line).await)
            };
            let (v, version) = io.read_seats(op.duration, yields).on_line(op.line).await;
            drop(connection);
            if op.func == Func::DbFetchRow {
                Value::Row(v, version)
            } else {
                Value::Int(i64::from(v))
            }
        }
        Func::DbExecute | Func::DbExecuteBlocking => {
            let _connection = if op.in_tx {
                None
            } else {
                Some(io.connection(step, yields).on_line(op.line).await)
            };
            let value = u32::try_from(op.value).unwrap_or(0);
            let update = match op.sql {
                Sql::Decrement => Update::Decrement,
                // A version that cannot be one matches none.
                Sql::SetIfVersion => Update::IfVersion {
                    value,
                    version: u32::try_from(op.version).unwrap_or(u32::MAX),
                },
                Sql::Plain | Sql::ForUpdate => Update::Set(value),
            };
            let (changed, _) = io
                .write_seats(update, op.duration, yields)
                .on_line(op.line)
                .await;
            Value::Int(i64::from(changed))
        }
    }
}
