//! What to simulate: the scenario, its defaults, and the one strict `key=value` parsing shared by
//! the command line, the page's URL and its setup form, every key declared once in [`KEYS`].
//! Parsing only; nothing here runs a simulation.

use serde::{Deserialize, Serialize};

use super::time::SimTime;

mod error;
pub mod keys;
mod kinds;

pub use error::{ParamError, ParamErrorKind};
pub use keys::{key_names, FormField, Key, KeyKind, KEYS};
pub use kinds::{Arrival, Fix, HandlerKind, IoDist, Mode, Overflow};

/// Largest number of students a scenario may ask for.
pub const MAX_STUDENTS: u32 = 1_000_000;
/// Largest number of worker processes.
pub const MAX_WORKERS: u32 = 64;
/// Largest per-worker async concurrency.
pub const MAX_CONCURRENCY: u32 = 100_000;
/// Largest number of threads per worker.
pub const MAX_THREADS: u32 = 1_000;
/// Largest duration of one step, in milliseconds (one hour).
pub const MAX_STEP_MS: f64 = 3_600_000.0;
/// Largest database pool per worker.
pub const MAX_DB_POOL: u32 = 100_000;
/// Most extra arrivals (the page's "register a student" clicks).
pub const MAX_EXTRA_ARRIVALS: u32 = 10_000;
/// Most seats the race handler's `seats_left` may start with.
pub const MAX_SEATS: u32 = 1_000_000;
/// Most CPUs a server may have.
pub const MAX_CORES: u32 = 1_024;
/// CPython's default switch interval, `sys.getswitchinterval()` (0.005 s), in milliseconds.
pub const SWITCH_MS: f64 = 5.0;
/// Latest time an extra arrival may be placed at.
pub const MAX_EXTRA_ARRIVAL: SimTime = SimTime::from_secs(3_600);

/// Everything a run depends on. Two equal scenarios give identical traces.
///
/// Build one with [`Scenario::default`] and struct update syntax, or from `key=value` pairs with
/// [`Scenario::parse_pairs`]; check a hand-built one with [`Scenario::validate`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scenario {
    /// How workers run the handler.
    pub mode: Mode,
    /// Worker processes.
    pub workers: u32,
    /// Students, numbered `0..students` in arrival order.
    pub students: u32,
    /// Requests in flight per worker in async mode.
    pub concurrency: u32,
    /// Threads per worker in threadpool mode.
    pub threads: u32,
    /// What happens to a request that finds every worker full.
    pub overflow: Overflow,
    /// CPU time of `validate`, milliseconds.
    pub validate_ms: f64,
    /// CPU the framework spends per request on the worker's event loop (a blocking worker's one
    /// thread), milliseconds: reading the request before the handler, writing the response after
    /// it (see `handler::FRAMEWORK_BEFORE_SHARE`).
    pub framework_ms: f64,
    /// Duration (or mean) of `save_to_database`, milliseconds.
    pub db_ms: f64,
    /// Duration (or mean) of `send_email`, milliseconds.
    pub email_ms: f64,
    /// Arrival pattern.
    pub arrival: Arrival,
    /// Students per second for `uniform` and `poisson` arrivals.
    pub rate: f64,
    /// Seed of the run's one random number generator.
    pub seed: u64,
    /// Distribution of I/O durations.
    pub io_dist: IoDist,
    /// Database connections per worker; `None` is unlimited.
    pub db_pool: Option<u32>,
    /// Whether the handler awaits the database call (async mode only).
    pub await_db: bool,
    /// Whether the handler awaits the email call (async mode only).
    pub await_email: bool,
    /// The request handler.
    pub handler: HandlerKind,
    /// What the shared `seats_left` starts at (race handler only).
    pub seats: u32,
    /// How the race handler guards its seat (race handler only). Absent in older scenarios.
    #[serde(default)]
    pub fix: Fix,
    /// Additional students arriving at these times, numbered after the regular ones in the order
    /// given. They draw their random durations after all regular students, so adding one never
    /// changes anybody else's draws.
    pub extra_arrivals: Vec<SimTime>,
    /// The handler's code in the handler language (`sim::lang`); `None` runs the preset that
    /// `handler`, `mode` and the await switches describe.
    pub code: Option<String>,
    /// The server's CPUs, shared by the worker processes: `asyncio.to_thread`'s pool has
    /// `min(32, cores + 4)` threads.
    pub cores: u32,
    /// CPython's switch interval (`sys.getswitchinterval()`), milliseconds: a thread that wants
    /// the interpreter lock while another computes gets it after this long.
    pub switch_ms: f64,
}

