//! asyncio's time limits as the interpreter keeps them: `asyncio.wait_for`'s for the awaited
//! call that comes next, `asyncio.timeout`'s deadline for the calls inside its block.

use super::Value;
use crate::sim::time::SimTime;

/// A time limit in seconds as asyncio takes it: None waits as long as it takes, and a limit
/// below zero is no time at all.
#[inline(always)]
pub(super) fn time_limit(seconds: Value) -> Option<SimTime> {
    seconds
        .number()
        .filter(|s| !s.is_nan())
        .map(|s| SimTime::from_millis_f64(s.clamp(0.0, 1e9) * 1000.0))
}

/// The nearer of two limits, either of which may be none.
pub(super) fn nearer(a: Option<SimTime>, b: Option<SimTime>) -> Option<SimTime> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
