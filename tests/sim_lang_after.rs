//! Work after the response: FastAPI's `BackgroundTasks`. Starlette sends the response, then
//! runs the added tasks in order on the same worker (awaiting an async function, a `def` one
//! on the thread pool); the student's wait ends at the response. The figures are worked out
//! from those rules, written beside each case.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app

#[path = "support/cli.rs"]
mod cli_support;
#[path = "support/keys.rs"]
mod keys;
use async_lanes::sim::trace::State;
use async_lanes::sim::SimTime;
use cli_support::{json, said};
use keys::run;

const AFTER: &str = "from fastapi import BackgroundTasks||@app.post('/register')|\
    async def register(student: Student, background_tasks: BackgroundTasks):|    \
    validate(student)|    await save_to_database(student)|    \
    background_tasks.add_task(send_email, student)|    return {'ok': True}";

const KEYS: &str = "mode=async students=10 validate_ms=5 db_ms=50 email_ms=2000";

#[test]
fn the_wait_ends_at_the_response_and_the_email_runs_after_it() {
    // Student k validates on the loop from 5(k-1) ms to 5k ms, then saves for 50 ms: its
    // response goes at 5k + 50 ms (55 ... 100 ms, mean 77.5 ms), and its email, started then,
    // ends 2 s later: the last at 2.1 s.
    let after = run(KEYS, AFTER);
    let m = after.metrics;
    assert_eq!(m.latency.mean_s, 0.0775);
    assert_eq!(m.latency.max, SimTime::from_millis(100));
    assert_eq!(m.makespan, SimTime::from_millis(2100));
    let first = &after.students[0];
    assert_eq!(first.responded, Some(SimTime::from_millis(55)));
    assert_eq!(first.finish, Some(SimTime::from_millis(2055)));
    // The same handler awaiting the email makes every student wait for it: 2.0775 s on average.
    let before = run(
        KEYS,
        &AFTER.replace(
            "background_tasks.add_task(send_email, student)",
            "await send_email(student)",
        ),
    );
    assert_eq!(before.metrics.latency.mean_s, 2.0775);
    assert_eq!(before.students[0].responded, None);
    // The email is on the add_task line, after the response.
    let email = after
        .spans_of(0)
        .iter()
        .find(|sp| sp.state == State::AwaitingIo && sp.start >= SimTime::from_millis(55))
        .expect("an email after the response");
    assert_eq!(email.line, Some(7));
}

#[test]
fn the_framework_writes_the_response_before_the_background_work() {
    // framework_ms=2: 1 ms reading the request, the handler (no time), 1 ms writing the
    // response; then the 1 s email.
    let trace = run(
        "mode=async students=1 validate_ms=0 db_ms=0 email_ms=1000 framework_ms=2",
        AFTER,
    );
    let s = &trace.students[0];
    assert_eq!(s.responded, Some(SimTime::from_millis(2)));
    assert_eq!(s.finish, Some(SimTime::from_millis(1002)));
}

#[test]
fn tasks_run_only_after_a_response_that_is_not_an_error() {
    // FastAPI's exception handler answers an HTTPException with a new response, without the
    // tasks: no email is sent, and the request ends at once.
    let code = AFTER.replace(
        "return {'ok': True}",
        "raise HTTPException(status_code=409, detail='full')",
    );
    let code = code.replace(
        "import BackgroundTasks",
        "import BackgroundTasks, HTTPException",
    );
    let trace = run(KEYS, &code);
    assert!(trace
        .students
        .iter()
        .all(|s| s.status == 409 && s.responded.is_none()));
    assert!(trace.spans.iter().all(|sp| sp.state != State::AwaitingIo
        || sp.step != Some(async_lanes::sim::handler::Step::SendEmail)));
}

#[test]
fn a_def_task_runs_on_the_thread_pool_and_leaves_the_loop_free() {
    // smtp.send is a plain function: Starlette runs it with run_in_threadpool, so two
    // students' 2 s emails overlap on two threads: both done at 2 s, not 4 s.
    let code = "from fastapi import BackgroundTasks||@app.post('/register')|\
        async def register(student: Student, background_tasks: BackgroundTasks):|    \
        background_tasks.add_task(smtp.send, welcome(student))";
    let trace = run("mode=async students=2 validate_ms=0 email_ms=2000", code);
    assert_eq!(trace.metrics.makespan, SimTime::from_millis(2000));
    assert_eq!(trace.metrics.latency.max, SimTime::ZERO);
}

#[test]
fn background_tasks_follow_pythons_rules() {
    // The annotation is evaluated when the handler is defined: without its import, the
    // module cannot be imported.
    let code = "from fastapi import FastAPI||@app.post('/register')|\
        async def register(student: Student, background_tasks: BackgroundTasks):|    pass";
    assert!(
        said("students=1", code).contains("name 'BackgroundTasks' is not defined"),
        "{}",
        said("students=1", code)
    );
    // Snippets take their imports as written: no import line, no error.
    let snippet = "async def register(student, tasks: BackgroundTasks):|    \
        tasks.add_task(send_email, student)";
    assert_eq!(run("students=2", snippet).students[1].status, 200);
    // The function itself, not a call of it.
    let wrong = "async def register(student, tasks: BackgroundTasks):|    \
        tasks.add_task(send_email(student))";
    assert!(said("students=1", wrong).contains("add_task(send_email, student)"));
    // Any other parameter is owned up to.
    let other = "async def register(student, page=1):|    pass";
    assert!(said("students=1", other).contains("this parameter is valid FastAPI"));
    // Used without the parameter.
    let missing = "async def register(student):|    background_tasks.add_task(send_email, student)";
    assert!(said("students=1", missing).contains("second parameter"));
}

#[test]
fn a_task_runs_beside_the_handler_and_after_its_response() {
    // CPython (asyncio, 1 s email, 0.5 s save): a task awaited at the end makes the two run
    // at once, both done at 1.0 s; a task left running lets the response go at 0.5 s and
    // ends at 1.0 s.
    let joined = "import asyncio|async def register(student):|    \
        task = asyncio.create_task(send_email(student))|    await save_to_database(student)|    \
        await task";
    let keys = "mode=async students=2 validate_ms=0 db_ms=500 email_ms=1000";
    let trace = run(keys, joined);
    assert_eq!(trace.metrics.latency.max, SimTime::from_millis(1000));
    assert!(trace.students.iter().all(|s| s.responded.is_none()));
    let fire = "import asyncio|async def register(student):|    \
        asyncio.create_task(send_email(student))|    await save_to_database(student)";
    let trace = run(keys, fire);
    assert_eq!(trace.metrics.latency.max, SimTime::from_millis(500));
    assert_eq!(trace.metrics.makespan, SimTime::from_millis(1000));
    assert_eq!(trace.students[0].responded, Some(SimTime::from_millis(500)));
    // A task's result, awaited twice (a task, unlike a coroutine, may be).
    let twice = "import asyncio|async def register(student):|    \
        t = asyncio.create_task(db.fetch('SELECT seats_left FROM course'))|    \
        n = await t|    m = await t|    print(n + m)";
    let out = json("students=1 seats=4", twice);
    assert!(out.contains("\"text\":\"8\""), "{out}");
    // Python's own words: no loop on a pool thread, and a coroutine is what a task runs.
    assert!(said(
        "students=1",
        "import asyncio|def register(student):|    \
        asyncio.create_task(send_email(student))"
    )
    .contains("RuntimeError: no running event loop"));
    assert!(said(
        "students=1",
        "import asyncio|async def register(student):|    \
        asyncio.create_task(validate(student))"
    )
    .contains("TypeError: a coroutine was expected, got None"));
}
