//! The handler language, one line per case: keys and code (lines separated by `|`, a character
//! the language has no use for), then what the run gives (its makespan and warnings) or the
//! error, as the command line prints it.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app

use async_lanes::sim::lang::{self, presets};
use async_lanes::sim::{simulate, Mode, Scenario, SimError};

/// The code with `|` turned into newlines.
fn code(text: &str) -> String {
    text.replace('|', "\n")
}

/// What `keys` plus `code=text` give: `2 s`, `2 s; line 3: coroutine ... never awaited`, or the
/// error's words.
fn outcome(keys: &str, text: &str) -> String {
    let mut pairs: Vec<(String, String)> = keys
        .split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if !keys.contains("students=") {
        pairs.push(("students".into(), "10".into()));
    }
    pairs.push(("code".into(), code(text)));
    let scenario = match Scenario::parse_pairs(pairs) {
        Ok(s) => s,
        Err(errors) => {
            let words: Vec<String> = errors.iter().map(ToString::to_string).collect();
            return words.join("; ");
        }
    };
    let warnings = lang::compile(&code(text)).map_or_else(
        |_| Vec::new(),
        |p| {
            p.warnings()
                .iter()
                .map(|w| format!("line {}: {}", w.line, w.message))
                .collect()
        },
    );
    match simulate(&scenario) {
        Ok(trace) => {
            let mut out = format!("{} s", trace.metrics.makespan.as_secs_f64());
            for w in warnings {
                out.push_str(&format!("; {w}"));
            }
            out
        }
        Err(SimError::Code(e)) => format!("run: {e}"),
        Err(e) => format!("run: {e}"),
    }
}

#[track_caller]
fn check(keys: &str, text: &str, expect: &str) {
    assert_eq!(
        outcome(keys, text),
        expect,
        "keys {keys}, code:\n{}",
        code(text)
    );
}

const ARTICLE: &str = "async def register(student):|    validate(student)|    await save_to_database(student)|    await send_email(student)";

#[test]
fn the_code_decides_where_it_runs_unless_mode_says() {
    // 10 students, a 2 s email: async overlaps them, a blocking worker queues them.
    check("", ARTICLE, "2 s");
    check("mode=blocking", ARTICLE, "20 s");
    check("mode=threadpool threads=5", ARTICLE, "4 s");
    check(
        "",
        "def register(student):|    db.save(student)|    smtp.send(welcome(student))",
        "2 s",
    );
    check(
        "threads=2",
        "def register(student):|    smtp.send(student)",
        "10 s",
    );
    check(
        "mode=blocking",
        "def register(student):|    smtp.send(student)",
        "20 s",
    );
}

#[test]
fn division_and_identity_follow_python() {
    // CPython 3.11: 7 / 2 = 3.5, 7 // 2 = 3, -7 % 3 = 2, 7.5 // 2 = 3.0, -7.5 % 2 = 0.5,
    // 7 // -2 = -4 (so -(7 // -2) = 4), and 10 // 3 % 2 = 1.
    let sleep = |e: &str| format!("async def f(student):|    await asyncio.sleep({e})");
    check("", &sleep("7 / 2"), "3.5 s");
    check("", &sleep("7 // 2"), "3 s");
    check("", &sleep("-7 % 3"), "2 s");
    check("", &sleep("7.5 // 2"), "3 s");
    check("", &sleep("-7.5 % 2"), "0.5 s");
    check("", &sleep("-(7 // -2)"), "4 s");
    check(
        "",
        "async def f(student):|    x = 10|    x //= 3|    x %= 2|    await asyncio.sleep(x)",
        "1 s",
    );
    check(
        "",
        "async def f(student):|    x = 3|    x /= 2|    await asyncio.sleep(x)",
        "1.5 s",
    );
    check(
        "",
        "async def f(student):|    x = None|    if x is None:|        await asyncio.sleep(1)",
        "1 s",
    );
    check(
        "",
        "async def f(student):|    if True is not None:|        await asyncio.sleep(2)",
        "2 s",
    );
    check(
        "",
        "async def f(student):|    if 1 is not True:|        await asyncio.sleep(2)",
        "2 s",
    );
    check("", "async def f(student):|    x = 1 is 1", "code: line 2, column 11: 'is' between 'int' and 'int' is valid Python, but a handler here uses it only with None, True or False: compare values with == and !=");
    // A ZeroDivisionError is a 500 with uvicorn's log line: tests/sim_cli.rs holds its words.
    check("", "async def f(student):|    x = 1 // 0", "0 s");
}

