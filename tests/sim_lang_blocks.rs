//! Blocks that hold something and the ways out of them: `asyncio.Lock` and `Semaphore` with
//! `async with`, `return`, `break` and `continue` out of `try` statements and `async with`
//! blocks (their `finally` runs, their lock goes back), and `except (A, B)`. Each case's figure
//! is CPython 3.11's, run with asyncio on the same code (written beside it).
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app

#[path = "support/cli.rs"]
mod cli_support;
use async_lanes::sim::trace::State;
use async_lanes::sim::{simulate, Scenario};
use cli_support::json;

/// The value of `"key":` in the JSON, up to the next comma or brace.
fn field<'a>(json: &'a str, key: &str) -> &'a str {
    let at = json
        .find(&format!("\"{key}\":"))
        .unwrap_or_else(|| panic!("no {key} in {json}"));
    let rest = &json[at + key.len() + 3..];
    &rest[..rest.find([',', '}']).unwrap_or(rest.len())]
}

const LOCKED: &str = "lock = asyncio.Lock()|\
    |@app.post(\"/register\")|async def register(student: Student):|\
    \x20   async with lock:|\
    \x20       seats_left = await db.fetch(\"SELECT seats_left FROM course\")|\
    \x20       if has_room(seats_left):|\
    \x20           await db.execute(\"UPDATE course SET seats_left = $1\", seats_left - 1)";

#[test]
fn a_lock_fixes_the_race_in_one_worker_and_not_across_four() {
    // One worker: the 20 requests read and write one after the other. 5 take a seat (10 ms
    // read + 10 ms write each), 15 find none (a 10 ms read): 5 * 20 + 15 * 10 = 250 ms.
    let one = json("students=20 seats=5 db_ms=10 workers=1", LOCKED);
    assert!(
        one.contains("\"seats\":{\"initial\":5,\"left\":0,\"registered\":5,\"lost_updates\":0,\"lock_waits\":0,\"retries\":0}"),
        "{one}"
    );
    assert_eq!(field(&one, "makespan_s"), "0.25");
    // Four processes: each has its own lock, so four requests read at once again.
    let four = json("students=20 seats=5 db_ms=10 workers=4", LOCKED);
    let lost: u32 = field(&four, "lost_updates").parse().expect("a count");
    assert!(lost > 0, "{four}");
}

#[test]
fn a_semaphore_lets_its_count_in_at_once() {
    // CPython: four tasks, `async with asyncio.Semaphore(2): await asyncio.sleep(0.1)`: 0.201 s.
    let code = "sem = asyncio.Semaphore(2)||@app.post('/register')|\
        async def register(student: Student):|    async with sem:|        \
        await asyncio.sleep(0.1)|    return {'ok': True}";
    let out = json("students=4 validate_ms=0", code);
    assert_eq!(field(&out, "makespan_s"), "0.2", "{out}");
    // The ones that wait show as waiting for the lock, with the loop free.
    let pairs: Vec<(String, String)> = vec![
        ("students".into(), "4".into()),
        ("validate_ms".into(), "0".into()),
        ("code".into(), code.replace('|', "\n")),
    ];
    let scenario = Scenario::parse_pairs(pairs).expect("valid keys");
    let trace = simulate(&scenario).expect("it runs");
    let waited = trace
        .students
        .iter()
        .filter(|s| {
            trace
                .spans_of(s.id)
                .iter()
                .any(|sp| sp.state == State::WaitingLock)
        })
        .count();
    assert_eq!(waited, 2);
}

