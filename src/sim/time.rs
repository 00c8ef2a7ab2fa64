//! Virtual time for the simulation: integer microseconds, never the wall clock.

use std::fmt;
use std::ops::{Add, Sub};

use serde::{Deserialize, Serialize};

/// A moment or a duration on the simulation's virtual clock, in whole microseconds.
///
/// Integers rather than floats so that sums, comparisons and orderings are exact and identical on
/// every platform (the browser build and the native tests must produce the same trace).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct SimTime(u64);

impl SimTime {
    /// The start of every run.
    pub const ZERO: SimTime = SimTime(0);
    /// The largest representable time; arithmetic saturates here instead of wrapping.
    pub const MAX: SimTime = SimTime(u64::MAX);

    /// A time from whole microseconds.
    pub const fn from_micros(us: u64) -> SimTime {
        SimTime(us)
    }

    /// A time from whole milliseconds (saturating).
    pub const fn from_millis(ms: u64) -> SimTime {
        SimTime(ms.saturating_mul(1_000))
    }

    /// A time from whole seconds (saturating).
    pub const fn from_secs(s: u64) -> SimTime {
        SimTime(s.saturating_mul(1_000_000))
    }

    /// A time from seconds, rounded to the nearest microsecond.
    ///
    /// Negative values and NaN give zero, values too large give [`SimTime::MAX`]: float-to-integer
    /// casts saturate, so no input can panic.
    pub fn from_secs_f64(s: f64) -> SimTime {
        SimTime((s * 1e6).round() as u64)
    }

    /// A time from milliseconds, rounded to the nearest microsecond (saturating like
    /// [`SimTime::from_secs_f64`]).
    pub fn from_millis_f64(ms: f64) -> SimTime {
        SimTime((ms * 1e3).round() as u64)
    }

    /// A time from microseconds as a float, rounded to the nearest (saturating like
    /// [`SimTime::from_secs_f64`]).
    pub fn from_micros_f64(us: f64) -> SimTime {
        SimTime(us.round() as u64)
    }

    /// The time in whole microseconds.
    pub const fn as_micros(self) -> u64 {
        self.0
    }

    /// `self / whole` as a float (where a moment sits in a run, a share of a duration); zero when
    /// `whole` is zero, so an empty run never divides by zero.
    pub fn ratio(self, whole: SimTime) -> f64 {
        if whole.0 == 0 {
            0.0
        } else {
            self.0 as f64 / whole.0 as f64
        }
    }

    /// `self * num / den`, rounded down, computed exactly (a pixel column's start, half a run).
    /// Saturates at [`SimTime::MAX`]; a zero `den` gives [`SimTime::MAX`] too. The remainder
    /// by `den` times `num` fits in 64 bits, so no 128-bit division is needed (its code would
    /// be the page's only use of it).
    pub fn scale(self, num: u32, den: u32) -> SimTime {
        if den == 0 {
            return SimTime::MAX;
        }
        let (num, den) = (u64::from(num), u64::from(den));
        let (q, r) = (self.0 / den, self.0 % den);
        q.checked_mul(num)
            .and_then(|whole| whole.checked_add(r * num / den))
            .map_or(SimTime::MAX, SimTime)
    }

    /// `self * n`, saturating at [`SimTime::MAX`].
    pub const fn times(self, n: u64) -> SimTime {
        SimTime(self.0.saturating_mul(n))
    }

    /// How many whole `unit`s fit in `self` (a count of ticks, a position on a bar); `u64::MAX`
    /// for a zero `unit`.
    pub fn div_floor(self, unit: SimTime) -> u64 {
        self.0.checked_div(unit.0).unwrap_or(u64::MAX)
    }

    /// The time in seconds as a float (exact up to 2^53 microseconds, about 285 years).
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1e6
    }

    /// The seconds as the shortest decimal that reads back to the same microsecond, without a
    /// unit (`2`, `0.5`, `1.000001`): how the URL and the command line write times.
    pub fn secs_text(self) -> String {
        let whole = self.0 / 1_000_000;
        let frac = self.0 % 1_000_000;
        if frac == 0 {
            whole.to_string()
        } else {
            let digits = format!("{frac:06}");
            format!("{whole}.{}", digits.trim_end_matches('0'))
        }
    }

    /// `self + other`, stopping at [`SimTime::MAX`].
    pub const fn saturating_add(self, other: SimTime) -> SimTime {
        SimTime(self.0.saturating_add(other.0))
    }

    /// `self - other`, stopping at zero.
    pub const fn saturating_sub(self, other: SimTime) -> SimTime {
        SimTime(self.0.saturating_sub(other.0))
    }
}