#[test]
fn calls_take_their_time() {
    check(
        "",
        "async def f(student):|    smtp.send(student)  # blocks the loop",
        "20 s",
    );
    check(
        "",
        "async def f(student):|    await asyncio.sleep(1.5)",
        "1.5 s",
    );
    check("", "async def f(student):|    time.sleep(1)", "10 s");
    check("", "async def f(student):|    cpu_work(ms=100)", "1 s");
    check("", "async def f(student):|    cpu_work(250)", "2.5 s");
    check(
        "validate_ms=50 email_ms=0",
        "async def f(student):|    validate(student)",
        "0.5 s",
    );
    check(
        "db_ms=300 email_ms=0",
        "async def f(student):|    await save_to_database(student)",
        "0.3 s",
    );
    check(
        "db_ms=300 db_pool=1",
        "async def f(student):|    await save_to_database(student)",
        "3 s",
    );
    check(
        "db_ms=300 db_pool=2",
        "def f(student):|    db.save(student)",
        "1.5 s",
    );
}

#[test]
fn gather_runs_its_calls_at_once() {
    let keys = "db_ms=1000 email_ms=2000";
    check(
        keys,
        "async def f(student):|    await save_to_database(student)|    await send_email(student)",
        "3 s",
    );
    check(keys, "async def f(student):|    await asyncio.gather(save_to_database(student), send_email(student))", "2 s");
    check(keys, "async def f(student):|    await asyncio.gather(|        asyncio.sleep(3),|        send_email(student),|    )", "3 s");
    check(
        keys,
        "async def f(student):|    await asyncio.gather()",
        "0 s",
    );
    check(
        "mode=blocking",
        "async def f(student):|    await asyncio.gather(asyncio.sleep(1), asyncio.sleep(1))",
        "10 s",
    );
}

#[test]
fn thread_pools_have_their_sizes() {
    // to_thread's pool has min(32, cores + 4) threads; run_in_threadpool's has `threads`.
    check(
        "cores=1",
        "async def f(student):|    await asyncio.to_thread(time.sleep, 1)",
        "2 s",
    );
    check(
        "cores=28 students=100",
        "async def f(student):|    await asyncio.to_thread(time.sleep, 1)",
        "4 s",
    );
    check("threads=2", "import time|from fastapi.concurrency import run_in_threadpool|async def f(student):|    await run_in_threadpool(time.sleep, 1)", "5 s");
    // With import lines, a module used without its import is Python's NameError where the line
    // runs: a 500 at once (tests/sim_cli.rs holds the words).
    check("threads=2", "from fastapi.concurrency import run_in_threadpool|async def f(student):|    await run_in_threadpool(time.sleep, 1)", "0 s");
    check(
        "threads=2",
        "async def f(student):|    await run_in_threadpool(smtp.send, welcome(student))",
        "10 s",
    );
    // CPU work on a thread still needs the interpreter lock, which the loop shares.
    check(
        "",
        "async def f(student):|    await asyncio.to_thread(cpu_work, ms=100)",
        "1 s",
    );
    // Outside async mode the request already has its thread.
    check(
        "mode=blocking",
        "async def f(student):|    await asyncio.to_thread(time.sleep, 1)",
        "10 s",
    );
}

