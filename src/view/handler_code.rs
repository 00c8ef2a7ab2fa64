//! The article's FastAPI handler as code, in the variant a scenario runs (`async def` with
//! `await`, a synchronous client called from `async def`, plain `def`), and which line of it each
//! request is on at a moment. Reads a scenario and a trace; draws nothing.

use crate::sim::handler::Step;
use crate::sim::lang::presets;
use crate::sim::order;
use crate::sim::scenario::{Fix, HandlerKind, Mode, Scenario};
use crate::sim::text;
use crate::sim::time::SimTime;
use crate::sim::trace::Trace;
use crate::view::format;
use crate::view::phase::{Phase, WorkerActivity};
use crate::view::timeline::Beside;

/// The three handlers the reader switches between.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// `async def` awaiting both calls: the loop serves others while they run.
    Awaited,
    /// `async def` calling a synchronous database client and mailer: each call holds the loop.
    BlockingCall,
    /// Plain `def`: FastAPI runs it in a thread pool.
    PlainDef,
}

impl Variant {
    /// Every variant, in the order the switch lists them.
    pub const ALL: [Variant; 3] = [Variant::Awaited, Variant::BlockingCall, Variant::PlainDef];

    /// The variant a scenario runs, or `None` for a mix the switch does not offer (one call
    /// awaited and the other not, or `mode=blocking`).
    pub fn of(scenario: &Scenario) -> Option<Variant> {
        match (scenario.mode, scenario.await_db, scenario.await_email) {
            (Mode::Async, true, true) => Some(Variant::Awaited),
            (Mode::Async, false, false) => Some(Variant::BlockingCall),
            // The await switches mean nothing to a plain `def` handler.
            (Mode::Threadpool, _, _) => Some(Variant::PlainDef),
            _ => None,
        }
    }

    /// `scenario` running this variant, everything else (students, durations, threads) kept.
    pub fn apply(self, scenario: &Scenario) -> Scenario {
        let (mode, awaited) = match self {
            Variant::Awaited => (Mode::Async, true),
            Variant::BlockingCall => (Mode::Async, false),
            // Back to the defaults, which a `def` handler ignores, so the URL stays short.
            Variant::PlainDef => (Mode::Threadpool, true),
        };
        let mut s = scenario.clone();
        (s.mode, s.await_db, s.await_email) = (mode, awaited, awaited);
        s
    }

    /// The switch's label.
    pub fn label(self) -> &'static str {
        match self {
            Variant::Awaited => "async def + await",
            Variant::BlockingCall => "blocking call in async def",
            Variant::PlainDef => "plain def",
        }
    }

    /// A stable name for `data-variant` attributes and ids.
    pub fn slug(self) -> &'static str {
        match self {
            Variant::Awaited => "await",
            Variant::BlockingCall => "blocking",
            Variant::PlainDef => "def",
        }
    }
}

/// What a line of the handler is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineRole {
    /// The route decorator: requests no worker has taken yet are counted here.
    Route,
    /// The `def` line: requests taken but not started yet.
    Def,
    /// A step of the handler.
    Step(Step),
}

/// One line of the handler's code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeLine {
    pub role: LineRole,
    /// The Python code, indented.
    pub code: String,
    /// A trailing comment, if the line has one.
    pub comment: Option<&'static str>,
}

/// What each line of the article's handler is, in order (its test ties them to the steps the
/// compiled program records on those lines).
/// The code beside the timeline, from a picture 940 px wide.
pub const CODE_BESIDE: Beside = Beside {
    side_w: 480.0,
    from: 940.0,
};

const ROLES: [LineRole; 5] = [
    LineRole::Route,
    LineRole::Def,
    LineRole::Step(Step::Validate),
    LineRole::Step(Step::SaveToDatabase),
    LineRole::Step(Step::SendEmail),
];

/// The handler a scenario runs, as Python: the very text that runs (`presets::for_scenario`,
/// the article's handler in the scenario's variant), a line each, with a comment on the CPU work
/// and on every synchronous call.
pub fn code(scenario: &Scenario) -> Vec<CodeLine> {
    let mut article = scenario.clone();
    (article.handler, article.fix, article.code) = (HandlerKind::Register, Fix::None, None);
    let text = presets::for_scenario(&article);
    // A synchronous call blocks the loop from `async def`, only its thread from a pool thread,
    // and the whole worker in blocking mode.
    let sync_comment = match scenario.mode {
        Mode::Async => "# blocks the loop",
        Mode::Threadpool => "# blocks its thread",
        Mode::Blocking => "# blocks the worker",
    };
    crate::sim::text::lines(&text)
        .into_iter()
        .zip(ROLES)
        .map(|(code, role)| CodeLine {
            role,
            comment: match role {
                LineRole::Step(Step::Validate) => Some("# CPU work"),
                LineRole::Step(_) if !text::contains(code, "await") => Some(sync_comment),
                _ => None,
            },
            code: code.to_string(),
        })
        .collect()
}

