//! `async with db.transaction():` at run time: the transaction's connection, and the `course`
//! row's lock, which its first `SELECT ... FOR UPDATE` or write takes and which it holds until
//! it ends, so that another transaction's waits.

use super::calls::Op;
use super::line;
use crate::sim::handler::{Connection, Io, Step};
use crate::sim::lang::code::Call;
use crate::sim::lang::parser::Pos;
use crate::sim::lang::sql::Sql;
use crate::sim::lang::world::Func;

/// A transaction of the request's.
pub(super) struct Tx {
    _connection: Connection,
    row: Option<Connection>,
}

/// Begins a transaction: a connection from the pool for all its queries (`awaited`: the loop
/// is free while it waits for one).
pub(super) async fn begin(io: &Io, pos: Pos, awaited: bool) -> Tx {
    let connection = io
        .connection(Step::ReadSeats, awaited)
        .on_line(line(pos))
        .await;
    Tx {
        _connection: connection,
        row: None,
    }
}

/// Readies a database call made inside `tx`: it runs on the transaction's connection, and a
/// locking read or any write first takes the row's lock, waiting for it if another holds it.
pub(super) async fn prepare(io: &Io, tx: &mut Tx, call: Call, op: &mut Op) {
    let (reads, writes) = match call.func {
        Func::DbFetch | Func::DbFetchBlocking | Func::DbFetchRow => (true, false),
        Func::DbExecute | Func::DbExecuteBlocking => (false, true),
        _ => return,
    };
    op.in_tx = true;
    let locks = writes || (reads && call.sql == Sql::ForUpdate);
    if locks && tx.row.is_none() {
        tx.row = Some(io.row_lock(op.step, op.yields).on_line(op.line).await);
    }
}
