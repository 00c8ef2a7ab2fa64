//! The instructions a checked program is made of (a small stack machine), the world calls they
//! make, and what the executor learns about a program before running it. Plain data: the checker
//! emits it, the interpreter runs it.

use super::interp::Value;
use super::parser::{BinOp, Pos};
use super::world::Func;
use crate::sim::handler::Step;

/// The thread pool a call runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PoolKind {
    /// `run_in_threadpool`: the pool that serves `def` handlers (`threads`).
    Threadpool,
    /// `asyncio.to_thread`: asyncio's default executor, `min(32, cores + 4)` threads.
    ToThread,
}

/// A world call, maybe sent to a thread pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Call {
    pub func: Func,
    pub pool: Option<PoolKind>,
    /// How many values it takes from the stack ([`super::world::FuncInfo::runtime_arity`]).
    pub argc: u8,
    /// The step it is recorded on ([`step_of`]; `Validate` for a call that takes no time).
    pub step: Step,
    /// What its query does, for the database's calls.
    pub sql: super::sql::Sql,
}

/// One instruction of a stack machine; jumps are indexes into the program.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Instr {
    Const(Value),
    Load(u16),
    Store(u16),
    Pop,
    Neg(Pos),
    Not,
    Bin(BinOp, Pos),
    Jump(u32),
    JumpIfFalse(u32),
    /// `and`: if the top is false, keep it and jump; else pop it.
    AndJump(u32),
    /// `or`: if the top is true, keep it and jump; else pop it.
    OrJump(u32),
    /// Calls a world function with its runtime arguments on the stack; pushes the result.
    Call {
        call: Call,
        awaited: bool,
        pos: Pos,
        /// The result is not used (a call statement): push nothing.
        discard: bool,
    },
    /// Calls an async function without awaiting it: pushes a coroutine.
    MakeCoro {
        call: Call,
        pos: Pos,
    },
    /// `await` of a coroutine held in a variable.
    AwaitCoro(Pos),
    /// `await asyncio.gather(...)` of this many coroutines on the stack.
    Gather(u32, Pos),
    /// Pops the range's end and start into these slots, checking the count.
    ForStart {
        counter: u16,
        end: u16,
        pos: Pos,
    },
    /// The next iteration into `var`, or a jump to `exit`. An iteration counts `ops`
    /// operations; the loop is at `pos`.
    ForNext {
        var: u16,
        counter: u16,
        end: u16,
        exit: u32,
        ops: u16,
        pos: Pos,
    },
    Return,
    /// Pushes the string constant of this index.
    Text(u16),
    /// Pops this many values and pushes their `str()`s joined: an f-string.
    Format(u16, Pos),
    /// Pops this many items (a dict: twice as many, key then value) and pushes the list or dict.
    Build {
        dict: bool,
        n: u16,
        pos: Pos,
    },
    /// Pops this many values and prints them on the run's log (pushes None).
    Print(u16, Pos),
    /// A logging call at `level`: pops its message and arguments (`argc` values) and writes
    /// the record, or counts it as below the level; pushes None. `logger`: the named logger's
    /// name in the texts, or `u16::MAX` for the module-level functions (the root logger).
    Log {
        level: u8,
        argc: u8,
        logger: u16,
        pos: Pos,
    },
    /// Ends the request with an exception: pops HTTPException's status and detail (`class`
    /// [`super::check::HTTP_EXCEPTION`]) or a Python exception's message (`class`: its name in
    /// the texts).
    Raise {
        class: u16,
        pos: Pos,
    },
    /// Enters a `try`: an exception until the matching `TryEnd` goes to this instruction.
    TryStart(u32),
    TryEnd,
    /// An `except CLASS:` (`u16::MAX`: a bare `except:`): on to the next instruction if it
    /// catches the exception being handled, else to `next`.
    ExceptMatch {
        class: u16,
        next: u32,
    },
    /// Pushes the exception being handled (`except ... as e`), as `str(e)`.
    LoadExc,
    /// An `except` clause ran to its end: no exception is being handled any more.
    ExceptEnd,
    /// Raises the exception being handled again (a bare `raise`, or the end of a `finally`).
    Reraise(Pos),
    /// `asyncio.wait_for`: pops the time limit (seconds, or None) for the awaited call that
    /// comes next, which a limit shorter than it cuts with TimeoutError.
    TimeLimit(Pos),
    /// `async with asyncio.timeout(S):` enters: pops the delay (seconds, or None) and sets the
    /// deadline for the awaited calls inside, keeping the outer one.
    DeadlineStart,
    /// The block is left: the outer deadline again.
    DeadlineEnd,
    /// `async with lock:` enters: waits for a permit of the module's lock `id` (the loop is
    /// free meanwhile; the wait shows before `step`), then holds it.
    LockAcquire {
        id: u16,
        step: Step,
        pos: Pos,
    },
    /// The block is left: the permit taken last goes back.
    LockRelease,
    /// `asyncio.create_task(coro)`: starts the coroutine on top of the stack as a task of the
    /// request (leaves it there, now a task).
    CreateTask(Pos),
    /// `async with db.transaction():` enters: takes a connection for the transaction's queries.
    TxStart(Pos),
    /// The transaction ends: its row lock and its connection go back.
    TxEnd,
    /// `background_tasks.add_task(func, ...)`: pops the call's arguments and keeps the call for
    /// after the response (pushes None).
    AddTask {
        call: Call,
        pos: Pos,
    },
    /// A built-in function: pops its arguments, pushes its result.
    Builtin(super::builtins::Builtin, u8, Pos),
    /// A `while` loop's turn: counts `ops` operations (a request may make at most
    /// [`super::MAX_OPS`]).
    LoopTick {
        ops: u16,
        pos: Pos,
    },
    /// A string method: pops the string and its arguments, pushes the result.
    Method(super::methods::StrMethod, u8, Pos),
    /// Pops the student and pushes one of its fields ([`super::value::FIELDS`]).
    Field(u8),
    /// Pops a row of `course` and pushes a column: 0 `seats_left`, 1 `version`.
    Column(u8),
}

/// What the executor needs to know about a program before running it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Info {
    /// The step of the first call in the code.
    pub first_step: Step,
    /// The line of that call (`None`: the code makes no call that takes time).
    pub first_line: Option<u16>,
    /// The first two kinds of drawn I/O calls in the code, in order, padded with the article's.
    pub io_steps: [Step; 2],
    /// Whether the code touches `seats_left`.
    pub uses_seats: bool,
    /// Whether the code has a loop (a request may then make up to [`super::MAX_OPS`] calls).
    pub loops: bool,
    /// Whether the code prints (its run keeps a log).
    pub prints: bool,
    /// Whether the code starts tasks (`asyncio.create_task`): its requests then run as a join.
    pub spawns: bool,
}

/// The step a call of `func` is recorded on (`None`: it takes no time).
pub(crate) fn step_of(func: Func) -> Option<Step> {
    Some(match func {
        Func::Validate => Step::Validate,
        Func::CpuWork => Step::CpuWork,
        Func::HasRoom => Step::Decide,
        Func::Welcome => return None,
        Func::SaveToDatabase | Func::DbSave => Step::SaveToDatabase,
        Func::SendEmail | Func::SmtpSend => Step::SendEmail,
        Func::AsyncioSleep | Func::TimeSleep => Step::Sleep,
        Func::DbFetch | Func::DbFetchBlocking | Func::DbFetchRow => Step::ReadSeats,
        Func::DbExecute | Func::DbExecuteBlocking => Step::WriteSeats,
    })
}
