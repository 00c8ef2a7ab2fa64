//! The shared `seats_left` cell of the race handler: the database value that every request reads
//! and writes back, its record as plain data ([`SeatsTrace`]), and the questions the page asks of
//! that record (the value at a moment, who overwrote whom). A plain write is the bug; the
//! database's fixes are updates that change the row only under a condition ([`Update`]), and
//! the row lock that transactions take (in `handler::io`).
//!
//! **A query takes effect when it completes.** The database runs a read or a write at the end of
//! its round trip, so a read returns the value at its completion and a write sets the value at its
//! completion. Queries completing at the same instant take effect in the executor's timer order,
//! `(deadline, seq)`, so every platform sees the same interleaving.

use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Wake, Waker};

use serde::{Deserialize, Serialize};

use super::time::SimTime;

/// A read or a write of `seats_left`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeatOpKind {
    /// `SELECT seats_left`.
    Read,
    /// `UPDATE ... SET seats_left = value`.
    Write,
}

/// What a write asks of the row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Update {
    /// `SET seats_left = value`, whatever it holds now.
    Set(u32),
    /// `SET seats_left = seats_left - 1 WHERE seats_left > 0`.
    Decrement,
    /// `SET seats_left = value, version = version + 1 WHERE version = version`.
    IfVersion { value: u32, version: u32 },
}

/// The condition a write changed the row under, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// `WHERE seats_left > 0`.
    SeatsLeft,
    /// `WHERE version = $n`.
    Version,
}

fn yes() -> bool {
    true
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_true(b: &bool) -> bool {
    *b
}

/// One query on `seats_left`, as it took effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatOp {
    /// Read or write.
    pub kind: SeatOpKind,
    /// The student whose request sent it.
    pub student: u32,
    /// The worker running that request.
    pub worker: u32,
    /// When the query was sent.
    pub start: SimTime,
    /// When it took effect: its completion.
    pub at: SimTime,
    /// Read: the value returned. Write: the value written.
    pub value: u32,
    /// Writes that had taken effect before this query (a read saw this many; a write is number
    /// `version` counting from 0).
    pub version: u32,
    /// Write: the value it replaced. Read: equal to `value`.
    pub replaced: u32,
    /// Write: how many writes its student's last read had seen. Below `version`, writes took
    /// effect between that read and this write, and this write overwrote them: a lost update.
    /// Read: equal to `version`.
    pub seen: u32,
    /// Write: the condition it was sent with (none for a plain write). Absent in older traces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    /// Write: whether it changed the row (a conditional write whose condition failed did not,
    /// and is not one of the writes). Absent in older traces, where every write did.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub changed: bool,
}

impl SeatOp {
    /// Whether this is a write that overwrote writes its request never read.
    pub fn is_stale_write(&self) -> bool {
        self.is_write() && self.seen < self.version
    }

    /// Whether this is a write that changed the row.
    pub fn is_write(&self) -> bool {
        self.kind == SeatOpKind::Write && self.changed
    }
}

/// A lost update: one write that overwrote others its request had not seen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LostUpdate {
    /// Index in [`SeatsTrace::ops`] of the stale write.
    pub write: u32,
    /// Indexes in [`SeatsTrace::ops`] of the writes it overwrote, oldest first (the last one is
    /// the value it replaced).
    pub overwritten: Vec<u32>,
}

/// Everything that happened to `seats_left` in a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatsTrace {
    /// The value before any write.
    pub initial: u32,
    /// Every read and write, in the order they took effect.
    pub ops: Vec<SeatOp>,
    /// Per student (by id): whether its request decided to take a seat (`None`: it had not
    /// decided by the end of the trace).
    pub took_seat: Vec<Option<bool>>,
    /// [`SeatsTrace::lost_updates`], found once when the record is taken: the race scene asks
    /// for them several times a frame.
    lost: Vec<LostUpdate>,
}

