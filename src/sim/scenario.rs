//! What to simulate: the scenario, its defaults, and the one strict `key=value` validation shared
//! by the command line and the page's URL. Parsing only; nothing here runs a simulation.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::time::SimTime;

/// How a worker runs the handler.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// One request at a time per worker, occupied through every step including I/O waits.
    #[default]
    Blocking,
    /// One event loop per worker; an awaited I/O call frees the loop for other requests.
    Async,
    /// FastAPI's plain `def` endpoints: `threads` threads per worker, one interpreter lock.
    Threadpool,
}

/// When students arrive.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Arrival {
    /// Everyone at t = 0.
    #[default]
    Burst,
    /// Student `i` at `i / rate` seconds.
    Uniform,
    /// A Poisson process: exponential gaps with mean `1 / rate` seconds.
    Poisson,
}

/// How long each I/O call takes.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum IoDist {
    /// Exactly `db_ms` and `email_ms`.
    #[default]
    Fixed,
    /// Exponential with those means.
    Exp,
}

/// Which request handler the workers run.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum HandlerKind {
    /// The article's endpoint: validate, save to the database, send the email.
    #[default]
    Register,
    /// The teaser for part 3: read the shared `seats_left` from the database, decide, write it
    /// back, with no lock; concurrent requests can lose an update.
    Race,
}

macro_rules! keyword_enum {
    ($ty:ty { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// Every variant, in the order the help text lists them.
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),+];

            /// The keyword used on the command line and in URLs.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(<$ty>::$variant => $name),+
                }
            }

            /// The variant for a keyword, if it is one.
            pub fn from_keyword(word: &str) -> Option<$ty> {
                match word {
                    $($name => Some(<$ty>::$variant),)+
                    _ => None,
                }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

keyword_enum!(Mode { Blocking => "blocking", Async => "async", Threadpool => "threadpool" });
keyword_enum!(Arrival { Burst => "burst", Uniform => "uniform", Poisson => "poisson" });
keyword_enum!(IoDist { Fixed => "fixed", Exp => "exp" });
keyword_enum!(HandlerKind { Register => "register", Race => "race" });

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
    /// CPU time of `validate`, milliseconds.
    pub validate_ms: f64,
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
    /// Additional students arriving at these times, numbered after the regular ones in the order
    /// given. They draw their random durations after all regular students, so adding one never
    /// changes anybody else's draws.
    pub extra_arrivals: Vec<SimTime>,
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
            validate_ms: 0.0,
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
            extra_arrivals: Vec::new(),
        }
    }
}

/// One rejected `key=value` pair: which key, the value given, and what would have been accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamError {
    /// The key as given.
    pub key: String,
    /// The value as given.
    pub value: String,
    /// What the key accepts, phrased to follow "expected".
    pub allowed: String,
}

impl fmt::Display for ParamError {
    /// `students=abc: expected an integer from 1 to 1000000`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}: expected {}", self.key, self.value, self.allowed)
    }
}

impl std::error::Error for ParamError {}

/// The keys a scenario understands, in the order `to_pairs` writes them.
pub const KEYS: &[&str] = &[
    "mode",
    "workers",
    "students",
    "concurrency",
    "threads",
    "validate_ms",
    "db_ms",
    "email_ms",
    "arrival",
    "rate",
    "seed",
    "io_dist",
    "db_pool",
    "await_db",
    "await_email",
    "handler",
    "seats",
    "extra_arrivals",
];

fn keywords<T: Copy + fmt::Display>(all: &[T]) -> String {
    let names: Vec<String> = all.iter().map(ToString::to_string).collect();
    format!("one of {}", names.join(", "))
}

fn int_range(lo: u32, hi: u32) -> String {
    format!("an integer from {lo} to {hi}")
}

fn ms_range() -> String {
    format!("a number of milliseconds from 0 to {MAX_STEP_MS}")
}

fn parse_int(value: &str, lo: u32, hi: u32) -> Result<u32, String> {
    match value.parse::<u32>() {
        Ok(n) if (lo..=hi).contains(&n) => Ok(n),
        _ => Err(int_range(lo, hi)),
    }
}

