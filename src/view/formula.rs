//! The closed form beside the simulated number, where one exists: for students arriving all at
//! once with fixed I/O times, the last one's wait follows from the setup alone. The page shows
//! both; the tests check that they agree, which is how the simulation earns trust.

use crate::sim::scenario::{Arrival, IoDist, Mode, Overflow, Scenario};
use crate::view::format;

/// A closed form for the longest wait: how it is computed, and its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Formula {
    /// For example `100 students × 2 s = 200 s`.
    pub text: String,
    /// The value in seconds.
    pub value_s: f64,
}

/// The longest wait in closed form, when the setup has one: fixed I/O times, no connection
/// limit, and either a burst of students with every call blocking the worker (blocking mode, or
/// async with no `await`), every call awaited with no CPU work (async), or threads without CPU
/// work (threadpool); or students one every `1 / rate` s to one worker that either blocks on
/// each (the queue grows, so the last waits for all before it) or awaits every call and keeps
/// up with its CPU work (each waits its own times).
pub fn last_wait(s: &Scenario) -> Option<Formula> {
    if s.overflow != Overflow::Queue
        || s.io_dist != IoDist::Fixed
        || s.db_pool.is_some()
        || !s.extra_arrivals.is_empty()
        || s.framework_ms != 0.0
    {
        return None;
    }
    let n = u64::from(s.students);
    let per_ms = s.validate_ms + s.db_ms + s.email_ms;
    // Each time that adds up to a request's, so a figure that differs from the article's 2 s
    // says why: `(0.005 s + 0.05 s + 2 s)`.
    let parts: Vec<String> = [s.validate_ms, s.db_ms, s.email_ms]
        .into_iter()
        .filter(|ms| *ms > 0.0)
        .map(|ms| format::secs(ms / 1000.0))
        .collect();
    let per = match parts.len() {
        0 | 1 => format::secs(per_ms / 1000.0),
        _ => format!("({})", parts.join(" + ")),
    };
    let blocks =
        s.mode == Mode::Blocking || (s.mode == Mode::Async && !s.await_db && !s.await_email);
    if s.arrival == Arrival::Uniform {
        return spread(s, n, per_ms, &per, blocks);
    }
    if s.arrival != Arrival::Burst {
        return None;
    }
    let rounds_text = |n: u64, slots: u64, slots_text: String| {
        if slots == 1 {
            format!("{n} students")
        } else {
            format!("⌈{n} / {slots_text}⌉ rounds")
        }
    };
    let (rounds, what) = match s.mode {
        _ if blocks => {
            let w = u64::from(s.workers);
            (n.div_ceil(w), rounds_text(n, w, format!("{w} workers")))
        }
        Mode::Async if s.await_db && s.await_email && s.validate_ms == 0.0 => {
            let slots = u64::from(s.workers) * u64::from(s.concurrency);
            let text = format!("({} × {})", s.workers, s.concurrency);
            (n.div_ceil(slots), rounds_text(n, slots, text))
        }
        Mode::Threadpool if s.validate_ms == 0.0 => {
            let slots = u64::from(s.workers) * u64::from(s.threads);
            let text = format!("({} × {} threads)", s.workers, s.threads);
            (n.div_ceil(slots), rounds_text(n, slots, text))
        }
        _ => return None,
    };
    let value_s = rounds as f64 * per_ms / 1000.0;
    Some(Formula {
        text: format!("{what} × {per} = {}", format::secs(value_s)),
        value_s,
    })
}

