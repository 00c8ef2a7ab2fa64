//! The built-in handlers as programs: the article's (in the variant its `mode`, `await_db` and
//! `await_email` describe) and the race on `seats_left`, plus the playground's starting points.
//! These texts are the only definition of the built-in handlers; nothing here runs them.

use crate::sim::scenario::{Fix, HandlerKind, Mode, Scenario};

/// The route line every preset starts with.
const ROUTE: &str = "@app.post(\"/register\")\n";

/// The handler a scenario without `code` runs: its `handler`, written the way its `mode` and
/// await switches say (`async def` only in async mode; a switched-off `await` becomes the
/// blocking client's call).
pub fn for_scenario(scenario: &Scenario) -> String {
    // A fixed race is the playground's preset of the fix, whatever the mode says.
    let fix = match scenario.fix {
        Fix::None => None,
        Fix::Lock => named("lock"),
        Fix::Atomic => named("atomic"),
        Fix::RowLock => named("row-lock"),
        Fix::Optimistic => named("optimistic"),
    };
    if let (HandlerKind::Race, Some(preset)) = (scenario.handler, fix) {
        return preset.code.to_string();
    }
    let is_async = scenario.mode == Mode::Async;
    let def = if is_async {
        "async def register(student: Student):\n"
    } else {
        "def register(student: Student):\n"
    };
    let await_db = is_async && scenario.await_db;
    let body = match scenario.handler {
        HandlerKind::Register => {
            let db = if await_db {
                "    await save_to_database(student)\n"
            } else {
                "    db.save(student)\n"
            };
            let email = if is_async && scenario.await_email {
                "    await send_email(student)\n"
            } else {
                "    smtp.send(welcome(student))\n"
            };
            format!("    validate(student)\n{db}{email}")
        }
        HandlerKind::Race if await_db => "    \
    seats_left = await db.fetch(\"SELECT seats_left FROM course\")
    if has_room(seats_left):
        await db.execute(\"UPDATE course SET seats_left = $1\", seats_left - 1)\n"
            .to_string(),
        HandlerKind::Race => "    \
    seats_left = db.fetch_blocking(\"SELECT seats_left FROM course\")
    if has_room(seats_left):
        db.execute_blocking(\"UPDATE course SET seats_left = $1\", seats_left - 1)\n"
            .to_string(),
    };
    format!("{ROUTE}{def}{body}")
}

/// A starting point of the playground.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// A stable name for URLs and tests.
    pub slug: &'static str,
    /// The button's words.
    pub title: &'static str,
    /// The code.
    pub code: &'static str,
}

/// The playground's presets, in the order it offers them.
pub const PRESETS: &[Preset] = &[
    Preset {
        slug: "article",
        title: "The article's handler",
        code: "@app.post(\"/register\")
async def register(student: Student):
    validate(student)
    await save_to_database(student)
    await send_email(student)
",
    },
    Preset {
        slug: "blocking-in-async",
        title: "A blocking call in async def",
        code: "@app.post(\"/register\")
async def register(student: Student):
    validate(student)
    await save_to_database(student)
    smtp.send(welcome(student))  # blocks the loop
",
    },
    Preset {
        slug: "def",
        title: "Plain def",
        code: "@app.post(\"/register\")
def register(student: Student):
    validate(student)
    db.save(student)
    smtp.send(welcome(student))
",
    },
    Preset {
        slug: "gather",
        title: "gather",
        code: "import asyncio

@app.post(\"/register\")
async def register(student: Student):
    validate(student)
    await asyncio.gather(
        save_to_database(student),
        send_email(student),
    )
",
    },
    Preset {
        slug: "to-thread",
        title: "to_thread",
        code: "import asyncio

@app.post(\"/register\")
async def register(student: Student):
    validate(student)
    await save_to_database(student)
    await asyncio.to_thread(smtp.send, welcome(student))
",
    },
    Preset {
        slug: "time-limit",
        title: "A time limit on the email",
        code: "import asyncio
from fastapi import HTTPException

@app.post(\"/register\")
async def register(student: Student):
    validate(student)
    await save_to_database(student)
    try:
        await asyncio.wait_for(send_email(student), timeout=1)
    except TimeoutError:
        raise HTTPException(status_code=503, detail=\"email too slow\")
",
    },
    Preset {
        slug: "after-response",
        title: "The email after the response",
        code: "from fastapi import BackgroundTasks

@app.post(\"/register\")
async def register(student: Student, background_tasks: BackgroundTasks):
    validate(student)
    await save_to_database(student)
    background_tasks.add_task(send_email, student)
",
    },
    Preset {
        slug: "forgotten-await",
        title: "A forgotten await",
        code: "@app.post(\"/register\")
async def register(student: Student):
    validate(student)
    await save_to_database(student)
    send_email(student)  # no await: the email is never sent
",
    },
    Preset {
        slug: "race",
        title: "The race on seats_left",
        code: "@app.post(\"/register\")
async def register(student: Student):
    seats_left = await db.fetch(\"SELECT seats_left FROM course\")
    if has_room(seats_left):
        await db.execute(\"UPDATE course SET seats_left = $1\", seats_left - 1)
",
    },
    Preset {
        slug: "lock",
        title: "A lock around the seats",
        code: "import asyncio

lock = asyncio.Lock()

@app.post(\"/register\")
async def register(student: Student):
    async with lock:
        seats_left = await db.fetch(\"SELECT seats_left FROM course\")
        if has_room(seats_left):
            await db.execute(\"UPDATE course SET seats_left = $1\", seats_left - 1)
",
    },
    Preset {
        slug: "atomic",
        title: "An atomic update",
        code: "@app.post(\"/register\")
async def register(student: Student):
    changed = await db.execute(
        \"UPDATE course SET seats_left = seats_left - 1 WHERE seats_left > 0\"
    )
",
    },
    Preset {
        slug: "row-lock",
        title: "A row lock (FOR UPDATE)",
        code: "@app.post(\"/register\")
async def register(student: Student):
    async with db.transaction():
        seats_left = await db.fetch(\"SELECT seats_left FROM course FOR UPDATE\")
        if has_room(seats_left):
            await db.execute(\"UPDATE course SET seats_left = $1\", seats_left - 1)
",
    },
    Preset {
        slug: "optimistic",
        title: "Optimistic retries",
        code: "@app.post(\"/register\")
async def register(student: Student):
    for attempt in range(3):
        row = await db.fetchrow(\"SELECT seats_left, version FROM course\")
        if not has_room(row[\"seats_left\"]):
            break
        changed = await db.execute(
            \"UPDATE course SET seats_left = $1, version = version + 1 WHERE version = $2\",
            row[\"seats_left\"] - 1,
            row[\"version\"],
        )
        if changed:
            break
",
    },
];

/// The preset called `slug`.
pub fn named(slug: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.slug == slug)
}
