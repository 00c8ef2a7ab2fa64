//! The words above a scene's picture: the lede, computed from the setup (a blocking scene set to
//! async says what async does), and one sentence of what to watch now, computed from the run at
//! `t` ("the worker waits for #36's email; 64 students wait behind it").

use crate::sim::handler::Step;
use crate::sim::scenario::{Arrival, IoDist, Mode, Scenario};
use crate::sim::time::SimTime;
use crate::sim::trace::{State, Trace};
use crate::view::format::{self, plural, student_name};
use crate::view::handler_code::Variant;
use crate::view::phase::WorkerActivity;
use crate::view::scenes::SceneId;
use crate::view::series::Series;

/// The lede of `scene` for `scenario`: the timeline scenes say what the setup's handler does;
/// the others keep the scene's own sentence.
pub fn lede(scene: SceneId, scenario: &Scenario) -> &'static str {
    if !matches!(scene, SceneId::Blocking | SceneId::Async | SceneId::Compare) {
        return scene.lede();
    }
    if scene == SceneId::Compare {
        return match scenario.mode {
            Mode::Threadpool => "A thread pool and async on the same arrivals and the same clock.",
            _ => scene.lede(),
        };
    }
    match (scenario.mode, Variant::of(scenario)) {
        (Mode::Blocking, _) => SceneId::Blocking.lede(),
        (Mode::Async, Some(Variant::Awaited)) => SceneId::Async.lede(),
        (Mode::Async, _) => {
            "The handler is async def, but a synchronous call holds the event loop: while it \
             waits, the worker can run nothing else."
        }
        (Mode::Threadpool, _) => {
            "A plain def handler runs on a pool of threads: a blocking call holds only its \
             thread, and Python code still runs one thread at a time."
        }
    }
}

/// The run's students in words, for the setup form, when its fields alone do not say who runs:
/// a run with students at set times (`extra_arrivals`: the inside scene's six, or a student the
/// reader registered), where "Students" counts only those the arrival pattern places. Names
/// and times come from the trace; a list longer than eight is only counted.
pub fn students_in_words(trace: &Trace) -> Option<String> {
    let s = &trace.scenario;
    if s.extra_arrivals.is_empty() {
        return None;
    }
    let total = trace.students.len() as u32;
    let listed = |ids: std::ops::Range<u32>| {
        let list: Vec<String> = ids
            .clone()
            .filter_map(|id| trace.students.get(id as usize))
            .map(|st| {
                // A time never breaks from its unit.
                let at = crate::sim::text::replace(
                    &format::secs(st.arrival.as_secs_f64()),
                    " ",
                    "\u{a0}",
                );
                format!("{} at {at}", student_name(st.id, total))
            })
            .collect();
        if list.is_empty() || list.len() > 8 {
            String::new()
        } else {
            format!(" ({})", list.join(", "))
        }
    };
    let placed = s.students;
    let extra = total - placed;
    Some(format!(
        "This run has {}: {} by \"Students\" and \"Arrivals\"{}, and {} at set times{}.",
        plural(total.into(), "student", "students"),
        format::count(placed.into()),
        listed(0..placed),
        format::count(extra.into()),
        listed(placed..total),
    ))
}

/// What to watch at `t`, in one sentence: what the first worker is doing, and who waits.
pub fn watch(trace: &Trace, backlog: &Series, lanes: &[Series], t: SimTime) -> String {
    let t = t.min(trace.end);
    let students = trace.students.len() as u32;
    let queued = backlog.total_at(t);
    let waiting = match queued {
        0 => String::new(),
        n => format!(
            "; {} in the queue",
            plural(n.into(), "student waits", "students wait")
        ),
    };
    let in_flight = |w: u32| lanes.get(w as usize).map_or(0, |s| s.total_at(t));
    let name = |id: u32| student_name(id, students);
    let who = if trace.workers.len() > 1 {
        "Worker 1"
    } else {
        "The worker"
    };
    if t >= trace.end && trace.complete {
        let last = format::secs(trace.metrics.latency.max.as_secs_f64());
        // A request that ended in an error was answered, not registered.
        let failed = trace
            .students
            .iter()
            .filter(|s| s.finish.is_some() && s.status >= 400)
            .count() as u64;
        if failed > 0 {
            return format!(
                "All {} are answered, {} with an error; the last waited {last}.",
                plural(students.into(), "request", "requests"),
                format::count(failed)
            );
        }
        return format!(
            "All {} are registered; the last waited {last}.",
            plural(students.into(), "student", "students"),
        );
    }
    match WorkerActivity::with_in_flight(trace, 0, t, || in_flight(0)) {
        WorkerActivity::Blocked { student, step } => {
            let call = if step.is_database() {
                "database call"
            } else {
                "email"
            };
            format!(
                "{who} waits for {}'s {call} and can do nothing else{waiting}.",
                name(student)
            )
        }
        WorkerActivity::Running { student, .. } => {
            let others = in_flight(0).saturating_sub(1);
            let rest = |n: u32| {
                format!(
                    "{} it holds {} on I/O or for {} turn",
                    plural(n.into(), "other request", "other requests"),
                    if n == 1 { "waits" } else { "wait" },
                    if n == 1 { "its" } else { "their" }
                )
            };
            // The article's sentence first: one student waits for the email while another's
            // code runs.
            let meanwhile = match (others, awaiting_email(trace, 0, t)) {
                (0, _) => String::new(),
                (1, Some(a)) => format!(", while {} waits for its email", name(a)),
                (n, Some(a)) => format!(
                    ", while {} waits for its email and {}",
                    name(a),
                    rest(n - 1)
                ),
                (n, None) => format!(", while {}", rest(n)),
            };
            format!("{who} runs {}'s code{meanwhile}{waiting}.", name(student))
        }
        WorkerActivity::Free { in_flight: 0 } if queued == 0 => {
            format!("{who} is idle: nobody is waiting.")
        }
        WorkerActivity::Free { in_flight: n } => format!(
            "{who} is free: {} it holds {} on I/O, so it can take the next one{waiting}.",
            if n == 1 {
                "the one request".to_string()
            } else {
                format!("all {} requests", format::count(n.into()))
            },
            if n == 1 { "waits" } else { "wait" }
        ),
    }
}

