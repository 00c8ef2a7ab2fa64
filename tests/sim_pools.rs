//! How much of each pool a run used: the sum of the time its units were in use, which the page
//! divides by the students to find what a handler asks of a shared lock, thread or connection.
//! Each figure is worked out by hand beside its case.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app

use async_lanes::sim::handler::{PoolUse, Pooled};
use async_lanes::sim::{Executor, SimTime};

#[path = "support/keys.rs"]
mod keys;

/// The pools of a run of `keys` and `code` with any use, as (kind, size, ms used).
fn used(keys: &str, code: &str) -> Vec<(Pooled, u32, f64)> {
    let mut executor = Executor::new(&keys::scenario(keys, code)).unwrap();
    executor.run().unwrap();
    executor
        .pool_use()
        .into_iter()
        .filter(|p| p.used > SimTime::ZERO)
        .map(|PoolUse { kind, size, used }| (kind, size, used.as_secs_f64() * 1000.0))
        .collect()
}

#[test]
fn a_connection_is_in_use_for_each_save() {
    // Ten saves of 100 ms, one connection: 1,000 ms in use, whoever waited meanwhile.
    assert_eq!(
        used("mode=async students=10 db_ms=100 email_ms=0 db_pool=1", ""),
        [(Pooled::Connections, 1, 1000.0)]
    );
    // Two workers have a pool each; their uses are apart, 500 ms each.
    assert_eq!(
        used(
            "mode=async workers=2 students=10 db_ms=100 email_ms=0 db_pool=3",
            ""
        ),
        [
            (Pooled::Connections, 3, 500.0),
            (Pooled::Connections, 3, 500.0)
        ]
    );
}

#[test]
fn a_thread_of_to_thread_is_in_use_for_each_email() {
    // asyncio's executor has min(32, cores + 4) = 8 threads; each of 20 emails of 2 s holds
    // one: 40 s.
    let code = "import asyncio|async def register(student):|    \
        await asyncio.to_thread(smtp.send, welcome(student))";
    assert_eq!(
        used("mode=async students=20", code),
        [(Pooled::ToThread, 8, 40_000.0)]
    );
}

#[test]
fn a_lock_is_held_for_what_it_guards() {
    // Inside the lock, two 10 ms queries (the read, then the write while there are seats):
    // 5 students with seats write, 15 do not: 5 × 20 + 15 × 10 = 250 ms. Each query holds a
    // connection of the unlimited pool meanwhile: 250 ms too.
    let code = "import asyncio|lock = asyncio.Lock()|async def register(student):|    \
        async with lock:|        seats_left = await db.fetch('SELECT seats_left FROM course')|\
        \x20       if has_room(seats_left):|            \
        await db.execute('UPDATE course SET seats_left = $1', seats_left - 1)";
    assert_eq!(
        used("mode=async students=20 seats=5 db_ms=10", code),
        [
            (Pooled::Connections, u32::MAX, 250.0),
            (Pooled::Lock, 1, 250.0)
        ]
    );
}
