//! The scenario's keys, declared once in [`KEYS`]: each key's name, what it accepts, its help, its
//! field in the page's setup form, and how to read and write it. Parsing, validation, the one-line
//! description, the command line's help and the setup form all derive from this table; nothing
//! here runs a simulation.

use super::{
    Arrival, Fix, HandlerKind, IoDist, Mode, Overflow, ParamError, Scenario, MAX_CONCURRENCY,
    MAX_CORES, MAX_EXTRA_ARRIVAL, MAX_EXTRA_ARRIVALS, MAX_SEATS, MAX_STUDENTS, MAX_THREADS,
    MAX_WORKERS, SWITCH_MS,
};
use crate::sim::decimal;
use crate::sim::lang;
use crate::sim::text;
use crate::sim::time::SimTime;

mod kind;

pub use kind::KeyKind;

/// A key's field in the page's setup form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormField {
    /// The field's label.
    pub label: &'static str,
    /// A unit or hint shown after the label (`ms`, `per s`).
    pub unit: Option<&'static str>,
}

/// A key's help as [`KEYS`] holds it: its text where the command line is built; nothing in the
/// page, which never shows it (the wasm carried the 23 texts for nothing).
#[cfg(not(target_arch = "wasm32"))]
type Help = &'static str;
/// A key's help as [`KEYS`] holds it: nothing in the page, which never shows it.
#[cfg(target_arch = "wasm32")]
type Help = ();

/// A key's help text, as [`Help`] keeps it.
#[cfg(not(target_arch = "wasm32"))]
const fn help(text: &'static str) -> Help {
    text
}

/// A key's help text, dropped: the page never shows it.
#[cfg(target_arch = "wasm32")]
const fn help(_text: &'static str) -> Help {}

/// One key of a scenario: everything the parser, the validation, the help, the description and
/// the setup form need to know about it.
#[derive(Clone, Copy, Debug)]
pub struct Key {
    /// The key as written on the command line and in URLs.
    pub name: &'static str,
    /// What it accepts.
    pub kind: KeyKind,
    /// What it means, for the command line's help ([`Key::help`]); unit in the page.
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    help: Help,
    /// Its field in the page's setup form (a select box when [`KeyKind::choices`] has options);
    /// `None` for keys the form does not offer.
    pub form: Option<FormField>,
    get: fn(&Scenario) -> String,
    /// Stores text the kind accepts; `None` only if the two disagree.
    store: fn(&mut Scenario, &str) -> Option<()>,
    relevant: fn(&Scenario) -> bool,
}

impl Key {
    /// The key named `name`, if a scenario has it.
    pub fn named(name: &str) -> Option<&'static Key> {
        KEYS.iter().find(|k| k.name == name)
    }

    /// What the key means, for the command line's help; the range and the default are added
    /// there from [`Key::kind`] and [`Scenario::default`]. Empty in the page, which never shows it.
    pub fn help(&self) -> &'static str {
        #[cfg(not(target_arch = "wasm32"))]
        return self.help;
        #[cfg(target_arch = "wasm32")]
        ""
    }

    /// The key's value in `scenario`, as text that [`Key::set`] reads back.
    pub fn text(&self, scenario: &Scenario) -> String {
        (self.get)(scenario)
    }

    /// The key's value in [`Scenario::default`].
    pub fn default_text(&self) -> String {
        self.text(&Scenario::default())
    }

    /// Sets the key from `value` (surrounding spaces ignored), leaving `scenario` untouched when
    /// the value is not accepted.
    ///
    /// # Errors
    /// What the key accepts ([`KeyKind::allowed`]).
    pub fn set(&self, scenario: &mut Scenario, value: &str) -> Result<(), String> {
        if self.kind == KeyKind::Code {
            // Code keeps its spaces (they are its indentation), and says where it is wrong.
            if !value.trim().is_empty() {
                lang::compile(value).map_err(|e| e.to_string())?;
            }
            return (self.store)(scenario, value).ok_or_else(|| self.kind.allowed());
        }
        let value = value.trim();
        if self.kind.accepts(value) {
            if let Some(()) = (self.store)(scenario, value) {
                return Ok(());
            }
        }
        Err(self.kind.allowed())
    }

    /// Whether the key matters for `scenario` (the one-line description names only those):
    /// `concurrency` only in async mode, `rate` only for spread-out arrivals, and so on.
    pub fn is_relevant(&self, scenario: &Scenario) -> bool {
        (self.relevant)(scenario)
    }

    /// The value as a description or an error shows it: the text, except that a list of times is
    /// counted (`3 times`), since it may hold thousands, and code by its lines.
    pub fn summary(&self, scenario: &Scenario) -> String {
        let text = self.text(scenario);
        match self.kind {
            KeyKind::Times if text.is_empty() => "0 times".to_string(),
            KeyKind::Times => format!("{} times", text::split(&text, ",").len()),
            KeyKind::Code => format!("{} lines", text::lines(text.trim_end()).len()),
            _ => text,
        }
    }

    /// The error for `value` rejected with `allowed` (what [`Key::set`] returned).
    pub fn error(&self, value: &str, allowed: String) -> ParamError {
        if self.kind == KeyKind::Code {
            ParamError::bad_code(self.name, value, allowed)
        } else {
            ParamError::bad_value(self.name, value, allowed)
        }
    }
}

