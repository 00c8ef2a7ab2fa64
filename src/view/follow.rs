//! Following one student: their story in words at a moment ("#42: queued 82 s, email 2 s, done
//! at 84 s"), from their own spans. The pictures highlight the followed student's row; the
//! timeline draws it even beyond its first rows.

use crate::sim::handler::Step;
use crate::sim::time::SimTime;
use crate::sim::trace::{State, Trace};
use crate::view::format::{self, student_name};

/// What a stretch of a student's life counts as in their story.
fn part(state: State, step: Option<Step>) -> &'static str {
    match (state, step) {
        (State::Queued, _) => "queued",
        (State::Running, Some(Step::Framework)) => "framework",
        (State::Running, _) => "on the CPU",
        (State::WaitingConnection, _) => "waiting for a connection",
        (State::WaitingThread, _) => "waiting for a thread",
        (State::WaitingLock, _) => "waiting for the lock",
        (State::WaitingRowLock, _) => "waiting for the row lock",
        (State::AwaitingIo | State::Blocked, Some(Step::Sleep)) => "sleeping",
        (State::Ready, _) => "waiting for its turn",
        (State::ThreadWait, _) => "waiting for the interpreter lock",
        (State::AwaitingIo | State::Blocked, Some(step)) if step.is_database() => "database",
        (State::AwaitingIo | State::Blocked, _) => "email",
    }
}

/// `student`'s story up to `t`: how long each part of its life took so far, in the order they
/// first happened, then where it is or when it was done.
pub fn story(trace: &Trace, student: u32, t: SimTime) -> Option<String> {
    let s = trace.students.get(student as usize)?;
    let name = student_name(student, trace.students.len() as u32);
    let secs = |d: SimTime| format::secs(d.as_secs_f64());
    if t < s.arrival {
        return Some(format!("{name}: arrives at {}.", secs(s.arrival)));
    }
    if s.rejected {
        return Some(format!(
            "{name}: arrived at {} to find every worker full, and got a 503 at once.",
            secs(s.arrival)
        ));
    }
    let mut parts: Vec<(&'static str, SimTime)> = Vec::new();
    for sp in trace.spans_of(student).iter().take_while(|sp| sp.start < t) {
        let d = sp.end.min(t) - sp.start;
        let what = part(sp.state, sp.step);
        match parts.iter_mut().find(|(p, _)| *p == what) {
            Some((_, total)) => *total = *total + d,
            None => parts.push((what, d)),
        }
    }
    let parts: Vec<String> = parts
        .into_iter()
        .map(|(what, d)| format!("{what} {}", secs(d)))
        .collect();
    let so_far = if parts.is_empty() {
        String::new()
    } else {
        format!(" {};", parts.join(", "))
    };
    let answered = s.responded.filter(|r| *r <= t && s.finish != Some(*r));
    let end = match (s.finish, answered) {
        (Some(f), Some(r)) if f <= t => format!(
            " answered at {}, {} after arriving; its background work done at {}.",
            secs(r),
            secs(r - s.arrival),
            secs(f)
        ),
        (_, Some(r)) => format!(
            " answered at {}, {} after arriving; its background work goes on.",
            secs(r),
            secs(r - s.arrival)
        ),
        (Some(f), None) if f <= t => format!(
            " done at {}, {} after arriving.",
            secs(f),
            secs(f - s.arrival)
        ),
        _ => format!(" still waiting, {} so far.", secs(t - s.arrival)),
    };
    Some(format!(
        "{name}: arrived at {};{so_far}{end}",
        secs(s.arrival)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{simulate, Scenario};

    #[track_caller]
    fn check(student: u32, secs: f64, expect: &str) {
        let trace = simulate(&Scenario::default()).unwrap();
        let t = SimTime::from_secs_f64(secs);
        assert_eq!(story(&trace, student, t).as_deref(), Some(expect));
    }

    #[test]
    fn a_students_story_in_words() {
        check(
            41,
            84.0,
            "#42: arrived at 0 s; queued 82 s, email 2 s; done at 84 s, 84 s after arriving.",
        );
        check(
            41,
            50.0,
            "#42: arrived at 0 s; queued 50 s; still waiting, 50 s so far.",
        );
        check(0, 0.0, "#1: arrived at 0 s; still waiting, 0 s so far.");
    }
}
