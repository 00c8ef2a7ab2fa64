//! Whatever a reader types, the language answers with a run or an error with a position (or, for
//! code that deadlocks as Python would, the executor's `Stuck`), never a panic or a hang: random token soups and random mutations of the presets, generated from the
//! core's own seeded generator, each case's seed in its failure message.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app

use std::panic::{catch_unwind, AssertUnwindSafe};

use async_lanes::sim::lang::{self, presets};
use async_lanes::sim::rng::Rng;
use async_lanes::sim::{simulate, HandlerKind, IoDist, Mode, Scenario, SimError};

/// Words, operators and layout a handler is made of, right and wrong.
const VOCABULARY: &[&str] = &[
    "async",
    "def",
    "f",
    "(",
    "student",
    ")",
    ":",
    "\n",
    "\n    ",
    "\n        ",
    "    ",
    "await",
    "validate",
    "send_email",
    "save_to_database",
    "asyncio",
    ".",
    "sleep",
    "gather",
    "to_thread",
    "time",
    "db",
    "save",
    "smtp",
    "send",
    "fetch",
    "execute",
    "fetch_blocking",
    "cpu_work",
    "ms",
    "=",
    "1",
    "0.5",
    "0",
    "3",
    "for",
    "i",
    "in",
    "range",
    "if",
    "elif",
    "else",
    "return",
    "pass",
    "x",
    "+",
    "-",
    "*",
    "<",
    ">=",
    "==",
    "!=",
    "and",
    "or",
    "not",
    ",",
    "\"UPDATE\"",
    "# c",
    "\t",
    "$",
    "import",
    "from",
    "fastapi.concurrency",
    "@app.post(\"/r\")",
    "while",
    "try",
    "1000",
    "-1",
    "has_room",
    "welcome",
    "run_in_threadpool",
    "+=",
    "True",
    "None",
    "[",
    "]",
    "'",
    "\"",
    "99999999999999999999",
    "1e400",
    "lambda",
    "->",
    "Student",
    "x = send_email(student)",
    "/",
    "//",
    "%",
    "/=",
    "is",
    "is not",
    "\"\"\"",
    "'''",
    "f\"",
    "status_code=201",
    "starlette.concurrency",
    "{",
    "}",
    "((((((((((",
    "))))))))))",
    "- - - - - -",
    "not not not not",
    "try:",
    "except",
    "except Exception as e:",
    "finally:",
    "raise",
    "async with asyncio.timeout(1):",
    "wait_for",
    "len",
    "int",
    "str",
    "max",
];

/// Whole statements, some of which fail only when run.
const STATEMENTS: &[&str] = &[
    "await asyncio.sleep(0.01)",
    "time.sleep(0.01)",
    "cpu_work(ms=2)",
    "await asyncio.sleep(-1)",
    "for i in range(2000):\n        pass",
    "for i in range(3):\n        await send_email(student)",
    "c = send_email(student)\n    await c\n    await c",
    "await asyncio.gather(send_email(student), asyncio.sleep(0.02))",
    "await asyncio.to_thread(db.save, student)",
    "await run_in_threadpool(cpu_work, ms=1)",
    "n = await db.fetch(\"SELECT\")\n    await db.execute(\"UPDATE\", n - 1)",
    "x = 9223372036854775807 + 1",
    "send_email(student)",
    "if has_room(1):\n        validate(student)",
    "x = 7 // 0",
    "x = 'ab' * 9999",
    "await asyncio.sleep(99999)",
    "x = 'x' * 20000",
    "cpu_work(ms=99999999)",
    "x = -9223372036854775807 - 2",
    "raise HTTPException(status_code=409, detail='full')",
    "x = 7.5 % 0",
    "x = -7 // 2 + 7 % -2 + 7 / 2",
    "\"\"\"A docstring\n    on two lines.\"\"\"",
    "if None is not None:\n        pass",
    "x = int(str(len(student.email)) + \"0\")",
    "x = round(float(\"2.5\")) + max(1, 2) - abs(-1)",
    "async with asyncio.timeout(0.01):\n        await send_email(student)",
    "await asyncio.wait_for(send_email(student), timeout=0.01)",
    "try:\n        x = 1 // 0\n    except ZeroDivisionError as e:\n        print(e)\n    finally:\n        pass",
    "try:\n        raise HTTPException(409)\n    except Exception:\n        raise",
    "for i in range(3):\n        try:\n            break\n        finally:\n            print(i)",
    "try:\n        return 1\n    finally:\n        print('x')",
    "try:\n        x = int('a')\n    except (TypeError, ValueError):\n        pass",
    "x = 9223372036854775807 * 2",
    "x = -9223372036854775807 * 9",
];

/// Files with the module-level parts the statements cannot make: helpers, a dependency, a
/// lock and background tasks.
const FILES: &[&str] = &[
    "from fastapi import FastAPI, Depends, BackgroundTasks\nimport asyncio\n\nlock = asyncio.Semaphore(2)\n\n\
def settings():\n    return {'from': 'x'}\n\nasync def save(s, n):\n    for i in range(n):\n        \
async with lock:\n            await save_to_database(s)\n            if i > 0:\n                return i\n    return 0\n\n\
@app.post('/register')\nasync def register(student: Student, tasks: BackgroundTasks, conf=Depends(settings)):\n    \
n = await save(student, 2)\n    tasks.add_task(send_email, student)\n    return {'n': n}\n",
];

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.below(items.len() as u64) as usize]
}

