//! Numbers as decimal text: [`parse`] reads an `f64` as `str::parse` does (and [`whole`] a whole
//! number), [`fixed`] writes one as `{:.N}` does and [`shortest`] as `{}` does, the same strings
//! and the same bits for every input (`tests/sim_decimal.rs` compares them over many values).
//! They exist for the size of the page: core's float parser and formatter carry tables and code
//! that weighed about 20,000 bytes gzip in the wasm, where these take a fraction of that.
//! Everything that reads or writes a float for the page goes through here; the speed is that of
//! a small exact algorithm, which is plenty for the URL, the handler's literals and the numbers on
//! screen.

mod big;

use std::cmp::Ordering;
use std::fmt;

use big::Big;

/// Significant digits kept when reading: past 800 digits the rest only decides a tie, so it
/// is kept as one flag ("something more"); 800 is above the 767 digits of the longest halfway
/// point between two `f64`s, so that flag is always enough.
const KEEP: usize = 800;

/// `text.parse::<f64>().ok()`, for every text: the same grammar (an optional sign, then `inf`,
/// `infinity`, `nan` in any case, or digits with an optional point and an optional exponent;
/// nothing else, not even a space) and the same correctly rounded value.
pub fn parse(text: &str) -> Option<f64> {
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let magnitude = if rest.eq_ignore_ascii_case("inf") || rest.eq_ignore_ascii_case("infinity") {
        f64::INFINITY
    } else if rest.eq_ignore_ascii_case("nan") {
        f64::NAN
    } else {
        magnitude(rest.as_bytes())?
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// `text.parse::<u64>().ok()`: an optional `+`, then ASCII digits and nothing else. One function
/// for every whole number the page reads, where `str::parse` is a copy per integer type.
pub fn whole(text: &str) -> Option<u64> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    Some(n)
}

/// [`whole`] within `u32`: `text.parse::<u32>().ok()`.
pub fn whole_u32(text: &str) -> Option<u32> {
    whole(text)?.try_into().ok()
}

/// A decimal as read: significant digits (the first not zero), what was dropped after the
/// `KEEP`th, and the power of ten of the last digit.
struct Decimal {
    digits: Vec<u8>,
    more: bool,
    exp10: i64,
}

impl Decimal {
    fn push(&mut self, digit: u8, fraction: bool) {
        if self.digits.is_empty() && digit == 0 {
            self.exp10 -= i64::from(fraction);
        } else if self.digits.len() < KEEP {
            self.digits.push(digit);
            self.exp10 -= i64::from(fraction);
        } else {
            self.more |= digit != 0;
            self.exp10 += i64::from(!fraction);
        }
    }

    /// How the number compares with `mant × 2^exp`, exactly.
    fn cmp_binary(&self, mant: u64, exp: i32) -> Ordering {
        let mut a = Big::from_digits(&self.digits);
        let mut b = Big::from_u64(mant);
        if self.exp10 >= 0 {
            a.mul_pow10(self.exp10 as u32);
        } else {
            b.mul_pow10(self.exp10.unsigned_abs() as u32);
        }
        if exp >= 0 {
            b.mul_pow2(exp as u32);
        } else {
            a.mul_pow2(exp.unsigned_abs());
        }
        match a.cmp(&b) {
            Ordering::Equal if self.more => Ordering::Greater,
            order => order,
        }
    }
}

fn magnitude(s: &[u8]) -> Option<f64> {
    let mut d = Decimal {
        digits: Vec::new(),
        more: false,
        exp10: 0,
    };
    let mut i = 0;
    let mut any = false;
    for fraction in [false, true] {
        if fraction {
            if s.get(i) != Some(&b'.') {
                break;
            }
            i += 1;
        }
        while let Some(c) = s.get(i).filter(|c| c.is_ascii_digit()) {
            d.push(c - b'0', fraction);
            any = true;
            i += 1;
        }
    }
    if !any {
        return None;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        let sign = match s.get(i) {
            Some(b'-') => -1,
            Some(b'+') => 1,
            _ => 0,
        };
        i += usize::from(sign != 0);
        let start = i;
        let mut e: i64 = 0;
        while let Some(c) = s.get(i).filter(|c| c.is_ascii_digit()) {
            // Far past any float: only "huge" or "tiny" matters from there on.
            e = (e * 10 + i64::from(c - b'0')).min(1 << 40);
            i += 1;
        }
        if i == start {
            return None;
        }
        d.exp10 += if sign < 0 { -e } else { e };
    }
    if i != s.len() {
        return None;
    }
    if !d.more {
        while d.digits.last() == Some(&0) {
            d.digits.pop();
            d.exp10 += 1;
        }
    }
    let n = d.digits.len() as i64;
    if n == 0 || n + d.exp10 < -324 {
        return Some(0.0);
    }
    if n + d.exp10 > 310 {
        return Some(f64::INFINITY);
    }
    // Both exact, so their quotient or product is rounded once, correctly.
    if n <= 15 && d.exp10.abs() <= 22 {
        let m = d.digits.iter().fold(0u64, |m, &c| m * 10 + u64::from(c)) as f64;
        let p = (0..d.exp10.abs()).fold(1.0, |p, _| p * 10.0);
        return Some(if d.exp10 < 0 { m / p } else { m * p });
    }
    Some(nearest(&d))
}

/// The `f64` nearest to `d` (ties to the even one): a guess from the first 19 digits, then
/// steps of one unit in the last place while `d` lies beyond the halfway point to a neighbour.
fn nearest(d: &Decimal) -> f64 {
    let lead = d.digits.len().min(19);
    let m = d.digits[..lead]
        .iter()
        .fold(0u64, |m, &c| m * 10 + u64::from(c)) as f64;
    let e = (d.exp10 + (d.digits.len() - lead) as i64) as i32;
    // In two halves, so that no partial product leaves the range of an f64.
    refine(d, m * 10f64.powi(e / 2) * 10f64.powi(e - e / 2))
}

/// From the guess `x`, a step at a time to the `f64` nearest to `d`.
fn refine(d: &Decimal, x: f64) -> f64 {
    let mut x = x.clamp(f64::from_bits(1), f64::MAX);
    loop {
        let (m, e) = decode(x);
        let odd = m & 1 == 1;
        let above = d.cmp_binary(2 * m + 1, e - 1);
        if above == Ordering::Greater || (above == Ordering::Equal && odd) {
            if x == f64::MAX {
                return f64::INFINITY;
            }
            x = f64::from_bits(x.to_bits() + 1);
            continue;
        }
        // Below a power of two the neighbour is half as far.
        let (lm, le) = if m == 1 << 52 && e > -1074 {
            (4 * m - 1, e - 2)
        } else {
            (2 * m - 1, e - 1)
        };
        let below = d.cmp_binary(lm, le);
        if below == Ordering::Less || (below == Ordering::Equal && odd) {
            x = f64::from_bits(x.to_bits() - 1);
            if x == 0.0 {
                return 0.0;
            }
            continue;
        }
        return x;
    }
}

/// A finite, positive `x` as `m × 2^e`, `m` below 2⁵³.
fn decode(x: f64) -> (u64, i32) {
    let bits = x.to_bits();
    let biased = (bits >> 52) as i32 & 0x7ff;
    let fraction = bits & ((1 << 52) - 1);
    if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, biased - 1075)
    }
}