/// The line (an index into [`code`]) a request in `phase` is on; `None` before it arrives and
/// after it is done.
pub fn line_of(phase: Phase) -> Option<usize> {
    let step_line = |step: Step| match step {
        Step::Validate => 2,
        Step::SaveToDatabase => 3,
        Step::SendEmail => 4,
        // The race handler's steps have no line in this code (the scene shows the article's
        // handler); with `handler=race` in the URL they point at the line of the same kind.
        Step::Decide => 2,
        Step::ReadSeats | Step::WriteSeats => 3,
        // The playground's own steps have no line in this code either: CPU work points at the
        // CPU line, a sleep at the last.
        Step::CpuWork => 2,
        Step::Sleep => 4,
        // The framework's own work, before and after the handler, is the route's.
        Step::Framework => 0,
    };
    match phase {
        Phase::NotArrived | Phase::Rejected | Phase::Done => None,
        Phase::Queued => Some(0),
        // Taken by a worker, its first line not reached yet.
        Phase::Ready(Step::Validate) | Phase::ThreadWait(Step::Validate) => Some(1),
        Phase::Running(step)
        | Phase::Awaiting(step)
        | Phase::WaitingForDatabase(step)
        | Phase::WaitingForThread(step)
        | Phase::WaitingForLock(step)
        | Phase::WaitingForRowLock(step)
        | Phase::Blocked(step)
        | Phase::Ready(step)
        | Phase::ThreadWait(step) => Some(step_line(step)),
    }
}

/// Who is on one line at a moment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineState {
    /// Requests on the line, by phase (in the order of [`Phase`]), only phases with some.
    pub counts: Vec<(Phase, u32)>,
    /// Workers whose CPU is running this line.
    pub running: u32,
    /// Workers held by this line's blocking call.
    pub blocked: u32,
}

impl LineState {
    /// One more request on the line, in `phase`.
    pub fn count(&mut self, phase: Phase) {
        match self.counts.iter_mut().find(|(p, _)| *p == phase) {
            Some((_, n)) => *n += 1,
            None => self.counts.push((phase, 1)),
        }
    }

    /// The line's highlight: its class and words, when a worker runs it or is held by it.
    pub fn highlight(&self) -> Option<(&'static str, &'static str)> {
        if self.blocked > 0 {
            Some(("al-line-blocked", "holds the worker"))
        } else if self.running > 0 {
            Some(("al-line-running", "the worker runs this"))
        } else {
            None
        }
    }

    /// One chip per phase on the line: the phase, its count, and the words (`3 awaiting`).
    pub fn chips(&self) -> Vec<(Phase, u32, String)> {
        self.counts
            .iter()
            .map(|&(phase, n)| {
                (
                    phase,
                    n,
                    format!("{} {}", format::count(n.into()), phase.short()),
                )
            })
            .collect()
    }
}

/// The pool size in words, for the `def` handler's note: FastAPI's default, or this setup's.
pub fn pool_words(scenario: &Scenario) -> String {
    let default = Scenario::default().threads;
    if scenario.threads == default {
        format!("{default} threads, its default")
    } else {
        format!(
            "{} threads here; its default is {default}",
            scenario.threads
        )
    }
}