fn parse_ms(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(x) if ms_ok(x) => Ok(x),
        _ => Err(ms_range()),
    }
}

fn ms_ok(x: f64) -> bool {
    x.is_finite() && (0.0..=MAX_STEP_MS).contains(&x)
}

fn rate_ok(x: f64) -> bool {
    x.is_finite() && x > 0.0
}

const RATE_ALLOWED: &str = "a number of students per second greater than 0";
const BOOL_ALLOWED: &str = "true, false, 1 or 0";
const SEED_ALLOWED: &str = "an integer from 0 to 18446744073709551615";

fn db_pool_allowed() -> String {
    format!("unlimited or {}", int_range(1, MAX_DB_POOL))
}

fn extra_allowed() -> String {
    format!(
        "up to {MAX_EXTRA_ARRIVALS} comma-separated times in seconds from 0 to {}",
        MAX_EXTRA_ARRIVAL.as_secs_f64()
    )
}

fn parse_bool(value: &str) -> Result<bool, String> {
    match value {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(BOOL_ALLOWED.to_string()),
    }
}

fn parse_extra(value: &str) -> Result<Vec<SimTime>, String> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    let mut times = Vec::new();
    for part in value.split(',') {
        let secs: f64 = part.trim().parse().map_err(|_| extra_allowed())?;
        let max = MAX_EXTRA_ARRIVAL.as_secs_f64();
        if !(secs.is_finite() && (0.0..=max).contains(&secs))
            || times.len() as u32 >= MAX_EXTRA_ARRIVALS
        {
            return Err(extra_allowed());
        }
        times.push(SimTime::from_secs_f64(secs));
    }
    Ok(times)
}

impl Scenario {
    /// Sets one key from its text, leaving the scenario untouched on error.
    ///
    /// # Errors
    /// The description of what the key accepts (`Err(allowed)`), or `None` inside for an unknown key.
    fn set(&mut self, key: &str, value: &str) -> Result<(), Option<String>> {
        let v = value.trim();
        match key {
            "mode" => self.mode = Mode::from_keyword(v).ok_or_else(|| keywords(Mode::ALL))?,
            "workers" => self.workers = parse_int(v, 1, MAX_WORKERS)?,
            "students" => self.students = parse_int(v, 1, MAX_STUDENTS)?,
            "concurrency" => self.concurrency = parse_int(v, 1, MAX_CONCURRENCY)?,
            "threads" => self.threads = parse_int(v, 1, MAX_THREADS)?,
            "validate_ms" => self.validate_ms = parse_ms(v)?,
            "db_ms" => self.db_ms = parse_ms(v)?,
            "email_ms" => self.email_ms = parse_ms(v)?,
            "arrival" => {
                self.arrival = Arrival::from_keyword(v).ok_or_else(|| keywords(Arrival::ALL))?;
            }
            "rate" => {
                self.rate = match v.parse::<f64>() {
                    Ok(x) if rate_ok(x) => x,
                    _ => return Err(Some(RATE_ALLOWED.to_string())),
                };
            }
            "seed" => self.seed = v.parse().map_err(|_| SEED_ALLOWED.to_string())?,
            "io_dist" => {
                self.io_dist = IoDist::from_keyword(v).ok_or_else(|| keywords(IoDist::ALL))?;
            }
            "db_pool" => {
                self.db_pool = if v == "unlimited" {
                    None
                } else {
                    Some(parse_int(v, 1, MAX_DB_POOL).map_err(|_| db_pool_allowed())?)
                };
            }
            "await_db" => self.await_db = parse_bool(v)?,
            "await_email" => self.await_email = parse_bool(v)?,
            "handler" => {
                self.handler =
                    HandlerKind::from_keyword(v).ok_or_else(|| keywords(HandlerKind::ALL))?;
            }
            "seats" => self.seats = parse_int(v, 0, MAX_SEATS)?,
            "extra_arrivals" => self.extra_arrivals = parse_extra(v)?,
            _ => return Err(None),
        }
        Ok(())
    }

