//! The scenario's choices as keywords: how workers run the handler, when students arrive, how
//! long I/O takes, which handler, what happens past the cap. Each names itself in URLs and on the
//! command line.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How a worker runs the handler.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// One request at a time per worker, occupied through every step including I/O waits.
    #[default]
    Blocking,
    /// One event loop per worker; an awaited I/O call frees the loop for other requests.
    Async,
    /// FastAPI's plain `def` endpoints: `threads` threads per worker, one interpreter lock.
    Threadpool,
}

/// When students arrive.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Arrival {
    /// Everyone at t = 0.
    #[default]
    Burst,
    /// Student `i` at `i / rate` seconds.
    Uniform,
    /// A Poisson process: exponential gaps with mean `1 / rate` seconds.
    Poisson,
}

/// How long each I/O call takes.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum IoDist {
    /// Exactly `db_ms` and `email_ms`.
    #[default]
    Fixed,
    /// Exponential with those means.
    Exp,
}

/// Which request handler the workers run.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum HandlerKind {
    /// The article's endpoint: validate, save to the database, send the email.
    #[default]
    Register,
    /// The teaser for part 3: read the shared `seats_left` from the database, decide, write it
    /// back, with no lock; concurrent requests can lose an update.
    Race,
}

/// How the race handler guards its seat: not at all (the race), or one of the fixes, each a
/// playground preset of the same name.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Fix {
    /// Read, decide, write: the lost update.
    #[default]
    None,
    /// An `asyncio.Lock` around the three steps: one per worker process.
    Lock,
    /// One conditional `UPDATE` that takes a seat only if one is left.
    Atomic,
    /// `SELECT ... FOR UPDATE` in a transaction: the others wait for the row.
    RowLock,
    /// A version check on the write, retried up to three times.
    Optimistic,
}

/// What happens to a request that arrives when no worker has room for it.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Overflow {
    /// It waits in the shared accept queue until a worker has room.
    #[default]
    Queue,
    /// It is turned away at once with an HTTP 503, as uvicorn's `--limit-concurrency` does.
    Reject,
}

macro_rules! keyword_enum {
    ($ty:ty { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// Every variant's keyword, in the order the help text lists them.
            pub const NAMES: &'static [&'static str] = &[$($name),+];

            /// The keyword used on the command line and in URLs.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(<$ty>::$variant => $name),+
                }
            }

            /// The variant for a keyword, if it is one.
            pub fn from_keyword(word: &str) -> Option<$ty> {
                match word {
                    $($name => Some(<$ty>::$variant),)+
                    _ => None,
                }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

keyword_enum!(Mode { Blocking => "blocking", Async => "async", Threadpool => "threadpool" });
keyword_enum!(Arrival { Burst => "burst", Uniform => "uniform", Poisson => "poisson" });
keyword_enum!(IoDist { Fixed => "fixed", Exp => "exp" });
keyword_enum!(HandlerKind { Register => "register", Race => "race" });
keyword_enum!(Fix { None => "none", Lock => "lock", Atomic => "atomic", RowLock => "row-lock", Optimistic => "optimistic" });
keyword_enum!(Overflow { Queue => "queue", Reject => "reject" });