/// How many students, in id order, the words look through for one waiting for its email: enough
/// for any run a scene opens with, and a bound on the work per frame of a million-student run.
const EMAIL_SCAN: usize = 512;

/// The first student (by id, among the first [`EMAIL_SCAN`]) of `worker` awaiting its email at
/// `t`.
pub fn awaiting_email(trace: &Trace, worker: u32, t: SimTime) -> Option<u32> {
    trace
        .students
        .iter()
        .take(EMAIL_SCAN)
        .filter(|s| s.worker == Some(worker))
        .map(|s| s.id)
        .find(|&id| {
            trace
                .span_at(id, t)
                .is_some_and(|sp| sp.state == State::AwaitingIo && sp.step == Some(Step::SendEmail))
        })
}

/// The first moment from `from` on that the first worker runs one student's code while another
/// waits for its email: the article's picture of async, where the async scene opens.
pub fn first_interleaving(trace: &Trace, from: SimTime) -> Option<SimTime> {
    let mut starts: Vec<SimTime> = trace
        .students
        .iter()
        .take(EMAIL_SCAN)
        .filter(|s| s.worker == Some(0))
        .flat_map(|s| trace.spans_of(s.id))
        .filter(|sp| sp.state == State::Running && sp.start >= from)
        .map(|sp| sp.start)
        .collect();
    crate::sim::order::times(&mut starts);
    starts
        .into_iter()
        .find(|&t| awaiting_email(trace, 0, t).is_some())
}

/// The scene's question before the reader plays, with the setup's numbers (`predict=1`): "100
/// students arrive at once, each email takes 2 s, one blocking worker: how long will the last
/// one wait?". `None` for a scene that asks nothing.
pub fn question(scene: SceneId, s: &Scenario) -> Option<String> {
    if !scene.predicts() {
        return None;
    }
    let arrive = match s.arrival {
        Arrival::Burst => "arrive at once".to_string(),
        Arrival::Uniform => format!("arrive one every {}", format::secs(1.0 / s.rate)),
        Arrival::Poisson => format!(
            "arrive at random, {} a second on average",
            format::plain(s.rate)
        ),
    };
    let workers = match (s.workers, s.mode) {
        (1, Mode::Blocking) => "one blocking worker".to_string(),
        (1, Mode::Async) => "one async worker".to_string(),
        (1, Mode::Threadpool) => format!("one worker with {} threads", s.threads),
        (n, Mode::Blocking) => format!("{n} blocking workers"),
        (n, Mode::Async) => format!("{n} async workers, {} requests each at most", s.concurrency),
        (n, Mode::Threadpool) => format!("{n} workers with {} threads each", s.threads),
    };
    Some(format!(
        "{} {arrive}, {}, {workers}: how long will the last one wait?",
        plural(s.total_students().into(), "student", "students"),
        each_request(s)
    ))
}

/// Every time that shapes the answer, in the order a request meets them: `each email takes 2 s`
/// when the email is all there is, else `each request takes 0.005 s of validation, a 0.05 s
/// database save and a 2 s email`.
fn each_request(s: &Scenario) -> String {
    let secs = |ms: f64| format::secs(ms / 1000.0);
    let average = if s.io_dist == IoDist::Exp {
        " on average"
    } else {
        ""
    };
    let mut parts = Vec::new();
    if s.framework_ms > 0.0 {
        parts.push(format!(
            "{} of the framework's own work",
            secs(s.framework_ms)
        ));
    }
    if s.validate_ms > 0.0 {
        parts.push(format!("{} of validation", secs(s.validate_ms)));
    }
    if s.db_ms > 0.0 {
        parts.push(format!("a {} database save{average}", secs(s.db_ms)));
    }
    if parts.is_empty() {
        return format!("each email takes {}{average}", secs(s.email_ms));
    }
    parts.push(format!("a {} email{average}", secs(s.email_ms)));
    let last = parts.pop().unwrap_or_default();
    format!("each request takes {} and {last}", parts.join(", "))
}

