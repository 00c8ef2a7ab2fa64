//! The race scene's words and numbers at a moment, read from the trace's `seats_left` record: the
//! readout, each query's label, the lost-update call-out and the verdict at the end. No drawing,
//! and no number that the trace does not hold.

use crate::sim::scenario::{Arrival, Fix, IoDist, Scenario};
use crate::sim::seats::{SeatOp, SeatOpKind, SeatsTrace};
use crate::sim::time::SimTime;
use crate::sim::trace::Trace;
use crate::view::format::student_name;
use crate::view::race_drawing::RaceDrawing;
use crate::view::race_fix::{panel, Panel};

/// Everything the race scene shows at a moment.
#[derive(Clone, Debug, PartialEq)]
pub struct RaceAt {
    pub drawing: RaceDrawing,
    pub readout: Readout,
    /// The lost updates the clock has passed, in words.
    pub callouts: Vec<String>,
    pub verdict: Option<String>,
    /// How to read the drawing, until there is something to call out.
    pub hint: Option<&'static str>,
    /// Part 3's question (`fix_note`), asked only of the race with no fix applied.
    pub fix: Option<Vec<(&'static str, bool)>>,
    /// The "Fix it" panel.
    pub panel: Option<Panel>,
}

impl RaceAt {
    /// The race scene for `trace` at `t`, `width` pixels wide; `None` when the handler shares no
    /// `seats_left`.
    pub fn of(trace: &Trace, width: f64, t: SimTime) -> Option<RaceAt> {
        let seats = trace.seats.as_ref()?;
        let drawing = RaceDrawing::at(trace, seats, width, t);
        let t = t.min(trace.end);
        let (callouts, verdict) = (callouts(trace, t), verdict(trace, t));
        Some(RaceAt {
            drawing,
            readout: readout(seats, t),
            hint: (callouts.is_empty() && verdict.is_none()).then_some(
                "Each query takes effect when it completes: a read takes the value the cell holds \
                 then, a write sets it, whatever happened since its own read.",
            ),
            callouts,
            verdict,
            fix: fix_note(trace, t).filter(|_| trace.scenario.fix == Fix::None),
            panel: panel(trace, t),
        })
    }
}

/// The readout at one moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Readout {
    /// `seats_left` at the start.
    pub initial: u32,
    /// `seats_left` now.
    pub seats_left: u32,
    /// Students whose write has taken effect.
    pub registered: u32,
    /// Lost updates so far (stale writes that have taken effect).
    pub lost: u32,
}

/// The readout at `t`.
pub fn readout(seats: &SeatsTrace, t: SimTime) -> Readout {
    Readout {
        initial: seats.initial,
        seats_left: seats.value_at(t),
        registered: seats.registered_at(t),
        lost: seats
            .lost_updates()
            .iter()
            .filter(|l| seats.ops[l.write as usize].at <= t)
            .count() as u32,
    }
}

/// A query's label beside its arrow: `read 2`, `wrote 1`, `changed nothing` (a conditional
/// write whose condition failed).
pub fn op_label(op: &SeatOp) -> String {
    match op.kind {
        SeatOpKind::Read => format!("read {}", op.value),
        SeatOpKind::Write if op.changed => format!("wrote {}", op.value),
        SeatOpKind::Write => "changed nothing".to_string(),
    }
}

fn name(trace: &Trace, student: u32) -> String {
    format!(
        "Student {}",
        student_name(student, trace.students.len() as u32)
    )
}

/// One sentence per lost update that has taken effect by `t`, in order: who overwrote whom, and
/// what it means.
pub fn callouts(trace: &Trace, t: SimTime) -> Vec<String> {
    let Some(seats) = &trace.seats else {
        return Vec::new();
    };
    seats
        .lost_updates()
        .iter()
        .filter_map(|lost| {
            let write = &seats.ops[lost.write as usize];
            let over = &seats.ops[*lost.overwritten.last()? as usize];
            (write.at <= t).then(|| {
                let (writer, other) = (name(trace, write.student), name(trace, over.student));
                let head = format!("{writer} wrote {} over {other}'s {}", write.value, over.value);
                if write.value == 0 && over.value == 0 {
                    format!("{head}: two students got the last seat.")
                } else {
                    format!(
                        "{head}: it had read {} before {other}'s write, so {other}'s update is lost.",
                        write.value + 1
                    )
                }
            })
        })
        .collect()
}

fn students(n: u32) -> String {
    if n == 1 {
        "1 student".to_string()
    } else {
        format!("{n} students")
    }
}

fn seats_word(n: u32) -> String {
    if n == 1 {
        "1 seat".to_string()
    } else {
        format!("{n} seats")
    }
}

/// The verdict once the clock reaches the end of the run: the registrations against the seats and
/// the final value, or that this seed lost nothing.
pub fn verdict(trace: &Trace, t: SimTime) -> Option<String> {
    let seats = trace.seats.as_ref()?;
    if t < trace.end || !trace.complete {
        return None;
    }
    let registered = seats.registered();
    let left = seats.final_value();
    // With a fix, no seed can lose one; without, another seed might.
    let seed = if trace.scenario.fix == crate::sim::scenario::Fix::None {
        " with this seed"
    } else {
        ""
    };
    Some(if seats.lost_updates().is_empty() {
        format!(
            "No update was lost{seed}: each request read what the previous write left. \
             {} registered for {}; seats_left says {left}.",
            students(registered),
            seats_word(seats.initial)
        )
    } else {
        format!(
            "{} registered for {}, yet seats_left says {left}: the count no longer matches the \
             registrations.",
            students(registered),
            seats_word(seats.initial)
        )
    })
}

