//! A small unsigned big integer in base 10⁹ for `decimal`: sums, differences, products by small
//! numbers and comparisons, enough to read and write every `f64` exactly. Base 10⁹ because the
//! answers are decimal digits, which then fall out of the limbs with no division; it never divides.

use std::cmp::Ordering;

const BASE: u64 = 1_000_000_000;

/// Little-endian limbs below 10⁹, with no zero limb at the top (zero has none).
#[derive(Clone, Debug)]
pub(super) struct Big(Vec<u32>);

impl Big {
    pub(super) fn from_u64(mut n: u64) -> Big {
        let mut limbs = Vec::new();
        while n > 0 {
            limbs.push((n % BASE) as u32);
            n /= BASE;
        }
        Big(limbs)
    }

    /// The number whose decimal digits (each 0 to 9, the most significant first) are `digits`.
    pub(super) fn from_digits(digits: &[u8]) -> Big {
        let mut limbs = Vec::with_capacity(digits.len() / 9 + 1);
        let mut end = digits.len();
        while end > 0 {
            let start = end.saturating_sub(9);
            limbs.push(
                digits[start..end]
                    .iter()
                    .fold(0, |n, &d| n * 10 + u32::from(d)),
            );
            end = start;
        }
        let mut big = Big(limbs);
        big.trim();
        big
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    /// Multiplies by `factor`, which must stay below 2³¹ so that no limb's product overflows.
    pub(super) fn mul_small(&mut self, factor: u32) -> &mut Big {
        let mut carry = 0u64;
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(factor) + carry;
            *limb = (v % BASE) as u32;
            carry = v / BASE;
        }
        while carry > 0 {
            self.0.push((carry % BASE) as u32);
            carry /= BASE;
        }
        self.trim();
        self
    }

    pub(super) fn mul_pow2(&mut self, mut n: u32) -> &mut Big {
        while n > 30 {
            self.mul_small(1 << 30);
            n -= 30;
        }
        self.mul_small(1 << n)
    }

    pub(super) fn mul_pow5(&mut self, mut n: u32) -> &mut Big {
        while n > 13 {
            self.mul_small(1_220_703_125);
            n -= 13;
        }
        self.mul_small(5u32.pow(n))
    }

    /// Whole limbs are a shift in this base; the rest is one small product.
    pub(super) fn mul_pow10(&mut self, n: u32) -> &mut Big {
        if !self.0.is_empty() {
            self.0
                .splice(0..0, std::iter::repeat_n(0, (n / 9) as usize));
        }
        self.mul_small(10u32.pow(n % 9))
    }

    pub(super) fn add(&mut self, other: &Big) -> &mut Big {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        let mut carry = 0;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let v = *limb + other.0.get(i).copied().unwrap_or(0) + carry;
            carry = u32::from(v >= BASE as u32);
            *limb = v - carry * BASE as u32;
        }
        if carry > 0 {
            self.0.push(carry);
        }
        self
    }

    /// Subtracts `other`, which must not be larger.
    pub(super) fn sub(&mut self, other: &Big) -> &mut Big {
        let mut borrow = 0;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let take = other.0.get(i).copied().unwrap_or(0) + borrow;
            borrow = u32::from(*limb < take);
            *limb = *limb + borrow * BASE as u32 - take;
        }
        self.trim();
        self
    }

    pub(super) fn cmp(&self, other: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }

    /// The decimal digits, the most significant first; none for zero.
    pub(super) fn digits(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.0.len() * 9);
        for (i, &limb) in self.0.iter().rev().enumerate() {
            let mut chunk = [0u8; 9];
            let mut v = limb;
            for d in chunk.iter_mut().rev() {
                *d = (v % 10) as u8;
                v /= 10;
            }
            // The top limb has no leading zeros.
            let skip = if i == 0 {
                chunk.iter().take_while(|&&d| d == 0).count()
            } else {
                0
            };
            out.extend_from_slice(&chunk[skip..]);
        }
        out
    }
}
