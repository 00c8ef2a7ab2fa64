//! Float formatting and arithmetic of the handler language, against CPython 3.11's figures.

use super::{float_divmod, float_repr, fmod};

#[test]
fn fmod_is_exact_as_the_platform_remainder_is() {
    // Natively, `%` on floats is C's fmod, exact; ours must give the same bits, from the
    // smallest subnormal to the largest finite float, with signs and infinities.
    let mut vals = vec![
        0.0,
        0.1,
        0.3,
        1.0,
        2.5,
        3.0,
        7.25,
        1e22,
        1e308,
        f64::MAX,
        5e-324,
    ];
    vals.extend([
        1e-320,
        2.225_073_858_507_201_4e-308,
        f64::INFINITY,
        f64::NAN,
    ]);
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    for _ in 0..60 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let x = f64::from_bits(seed >> 1);
        if x.is_finite() {
            vals.push(x);
        }
    }
    for &x in &vals {
        for &y in &vals {
            for (x, y) in [(x, y), (-x, y), (x, -y), (-x, -y)] {
                let (ours, want) = (fmod(x, y), x % y);
                let same = ours.to_bits() == want.to_bits() || (ours.is_nan() && want.is_nan());
                assert!(same, "fmod({x:e}, {y:e}) = {ours:e}, not {want:e}");
            }
        }
    }
}

#[test]
fn float_floor_division_and_remainder_are_pythons() {
    // (a, b, a % b, a // b) as CPython 3.11 gives them.
    let cases = [
        (-7.25, 2.0, 0.75, -4.0_f64),
        (7.5, -2.0, -0.5, -4.0),
        (1e308, 3.0, 2.0, 3.333_333_333_333_333e307),
        (5.0, f64::INFINITY, 5.0, 0.0),
        (-5.0, f64::INFINITY, f64::INFINITY, -1.0),
        (0.3, 0.1, 0.099_999_999_999_999_98, 2.0),
        (-0.0, 2.0, 0.0, -0.0),
        (0.0, -2.0, -0.0, -0.0),
        (1e-320, 3e-322, 5.4e-323, 33.0),
        (5e-324, 1.0, 5e-324, 0.0),
    ];
    for (a, b, m, q) in cases {
        let (got_q, got_m) = float_divmod(a, b);
        assert_eq!(
            (got_m.to_bits(), got_q.to_bits()),
            (m.to_bits(), q.to_bits()),
            "{a} % {b}"
        );
    }
}

#[test]
fn floats_read_as_python_reprs_them() {
    // CPython 3.11's repr() of each.
    let cases = [
        (0.1, "0.1"),
        (2.5, "2.5"),
        (1e16, "1e+16"),
        (1e15, "1000000000000000.0"),
        (1.234_567_890_123_456_8e17, "1.2345678901234568e+17"),
        (0.0001, "0.0001"),
        (1e-5, "1e-05"),
        (1.5e-5, "1.5e-05"),
        (-2.0, "-2.0"),
        (1.0 / 3.0, "0.3333333333333333"),
        (5e-324, "5e-324"),
        (f64::MAX, "1.7976931348623157e+308"),
        (100.0, "100.0"),
        (12345.678, "12345.678"),
        (-0.000_123_4, "-0.0001234"),
        (9_999_999_999_999_998.0, "9999999999999998.0"),
        (-0.0, "-0.0"),
        (f64::INFINITY, "inf"),
    ];
    for (x, want) in cases {
        assert_eq!(float_repr(x), want, "{x:e}");
    }
}