/// The question the series asks next, once a lost update has happened on screen (never
/// before: the reader sees the race first): what would have prevented it. Pieces of text, each
/// `true` when it is code.
pub fn fix_note(trace: &Trace, t: SimTime) -> Option<Vec<(&'static str, bool)>> {
    let seats = trace.seats.as_ref()?;
    let first = seats.lost_updates().first()?.write;
    if t < seats.ops[first as usize].at {
        return None;
    }
    Some(vec![
        (
            "This is where part 3 starts: a race condition, because read, decide and write are \
             three steps that another request can slip between. The fix makes them one: lock the \
             row in a transaction (",
            false,
        ),
        ("SELECT … FOR UPDATE", true),
        (
            "), or let the database check and decrement at once with ",
            false,
        ),
        (
            "UPDATE courses SET seats_left = seats_left - 1 WHERE seats_left > 0",
            true,
        ),
        (".", false),
    ])
}

/// The scenario as command-line pairs (`students=2 seed=7`), so a test can run the same one
/// through the CLI.
pub fn cli_pairs(s: &Scenario) -> String {
    let pairs: Vec<String> = s
        .to_pairs()
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    pairs.join(" ")
}

/// The seed beside "Try another interleaving", and a hint when no seed can change anything.
pub fn seed_note(s: &Scenario) -> String {
    if s.io_dist == IoDist::Exp || s.arrival == Arrival::Poisson {
        format!("seed {}", s.seed)
    } else {
        format!(
            "seed {}: with fixed I/O times and regular arrivals every seed interleaves the same \
             way; set I/O times to exp.",
            s.seed
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::simulate;
    use crate::view::scenes::SceneId;

    #[test]
    fn the_scene_calls_out_its_lost_update_only_once_the_clock_passes_it() {
        let trace = simulate(&SceneId::Race.defaults()).unwrap();
        let seats = trace.seats.as_ref().unwrap();
        let lost = &seats.lost_updates()[0];
        let at = seats.ops[lost.write as usize].at;
        // The fix is named only once the lost update is on screen.
        assert_eq!(fix_note(&trace, SimTime::ZERO), None);
        assert!(fix_note(&trace, at)
            .is_some_and(|p| p.iter().any(|(t, code)| *code && t.contains("FOR UPDATE"))));
        assert!(callouts(&trace, at - SimTime::from_micros(1)).is_empty());
        assert_eq!(
            callouts(&trace, at),
            ["Student C wrote 0 over Student B's 0: two students got the last seat."]
        );
        assert_eq!(verdict(&trace, at - SimTime::from_micros(1)), None);
        assert_eq!(
            verdict(&trace, trace.end).unwrap(),
            "3 students registered for 2 seats, yet seats_left says 0: the count no longer \
             matches the registrations."
        );
        let end = readout(seats, trace.end);
        assert_eq!(
            end,
            Readout {
                initial: 2,
                seats_left: 0,
                registered: 3,
                lost: 1
            }
        );
        assert_eq!(readout(seats, SimTime::ZERO).seats_left, 2);
        assert_eq!(seed_note(&trace.scenario), "seed 6");
        let fixed = crate::sim::Scenario {
            io_dist: IoDist::Fixed,
            ..SceneId::Race.defaults()
        };
        assert!(seed_note(&fixed).ends_with("set I/O times to exp."));
    }

    #[test]
    fn a_safe_seed_says_so() {
        let scenario = crate::sim::Scenario {
            seed: 1,
            ..SceneId::Race.defaults()
        };
        let trace = simulate(&scenario).unwrap();
        assert!(callouts(&trace, trace.end).is_empty());
        assert!(verdict(&trace, trace.end)
            .unwrap()
            .starts_with("No update was lost with this seed"));
    }

    #[test]
    fn the_scene_at_a_moment_hints_until_there_is_something_to_call_out() {
        let trace = simulate(&SceneId::Race.defaults()).unwrap();
        let start = RaceAt::of(&trace, 900.0, SimTime::ZERO).unwrap();
        assert!(start.hint.is_some() && start.fix.is_none());
        let end = RaceAt::of(&trace, 900.0, trace.end + SimTime::from_secs(1)).unwrap();
        assert!(end.hint.is_none() && end.verdict.is_some() && end.fix.is_some());
        assert_eq!(
            end.readout,
            readout(trace.seats.as_ref().unwrap(), trace.end)
        );
        // A fix applied asks no more what would have prevented the race.
        let fixed = crate::sim::Scenario {
            fix: Fix::RowLock,
            ..SceneId::Race.defaults()
        };
        let fixed = simulate(&fixed).unwrap();
        assert!(RaceAt::of(&fixed, 900.0, fixed.end).unwrap().fix.is_none());
        // The article's handler shares no seats: no race to draw.
        let article = simulate(&SceneId::Blocking.defaults()).unwrap();
        assert!(RaceAt::of(&article, 900.0, SimTime::ZERO).is_none());
        let pairs = cli_pairs(&SceneId::Race.defaults());
        assert!(pairs.contains("seed=6") && pairs.contains(' '), "{pairs}");
    }
}
