//! The simulation core: a deterministic model of workers serving the article's registration
//! handler, blocking, async or in a thread pool. Pure: it takes a [`Scenario`] and returns plain
//! data ([`Trace`], [`Metrics`]); no clock but its own, no randomness but its seeded generator, and
//! nothing from the browser, so the same code runs under `cargo test` and in the page.
//!
//! - [`scenario`]: the parameters and their `key=value` validation.
//! - `workload`: every random draw (arrivals, I/O durations), made up front.
//! - [`handler`]: the request handler as real `async` code and the futures it awaits.
//! - [`executor`]: the cooperative executor polling those futures on a virtual clock.
//! - [`trace`] and [`metrics`]: the results, and their state at any moment.
//! - [`cli`]: the command line of `examples/simulate.rs`, as a pure function.

pub mod cli;
pub mod executor;
pub mod handler;
pub mod metrics;
pub mod rng;
pub mod scenario;
pub mod time;
pub mod trace;
mod workload;

pub use executor::{Executor, SimError};
pub use handler::{Io, Job, Step};
pub use metrics::{LatencySummary, Metrics, MetricsJson};
pub use scenario::{Arrival, IoDist, Mode, ParamError, Scenario};
pub use time::SimTime;
pub use trace::{Span, State, Status, StudentTrace, Trace, WorkerSpan, WorkerTrace};

/// Runs `scenario` to the end and returns its full trace.
///
/// # Errors
/// [`SimError::InvalidScenario`] for out-of-range parameters; [`SimError::StepLimit`] or
/// [`SimError::Stuck`] if the run cannot complete (neither happens with the built-in handler).
pub fn simulate(scenario: &Scenario) -> Result<Trace, SimError> {
    let mut executor = Executor::new(scenario)?;
    executor.run()?;
    Ok(executor.into_trace())
}

/// Runs `scenario` to the end recording no spans, and returns only its metrics (equal to
/// `simulate(scenario)?.metrics`). For large runs such as the benchmark.
///
/// # Errors
/// As [`simulate`].
pub fn simulate_metrics_only(scenario: &Scenario) -> Result<Metrics, SimError> {
    let mut executor = Executor::new(scenario)?.record_spans(false);
    executor.run()?;
    Ok(executor.metrics())
}
