//! `sim::decimal` against the standard library it replaces in the page: the same value (bit for
//! bit) from `parse` as from `str::parse::<f64>`, on texts that it accepts and that it rejects,
//! and the same strings from `fixed` and `shortest` as from `{:.N}` and `{}`, over edge cases and
//! a hundred thousand random values and more, each failure naming its input.

use async_lanes::sim::decimal::{fixed, parse, shortest, shortest_digits, whole, whole_u32, Fixed};
use async_lanes::sim::rng::Rng;

#[track_caller]
fn same_parse(text: &str) {
    let want = text.parse::<f64>().ok();
    let got = parse(text);
    let same = match (want, got) {
        (Some(w), Some(g)) => w.to_bits() == g.to_bits() || (w.is_nan() && g.is_nan()),
        (None, None) => true,
        _ => false,
    };
    assert!(same, "parse({text:?}): {got:?}, std {want:?}");
}

#[track_caller]
fn same_format(x: f64) {
    assert_eq!(
        shortest(x),
        format!("{x}"),
        "shortest of {:#x}",
        x.to_bits()
    );
    for digits in 0..=4 {
        assert_eq!(
            fixed(x, digits),
            format!("{x:.digits$}"),
            "{x:?} to {digits} places"
        );
    }
}

/// The exact halfway point between two adjacent positive doubles, in plain decimal: the mean of
/// their exact expansions (1,100 places hold every double's), by school arithmetic.
fn halfway(a: f64, b: f64) -> String {
    let digits = |x: f64| -> Vec<u8> {
        format!("{x:.1100}")
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|c| c - b'0')
            .collect()
    };
    let (a, b) = (digits(a), digits(b));
    let width = a.len().max(b.len());
    let pad = |v: &[u8]| -> Vec<u8> {
        std::iter::repeat_n(0, width - v.len())
            .chain(v.iter().copied())
            .collect()
    };
    let (a, b) = (pad(&a), pad(&b));
    let mut sum = vec![0u8; width + 1];
    let mut carry = 0;
    for i in (0..width).rev() {
        let v = a[i] + b[i] + carry;
        sum[i + 1] = v % 10;
        carry = v / 10;
    }
    sum[0] = carry;
    // Halving a decimal always ends: one more place, a 5 or a 0.
    let mut half = Vec::with_capacity(sum.len() + 1);
    let mut rest = 0;
    for d in sum.into_iter().chain([0]) {
        let v = rest * 10 + d;
        half.push(v / 2);
        rest = v % 2;
    }
    let point = half.len() - 1101;
    let text: String = half.iter().map(|&d| char::from(b'0' + d)).collect();
    format!("{}.{}", &text[..point], &text[point..])
}

/// 2^p exactly, subnormal or normal (`powi` may lose the smallest ones).
fn pow2(p: i32) -> f64 {
    if p < -1022 {
        f64::from_bits(1 << (p + 1074))
    } else {
        f64::from_bits(((p + 1023) as u64) << 52)
    }
}

/// A decimal a hair below `text` (a positive decimal with a point): one less in its last
/// significant digit, then a 9.
fn just_below(text: &str) -> String {
    let trimmed = text.trim_end_matches('0').trim_end_matches('.');
    let mut digits = trimmed.as_bytes().to_vec();
    let mut i = digits.len();
    loop {
        i -= 1;
        match digits[i] {
            b'.' => {}
            b'0' => digits[i] = b'9',
            _ => {
                digits[i] -= 1;
                break;
            }
        }
    }
    let point = if trimmed.contains('.') { "9" } else { ".9" };
    String::from_utf8(digits).unwrap() + point
}

/// Finite doubles spread over the whole range: random bits with a finite exponent.
fn any_finite(rng: &mut Rng) -> f64 {
    loop {
        let x = f64::from_bits(rng.next_u64());
        if x.is_finite() {
            return x;
        }
    }
}

