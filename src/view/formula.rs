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

/// The longest wait in closed form, when the setup has one: a burst of students, fixed I/O
/// times, no connection limit, and either every call blocking the worker (blocking mode, or
/// async with no `await`), every call awaited with no CPU work (async), or threads without CPU
/// work (threadpool).
pub fn last_wait(s: &Scenario) -> Option<Formula> {
    if s.arrival != Arrival::Burst
        || s.overflow != Overflow::Queue
        || s.io_dist != IoDist::Fixed
        || s.db_pool.is_some()
        || !s.extra_arrivals.is_empty()
    {
        return None;
    }
    let n = u64::from(s.students);
    let per_ms = s.validate_ms + s.db_ms + s.email_ms;
    let per = format::secs(per_ms / 1000.0);
    let rounds_text = |n: u64, slots: u64, slots_text: String| {
        if slots == 1 {
            format!("{n} students")
        } else {
            format!("⌈{n} / {slots_text}⌉ rounds")
        }
    };
    let (rounds, what) = match s.mode {
        Mode::Blocking => {
            let w = u64::from(s.workers);
            (n.div_ceil(w), rounds_text(n, w, format!("{w} workers")))
        }
        Mode::Async if !s.await_db && !s.await_email => {
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
            Some("⌈10 / 4 workers⌉ rounds × 2.5 s = 7.5 s"),
        );
    }

    #[test]
    fn no_closed_form_where_the_simple_one_would_be_wrong() {
        check("arrival=poisson", None);
        check("io_dist=exp", None);
        check("mode=async validate_ms=10", None);
        check("mode=async await_email=false", None);
        check("db_pool=1", None);
    }
}