#[test]
fn control_flow_and_arithmetic() {
    check(
        "",
        "async def f(student):|    for i in range(3):|        await asyncio.sleep(1)",
        "3 s",
    );
    check(
        "",
        "async def f(student):|    for i in range(2, 4):|        await asyncio.sleep(i)",
        "5 s",
    );
    check("", "async def f(student):|    x = 2 * 3 - 1|    if x > 5:|        await asyncio.sleep(9)|    elif x == 5 and not x < 0:|        await asyncio.sleep(1)|    else:|        pass", "1 s");
    check("", "async def f(student):|    n = 0|    n += 4|    n -= 1|    n *= 2|    if n != 6 or n <= 0: return|    await asyncio.sleep(n)", "6 s");
    check("", "async def f(student):|    await asyncio.sleep(0.5 * 3)|    return|    await asyncio.sleep(100)", "1.5 s");
    check(
        "",
        "async def f(student):|    if True: await asyncio.sleep(1)",
        "1 s",
    );
    check(
        "",
        "async def f(student):|    for i in range(-3):|        await asyncio.sleep(1)",
        "0 s",
    );
    check("", "import asyncio, time|import asyncio|@app.post(\"/register\")|async def register(student: Student) -> None:|    # a comment||    await asyncio.sleep(1)  # another||", "1 s");
}

#[test]
fn pythons_rules_about_await() {
    check(
        "",
        "async def f(student):|    send_email(student)",
        "0 s; line 2: coroutine 'send_email' was never awaited",
    );
    check(
        "",
        "async def f(student):|    asyncio.sleep(1)",
        "0 s; line 2: coroutine 'sleep' was never awaited",
    );
    check(
        "",
        "async def f(student):|    asyncio.to_thread(time.sleep, 1)",
        "0 s; line 2: coroutine 'to_thread' was never awaited",
    );
    check(
        "",
        "async def f(student):|    c = send_email(student)",
        "0 s; line 2: coroutine 'send_email' was never awaited",
    );
    check(
        "",
        "async def f(student):|    c = send_email(student)|    await c",
        "2 s",
    );
    check("", "async def f(student):|    c = asyncio.sleep(1)|    await asyncio.gather(c, asyncio.sleep(2))", "2 s");
    check(
        "",
        "async def f(student):|    c = send_email(student)|    await c|    await c",
        "2 s", /* a 500: uvicorn logs RuntimeError: cannot reuse already awaited coroutine */
    );
    check(
        "",
        "async def f(student):|    await validate(student)",
        "code: line 2, column 5: object NoneType can't be used in 'await' expression",
    );
    check(
        "",
        "async def f(student):|    await db.save(student)",
        "code: line 2, column 5: object NoneType can't be used in 'await' expression",
    );
    check(
        "",
        "async def f(student):|    await 5",
        "code: line 2, column 5: object int can't be used in 'await' expression",
    );
    check(
        "",
        "def f(student):|    await send_email(student)",
        "code: line 2, column 5: 'await' outside async function",
    );
    check(
        "",
        "def f(student):|    x = 1 + await send_email(student)",
        "code: line 2, column 13: 'await' outside async function",
    );
    check("", "async def f(student):|    asyncio.gather(send_email(student))", "code: line 2, column 5: asyncio.gather(...) must be awaited where it is called (running its calls in the background is not supported yet)");
    check("", "async def f(student):|    await asyncio.gather(validate(student))", "code: line 2, column 26: asyncio.gather() needs coroutines (calls of async functions without await): got NoneType");
    check("", "async def f(student):|    await asyncio.to_thread(send_email, student)", "code: line 2, column 29: to_thread() needs a blocking function: 'send_email' is async, await it directly");
}