/// Values as the page meets them: seconds, pixels and shares, with a few decimals or none.
fn on_screen(rng: &mut Rng) -> f64 {
    let scale = [1e-6, 1e-3, 0.1, 1.0, 10.0, 1e3, 1e6][(rng.next_u64() % 7) as usize];
    let x = (rng.next_u64() % 2_000_000) as f64 * scale / 1000.0;
    match rng.next_u64() % 3 {
        0 => x,
        1 => (x * 8.0).round() / 8.0,
        _ => -x,
    }
}

#[test]
fn reads_what_std_reads_and_rejects_what_it_rejects() {
    let texts = [
        "",
        "+",
        "-",
        ".",
        "e",
        "e5",
        "1e",
        "1e+",
        "1e-",
        "+.5",
        "-.5",
        ".5",
        "5.",
        "5.e3",
        "0",
        "-0",
        "+0",
        "-0.0",
        "00",
        "007",
        "0.1",
        "0.2",
        "0.3",
        "1.5",
        "2000",
        "1_000",
        "1 ",
        " 1",
        "1,5",
        "0x10",
        "1e5",
        "1E5",
        "1e+05",
        "1.5E-3",
        "1e-5",
        "1e308",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.797693134862315807e308",
        "1.8e308",
        "1e309",
        "2e-308",
        "2.2250738585072011e-308",
        "2.2250738585072014e-308",
        "4.9e-324",
        "5e-324",
        "2.4e-324",
        "2.5e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "3e-324",
        "1e-325",
        "1e-400",
        "1e400",
        "0e999999999999999999",
        "1e999999999999999999",
        "1e-99999999999999999",
        "9007199254740993",
        "9007199254740992.5",
        "9007199254740993.0000000000000000001",
        "123456789012345678901234567890",
        "0.000000000000000000000000000001",
        "inf",
        "-inf",
        "+inf",
        "Inf",
        "INF",
        "infinity",
        "Infinity",
        "-infinity",
        "infin",
        "infinityy",
        "nan",
        "NaN",
        "-nan",
        "+NaN",
        "nana",
        "1e5e5",
        "1..5",
        "--1",
        "+-1",
        "1-",
        "1e5.5",
        "٣",
        "1\u{0}",
        "0.1e1",
        "100e-2",
        "12345678901234567",
        "1234567890123456789012",
        "1e22",
        "1e23",
        "8.98846567431158e307",
        "4503599627370496.5",
        "4503599627370497.5",
    ];
    for text in texts {
        same_parse(text);
    }
    // A halfway point written with hundreds of digits, and just above and below it.
    let half = "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324";
    same_parse(half);
    same_parse(&format!("{half}1"));
    same_parse(&half.replace("125e-324", "124999e-324"));
    same_parse(&format!("0.{}1", "0".repeat(2000)));
    // Each power of two's halfway points (the one below is nearer), exactly and either side.
    for p in -1074..=1023 {
        let x = pow2(p);
        let next = f64::from_bits(x.to_bits() + 1);
        let mut around = vec![halfway(x, next)];
        if p > -1074 {
            around.push(halfway(f64::from_bits(x.to_bits() - 1), x));
        }
        for mid in around {
            same_parse(&mid);
            same_parse(&format!("{mid}1"));
            same_parse(&just_below(&mid));
        }
    }
    same_parse(&format!("1{}", "0".repeat(400)));
    same_parse(&format!("{}e-300", "9".repeat(1200)));
    // Random texts from the grammar and around it.
    let mut rng = Rng::seed_from_u64(22);
    let pieces = [
        "0", "1", "5", "9", "00", "123", "999", ".", "e", "E", "-", "+", "_", "x", "e-3",
    ];
    for _ in 0..100_000 {
        let n = 1 + rng.next_u64() % 8;
        let text: String = (0..n)
            .map(|_| pieces[(rng.next_u64() % pieces.len() as u64) as usize])
            .collect();
        same_parse(&text);
    }
    // Every double as `{}`, `{:e}` and `{:?}` write it, with a digit too many or too few.
    for _ in 0..50_000 {
        let x = any_finite(&mut rng);
        for text in [format!("{x}"), format!("{x:e}"), format!("{x:?}")] {
            same_parse(&text);
            same_parse(&text[..text.len() - 1]);
            same_parse(&format!("{text}1"));
        }
    }
    // Random decimals of 1 to 40 digits with any exponent: the slow path's ground.
    for _ in 0..50_000 {
        let digits: String = (0..1 + rng.next_u64() % 40)
            .map(|_| char::from(b'0' + (rng.next_u64() % 10) as u8))
            .collect();
        let exp = (rng.next_u64() % 700) as i64 - 350;
        same_parse(&format!("{digits}e{exp}"));
        same_parse(&format!("0.{digits}e{exp}"));
    }
}