/// The mark of the reader's guess on a picture whose axis ends at `end`: an arrow says when it
/// lies beyond.
pub fn guess_label(guess: SimTime, end: SimTime) -> String {
    let later = if guess > end { " \u{2192}" } else { "" };
    format!("your guess: {}{later}", format::secs(guess.as_secs_f64()))
}

/// The guess beside the answer: before the end, a promise; at the end, both side by side.
pub fn reveal(guess: SimTime, trace: &Trace, t: SimTime) -> String {
    let guessed = format::secs(guess.as_secs_f64());
    if t < trace.end || !trace.complete {
        return format!("You guessed {guessed}. Play to the end to see.");
    }
    let last = trace.metrics.latency.max.as_secs_f64();
    format!(
        "You guessed {guessed}; the last student waited {}.",
        format::secs(last)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setup_form_names_the_students_that_run() {
        let inside = crate::sim::simulate(&SceneId::Inside.defaults()).unwrap();
        assert_eq!(
            students_in_words(&inside).unwrap(),
            "This run has 6 students: 1 by \"Students\" and \"Arrivals\" (A at 0 s), and 5 at \
             set times (B at 0.55 s, C at 0.3 s, D at 0.2 s, E at 0.75 s, F at 0.95 s)."
                .replace(" s,", "\u{a0}s,")
                .replace(" s)", "\u{a0}s)")
        );
        // The fields say it all when no student comes at a set time.
        let blocking = crate::sim::simulate(&Scenario::default()).unwrap();
        assert_eq!(students_in_words(&blocking), None);
    }
    use crate::sim::simulate;

    #[track_caller]
    fn check(scenario: Scenario, secs: f64, expect: &str) {
        let trace = simulate(&scenario).unwrap();
        let (backlog, lanes) = (Series::backlog(&trace), Series::per_worker(&trace));
        assert_eq!(
            watch(&trace, &backlog, &lanes, SimTime::from_secs_f64(secs)),
            expect
        );
    }

    #[test]
    fn what_to_watch_follows_the_run() {
        check(
            Scenario::default(),
            71.0,
            "The worker waits for #36's email and can do nothing else; 64 students wait in the \
             queue.",
        );
        check(
            Scenario::default(),
            200.0,
            "All 100 students are registered; the last waited 200 s (3 min 20 s).",
        );
        let failing = Scenario::parse_pairs(
            [("students", "4"), ("code", "async def f(student):\n    await send_email(student)\n    if student.name == 'Student 2':\n        raise HTTPException(409)")]
                .map(|(k, v)| (k.to_string(), v.to_string())),
        )
        .unwrap();
        check(
            failing,
            2.0,
            "All 4 requests are answered, 1 with an error; the last waited 2 s.",
        );
        let async_run = SceneId::Async.defaults();
        check(
            async_run.clone(),
            0.0102,
            "The worker runs #2's code, while 1 other request it holds waits on I/O or for its \
             turn.",
        );
        // The article's sentence: A waits for the email while the worker runs B's code.
        check(
            async_run.clone(),
            0.0602,
            "The worker runs #7's code, while #1 waits for its email and 5 other requests it \
             holds wait on I/O or for their turn.",
        );
        check(
            async_run,
            1.0,
            "The worker is free: all 100 requests it holds wait on I/O, so it can take the next \
             one.",
        );
    }

    #[test]
    fn the_question_uses_the_setup_and_the_answer_waits_for_the_end() {
        let blocking = SceneId::Blocking.defaults();
        assert_eq!(
            question(SceneId::Blocking, &blocking).unwrap(),
            "100 students arrive at once, each email takes 2 s, one blocking worker: how long \
             will the last one wait?"
        );
        assert_eq!(question(SceneId::Race, &blocking), None);
        // Every time that shapes the answer is in the question (the async scene's 2.55 s).
        assert_eq!(
            question(SceneId::Async, &SceneId::Async.defaults()).unwrap(),
            "100 students arrive one every 0.01 s, each request takes 0.005 s of validation, a 0.05 s \
             database save and a 2 s email, one async worker: how long will the last one wait?"
        );
        let trace = simulate(&blocking).unwrap();
        let guess = SimTime::from_secs(150);
        assert_eq!(
            reveal(guess, &trace, SimTime::from_secs(10)),
            "You guessed 150 s (2 min 30 s). Play to the end to see."
        );
        assert_eq!(
            reveal(guess, &trace, trace.end),
            "You guessed 150 s (2 min 30 s); the last student waited 200 s (3 min 20 s)."
        );
    }

    #[test]
    fn the_lede_follows_the_setup() {
        let blocking = SceneId::Blocking.defaults();
        assert_eq!(lede(SceneId::Blocking, &blocking), SceneId::Blocking.lede());
        let now_async = Scenario {
            mode: Mode::Async,
            ..blocking.clone()
        };
        assert_eq!(lede(SceneId::Blocking, &now_async), SceneId::Async.lede());
        let held = Scenario {
            await_email: false,
            ..now_async
        };
        assert!(lede(SceneId::Async, &held).contains("holds the event loop"));
        assert_eq!(lede(SceneId::Race, &blocking), SceneId::Race.lede());
    }
}