#[test]
fn names_arguments_and_types_are_checked_before_the_run() {
    // An undefined name is Python's NameError when its line runs (every request fails there,
    // a 500), and a warning before.
    check(
        "",
        "async def f(student):|    foo(student)",
        "0 s; line 2: name 'foo' is not defined: this line raises NameError when it runs",
    );
    check(
        "",
        "async def f(student):|    await asyncio.slep(1)",
        "code: line 2, column 19: module 'asyncio' has no attribute 'slep'",
    );
    check(
        "",
        "async def f(student):|    validate(student, student)",
        "code: line 2, column 23: validate() takes 1 positional argument but 2 were given",
    );
    check(
        "",
        "async def f(student):|    validate()",
        "code: line 2, column 13: validate() missing 1 required positional argument: 'student'",
    );
    check(
        "",
        "async def f(student):|    cpu_work(seconds=1)",
        "code: line 2, column 14: cpu_work() got an unexpected keyword argument 'seconds'",
    );
    check(
        "",
        "async def f(student):|    validate(5)",
        "code: line 2, column 14: validate() expects the student for 'student', got int",
    );
    check(
        "",
        "async def f(student):|    x = validate(student) + 1",
        "code: line 2, column 27: unsupported operand type(s) for +: 'NoneType' and 'int'",
    );
    check(
        "",
        "async def f(student):|    if student > 1:|        pass",
        "code: line 2, column 16: '>' not supported between instances of 'Student' and 'int'",
    );
    check(
        "",
        "async def f(student):|    print(y)",
        "0 s; line 2: name 'y' is not defined: this line raises NameError when it runs",
    );
    check(
        "",
        "async def f(student):|    validate(y)",
        "0 s; line 2: name 'y' is not defined: this line raises NameError when it runs",
    );
    check(
        "",
        "async def f(student):|    if 1 > 0:|        y = 1|    cpu_work(y)",
        "code: line 4, column 14: name 'y' is possibly unbound here",
    );
    check(
        "",
        "async def f(student):|    for i in range(1.5):|        pass",
        "code: line 2, column 20: 'float' object cannot be interpreted as an integer",
    );
    check("", "async def f(student):|    x = 1|    x = student", "code: line 3, column 5: incompatible types in assignment (expression has type \"Student\", variable 'x' has type \"int\")");
    check(
        "",
        "async def f(student):|    time = 1",
        "code: line 2, column 5: 'time' is a name of the world: pick another name",
    );
    check(
        "",
        "async def f(student):|    x = 1|    x()",
        "code: line 3, column 5: 'int' object is not callable",
    );
}

