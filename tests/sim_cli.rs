//! The command line (`examples/simulate.rs` wraps `async_lanes::sim::cli::run`): output formats,
//! and bad input that must name every bad key, exit with 2 and never panic.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app

use std::process::Command;

use async_lanes::sim::cli::{self, Format};
use async_lanes::sim::Mode;

#[track_caller]
fn check_rejected(args: &[&str], expected_errors: &[&str]) {
    let out = cli::run(args);
    assert_eq!(out.code, 2, "{args:?}");
    assert!(out.stdout.is_empty());
    let errors: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors, expected_errors, "{args:?}");
    assert!(out.stderr.contains("usage: simulate"));
}

#[test]
fn bad_values_are_each_named_with_what_is_allowed() {
    check_rejected(
        &["students=abc"],
        &["error: students=abc: expected an integer from 1 to 1000000"],
    );
    check_rejected(
        &["students=1000001", "workers=-1", "email_ms=NaN", "rate=0"],
        &[
            "error: students=1000001: expected an integer from 1 to 1000000",
            "error: workers=-1: expected an integer from 1 to 64",
            "error: email_ms=NaN: expected a number of milliseconds from 0 to 3600000",
            "error: rate=0: expected a number of students per second greater than 0",
        ],
    );
    check_rejected(
        &[
            "db_ms=-5",
            "validate_ms=inf",
            "db_pool=0",
            "await_db=yes",
            "mode=fast",
        ],
        &[
            "error: db_ms=-5: expected a number of milliseconds from 0 to 3600000",
            "error: validate_ms=inf: expected a number of milliseconds from 0 to 3600000",
            "error: db_pool=0: expected unlimited or an integer from 1 to 100000",
            "error: await_db=yes: expected true, false, 1 or 0",
            "error: mode=fast: expected one of blocking, async, threadpool",
        ],
    );
    check_rejected(
        &[
            "seed=18446744073709551616",
            "arrival=sometimes",
            "io_dist=normal",
            "threads=1001",
            "overflow=drop",
        ],
        &[
            "error: seed=18446744073709551616: expected an integer from 0 to 18446744073709551615",
            "error: arrival=sometimes: expected one of burst, uniform, poisson",
            "error: io_dist=normal: expected one of fixed, exp",
            "error: threads=1001: expected an integer from 1 to 1000",
            "error: overflow=drop: expected one of queue, reject",
        ],
    );
}

#[test]
fn unknown_keys_duplicates_and_stray_words_are_rejected() {
    check_rejected(
        &["colour=red", "workers=2", "workers=3", "format=xml", "oops"],
        &[
            "error: format=xml: expected one of text, json, perfetto, csv",
            "error: oops=: expected a key=value pair",
            "error: colour=red: expected one of the keys mode, workers, students, concurrency, \
             threads, overflow, validate_ms, framework_ms, db_ms, email_ms, arrival, rate, seed, \
             io_dist, db_pool, await_db, await_email, handler, fix, seats, extra_arrivals, cores, switch_ms, \
             code, code_file, format",
            "error: workers=3: expected each key at most once",
        ],
    );
    check_rejected(
        &["extra_arrivals=1,x"],
        &[
            "error: extra_arrivals=1,x: expected up to 10000 comma-separated times in seconds \
           from 0 to 3600",
        ],
    );
}