/// The closed form for students arriving one every `1 / rate` s at one worker.
fn spread(s: &Scenario, n: u64, per_ms: f64, per: &str, blocks: bool) -> Option<Formula> {
    let gap_ms = 1000.0 / s.rate;
    // Whole microseconds, as the clock keeps them, or the closed form would round otherwise.
    let whole_us = |ms: f64| (ms * 1000.0).fract() == 0.0;
    if s.workers != 1 || !whole_us(gap_ms) || n < 2 {
        return None;
    }
    let last_arrival_s = (n - 1) as f64 * gap_ms / 1000.0;
    if blocks && per_ms >= gap_ms {
        // Each arrives before the one ahead is done: the worker never rests, and the last one
        // waits for the whole run less the time it arrived after the first.
        let value_s = (n as f64 * per_ms / 1000.0 - last_arrival_s).max(0.0);
        return Some(Formula {
            text: format!(
                "{n} students × {per} − {} (the last arrives that long after the first) = {}",
                format::secs(last_arrival_s),
                format::secs(value_s)
            ),
            value_s,
        });
    }
    let in_flight = (per_ms / gap_ms).ceil();
    if s.mode == Mode::Async
        && s.await_db
        && s.await_email
        && s.validate_ms <= gap_ms
        && in_flight <= f64::from(s.concurrency)
    {
        // The worker validates each student before the next arrives and its I/O overlaps the
        // others': nobody waits for anybody.
        let value_s = per_ms / 1000.0;
        let total = format::secs(value_s);
        let text = if per == total {
            format!("every student waits its own {total}")
        } else {
            format!("every student waits its own {per} = {total}")
        };
        return Some(Formula { text, value_s });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::simulate;

    #[track_caller]
    fn check(keys: &str, want_text: Option<&str>) {
        let pairs: Vec<&str> = keys.split_whitespace().collect();
        let s = Scenario::parse_args(&pairs).unwrap();
        let f = last_wait(&s);
        assert_eq!(f.as_ref().map(|f| f.text.as_str()), want_text, "{keys}");
        if let Some(f) = f {
            // The closed form and the simulation agree, to the microsecond.
            let simulated = simulate(&s).unwrap().metrics.latency.max.as_secs_f64();
            assert!(
                (simulated - f.value_s).abs() < 1e-6,
                "{keys}: simulated {simulated}, formula {}",
                f.value_s
            );
        }
    }

    #[test]
    fn the_article_numbers_have_closed_forms_that_match_the_simulation() {
        check("", Some("100 students × 2 s = 200 s (3 min 20 s)"));
        check("mode=async", Some("⌈100 / (1 × 250)⌉ rounds × 2 s = 2 s"));
        check(
            "mode=async workers=4 students=1000",
            Some("⌈1000 / (4 × 250)⌉ rounds × 2 s = 2 s"),
        );
        check(
            "mode=async workers=4 students=1001",
            Some("⌈1001 / (4 × 250)⌉ rounds × 2 s = 4 s"),
        );
        check(
            "mode=async await_db=false await_email=false",
            Some("100 students × 2 s = 200 s (3 min 20 s)"),
        );
        check(
            "mode=threadpool",
            Some("⌈100 / (1 × 40 threads)⌉ rounds × 2 s = 6 s"),
        );
        check(
            "workers=4 students=10 db_ms=500",
            Some("⌈10 / 4 workers⌉ rounds × (0.5 s + 2 s) = 7.5 s"),
        );
    }

    #[test]
    fn the_async_scene_and_its_blocking_switch_say_why_their_figures_are_not_the_articles() {
        let scene = "mode=async validate_ms=5 db_ms=50 arrival=uniform rate=100";
        check(
            scene,
            Some("every student waits its own (0.005 s + 0.05 s + 2 s) = 2.055 s"),
        );
        check(
            &format!("{scene} await_db=false await_email=false"),
            Some(
                "100 students × (0.005 s + 0.05 s + 2 s) − 0.99 s (the last arrives that long \
                 after the first) = 204.5 s (3 min 25 s)",
            ),
        );
        check(
            "mode=async arrival=uniform rate=100",
            Some("every student waits its own 2 s"),
        );
        check(
            "students=10 arrival=uniform rate=1",
            Some("10 students × 2 s − 9 s (the last arrives that long after the first) = 11 s"),
        );
    }

    #[test]
    fn no_closed_form_where_the_simple_one_would_be_wrong() {
        check("arrival=poisson", None);
        check("io_dist=exp", None);
        check("mode=async validate_ms=10", None);
        check("mode=async await_email=false", None);
        check("db_pool=1", None);
        // The worker rests between arrivals, or the loop falls behind, or several workers share
        // the arrivals: no one line holds.
        check("arrival=uniform rate=0.4", None);
        check("mode=async validate_ms=20 arrival=uniform rate=100", None);
        check("workers=2 arrival=uniform rate=100", None);
        check("framework_ms=1", None);
    }
}