/// `format!("{x:.digits$}")`, for every `x`: rounded half to even on its exact value,
/// `-` for any negative (`-0.0`), `inf`, `-inf`, `NaN`.
pub fn fixed(x: f64, digits: usize) -> String {
    let mut out = String::new();
    write_fixed(&mut out, x, digits);
    out
}

/// [`fixed`] inside a `format!`: `format!("M{},{}", Fixed(x, 1), Fixed(y, 1))`.
pub struct Fixed(pub f64, pub usize);

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&fixed(self.0, self.1))
    }
}

fn write_fixed(out: &mut String, x: f64, frac: usize) {
    if x.is_nan() {
        out.push_str("NaN");
        return;
    }
    if x.is_sign_negative() {
        out.push('-');
    }
    if x.is_infinite() {
        out.push_str("inf");
        return;
    }
    let scaled = if x == 0.0 {
        Vec::new()
    } else {
        let (m, e) = decode(x.abs());
        scaled_digits(m, e, frac as u32)
    };
    // At least one digit before the point.
    let width = scaled.len().max(frac + 1);
    for i in 0..width {
        if i == width - frac {
            out.push('.');
        }
        let d = (i + scaled.len())
            .checked_sub(width)
            .map_or(0, |j| scaled[j]);
        out.push(char::from(b'0' + d));
    }
}

