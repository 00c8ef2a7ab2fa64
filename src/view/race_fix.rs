//! The race scene's "Fix it": once the reader has seen an update lost (never before), the fixes
//! to run on the same students with the same seed, on one worker or four, and what the chosen
//! one did: who got a seat, whether an update was lost, what it cost, and why it holds or not.

use crate::sim::scenario::{Fix, HandlerKind};
use crate::sim::time::SimTime;
use crate::sim::trace::{State, Trace};
use crate::view::format::{secs, student_name};

/// One fix to choose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// Its value of the `fix` key.
    pub slug: &'static str,
    pub label: &'static str,
    /// Whether this run is that fix's.
    pub pressed: bool,
}

/// What "Fix it" shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Panel {
    pub choices: Vec<Choice>,
    /// The worker counts to run it on, and whether this run has that many.
    pub workers: Vec<(u32, bool)>,
    /// Who got a seat, and whether an update was lost, by the end of the run.
    pub outcome: String,
    /// Why the fix holds, or fails (`None` without a fix).
    pub why: Option<&'static str>,
    /// What it cost: the p95 wait, and the waits and retries it made.
    pub cost: String,
}

const FIXES: [(Fix, &str); 5] = [
    (Fix::None, "No fix"),
    (Fix::Lock, "A lock in the app"),
    (Fix::Atomic, "An atomic update"),
    (Fix::RowLock, "A row lock"),
    (Fix::Optimistic, "Optimistic retries"),
];

/// The panel at `t`, for the race handler's runs: with a fix chosen, always; without, once the
/// first lost update has taken effect.
pub fn panel(trace: &Trace, t: SimTime) -> Option<Panel> {
    let s = &trace.scenario;
    let seats = trace.seats.as_ref()?;
    if s.handler != HandlerKind::Race || s.code.is_some() {
        return None;
    }
    let lost = seats.lost_updates();
    let seen = lost
        .first()
        .is_some_and(|l| seats.ops[l.write as usize].at <= t);
    if s.fix == Fix::None && !seen {
        return None;
    }
    let n = trace.students.len() as u32;
    let name = |id: u32| student_name(id, n);
    let mut got: Vec<u32> = seats.writes().map(|w| w.student).collect();
    got.dedup();
    let none: Vec<u32> = (0..n).filter(|id| !got.contains(id)).collect();
    let list = |ids: &[u32]| join(&ids.iter().map(|&i| name(i)).collect::<Vec<_>>());
    let mut outcome = if got.len() as u32 > seats.initial {
        format!(
            "{} were all told they got a seat, for {} seats",
            list(&got),
            seats.initial
        )
    } else {
        format!("{} got a seat", list(&got))
    };
    if !none.is_empty() {
        outcome.push_str(&format!("; {} found none", list(&none)));
    }
    outcome.push_str(&match lost.len() {
        0 => ". No update was lost.".to_string(),
        1 => ": an update was lost.".to_string(),
        k => format!(": {k} updates were lost."),
    });
    Some(Panel {
        choices: FIXES
            .iter()
            .map(|&(fix, label)| Choice {
                slug: fix.as_str(),
                label,
                pressed: fix == s.fix,
            })
            .collect(),
        workers: [1, 4].map(|w| (w, s.workers == w)).to_vec(),
        outcome,
        why: why(s.fix, s.workers),
        cost: cost(trace, seats.retries()),
    })
}

fn why(fix: Fix, workers: u32) -> Option<&'static str> {
    Some(match fix {
        Fix::None => return None,
        Fix::Lock if workers > 1 => {
            "Each worker process has its own asyncio.Lock: requests on different workers never \
             wait for each other, so they can still read the same seats_left."
        }
        Fix::Lock => {
            "One worker, one lock: a request reads, decides and writes before the next one reads."
        }
        Fix::Atomic => {
            "The database checks for a seat and takes it in one step: no other request can slip \
             in between."
        }
        Fix::RowLock => {
            "FOR UPDATE locks the row until the transaction ends: the others wait for it, \
             whichever worker they run on."
        }
        Fix::Optimistic => {
            "Each write checks the version it read: one that finds it changed writes nothing and \
             reads again."
        }
    })
}