#[test]
fn the_ways_out_of_a_block_leave_it_as_python_does() {
    // CPython: `return` inside `async with lock:` gives the lock back: three requests of a
    // 0.1 s sleep each, one after the other, 0.302 s.
    let code = "lock = asyncio.Lock()||@app.post('/register')|\
        async def register(student: Student):|    async with lock:|        \
        await asyncio.sleep(0.1)|        return {'ok': True}";
    assert_eq!(
        field(&json("students=3 validate_ms=0", code), "makespan_s"),
        "0.3"
    );
    // CPython: a `break` in a try runs its finally once; a `return` in a try runs its finally
    // before the request ends: [0, 'cleanup'] per request, in 0.101 s.
    let code = "async def register(student):|    for i in range(3):|        try:|            \
        await asyncio.sleep(0.1)|            break|        finally:|            print(i)|    \
        try:|        return 1|    finally:|        print('cleanup')";
    let out = json("students=1 validate_ms=0", code);
    assert!(
        out.contains("\"text\":\"0\"},{\"student\":1,\"time\":0.1,\"text\":\"cleanup\"}]"),
        "{out}"
    );
    assert_eq!(field(&out, "makespan_s"), "0.1");
    // `continue` out of an except clause: the exception is handled and the loop goes on.
    let code = "async def register(student):|    for i in range(2):|        try:|            \
        raise ValueError('no')|        except ValueError:|            continue|    print('after')";
    let out = json("students=1", code);
    assert!(
        out.contains("\"text\":\"after\"") && out.contains("\"200\":1"),
        "{out}"
    );
    // A `return` in a finally wins over the exception being raised (CPython: no error).
    let code = "async def register(student):|    try:|        raise ValueError('no')|    \
        finally:|        return 1";
    assert!(json("students=1", code).contains("\"status\":{\"200\":1}"));
}

#[test]
fn an_except_clause_may_catch_several_classes() {
    // CPython: int('abc') raises ValueError, which `except (TypeError, ValueError)` catches.
    let code = "async def register(student):|    try:|        n = int('abc')|    \
        except (TypeError, ValueError) as e:|        print('bad:', e)";
    let out = json("students=1", code);
    assert!(
        out.contains("invalid literal for int() with base 10: 'abc'") && out.contains("\"200\":1"),
        "{out}"
    );
    // And one that matches none of them still ends the request (500).
    let code = "async def register(student):|    try:|        n = 1 / 0|    \
        except (TypeError, ValueError):|        pass";
    assert!(json("students=1", code).contains("\"500\":1"));
    // CPython 3.11's words for the tuple written without its parentheses.
    let code = "async def register(student):|    try:|        pass|    \
        except ValueError, TypeError:|        pass";
    let said = json("students=1", code);
    assert!(
        said.contains("line 4, column 12: multiple exception types must be parenthesized"),
        "{said}"
    );
}

#[test]
fn locks_are_made_as_python_makes_them() {
    let handler = "|@app.post('/register')|async def register(student: Student):|    \
        async with lock:|        pass";
    // asyncio's own words for a negative count.
    let said = json(
        "students=1",
        &format!("lock = asyncio.Semaphore(-1){handler}"),
    );
    assert!(
        said.contains("ValueError: Semaphore initial value must be >= 0"),
        "{said}"
    );
    // Valid, but every request would wait forever: said so in the language's own voice.
    let said = json(
        "students=1",
        &format!("lock = asyncio.Semaphore(0){handler}"),
    );
    assert!(said.contains("a semaphore of 0 is valid Python"), "{said}");
    // A file with import lines and no `import asyncio` cannot even be imported.
    let said = json(
        "students=1",
        &format!("from fastapi import FastAPI|lock = asyncio.Lock(){handler}"),
    );
    assert!(said.contains("name 'asyncio' is not defined"), "{said}");
    // With the import, it runs.
    let out = json(
        "students=2",
        &format!("import asyncio|from fastapi import FastAPI|lock = asyncio.Lock(){handler}"),
    );
    assert!(out.contains("\"200\":2"), "{out}");
    // The lock used as a value.
    let said = json(
        "students=1",
        "lock = asyncio.Lock()|async def register(student):|    print(lock)",
    );
    assert!(said.contains("async with lock:"), "{said}");
}
