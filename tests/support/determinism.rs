//! Scenarios whose trace hashes are pinned as constants, shared by the native test
//! (`tests/sim_determinism.rs`) and the browser test (`tests/web_core.rs`): if either platform
//! computes a different trace, its test fails.

use async_lanes::sim::{simulate, Scenario, SimTime};

/// Every mode, every arrival pattern, exponential I/O (which exercises the generator's logarithm),
/// a small database pool and extra arrivals; the fifth runs the race handler, the sixth turns
/// away the requests that find every worker full (`overflow=reject`).
pub fn scenarios() -> Vec<Scenario> {
    let parse = |args: &[&str]| Scenario::parse_args(args).expect("fixture scenarios are valid");
    vec![
        parse(&[
            "mode=threadpool",
            "workers=2",
            "threads=8",
            "students=300",
            "arrival=poisson",
            "rate=60",
            "io_dist=exp",
            "validate_ms=3",
            "db_ms=20",
            "email_ms=150",
            "db_pool=3",
            "seed=42",
        ]),
        Scenario {
            extra_arrivals: vec![SimTime::from_millis(500), SimTime::from_millis(1250)],
            ..parse(&[
                "mode=async",
                "workers=3",
                "concurrency=20",
                "students=400",
                "arrival=uniform",
                "rate=150",
                "io_dist=exp",
                "validate_ms=1.5",
                "db_ms=10",
                "email_ms=80",
                "db_pool=5",
                "seed=7",
            ])
        },
        parse(&[
            "mode=async",
            "workers=2",
            "concurrency=50",
            "students=200",
            "arrival=poisson",
            "rate=40",
            "io_dist=exp",
            "validate_ms=2",
            "db_ms=30",
            "email_ms=100",
            "await_email=false",
            "seed=11",
        ]),
        parse(&[
            "mode=blocking",
            "workers=3",
            "students=150",
            "arrival=poisson",
            "rate=20",
            "io_dist=exp",
            "validate_ms=1",
            "db_ms=20",
            "email_ms=100",
            "seed=18446744073709551615",
        ]),
        parse(&[
            "handler=race",
            "mode=async",
            "workers=2",
            "students=40",
            "seats=25",
            "arrival=poisson",
            "rate=30",
            "io_dist=exp",
            "validate_ms=2",
            "db_ms=40",
            "db_pool=2",
            "seed=5",
        ]),
        parse(&[
            "mode=async",
            "workers=2",
            "concurrency=6",
            "students=200",
            "arrival=poisson",
            "rate=120",
            "io_dist=exp",
            "validate_ms=1",
            "db_ms=20",
            "email_ms=100",
            "overflow=reject",
            "seed=9",
        ]),
    ]
}

/// The trace hash of each fixture scenario, in order.
pub fn hashes() -> Vec<u64> {
    scenarios()
        .iter()
        .map(|s| simulate(s).expect("fixture scenarios complete").hash())
        .collect()
}

/// The pinned hashes; update them only for an intended change of the model or the encoding.
pub const EXPECTED: [u64; 6] = [
    0x436753bd77ef576a,
    0x1a5d69507332dcea,
    0x87a0d87ba72eb126,
    0x62c821c3e0fdb4ba,
    0x97b33a3f61598f47,
    0xcce23f82990066d1,
];
