//! Every built-in handler is now a program in the handler language; these hashes were computed
//! by the hand-written `register` and `register_race` async fns the presets replaced (at commit
//! 032bf57), for every mode, handler, await switch and I/O distribution. The presets must give
//! the same traces, bit for bit; and the preset's text given as `code` must too.

use async_lanes::sim::handler::code_for;
use async_lanes::sim::{simulate, Scenario};

/// The keys every case shares: two workers, small pools, Poisson arrivals, all three steps timed.
const COMMON: &str = "workers=2 students=60 concurrency=7 threads=3 arrival=poisson rate=40 \
                      validate_ms=2 db_ms=30 email_ms=90 db_pool=2 seats=20 seed=3";

/// The varying keys and the hash the hand-written handler gave.
const CASES: &[(&str, u64)] = &[
    (
        "mode=blocking handler=register await_db=true await_email=true io_dist=fixed",
        0x8a90f7099c0569fd,
    ),
    (
        "mode=blocking handler=register await_db=true await_email=true io_dist=exp",
        0xb73d8edcc41fc549,
    ),
    (
        "mode=blocking handler=register await_db=false await_email=true io_dist=fixed",
        0x8a90f7099c0569fd,
    ),
    (
        "mode=blocking handler=register await_db=false await_email=true io_dist=exp",
        0xb73d8edcc41fc549,
    ),
    (
        "mode=blocking handler=register await_db=true await_email=false io_dist=fixed",
        0x8a90f7099c0569fd,
    ),
    (
        "mode=blocking handler=register await_db=true await_email=false io_dist=exp",
        0xb73d8edcc41fc549,
    ),
    (
        "mode=blocking handler=register await_db=false await_email=false io_dist=fixed",
        0x8a90f7099c0569fd,
    ),
    (
        "mode=blocking handler=register await_db=false await_email=false io_dist=exp",
        0xb73d8edcc41fc549,
    ),
    (
        "mode=blocking handler=race await_db=true await_email=true io_dist=fixed",
        0x71e445b753979a8c,
    ),
    (
        "mode=blocking handler=race await_db=true await_email=true io_dist=exp",
        0x2a71a2d1d0e8eecd,
    ),
    (
        "mode=blocking handler=race await_db=false await_email=true io_dist=fixed",
        0x71e445b753979a8c,
    ),
    (
        "mode=blocking handler=race await_db=false await_email=true io_dist=exp",
        0x2a71a2d1d0e8eecd,
    ),
    (
        "mode=blocking handler=race await_db=true await_email=false io_dist=fixed",
        0x71e445b753979a8c,
    ),
    (
        "mode=blocking handler=race await_db=true await_email=false io_dist=exp",
        0x2a71a2d1d0e8eecd,
    ),
    (
        "mode=blocking handler=race await_db=false await_email=false io_dist=fixed",
        0x71e445b753979a8c,
    ),
    (
        "mode=blocking handler=race await_db=false await_email=false io_dist=exp",
        0x2a71a2d1d0e8eecd,
    ),
    (
        "mode=async handler=register await_db=true await_email=true io_dist=fixed",
        0x91483b21d01c0f4b,
    ),
    (
        "mode=async handler=register await_db=true await_email=true io_dist=exp",
        0x44ed4205a8cb9a63,
    ),
    (
        "mode=async handler=register await_db=false await_email=true io_dist=fixed",
        0xe9ce2be8e55221ca,
    ),
    (
        "mode=async handler=register await_db=false await_email=true io_dist=exp",
        0x27d560748a08d7c0,
    ),
    (
        "mode=async handler=register await_db=true await_email=false io_dist=fixed",
        0x86a226838c8ec44b,
    ),
    (
        "mode=async handler=register await_db=true await_email=false io_dist=exp",
        0x765048dca2a2858e,
    ),
    (
        "mode=async handler=register await_db=false await_email=false io_dist=fixed",
        0xc89c1b4c5f010d52,
    ),
    (
        "mode=async handler=register await_db=false await_email=false io_dist=exp",
        0x51fffc918f3cf517,
    ),
    (
        "mode=async handler=race await_db=true await_email=true io_dist=fixed",
        0x409805905322ce5b,
    ),
    (
        "mode=async handler=race await_db=true await_email=true io_dist=exp",
        0xa5d6c21590df2cc0,
    ),
    (
        "mode=async handler=race await_db=false await_email=true io_dist=fixed",
        0x81880cf16d19313b,
    ),
    (
        "mode=async handler=race await_db=false await_email=true io_dist=exp",
        0xd0c251c95942fa44,
    ),
    (
        "mode=async handler=race await_db=true await_email=false io_dist=fixed",
        0x409805905322ce5b,
    ),
    (
        "mode=async handler=race await_db=true await_email=false io_dist=exp",
        0xa5d6c21590df2cc0,
    ),
    (
        "mode=async handler=race await_db=false await_email=false io_dist=fixed",
        0x81880cf16d19313b,
    ),
    (
        "mode=async handler=race await_db=false await_email=false io_dist=exp",
        0xd0c251c95942fa44,
    ),
    (
        "mode=threadpool handler=register await_db=true await_email=true io_dist=fixed",
        0xf512601da2903692,
    ),
    (
        "mode=threadpool handler=register await_db=true await_email=true io_dist=exp",
        0x16f612ad93d3e9de,
    ),
    (
        "mode=threadpool handler=register await_db=false await_email=true io_dist=fixed",
        0xf512601da2903692,
    ),
    (
        "mode=threadpool handler=register await_db=false await_email=true io_dist=exp",
        0x16f612ad93d3e9de,
    ),
    (
        "mode=threadpool handler=register await_db=true await_email=false io_dist=fixed",
        0xf512601da2903692,
    ),
    (
        "mode=threadpool handler=register await_db=true await_email=false io_dist=exp",
        0x16f612ad93d3e9de,
    ),
    (
        "mode=threadpool handler=register await_db=false await_email=false io_dist=fixed",
        0xf512601da2903692,
    ),
    (
        "mode=threadpool handler=register await_db=false await_email=false io_dist=exp",
        0x16f612ad93d3e9de,
    ),
    (
        "mode=threadpool handler=race await_db=true await_email=true io_dist=fixed",
        0x073630feb36a8fe8,
    ),
    (
        "mode=threadpool handler=race await_db=true await_email=true io_dist=exp",
        0x062bdb068b86d0f6,
    ),
    (
        "mode=threadpool handler=race await_db=false await_email=true io_dist=fixed",
        0x073630feb36a8fe8,
    ),
    (
        "mode=threadpool handler=race await_db=false await_email=true io_dist=exp",
        0x062bdb068b86d0f6,
    ),
    (
        "mode=threadpool handler=race await_db=true await_email=false io_dist=fixed",
        0x073630feb36a8fe8,
    ),
    (
        "mode=threadpool handler=race await_db=true await_email=false io_dist=exp",
        0x062bdb068b86d0f6,
    ),
    (
        "mode=threadpool handler=race await_db=false await_email=false io_dist=fixed",
        0x073630feb36a8fe8,
    ),
    (
        "mode=threadpool handler=race await_db=false await_email=false io_dist=exp",
        0x062bdb068b86d0f6,
    ),
];

#[path = "support/keys.rs"]
mod keys;

/// The scenario of `keys` on the common setup.
fn scenario(keys: &str) -> Scenario {
    keys::scenario(&format!("{keys} {COMMON}"), "")
}

#[test]
fn presets_give_the_traces_of_the_handlers_they_replace() {
    let mut wrong = Vec::new();
    for (keys, expected) in CASES {
        let hash = simulate(&scenario(keys)).expect("completes").hash();
        if hash != *expected {
            wrong.push(format!("{keys}: {hash:#018x}, was {expected:#018x}"));
        }
    }
    assert!(wrong.is_empty(), "changed:\n{}", wrong.join("\n"));
}

#[test]
fn the_preset_as_code_runs_the_same() {
    for (keys, expected) in CASES {
        let preset = scenario(keys);
        let as_code = Scenario {
            code: Some(code_for(&preset)),
            ..preset.clone()
        };
        // The mode is explicit here (a field set in code), so it stays the preset's.
        let hash = simulate(&as_code).expect("completes").hash();
        assert_eq!(hash, *expected, "{keys} as code:\n{}", code_for(&preset));
    }
}