#[test]
fn unsupported_statements_and_bad_syntax_name_their_place() {
    check("", "async def f(student):|    with open('x') as f:|        pass", "code: line 2, column 5: 'with' is valid Python, but a handler here cannot use it: a handler holds calls, assignments, if/elif/else, for NAME in range(N), while, break, continue, try, async with, raise, return and pass");
    check(
        "",
        "async def f(student):|    try:|        pass",
        "code: line 3, column 13: expected 'except' or 'finally' block",
    );
    check("", "import os|async def f(student):|    pass", "code: line 1, column 8: 'import os' is valid Python, but a handler here imports asyncio, time and logging, run_in_threadpool from fastapi.concurrency or starlette.concurrency, FastAPI, HTTPException, BackgroundTasks and Depends from fastapi, and BaseModel from pydantic");
    check(
        "",
        "async def f(student):|    pass|  pass",
        "code: line 3, column 3: unindent does not match any outer indentation level",
    );
    check(
        "",
        "async def f(student):|pass",
        "code: line 2, column 1: expected an indented block after function definition on line 1",
    );
    // CPython 3.11: the block's owner and line, at the end of its header when the code ends
    // there (line 2, column 23), else at the next line's first token (line 3, column 5).
    check(
        "",
        "async def f(student):|    for i in range(3):||",
        "code: line 2, column 23: expected an indented block after 'for' statement on line 2",
    );
    check(
        "",
        "async def f(student):|    if 1:|        pass|    else:|    pass",
        "code: line 5, column 5: expected an indented block after 'else' statement on line 4",
    );
    check(
        "",
        "async def f(student):|    pass|        pass",
        "code: line 3, column 1: unexpected indent",
    );
    check(
        "",
        "async def f(student):|\tpass",
        "code: line 2, column 1: indent with spaces, not tabs",
    );
    check(
        "",
        "async def f(student):|    x = $",
        // CPython 3.11: "invalid syntax", its caret under the `$`.
        "code: line 2, column 9: invalid syntax",
    );
    // A backslash goes on to the next line (CPython 3.11: the last of 10 waits 0.5 s).
    check(
        "",
        "async def f(student):|    await asyncio.sleep(0.25 + \\|        0.25)",
        "0.5 s",
    );
    // And so does a string (CPython 3.11: len('ab\<newline>c') is 3, a wait of 0.3 s).
    check(
        "",
        "async def f(student):|    await asyncio.sleep(len('ab\\|c') / 10)",
        "0.3 s",
    );
    // An f-string too: f'a{1 + 1}\<newline>b' is 'a2b'.
    check(
        "",
        "async def f(student):|    await asyncio.sleep(len(f'a{1 + 1}\\|b') / 10)",
        "0.3 s",
    );
    check(
        "",
        "async def f(student):|    x = 1 \\ 2",
        "code: line 2, column 12: unexpected character after line continuation character",
    );
    check(
        "",
        "async def f(student):|    x = 1\u{e9}",
        // CPython 3.11: "invalid syntax" under the `é`, a name after the number `1`.
        "code: line 2, column 10: expected the end of the line, found '\u{e9}'",
    );
    check(
        "",
        "async def f(student):|    x = (1",
        // CPython points at the bracket: offset 9.
        "code: line 2, column 9: '(' was never closed",
    );
    check(
        "",
        "async def f(student):|    x = 2 ** 10",
        "code: line 2, column 11: the operator '**' is valid Python, but a handler here cannot use it: its values are numbers, strings and f-strings, True, False and None, with + - * / // % and comparisons, and lists and dicts to return",
    );
    check(
        "",
        "async def f(student)|    pass",
        "code: line 1, column 21: expected ':', found the end of the line",
    );
    check("", "# nothing but a comment", "code: line 1, column 24: expected a handler: async def NAME(student): or def NAME(student):");
    // No code at all is no code: the preset runs (blocking, 10 students, a 2 s email).
    check("", "", "20 s");
    // Two routes are two handlers; the code here is one.
    check(
        "",
        "@app.post('/a')|async def f(student):|    pass|@app.post('/b')|def g(student):|    pass",
        "code: line 5, column 1: a second route is valid FastAPI, but the code here is one handler",
    );
}

#[test]
fn limits_are_clear_errors() {
    let long = format!("async def f(student):|    pass{}", " ".repeat(4_000));
    check(
        "",
        &long,
        "code: line 1, column 1: the code has 4030 characters; at most 4000 are allowed",
    );
    let many = format!("async def f(student):{}", "|    pass".repeat(200));
    check(
        "",
        &many,
        "code: line 201, column 1: the code has 201 lines; at most 200 are allowed",
    );
    check(
        "",
        "async def f(student):|    for i in range(2000):|        pass",
        "run: line 2, column 5: range() of 2000 iterations: at most 1000 are allowed",
    );
    check("", "async def f(student):|    for i in range(1000):|        for j in range(1000):|            pass", "run: line 3, column 9: the request ran more than 10000 operations");
    check(
        "",
        "async def f(student):|    await asyncio.sleep(-1)",
        "run: line 2, column 11: the sleep's seconds must be from 0 to 3600, not -1",
    );
    check(
        "",
        "async def f(student):|    await db.execute(\"UPDATE\", -1)",
        "run: line 2, column 11: seats_left cannot be set to -1",
    );
    check(
        "",
        "async def f(student):|    x = 4611686018427387904 * 4",
        "run: line 2, column 29: integer overflow",
    );
}