/// The digits of `m × 2^e × 10^frac` rounded to a whole number, half to even; none for zero.
fn scaled_digits(m: u64, e: i32, frac: u32) -> Vec<u8> {
    // The usual case, a number on screen: exact in 128 bits.
    if e < 0 && e > -128 && frac <= 19 {
        let product = u128::from(m) * 10u128.pow(frac);
        let k = e.unsigned_abs();
        let (q, r, half) = (product >> k, product & ((1 << k) - 1), 1u128 << (k - 1));
        let q = q + u128::from(r > half || (r == half && q & 1 == 1));
        if let Ok(q) = u64::try_from(q) {
            return if q == 0 {
                Vec::new()
            } else {
                Big::from_u64(q).digits()
            };
        }
    }
    let mut b = Big::from_u64(m);
    if e >= 0 {
        b.mul_pow2(e as u32).mul_pow10(frac);
        return b.digits();
    }
    // Exactly `b / 10^k` with `b = m × 5^k`: its decimal digits, cut `k - frac` from the end.
    let k = e.unsigned_abs();
    b.mul_pow5(k);
    if frac >= k {
        b.mul_pow10(frac - k);
        return b.digits();
    }
    let all = b.digits();
    let cut = (k - frac) as usize;
    let kept_len = all.len().saturating_sub(cut);
    let mut kept = all[..kept_len].to_vec();
    let dropped = &all[kept_len..];
    // The first digit dropped, counting the zeros in front of a number shorter than the cut.
    let (first, rest) = if dropped.len() == cut {
        (dropped[0], &dropped[1..])
    } else {
        (0, dropped)
    };
    let odd = kept.last().is_some_and(|d| d & 1 == 1);
    let rest_nonzero = rest.iter().any(|&d| d != 0);
    if first > 5 || (first == 5 && (rest_nonzero || odd)) {
        increment(&mut kept);
    }
    kept
}

/// Adds one to a number's digits, growing it by a digit when it was all nines.
fn increment(digits: &mut Vec<u8>) {
    for d in digits.iter_mut().rev() {
        if *d == 9 {
            *d = 0;
        } else {
            *d += 1;
            return;
        }
    }
    digits.insert(0, 1);
}

/// `format!("{x}")`, for every `x`: the shortest digits that read back as `x`, written out in
/// full (`1e21` is `1000000000000000000000`), `-0` for negative zero, `inf`, `-inf`, `NaN`.
pub fn shortest(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    let mut out = String::new();
    if x.is_sign_negative() {
        out.push('-');
    }
    let a = x.abs();
    if a.is_infinite() {
        out.push_str("inf");
    } else if a == 0.0 {
        out.push('0');
    } else if a < 9_007_199_254_740_992.0 && a.fract() == 0.0 {
        // A whole number is its own shortest digits.
        write_fixed(&mut out, a, 0);
    } else {
        let (digits, k) = shortest_digits(a);
        let k = k as isize;
        let len = digits.len() as isize;
        if k <= 0 {
            out.push_str("0.");
        }
        for i in k.min(0)..len.max(k) {
            if i == k && k > 0 {
                out.push('.');
            }
            let d = if (0..len).contains(&i) {
                digits[i as usize]
            } else {
                0
            };
            out.push(char::from(b'0' + d));
        }
    }
    out
}