/// Stores a parsed value, or reports that the text did not parse.
fn put<T>(field: &mut T, value: Option<T>) -> Option<()> {
    *field = value?;
    Some(())
}

fn parse_bool(value: &str) -> Option<bool> {
    match value {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

fn parse_pool(value: &str) -> Option<Option<u32>> {
    match value {
        "unlimited" => Some(None),
        _ => decimal::whole_u32(value).map(Some),
    }
}

/// Comma-separated seconds within the limits of [`KeyKind::Times`]; the empty text is no times.
fn parse_times(value: &str) -> Option<Vec<SimTime>> {
    if value.is_empty() {
        return Some(Vec::new());
    }
    let max = MAX_EXTRA_ARRIVAL.as_secs_f64();
    let mut times = Vec::new();
    for part in text::split(value, ",") {
        let secs = decimal::parse(part.trim())?;
        if !(secs.is_finite() && (0.0..=max).contains(&secs))
            || times.len() as u32 >= MAX_EXTRA_ARRIVALS
        {
            return None;
        }
        times.push(SimTime::from_secs_f64(secs));
    }
    Some(times)
}

/// Milliseconds, as the form and the command line write them.
const MS: Option<&str> = Some("ms");

/// Every key of a scenario, in the order [`Scenario::to_pairs`] writes them.
pub const KEYS: &[Key] = &[
    Key {
        name: "mode",
        kind: KeyKind::Choice(Mode::NAMES),
        help: help("how workers run the handler"),
        form: Some(FormField {
            label: "Mode",
            unit: None,
        }),
        get: |s| s.mode.to_string(),
        store: |s, v| put(&mut s.mode, Mode::from_keyword(v)),
        relevant: |_| true,
    },
    Key {
        name: "workers",
        kind: KeyKind::Int {
            lo: 1,
            hi: MAX_WORKERS,
        },
        help: help("worker processes"),
        form: Some(FormField {
            label: "Workers",
            unit: None,
        }),
        get: |s| s.workers.to_string(),
        store: |s, v| put(&mut s.workers, decimal::whole_u32(v)),
        relevant: |_| true,
    },
    Key {
        name: "students",
        kind: KeyKind::Int {
            lo: 1,
            hi: MAX_STUDENTS,
        },
        help: help("registrations"),
        form: Some(FormField {
            label: "Students",
            unit: None,
        }),
        get: |s| s.students.to_string(),
        store: |s, v| put(&mut s.students, decimal::whole_u32(v)),
        relevant: |_| true,
    },
    Key {
        name: "concurrency",
        kind: KeyKind::Int {
            lo: 1,
            hi: MAX_CONCURRENCY,
        },
        help: help(
            "requests in flight per worker in async mode (and in threadpool mode with \
               framework_ms, where they then wait for a thread)",
        ),
        form: Some(FormField {
            label: "Requests in flight per worker",
            unit: Some("async"),
        }),
        get: |s| s.concurrency.to_string(),
        store: |s, v| put(&mut s.concurrency, decimal::whole_u32(v)),
        relevant: |s| s.mode == Mode::Async || (s.mode == Mode::Threadpool && s.has_framework()),
    },
    Key {
        name: "threads",
        kind: KeyKind::Int {
            lo: 1,
            hi: MAX_THREADS,
        },
        help: help("threads per worker in threadpool mode"),
        form: Some(FormField {
            label: "Threads per worker",
            unit: Some("def"),
        }),
        get: |s| s.threads.to_string(),
        store: |s, v| put(&mut s.threads, decimal::whole_u32(v)),
        relevant: |s| s.mode == Mode::Threadpool,
    },
    Key {
        name: "overflow",
        kind: KeyKind::Choice(Overflow::NAMES),
        help: help(
            "what happens to a request that finds every worker full: wait in the accept queue, \
               or an immediate 503 as uvicorn's --limit-concurrency does",
        ),
        form: None,
        get: |s| s.overflow.to_string(),
        store: |s, v| put(&mut s.overflow, Overflow::from_keyword(v)),
        // Queueing goes without saying.
        relevant: |s| s.overflow == Overflow::Reject,
    },
    Key {
        name: "validate_ms",
        kind: KeyKind::Ms,
        help: help("CPU time of validate in ms"),
        form: Some(FormField {
            label: "validate (CPU)",
            unit: MS,
        }),
        get: |s| decimal::shortest(s.validate_ms),
        store: |s, v| put(&mut s.validate_ms, decimal::parse(v)),
        relevant: |_| true,
    },
    Key {
        name: "framework_ms",
        kind: KeyKind::Ms,
        help: help(
            "CPU the framework spends per request on the worker's event loop, in ms: half \
               before the handler (reading the request), half after (writing the response)",
        ),
        form: Some(FormField {
            label: "framework (CPU)",
            unit: MS,
        }),
        get: |s| decimal::shortest(s.framework_ms),
        store: |s, v| put(&mut s.framework_ms, decimal::parse(v)),
        // Zero, the default, goes without saying: the handler's own work is all there is.
        relevant: Scenario::has_framework,
    },
    Key {
        name: "db_ms",
        kind: KeyKind::Ms,
        help: help("duration (or mean) of save_to_database in ms"),
        form: Some(FormField {
            label: "save_to_database",
            unit: MS,
        }),
        get: |s| decimal::shortest(s.db_ms),
        store: |s, v| put(&mut s.db_ms, decimal::parse(v)),
        relevant: |_| true,
    },
    Key {
        name: "email_ms",
        kind: KeyKind::Ms,
        help: help("duration (or mean) of send_email in ms"),
        form: Some(FormField {
            label: "send_email",
            unit: MS,
        }),
        get: |s| decimal::shortest(s.email_ms),
        store: |s, v| put(&mut s.email_ms, decimal::parse(v)),
        // The race handler sends no email.
        relevant: |s| s.code.is_some() || s.handler != HandlerKind::Race,
    },
    Key {
        name: "arrival",
        kind: KeyKind::Choice(Arrival::NAMES),
        help: help("arrival pattern"),
        form: Some(FormField {
            label: "Arrivals",
            unit: None,
        }),
        get: |s| s.arrival.to_string(),
        store: |s, v| put(&mut s.arrival, Arrival::from_keyword(v)),
        relevant: |_| true,
    },
    Key {
        name: "rate",
        kind: KeyKind::Rate,
        help: help("students per second for uniform/poisson"),
        form: Some(FormField {
            label: "Arrival rate",
            unit: Some("per s"),
        }),
        get: |s| decimal::shortest(s.rate),
        store: |s, v| put(&mut s.rate, decimal::parse(v)),
        relevant: |s| s.arrival != Arrival::Burst,
    },
    Key {
        name: "seed",
        kind: KeyKind::Seed,
        help: help("seed of the random generator"),
        form: Some(FormField {
            label: "Seed",
            unit: None,
        }),
        get: |s| s.seed.to_string(),
        store: |s, v| put(&mut s.seed, decimal::whole(v)),
        relevant: |_| true,
    },
    Key {
        name: "io_dist",
        kind: KeyKind::Choice(IoDist::NAMES),
        help: help("I/O durations exact or exponential with that mean"),
        form: Some(FormField {
            label: "I/O times",
            unit: None,
        }),
        get: |s| s.io_dist.to_string(),
        store: |s, v| put(&mut s.io_dist, IoDist::from_keyword(v)),
        relevant: |_| true,
    },
    Key {
        name: "db_pool",
        kind: KeyKind::Pool,
        help: help("database connections per worker"),
        form: None,
        get: |s| {
            s.db_pool
                .map_or_else(|| "unlimited".to_string(), |k| k.to_string())
        },
        store: |s, v| put(&mut s.db_pool, parse_pool(v)),
        relevant: |_| true,
    },
    Key {
        name: "await_db",
        kind: KeyKind::Bool,
        help: help("await the database call (async mode)"),
        form: Some(FormField {
            label: "await the database",
            unit: None,
        }),
        get: |s| s.await_db.to_string(),
        store: |s, v| put(&mut s.await_db, parse_bool(v)),
        // Code says itself what it awaits.
        relevant: |s| s.mode == Mode::Async && s.code.is_none(),
    },
    Key {
        name: "await_email",
        kind: KeyKind::Bool,
        help: help("await the email call (async mode)"),
        form: Some(FormField {
            label: "await the email",
            unit: None,
        }),
        get: |s| s.await_email.to_string(),
        store: |s, v| put(&mut s.await_email, parse_bool(v)),
        relevant: |s| s.mode == Mode::Async && s.code.is_none(),
    },
    Key {
        name: "handler",
        kind: KeyKind::Choice(HandlerKind::NAMES),
        help: help("the article's handler, or the race on seats_left"),
        form: None,
        get: |s| s.handler.to_string(),
        store: |s, v| put(&mut s.handler, HandlerKind::from_keyword(v)),
        // The article's handler goes without saying, and code replaces the preset.
        relevant: |s| s.handler == HandlerKind::Race && s.code.is_none(),
    },
    Key {
        name: "fix",
        kind: KeyKind::Choice(Fix::NAMES),
        help: help(
            "how the race handler guards its seat: none, an asyncio lock, an atomic update, a \
               row lock or optimistic retries (race handler)",
        ),
        form: None,
        get: |s| s.fix.to_string(),
        store: |s, v| put(&mut s.fix, Fix::from_keyword(v)),
        relevant: |s| s.handler == HandlerKind::Race && s.code.is_none() && s.fix != Fix::None,
    },
    Key {
        name: "seats",
        kind: KeyKind::Int {
            lo: 0,
            hi: MAX_SEATS,
        },
        help: help("seats_left at the start (race handler)"),
        form: None,
        get: |s| s.seats.to_string(),
        store: |s, v| put(&mut s.seats, decimal::whole_u32(v)),
        relevant: |s| match &s.code {
            Some(code) => text::contains(code, "db.fetch") || text::contains(code, "db.execute"),
            None => s.handler == HandlerKind::Race,
        },
    },
    Key {
        name: "extra_arrivals",
        kind: KeyKind::Times,
        help: help("extra students arriving at these seconds"),
        form: Some(FormField {
            label: "Arrivals at set times",
            unit: Some("s"),
        }),
        get: |s| {
            let times: Vec<String> = s.extra_arrivals.iter().map(|t| t.secs_text()).collect();
            times.join(",")
        },
        store: |s, v| put(&mut s.extra_arrivals, parse_times(v)),
        relevant: |s| !s.extra_arrivals.is_empty(),
    },
    Key {
        name: "cores",
        kind: KeyKind::Int {
            lo: 1,
            hi: MAX_CORES,
        },
        help: help(
            "CPUs of the server, shared by the workers: past that many workers computing, each \
             computes at cores/busy of full speed; asyncio.to_thread's pool has \
             min(32, cores + 4) threads",
        ),
        form: None,
        get: |s| s.cores.to_string(),
        store: |s, v| put(&mut s.cores, decimal::whole_u32(v)),
        relevant: |s| {
            s.workers > s.cores
                || s.code
                    .as_deref()
                    .is_some_and(|c| text::contains(c, "to_thread"))
        },
    },
    Key {
        name: "switch_ms",
        kind: KeyKind::Ms,
        help: help(
            "CPython's switch interval in ms (sys.getswitchinterval()): a thread that wants the \
             interpreter lock while another computes gets it after this long",
        ),
        form: None,
        get: |s| decimal::shortest(s.switch_ms),
        store: |s, v| put(&mut s.switch_ms, decimal::parse(v)),
        // CPython's default goes without saying.
        relevant: |s| s.switch_ms != SWITCH_MS,
    },
    Key {
        name: "code",
        kind: KeyKind::Code,
        help: help(
            "the handler as Python (async def or def; see README); without it, the preset of \
               handler, mode and the await switches runs",
        ),
        form: None,
        get: |s| s.code.clone().unwrap_or_default(),
        store: |s, v| {
            s.code = (!v.trim().is_empty()).then(|| v.to_string());
            Some(())
        },
        relevant: |s| s.code.is_some(),
    },
];

/// The name of every key, in [`KEYS`] order.
pub fn key_names() -> impl Iterator<Item = &'static str> {
    KEYS.iter().map(|k| k.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_round_trips_through_its_key() {
        let defaults = Scenario::default();
        for key in KEYS {
            let mut s = Scenario {
                seed: 99,
                ..Scenario::default()
            };
            let text = key.default_text();
            assert_eq!(key.set(&mut s, &text), Ok(()), "{}={text}", key.name);
            assert_eq!(key.text(&s), text, "{}", key.name);
            if key.name != "seed" {
                assert_eq!(s.seed, 99, "{} touched another field", key.name);
            }
            assert!(key.kind.accepts(&key.text(&defaults)), "{}", key.name);
        }
    }

    #[test]
    fn names_are_unique_and_select_boxes_have_choices() {
        let mut names: Vec<&str> = key_names().collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), KEYS.len());
        let selects: Vec<&str> = KEYS
            .iter()
            .filter(|k| k.form.is_some() && k.kind.choices().is_some())
            .map(|k| k.name)
            .collect();
        assert_eq!(
            selects,
            ["mode", "arrival", "io_dist", "await_db", "await_email"]
        );
    }

    #[track_caller]
    fn check(key: &str, value: &str, expect: Result<&str, ()>) {
        let key = Key::named(key).expect("a key");
        let mut s = Scenario::default();
        match (key.set(&mut s, value), expect) {
            (Ok(()), Ok(text)) => assert_eq!(key.text(&s), text),
            (Err(allowed), Err(())) => {
                assert_eq!(allowed, key.kind.allowed());
                assert_eq!(s, Scenario::default(), "a rejected value changes nothing");
            }
            (got, _) => panic!("{}={value}: got {got:?}, expected {expect:?}", key.name),
        }
    }

    #[test]
    fn each_kind_accepts_its_range_only() {
        check("workers", " 64 ", Ok("64"));
        check("workers", "65", Err(()));
        check("seats", "0", Ok("0"));
        check("validate_ms", "3600000", Ok("3600000"));
        check("validate_ms", "-0.1", Err(()));
        check("framework_ms", "0.75", Ok("0.75"));
        check("framework_ms", "-1", Err(()));
        check("rate", "1e-9", Ok("0.000000001"));
        check("rate", "inf", Err(()));
        check("seed", "18446744073709551615", Ok("18446744073709551615"));
        check("await_email", "0", Ok("false"));
        check("mode", "Async", Err(()));
        check("overflow", "reject", Ok("reject"));
        check("overflow", "503", Err(()));
        check("db_pool", "unlimited", Ok("unlimited"));
        check("db_pool", "100000", Ok("100000"));
        check("db_pool", "100001", Err(()));
        check("extra_arrivals", "", Ok(""));
        check("extra_arrivals", "0.5, 2", Ok("0.5,2"));
        check("extra_arrivals", "3600.000001", Err(()));
        check("extra_arrivals", "1,,2", Err(()));
    }
}