impl Add for SimTime {
    type Output = SimTime;

    /// Saturating, so a pathological scenario ends in an error or a huge time, never a panic.
    fn add(self, other: SimTime) -> SimTime {
        self.saturating_add(other)
    }
}

impl Sub for SimTime {
    type Output = SimTime;

    /// Saturating at zero.
    fn sub(self, other: SimTime) -> SimTime {
        self.saturating_sub(other)
    }
}

impl fmt::Display for SimTime {
    /// Seconds with up to six decimals and no trailing zeros: `2 s`, `0.5 s`, `1.000001 s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} s", self.secs_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_and_saturate() {
        assert_eq!(SimTime::from_secs_f64(2.0), SimTime(2_000_000));
        assert_eq!(SimTime::from_secs_f64(-1.0), SimTime::ZERO);
        assert_eq!(SimTime::from_secs_f64(f64::NAN), SimTime::ZERO);
        assert_eq!(SimTime::from_secs_f64(1e300), SimTime::MAX);
        assert_eq!(SimTime::from_millis_f64(0.0004), SimTime::ZERO);
        assert_eq!(SimTime::from_millis_f64(0.0005), SimTime(1));
        assert_eq!(SimTime::MAX + SimTime(1), SimTime::MAX);
        assert_eq!(SimTime(1) - SimTime(2), SimTime::ZERO);
    }

    #[test]
    fn ratio_is_zero_for_an_empty_whole() {
        let check = |part: u64, whole: u64, expect: f64| {
            assert_eq!(
                SimTime(part).ratio(SimTime(whole)),
                expect,
                "{part}/{whole}"
            );
        };
        check(1, 4, 0.25);
        check(3, 3, 1.0);
        check(5, 0, 0.0);
        check(0, 0, 0.0);
        check(8, 4, 2.0);
    }

    #[test]
    fn scale_is_exact_and_saturates() {
        let check = |t: u64, num: u32, den: u32, expect: SimTime| {
            assert_eq!(SimTime(t).scale(num, den), expect, "{t}*{num}/{den}");
        };
        check(7, 1, 2, SimTime(3));
        check(1_000_000, 3, 4, SimTime(750_000));
        // The product overflows u64 but the quotient does not.
        check(u64::MAX, 3, 3, SimTime::MAX);
        check(u64::MAX - 1, u32::MAX, u32::MAX, SimTime(u64::MAX - 1));
        check(u64::MAX, 2, 1, SimTime::MAX);
        check(5, 1, 0, SimTime::MAX);
        check(0, 9, 5, SimTime::ZERO);
        // Against the product and quotient in 128 bits, saturated, over the widths' corners.
        let ts = [
            0,
            1,
            999,
            1 << 32,
            (1 << 32) + 7,
            u64::MAX / 3,
            u64::MAX - 1,
            u64::MAX,
        ];
        let ns = [0, 1, 2, 3, 999, 1000, u32::MAX - 1, u32::MAX];
        for t in ts {
            for num in ns {
                for den in ns.into_iter().filter(|d| *d > 0) {
                    let exact = u128::from(t) * u128::from(num) / u128::from(den);
                    let want = SimTime(u64::try_from(exact).unwrap_or(u64::MAX));
                    check(t, num, den, want);
                }
            }
        }
    }

    #[test]
    fn times_saturates() {
        assert_eq!(SimTime(7).times(3), SimTime(21));
        assert_eq!(SimTime(u64::MAX / 2).times(3), SimTime::MAX);
    }

    #[test]
    fn from_micros_f64_rounds_and_saturates() {
        assert_eq!(SimTime::from_micros_f64(1.5), SimTime(2));
        assert_eq!(SimTime::from_micros_f64(1.4), SimTime(1));
        assert_eq!(SimTime::from_micros_f64(-3.0), SimTime::ZERO);
        assert_eq!(SimTime::from_micros_f64(f64::NAN), SimTime::ZERO);
        assert_eq!(SimTime::from_micros_f64(1e30), SimTime::MAX);
    }

    #[test]
    fn display_trims_zeros() {
        assert_eq!(SimTime::from_secs(200).to_string(), "200 s");
        assert_eq!(SimTime(500_000).to_string(), "0.5 s");
        assert_eq!(SimTime(1_000_001).to_string(), "1.000001 s");
    }
}