/// Every line's state at `t` (indexed like [`code`]) and how many requests are done.
pub fn lines_at(trace: &Trace, t: SimTime) -> (Vec<LineState>, u32) {
    let mut lines = vec![LineState::default(); 5];
    let mut done = 0;
    for s in &trace.students {
        let phase = Phase::at(trace, s.id, t);
        if phase == Phase::Done {
            done += 1;
        }
        if let Some(line) = line_of(phase).and_then(|i| lines.get_mut(i)) {
            line.count(phase);
        }
    }
    for line in &mut lines {
        order::short(&mut line.counts, |c| *c);
    }
    for w in 0..trace.workers.len() as u32 {
        match WorkerActivity::at(trace, w, t) {
            WorkerActivity::Running { step, .. } => {
                if let Some(line) = line_of(Phase::Running(step)).and_then(|i| lines.get_mut(i)) {
                    line.running += 1;
                }
            }
            WorkerActivity::Blocked { step, .. } => {
                if let Some(line) = line_of(Phase::Blocked(step)).and_then(|i| lines.get_mut(i)) {
                    line.blocked += 1;
                }
            }
            WorkerActivity::Free { .. } => {}
        }
    }
    (lines, done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::simulate;
    use crate::view::scenes::SceneId;

    #[track_caller]
    fn check_variant(query: &[(&str, &str)], expected: Option<Variant>) {
        let scenario = Scenario::from_pairs_lenient_over(
            SceneId::Await.defaults(),
            query.iter().copied(),
            &[],
        )
        .0;
        assert_eq!(Variant::of(&scenario), expected, "{query:?}");
    }

    #[test]
    fn the_variant_is_read_from_the_scenario() {
        check_variant(&[], Some(Variant::Awaited));
        check_variant(
            &[("await_db", "false"), ("await_email", "false")],
            Some(Variant::BlockingCall),
        );
        check_variant(&[("mode", "threadpool")], Some(Variant::PlainDef));
        check_variant(
            &[
                ("mode", "threadpool"),
                ("threads", "4"),
                ("await_db", "false"),
            ],
            Some(Variant::PlainDef),
        );
        check_variant(&[("await_email", "false")], None);
        check_variant(&[("mode", "blocking")], None);
        for v in Variant::ALL {
            let s = v.apply(&SceneId::Await.defaults());
            assert_eq!(Variant::of(&s), Some(v), "apply then read {v:?}");
            assert_eq!(
                s.students,
                SceneId::Await.defaults().students,
                "the rest is kept"
            );
        }
    }

    /// The scene shows the handler that runs: each variant's lines are the preset's text, and
    /// each line's role is the step the run records on that line.
    #[test]
    fn the_lines_shown_are_the_program_that_runs() {
        use crate::sim::handler::code_for;
        for v in Variant::ALL {
            let scenario = v.apply(&SceneId::Await.defaults());
            let lines = code(&scenario);
            let shown: String = lines.iter().map(|l| format!("{}\n", l.code)).collect();
            assert_eq!(shown, code_for(&scenario), "{v:?}");
            let trace = crate::sim::simulate(&scenario).unwrap();
            for sp in trace
                .spans
                .iter()
                .filter(|sp| sp.step != Some(Step::Framework))
            {
                let (Some(line), Some(step)) = (sp.line, sp.step) else {
                    continue;
                };
                assert_eq!(
                    lines[usize::from(line) - 1].role,
                    LineRole::Step(step),
                    "{v:?}: {sp:?}"
                );
            }
        }
    }

    #[test]
    fn the_code_follows_the_variant() {
        let text = |v: Variant| -> Vec<String> {
            code(&v.apply(&SceneId::Await.defaults()))
                .iter()
                .map(|l| l.code.trim().to_string())
                .collect()
        };
        assert_eq!(
            text(Variant::Awaited)[1..],
            [
                "async def register(student: Student):",
                "validate(student)",
                "await save_to_database(student)",
                "await send_email(student)"
            ]
        );
        let blocking = text(Variant::BlockingCall);
        assert_eq!(blocking[1], "async def register(student: Student):");
        assert!(
            blocking.iter().all(|l| !l.contains("await ")),
            "{blocking:?}"
        );
        let plain = text(Variant::PlainDef);
        assert_eq!(plain[1], "def register(student: Student):");
        assert!(plain.iter().all(|l| !l.contains("await")), "{plain:?}");
    }

    #[test]
    fn every_request_is_on_one_line_or_done() {
        for v in Variant::ALL {
            let trace = simulate(&v.apply(&SceneId::Await.defaults())).unwrap();
            let students = trace.students.len() as u32;
            let mut t = SimTime::ZERO;
            while t <= trace.end {
                let (lines, done) = lines_at(&trace, t);
                let on_lines: u32 = lines.iter().flat_map(|l| &l.counts).map(|(_, n)| n).sum();
                assert_eq!(on_lines + done, students, "{v:?} at {t:?}");
                // One lane per worker: at most one line of it is running or blocked.
                let held: u32 = lines.iter().map(|l| l.running + l.blocked).sum();
                assert!(held <= trace.workers.len() as u32, "{v:?} at {t:?}");
                t = t + SimTime::from_millis(37);
            }
        }
    }

    #[test]
    fn the_blocking_call_holds_the_loop_on_its_line() {
        let trace = simulate(&Variant::BlockingCall.apply(&SceneId::Await.defaults())).unwrap();
        // 1 s in, the first request is in its email call, blocking; the loop has taken everyone
        // else (it has room for them) but cannot start any of them.
        let (lines, _) = lines_at(&trace, SimTime::from_secs(1));
        assert_eq!(lines[4].blocked, 1);
        assert_eq!(lines[4].counts, [(Phase::Blocked(Step::SendEmail), 1)]);
        assert_eq!(
            lines[4].highlight(),
            Some(("al-line-blocked", "holds the worker"))
        );
        assert_eq!(lines[4].chips()[0].2, "1 blocked");
        let students = trace.students.len() as u32;
        assert_eq!(
            lines[1].counts,
            [(Phase::Ready(Step::Validate), students - 1)]
        );
        // With await, the same moment has the loop free and many emails in flight.
        let trace = simulate(&SceneId::Await.defaults()).unwrap();
        let (lines, _) = lines_at(&trace, SimTime::from_secs(1));
        assert_eq!((lines[4].blocked, lines[4].running), (0, 0));
        assert!(lines[4].counts[0].1 > 1, "{:?}", lines[4]);
    }
}