impl SeatsTrace {
    /// The writes, in the order they took effect.
    pub fn writes(&self) -> impl Iterator<Item = &SeatOp> + '_ {
        self.ops.iter().filter(|op| op.is_write())
    }

    /// Versioned writes that found the version moved on: each a retry for its request (or its
    /// giving up).
    pub fn retries(&self) -> u32 {
        self.ops
            .iter()
            .filter(|op| op.condition == Some(Condition::Version) && !op.changed)
            .count() as u32
    }

    /// The value of the cell at `t` (a write completing at `t` counts).
    pub fn value_at(&self, t: SimTime) -> u32 {
        self.writes()
            .take_while(|op| op.at <= t)
            .last()
            .map_or(self.initial, |op| op.value)
    }

    /// The value at the end of the run.
    pub fn final_value(&self) -> u32 {
        self.writes().last().map_or(self.initial, |op| op.value)
    }

    /// Students registered by `t`: their write, which commits the seat, has taken effect.
    pub fn registered_at(&self, t: SimTime) -> u32 {
        self.writes().filter(|op| op.at <= t).count() as u32
    }

    /// Students registered by the end of the run.
    pub fn registered(&self) -> u32 {
        self.writes().count() as u32
    }

    /// Every lost update, in the order the stale writes took effect.
    ///
    /// With no lost update the writes form one chain (each read the previous one's value), so
    /// `final_value() + registered() == initial`; with one, some write is not in the chain of
    /// reads the final value descends from, so `final_value() + registered() > initial`.
    pub fn lost_updates(&self) -> &[LostUpdate] {
        &self.lost
    }

    fn find_lost_updates(&self) -> Vec<LostUpdate> {
        let writes: Vec<u32> = self
            .ops
            .iter()
            .enumerate()
            .filter(|(_, op)| op.is_write())
            .map(|(i, _)| i as u32)
            .collect();
        writes
            .iter()
            .filter_map(|&i| {
                let op = &self.ops[i as usize];
                op.is_stale_write().then(|| LostUpdate {
                    write: i,
                    overwritten: writes[op.seen as usize..op.version as usize].to_vec(),
                })
            })
            .collect()
    }

    /// Every moment a query was sent or took effect.
    pub fn times(&self) -> impl Iterator<Item = SimTime> + '_ {
        self.ops.iter().flat_map(|op| [op.start, op.at])
    }
}

/// The cell during a run, shared by the executor's context and the wakers of queries in flight
/// (a waker must be `Send + Sync`, hence the mutex; the run is single-threaded and never contends).
pub(crate) type SharedSeats = Arc<Mutex<Seats>>;

/// The live cell and its record so far.
pub(crate) struct Seats {
    value: u32,
    writes: u32,
    /// Per student: how many writes its last read saw.
    last_read: Vec<Option<u32>>,
    record: SeatsTrace,
}

/// A query waiting to take effect.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Query {
    pub kind: SeatOpKind,
    pub student: u32,
    pub worker: u32,
    pub start: SimTime,
    pub at: SimTime,
    /// What a write asks (ignored for reads).
    pub update: Update,
}

impl Seats {
    pub(crate) fn new(initial: u32, students: u32) -> Seats {
        Seats {
            value: initial,
            writes: 0,
            last_read: Vec::new(),
            record: SeatsTrace {
                initial,
                ops: Vec::new(),
                took_seat: vec![None; students as usize],
                lost: Vec::new(),
            },
        }
    }

    /// Runs `query` now and records it. A read gives the value and the version (the writes so
    /// far); a write gives 1 if it changed the row, else 0, and the version after it.
    pub(crate) fn apply(&mut self, q: Query) -> (u32, u32) {
        let i = q.student as usize;
        if self.last_read.len() <= i {
            self.last_read.resize(i + 1, None);
        }
        let version = self.writes;
        let op = match q.kind {
            SeatOpKind::Read => {
                self.last_read[i] = Some(version);
                SeatOp {
                    kind: q.kind,
                    student: q.student,
                    worker: q.worker,
                    start: q.start,
                    at: q.at,
                    value: self.value,
                    version,
                    replaced: self.value,
                    seen: version,
                    condition: None,
                    changed: true,
                }
            }
            SeatOpKind::Write => {
                // A blind write (no read before it) saw everything: it is not judged stale; a
                // conditional one checks the row itself, and never is.
                let (value, condition, seen) = match q.update {
                    Update::Set(v) => (Some(v), None, self.last_read[i].unwrap_or(version)),
                    Update::Decrement => (
                        self.value.checked_sub(1),
                        Some(Condition::SeatsLeft),
                        version,
                    ),
                    Update::IfVersion { value, version: v } => (
                        (v == version).then_some(value),
                        Some(Condition::Version),
                        version,
                    ),
                };
                let replaced = self.value;
                if let Some(v) = value {
                    self.value = v;
                    self.writes += 1;
                }
                if condition == Some(Condition::SeatsLeft) {
                    self.decide(q.student, value.is_some());
                }
                SeatOp {
                    kind: q.kind,
                    student: q.student,
                    worker: q.worker,
                    start: q.start,
                    at: q.at,
                    value: value.unwrap_or(replaced),
                    version,
                    replaced,
                    seen,
                    condition,
                    changed: value.is_some(),
                }
            }
        };
        self.record.ops.push(op);
        match op.kind {
            SeatOpKind::Read => (op.value, op.version),
            SeatOpKind::Write => (u32::from(op.changed), self.writes),
        }
    }

