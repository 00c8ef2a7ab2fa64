//! The race's fixes, as a FastAPI developer writes them: a lock in the app, an atomic update, a
//! row lock in a transaction, and an optimistic version check with retries. 20 students, 5
//! seats, 10 ms queries, all arriving at once, on one worker and on four. The figures are
//! worked out from the rules beside each case.

use async_lanes::sim::cli;

/// The `"seats"` object and the makespan of a run, from the command line's JSON.
fn seats(workers: u32, code: &str) -> (String, String) {
    let args = [
        "students=20".to_string(),
        "seats=5".into(),
        "db_ms=10".into(),
        format!("workers={workers}"),
        "format=json".into(),
        format!("code={}", code.replace('|', "\n")),
    ];
    let out = cli::run(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = out.stdout;
    let part = |key: &str, end: char| {
        let at = json
            .find(key)
            .unwrap_or_else(|| panic!("no {key} in {json}"));
        let rest = &json[at..];
        rest[..=rest.find(end).unwrap_or(rest.len() - 1)].to_string()
    };
    (part("\"seats\":", '}'), part("\"makespan_s\":", ','))
}

const LOCK: &str = "import asyncio||lock = asyncio.Lock()||@app.post('/register')|\
    async def register(student: Student):|    async with lock:|        \
    seats_left = await db.fetch('SELECT seats_left FROM course')|        \
    if has_room(seats_left):|            \
    await db.execute('UPDATE course SET seats_left = $1', seats_left - 1)";

const ATOMIC: &str = "@app.post('/register')|async def register(student: Student):|    \
    changed = await db.execute('UPDATE course SET seats_left = seats_left - 1 WHERE seats_left > 0')";

const FOR_UPDATE: &str = "@app.post('/register')|async def register(student: Student):|    \
    async with db.transaction():|        \
    seats_left = await db.fetch('SELECT seats_left FROM course FOR UPDATE')|        \
    if has_room(seats_left):|            \
    await db.execute('UPDATE course SET seats_left = $1', seats_left - 1)";

const OPTIMISTIC: &str = "@app.post('/register')|async def register(student: Student):|    \
    for attempt in range(3):|        \
    row = await db.fetchrow('SELECT seats_left, version FROM course')|        \
    if not has_room(row['seats_left']):|            break|        \
    changed = await db.execute('UPDATE course SET seats_left = $1, version = version + 1 \
    WHERE version = $2', row['seats_left'] - 1, row['version'])|        if changed:|            break";

#[test]
fn a_lock_in_the_app_holds_in_one_worker_only() {
    // One worker: one request at a time reads and writes. 5 take a seat (10 ms read + 10 ms
    // write), 15 find none (10 ms read): 5 * 20 + 15 * 10 = 250 ms, nothing lost.
    let (one, makespan) = seats(1, LOCK);
    assert!(one.contains("\"registered\":5,\"lost_updates\":0"), "{one}");
    assert_eq!(makespan, "\"makespan_s\":0.25,");
    // Four processes, four locks: four requests read 5 at once again, and updates are lost.
    let (four, _) = seats(4, LOCK);
    assert!(!four.contains("\"lost_updates\":0"), "{four}");
}

#[test]
fn an_atomic_update_needs_no_lock() {
    // Each UPDATE takes a seat only if one is left, in one step in the database: the first 5
    // to complete change the row, the other 15 change nothing, with any number of workers.
    for workers in [1, 4] {
        let (s, makespan) = seats(workers, ATOMIC);
        assert_eq!(
            s,
            "\"seats\":{\"initial\":5,\"left\":0,\"registered\":5,\"lost_updates\":0,\"lock_waits\":0,\"retries\":0}"
        );
        // All 20 queries run at once: 10 ms.
        assert_eq!(makespan, "\"makespan_s\":0.01,");
    }
}

#[test]
fn a_row_lock_makes_the_others_wait_for_the_row() {
    // SELECT ... FOR UPDATE in a transaction: the first holds the row until it commits; the 19
    // others wait for it in turn, whichever worker they are on. As with one worker's lock:
    // 250 ms, and 19 requests waited for the row.
    for workers in [1, 4] {
        let (s, makespan) = seats(workers, FOR_UPDATE);
        assert_eq!(
            s,
            "\"seats\":{\"initial\":5,\"left\":0,\"registered\":5,\"lost_updates\":0,\"lock_waits\":19,\"retries\":0}"
        );
        assert_eq!(makespan, "\"makespan_s\":0.25,");
    }
}

#[test]
fn an_optimistic_check_retries_instead_of_losing_an_update() {
    // All 20 read version 0 at once; the first versioned UPDATE to complete wins, the 19 others
    // change nothing and read again (version 1): one wins, 18 retry; then one of 18, and the
    // 17 left give up after three attempts. 3 registered, 2 seats unsold, 19 + 18 + 17 = 54
    // retries, and no update lost: contention's cost, in three rounds of 20 ms.
    for workers in [1, 4] {
        let (s, makespan) = seats(workers, OPTIMISTIC);
        assert_eq!(
            s,
            "\"seats\":{\"initial\":5,\"left\":2,\"registered\":3,\"lost_updates\":0,\"lock_waits\":0,\"retries\":54}"
        );
        assert_eq!(makespan, "\"makespan_s\":0.06,");
    }
}
