//! The one seeded random number generator of a run: xoshiro256++ seeded through splitmix64, with
//! its own logarithm so that every draw is bit-identical natively and in the browser.

/// Seeds expander: splitmix64 (Steele, Lea and Flood), used only to turn one `u64` seed into the
/// four words of xoshiro's state, as its authors recommend.
#[derive(Clone, Debug)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// xoshiro256++ (Blackman and Vigna): small, fast, and defined only in terms of 64-bit integer
/// operations, so the sequence for a seed is the same on every platform.
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator whose state is four splitmix64 outputs of `seed` (never all zero).
    pub fn seed_from_u64(seed: u64) -> Rng {
        let mut sm = SplitMix64::new(seed);
        Rng {
            s: [sm.next_u64(), sm.next_u64(), sm.next_u64(), sm.next_u64()],
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[0]
            .wrapping_add(self.s[3])
            .rotate_left(23)
            .wrapping_add(self.s[0]);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// A uniform float in the half-open interval (0, 1], on a grid of 2^-53.
    ///
    /// Zero is excluded so that `ln` of the result is always finite.
    pub fn next_open01(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform integer in `0..n` (`n > 0`), by Lemire's multiply-shift; the tiny bias for huge
    /// `n` does not matter for picking test scenarios.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// An exponential variate with the given mean (inverse transform sampling).
    pub fn exp(&mut self, mean: f64) -> f64 {
        -mean * ln(self.next_open01())
    }
}

/// Natural logarithm of a positive, finite `x`, built from `+ - * /` only.
///
/// The platform `ln` is not guaranteed to round identically everywhere (natively it comes from the
/// system's libm, in wasm from a bundled one); basic IEEE-754 operations are. Accuracy is within a
/// couple of ulps, far finer than the microsecond grid the draws are rounded to. Returns NaN for
/// zero, negatives and non-finite input, which the callers never pass.
pub fn ln(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 || x.is_infinite() {
        return f64::NAN;
    }
    // ln 2 split in two (fdlibm's constants): the high part has its low bits zero, so
    // `e * LN2_HI` is exact for every exponent.
    let ln2_hi = f64::from_bits(0x3fe6_2e42_fee0_0000);
    let ln2_lo = f64::from_bits(0x3dea_39ef_3579_3c76);
    let mut x = x;
    let mut e: i64 = 0;
    if x < f64::MIN_POSITIVE {
        // Subnormal: scale into the normal range first (2^54 is exact).
        x *= 18_014_398_509_481_984.0;
        e -= 54;
    }
    let bits = x.to_bits();
    e += ((bits >> 52) & 0x7ff) as i64 - 1023;
    // The mantissa as a number in [1, 2), then folded into (sqrt(1/2), sqrt(2)] so that the
    // series below converges fast.
    let mut m = f64::from_bits((bits & ((1u64 << 52) - 1)) | (1023u64 << 52));
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    // ln(m) = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), with |s| <= 0.172.
    let s = (m - 1.0) / (m + 1.0);
    let z = s * s;
    let mut poly = 1.0 / 23.0;
    for k in (0..11).rev() {
        poly = poly * z + 1.0 / f64::from(2 * k + 1);
    }
    let e = e as f64;
    e * ln2_hi + (e * ln2_lo + 2.0 * s * poly)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xoshiro_reference_sequence() {
        // State 1, 2, 3, 4 gives these outputs in the reference C implementation.
        let mut rng = Rng { s: [1, 2, 3, 4] };
        let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        assert_eq!(first, [41_943_041, 58_720_359, 3_588_806_011_781_223]);
    }

    #[test]
    fn splitmix_reference_value() {
        let mut sm = SplitMix64::new(0);
        assert_eq!(sm.next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn ln_matches_the_platform_closely() {
        let mut rng = Rng::seed_from_u64(7);
        for _ in 0..100_000 {
            let x = rng.next_open01();
            let ours = ln(x);
            let platform = x.ln();
            assert!(
                (ours - platform).abs() <= 4.0 * f64::EPSILON * platform.abs().max(1.0),
                "ln({x}) = {ours}, platform says {platform}"
            );
        }
        assert_eq!(ln(1.0), 0.0);
        assert!((ln(f64::MIN_POSITIVE / 4.0) - (f64::MIN_POSITIVE / 4.0).ln()).abs() < 1e-12);
        assert!(ln(0.0).is_nan() && ln(-1.0).is_nan());
    }

    #[test]
    fn exp_has_the_right_mean() {
        let mut rng = Rng::seed_from_u64(3);
        let n = 200_000;
        let mean = (0..n).map(|_| rng.exp(2.0)).sum::<f64>() / f64::from(n);
        assert!((mean - 2.0).abs() < 0.02, "mean {mean}");
    }
}