    pub(crate) fn decide(&mut self, student: u32, take: bool) {
        if let Some(slot) = self.record.took_seat.get_mut(student as usize) {
            *slot = Some(take);
        }
    }

    /// Whether any query ran (a handler that never touches the cell leaves no record).
    pub(crate) fn is_used(&self) -> bool {
        !self.record.ops.is_empty() || self.record.took_seat.iter().any(Option::is_some)
    }

    pub(crate) fn record(&self) -> SeatsTrace {
        let mut record = self.record.clone();
        record.lost = record.find_lost_updates();
        record
    }
}

/// Where a query in flight finds its result: (value, version) for a read, (changed, version)
/// for a write.
pub(crate) type QueryResult = Arc<Mutex<Option<(u32, u32)>>>;

/// The waker armed for a query's completion: when the executor fires the timer, the query takes
/// effect (in timer order), its result is stored, and the request's own waker is woken.
pub(crate) struct ApplyOnWake {
    pub seats: SharedSeats,
    pub query: Mutex<Option<Query>>,
    pub result: QueryResult,
    pub task: Waker,
}

impl Wake for ApplyOnWake {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let query = self
            .query
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(query) = query {
            let value = self
                .seats
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .apply(query);
            *self.result.lock().unwrap_or_else(PoisonError::into_inner) = Some(value);
        }
        self.task.wake_by_ref();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(kind: SeatOpKind, student: u32, at: u64, value: u32) -> Query {
        Query {
            kind,
            student,
            worker: student % 2,
            start: SimTime::ZERO,
            at: SimTime::from_micros(at),
            update: Update::Set(value),
        }
    }

    #[test]
    fn two_reads_before_two_writes_lose_one() {
        let mut seats = Seats::new(1, 2);
        assert_eq!(seats.apply(q(SeatOpKind::Read, 0, 1, 0)), (1, 0));
        assert_eq!(seats.apply(q(SeatOpKind::Read, 1, 2, 0)), (1, 0));
        seats.apply(q(SeatOpKind::Write, 0, 3, 0));
        seats.apply(q(SeatOpKind::Write, 1, 4, 0));
        let record = seats.record();
        assert_eq!(
            record.lost_updates(),
            [LostUpdate {
                write: 3,
                overwritten: vec![2]
            }]
        );
        assert_eq!((record.final_value(), record.registered()), (0, 2));
        assert_eq!(record.value_at(SimTime::from_micros(2)), 1);
        assert_eq!(record.value_at(SimTime::from_micros(3)), 0);
    }

    #[test]
    fn a_write_of_the_same_value_still_counts_as_overwritten() {
        // A reads 2, B reads 2, A writes 1, C reads 1, B writes 1 (over A's), C writes 0.
        let mut seats = Seats::new(2, 3);
        seats.apply(q(SeatOpKind::Read, 0, 1, 0));
        seats.apply(q(SeatOpKind::Read, 1, 2, 0));
        seats.apply(q(SeatOpKind::Write, 0, 3, 1));
        seats.apply(q(SeatOpKind::Read, 2, 4, 0));
        seats.apply(q(SeatOpKind::Write, 1, 5, 1));
        seats.apply(q(SeatOpKind::Write, 2, 6, 0));
        let lost: Vec<u32> = seats
            .record()
            .lost_updates()
            .iter()
            .map(|l| l.write)
            .collect();
        // B overwrote A; C overwrote B, though the value it replaced equals the one it read.
        assert_eq!(lost, [4, 5]);
    }
}