fn soup(rng: &mut Rng) -> String {
    let mut text = String::new();
    if rng.below(2) == 0 {
        text.push_str(pick(
            rng,
            &["async def f(student):\n    ", "def f(student):\n    "],
        ));
    }
    for _ in 0..1 + rng.below(40) {
        text.push_str(pick(rng, VOCABULARY));
        if rng.below(3) != 0 {
            text.push(' ');
        }
    }
    text
}

fn mutate(rng: &mut Rng, code: &str) -> String {
    let mut chars: Vec<char> = code.chars().collect();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(chars.len() as u64 + 1) as usize;
        match rng.below(7) {
            5 | 6 => {
                // A statement after a body line, as a reader adds one.
                let text: String = chars.iter().collect();
                let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
                let def = lines.iter().position(|l| l.contains("def ")).unwrap_or(0);
                let i = def + 1 + rng.below((lines.len() - def) as u64) as usize;
                lines.insert(i.min(lines.len()), format!("    {}", pick(rng, STATEMENTS)));
                chars = lines.join("\n").chars().collect();
            }
            0 if !chars.is_empty() => {
                let end = (at + 1 + rng.below(8) as usize).min(chars.len());
                chars.drain(at.min(end)..end);
            }
            1 | 2 => {
                let word: Vec<char> = pick(rng, VOCABULARY).chars().collect();
                chars.splice(at..at, word);
            }
            _ => {
                // Move, copy or re-indent whole lines, as an editor would.
                let text: String = chars.iter().collect();
                let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
                let i = rng.below(lines.len() as u64) as usize;
                let j = rng.below(lines.len() as u64) as usize;
                match rng.below(3) {
                    0 => lines.swap(i, j),
                    1 => {
                        let line = lines[i].clone();
                        lines.insert(j, line);
                    }
                    _ => {
                        lines[i] = format!(
                            "{}{}",
                            " ".repeat(rng.below(9) as usize),
                            lines[i].trim_start()
                        )
                    }
                }
                chars = lines.join("\n").chars().collect();
            }
        }
    }
    chars.into_iter().collect()
}

/// The preset texts to mutate: the playground's and every variant of the built-in handlers.
fn sources() -> Vec<String> {
    let mut out: Vec<String> = presets::PRESETS
        .iter()
        .map(|p| p.code.to_string())
        .chain(FILES.iter().map(|f| f.to_string()))
        .collect();
    for mode in [Mode::Blocking, Mode::Async] {
        for handler in [HandlerKind::Register, HandlerKind::Race] {
            for await_db in [true, false] {
                let s = Scenario {
                    mode,
                    handler,
                    await_db,
                    ..Scenario::default()
                };
                out.push(presets::for_scenario(&s));
            }
        }
    }
    out
}

/// One case: compile `code`; if it compiles, run it on a small random setup.
fn case(rng: &mut Rng, code: &str) -> Result<&'static str, String> {
    let lines = code.split('\n').count() as u32;
    let positioned = |e: &lang::CodeError| {
        if e.line >= 1
            && e.line <= lines.max(lang::MAX_LINES) + 1
            && e.column >= 1
            && !e.message.is_empty()
        {
            Ok(())
        } else {
            Err(format!("an error without a good position: {e:?}"))
        }
    };
    if let Err(e) = lang::compile(code) {
        positioned(&e)?;
        return Ok("error");
    }
    let scenario = Scenario {
        mode: [Mode::Blocking, Mode::Async, Mode::Threadpool][rng.below(3) as usize],
        workers: 1 + rng.below(2) as u32,
        students: 1 + rng.below(4) as u32,
        concurrency: 1 + rng.below(4) as u32,
        threads: 1 + rng.below(3) as u32,
        cores: 1 + rng.below(4) as u32,
        db_pool: [None, Some(1), Some(2)][rng.below(3) as usize],
        io_dist: if rng.below(2) == 0 {
            IoDist::Fixed
        } else {
            IoDist::Exp
        },
        validate_ms: 1.0,
        db_ms: 5.0,
        email_ms: 20.0,
        seats: rng.below(3) as u32,
        seed: rng.next_u64(),
        code: Some(code.to_string()),
        ..Scenario::default()
    };
    match simulate(&scenario) {
        Ok(trace) if trace.complete => Ok("run"),
        Ok(_) => Err("an incomplete trace from simulate".to_string()),
        Err(SimError::Code(e)) => positioned(&e).map(|()| "run error"),
        // A faithful deadlock (a blocking wait for a connection on the loop, while the holder
        // needs the loop to give it back) is an outcome, not a failure.
        Err(SimError::Stuck { .. }) => Ok("run error"),
        Err(e) => Err(format!("unexpected: {e}")),
    }
}

#[test]
fn random_code_runs_or_fails_with_a_position() {
    let sources = sources();
    let mut counts = [0u32; 3];
    for seed in 0..6_000u64 {
        let mut rng = Rng::seed_from_u64(seed);
        let code = if seed % 2 == 0 {
            soup(&mut rng)
        } else {
            let source = &sources[rng.below(sources.len() as u64) as usize];
            mutate(&mut rng, source)
        };
        let result = catch_unwind(AssertUnwindSafe(|| case(&mut rng, &code)));
        match result {
            Ok(Ok(kind)) => {
                let i = ["error", "run", "run error"]
                    .iter()
                    .position(|k| *k == kind);
                counts[i.unwrap_or(0)] += 1;
            }
            Ok(Err(why)) => panic!("seed {seed}: {why}\ncode:\n{code}"),
            Err(_) => panic!("seed {seed}: panicked\ncode:\n{code}"),
        }
    }
    // The generator reaches all three outcomes, not only syntax errors.
    assert!(
        counts.iter().all(|&n| n > 100),
        "error, run, run error: {counts:?}"
    );
    eprintln!("error, run, run error: {counts:?}");
}
