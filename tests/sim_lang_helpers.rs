//! The code's own functions: `def` and `async def` helpers the handler calls, with Python's
//! rules for their arguments, scope, results and `await`. Each case's outcome is CPython
//! 3.11's for the same code (written beside it).
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app

#[path = "support/cli.rs"]
mod cli_support;
use async_lanes::sim::trace::State;
use async_lanes::sim::{simulate, Scenario, SimTime};
use cli_support::json;

const FILE: &str = "from fastapi import FastAPI, HTTPException|import asyncio||app = FastAPI()|\
    TRIES = 3||def check_email(email):|    if not email.endswith('@example.org'):|        \
    raise HTTPException(status_code=400, detail='bad email')|    return email.lower()||\
    async def save(student, tries):|    for i in range(tries):|        \
    await save_to_database(student)|        if i >= 0:|            return i + 1|    return 0||\
    @app.post('/register')|async def register(student: Student):|    \
    email = check_email(student.email)|    n = await save(student, TRIES)|    \
    print(email, n)|    await send_email(student)|    return {'ok': True}";

#[test]
fn helpers_run_where_they_are_called_with_their_own_names() {
    // CPython: each request prints 'student1@example.org 1' at 50 ms (one save, then the
    // loop's `return` inside the for), and is answered at 2.05 s.
    let out = json("students=2 validate_ms=0 db_ms=50", FILE);
    assert!(
        out.contains("{\"student\":1,\"time\":0.05,\"text\":\"student1@example.org 1\"}"),
        "{out}"
    );
    assert!(out.contains("\"makespan_s\":2.05"), "{out}");
    // The save inside the helper is drawn on the helper's line.
    let pairs: Vec<(String, String)> = vec![
        ("students".into(), "1".into()),
        ("db_ms".into(), "50".into()),
        ("code".into(), FILE.replace('|', "\n")),
    ];
    let trace = simulate(&Scenario::parse_pairs(pairs).expect("valid")).expect("runs");
    let save = trace
        .spans_of(0)
        .iter()
        .find(|sp| sp.state == State::AwaitingIo && sp.end == SimTime::from_millis(50))
        .expect("the save");
    assert_eq!(save.line, Some(14));
}

#[test]
fn an_exception_leaves_the_helper_for_the_callers_try() {
    // CPython: the ValueError raised in check() is caught by register()'s except.
    let code = "def check(s):|    raise ValueError('no')||async def register(student):|    \
        try:|        check(student)|    except ValueError as e:|        print('caught', e)";
    assert!(json("students=1", code).contains("\"text\":\"caught no\""));
    // And an HTTPException from a helper is the response.
    let bad = FILE.replace("'@example.org'", "'@example.com'");
    assert!(json("students=2", &bad).contains("\"status\":{\"400\":2}"));
}

#[test]
fn a_def_helper_with_a_blocking_call_blocks_the_loop() {
    // CPython/uvicorn: smtp.send blocks the event loop from inside the helper, so two
    // requests' 1 s emails run one after the other: the second answered at 2 s.
    let code =
        "def send(s):|    smtp.send(welcome(s))||async def register(student):|    send(student)";
    let out = json("students=2 validate_ms=0 email_ms=1000", code);
    assert!(
        out.contains("\"makespan_s\":2.0") && out.contains("\"blocked\":1.0"),
        "{out}"
    );
}

#[test]
fn helpers_keep_pythons_rules() {
    let cases = [
        // A coroutine made and dropped: nothing runs, and Python warns.
        (
            "async def save(s):|    await save_to_database(s)||async def register(student):|    save(student)",
            "\"warnings\":[{\"line\":5,\"message\":\"coroutine 'save' was never awaited\"}]",
        ),
        ("def name(s):|    return s.name||async def register(student):|    await name(student)",
         "line 5, column 5: object str can't be used in 'await' expression"),
        // The helper sees its own names and the module's, not the handler's: NameError there.
        ("def name(s):|    return student.name||async def register(student):|    x = name(student)",
         "NameError: name 'student' is not defined (line 2)"),
        ("def name(s):|    await send_email(s)||async def register(student):|    x = name(student)",
         "'await' outside async function"),
        ("async def save(s, n):|    pass||async def register(student):|    await save(student)",
         "save() missing 1 required positional argument: 'n'"),
        ("def f(a):|    pass||async def register(student):|    f(1, 2)",
         "f() takes 1 positional argument but 2 were given"),
        ("def f(a):|    pass||async def register(student):|    f(b=1)",
         "f() got an unexpected keyword argument 'b'"),
        ("async def save(s):|    await save(s)||async def register(student):|    await save(student)",
         "'save' calling itself is valid Python"),
        ("async def save(s):|    pass||async def register(student):|    x = save(student)|    await x",
         "await it where it is called"),
        ("def f(a):|    return f||async def register(student):|    f(1)",
         "the function 'f' as a value is valid Python"),
    ];
    for (code, want) in cases {
        let out = json("students=1", code);
        assert!(out.contains(want), "{code}\n  wanted: {want}\n  got: {out}");
    }
}

#[test]
fn dependencies_are_called_before_the_handler() {
    // CPython + FastAPI: get_settings() runs (on the thread pool, taking no time) and
    // get_seats() is awaited on the loop (10 ms) before the handler's first line, which
    // prints "{'sender': 'noreply@example.org'} 1" at 10 ms.
    let code = "from fastapi import FastAPI, Depends||app = FastAPI()||def get_settings():|    \
        return {'sender': 'noreply@example.org'}||async def get_seats():|    \
        return await db.fetch('SELECT seats_left FROM course')||@app.post('/register')|\
        async def register(student: Student, settings=Depends(get_settings), \
        seats: int = Depends(get_seats)):|    print(settings, seats)";
    let out = json("students=1 db_ms=10", code);
    assert!(
        out.contains("\"time\":0.01,\"text\":\"{'sender': 'noreply@example.org'} 1\""),
        "{out}"
    );
    let cases = [
        // Depends is evaluated when the handler is defined: without its import, no module.
        ("from fastapi import FastAPI|def f():|    return 1|async def register(student, x=Depends(f)):|    pass",
         "name 'Depends' is not defined"),
        ("async def register(student, x=Depends(nowhere)):|    pass", "name 'nowhere' is not defined"),
        ("def f(a):|    return a|async def register(student, x=Depends(f)):|    pass",
         "a dependency with parameters is valid Python"),
        ("def f():|    time.sleep(1)|async def register(student, x=Depends(f)):|    pass",
         "runs on the thread pool"),
        ("def f(a=1):|    return a|async def register(student):|    pass",
         "a parameter's default value in a function other than the handler is valid Python"),
    ];
    for (code, want) in cases {
        let out = json("students=1", code);
        assert!(out.contains(want), "{code}\n  wanted: {want}\n  got: {out}");
    }
}
