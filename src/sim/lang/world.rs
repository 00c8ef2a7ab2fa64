//! The functions a handler can call: their Python names, signatures and result types, and which
//! are async (calling them makes a coroutine). What each does to the simulated world is decided
//! in `interp`; this is only the table the checker reads.

/// A world function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Func {
    /// `validate(student)`: CPU work, `validate_ms`.
    Validate,
    /// `cpu_work(ms=N)`: CPU work of N ms.
    CpuWork,
    /// `has_room(seats_left)`: CPU work, `validate_ms`, deciding whether there is a seat left;
    /// the race handler's decision.
    HasRoom,
    /// `welcome(student)`: builds the email, instantly.
    Welcome,
    /// `save_to_database(student)`: async database client.
    SaveToDatabase,
    /// `db.save(student)`: blocking database client.
    DbSave,
    /// `send_email(student)`: async email client.
    SendEmail,
    /// `smtp.send(message)`: blocking email client.
    SmtpSend,
    /// `asyncio.sleep(seconds)`.
    AsyncioSleep,
    /// `time.sleep(seconds)`.
    TimeSleep,
    /// `db.fetch("SELECT seats_left ...")`: reads the shared `seats_left`.
    DbFetch,
    /// `db.execute("UPDATE ... $1", value)`: writes it.
    DbExecute,
    /// `db.fetch_blocking(...)`: the same read with a blocking client.
    DbFetchBlocking,
    /// `db.execute_blocking(...)`: the same write with a blocking client.
    DbExecuteBlocking,
    /// `db.fetchrow("SELECT seats_left, version ...")`: reads the row, both columns.
    DbFetchRow,
}

/// The static type of a value, named as Python names it in errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ty {
    Int,
    Float,
    Bool,
    None,
    Student,
    Message,
    /// A coroutine of this function (`None`: of a thread-pool call).
    Coro,
    List,
    Str,
    Dict,
    /// A logger from `logging.getLogger(...)`, known to the checker only.
    Logger,
    /// An exception bound by `except ... as e` (held as `str(e)`).
    Exc,
    /// An `asyncio.Lock` or `Semaphore` of the module's, known to the checker only.
    Lock,
    /// The handler's `BackgroundTasks` parameter, known to the checker only.
    Tasks,
    /// A row of the `course` table from `db.fetchrow`: `row["seats_left"]`, `row["version"]`.
    Row,
}

impl Ty {
    /// Python's name for the type.
    pub fn name(self) -> &'static str {
        match self {
            Ty::Int => "int",
            Ty::Float => "float",
            Ty::Bool => "bool",
            Ty::None => "NoneType",
            Ty::Student => "Student",
            Ty::Message => "EmailMessage",
            Ty::Coro => "coroutine",
            Ty::List => "list",
            Ty::Str => "str",
            Ty::Dict => "dict",
            Ty::Logger => "Logger",
            Ty::Exc => "Exception",
            Ty::Lock => "Lock",
            Ty::Tasks => "BackgroundTasks",
            Ty::Row => "Record",
        }
    }

    pub fn is_number(self) -> bool {
        matches!(self, Ty::Int | Ty::Float | Ty::Bool)
    }
}

/// What a parameter accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Param {
    /// The student.
    Student,
    /// The student or an email built by `welcome`.
    Mail,
    /// A number of seconds.
    Secs,
    /// A number of milliseconds.
    Ms,
    /// An integer.
    Int,
    /// A string literal: the SQL, which the model does not read.
    Query,
}

/// One world function.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FuncInfo {
    pub func: Func,
    /// As the code writes it: `asyncio.sleep`.
    pub path: &'static str,
    /// As Python's warning names its coroutine: `sleep`.
    pub qualname: &'static str,
    pub is_async: bool,
    pub params: &'static [(&'static str, Param)],
    pub returns: Ty,
}

const fn info(
    func: Func,
    path: &'static str,
    qualname: &'static str,
    is_async: bool,
    params: &'static [(&'static str, Param)],
    returns: Ty,
) -> FuncInfo {
    FuncInfo {
        func,
        path,
        qualname,
        is_async,
        params,
        returns,
    }
}