    fn unknown_key(key: &str, value: &str) -> ParamError {
        ParamError {
            key: key.to_string(),
            value: value.to_string(),
            allowed: format!("one of the keys {}", KEYS.join(", ")),
        }
    }

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
        let (scenario, errors) = Scenario::from_pairs_lenient(pairs, &[]);
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
            match arg.as_ref().split_once('=') {
                Some((k, v)) => pairs.push((k, v)),
                None => malformed.push(ParamError {
                    key: arg.as_ref().to_string(),
                    value: String::new(),
                    allowed: "a key=value pair".to_string(),
                }),
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

    /// Parses pairs forgivingly (the page's URL): a bad pair keeps that key's default and is
    /// reported; keys in `ignore_keys` (the page's own, such as `scene` or `t`) are skipped.
    ///
    /// A key given twice is reported and the later valid value wins.
    pub fn from_pairs_lenient<I, K, V>(
        pairs: I,
        ignore_keys: &[&str],
    ) -> (Scenario, Vec<ParamError>)
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        Scenario::from_pairs_lenient_over(Scenario::default(), pairs, ignore_keys)
    }

    /// [`Scenario::from_pairs_lenient`] starting from `base` instead of the defaults (a scene's
    /// own starting point, or the current setup when one form field changes): a bad pair keeps
    /// `base`'s value for that key.
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
            let (key, value) = (key.as_ref(), value.as_ref());
            if ignore_keys.contains(&key) {
                continue;
            }
            if let Some(known) = KEYS.iter().find(|k| **k == key) {
                if seen.contains(known) {
                    errors.push(ParamError {
                        key: key.to_string(),
                        value: value.to_string(),
                        allowed: "each key at most once".to_string(),
                    });
                }
                seen.push(known);
            }
            match scenario.set(key, value) {
                Ok(()) => {}
                Err(None) => errors.push(Scenario::unknown_key(key, value)),
                Err(Some(allowed)) => errors.push(ParamError {
                    key: key.to_string(),
                    value: value.to_string(),
                    allowed,
                }),
            }
        }
        (scenario, errors)
    }

    /// The scenario as `key=value` pairs, only those that differ from the default, in [`KEYS`]
    /// order; parsing them back gives an equal scenario.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        self.to_pairs_against(&Scenario::default())
    }

    /// The pairs of the keys whose value differs from `base`'s, in [`KEYS`] order; applying them
    /// to `base` with [`Scenario::from_pairs_lenient_over`] gives back an equal scenario.
    pub fn to_pairs_against(&self, base: &Scenario) -> Vec<(String, String)> {
        KEYS.iter()
            .filter_map(|key| {
                let value = self.value_text(key)?;
                (base.value_text(key).as_ref() != Some(&value)).then(|| (key.to_string(), value))
            })
            .collect()
    }

    /// The value of one key as text that parses back to it (`None` for an unknown key).
    pub fn value_text(&self, key: &str) -> Option<String> {
        Some(match key {
            "mode" => self.mode.to_string(),
            "workers" => self.workers.to_string(),
            "students" => self.students.to_string(),
            "concurrency" => self.concurrency.to_string(),
            "threads" => self.threads.to_string(),
            "validate_ms" => self.validate_ms.to_string(),
            "db_ms" => self.db_ms.to_string(),
            "email_ms" => self.email_ms.to_string(),
            "arrival" => self.arrival.to_string(),
            "rate" => self.rate.to_string(),
            "seed" => self.seed.to_string(),
            "io_dist" => self.io_dist.to_string(),
            "db_pool" => self
                .db_pool
                .map_or_else(|| "unlimited".to_string(), |k| k.to_string()),
            "await_db" => self.await_db.to_string(),
            "await_email" => self.await_email.to_string(),
            "handler" => self.handler.to_string(),
            "seats" => self.seats.to_string(),
            "extra_arrivals" => {
                let extra: Vec<String> =
                    self.extra_arrivals.iter().map(|t| t.secs_text()).collect();
                extra.join(",")
            }
            _ => return None,
        })
    }

    /// Checks a scenario built in code against the same limits as the parser.
    ///
    /// # Errors
    /// One [`ParamError`] per field out of range, naming the field's key.
    pub fn validate(&self) -> Result<(), Vec<ParamError>> {
        let mut errors = Vec::new();
        let mut check = |key: &str, ok: bool, value: String, allowed: String| {
            if !ok {
                errors.push(ParamError {
                    key: key.to_string(),
                    value,
                    allowed,
                });
            }
        };
        for (key, value, max) in [
            ("workers", self.workers, MAX_WORKERS),
            ("students", self.students, MAX_STUDENTS),
            ("concurrency", self.concurrency, MAX_CONCURRENCY),
            ("threads", self.threads, MAX_THREADS),
        ] {
            check(
                key,
                (1..=max).contains(&value),
                value.to_string(),
                int_range(1, max),
            );
        }
        for (key, ms) in [
            ("validate_ms", self.validate_ms),
            ("db_ms", self.db_ms),
            ("email_ms", self.email_ms),
        ] {
            check(key, ms_ok(ms), ms.to_string(), ms_range());
        }
        check(
            "rate",
            rate_ok(self.rate),
            self.rate.to_string(),
            RATE_ALLOWED.to_string(),
        );
        if let Some(k) = self.db_pool {
            check(
                "db_pool",
                (1..=MAX_DB_POOL).contains(&k),
                k.to_string(),
                db_pool_allowed(),
            );
        }
        check(
            "seats",
            self.seats <= MAX_SEATS,
            self.seats.to_string(),
            int_range(0, MAX_SEATS),
        );
        let extra_ok = self.extra_arrivals.len() as u64 <= u64::from(MAX_EXTRA_ARRIVALS)
            && self.extra_arrivals.iter().all(|t| *t <= MAX_EXTRA_ARRIVAL);
        check(
            "extra_arrivals",
            extra_ok,
            format!("{} times", self.extra_arrivals.len()),
            extra_allowed(),
        );
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
    /// `threads` in threadpool mode.
    pub fn capacity_per_worker(&self) -> u32 {
        match self.mode {
            Mode::Blocking => 1,
            Mode::Async => self.concurrency,
            Mode::Threadpool => self.threads,
        }
    }

    /// One line for humans: `mode=async workers=4 ...`, every key including defaults.
    pub fn describe(&self) -> String {
        let mut parts = vec![
            format!("mode={}", self.mode),
            format!("workers={}", self.workers),
            format!("students={}", self.students),
        ];
        match self.mode {
            Mode::Blocking => {}
            Mode::Async => parts.push(format!("concurrency={}", self.concurrency)),
            Mode::Threadpool => parts.push(format!("threads={}", self.threads)),
        }
        parts.push(format!("validate_ms={}", self.validate_ms));
        parts.push(format!("db_ms={}", self.db_ms));
        // The race handler sends no email.
        if self.handler != HandlerKind::Race {
            parts.push(format!("email_ms={}", self.email_ms));
        }
        parts.push(format!("arrival={}", self.arrival));
        if self.arrival != Arrival::Burst {
            parts.push(format!("rate={}", self.rate));
        }
        parts.push(format!("io_dist={}", self.io_dist));
        parts.push(format!(
            "db_pool={}",
            self.db_pool
                .map_or_else(|| "unlimited".to_string(), |k| k.to_string())
        ));
        if self.mode == Mode::Async {
            parts.push(format!("await_db={}", self.await_db));
            parts.push(format!("await_email={}", self.await_email));
        }
        if self.handler == HandlerKind::Race {
            parts.push(format!("handler={}", self.handler));
            parts.push(format!("seats={}", self.seats));
        }
        parts.push(format!("seed={}", self.seed));
        if !self.extra_arrivals.is_empty() {
            parts.push(format!("extra_arrivals={}", self.extra_arrivals.len()));
        }
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
        let (s, errors) = Scenario::from_pairs_lenient(
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

    #[test]
    fn pairs_round_trip() {
        let s = Scenario {
            mode: Mode::Async,
            workers: 4,
            validate_ms: 0.25,
            rate: 1.5,
            db_pool: Some(3),
            await_email: false,
            handler: HandlerKind::Race,
            seats: 0,
            extra_arrivals: vec![SimTime::from_micros(1_500_000), SimTime::from_micros(2)],
            ..Scenario::default()
        };
        assert_eq!(Scenario::parse_pairs(s.to_pairs()), Ok(s.clone()));
        assert_eq!(s.validate(), Ok(()));
    }
}