#[test]
fn writes_what_std_writes() {
    let cases = [
        0.0,
        -0.0,
        0.5,
        1.5,
        2.5,
        -2.5,
        0.125,
        0.375,
        0.05,
        0.15,
        0.25,
        0.35,
        1.0,
        9.5,
        9.95,
        9.995,
        99.95,
        999.9999,
        0.0005,
        0.00049,
        1e-5,
        1.5e-5,
        1e15,
        1e16,
        1e17,
        1e21,
        1e22,
        1e23,
        1.234_567_890_123_456_8e17,
        123_456.789,
        2.055,
        205.5,
        74.0,
        0.1 + 0.2,
        1.0 / 3.0,
        2.0 / 3.0,
        f64::MAX,
        f64::MIN_POSITIVE,
        5e-324,
        1e-320,
        2.225_073_858_507_201e-308,
        4_503_599_627_370_496.5,
        9_007_199_254_740_992.0,
        9_007_199_254_740_994.0,
        1e300,
        -1e-300,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        -f64::NAN,
    ];
    for x in cases {
        same_format(x);
    }
    for p in -1074..=1023 {
        let x = pow2(p);
        same_format(x);
        same_format(f64::from_bits(x.to_bits() - 1));
        same_format(f64::from_bits(x.to_bits() + 1));
    }
    for p in -323..=308 {
        same_format(format!("1e{p}").parse().unwrap());
    }
    let mut rng = Rng::seed_from_u64(322);
    for _ in 0..100_000 {
        same_format(on_screen(&mut rng));
    }
    for _ in 0..50_000 {
        same_format(any_finite(&mut rng));
    }
}

#[test]
fn shortest_digits_are_those_of_lower_exp() {
    let mut rng = Rng::seed_from_u64(7);
    for _ in 0..100_000 {
        let x = any_finite(&mut rng).abs();
        if x == 0.0 {
            continue;
        }
        let (digits, k) = shortest_digits(x);
        let text: String = digits.iter().map(|&d| char::from(b'0' + d)).collect();
        let mantissa = if text.len() > 1 {
            format!("{}.{}", &text[..1], &text[1..])
        } else {
            text
        };
        assert_eq!(format!("{mantissa}e{}", k - 1), format!("{x:e}"), "{x:?}");
    }
}

#[test]
fn fixed_inside_a_format() {
    assert_eq!(
        format!("M{},{}", Fixed(1.25, 1), Fixed(-0.04, 1)),
        "M1.2,-0.0"
    );
    assert_eq!(fixed(2.5, 0), "2");
    assert_eq!(shortest(0.1 + 0.2), "0.30000000000000004");
}

#[test]
fn whole_numbers_read_as_std_reads_them() {
    let mut texts: Vec<String> = [
        "",
        "+",
        "-",
        "0",
        "+0",
        "-0",
        "007",
        "1_000",
        " 1",
        "1 ",
        "1.0",
        "1e3",
        "++1",
        "+-1",
        "٣",
        "4294967295",
        "4294967296",
        "18446744073709551615",
        "18446744073709551616",
        "99999999999999999999999",
    ]
    .iter()
    .map(|t| t.to_string())
    .collect();
    let mut rng = Rng::seed_from_u64(7);
    for _ in 0..2_000 {
        let n = rng.next_u64() >> rng.below(64);
        texts.push(n.to_string());
        texts.push(format!("+{n}"));
    }
    for t in &texts {
        assert_eq!(whole(t), t.parse::<u64>().ok(), "{t:?}");
        assert_eq!(whole_u32(t), t.parse::<u32>().ok(), "{t:?}");
    }
}