fn cost(trace: &Trace, retries: u32) -> String {
    let waited = |state: State| {
        trace
            .students
            .iter()
            .filter(|s| trace.spans_of(s.id).iter().any(|sp| sp.state == state))
            .count()
    };
    let mut parts = vec![format!(
        "95 % of the requests were answered within {}",
        secs(trace.metrics.latency.p95.as_secs_f64())
    )];
    for (count, what) in [
        (waited(State::WaitingLock), "waited for the app's lock"),
        (waited(State::WaitingRowLock), "waited for the row lock"),
        (retries as usize, "retried"),
    ] {
        if count > 0 {
            let who = if count == 1 { "1 request" } else { "requests" };
            parts.push(if count == 1 {
                format!("{who} {what}")
            } else {
                format!("{count} {who} {what}")
            });
        }
    }
    format!("{}.", parts.join("; "))
}

/// `A`, `A and B`, `A, B and C`.
fn join(names: &[String]) -> String {
    match names {
        [] => "nobody".to_string(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{simulate, Scenario};
    use crate::view::scenes::SceneId;

    fn run(fix: Fix, workers: u32) -> Trace {
        simulate(&Scenario {
            fix,
            workers,
            ..SceneId::Race.defaults()
        })
        .unwrap()
    }

    #[test]
    fn the_fixes_are_offered_only_once_the_update_is_lost() {
        let trace = run(Fix::None, 2);
        let seats = trace.seats.as_ref().unwrap();
        let at = seats.ops[seats.lost_updates()[0].write as usize].at;
        assert_eq!(panel(&trace, at - SimTime::from_micros(1)), None);
        let p = panel(&trace, at).unwrap();
        assert_eq!(p.choices.iter().filter(|c| c.pressed).count(), 1);
        assert!(p.choices[0].pressed);
        assert_eq!(p.workers, [(1, false), (4, false)]);
        assert_eq!(
            p.outcome,
            "A, B and C were all told they got a seat, for 2 seats: an update was lost."
        );
        assert_eq!(p.why, None);
    }

    #[test]
    fn each_fix_says_what_it_did_and_why() {
        // The scene's three students for two seats, seed 6 (figures from the CLI, same keys).
        let lock1 = panel(&run(Fix::Lock, 1), SimTime::ZERO).unwrap();
        assert_eq!(
            lock1.outcome,
            "A and B got a seat; C found none. No update was lost."
        );
        assert!(lock1.why.unwrap().starts_with("One worker, one lock"));
        let lock4 = panel(&run(Fix::Lock, 4), SimTime::ZERO).unwrap();
        assert!(lock4.outcome.ends_with("an update was lost."));
        assert!(lock4
            .why
            .unwrap()
            .starts_with("Each worker process has its own"));
        let row = panel(&run(Fix::RowLock, 4), SimTime::ZERO).unwrap();
        assert!(
            row.outcome.ends_with("No update was lost."),
            "{}",
            row.outcome
        );
        assert!(
            row.cost.ends_with("; 1 request waited for the row lock."),
            "{}",
            row.cost
        );
        let optimistic = panel(&run(Fix::Optimistic, 4), SimTime::ZERO).unwrap();
        assert!(
            optimistic.cost.ends_with("; 1 request retried."),
            "{}",
            optimistic.cost
        );
        let atomic = panel(&run(Fix::Atomic, 4), SimTime::ZERO).unwrap();
        assert!(atomic.outcome.ends_with("No update was lost."));
        assert!(atomic
            .cost
            .starts_with("95 % of the requests were answered within"));
    }
}