/// The shortest digits that read back as the finite, positive `x`, and `k` with
/// `x ≈ 0.d₁d₂… × 10^k`: core's Dragon4 in its "shortest" mode step for step, its quirks
/// included (a subnormal's range counts as closed, a power of two's as uneven), so that the
/// digits are the ones `{}` and `{:e}` print.
pub fn shortest_digits(x: f64) -> (Vec<u8>, i32) {
    let bits = x.to_bits();
    let biased = (bits >> 52) as i32 & 0x7ff;
    let fraction = bits & ((1 << 52) - 1);
    // x = mant × 2^exp; what rounds to x runs from (mant - minus) to (mant + plus) × 2^exp.
    let (mant, minus, plus, exp, inclusive) = if biased == 0 {
        (fraction << 1, 1, 1, -1075, true)
    } else if fraction == 0 {
        (1 << 54, 1, 2, biased - 1077, true)
    } else {
        let m = fraction | 1 << 52;
        (m << 1, 1, 1, biased - 1076, m & 1 == 0)
    };
    // `a < b`, or `a <= b` where the range's ends count.
    let below = |a: &Big, b: &Big| match a.cmp(b) {
        Ordering::Less => true,
        Ordering::Equal => inclusive,
        Ordering::Greater => false,
    };
    let bits_high = 64 - (mant + plus - 1).leading_zeros() as i64;
    let mut k = (((bits_high + i64::from(exp)) * 1_292_913_986) >> 32) as i32;
    let mut m = Big::from_u64(mant);
    let mut lo = Big::from_u64(minus);
    let mut hi = Big::from_u64(plus);
    let mut scale = Big::from_u64(1);
    if exp < 0 {
        scale.mul_pow2(exp.unsigned_abs());
    } else {
        for b in [&mut m, &mut lo, &mut hi] {
            b.mul_pow2(exp as u32);
        }
    }
    if k >= 0 {
        scale.mul_pow10(k as u32);
    } else {
        for b in [&mut m, &mut lo, &mut hi] {
            b.mul_pow10(k.unsigned_abs());
        }
    }
    if below(&scale, m.clone().add(&hi)) {
        k += 1;
    } else {
        for b in [&mut m, &mut lo, &mut hi] {
            b.mul_small(10);
        }
    }
    let mut digits = Vec::new();
    let (down, up) = loop {
        let mut digit = 0;
        while m.cmp(&scale) != Ordering::Less {
            m.sub(&scale);
            digit += 1;
        }
        digits.push(digit);
        let down = below(&m, &lo);
        let up = below(&scale, m.clone().add(&hi));
        if down || up {
            break (down, up);
        }
        for b in [&mut m, &mut lo, &mut hi] {
            b.mul_small(10);
        }
    };
    if up && (!down || m.mul_small(2).cmp(&scale) != Ordering::Less) {
        let before = digits.len();
        increment(&mut digits);
        if digits.len() > before {
            // All nines became a one and zeros: core keeps the digit count plus one.
            k += 1;
        }
    }
    (digits, k)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2^p exactly, subnormal or normal (`powi` may lose the smallest ones).
    fn pow2(p: i32) -> f64 {
        if p < -1022 {
            f64::from_bits(1 << (p + 1074))
        } else {
            f64::from_bits(((p + 1023) as u64) << 52)
        }
    }

    /// `mant × 2^exp` as exact decimal text.
    fn exact(mant: u64, exp: i32) -> String {
        let mut b = Big::from_u64(mant);
        if exp >= 0 {
            b.mul_pow2(exp as u32);
            return b.digits().iter().map(|&c| char::from(b'0' + c)).collect();
        }
        b.mul_pow5(exp.unsigned_abs());
        let text: String = b.digits().iter().map(|&c| char::from(b'0' + c)).collect();
        format!("{text}e{exp}")
    }

    /// Whatever the guess, within a few units of the answer: the steps find the same `f64` as
    /// `str::parse` at each halfway point around a power of two (where the lower neighbour is
    /// nearer), and just either side of it.
    #[test]
    fn any_nearby_guess_ends_at_the_nearest() {
        for p in (-1074..=1023)
            .step_by(7)
            .chain([-1074, -1073, -1022, -1021, 1023])
        {
            let (m, e) = decode(pow2(p));
            let mut texts = vec![exact(2 * m + 1, e - 1), exact(4 * m + 3, e - 2)];
            if p > -1074 {
                let (lm, le) = if p > -1022 {
                    (4 * m - 1, e - 2)
                } else {
                    (2 * m - 1, e - 1)
                };
                texts.extend([
                    exact(lm, le),
                    exact(2 * lm - 1, le - 1),
                    exact(2 * lm + 1, le - 1),
                ]);
            }
            for text in texts {
                let want = text.parse::<f64>().unwrap();
                let mut d = Decimal {
                    digits: Vec::new(),
                    more: false,
                    exp10: 0,
                };
                let (digits, exp) = text.split_once('e').unwrap_or((&text, "0"));
                for c in digits.bytes() {
                    d.push(c - b'0', false);
                }
                d.exp10 += exp.parse::<i64>().unwrap();
                for ulps in -3i64..=3 {
                    let guess = f64::from_bits(want.to_bits().saturating_add_signed(ulps));
                    assert_eq!(refine(&d, guess), want, "{text} from {ulps} units away");
                }
            }
        }
    }
}