impl Default for Scenario {
    /// The defaults of the command line: one blocking worker, 100 students at once, a 2 s email.
    fn default() -> Scenario {
        Scenario {
            mode: Mode::Blocking,
            workers: 1,
            students: 100,
            concurrency: 250,
            threads: 40,
            overflow: Overflow::Queue,
            validate_ms: 0.0,
            framework_ms: 0.0,
            db_ms: 0.0,
            email_ms: 2000.0,
            arrival: Arrival::Burst,
            rate: 10.0,
            seed: 1,
            io_dist: IoDist::Fixed,
            db_pool: None,
            await_db: true,
            await_email: true,
            handler: HandlerKind::Register,
            seats: 1,
            fix: Fix::None,
            extra_arrivals: Vec::new(),
            code: None,
            cores: 4,
            switch_ms: SWITCH_MS,
        }
    }
}

impl Scenario {
    /// Parses `key=value` pairs strictly (the command line): every problem is reported, the
    /// default is used for keys not given.
    ///
    /// # Errors
    /// One [`ParamError`] per bad pair, in input order: an unknown key, a key given twice, or a value
    /// out of range or of the wrong kind.
    pub fn parse_pairs<I, K, V>(pairs: I) -> Result<Scenario, Vec<ParamError>>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let (scenario, errors) = Scenario::from_pairs_lenient_over(Scenario::default(), pairs, &[]);
        if errors.is_empty() {
            Ok(scenario)
        } else {
            Err(errors)
        }
    }

    /// Parses command-line style arguments `key=value`.
    ///
    /// # Errors
    /// As [`Scenario::parse_pairs`]; an argument without `=` is reported as a bad pair too.
    pub fn parse_args<S: AsRef<str>>(args: &[S]) -> Result<Scenario, Vec<ParamError>> {
        let mut malformed = Vec::new();
        let mut pairs = Vec::new();
        for arg in args {
            match crate::sim::text::split_once(arg.as_ref(), "=") {
                Some((k, v)) => pairs.push((k, v)),
                None => malformed.push(ParamError::malformed(arg.as_ref())),
            }
        }
        match Scenario::parse_pairs(pairs) {
            Ok(s) if malformed.is_empty() => Ok(s),
            Ok(_) => Err(malformed),
            Err(mut errors) => {
                malformed.append(&mut errors);
                Err(malformed)
            }
        }
    }

    /// Parses pairs forgivingly (the page's URL, a form field), starting from `base` (a scene's
    /// own starting point, the defaults, or the current setup): a bad pair keeps `base`'s value
    /// for that key and is reported; keys in `ignore_keys` (the page's own, such as `scene` or
    /// `t`) are skipped.
    ///
    /// A key given twice is reported and the later valid value wins.
    pub fn from_pairs_lenient_over<I, K, V>(
        base: Scenario,
        pairs: I,
        ignore_keys: &[&str],
    ) -> (Scenario, Vec<ParamError>)
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut scenario = base;
        let mut errors = Vec::new();
        let mut seen: Vec<&'static str> = Vec::new();
        for (key, value) in pairs {
            let (name, value) = (key.as_ref(), value.as_ref());
            if ignore_keys.contains(&name) {
                continue;
            }
            let Some(key) = Key::named(name) else {
                errors.push(ParamError::unknown_key(name, value, key_names()));
                continue;
            };
            if seen.contains(&key.name) {
                errors.push(ParamError::repeated(name, value));
            }
            seen.push(key.name);
            if let Err(allowed) = key.set(&mut scenario, value) {
                errors.push(key.error(value, allowed));
            }
        }
        // Code without `mode`: its `async def` or `def` decides where it runs.
        if seen.contains(&"code") && !seen.contains(&"mode") {
            if let Some(mode) = scenario.code_mode() {
                scenario.mode = mode;
            }
        }
        (scenario, errors)
    }

    /// Where the scenario's `code` runs when no `mode` is given: `async def` on the event loop
    /// (`async`), `def` on the thread pool (`threadpool`). `None` without code, or for code that
    /// does not compile.
    pub fn code_mode(&self) -> Option<Mode> {
        let program = super::lang::compile(self.code.as_deref()?).ok()?;
        Some(if program.is_async() {
            Mode::Async
        } else {
            Mode::Threadpool
        })
    }

    /// Whether the framework does work of its own per request (`framework_ms` above zero).
    pub fn has_framework(&self) -> bool {
        self.framework_ms > 0.0
    }

    /// Threads of `asyncio.to_thread`'s pool per worker: `min(32, cores + 4)`, as Python's default
    /// executor has.
    pub fn to_thread_threads(&self) -> u32 {
        self.cores.saturating_add(4).min(32)
    }

    /// The scenario as `key=value` pairs, only those that differ from the default, in [`KEYS`]
    /// order; parsing them back gives an equal scenario.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        self.to_pairs_against(&Scenario::default())
    }

    /// The pairs of the keys whose value differs from `base`'s, in [`KEYS`] order; applying them
    /// to `base` with [`Scenario::from_pairs_lenient_over`] gives back an equal scenario.
    ///
    /// When `code` is among the pairs, `mode` is given exactly when it differs from what the
    /// code decides ([`Scenario::code_mode`]), since parsing `code` without `mode` sets it so.
    pub fn to_pairs_against(&self, base: &Scenario) -> Vec<(String, String)> {
        let code_given = self.code != base.code;
        KEYS.iter()
            .filter_map(|key| {
                let value = key.text(self);
                let given = if key.name == "mode" && code_given {
                    self.code_mode() != Some(self.mode)
                } else {
                    key.text(base) != value
                };
                given.then(|| (key.name.to_string(), value))
            })
            .collect()
    }

    /// The value of one key as text that parses back to it (`None` for an unknown key).
    pub fn value_text(&self, key: &str) -> Option<String> {
        Key::named(key).map(|k| k.text(self))
    }

    /// Checks a scenario built in code against the same limits as the parser: it is valid when
    /// every key's text parses back, so the two can never disagree.
    ///
    /// # Errors
    /// One [`ParamError`] per field out of range, naming the field's key.
    pub fn validate(&self) -> Result<(), Vec<ParamError>> {
        // Each key sets only its own field, so one scratch scenario serves them all.
        let mut scratch = Scenario::default();
        let errors: Vec<ParamError> = KEYS
            .iter()
            .filter_map(|key| {
                let allowed = key.set(&mut scratch, &key.text(self)).err()?;
                Some(key.error(&key.summary(self), allowed))
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// All students of the run: the regular ones plus the extra arrivals.
    pub fn total_students(&self) -> u32 {
        self.students
            .saturating_add(self.extra_arrivals.len().min(u32::MAX as usize) as u32)
    }

    /// Requests one worker may hold at once: 1 when blocking, `concurrency` in async mode,
    /// `threads` in threadpool mode. With `framework_ms` in threadpool mode, `concurrency`: the
    /// loop takes the request and reads it before it waits for one of the `threads`.
    pub fn capacity_per_worker(&self) -> u32 {
        match self.mode {
            Mode::Blocking => 1,
            Mode::Async => self.concurrency,
            Mode::Threadpool if self.has_framework() => self.concurrency,
            Mode::Threadpool => self.threads,
        }
    }

    /// One line for humans: `mode=async workers=4 ...`, every key that matters for this
    /// scenario (see [`Key::is_relevant`]), lists of times counted.
    pub fn describe(&self) -> String {
        // The setup first; then the seed and the extra arrivals, which pick one run of it.
        let (setup, run): (Vec<&Key>, Vec<&Key>) = KEYS
            .iter()
            .filter(|k| k.is_relevant(self))
            .partition(|k| !matches!(k.kind, KeyKind::Seed | KeyKind::Times));
        let parts: Vec<String> = setup
            .iter()
            .chain(&run)
            .map(|k| format!("{}={}", k.name, k.summary(self)))
            .collect();
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_round_trip_to_no_pairs() {
        assert!(Scenario::default().to_pairs().is_empty());
        assert_eq!(
            Scenario::parse_pairs(Vec::<(&str, &str)>::new()),
            Ok(Scenario::default())
        );
    }

    #[test]
    fn every_bad_key_is_reported() {
        let errors = Scenario::parse_args(&[
            "students=abc",
            "workers=0",
            "colour=red",
            "rate=NaN",
            "oops",
        ])
        .unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(text[0], "oops=: expected a key=value pair");
        assert_eq!(
            text[1],
            "students=abc: expected an integer from 1 to 1000000"
        );
        assert_eq!(text[2], "workers=0: expected an integer from 1 to 64");
        assert!(text[3].starts_with("colour=red: expected one of the keys mode, workers"));
        assert!(text[4].starts_with("rate=NaN: expected a number"));
        assert_eq!(errors.len(), 5);
    }

    #[test]
    fn lenient_keeps_defaults_and_skips_page_keys() {
        let (s, errors) = Scenario::from_pairs_lenient_over(
            Scenario::default(),
            [
                ("scene", "blocking"),
                ("students", "-3"),
                ("workers", "4"),
                ("t", "end"),
            ],
            &["scene", "t"],
        );
        assert_eq!(s.students, 100);
        assert_eq!(s.workers, 4);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].key, "students");
    }

    /// `scenario.validate()` gives exactly these errors.
    #[track_caller]
    fn check_invalid(scenario: Scenario, expect: &[&str]) {
        let errors = scenario.validate().err().unwrap_or_default();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(text, expect);
        assert!(errors.iter().all(|e| e.kind == ParamErrorKind::BadValue));
    }

    #[test]
    fn validate_catches_every_field_out_of_range() {
        let d = Scenario::default;
        let ms = "expected a number of milliseconds from 0 to 3600000";
        let nan = format!("db_ms=NaN: {ms}");
        let inf = format!("email_ms=inf: {ms}");
        let big = format!("validate_ms=3600000.5: {ms}");
        check_invalid(d(), &[]);
        check_invalid(
            Scenario { workers: 0, ..d() },
            &["workers=0: expected an integer from 1 to 64"],
        );
        check_invalid(
            Scenario {
                students: 1_000_001,
                threads: 0,
                ..d()
            },
            &[
                "students=1000001: expected an integer from 1 to 1000000",
                "threads=0: expected an integer from 1 to 1000",
            ],
        );
        check_invalid(
            Scenario {
                concurrency: 100_001,
                ..d()
            },
            &["concurrency=100001: expected an integer from 1 to 100000"],
        );
        check_invalid(
            Scenario {
                db_ms: f64::NAN,
                ..d()
            },
            &[nan.as_str()],
        );
        check_invalid(
            Scenario {
                email_ms: f64::INFINITY,
                ..d()
            },
            &[inf.as_str()],
        );
        check_invalid(
            Scenario {
                validate_ms: 3_600_000.5,
                ..d()
            },
            &[big.as_str()],
        );
        check_invalid(
            Scenario { rate: -0.0, ..d() },
            &["rate=-0: expected a number of students per second greater than 0"],
        );
        check_invalid(
            Scenario {
                db_pool: Some(0),
                ..d()
            },
            &["db_pool=0: expected unlimited or an integer from 1 to 100000"],
        );
        check_invalid(
            Scenario {
                seats: MAX_SEATS + 1,
                ..d()
            },
            &["seats=1000001: expected an integer from 0 to 1000000"],
        );
        let extra = "expected up to 10000 comma-separated times in seconds from 0 to 3600";
        let late = MAX_EXTRA_ARRIVAL + SimTime::from_micros(1);
        let too_late = format!("extra_arrivals=2 times: {extra}");
        check_invalid(
            Scenario {
                extra_arrivals: vec![SimTime::ZERO, late],
                ..d()
            },
            &[too_late.as_str()],
        );
        let many = vec![MAX_EXTRA_ARRIVAL; MAX_EXTRA_ARRIVALS as usize + 1];
        let too_many = format!("extra_arrivals=10001 times: {extra}");
        check_invalid(
            Scenario {
                extra_arrivals: many,
                ..d()
            },
            &[too_many.as_str()],
        );
        let most = vec![MAX_EXTRA_ARRIVAL; MAX_EXTRA_ARRIVALS as usize];
        check_invalid(
            Scenario {
                extra_arrivals: most,
                ..d()
            },
            &[],
        );
    }

    #[test]
    fn error_kinds_name_what_went_wrong() {
        let errors =
            Scenario::parse_args(&["oops", "colour=red", "workers=2", "workers=x"]).unwrap_err();
        let kinds: Vec<ParamErrorKind> = errors.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            [
                ParamErrorKind::Malformed,
                ParamErrorKind::UnknownKey,
                ParamErrorKind::Repeated,
                ParamErrorKind::BadValue,
            ]
        );
    }

    #[test]
    fn describe_names_what_matters_seed_last() {
        let s = Scenario {
            mode: Mode::Async,
            arrival: Arrival::Uniform,
            extra_arrivals: vec![SimTime::ZERO],
            ..Scenario::default()
        };
        assert_eq!(
            s.describe(),
            "mode=async workers=1 students=100 concurrency=250 validate_ms=0 db_ms=0 \
             email_ms=2000 arrival=uniform rate=10 io_dist=fixed db_pool=unlimited await_db=true \
             await_email=true seed=1 extra_arrivals=1 times"
        );
    }

    #[test]
    fn pairs_round_trip() {
        let s = Scenario {
            mode: Mode::Async,
            workers: 4,
            validate_ms: 0.25,
            rate: 1.5,
            db_pool: Some(3),
            await_email: false,
            overflow: Overflow::Reject,
            handler: HandlerKind::Race,
            seats: 0,
            extra_arrivals: vec![SimTime::from_micros(1_500_000), SimTime::from_micros(2)],
            ..Scenario::default()
        };
        assert_eq!(Scenario::parse_pairs(s.to_pairs()), Ok(s.clone()));
        assert_eq!(s.validate(), Ok(()));
    }
}