#[test]
fn the_race_reads_and_writes_seats_left() {
    let race = presets::named("race").expect("the race preset").code;
    let scenario = Scenario {
        mode: Mode::Async,
        students: 5,
        seats: 3,
        db_ms: 10.0,
        code: Some(race.to_string()),
        ..Scenario::default()
    };
    let seats = simulate(&scenario).unwrap().seats.expect("a seats record");
    // Everyone reads 3 before anyone writes: five writes of 2, four of them lost updates.
    assert_eq!((seats.final_value(), seats.registered()), (2, 5));
    assert_eq!(seats.lost_updates().len(), 4);
    check("seats=0 db_ms=10", race, "0.01 s");
}

#[test]
fn every_preset_compiles_and_the_right_ones_warn() {
    for p in presets::PRESETS {
        let program = lang::compile(p.code).unwrap_or_else(|e| panic!("{}: {e}", p.slug));
        let warns = !program.warnings().is_empty();
        assert_eq!(warns, p.slug == "forgotten-await", "{}", p.slug);
    }
}

#[test]
fn code_without_mode_round_trips_through_pairs() {
    let parse = |pairs: Vec<(String, String)>| Scenario::parse_pairs(pairs).unwrap();
    let def = code("def f(student):|    pass");
    let s = parse(vec![("code".into(), def.clone())]);
    assert_eq!(s.mode, Mode::Threadpool);
    assert_eq!(s.to_pairs(), [("code".to_string(), def.clone())]);
    let s = parse(vec![
        ("code".into(), def.clone()),
        ("mode".into(), "blocking".into()),
    ]);
    assert_eq!(s.mode, Mode::Blocking);
    assert_eq!(parse(s.to_pairs()), s);
    let s = parse(vec![
        ("code".into(), code(ARTICLE)),
        ("mode".into(), "async".into()),
    ]);
    assert_eq!(s.to_pairs().len(), 1, "async is what the code says");
    assert_eq!(parse(s.to_pairs()), s);
    assert!(s.describe().contains("code=4 lines"), "{}", s.describe());
}

/// The spans of student 0 running `text` alone: `(start ms, end ms, state, step)`.
fn spans(keys: &str, text: &str) -> Vec<String> {
    let mut pairs: Vec<(String, String)> = keys
        .split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    pairs.push(("students".into(), "1".into()));
    pairs.push(("code".into(), code(text)));
    let trace = simulate(&Scenario::parse_pairs(pairs).unwrap()).unwrap();
    trace
        .spans_of(0)
        .iter()
        .map(|sp| {
            let ms = |t: async_lanes::sim::SimTime| t.as_secs_f64() * 1000.0;
            let step = sp.step.map_or("-".to_string(), |s| s.to_string());
            format!("{}-{} {} {step}", ms(sp.start), ms(sp.end), sp.state)
        })
        .collect()
}

#[test]
fn gather_shows_one_state_at_a_time() {
    // Awaiting over the union of the calls, named after the one that finishes last.
    let both = "async def f(student):|    await asyncio.gather(save_to_database(student), send_email(student))";
    assert_eq!(spans("db_ms=1000", both), ["0-2000 awaiting_io send_email"]);
    assert_eq!(
        spans("db_ms=3000", both),
        ["0-3000 awaiting_io save_to_database"]
    );
    // CPU work (on a thread, under the interpreter lock) claims the worker while it runs.
    let cpu = "async def f(student):|    await asyncio.gather(asyncio.to_thread(cpu_work, ms=500), send_email(student))";
    assert_eq!(
        spans("", cpu),
        ["0-500 running cpu_work", "500-2000 awaiting_io send_email"]
    );
    // A wait of unknown end (a connection) counts as finishing last.
    let pool = "async def f(student):|    c = save_to_database(student)|    await asyncio.gather(save_to_database(student), c)";
    assert_eq!(
        spans("db_ms=100 db_pool=1", pool),
        [
            "0-100 waiting_connection save_to_database",
            "100-200 awaiting_io save_to_database"
        ]
    );
    // A thread pool with no free thread: the request waits for one, the loop free.
    let threads = "async def f(student):|    await asyncio.gather(run_in_threadpool(time.sleep, 1), run_in_threadpool(time.sleep, 1))";
    assert_eq!(
        spans("threads=1", threads),
        ["0-1000 waiting_thread sleep", "1000-2000 awaiting_io sleep"]
    );
}