#[test]
fn json_has_exactly_the_documented_fields() {
    let out = cli::run(&["mode=async", "format=json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "{\"completed\":100,\"rejected\":0,\"max_in_flight\":100,\"makespan_s\":2.0,\
         \"throughput_per_s\":50.0,\"utilization\":0.0,\"cpu_busy\":0.0,\"blocked\":0.0,\
         \"latency_s\":{\"mean\":2.0,\"p50\":2.0,\"p95\":2.0,\"p99\":2.0,\"max\":2.0}}\n"
    );
}

#[test]
fn what_the_handler_prints_is_the_log() {
    let code = "code=async def f(student):\n    print('hi', student.email, 2.5)\n    await send_email(student)\n    print(f'sent {student.name}')";
    let out = cli::run(&["students=2", "email_ms=1000", "format=json", code]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.ends_with(
            ",\"warnings\":[],\"log\":[\
             {\"student\":1,\"time\":0.0,\"text\":\"hi student1@example.org 2.5\"},\
             {\"student\":2,\"time\":0.0,\"text\":\"hi student2@example.org 2.5\"},\
             {\"student\":1,\"time\":1.0,\"text\":\"sent Student 1\"},\
             {\"student\":2,\"time\":1.0,\"text\":\"sent Student 2\"}],\"status\":{\"200\":2}}\n"
        ),
        "{}",
        out.stdout
    );
    let text = cli::run(&["students=2", "email_ms=1000", code]).stdout;
    assert!(
        text.contains("\nprinted\n      0.000 s  #1    hi student1@example.org 2.5\n"),
        "{text}"
    );
    // Code that prints nothing has no log key.
    let quiet = cli::run(&["format=json", "code=async def f(student):\n    pass"]).stdout;
    assert!(!quiet.contains("\"log\""), "{quiet}");
}

#[test]
fn rejected_requests_are_counted_and_the_key_described() {
    let out = cli::run(&["overflow=reject", "format=json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("{\"completed\":1,\"rejected\":99,\"max_in_flight\":1,"),
        "{}",
        out.stdout
    );
    let text = cli::run(&["overflow=reject"]).stdout;
    assert!(text.contains(" overflow=reject "), "{text}");
    assert!(
        text.contains("\nrejected                    99\n"),
        "{text}"
    );
}

#[test]
fn text_is_a_readable_table() {
    let out = cli::run::<&str>(&[]);
    assert_eq!(out.code, 0);
    let expected = "\
mode=blocking workers=1 students=100 validate_ms=0 db_ms=0 email_ms=2000 arrival=burst \
io_dist=fixed db_pool=unlimited seed=1

completed                  100
rejected                     0
max in flight                1
makespan             200.000 s
throughput            0.500 /s
utilization            100.0 %
  cpu busy               0.0 %
  blocked              100.0 %
latency mean         101.000 s
latency p50          100.000 s
latency p95          190.000 s
latency p99          198.000 s
latency max          200.000 s
";
    assert_eq!(out.stdout, expected);
}

#[test]
fn help_prints_the_usage() {
    let out = cli::run(&["--help"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.starts_with("usage: simulate [key=value ...]"));
}

#[test]
fn parse_keeps_format_apart_from_the_scenario() {
    let (scenario, format) = cli::parse(&["mode=async".into(), "format=json".into()]).unwrap();
    assert_eq!((scenario.mode, format), (Mode::Async, Format::Json));
}

/// The real binary, built and run through Cargo: bad input exits with 2 and names the key.
#[test]
fn the_example_binary_exits_with_2_on_bad_input() {
    let out = Command::new(env!("CARGO"))
        .args([
            "run",
            "--quiet",
            "--example",
            "simulate",
            "--",
            "students=abc",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: students=abc: expected an integer from 1 to 1000000"),
        "{stderr}"
    );
}

#[test]
fn logging_writes_what_python_writes() {
    // CPython 3.11, run as a module named "main" with nothing configured: logger.info writes
    // nothing; logger.warning writes the bare text (the last-resort handler); logging.warning
    // gives the root logger its default handler ("WARNING:root:..."), after which the named
    // logger's records carry their level and name too.
    let code = "code=import logging\nlogger = logging.getLogger(__name__)\nasync def f(student):\n    logger.info('registering %s', student.email)\n    logger.warning('slow email for %s (%d ms)', student.name, 2000)\n    logging.warning('root %r', student.course)\n    logger.error('after')";
    let out = cli::run(&["students=1", "format=json", code]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.ends_with(
            "\"log\":[\
             {\"student\":1,\"time\":0.0,\"text\":\"slow email for Student 1 (2000 ms)\"},\
             {\"student\":1,\"time\":0.0,\"text\":\"WARNING:root:root 'Course 1'\"},\
             {\"student\":1,\"time\":0.0,\"text\":\"ERROR:main:after\"}],\
             \"log_below_level\":1,\"status\":{\"200\":1}}\n"
        ),
        "{}",
        out.stdout
    );
    // basicConfig(level=logging.INFO) above the handler: info is written, debug is not.
    let code = "code=import logging\nlogging.basicConfig(level=logging.INFO)\nlogger = logging.getLogger(__name__)\nasync def f(student):\n    logger.info('registering %s', student.email)\n    logger.debug('details')";
    let text = cli::run(&["students=1", code]).stdout;
    assert!(
        text.ends_with(
            "\nprinted\n  (1 logging call below the logging level: written nowhere, as in Python)\n      0.000 s  #1    INFO:main:registering student1@example.org\n"
        ),
        "{text}"
    );
}

#[test]
fn exceptions_are_responses_by_status() {
    // FastAPI: an HTTPException is a response with its status (no log line); any other
    // exception is a 500, which uvicorn logs ("Exception in ASGI application", then the
    // exception as Python writes it: CPython 3.11's "integer division or modulo by zero");
    // a route's status_code is the status of a response that ends without one.
    let code = "code=@app.post('/r', status_code=201)\nasync def f(student):\n    await send_email(student)\n    if student.name == 'Student 2':\n        raise HTTPException(status_code=409, detail='course full')\n    if student.name == 'Student 3':\n        x = 1 // 0\n    if student.name == 'Student 4':\n        raise ValueError(f'bad {student.email}')";
    let out = cli::run(&["students=4", "email_ms=1000", "format=json", code]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.ends_with(
            "\"log\":[\
             {\"student\":3,\"time\":1.0,\"text\":\"ERROR:    Exception in ASGI application: ZeroDivisionError: integer division or modulo by zero (line 7)\"},\
             {\"student\":4,\"time\":1.0,\"text\":\"ERROR:    Exception in ASGI application: ValueError: bad student4@example.org (line 9)\"}],\
             \"status\":{\"201\":1,\"409\":1,\"500\":2}}\n"
        ),
        "{}",
        out.stdout
    );
    let text = cli::run(&["students=4", "email_ms=1000", code]).stdout;
    assert!(
        text.contains("\nresponses      201: 1, 409: 1, 500: 2\n"),
        "{text}"
    );
    // Rejected requests are the 503s they are.
    let out = cli::run(&[
        "overflow=reject",
        "mode=blocking",
        "students=3",
        "format=json",
        "code=async def f(student):\n    await send_email(student)",
    ]);
    assert!(
        out.stdout.ends_with("\"status\":{\"200\":1,\"503\":2}}\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn try_except_else_finally_run_as_python_runs_them() {
    // CPython 3.11 prints, for the same handlers (HTTPException as Starlette defines it):
    // "caught integer division or modulo by zero", "finally", "after"; then "lookup 'k'",
    // "any 404: Not Found"; then "fin" and the ValueError escapes (a 500, logged by uvicorn).
    let log = |body: &str| {
        let code = format!("code=async def f(student):\n{body}");
        let out = cli::run(&["students=1", "format=json", code.as_str()]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let at = out.stdout.find("\"log\":").expect("a log");
        out.stdout[at..].trim_end().to_string()
    };
    let line = |text: &str| format!("{{\"student\":1,\"time\":0.0,\"text\":\"{text}\"}}");
    assert_eq!(
        log("    try:\n        x = 1 // 0\n    except ZeroDivisionError as e:\n        print('caught', e)\n    else:\n        print('no')\n    finally:\n        print('finally')\n    print('after')"),
        format!(
            "\"log\":[{},{},{}],\"status\":{{\"200\":1}}}}",
            line("caught integer division or modulo by zero"),
            line("finally"),
            line("after")
        )
    );
    assert_eq!(
        log("    try:\n        raise KeyError('k')\n    except LookupError as e:\n        print('lookup', e)\n    try:\n        raise HTTPException(404)\n    except Exception as e:\n        print('any', e)"),
        format!(
            "\"log\":[{},{}],\"status\":{{\"200\":1}}}}",
            line("lookup 'k'"),
            line("any 404: Not Found")
        )
    );
    assert_eq!(
        log("    try:\n        raise ValueError('bad')\n    except TypeError:\n        print('no')\n    finally:\n        print('fin')"),
        format!(
            "\"log\":[{},{}],\"status\":{{\"500\":1}}}}",
            line("fin"),
            line("ERROR:    Exception in ASGI application: ValueError: bad (line 3)")
        )
    );
    // An HTTPException caught, then raised again with a bare raise: the client gets its 409.
    assert!(log("    try:\n        raise HTTPException(status_code=409, detail='full')\n    except HTTPException as e:\n        print(f'got {e}')\n        raise").ends_with("\"status\":{\"409\":1}}"));
}

#[test]
fn with_import_lines_a_name_not_imported_is_a_name_error_where_it_runs() {
    // Python: the lines before run, then NameError at the use (a 500, logged by uvicorn). Code
    // with no import lines is a snippet, as the article's: its imports are taken as written.
    let code = "code=import time\nasync def f(student):\n    print('before')\n    await asyncio.sleep(1)\n    print('after')";
    let out = cli::run(&["students=1", "format=json", code]);
    assert!(
        out.stdout.ends_with(
            "\"log\":[{\"student\":1,\"time\":0.0,\"text\":\"before\"},\
             {\"student\":1,\"time\":0.0,\"text\":\"ERROR:    Exception in ASGI application: NameError: name 'asyncio' is not defined (line 4)\"}],\
             \"status\":{\"500\":1}}\n"
        ),
        "{}",
        out.stdout
    );
    let snippet = cli::run(&[
        "students=1",
        "format=json",
        "code=async def f(student):\n    await asyncio.sleep(1)",
    ]);
    assert!(
        snippet.stdout.ends_with("\"status\":{\"200\":1}}\n"),
        "{}",
        snippet.stdout
    );
    // A full file: its imports, the app, the route.
    let file = "code=from fastapi import FastAPI, HTTPException\nimport asyncio\n\napp = FastAPI()\n\n@app.post('/register', status_code=201)\nasync def register(student):\n    await asyncio.sleep(1)\n    if student.name == 'Student 2':\n        raise HTTPException(409)";
    let out = cli::run(&["students=2", "format=json", file]);
    assert!(
        out.stdout.ends_with("\"status\":{\"201\":1,\"409\":1}}\n"),
        "{}",
        out.stdout
    );
    // Above the handler the module runs at import: a name missing there stops it.
    let out = cli::run(&["code=import asyncio\napp = FastAPI()\nasync def f(student):\n    pass"]);
    assert!(
        out.stderr
            .contains("line 2, column 7: name 'FastAPI' is not defined"),
        "{}",
        out.stderr
    );
}

#[test]
fn wait_for_cancels_a_call_at_its_limit_with_timeout_error() {
    // CPython 3.11: wait_for(sleep(2), timeout=0.2) raises TimeoutError (str '') at 0.2 s;
    // timeout=None waits as long as the call takes.
    let run = |code: &str| {
        let arg = format!("code=async def f(student):\n{code}");
        cli::run(&["students=2", "email_ms=2000", "format=json", arg.as_str()]).stdout
    };
    let cut = run("    await asyncio.wait_for(send_email(student), timeout=1)");
    assert!(cut.contains("\"makespan_s\":1.0,"), "{cut}");
    assert!(
        cut.contains("\"text\":\"ERROR:    Exception in ASGI application: TimeoutError (line 2)\""),
        "{cut}"
    );
    assert!(cut.ends_with("\"status\":{\"500\":2}}\n"), "{cut}");
    let caught = run("    try:\n        await asyncio.wait_for(send_email(student), 1)\n    except TimeoutError:\n        raise HTTPException(503)");
    assert!(caught.ends_with("\"status\":{\"503\":2}}\n"), "{caught}");
    let within = run("    await asyncio.wait_for(send_email(student), timeout=3)");
    assert!(
        within.contains("\"makespan_s\":2.0,") && within.ends_with("\"status\":{\"200\":2}}\n"),
        "{within}"
    );
    let none = run("    await asyncio.wait_for(send_email(student), timeout=None)");
    assert!(none.contains("\"makespan_s\":2.0,"), "{none}");
}

#[test]
fn asyncio_timeout_cuts_the_awaited_calls_at_its_deadline() {
    // CPython 3.11: in `async with asyncio.timeout(0.3)`, a first sleep(0.2) ends at 0.2 s, the
    // second is cancelled at 0.3 s, and TimeoutError (str '') leaves the block.
    let code = "code=async def f(student):\n    try:\n        async with asyncio.timeout(3):\n            await asyncio.sleep(2)\n            print('first done')\n            await asyncio.sleep(2)\n            print('no')\n    except TimeoutError:\n        print('cut')";
    let out = cli::run(&["students=1", "format=json", code]).stdout;
    assert!(out.contains("\"makespan_s\":3.0,"), "{out}");
    assert!(
        out.contains("\"log\":[{\"student\":1,\"time\":2.0,\"text\":\"first done\"},{\"student\":1,\"time\":3.0,\"text\":\"cut\"}]"),
        "{out}"
    );
    // CPU work cannot be cut (asyncio cancels only at an await): CPython 3.11 raises
    // TimeoutError at 0.1 s, at the first await after a 100 ms busy loop under a 0.05 s timeout.
    let code = "code=async def f(student):\n    async with asyncio.timeout(0.05):\n        cpu_work(ms=100)\n        await asyncio.sleep(1)";
    let out = cli::run(&["students=1", "format=json", code]).stdout;
    assert!(
        out.contains("\"makespan_s\":0.1,") && out.ends_with("\"status\":{\"500\":1}}\n"),
        "{out}"
    );
}

#[test]
fn built_in_functions_give_what_cpython_gives() {
    // CPython 3.11 prints "9 2.0 12 -2 1000.0 2 4 3 4 a False 2 1" for the same call, then
    // int("1.5") raises ValueError: invalid literal for int() with base 10: '1.5'.
    let code = "code=async def f(student):\n    print(len(student.name), str(2.0), int(' 12 '), int(-2.9), float('1e3'), round(2.5), round(3.5), abs(-3), max(3, 4), min('b', 'a'), bool(''), len([1, 2]), len({'a': 1}))\n    x = int('1.5')";
    let out = cli::run(&["students=1", "format=json", code]).stdout;
    assert!(
        out.contains("\"text\":\"9 2.0 12 -2 1000.0 2 4 3 4 a False 2 1\""),
        "{out}"
    );
    assert!(
        out.contains("ValueError: invalid literal for int() with base 10: '1.5' (line 3)"),
        "{out}"
    );
    // max(3, 2.5) gives back 3, an int: a handler here wants one type to know which.
    let mixed = cli::run(&["code=async def f(student):\n    x = max(3, 2.5)"]);
    assert!(
        mixed
            .stderr
            .contains("max() with these arguments is valid Python"),
        "{}",
        mixed.stderr
    );
}

#[test]
fn while_break_and_continue_run_as_python_runs_them() {
    // CPython 3.11 prints "turn 1", "turn 3", "attempt 0", "attempt 1", "done 3".
    let code = "code=async def f(student):\n    n = 0\n    while n < 3:\n        n += 1\n        if n == 2:\n            continue\n        print('turn', n)\n    for attempt in range(5):\n        if attempt == 2:\n            break\n        print('attempt', attempt)\n    print('done', n)";
    let out = cli::run(&["students=1", "format=json", code]).stdout;
    let lines: Vec<&str> = out
        .split("\"text\":\"")
        .skip(1)
        .map(|t| t.split('"').next().unwrap_or(""))
        .collect();
    assert_eq!(
        lines,
        ["turn 1", "turn 3", "attempt 0", "attempt 1", "done 3"],
        "{out}"
    );
    // CPython's SyntaxError words.
    let out = cli::run(&["code=async def f(student):\n    break"]);
    assert!(
        out.stderr
            .contains("line 2, column 5: 'break' outside loop"),
        "{}",
        out.stderr
    );
    // A loop that never ends stops at the operations limit.
    let out = cli::run(&["code=async def f(student):\n    while True:\n        pass"]);
    assert!(
        out.stderr.contains("the request ran more than"),
        "{}",
        out.stderr
    );
}

#[test]
fn string_methods_give_what_cpython_gives() {
    // CPython 3.11 prints the same line; 'a'.bogus() is its AttributeError, and 'str.title' a
    // method Python has that a handler here owns up to.
    let code = "code=async def f(student):\n    e = student.email\n    print(e.upper(), '  x '.strip(), e.startswith('student1'), e.endswith('.com'), e.replace('example', 'uni'), e.split('@'), len('a b  c'.split()), student.name.lower())";
    let out = cli::run(&["students=1", "format=json", code]).stdout;
    assert!(
        out.contains("\"text\":\"STUDENT1@EXAMPLE.ORG x True False student1@uni.org ['student1', 'example.org'] 3 student 1\""),
        "{out}"
    );
    let said = |code: &str| {
        cli::run(&[format!("code=async def f(student):\n    x = {code}").as_str()]).stderr
    };
    assert!(said("'a'.bogus()").contains("'str' object has no attribute 'bogus'"));
    assert!(said("'a'.lower(1)").contains("str.lower() takes no arguments (1 given)"));
    assert!(said("student.email.title()").contains("'str.title()' is valid Python"));
    // `in` of a string in a string: CPython prints "True False True"; 1 in 'a' is its TypeError.
    let code =
        "code=async def f(student):\n    print('@' in student.email, 'x' not in 'xyz', '' in 'a')";
    let out = cli::run(&["students=1", "format=json", code]).stdout;
    assert!(out.contains("\"text\":\"True False True\""), "{out}");
    assert!(said("1 in 'a'").contains("'in <string>' requires string as left operand, not int"));
}