/// Every world function.
pub(crate) const FUNCS: &[FuncInfo] = &[
    info(
        Func::Validate,
        "validate",
        "validate",
        false,
        &[("student", Param::Student)],
        Ty::None,
    ),
    info(
        Func::CpuWork,
        "cpu_work",
        "cpu_work",
        false,
        &[("ms", Param::Ms)],
        Ty::None,
    ),
    info(
        Func::HasRoom,
        "has_room",
        "has_room",
        false,
        &[("seats_left", Param::Int)],
        Ty::Bool,
    ),
    info(
        Func::Welcome,
        "welcome",
        "welcome",
        false,
        &[("student", Param::Student)],
        Ty::Message,
    ),
    info(
        Func::SaveToDatabase,
        "save_to_database",
        "save_to_database",
        true,
        &[("student", Param::Student)],
        Ty::None,
    ),
    info(
        Func::DbSave,
        "db.save",
        "save",
        false,
        &[("student", Param::Student)],
        Ty::None,
    ),
    info(
        Func::SendEmail,
        "send_email",
        "send_email",
        true,
        &[("student", Param::Mail)],
        Ty::None,
    ),
    info(
        Func::SmtpSend,
        "smtp.send",
        "send",
        false,
        &[("message", Param::Mail)],
        Ty::None,
    ),
    info(
        Func::AsyncioSleep,
        "asyncio.sleep",
        "sleep",
        true,
        &[("delay", Param::Secs)],
        Ty::None,
    ),
    info(
        Func::TimeSleep,
        "time.sleep",
        "sleep",
        false,
        &[("secs", Param::Secs)],
        Ty::None,
    ),
    info(
        Func::DbFetch,
        "db.fetch",
        "fetch",
        true,
        &[("query", Param::Query)],
        Ty::Int,
    ),
    info(
        Func::DbExecute,
        "db.execute",
        "execute",
        true,
        &[("query", Param::Query), ("value", Param::Int)],
        Ty::Int,
    ),
    info(
        Func::DbFetchBlocking,
        "db.fetch_blocking",
        "fetch_blocking",
        false,
        &[("query", Param::Query)],
        Ty::Int,
    ),
    info(
        Func::DbFetchRow,
        "db.fetchrow",
        "fetchrow",
        true,
        &[("query", Param::Query)],
        Ty::Row,
    ),
    info(
        Func::DbExecuteBlocking,
        "db.execute_blocking",
        "execute_blocking",
        false,
        &[("query", Param::Query), ("value", Param::Int)],
        Ty::Int,
    ),
];

/// The names every handler can use without defining them: modules and functions.
pub(crate) const MODULES: &[&str] = &["asyncio", "time", "db", "smtp"];

/// The callables that are not plain world functions.
pub(crate) const SPECIAL: &[&str] = &[
    "asyncio.gather",
    "asyncio.create_task",
    "asyncio.to_thread",
    "run_in_threadpool",
    "asyncio.wait_for",
];

impl FuncInfo {
    /// The function called `path`, if the world has one.
    pub fn named(path: &str) -> Option<&'static FuncInfo> {
        FUNCS.iter().find(|f| f.path == path)
    }

    /// The parameters of a call with `sql`: `db.execute` takes as many values as its query
    /// has `$n` (the atomic update none, the versioned one two).
    pub fn params_for(&self, sql: super::sql::Sql) -> &'static [(&'static str, Param)] {
        use super::sql::Sql;
        match (self.func, sql) {
            (Func::DbExecute | Func::DbExecuteBlocking, Sql::Decrement) => {
                &[("query", Param::Query)]
            }
            (Func::DbExecute | Func::DbExecuteBlocking, Sql::SetIfVersion) => &[
                ("query", Param::Query),
                ("value", Param::Int),
                ("version", Param::Int),
            ],
            _ => self.params,
        }
    }

    /// How many values the call keeps at run time (query strings are not kept).
    pub fn runtime_arity(&self, sql: super::sql::Sql) -> u8 {
        self.params_for(sql)
            .iter()
            .filter(|(_, p)| *p != Param::Query)
            .count() as u8
    }
}