#[test]
fn strings_lists_and_dicts_follow_python() {
    // Each case sleeps 1 s only if Python would take the branch: CPython 3.11 gives True for
    // each condition, with the student #1 of 1 (name 'Student 1', email 'student1@example.org').
    let when =
        |cond: &str| format!("async def f(student):|    if {cond}:|        await asyncio.sleep(1)");
    for cond in [
        r#""ab" * 3 == "ababab""#,
        r#"'a' + "b" == 'ab' and 'a' < 'b' and 'B' < 'a'"#,
        r#"f"{student.name} <{student.email}>" == 'Student 1 <student1@example.org>'"#,
        r#"f'{1}/{2.5}/{None}/{True}/{1e16}/{1.5e-5}/{0.1 + 0.2}' == '1/2.5/None/True/1e+16/1.5e-05/0.30000000000000004'"#,
        r#"f'{{x}}' == '{x}' and f'a\tb' != 'a\\tb' and r'a\tb' == 'a\\tb'"#,
        r#"'it\'s' == "it's""#,
        r#"not '' and not [] and not {} and [0] and {'k': None}"#,
        r#"student.course and student.email != student.name"#,
        r#"'''doc''' == 'doc'"#,
    ] {
        check("students=1", &when(cond), "1 s");
    }
    check("students=1", &when("'' or 0"), "0 s");
    // A handler returns what FastAPI serialises: any value.
    check(
        "",
        "async def f(student):|    await send_email(student)|    return {'ok': True, 'email': student.email, 'n': [1, 2.5]}",
        "2 s",
    );
    check(
        "",
        "async def f(student):|    x = 'a' + 1",
        r#"code: line 2, column 13: can only concatenate str (not "int") to str"#,
    );
    check(
        "",
        "async def f(student):|    x = {[1]: 2}",
        "code: line 2, column 10: unhashable type: 'list'",
    );
    check(
        "",
        "async def f(student):|    x = f'{1'",
        "code: line 2, column 11: f-string: expecting '}'",
    );
    check(
        "",
        "async def f(student):|    x = f'{nope}'",
        "0 s; line 2: name 'nope' is not defined: this line raises NameError when it runs",
    );
    check(
        "",
        "async def f(student):|    x = 'ab' * 100000",
        "run: line 2, column 14: a string here holds at most 10000 characters",
    );
}

#[test]
fn module_constants_are_read_by_the_handler() {
    // CPython 3.11: X + Y is 3; assigning X in the handler makes X local to it (read before:
    // UnboundLocalError), which the language refuses up front.
    check(
        "students=1",
        "\"\"\"The registration service.\"\"\"|X = 1|import asyncio|Y: int = 2|GREETING = f'hi {X}'||async def f(student):|    if GREETING == 'hi 1':|        await asyncio.sleep(X + Y)",
        "3 s",
    );
    check(
        "",
        "X = validate(1)|async def f(student):|    pass",
        "code: line 1, column 13: a call or an await at the top of the code is valid Python, but a handler here cannot use it: the code above the handler holds imports and constants",
    );
    check(
        "",
        "X = 1|async def f(student):|    X = 2",
        "code: line 3, column 5: 'X' is a module constant: assigning it in the handler makes it a local name for the whole handler in Python (an UnboundLocalError where it is read before): pick another name",
    );
}
